// Fixtures for javascript.yaml. Each annotated line was checked against semgrep 1.180 with the
// kit's security.yml: ruleid lines are semgrep findings, ok lines are not.
const cp = require("child_process");

function code(userInput, args, user) {
  // ruleid: kit.js-eval-nonliteral
  eval(userInput);
  // ruleid: kit.js-eval-nonliteral
  eval(`a${user}`);
  // ruleid: kit.js-eval-nonliteral
  eval("a" + user);
  // ruleid: kit.js-eval-nonliteral
  eval(...args);
  // ruleid: kit.js-eval-nonliteral
  (eval)(user);
  // ruleid: kit.js-eval-nonliteral
  eval(1);
  // ruleid: kit.js-eval-nonliteral
  eval(null);
  // ok: kit.js-eval-nonliteral
  eval("1+1");
  // ok: kit.js-eval-nonliteral
  eval('abc');
  // ok: kit.js-eval-nonliteral
  eval(`abc`);
  // ok: kit.js-eval-nonliteral
  eval("a" + "b");
  // ok: kit.js-eval-nonliteral
  eval(user, 2);
  // ok: kit.js-eval-nonliteral
  eval();
  // ok: kit.js-eval-nonliteral
  window.eval(user);
  const x = "abc";
  // ok: kit.js-eval-nonliteral
  eval(x);
}

function commands(cmd, re, str, a) {
  // ruleid: kit.js-child-process-exec
  require('child_process').exec(cmd);
  // ruleid: kit.js-child-process-exec
  require("child_process").execSync(cmd);
  // ruleid: kit.js-child-process-exec
  require(`child_process`).exec(cmd);
  // ruleid: kit.js-child-process-exec
  child_process.execSync(cmd);
  // ruleid: kit.js-child-process-exec
  child_process.exec("ls");
  // ruleid: kit.js-child-process-exec
  child_process.exec?.(cmd);
  // ok: kit.js-child-process-exec
  child_process?.exec(cmd);
  // ok: kit.js-child-process-exec
  child_process.execFile(cmd);
  // ok: kit.js-child-process-exec
  a.child_process.exec(cmd);
  // ok: kit.js-child-process-exec
  require("os").exec(cmd);
  // ok: kit.js-child-process-exec
  re.exec(str);
}

function dom(el, html, more, user, a) {
  // ruleid: kit.js-innerhtml-assign
  el.innerHTML = html;
  // ruleid: kit.js-innerhtml-assign
  el.innerHTML += more;
  // ruleid: kit.js-innerhtml-assign
  el.innerHTML = `x${user}`;
  // ruleid: kit.js-innerhtml-assign
  a.b.innerHTML = user;
  // ruleid: kit.js-innerhtml-assign
  this.innerHTML = user;
  // ruleid: kit.js-innerhtml-assign
  el.innerHTML ||= user;
  // ruleid: kit.js-innerhtml-assign
  el.innerHTML = 5;
  // ruleid: kit.js-innerhtml-assign
  el.innerHTML = null;
  // ruleid: kit.js-innerhtml-assign
  el.innerHTML = a = "x";
  // ok: kit.js-innerhtml-assign
  el.innerHTML = "<b>x</b>";
  // ok: kit.js-innerhtml-assign
  el.innerHTML = `x`;
  // ok: kit.js-innerhtml-assign
  el.innerHTML += "x";
  // ok: kit.js-innerhtml-assign
  el.innerHTML = "a" + "b";
  // ok: kit.js-innerhtml-assign
  el["innerHTML"] = user;
  // ok: kit.js-innerhtml-assign
  el.outerHTML = user;
  const h = "x";
  // ok: kit.js-innerhtml-assign
  el.innerHTML = h;
}

function random(M) {
  // ruleid: kit.js-math-random
  const r = Math.random();
  // ruleid: kit.js-math-random
  const s = Math.random?.();
  // ok: kit.js-math-random
  Math.random(1);
  // ok: kit.js-math-random
  const f = Math.random;
  // ok: kit.js-math-random
  window.Math.random();
  // ok: kit.js-math-random
  Math?.random();
  // ok: kit.js-math-random
  M.random();
  return [r, s, f];
}
