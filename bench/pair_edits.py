#!/usr/bin/env python3
"""Paired body edits: two gongkai binaries, each on its own copy of a corpus, edit in turns, so
that a machine whose speed drifts over minutes slows both alike (bench/README, "Rebuilds").

Each turn appends a paragraph to one `.zh.md` report of the copy, runs `BIN build` (timed, end
to end), undoes the edit and builds again (not timed), so every timed build follows a build of
the same site with its cache. Which binary goes first alternates from pair to pair. It prints
each binary's wall times, their medians, and the ratio per pair.

Usage:
    python3 bench/pair_edits.py --bin NEW --dir CORPUS_A --vs OLD --vs-dir CORPUS_B [--pairs 6]

Each corpus must have been built once by its binary (so its cache and `public/` exist); two
binaries with different cache formats must not share one. Python 3 standard library only.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

PARAGRAPH = "\n新增的一段正文，用于重建测试。\n".encode()


def build(binary, root):
    t0 = time.perf_counter()
    proc = subprocess.run([str(binary), "build", "--root", str(root)], capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"{binary} build --root {root} failed:\n{proc.stderr.decode(errors='replace')}")
    return time.perf_counter() - t0


def edit_and_build(binary, root, k):
    """Times one build after appending to the k-th report (by name); the edit is undone."""
    reports = sorted((Path(root) / "content").glob("*/*.zh.md"))
    report = reports[(7919 * k) % len(reports)]
    original = report.read_bytes()
    report.write_bytes(original + PARAGRAPH)
    try:
        return build(binary, root)
    finally:
        report.write_bytes(original)
        build(binary, root)


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="the binary measured (A)")
    ap.add_argument("--dir", required=True, help="A's copy of the corpus")
    ap.add_argument("--vs", required=True, help="the binary compared with (B)")
    ap.add_argument("--vs-dir", required=True, help="B's copy of the corpus")
    ap.add_argument("--pairs", type=int, default=6)
    args = ap.parse_args()
    runs = {"A": [], "B": []}
    sides = [("A", args.bin, args.dir), ("B", args.vs, args.vs_dir)]
    for k in range(args.pairs):
        for name, binary, root in sides if k % 2 == 0 else sides[::-1]:
            runs[name].append(edit_and_build(binary, root, k))
    ratios = [a / b for a, b in zip(runs["A"], runs["B"])]
    for name in "AB":
        times = ", ".join(f"{t:.2f}" for t in runs[name])
        print(f"{name}: {times} s; median {median(runs[name]):.2f} s")
    print(f"A/B per pair: {', '.join(f'{r:.2f}' for r in ratios)}; median {median(ratios):.2f}")


if __name__ == "__main__":
    main()
