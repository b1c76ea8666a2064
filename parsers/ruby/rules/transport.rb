require "net/http"
require "nokogiri"

class WebhookClient
  def deliver(uri, body)
    http = Net::HTTP.new(uri.host, uri.port)
    http.use_ssl = true
    # ruleid: ruby.tls.verify-none
    http.verify_mode = OpenSSL::SSL::VERIFY_NONE
    # ok: ruby.tls.verify-none
    http.verify_mode = OpenSSL::SSL::VERIFY_PEER
    http.post(uri.path, body)
  end

  def fetch(url)
    # ruleid: ruby.tls.verify-none
    HTTParty.get("https://partner.example.com/feed.json", verify: false)
  end

  def fetch_checked(url)
    # ok: ruby.tls.verify-none
    HTTParty.get("https://partner.example.com/feed.json", verify: true)
  end

  def faraday(url)
    # ruleid: ruby.tls.verify-none
    Faraday.new(url: url, ssl: { verify: false })
  end

  def faraday_checked(url)
    # ok: ruby.tls.verify-none
    Faraday.new(url: url, ssl: { verify: true, ca_file: "/etc/ssl/certs/ca.pem" })
  end

  def rest(url)
    # ruleid: ruby.tls.verify-none
    RestClient::Resource.new(url, verify_ssl: false)
  end
end

class FeedImporter
  def parse(xml)
    # ruleid: ruby.xxe.entity-expansion
    Nokogiri::XML(xml) { |config| config.strict.noent }
  end

  def parse_with_flags(xml)
    # ruleid: ruby.xxe.entity-expansion
    Nokogiri::XML(xml, nil, "UTF-8", Nokogiri::XML::ParseOptions::DEFAULT_XML | Nokogiri::XML::ParseOptions::NOENT)
  end

  def parse_safely(xml)
    # ok: ruby.xxe.entity-expansion
    Nokogiri::XML(xml) { |config| config.strict.nonet }
  end

  def parse_default(xml)
    # ok: ruby.xxe.entity-expansion
    Nokogiri::XML(xml, nil, "UTF-8", Nokogiri::XML::ParseOptions::DEFAULT_XML)
  end

  def libxml_setup
    # ruleid: ruby.xxe.entity-expansion
    LibXML::XML.default_substitute_entities = true
    # ok: ruby.xxe.entity-expansion
    LibXML::XML.default_substitute_entities = false
  end
end
