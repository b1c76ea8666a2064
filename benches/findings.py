#!/usr/bin/env python3
"""Findings per 1,000 lines on the benchmark corpus, per language and per rule, and a seeded
random sample of findings for hand-checking.

Usage: benches/findings.py ASTSCAN [--corpus DIR] [--sample N] [--seed S] [--compare OLD]

With --compare, the same table for a second binary (OLD) is printed first. The sample lists
each finding with its rule, location, source line and, for taint findings, its flow; it is
drawn from the first binary's findings with random.Random(seed).
"""
import argparse, collections, json, os, random, subprocess

ap = argparse.ArgumentParser()
ap.add_argument("astscan")
ap.add_argument("--corpus", default=os.path.expanduser("~/.cache/astscan-bench/corpus"))
ap.add_argument("--sample", type=int, default=0)
ap.add_argument("--seed", type=int, default=13)
ap.add_argument("--compare")
args = ap.parse_args()


def scan(binary):
    out = subprocess.run(
        [binary, "analyze", "--no-cache", "--daemon", "never", "--format", "json",
         "--fail-on", "never", "--quiet", "--jobs", "2", "--max-file-size", "8M", "."],
        cwd=args.corpus, capture_output=True, check=True)
    return json.loads(out.stdout)


def table(name, report):
    lines = collections.Counter()
    found = collections.Counter()
    rules = collections.Counter()
    for f in report["files"]:
        lang = f.get("language") or "-"
        lines[lang] += f.get("lines") or 0
        for x in f.get("findings") or []:
            if x.get("suppressed"):
                continue
            found[lang] += 1
            rules[x["rule_id"]] += 1
    print(f"## {name}")
    print(f"{'language':<12} {'lines':>10} {'findings':>9} {'per KLOC':>9}")
    for lang in sorted(lines):
        print(f"{lang:<12} {lines[lang]:>10} {found[lang]:>9} {found[lang] * 1000 / max(lines[lang], 1):>9.3f}")
    total_l, total_f = sum(lines.values()), sum(found.values())
    print(f"{'all':<12} {total_l:>10} {total_f:>9} {total_f * 1000 / max(total_l, 1):>9.3f}")
    print("top rules:", ", ".join(f"{r} {n}" for r, n in rules.most_common(15)))
    print()


if args.compare:
    table(args.compare, scan(args.compare))
report = scan(args.astscan)
table(args.astscan, report)
if args.sample:
    every = [(f["path"], x) for f in report["files"] for x in f.get("findings") or []
             if not x.get("suppressed")]
    rng = random.Random(args.seed)
    picked = rng.sample(every, min(args.sample, len(every)))
    for i, (path, x) in enumerate(picked, 1):
        print(f"[{i}] {path}:{x['span']['start']['line']} {x['rule_id']} ({x['severity']}, {x['confidence']})")
        print(f"     {x['snippet'].strip()[:160]}")
        for step in x.get("flow") or []:
            print(f"       {step['kind']:<9} line {step['span']['start']['line']}: {step['label']}")
