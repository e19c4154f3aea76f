//! Data stage: the reports' figures as open data (README, "Figures as open data") —
//! `data/figures.csv`, `data/figures.json`, the same per department under
//! `data/<department>/`, and `data/datapackage.json` describing them.
//!
//! Guarantees: one row per report (a year's report, all its translations together) and
//! figure, so adding up a column counts every figure once; the value is the one in the
//! default language's file, else in the first translation that has it (the department page's
//! rule); rows sorted by year, department, report and `site.yaml`'s figure order; the columns,
//! their order and their types are defined once ([`columns`]) for the CSV, the JSON and the
//! package's schema; drafts are never in it, not even in a `--drafts` build.
//! Same input, same bytes.

use crate::config::Figure;
use crate::model::Site;
use crate::output::{OutputError, Sink};

mod package;
mod table;

pub const DATA_DIR: &str = "data";
pub const PACKAGE_FILE: &str = "data/datapackage.json";

/// The formats each table is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// `data/figures.csv`: every department.
pub fn site_file(format: Format) -> String {
    format!("{DATA_DIR}/figures.{}", format.ext())
}

/// `data/<department>/figures.csv`: one department's rows.
pub fn department_file(department: &str, format: Format) -> String {
    format!("{DATA_DIR}/{department}/figures.{}", format.ext())
}

/// What a column holds, for the CSV's formula guard, the JSON's types and the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A key from `site.yaml` or a file name: a slug, never starts with `=`, `+`, `-`, `@`.
    Key,
    /// Free text written by the site's editors (labels, units): guarded in the CSV.
    Text,
    Year,
    Number,
    Url,
}

/// One column: its name in the header and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    pub description: String,
}

fn col(name: impl Into<String>, kind: Kind, description: impl Into<String>) -> Column {
    Column {
        name: name.into(),
        kind,
        description: description.into(),
    }
}

/// The columns, for a site in `languages` (labels, units and addresses once per language).
pub fn columns(languages: &[String]) -> Vec<Column> {
    let per_lang = |prefix: &str, kind: Kind, what: &str| -> Vec<Column> {
        languages
            .iter()
            .map(|l| col(format!("{prefix}_{l}"), kind, format!("{what} ({l})")))
            .collect()
    };
    let mut c = vec![
        col("year", Kind::Year, "Reporting year"),
        col(
            "report",
            Kind::Key,
            "The report's file name, unique within its year",
        ),
        col("department", Kind::Key, "Department key (site.yaml)"),
    ];
    c.extend(per_lang("department", Kind::Text, "Department name"));
    c.push(col("figure", Kind::Key, "Figure key (site.yaml)"));
    c.extend(per_lang(
        "figure",
        Kind::Text,
        "Figure name, without its unit",
    ));
    c.extend(per_lang("unit", Kind::Text, "Unit, empty when none"));
    c.push(col("value", Kind::Number, "The figure's value"));
    c.push(col(
        "languages",
        Kind::Key,
        "Languages the report is published in, space-separated",
    ));
    c.extend(per_lang(
        "url",
        Kind::Url,
        "The report's page, empty when not in that language",
    ));
    c
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Year(u16),
    Number(f64),
}

/// Every row of the site, in order; each is `(department, cells)`, cells as [`columns`] says.
pub fn rows(site: &Site) -> Vec<(String, Vec<Cell>)> {
    let config = &site.config;
    let langs = &config.languages;
    let mut rows = Vec::new();
    let mut entries: Vec<&crate::model::Entry> = site.entries.iter().collect();
    entries.sort_by(|a, b| {
        (a.key.year, &a.department, &a.key.stem).cmp(&(b.key.year, &b.department, &b.key.stem))
    });
    for entry in entries {
        // Default language first, then the others in the site's order. Drafts are left out
        // even when a preview shows them (`--drafts`): data files are copied and kept, and an
        // unpublished number must not travel in them.
        let reports: Vec<&crate::model::Report> = langs
            .iter()
            .filter_map(|l| entry.translations.get(l).map(|&i| &*site.reports[i]))
            .filter(|r| !r.draft)
            .collect();
        let dept = config.departments.get(&entry.department);
        for figure in &config.figures {
            let Some(value) = reports.iter().find_map(|r| r.figures.get(&figure.key)) else {
                continue;
            };
            let mut cells = vec![
                Cell::Year(entry.key.year),
                Cell::Text(entry.key.stem.clone()),
                Cell::Text(entry.department.clone()),
            ];
            cells.extend(
                langs
                    .iter()
                    .map(|l| Cell::Text(dept.and_then(|d| d.get(l)).cloned().unwrap_or_default())),
            );
            cells.push(Cell::Text(figure.key.clone()));
            cells.extend(langs.iter().map(|l| Cell::Text(label_in(figure, l))));
            cells.extend(
                langs
                    .iter()
                    .map(|l| Cell::Text(figure.unit.as_ref().map_or("", |u| u.get(l)).to_string())),
            );
            cells.push(Cell::Number(*value));
            let present: Vec<&str> = reports.iter().map(|r| r.lang.as_str()).collect();
            cells.push(Cell::Text(present.join(" ")));
            cells.extend(langs.iter().map(|l| {
                let published = reports.iter().any(|r| &r.lang == l);
                Cell::Text(if published {
                    let page = crate::urls::report(l, entry.key.year, &entry.key.stem);
                    format!("{}{page}", config.base_url)
                } else {
                    String::new()
                })
            }));
            rows.push((entry.department.clone(), cells));
        }
    }
    rows
}

fn label_in(figure: &Figure, lang: &str) -> String {
    figure.labels.get(lang).cloned().unwrap_or_default()
}

/// Every data file of `site`: path → bytes, sorted by path.
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let columns = columns(&site.config.languages);
    let rows = rows(site);
    let all: Vec<&[Cell]> = rows.iter().map(|(_, c)| c.as_slice()).collect();
    let csv = table::Encoded::csv(&columns, &all);
    let json = table::Encoded::json(&columns, &all);
    let mut out = vec![
        (site_file(Format::Csv), csv.file(0..all.len())),
        (site_file(Format::Json), json.file(0..all.len())),
    ];
    for department in site.config.departments.keys() {
        let mine = || {
            rows.iter()
                .enumerate()
                .filter(|(_, (d, _))| d == department)
                .map(|(i, _)| i)
        };
        out.push((department_file(department, Format::Csv), csv.file(mine())));
        out.push((department_file(department, Format::Json), json.file(mine())));
    }
    out.push((PACKAGE_FILE.to_string(), package::describe(site, &columns)));
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Writes every data file into `sink`; returns how many.
pub fn write(site: &Site, sink: &dyn Sink) -> Result<usize, OutputError> {
    let files = files(site);
    let n = files.len();
    for (path, bytes) in files {
        sink.put(&path, bytes)?;
    }
    Ok(n)
}
