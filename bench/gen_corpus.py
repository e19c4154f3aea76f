#!/usr/bin/env python3
"""Write a synthetic gongkai site of N bilingual report pairs, for benchmarks.

Usage: python3 bench/gen_corpus.py OUT N [--jobs J] [--force]

OUT/site.yaml     title, base_url, languages, theme, 40 departments, 15 themes, 8 figures
OUT/content/<year>/<stem>.zh.md and <stem>.en.md   N report pairs, years 2019-2025

Layout. Report i belongs to round r = i // 280 and cell c = i % 280; its year is
2019 + c % 7 and its department is DEPARTMENTS[c % 40] (7 and 40 are coprime, so the 280
cells of a round are exactly the 280 (year, department) pairs, and even a small corpus
covers every department). Round 0 is the Donghu district; round r is another district,
whose unit of the same department gets the stem `<department>-<r+1>`. So a stem is unique
within its year and the front matter's `department` is always a key of site.yaml.

Determinism. Report i is a pure function of i (its RNG is seeded from the string
"gongkai-bench/<i>"; a unit's figure series from its stem), so the first 50 reports of an
N=100 corpus are byte-identical to an N=50 corpus, whatever --jobs is.

Size. A zh body holds about 3,500 Han characters, an en body about 2,000 words; both are
rendered from the same abstract sentences, so the English reads as a translation of the
Chinese with the same numbers. Vocabulary lives in bench/phrases.py.

Python 3 standard library only.
"""
import argparse
import os
import random
import re
import shutil
import string
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no bench/__pycache__ in the work tree
import phrases as P  # noqa: E402

