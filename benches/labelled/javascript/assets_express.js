'use strict';
// Static asset and proxy routes.
const express = require('express');
const fs = require('fs');
const path = require('path');
const axios = require('axios');
const serialize = require('node-serialize');

const app = express();
const ASSET_DIR = '/var/www/assets';
const CDN_BASE = 'https://cdn.example.com';

class AssetRequest {
  constructor(req) {
    this.file = req.query.file;
    this.kind = 'css';
  }
}

app.get('/assets', (req, res) => {
  const ar = new AssetRequest(req);
  const full = path.join(ASSET_DIR, ar.file);
  // expect: CWE-22
  fs.readFile(full, 'utf8', (err, data) => res.send(data));
});

app.get('/assets/kind', (req, res) => {
  const ar = new AssetRequest(req);
  // safe: CWE-22
  fs.readFile(path.join(ASSET_DIR, 'manifest.' + ar.kind), 'utf8', (err, data) => res.send(data));
});

app.get('/assets/stream', (req, res) => {
  const name = req.query.name;
  // expect: CWE-22
  fs.createReadStream(ASSET_DIR + '/' + name).pipe(res);
});

app.get('/proxy', async (req, res) => {
  const target = req.query.url;
  // expect: CWE-918
  const r = await axios.get(target);
  res.send(r.data);
});

app.get('/cdn', async (req, res) => {
  const file = encodeURIComponent(req.query.file);
  // safe: CWE-918
  const r = await axios.get(CDN_BASE + '/static/' + file);
  res.send(r.data);
});

app.get('/hosts', async (req, res) => {
  const hosts = { user: req.query.host, health: 'https://health.example.com/ping' };
  // safe: CWE-918
  const ok = await axios.get(hosts.health);
  // expect: CWE-918
  const other = await axios.get('http://' + hosts.user + '/status');
  res.json({ ok: ok.status, other: other.status });
});

app.post('/session/restore', express.text(), (req, res) => {
  // expect: CWE-502
  const state = serialize.unserialize(req.body);
  res.json(state);
});

app.post('/session/parse', express.text(), (req, res) => {
  // safe: CWE-502
  const state = JSON.parse(req.body);
  res.json(state);
});

app.get('/calc', (req, res) => {
  const formula = req.query.f;
  // expect: CWE-95
  const out = eval(formula);
  res.json({ out });
});

module.exports = app;
