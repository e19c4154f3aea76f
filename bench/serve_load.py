#!/usr/bin/env python3
"""Bounded load test of `gongkai serve` on loopback: concurrent, slow and event-stream clients.

Usage:
    python3 bench/serve_load.py                          # target/release/gongkai, sample site
    python3 bench/serve_load.py --bin target/debug/gongkai --clients 16 --requests 100
    python3 bench/serve_load.py --root /tmp/gongkai-serve-bench/corpus-1000

Starts `BIN serve --root ROOT --port P` on 127.0.0.1 (the sample site is copied to a temporary
folder first, so the repository is never edited; any other --root is only edited once, a
paragraph appended to one report and then restored) and runs three phases, one after another:

1. plain: --clients threads, each making --requests keep-alive GETs of the site's pages;
2. under attack: the same, while --slow clients dribble a request head one byte per second and
   never finish it (slowloris), and --streams clients hold the event stream open; then one report
   is edited and the streams that receive `reload` are counted;
3. beyond the bound: --idle connections (more than the server's 256) are opened and send
   nothing; one more client asks for a page, and the time until it is answered is taken.

Also checks that a request naming another host gets 403. Every socket has a timeout, every
phase a deadline (--phase-timeout), and the server is stopped at the end whatever happens: the
run ends by itself. Prints a Markdown table on stdout; progress on stderr. Standard library only.
This is a benchmark, not a test: it asserts nothing about the figures.
"""
import argparse
import http.client
import math
import os
import selectors
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


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100.0 * len(s)) - 1)] if s else float("nan")


def open_fds(pid):
    """Descriptors the server holds (Linux); None elsewhere."""
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return None


