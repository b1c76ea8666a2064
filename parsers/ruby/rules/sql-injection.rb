class User < ApplicationRecord
  scope :active, -> { where("#{table_name}.deleted_at IS NULL") }

  def self.search(term)
    # ruleid: ruby.sql-injection.interpolated-query
    where("name LIKE '%#{term}%'")
  end

  def self.by_email(email)
    # ok: ruby.sql-injection.interpolated-query
    where("email = ?", email)
  end

  def self.by_role(role)
    # ok: ruby.sql-injection.interpolated-query
    where(role: role)
  end

  def self.visible
    # ok: ruby.sql-injection.interpolated-query
    where("#{quoted_table_name}.hidden = ?", false)
  end

  def self.recent(limit)
    # ok: ruby.sql-injection.interpolated-query
    order("created_at DESC").limit(limit.to_i)
  end
end

class UsersController < ApplicationController
  def index
    # ruleid: ruby.sql-injection.interpolated-query, ruby.sql-injection.tainted-query
    @users = User.order(params[:sort])
    # ok: ruby.sql-injection.interpolated-query
    @users = User.order(created_at: :desc)
    # ruleid: ruby.sql-injection.interpolated-query, ruby.sql-injection.tainted-query
    @admins = User.where("role = '" + params[:role] + "'")
    # ruleid: ruby.sql-injection.interpolated-query, ruby.sql-injection.tainted-query
    @count = User.count_by_sql("SELECT COUNT(*) FROM users WHERE team_id = #{params[:team]}")
    # ok: ruby.sql-injection.interpolated-query
    @team = User.find_by_sql(["SELECT * FROM users WHERE team_id = ?", params[:team]])
    # ok: ruby.sql-injection.interpolated-query
    @page = User.where("id > #{params[:after].to_i}")
  end

  def report(from)
    conn = ActiveRecord::Base.connection
    # ruleid: ruby.sql-injection.interpolated-query
    rows = conn.select_all("SELECT * FROM orders WHERE created_at > '#{from}'")
    # ok: ruby.sql-injection.interpolated-query
    totals = conn.select_all("SELECT SUM(total) FROM orders")
    # ruleid: ruby.sql-injection.interpolated-query
    legacy = conn.execute("DELETE FROM sessions WHERE user_id = %s" % from)
    quoted = conn.quote(from)
    # ok: ruby.sql-injection.interpolated-query
    safe = conn.execute("DELETE FROM sessions WHERE user_id = #{conn.quote(from)}")
    [rows, totals, legacy, quoted, safe]
  end

  def raw(name)
    sql = "SELECT * FROM accounts WHERE name = '#{name}'"
    # ruleid: ruby.sql-injection.raw-query-variable
    ActiveRecord::Base.connection.execute(sql)
    static_sql = "SELECT COUNT(*) FROM accounts"
    # ok: ruby.sql-injection.raw-query-variable
    ActiveRecord::Base.connection.select_value(static_sql)
  end

  def mysql(client, id)
    # ruleid: ruby.sql-injection.interpolated-query
    client.query("SELECT * FROM items WHERE id = #{id}")
    # ok: ruby.sql-injection.interpolated-query
    client.query("SELECT * FROM items WHERE id = #{Integer(id)}")
    # ok: ruby.sql-injection.interpolated-query
    client.prepare("SELECT * FROM items WHERE id = ?").execute(id)
  end
end

def lookup(db, id)
  stmt = db.prepare("SELECT * FROM items WHERE id = ?")
  # ok: ruby.sql-injection.raw-query-variable
  stmt.execute(id)
end

# Flows from the request to the query text, followed through the controller.
class OrdersController < ApplicationController
  def index
    status = params[:status]
    # ruleid: ruby.sql-injection.tainted-query, ruby.sql-injection.interpolated-query
    @orders = Order.where("status = '#{status}'")

    filters = { region: params[:region], kind: "retail" }
    # ruleid: ruby.sql-injection.tainted-query, ruby.sql-injection.interpolated-query
    @by_region = Order.where("region = '" + filters[:region] + "'")
    # ok: ruby.sql-injection.tainted-query, ruleid: ruby.sql-injection.interpolated-query
    @by_kind = Order.where("kind = '" + filters[:kind] + "'")

    columns = []
    columns.push("created_at")
    columns.push(params[:sort])
    # ruleid: ruby.sql-injection.tainted-query, ruby.sql-injection.interpolated-query
    @sorted = Order.order(columns[1])
    # ok: ruby.sql-injection.tainted-query, ruleid: ruby.sql-injection.interpolated-query
    @recent = Order.order(columns[0])

    clause = format("customer = '%s'", params[:customer])
    sql = "SELECT * FROM orders WHERE "
    sql << clause
    # ruleid: ruby.sql-injection.tainted-query
    @rows = Order.find_by_sql(sql)

    limit = params[:limit].to_i
    # ok: ruby.sql-injection.tainted-query, ruleid: ruby.sql-injection.interpolated-query
    @page = Order.find_by_sql("SELECT * FROM orders LIMIT #{limit}")

    name = ActiveRecord::Base.connection.quote(params[:name])
    # ok: ruby.sql-injection.tainted-query, ruleid: ruby.sql-injection.interpolated-query
    @named = Order.where("name = #{name}")

    tag = params[:tag]
    tag = "featured"
    # ok: ruby.sql-injection.tainted-query, ruleid: ruby.sql-injection.interpolated-query
    @tagged = Order.where("tag = '#{tag}'")

    debug = params[:debug]
    if false
      # ok: ruby.sql-injection.tainted-query, ruleid: ruby.sql-injection.interpolated-query
      @debug = Order.where("note = '#{debug}'")
    end

    # ok: ruby.sql-injection.tainted-query
    @safe = Order.where("customer = ?", params[:customer])
    # ok: ruby.sql-injection.tainted-query
    @hash = Order.where(customer: params[:customer])
  end

  def search
    # ruleid: ruby.sql-injection.tainted-query
    @results = Order.where(note_filter(params[:q]))
  end

  def remember_period
    @period = params[:period]
  end

  def report
    # ruleid: ruby.sql-injection.tainted-query, ruby.sql-injection.interpolated-query
    ActiveRecord::Base.connection.execute("SELECT * FROM reports WHERE period = '#{@period}'")
  end

  private

  def note_filter(value)
    "note LIKE '%#{value.strip}%'"
  end
end

class ArchiveController < ApplicationController
  def index
    params[:ids].each do |id|
      # ruleid: ruby.sql-injection.tainted-query, ruby.sql-injection.interpolated-query
      Archive.where("id = #{id}").destroy_all
    end
    # ok: ruby.sql-injection.tainted-query
    @archive = Archive.order(default_sort(params[:sort]))
  end

  private

  def default_sort(requested)
    @requested_sort = requested
    "created_at DESC"
  end
end
