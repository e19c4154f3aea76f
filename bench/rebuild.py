#!/usr/bin/env python3
"""Rebuild benchmark: what a web team sees when it builds again and again (README, "Deploying
`public/`", "The build cache").

For one corpus folder (on the machine's disk by default; pass a tmpfs folder to compare):

1. cold build, two or three times; wall time and peak RSS of each:
   - "cold_page_cache" (run as root on Linux only): the first build of the site with the
     kernel's page cache dropped just before, as after a restart: every read waits on the
     disk (see bench/README "A cold page cache");
   - "cold": the first build of the site, its files read just before (as when an editor has
     saved them). `public/` and `.gongkai/` are moved aside (renamed into
     `<dir>.set-aside/`), not deleted, so the disk has freed no inodes just before;
   - "cold_after_delete": the same once the old outputs are deleted and the deletion flushed
     (`sync`, timed apart), as after `rm -rf public .gongkai`. On ext4 without a journal
     (this machine's disk) the kernel avoids reusing inodes freed in the last minutes and
     rescans them for every file it creates (`perf`: `recently_deleted` under
     `__ext4_new_inode`), which can double the build: see bench/README "Rebuilds". Timed
     last, so that this slowing does not reach the other builds;
2. after a `sync` (timed apart) that flushes the cold builds' writes, five builds in a row
   without edits: each one's wall time, the slowest over the fastest, the
   publish stage's time (`--timings`), and how many output files got a new inode or
   modification time (should be 0);
3. one report's body edited (a paragraph appended), then `build`: wall time end to end, and the
   files `--changes` lists; five times (`--edits N`), each another report, median and slowest;
4. a department's label in `site.yaml` edited, then `build`: the HTML pages rewritten, and
   whether they are exactly the pages that show the new label.

The corpus is written once by the shared reference generator and reused; the edits are undone
at the end (a corpus copy is edited, never the generator's output elsewhere).

Usage:
    python3 bench/rebuild.py [--dir target/benchsite/ref-10000] [--pairs 10000]
                             [--bin target/release/gongkai] [--json FILE]

Python 3 standard library only. Peak RSS comes from os.wait4 (that one child's rusage).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def run_build(binary, root, changes=None):
    """One `gongkai build`; returns (wall seconds, peak RSS MiB, stderr)."""
    cmd = [str(binary), "build", "--root", str(root), "--timings"]
    if changes:
        cmd += ["--changes", str(changes)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"build failed:\n{err}")
    return wall, ru.ru_maxrss / 1024.0, err


def set_aside(root, aside):
    """Moves the site's output and cache into a new folder under `aside` (same file system:
    a rename frees no inode); deletes them where a rename is refused."""
    target = aside / str(time.time_ns())
    target.mkdir(parents=True)
    for name in ("public", ".gongkai"):
        if (root / name).exists():
            try:
                os.rename(root / name, target / name)
            except OSError:
                shutil.rmtree(root / name, ignore_errors=True)


def drop_page_cache():
    """Empties the kernel's page, dentry and inode caches; False where that is not allowed
    (not root, not Linux)."""
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def stamps(public):
    """Every output file → (inode, mtime in ns)."""
    out = {}
    for dirpath, _, files in os.walk(public):
        for name in files:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            out[os.path.relpath(p, public)] = (st.st_ino, st.st_mtime_ns)
    return out


def publish_s(timings):
    """The publish stage's seconds from the `--timings` line (staging, journal, renames)."""
    m = re.search(r"publish ([0-9.]+)s", timings)
    return float(m.group(1)) if m else None


def rewritten(before, after):
    return sorted(p for p, s in after.items() if before.get(p) != s)


