const express = require("express");
const app = express();

app.get("/hello", (req, res) => {
  // ruleid: javascript.xss.response-reflects-input
  res.send("<h1>Hello " + req.query.name + "</h1>");
});

app.get("/echo", (req, res) => {
  // ruleid: javascript.xss.response-reflects-input
  res.send(req.query.message);
});

app.get("/card/:id", (req, res) => {
  res.write("<html><body>");
  // ruleid: javascript.xss.response-reflects-input
  res.write(`<div class="card">${req.params.id}</div>`);
  // ok: javascript.xss.response-reflects-input
  res.end("</body></html>");
});

app.get("/safe", (req, res) => {
  // ok: javascript.xss.response-reflects-input
  res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1>`);
  // ok: javascript.xss.response-reflects-input
  res.json({ name: req.query.name });
  // ok: javascript.xss.response-reflects-input
  res.send("<p>Saved</p>");
  // ok: javascript.xss.response-reflects-input
  res.send(req.body);
  // ok: javascript.xss.response-reflects-input
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
  // ok: javascript.xss.inner-html
  box.innerHTML = "";
  // ok: javascript.xss.inner-html
  box.innerHTML = "<p class=\"empty\">No comments yet</p>";
  // ok: javascript.xss.inner-html
  box.innerHTML = DOMPurify.sanitize(comment.body);
  // ok: javascript.xss.inner-html
  box.textContent = comment.body;
}

function renderSearch() {
  const q = new URLSearchParams(location.search).get("q");
  // ruleid: javascript.xss.document-write
  document.write("<p>Results for " + q + "</p>");
  // ruleid: javascript.xss.document-write
  document.body.insertAdjacentHTML("beforeend", `<li>${q}</li>`);
  // ok: javascript.xss.document-write
  document.write("<script src=\"/analytics.js\"></script>");
  // ok: javascript.xss.document-write
  document.body.insertAdjacentHTML("beforeend", "<hr>");
  // ok: javascript.xss.document-write
  document.body.insertAdjacentText("beforeend", q);

  // ruleid: javascript.xss.jquery-html-concatenation
  $("#results").html("<span>" + q + "</span>");
  // ruleid: javascript.xss.jquery-html-concatenation
  $("ul.list").append(`<li class="item">${q}</li>`);
  // ok: javascript.xss.jquery-html-concatenation
  $("#results").text("Results for " + q);
  // ok: javascript.xss.jquery-html-concatenation
  $("#results").html("<span>loading</span>");
  // ok: javascript.xss.jquery-html-concatenation
  $("#count").html(total + 1);
  // ok: javascript.xss.jquery-html-concatenation
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
