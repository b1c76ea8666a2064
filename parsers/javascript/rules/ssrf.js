const axios = require("axios");
const express = require("express");
const app = express();

app.get("/proxy", async (req, res) => {
  // ruleid: javascript.ssrf.request-data-in-url, javascript.ssrf.tainted-url
  const response = await axios.get(req.query.url);
  res.send(response.data);
});

app.post("/webhook/test", async (req, res) => {
  // ruleid: javascript.ssrf.request-data-in-url, javascript.ssrf.tainted-url
  const r = await fetch(req.body.callbackUrl, { method: "POST" });
  // ruleid: javascript.ssrf.request-data-in-url, javascript.ssrf.tainted-url
  const page = await fetch(`http://${req.query.host}/status`);
  res.json({ status: r.status, page: page.status });
});

app.get("/preview", async (req, res) => {
  const { target } = req.query;
  try {
    // ruleid: javascript.ssrf.tainted-url
    const { data } = await axios.get(target, { timeout: 5000 });
    res.send(data);
  } catch (err) {
    res.status(502).end();
  }
});

app.get("/image", (req, res) => {
  const imageUrl = req.query.src;
  // ruleid: javascript.ssrf.tainted-url
  https.get(imageUrl, (upstream) => upstream.pipe(res));
});

app.get("/safe/users/:id", async (req, res) => {
  // ok: javascript.ssrf.request-data-in-url, javascript.ssrf.tainted-url
  const user = await axios.get(`https://api.example.com/users/${req.params.id}`);
  // ok: javascript.ssrf.request-data-in-url, javascript.ssrf.tainted-url
  const local = await fetch("/api/items?q=" + encodeURIComponent(req.query.q));
  // ok: javascript.ssrf.request-data-in-url, javascript.ssrf.tainted-url
  const fixed = await axios.get("https://status.example.com/health");
  const id = req.params.id;
  // ok: javascript.ssrf.tainted-url
  const orders = await axios.get(`https://orders.internal.example.com/v1/orders/${id}`);
  // ok: javascript.ssrf.request-data-in-url, javascript.ssrf.tainted-url
  const post = await axios.post("https://hooks.example.com/events", req.body);
  res.json({ user: user.data, local, fixed, orders, post });
});

// Flows followed by the taint analysis.

function withTracking(url) {
  return url + "?utm_source=preview";
}

class WebhookClient {
  register(req) {
    this.endpoint = req.body.endpoint;
  }

  async notify(event) {
    // ruleid: javascript.ssrf.tainted-url
    return axios.post(this.endpoint, event);
  }
}

app.get("/unfurl", async (req, res) => {
  const target = withTracking(req.query.link);
  // ruleid: javascript.ssrf.tainted-url
  const page = await fetch(target);
  const services = { user: req.query.service, health: "https://status.example.com/health" };
  // ruleid: javascript.ssrf.tainted-url
  const svc = await got(services.user);
  // ok: javascript.ssrf.tainted-url
  const health = await got(services.health);
  const mirrors = ["https://mirror1.example.com/index.json"];
  mirrors.push(req.query.mirror);
  // ruleid: javascript.ssrf.tainted-url
  const extra = await axios.get(mirrors[1]);
  // ok: javascript.ssrf.tainted-url
  const primary = await axios.get(mirrors[0]);
  const hostUrl = new URL(req.query.base);
  hostUrl.pathname = "/api/v1/items";
  // ruleid: javascript.ssrf.tainted-url
  const items = await fetch(hostUrl.toString());
  res.json({ page: page.status, svc, health, extra, primary, items: items.status });
});

app.get("/avatar-proxy", async (req, res) => {
  let source = req.query.source;
  source = "https://cdn.example.com/default.png";
  // ok: javascript.ssrf.tainted-url
  const def = await fetch(source);
  const userId = parseInt(req.query.user, 10);
  const avatarUrl = "http://avatars.internal:8080/" + userId;
  // ok: javascript.ssrf.tainted-url
  const avatar = await fetch(avatarUrl);
  let backup = "https://backup.example.com/avatar.png";
  if (false) {
    backup = req.query.backup;
  }
  // ok: javascript.ssrf.tainted-url
  const fallback = await fetch(backup);
  const profile = "https://profiles.example.com/u/" + req.query.name;
  // ok: javascript.ssrf.tainted-url
  const p = await axios.get(profile, { params: { q: req.query.q } });
  res.json({ def: def.status, avatar: avatar.status, fallback: fallback.status, p });
});

app.get("/relay", async (req, res) => {
  const endpoint = req.query.endpoint;
  // ruleid: javascript.ssrf.tainted-url
  const relayed = await axios({ url: endpoint, method: "get", timeout: 3000 });
  // ok: javascript.ssrf.tainted-url
  const upstream = http.request({ hostname: "backend.internal", port: 8080, path: req.url, method: "GET" });
  upstream.end();
  res.json(relayed.data);
});
