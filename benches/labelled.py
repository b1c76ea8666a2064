#!/usr/bin/env python3
"""Score astscan against the hand-labelled test set in benches/labelled/.

Usage: benches/labelled.py ASTSCAN_BINARY [--min-confidence X] [-v]

Every labelled line in benches/labelled/ is preceded by a comment of the form
`expect: CWE-N` (a scanner should report CWE-N on the next line) or
`safe: CWE-N` (the next line looks like a CWE-N sink but is not exploitable).

For each labelled line:
  expect + a finding with that CWE on the line -> TP, otherwise FN
  safe   + a finding with that CWE on the line -> FP, otherwise TN
Findings of one of the labelled CWE classes on lines with no label are counted
as "unlabelled findings" (listed with -v). Findings on a labelled line whose
CWE differs from the label are counted as "other-CWE findings on labelled
lines" (also listed with -v); they do not change TP/FP/FN/TN.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SET_DIR = os.path.join("benches", "labelled")
CLASSES = {89, 78, 95, 22, 918, 601, 79, 502, 90, 643}
LABEL_RE = re.compile(r"^\s*(?:#|//)\s*(expect|safe):\s*CWE-(\d+)\s*$")
SOURCE_EXT = {".py", ".js", ".ts", ".java", ".php", ".rb", ".go"}


def collect_labels():
    """Return {relpath: {line: (kind, cwe)}} for every file in the set."""
    labels = {}
    root = os.path.join(REPO, SET_DIR)
    for dirpath, _dirs, files in os.walk(root):
        for name in sorted(files):
            if os.path.splitext(name)[1] not in SOURCE_EXT:
                continue
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, REPO).replace(os.sep, "/")
            file_labels = {}
            with open(full, encoding="utf-8") as fh:
                lines = fh.read().split("\n")
            for idx, text in enumerate(lines):
                m = LABEL_RE.match(text)
                if m:
                    target = idx + 2  # 1-based number of the next line
                    file_labels[target] = (m.group(1), int(m.group(2)))
            labels[rel] = file_labels
    return labels


def language_of(rel):
    parts = rel.split("/")
    return parts[2] if len(parts) > 3 else "?"


def normalise(path):
    """Map a report path onto a repo-relative path of the set."""
    p = path.replace("\\", "/")
    if os.path.isabs(p):
        p = os.path.relpath(p, REPO).replace(os.sep, "/")
    if p.startswith("./"):
        p = p[2:]
    marker = SET_DIR.replace(os.sep, "/") + "/"
    i = p.find(marker)
    return p[i:] if i >= 0 else p


def run_scanner(binary, min_conf):
    cmd = [binary, "analyze", "--no-cache", "--daemon", "never", "--format", "json",
           "--fail-on", "never"]
    if min_conf is not None:
        cmd += ["--min-confidence", min_conf]
    cmd.append(SET_DIR)
    proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode(errors="replace"))
        sys.exit("scanner exited with status %d: %s" % (proc.returncode, " ".join(cmd)))
    try:
        return json.loads(proc.stdout)
    except ValueError as exc:
        sys.exit("scanner output is not JSON: %s" % exc)


def findings_by_file(report):
    out = defaultdict(list)
    for f in report.get("files") or []:
        rel = normalise(f.get("path", ""))
        for fd in f.get("findings") or []:
            try:
                line = int(fd["span"]["start"]["line"])
            except (KeyError, TypeError, ValueError):
                continue
            cwe = fd.get("cwe")
            try:
                cwe = int(cwe) if cwe is not None else None
            except (TypeError, ValueError):
                cwe = None
            out[rel].append((line, cwe, fd.get("rule_id", "?")))
    return out


def ratio(num, den):
    return "%.3f" % (num / den) if den else "n/a"


def print_table(title, rows):
    print("%-14s %5s %5s %5s %5s %9s %7s" % (title, "TP", "FP", "FN", "TN", "precision", "recall"))
    for key, c in rows:
        print("%-14s %5d %5d %5d %5d %9s %7s" % (
            key, c["TP"], c["FP"], c["FN"], c["TN"],
            ratio(c["TP"], c["TP"] + c["FP"]), ratio(c["TP"], c["TP"] + c["FN"])))
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--min-confidence", default=None)
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="list FN, FP, unlabelled and other-CWE findings")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary) if os.sep in args.binary else args.binary

    labels = collect_labels()
    report = run_scanner(binary, args.min_confidence)
    found = findings_by_file(report)

    def zero():
        return {"TP": 0, "FP": 0, "FN": 0, "TN": 0}

    by_lang = defaultdict(zero)
    by_cwe = defaultdict(zero)
    total = zero()
    misses, false_pos, unlabelled, other_cwe = [], [], [], []

    for rel in sorted(labels):
        flabels = labels[rel]
        cwes_on_line = defaultdict(set)
        for line, cwe, rule in found.get(rel, []):
            cwes_on_line[line].add(cwe)
            if line not in flabels:
                if cwe in CLASSES:
                    unlabelled.append((rel, line, cwe, rule))
            elif cwe != flabels[line][1]:
                other_cwe.append((rel, line, cwe, rule, flabels[line]))
        for line, (kind, cwe) in sorted(flabels.items()):
            hit = cwe in cwes_on_line.get(line, ())
            if kind == "expect":
                outcome = "TP" if hit else "FN"
                if not hit:
                    misses.append((rel, line, cwe))
            else:
                outcome = "FP" if hit else "TN"
                if hit:
                    false_pos.append((rel, line, cwe))
            for bucket in (by_lang[language_of(rel)], by_cwe["CWE-%d" % cwe], total):
                bucket[outcome] += 1

    for rel in found:
        if rel not in labels:
            for line, cwe, rule in found[rel]:
                if cwe in CLASSES:
                    unlabelled.append((rel, line, cwe, rule))

    conf = args.min_confidence if args.min_confidence is not None else "(default)"
    print("labelled set: %s   files: %d   labelled lines: %d   min-confidence: %s\n" % (
        SET_DIR, len(labels), sum(len(v) for v in labels.values()), conf))
    print_table("language", sorted(by_lang.items()))
    print_table("cwe", sorted(by_cwe.items(), key=lambda kv: int(kv[0][4:])))
    print_table("total", [("all", total)])
    print("unlabelled findings (labelled CWE classes, unlabelled lines): %d" % len(unlabelled))
    print("other-CWE findings on labelled lines: %d" % len(other_cwe))

    if args.verbose:
        if misses:
            print("\nfalse negatives:")
            for rel, line, cwe in misses:
                print("  %s:%d CWE-%d" % (rel, line, cwe))
        if false_pos:
            print("\nfalse positives:")
            for rel, line, cwe in false_pos:
                print("  %s:%d CWE-%d" % (rel, line, cwe))
        if unlabelled:
            print("\nunlabelled findings:")
            for rel, line, cwe, rule in sorted(unlabelled):
                print("  %s:%d CWE-%s %s" % (rel, line, cwe, rule))
        if other_cwe:
            print("\nother-CWE findings on labelled lines:")
            for rel, line, cwe, rule, (kind, lcwe) in sorted(other_cwe):
                print("  %s:%d CWE-%s %s (label: %s CWE-%d)" % (rel, line, cwe, rule, kind, lcwe))


if __name__ == "__main__":
    main()
