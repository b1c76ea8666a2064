// Koa search endpoints backed by MySQL, LDAP and an XML catalog.
import Koa, { Context } from 'koa';
import Router from '@koa/router';
import mysql from 'mysql2/promise';
import ldap from 'ldapjs';
import xpath from 'xpath';
import { DOMParser } from '@xmldom/xmldom';

const app = new Koa();
const router = new Router();
const ldapClient = ldap.createClient({ url: 'ldap://ldap.example.com' });
const catalog = new DOMParser().parseFromString('<catalog/>', 'text/xml');
const SORT_COLUMN = 'title';

async function db() {
  return mysql.createConnection({ host: 'db', user: 'app', database: 'shop' });
}

router.get('/search', async (ctx: Context) => {
  const term = ctx.query.q as string;
  const conn = await db();
  let sql = 'SELECT id, title FROM products WHERE 1=1';
  if (term) {
    sql += " AND title LIKE '%" + term + "%'";
  }
  // expect: CWE-89
  const [rows] = await conn.query(sql);
  // safe: CWE-89
  const [rows2] = await conn.execute('SELECT id FROM products WHERE title LIKE ?', ['%' + term + '%']);
  // safe: CWE-89
  const [rows3] = await conn.query('SELECT id FROM products ORDER BY ' + SORT_COLUMN);
  ctx.body = { rows, rows2, rows3 };
});

router.get('/search/page', async (ctx: Context) => {
  const page = Number(ctx.query.page);
  const conn = await db();
  const offset = Math.max(0, Math.floor(page)) * 20;
  // safe: CWE-89
  const [rows] = await conn.query('SELECT id FROM products LIMIT 20 OFFSET ' + offset);
  ctx.body = rows;
});

router.get('/search/people', async (ctx: Context) => {
  const mail = ctx.query.mail as string;
  // expect: CWE-90
  ldapClient.search('dc=example,dc=com', { filter: `(mail=${mail})`, scope: 'sub' }, () => undefined);
  ctx.body = 'queued';
});

router.get('/search/catalog', async (ctx: Context) => {
  const sku = ctx.query.sku as string;
  // expect: CWE-643
  const nodes = xpath.select(`//item[@sku='${sku}']`, catalog);
  // safe: CWE-643
  const all = xpath.select('//item[@featured="true"]', catalog);
  ctx.body = { n: (nodes as unknown[]).length + (all as unknown[]).length };
});

router.get('/search/go', async (ctx: Context) => {
  const dest = ctx.query.dest as string;
  if (dest.startsWith('/')) {
    // expect: CWE-601
    ctx.redirect(dest);
    return;
  }
  // safe: CWE-601
  ctx.redirect('/search');
});

app.use(router.routes());
export default app;
