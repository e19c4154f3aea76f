//! gongkai: per-year Markdown reports in, a bilingual static site out.
//!
//! The pipeline is load ([`content`], [`config`]) → model ([`model`]) → render ([`render`]) →
//! write ([`output`]), run by [`pipeline`]; [`search`] indexes the model, [`serve`] previews,
//! [`archive`] keeps settled years, [`cmd`] holds the commands. ARCHITECTURE.md has the module
//! map.

pub mod archive;
pub mod cache;
pub mod cmd;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostics;
pub mod error;
pub mod hash;
pub mod import;
pub mod kinds;
pub mod layout;
pub mod links;
pub mod messages;
pub mod model;
pub mod options;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod serve;
pub mod stamp;
pub mod style;
pub mod trust;
pub mod urls;
pub mod yaml;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use model::Site;
pub use options::BuildOptions;
pub use output::Output;
pub use pipeline::{BuildSummary, Error, Loaded, build, build_in_memory, load, render_into};
