//! Archive stage (README, Archiving): the record of a settled year, the manifest of what a build
//! published, and the offline bundle of one year. Library code only: the commands that use it
//! (`gongkai freeze`, `gongkai archive`) are in `src/cmd/`.
//!
//! - [`lock`]: `archive.lock`, its format and the frozen-report check that the content store
//!   runs for every command and the preview;
//! - [`manifest`]: `manifest.json`, written at the output root by every build (its long lists printed
//!   in parallel by `json_lists.rs`);
//! - [`bundle`]: a loaded site cut to one year, rendered for offline reading, and zipped;
//! - [`warc`]: the same files as a WARC 1.1 web archive, written and read back.

pub mod bundle;
mod json_lists;
pub mod lock;
pub mod manifest;
pub mod warc;

pub use lock::{LOCK_FILE, Lock};
