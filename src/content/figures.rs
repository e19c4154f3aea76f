//! Load stage: the rule for a figure's value in front matter (`figures:`): a finite number no
//! larger than [`LIMIT`], so every chart can draw it and every page print it exactly. The
//! front matter check calls [`check`] for each figure and points at [`value_span`].

use crate::messages::Msg;

/// The largest magnitude a figure may have. Figures are yearly counts and amounts; past 10¹⁵ a
/// float no longer holds every whole number (pages would print a rounded one), and a value near
/// `f64::MAX` overflows the chart's scale (`y="NaN"`). Charts clamp to it as well.
pub const LIMIT: f64 = 1e15;

/// Why a figure's value is refused, in the reader's language when shown.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureProblem {
    pub message: Msg,
    pub hint: Msg,
}

/// `Ok` for a value a page and a chart can show.
pub fn check(key: &str, value: f64) -> Result<(), FigureProblem> {
    if !value.is_finite() {
        return Err(FigureProblem {
            message: Msg::new("content.figure_not_finite").arg("key", key),
            hint: Msg::new("content.figure_not_finite_hint"),
        });
    }
    if value.abs() > LIMIT {
        return Err(FigureProblem {
            message: Msg::new("content.figure_too_large")
                .arg("key", key)
                .arg("value", format!("{value:e}")),
            hint: Msg::new("content.figure_too_large_hint"),
        });
    }
    Ok(())
}

/// The value of figure `key` in the front matter `yaml`, given the offset of the key there:
/// (offset, length) from the first character after `key:` to the end of the value (line end,
/// `,`, `}` or a comment). `None` when no `key:` stands at `key_at`.
pub fn value_span(yaml: &str, key_at: usize, key: &str) -> Option<(usize, usize)> {
    let after_key = yaml.get(key_at..)?.strip_prefix(key)?;
    let after_colon = after_key
        .trim_start_matches([' ', '\t'])
        .strip_prefix(':')?;
    let value = after_colon.trim_start_matches([' ', '\t']);
    let start = yaml.len() - value.len();
    let end = value
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '\n' | ',' | '}') || (c == '#' && value[..i].ends_with([' ', '\t']))
        })
        .map_or(value.len(), |(i, _)| i);
    let len = value[..end].trim_end().len();
    (len > 0).then_some((start, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_values_a_chart_cannot_draw() {
        assert!(check("a", 231.0).is_ok());
        assert!(check("a", -LIMIT).is_ok());
        let huge = check("a", 1.797_693_134_862_315_7e308).unwrap_err();
        assert!(huge.message.english().contains("too large"), "{huge:?}");
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let message = check("a", v).unwrap_err().message.english();
            assert!(message.contains("not a number"), "{message}");
        }
        assert!(check("a", LIMIT * 1.5).is_err());
    }

    #[test]
    fn value_span_points_at_the_value() {
        let yaml = "figures:\n  legal-opinions:  1.7976931348623157e308 # typo\n  b: 2\n";
        let key_at = yaml.find("legal-opinions").unwrap();
        let (at, len) = value_span(yaml, key_at, "legal-opinions").unwrap();
        assert_eq!(&yaml[at..at + len], "1.7976931348623157e308");
        let flow = "figures: { a: 1e308, b: 2 }\n";
        let (at, len) = value_span(flow, flow.find("a:").unwrap(), "a").unwrap();
        assert_eq!(&flow[at..at + len], "1e308");
        assert_eq!(value_span(flow, 0, "a"), None);
    }
}
