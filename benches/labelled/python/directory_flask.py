"""Staff directory lookups against LDAP and the XML roster."""
import ldap
from lxml import etree
from flask import Flask, request, make_response
from ldap.filter import escape_filter_chars

app = Flask(__name__)
LDAP_BASE = "ou=people,dc=example,dc=com"
ROSTER = etree.parse("/srv/roster.xml")


def connect():
    conn = ldap.initialize("ldap://ldap.example.com")
    conn.simple_bind_s("cn=reader,dc=example,dc=com", "reader")
    return conn


@app.route("/staff")
def staff():
    uid = request.args.get("uid", "")
    conn = connect()
    flt = "(uid=" + uid + ")"
    # expect: CWE-90
    res = conn.search_s(LDAP_BASE, ldap.SCOPE_SUBTREE, flt)
    safe_flt = "(uid=" + escape_filter_chars(uid) + ")"
    # safe: CWE-90
    res2 = conn.search_s(LDAP_BASE, ldap.SCOPE_SUBTREE, safe_flt)
    # safe: CWE-90
    res3 = conn.search_s(LDAP_BASE, ldap.SCOPE_SUBTREE, "(objectClass=person)")
    return {"n": len(res) + len(res2) + len(res3)}


@app.route("/roster")
def roster():
    team = request.args.get("team", "")
    # expect: CWE-643
    nodes = ROSTER.xpath("//member[@team='" + team + "']")
    # safe: CWE-643
    nodes2 = ROSTER.xpath("//member[@team=$t]", t=team)
    count = int(request.args.get("count", "1"))
    # safe: CWE-643
    nodes3 = ROSTER.xpath("//member[position() <= %d]" % count)
    return {"n": len(nodes) + len(nodes2) + len(nodes3)}


@app.route("/badge")
def badge():
    name = request.args.get("name", "")
    tpl = "<div class='badge'>" + name + "</div>"
    # expect: CWE-79
    return make_response(tpl)


@app.route("/calc")
def calc():
    settings = {"expr": request.args.get("expr", "0"), "default": "2 * 21"}
    # safe: CWE-95
    answer = eval(settings["default"])
    # expect: CWE-95
    other = eval(settings["expr"])
    code = request.args.get("code", "")
    for _ in range(1):
        # expect: CWE-95
        exec(code)
    return {"answer": answer, "other": other}
