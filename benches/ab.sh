#!/usr/bin/env bash
# Compares two astscan builds on the shared corpus, interleaved: whole rule pack and parse-only
# (--no-rules), direct, no cache; then a 5-file pre-commit scan. Prints every run and medians.
#
# Usage: benches/ab.sh OLD_BINARY NEW_BINARY [-n RUNS]     (default 3 rounds; pre-commit 7)
# Env:   CORPUS (default ~/.cache/astscan-bench/corpus, built by ../shared/bench/corpus.sh)
set -euo pipefail
OLD="${1:?usage: benches/ab.sh OLD NEW [-n RUNS]}"; NEW="${2:?usage: benches/ab.sh OLD NEW [-n RUNS]}"
# The runs start in the corpus: relative paths to the binaries would no longer resolve there.
absolute() { local b; b="$(command -v "$1")"; case "$b" in /*) echo "$b" ;; *) echo "$PWD/$b" ;; esac; }
OLD="$(absolute "$OLD")"; NEW="$(absolute "$NEW")"
shift 2
RUNS=3
[ "${1:-}" = "-n" ] && RUNS="$2"
CORPUS="${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/astscan-bench/corpus}"
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (run ../shared/bench/corpus.sh $CORPUS)" >&2; exit 2; }
cd "$CORPUS"
secs() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
out=$(mktemp)
for _ in $(seq "$RUNS"); do
  for b in old new; do
    bin=$OLD; [ $b = new ] && bin=$NEW
    echo "$b pack $(secs "$bin" analyze --no-cache --daemon never --quiet --format json --jobs 2 --max-file-size 8M .)" | tee -a "$out"
    echo "$b parse $(secs "$bin" analyze --no-cache --daemon never --quiet --format json --jobs 2 --max-file-size 8M --no-rules .)" | tee -a "$out"
  done
done
# sed, not head: head's early exit would fail the pipeline under pipefail.
files=$(find . -name '*.py' | sort | sed -n 1,3p; find . -name '*.js' | sort | sed -n 1p; find . -name '*.ts' | sort | sed -n 1p)
for _ in $(seq 7); do
  for b in old new; do
    bin=$OLD; [ $b = new ] && bin=$NEW
    # shellcheck disable=SC2086
    echo "$b precommit $(secs "$bin" analyze --no-cache --daemon never --quiet --format json $files)" >> "$out"
  done
done
echo "## medians (ms)"
for s in pack parse precommit; do
  o=$(awk -v s=$s '$1=="old" && $2==s {print $3}' "$out" | median)
  n=$(awk -v s=$s '$1=="new" && $2==s {print $3}' "$out" | median)
  echo "$s: old $o, new $n ($(awk -v o="$o" -v n="$n" 'BEGIN {printf "%+.1f %%", (n - o) * 100 / o}'))"
done
rm -f "$out"
