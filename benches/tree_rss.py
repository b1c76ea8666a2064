#!/usr/bin/env python3
"""Peak resident memory of a command's whole process tree.

Usage: tree_rss.py [-n RUNS] -- COMMAND...

astscan's workers run in their own process groups (so a terminal's Ctrl-C reaches only the
parent), which hides them from tools that sum a process group. This samples /proc every
20 ms and sums the RSS of the command and all its descendants, found through parent pids.
Prints the median wall time and the largest peak over the runs.
"""
import os, statistics, subprocess, sys, time

PAGE = os.sysconf("SC_PAGE_SIZE")


def snapshot():
    parent, rss = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                st = f.read()
            fields = st[st.rfind(")") + 2:].split()
            with open(f"/proc/{pid}/statm") as f:
                pages = int(f.read().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parent[int(pid)] = int(fields[1])
        rss[int(pid)] = pages * PAGE
    return parent, rss


def tree_rss(root):
    parent, rss = snapshot()
    members, frontier = {root}, [root]
    children = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in members:
                members.add(child)
                frontier.append(child)
    return sum(rss.get(p, 0) for p in members)


def main():
    args = sys.argv[1:]
    runs = 3
    if args[:1] == ["-n"]:
        runs, args = int(args[1]), args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    walls, peaks = [], []
    for _ in range(runs):
        start = time.time()
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0
        while p.poll() is None:
            peak = max(peak, tree_rss(p.pid))
            time.sleep(0.02)
        walls.append(time.time() - start)
        peaks.append(peak)
    print(f"wall median {statistics.median(walls):.2f} s, peak tree RSS {max(peaks) / 1e6:.0f} MB "
          f"(runs: {', '.join(f'{x / 1e6:.0f}' for x in peaks)})")


if __name__ == "__main__":
    main()
