//! Structured cases: front matter and `site.yaml` written key by key from near-valid parts, so
//! the rule checks and the code that points at a value (`yaml::Locator`) see repeated
//! items, quoted and escaped values, flow and block style, comments and wrong types, which byte
//! mutations of the samples rarely produce.

use super::mutate::Rng;

const DEPARTMENTS: &[&str] = &["justice-bureau", "market-regulation", "government-office"];
const THEMES: &[&str] = &["rule-of-law", "law-enforcement", "dispute-resolution"];
const FIGURES: &[&str] = &["legal-opinions", "penalty-cases", "disclosure-requests"];
const DATES: &[&str] = &[
    "2022-03-01",
    "2022-02-30",
    "2022-3-1",
    "22-03-01",
    "2022-03-01T00:00:00",
    "二〇二二年",
    "20220301",
    "",
    "2022-13-01",
];
const TEXTS: &[&str] = &[
    "",
    " ",
    "法治政府建设年度报告",
    "a: b",
    "#",
    "x\ty",
    "'",
    "\"\"",
];

/// A name from `known`, or a near miss of one, or something else entirely.
fn name(rng: &mut Rng, known: &[&str]) -> String {
    let k = rng.pick(known).to_string();
    match rng.below(12) {
        0 => k[1..].to_string(),
        1 => format!("{k}s"),
        2 => k.to_uppercase(),
        3 => rng.pick(&["a", "a b", "法治", "-", "1", ""]).to_string(),
        _ => k,
    }
}

/// `value` written plain, quoted, single-quoted or escaped. Plain text that YAML would read
/// as punctuation stays plain only now and then, so most cases get past the syntax.
fn scalar(rng: &mut Rng, value: &str) -> String {
    let plain_ok = !value.trim().is_empty()
        && value.trim() == value
        && !value.contains([':', '#', ',', '[', ']', '{', '}', '\'', '"', '\t']);
    let choice = rng.below(6);
    let choice = if choice >= 3 && !plain_ok && !rng.one_in(20) {
        0
    } else {
        choice
    };
    match choice {
        0 => format!("{value:?}"),
        1 => format!("'{}'", value.replace('\'', "''")),
        2 => {
            let escaped: String = value
                .chars()
                .map(|c| format!("\\u{:04x}", c as u32))
                .collect();
            format!("\"{escaped}\"")
        }
        _ => value.to_string(),
    }
}

/// A list of `items` in flow (`[a, b]`) or block (`- a`) style, after `key:`.
fn list(rng: &mut Rng, items: &[String]) -> String {
    if rng.one_in(2) {
        format!(" [{}]\n", items.join(", "))
    } else {
        let indent = if rng.one_in(10) {
            "\t"
        } else {
            rng.choose(&["", "  "])
        };
        let mut s = String::from("\n");
        for item in items {
            s.push_str(&format!("{indent}- {item}\n"));
        }
        s
    }
}

/// Several names, some of them repeated, so "listed twice" has to point at the repetition.
fn names(rng: &mut Rng, known: &[&str]) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for _ in 0..rng.below(6) {
        let item = if !items.is_empty() && rng.one_in(3) {
            rng.pick(&items).clone()
        } else {
            let n = name(rng, known);
            scalar(rng, &n)
        };
        items.push(item);
    }
    items
}

