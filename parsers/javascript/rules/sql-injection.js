const express = require("express");
const mysql = require("mysql2");
const { Pool } = require("pg");
const sqlite3 = require("sqlite3");

const app = express();
const connection = mysql.createConnection({ host: "localhost", user: "app", database: "shop" });
const pool = new Pool();
const db = new sqlite3.Database("./app.db");

app.get("/users/:id", (req, res) => {
  // ruleid: javascript.sql-injection.string-built-query, javascript.sql-injection.tainted-query
  connection.query("SELECT * FROM users WHERE id = " + req.params.id, (err, rows) => {
    res.json(rows);
  });
});

app.get("/search", async (req, res) => {
  const term = req.query.q;
  // ruleid: javascript.sql-injection.string-built-query, javascript.sql-injection.tainted-query
  const { rows } = await pool.query(`SELECT id, name FROM products WHERE name LIKE '%${term}%'`);
  res.json(rows);
});

app.post("/orders", async (req, res) => {
  const sql = "INSERT INTO orders (user_id, item) VALUES (" + req.body.userId + ", '" + req.body.item + "')";
  // ruleid: javascript.sql-injection.tainted-query
  await pool.query(sql);
  res.sendStatus(201);
});

app.get("/profile", (req, res) => {
  var query = "SELECT * FROM accounts WHERE username = '" + req.query.user + "'";
  try {
    // ruleid: javascript.sql-injection.tainted-query
    db.all(query, (err, rows) => res.json(rows));
  } catch (e) {
    res.status(500).end();
  }
});

app.delete("/items/:id", async (req, res) => {
  const stmt = `DELETE FROM items WHERE id = ${req.params.id}`;
  // ruleid: javascript.sql-injection.tainted-query
  const result = await knex.raw(stmt);
  res.json(result);
});

app.get("/report", async (req, res) => {
  // ruleid: javascript.sql-injection.string-built-query
  const rows = await prisma.$queryRawUnsafe(`SELECT * FROM report WHERE owner = '${req.user.name}'`);
  // ruleid: javascript.sql-injection.string-built-query, javascript.sql-injection.tainted-query
  const count = await sequelize.query("UPDATE stats SET hits = hits + 1 WHERE page = '" + req.path + "'");
  res.json({ rows, count });
});

app.get("/safe/users/:id", async (req, res) => {
  // ok: javascript.sql-injection.string-built-query, javascript.sql-injection.tainted-query
  const { rows } = await pool.query("SELECT * FROM users WHERE id = $1", [req.params.id]);
  // ok: javascript.sql-injection.string-built-query, javascript.sql-injection.tainted-query
  connection.query("SELECT * FROM users WHERE email = ?", [req.query.email], () => {});
  // ok: javascript.sql-injection.string-built-query, javascript.sql-injection.tainted-query
  const all = await pool.query("SELECT id, name " + "FROM users " + "WHERE active = true");
  // ok: javascript.sql-injection.string-built-query, javascript.sql-injection.tainted-query
  const also = await pool.query(`SELECT count(*) FROM users`);
  const sql = "SELECT * FROM users WHERE id = ?";
  // ok: javascript.sql-injection.tainted-query
  db.get(sql, [req.params.id], (err, row) => res.json(row));
  // ok: javascript.sql-injection.string-built-query, javascript.sql-injection.tainted-query
  const tagged = await prisma.$queryRaw`SELECT * FROM users WHERE id = ${req.params.id}`;
  // ok: javascript.sql-injection.string-built-query, javascript.sql-injection.tainted-query
  const cached = await cache.get("user:" + req.params.id);
  res.json({ rows, all, also, tagged, cached });
});

async function runQuery(text, params) {
  // ok: javascript.sql-injection.tainted-query
  return pool.query(text, params);
}

app.get("/log", (req, res) => {
  const message = "Selected " + req.query.n + " rows from the archive";
  // ok: javascript.sql-injection.tainted-query
  logger.query(message);
  res.end();
});

// Flows followed by the taint analysis.

function orderClause(column) {
  return " ORDER BY " + column;
}

