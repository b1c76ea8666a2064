require "net/http"
require "net/ldap"

class ProxyController < ApplicationController
  API_ROOT = "https://api.example.com"

  def fetch
    # ruleid: ruby.ssrf.non-literal-url, ruby.ssrf.tainted-url
    response = Net::HTTP.get(URI(params[:url]))
    # ok: ruby.ssrf.non-literal-url
    status = Net::HTTP.get(URI("https://status.example.com/health"))
    render plain: response + status
  end

  def preview(link)
    # ruleid: ruby.ssrf.non-literal-url
    HTTParty.get(link)
  end

  def callback(host)
    # ruleid: ruby.ssrf.non-literal-url
    RestClient.post("https://#{host}/hooks", { ok: true }.to_json)
  end

  def user(id)
    # ok: ruby.ssrf.non-literal-url
    HTTParty.get("https://api.github.com/users/#{id}")
    # ok: ruby.ssrf.non-literal-url
    HTTParty.get("#{API_ROOT}/users/#{id}")
    # ok: ruby.ssrf.non-literal-url
    Faraday.get(API_ROOT)
  end

  def avatar
    # ruleid: ruby.ssrf.non-literal-url, ruby.ssrf.tainted-url
    Net::HTTP.get_response(URI.parse(params[:avatar_url]))
  end

  def remember
    # ruleid: ruby.insecure-cookie.flags-disabled
    cookies[:remember_token] = { value: @token, httponly: false, expires: 2.weeks.from_now }
    # ruleid: ruby.insecure-cookie.flags-disabled
    cookies.signed[:uid] = { value: current_user.id, secure: false }
    # ok: ruby.insecure-cookie.flags-disabled
    cookies.encrypted[:uid] = { value: current_user.id, secure: true, httponly: true }
    # ok: ruby.insecure-cookie.flags-disabled
    cache_options = { expires_in: 5.minutes, secure: false }
  end

  def rack_cookie(response)
    # ruleid: ruby.insecure-cookie.flags-disabled
    response.set_cookie("session", { value: "abc", path: "/", httponly: false })
  end
end

class Directory
  def find_user(ldap, username)
    # ruleid: ruby.ldap-injection.filter-interpolation
    ldap.search(base: "dc=example,dc=com", filter: "(uid=#{username})")
    # ok: ruby.ldap-injection.filter-interpolation
    ldap.search(base: "dc=example,dc=com", filter: Net::LDAP::Filter.eq("uid", username))
    # ok: ruby.ldap-injection.filter-interpolation
    ldap.search(base: "dc=example,dc=com", filter: "(uid=#{Net::LDAP::Filter.escape(username)})")
    # ok: ruby.ldap-injection.filter-interpolation
    ldap.search(base: "dc=example,dc=com", filter: "(objectClass=person)")
  end

  def group_filter(group)
    # ruleid: ruby.ldap-injection.filter-interpolation
    Net::LDAP::Filter.construct("(&(objectClass=group)(cn=" + group + "))")
  end
end

class CatalogSearch
  def find(doc, name)
    # ruleid: ruby.xpath-injection.interpolated-expression
    doc.xpath("//product[@name='#{name}']")
  end

  def find_bound(doc, name)
    # ok: ruby.xpath-injection.interpolated-expression
    doc.xpath("//product[@name=$name]", nil, { "name" => name })
  end

  def all(doc)
    query = "//product[@available='true']"
    # ok: ruby.xpath-injection.interpolated-expression
    doc.xpath(query)
  end

  def rexml(doc, sku)
    # ruleid: ruby.xpath-injection.interpolated-expression
    REXML::XPath.first(doc, "//item[sku='" + sku + "']")
  end
end

# Flows from the request to outgoing URLs, LDAP filters and XPath expressions.
class WebhooksController < ApplicationController
  def preview
    url = params[:url]
    # ruleid: ruby.ssrf.tainted-url, ruby.ssrf.non-literal-url
    HTTParty.get(url)

    hooks = { target: params[:hook], status: "https://status.example.com/" }
    # ruleid: ruby.ssrf.tainted-url, ruby.ssrf.non-literal-url
    Faraday.get(hooks[:target])
    # ok: ruby.ssrf.tainted-url, ruleid: ruby.ssrf.non-literal-url
    Faraday.get(hooks[:status])

    feeds = []
    feeds.push("https://news.example.com/rss")
    feeds.push(params[:feed])
    # ruleid: ruby.ssrf.tainted-url, ruby.ssrf.non-literal-url
    RestClient.get(feeds[1])
    # ok: ruby.ssrf.tainted-url, ruleid: ruby.ssrf.non-literal-url
    RestClient.get(feeds[0])

    port = params[:port].to_i
    # ok: ruby.ssrf.tainted-url, ruleid: ruby.ssrf.non-literal-url
    HTTParty.get("https://api.example.com:#{port}/v1")

    mirror = params[:mirror]
    mirror = "https://mirror.example.com/"
    # ok: ruby.ssrf.tainted-url
    HTTParty.get(mirror)

    probe = params[:probe]
    if false
      # ok: ruby.ssrf.tainted-url, ruleid: ruby.ssrf.non-literal-url
      HTTParty.get(probe)
    end
  end

  def register
    @target = params[:target]
  end

  def fire
    # ruleid: ruby.ssrf.tainted-url, ruby.ssrf.non-literal-url
    Net::HTTP.get(callback_uri(params[:host]))
    # ruleid: ruby.ssrf.tainted-url, ruby.ssrf.non-literal-url
    HTTParty.post(@target)
  end

  def directory
    user = params[:user]
    # ruleid: ruby.ldap-injection.tainted-filter, ruby.ldap-injection.filter-interpolation
    ldap.search(base: "dc=example,dc=com", filter: "(uid=#{user})")
    # ok: ruby.ldap-injection.tainted-filter
    ldap.search(base: "dc=example,dc=com", filter: Net::LDAP::Filter.eq("uid", user))
    # ruleid: ruby.ldap-injection.tainted-filter, ruby.ldap-injection.filter-interpolation
    Net::LDAP::Filter.construct("(mail=#{params[:mail]})")
  end

  def catalog
    sku = params[:sku]
    # ruleid: ruby.xpath-injection.tainted-expression, ruby.xpath-injection.interpolated-expression
    doc.xpath("//product[@sku='#{sku}']")
    id = params[:id].to_i
    # ok: ruby.xpath-injection.tainted-expression, ruleid: ruby.xpath-injection.interpolated-expression
    doc.at_xpath("//product[@id=#{id}]")
  end

  private

  def callback_uri(host)
    URI("https://#{host}/callback")
  end
end

class ItemsProxyController < ApplicationController
  def show
    # ok: ruby.ssrf.tainted-url
    HTTParty.get("https://api.example.com/items/#{params[:id]}")
    # ruleid: ruby.ssrf.tainted-url, ruby.ssrf.non-literal-url
    HTTParty.get("https://#{params[:host]}/items")
  end
end