/// One front matter entry: a key and its value, both sometimes wrong.
fn entry(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => {
            let title = rng.choose(TEXTS);
            format!("title: {}\n", scalar(rng, title))
        }
        1 => {
            let department = name(rng, DEPARTMENTS);
            format!("department: {}\n", scalar(rng, &department))
        }
        2 => format!(
            "year: {}\n",
            rng.pick(&["2022", "2021", "x", "-1", "1e3", "99999999999999999999"])
        ),
        3 => {
            let items = names(rng, THEMES);
            format!("themes:{}", list(rng, &items))
        }
        4 => {
            let date = rng.choose(DATES);
            format!("date: {}\n", scalar(rng, date))
        }
        5 => {
            let summary = rng.choose(TEXTS);
            format!("summary: {}\n", scalar(rng, summary))
        }
        6 => format!("draft: {}\n", rng.pick(&["true", "false", "yes", "1", "~"])),
        7 => {
            let mut s = String::from("figures:\n");
            for _ in 0..rng.below(4) {
                let key = name(rng, FIGURES);
                let value = rng.pick(&["188", "-3.5", ".nan", ".inf", "1e400", "x", "", "[1]"]);
                s.push_str(&format!("  {key}: {value}\n"));
            }
            s
        }
        8 => {
            let mut s = String::from("revisions:\n");
            let mut dates: Vec<&str> = Vec::new();
            for _ in 0..rng.below(5) {
                let date = if !dates.is_empty() && rng.one_in(2) {
                    rng.choose(&dates)
                } else {
                    rng.choose(DATES)
                };
                dates.push(date);
                let note = rng.pick(TEXTS);
                if rng.one_in(2) {
                    s.push_str(&format!(
                        "  - {{ date: {date}, note: {} }}\n",
                        scalar(rng, note)
                    ));
                } else {
                    s.push_str(&format!(
                        "  - date: {date}\n    note: {}\n",
                        scalar(rng, note)
                    ));
                }
            }
            s
        }
        9 => format!(
            "{}: x\n",
            rng.pick(&["titel", "tags", "departement", "note", "Title"])
        ),
        10 => format!("# {}\n", rng.pick(TEXTS)),
        _ => "\n".to_string(),
    }
}

/// A report file: front matter built from entries (valid ones first, most of the time), then a
/// short body.
pub fn report(rng: &mut Rng) -> Vec<u8> {
    let mut s = String::from("---\n");
    if !rng.one_in(4) {
        s.push_str("title: 报告\ndepartment: justice-bureau\ndate: 2022-03-01\n");
    }
    for _ in 0..rng.below(8) {
        s.push_str(&entry(rng));
    }
    s.push_str("---\n");
    s.push_str(rng.choose(&[
        "",
        "正文。\n",
        "## 一、标题\n\n见[去年](../2021/justice-bureau.md)。\n",
        "[x](../2021/missing.md)\n",
    ]));
    s.into_bytes()
}

/// A `site.yaml` with every section, each part sometimes wrong.
pub fn site_yaml(rng: &mut Rng) -> Vec<u8> {
    // Each part is right most of the time, so some whole configs are valid.
    let langs: Vec<String> = if rng.one_in(4) {
        (0..rng.below(4))
            .map(|_| {
                rng.pick(&["zh", "en", "zh", "fr", "ZH", "zh-cn", "", "z"])
                    .to_string()
            })
            .collect()
    } else {
        vec!["zh".into(), "en".into()]
    };
    let labels = |rng: &mut Rng| -> String {
        let mut parts = Vec::new();
        for (lang, one_in) in [("zh", 12), ("en", 12), ("fr", 20)] {
            if rng.one_in(one_in) == (lang == "fr") {
                let label = rng.choose(TEXTS);
                parts.push(format!("{lang}: {}", scalar(rng, label)));
            }
        }
        format!("{{ {} }}", parts.join(", "))
    };
    let mut s = format!("title: {}\n", labels(rng));
    let base_url = if rng.one_in(4) {
        rng.choose(&["http://x", "ftp://x/", "https://a b/", "https://x/\"", ""])
    } else {
        "https://x.gov.cn/"
    };
    s.push_str(&format!("base_url: {base_url}\n"));
    s.push_str(&format!("languages:{}", list(rng, &langs)));
    if rng.one_in(2) {
        s.push_str(&format!(
            "theme: {}\n",
            rng.pick(&["default", "../x", "My Theme", ""])
        ));
    }
    let mut map = |rng: &mut Rng, header: &str, known: &[&str], indent: &str| {
        s.push_str(header);
        for _ in 0..rng.below(4) {
            let key = name(rng, known);
            s.push_str(&format!("{indent}{}: {}\n", scalar(rng, &key), labels(rng)));
        }
    };
    if !rng.one_in(4) {
        map(rng, "taxonomies:\n  departments:\n", DEPARTMENTS, "    ");
        map(rng, "  themes:\n", THEMES, "    ");
    }
    if !rng.one_in(3) {
        map(rng, "figures:\n", FIGURES, "  ");
    }
    if rng.one_in(3) {
        s.push_str(rng.choose(&[
            "markdown: { unsafe_html: true }\n",
            "markdown: { unsafe: true }\n",
            "markdwn: {}\n",
        ]));
    }
    s.into_bytes()
}
