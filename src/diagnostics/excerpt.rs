//! Diagnostics: the few lines of source shown under a message, cut to a window around the
//! position, made safe for a terminal, with the place marked by `^` under the right characters.
//!
//! A line can be a megabyte long (a table pasted from Word, or a hostile file); the excerpt
//! shows at most [`REACH`] characters either side of the position, with `…` where it was cut,
//! and keeps the file's own line numbers in the gutter. Marks are placed by display width (a
//! Han character takes two columns, `unicode-width`), so they line up in a terminal and in the
//! preview overlay's monospace text; a tab is shown as `→`, since YAML forbids tabs for
//! indentation and an invisible one cannot be fixed.

use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use super::for_terminal;

/// How a tab is shown in an excerpt.
pub const TAB: char = '→';

/// The excerpt of `source` around `span` (whose 1-based line is `line`): numbered lines, and
/// under the line of the span a row of `^` labelled `here`. `paint` colours the marks.
pub fn draw(
    source: &str,
    span: &Range<usize>,
    line: usize,
    here: &str,
    paint: &dyn Fn(&str, &str) -> String,
) -> String {
    let (w, span) = Window::new(source, span, line);
    let marked_line = w.text[..span.start].matches('\n').count();
    let line_start = w.text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let lines: Vec<&str> = w.text.split('\n').collect();
    let gutter = (w.first_line + lines.len()).to_string().len();
    let mut out = String::new();
    for (i, text) in lines.iter().enumerate() {
        let n = w.first_line + i + 1;
        out.push_str(&format!(" {n:>gutter$} │ {}\n", visible(text)));
        if i == marked_line {
            let pad = visible(&w.text[line_start..span.start]).width();
            let len = visible(&w.text[span.clone()]).width().max(1);
            let marks = paint("1;31", &"^".repeat(len));
            out.push_str(&format!(
                " {:gutter$} │ {}{marks} {here}\n",
                "",
                " ".repeat(pad)
            ));
        }
    }
    out
}

/// `text` with each tab shown as [`TAB`].
pub fn visible(text: &str) -> String {
    text.replace('\t', &TAB.to_string())
}

/// Characters shown before the position and after the end of the underlined text.
pub const REACH: usize = 80;

/// The line at the position and one line either side, each cut to the same window of columns,
/// starting at the file's line `first_line` (0-based).
pub struct Window {
    text: String,
    first_line: usize,
}

impl Window {
    /// The window around `span` of `source`, whose 1-based line is `line`, and the span moved
    /// into the window's text.
    pub fn new(source: &str, span: &Range<usize>, line: usize) -> (Self, Range<usize>) {
        let line_start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[span.start..]
            .find('\n')
            .map_or(source.len(), |i| span.start + i);
        // A span running over several lines is underlined on its first line only.
        let end = span.end.clamp(span.start, line_end);
        let col = source[line_start..span.start].chars().count();
        let from = col.saturating_sub(REACH);
        let to = col + source[span.start..end].chars().count() + REACH;

        let mut text = String::new();
        let mut first_line = line.saturating_sub(1);
        if line_start > 0 {
            let prev_start = source[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
            text.push_str(&cut(&source[prev_start..line_start - 1], from, to));
            text.push('\n');
            first_line = first_line.saturating_sub(1);
        }
        // The line at the position, in three pieces so the span lands on the same characters.
        let before = &source[line_start..span.start];
        let skipped = before
            .char_indices()
            .nth(from)
            .map_or(before.len(), |(i, _)| i);
        if from > 0 {
            text.push('…');
        }
        text.push_str(&for_terminal(&before[skipped..]));
        let start = text.len();
        text.push_str(&for_terminal(&source[span.start..end]));
        let span_in_window = start..text.len();
        let after = &source[end..line_end];
        text.push_str(&cut(after, 0, REACH));
        if line_end < source.len() {
            let next_end = source[line_end + 1..]
                .find('\n')
                .map_or(source.len(), |i| line_end + 1 + i);
            text.push('\n');
            text.push_str(&cut(&source[line_end + 1..next_end], from, to));
        }
        let window = Window { text, first_line };
        (window, span_in_window)
    }
}

/// Characters `from..to` of `line`, made safe for a terminal, with `…` for what was left out;
/// a line no longer than the window is shown whole.
fn cut(line: &str, from: usize, to: usize) -> String {
    let mut out = String::new();
    if line.chars().nth(to - from).is_none() {
        return for_terminal(line).into_owned();
    }
    if from > 0 && line.chars().nth(from - 1).is_some() {
        out.push('…');
    }
    let kept: String = line.chars().skip(from).take(to - from).collect();
    out.push_str(&for_terminal(&kept));
    if line.chars().nth(to).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_around_the_position() {
        let source = format!("a\n{}X{}\nb", "甲".repeat(1_000), "乙".repeat(1_000));
        let at = source.find('X').unwrap();
        let (w, span) = Window::new(&source, &(at..at + 1), 2);
        assert_eq!(&w.text[span.clone()], "X");
        let lines: Vec<&str> = w.text.lines().collect();
        assert_eq!(lines[0], "a");
        assert_eq!(
            lines[1],
            format!("…{}X{}…", "甲".repeat(REACH), "乙".repeat(REACH))
        );
        assert_eq!(lines[2], "b");
        assert_eq!(w.first_line, 0);
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let source = "x: 1\ny: [\nz: 3\n";
        let at = source.find('[').unwrap();
        let (w, span) = Window::new(source, &(at..at + 1), 2);
        assert_eq!(w.text, "x: 1\ny: [\nz: 3");
        assert_eq!(&w.text[span], "[");
    }

    #[test]
    fn marks_line_up_under_wide_characters_and_tabs() {
        let source = "标题：值\n\t- x\n";
        let at = source.find('值').unwrap();
        let plain = |_: &str, t: &str| t.to_string();
        let text = draw(source, &(at..at + 3), 1, "here", &plain);
        let lines: Vec<&str> = text.lines().collect();
        // `标题：` is three characters but six columns wide: the mark starts at column 7.
        let (row, marks) = (lines[0], lines[1]);
        let col_of = |s: &str, needle: &str| s[..s.find(needle).unwrap()].width();
        assert_eq!(col_of(marks, "^"), col_of(row, "值"), "{text}");
        assert_eq!(
            marks.trim_end().split(' ').rev().nth(1),
            Some("^^"),
            "{text}"
        );
        // The tab on the next line is shown, not printed raw.
        assert_eq!(lines[2], " 2 │ →- x", "{text}");
    }
}
