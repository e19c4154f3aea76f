#!/usr/bin/env python3
"""Bytes a search query moves: gongkai's index against Pagefind's, measured in headless
Chromium over a local HTTP server that counts what it sends.

    python3 bench/query_bytes.py PUBLIC [--pagefind BIN] [--queries q1,q2,...] [--split]

PUBLIC is a built site (`gongkai build --out PUBLIC`). With --pagefind, Pagefind indexes the
same HTML pages into PUBLIC/pagefind/ first (`pip install pagefind-bin` provides the binary).
Each query runs in a fresh Chromium profile (nothing cached; chromedriver): our search page with `?q=`, and a page
that calls Pagefind's API (`pagefind.search(q)`, then `.data()` of the first ten results, as
our page loads the texts of the first ten). Counted: every byte the server sends for the
query, split into code (our `search.*.js`; Pagefind's `pagefind.js`, worker and WebAssembly)
and index data (our `meta.js`, buckets with their group files and frequent terms' own files, and report texts; Pagefind's entry, metadata, index
chunks and fragments). Pages, stylesheets and images are not counted. Sizes are as sent,
uncompressed, and gzip -6 of each file (what a server with gzip on sends). --split also prints,
per query, where the data bytes go: our meta.js, buckets and report texts; Pagefind's entry
and metadata, index chunks and fragments.
Python 3 standard library, /usr/bin/chromium and /usr/bin/chromedriver only.
"""

import argparse
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

QUERIES = [
    "行政复议", "法律援助", "人民调解", "复议", "执法", "营商环境", "公共法律服务",
    "行政执法", "法治政府建设", "规范性文件", "重大行政决策", "诉讼", "法", "调解委员会",
    "legal aid", "mediation", "enforcement", "administrative reconsideration",
]

# Pagefind picks its per-language index by the page's `lang`, as our pages do.
PAGEFIND_PAGE = """<!DOCTYPE html><html lang="{lang}"><meta charset="utf-8"><title>pf</title>
<script type="module">
const pagefind = await import("/pagefind/pagefind.js");
const q = new URLSearchParams(location.search).get("q");
const r = await pagefind.search(q);
const data = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
document.title = "done " + r.results.length + " " + data.length;
</script>"""


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.files = []

    def add(self, path, body):
        with self.lock:
            self.files.append((path, len(body), len(gzip.compress(body, 6))))

    def take(self):
        with self.lock:
            files, self.files = self.files, []
        return files


def serve(root, counter):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=root, **k)

        def log_message(self, *a):
            pass

        def send_head(self):
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            full = self.translate_path(path)
            if os.path.isfile(full):
                with open(full, "rb") as f:
                    counter.add(path, f.read())
            return super().send_head()

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Browser:
    """Headless Chromium through chromedriver's WebDriver HTTP API: a new session (a fresh
    profile, so an empty cache) per page."""

    def __init__(self):
        import socket
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.proc = subprocess.Popen(["/usr/bin/chromedriver", f"--port={self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.call("GET", "/status")
                return
            except OSError:
                time.sleep(0.1)

    def call(self, method, path, body=None):
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read() or b"null")

    def run(self, url, done_js):
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}}}}
        sid = self.call("POST", "/session", caps)["value"]["sessionId"]
        try:
            self.call("POST", f"/session/{sid}/url", {"url": url})
            deadline = time.time() + 60
            while time.time() < deadline:
                v = self.call("POST", f"/session/{sid}/execute/sync",
                              {"script": done_js, "args": []})["value"]
                if v:
                    break
                time.sleep(0.1)
            # Excerpts load after the count is shown.
            time.sleep(1.0)
        finally:
            self.call("DELETE", f"/session/{sid}")

    def close(self):
        self.proc.terminate()


OURS_DONE = "var s = document.getElementById('search-status'); return !!s && s.textContent !== '';"
PAGEFIND_DONE = "return document.title.startsWith('done');"


def kind(path):
    """'code', 'data' or None (not counted)."""
    name = path.rsplit("/", 1)[-1]
    if "/pagefind/" in path:
        if name.startswith("pagefind") and (name.endswith(".js") or ".pf_" not in name) \
                or name.endswith(".wasm") or "wasm" in name:
            return "code"
        return "data"
    if path.startswith("/static/search."):
        return "code"
    if "/search/" in path and path.endswith(".js"):
        return "data"
    return None


def part_of(path):
    """Which part of the index data a file is: our entry file, buckets and report texts;
    Pagefind's entry and metadata, index chunks and fragments."""
    name = path.rsplit("/", 1)[-1]
    if "/pagefind/" in path:
        if "/index/" in path:
            return "index"
        if "/fragment/" in path:
            return "texts"
        return "meta"
    if name == "meta.js":
        return "meta"
    # Buckets, their group files naming them, and frequent terms' own files: the postings.
    postings = ("/search/t/", "/search/n/", "/search/u/")
    return "buckets" if any(d in path for d in postings) else "texts"


