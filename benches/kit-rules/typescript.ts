// Fixtures for javascript.yaml in TypeScript (checked against semgrep 1.180, see javascript.js).
import { execSync } from "node:child_process";

export function run(userInput: string, el: HTMLElement, cmd: string): number {
  // ruleid: kit.js-eval-nonliteral
  eval(userInput as string);
  // ok: kit.js-eval-nonliteral
  eval("1+1");
  // ruleid: kit.js-child-process-exec
  require("child_process").exec(cmd);
  // ok: kit.js-child-process-exec
  execSync(cmd);
  // ruleid: kit.js-innerhtml-assign
  el.innerHTML = userInput!;
  // ok: kit.js-innerhtml-assign
  el.innerHTML = "<b>x</b>";
  // ruleid: kit.js-math-random
  const n: number = Math.random();
  // ok: kit.js-math-random
  const m: number = Math.floor(n);
  return m;
}
