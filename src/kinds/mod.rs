//! Check stage: report kinds (README "Report kinds"): what `site.yaml` declares of each kind
//! (`config.rs`), whether a report has its required parts and came out on time (`check.rs`),
//! where each department stands against each deadline (`due.rs`, `status.rs`).

pub mod check;
pub mod config;
pub mod due;
pub mod status;

pub use config::{Due, Kind, Kinds, Part};
pub use due::Standing;

use std::sync::LazyLock;

use crate::messages::{Messages, UiLang, english};

/// The Chinese catalogues, parsed once: immutable data read from the binary, as
/// `messages::english`, so a status table of many cells does not parse them per cell.
static CHINESE: LazyLock<Messages> = LazyLock::new(|| Messages::new(UiLang::Zh));

/// The messages of `lang`, a page's or the terminal's (`zh…` Chinese, else English).
pub fn messages_in(lang: &str) -> &'static Messages {
    match UiLang::from_code(lang) {
        Some(UiLang::Zh) => &CHINESE,
        _ => english(),
    }
}
