# Sinatra catalog API backed by SQLite and an XML feed.
require "sinatra/base"
require "sqlite3"
require "nokogiri"
require "httparty"
require "cgi"

class CatalogApp < Sinatra::Base
  DB = SQLite3::Database.new("/srv/catalog.db")
  FEED = Nokogiri::XML(File.read("/srv/feed.xml"))
  TABLE = "items".freeze
  PRICE_API = "https://prices.example.com".freeze

  get "/items" do
    tag = params["tag"]
    # expect: CWE-89
    rows = DB.execute("SELECT id, title FROM items WHERE tag = '#{tag}'")
    # safe: CWE-89
    rows2 = DB.execute("SELECT id, title FROM items WHERE tag = ?", [tag])
    # safe: CWE-89
    total = DB.execute("SELECT COUNT(*) FROM #{TABLE}")
    [rows, rows2, total].to_s
  end

  get "/items/:id" do
    id = Integer(params["id"])
    # safe: CWE-89
    DB.execute("SELECT * FROM items WHERE id = #{id}").to_s
  end

  get "/feed" do
    sku = params["sku"]
    # expect: CWE-643
    nodes = FEED.xpath("//item[@sku='#{sku}']")
    # safe: CWE-643
    featured = FEED.xpath("//item[@featured='true']")
    (nodes.size + featured.size).to_s
  end

  get "/price" do
    sku = params["sku"]
    # safe: CWE-918
    r = HTTParty.get("#{PRICE_API}/v2/price/#{CGI.escape(sku)}")
    endpoint = params["endpoint"]
    # expect: CWE-918
    r2 = HTTParty.get(endpoint)
    r.body + r2.body
  end

  get "/go" do
    # expect: CWE-601
    redirect params["next"]
  end

  get "/home" do
    # safe: CWE-601
    redirect "/items"
  end
end
