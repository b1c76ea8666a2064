#!/usr/bin/env python3
"""Precision and recall of the built-in pack on labelled code we did not write: the benchmark
kit's samples (`../shared/bench/rules/tests/`, one expected finding per line in
`expected-findings.txt`, named by the kit's rule classes).

A finding counts as a true positive when the kit expects a finding of the same class on that
file and line; any other finding is a false positive; an expected finding nobody reported is a
false negative.

Usage: benches/precision.py [ASTSCAN] [KIT_RULES_DIR]
"""
import collections, json, os, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
astscan = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target/release/astscan")
kit = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "../shared/bench/rules")

# The kit's classes and the rule ids of ours that cover each.
CLASSES = {
    "js-eval-nonliteral": "javascript.code-injection.eval",
    "js-child-process-exec": "javascript.command-injection.",
    "js-innerhtml-assign": "javascript.xss.inner-html",
    "js-math-random": "javascript.insecure-randomness.",
    "py-eval-exec-nonliteral": "python.code-injection.eval",
    "py-subprocess-shell-true": "python.command-injection.subprocess-shell",
    "py-os-system": "python.command-injection.os-system",
    "py-pickle-load": "python.deserialization.pickle",
    "py-yaml-load-no-loader": "python.deserialization.yaml-unsafe-load",
    "py-weak-hash": "python.weak-hash.",
}

expected = collections.Counter()
with open(os.path.join(kit, "tests/expected-findings.txt")) as f:
    for line in f:
        path, lineno, cls = line.split()
        expected[(path, int(lineno), cls)] += 1

out = subprocess.run(
    [astscan, "analyze", "--no-cache", "--daemon", "never", "--format", "json",
     "--fail-on", "never", "tests"],
    cwd=kit, capture_output=True, check=True)
report = json.loads(out.stdout)
found = collections.Counter()
unmapped = []
for f in report["files"]:
    for x in f.get("findings", []):
        cls = next((c for c, prefix in CLASSES.items() if x["rule_id"].startswith(prefix)), None)
        key = (f["path"], x["span"]["start"]["line"], cls or x["rule_id"])
        found[key] += 1
        if cls is None:
            unmapped.append(key)

tp = sum((found & expected).values())
fp = sum((found - expected).values())
fn = sum((expected - found).values())
print(f"labelled positives: {sum(expected.values())}; findings: {sum(found.values())}")
print(f"true positives {tp}, false positives {fp}, false negatives {fn}")
print(f"precision {tp / max(tp + fp, 1):.3f}, recall {tp / max(tp + fn, 1):.3f}")
for key in sorted(found - expected):
    print("  false positive:", *key)
for key in sorted(expected - found):
    print("  missed:", *key)
