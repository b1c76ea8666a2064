#!/usr/bin/env python3
"""The remote cache tier on the shared corpus, against a real redis-server.

Each round, on fresh local cache directories ("machines"), in this order:
  cold        no remote cache: every file parsed
  fill        the first machine with Redis: every file parsed and written to Redis
  second      another machine: cold local cache, warm Redis
  local-warm  the first machine again without Redis: its own warm local cache
  down        Redis configured but down (a closed loopback port)
Prints every run, the medians, the ratios the targets are about, and the lookups per round
trip the scans achieved (from the JSON summary).

Usage: benches/remote-cache.py ASTSCAN [-n RUNS] [--tcp]     (default 5 runs, unix socket)
Env:   CORPUS (default ~/.cache/astscan-bench/corpus, built by ../shared/bench/corpus.sh)
"""

import json
import os
import secrets
import shutil
import socket
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
    runs = int(args[args.index("-n") + 1]) if "-n" in args else 5
    tcp = "--tcp" in args
    corpus = os.environ.get(
        "CORPUS", os.path.expanduser("~/.cache/astscan-bench/corpus")
    )
    if not os.path.isdir(corpus):
        sys.exit(f"no corpus at {corpus} (run ../shared/bench/corpus.sh {corpus})")

    tmp = tempfile.mkdtemp()
    os.chmod(tmp, 0o700)
    sock = os.path.join(tmp, "redis.sock")
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port if tcp else 0), "--bind", "127.0.0.1",
         "--unixsocket", sock, "--unixsocketperm", "700", "--save", "",
         "--appendonly", "no", "--dir", tmp],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        while not os.path.exists(sock):
            time.sleep(0.01)
        url = f"redis://127.0.0.1:{port}" if tcp else f"redis+unix://{sock}"
        key = os.path.join(tmp, "team.key")
        with open(key, "w", opener=lambda p, f: os.open(p, f, 0o600)) as f:
            f.write(secrets.token_hex(32))
        down = f"redis://127.0.0.1:{free_port()}"
        bench(binary, corpus, tmp, url, key, down, runs)
    finally:
        redis.kill()
        redis.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scan(binary, corpus, cache, url, key, report):
    env = dict(os.environ, ASTSCAN_CACHE_DIR=cache)
    for name in ("ASTSCAN_NO_CACHE", "ASTSCAN_CACHE_URL", "ASTSCAN_CACHE_KEY_FILE"):
        env.pop(name, None)
    if url:
        env.update(ASTSCAN_CACHE_URL=url, ASTSCAN_CACHE_KEY_FILE=key)
    cmd = [binary, "analyze", "--daemon", "never", "--quiet", "--format", "json",
           "--jobs", "2", "--max-file-size", "8M", "-o", report, "."]
    start = time.monotonic()
    subprocess.run(cmd, cwd=corpus, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    ms = (time.monotonic() - start) * 1000
    with open(report) as f:
        summary = json.load(f)["summary"]
    return ms, summary


def bench(binary, corpus, tmp, url, key, down, runs):
    times = {m: [] for m in ("cold", "fill", "second", "local-warm", "down")}
    per_trip = []
    report = os.path.join(tmp, "report.json")
    # One scan first, so the corpus is in the page cache for every measured run.
    scan(binary, corpus, fresh(tmp), None, key, report)
    for r in range(runs):
        clear = [binary, "cache", "clear", "--remote", "--cache-url", url]
        subprocess.run(clear, stderr=subprocess.DEVNULL, check=True)
        ms, _ = scan(binary, corpus, fresh(tmp), None, key, report)
        times["cold"].append(ms)
        first = fresh(tmp)
        ms, s = scan(binary, corpus, first, url, key, report)
        times["fill"].append(ms)
        written = s["remote"]["written"]
        ms, s = scan(binary, corpus, fresh(tmp), url, key, report)
        times["second"].append(ms)
        hits, trips = s["remote"]["hits"], s["remote"]["keys_per_round_trip"]
        per_trip.append(trips)
        ms, _ = scan(binary, corpus, first, None, key, report)
        times["local-warm"].append(ms)
        ms, s = scan(binary, corpus, fresh(tmp), down, key, report)
        times["down"].append(ms)
        print(f"round {r + 1}: " + ", ".join(f"{m} {t[-1]:.0f} ms" for m, t in times.items())
              + f"; written {written}, second-machine hits {hits}, {trips} keys/round trip",
              flush=True)
    med = {m: statistics.median(t) for m, t in times.items()}
    print("## medians (ms)")
    for m, v in med.items():
        print(f"{m:<11} {v:8.0f}")
    print("## ratios")
    print(f"second machine / cold     {med['second'] / med['cold']:.3f}   (target <= 0.15)")
    print(f"second machine / local    {med['second'] / med['local-warm']:.2f}")
    print(f"fill / cold               {med['fill'] / med['cold']:.3f}   (target <= 1.10)")
    print(f"down - cold               {med['down'] - med['cold']:+.0f} ms (target <= +1000)")
    print(f"keys per lookup round trip {statistics.median(per_trip):.1f}")


def fresh(tmp):
    d = tempfile.mkdtemp(dir=tmp)
    os.chmod(d, 0o700)
    return d


if __name__ == "__main__":
    main()