YEARS = list(range(2019, 2026))
CELLS = len(YEARS) * len(P.DEPARTMENTS)  # 280 (year, department) pairs per round
ZH_NUM = "一二三四五六七八九十"
HAN = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z0-9]+(?:['’.,-][A-Za-z0-9]+)*")
FIGURE_KEYS = [f[0] for f in P.FIGURES]
FIGURE = {f[0]: f for f in P.FIGURES}
THEME_KEYS = [k for k in P.THEMES if not k.startswith("_")]
COMMON_FIGURES = ["legal-opinions", "documents-reviewed", "training-sessions", "disclosure-requests"]

ZH_HAN_TARGET = (3300, 3700)  # Han characters in the whole zh body
CONTENT_SECTIONS = 5

# ------------------------------------------------------------------ numbers

_FMT = string.Formatter()
_FIELDS = {}


def fields(template):
    """Names of the {slots} in a template (cached: the pools are finite)."""
    f = _FIELDS.get(template)
    if f is None:
        f = _FIELDS[template] = tuple(n for _, n, _, _ in _FMT.parse(template) if n)
    return f


def draw(rng, kind):
    r = rng.random()
    if kind == "s":
        return 1 + int(r * 15)
    if kind == "a":
        return 2 + int(r * 59)
    if kind == "b":
        return 20 + int(r * 881)
    if kind == "c":
        return 1000 + int(r * 89001)
    if kind == "p":
        return "%.1f" % (1.0 + 34.0 * r)
    if kind == "q":
        return "%.1f" % (85.0 + 14.9 * r)
    if kind == "m":
        return 10 + int(r * 4991)
    raise KeyError(kind)


def render(rng, ctx, zh_t, en_t, n_kind="b"):
    """Fill both templates with one set of numbers; ctx holds the fixed names (year, unit)."""
    slots = dict(ctx)
    drawn = {}
    for name in fields(zh_t) + fields(en_t):
        if name in slots:
            continue
        if name == "n":
            slots["n"] = drawn["n"] = draw(rng, n_kind)
        elif name in ("m", "mm"):
            m = draw(rng, "m")
            slots["m"], slots["mm"] = m, "%.2f" % (m / 100.0)
        else:
            slots[name] = drawn[name] = draw(rng, name.rstrip("0123456789").replace("pt", "p"))
    zh = zh_t.format_map(slots)
    # English groups thousands (36,115); Chinese reports write 36115.
    slots.update((k, en_num(v)) for k, v in drawn.items())
    return zh, en_t.format_map(slots)


def en_num(v):
    return "{:,}".format(v) if type(v) is int else v


# ------------------------------------------------------------------ sentences


def pick(rng, seq):
    return seq[int(rng.random() * len(seq))]


def fresh(rng, ctx, seq, tag=""):
    """Like pick, but prefers what this report has not said yet (under tag): a pool is
    used up before any of its phrases repeats."""
    used = ctx["_used"]
    unused = [x for x in seq if (tag, x) not in used]
    item = pick(rng, unused or seq)
    used.add((tag, item))
    return item


def leadin(rng, p):
    return pick(rng, P.ZH_LEADINS) if rng.random() < p else ""


def fact_sentence(rng, ctx, th):
    vo, unit, en, kind = fresh(rng, ctx, th["facts"])
    tz, te = pick(rng, P.TIMES)
    if tz:
        zh = tz + "，" + leadin(rng, 0.45) + (ctx["self"] if rng.random() < 0.4 else "") + vo + "{n}" + unit
    else:
        zh = leadin(rng, 0.45) + ctx["self"] + vo + "{n}" + unit
    en = te + ", we " + en
    r = rng.random()
    if r < 0.25:
        zh, en = zh + P.TREND_UP[0], en + P.TREND_UP[1]
    elif r < 0.45:
        zh, en = zh + P.TREND_DOWN[0], en + P.TREND_DOWN[1]
    if rng.random() < 0.45:
        rz, re_ = fresh(rng, ctx, th["results"] if rng.random() < 0.6 else P.THEMES["_general"]["results"])
        zh, en = zh + "，" + rz, en + ", " + re_
    return render(rng, ctx, zh + "。", en + ".", kind)


def mech_sentence(rng, ctx, th):
    vz, ve = pick(rng, P.MECH_VERBS)
    mz, me = fresh(rng, ctx, th["mechs"])
    ez, ee = fresh(rng, ctx, th["results"] if rng.random() < 0.3 else P.MECH_EFFECTS)
    return render(rng, ctx, leadin(rng, 0.8) + vz + mz + "，" + ez + "。",
                  "We " + ve + " " + me + ", " + ee + ".")


def doc_sentence(rng, ctx, th):
    vz, ve = pick(rng, P.DOC_VERBS)
    dz, de = fresh(rng, ctx, th["docs"])
    kz, ke = pick(rng, P.DOC_KINDS)
    ez, ee = fresh(rng, ctx, P.DOC_EFFECTS)
    zh = "%s%s《%s%s%s》，%s。" % (leadin(rng, 0.8), vz, ctx["d"], dz, kz, ez)
    en = "We %s the %s District %s for %s, %s." % (ve, ctx["de"], ke, de, ee)
    return render(rng, ctx, zh, en)


def pool_sentence(rng, ctx, th):
    if all(("", x) in ctx["_used"] for x in th["sents"]):
        return fact_sentence(rng, ctx, th)  # these state facts about the unit: say each once
    zh, en = fresh(rng, ctx, th["sents"])
    return render(rng, ctx, zh, en)


def sentence(rng, ctx, th):
    r = rng.random()
    if r < 0.45:
        return fact_sentence(rng, ctx, th)
    if r < 0.65:
        return pool_sentence(rng, ctx, th)
    if r < 0.85:
        return mech_sentence(rng, ctx, th)
    return doc_sentence(rng, ctx, th)


# ------------------------------------------------------------------ blocks


class Body:
    """Two Markdown documents written in step, block by block."""

    def __init__(self):
        self.zh, self.en = [], []
        self.han = 0

    def block(self, zh, en):
        self.zh.append(zh)
        self.en.append(en)
        self.han += len(HAN.findall(zh))

    def text(self):
        return "\n\n".join(self.zh) + "\n", "\n\n".join(self.en) + "\n"


def theme_names(themes, lang):
    names = [P.THEMES[t]["name"][lang] for t in themes]
    if lang == 0:
        return "、".join(names)
    names = [n[0].lower() + n[1:] for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def section(rng, ctx, body, head, sec_theme, themes, han_goal):
    """One numbered section: paragraphs with a bold lead sentence, until han_goal is reached."""
    body.block(*head)
    th = P.THEMES[sec_theme]
    general = P.THEMES["_general"]
    start = body.han
    while body.han - start < han_goal:
        vz, ve = pick(rng, P.LEAD_VERBS)
        tz, te = fresh(rng, ctx, th["topics"])
        zh, en = ["**%s%s**。" % (vz, tz)], ["**%s %s.**" % (ve, te)]
        han = len(HAN.findall(zh[0]))
        for k in range(3 + int(rng.random() * 4)):
            if sec_theme == "_general":
                src = general if rng.random() < 0.65 else P.THEMES[pick(rng, themes)]
            else:
                src = th if rng.random() < 0.7 else general
            sz, se = sentence(rng, ctx, src)
            zh.append(sz)
            en.append(se)
            han += len(HAN.findall(sz))
            if k >= 1 and body.han - start + han >= han_goal:
                break
        body.block("".join(zh), " ".join(en))


def figures_table(ctx, figs):
    y = ctx["y"]
    zh = ["%s主要工作指标完成情况如下表。" % ctx["self"],
          "| 指标 | %d年 | %d年 | 同比 |\n| --- | ---: | ---: | ---: |" % (y - 1, y)]
    en = ["Our key indicators are shown in the table below.",
          "| Indicator | %d | %d | Change |\n| --- | ---: | ---: | ---: |" % (y - 1, y)]
    for key, (prev, cur) in figs:
        f = FIGURE[key]
        change = "%+.1f%%" % (100.0 * (cur - prev) / prev) if prev else "—"
        zh[1] += "\n| %s | %d | %d | %s |" % (f[1], prev, cur, change)
        en[1] += "\n| %s | %s | %s | %s |" % (f[2], en_num(prev), en_num(cur), change)
    return "\n\n".join(zh), "\n\n".join(en)


def facts_table(rng, th):
    rows = rng.sample(th["facts"], min(len(th["facts"]), 3 + int(rng.random() * 2)))
    zh = "| 事项 | 数量 |\n| --- | ---: |"
    en = "| Item | Number |\n| --- | ---: |"
    for vo, unit, en_t, kind in rows:
        n = draw(rng, kind)
        label = en_t.replace("{n} ", "").replace(" {n}", "")
        zh += "\n| %s（%s） | %d |" % (vo, unit, n)
        en += "\n| %s | %s |" % (label[0].upper() + label[1:], en_num(n))
    return zh, en


def bullets(rng, ctx, th):
    zh, en = [], []
    for tz, te in rng.sample(th["topics"], 3):
        sz, se = fact_sentence(rng, ctx, th)
        zh.append("- **%s**：%s" % (tz, sz))
        en.append("- **%s**: %s" % (te[0].upper() + te[1:], se))
    return "\n".join(zh), "\n".join(en)


# ------------------------------------------------------------------ a report


def unit_of(i):
    rnd, cell = divmod(i, CELLS)
    year = YEARS[cell % len(YEARS)]
    dept = P.DEPARTMENTS[cell % len(P.DEPARTMENTS)]
    dz, de = P.DISTRICTS[rnd % len(P.DISTRICTS)]
    cycle = rnd // len(P.DISTRICTS)
    if cycle:  # only past N = 10,080: reuse the district names, numbered
        dz, de = "%s%d区" % (dz[:-1], cycle + 1), "%s-%d" % (de, cycle + 1)
    stem = dept[0] if rnd == 0 else "%s-%d" % (dept[0], rnd + 1)
    return year, dept, stem, dz, de


def unit_figures(stem, dept_themes):
    """The figure keys a unit reports every year (3-5), so department charts have series."""
    rng = random.Random("gongkai-bench/unit/" + stem)
    wanted = []
    for t in dept_themes:
        for k in P.THEMES[t]["figures"]:
            if k not in wanted:
                wanted.append(k)
    k = 3 + int(rng.random() * 3)
    chosen = wanted[:k]
    # Fill up with figures any office reports, then with any others.
    for pool in ([f for f in COMMON_FIGURES if f not in chosen],
                 [f for f in FIGURE_KEYS if f not in chosen and f not in COMMON_FIGURES]):
        while pool and len(chosen) < k:
            chosen.append(pool.pop(int(rng.random() * len(pool))))
    return [f for f in FIGURE_KEYS if f in chosen]


def figure_value(stem, key, year):
    """A unit's figure follows a trend over the years, with yearly noise."""
    r = random.Random("gongkai-bench/fig/%s/%s" % (stem, key))
    lo, hi = FIGURE[key][6], FIGURE[key][7]
    base = lo * (hi / lo) ** r.random()
    growth = -0.06 + 0.2 * r.random()
    noise = random.Random("gongkai-bench/fig/%s/%s/%d" % (stem, key, year)).uniform(0.88, 1.12)
    return max(1, int(round(base * (1 + growth) ** (year - YEARS[0]) * noise)))


def pick_themes(rng, dept_themes):
    r = rng.random()
    k = 1 if r < 0.2 else (2 if r < 0.7 else 3)
    themes = [pick(rng, dept_themes)]
    while len(themes) < k:
        own = [t for t in dept_themes if t not in themes]
        t = pick(rng, own) if own and rng.random() < 0.6 else pick(rng, THEME_KEYS)
        if t not in themes:
            themes.append(t)
    return themes


def q(s):
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


TITLES = [("%(u)s关于%(y)d年度法治政府建设情况的报告",
           "Report of the %(ue)s on Building a Law-Based Government in %(y)d"),
          ("%(u)s%(y)d年度依法行政工作报告",
           "%(ue)s: Report on Law-Based Administration, %(y)d"),
          ("%(u)s%(y)d年法治政府建设年度报告",
           "%(ue)s Annual Report on Law-Based Government %(y)d")]


def report(i):
    """Report i as (year, stem, zh_text, en_text)."""
    year, dept, stem, dz, de = unit_of(i)
    key, dept_zh, dept_en, self_ref, dept_themes = dept
    rng = random.Random("gongkai-bench/%d" % i)
    u, ue = dz + dept_zh, de + " District " + dept_en
    ctx = {"y": year, "y1": year + 1, "d": dz, "de": de, "u": u, "ue": ue, "self": self_ref,
           "_used": set()}
    themes = pick_themes(rng, dept_themes)
    figs = [(k, (figure_value(stem, k, year - 1), figure_value(stem, k, year)))
            for k in unit_figures(stem, dept_themes)]
    date = "%d-%02d-%02d" % (year + 1, 1 + int(rng.random() * 3), 1 + int(rng.random() * 28))

    body = Body()
    # Preamble.
    iz, ie = pick(rng, P.INTRO)
    rz, re_ = pick(rng, P.THEMES["_general"]["results"])
    c2 = dict(ctx, t=theme_names(themes, 0), te=theme_names(themes, 1), r=rz, re=re_)
    body.block(iz.format_map(c2), ie.format_map(c2))

    # The fixed closing sections are written first so the content sections can share
    # what is left of the Han target; they are appended after them.
    tail = Body()
    n_sec = CONTENT_SECTIONS
    pz = rng.sample(P.PROBLEMS, 3)
    tail.block("## %s、存在的问题和不足" % ZH_NUM[n_sec], "## %d. Problems and Shortcomings" % (n_sec + 1))
    tail.block("%d年，%s法治政府建设工作取得了一定成效，但对照新形势新要求，仍存在一些不足：" % (year, u),
               "Although progress was made in %d, the %s still falls short of new expectations in "
               "several respects:" % (year, ue))
    tail.block("\n".join("- %s。" % z for z, _ in pz),
               "\n".join("- %s%s." % (e[0].upper(), e[1:]) for _, e in pz))
    tail.block("针对上述问题，%s将认真研究，在下一步工作中切实加以解决。" % self_ref,
               "We will study these problems carefully and address them in the coming year.")
    tail.block("## %s、%d年工作安排" % (ZH_NUM[n_sec + 1], year + 1),
               "## %d. Plans for %d" % (n_sec + 2, year + 1))
    tail.block("%d年，%s将重点做好以下工作：" % (year + 1, u),
               "In %d, the %s will concentrate on the following:" % (year + 1, ue))
    items_z, items_e = [], []
    plan_src = themes + ["_general"] * 5
    for n in range(4 + int(rng.random() * 2)):
        th = P.THEMES[plan_src[n]]
        vz, ve = pick(rng, P.PLAN_VERBS)
        tz, te = fresh(rng, ctx, th["topics"], "plan")
        sz, se = ["%d. **进一步%s%s**。" % (n + 1, vz, tz)], ["%d. **Further %s %s.**" % (n + 1, ve, te)]
        for _ in range(2 + int(rng.random() * 2)):
            mvz, mve = pick(rng, P.PLAN_MECH_VERBS)
            mz, me = fresh(rng, ctx, th["mechs"], "plan")
            gz, ge = fresh(rng, ctx, P.PLAN_GOALS, "plan")
            sz.append("%s%s，%s。" % (mvz, mz, gz))
            se.append("We will %s %s, %s." % (mve, me, ge))
        items_z.append("".join(sz))
        items_e.append(" ".join(se))
    tail.block("\n".join(items_z), "\n".join(items_e))

    # Content sections: one general, one per theme, the rest general.
    general_titles = P.THEMES["_general"]["titles"]
    plan = [("_general", general_titles[0])]
    plan += [(t, pick(rng, P.THEMES[t]["titles"])) for t in themes]
    plan += [("_general", t) for t in rng.sample(general_titles[1:], n_sec - len(plan))]
    target = ZH_HAN_TARGET[0] + int(rng.random() * (ZH_HAN_TARGET[1] - ZH_HAN_TARGET[0] + 1))
    per_sec = max(200, (target - body.han - tail.han - 370) // n_sec)
    bullets_at = 1 + int(rng.random() * len(themes))
    for s, (sec_theme, (tz, te)) in enumerate(plan):
        head = ("## %s、%s" % (ZH_NUM[s], tz), "## %d. %s" % (s + 1, te))
        section(rng, ctx, body, head, sec_theme, themes, per_sec)
        if s == 0:
            body.block(*figures_table(ctx, figs))
        elif s == bullets_at:
            body.block(*bullets(rng, ctx, P.THEMES[sec_theme]))
            if rng.random() < 0.5:
                body.block(*facts_table(rng, P.THEMES[sec_theme]))
    body.zh += tail.zh
    body.en += tail.en
    zh_body, en_body = body.text()

    (fk0, (_, v0)), (fk1, (_, v1)) = figs[0], figs[1]
    f0, f1 = FIGURE[fk0], FIGURE[fk1]
    summary_zh = "%d年，%s围绕%s依法履职，全年%s%d%s、%s%d%s。本报告还说明存在的不足和%d年工作安排。" % (
        year, u, theme_names(themes, 0), f0[3], v0, f0[4], f1[3], v1, f1[4], year + 1)
    summary_en = "In %d the %s worked on %s; it %s and %s. The report also sets out shortcomings " \
                 "and plans for %d." % (year, ue, theme_names(themes, 1), f0[5].format(n=en_num(v0)),
                                        f1[5].format(n=en_num(v1)), year + 1)
    tz, te = TITLES[P.DEPARTMENTS.index(dept) % len(TITLES)]
    names = {"u": u, "ue": ue, "y": year}

    def front(title, summary):
        lines = ["---", "title: " + q(title), "department: " + key, "year: %d" % year,
                 "themes: [%s]" % ", ".join(themes), "date: " + date, "summary: " + q(summary),
                 "figures:"]
        lines += ["  %s: %d" % (k, cur) for k, (_, cur) in figs]
        return "\n".join(lines) + "\n---\n\n"

    return (year, stem, front(tz % names, summary_zh) + zh_body,
            front(te % names, summary_en) + en_body)


# ------------------------------------------------------------------ the site


def site_yaml():
    lines = ["title: { zh: %s, en: %s }" % (q("东湖区法治政府建设年度报告（基准测试）"),
                                           q("Donghu District Rule-of-Law Reports (benchmark)")),
             "base_url: https://bench.example.gov.cn/",
             "languages: [zh, en]",
             "theme: default",
             "taxonomies:",
             "  departments:"]
    for key, zh, en, _, _ in P.DEPARTMENTS:
        lines.append("    %s: { zh: %s, en: %s }" % (key, q("东湖区" + zh), q("Donghu District " + en)))
    lines.append("  themes:")
    for key in THEME_KEYS:
        zh, en = P.THEMES[key]["name"]
        lines.append("    %s: { zh: %s, en: %s }" % (key, q(zh), q(en)))
    lines.append("figures:")
    for key, zh, en, *_ in P.FIGURES:
        lines.append("  %s: { zh: %s, en: %s }" % (key, q(zh), q(en)))
    return "\n".join(lines) + "\n"


def write_range(job):
    """Write reports lo..hi-1; return (files, bytes, Han chars in zh bodies, words in en bodies)."""
    out, lo, hi = job
    files = nbytes = han = words = 0
    for i in range(lo, hi):
        year, stem, zh, en = report(i)
        folder = os.path.join(out, "content", str(year))
        for lang, text in (("zh", zh), ("en", en)):
            data = text.encode("utf-8")
            with open(os.path.join(folder, "%s.%s.md" % (stem, lang)), "wb") as f:
                f.write(data)
            files += 1
            nbytes += len(data)
        han += len(HAN.findall(zh.split("\n---\n", 1)[1]))
        words += len(WORD.findall(en.split("\n---\n", 1)[1]))
    return files, nbytes, han, words


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="site folder to write (site.yaml and content/)")
    ap.add_argument("n", type=int, help="number of report pairs")
    ap.add_argument("--jobs", type=int, default=0,
                    help="worker processes (default: all CPUs when N >= 2000, else 1)")
    ap.add_argument("--force", action="store_true",
                    help="replace an existing OUT/content (and OUT/public)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    t0 = time.perf_counter()
    content = os.path.join(args.out, "content")
    if os.path.isdir(content) and os.listdir(content):
        if not args.force:
            sys.stderr.write("gen_corpus: %s already exists; use --force to replace it\n" % content)
            return 2
        shutil.rmtree(content)
        shutil.rmtree(os.path.join(args.out, "public"), ignore_errors=True)
    for y in YEARS:
        os.makedirs(os.path.join(content, str(y)), exist_ok=True)
    with open(os.path.join(args.out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(site_yaml())

    jobs = args.jobs or ((os.cpu_count() or 1) if args.n >= 2000 else 1)
    if jobs <= 1:
        totals = [write_range((args.out, 0, args.n))]
    else:
        import multiprocessing
        step = max(50, args.n // (jobs * 16))
        parts = [(args.out, lo, min(args.n, lo + step)) for lo in range(0, args.n, step)]
        with multiprocessing.Pool(jobs) as pool:
            totals = list(pool.imap_unordered(write_range, parts))
    files, nbytes, han, words = (sum(t[k] for t in totals) for k in range(4))
    sys.stderr.write(
        "gen_corpus: wrote %d report pairs to %s: %d files, %.1f MB, in %.1f s (%d job%s); "
        "avg %.0f Han chars per zh body, %.0f words per en body\n"
        % (args.n, content, files + 1, nbytes / 1e6, time.perf_counter() - t0, jobs,
           "" if jobs == 1 else "s", han / args.n, words / args.n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
