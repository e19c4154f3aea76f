//! Check stage: who is late (README "Report kinds"). For each kind, the departments that owe it
//! (the kind's `departments:`, else every department of the site) × every year from the first
//! year any report of that kind exists to the year now being reported on, each cell's
//! [`Standing`] as of a given day. The same table feeds `gongkai status` and the status page.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::config::{Kinds, due_date};
use super::due::{Standing, standing};
use crate::model::{Report, ReportKey};

/// One kind's table: rows are departments, columns years.
#[derive(Debug, Clone, PartialEq)]
pub struct KindTable {
    pub kind: String,
    pub years: Vec<u16>,
    pub rows: Vec<Row>,
}

/// One department's cells, one per year of the table, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub department: String,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub year: u16,
    pub standing: Standing,
    /// The last on-time day.
    pub due: Option<NaiveDate>,
    /// The report the cell counts (published one first), for a link.
    pub report: Option<ReportKey>,
}

/// What one department did for one kind and year: the earliest date of a published
/// translation, and whether a draft exists.
#[derive(Default)]
struct Seen {
    published: Option<(NaiveDate, ReportKey)>,
    draft: Option<ReportKey>,
}

/// The tables of every kind with at least one report, in key order. `departments` are the
/// site's; `only_year` keeps one column; reports with an unknown or no kind are left out.
pub fn tables(
    reports: &[Arc<Report>],
    departments: &[String],
    kinds: &Kinds,
    today: NaiveDate,
    only_year: Option<u16>,
) -> Vec<KindTable> {
    let mut seen: BTreeMap<(&str, &str, u16), Seen> = BTreeMap::new();
    for r in reports {
        let Some(kind) = r.kind.as_deref().filter(|k| kinds.kinds.contains_key(*k)) else {
            continue;
        };
        let cell = seen
            .entry((kind, r.department.as_str(), r.key.year))
            .or_default();
        if r.draft {
            cell.draft.get_or_insert_with(|| r.key.clone());
        } else if cell.published.as_ref().is_none_or(|(d, _)| r.date < *d) {
            cell.published = Some((r.date, r.key.clone()));
        }
    }
    let mut out = Vec::new();
    for (key, kind) in &kinds.kinds {
        let years_of_kind = seen.keys().filter(|k| k.0 == key).map(|k| k.2);
        let (Some(first), Some(newest)) = (years_of_kind.clone().min(), years_of_kind.max()) else {
            continue;
        };
        // The year being reported on now: its deadline falls in this calendar year.
        let current = u16::try_from(today.year() - kind.due.year_offset).unwrap_or(newest);
        let years: Vec<u16> = (first..=newest.max(current))
            .filter(|y| only_year.is_none_or(|o| o == *y))
            .collect();
        let owing: Vec<&String> = if kind.departments.is_empty() {
            departments.iter().collect()
        } else {
            kind.departments.iter().collect()
        };
        let rows = owing
            .into_iter()
            .map(|department| Row {
                department: department.clone(),
                cells: years
                    .iter()
                    .map(|&year| {
                        let due = due_date(kind.due, year);
                        let s = seen.get(&(key.as_str(), department.as_str(), year));
                        let published = s.and_then(|s| s.published.as_ref());
                        let draft = s.and_then(|s| s.draft.as_ref());
                        let standing = match due {
                            Some(due) => {
                                standing(published.map(|p| p.0), draft.is_some(), due, today)
                            }
                            None => Standing::NotYetDue,
                        };
                        Cell {
                            year,
                            standing,
                            due,
                            report: published.map(|p| p.1.clone()).or_else(|| draft.cloned()),
                        }
                    })
                    .collect(),
            })
            .collect();
        out.push(KindTable {
            kind: key.clone(),
            years,
            rows,
        });
    }
    out
}
