require "yaml"
require "oj"

class SessionRestorer
  def restore(cookie)
    raw = Base64.decode64(cookie)
    # ruleid: ruby.deserialization.marshal-load
    Marshal.load(raw)
  end

  def clone_defaults
    # ok: ruby.deserialization.marshal-load
    Marshal.load(Marshal.dump(DEFAULTS))
  end

  def import(body)
    # ruleid: ruby.deserialization.yaml-load
    settings = YAML.load(body)
    # ok: ruby.deserialization.yaml-load
    safe = YAML.safe_load(body, permitted_classes: [Date, Symbol])
    # ok: ruby.deserialization.yaml-load
    psych4 = YAML.load(body, permitted_classes: [Date])
    # ruleid: ruby.deserialization.yaml-load, ruby.deserialization.tainted-load
    legacy = Psych.unsafe_load(params[:config])
    # ok: ruby.deserialization.yaml-load
    inline = YAML.load("--- {retries: 3}")
    [settings, safe, psych4, legacy, inline]
  end

  def parse(payload)
    # ruleid: ruby.deserialization.object-mode-json
    obj = Oj.load(payload)
    # ok: ruby.deserialization.object-mode-json
    data = Oj.load(payload, mode: :strict)
    # ok: ruby.deserialization.object-mode-json
    plain = JSON.parse(payload)
    # ruleid: ruby.deserialization.object-mode-json
    rich = JSON.parse(payload, create_additions: true)
    # ok: ruby.deserialization.object-mode-json
    strict = JSON.parse(payload, create_additions: false)
    [obj, data, plain, rich, strict]
  end
end

# Flows from the request to deserialisers.
class SessionsController < ApplicationController
  def restore
    raw = cookies[:prefs]
    # ruleid: ruby.deserialization.tainted-load, ruby.deserialization.marshal-load
    prefs = Marshal.load(Base64.decode64(raw))

    payload = { state: request.body.read, version: "--- {}\n" }
    # ruleid: ruby.deserialization.tainted-load, ruby.deserialization.yaml-load
    state = YAML.unsafe_load(payload[:state])
    # ok: ruby.deserialization.tainted-load, ruleid: ruby.deserialization.yaml-load
    version = YAML.unsafe_load(payload[:version])

    blobs = []
    blobs.push(Marshal.dump({}))
    blobs.push(params[:blob])
    # ruleid: ruby.deserialization.tainted-load, ruby.deserialization.marshal-load
    blob = Marshal.load(blobs[1])
    # ok: ruby.deserialization.tainted-load, ruleid: ruby.deserialization.marshal-load
    empty = Marshal.load(blobs[0])

    cart = cookies[:cart]
    cart = Marshal.dump([])
    # ok: ruby.deserialization.tainted-load, ruleid: ruby.deserialization.marshal-load
    items = Marshal.load(cart)

    legacy = cookies[:legacy]
    if false
      # ok: ruby.deserialization.tainted-load, ruleid: ruby.deserialization.marshal-load
      old = Marshal.load(legacy)
    end

    # ok: ruby.deserialization.tainted-load
    opts = YAML.safe_load(params[:opts])
    # ok: ruby.deserialization.tainted-load
    decoded = JSON.parse(params[:opts])
    [prefs, state, version, blob, empty, items, opts, decoded]
  end

  def receive
    @blob = params[:state]
  end

  def load_state
    # ruleid: ruby.deserialization.tainted-load, ruby.deserialization.marshal-load
    first = Marshal.load(decode_state(params[:state]))
    # ruleid: ruby.deserialization.tainted-load, ruby.deserialization.marshal-load
    [first, Marshal.load(@blob)]
  end

  private

  def decode_state(blob)
    Base64.strict_decode64(blob.reverse)
  end
end
