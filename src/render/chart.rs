//! Render stage: small bar charts as inline SVG, drawn at build time (README, "Archiving").
//!
//! Guarantees: no script and nothing from another host; every value is printed as text above
//! its bar and repeated in the chart's `<desc>`, so the chart reads without colour, without
//! script and to a screen reader (`role="img"`, `aria-labelledby` → `<title>`,
//! `aria-describedby` → `<desc>`); all text is XML-escaped; the output depends only on the input
//! (coordinates printed with one decimal), so two builds are byte-identical.

use std::fmt::Write;

use super::escape::escape;

use super::context::format_number;
use crate::content::figures::LIMIT;

/// One bar: its label under the axis (a year) and its value, if there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct BarChart<'a> {
    /// Unique within the page; prefixes the ids of `<title>` and `<desc>`.
    pub id: &'a str,
    /// The chart's accessible name (the figure's label).
    pub title: &'a str,
    /// Shown under the bars (`Year`).
    pub x_label: &'a str,
    /// Shown above the value axis (the figure's label, with its unit).
    pub y_label: &'a str,
    /// Said for a bar without a value (`no data`).
    pub no_data: &'a str,
    pub bars: &'a [Bar],
}

const SLOT: f64 = 64.0;
const BAR: f64 = 36.0;
const MIN_WIDTH: f64 = 320.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 40.0;
const PLOT: f64 = 140.0;
const BOTTOM: f64 = 48.0;
const BAR_FILL: &str = "#0b4f8a";
const GRID: &str = "#d0d0d0";

/// The chart as an `<svg>` element, ready to be inserted into HTML as it is.
pub fn bar_chart(c: &BarChart<'_>) -> String {
    let scale = Scale::of(c.bars);
    let mut s = String::new();
    open_svg(&mut s, c, &scale);
    value_axis(&mut s, &scale);
    for (i, bar) in c.bars.iter().enumerate() {
        draw_bar(&mut s, &scale, i, bar);
    }
    close_svg(&mut s, c, &scale);
    s
}

/// The chart's size and how values map to heights.
struct Scale {
    width: f64,
    height: f64,
    /// Horizontal room for one bar.
    slot: f64,
    /// The value axis runs from `lo` to `hi`, round numbers that include 0 and every value.
    lo: f64,
    hi: f64,
}

impl Scale {
    fn of(bars: &[Bar]) -> Scale {
        let n = bars.len() as f64;
        let width = (LEFT + n * SLOT + RIGHT).max(MIN_WIDTH);
        // Few bars share the minimum width; many widen the chart.
        let slot = (width - LEFT - RIGHT) / n.max(1.0);
        let values = bars.iter().filter_map(|b| b.value.map(drawn));
        let (min, max) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let hi = nice_ceil(max);
        let lo = -nice_ceil(-min);
        let (lo, hi) = if hi == lo { (0.0, 1.0) } else { (lo, hi) };
        Scale {
            width,
            height: TOP + PLOT + BOTTOM,
            slot,
            lo,
            hi,
        }
    }

    /// The vertical position of value `v`.
    fn y(&self, v: f64) -> f64 {
        TOP + PLOT * (self.hi - drawn(v)) / (self.hi - self.lo)
    }

    /// The horizontal centre of bar `i`.
    fn x(&self, i: usize) -> f64 {
        LEFT + self.slot * (i as f64 + 0.5)
    }
}

