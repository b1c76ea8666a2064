import html

import jinja2
import ldap
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from flask import Flask, make_response, request
from ldap.filter import escape_filter_chars
from lxml import etree
from markupsafe import Markup, escape

app = Flask(__name__)

FOOTER = "<footer>&copy; Example Corp</footer>"


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    # ruleid: python.xss.html-returned-from-route
    return "<h1>Hello " + name + "</h1>"


@app.route("/greet2")
def greet2():
    name = request.args.get("name", "")
    # ruleid: python.xss.html-built-from-input, python.xss.tainted-html
    return make_response(f"<p>Welcome back, {name}!</p>")


@app.route("/greet3")
def greet3():
    name = request.args.get("name", "")
    # ok: python.xss.html-built-from-input
    first = make_response(f"<p>Welcome back, {escape(name)}!</p>")
    # ok: python.xss.html-returned-from-route
    return "<p>Static page</p>"


@app.route("/status")
def status():
    count = request.args.get("count", "0")
    # ok: python.xss.html-returned-from-route
    return f"Processed {count} items"


@app.route("/bio")
def bio():
    text = request.form["bio"]
    # ruleid: python.xss.mark-safe-non-literal, python.xss.tainted-html
    rendered = Markup(text)
    # ok: python.xss.mark-safe-non-literal
    footer = Markup(FOOTER)
    # ok: python.xss.mark-safe-non-literal
    safe = Markup(escape(text))
    return rendered + footer + safe


def profile(request):
    about = request.POST.get("about", "")
    # ruleid: python.xss.mark-safe-non-literal, python.xss.tainted-html
    html_about = mark_safe("<div class='about'>" + about + "</div>")
    # ok: python.xss.mark-safe-non-literal
    banner = mark_safe("<strong>Beta</strong>")
    # ok: python.xss.mark-safe-non-literal
    link = format_html("<a href='{}'>{}</a>", request.path, about)
    # ruleid: python.xss.html-built-from-input, python.xss.tainted-html
    page = HttpResponse("<section>" + about + "</section>")
    # ok: python.xss.html-built-from-input
    return HttpResponse(html_about + banner + link)


def render_row(item):
    # ok: python.xss.html-returned-from-route
    return "<tr><td>" + item + "</td></tr>"


def template_env(loader):
    # ruleid: python.xss.jinja-autoescape-disabled
    unsafe = jinja2.Environment(loader=loader, autoescape=False)
    # ok: python.xss.jinja-autoescape-disabled
    safe = jinja2.Environment(loader=loader, autoescape=jinja2.select_autoescape(["html"]))
    return unsafe, safe


def find_user(conn, username):
    # ruleid: python.ldap-injection.filter-built-from-input
    result = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + username + ")")
    # ruleid: python.ldap-injection.filter-built-from-input
    groups = conn.search_s("ou=groups,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(&(objectClass=group)(member={username}))")
    # ok: python.ldap-injection.filter-built-from-input
    safe = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=%s)" % escape_filter_chars(username))
    # ok: python.ldap-injection.filter-built-from-input
    admins = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(memberOf=cn=admins,dc=example,dc=com)")
    return result, groups, safe, admins


def find_user_ldap3(conn, username):
    # ruleid: python.ldap-injection.filter-built-from-input
    conn.search("dc=example,dc=com", "(sAMAccountName=%s)" % username, attributes=["mail"])
    return conn.entries


def lookup(tree, username, pattern, text):
    # ruleid: python.xpath-injection.expression-built-from-input
    nodes = tree.xpath("//user[@name='" + username + "']")
    # ruleid: python.xpath-injection.expression-built-from-input
    match = tree.find(f".//account[login='{username}']")
    # ok: python.xpath-injection.expression-built-from-input
    safe = tree.xpath("//user[@name=$name]", name=username)
    # ok: python.xpath-injection.expression-built-from-input
    position = text.find(pattern + "=")
    # ok: python.xpath-injection.expression-built-from-input
    allusers = tree.findall(".//user")
    return nodes, match, safe, position, allusers


# Taint: request data into HTML, LDAP filters and XPath expressions.
from markupsafe import escape
from ldap.filter import escape_filter_chars


def card(title):
    return "<div class='card'>" + title + "</div>"


@app.route("/card")
def show_card():
    title = request.args.get("title", "")
    # ruleid: python.xss.tainted-html, python.xss.mark-safe-non-literal
    html = Markup(card(title))
    # ruleid: python.xss.mark-safe-non-literal; ok: python.xss.tainted-html
    escaped = Markup(card(str(escape(title))))
    # ok: python.xss.tainted-html, python.xss.html-built-from-input
    return make_response("<p>" + escape(title) + "</p>")


def find_user(conn, request):
    uid = request.GET["uid"]
    # ruleid: python.ldap-injection.tainted-filter, python.ldap-injection.filter-built-from-input
    conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")
    # ok: python.ldap-injection.tainted-filter
    conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + escape_filter_chars(uid) + ")")
    query = "(cn=%s)" % uid
    # ruleid: python.ldap-injection.tainted-filter
    ldap_conn.search("dc=example,dc=com", query)


def find_book(tree, request):
    title = request.GET["title"]
    # ruleid: python.xpath-injection.tainted-expression, python.xpath-injection.expression-built-from-input
    tree.xpath("//book[title='" + title + "']")
    # ok: python.xpath-injection.tainted-expression
    tree.xpath("//book[title=$t]", t=title)


def profile(request):
    fields = {"bio": request.POST["bio"], "title": "Profile"}
    # ok: python.xss.tainted-html; ruleid: python.xss.html-built-from-input
    header = HttpResponse("<h1>" + fields["title"] + "</h1>")
    # ruleid: python.xss.tainted-html, python.xss.html-built-from-input
    body = HttpResponse("<p>" + fields["bio"] + "</p>")
    bio = request.POST["bio"]
    bio = "(hidden)"
    # ok: python.xss.tainted-html
    hidden = HttpResponse(bio)
    if False:
        # ruleid: python.xss.html-built-from-input; ok: python.xss.tainted-html
        return HttpResponse("<p>" + request.POST["bio"] + "</p>")
    # ok: python.xss.tainted-html
    return HttpResponse(json.dumps(fields), content_type="application/json")


def directory(conn, request):
    uid = request.GET["uid"]
    uid = "guest"
    # ok: python.ldap-injection.tainted-filter
    conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")
    names = ["admin", request.GET["name"]]
    # ok: python.ldap-injection.tainted-filter; ruleid: python.ldap-injection.filter-built-from-input
    conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(cn=" + names[0] + ")")
    if False:
        # ok: python.ldap-injection.tainted-filter; ruleid: python.ldap-injection.filter-built-from-input
        conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(cn=" + request.GET["cn"] + ")")
    # ruleid: python.xpath-injection.tainted-expression; ruleid: python.xpath-injection.expression-built-from-input
    tree.xpath("//user[@name='%s']" % names[1])
    # ok: python.xpath-injection.tainted-expression; ruleid: python.xpath-injection.expression-built-from-input
    tree.xpath("//user[@name='%s']" % names[0])
    page = int(request.GET["page"])
    # ok: python.xpath-injection.tainted-expression
    tree.xpath("//user[%d]" % page)
