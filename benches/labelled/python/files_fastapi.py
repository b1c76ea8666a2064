"""FastAPI service for user uploads and remote previews."""
import os
from pathlib import Path

import requests
import yaml
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

app = FastAPI()
UPLOAD_ROOT = "/var/app/uploads"
PREVIEW_HOST = "https://preview.internal.example.com"


def resolve(name: str) -> str:
    return os.path.join(UPLOAD_ROOT, name)


@app.get("/files/{name:path}")
def download(name: str):
    path = resolve(name)
    # expect: CWE-22
    with open(path, "rb") as fh:
        return Response(fh.read(), media_type="application/octet-stream")


@app.get("/raw")
def raw(request: Request):
    fname = request.query_params.get("f", "")
    safe_name = os.path.basename(fname)
    # safe: CWE-22
    data = open(os.path.join(UPLOAD_ROOT, "index.txt")).read()
    # expect: CWE-22
    data2 = open(UPLOAD_ROOT + "/" + fname).read()
    return {"index": data, "file": data2, "name": safe_name}


@app.get("/preview")
def preview(request: Request):
    url = request.query_params.get("url", "")
    # expect: CWE-918
    r = requests.get(url, timeout=5)
    page = request.query_params.get("page", "home")
    # safe: CWE-918
    r2 = requests.get(PREVIEW_HOST + "/render/" + page, timeout=5)
    return {"a": r.text, "b": r2.text}


@app.get("/preview/fetch")
def preview_fetch(request: Request):
    targets = [request.query_params.get("u", ""), "https://status.example.com/ping"]
    # safe: CWE-918
    ok = requests.get(targets[1], timeout=2)
    # expect: CWE-918
    body = requests.get(targets[0], timeout=2)
    return {"ok": ok.status_code, "body": body.text}


@app.post("/config")
async def upload_config(request: Request):
    raw_body = await request.body()
    # expect: CWE-502
    cfg = yaml.load(raw_body, Loader=yaml.Loader)
    # safe: CWE-502
    cfg2 = yaml.safe_load(raw_body)
    return {"keys": list(cfg), "n": len(cfg2)}


@app.get("/hello", response_class=HTMLResponse)
def hello(request: Request):
    who = request.query_params.get("who", "friend")
    # expect: CWE-79
    return HTMLResponse("<p>Hello " + who + "</p>")


@app.get("/go")
def go(request: Request):
    section = request.query_params.get("section", "")
    # expect: CWE-601
    return RedirectResponse(url=section)
