"""Order lookup and export endpoints for the storefront admin."""
import os
import sqlite3
import subprocess

from flask import Flask, request, redirect, abort

app = Flask(__name__)

ORDERS_TABLE = "orders"
STATUS_FILTER = "status = 'shipped'"
EXPORT_DIR = "/srv/exports"


def get_db():
    return sqlite3.connect("/srv/data/shop.db")


def build_where(field, value):
    return "WHERE " + field + " = '" + value + "'"


@app.route("/orders/search")
def search_orders():
    customer = request.args.get("customer", "")
    cur = get_db().cursor()
    clause = build_where("customer", customer)
    # expect: CWE-89
    cur.execute("SELECT id, total FROM orders " + clause)
    rows = cur.fetchall()
    # safe: CWE-89
    cur.execute("SELECT COUNT(*) FROM " + ORDERS_TABLE + " WHERE " + STATUS_FILTER)
    # safe: CWE-89
    cur.execute("SELECT id FROM orders WHERE customer = ?", (customer,))
    return {"rows": rows}


@app.route("/orders/<order_id>")
def show_order(order_id):
    oid = int(request.args.get("id", "0"))
    cur = get_db().cursor()
    # safe: CWE-89
    cur.execute("SELECT * FROM orders WHERE id = %d" % oid)
    filters = {"name": request.args.get("name"), "sort": "created_at"}
    # safe: CWE-89
    cur.execute("SELECT * FROM orders ORDER BY " + filters["sort"])
    # expect: CWE-89
    cur.execute("SELECT * FROM orders WHERE name = '%s'" % filters["name"])
    return {"order": cur.fetchone()}


@app.route("/orders/export")
def export_orders():
    fmt = request.args.get("format", "csv")
    target = os.path.join(EXPORT_DIR, "orders." + fmt)
    # expect: CWE-78
    subprocess.call("tar czf /tmp/out.tgz " + target, shell=True)
    # safe: CWE-78
    subprocess.call(["tar", "czf", "/tmp/out.tgz", target])
    # expect: CWE-22
    with open(target) as fh:
        data = fh.read()
    return data


@app.route("/orders/done")
def after_checkout():
    nxt = request.args.get("next", "/")
    if False:
        # safe: CWE-601
        return redirect(nxt)
    # safe: CWE-601
    return redirect("/orders/thanks")


@app.route("/orders/back")
def back_to():
    dest = request.args.get("return_to")
    if not dest:
        abort(400)
    # expect: CWE-601
    return redirect(dest)
