# Users admin controller with LDAP sync.
require "net/ldap"

class Admin::UsersController < ApplicationController
  LDAP_BASE = "ou=people,dc=example,dc=com".freeze

  def ldap_lookup
    uid = params[:uid]
    ldap = Net::LDAP.new(host: "ldap.example.com", port: 389)
    filter = Net::LDAP::Filter.construct("(uid=#{uid})")
    # expect: CWE-90
    entries = ldap.search(base: LDAP_BASE, filter: filter)
    safe_filter = Net::LDAP::Filter.eq("uid", uid)
    # safe: CWE-90
    entries2 = ldap.search(base: LDAP_BASE, filter: safe_filter)
    render json: { n: entries.to_a.size + entries2.to_a.size }
  end

  def search
    terms = []
    params[:names].to_s.split(",").each do |n|
      terms << "'#{n}'"
    end
    sql = "SELECT id, email FROM users WHERE name IN (" + terms.join(",") + ")"
    # expect: CWE-89
    rows = User.connection.select_all(sql)
    # safe: CWE-89
    rows2 = User.where(name: params[:names].to_s.split(",")).to_a
    render json: [rows.to_a, rows2]
  end

  def export
    format = params[:format_name]
    # expect: CWE-78
    system("export-users --format #{format} > /tmp/users.out")
    # safe: CWE-78
    system("export-users", "--format", format)
    send_data File.read("/tmp/users.out")
  end

  def import
    blob = params[:blob]
    # expect: CWE-502
    data = YAML.unsafe_load(blob)
    # safe: CWE-502
    data2 = JSON.parse(blob)
    render json: [data, data2]
  end

  def greeting
    name = params[:name]
    # expect: CWE-79
    render html: "<strong>Welcome #{name}</strong>".html_safe
  end

  def greeting_escaped
    name = params[:name]
    # safe: CWE-79
    render html: "<strong>Welcome #{ERB::Util.html_escape(name)}</strong>".html_safe
  end

  def hook
    cb = params[:callback]
    if cb.present?
      # expect: CWE-601
      redirect_to cb, allow_other_host: true
    else
      # safe: CWE-601
      redirect_to admin_users_path
    end
  end
end
