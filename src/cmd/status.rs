//! `gongkai status`: who is late (README "Report kinds"): for each report kind, a table of
//! departments × years, each cell on time, late by N days, draft, missing or not yet due, as of
//! today in the site's time zone. Drafts count here (an editor's view); the status page shows
//! only what is published.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::{Config, label};
use crate::kinds::due::{self, parse_today};
use crate::kinds::status::{KindTable, tables};
use crate::messages::{Messages, Msg};
use crate::options::BuildOptions;
use crate::pipeline::{Error, Loaded, load};

/// What `status` found.
#[derive(Debug)]
pub struct Status {
    pub today: NaiveDate,
    pub config: Config,
    pub tables: Vec<KindTable>,
}

/// The day `GONGKAI_TODAY` names (`YYYY-MM-DD`), if set: a bad one is a usage error.
pub fn today_from(value: Option<&str>) -> Result<Option<NaiveDate>, Error> {
    match value.filter(|v| !v.is_empty()) {
        Some(v) => parse_today(v).map(Some).map_err(Error::Usage),
        None => Ok(None),
    }
}

/// Loads the site at `root` (drafts included) and computes the table of every kind, or of one
/// year, as of `today` (else today in the site's time zone).
pub fn run(root: PathBuf, year: Option<u16>, today: Option<NaiveDate>) -> Result<Status, Error> {
    let opts = BuildOptions {
        drafts: true,
        today,
        ..BuildOptions::new(root)
    };
    let Loaded { site, .. } = load(&opts)?;
    let config = site.config.clone();
    let today = due::today(config.kinds.timezone, opts.today);
    let departments: Vec<String> = config.departments.keys().cloned().collect();
    let tables = tables(&site.reports, &departments, &config.kinds, today, year);
    Ok(Status {
        today,
        config,
        tables,
    })
}

impl Status {
    /// The tables as text in the language of `ui`, columns aligned for a terminal (a Han
    /// character takes two columns).
    pub fn text(&self, ui: &Messages) -> String {
        let mut text = self.lines(ui).join("\n");
        text.push('\n');
        text
    }

    fn lines(&self, ui: &Messages) -> Vec<String> {
        let lang = ui.lang.code();
        let mut out = Vec::new();
        if self.tables.is_empty() {
            out.push(ui.text("output.status_no_kind"));
        }
        for t in &self.tables {
            let kind = &self.config.kinds.kinds[&t.kind];
            let heading = Msg::new("output.status_heading")
                .arg("label", label(&kind.label, lang))
                .arg("kind", &t.kind)
                .arg("today", self.today)
                .arg("zone", self.config.kinds.timezone.name());
            out.push(ui.render(&heading));
            let mut rows = vec![
                std::iter::once(ui.text("output.status_department"))
                    .chain(t.years.iter().map(u16::to_string))
                    .collect::<Vec<_>>(),
            ];
            for r in &t.rows {
                let name = self
                    .config
                    .departments
                    .get(&r.department)
                    .map_or(r.department.as_str(), |l| label(l, lang));
                let cells = r.cells.iter().map(|c| c.standing.text(lang));
                rows.push(std::iter::once(name.to_string()).chain(cells).collect());
            }
            out.extend(aligned(&rows));
            out.push(String::new());
        }
        out
    }
}

/// Rows padded so each column starts at the same terminal column.
fn aligned(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|s| width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|r| {
            let mut line = String::new();
            for (i, cell) in r.iter().enumerate() {
                line.push_str(cell);
                if i + 1 < r.len() {
                    line.push_str(&" ".repeat(widths[i] - width(cell) + 2));
                }
            }
            line
        })
        .collect()
}

/// Terminal columns of `s`: East Asian wide characters take two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{2e80}'..='\u{ffef}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}
