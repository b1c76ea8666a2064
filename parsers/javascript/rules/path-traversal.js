const fs = require("fs");
const path = require("path");
const express = require("express");

const app = express();
const UPLOAD_DIR = path.join(__dirname, "uploads");

app.get("/download", (req, res) => {
  // ruleid: javascript.path-traversal.request-data-in-path, javascript.path-traversal.tainted-path
  fs.readFile(path.join(UPLOAD_DIR, req.query.file), (err, data) => res.send(data));
});

app.get("/files/:name", (req, res) => {
  // ruleid: javascript.path-traversal.request-data-in-path, javascript.path-traversal.tainted-path
  res.sendFile(__dirname + "/public/" + req.params.name);
});

app.delete("/files/:name", async (req, res) => {
  // ruleid: javascript.path-traversal.request-data-in-path, javascript.path-traversal.tainted-path
  await fs.promises.unlink(`${UPLOAD_DIR}/${req.params.name}`);
  res.sendStatus(204);
});

app.get("/report", (req, res) => {
  const { name } = req.query;
  const reportPath = path.join(__dirname, "reports", name);
  // ruleid: javascript.path-traversal.tainted-path
  const stream = fs.createReadStream(path.join(__dirname, "reports", name));
  stream.pipe(res);
});

app.get("/avatar", (req, res) => {
  const file = req.query.file;
  if (file) {
    // ruleid: javascript.path-traversal.tainted-path
    res.download(UPLOAD_DIR + "/" + file);
  }
});

app.post("/notes", (req, res) => {
  let title = req.body.title;
  // ruleid: javascript.path-traversal.tainted-path
  fs.writeFileSync(`notes/${title}.txt`, req.body.text);
  res.end();
});

app.get("/safe", (req, res) => {
  // ok: javascript.path-traversal.request-data-in-path, javascript.path-traversal.tainted-path
  res.sendFile(req.params.name, { root: path.join(__dirname, "public") });
  // ok: javascript.path-traversal.request-data-in-path, javascript.path-traversal.tainted-path
  fs.readFile(path.join(UPLOAD_DIR, path.basename(req.query.file)), () => {});
  // ok: javascript.path-traversal.request-data-in-path, javascript.path-traversal.tainted-path
  const config = fs.readFileSync(path.join(__dirname, "config.json"), "utf8");
  const name = req.query.name;
  // ok: javascript.path-traversal.tainted-path
  fs.readFile(path.join(UPLOAD_DIR, path.basename(name)), () => {});
  const template = "index.html";
  // ok: javascript.path-traversal.tainted-path
  res.sendFile(path.join(__dirname, template));
  res.json({ config });
});

// Flows followed by the taint analysis.

function attachmentPath(name) {
  return path.join(UPLOAD_DIR, "attachments", name);
}

class ExportJob {
  start(req) {
    this.target = req.body.target;
  }

  write(data) {
    const out = path.resolve("/var/exports", this.target);
    // ruleid: javascript.path-traversal.tainted-path
    fs.writeFileSync(out, data);
  }
}

app.get("/attachments", (req, res) => {
  const file = attachmentPath(req.query.name);
  // ruleid: javascript.path-traversal.tainted-path
  fs.createReadStream(file).pipe(res);
});

app.get("/themes", async (req, res) => {
  const choice = { user: req.query.theme, fallback: "default.css" };
  const userTheme = path.join(__dirname, "themes", choice.user);
  // ruleid: javascript.path-traversal.tainted-path
  const css = await fs.promises.readFile(userTheme, "utf8");
  const fallbackTheme = path.join(__dirname, "themes", choice.fallback);
  // ok: javascript.path-traversal.tainted-path
  const base = await fs.promises.readFile(fallbackTheme, "utf8");
  const segments = ["logs"];
  segments.push(req.query.day);
  const logFile = segments.join("/") + ".log";
  // ruleid: javascript.path-traversal.tainted-path
  const log = fs.readFileSync(logFile, "utf8");
  const logDir = segments[0];
  // ok: javascript.path-traversal.tainted-path
  const listing = fs.readdirSync(logDir);
  res.json({ css, base, log, listing });
});

app.get("/pages/:page", (req, res) => {
  let page = req.params.page;
  page = "index.html";
  const pagePath = path.join(__dirname, "pages", page);
  // ok: javascript.path-traversal.tainted-path
  res.sendFile(pagePath);
  const upload = path.join(UPLOAD_DIR, path.basename(req.query.file));
  // ok: javascript.path-traversal.tainted-path
  fs.unlinkSync(upload);
  let archive = "current.zip";
  if (false) {
    archive = req.query.archive;
  }
  // ok: javascript.path-traversal.tainted-path
  res.download(path.join(__dirname, "archives", archive));
});