app.get("/catalog", async (req, res) => {
  const sort = req.query.sort;
  // ruleid: javascript.sql-injection.tainted-query, javascript.sql-injection.string-built-query
  const { rows } = await pool.query("SELECT * FROM products" + orderClause(sort));
  res.json(rows);
});

app.get("/accounts/search", async (req, res) => {
  const filters = { owner: req.query.owner, status: "active" };
  // ruleid: javascript.sql-injection.tainted-query, javascript.sql-injection.string-built-query
  await pool.query(`SELECT * FROM accounts WHERE owner = '${filters.owner}'`);
  const byStatus = `SELECT * FROM accounts WHERE status = '${filters.status}'`;
  // ok: javascript.sql-injection.tainted-query
  await pool.query(byStatus);
  const lookup = new Map();
  lookup.set("region", req.query.region);
  lookup.set("tier", "gold");
  // ruleid: javascript.sql-injection.tainted-query, javascript.sql-injection.string-built-query
  await pool.query("SELECT * FROM accounts WHERE region = '" + lookup.get("region") + "'");
  const byTier = "SELECT * FROM accounts WHERE tier = '" + lookup.get("tier") + "'";
  // ok: javascript.sql-injection.tainted-query
  await pool.query(byTier);
  res.end();
});

app.post("/batch", async (req, res) => {
  const ids = [];
  ids.push(req.body.first);
  ids.push("0");
  // ruleid: javascript.sql-injection.tainted-query, javascript.sql-injection.string-built-query
  await db.run("DELETE FROM jobs WHERE id = " + ids[0]);
  const placeholder = "DELETE FROM jobs WHERE id = " + ids[1];
  // ok: javascript.sql-injection.tainted-query
  await db.run(placeholder);
  const queue = [req.body.next];
  const head = queue.shift();
  // ruleid: javascript.sql-injection.tainted-query, javascript.sql-injection.string-built-query
  await db.run(`UPDATE jobs SET state = 'done' WHERE id = ${head}`);
  res.sendStatus(204);
});

app.get("/report/:year", async (req, res) => {
  const parts = ["SELECT * FROM sales WHERE year = "];
  parts.push(req.params.year);
  // ruleid: javascript.sql-injection.tainted-query
  await connection.execute(parts.join(""));
  const sql = util.format("SELECT * FROM sales WHERE region = '%s'", req.query.region);
  // ruleid: javascript.sql-injection.tainted-query
  await connection.execute(sql);
  let where = "WHERE 1 = 1";
  where += " AND seller = '" + req.query.seller + "'";
  // ruleid: javascript.sql-injection.tainted-query
  await connection.execute("SELECT * FROM sales ".concat(where));
  res.end();
});

class OrderService {
  constructor(pool) {
    this.pool = pool;
  }

  remember(req) {
    this.customer = req.query.customer;
  }

  async history() {
    // ruleid: javascript.sql-injection.tainted-query, javascript.sql-injection.string-built-query
    return this.pool.query("SELECT * FROM orders WHERE customer = '" + this.customer + "'");
  }
}

app.get("/orders/:id", async (req, res) => {
  let id = req.params.id;
  id = "42";
  const fixed = "SELECT * FROM orders WHERE id = " + id;
  // ok: javascript.sql-injection.tainted-query
  await pool.query(fixed);
  const page = parseInt(req.query.page, 10);
  const paged = "SELECT * FROM orders LIMIT 20 OFFSET " + page * 20;
  // ok: javascript.sql-injection.tainted-query
  await pool.query(paged);
  const name = connection.escape(req.query.name);
  const byName = "SELECT * FROM orders WHERE name = " + name;
  // ok: javascript.sql-injection.tainted-query
  await pool.query(byName);
  let filter = "";
  if (false) {
    filter = req.query.filter;
  }
  const filtered = "SELECT * FROM orders " + filter;
  // ok: javascript.sql-injection.tainted-query
  await pool.query(filtered);
  // ok: javascript.sql-injection.tainted-query
  await pool.query("SELECT * FROM orders WHERE id = $1 AND owner = $2", [req.params.id, req.query.owner]);
  // ok: javascript.sql-injection.tainted-query
  await knex("orders").where("id", req.params.id).first();
  res.end();
});
