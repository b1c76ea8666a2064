const vm = require("vm");
const express = require("express");
const app = express();

app.post("/calc", (req, res) => {
  const expression = req.body.expression;
  // ruleid: javascript.code-injection.eval, javascript.code-injection.tainted-code
  const result = eval(expression);
  // ruleid: javascript.code-injection.eval, javascript.code-injection.tainted-code
  const other = window.eval("(" + req.body.data + ")");
  // ruleid: javascript.code-injection.function-constructor, javascript.code-injection.tainted-code
  const fn = new Function("a", "b", req.body.formula);
  // ruleid: javascript.code-injection.function-constructor, javascript.code-injection.tainted-code
  const g = Function(`return ${req.query.expr}`);
  res.json({ result, other, value: fn(1, 2), g });
});

function schedule(action, delay) {
  // ruleid: javascript.code-injection.string-timer
  setTimeout("run('" + action + "')", delay);
  // ruleid: javascript.code-injection.string-timer
  window.setInterval(`refresh(${action})`, 1000);
}

app.post("/sandbox", (req, res) => {
  const context = vm.createContext({});
  // ruleid: javascript.code-injection.vm-run, javascript.code-injection.tainted-code
  const out = vm.runInContext(req.body.code, context);
  // ruleid: javascript.code-injection.vm-run, javascript.code-injection.tainted-code
  const script = new vm.Script(req.body.source);
  res.json({ out, script });
});

app.get("/safe", (req, res) => {
  // ok: javascript.code-injection.eval, javascript.code-injection.tainted-code
  const two = eval("1 + 1");
  const code = "Math.max(1, 2)";
  // ok: javascript.code-injection.eval, javascript.code-injection.tainted-code
  const max = eval(code);
  // ok: javascript.code-injection.eval, javascript.code-injection.tainted-code
  const parsed = JSON.parse(req.query.data);
  // ok: javascript.code-injection.eval, javascript.code-injection.tainted-code
  const q = db.collection("items").eval(req.query.x);
  // ok: javascript.code-injection.function-constructor, javascript.code-injection.tainted-code
  const add = new Function("a", "b", "return a + b");
  // ok: javascript.code-injection.string-timer, javascript.code-injection.tainted-code
  setTimeout(() => poll(req.query.id), 1000);
  // ok: javascript.code-injection.string-timer, javascript.code-injection.tainted-code
  setTimeout(poll, 100 * 2);
  // ok: javascript.code-injection.string-timer, javascript.code-injection.tainted-code
  setInterval(tick, interval + 500);
  // ok: javascript.code-injection.vm-run, javascript.code-injection.tainted-code
  const v = vm.runInNewContext("1 + 2", {});
  res.json({ two, max, parsed, q, add, v });
});

// Flows followed by the taint analysis.

function wrap(body) {
  return "(function () { return " + body + "; })()";
}

class RuleEngine {
  load(req) {
    this.condition = req.body.condition;
  }

  test() {
    // ruleid: javascript.code-injection.tainted-code, javascript.code-injection.eval
    return eval(this.condition);
  }
}

app.post("/formula", (req, res) => {
  const source = wrap(req.body.formula);
  // ruleid: javascript.code-injection.tainted-code, javascript.code-injection.eval
  const value = eval(source);
  const scripts = { user: req.body.script, builtin: "1 + 1" };
  // ruleid: javascript.code-injection.tainted-code, javascript.code-injection.vm-run
  const a = vm.runInNewContext(scripts.user, {});
  // ruleid: javascript.code-injection.vm-run; ok: javascript.code-injection.tainted-code
  const b = vm.runInNewContext(scripts.builtin, {});
  const lines = ["'use strict'"];
  lines.push(req.body.line);
  // ruleid: javascript.code-injection.tainted-code, javascript.code-injection.function-constructor
  const c = new Function(lines.join(";"));
  // ruleid: javascript.code-injection.function-constructor; ok: javascript.code-injection.tainted-code
  const d = new Function(lines[0]);
  res.json({ value, a, b, c: c(), d: d() });
});

app.get("/timer", (req, res) => {
  let callback = req.query.callback;
  callback = "refresh()";
  // ok: javascript.code-injection.tainted-code
  setTimeout(callback, 100);
  const n = Number(req.query.n);
  // ruleid: javascript.code-injection.eval; ok: javascript.code-injection.tainted-code
  const doubled = eval(`${n} * 2`);
  let expr = "0";
  if (false) {
    expr = req.query.expr;
  }
  // ruleid: javascript.code-injection.eval; ok: javascript.code-injection.tainted-code
  const zero = eval(expr);
  // ok: javascript.code-injection.tainted-code
  const fn = new Function("x", "return x * 2")(req.query.x);
  res.json({ doubled, zero, fn });
});
