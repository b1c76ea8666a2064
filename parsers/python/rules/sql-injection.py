import sqlite3

from django.db import connection
from sqlalchemy import text

from .models import Account


def find_user_concat(db, username):
    cursor = db.cursor()
    # ruleid: python.sql-injection.formatted-query
    cursor.execute("SELECT id, email FROM users WHERE name = '" + username + "'")
    return cursor.fetchone()


def find_user_fstring(db, user_id):
    cur = db.cursor()
    # ruleid: python.sql-injection.formatted-query
    cur.execute(f"SELECT * FROM orders WHERE user_id = {user_id}")
    return cur.fetchall()


def find_user_percent(db, email):
    cur = db.cursor()
    # ruleid: python.sql-injection.formatted-query
    cur.execute("SELECT id FROM users WHERE email = '%s'" % email)
    # ruleid: python.sql-injection.formatted-query
    cur.execute("DELETE FROM sessions WHERE token = '{}'".format(email))
    return cur.fetchone()


def find_user_safe(db, email):
    cur = db.cursor()
    # ok: python.sql-injection.formatted-query
    cur.execute("SELECT id FROM users WHERE email = %s", (email,))
    # ok: python.sql-injection.formatted-query
    cur.execute("SELECT id FROM users " "WHERE active = 1")
    # ok: python.sql-injection.formatted-query
    cur.execute("SELECT id FROM users WHERE " + "active = 1")
    # ok: python.sql-injection.formatted-query
    cur.execute("SELECT id FROM users WHERE email = ?", [email])
    return cur.fetchone()


def search_products(request):
    term = request.GET.get("q", "")
    with connection.cursor() as cursor:
        query = "SELECT name, price FROM shop_product WHERE name LIKE '%%" + term + "%%'"
        # ruleid: python.sql-injection.cursor-query-variable, python.sql-injection.tainted-query
        cursor.execute(query)
        return cursor.fetchall()


def list_products(order):
    with connection.cursor() as cursor:
        query = "SELECT name, price FROM shop_product ORDER BY price"
        # ok: python.sql-injection.cursor-query-variable
        cursor.execute(query)
        sql = "SELECT name FROM shop_product WHERE id = %s"
        # ok: python.sql-injection.cursor-query-variable
        cursor.execute(sql, [order])
        return cursor.fetchall()


COUNT_QUERY = "SELECT COUNT(*) FROM shop_product"


def count_products():
    with connection.cursor() as cursor:
        # ok: python.sql-injection.cursor-query-variable
        cursor.execute(COUNT_QUERY)
        return cursor.fetchone()[0]


def delete_account(account_id):
    conn = sqlite3.connect("app.db")
    sql = "DELETE FROM accounts WHERE id = %s" % account_id
    # ruleid: python.sql-injection.built-query-variable
    conn.execute(sql)
    stmt = f"UPDATE accounts SET deleted = 1 WHERE id = {account_id}"
    # ruleid: python.sql-injection.built-query-variable
    rows = conn.execute(stmt).fetchall()
    conn.commit()
    return rows


def delete_account_safe(session, account_id):
    conn = sqlite3.connect("app.db")
    sql = "DELETE FROM accounts WHERE id = ?"
    # ok: python.sql-injection.built-query-variable
    conn.execute(sql, (account_id,))
    stmt = text("UPDATE accounts SET deleted = 1 WHERE id = :id")
    # ok: python.sql-injection.built-query-variable
    session.execute(stmt, {"id": account_id})
    conn.commit()


def raw_lookup(name):
    # ruleid: python.sql-injection.formatted-query
    accounts = Account.objects.raw("SELECT * FROM app_account WHERE name = '%s'" % name)
    # ok: python.sql-injection.formatted-query
    safe = Account.objects.raw("SELECT * FROM app_account WHERE name = %s", [name])
    # ruleid: python.sql-injection.formatted-query
    clause = text(f"SELECT * FROM app_account WHERE name = '{name}'")
    # ok: python.sql-injection.formatted-query
    bound = text("SELECT * FROM app_account WHERE name = :name")
    return accounts, safe, clause, bound


def run_job(executor, job_name):
    # ok: python.sql-injection.formatted-query
    executor.execute(f"Running job {job_name}")


# Taint: request data that reaches a query, and values that look alike but do not.
from flask import Flask, request

app = Flask(__name__)
ORDER = "name"


def where_clause(column, value):
    return "WHERE " + column + " = '" + value + "'"


class Repo:
    def remember(self):
        self.last = request.args["q"]

    def replay(self, cur):
        # ruleid: python.sql-injection.tainted-query; ok: python.sql-injection.cursor-query-variable
        cur.execute(self.last)


@app.route("/users")
def users():
    cur = db.cursor()
    name = request.args.get("name")
    # ruleid: python.sql-injection.tainted-query, python.sql-injection.formatted-query
    cur.execute("SELECT * FROM users WHERE name = '" + name + "'")
    # ruleid: python.sql-injection.tainted-query, python.sql-injection.formatted-query
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    # ruleid: python.sql-injection.tainted-query, python.sql-injection.formatted-query
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
    query = "SELECT * FROM users " + where_clause("name", name)
    # ruleid: python.sql-injection.tainted-query, python.sql-injection.cursor-query-variable
    cur.execute(query)
    # ok: python.sql-injection.tainted-query
    cur.execute("SELECT * FROM users WHERE name = %s", (name,))
    # ruleid: python.sql-injection.formatted-query; ok: python.sql-injection.tainted-query
    cur.execute("SELECT * FROM users ORDER BY " + ORDER)
    limit = int(request.args["n"])
    # ruleid: python.sql-injection.formatted-query; ok: python.sql-injection.tainted-query
    cur.execute("SELECT * FROM users LIMIT %d" % limit)
    table = request.args["t"]
    table = "daily"
    # ok: python.sql-injection.formatted-query, python.sql-injection.tainted-query
    cur.execute("SELECT * FROM " + table)
    sort = request.args.get("sort")
    if not sort:
        sort = "id"
    # ruleid: python.sql-injection.tainted-query, python.sql-injection.formatted-query
    cur.execute("SELECT * FROM users ORDER BY " + sort)
    parts = {"col": request.form["col"], "dir": "ASC"}
    # ruleid: python.sql-injection.formatted-query; ok: python.sql-injection.tainted-query
    cur.execute("SELECT * FROM users ORDER BY id " + parts["dir"])
    # ruleid: python.sql-injection.tainted-query, python.sql-injection.formatted-query
    cur.execute("SELECT * FROM users ORDER BY " + parts["col"])
    cols = ["id"]
    cols.append(request.args["extra"])
    # ruleid: python.sql-injection.formatted-query; ok: python.sql-injection.tainted-query
    cur.execute("SELECT " + cols[0] + " FROM users")
    # ruleid: python.sql-injection.tainted-query, python.sql-injection.formatted-query
    cur.execute("SELECT " + ", ".join(cols) + " FROM users")
    if False:
        # ruleid: python.sql-injection.formatted-query; ok: python.sql-injection.tainted-query
        cur.execute("DELETE FROM users WHERE name = '" + name + "'")
    # ruleid: python.sql-injection.tainted-query
    rows = pandas.read_sql("SELECT * FROM t WHERE a = " + name, conn)
    return rows


@app.get("/items/{item_id}")
def read_item(item_id: str, db: Session = Depends(get_db)):
    # ruleid: python.sql-injection.tainted-query, python.sql-injection.formatted-query
    return db.execute(text("SELECT * FROM items WHERE id = " + item_id))
