const express = require("express");
const app = express();

app.get("/login/callback", (req, res) => {
  // ruleid: javascript.open-redirect.request-data-in-redirect, javascript.open-redirect.tainted-redirect
  res.redirect(req.query.returnTo);
});

app.get("/out", (req, res) => {
  // ruleid: javascript.open-redirect.request-data-in-redirect, javascript.open-redirect.tainted-redirect
  res.redirect(301, req.query.url);
});

app.post("/session", (req, res) => {
  const next = req.body.next;
  createSession(req, res);
  // ruleid: javascript.open-redirect.tainted-redirect
  return res.redirect(next);
});

app.get("/go", (req, res) => {
  const { target } = req.query;
  if (target) {
    // ruleid: javascript.open-redirect.tainted-redirect
    res.redirect(`${target}?ref=home`);
  }
});

app.get("/safe", (req, res) => {
  // ok: javascript.open-redirect.request-data-in-redirect, javascript.open-redirect.tainted-redirect
  res.redirect("/login?next=" + encodeURIComponent(req.originalUrl));
  // ok: javascript.open-redirect.request-data-in-redirect, javascript.open-redirect.tainted-redirect
  res.redirect(`/users/${req.params.id}`);
  // ok: javascript.open-redirect.request-data-in-redirect, javascript.open-redirect.tainted-redirect
  res.redirect("/dashboard");
  const page = req.query.page;
  // ok: javascript.open-redirect.tainted-redirect
  res.redirect("/docs/" + page);
  const dest = ALLOWED_REDIRECTS[req.query.to] || "/";
  // ok: javascript.open-redirect.tainted-redirect
  res.redirect(dest);
});

// Flows followed by the taint analysis.

function afterLogin(next) {
  return next || "/";
}

class CheckoutFlow {
  begin(req) {
    this.returnUrl = req.query.return_url;
  }

  finish(res) {
    // ruleid: javascript.open-redirect.tainted-redirect
    res.redirect(this.returnUrl);
  }
}

app.get("/signin/done", (req, res) => {
  const dest = afterLogin(req.query.next);
  // ruleid: javascript.open-redirect.tainted-redirect
  res.redirect(dest);
});

app.get("/jump", (req, res) => {
  const links = { external: req.query.external, home: "/home" };
  // ruleid: javascript.open-redirect.tainted-redirect
  res.redirect(302, links.external);
  // ok: javascript.open-redirect.tainted-redirect
  res.redirect(links.home);
  const hops = ["/start"];
  hops.push(req.query.hop);
  // ruleid: javascript.open-redirect.tainted-redirect
  res.location(hops.pop());
  // ok: javascript.open-redirect.tainted-redirect
  res.location(hops[0]);
  const url = "".concat(req.query.scheme, "://", req.query.host);
  // ruleid: javascript.open-redirect.tainted-redirect
  res.redirect(url);
});

app.get("/landing", (req, res) => {
  let to = req.query.to;
  to = "/welcome";
  // ok: javascript.open-redirect.tainted-redirect
  res.redirect(to);
  const search = "/search?q=" + encodeURIComponent(req.query.q);
  // ok: javascript.open-redirect.tainted-redirect
  res.redirect(search);
  let target = "/";
  if (false) {
    target = req.query.target;
  }
  // ok: javascript.open-redirect.tainted-redirect
  res.redirect(target);
});

function followHashRoute() {
  const route = window.location.hash.substring(1);
  // ruleid: javascript.open-redirect.tainted-redirect
  window.location.href = route;
  const params = new URLSearchParams(location.search);
  // ruleid: javascript.open-redirect.tainted-redirect
  location.assign(params.get("continue"));
  // ok: javascript.open-redirect.tainted-redirect
  location.assign("/app/" + params.get("page"));
}
