#!/usr/bin/env bash
# `astscan graph` beside `astscan analyze` on the same files of the shared corpus: cold (no
# result cache), with and without the rules, and with a warm result cache; interleaved round by
# round, every run printed, then the medians.
#
# Usage: benches/graph.sh ASTSCAN [-n RUNS]     (default 5)
# Env:   CORPUS (default ~/.cache/astscan-bench/corpus, built by ../shared/bench/corpus.sh)
set -euo pipefail
A="${1:?usage: benches/graph.sh ASTSCAN [-n RUNS]}"
A="$(command -v "$A")"; case "$A" in /*) ;; *) A="$PWD/$A" ;; esac
shift
RUNS=5
[ "${1:-}" = "-n" ] && RUNS="$2"
CORPUS="${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/astscan-bench/corpus}"
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (run ../shared/bench/corpus.sh $CORPUS)" >&2; exit 2; }
TMP="$(mktemp -d)"; chmod 700 "$TMP"
trap 'rm -rf "$TMP"' EXIT
cd "$CORPUS"
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
common=(--daemon never --quiet --jobs 2 --max-file-size 8M)
out="$TMP/runs"
# The warm cache: filled once by each command (both share entries: same plan, same key).
export ASTSCAN_CACHE_DIR="$TMP/cache"
"$A" analyze "${common[@]}" --format json . >/dev/null 2>&1 || true
for _ in $(seq "$RUNS"); do
  echo "cold analyze $(ms "$A" analyze "${common[@]}" --no-cache --format json .)" | tee -a "$out"
  echo "cold graph $(ms "$A" graph "${common[@]}" --no-cache --format json .)" | tee -a "$out"
  echo "cold analyze-no-rules $(ms "$A" analyze "${common[@]}" --no-cache --no-rules --format json .)" | tee -a "$out"
  echo "cold graph-no-rules $(ms "$A" graph "${common[@]}" --no-cache --no-rules --format json .)" | tee -a "$out"
  echo "warm analyze $(ms "$A" analyze "${common[@]}" --format json .)" | tee -a "$out"
  echo "warm graph $(ms "$A" graph "${common[@]}" --format json .)" | tee -a "$out"
done
echo "## medians (ms)"
for k in "cold analyze" "cold graph" "cold analyze-no-rules" "cold graph-no-rules" "warm analyze" "warm graph"; do
  set -- $k
  printf '%-24s %s\n' "$k" "$(awk -v a="$1" -v b="$2" '$1==a && $2==b {print $3}' "$out" | median)"
done
