//! Render stage: a department's figures across the years, as a table and a chart per figure
//! (README, "Archiving").

use serde::Serialize;

use super::super::chart;
use super::super::context::{Ctx, format_number};
use super::super::shown;
use crate::config::{Figure, label};
use crate::data;

/// Every figure a department reported, across the years (README, "Archiving"; ARCHITECTURE.md,
/// "Decisions").
#[derive(Serialize, Default)]
pub(super) struct FigureTable {
    /// Oldest first, so the table reads like the charts, left to right in time.
    years: Vec<String>,
    rows: Vec<FigureSeries>,
    /// The department's figures as data files (README, "Figures as open data").
    data_csv: String,
    data_json: String,
}

#[derive(Serialize)]
pub(super) struct FigureSeries {
    key: String,
    label: String,
    /// One cell per year; `—` where that year's report has no such figure.
    values: Vec<String>,
    /// Inline SVG, escaped by [`chart::bar_chart`]; the template marks it `safe`.
    chart: String,
}

/// A figure's label in the page's language with its unit, if it has one (`出具法律意见（件）`,
/// `Legal opinions issued (cases)`: the theme's `figure_unit` string places it).
pub(super) fn figure_label(ctx: &Ctx<'_>, figure: &Figure) -> String {
    let name = label(&figure.labels, ctx.lang);
    match figure.unit.as_ref().map(|u| u.get(ctx.lang)) {
        // A unit left empty in one language (`en: ""`) is not shown in it.
        Some(unit) if !unit.is_empty() => {
            let pattern = ctx.t("figure_unit");
            // A theme whose language lacks the string still shows the unit.
            let pattern = if pattern.contains("{label}") {
                pattern
            } else {
                "{label} ({unit})".to_string()
            };
            pattern.replace("{label}", name).replace("{unit}", unit)
        }
        _ => name.to_string(),
    }
}

/// Rows are the figures any report of the department has, in `site.yaml`'s order; columns
/// are the years. A value comes from the report in the page's language, or else from another
/// translation; when a department published several reports in one year, the newest has it.
pub(super) fn department_figures(ctx: &Ctx<'_>, department: &str, ids: &[usize]) -> FigureTable {
    let site = ctx.site;
    let mut years: Vec<u16> = ids.iter().map(|&i| site.entries[i].key.year).collect();
    years.sort_unstable();
    years.dedup();
    let values = shown::figure_values(site, ids, ctx.lang);
    let rows = site
        .config
        .figures
        .iter()
        .filter(|figure| {
            years
                .iter()
                .any(|y| values.contains_key(&(figure.key.as_str(), *y)))
        })
        .map(|figure| {
            let key = &figure.key;
            let label = figure_label(ctx, figure);
            let series: Vec<Option<f64>> = years
                .iter()
                .map(|y| values.get(&(key.as_str(), *y)).copied())
                .collect();
            let bars: Vec<chart::Bar> = years
                .iter()
                .zip(&series)
                .map(|(y, v)| chart::Bar {
                    label: y.to_string(),
                    value: *v,
                })
                .collect();
            let svg = chart::bar_chart(&chart::BarChart {
                id: &format!("chart-{key}"),
                title: &label,
                x_label: &ctx.t("chart_year_axis"),
                y_label: &label,
                no_data: &ctx.t("no_data"),
                bars: &bars,
            });
            FigureSeries {
                key: key.clone(),
                label,
                values: series
                    .iter()
                    .map(|v| v.map_or_else(|| "—".to_string(), format_number))
                    .collect(),
                chart: svg,
            }
        })
        .collect();
    FigureTable {
        years: years
            .iter()
            .map(|y| ctx.t("year_label").replace("{year}", &y.to_string()))
            .collect(),
        rows,
        data_csv: ctx.href(&data::department_file(department, data::Format::Csv)),
        data_json: ctx.href(&data::department_file(department, data::Format::Json)),
    }
}
