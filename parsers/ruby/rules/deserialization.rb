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
