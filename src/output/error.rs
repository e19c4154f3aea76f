//! Write stage: why the output could not be written, as a catalogue message (area `output`,
//! README "Messages in your language"), so the operator reads it in their language. `Display`
//! is the English text, for logs and code that reads it.

use std::fmt;
use std::path::PathBuf;

use crate::messages::Msg;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file name that would leave the output folder.
    UnsafePath(String),
    OutHoldsSources(PathBuf),
    OutNotAFolder(PathBuf),
    OutNotOurs(PathBuf),
    ChangesInOutput(PathBuf),
    Interrupted(PathBuf),
    /// The journal of an update in place that does not parse (changed by hand).
    BadJournal(PathBuf),
    /// A file the build cache said to keep is not in the previous output (it was removed
    /// while the build ran).
    NotKept(String),
    ArchiveOverSite(PathBuf),
    ArchiveIsFolder(PathBuf),
    ArchiveNotOurs(PathBuf),
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl OutputError {
    /// The message, to be rendered in the reader's language.
    pub fn msg(&self) -> Msg {
        match self {
            OutputError::UnsafePath(p) => Msg::new("output.unsafe_path").arg("path", p),
            OutputError::OutHoldsSources(p) => {
                Msg::new("output.out_holds_sources").arg("path", p.display())
            }
            OutputError::OutNotAFolder(p) => {
                Msg::new("output.out_not_a_folder").arg("path", p.display())
            }
            OutputError::OutNotOurs(p) => Msg::new("output.out_not_ours").arg("path", p.display()),
            OutputError::ChangesInOutput(p) => {
                Msg::new("output.changes_in_output").arg("path", p.display())
            }
            OutputError::Interrupted(p) => Msg::new("output.interrupted").arg("path", p.display()),
            OutputError::BadJournal(p) => Msg::new("output.bad_journal").arg("path", p.display()),
            OutputError::NotKept(p) => Msg::new("output.not_kept").arg("path", p),
            OutputError::ArchiveOverSite(p) => {
                Msg::new("output.archive_over_site").arg("path", p.display())
            }
            OutputError::ArchiveIsFolder(p) => {
                Msg::new("output.archive_is_folder").arg("path", p.display())
            }
            OutputError::ArchiveNotOurs(p) => {
                Msg::new("output.archive_not_ours").arg("path", p.display())
            }
            OutputError::Io { path, source } => Msg::new("output.io")
                .arg("path", path.display())
                .arg("error", source),
        }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg().english())
    }
}
