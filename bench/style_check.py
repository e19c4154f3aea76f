#!/usr/bin/env python3
"""How much the style rules (README "Style rules") add to `gongkai check`.

Usage: python3 bench/style_check.py [--corpus DIR] [--n 10000] [--runs 5] [--bin PATH]

Makes the reference corpus (the shared generator, <repo>/../shared/bench/gen_corpus.py) in
DIR unless it is there, then times `BIN check --root DIR` with every style rule on (the
default) and with every rule off (`style: rules: { ...: off }` added to its site.yaml), runs
alternating so that both see the same machine load. Prints the median and the fastest run of
each and the overhead of the rules. Python 3 standard library only.
"""
import argparse, os, resource, shutil, statistics, subprocess, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RULES = ["half-width-punctuation", "straight-quotes", "unbalanced-marks", "repeated-punctuation",
         "space-between-han", "full-width-alphanumeric", "section-numbering", "preferred-wording"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="/dev/shm/gongkai-style-bench/ref-10000", help="where the corpus is (made if missing)")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default=str(REPO / "target/release/gongkai"))
    a = ap.parse_args()
    corpus = Path(a.corpus)
    if not (corpus / "site.yaml").exists():
        gen = REPO.parent / "shared/bench/gen_corpus.py"
        print(f"writing {a.n} report pairs into {corpus}", file=sys.stderr)
        subprocess.run([sys.executable, str(gen), str(corpus), str(a.n)], check=True)
    site = corpus / "site.yaml"
    original = corpus / "site.yaml.orig"
    if not original.exists():
        shutil.copy(site, original)
    base = original.read_text(encoding="utf-8")
    off = base + "\nstyle:\n  rules: {" + ", ".join(f"{r}: off" for r in RULES) + "}\n"
    times = {"on": [], "off": []}
    cpu = {"on": [], "off": []}
    warnings = 0
    try:
        for run in range(a.runs + 1):
            for mode in ("on", "off") if run % 2 == 0 else ("off", "on"):
                site.write_text(base if mode == "on" else off, encoding="utf-8")
                t = time.perf_counter()
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                p = subprocess.run([a.bin, "check", "--root", str(corpus)], capture_output=True, text=True)
                dt = time.perf_counter() - t
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                dcpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
                if p.returncode != 0:
                    sys.exit(f"check failed ({mode}):\n{p.stderr[-2000:]}")
                if mode == "on":
                    warnings = p.stderr.count(": warning[")
                if run > 0:  # the first round warms the page cache
                    times[mode].append(dt)
                    cpu[mode].append(dcpu)
    finally:
        site.write_text(base, encoding="utf-8")
    on, off_t = statistics.median(times["on"]), statistics.median(times["off"])
    con, coff = statistics.median(cpu["on"]), statistics.median(cpu["off"])
    print(f"corpus: {corpus} ({a.n} report pairs), {a.runs} runs each, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| rules | wall median s | wall fastest s | CPU median s |\n| --- | --- | --- | --- |")
    print(f"| all off | {off_t:.2f} | {min(times['off']):.2f} | {coff:.2f} |")
    print(f"| all on  | {on:.2f} | {min(times['on']):.2f} | {con:.2f} |")
    print(f"overhead: wall {100 * (on / off_t - 1):+.1f} % (median), "
          f"{100 * (min(times['on']) / min(times['off']) - 1):+.1f} % (fastest); "
          f"CPU {100 * (con / coff - 1):+.1f} % (median); {warnings} warnings")

if __name__ == "__main__":
    main()
