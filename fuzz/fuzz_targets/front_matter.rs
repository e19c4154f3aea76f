//! Fuzz target: the bytes as a whole report file, through decoding, the front matter split, the
//! metadata rules and Markdown (`targets::report_file`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

use std::sync::LazyLock;

static FIXTURE: LazyLock<targets::Fixture> = LazyLock::new(targets::Fixture::new);

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::report_file(&FIXTURE, data);
});
