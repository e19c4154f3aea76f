#!/usr/bin/env python3
"""Time `gongkai build` on synthetic corpora of N report pairs.

Usage: python3 bench/bench.py [--sizes 1000,10000] [--reference] [--bin PATH] [--runs 3]
                              [--no-cargo] [--cmd-extra="ARGS"] [--warmup K] [--json FILE]
                              [-- ARGS...]

1. `cargo build --release` in the repository (skipped with --no-cargo).
2. For each size N, writes bench/out/ours-N/ with bench/gen_corpus.py, and with --reference
   also bench/out/ref-N/ with <repo>/../shared/bench/gen_corpus.py. A corpus is generated once
   and reused while it holds 2N report files and its generator is unchanged.
3. Runs `BIN build --root CORPUS [ARGS]` --warmup + --runs times, each after removing
   CORPUS/public, and measures the wall time (time.perf_counter around the child), the CPU time
   and the peak RSS of that one child (os.wait4 returns the child's own rusage, unlike
   RUSAGE_CHILDREN, which is a maximum over every child so far).
4. Counts the output of the last run (*.html pages, all files, bytes under CORPUS/public) and
   prints one table row per corpus.

A build that exits non-zero (or dies on a signal) is reported with the tail of its stderr;
bench.py then goes on with the other corpora and exits 1 at the end.

Python 3 standard library only; Linux or macOS (os.wait4).
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
OUR_GEN = BENCH / "gen_corpus.py"
REF_GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"
STDERR_TAIL = 40  # lines of a failed build's stderr to show


def say(msg):
    print(msg, file=sys.stderr, flush=True)


def loud(title, lines=()):
    bar = "!" * 78
    say("\n%s\n!! %s\n%s" % (bar, title, bar))
    if lines:
        for line in lines:
            say("   " + line)
        say(bar)
    say("")


# ------------------------------------------------------------------ corpora


def sha256(paths):
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def count_reports(root):
    """(report files, report pairs) under root/content: files are <year>/<stem>.<lang>.md."""
    files, langs = 0, {}
    content = Path(root) / "content"
    if not content.is_dir():
        return 0, 0
    for dirpath, _, names in os.walk(content):
        for name in names:
            if not name.endswith(".md"):
                continue
            files += 1
            stem, _, lang = name[:-3].rpartition(".")
            if not stem:  # no language suffix: the default language
                stem, lang = lang, ""
            langs.setdefault((dirpath, stem), set()).add(lang)
    return files, sum(1 for ls in langs.values() if len(ls) >= 2)


def ensure_corpus(name, n, generator, extra_sources=()):
    """Generate OUT/<name>-<n>/ unless it already holds 2n reports from this generator."""
    root = OUT / ("%s-%d" % (name, n))
    stamp = OUT / ("%s-%d.stamp.json" % (name, n))
    digest = sha256([generator, *extra_sources])
    files, _ = count_reports(root)
    if files == 2 * n:
        old = json.loads(stamp.read_text()) if stamp.exists() else {}
        if old.get("generator_sha256", digest) == digest:
            say("corpus %s: reusing (%d files)" % (root, files))
            return root, None
        say("corpus %s: generator changed since it was written; regenerating" % root)
    elif root.exists():
        say("corpus %s: holds %d report files, want %d; regenerating" % (root, files, 2 * n))
    if root.exists():
        shutil.rmtree(root)
    OUT.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(generator), str(root), str(n)]
    say("corpus %s: generating: %s" % (root, " ".join(shlex.quote(c) for c in cmd)))
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=REPO)
    secs = time.perf_counter() - t0
    files, _ = count_reports(root)
    if r.returncode != 0 or files != 2 * n:
        loud("corpus generator failed for %s (exit %d, %d report files, want %d)"
             % (root, r.returncode, files, 2 * n))
        sys.exit(1)
    stamp.write_text(json.dumps({"generator": str(generator), "generator_sha256": digest,
                                 "n": n, "seconds": round(secs, 2)}, indent=2) + "\n")
    return root, secs


# ------------------------------------------------------------------ measuring


def run_once(cmd, cwd, log_dir):
    """Run cmd once; return dict(wall, cpu, rss_mib, code, stderr_path)."""
    out_path = log_dir / "stdout.txt"
    err_path = log_dir / "stderr.txt"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # we reaped it; tell Popen
    # ru_maxrss: KiB on Linux, bytes on macOS.
    rss = ru.ru_maxrss / (1024.0 * 1024.0) if sys.platform == "darwin" else ru.ru_maxrss / 1024.0
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mib": rss,
            "code": proc.returncode, "stdout": str(out_path), "stderr": str(err_path)}


def tail(path, lines):
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ["(no stderr captured)"]
    rows = text.rstrip("\n").split("\n")
    return rows[-lines:] if text.strip() else ["(stderr was empty)"]


def output_stats(public):
    pages = files = size = 0
    for dirpath, _, names in os.walk(public):
        for name in names:
            files += 1
            if name.endswith(".html"):
                pages += 1
            try:
                size += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return pages, files, size


def bench_corpus(label, n, root, args, bin_path):
    cmd = [str(bin_path), "build", "--root", str(root), "--timings"] + args.cmd_extra
    log_dir = OUT / "logs" / ("%s-%d" % (label, n))
    log_dir.mkdir(parents=True, exist_ok=True)
    _, pairs = count_reports(root)
    row = {"corpus": label, "n": n, "pairs": pairs, "root": str(root), "cmd": cmd,
           "runs": [], "failed": False}
    public = Path(root) / "public"
    say("bench %s-%d: %s" % (label, n, " ".join(shlex.quote(c) for c in cmd)))
    for k in range(args.warmup + args.runs):
        shutil.rmtree(public, ignore_errors=True)
        r = run_once(cmd, REPO, log_dir)
        kind = "warmup" if k < args.warmup else "run %d/%d" % (k - args.warmup + 1, args.runs)
        if r["code"] != 0:
            why = ("killed by signal %d" % -r["code"]) if r["code"] < 0 else "exit status %d" % r["code"]
            loud("BUILD FAILED: %s-%d, %s, %s after %.2f s" % (label, n, kind, why, r["wall"]),
                 ["command: " + " ".join(shlex.quote(c) for c in cmd),
                  "stderr (last %d lines, full log %s):" % (STDERR_TAIL, r["stderr"])]
                 + ["| " + line for line in tail(r["stderr"], STDERR_TAIL)])
            row["failed"] = True
            row["error"] = why
            return row
        r.update(search_timings(r["stderr"]))
        say("  %-9s %7.2f s wall  %7.2f s cpu  %8.1f MiB peak RSS  %5.2f s search index"
            % (kind, r["wall"], r["cpu"], r["rss_mib"], r["search_s"]))
        if k >= args.warmup:
            row["runs"].append({key: r[key] for key in
                                ("wall", "cpu", "rss_mib", "search_s", "search_files", "search_mb")})
    pages, files, size = output_stats(public)
    if not public.is_dir():
        loud("build of %s-%d exited 0 but %s does not exist; nothing counted" % (label, n, public))
    elif pages == 0:
        loud("build of %s-%d wrote no *.html under %s" % (label, n, public))
    walls = [r["wall"] for r in row["runs"]]
    row.update(median_s=statistics.median(walls), min_s=min(walls),
               cpu_s=statistics.median(r["cpu"] for r in row["runs"]),
               peak_rss_mib=max(r["rss_mib"] for r in row["runs"]),
               pages=pages, files=files, output_mb=size / 1e6)
    row["pages_per_s"] = pages / row["median_s"] if row["median_s"] > 0 else 0.0
    # The index is built after the pages, so a build without it would take wall - search:
    # the share is what the index adds to that, per run, median over the runs.
    row["search_s"] = statistics.median(r["search_s"] for r in row["runs"])
    row["search_share"] = 100 * statistics.median(
        r["search_s"] / (r["wall"] - r["search_s"]) for r in row["runs"])
    row["search_files"] = row["runs"][-1]["search_files"]
    row["search_mb"] = row["runs"][-1]["search_mb"]
    return row


TIMINGS = re.compile(r"search index ([0-9.]+)s \(([0-9]+) files, ([0-9.]+) MB\)")


def search_timings(stderr_path):
    """The search index's share of a build, from the line `gongkai build --timings` prints."""
    m = TIMINGS.search(Path(stderr_path).read_text(encoding="utf-8", errors="replace"))
    if not m:
        return {"search_s": 0.0, "search_files": 0, "search_mb": 0.0}
    return {"search_s": float(m.group(1)), "search_files": int(m.group(2)),
            "search_mb": float(m.group(3))}


