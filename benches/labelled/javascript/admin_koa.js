'use strict';
// Koa admin panel routes.
const Koa = require('koa');
const Router = require('@koa/router');
const { Pool } = require('pg');
const { spawn, execSync } = require('child_process');
const escapeHtml = require('escape-html');
const vm = require('vm');

const app = new Koa();
const router = new Router();
const pool = new Pool();
const AUDIT_SQL = 'SELECT * FROM audit ORDER BY ts DESC LIMIT 100';

router.get('/admin/audit', async (ctx) => {
  // safe: CWE-89
  const r = await pool.query(AUDIT_SQL);
  ctx.body = r.rows;
});

router.get('/admin/audit/user', async (ctx) => {
  const user = ctx.query.user;
  const sql = `SELECT * FROM audit WHERE actor = '${user}'`;
  // expect: CWE-89
  const r = await pool.query(sql);
  ctx.body = r.rows;
});

router.get('/admin/audit/action', async (ctx) => {
  // safe: CWE-89
  const r = await pool.query('SELECT * FROM audit WHERE action = $1', [ctx.query.action]);
  ctx.body = r.rows;
});

router.post('/admin/backup', async (ctx) => {
  const label = ctx.request.body.label;
  // expect: CWE-78
  execSync(`pg_dump app > /backups/${label}.sql`);
  // safe: CWE-78
  spawn('pg_dump', ['--file', '/backups/' + label + '.sql', 'app']);
  ctx.body = 'ok';
});

router.get('/admin/banner', async (ctx) => {
  const msg = ctx.query.msg;
  ctx.type = 'html';
  // expect: CWE-79
  ctx.body = '<div class="banner">' + msg + '</div>';
});

router.get('/admin/banner-safe', async (ctx) => {
  ctx.type = 'html';
  // safe: CWE-79
  ctx.body = '<div class="banner">' + escapeHtml(ctx.query.msg) + '</div>';
});

router.post('/admin/rule', async (ctx) => {
  const rule = ctx.request.body.rule;
  const sandbox = { input: 1 };
  // expect: CWE-95
  vm.runInNewContext(rule, sandbox);
  let expr = ctx.request.body.expr;
  expr = '40 + 2';
  // safe: CWE-95
  const fn = new Function('return ' + expr);
  ctx.body = { r: sandbox.input, f: fn() };
});

router.get('/admin/leave', async (ctx) => {
  const to = ctx.query.to;
  // expect: CWE-601
  ctx.redirect(to);
});

router.get('/admin/home', async (ctx) => {
  // safe: CWE-601
  ctx.redirect('/admin/dashboard');
});

app.use(router.routes());
module.exports = app;
