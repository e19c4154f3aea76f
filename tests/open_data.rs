//! Figures as open data (README, "Figures as open data"): `data/figures.csv` and `.json`, the
//! per-department files and `data/datapackage.json` hold exactly the figures of the reports'
//! front matter, in `site.yaml`'s order, with units; labels of any text survive the CSV.
//!
//! The expected rows are computed here from the files themselves: front matter read with
//! serde_yaml directly (not gongkai's loader), `site.yaml` as a YAML mapping (which keeps its
//! order), the CSV read back with the csv crate's reader.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{Files, TempSite, build_ok, main_of, text};
use gongkai::BuildOptions;
use serde_yaml::Value;

/// One report file's front matter, as the oracle reads it.
struct Source {
    year: u16,
    stem: String,
    lang: String,
    department: String,
    figures: Vec<(String, f64)>,
}

fn yaml_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a text: {other:?}"),
    }
}

/// Every published (not draft) report file under `root/content`.
fn sources(root: &Path, default_lang: &str) -> Vec<Source> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(base) = name.strip_suffix(".md") else {
            continue;
        };
        let year: u16 = entry
            .path()
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .parse()
            .unwrap();
        let (stem, lang) = match base.rsplit_once('.') {
            Some((s, l)) => (s.to_string(), l.to_string()),
            None => (base.to_string(), default_lang.to_string()),
        };
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        let yaml = text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once("\n---\n"))
            .map(|(fm, _)| fm)
            .expect("front matter");
        let fm: Value = serde_yaml::from_str(yaml).unwrap();
        if fm.get("draft").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let figures = fm
            .get("figures")
            .and_then(Value::as_mapping)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (yaml_str(k), v.as_f64().expect("a number")))
                    .collect()
            })
            .unwrap_or_default();
        out.push(Source {
            year,
            stem,
            lang,
            department: yaml_str(&fm["department"]),
            figures,
        });
    }
    out
}

/// Reads a CSV the way a spreadsheet user's script would: BOM, then RFC 4180.
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let body = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("CSV starts with a BOM");
    let mut r = csv::ReaderBuilder::new().from_reader(body);
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// A text cell as the editor wrote it: the formula guard's `'` taken off.
fn unguard(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// The rows the data files must hold, computed from `site.yaml` and the report files.
fn expected_rows(root: &Path) -> Vec<BTreeMap<String, String>> {
    let site: Value =
        serde_yaml::from_str(&std::fs::read_to_string(root.join("site.yaml")).unwrap()).unwrap();
    let langs: Vec<String> = site["languages"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(yaml_str)
        .collect();
    let base = yaml_str(&site["base_url"]);
    let base = if base.ends_with('/') {
        base
    } else {
        format!("{base}/")
    };
    let figures = site["figures"].as_mapping().cloned().unwrap_or_default();
    let departments = &site["taxonomies"]["departments"];
    let mut reports: BTreeMap<(u16, String, String), Vec<Source>> = BTreeMap::new();
    for s in sources(root, &langs[0]) {
        reports
            .entry((s.year, s.department.clone(), s.stem.clone()))
            .or_default()
            .push(s);
    }
    let mut rows = Vec::new();
    for ((year, dept, stem), mut files) in reports {
        files.sort_by_key(|f| langs.iter().position(|l| *l == f.lang));
        for (key, labels) in &figures {
            let key = yaml_str(key);
            let Some(value) = files
                .iter()
                .find_map(|f| f.figures.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
            else {
                continue;
            };
            let mut row = BTreeMap::new();
            row.insert("year".into(), year.to_string());
            row.insert("report".into(), stem.clone());
            row.insert("department".into(), dept.clone());
            row.insert("figure".into(), key.clone());
            row.insert("value".into(), value.to_string());
            let present: Vec<&str> = files.iter().map(|f| f.lang.as_str()).collect();
            row.insert("languages".into(), present.join(" "));
            for l in &langs {
                row.insert(format!("department_{l}"), yaml_str(&departments[&dept][l]));
                row.insert(format!("figure_{l}"), yaml_str(&labels[l]));
                let unit = match labels.get("unit") {
                    None => String::new(),
                    Some(Value::Mapping(m)) => m
                        .get(Value::String(l.clone()))
                        .map(yaml_str)
                        .unwrap_or_default(),
                    Some(u) => yaml_str(u),
                };
                row.insert(format!("unit_{l}"), unit);
                let url = if present.contains(&l.as_str()) {
                    format!("{base}{l}/{year}/{stem}/")
                } else {
                    String::new()
                };
                row.insert(format!("url_{l}"), url);
            }
            rows.push(row);
        }
    }
    rows
}

/// The CSV's rows as maps, text cells unguarded, values as `f64` text.
fn csv_rows(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let (header, rows) = read_csv(bytes);
    rows.into_iter()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.iter().map(|c| unguard(c)))
                .map(|(k, v)| {
                    let v = if k == "value" {
                        v.parse::<f64>().unwrap().to_string()
                    } else {
                        v
                    };
                    (k, v)
                })
                .collect()
        })
        .collect()
}

