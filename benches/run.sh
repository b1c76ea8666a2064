#!/usr/bin/env bash
# Benchmarks astscan against its peers on the shared multi-language corpus, in one run.
#
# Usage: benches/run.sh [-n RUNS]        (default 5 counted runs per scenario, medians)
# Env:   BENCH_KIT  the shared benchmark kit     (default: ../shared/bench next to the repo)
#        CORPUS     corpus directory             (default ~/.cache/astscan-bench/corpus)
#        JOBS       parallelism for every tool   (default 2); PEERS, ASTSCAN_BIN: see common.sh
#
# Builds the corpus and installs the peers (both cached), builds astscan in release, then runs
# the kit's round-robin driver with astscan as one more column, and the crypto benchmark.
set -euo pipefail
RUNS=5
. "$(dirname "$0")/common.sh"
echo "astscan: $("$A" --version)"

# ast-grep skips files over 3 MB *and* 200,000 lines: here that is typescript.js (8.7 MiB) alone,
# which an 8 MiB limit also skips, so these scenarios analyse the same files as ast-grep.
# "full" runs astscan's whole rule pack; "nomatch-all" is parse + structure only (--no-rules).
export ASTSCAN_FULL="$A analyze --daemon never --quiet --format json --jobs $JOBS --max-file-size 8M ."
export ASTSCAN_NOMATCH_ALL="$A analyze --daemon never --quiet --format json --jobs $JOBS --max-file-size 8M --no-rules ."
export ASTSCAN_PARSE="$A analyze --daemon never --quiet --format json --jobs $JOBS --no-rules {dir}"
export ASTSCAN_BIGFILE="$A analyze --daemon never --quiet --format json --jobs 1 {big}"
export ASTSCAN_PRECOMMIT="$A analyze --daemon never --quiet --format json {files}"
bash "$KIT/run-peers.sh" -n "$RUNS" --no-io \
  --only nomatch-all.,full.astscan,full.ast-grep,full.semgrep.default,parse.,bigfile.ast-grep,bigfile.astscan,precommit.

echo
echo "## What each tool analysed"
"$A" analyze --quiet --format json --fail-on never --jobs "$JOBS" --max-file-size 8M "$CORPUS" | python3 -c '
import json, sys
s = json.load(sys.stdin)["summary"]
print("astscan: %d files seen, %d parsed, %d with syntax errors, %d skipped %s, %d failed %s; %d findings %s" % (
    s["files"], s["parsed"], s["parsed_with_errors"], s["skipped"], s["skipped_by_reason"],
    s["failed"], s["failed_by_reason"], s["findings"], s["findings_by_severity"]))'

echo
echo "## Whole process tree peak RSS (astscan's workers are outside its process group)"
python3 "$ROOT/benches/tree_rss.py" -n 3 -- "$A" analyze --quiet --format json --jobs "$JOBS" --max-file-size 8M --no-rules "$CORPUS"
python3 "$ROOT/benches/tree_rss.py" -n 3 -- "$A" analyze --quiet --format json --fail-on never --jobs "$JOBS" --max-file-size 8M "$CORPUS"

echo
echo "## Hashing and crypto (release, one core)"
cargo bench --quiet --manifest-path "$ROOT/Cargo.toml" --bench crypto -- "$CORPUS"
