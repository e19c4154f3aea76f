//! All stages: the one line a warning is printed as.

use std::path::Path;

use super::for_terminal;

/// One warning as `check` prints it (`path:line:col: warning[rule]: message`), shared by the
/// style rules and the report kinds so the two read alike.
pub fn warning_line(path: &Path, line: usize, col: usize, rule: &str, message: &str) -> String {
    format!(
        "{}:{line}:{col}: warning[{rule}]: {}",
        for_terminal(&path.display().to_string()),
        for_terminal(message)
    )
}
