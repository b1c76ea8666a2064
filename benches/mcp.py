#!/usr/bin/env python3
"""`astscan mcp`: the time from a `tools/call` request to its response, measured by a client
speaking JSON-RPC over the server's stdio.

A 5-file directory (five files taken from the shared corpus, one per language) is scanned
with the `scan` tool, through a warm daemon (`--daemon always`; its result cache on, as a
developer's daemon runs), the same with a client that declares its roots (the server asks
for them with `roots/list` before the first call), and directly with the local result cache,
after one warm-up call each. Prints every run, then the medians.

Usage: benches/mcp.py ASTSCAN [-n RUNS]     (default 50)
Env:   CORPUS (default ~/.cache/astscan-bench/corpus, built by ../shared/bench/corpus.sh)
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    binary = shutil.which(args[0]) or os.path.abspath(args[0])
    runs = int(args[args.index("-n") + 1]) if "-n" in args else 50
    corpus = os.environ.get("CORPUS", os.path.expanduser("~/.cache/astscan-bench/corpus"))
    if not os.path.isdir(corpus):
        sys.exit(f"no corpus at {corpus} (run ../shared/bench/corpus.sh {corpus})")
    tmp = tempfile.mkdtemp()
    os.chmod(tmp, 0o700)
    try:
        root = os.path.join(tmp, "repo")
        os.makedirs(os.path.join(root, "five"))
        for i, path in enumerate(pick(corpus)):
            shutil.copy(path, os.path.join(root, "five", f"f{i}{os.path.splitext(path)[1]}"))
        sock = os.path.join(tmp, "d.sock")
        env = dict(os.environ, ASTSCAN_CACHE_DIR=os.path.join(tmp, "cache"))
        env.pop("ASTSCAN_NO_CACHE", None)
        daemon = subprocess.Popen(
            [binary, "daemon", "--async", "--socket", sock, "--workers", "2",
             "--log-level", "warn"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            while not os.path.exists(sock):
                time.sleep(0.02)
            results = {}
            through_daemon = ["--daemon", "always", "--socket", sock]
            for mode, extra, roots in (("daemon", through_daemon, False),
                                       ("roots", through_daemon, True),
                                       ("direct", ["--daemon", "never"], False)):
                results[mode] = measure(binary, root, env, extra, runs, roots)
                print(f"{mode}: " + " ".join(f"{t:.1f}" for t in results[mode]), flush=True)
            print("## medians (ms, request to response, scan of a 5-file directory)")
            for mode, times in results.items():
                print(f"{mode:<7} {statistics.median(times):6.1f}   "
                      f"(p90 {sorted(times)[int(len(times) * 0.9)]:.1f})")
        finally:
            daemon.terminate()
            daemon.wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def pick(corpus):
    """One mid-sized file per language."""
    wanted = [".py", ".js", ".ts", ".go", ".java"]
    found = {}
    for dirpath, _, names in os.walk(corpus):
        for name in sorted(names):
            ext = os.path.splitext(name)[1]
            path = os.path.join(dirpath, name)
            if ext in wanted and ext not in found and 2000 < os.path.getsize(path) < 20000:
                found[ext] = path
        if len(found) == len(wanted):
            break
    return [found[e] for e in wanted if e in found]


def measure(binary, root, env, extra, runs, roots):
    """Times of `runs` calls; with `roots`, the client declares `root` as its one root (and
    the server starts in its parent, so the roots are what confines it)."""
    server = subprocess.Popen(
        [binary, "mcp"] + ([] if roots else ["--root", root]) + extra,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env=env, cwd=os.path.dirname(root) if roots else root,
    )
    ids = iter(range(1, 1_000_000))

    def request(method, params):
        n = next(ids)
        server.stdin.write((json.dumps(
            {"jsonrpc": "2.0", "id": n, "method": method, "params": params}) + "\n").encode())
        server.stdin.flush()
        while True:
            message = json.loads(server.stdout.readline())
            if message.get("method") == "roots/list":
                answer = {"jsonrpc": "2.0", "id": message["id"],
                          "result": {"roots": [{"uri": "file://" + root}]}}
                server.stdin.write((json.dumps(answer) + "\n").encode())
                server.stdin.flush()
            elif message.get("id") == n:
                return message

    capabilities = {"roots": {"listChanged": True}} if roots else {}
    request("initialize", {"protocolVersion": "2025-06-18", "capabilities": capabilities,
                           "clientInfo": {"name": "bench", "version": "1"}})
    server.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    server.stdin.flush()
    call = {"name": "scan", "arguments": {"paths": ["five"]}}
    answer = request("tools/call", call)
    if answer.get("result", {}).get("isError", True):
        sys.exit(f"the scan failed: {answer}")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        request("tools/call", call)
        times.append((time.perf_counter() - start) * 1000)
    server.stdin.close()
    server.wait()
    return times


if __name__ == "__main__":
    main()
