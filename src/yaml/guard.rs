//! Load stage guard: what a YAML text may hold before the YAML library parses it, so hostile
//! input costs time and memory in proportion to its size. Refused: `[` and `{` nested deeper
//! than [`MAX_FLOW_DEPTH`], block (indentation) nesting deeper than [`MAX_BLOCK_DEPTH`], and
//! anchors and aliases (`&a`, `*a`), each at its offset.

/// Flow collections (`[`, `{`) nested deeper than this are refused before the library sees the
/// text: its time per token grows with the depth, so a line of 100,000 `[` took minutes, while
/// no site file nests more than three deep.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Nesting by indentation (`a:` then `  b:`, or `- - -`) deeper than this is refused: the
/// library's cost grows with the depth as it does for brackets (100,000 levels of `themes:`
/// took 75 s), and site files nest a few levels.
pub const MAX_BLOCK_DEPTH: usize = 64;

/// What the scan refused, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    FlowTooDeep(usize),
    BlockTooDeep(usize),
    /// An anchor or an alias: one alias can stand for a megabyte, and a list of aliases for a
    /// gigabyte once the library expands them (600 aliases of a 1 MB string: 4.2 GB).
    Alias(usize),
}

/// The first thing in `text` that [`Refused`] names. A light scan that follows YAML where it
/// matters: comments, quoted and block (`|`, `>`) scalars are skipped, and a bracket counts
/// anywhere inside a flow collection but outside one only where a value starts (`a[1]` is
/// text); `&` and `*` count only where a value starts (`a&b`, `"*"` are text).
pub(super) fn check(text: &str) -> Option<Refused> {
    scan(text).err()
}

/// The columns of the block nodes that enclose the current one.
#[derive(Default)]
struct Blocks(Vec<usize>);

impl Blocks {
    /// A block node starts at column `col` (byte `at`): it closes those at its column or deeper.
    fn enter(&mut self, col: usize, at: usize) -> Result<(), Refused> {
        while self.0.last().is_some_and(|&c| c >= col) {
            self.0.pop();
        }
        self.0.push(col);
        match self.0.len() > MAX_BLOCK_DEPTH {
            true => Err(Refused::BlockTooDeep(at)),
            false => Ok(()),
        }
    }
}

fn scan(text: &str) -> Result<(), Refused> {
    let b = text.as_bytes();
    let blank_at = |i: usize| b.get(i).is_none_or(|c| c.is_ascii_whitespace());
    let (mut i, mut depth, mut line_start, mut node_col) = (0, 0, 0, 0);
    let (mut value_start, mut after_space) = (true, true);
    let mut blocks = Blocks::default();
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line_start = i + 1;
                value_start |= depth == 0;
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if after_space => {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |n| i + n);
                continue;
            }
            b'"' | b'\'' if value_start => {
                if depth == 0 {
                    node_col = i - line_start;
                    blocks.enter(node_col, i)?;
                }
                i = end_of_quoted(b, i);
                value_start = false;
                after_space = false;
                continue;
            }
            b'[' | b'{' if value_start || depth > 0 => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Err(Refused::FlowTooDeep(i));
                }
                value_start = true;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                value_start = false;
            }
            b',' if depth > 0 => value_start = true,
            b':' if depth > 0 => value_start = true,
            b':' | b'-' | b'?' => {
                value_start = blank_at(i + 1);
                if value_start && c != b':' {
                    node_col = i - line_start;
                    blocks.enter(node_col, i)?;
                }
            }
            b'|' | b'>' if value_start && depth == 0 => {
                i = end_of_block_scalar(b, i, node_col);
                continue;
            }
            b'&' | b'*' if value_start => return Err(Refused::Alias(i)),
            // A tag comes before a value.
            b'!' if value_start => {
                while i < b.len() && !blank_at(i) && (depth == 0 || !b",[]{}".contains(&b[i])) {
                    i += 1;
                }
                continue;
            }
            _ => {
                if value_start && depth == 0 {
                    node_col = i - line_start;
                    blocks.enter(node_col, i)?;
                }
                value_start = false;
            }
        }
        after_space = blank_at(i);
        i += 1;
    }
    Ok(())
}

