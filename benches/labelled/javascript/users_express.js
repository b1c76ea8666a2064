'use strict';
// User profile routes for the community site.
const express = require('express');
const mysql = require('mysql');
const { exec, execFile } = require('child_process');

const router = express.Router();
const db = mysql.createConnection({ host: 'db', user: 'app', database: 'community' });
const USERS_TABLE = 'users';
const ACTIVE_ONLY = 'active = 1';

function whereName(name) {
  return "WHERE name = '" + name + "'";
}

router.get('/users/search', (req, res) => {
  const name = req.query.name;
  // expect: CWE-89
  db.query('SELECT id, name FROM users ' + whereName(name), (err, rows) => res.json(rows));
});

router.get('/users/count', (req, res) => {
  // safe: CWE-89
  db.query('SELECT COUNT(*) AS n FROM ' + USERS_TABLE + ' WHERE ' + ACTIVE_ONLY, (err, rows) => res.json(rows));
});

router.get('/users/:id', (req, res) => {
  const id = parseInt(req.params.id, 10);
  // safe: CWE-89
  db.query('SELECT * FROM users WHERE id = ' + id, (err, rows) => res.json(rows));
});

router.get('/users/by-email', (req, res) => {
  // safe: CWE-89
  db.query('SELECT * FROM users WHERE email = ?', [req.query.email], (err, rows) => res.json(rows));
});

router.get('/users/by-city', (req, res) => {
  const parts = [];
  parts.push('SELECT * FROM users WHERE city = ');
  parts.push("'" + req.query.city + "'");
  const sql = parts.join('');
  // expect: CWE-89
  db.query(sql, (err, rows) => res.json(rows));
});

router.get('/users/avatar', (req, res) => {
  const user = req.query.user;
  // expect: CWE-78
  exec('convert /data/avatars/' + user + '.png -resize 64x64 /tmp/thumb.png', () => res.end());
});

router.get('/users/avatar2', (req, res) => {
  const user = req.query.user;
  // safe: CWE-78
  execFile('convert', ['/data/avatars/' + user + '.png', '-resize', '64x64', '/tmp/thumb.png'], () => res.end());
});

router.get('/users/greet', (req, res) => {
  const who = req.query.who;
  // expect: CWE-79
  res.send('<h2>Welcome back, ' + who + '</h2>');
});

router.get('/users/greet-plain', (req, res) => {
  let who = req.query.who;
  who = 'guest';
  // safe: CWE-79
  res.send('<h2>Welcome back, ' + who + '</h2>');
});

router.get('/users/logout', (req, res) => {
  const target = req.query.next;
  if (false) {
    // safe: CWE-601
    res.redirect(target);
  }
  // expect: CWE-601
  res.redirect(req.query.fallback);
});

module.exports = router;