/// The `<svg>` element with its accessible name and description, and the value axis' label.
fn open_svg(s: &mut String, c: &BarChart<'_>, scale: &Scale) {
    let id = escape(c.id);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc">"#,
        w = num(scale.width),
        h = num(scale.height),
    );
    let _ = write!(s, r#"<title id="{id}-title">{}</title>"#, escape(c.title));
    let _ = write!(s, r#"<desc id="{id}-desc">{}</desc>"#, escape(&describe(c)));
    s.push_str(r#"<g font-size="12" fill="currentColor">"#);
    let _ = write!(
        s,
        r#"<text x="8" y="16" font-weight="bold">{}</text>"#,
        escape(c.y_label)
    );
}

/// Value axis: three grid lines, at 0 and at the ends, each with its value.
fn value_axis(s: &mut String, scale: &Scale) {
    let (lo, hi) = (scale.lo, scale.hi);
    let ticks = if lo == 0.0 {
        [0.0, hi / 2.0, hi]
    } else if hi == 0.0 {
        [lo, lo / 2.0, 0.0]
    } else {
        [lo, 0.0, hi]
    };
    for t in ticks {
        let ty = scale.y(t);
        let _ = write!(
            s,
            r#"<line x1="{x1}" y1="{ty}" x2="{x2}" y2="{ty}" stroke="{GRID}"/><text x="{tx}" y="{ly}" text-anchor="end">{label}</text>"#,
            x1 = num(LEFT),
            x2 = num(scale.width - RIGHT),
            ty = num(ty),
            tx = num(LEFT - 6.0),
            ly = num(ty + 4.0),
            label = escape(&format_number(t)),
        );
    }
}

/// Bar `i` with its value written above it (below it when negative), or a dash when it has no
/// value, and its label under the axis.
fn draw_bar(s: &mut String, scale: &Scale, i: usize, bar: &Bar) {
    let cx = scale.x(i);
    match bar.value {
        Some(v) => {
            let (top, bottom) = if v >= 0.0 {
                (scale.y(v), scale.y(0.0))
            } else {
                (scale.y(0.0), scale.y(v))
            };
            let _ = write!(
                s,
                r#"<rect x="{x}" y="{top}" width="{BAR}" height="{h}" fill="{BAR_FILL}"/>"#,
                x = num(cx - BAR / 2.0),
                top = num(top),
                h = num(bottom - top),
            );
            let ly = if v >= 0.0 { top - 6.0 } else { bottom + 14.0 };
            let _ = write!(
                s,
                r#"<text x="{x}" y="{ly}" text-anchor="middle">{label}</text>"#,
                x = num(cx),
                ly = num(ly),
                label = escape(&format_number(v)),
            );
        }
        None => {
            let _ = write!(
                s,
                r#"<text x="{x}" y="{ly}" text-anchor="middle">—</text>"#,
                x = num(cx),
                ly = num(scale.y(0.0) - 6.0),
            );
        }
    }
    let _ = write!(
        s,
        r#"<text x="{x}" y="{ly}" text-anchor="middle">{label}</text>"#,
        x = num(cx),
        ly = num(TOP + PLOT + 18.0),
        label = escape(&bar.label),
    );
}

/// Axes last, so they are drawn over the bars' edges; then the label under the bars.
fn close_svg(s: &mut String, c: &BarChart<'_>, scale: &Scale) {
    let _ = write!(
        s,
        r#"<line x1="{x}" y1="{t}" x2="{x}" y2="{b}" stroke="currentColor"/><line x1="{x}" y1="{z}" x2="{r}" y2="{z}" stroke="currentColor"/>"#,
        x = num(LEFT),
        t = num(TOP),
        b = num(TOP + PLOT),
        z = num(scale.y(0.0)),
        r = num(scale.width - RIGHT),
    );
    let _ = write!(
        s,
        r#"<text x="{x}" y="{ly}" text-anchor="middle">{label}</text>"#,
        x = num((LEFT + scale.width - RIGHT) / 2.0),
        ly = num(scale.height - 8.0),
        label = escape(c.x_label),
    );
    s.push_str("</g></svg>");
}

/// The text alternative: every bar and its value (`2021: 188; 2022: 231`).
fn describe(c: &BarChart<'_>) -> String {
    c.bars
        .iter()
        .map(|b| {
            let value = b.value.map_or_else(|| c.no_data.to_string(), format_number);
            format!("{}: {value}", b.label)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ) that is at least `x`, so
/// the tallest bar fills most of the chart (0 for `x <= 0`).
fn nice_ceil(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 0.0;
    }
    let step = 10f64.powf(x.log10().floor());
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|m| m * step)
        .find(|&v| v >= x)
        .unwrap_or(10.0 * step)
}

/// The height `v` is drawn at: loading refuses figures past [`LIMIT`] (`content/figures.rs`),
/// and a chart given one anyway draws it at the limit, so no coordinate is ever `NaN`; its
/// label still says the value.
fn drawn(v: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(-LIMIT, LIMIT)
    }
}

/// A coordinate with at most one decimal (`12`, `12.5`).
fn num(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(values: &[(&str, Option<f64>)]) -> Vec<Bar> {
        values
            .iter()
            .map(|(l, v)| Bar {
                label: l.to_string(),
                value: *v,
            })
            .collect()
    }

    fn chart(bars: &[Bar]) -> String {
        bar_chart(&BarChart {
            id: "chart-legal-opinions",
            title: "出具法律意见（件）",
            x_label: "年度",
            y_label: "出具法律意见（件）",
            no_data: "无数据",
            bars,
        })
    }

    #[test]
    fn values_past_what_a_chart_draws_never_make_nan() {
        for v in [1.797_693_134_862_315_7e308, -1e300, f64::INFINITY, f64::NAN] {
            let b = bars(&[("2021", Some(188.0)), ("2022", Some(v))]);
            let svg = chart(&b);
            // Labels say the value as it is; coordinates are numbers.
            for bad in ["=\"NaN\"", "=\"inf\"", "=\"-inf\""] {
                assert!(!svg.contains(bad), "{v}: {svg}");
            }
        }
    }

    #[test]
    fn chart_has_text_alternative_and_value_labels() {
        let b = bars(&[("2021", Some(188.0)), ("2022", Some(231.0)), ("2023", None)]);
        let svg = chart(&b);
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-labelledby="chart-legal-opinions-title""#));
        assert!(
            svg.contains(r#"<title id="chart-legal-opinions-title">出具法律意见（件）</title>"#)
        );
        assert!(svg.contains("2021: 188; 2022: 231; 2023: 无数据"), "{svg}");
        assert!(svg.contains(">188</text>") && svg.contains(">231</text>"));
        assert!(svg.contains(">2021</text>") && svg.contains(">年度</text>"));
        assert!(!svg.contains("<script"));
        assert_eq!(svg.matches(">0</text>").count(), 1, "one tick per value");
        assert_eq!(svg, chart(&b), "deterministic");
    }

    #[test]
    fn chart_escapes_every_label() {
        let b = bars(&[("<y>", Some(1.0))]);
        let svg = bar_chart(&BarChart {
            id: "a\"b",
            title: "R&D <spend>",
            x_label: "x's",
            y_label: "\"y\"",
            no_data: "-",
            bars: &b,
        });
        for raw in ["R&D", "<spend>", "<y>", "x's", "\"y\"", "a\"b"] {
            assert!(!svg.contains(raw), "{raw} unescaped in {svg}");
        }
        assert!(svg.contains("R&amp;D &lt;spend&gt;"));
    }

    #[test]
    fn value_axis_ends_at_a_round_number() {
        assert_eq!(nice_ceil(231.0), 250.0);
        assert_eq!(nice_ceil(253.0), 300.0);
        assert_eq!(nice_ceil(188.0), 200.0);
        assert_eq!(nice_ceil(10.0), 10.0);
        assert_eq!(nice_ceil(0.35), 0.4);
        assert_eq!(nice_ceil(0.0), 0.0);
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.25), "12.2");
    }

    #[test]
    fn negative_and_empty_values_draw() {
        let svg = chart(&bars(&[("2021", Some(-5.0)), ("2022", Some(3.0))]));
        assert!(svg.contains(">-5</text>") && svg.contains(">3</text>"));
        let svg = chart(&bars(&[("2021", None)]));
        assert!(svg.contains("2021: 无数据"));
    }
}
