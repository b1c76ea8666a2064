const { exec, execSync, spawn, execFile } = require("child_process");
const child_process = require("child_process");
const express = require("express");

const app = express();

app.get("/ping", (req, res) => {
  const host = req.query.host;
  // ruleid: javascript.command-injection.child-process-exec, javascript.command-injection.tainted-command
  exec("ping -c 1 " + host, (err, stdout) => res.send(stdout));
});

app.get("/convert", (req, res) => {
  const cmd = `convert uploads/${req.query.file} -resize 200x200 out.png`;
  // ruleid: javascript.command-injection.child-process-exec, javascript.command-injection.tainted-command
  child_process.execSync(cmd);
  // ruleid: javascript.command-injection.child-process-exec, javascript.command-injection.tainted-command
  require("child_process").exec(`tar czf backup.tgz ${req.body.dir}`);
  res.end();
});

function gitLog(branch) {
  // ruleid: javascript.command-injection.child-process-exec
  return execSync(`git log --oneline ${branch}`).toString();
}

app.post("/run", (req, res) => {
  // ruleid: javascript.command-injection.spawn-shell, javascript.command-injection.tainted-command
  const proc = spawn(req.body.command, { shell: true });
  // ruleid: javascript.command-injection.spawn-shell, javascript.command-injection.tainted-command
  spawn("sh", ["-c", "grep " + req.body.pattern + " /var/log/app.log"]);
  // ruleid: javascript.command-injection.spawn-shell, javascript.command-injection.tainted-command
  child_process.spawnSync("/bin/bash", ["-c", req.body.script]);
  proc.stdout.pipe(res);
});

app.get("/safe", (req, res) => {
  // ok: javascript.command-injection.child-process-exec, javascript.command-injection.tainted-command
  exec("uptime", (err, out) => res.send(out));
  // ok: javascript.command-injection.child-process-exec, javascript.command-injection.tainted-command
  const version = execSync(`git rev-parse HEAD`).toString();
  const cmd = "df -h";
  // ok: javascript.command-injection.child-process-exec, javascript.command-injection.tainted-command
  child_process.exec(cmd);
  // ok: javascript.command-injection.spawn-shell, javascript.command-injection.tainted-command
  execFile("ping", ["-c", "1", req.query.host], (err, out) => res.send(out));
  // ok: javascript.command-injection.spawn-shell, javascript.command-injection.tainted-command
  spawn("ls", ["-la", req.query.dir]);
  // ok: javascript.command-injection.spawn-shell, javascript.command-injection.tainted-command
  spawn("npm", ["run", "build"], { shell: true });
  // ok: javascript.command-injection.spawn-shell, javascript.command-injection.tainted-command
  spawn("sh", ["-c", "npm ci && npm run build"]);
  const match = /^(\d+)-(\w+)$/;
  // ok: javascript.command-injection.child-process-exec, javascript.command-injection.tainted-command
  const parts = match.exec(req.query.id);
  res.json({ version, parts });
});

// Flows followed by the taint analysis.

function archiveCommand(dir) {
  return "tar czf /tmp/archive.tgz " + dir;
}

class Thumbnailer {
  configure(req) {
    this.size = req.body.size;
  }

  render(file) {
    const command = "convert " + file + " -resize " + this.size + " thumb.png";
    // ruleid: javascript.command-injection.tainted-command, javascript.command-injection.child-process-exec
    return execSync(command);
  }
}

app.post("/archive", (req, res) => {
  const cmd = archiveCommand(req.body.dir);
  // ruleid: javascript.command-injection.tainted-command, javascript.command-injection.child-process-exec
  exec(cmd, (err) => res.sendStatus(err ? 500 : 201));
});

app.post("/tools", (req, res) => {
  const opts = { target: req.body.target, mode: "fast" };
  const line = `nmap -T4 ${opts.target}`;
  // ruleid: javascript.command-injection.tainted-command, javascript.command-injection.child-process-exec
  child_process.exec(line);
  const quick = "nmap --mode " + opts.mode;
  // ruleid: javascript.command-injection.child-process-exec; ok: javascript.command-injection.tainted-command
  child_process.exec(quick);
  const argv = ["git", "clone"];
  argv.push(req.body.repo);
  const cloneCmd = argv.join(" ");
  // ruleid: javascript.command-injection.tainted-command, javascript.command-injection.child-process-exec
  execSync(cloneCmd);
  const first = argv[0] + " --version";
  // ruleid: javascript.command-injection.child-process-exec; ok: javascript.command-injection.tainted-command
  execSync(first);
  // ruleid: javascript.command-injection.tainted-command, javascript.command-injection.spawn-shell
  spawn("bash", ["-c", "ls " + req.query.path]);
  res.end();
});

app.get("/lookup", (req, res) => {
  let domain = req.query.domain;
  domain = "example.com";
  const lookup = "dig +short " + domain;
  // ok: javascript.command-injection.tainted-command
  exec(lookup, (err, out) => res.send(out));
  const count = parseInt(req.query.count, 10);
  const pinger = "ping -c " + count + " 127.0.0.1";
  // ruleid: javascript.command-injection.child-process-exec; ok: javascript.command-injection.tainted-command
  exec(pinger);
  const quoted = "whois " + shellEscape([req.query.name]);
  // ruleid: javascript.command-injection.child-process-exec; ok: javascript.command-injection.tainted-command
  exec(quoted);
  let extra = "";
  if (false) {
    extra = req.query.flags;
  }
  const listing = "ls -la " + extra;
  // ruleid: javascript.command-injection.child-process-exec; ok: javascript.command-injection.tainted-command
  exec(listing);
  // ok: javascript.command-injection.tainted-command
  execFile("dig", ["+short", req.query.domain], (err, out) => res.send(out));
});
