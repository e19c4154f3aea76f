//! Commands: the one line `build` and `check` end with, in the reader's language: reports
//! published per language, the drafts left out by name, and the warnings (README "Building").
//! A new report is a draft, so naming the drafts is what keeps it from going missing silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::messages::{Messages, Msg};

/// What the line says besides the command's own figures.
pub struct Outcome<'a> {
    pub by_lang: &'a BTreeMap<String, usize>,
    pub drafts_left_out: &'a [PathBuf],
    pub warnings: usize,
}

/// `zh 4, en 2; drafts left out: content/2024/a.zh.md; 0 warnings`, in `m`'s language.
pub fn tail(o: &Outcome<'_>, m: &Messages) -> String {
    let langs: Vec<String> = o
        .by_lang
        .iter()
        .map(|(lang, n)| m.render(&Msg::new("summary.lang").arg("lang", lang).arg("n", n)))
        .collect();
    let drafts = match o.drafts_left_out {
        [] => Msg::new("summary.no_drafts"),
        [one] => Msg::new("summary.draft_one").arg("paths", one.display()),
        paths => Msg::new("summary.drafts")
            .arg("n", paths.len())
            .list("paths", paths.iter().map(|p| p.display())),
    };
    let warnings = match o.warnings {
        1 => Msg::new("summary.warning_one"),
        n => Msg::new("summary.warnings").arg("n", n),
    };
    m.render(
        &Msg::new("summary.tail")
            .list("langs", langs)
            .arg("drafts", m.render(&drafts))
            .arg("warnings", m.render(&warnings)),
    )
}

/// The line of `gongkai build`.
pub fn built(
    reports: usize,
    out: &Path,
    files: usize,
    secs: f64,
    o: &Outcome<'_>,
    m: &Messages,
) -> String {
    let head = Msg::new("summary.built")
        .arg("reports", reports)
        .arg("out", out.display())
        .arg("files", files)
        .arg("secs", format!("{secs:.2}"));
    format!("{}{}", m.render(&head), tail(o, m))
}

/// The line of `gongkai check`.
pub fn checked(
    reports: usize,
    files: usize,
    links: usize,
    o: &Outcome<'_>,
    m: &Messages,
) -> String {
    let head = Msg::new("summary.checked")
        .arg("reports", reports)
        .arg("files", files)
        .arg("links", links);
    format!("{}{}", m.render(&head), tail(o, m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::UiLang;

    #[test]
    fn the_line_names_languages_drafts_and_warnings() {
        let by_lang = BTreeMap::from([("en".to_string(), 2), ("zh".to_string(), 4)]);
        let drafts = [PathBuf::from("content/2024/a.zh.md")];
        let o = Outcome {
            by_lang: &by_lang,
            drafts_left_out: &drafts,
            warnings: 0,
        };
        let en = built(
            6,
            Path::new("public"),
            9,
            0.5,
            &o,
            &Messages::new(UiLang::En),
        );
        assert_eq!(
            en,
            "built 6 reports into public (9 files) in 0.50s: en 2, zh 4; 1 draft left out: content/2024/a.zh.md (publish with `draft: false`); 0 warnings"
        );
        assert!(!en.contains('\n'));
        let zh = built(
            6,
            Path::new("public"),
            9,
            0.5,
            &o,
            &Messages::new(UiLang::Zh),
        );
        assert!(zh.contains("content/2024/a.zh.md"), "{zh}");
        assert!(zh.contains("草稿"), "{zh}");
        let none = Outcome {
            drafts_left_out: &[],
            ..o
        };
        assert!(tail(&none, &Messages::new(UiLang::En)).contains("no drafts left out"));
    }
}
