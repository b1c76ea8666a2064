import ast
import json

import jinja2
from flask import Flask, render_template_string, request

app = Flask(__name__)
env = jinja2.Environment(autoescape=True)

GREETING_TEMPLATE = "<p>Hello {{ name }}</p>"


@app.route("/calc")
def calculate():
    expr = request.args["q"]
    # ruleid: python.code-injection.eval, python.code-injection.tainted-eval
    result = eval(expr)
    # ruleid: python.code-injection.eval, python.code-injection.tainted-eval
    exec("handler_" + request.args.get("action") + "()")
    # ok: python.code-injection.eval
    total = eval("1 + 1")
    # ok: python.code-injection.eval
    parsed = ast.literal_eval(expr)
    # ok: python.code-injection.eval
    data = json.loads(expr)
    return str((result, total, parsed, data))


def configure(model):
    # ok: python.code-injection.eval
    model.eval()
    code = "import sys"
    # ok: python.code-injection.eval
    exec(code)


@app.route("/hello")
def hello():
    name = request.args.get("name", "guest")
    page = "<h1>Hello " + name + "</h1>"
    # ruleid: python.code-injection.template-from-input
    return render_template_string(page)


@app.route("/hello2")
def hello2():
    # ruleid: python.code-injection.template-from-input
    tpl = jinja2.Template(request.form["template"])
    # ruleid: python.code-injection.template-from-input
    other = env.from_string(request.form["body"])
    return tpl.render() + other.render()


@app.route("/hello3")
def hello3():
    name = request.args.get("name", "guest")
    # ok: python.code-injection.template-from-input
    first = render_template_string(GREETING_TEMPLATE, name=name)
    # ok: python.code-injection.template-from-input
    second = render_template_string("<p>Hello {{ name }}</p>", name=name)
    template = "<p>Bye {{ name }}</p>"
    # ok: python.code-injection.template-from-input
    third = render_template_string(template, name=name)
    return first + second + third


# Taint: request data into eval.
def unwrap(payload):
    return payload.strip()


@app.route("/formula")
def formula():
    raw = request.args.get("f", "")
    # ruleid: python.code-injection.eval, python.code-injection.tainted-eval
    value = eval(unwrap(raw))
    steps = []
    steps.append("1 + 1")
    steps.append(raw)
    # ruleid: python.code-injection.eval; ok: python.code-injection.tainted-eval
    first = eval(steps[0])
    # ruleid: python.code-injection.eval, python.code-injection.tainted-eval
    second = eval(steps.pop())
    n = int(raw)
    # ruleid: python.code-injection.eval; ok: python.code-injection.tainted-eval
    third = eval("%d * 2" % n)
    raw = "0"
    # ok: python.code-injection.eval, python.code-injection.tainted-eval
    fourth = eval(raw)
    if 1 > 2:
        # ruleid: python.code-injection.eval; ok: python.code-injection.tainted-eval
        eval(request.args["g"])
    ctx = {"expr": request.args["e"], "default": "0"}
    # ruleid: python.code-injection.eval; ok: python.code-injection.tainted-eval
    fifth = eval(ctx["default"])
    return str((value, first, second, third, fourth, fifth))
