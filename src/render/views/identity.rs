//! Render stage: the site's identity in a page's language, for the footer (README "Site
//! identity"), and a report's disclosure attributes (索引号, 发布机构, 成文日期, 发布日期, 主题分类).
//! Outside links (filing systems, error reporting) are plain links: nothing is loaded from
//! another host.

use super::super::context::{Ctx, Footer, Row};
use crate::config::{IndexFields, label};
use crate::model::{Entry, Report};
use crate::urls::LinkStyle;

/// The MIIT's ICP filing system, which an ICP number links to.
const ICP_SYSTEM: &str = "https://beian.miit.gov.cn/";

fn row(ctx: &Ctx<'_>, lang: &str, key: &str, value: &str, href: Option<String>) -> Row {
    let label = ctx.strings[lang].get(key).cloned().unwrap_or_default();
    Row {
        label,
        date: value.len() == 10 && chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok(),
        value: value.to_string(),
        href,
    }
}

/// The footer's identity lines in `lang`, for the page whose address is `url`. An offline
/// bundle shows them as text: its links lead only to its own pages or the live site (README,
/// Archiving), and errors are reported on the live site.
pub(super) fn footer(ctx: &Ctx<'_>, lang: &str, url: &str) -> Footer {
    let mut footer = online_footer(ctx, lang, url);
    if matches!(ctx.style, LinkStyle::Bundle { .. }) {
        footer.rows.iter_mut().for_each(|r| r.href = None);
        footer.error_report = None;
    }
    footer
}

fn online_footer(ctx: &Ctx<'_>, lang: &str, url: &str) -> Footer {
    let id = &ctx.site.config.identity;
    let mut rows = Vec::new();
    let texts = [
        ("identity_sponsor", &id.sponsor),
        ("identity_operator", &id.operator),
        ("identity_address", &id.address),
    ];
    for (key, text) in texts {
        if let Some(labels) = text {
            rows.push(row(ctx, lang, key, label(labels, lang), None));
        }
    }
    if let Some(phone) = &id.phone {
        let digits: String = phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        rows.push(row(
            ctx,
            lang,
            "identity_phone",
            phone,
            Some(format!("tel:{digits}")),
        ));
    }
    if let Some(email) = &id.email {
        rows.push(row(
            ctx,
            lang,
            "identity_email",
            email,
            Some(format!("mailto:{email}")),
        ));
    }
    if let Some(code) = &id.site_code {
        rows.push(row(ctx, lang, "identity_site_code", code, None));
    }
    if let Some(icp) = &id.icp {
        rows.push(row(ctx, lang, "identity_icp", icp, Some(ICP_SYSTEM.into())));
    }
    if let Some(number) = &id.public_security {
        let href = id.public_security_href();
        rows.push(row(ctx, lang, "identity_public_security", number, href));
    }
    let error_report = id.error_report.as_ref().map(|pattern| {
        pattern
            .replace(
                "{site_code}",
                &percent_encode(id.site_code.as_deref().unwrap_or("")),
            )
            .replace("{url}", &percent_encode(url))
    });
    let error_report_label = ctx.strings[lang]
        .get("identity_error_report")
        .cloned()
        .unwrap_or_default();
    Footer {
        rows,
        error_report,
        error_report_label,
    }
}

/// A value for a query string: everything but unreserved characters percent-encoded.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A report's disclosure attributes, in the order disclosure pages list them; 成文日期 only
/// when the front matter gives it.
pub(super) fn disclosure(ctx: &Ctx<'_>, entry: &Entry, report: &Report) -> Vec<Row> {
    let lang = ctx.lang;
    let index = ctx.site.config.identity.index_number(&IndexFields {
        year: entry.key.year,
        department: &entry.department,
        stem: &entry.key.stem,
        date: report.date.format("%Y%m%d").to_string(),
    });
    let mut rows = vec![
        row(ctx, lang, "disclosure_index", &index, None),
        row(
            ctx,
            lang,
            "disclosure_issuer",
            &ctx.department(&entry.department),
            None,
        ),
    ];
    if let Some(written) = report.written_date {
        rows.push(row(
            ctx,
            lang,
            "disclosure_written",
            &written.to_string(),
            None,
        ));
    }
    rows.push(row(ctx, lang, "published", &report.date.to_string(), None));
    let themes: Vec<String> = entry.themes.iter().map(|t| ctx.theme(t)).collect();
    if !themes.is_empty() {
        let separator = ctx.t("list_separator");
        rows.push(row(
            ctx,
            lang,
            "disclosure_themes",
            &themes.join(&separator),
            None,
        ));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn page_address_is_encoded_for_a_query() {
        assert_eq!(
            percent_encode("https://x.gov.cn/zh/2022/a b/?q=1&r"),
            "https%3A%2F%2Fx.gov.cn%2Fzh%2F2022%2Fa%20b%2F%3Fq%3D1%26r"
        );
    }
}
