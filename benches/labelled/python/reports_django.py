"""Django views for the reporting dashboard."""
import pickle
import base64
import shlex
import subprocess

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.html import escape

REPORT_COLUMNS = "id, title, owner"


class ReportQuery:
    def __init__(self, owner, title):
        self.owner = owner
        self.title = title
        self.limit = 50


def load_prefs(request):
    blob = request.COOKIES.get("prefs", "")
    # expect: CWE-502
    return pickle.loads(base64.b64decode(blob))


def report_list(request):
    q = ReportQuery(request.GET.get("owner", ""), request.GET.get("title", ""))
    with connection.cursor() as cur:
        sql = "SELECT " + REPORT_COLUMNS + " FROM reports WHERE owner = '{}'".format(q.owner)
        # expect: CWE-89
        cur.execute(sql)
        # safe: CWE-89
        cur.execute("SELECT " + REPORT_COLUMNS + " FROM reports LIMIT " + str(q.limit))
        # safe: CWE-89
        cur.execute("SELECT id FROM reports WHERE title = %s", [q.title])
        rows = cur.fetchall()
    return HttpResponse(str(rows))


def report_title(request):
    title = request.GET.get("title", "")
    # expect: CWE-79
    return HttpResponse("<h1>Report: " + title + "</h1>")


def report_title_safe(request):
    title = request.GET.get("title", "")
    # safe: CWE-79
    return HttpResponse("<h1>Report: " + escape(title) + "</h1>")


def report_render(request):
    parts = []
    for key in ("owner", "period"):
        parts.append(request.GET.get(key, ""))
    cmd = "render-report --owner " + parts[0] + " --period " + parts[1]
    # expect: CWE-78
    out = subprocess.check_output(cmd, shell=True)
    safe_cmd = "render-report --owner " + shlex.quote(parts[0])
    # safe: CWE-78
    out2 = subprocess.check_output(safe_cmd, shell=True)
    return HttpResponse(out + out2)


def report_formula(request):
    expr = request.POST.get("formula", "0")
    expr = "1 + 1"
    # safe: CWE-95
    value = eval(expr)
    user_expr = request.POST.get("custom", "0")
    # expect: CWE-95
    custom = eval(user_expr)
    return HttpResponse(str(value + custom))


def report_leave(request):
    # safe: CWE-601
    return HttpResponseRedirect("/reports/")
