#!/usr/bin/env python3
"""Import benchmark: `gongkai import` of a 100-page Word report (README "From Word").

Writes a .docx the way Word does (a zip with document.xml, styles.xml, numbering.xml): the
seed report's paragraphs repeated until the text passes --chars characters (default 60,000,
about 100 pages of a bureau's report), with its numbered headings, bold lead sentences and
--tables tables of 12 rows × 6 columns (two merged cells each) spread through it. Then runs the
release binary's `import` --runs times, each into a fresh site folder, and prints each run's
wall time, the median and the slowest. The import of one file is what an editor waits for;
the target is under 1 s.

Usage:
    python3 bench/import.py [--bin target/release/gongkai] [--runs 7] [--chars 60000]
                            [--tables 30] [--keep FILE.docx]

Python 3 standard library only.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEED = os.path.join(ROOT, "tests", "fixtures", "docx", "seed.txt")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
</w:styles>"""


def run(text, bold=False):
    props = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(runs, style=None):
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}{''.join(runs)}</w:p>"


def table(n):
    rows = []
    for r in range(12):
        cells = []
        for c in range(6):
            props = ""
            if r == 0 and c == 0:
                props = '<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>'
            elif r == 0 and c == 1:
                continue
            elif c == 5 and r in (1, 2):
                props = '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' if r == 1 else '<w:tcPr><w:vMerge/></w:tcPr>'
            text = f"表{n}第{r}行" if c == 0 else str((n * 97 + r * 13 + c) % 1000)
            cells.append(f"<w:tc>{props}{para([run(text)])}</w:tc>")
        rows.append(f"<w:tr>{''.join(cells)}</w:tr>")
    return f"<w:tbl>{''.join(rows)}</w:tbl>"


def document(chars, tables):
    lines = [l.strip() for l in open(SEED, encoding="utf-8") if l.strip()]
    body = [para([run(lines[0])], "a3")]
    size, rounds = 0, 0
    while size < chars:
        rounds += 1
        for line in lines[1:]:
            m = re.match(r"([^。]{1,25}。)(.+)", line)
            runs = [run(m.group(1), True), run(m.group(2))] if m else [run(line)]
            body.append(para(runs))
            size += len(line)
    per_table = max(1, (len(body) - 1) // tables)
    out = []
    placed = 0
    for i, p in enumerate(body):
        out.append(p)
        if i and i % per_table == 0 and placed < tables:
            placed += 1
            out.append(table(placed))
    while placed < tables:
        placed += 1
        out.append(table(placed))
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>{"".join(out)}</w:body></w:document>'
    return xml, size, placed


def write_docx(path, chars, tables):
    xml, size, placed = document(chars, tables)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/_rels/document.xml.rels", DOC_RELS)
        z.writestr("word/document.xml", xml)
        z.writestr("word/styles.xml", STYLES)
    return size, placed, len(xml.encode())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "gongkai"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--chars", type=int, default=60000)
    ap.add_argument("--tables", type=int, default=30)
    ap.add_argument("--keep", help="also save the generated .docx here")
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} not found: run `cargo build --release` first")
    with tempfile.TemporaryDirectory() as tmp:
        docx = os.path.join(tmp, "report-100-pages.docx")
        size, placed, xml_bytes = write_docx(docx, args.chars, args.tables)
        if args.keep:
            shutil.copy(docx, args.keep)
        print(f"{docx}: {size} characters of text, {placed} tables, document.xml {xml_bytes} bytes, "
              f"file {os.path.getsize(docx)} bytes")
        times = []
        for i in range(args.runs):
            site = os.path.join(tmp, f"site{i}")
            os.makedirs(site)
            shutil.copy(os.path.join(ROOT, "site.yaml"), site)
            cmd = [args.bin, "import", docx, "--year", "2022", "--department", "justice-bureau",
                   "--stem", "bench", "--root", site]
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                sys.exit(f"import failed ({done.returncode}):\n{done.stderr}")
        out = os.path.join(tmp, "site0", "content", "2022", "bench.zh.md")
        md = open(out, encoding="utf-8").read()
        print(f"markdown: {len(md)} characters, {md.count(chr(10) + '| --- |')} tables, "
              f"{md.count(chr(10) + '## ')} headings")
        print("runs (s): " + " ".join(f"{t:.3f}" for t in times))
        print(f"median {statistics.median(times):.3f} s, slowest {max(times):.3f} s (target: under 1 s)")


if __name__ == "__main__":
    main()
