class CalculatorController < ApplicationController
  def compute
    expression = params[:expr]
    # ruleid: ruby.code-injection.eval, ruby.code-injection.tainted-code
    result = eval(expression)
    # ruleid: ruby.code-injection.eval, ruby.code-injection.tainted-code
    other = eval("#{params[:a]} + #{params[:b]}")
    # ok: ruby.code-injection.eval
    two = eval("1 + 1")
    formula = "2 * 21"
    # ok: ruby.code-injection.eval
    answer = eval(formula)
    # ok: ruby.code-injection.eval
    template.eval(expression)
    # ruleid: ruby.code-injection.eval, ruby.code-injection.tainted-code
    value = binding.eval(params[:code])
    render json: { result: result, other: other, two: two, answer: answer, value: value }
  end

  def configure
    # ruleid: ruby.code-injection.eval-request-data, ruby.code-injection.tainted-code
    widget.instance_eval(params[:script])
    # ok: ruby.code-injection.eval-request-data
    widget.instance_eval { @ready = true }
    # ok: ruby.code-injection.eval-request-data
    Widget.class_eval("def #{attribute}_label; '#{attribute}'; end")
  end

  def dispatch
    # ruleid: ruby.code-injection.unsafe-reflection, ruby.code-injection.tainted-code
    report.send(params[:format])
    # ok: ruby.code-injection.unsafe-reflection
    report.send(:to_csv)
    # ruleid: ruby.code-injection.unsafe-reflection, ruby.code-injection.tainted-code
    klass = params[:type].constantize
    # ok: ruby.code-injection.unsafe-reflection
    klass2 = "Reports::#{kind.camelize}".constantize if ALLOWED.include?(kind)
    # ruleid: ruby.code-injection.unsafe-reflection, ruby.code-injection.tainted-code
    handler = Object.const_get(params[:handler])
    # ok: ruby.code-injection.unsafe-reflection
    handler2 = Object.const_get("Handlers::Default")
    [klass, klass2, handler, handler2]
  end

  def preview
    # ruleid: ruby.code-injection.render-inline, ruby.code-injection.tainted-code
    render inline: params[:template]
  end

  def preview_greeting(name)
    # ruleid: ruby.code-injection.render-inline
    render inline: "<h1>Hello #{name}</h1>"
  end

  def static_preview
    # ok: ruby.code-injection.render-inline
    render inline: "<h1>Hello <%= @user.name %></h1>"
  end
end

# Flows from the request to evaluated code and reflection.
class FormulasController < ApplicationController
  def show
    expr = params[:expr]
    # ruleid: ruby.code-injection.tainted-code, ruby.code-injection.eval
    eval("1 + " + expr)

    settings = { formula: params[:formula], unit: "cm" }
    # ruleid: ruby.code-injection.tainted-code
    Calculator.class_eval(settings[:formula])
    # ok: ruby.code-injection.tainted-code
    Calculator.class_eval("def unit; '#{settings[:unit]}'; end")

    parts = []
    parts.push(:upcase)
    parts.push(params[:filter])
    # ruleid: ruby.code-injection.tainted-code
    "text".public_send(parts[1])
    # ok: ruby.code-injection.tainted-code
    "text".public_send(parts[0])

    count = params[:n].to_i
    # ok: ruby.code-injection.tainted-code, ruleid: ruby.code-injection.eval
    eval("#{count} * 2")

    handler = params[:handler]
    handler = "render_default"
    # ok: ruby.code-injection.tainted-code
    send(handler)

    code = params[:code]
    if false
      # ok: ruby.code-injection.tainted-code, ruleid: ruby.code-injection.eval
      eval(code)
    end
  end

  def choose
    @kind = params[:kind]
  end

  def build
    # ruleid: ruby.code-injection.tainted-code
    klass = class_name(params[:kind]).constantize
    # ruleid: ruby.code-injection.tainted-code
    other = Object.const_get(@kind)
    [klass, other]
  end

  private

  def class_name(kind)
    "Reports::#{kind.camelize}"
  end
end

class SslSettings
  def configure(params = {})
    params = DEFAULTS.merge(params)
    # ok: ruby.code-injection.tainted-code
    params.each { |name, value| __send__("#{name}=", value) }
  end

  def evaluate(options)
    # ok: ruby.code-injection.tainted-code
    instance_eval(&options)
  end
end
