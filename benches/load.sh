#!/usr/bin/env bash
# Load and fairness figures for the daemon, on the shared corpus, with its result cache off
# (every file goes to a worker):
#   - load: `benches/load.rs` holds 1000 idle connections and runs 100 client processes, each
#     with one small file (≤ 4 KiB) outstanding, for 10 s: files/s, latency p50/p90/p99/max,
#     daemon and worker RSS;
#   - fairness: a 5-file pre-commit scan through the daemon, idle vs. while a full-corpus
#     scan runs through the same daemon (medians).
#
# Usage: benches/load.sh [-n RUNS] [--clients N] [--held N] [--seconds S]   (RUNS default 5)
# Env:   CORPUS as for benches/run.sh; JOBS daemon workers (default 2).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KIT="${BENCH_KIT:-$ROOT/../shared/bench}"
CORPUS="${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/astscan-bench/corpus}"
JOBS="${JOBS:-2}"
RUNS=5
LOAD_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) RUNS="$2"; shift 2;;
    --clients|--held|--seconds) LOAD_ARGS+=("$1" "$2"); shift 2;;
    *) echo "usage: $0 [-n RUNS] [--clients N] [--held N] [--seconds S]" >&2; exit 2;;
  esac
done
bash "$KIT/corpus.sh" "$CORPUS" >/dev/null
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
cargo bench --quiet --manifest-path "$ROOT/Cargo.toml" --bench load --no-run 2>/dev/null
A="$ROOT/target/release/astscan"
TMP="$(mktemp -d)"
S="$TMP/d.sock"
cleanup() {
  "$A" daemon stop --socket "$S" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
start_daemon() {
  "$A" daemon --async --socket "$S" --workers "$JOBS" --cache-size 0 --no-cache --log-level warn &
  for _ in $(seq 100); do [ -S "$S" ] && break; sleep 0.1; done
}

echo "astscan: $("$A" --version); $(nproc) cores; daemon: --workers $JOBS --cache-size 0 --no-cache"
echo
echo "## Load"
start_daemon
cargo bench --quiet --manifest-path "$ROOT/Cargo.toml" --bench load -- \
  --socket "$S" --files "$CORPUS" "${LOAD_ARGS[@]}"
"$A" daemon stop --socket "$S" 2>/dev/null

echo
echo "## Fairness: a 5-file scan, idle vs. during a full-corpus scan (same daemon, cache off)"
start_daemon
python3 - "$A" "$CORPUS" "$RUNS" "$S" <<'PY'
import statistics, subprocess, sys, time
a, corpus, runs, sock = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
files = ["python/Flask-3.1.2/flask/blueprints.py", "python/Flask-3.1.2/flask/views.py",
         "python/Django-5.2.7/django/utils/version.py", "js/express-4.21.2/lib/utils.js",
         "js/reduxjs__toolkit-2.9.0/src/query/retry.ts"]
common = ["analyze", "--daemon", "always", "--socket", sock, "--quiet", "--format", "json",
          "--fail-on", "never"]
def small():
    t = time.perf_counter()
    subprocess.run([a, *common, *files], cwd=corpus, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - t) * 1000
for _ in range(10):
    small()  # every worker started and its rules compiled for these languages
idle = [small() for _ in range(max(runs, 5) * 4)]
busy, full_s = [], []
for _ in range(max(1, runs // 2)):
    t = time.perf_counter()
    full = subprocess.Popen([a, *common, "--max-file-size", "8M", "."], cwd=corpus,
                            stdout=subprocess.DEVNULL)
    time.sleep(0.5)  # the full scan is under way
    while full.poll() is None:
        busy.append(small())
        time.sleep(0.05)
    full_s.append(time.perf_counter() - t)
    # The last sample may have overlapped only the tail of the full scan: keep it anyway.
def row(name, xs):
    print(f"{name}: median {statistics.median(xs):.1f} ms, p90 {statistics.quantiles(xs, n=10)[-1]:.1f} ms, "
          f"max {max(xs):.1f} ms over {len(xs)} scans")
row("5 files, idle daemon", idle)
row("5 files, during a full scan", busy)
print(f"full scan alongside: median {statistics.median(full_s):.1f} s over {len(full_s)} runs")
print(f"ratio (median busy / median idle): {statistics.median(busy) / statistics.median(idle):.2f}x")
PY
