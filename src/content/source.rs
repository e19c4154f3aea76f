//! Load stage: read one report file as text. UTF-8 only (a BOM and CRLF are accepted and
//! normalised); other encodings are refused with a hint, never guessed at silently: UTF-16 and
//! UTF-32 (Notepad's "Unicode") by their BOM or their pattern of NUL bytes, GBK/GB18030 by
//! decoding, each with a command and the editor setting that converts the file.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::config::Limits;
use crate::diagnostics::{Diagnostic, line_col};
use crate::messages::Msg;

// A report file larger than `Limits::report_bytes` is refused before it is parsed: the longest
// real reports are a few hundred kB, and markup-dense text costs the Markdown parser about 200
// bytes a character. A line longer than `Limits::line_chars` is refused: a table pasted from a
// word processor makes lines of a few thousand, and a megabyte on one line only costs
// (README "Writing a report").

/// Reads `path` (shown as `shown`) as normalised UTF-8 text: no BOM, `\n` line ends. Reads at
/// most one byte past the size limit, so a huge file is refused without being loaded.
pub fn read_text(path: &Path, shown: &Path, limits: &Limits) -> Result<Arc<str>, Diagnostic> {
    decode_within(read_bytes(path, shown, limits)?, shown, limits)
}

/// The bytes of `path`, at most one past the size limit ([`decode_within`] refuses more).
pub fn read_bytes(path: &Path, shown: &Path, limits: &Limits) -> Result<Vec<u8>, Diagnostic> {
    let cannot =
        |e: std::io::Error| Diagnostic::at_file(shown, Msg::new("src.cannot_read").arg("error", e));
    let cap = limits.report_bytes as u64 + 1;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            // Sized from the open file: `take` hides the length from `read_to_end`, which
            // then reads a few kB at a time and copies the buffer as it grows.
            let len = f.metadata().map_or(0, |m| m.len()).min(cap);
            bytes.reserve_exact(usize::try_from(len).unwrap_or(0));
            f.take(cap).read_to_end(&mut bytes)
        })
        .map_err(cannot)?;
    Ok(bytes)
}

/// [`decode_within`] the default limits.
pub fn decode(bytes: Vec<u8>, shown: &Path) -> Result<Arc<str>, Diagnostic> {
    decode_within(bytes, shown, &Limits::default())
}

/// `bytes` as normalised UTF-8 text, or why not: too large, not UTF-8, NUL, a line too long.
pub fn decode_within(
    bytes: Vec<u8>,
    shown: &Path,
    limits: &Limits,
) -> Result<Arc<str>, Diagnostic> {
    if bytes.len() > limits.report_bytes {
        let message = Msg::new("src.too_large").arg("size", size(limits.report_bytes));
        return Err(Diagnostic::at_file(shown, message).with_hint(Msg::new("src.too_large_hint")));
    }
    if let Some(encoding) = wide_encoding(&bytes) {
        let path = shown.display().to_string();
        let message = Msg::new("src.wide").arg("encoding", encoding);
        let hint = Msg::new("src.wide_hint")
            .arg("encoding", encoding)
            .arg("path", path);
        return Err(Diagnostic::at_file(shown, message).with_hint(hint));
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(
            Diagnostic::at_file(shown, Msg::new("src.empty")).with_hint(Msg::new("src.empty_hint"))
        );
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => return Err(not_utf8(shown, err)),
    };
    if let Some(i) = text.find('\0') {
        let (line, col) = line_col(&text, i);
        let mut d = Diagnostic::at_file(shown, Msg::new("src.nul"));
        d.line = line;
        d.col = col;
        return Err(d);
    }
    if let Some(d) = too_long_line(&text, shown, limits.line_chars) {
        return Err(d);
    }
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    Ok(Arc::from(text))
}

/// The name `iconv` knows for a UTF-16 or UTF-32 text (`UTF-16` when a BOM says the byte
/// order, `UTF-16LE` when only the NUL bytes do), or `None` for any other bytes. A Markdown
/// file starts with ASCII (`---`), which these encodings write with NUL bytes beside each
/// character; UTF-8 text never holds a NUL.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => return Some("UTF-32"),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => return Some("UTF-16"),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(256) & !3];
    if head.len() < 4 {
        return None;
    }
    // UTF-32: every character of Chinese and English text has two zero high bytes.
    let quads = |hi: [usize; 2]| head.chunks(4).all(|c| c[hi[0]] == 0 && c[hi[1]] == 0);
    if quads([2, 3]) {
        return Some("UTF-32LE");
    }
    if quads([0, 1]) {
        return Some("UTF-32BE");
    }
    // UTF-16: ASCII characters (`---`, keys) have a zero byte on one side of each pair.
    let zeros = |side: usize| head.chunks(2).filter(|c| c[side] == 0).count();
    let pairs = head.len() / 2;
    match (zeros(1) * 2 >= pairs, zeros(0) * 2 >= pairs) {
        (true, false) => Some("UTF-16LE"),
        (false, true) => Some("UTF-16BE"),
        _ => None,
    }
}

