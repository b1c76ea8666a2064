#!/usr/bin/env bash
# Like-for-like benchmark: astscan against semgrep and ast-grep with the SAME rules on the SAME
# files — the benchmark kit's 10 security rules (rules/semgrep/security.yml, rules/astgrep/, and
# their astscan translation in benches/kit-rules/) on the Python/JS/TS/TSX part of the corpus.
#
# Usage: benches/peers.sh [-n RUNS]      (default 3 counted runs per scenario, after 1 warm-up)
# Env:   BENCH_KIT    the shared benchmark kit     (default: ../shared/bench next to the repo)
#        CORPUS       corpus directory             (default ~/.cache/astscan-bench/corpus)
#        PEERS        venv with semgrep, ast-grep  (default ~/.cache/astscan-bench/peers)
#        JOBS         parallelism for every tool   (default 2)
#        ASTSCAN_BIN  use this astscan binary and skip `cargo build`
#        OUT          where outputs and timings go (default: a new directory under $TMPDIR)
#
# Scenarios, all on the corpus's python/ and js/ directories (js/ holds the TS and TSX too):
#   a  semgrep, kit rules, its default ignores (.semgrepignore defaults, files over 1 MB)
#   b  semgrep, kit rules, all files (--x-ignore-semgrepignore-files --max-target-bytes=0)
#   c  ast-grep, kit rules (as the kit's run-peers.sh runs it)
#   d  astscan, kit rules only (--no-rules --rules benches/kit-rules)
#   e  astscan, its whole built-in rule pack
# They run round-robin (a b c d e, a b c d e, ...) so drifting load hits all alike; the first
# round is a warm-up. Each run is timed with /usr/bin/time; the table gives median/min/max wall
# and median CPU (user+sys), then what each tool says it analysed and found (from the last run's
# output), findings per rule, and semgrep/astscan ratios for a/d, b/d and a/e.
set -euo pipefail
RUNS=3
. "$(dirname "$0")/common.sh"
OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/astscan-peers.XXXXXX")}"
mkdir -p "$OUT"
B="$PEERS/bin"; R="$KIT/rules"; KR="$ROOT/benches/kit-rules"
DIRS="python js"

# semgrep: no metrics, no version check (it stalls ~95 s without internet), local rules only
export SEMGREP_SEND_METRICS=off SEMGREP_ENABLE_VERSION_CHECK=0
SG="$B/semgrep scan --metrics=off --disable-version-check --jobs $JOBS --config $R/semgrep/security.yml --json"
AS="$A analyze --daemon never --no-cache --quiet --format json --fail-on never --jobs $JOBS"

# id | label | output parser | command (run in $CORPUS)
SCEN=(
  "a|semgrep, kit rules, default ignores|semgrep|$SG $DIRS"
  "b|semgrep, kit rules, all files|semgrep|$SG --x-ignore-semgrepignore-files --max-target-bytes=0 $DIRS"
  "c|ast-grep, kit rules|astgrep|$B/ast-grep scan -j $JOBS --json=compact --inspect summary -c $R/astgrep/sgconfig.yml $DIRS"
  "d|astscan, kit rules only|astscan|$AS --no-rules --rules $KR $DIRS"
  "e|astscan, built-in pack|astscan|$AS $DIRS"
)

echo "# peers.sh $(date -u +%FT%TZ)  host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); JOBS=$JOBS, $RUNS counted runs + 1 warm-up"
echo "# corpus: $CORPUS/{python,js}: $(cd "$CORPUS" && find $DIRS -type f | wc -l) files, $(cd "$CORPUS" && find $DIRS -type f -printf '%s\n' | awk '{s+=$1} END{printf "%.1f", s/1e6}') MB"
echo "# $("$B/semgrep" --version 2>/dev/null | tail -1 | sed 's/^/semgrep /'); $("$B/ast-grep" --version); $("$A" --version)"
echo "# outputs in $OUT"
for s in "${SCEN[@]}"; do IFS='|' read -r id label _ cmd <<<"$s"; echo "#   $id: $cmd"; done

for ((round = 0; round <= RUNS; round++)); do
  for s in "${SCEN[@]}"; do
    IFS='|' read -r id _ _ cmd <<<"$s"
    rc=0
    (cd "$CORPUS" && /usr/bin/time -f '%e %U %S' -o "$OUT/$id.$round.time" \
      sh -c "$cmd" >"$OUT/$id.out" 2>"$OUT/$id.err" </dev/null) || rc=$?
    [ $rc = 0 ] || echo "warning: scenario $id round $round exited with $rc (see $OUT/$id.err)" >&2
    echo "$rc" >"$OUT/$id.$round.rc"
  done
  [ $round = 0 ] && echo "# warm-up round done" >&2 || echo "# round $round/$RUNS done" >&2
