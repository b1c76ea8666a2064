# Orders controller for the merchant dashboard.
class OrdersController < ApplicationController
  ORDER_COLUMNS = "id, number, total".freeze
  PAID_ONLY = "state = 'paid'".freeze

  def index
    customer = params[:customer]
    # expect: CWE-89
    @orders = Order.where("customer_name = '#{customer}'")
    # safe: CWE-89
    @paid = Order.where(PAID_ONLY).select(ORDER_COLUMNS)
    # safe: CWE-89
    @mine = Order.where("customer_name = ?", customer)
    render :index
  end

  def show
    id = params[:id].to_i
    # safe: CWE-89
    @order = Order.find_by_sql("SELECT * FROM orders WHERE id = #{id}").first
    ref = params[:ref]
    # expect: CWE-89
    @by_ref = ActiveRecord::Base.connection.execute("SELECT * FROM orders WHERE ref = '" + ref + "'")
    quoted = ActiveRecord::Base.connection.quote(ref)
    # safe: CWE-89
    @by_ref2 = ActiveRecord::Base.connection.execute("SELECT * FROM orders WHERE ref = #{quoted}")
  end

  def sorted
    order_sql = build_order(params[:sort])
    # expect: CWE-89
    @orders = Order.find_by_sql("SELECT * FROM orders ORDER BY " + order_sql)
    render :index
  end

  def invoice
    number = params[:number]
    # expect: CWE-78
    pdf = `wkhtmltopdf /srv/invoices/#{number}.html /tmp/#{number}.pdf`
    # safe: CWE-78
    system("wkhtmltopdf", "/srv/invoices/#{number}.html", "/tmp/out.pdf")
    # expect: CWE-22
    send_file File.join("/srv/invoices", number + ".pdf")
    logger.info(pdf)
  end

  def done
    back = params[:back]
    if false
      # safe: CWE-601
      redirect_to back
    end
    # safe: CWE-601
    redirect_to orders_path
  end

  def bounce
    # expect: CWE-601
    redirect_to params[:return_to]
  end

  private

  def build_order(sort)
    "#{sort} DESC"
  end
end
