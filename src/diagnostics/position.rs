//! Diagnostics: positions in a text, as 1-based lines and character columns, and back.
//!
//! Columns count characters, not bytes, so a position agrees with what an editor shows on a
//! line of Chinese text.

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Byte offset of 1-based `line` and character `col` in `text` (clamped to the text).
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    start
        + line_text
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i)
}

/// Line and column lookups in one text through a table of where each line starts, built once:
/// every position costs a binary search and a count along its own line, where [`line_col`]
/// and [`offset_of`] start from the top each time (quadratic in the number of positions, which
/// a hostile file makes large: 100,000 revisions, each with a problem).
pub struct Locator<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator { text, starts }
    }

    /// 1-based line and character column of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let col = self.text[self.starts[line - 1]..offset].chars().count() + 1;
        (line, col)
    }

    /// Byte offset where 1-based `line` starts (the text's end when it has fewer lines).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.max(1) - 1)
            .copied()
            .unwrap_or(self.text.len())
    }
}

pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "第一行\n标题：值\n";
        let offset = text.find('值').unwrap();
        assert_eq!(line_col(text, offset), (2, 4));
        assert_eq!(offset_of(text, 2, 4), offset);
    }

    #[test]
    fn locator_agrees_with_line_col_forwards_and_backwards() {
        let text = "第一行\n标题：值\n\nabc\n末";
        let loc = Locator::new(text);
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for &o in offsets.iter().chain(offsets.iter().rev()) {
            assert_eq!(loc.line_col(o), line_col(text, o), "offset {o}");
        }
        for line in [1, 3, 2, 5, 4, 9] {
            assert_eq!(
                loc.line_start(line),
                offset_of(text, line, 1),
                "line {line}"
            );
        }
    }
}
