//! Fuzz target: the bytes as a `site.yaml` (`targets::site_yaml`).
#![no_main]

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::site_yaml(data);
});
