//! All stages: the one line a warning is printed as.

use std::path::Path;

use super::for_terminal;
use crate::messages::Msg;

/// One warning as `check` prints it and the preview lists it (`path:line:col: warning[rule]:
/// message`, the label in the reader's language), shared by the style rules and the report
/// kinds so the two read alike wherever they are shown.
pub fn warning_line(path: &Path, line: usize, col: usize, rule: &str, message: &str) -> Msg {
    Msg::new("diag.warning_line")
        .arg("path", for_terminal(&path.display().to_string()))
        .arg("line", line)
        .arg("col", col)
        .arg("rule", rule)
        .arg("message", for_terminal(message))
}
