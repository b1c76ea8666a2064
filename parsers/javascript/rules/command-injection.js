const { exec, execSync, spawn, execFile } = require("child_process");
const child_process = require("child_process");
const express = require("express");

const app = express();

app.get("/ping", (req, res) => {
  const host = req.query.host;
  // ruleid: javascript.command-injection.child-process-exec
  exec("ping -c 1 " + host, (err, stdout) => res.send(stdout));
});

app.get("/convert", (req, res) => {
  const cmd = `convert uploads/${req.query.file} -resize 200x200 out.png`;
  // ruleid: javascript.command-injection.child-process-exec
  child_process.execSync(cmd);
  // ruleid: javascript.command-injection.child-process-exec
  require("child_process").exec(`tar czf backup.tgz ${req.body.dir}`);
  res.end();
});

function gitLog(branch) {
  // ruleid: javascript.command-injection.child-process-exec
  return execSync(`git log --oneline ${branch}`).toString();
}

app.post("/run", (req, res) => {
  // ruleid: javascript.command-injection.spawn-shell
  const proc = spawn(req.body.command, { shell: true });
  // ruleid: javascript.command-injection.spawn-shell
  spawn("sh", ["-c", "grep " + req.body.pattern + " /var/log/app.log"]);
  // ruleid: javascript.command-injection.spawn-shell
  child_process.spawnSync("/bin/bash", ["-c", req.body.script]);
  proc.stdout.pipe(res);
});

app.get("/safe", (req, res) => {
  // ok: javascript.command-injection.child-process-exec
  exec("uptime", (err, out) => res.send(out));
  // ok: javascript.command-injection.child-process-exec
  const version = execSync(`git rev-parse HEAD`).toString();
  const cmd = "df -h";
  // ok: javascript.command-injection.child-process-exec
  child_process.exec(cmd);
  // ok: javascript.command-injection.spawn-shell
  execFile("ping", ["-c", "1", req.query.host], (err, out) => res.send(out));
  // ok: javascript.command-injection.spawn-shell
  spawn("ls", ["-la", req.query.dir]);
  // ok: javascript.command-injection.spawn-shell
  spawn("npm", ["run", "build"], { shell: true });
  // ok: javascript.command-injection.spawn-shell
  spawn("sh", ["-c", "npm ci && npm run build"]);
  const match = /^(\d+)-(\w+)$/;
  // ok: javascript.command-injection.child-process-exec
  const parts = match.exec(req.query.id);
  res.json({ version, parts });
});
