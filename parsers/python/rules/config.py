import os
import ssl
import xml.sax
from xml.sax.handler import feature_external_ges

import httpx
import requests
from flask import Flask, make_response
from lxml import etree

app = Flask(__name__)

# ruleid: python.hardcoded-credentials.string-literal
DB_PASSWORD = "Tr0ub4dor&3x"
# ruleid: python.hardcoded-credentials.string-literal
STRIPE_API_KEY = "sk_live_51HxQ2bK8fJ3mZ9pL"
# ok: python.hardcoded-credentials.string-literal
SMTP_PASSWORD = os.environ["SMTP_PASSWORD"]
# ok: python.hardcoded-credentials.string-literal
PASSWORD_FIELD = "password"
# ok: python.hardcoded-credentials.string-literal
TOKEN_URL = "https://auth.example.com/oauth/token"
# ok: python.hardcoded-credentials.string-literal
ADMIN_PASSWORD = ""
# ok: python.hardcoded-credentials.string-literal
api_key = "your-api-key-here"
# ok: python.hardcoded-credentials.string-literal
secret = "csrf_token"
# ok: python.hardcoded-credentials.string-literal
password = os.getenv("APP_PASSWORD", "")

app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY")


class Settings:
    def __init__(self):
        # ruleid: python.hardcoded-credentials.string-literal
        self.secret_key = "9f8a7c6b5d4e3f2a1b0c"
        # ok: python.hardcoded-credentials.string-literal
        self.secret_key_name = "9f8a7c6b5d4e3f2a1b0c"


def connect(pymysql):
    # ruleid: python.hardcoded-credentials.string-literal
    return pymysql.connect(host="db.internal", user="app", password="S3cureP@ss2023")


def connect_env(pymysql):
    # ok: python.hardcoded-credentials.string-literal
    return pymysql.connect(host="db.internal", user="app", password=os.environ["DB_PASS"])


def fetch_status(url):
    # ruleid: python.tls.verification-disabled
    resp = requests.get(url, verify=False, timeout=5)
    # ruleid: python.tls.verification-disabled
    client = httpx.Client(verify=False)
    # ruleid: python.tls.verification-disabled
    ctx = ssl._create_unverified_context()
    # ok: python.tls.verification-disabled
    ok = requests.get(url, verify="/etc/ssl/certs/internal-ca.pem", timeout=5)
    # ok: python.tls.verification-disabled
    token = jwt_decode(resp.text, verify=False)
    return resp, client, ctx, ok, token


def make_context():
    context = ssl.create_default_context()
    # ruleid: python.tls.verification-disabled
    context.check_hostname = False
    # ruleid: python.tls.verification-disabled
    context.verify_mode = ssl.CERT_NONE
    # ok: python.tls.verification-disabled
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def jwt_decode(data, verify=True):
    return data


def parse_upload(data):
    # ruleid: python.xxe.external-entities-enabled
    parser = etree.XMLParser(resolve_entities=True)
    # ruleid: python.xxe.lxml-no-network-disabled
    loose = etree.XMLParser(no_network=False)
    # ok: python.xxe.external-entities-enabled
    safe = etree.XMLParser(resolve_entities=False, no_network=True)
    # ok: python.xxe.lxml-no-network-disabled
    safer = etree.XMLParser(resolve_entities=False)
    return etree.fromstring(data, parser), loose, safe, safer


def sax_parse(stream, handler):
    reader = xml.sax.make_parser()
    # ruleid: python.xxe.external-entities-enabled
    reader.setFeature(feature_external_ges, True)
    # ok: python.xxe.external-entities-enabled
    reader.setFeature(feature_external_ges, False)
    reader.setContentHandler(handler)
    reader.parse(stream)


@app.route("/login")
def login_cookie():
    resp = make_response("ok")
    # ruleid: python.cookie.flag-disabled
    resp.set_cookie("session", "abc", secure=False, httponly=True)
    # ruleid: python.cookie.secure-flag-missing
    resp.set_cookie("remember_me", "1", max_age=3600)
    # ok: python.cookie.secure-flag-missing
    resp.set_cookie("theme_pref", "dark", secure=True, httponly=True, samesite="Lax")
    # ok: python.cookie.flag-disabled
    resp.set_cookie("sid", "abc", secure=True, httponly=True)
    # ok: python.cookie.secure-flag-missing
    resp.delete_cookie("old")
    return resp


# ruleid: python.cookie.insecure-settings
SESSION_COOKIE_SECURE = False
# ok: python.cookie.insecure-settings
CSRF_COOKIE_SECURE = True
# ruleid: python.cookie.insecure-settings
app.config["SESSION_COOKIE_HTTPONLY"] = False


# Names restated as values and placeholders are not secrets.
SETTINGS = {
    # ok: python.hardcoded-credentials.string-literal
    "access_key": "accessKey",
    # ok: python.hardcoded-credentials.string-literal
    "api_key": "your-api-key-here",
    # ok: python.hardcoded-credentials.string-literal
    "client_secret": "changeme",
    # ruleid: python.hardcoded-credentials.string-literal
    "client_secret": "8c1f9e2a77d04b",
}
# ok: python.hardcoded-credentials.string-literal
PASSWORD = "password"
# ok: python.hardcoded-credentials.string-literal
SECRET_KEY = "secret_key"
# ok: python.hardcoded-credentials.string-literal
SECRET_KEY_BASE = "action_dispatch.secret_key_base"
