#!/usr/bin/env bash
# The developer loop on the shared corpus:
#   - result cache: a cold direct scan (empty cache) vs. a re-scan of a *fresh copy* of the
#     corpus at another path with new mtimes and a warm cache, vs. ast-grep's parse-only scan
#     of the same copy (never-matching rule, 8 languages);
#   - `--staged`: 5 modified files staged in a repository holding the whole corpus, direct
#     (cold workers, cache off), direct with a warm cache, and through a warm daemon (cache off).
#
# Usage: benches/loop.sh [-n RUNS]     (default 5; medians)
# Env:   CORPUS, BENCH_KIT as for benches/run.sh; JOBS workers (default 2).
set -euo pipefail
RUNS=5
. "$(dirname "$0")/common.sh"
TMP="$(mktemp -d)"
S="$TMP/d.sock"
cleanup() {
  "$A" daemon stop --socket "$S" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

echo "astscan: $("$A" --version); $(nproc) cores; --jobs $JOBS"
cp -r "$CORPUS" "$TMP/copy"   # another path, new mtimes
mkdir "$TMP/repo"
cp -r "$CORPUS"/. "$TMP/repo"
(
  cd "$TMP/repo"
  git init -q
  git add -A
  git -c user.name=b -c user.email=b@example.com commit -q -m corpus
  for f in python/Flask-3.1.2/flask/blueprints.py python/Flask-3.1.2/flask/views.py \
           python/Django-5.2.7/django/utils/version.py js/express-4.21.2/lib/utils.js \
           js/reduxjs__toolkit-2.9.0/src/query/retry.ts; do
    printf '\n// %s\n' "$RANDOM" | sed 's|^//|#|' >> "$f"
    git add "$f"
  done
)
"$A" daemon --async --socket "$S" --workers "$JOBS" --cache-size 0 --no-cache --log-level warn &
for _ in $(seq 100); do [ -S "$S" ] && break; sleep 0.1; done

python3 - "$A" "$CORPUS" "$TMP" "$RUNS" "$JOBS" "$PEERS/bin/ast-grep" "$KIT/rules/astgrep-none-all/sgconfig.yml" "$S" <<'PY'
import os, shutil, statistics, subprocess, sys, time
a, corpus, tmp, runs, jobs, ag, agconf, sock = sys.argv[1:]
runs = int(runs)
copy, repo, cache = f"{tmp}/copy", f"{tmp}/repo", f"{tmp}/cache"
common = ["--jobs", jobs, "--quiet", "--format", "json", "--fail-on", "never", "--max-file-size", "8M"]

def timed(cmd, cwd, env=None):
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, check=True,
                   env={**os.environ, **(env or {})})
    return time.perf_counter() - t

def median(xs):
    return statistics.median(xs)

print("\n## Result cache: fresh copy of the corpus at another path, new mtimes")
cold = []
for _ in range(max(1, runs // 2)):
    shutil.rmtree(cache, ignore_errors=True)
    cold.append(timed([a, "analyze", "--daemon", "never", "--cache-dir", cache, *common, "."], corpus))
warm = [timed([a, "analyze", "--daemon", "never", "--cache-dir", cache, *common, "."], copy) for _ in range(runs)]
nocache = [timed([a, "analyze", "--daemon", "never", "--no-cache", *common, "."], copy) for _ in range(max(1, runs // 2))]
astgrep = [timed([ag, "scan", "-j", jobs, "-c", agconf, "."], copy) for _ in range(runs)]
print(f"cold scan, empty cache (corpus):        median {median(cold):.2f} s over {len(cold)}")
print(f"same, --no-cache (fresh copy):          median {median(nocache):.2f} s over {len(nocache)}")
print(f"warm cache (fresh copy):                median {median(warm):.2f} s over {len(warm)}")
print(f"ast-grep never-matching (fresh copy):   median {median(astgrep):.2f} s over {len(astgrep)}")
print(f"warm / cold: {median(warm) / median(cold):.3f}x (target <= 0.15x); "
      f"warm / ast-grep: {median(warm) / median(astgrep):.3f}x")

print("\n## --staged, 5 modified files staged in a repository of the whole corpus")
staged = ["analyze", "--staged", "--quiet", "--format", "json", "--fail-on", "never"]
direct = [timed([a, *staged, "--daemon", "never", "--no-cache"], repo) for _ in range(runs * 2)]
shutil.rmtree(cache, ignore_errors=True)
timed([a, *staged, "--daemon", "never", "--cache-dir", cache], repo)
cached = [timed([a, *staged, "--daemon", "never", "--cache-dir", cache], repo) for _ in range(runs * 2)]
for _ in range(10):  # every daemon worker warm for these languages
    timed([a, *staged, "--daemon", "always", "--socket", sock], repo)
daemon = [timed([a, *staged, "--daemon", "always", "--socket", sock], repo) for _ in range(runs * 4)]
print(f"direct, cache off:           median {median(direct) * 1000:.1f} ms over {len(direct)}")
print(f"direct, warm result cache:   median {median(cached) * 1000:.1f} ms over {len(cached)}")
print(f"warm daemon, its cache off:  median {median(daemon) * 1000:.1f} ms over {len(daemon)}")
PY
