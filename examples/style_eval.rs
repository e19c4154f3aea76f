//! Precision and recall of the style rules per rule on the labelled paragraphs
//! (`tests/fixtures/style/labelled.yaml`), on the whole set and on its held-out part.
//!
//! `cargo run --example style_eval` (`-- --show` also lists each paragraph where the findings
//! differ from the labels).

#[path = "../tests/support/style_labels.rs"]
mod labels;

fn main() {
    let items = labels::items();
    let config = labels::config();
    if std::env::args().any(|a| a == "--show") {
        for item in &items {
            let want: std::collections::BTreeSet<(String, usize)> =
                item.expect.iter().cloned().collect();
            let got = labels::found(item, &config);
            if got != want {
                println!(
                    "[{}] {} {:?}\n  want {want:?}\n  got  {got:?}",
                    item.part, item.source, item.text
                );
            }
        }
    }
    let held: Vec<&labels::Item> = items.iter().filter(|i| i.part == "held-out").collect();
    for (name, set) in [
        ("whole set", items.iter().collect::<Vec<_>>()),
        ("held-out", held),
    ] {
        let correct = set.iter().filter(|i| i.expect.is_empty()).count();
        println!(
            "{name}: {} paragraphs ({correct} with no mistake)",
            set.len()
        );
        println!(
            "  {:<26} {:>4} {:>4} {:>4} {:>9} {:>7}",
            "rule", "tp", "fp", "fn", "precision", "recall"
        );
        let scores = labels::score(set.iter().copied(), &config);
        let mut total = labels::Score::default();
        for (rule, s) in &scores {
            print_row(rule, *s);
            total.tp += s.tp;
            total.fp += s.fp;
            total.fn_ += s.fn_;
        }
        print_row("all rules", total);
    }
}

fn print_row(rule: &str, s: labels::Score) {
    let ratio = |a: usize, b: usize| {
        if b == 0 {
            "-".to_string()
        } else {
            format!("{:.3}", a as f64 / b as f64)
        }
    };
    println!(
        "  {rule:<26} {:>4} {:>4} {:>4} {:>9} {:>7}",
        s.tp,
        s.fp,
        s.fn_,
        ratio(s.tp, s.tp + s.fp),
        ratio(s.tp, s.tp + s.fn_)
    );
}
