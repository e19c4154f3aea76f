//! Render stage: a report's page, the "not translated" page at the address of a missing
//! translation, and the archived notice that links the department's newest report.

use minijinja::{Value, context};
use serde::Serialize;

use super::super::context::{Ctx, Link, format_number, html_lang};
use super::super::pages::Page;
use super::super::shown;
use super::figures::figure_label;
use super::identity::disclosure;
use super::{Head, common, v};
use crate::model::{Bodies, Entry, Report};
use crate::urls;

#[derive(Serialize)]
pub(super) struct FigureRow {
    label: String,
    value: String,
}

pub(super) fn report_or_missing(
    ctx: &Ctx<'_>,
    page: &Page,
    entry: &Entry,
    bodies: &dyn Bodies,
) -> (&'static str, Value) {
    let (report, exact) = ctx.site.in_lang(entry, ctx.lang);
    let mut head = Head {
        title: report.title.clone(),
        column: ctx
            .t("year_title")
            .replace("{year}", &entry.key.year.to_string()),
        kind: "kind_report",
        pub_date: report.date.to_string(),
        source: ctx.department(&entry.department),
        keywords: entry.themes.iter().map(|t| ctx.theme(t)).collect(),
        description: report.summary.clone(),
    };
    if !exact {
        head.kind = "kind_not_translated";
        let available = context! { title => &report.title, href => ctx.report_href(report),
        lang => &report.lang, html_lang => html_lang(&report.lang), name => ctx.lang_name(&report.lang) };
        return (
            "not_translated.html",
            context! { page => v(common(ctx, page, head)), available },
        );
    }
    head.keywords.insert(0, ctx.department(&entry.department));
    // In `site.yaml`'s order, like the department page's table.
    let mut figures: Vec<(&String, &f64)> = report.figures.iter().collect();
    figures.sort_by_key(|(k, _)| ctx.site.config.figures.position(k));
    let figures: Vec<FigureRow> = figures
        .into_iter()
        .map(|(k, v)| FigureRow {
            label: ctx
                .site
                .config
                .figures
                .get(k)
                .map_or_else(|| k.clone(), |f| figure_label(ctx, f)),
            value: format_number(*v),
        })
        .collect();
    let mut revisions = report.revisions.clone();
    revisions.sort_by_key(|r| std::cmp::Reverse(r.date));
    let newest = newest_link(ctx, entry);
    let toc: Vec<_> = report
        .sections
        .iter()
        .filter(|s| !s.id.is_empty())
        .map(|s| context! { id => &s.id, heading => &s.heading })
        .collect();
    (
        "report.html",
        context! {
            page => v(common(ctx, page, head)),
            report => context! {
                title => &report.title, date => report.date.to_string(), year => entry.key.year,
                year_href => ctx.href(&urls::year(ctx.lang, entry.key.year)),
                department => ctx.department(&entry.department),
                department_href => ctx.href(&urls::department(ctx.lang, &entry.department)),
                themes => v(ctx.theme_links(&entry.themes)),
                last_revised => report.last_revised().map(|d| d.to_string()),
                toc_numbered => !toc_headings_numbered(report),
                revisions => v(revisions), figures => v(figures), toc,
                disclosure => v(disclosure(ctx, entry, report)),
                body => Value::from_safe_string(
                    bodies.html(&report.source_path).unwrap_or_default().to_string()
                ),
            },
            archived => v(newest),
        },
    )
}

/// Whether the report's sections carry their own numbers (`一、`, `1.`, `（一）`, `第一章`): then
/// the table of contents shows no list numbers of its own, or a reader would see two
/// (`1. 一、加强党的领导…`). One numbered heading is enough: a closing "附件" after "一、…"
/// "二、…" would otherwise get a list number the others lack.
fn toc_headings_numbered(report: &Report) -> bool {
    report
        .sections
        .iter()
        .filter(|s| !s.id.is_empty())
        .any(|s| carries_number(&s.heading))
}

fn carries_number(heading: &str) -> bool {
    const HAN_DIGITS: &str = "一二三四五六七八九十百零〇";
    let h = heading.trim_start();
    let (open, rest) = match h.strip_prefix(['（', '(']) {
        Some(rest) => (true, rest),
        None => (false, h.strip_prefix('第').unwrap_or(h)),
    };
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || HAN_DIGITS.contains(c)))
        .unwrap_or(rest.len());
    if digits == 0 {
        return false;
    }
    let after = rest[digits..].chars().next();
    match after {
        Some('）' | ')') => open,
        Some('、' | '.' | '．' | '章' | '节' | '部' | '条' | '篇') => !open,
        _ => false,
    }
}

/// The department's newest report, for the "archived" notice on older ones. In a site cut out
/// of a bigger one (an archive bundle), the newest report is outside it: the link leads to its
/// page on the live site (`base_url`).
pub(super) fn newest_link(ctx: &Ctx<'_>, entry: &Entry) -> Option<Link> {
    // The newest report is of a later year: in a bundle, the link style sends it to the live
    // site.
    let report = shown::newest_named(ctx.site, entry, ctx.lang)?;
    Some(Link {
        label: report.title.clone(),
        href: ctx.report_href(report),
    })
}

#[cfg(test)]
mod tests {
    use super::carries_number;

    #[test]
    fn headings_with_their_own_numbers_are_recognised() {
        for h in [
            "一、加强党的领导",
            "十二、其他",
            "1. Main work",
            "12．数据",
            "（三）法律援助",
            "(4) Aid",
            "第一章 总则",
            "第二部分",
        ] {
            assert!(carries_number(h), "{h}");
        }
        for h in [
            "Main work",
            "2022 in review",
            "附件",
            "一流营商环境",
            "(note)",
            "一）",
        ] {
            assert!(!carries_number(h), "{h}");
        }
    }
}
