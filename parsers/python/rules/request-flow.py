import os
import shutil
import urllib.request

import requests
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from flask import Flask, abort, redirect, request, send_file, url_for
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_DIR = "/srv/uploads"


@app.route("/download")
def download():
    name = request.args.get("file")
    # ruleid: python.path-traversal.request-path
    return send_file(os.path.join(UPLOAD_DIR, request.args["file"]))


@app.route("/read")
def read_report():
    report = request.args.get("report")
    # todoruleid: python.path-traversal.request-path
    with open(report) as fh:
        body = fh.read()
    return body


@app.route("/delete", methods=["POST"])
def delete_upload():
    target = os.path.join(UPLOAD_DIR, request.form["name"])
    # todoruleid: python.path-traversal.request-path
    os.remove(target)
    return "deleted"


@app.route("/read-safe")
def read_safe():
    report = secure_filename(request.args.get("report", ""))
    # ok: python.path-traversal.request-path
    with open(os.path.join(UPLOAD_DIR, report)) as fh:
        first = fh.read()
    # ok: python.path-traversal.request-path
    with open(os.path.join(UPLOAD_DIR, os.path.basename(request.args["other"]))) as fh:
        second = fh.read()
    # ok: python.path-traversal.request-path
    with open("/etc/app/settings.ini") as fh:
        third = fh.read()
    name = request.args.get("name")
    name = "default.txt"
    # ok: python.path-traversal.request-path
    data = open(name).read()
    return first + second + third + data


def copy_template(path):
    # ok: python.path-traversal.request-path
    shutil.copy(path, "/tmp/template.bak")


@app.route("/preview")
def preview():
    # ruleid: python.ssrf.request-url
    resp = requests.get(request.args["url"], timeout=5)
    target = request.form.get("webhook")
    # todoruleid: python.ssrf.request-url
    requests.post(target, json={"event": "ping"})
    feed = request.args.get("feed")
    # todoruleid: python.ssrf.request-url
    raw = urllib.request.urlopen(feed).read()
    return resp.text + raw.decode()


@app.route("/user")
def user_profile():
    # ok: python.ssrf.request-url
    resp = requests.get(f"https://api.example.com/users/{request.args['id']}", timeout=5)
    # ok: python.ssrf.request-url
    status = requests.get("https://status.example.com/health")
    endpoint = "https://api.example.com/v1/items"
    # ok: python.ssrf.request-url
    items = requests.get(endpoint, params={"q": request.args.get("q")})
    return resp.text + status.text + items.text


def fetch(url):
    # ok: python.ssrf.request-url
    return requests.get(url, timeout=10).json()


@app.route("/login", methods=["POST"])
def login():
    # ruleid: python.open-redirect.request-url
    return redirect(request.args.get("next"))


@app.route("/logout")
def logout():
    next_url = request.args.get("next", "/")
    # todoruleid: python.open-redirect.request-url
    return redirect(next_url)


@app.route("/done")
def done():
    # ok: python.open-redirect.request-url
    return redirect(url_for("profile", user=request.args.get("user")))


def django_login(request):
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    # ok: python.open-redirect.request-url
    return HttpResponseRedirect(next_url)


def django_home(request):
    # ok: python.open-redirect.request-url
    return HttpResponseRedirect("/dashboard/")