done

printf '%s\n' "${SCEN[@]}" >"$OUT/scenarios"
python3 - "$OUT" "$RUNS" <<'EOF'
import json, os, re, statistics, sys
from collections import Counter

out, runs = sys.argv[1], int(sys.argv[2])
scen = [l.rstrip("\n").split("|", 3) for l in open(os.path.join(out, "scenarios")) if l.strip()]


def rule(r):  # semgrep prefixes the config path, ast-grep suffixes --ts/--tsx, astscan "kit."
    return r.split("--")[0].rsplit(".", 1)[-1]


def times(sid):
    walls, cpus = [], []
    for r in range(1, runs + 1):
        last = open(os.path.join(out, f"{sid}.{r}.time")).read().split("\n")
        e, u, s = [l for l in last if l.strip()][-1].split()  # a non-zero exit adds a line before
        walls.append(float(e)); cpus.append(float(u) + float(s))
    return walls, cpus


def counts(sid, parser):
    raw = open(os.path.join(out, f"{sid}.out"), "rb").read()
    err = open(os.path.join(out, f"{sid}.err"), "rb").read().decode("utf-8", "replace")
    if parser == "semgrep":
        d = json.loads(raw)
        errs = Counter(e["type"] if isinstance(e.get("type"), str) else e["type"][0] for e in d.get("errors", []))
        return (len(d["paths"]["scanned"]), len(d["results"]),
                Counter(rule(m["check_id"]) for m in d["results"]),
                ", ".join(f"{n} {t}" for t, n in errs.most_common()) or "-")
    if parser == "astgrep":
        d = json.loads(raw) if raw.strip() else []
        m = re.search(r"scannedFileCount=(\d+)", err)
        return int(m.group(1)) if m else None, len(d), Counter(rule(x["ruleId"]) for x in d), "-"
    d = json.loads(raw)
    s, by = d["summary"], Counter()
    for f in d["files"]:
        for x in f.get("findings") or []:
            by[rule(x["rule_id"]) if x["rule_id"].startswith("kit.") else x["rule_id"]] += 1
    note = ", ".join(f"{n} skipped {r}" for r, n in s["skipped_by_reason"].items())
    note += "".join(f", {n} failed {r}" for r, n in s["failed_by_reason"].items())
    note += f", {s['parsed_with_errors']} with syntax errors"
    return s["parsed"] + s["parsed_with_errors"], s["findings"], by, note.lstrip(", ")


rows = {}
print()
print(f"| | scenario | wall s median | min | max | CPU s median | files analysed | findings | notes |")
print("|---|---|---|---|---|---|---|---|---|")
for sid, label, parser, _ in scen:
    w, c = times(sid)
    try:
        files, found, by, note = counts(sid, parser)
    except Exception as e:  # keep the timings even if an output does not parse
        files, found, by, note = None, None, Counter(), f"output not parsed: {e!r}"[:120]
    rcs = {open(os.path.join(out, f"{sid}.{r}.rc")).read().strip() for r in range(0, runs + 1)}
    if rcs != {"0"}:
        note += f"; exit codes {sorted(rcs)}"
    rows[sid] = dict(wall=statistics.median(w), cpu=statistics.median(c), by=by)
    print(f"| {sid} | {label} | {statistics.median(w):.2f} | {min(w):.2f} | {max(w):.2f} | "
          f"{statistics.median(c):.2f} | {files} | {found} | {note} |")

kit = ["py-eval-exec-nonliteral", "py-subprocess-shell-true", "py-os-system", "py-pickle-load",
       "py-yaml-load-no-loader", "py-weak-hash", "js-eval-nonliteral", "js-child-process-exec",
       "js-innerhtml-assign", "js-math-random"]
ids = [s[0] for s in scen if s[0] != "e"]
print()
print("| kit rule | " + " | ".join(ids) + " |")
print("|---|" + "---|" * len(ids))
for k in kit:
    print(f"| {k} | " + " | ".join(str(rows[i]["by"].get(k, 0)) for i in ids) + " |")

print()
print("| semgrep / astscan | wall | CPU |")
print("|---|---|---|")
for a, b, what in [("a", "d", "default ignores / kit rules"), ("b", "d", "all files / kit rules"),
                   ("a", "e", "default ignores / built-in pack")]:
    print(f"| ({a})/({b}) {what} | {rows[a]['wall'] / rows[b]['wall']:.1f}x | {rows[a]['cpu'] / rows[b]['cpu']:.1f}x |")
EOF
