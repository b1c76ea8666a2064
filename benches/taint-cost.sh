#!/usr/bin/env bash
# What the rule pack (taint rules included) costs over parse-only, on the shared corpus:
# direct scans, and through a warm daemon with its result cache off, interleaved round by
# round; prints every run (wall ms, and for direct scans CPU ms) and the medians.
#
# Usage: benches/taint-cost.sh ASTSCAN [-n RUNS]     (default 5)
# Env:   CORPUS (default ~/.cache/astscan-bench/corpus, built by ../shared/bench/corpus.sh)
set -euo pipefail
A="${1:?usage: benches/taint-cost.sh ASTSCAN [-n RUNS]}"
# The runs start in the corpus: a relative path to the binary would no longer resolve there.
A="$(command -v "$A")"; case "$A" in /*) ;; *) A="$PWD/$A" ;; esac
shift
RUNS=5
[ "${1:-}" = "-n" ] && RUNS="$2"
CORPUS="${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/astscan-bench/corpus}"
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (run ../shared/bench/corpus.sh $CORPUS)" >&2; exit 2; }
TMP="$(mktemp -d)"
SOCK="$TMP/d.sock"
cleanup() { "$A" daemon stop --socket "$SOCK" >/dev/null 2>&1 || true; rm -rf "$TMP"; }
trap cleanup EXIT
"$A" daemon --async --socket "$SOCK" --workers 2 --cache-size 0 --no-cache --log-level warn &
for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.1; done
cd "$CORPUS"
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
# Wall and CPU (user + sys of the scan and its workers) in ms: a direct scan's workers are its
# children, so their CPU time is counted; a daemon's workers are not the client's.
wall_cpu() {
  /usr/bin/time -f '%e %U %S' -o "$TMP/time" "$@" >/dev/null 2>&1 || true
  # The last line: time(1) writes "Command exited with non-zero status 1" above it when the
  # scan has findings.
  tail -n 1 "$TMP/time" | awk '{printf "%d %d", $1 * 1000, ($2 + $3) * 1000}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
common=(analyze --no-cache --quiet --format json --jobs 2 --max-file-size 8M .)
out="$TMP/runs"
# One warm-up of each, so the daemon's workers have compiled their languages.
ms "$A" "${common[@]}" --daemon always --socket "$SOCK" >/dev/null
ms "$A" "${common[@]}" --daemon always --socket "$SOCK" --no-rules >/dev/null
for _ in $(seq "$RUNS"); do
  echo "direct pack $(wall_cpu "$A" "${common[@]}" --daemon never)" | tee -a "$out"
  echo "direct parse $(wall_cpu "$A" "${common[@]}" --daemon never --no-rules)" | tee -a "$out"
  echo "daemon pack $(ms "$A" "${common[@]}" --daemon always --socket "$SOCK")" | tee -a "$out"
  echo "daemon parse $(ms "$A" "${common[@]}" --daemon always --socket "$SOCK" --no-rules)" | tee -a "$out"
done
echo "## medians (ms)"
for mode in direct daemon; do
  p=$(awk -v m=$mode '$1==m && $2=="pack" {print $3}' "$out" | median)
  q=$(awk -v m=$mode '$1==m && $2=="parse" {print $3}' "$out" | median)
  echo "$mode: pack $p, parse-only $q, pack over parse-only $(awk -v p="$p" -v q="$q" 'BEGIN {printf "%+.1f %%", (p - q) * 100 / q}')"
done
p=$(awk '$1=="direct" && $2=="pack" {print $4}' "$out" | median)
q=$(awk '$1=="direct" && $2=="parse" {print $4}' "$out" | median)
echo "direct CPU: pack $p, parse-only $q, pack over parse-only $(awk -v p="$p" -v q="$q" 'BEGIN {printf "%+.1f %%", (p - q) * 100 / q}')"
