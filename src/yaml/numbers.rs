//! Load stage: why a value in a map of numbers (`figures:`) is not a number, and which number
//! to write instead: `512件` (a unit), `1,512` (a thousands separator), `５１２` (full-width
//! digits), `12.5%`, `"512"` (quotes), `1.5万` (a Chinese magnitude). Run only after the
//! library refused the text, to explain that refusal at the value itself.

/// How a written value differs from a plain number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    FullWidth,
    Thousands,
    Percent,
    Quoted,
    /// `1.5万`, `2亿`: the number is multiplied out.
    Magnitude,
    Unit,
    /// No number could be read from it.
    NotANumber,
}

/// One value that is not a number: its name, as written, and the number to write (if any).
#[derive(Debug, Clone, PartialEq)]
pub struct BadNumber {
    pub name: String,
    pub value: String,
    pub kind: NumberKind,
    pub number: Option<String>,
    /// Where the value is, in bytes of the scanned text.
    pub offset: usize,
    pub len: usize,
}

/// The first value under the top-level block mapping `map_key:` that is not a plain number.
pub fn first_bad(text: &str, map_key: &str) -> Option<BadNumber> {
    let mut inside = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start().len();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if indent == 0 {
            inside = line
                .strip_prefix(map_key)
                .and_then(|r| r.strip_prefix(':'))
                .is_some_and(|r| r.trim().is_empty() || r.trim().starts_with('#'));
            continue;
        }
        let Some((name, value)) = inside.then(|| line.trim_start().split_once(':')).flatten()
        else {
            continue;
        };
        let written = without_comment(value).trim();
        if written.is_empty() {
            // A nested map or nothing: the library's own message fits better.
            continue;
        }
        let (kind, number) = classify(written);
        if kind.is_some() || number.is_none() {
            let value_at = at + line.len() - value.len() + (value.len() - value.trim_start().len());
            return Some(BadNumber {
                name: name.trim().to_string(),
                value: written.to_string(),
                kind: kind.unwrap_or(NumberKind::NotANumber),
                number,
                offset: value_at,
                len: written.len().max(1),
            });
        }
    }
    None
}

fn without_comment(value: &str) -> &str {
    value.find(" #").map_or(value, |i| &value[..i])
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.parse::<f64>().is_ok_and(f64::is_finite) && !s.starts_with('+')
}

/// What is wrong with `written` (None: it is a plain number) and the number meant.
fn classify(written: &str) -> (Option<NumberKind>, Option<String>) {
    if is_number(written) {
        return (None, Some(written.to_string()));
    }
    let unquoted = written
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| {
            written
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
        });
    if let Some(inner) = unquoted {
        let (kind, number) = classify(inner.trim());
        return (Some(kind.unwrap_or(NumberKind::Quoted)), number);
    }
    let ascii: String = written.chars().map(half_width).collect();
    if ascii != written {
        let (_, number) = classify(&ascii);
        return (Some(NumberKind::FullWidth), number);
    }
    if let Some(n) = written
        .strip_suffix('%')
        .map(str::trim)
        .filter(|n| is_number(n))
    {
        return (Some(NumberKind::Percent), Some(n.to_string()));
    }
    let digits: String = written.chars().filter(|&c| c != ',').collect();
    if written.contains(',') && is_number(&digits) {
        return (Some(NumberKind::Thousands), Some(digits));
    }
    let end = written
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == ','))
        .unwrap_or(written.len());
    let lead: String = written[..end].chars().filter(|&c| c != ',').collect();
    if !is_number(&lead) {
        return (Some(NumberKind::NotANumber), None);
    }
    let unit = written[end..].trim();
    let times = match unit.chars().next() {
        Some('万') => Some(10_000.0),
        Some('亿') => Some(100_000_000.0),
        _ => None,
    };
    match times {
        Some(t) => {
            let n = lead.parse::<f64>().unwrap_or_default() * t;
            (Some(NumberKind::Magnitude), Some(format!("{}", n.round())))
        }
        None => (Some(NumberKind::Unit), Some(lead)),
    }
}

/// A full-width digit, point, comma, minus or percent sign as its ASCII twin.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '．' => '.',
        '，' => ',',
        '－' => '-',
        '％' => '%',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(value: &str) -> (NumberKind, Option<String>) {
        let text = format!("title: t\nfigures:\n  ok: 3\n  n: {value} # note\ndate: d\n");
        let b = first_bad(&text, "figures").unwrap();
        assert_eq!(&text[b.offset..b.offset + b.len], value);
        (b.kind, b.number)
    }

    #[test]
    fn each_way_of_not_writing_a_number_names_the_number() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(bad("512件"), (NumberKind::Unit, some("512")));
        assert_eq!(bad("1,512"), (NumberKind::Thousands, some("1512")));
        assert_eq!(bad("５１２"), (NumberKind::FullWidth, some("512")));
        assert_eq!(bad("12.5%"), (NumberKind::Percent, some("12.5")));
        assert_eq!(bad("\"512\""), (NumberKind::Quoted, some("512")));
        assert_eq!(bad("1.5万"), (NumberKind::Magnitude, some("15000")));
        assert_eq!(bad("很多"), (NumberKind::NotANumber, None));
    }

    #[test]
    fn plain_numbers_and_other_maps_pass() {
        assert_eq!(first_bad("figures:\n  a: 1\n  b: -2.5\n", "figures"), None);
        assert_eq!(first_bad("other:\n  a: 512件\n", "figures"), None);
    }
}