def read_changes(path):
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [(line[0], line[2:]) for line in lines]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default=str(REPO / "target" / "benchsite" / "ref-10000"))
    ap.add_argument("--pairs", type=int, default=10000)
    ap.add_argument("--bin", default=str(REPO / "target" / "release" / "gongkai"))
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--edits", type=int, default=5,
                    help="body edits to time, each of another report (default 5)")
    args = ap.parse_args()
    root, binary = Path(args.dir), Path(args.bin)
    if not (root / "site.yaml").exists():
        print(f"writing {args.pairs} pairs into {root} …", file=sys.stderr)
        subprocess.run([sys.executable, str(GENERATOR), str(root), str(args.pairs)], check=True,
                       stdout=subprocess.DEVNULL)
    public, changes = root / "public", root.parent / (root.name + ".changes.txt")
    aside = root.parent / (root.name + ".set-aside")
    figures = {}
    # Nothing of the site in memory, as after a restart: every file read waits on the disk.
    set_aside(root, aside)
    os.sync()
    if drop_page_cache():
        wall, rss, _ = run_build(binary, root)
        figures["cold_page_cache"] = {"wall_s": round(wall, 2), "peak_rss_mib": round(rss)}
    # The site's files read recently, as when an editor has just saved them.
    for report in (root / "content").rglob("*.md"):
        report.read_bytes()
    set_aside(root, aside)
    wall, rss, _ = run_build(binary, root)
    figures["cold"] = {"wall_s": round(wall, 2), "peak_rss_mib": round(rss)}

    # The cold builds' writes (hundreds of MB) are flushed before the builds without edits are
    # timed: the kernel writing them back meanwhile slowed each build more than the last.
    t0 = time.perf_counter()
    os.sync()
    figures["sync_after_cold_s"] = round(time.perf_counter() - t0, 2)
    first = stamps(public)
    runs = []
    for _ in range(5):
        wall, rss, err = run_build(binary, root, changes)
        now = stamps(public)
        runs.append({"wall_s": round(wall, 2), "rss_mib": round(rss),
                     "rewritten": len(rewritten(first, now)),
                     "listed": len(read_changes(changes)), "timings": err.strip().splitlines()[-1]})
    walls = [r["wall_s"] for r in runs]
    figures["no_edit"] = {"runs": runs, "slowest_over_fastest": round(max(walls) / min(walls), 2),
                          "publish_s": [publish_s(r["timings"]) for r in runs]}

    # One report's body, several times: each edit a paragraph appended to another report,
    # built, then undone (the undo builds too; it is not timed).
    edits = []
    reports = sorted((root / "content").glob("*/*.zh.md"))
    for k in range(args.edits):
        report = reports[(len(first) + 7919 * k) % len(reports)]
        original = report.read_bytes()
        report.write_bytes(original + "\n新增的一段正文，用于重建测试。\n".encode())
        before = stamps(public)
        wall, rss, err = run_build(binary, root, changes)
        listed = read_changes(changes)
        edits.append({
            "report": str(report.relative_to(root)), "wall_s": round(wall, 2),
            "peak_rss_mib": round(rss), "rewritten": len(rewritten(before, stamps(public))),
            "listed": len(listed), "pages": sorted(p for _, p in listed if p.endswith(".html")),
            "timings": err.strip().splitlines()[-1],
            "publish_s": publish_s(err.strip().splitlines()[-1]),
        })
        report.write_bytes(original)
        run_build(binary, root)
    walls = sorted(e["wall_s"] for e in edits)
    figures["edit_body"] = {"runs": edits, "median_s": walls[len(walls) // 2],
                            "slowest_s": walls[-1]}

    # One department's label.
    config = root / "site.yaml"
    yaml = config.read_text(encoding="utf-8")
    old, new = "Audit Bureau", "Audit Office of the District"
    config.write_text(yaml.replace(old, new, 1), encoding="utf-8")
    before = stamps(public)
    wall, rss, err = run_build(binary, root, changes)
    after = stamps(public)
    changed = set(rewritten(before, after))
    showing = set()
    for rel in after:
        if rel.endswith(".html"):
            if new.encode() in (public / rel).read_bytes():
                showing.add(rel)
    changed_pages = {p for p in changed if p.endswith(".html")}
    figures["edit_label"] = {
        "wall_s": round(wall, 2), "rewritten_files": len(changed),
        "rewritten_pages": len(changed_pages), "pages_showing_label": len(showing),
        "rewritten_pages_not_showing": sorted(changed_pages - showing)[:10],
        "showing_not_rewritten": sorted(showing - changed_pages)[:10],
        "timings": err.strip().splitlines()[-1],
    }
    config.write_text(yaml, encoding="utf-8")
    run_build(binary, root)

    # Last, because a deletion slows what follows: for minutes after 46,000 files are deleted,
    # ext4 without a journal passes over their inodes for every file it creates (bench/README
    # "Rebuilds"): timed before them, it slowed the builds after edits.
    set_aside(root, aside)
    shutil.rmtree(aside, ignore_errors=True)
    # The deletion's writes (and, on a file system mounted with `discard`, its discards) are
    # flushed before the cold build is timed: they are the deletion's cost, not the build's.
    t0 = time.perf_counter()
    os.sync()
    figures["sync_after_delete_s"] = round(time.perf_counter() - t0, 2)
    wall, rss, _ = run_build(binary, root)
    figures["cold_after_delete"] = {"wall_s": round(wall, 2), "peak_rss_mib": round(rss)}

    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