class FdPeak(threading.Thread):
    """Samples the server's descriptor count every 50 ms; keeps the highest."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, None, threading.Event()

    def run(self):
        while not self.stop.is_set():
            n = open_fds(self.pid)
            if n is not None:
                self.peak = max(self.peak or 0, n)
            self.stop.wait(0.05)


def pages(root):
    """Addresses to ask for: the homes, the lists and every report page of the sample."""
    paths = ["/", "/zh/", "/en/", "/zh/search/", "/sitemap.xml", "/zh/feed.xml"]
    content = os.path.join(root, "content")
    for year in sorted(os.listdir(content)):
        folder = os.path.join(content, year)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            parts = name.split(".")
            if len(parts) == 3 and parts[2] == "md":
                paths.append("/%s/%s/%s/" % (parts[1], year, parts[0]))
    return paths[:200]


def client(port, paths, count, deadline, out):
    """`count` keep-alive GETs; appends (latency ms or None for an error) to `out`."""
    conn = None
    for i in range(count):
        if time.monotonic() > deadline:
            break
        t0 = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", paths[i % len(paths)])
            resp = conn.getresponse()
            resp.read()
            ok = resp.status in (200, 404)
            if resp.getheader("connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            ok = False
            if conn is not None:
                conn.close()
            conn = None
        out.append((time.perf_counter() - t0) * 1000.0 if ok else None)
    if conn is not None:
        conn.close()


def run_clients(port, paths, args, fds):
    """Phase of --clients concurrent clients; a row of the table."""
    results = []
    deadline = time.monotonic() + args.phase_timeout
    threads = [threading.Thread(target=client, args=(port, paths, args.requests, deadline, results))
               for _ in range(args.clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.phase_timeout + 15)
    wall = time.perf_counter() - t0
    ok = [r for r in results if r is not None]
    return {
        "requests": len(results), "ok": len(ok), "errors": len(results) - len(ok),
        "rate": len(ok) / wall if wall else 0.0,
        "p50": percentile(ok, 50), "p95": percentile(ok, 95), "max": max(ok) if ok else float("nan"),
        "fds": fds.peak,
    }


class Slowloris(threading.Thread):
    """`n` connections that send a request head one byte a second and never finish it; records
    how long each stays open (until the server closes it)."""

    HEAD = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4096

    def __init__(self, port, n, limit):
        super().__init__(daemon=True)
        self.port, self.n, self.limit = port, n, limit
        self.lifetimes, self.still_open, self.failed = [], 0, 0
        self.done = threading.Event()

    def run(self):
        sel = selectors.DefaultSelector()
        start = {}
        for _ in range(self.n):
            try:
                s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            except OSError:
                self.failed += 1
                continue
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ, 0)
            start[s] = time.monotonic()
        end = time.monotonic() + self.limit
        while start and time.monotonic() < end:
            for key, _ in sel.select(timeout=1.0):
                s = key.fileobj
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    self.lifetimes.append(time.monotonic() - start.pop(s))
                    sel.unregister(s)
                    s.close()
            for s in list(start):
                sent = sel.get_key(s).data
                try:
                    s.send(self.HEAD[sent:sent + 1])
                    sel.modify(s, selectors.EVENT_READ, sent + 1)
                except OSError:
                    pass
        self.still_open = len(start)
        for s in start:
            s.close()
        self.done.set()


class Stream(threading.Thread):
    """One event-stream client: records its status and the events it receives."""

    def __init__(self, port, limit):
        super().__init__(daemon=True)
        self.port, self.limit = port, limit
        self.status, self.events, self.closed = None, [], False

    def run(self):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.limit)
            conn.request("GET", "/__gongkai/events", headers={"Accept": "text/event-stream"})
            resp = conn.getresponse()
            self.status = resp.status
            if resp.status != 200:
                return
            while True:
                line = resp.readline()
                if not line:
                    self.closed = True
                    return
                line = line.decode("utf-8").rstrip("\r\n")
                if line.startswith("event: "):
                    self.events.append(line[7:])
        except (OSError, http.client.HTTPException):
            self.closed = True


def edit_once(root):
    """Appends a paragraph to one published report; returns a function that restores it."""
    content = os.path.join(root, "content")
    for year in sorted(os.listdir(content), reverse=True):
        folder = os.path.join(content, year)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if name.endswith(".zh.md"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    original = f.read()
                if "\ndraft: true" in original.split("\n---", 1)[0]:
                    continue  # not served: its edit sends no `reload`
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original + "\n\n负载测试的一次编辑。\n")

                def restore():
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(original)
                return restore
    raise SystemExit("no report to edit under %s" % content)


def beyond_the_bound(port, n, limit):
    """Opens `n` idle connections at once (non-blocking: those beyond the server's bound and the
    kernel's queue keep retrying), then times one page request on a new connection.
    Returns (seconds or None, connections established when the page was asked for)."""
    idle = []
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        idle.append(s)
    time.sleep(0.5)
    sel = selectors.DefaultSelector()
    for s in idle:
        sel.register(s, selectors.EVENT_WRITE)
    established = sum(1 for key, _ in sel.select(timeout=0)
                      if key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0)
    sel.close()
    t0 = time.perf_counter()
    answered = None
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=limit)
        conn.request("GET", "/zh/")
        resp = conn.getresponse()
        resp.read()
        if resp.status == 200:
            answered = time.perf_counter() - t0
        conn.close()
    except (OSError, http.client.HTTPException):
        pass
    for s in idle:
        s.close()
    return answered, established


def foreign_host_status(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/zh/", headers={"Host": "evil.example:%d" % port})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "gongkai"))
    ap.add_argument("--root", help="site folder (default: a copy of the sample site)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=200, help="per client")
    ap.add_argument("--slow", type=int, default=400, help="slowloris clients in phase 2")
    ap.add_argument("--streams", type=int, default=48, help="event-stream clients in phase 2")
    ap.add_argument("--idle", type=int, default=1000, help="idle connections in phase 3")
    ap.add_argument("--phase-timeout", type=float, default=60.0)
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        raise SystemExit("%s not found: cargo build --release" % args.bin)
    temporary = args.root is None
    root = args.root
    if temporary:
        root = tempfile.mkdtemp(prefix="gongkai-load-")
        shutil.copy(os.path.join(REPO, "site.yaml"), root)
        shutil.copytree(os.path.join(REPO, "content"), os.path.join(root, "content"))
    port = free_port()
    errlog = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen([args.bin, "serve", "--root", root, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=errlog, text=True)
    restore = None
    fds = FdPeak(proc.pid)
    try:
        line = proc.stdout.readline()
        if not line.startswith("serving at"):
            errlog.seek(0)
            raise SystemExit("server did not start: %r\n%s" % (line, errlog.read()[-2000:]))
        paths = pages(root)
        idle_fds = open_fds(proc.pid)
        fds.start()
        log("phase 1: %d clients x %d requests" % (args.clients, args.requests))
        plain = run_clients(port, paths, args, fds)

        log("phase 2: the same, with %d slow and %d event-stream clients" % (args.slow, args.streams))
        fds.peak = None
        streams = [Stream(port, args.phase_timeout + 30) for _ in range(args.streams)]
        for s in streams:
            s.start()
        slow = Slowloris(port, args.slow, args.phase_timeout)
        slow.start()
        time.sleep(1.0)
        attacked = run_clients(port, paths, args, fds)
        restore = edit_once(root)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not all("reload" in s.events for s in streams
                                                      if s.status == 200):
            time.sleep(0.1)
        reloaded = sum(1 for s in streams if "reload" in s.events)
        opened = sum(1 for s in streams if s.status == 200)
        dropped_early = sum(1 for s in streams if s.closed)
        slow.done.wait(args.phase_timeout + 15)

        log("phase 3: %d idle connections, then one page" % args.idle)
        fds.peak = None
        answered, idle_opened = beyond_the_bound(port, args.idle, args.phase_timeout)
        idle_peak = fds.peak
        foreign = foreign_host_status(port)
    finally:
        fds.stop.set()
        if restore:
            restore()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        errlog.close()
        if temporary:
            shutil.rmtree(root, ignore_errors=True)

    def fd(n):
        return "n/a" if n is None else str(n)

    print("Server on 127.0.0.1, %d concurrent clients x %d keep-alive GETs per phase; "
          "server descriptors when idle: %s.\n" % (args.clients, args.requests, fd(idle_fds)))
    print("| phase | requests | ok | errors | req/s | p50 | p95 | max | server fds (peak) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in (("plain", plain),
                    ("+ %d slow, %d streams" % (args.slow, args.streams), attacked)):
        print("| %s | %d | %d | %d | %.0f | %.1f ms | %.1f ms | %.1f ms | %s |" % (
            name, r["requests"], r["ok"], r["errors"], r["rate"], r["p50"], r["p95"], r["max"],
            fd(r["fds"])))
    life = slow.lifetimes
    print()
    print("| check | result |")
    print("| --- | --- |")
    print("| slow clients closed by the server | %d of %d (after %.1f s median, %.1f s max); "
          "%d still open at the phase's end; %d could not connect |" % (
              len(life), args.slow, statistics.median(life) if life else float("nan"),
              max(life) if life else float("nan"), slow.still_open, slow.failed))
    print("| event streams | %d of %d opened, %d received the edit's `reload`, %d ended early |" % (
        opened, args.streams, reloaded, dropped_early))
    print("| %d idle connections (%d established at once), then one page | %s; "
          "server fds peak %s |" % (
        args.idle, idle_opened, "answered after %.2f s" % answered if answered is not None
        else "NOT answered within %.0f s" % args.phase_timeout, fd(idle_peak)))
    print("| request naming `evil.example` | %d |" % foreign)


if __name__ == "__main__":
    main()
