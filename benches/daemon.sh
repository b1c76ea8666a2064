#!/usr/bin/env bash
# Benchmarks the daemon on the shared corpus, next to direct mode and the peers, in one run:
#   - pre-commit: the kit's 5 files, direct vs. through a warm daemon (cache hits, and with
#     the cache off) vs. ast-grep, semgrep, bandit, lizard;
#   - unchanged re-scan of the whole corpus through the daemon (whole rule pack, answered
#     from its cache) vs. ast-grep and semgrep full scans.
#
# Usage: benches/daemon.sh [-n RUNS]     (default 5; medians)
# Env:   BENCH_KIT, CORPUS, JOBS as for benches/run.sh.
set -euo pipefail
RUNS=5
. "$(dirname "$0")/common.sh"
TMP="$(mktemp -d)"
S="$TMP/cached.sock"
N="$TMP/nocache.sock"
cleanup() {
  "$A" daemon stop --socket "$S" 2>/dev/null || true
  "$A" daemon stop --socket "$N" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
"$A" daemon --async --socket "$S" --workers "$JOBS" --no-cache --log-level warn &
"$A" daemon --async --socket "$N" --workers "$JOBS" --cache-size 0 --no-cache --log-level warn &
for sock in "$S" "$N"; do
  for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
done
echo "astscan: $("$A" --version); daemons on $S (cache) and $N (no cache)"

# Warm both daemons: workers started, rules compiled, cache filled (the corpus, same options
# as the re-scan below).
(cd "$CORPUS" && "$A" analyze --daemon always --socket "$S" --quiet --format json --fail-on never \
  --max-file-size 8M . >/dev/null)
PC="python/Flask-3.1.2/flask/blueprints.py python/Flask-3.1.2/flask/views.py python/Django-5.2.7/django/utils/version.py js/express-4.21.2/lib/utils.js js/reduxjs__toolkit-2.9.0/src/query/retry.ts"
(cd "$CORPUS" && "$A" analyze --daemon always --socket "$N" --quiet --format json --fail-on never $PC >/dev/null)

export ASTSCAN_PRECOMMIT="$A analyze --daemon never --quiet --format json {files}"
export ASTSCAN_PRECOMMIT_WARM="$A analyze --daemon always --socket $S --quiet --format json {files}"
export ASTSCAN_FULL="$A analyze --daemon always --socket $S --quiet --format json --max-file-size 8M ."
bash "$KIT/run-peers.sh" -n "$RUNS" --no-io --only precommit.,full.astscan,full.ast-grep,full.semgrep.default,nomatch-all.ast-grep

echo
echo "## Pre-commit, 5 files, millisecond resolution (the table above rounds to 10 ms)"
python3 - "$A" "$CORPUS" "$RUNS" "$S" "$N" $PC <<'PY'
import statistics, subprocess, sys, time
a, corpus, runs, cached, nocache, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6:]
def measure(args):
    times = []
    for _ in range(max(runs, 5) * 4):
        t = time.perf_counter()
        subprocess.run([a, "analyze", "--quiet", "--format", "json", "--fail-on", "never", *args, *files],
                       cwd=corpus, stdout=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times), len(times)
for name, args in [("direct", ["--daemon", "never"]),
                   ("warm daemon, cache hits", ["--daemon", "always", "--socket", cached]),
                   ("warm daemon, cache off", ["--daemon", "always", "--socket", nocache])]:
    med, lo, n = measure(args)
    print(f"astscan ({name}): median {med:.1f} ms, min {lo:.1f} ms over {n} runs")
PY
echo
"$A" daemon status --socket "$S"
