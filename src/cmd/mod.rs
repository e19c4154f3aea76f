//! Commands: each `gongkai <command>` as one function (`run`, `start` for `serve`) that drives the
//! library stages and returns what it did; the binary (`main.rs`) parses arguments and prints.
//! Tests drive the commands here directly.
//!
//! Imports run one way: a command uses library stages, never another command, and no library
//! stage uses a command.

pub mod archive;
pub mod build;
pub mod check;
pub mod fix;
pub mod freeze;
pub mod import;
pub mod keygen;
pub mod new;
pub mod serve;
pub mod status;
pub mod summary;
pub mod verify;
