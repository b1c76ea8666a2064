const express = require("express");
const mysql = require("mysql2");
const { Pool } = require("pg");
const sqlite3 = require("sqlite3");

const app = express();
const connection = mysql.createConnection({ host: "localhost", user: "app", database: "shop" });
const pool = new Pool();
const db = new sqlite3.Database("./app.db");

app.get("/users/:id", (req, res) => {
  // ruleid: javascript.sql-injection.string-built-query
  connection.query("SELECT * FROM users WHERE id = " + req.params.id, (err, rows) => {
    res.json(rows);
  });
});

app.get("/search", async (req, res) => {
  const term = req.query.q;
  // ruleid: javascript.sql-injection.string-built-query
  const { rows } = await pool.query(`SELECT id, name FROM products WHERE name LIKE '%${term}%'`);
  res.json(rows);
});

app.post("/orders", async (req, res) => {
  const sql = "INSERT INTO orders (user_id, item) VALUES (" + req.body.userId + ", '" + req.body.item + "')";
  // todoruleid: javascript.sql-injection.string-built-query-variable
  await pool.query(sql);
  res.sendStatus(201);
});

app.get("/profile", (req, res) => {
  var query = "SELECT * FROM accounts WHERE username = '" + req.query.user + "'";
  try {
    // todoruleid: javascript.sql-injection.string-built-query-variable
    db.all(query, (err, rows) => res.json(rows));
  } catch (e) {
    res.status(500).end();
  }
});

app.delete("/items/:id", async (req, res) => {
  const stmt = `DELETE FROM items WHERE id = ${req.params.id}`;
  // todoruleid: javascript.sql-injection.string-built-query-variable
  const result = await knex.raw(stmt);
  res.json(result);
});

app.get("/report", async (req, res) => {
  // ruleid: javascript.sql-injection.string-built-query
  const rows = await prisma.$queryRawUnsafe(`SELECT * FROM report WHERE owner = '${req.user.name}'`);
  // ruleid: javascript.sql-injection.string-built-query
  const count = await sequelize.query("UPDATE stats SET hits = hits + 1 WHERE page = '" + req.path + "'");
  res.json({ rows, count });
});

app.get("/safe/users/:id", async (req, res) => {
  // ok: javascript.sql-injection.string-built-query
  const { rows } = await pool.query("SELECT * FROM users WHERE id = $1", [req.params.id]);
  // ok: javascript.sql-injection.string-built-query
  connection.query("SELECT * FROM users WHERE email = ?", [req.query.email], () => {});
  // ok: javascript.sql-injection.string-built-query
  const all = await pool.query("SELECT id, name " + "FROM users " + "WHERE active = true");
  // ok: javascript.sql-injection.string-built-query
  const also = await pool.query(`SELECT count(*) FROM users`);
  const sql = "SELECT * FROM users WHERE id = ?";
  // ok: javascript.sql-injection.string-built-query-variable
  db.get(sql, [req.params.id], (err, row) => res.json(row));
  // ok: javascript.sql-injection.string-built-query
  const tagged = await prisma.$queryRaw`SELECT * FROM users WHERE id = ${req.params.id}`;
  // ok: javascript.sql-injection.string-built-query
  const cached = await cache.get("user:" + req.params.id);
  res.json({ rows, all, also, tagged, cached });
});

async function runQuery(text, params) {
  // ok: javascript.sql-injection.string-built-query-variable
  return pool.query(text, params);
}

app.get("/log", (req, res) => {
  const message = "Selected " + req.query.n + " rows from the archive";
  // ok: javascript.sql-injection.string-built-query-variable
  logger.query(message);
  res.end();
});