def measure(browser, base, counter, url_of, done_js, queries):
    rows = []
    for q in queries:
        counter.take()
        browser.run(url_of(base, q), done_js)
        files = counter.take()
        sums = {"code": [0, 0], "data": [0, 0]}
        parts = {}
        for path, raw, gz in files:
            k = kind(path)
            if k:
                sums[k][0] += raw
                sums[k][1] += gz
            if k == "data":
                part = parts.setdefault(part_of(path), [0, 0, 0])
                part[0] += raw
                part[1] += gz
                part[2] += 1
        rows.append((q, sums["data"][0], sums["data"][1], sums["code"][0], sums["code"][1],
                     sum(1 for f in files if kind(f[0]) == "data"), parts))
    return rows


def lang_of(q):
    return "en" if q.isascii() else "zh"


def print_split(who, rows):
    """Per query: kB (gzip kB) and file count of each part of the index data."""
    names = sorted({p for r in rows for p in r[6]})
    print(f"\n{who}: | query | " + " | ".join(f"{p} kB (gzip) files" for p in names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for r in rows:
        cells = []
        for p in names:
            raw, gz, n = r[6].get(p, [0, 0, 0])
            cells.append(f"{raw/1000:.1f} ({gz/1000:.1f}) {n}")
        print(f"| {r[0]} | " + " | ".join(cells) + " |")
    print()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("public")
    ap.add_argument("--pagefind")
    ap.add_argument("--queries")
    ap.add_argument("--split", action="store_true",
                    help="also print, per query, the bytes of each part of the index data")
    args = ap.parse_args()
    queries = args.queries.split(",") if args.queries else QUERIES
    public = os.path.abspath(args.public)
    if args.pagefind:
        subprocess.run([args.pagefind, "--site", public, "--output-subdir", "pagefind"],
                       check=True, stdout=subprocess.DEVNULL)
        for lang, html_lang in [("zh", "zh-CN"), ("en", "en")]:
            with open(os.path.join(public, f"pf-{lang}.html"), "w") as f:
                f.write(PAGEFIND_PAGE.replace("{lang}", html_lang))
    counter = Counter()
    server = serve(public, counter)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    browser = Browser()
    ours = measure(browser, base, counter,
                   lambda b, q: f"{b}{lang_of(q)}/search/?q={urllib.parse.quote(q)}",
                   OURS_DONE, queries)
    theirs = None
    if os.path.isdir(os.path.join(public, "pagefind")):
        theirs = measure(browser, base, counter,
                         lambda b, q: f"{b}pf-{lang_of(q)}.html?q={urllib.parse.quote(q)}",
                         PAGEFIND_DONE, queries)
    browser.close()
    print("| query | ours data kB (gzip) | files | Pagefind data kB (gzip) | files | ratio raw | ratio gzip |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    ratios, ratios_gz = [], []
    for i, row in enumerate(ours):
        q, raw, gz, _, _, n, _ = row
        if theirs:
            _, praw, pgz, _, _, pn, _ = theirs[i]
            r, rg = raw / max(praw, 1), gz / max(pgz, 1)
            ratios.append(r)
            ratios_gz.append(rg)
            print(f"| {q} | {raw/1000:.1f} ({gz/1000:.1f}) | {n} | {praw/1000:.1f} ({pgz/1000:.1f}) | {pn} | {r:.2f} | {rg:.2f} |")
        else:
            print(f"| {q} | {raw/1000:.1f} ({gz/1000:.1f}) | {n} | | | | |")
    if args.split:
        print_split("ours", ours)
        if theirs:
            print_split("Pagefind", theirs)
    raws = [r[1] for r in ours]
    print(f"\nours: median {statistics.median(raws)/1000:.1f} kB, worst {max(raws)/1000:.1f} kB "
          f"({ours[raws.index(max(raws))][0]}); code {ours[0][3]/1000:.1f} kB "
          f"({ours[0][4]/1000:.1f} gzip), cached after the first query")
    if theirs:
        praws = [r[1] for r in theirs]
        print(f"Pagefind: median {statistics.median(praws)/1000:.1f} kB, worst {max(praws)/1000:.1f} kB "
              f"({theirs[praws.index(max(praws))][0]}); code {theirs[0][3]/1000:.1f} kB "
              f"({theirs[0][4]/1000:.1f} gzip)")
        print(f"ratio ours/Pagefind: median {statistics.median(ratios):.2f} raw, "
              f"{statistics.median(ratios_gz):.2f} gzip; worst {max(ratios):.2f} raw, "
              f"{max(ratios_gz):.2f} gzip")
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
