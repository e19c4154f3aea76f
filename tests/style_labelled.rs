//! The style rules against labelled paragraphs (README "Style rules"): on the part they were
//! tuned on, they find exactly the labelled mistakes, and nothing in correct text. The held-out
//! part is measured by `examples/style_eval.rs`, not asserted here.

#[path = "support/style_labels.rs"]
mod labels;

#[test]
fn tuned_paragraphs_get_exactly_their_labels() {
    let items = labels::items();
    assert!(items.len() >= 200, "{} paragraphs", items.len());
    let config = labels::config();
    let mut wrong = Vec::new();
    for item in items.iter().filter(|i| i.part == "tuned") {
        let want: std::collections::BTreeSet<(String, usize)> =
            item.expect.iter().cloned().collect();
        let got = labels::found(item, &config);
        if got != want {
            wrong.push(format!(
                "{} {:?}\n  want {want:?}\n  got  {got:?}",
                item.source, item.text
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn correct_text_gets_no_finding_anywhere() {
    let config = labels::config();
    for item in labels::items().iter().filter(|i| i.expect.is_empty()) {
        let got = labels::found(item, &config);
        assert!(got.is_empty(), "{} {:?}: {got:?}", item.source, item.text);
    }
}
