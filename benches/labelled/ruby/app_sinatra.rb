# Small Sinatra service for previews and diagnostics.
require "sinatra"
require "net/http"
require "open3"
require "yaml"
require "erb"
require "shellwords"
require "base64"

PREVIEW_HOST = "https://preview.example.com".freeze
DATA_DIR = "/srv/data".freeze

helpers do
  def load_state(raw)
    # expect: CWE-502
    Marshal.load(Base64.decode64(raw))
  end
end

get "/preview" do
  url = params["url"]
  # expect: CWE-918
  body = Net::HTTP.get(URI(url))
  slug = params["slug"]
  # safe: CWE-918
  body2 = Net::HTTP.get(URI(PREVIEW_HOST + "/pages/" + ERB::Util.url_encode(slug)))
  body + body2
end

get "/file" do
  name = params["name"]
  # expect: CWE-22
  content = File.read(File.join(DATA_DIR, name))
  # safe: CWE-22
  readme = File.read(File.join(DATA_DIR, "README.txt"))
  content + readme
end

get "/dns" do
  host = params["host"]
  # expect: CWE-78
  out, _status = Open3.capture2("nslookup " + host)
  # safe: CWE-78
  out2, _status2 = Open3.capture2("nslookup", host)
  # safe: CWE-78
  out3 = `nslookup #{Shellwords.escape(host)}`
  out + out2 + out3
end

get "/hello" do
  who = params["who"]
  # expect: CWE-79
  body "<p>Hello #{who}</p>"
end

get "/hello-safe" do
  who = ERB::Util.html_escape(params["who"])
  # safe: CWE-79
  body "<p>Hello #{who}</p>"
end

post "/restore" do
  state = load_state(request.body.read)
  # safe: CWE-502
  config = YAML.safe_load(params["config"])
  [state, config].inspect
end

post "/calc" do
  settings = { "expr" => params["expr"], "default" => "6 * 7" }
  # safe: CWE-95
  a = eval(settings["default"])
  # expect: CWE-95
  b = eval(settings["expr"])
  (a + b).to_s
end
