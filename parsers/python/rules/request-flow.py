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
    # ruleid: python.path-traversal.request-path, python.path-traversal.tainted-path
    return send_file(os.path.join(UPLOAD_DIR, request.args["file"]))


@app.route("/read")
def read_report():
    report = request.args.get("report")
    # ruleid: python.path-traversal.tainted-path  todoruleid: python.path-traversal.request-path
    with open(report) as fh:
        body = fh.read()
    return body


@app.route("/delete", methods=["POST"])
def delete_upload():
    target = os.path.join(UPLOAD_DIR, request.form["name"])
    # ruleid: python.path-traversal.tainted-path  todoruleid: python.path-traversal.request-path
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
    # ruleid: python.ssrf.request-url, python.ssrf.tainted-url
    resp = requests.get(request.args["url"], timeout=5)
    target = request.form.get("webhook")
    # ruleid: python.ssrf.tainted-url  todoruleid: python.ssrf.request-url
    requests.post(target, json={"event": "ping"})
    feed = request.args.get("feed")
    # ruleid: python.ssrf.tainted-url  todoruleid: python.ssrf.request-url
    raw = urllib.request.urlopen(feed).read()
    return resp.text + raw.decode()


@app.route("/user")
def user_profile():
    # ok: python.ssrf.request-url, python.ssrf.tainted-url
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
    # ruleid: python.open-redirect.request-url, python.open-redirect.tainted-url
    return redirect(request.args.get("next"))


@app.route("/logout")
def logout():
    next_url = request.args.get("next", "/")
    # ruleid: python.open-redirect.tainted-url  todoruleid: python.open-redirect.request-url
    return redirect(next_url)


@app.route("/done")
def done():
    # ok: python.open-redirect.request-url
    return redirect(url_for("profile", user=request.args.get("user")))


def django_login(request):
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    # ok: python.open-redirect.request-url, python.open-redirect.tainted-url
    return HttpResponseRedirect(next_url)


def django_home(request):
    # ok: python.open-redirect.request-url
    return HttpResponseRedirect("/dashboard/")


# Taint: request data into paths, outgoing URLs and redirects.
from werkzeug.utils import secure_filename

BASE = "/srv/files/"


def under_base(name):
    return os.path.join(BASE, name)


@app.route("/files")
def files():
    name = request.args["name"]
    # ruleid: python.path-traversal.tainted-path, python.path-traversal.request-path
    data = open(under_base(request.args["name"])).read()
    # ruleid: python.path-traversal.tainted-path
    text = Path(BASE + name).read_text()
    # ok: python.path-traversal.tainted-path
    safe = open(os.path.join(BASE, secure_filename(name))).read()
    paths = {"log": BASE + "app.log", "user": BASE + name}
    # ok: python.path-traversal.tainted-path
    log = open(paths["log"]).read()
    # ruleid: python.path-traversal.tainted-path
    mine = open(paths["user"]).read()
    name = "index.html"
    # ok: python.path-traversal.tainted-path
    index = open(BASE + name).read()
    if None:
        # ruleid: python.path-traversal.request-path; ok: python.path-traversal.tainted-path
        os.remove(BASE + request.args["name"])
    return data + text + safe + log + mine + index


@app.route("/fetch")
def fetch():
    target = request.args.get("url")
    # ruleid: python.ssrf.tainted-url
    page = requests.get(target, timeout=3)
    # ruleid: python.ssrf.tainted-url
    requests.request("GET", "http://" + request.args["host"] + "/status")
    # ok: python.ssrf.tainted-url
    profile = requests.get("https://api.example.com/users/" + target, timeout=3)
    # ok: python.ssrf.tainted-url
    other = requests.get("https://api.example.com/v1/{}".format(target), timeout=3)
    port = int(request.args["port"])
    # ok: python.ssrf.tainted-url
    health = requests.get("http://localhost:%d/health" % port)
    return page.text + profile.text + other.text + health.text


@app.route("/go")
def go():
    dest = request.args.get("to", "/")
    if dest.startswith("//"):
        dest = "/"
    # ruleid: python.open-redirect.tainted-url
    return redirect(dest)


@app.route("/back")
def back():
    dest = request.args.get("to", "/")
    dest = url_for("home")
    # ok: python.open-redirect.tainted-url
    return redirect(dest)


@app.route("/proxy")
def proxy():
    hosts = {"mirror": "https://mirror.example.com/", "user": request.args["host"]}
    # ok: python.ssrf.tainted-url
    requests.get(hosts["mirror"] + "index.json", timeout=3)
    # ruleid: python.ssrf.tainted-url
    requests.get(hosts["user"], timeout=3)
    url = request.args["url"]
    url = "https://status.example.com/"
    # ok: python.ssrf.tainted-url
    requests.get(url, timeout=3)
    if False:
        # ok: python.ssrf.tainted-url; ruleid: python.ssrf.request-url
        requests.get(request.args["url"], timeout=3)
    nxt = [request.args["next"], "/home"]
    # ok: python.open-redirect.tainted-url
    redirect(nxt[1])
    # ruleid: python.open-redirect.tainted-url
    redirect(nxt[0])
    if 0:
        # ok: python.open-redirect.tainted-url; ruleid: python.open-redirect.request-url
        return redirect(request.args["next"])
    # ruleid: python.open-redirect.request-url; ok: python.open-redirect.tainted-url
    return redirect(str(int(request.args.get("page", "1"))))


def set_language(request):
    next_url = request.POST.get("next", request.GET.get("next"))
    if not url_has_allowed_host_and_scheme(url=next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    # ok: python.open-redirect.tainted-url
    return HttpResponseRedirect(next_url)