# ------------------------------------------------------------------ report

COLUMNS = [("corpus", "corpus", "%s"), ("n", "N", "%d"), ("pairs", "pairs", "%d"),
           ("median_s", "median s", "%.2f"), ("min_s", "min s", "%.2f"), ("cpu_s", "cpu s", "%.2f"),
           ("pages", "pages", "%d"), ("pages_per_s", "pages/s", "%.0f"),
           ("peak_rss_mib", "peak RSS MiB", "%.1f"), ("output_mb", "output MB", "%.1f"),
           ("files", "files", "%d"), ("search_s", "index s", "%.2f"),
           ("search_share", "index adds", "%.0f%%"), ("search_mb", "index MB", "%.1f"),
           ("search_files", "index files", "%d")]


def table(rows):
    """A Markdown table (so it pastes into the issue notes as is)."""
    head = [h for _, h, _ in COLUMNS]
    body = []
    for row in rows:
        if row["failed"]:
            body.append([row["corpus"], str(row["n"]), str(row["pairs"])]
                        + ["FAILED: " + row["error"]] + [""] * (len(COLUMNS) - 4))
        else:
            body.append([fmt % row[key] for key, _, fmt in COLUMNS])
    widths = [max([len(head[i])] + [len(b[i]) for b, r in zip(body, rows)
                                     if not r["failed"] or i < 3]) for i in range(len(COLUMNS))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"

    out = [line(head), "| " + " | ".join("-" * w if i == 0 else "-" * (w - 1) + ":"
                                         for i, w in enumerate(widths)) + " |"]
    for b, r in zip(body, rows):
        if r["failed"]:
            first = " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(b[:3], widths)))
            out.append("| %s | %s |" % (first, b[3]))
        else:
            out.append(line(b))
    return "\n".join(out)


def machine():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                             text=True).stdout.strip() or "(no commit)"
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
    except OSError:
        rev, dirty = "(no git)", ""
    return {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "host": platform.node(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "git": rev + (" (modified)" if dirty else "")}


# ------------------------------------------------------------------ main


def parse_args(argv):
    argv = list(sys.argv[1:] if argv is None else argv)
    after = []
    if "--" in argv:  # bench.py ... -- --drafts: everything after -- goes to the build
        argv, after = argv[:argv.index("--")], argv[argv.index("--") + 1:]
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Extra build arguments that start with a dash: --cmd-extra=\"--drafts\", "
               "or put them after --.")
    ap.add_argument("--sizes", default="1000,10000", help="report pairs per corpus, comma-separated")
    ap.add_argument("--reference", action="store_true",
                    help="also bench the reference corpus of %s" % REF_GEN)
    ap.add_argument("--bin", default=None,
                    help="the gongkai binary (default: <repo>/target/release/gongkai)")
    ap.add_argument("--runs", type=int, default=3, help="measured builds per corpus")
    ap.add_argument("--warmup", type=int, default=0, help="unmeasured builds before them")
    ap.add_argument("--no-cargo", action="store_true", help="do not run cargo build --release")
    ap.add_argument("--cmd-extra", default="", help="extra arguments for the build, one string")
    ap.add_argument("--json", default=None, help="also write the results to this JSON file")
    args = ap.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error("--sizes takes comma-separated integers, e.g. 1000,10000")
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1 or args.warmup < 0:
        ap.error("need sizes >= 1, --runs >= 1, --warmup >= 0")
    args.cmd_extra = shlex.split(args.cmd_extra) + after
    return args


