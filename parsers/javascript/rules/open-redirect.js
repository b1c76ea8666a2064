const express = require("express");
const app = express();

app.get("/login/callback", (req, res) => {
  // ruleid: javascript.open-redirect.request-data-in-redirect
  res.redirect(req.query.returnTo);
});

app.get("/out", (req, res) => {
  // ruleid: javascript.open-redirect.request-data-in-redirect
  res.redirect(301, req.query.url);
});

app.post("/session", (req, res) => {
  const next = req.body.next;
  createSession(req, res);
  // todoruleid: javascript.open-redirect.request-data-in-redirect-variable
  return res.redirect(next);
});

app.get("/go", (req, res) => {
  const { target } = req.query;
  if (target) {
    // todoruleid: javascript.open-redirect.request-data-in-redirect-variable
    res.redirect(`${target}?ref=home`);
  }
});

app.get("/safe", (req, res) => {
  // ok: javascript.open-redirect.request-data-in-redirect
  res.redirect("/login?next=" + encodeURIComponent(req.originalUrl));
  // ok: javascript.open-redirect.request-data-in-redirect
  res.redirect(`/users/${req.params.id}`);
  // ok: javascript.open-redirect.request-data-in-redirect
  res.redirect("/dashboard");
  const page = req.query.page;
  // ok: javascript.open-redirect.request-data-in-redirect-variable
  res.redirect("/docs/" + page);
  const dest = ALLOWED_REDIRECTS[req.query.to] || "/";
  // ok: javascript.open-redirect.request-data-in-redirect-variable
  res.redirect(dest);
});
