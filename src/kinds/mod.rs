//! Check stage: report kinds (README "Report kinds"): what `site.yaml` declares of each kind
//! (`config.rs`), whether a report has its required parts and came out on time (`check.rs`),
//! where each department stands against each deadline (`due.rs`, `status.rs`).

pub mod check;
pub mod config;
pub mod due;
pub mod status;

pub use config::{Due, Kind, Kinds, Part};
pub use due::Standing;