/// The offset just after the quoted scalar opening at `start` (or the end of the text).
fn end_of_quoted(b: &[u8], start: usize) -> usize {
    let quote = b[start];
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if quote == b'"' => i += 1,
            // `''` is a quote inside single quotes.
            b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 1,
            c if c == quote => return i + 1,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The offset of the line end before the first line that is not part of the block scalar whose
/// `|` or `>` is at `start`, owned by a node at column `node_col`: its lines are blank or
/// indented as deep as its first line, which is deeper than the node (or by the header's digit).
fn end_of_block_scalar(b: &[u8], start: usize, node_col: usize) -> usize {
    let line_end = |i: usize| {
        b[i..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |n| i + n)
    };
    let header = &b[start..line_end(start)];
    let mut indent = header
        .iter()
        .find(|c| c.is_ascii_digit())
        .map(|d| node_col + usize::from(d - b'0'));
    let mut end = line_end(start);
    while end < b.len() {
        let next = end + 1;
        let spaces = b[next..].iter().take_while(|&&c| c == b' ').count();
        let blank = matches!(b.get(next + spaces), None | Some(b'\n' | b'\r'));
        if !blank {
            let content = *indent.get_or_insert(spaces);
            if spaces < content || spaces <= node_col {
                break;
            }
        }
        end = line_end(next);
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The offset of flow nesting too deep, the only refusal these tests expect.
    fn flow(text: &str) -> Option<usize> {
        match check(text) {
            Some(Refused::FlowTooDeep(i)) => Some(i),
            None => None,
            Some(other) => panic!("{other:?} in {text}"),
        }
    }

    fn nested(depth: usize) -> String {
        format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn deep_flow_nesting_is_found_where_it_passes_the_limit() {
        assert_eq!(flow(&nested(MAX_FLOW_DEPTH)), None);
        assert_eq!(flow(&nested(MAX_FLOW_DEPTH + 1)), Some(3 + MAX_FLOW_DEPTH));
        let braces = format!("a: {}", "{b: ".repeat(MAX_FLOW_DEPTH + 1));
        assert!(flow(&braces).is_some());
        // Across lines, after a comment, and in a list item.
        let lines = format!("# x\n- {}", "[\n".repeat(MAX_FLOW_DEPTH + 1));
        assert!(flow(&lines).is_some());
    }

    #[test]
    fn brackets_in_text_do_not_count() {
        let many = "[".repeat(MAX_FLOW_DEPTH + 1);
        for text in [
            format!("a: \"{many}\"\n"),
            format!("a: '{many}'\nb: 'it''s'\n"),
            format!("a: x{many}\n"),
            format!("a: [\"]\", '{many}']\n"),
            format!("a: 1 # {many}\n"),
            format!("a: |\n  {many}\n\n  {many}\nb: c\n"),
            format!("- a: >-\n    {many}\n"),
        ] {
            assert_eq!(flow(&text), None, "{text}");
        }
    }

    #[test]
    fn nesting_after_text_that_looks_like_a_string_still_counts() {
        let deep = "[".repeat(MAX_FLOW_DEPTH + 1);
        for text in [
            // An apostrophe inside a plain scalar does not open a quoted one.
            format!("a: it's\nb: {deep}"),
            // A block scalar ends at the first line indented no deeper than its key.
            format!("a: |\n  x\nb: {deep}"),
            format!("- a: |\n    x\n  b: {deep}"),
            // Quotes inside a flow collection are strings; the brackets around them count.
            format!("a: {}", "[ \"]\", ".repeat(MAX_FLOW_DEPTH + 1)),
            format!("a: {}", "[!!str \"]\", ".repeat(MAX_FLOW_DEPTH + 1)),
        ] {
            assert!(flow(&text).is_some(), "{text}");
        }
    }

    #[test]
    fn anchors_and_aliases_are_refused_where_they_stand() {
        let text = "a: &big x\nb: [*big, *big]\n";
        assert_eq!(check(text), Some(Refused::Alias(3)));
        let text = "revisions:\n  - *r\n";
        assert_eq!(check(text), Some(Refused::Alias(15)));
        for text in [
            "a: x&y *z\n",
            "a: \"&a\"\n",
            "a: '*a'\n",
            "a: |\n  &a\n",
            "a: 1 # &a\n",
        ] {
            assert_eq!(check(text), None, "{text}");
        }
    }

    #[test]
    fn deep_block_nesting_is_refused() {
        let keys: String = (0..=MAX_BLOCK_DEPTH)
            .map(|d| format!("{}k:\n", " ".repeat(d)))
            .collect();
        assert!(matches!(check(&keys), Some(Refused::BlockTooDeep(_))));
        let dashes = format!("a:\n{}x\n", "- ".repeat(MAX_BLOCK_DEPTH + 1));
        assert!(matches!(check(&dashes), Some(Refused::BlockTooDeep(_))));
        // Many siblings, however many, are not depth.
        let wide = "a:\n  b: 1\n  c:\n    - d\n    - e\n".repeat(10_000);
        assert_eq!(check(&wide), None);
        let shallow: String = (0..MAX_BLOCK_DEPTH / 2)
            .map(|d| format!("{}k:\n", " ".repeat(d)))
            .collect();
        assert_eq!(check(&shallow), None);
    }
}