def main(argv=None):
    args = parse_args(argv)
    if not args.no_cargo:
        say("cargo build --release (in %s)" % REPO)
        t0 = time.perf_counter()
        r = subprocess.run(["cargo", "build", "--release"], cwd=REPO)
        if r.returncode != 0:
            loud("cargo build --release failed (exit %d); see its output above" % r.returncode)
            return 1
        say("cargo build --release: %.1f s" % (time.perf_counter() - t0))
    bin_path = Path(args.bin).resolve() if args.bin else REPO / "target" / "release" / "gongkai"
    if not (bin_path.is_file() and os.access(bin_path, os.X_OK)):
        loud("no executable at %s (build it, or pass --bin PATH)" % bin_path)
        return 1
    if args.reference and not REF_GEN.is_file():
        loud("--reference: the reference generator %s does not exist" % REF_GEN)
        return 1

    rows, generated = [], {}
    for n in args.sizes:
        corpora = [("ours", *ensure_corpus("ours", n, OUR_GEN, [BENCH / "phrases.py"]))]
        if args.reference:
            corpora.append(("ref", *ensure_corpus("ref", n, REF_GEN)))
        for label, root, gen_secs in corpora:
            if gen_secs is not None:
                generated["%s-%d" % (label, n)] = round(gen_secs, 2)
            rows.append(bench_corpus(label, n, root, args, bin_path))

    info = machine()
    info.update(bin=str(bin_path), cmd_extra=args.cmd_extra, runs=args.runs, warmup=args.warmup)
    print()
    print("gongkai build benchmark, %s, %s, %d CPUs, git %s"
          % (info["date"], info["host"], info["cpus"], info["git"]))
    print("binary %s; %d measured run(s) per corpus%s%s" % (
        bin_path, args.runs, ", %d warm-up" % args.warmup if args.warmup else "",
        "; extra args: " + " ".join(args.cmd_extra) if args.cmd_extra else ""))
    if generated:
        print("corpora generated this time (s): " +
              ", ".join("%s %.1f" % kv for kv in generated.items()))
    print()
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "generated_s": generated,
                                               "results": rows}, indent=2) + "\n")
        say("results written to %s" % args.json)
    failed = [r for r in rows if r["failed"]]
    if failed:
        loud("%d of %d corpus build(s) FAILED: %s" % (
            len(failed), len(rows), ", ".join("%s-%d" % (r["corpus"], r["n"]) for r in failed)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
