const express = require("express");
const app = express();

app.get("/hello", (req, res) => {
  // ruleid: javascript.xss.response-reflects-input, javascript.xss.tainted-html
  res.send("<h1>Hello " + req.query.name + "</h1>");
});

app.get("/echo", (req, res) => {
  // ruleid: javascript.xss.response-reflects-input, javascript.xss.tainted-html
  res.send(req.query.message);
});

app.get("/card/:id", (req, res) => {
  res.write("<html><body>");
  // ruleid: javascript.xss.response-reflects-input, javascript.xss.tainted-html
  res.write(`<div class="card">${req.params.id}</div>`);
  // ok: javascript.xss.response-reflects-input, javascript.xss.tainted-html
  res.end("</body></html>");
});

app.get("/safe", (req, res) => {
  // ok: javascript.xss.response-reflects-input, javascript.xss.tainted-html
  res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1>`);
  // ok: javascript.xss.response-reflects-input, javascript.xss.tainted-html
  res.json({ name: req.query.name });
  // ok: javascript.xss.response-reflects-input, javascript.xss.tainted-html
  res.send("<p>Saved</p>");
  // ruleid: javascript.xss.tainted-html
  res.send(req.body);
  // ok: javascript.xss.response-reflects-input, javascript.xss.tainted-html
  res.render("hello", { name: req.query.name });
});

function showComment(comment) {
  const box = document.getElementById("comments");
  // ruleid: javascript.xss.inner-html
  box.innerHTML = "<p>" + comment.body + "</p>";
  // ruleid: javascript.xss.inner-html
  box.innerHTML += comment.footer;
  // ruleid: javascript.xss.inner-html
  document.querySelector("#title").outerHTML = `<h2>${comment.title}</h2>`;
  // ok: javascript.xss.inner-html, javascript.xss.tainted-html
  box.innerHTML = "";
  // ok: javascript.xss.inner-html, javascript.xss.tainted-html
  box.innerHTML = "<p class=\"empty\">No comments yet</p>";
  // ok: javascript.xss.inner-html, javascript.xss.tainted-html
  box.innerHTML = DOMPurify.sanitize(comment.body);
  // ok: javascript.xss.inner-html, javascript.xss.tainted-html
  box.textContent = comment.body;
}

function renderSearch() {
  const q = new URLSearchParams(location.search).get("q");
  // ruleid: javascript.xss.document-write, javascript.xss.tainted-html
  document.write("<p>Results for " + q + "</p>");
  // ruleid: javascript.xss.document-write, javascript.xss.tainted-html
  document.body.insertAdjacentHTML("beforeend", `<li>${q}</li>`);
  // ok: javascript.xss.document-write, javascript.xss.tainted-html
  document.write("<script src=\"/analytics.js\"></script>");
  // ok: javascript.xss.document-write, javascript.xss.tainted-html
  document.body.insertAdjacentHTML("beforeend", "<hr>");
  // ok: javascript.xss.document-write, javascript.xss.tainted-html
  document.body.insertAdjacentText("beforeend", q);

  // ruleid: javascript.xss.jquery-html-concatenation, javascript.xss.tainted-html
  $("#results").html("<span>" + q + "</span>");
  // ruleid: javascript.xss.jquery-html-concatenation, javascript.xss.tainted-html
  $("ul.list").append(`<li class="item">${q}</li>`);
  // ok: javascript.xss.jquery-html-concatenation, javascript.xss.tainted-html
  $("#results").text("Results for " + q);
  // ok: javascript.xss.jquery-html-concatenation, javascript.xss.tainted-html
  $("#results").html("<span>loading</span>");
  // ok: javascript.xss.jquery-html-concatenation, javascript.xss.tainted-html
  $("#count").html(total + 1);
  // ok: javascript.xss.jquery-html-concatenation, javascript.xss.tainted-html
  $("ul.list").append(`<li>${escapeHtml(q)}</li>`);
}

function Comment({ comment }) {
  return (
    <div>
      <div
        // ruleid: javascript.xss.react-dangerously-set-inner-html
        dangerouslySetInnerHTML={{ __html: comment.html }} />
      <div
        // ok: javascript.xss.react-dangerously-set-inner-html
        dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(comment.html) }} />
      <div
        // ok: javascript.xss.react-dangerously-set-inner-html
        dangerouslySetInnerHTML={{ __html: "&copy; 2024 Example Inc." }} />
      <div>{comment.html}</div>
    </div>
  );
}

// Flows followed by the taint analysis.

function greeting(name) {
  return `<p>Welcome back, ${name}!</p>`;
}

class ProfilePage {
  load(req) {
    this.bio = req.body.bio;
  }

  render(res) {
    const html = "<section class=\"bio\">" + this.bio + "</section>";
    // ruleid: javascript.xss.tainted-html
    res.send(html);
  }
}

app.get("/welcome", (req, res) => {
  const page = greeting(req.query.user);
  // ruleid: javascript.xss.tainted-html
  res.status(200).send(page);
});

app.get("/board", (req, res) => {
  const view = { title: req.query.title, footer: "<footer>Board</footer>" };
  const head = `<h1>${view.title}</h1>`;
  // ruleid: javascript.xss.tainted-html
  res.write(head);
  const foot = view.footer;
  // ok: javascript.xss.tainted-html
  res.write(foot);
  const rows = ["<table>"];
  rows.push("<tr><td>" + req.query.cell + "</td></tr>");
  rows.push("</table>");
  const table = rows.join("\n");
  // ruleid: javascript.xss.tainted-html
  res.write(table);
  const opening = rows[0];
  // ok: javascript.xss.tainted-html
  res.end(opening);
});

app.get("/notice", (req, res) => {
  let text = req.query.text;
  text = "Maintenance tonight";
  const notice = "<p>" + text + "</p>";
  // ok: javascript.xss.tainted-html
  res.send(notice);
  const safe = "<p>" + escapeHtml(req.query.text) + "</p>";
  // ok: javascript.xss.tainted-html
  res.send(safe);
  let banner = "";
  if (false) {
    banner = req.query.banner;
  }
  const page = "<div>" + banner + "</div>";
  // ok: javascript.xss.tainted-html
  res.send(page);
  // ok: javascript.xss.tainted-html
  res.render("notice", { text: req.query.text });
});

function showSearchTerm() {
  const params = new URLSearchParams(window.location.search);
  const term = params.get("term");
  const label = document.getElementById("label");
  const message = `Results for <b>${term}</b>`;
  // ruleid: javascript.xss.tainted-html, javascript.xss.inner-html
  label.innerHTML = message;
  // ok: javascript.xss.tainted-html
  label.textContent = term;
  const anchor = decodeURIComponent(location.hash.slice(1));
  // ruleid: javascript.xss.tainted-html, javascript.xss.jquery-html-concatenation
  $("#anchor").html("<a name=\"" + anchor + "\"></a>");
  const clean = DOMPurify.sanitize(anchor);
  const fragment = "<div>" + clean + "</div>";
  // ruleid: javascript.xss.inner-html; ok: javascript.xss.tainted-html
  label.innerHTML = fragment;
}

const Koa = require("koa");
const http = require("http");
const koa = new Koa();

koa.use(async (ctx) => {
  const who = ctx.query.who || "guest";
  // ruleid: javascript.xss.tainted-html
  ctx.body = `<h1>Hello ${who}</h1>`;
  const theme = ctx.request.body.theme;
  // ruleid: javascript.xss.tainted-html
  ctx.body = "<body class=\"" + theme + "\"></body>";
  // ok: javascript.xss.tainted-html
  ctx.body = { who, theme };
});

http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  const page = url.searchParams.get("page");
  res.writeHead(200, { "Content-Type": "text/html" });
  // ruleid: javascript.xss.tainted-html, javascript.xss.response-reflects-input
  res.end("<p>Page " + page + " not found</p>");
}).listen(8080);
