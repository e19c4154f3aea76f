//! Tests of the front matter: splitting, located errors, strict dates.

use super::*;

#[test]
fn split_maps_body_and_yaml_to_file_lines() {
    let text = "---\ntitle: a\ndate: b\n---\n\n# Body\n";
    let s = split(text, Path::new("x.md")).unwrap();
    assert_eq!(s.yaml, "title: a\ndate: b\n");
    assert_eq!(s.yaml_offset, 4);
    // YAML line 1 is file line 2; the body starts on file line 5.
    assert_eq!(crate::diagnostics::line_col(text, s.yaml_offset).0, 2);
    assert_eq!(s.body_line, 5);
    assert_eq!(s.body, "\n# Body\n");
}

#[test]
fn unclosed_and_missing_front_matter() {
    assert_eq!(
        split("---\ntitle: a\n", Path::new("x.md"))
            .unwrap_err()
            .message,
        "front matter is not closed"
    );
    assert_eq!(
        split("# Title\n", Path::new("x.md")).unwrap_err().message,
        "missing front matter"
    );
}

#[test]
fn repeated_theme_is_pointed_at_where_it_repeats() {
    let site = "title: { zh: t }\nbase_url: https://x.cn/\nlanguages: [zh]\ntaxonomies:\n  departments:\n    d: { zh: d }\n  themes:\n    a: { zh: a }\n";
    let config = crate::config::parse(site, Path::new("site.yaml"), None).unwrap();
    let text: Arc<str> =
        Arc::from("---\ntitle: t\ndepartment: d\nthemes: [a, a]\ndate: 2023-01-01\n---\n");
    let s = split(&text, Path::new("x.md")).unwrap();
    let errs = parse_meta(&s, &text, Path::new("x.md"), 2022, &config).unwrap_err();
    assert_eq!((errs[0].line, errs[0].col), (4, 13), "{}", errs[0]);
}

#[test]
fn dates_are_strict() {
    assert!(parse_date("2023-03-28").is_some());
    assert!(parse_date("2023-3-28").is_none());
    assert!(parse_date("2023-02-30").is_none());
}
