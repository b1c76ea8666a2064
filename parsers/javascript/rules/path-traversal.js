const fs = require("fs");
const path = require("path");
const express = require("express");

const app = express();
const UPLOAD_DIR = path.join(__dirname, "uploads");

app.get("/download", (req, res) => {
  // ruleid: javascript.path-traversal.request-data-in-path
  fs.readFile(path.join(UPLOAD_DIR, req.query.file), (err, data) => res.send(data));
});

app.get("/files/:name", (req, res) => {
  // ruleid: javascript.path-traversal.request-data-in-path
  res.sendFile(__dirname + "/public/" + req.params.name);
});

app.delete("/files/:name", async (req, res) => {
  // ruleid: javascript.path-traversal.request-data-in-path
  await fs.promises.unlink(`${UPLOAD_DIR}/${req.params.name}`);
  res.sendStatus(204);
});

app.get("/report", (req, res) => {
  const { name } = req.query;
  const reportPath = path.join(__dirname, "reports", name);
  // todoruleid: javascript.path-traversal.request-data-in-path-variable
  const stream = fs.createReadStream(path.join(__dirname, "reports", name));
  stream.pipe(res);
});

app.get("/avatar", (req, res) => {
  const file = req.query.file;
  if (file) {
    // todoruleid: javascript.path-traversal.request-data-in-path-variable
    res.download(UPLOAD_DIR + "/" + file);
  }
});

app.post("/notes", (req, res) => {
  let title = req.body.title;
  // todoruleid: javascript.path-traversal.request-data-in-path-variable
  fs.writeFileSync(`notes/${title}.txt`, req.body.text);
  res.end();
});

app.get("/safe", (req, res) => {
  // ok: javascript.path-traversal.request-data-in-path
  res.sendFile(req.params.name, { root: path.join(__dirname, "public") });
  // ok: javascript.path-traversal.request-data-in-path
  fs.readFile(path.join(UPLOAD_DIR, path.basename(req.query.file)), () => {});
  // ok: javascript.path-traversal.request-data-in-path
  const config = fs.readFileSync(path.join(__dirname, "config.json"), "utf8");
  const name = req.query.name;
  // ok: javascript.path-traversal.request-data-in-path-variable
  fs.readFile(path.join(UPLOAD_DIR, path.basename(name)), () => {});
  const template = "index.html";
  // ok: javascript.path-traversal.request-data-in-path-variable
  res.sendFile(path.join(__dirname, template));
  res.json({ config });
});
