// Fixtures for javascript.yaml in TSX (checked against semgrep 1.180, see javascript.js).
export function C(p: { h: string }) {
  // ruleid: kit.js-math-random
  const n = Math.random();
  // ruleid: kit.js-innerhtml-assign
  document.body.innerHTML = p.h;
  // ok: kit.js-innerhtml-assign
  document.body.innerHTML = "<p>static</p>";
  // ok: kit.js-eval-nonliteral
  const fixed = <span>{eval("1")}</span>;
  // ruleid: kit.js-eval-nonliteral
  return <div data-n={n}>{eval(p.h)}{fixed}</div>;
}
