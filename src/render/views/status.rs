//! Render stage: the context of the status page (README "Report kinds"): for each report kind,
//! a table of departments × years, each cell's standing in words (never colour alone), as of
//! the day the pipeline set. Only what this build publishes counts: a draft left out is
//! "missing" once its deadline has passed.

use minijinja::{Value, context};

use super::super::context::Ctx;
use super::super::pages::Page;
use super::{common, index_head, v};
use crate::config::label;
use crate::kinds::due::today;
use crate::kinds::status::tables;
use crate::urls;

pub(super) fn status(ctx: &Ctx<'_>, page: &Page) -> Value {
    let config = &ctx.site.config;
    let kinds = &config.kinds;
    let today = kinds.today.unwrap_or_else(|| today(kinds.timezone, None));
    let departments: Vec<String> = config.departments.keys().cloned().collect();
    let tables: Vec<Value> = tables(&ctx.site.reports, &departments, kinds, today, None)
        .into_iter()
        .map(|t| {
            let kind = &kinds.kinds[&t.kind];
            let rows: Vec<Value> = t
                .rows
                .iter()
                .map(|r| {
                    let name = config
                        .departments
                        .get(&r.department)
                        .map_or(r.department.as_str(), |l| label(l, ctx.lang));
                    let cells: Vec<Value> = r
                        .cells
                        .iter()
                        .map(|c| {
                            let href = c.report.as_ref().map(|k| {
                                ctx.href(&urls::report(ctx.lang, k.year, &k.stem))
                            });
                            context! { state => c.standing.name(), text => c.standing.text(ctx.lang),
                            due => c.due.map(|d| d.to_string()), href }
                        })
                        .collect();
                    context! { name, href => ctx.href(&urls::department(ctx.lang, &r.department)), cells }
                })
                .collect();
            context! { key => t.kind, label => label(&kind.label, ctx.lang), years => t.years, rows }
        })
        .collect();
    let head = index_head(ctx, ctx.t("status_title"), "kind_index", None);
    let as_of = ctx
        .t("status_as_of")
        .replace("{date}", &today.to_string())
        .replace("{zone}", kinds.timezone.name());
    context! { page => v(common(ctx, page, head)), tables, as_of }
}
