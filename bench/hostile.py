#!/usr/bin/env python3
"""Times hostile inputs through `gongkai build` (issue #16): each must finish in under 2 s and
500 MB with exit 0 or 1, and leave the previous output byte-identical when it fails.

Usage:
    python3 bench/hostile.py                         # target/release/gongkai
    python3 bench/hostile.py --bin target/debug/gongkai --only alias

For each case: copies tests/fixtures/basic to a temporary folder, builds it, writes the hostile
report, builds again and takes the wall time and peak memory (maximum resident set, from
/usr/bin/time) of that second build. Prints a Markdown table on stdout. Standard library only.
This is a benchmark: it asserts nothing, it reports (an exit of 101, or a changed output after
a failure, is marked in the table).
"""
import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPORT = "content/2022/hostile.zh.md"


def front(yaml):
    return ("---\ntitle: 恶意\ndepartment: justice-bureau\ndate: 2023-01-01\n"
            + yaml + "---\n\n正文。\n")


def random_chinese(size, line_chars=100):
    rng = random.Random(16)
    lines, total = [], 0
    while total < size:
        line = "".join(chr(0x4E00 + rng.randrange(0x5000)) for _ in range(line_chars))
        lines.append(line)
        total += len(line.encode()) + 1
    return "\n".join(lines) + "\n"


def cases():
    """(name, text) of each hostile report, generated lazily (some are large)."""
    yield "alias: 1 MB string aliased by 600 revisions", lambda: front(
        "revisions:\n  - date: 2023-02-01\n    note: &n |\n"
        + ("      " + "修" * 100 + "\n") * 3_500
        + "  - { date: 2023-02-01, note: *n }\n" * 600)
    yield "themes nested 100k deep (block, one line)", lambda: front(
        "themes:\n" + "- " * 100_000 + "x\n")
    yield "themes nested 1,000 deep (block, indented)", lambda: front(
        "themes:\n" + "".join(" " * d + "-\n" for d in range(1, 1_001)))
    yield "themes nested 100k deep (flow)", lambda: front(
        "themes: " + "[" * 100_000 + "]" * 100_000 + "\n")
    yield "figures nested 100k deep (flow)", lambda: front(
        "figures: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n")
    yield "100,000 revisions", lambda: front(
        "revisions:\n" + "  - { date: 2023-02-01, note: 更正 }\n" * 100_000)
    yield "1,000 revisions, every date wrong", lambda: front(
        "revisions:\n" + "  - { date: 2023-13-01, note: 更正 }\n" * 1_000)
    yield "70 KB line, broken link at its end", lambda: front("") + "a" * 70_000 + \
        "[x](../2019/nowhere.zh.md)\n"
    yield "1 MB line", lambda: front("") + "字" * 350_000 + "\n"
    yield "10,000 '>'", lambda: front("") + ">" * 10_000 + " 深\n"
    yield "10,000 broken links", lambda: front("") + \
        "[x](../2019/nowhere.zh.md)\n" * 10_000
    yield "2 MB of '[' on lines of 90,000", lambda: front("") + ("[" * 90_000 + "\n") * 22
    yield "2 MB of '_a *b ' emphasis runs", lambda: front("") + ("_a *b " * 15_000 + "\n") * 22
    yield "200,000 headings of one text", lambda: front("") + "# a\n\n" * 200_000
    yield "1.9 MB report of random Chinese text", lambda: front("") + random_chinese(1_900_000)
    yield "50 MB report of random Chinese text", lambda: front("") + random_chinese(50_000_000)


def tree_digest(folder):
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            h.update(os.path.relpath(path, folder).encode() + b"\0")
            with open(path, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def run(binary, root):
    """(exit code, seconds, peak MB, stderr's first line) of `binary build --root root`.

    The peak is measured by /usr/bin/time: a child forked from this script would count this
    script's memory (a 50 MB string) as its own until it execs."""
    with tempfile.NamedTemporaryFile("r") as peak_file:
        start = time.monotonic()
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", peak_file.name, binary, "build", "--root", root],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seconds = time.monotonic() - start
        peak_kb = int(peak_file.read().strip().splitlines()[-1])
    first = proc.stderr.decode("utf-8", "replace").splitlines()[:1]
    return proc.returncode, seconds, peak_kb / 1024, (first[0] if first else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(REPO, "target/release/gongkai"))
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()
    print("| case | exit | time (s) | peak (MB) | output kept | first line |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, make in cases():
        if args.only not in name:
            continue
        print(f"{name} …", file=sys.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            root = os.path.join(tmp, "site")
            shutil.copytree(os.path.join(REPO, "tests/fixtures/basic"), root)
            code, _, _, line = run(args.bin, root)
            if code != 0:
                sys.exit(f"the fixture does not build: {line}")
            before = tree_digest(os.path.join(root, "public"))
            with open(os.path.join(root, REPORT), "w", encoding="utf-8") as f:
                f.write(make())
            code, seconds, peak, line = run(args.bin, root)
            kept = "n/a" if code == 0 else (
                "yes" if tree_digest(os.path.join(root, "public")) == before else "NO")
            line = line.replace(tmp, "…").replace("|", "\\|")[:100]
            print(f"| {name} | {code} | {seconds:.2f} | {peak:.0f} | {kept} | {line} |",
                  flush=True)


if __name__ == "__main__":
    main()
