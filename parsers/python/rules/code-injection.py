def handler(request):
    expr = request.args["q"]
    # ruleid: python.code-injection.eval
    eval(expr)
    # ok: python.code-injection.eval
    eval("1 + 1")
