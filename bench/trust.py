#!/usr/bin/env python3
"""What signing costs a build, and how long `gongkai verify` takes (README, "Signed manifests").

On a corpus of N report pairs (the shared reference generator, N = 10,000 by default), on
tmpfs and on disk, this times, alternating run by run so drift hits every variant alike:

  base    --baseline BIN (a gongkai from before every file was hashed), plain site.yaml
  hashed  BIN, plain site.yaml: the manifest lists every file (no key)
  signed  BIN, site.yaml with public_key, GONGKAI_SIGNING_KEY set: hashed and signed

then `gongkai verify OUT --key PUB` on the signed output. Prints a Markdown table; the page
cache is warm (the output was just written). Standard library only.

    python3 bench/trust.py --baseline /path/to/old/gongkai [--n 10000] [--runs 3]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def timed(cmd, env=None):
    """Wall and CPU (user + system) seconds of one run: on a shared machine CPU time is the
    steadier figure, since other work stretches wall time."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed ({status}): {' '.join(map(str, cmd))}\n{err.decode()[-2000:]}")
    return took, usage.ru_utime + usage.ru_stime


def corpus(where, n):
    root = where / f"trust-{n}"
    if not (root / "site.yaml").exists():
        where.mkdir(parents=True, exist_ok=True)
        gen = GEN if GEN.exists() else REPO / "bench" / "gen_corpus.py"
        subprocess.run([sys.executable, str(gen), str(root), str(n)], check=True)
    return root


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bin", default=str(REPO / "target" / "release" / "gongkai"))
    ap.add_argument("--baseline", default=None, help="a gongkai binary from before this change")
    ap.add_argument("--tmpfs", default="/dev/shm/gongkai-trust-bench")
    ap.add_argument("--disk", default=str(REPO / "bench" / "out"))
    ap.add_argument("--where", default="tmpfs,disk", help="tmpfs, disk or both")
    ap.add_argument("--keep", action="store_true", help="keep the tmpfs corpus afterwards")
    args = ap.parse_args()
    rows = []
    places = [("tmpfs", Path(args.tmpfs)), ("disk", Path(args.disk))]
    for label, where in [p for p in places if p[0] in args.where.split(",")]:
        root = corpus(where, args.n)
        out = root / "public"
        key = where / f"trust-{args.n}.key.pem"
        plain = (root / "site.yaml").read_text().split("\npublic_key:")[0].rstrip("\n") + "\n"
        if not key.exists():
            gen = subprocess.run([args.bin, "keygen", "--root", str(root), "--out", str(key)],
                                 check=True, stdout=subprocess.PIPE)
            public_line = gen.stdout.decode().splitlines()[0]
            (where / f"trust-{args.n}.public").write_text(public_line + "\n")
        public_line = (where / f"trust-{args.n}.public").read_text().strip()
        keyed = plain + public_line + "\n"
        variants = [("hashed", args.bin, plain, {}),
                    ("signed", args.bin, keyed, {"GONGKAI_SIGNING_KEY": str(key)})]
        if args.baseline:
            variants.insert(0, ("base", args.baseline, plain, {}))
        times = {v[0]: [] for v in variants}
        cpus = {v[0]: [] for v in variants}
        for run in range(args.runs):
            for name, binary, yaml, extra in variants:
                (root / "site.yaml").write_text(yaml)
                shutil.rmtree(out, ignore_errors=True)
                env = {k: v for k, v in os.environ.items() if k != "GONGKAI_SIGNING_KEY"}
                env.update(extra)
                took, cpu = timed([binary, "build", "--root", str(root)], env)
                times[name].append(took)
                cpus[name].append(cpu)
                print(f"{label} run {run + 1} {name}: {took:.2f}s wall, {cpu:.2f}s cpu", file=sys.stderr)
        files = sum(len(f) for _, _, f in os.walk(out))
        size = sum((Path(d) / x).stat().st_size for d, _, fs in os.walk(out) for x in fs)
        verify = []
        for _ in range(args.runs):
            took, _ = timed([args.bin, "verify", str(out), "--key", str(key) + ".pub"])
            verify.append(took)
        (root / "site.yaml").write_text(plain)
        med = {k: statistics.median(v) for k, v in cpus.items()}
        base = med.get("base")
        rows.append((label, files, size / 1e6, med, base, statistics.median(verify)))
        if label == "tmpfs" and not args.keep:
            shutil.rmtree(where, ignore_errors=True)
    print(f"N = {args.n}, {args.runs} runs each, {os.cpu_count()} CPUs, medians\n")
    print("build columns: CPU seconds (user + system); verify: wall seconds\n")
    print("| where | files | MB | base s | hashed s | signed s | signed vs base | signed vs hashed | verify s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, files, mb, med, base, ver in rows:
        rel = f"{(med['signed'] / base - 1) * 100:+.1f} %" if base else "–"
        rel2 = f"{(med['signed'] / med['hashed'] - 1) * 100:+.1f} %"
        b = f"{base:.2f}" if base else "–"
        print(f"| {label} | {files} | {mb:.0f} | {b} | {med['hashed']:.2f} | {med['signed']:.2f} | {rel} | {rel2} | {ver:.2f} |")


if __name__ == "__main__":
    main()
