#!/usr/bin/env python3
"""Reload latency of `gongkai serve`: from writing a report file to the `reload` event.

Usage:
    python3 bench/serve_latency.py                     # sample site, 1,000 and 10,000 pairs
    python3 bench/serve_latency.py --sizes sample,1000 --edits 30
    python3 bench/serve_latency.py --bin target/release/gongkai --pause 2

For each corpus: start `BIN serve --root CORPUS --port P`, connect to its event stream
(`/__gongkai/events`), wait until the first search index is built (so the start-up work is
over), then edit one report file `--edits` times (`--edit body`: a paragraph added;
`--edit title`: its title, which every list shows), writing it in place as an editor does
(open, truncate, write, close), and time each write until the `reload` event arrives. The
edited report is its department's newest, whose edit touches the most pages. Between edits
it waits `--pause` seconds; the background search index update an edit starts may still be
running when the next edit comes, as it would for someone saving every few seconds.

The sample site (the repository root) is copied to a temporary folder first, so the
repository is never edited; the synthetic corpora are written once into --work (default
/tmp/gongkai-serve-bench) with the shared generator and reused; the edited file is restored
at the end. Prints a Markdown table on stdout; progress on stderr. Standard library only.
This is a benchmark, not a test: it asserts nothing about the figures.
"""
import argparse
import http.client
import math
import os
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_GEN = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_corpus.py")
OWN_GEN = os.path.join(REPO, "bench", "gen_corpus.py")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def corpus(size, work, gen):
    """The site folder for `size` ('sample' or a number of report pairs)."""
    if size == "sample":
        out = tempfile.mkdtemp(prefix="gongkai-sample-")
        shutil.copy(os.path.join(REPO, "site.yaml"), out)
        shutil.copytree(os.path.join(REPO, "content"), os.path.join(out, "content"))
        return out, True
    out = os.path.join(work, "corpus-%s" % size)
    stamp = os.path.join(out, ".complete")
    if not os.path.exists(stamp):
        shutil.rmtree(out, ignore_errors=True)
        log("generating %s pairs into %s" % (size, out))
        subprocess.run([sys.executable, gen, out, str(size)], check=True,
                       stdout=subprocess.DEVNULL)
        open(stamp, "w").close()
    return out, False


def newest_report(root):
    """A published report that is its department's newest (most pages depend on it)."""
    content = os.path.join(root, "content")
    for year in sorted(os.listdir(content), reverse=True):
        folder = os.path.join(content, year)
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if name.endswith(".zh.md"):
                with open(path, encoding="utf-8") as f:
                    if "draft: true" not in f.read(2000):
                        return path
    raise SystemExit("no report found under %s" % content)


class Events(threading.Thread):
    """Reads the server's event stream; puts (name, data, perf_counter at arrival)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.q = queue.Queue()

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        conn.request("GET", "/__gongkai/events", headers={"Accept": "text/event-stream"})
        resp = conn.getresponse()
        name, data = None, ""
        while True:
            line = resp.readline()
            if not line:
                return
            now = time.perf_counter()
            line = line.decode("utf-8").rstrip("\r\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data += line[6:]
            elif line == "" and name:
                self.q.put((name, data, now))
                name, data = None, ""

    def wait(self, names, timeout):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no %s event within %ss" % (names, timeout))
            try:
                name, data, at = self.q.get(timeout=left)
            except queue.Empty:
                continue
            if name in names:
                return name, data, at


def percentile(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100.0 * len(s)) - 1)]


def run_one(size, args):
    root, temporary = corpus(size, args.work, args.gen)
    reports = sum(len(fs) for _, _, fs in os.walk(os.path.join(root, "content")))
    port = free_port()
    errlog = open(os.path.join(args.work, "serve-%s.log" % size), "w")
    started = time.perf_counter()
    proc = subprocess.Popen([args.bin, "serve", "--root", root, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=errlog, text=True)
    target = newest_report(root)
    with open(target, encoding="utf-8") as f:
        original = f.read()
    try:
        line = proc.stdout.readline()
        if not line.startswith("serving at"):
            raise SystemExit("server did not start: %r (see %s)" % (line, errlog.name))
        startup = time.perf_counter() - started
        events = Events(port)
        events.start()
        events.wait({"hello"}, 60)
        events.wait({"index"}, args.index_timeout)
        indexed = time.perf_counter() - started
        log("%s: %d report files, serving after %.2f s, first search index after %.1f s; editing %s"
            % (size, reports, startup, indexed, os.path.relpath(target, root)))
        latencies = []
        index_latencies = []
        for i in range(args.edits):
            if args.edit == "title":
                text = original.replace("\ntitle: ", "\ntitle: 第%d稿 " % (i + 1), 1)
            else:
                text = original + "\n\n基准测试的第%d次编辑。\n" % (i + 1)
            t0 = time.perf_counter()
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
            name, data, at = events.wait({"reload", "broken"}, 120)
            if name != "reload":
                raise SystemExit("edit %d broke the build: %s" % (i + 1, data[:500]))
            latencies.append((at - t0) * 1000.0)
            # The search index follows the pages: time the write to its `index` event too.
            _, _, at_index = events.wait({"index"}, args.index_timeout)
            index_latencies.append((at_index - t0) * 1000.0)
            time.sleep(args.pause)
        return {
            "corpus": size if size == "sample" else "%s pairs" % format(int(size), ","),
            "files": reports,
            "startup": startup,
            "indexed": indexed,
            "median": statistics.median(latencies),
            "p90": percentile(latencies, 90),
            "min": min(latencies),
            "max": max(latencies),
            "n": len(latencies),
            "index_median": statistics.median(index_latencies),
            "index_p90": percentile(index_latencies, 90),
        }
    finally:
        with open(target, "w", encoding="utf-8") as f:
            f.write(original)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        errlog.close()
        if temporary:
            shutil.rmtree(root, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "gongkai"))
    ap.add_argument("--sizes", default="sample,1000,10000")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--edit", choices=["body", "title"], default="body",
                    help="what each edit changes: the body (the report's pages change) or the "
                         "title (every list showing the report changes too)")
    ap.add_argument("--pause", type=float, default=1.0,
                    help="seconds between edits (default 1)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "gongkai-serve-bench"))
    ap.add_argument("--gen", default=SHARED_GEN if os.path.exists(SHARED_GEN) else OWN_GEN)
    ap.add_argument("--index-timeout", type=float, default=600)
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        raise SystemExit("%s not found: cargo build --release" % args.bin)
    os.makedirs(args.work, exist_ok=True)
    rows = [run_one(s.strip(), args) for s in args.sizes.split(",") if s.strip()]
    print("Edits: %s, %.1f s apart.\n" % (args.edit, args.pause))
    print("Reload: write → `reload` event (pages). Search: write → `index` event (the search "
          "files of the edit are served).\n")
    print("| corpus | report files | serving after | search index after | edits "
          "| reload median | p90 | min | max | search median | search p90 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print("| %s | %d | %.2f s | %.1f s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms "
              "| %.1f ms | %.1f ms |" % (
                  r["corpus"], r["files"], r["startup"], r["indexed"], r["n"], r["median"],
                  r["p90"], r["min"], r["max"], r["index_median"], r["index_p90"]))


if __name__ == "__main__":
    main()