/// `2 MB`, or `300 kB` for a limit that is not whole megabytes.
fn size(bytes: usize) -> String {
    if bytes.is_multiple_of(1024 * 1024) {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}

/// The first line longer than `max` characters, pointed at where it passes the limit.
fn too_long_line(text: &str, shown: &Path, max: usize) -> Option<Diagnostic> {
    let (n, line) = text
        .split('\n')
        .enumerate()
        // A character is at least one byte: only a line of more bytes can be too long.
        .find(|(_, l)| l.len() > max && l.chars().nth(max).is_some())?;
    let message = Msg::new("src.long_line")
        .arg("max", max)
        .arg("n", line.chars().count());
    let mut d = Diagnostic::at_file(shown, message).with_hint(Msg::new("src.long_line_hint"));
    d.line = n + 1;
    d.col = max + 1;
    Some(d)
}

fn not_utf8(shown: &Path, err: std::string::FromUtf8Error) -> Diagnostic {
    let mut valid_up_to = err.utf8_error().valid_up_to();
    let bytes = err.into_bytes();
    // GBK/GB18030 is what Chinese office software saves by default; name it when it fits.
    let (_, _, had_errors) = encoding_rs::GB18030.decode(&bytes);
    if !had_errors {
        // Some GBK pairs are also valid UTF-8 (司 is CB BE), so decoding can fail a character
        // or two late: point at the first non-ASCII byte of the failing line instead.
        let line_start = bytes[..valid_up_to]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        if let Some(i) = bytes[line_start..valid_up_to]
            .iter()
            .position(|b| !b.is_ascii())
        {
            valid_up_to = line_start + i;
        }
    }
    let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let (line, col) = line_col(valid, valid.len());
    let hint = if had_errors {
        Msg::new("src.save_as_utf8")
    } else {
        Msg::new("src.gbk_hint").arg("path", shown.display())
    };
    let mut d = Diagnostic::at_file(shown, Msg::new("src.not_utf8")).with_hint(hint);
    d.line = line;
    d.col = col;
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_named() {
        let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 司法局\n");
        let d = decode(gbk.into_owned(), Path::new("a.md")).unwrap_err();
        // GBK bytes can happen to form valid UTF-8 for a while, so only the line is certain.
        assert_eq!(d.line, 2);
        assert!(d.hint.unwrap().contains("GBK"));
    }

    #[test]
    fn utf16_and_utf32_are_named_with_the_command_that_converts_them() {
        let text = "---\ntitle: 司法局\n---\n";
        let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let utf32le: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        let utf32be: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        let with_bom = |bom: &[u8], b: &[u8]| [bom, b].concat();
        for (bytes, name) in [
            (with_bom(&[0xFF, 0xFE], &utf16le), "UTF-16"),
            (with_bom(&[0xFE, 0xFF], &utf16be), "UTF-16"),
            (utf16le, "UTF-16LE"),
            (utf16be, "UTF-16BE"),
            (with_bom(&[0xFF, 0xFE, 0, 0], &utf32le), "UTF-32"),
            (utf32le, "UTF-32LE"),
            (utf32be, "UTF-32BE"),
        ] {
            let d = decode(bytes, Path::new("a.md")).unwrap_err();
            assert!(d.message.contains(&format!("saved as {name},")), "{d}");
            let hint = d.hint.unwrap();
            assert!(
                hint.contains(&format!("iconv -f {name} -t UTF-8 a.md")),
                "{hint}"
            );
            assert!(!hint.contains("GBK"), "{hint}");
        }
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let text = decode(b"\xEF\xBB\xBF---\r\na: b\r\n".to_vec(), Path::new("a.md")).unwrap();
        assert_eq!(&*text, "---\na: b\n");
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused() {
        let lines = |n: usize| b"a\n".repeat(n / 2);
        let d = decode(lines(Limits::default().report_bytes + 2), Path::new("a.md")).unwrap_err();
        assert!(d.message.contains("larger than 2 MB"), "{d}");
        assert!(decode(lines(Limits::default().report_bytes), Path::new("a.md")).is_ok());
    }

    #[test]
    fn a_line_over_the_length_limit_is_refused_at_its_line() {
        let long = format!(
            "---\ntitle: t\n---\n{}\n",
            "字".repeat(Limits::default().line_chars + 1)
        );
        let d = decode(long.into_bytes(), Path::new("a.md")).unwrap_err();
        assert_eq!(
            (d.line, d.col),
            (4, Limits::default().line_chars + 1),
            "{d}"
        );
        // Characters, not bytes: a line of the limit's count of Chinese characters passes.
        let ok = format!(
            "---\ntitle: t\n---\n{}\n",
            "字".repeat(Limits::default().line_chars)
        );
        assert!(decode(ok.into_bytes(), Path::new("a.md")).is_ok());
    }

    #[test]
    fn empty_file_is_refused() {
        let d = decode(b" \n".to_vec(), Path::new("a.md")).unwrap_err();
        assert_eq!(d.message, "file is empty");
    }
}