fn json_rows(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(bytes).unwrap();
    rows.into_iter()
        .map(|r| {
            r.into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        serde_json::Value::String(s) => s,
                        serde_json::Value::Number(n) => n.as_f64().unwrap().to_string(),
                        other => panic!("{k}: {other}"),
                    };
                    (k, v)
                })
                .collect()
        })
        .collect()
}

/// Every data file of `files` agrees with the site at `root`.
fn check_data(root: &Path, files: &Files) {
    let expected = expected_rows(root);
    assert!(!expected.is_empty(), "the site has figures");
    let csv = csv_rows(&files["data/figures.csv"]);
    assert_eq!(csv.len(), expected.len(), "one row per report and figure");
    for (i, (got, want)) in csv.iter().zip(&expected).enumerate() {
        assert_eq!(got, want, "CSV row {i}");
    }
    assert_eq!(json_rows(&files["data/figures.json"]), expected, "JSON");
    // Per department: the same rows, filtered.
    let site: Value =
        serde_yaml::from_str(&std::fs::read_to_string(root.join("site.yaml")).unwrap()).unwrap();
    for (dept, _) in site["taxonomies"]["departments"].as_mapping().unwrap() {
        let dept = yaml_str(dept);
        let mine: Vec<_> = expected
            .iter()
            .filter(|r| r["department"] == dept)
            .cloned()
            .collect();
        let path = format!("data/{dept}/figures.csv");
        assert_eq!(csv_rows(&files[&path]), mine, "{path}");
        let path = format!("data/{dept}/figures.json");
        assert_eq!(json_rows(&files[&path]), mine, "{path}");
    }
    check_package(files);
}

