//! Fuzz target: the bytes as the body of a report with valid front matter, so they reach the
//! Markdown renderer (`targets::markdown_body`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

use std::sync::LazyLock;

static FIXTURE: LazyLock<targets::Fixture> = LazyLock::new(targets::Fixture::new);

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::markdown_body(&FIXTURE, data);
});
