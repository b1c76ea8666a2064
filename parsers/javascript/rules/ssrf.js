const axios = require("axios");
const express = require("express");
const app = express();

app.get("/proxy", async (req, res) => {
  // ruleid: javascript.ssrf.request-data-in-url
  const response = await axios.get(req.query.url);
  res.send(response.data);
});

app.post("/webhook/test", async (req, res) => {
  // ruleid: javascript.ssrf.request-data-in-url
  const r = await fetch(req.body.callbackUrl, { method: "POST" });
  // ruleid: javascript.ssrf.request-data-in-url
  const page = await fetch(`http://${req.query.host}/status`);
  res.json({ status: r.status, page: page.status });
});

app.get("/preview", async (req, res) => {
  const { target } = req.query;
  try {
    // todoruleid: javascript.ssrf.request-data-in-url-variable
    const { data } = await axios.get(target, { timeout: 5000 });
    res.send(data);
  } catch (err) {
    res.status(502).end();
  }
});

app.get("/image", (req, res) => {
  const imageUrl = req.query.src;
  // todoruleid: javascript.ssrf.request-data-in-url-variable
  https.get(imageUrl, (upstream) => upstream.pipe(res));
});

app.get("/safe/users/:id", async (req, res) => {
  // ok: javascript.ssrf.request-data-in-url
  const user = await axios.get(`https://api.example.com/users/${req.params.id}`);
  // ok: javascript.ssrf.request-data-in-url
  const local = await fetch("/api/items?q=" + encodeURIComponent(req.query.q));
  // ok: javascript.ssrf.request-data-in-url
  const fixed = await axios.get("https://status.example.com/health");
  const id = req.params.id;
  // ok: javascript.ssrf.request-data-in-url-variable
  const orders = await axios.get(`https://orders.internal.example.com/v1/orders/${id}`);
  // ok: javascript.ssrf.request-data-in-url
  const post = await axios.post("https://hooks.example.com/events", req.body);
  res.json({ user: user.data, local, fixed, orders, post });
});
