//! Render stage: a department's figures across the years, as a table and a chart per figure
//! (README, "Archiving").

use serde::Serialize;

use super::super::chart;
use super::super::context::{Ctx, format_number};
use super::super::shown;
use crate::config::label;

/// Every figure a department reported, across the years (README, "Archiving"; ARCHITECTURE.md,
/// "Decisions").
#[derive(Serialize, Default)]
pub(super) struct FigureTable {
    /// Oldest first, so the table reads like the charts, left to right in time.
    years: Vec<String>,
    rows: Vec<FigureSeries>,
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

/// Rows are the figures any report of the department has, in `site.yaml` key order; columns
/// are the years. A value comes from the report in the page's language, or else from another
/// translation; when a department published several reports in one year, the newest has it.
pub(super) fn department_figures(ctx: &Ctx<'_>, ids: &[usize]) -> FigureTable {
    let site = ctx.site;
    let mut years: Vec<u16> = ids.iter().map(|&i| site.entries[i].key.year).collect();
    years.sort_unstable();
    years.dedup();
    let values = shown::figure_values(site, ids, ctx.lang);
    let rows = site
        .config
        .figures
        .iter()
        .filter(|(key, _)| {
            years
                .iter()
                .any(|y| values.contains_key(&(key.as_str(), *y)))
        })
        .map(|(key, labels)| {
            let label = label(labels, ctx.lang).to_string();
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
    }
}