/// `datapackage.json` names every data file, each with the CSV's columns.
fn check_package(files: &Files) {
    let package: serde_json::Value =
        serde_json::from_slice(&files["data/datapackage.json"]).unwrap();
    assert_eq!(package["profile"], "tabular-data-package");
    let (header, _) = read_csv(&files["data/figures.csv"]);
    let resources = package["resources"].as_array().unwrap();
    let data_files = files
        .keys()
        .filter(|k| k.starts_with("data/") && (k.ends_with(".csv") || k.ends_with(".json")));
    assert_eq!(
        resources.len(),
        data_files.count() - 1,
        "every file but the descriptor"
    );
    for r in resources {
        let path = format!("data/{}", r["path"].as_str().unwrap());
        assert!(files.contains_key(&path), "{path} is written");
        let fields: Vec<&str> = r["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(fields, header, "{path}");
        assert_eq!(r["encoding"], "utf-8");
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn sample_site_data_equals_front_matter() {
    let files = build_ok(&BuildOptions::new(repo()));
    check_data(repo(), &files);
}

#[test]
fn fixture_data_leaves_out_drafts_and_marks_missing_translations() {
    let site = TempSite::copy_of("basic");
    site.replace(
        "content/2022/finance-bureau.zh.md",
        "draft: true\n",
        "draft: true\nfigures:\n  legal-opinions: 7\n",
    );
    for drafts in [false, true] {
        let mut opts = site.options();
        opts.drafts = drafts;
        let files = build_ok(&opts);
        // The oracle skips drafts: with `--drafts` too, the data holds none.
        check_data(site.root(), &files);
        let csv = String::from_utf8_lossy(&files["data/figures.csv"]).to_string();
        assert!(
            !csv.contains("finance-bureau,"),
            "the draft's figure: {csv}"
        );
    }
}

#[test]
fn generated_corpus_data_equals_front_matter() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let made = Command::new("python3")
        .arg(repo().join("bench/gen_corpus.py"))
        .arg(&root)
        .arg("200")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run gen_corpus.py");
    assert!(made.success());
    let files = build_ok(&BuildOptions::new(&root));
    check_data(&root, &files);
}

/// Labels and units with what CSV and spreadsheets treat specially.
const HOSTILE: &str = r#"figures:
  zz-last-key: { zh: "=cmd|' /C calc'!A0", en: "He said \"no\", then left", unit: { zh: "+件", en: "@unit" } }
  legal-opinions: { zh: "出具法律意见，
    第二行", en: "-1, \"quoted\"\nnext line", unit: "%" }
  penalty-cases: { zh: "\t制表", en: "Penalty cases" }
"#;

fn hostile_site() -> TempSite {
    let site = TempSite::copy_of("basic");
    let yaml = site.read("site.yaml");
    let start = yaml.find("figures:").unwrap();
    site.write("site.yaml", format!("{}{HOSTILE}", &yaml[..start]));
    site.replace(
        "content/2021/justice-bureau.zh.md",
        "legal-opinions: 198",
        "legal-opinions: 198\n  zz-last-key: -12.5",
    );
    site
}

#[test]
fn hostile_labels_round_trip_through_csv_and_json() {
    let site = hostile_site();
    let files = site.build();
    check_data(site.root(), &files);
    // The formula guard is in the file, not only undone by the oracle.
    let raw = String::from_utf8_lossy(&files["data/figures.csv"]).to_string();
    assert!(raw.contains(",'=cmd|' /C calc'!A0,"), "{raw}");
    assert!(raw.contains(",'+件,'@unit,"), "{raw}");
    assert!(raw.contains("\"'-1, \"\"quoted\"\"\nnext line\""), "{raw}");
    assert!(raw.contains(",-12.5,"), "numbers are not guarded: {raw}");
    // JSON carries the text as written.
    let json = json_rows(&files["data/figures.json"]);
    assert!(json.iter().any(|r| r["figure_zh"] == "=cmd|' /C calc'!A0"));
    assert!(json.iter().any(|r| r["figure_zh"] == "\t制表"));
}

#[test]
fn figures_follow_site_yaml_order_in_both_languages() {
    let site = hostile_site();
    // zz-last-key is listed first in site.yaml; alphabetical order would put it last.
    for lang in ["zh", "en"] {
        site.replace(
            &format!("content/2022/justice-bureau.{lang}.md"),
            "legal-opinions: 231",
            "legal-opinions: 231\n  zz-last-key: 4",
        );
    }
    let files = site.build();
    for lang in ["zh", "en"] {
        let page = text(
            &files,
            &format!("{lang}/departments/justice-bureau/index.html"),
        );
        let table = page.find("<th scope=\"row\">").unwrap();
        let first_row: String = page[table..].chars().take(80).collect();
        let expected = if lang == "zh" { "=cmd" } else { "He said" };
        assert!(first_row.contains(expected), "{lang}: {first_row}");
        let zz = page.find("id=\"figure-zz-last-key\"").unwrap();
        let lo = page.find("id=\"figure-legal-opinions\"").unwrap();
        assert!(zz < lo, "{lang}: charts in site.yaml's order");
        let report = text(&files, &format!("{lang}/2022/justice-bureau/index.html"));
        let report = &report[report.find("id=\"report-figures\"").unwrap()..];
        let zz = report.find(expected).unwrap();
        let lo = report.find(if lang == "zh" {
            "出具法律意见"
        } else {
            "-1, "
        });
        assert!(zz < lo.unwrap(), "{lang}: report page in site.yaml's order");
    }
    let csv = csv_rows(&files["data/figures.csv"]);
    let order: Vec<&str> = csv
        .iter()
        .filter(|r| r["year"] == "2022" && r["report"] == "justice-bureau")
        .map(|r| r["figure"].as_str())
        .collect();
    assert_eq!(order, ["zz-last-key", "legal-opinions"]);
}

#[test]
fn units_show_in_tables_charts_and_data() {
    let site = TempSite::copy_of("basic");
    site.replace(
        "site.yaml",
        "legal-opinions: { zh: 出具法律意见（件）, en: Legal opinions issued }",
        "legal-opinions: { zh: 出具法律意见, en: Legal opinions issued, unit: { zh: 件, en: opinions } }",
    );
    site.replace(
        "site.yaml",
        "penalty-cases: { zh: 行政处罚案件（件）, en: Administrative penalty cases }",
        "penalty-cases: { zh: 行政处罚案件, en: Administrative penalty cases, unit: { zh: 件 } }",
    );
    let files = site.build();
    let zh = main_of(text(&files, "zh/departments/justice-bureau/index.html"));
    assert!(
        zh.contains("<th scope=\"row\">出具法律意见（件）</th>"),
        "{zh}"
    );
    assert!(
        zh.contains("font-weight=\"bold\">出具法律意见（件）</text>"),
        "{zh}"
    );
    let en = main_of(text(&files, "en/departments/justice-bureau/index.html"));
    assert!(
        en.contains("<th scope=\"row\">Legal opinions issued (opinions)</th>"),
        "{en}"
    );
    let en = main_of(text(&files, "en/departments/market-regulation/index.html"));
    // No English unit: none shown.
    assert!(
        en.contains("<th scope=\"row\">Administrative penalty cases</th>"),
        "{en}"
    );
    let zh = main_of(text(&files, "zh/2022/justice-bureau/index.html"));
    assert!(zh.contains("出具法律意见（件）"), "report page: {zh}");
    check_data(site.root(), &files);
}

#[test]
fn department_pages_link_their_data_in_both_languages() {
    let files = common::build_fixture("basic");
    for (lang, words) in [("zh", "下载数据"), ("en", "Download data")] {
        let file = format!("{lang}/departments/justice-bureau/index.html");
        let main = main_of(text(&files, &file));
        assert!(main.contains(words), "{main}");
        let links: Vec<String> = common::tags(main)
            .into_iter()
            .filter_map(|t| common::attr(t, "href"))
            .filter(|h| h.contains("data/"))
            .collect();
        assert_eq!(links.len(), 2, "{main}");
        for href in links {
            let target = common::resolve(&file, &href).unwrap();
            assert!(
                target.starts_with("data/justice-bureau/figures."),
                "{target}"
            );
            assert!(files.contains_key(&target), "{target} exists");
        }
    }
}

#[test]
fn a_unit_in_an_unlisted_language_and_a_repeated_figure_are_errors() {
    let site = TempSite::copy_of("basic");
    site.replace(
        "site.yaml",
        "en: Legal opinions issued }",
        "en: Legal opinions issued, unit: { fr: avis } }",
    );
    let problems = site.build_err();
    let d = &problems[0];
    assert!(
        d.message.contains("unit in `fr`"),
        "{}",
        common::show(&problems)
    );
    assert_eq!(d.path, Path::new("site.yaml"));
    assert!(d.line > 1);

    let site = TempSite::copy_of("basic");
    site.replace(
        "site.yaml",
        "figures:\n",
        "figures:\n  legal-opinions: { zh: 重复, en: Again }\n",
    );
    let problems = site.build_err();
    assert!(
        problems[0]
            .message
            .contains("`legal-opinions` is written twice"),
        "{}",
        common::show(&problems)
    );
}

#[test]
fn a_years_bundle_carries_that_years_rows() {
    let site = TempSite::copy_of("basic");
    let zip_path = site.parent().join("2022.zip");
    let (code, _, err) = common::run(&[
        "archive",
        "2022",
        "--root",
        site.root().to_str().unwrap(),
        "--out",
        zip_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name("data/figures.csv").unwrap(), &mut bytes).unwrap();
    let rows = csv_rows(&bytes);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["year"] == "2022"), "{rows:?}");
    assert!(zip.by_name("data/datapackage.json").is_ok());
}

#[test]
fn the_package_names_a_licence_only_when_the_site_gives_one() {
    let site = TempSite::copy_of("basic");
    let licence = |files: &Files| {
        let p: serde_json::Value = serde_json::from_slice(&files["data/datapackage.json"]).unwrap();
        p.get("licenses").cloned()
    };
    assert_eq!(licence(&site.build()), None);
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{yaml}data_license: {{ name: CC-BY-4.0, path: \"https://creativecommons.org/licenses/by/4.0/\" }}\n"),
    );
    assert_eq!(
        licence(&site.build()),
        Some(
            serde_json::json!([{ "name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/" }])
        )
    );
    site.replace("site.yaml", "path:", "paht:");
    let problems = site.build_err();
    assert!(
        problems[0].message.contains("paht"),
        "{}",
        common::show(&problems)
    );
}
