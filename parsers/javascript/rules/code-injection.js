const vm = require("vm");
const express = require("express");
const app = express();

app.post("/calc", (req, res) => {
  const expression = req.body.expression;
  // ruleid: javascript.code-injection.eval
  const result = eval(expression);
  // ruleid: javascript.code-injection.eval
  const other = window.eval("(" + req.body.data + ")");
  // ruleid: javascript.code-injection.function-constructor
  const fn = new Function("a", "b", req.body.formula);
  // ruleid: javascript.code-injection.function-constructor
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
  // ruleid: javascript.code-injection.vm-run
  const out = vm.runInContext(req.body.code, context);
  // ruleid: javascript.code-injection.vm-run
  const script = new vm.Script(req.body.source);
  res.json({ out, script });
});

app.get("/safe", (req, res) => {
  // ok: javascript.code-injection.eval
  const two = eval("1 + 1");
  const code = "Math.max(1, 2)";
  // ok: javascript.code-injection.eval
  const max = eval(code);
  // ok: javascript.code-injection.eval
  const parsed = JSON.parse(req.query.data);
  // ok: javascript.code-injection.eval
  const q = db.collection("items").eval(req.query.x);
  // ok: javascript.code-injection.function-constructor
  const add = new Function("a", "b", "return a + b");
  // ok: javascript.code-injection.string-timer
  setTimeout(() => poll(req.query.id), 1000);
  // ok: javascript.code-injection.string-timer
  setTimeout(poll, 100 * 2);
  // ok: javascript.code-injection.string-timer
  setInterval(tick, interval + 500);
  // ok: javascript.code-injection.vm-run
  const v = vm.runInNewContext("1 + 2", {});
  res.json({ two, max, parsed, q, add, v });
});
