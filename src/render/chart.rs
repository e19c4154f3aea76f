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

mod axis;
use axis::Step;

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

// The drawing is scaled to the width it is given (a `viewBox`, no fixed size): the default theme
// sets charts in a grid of cells at least 22rem wide, so at 375 px one chart fills the column
// (about 330 px: the 14-unit text shows at 12.8 px) and at 1280 px two share the 56rem column
// (about 420 px each: 16 px text). The minimum width is chosen for those two cases.
const SLOT: f64 = 52.0;
const BAR: f64 = 34.0;
const MIN_WIDTH: f64 = 360.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 44.0;
const PLOT: f64 = 150.0;
const BOTTOM: f64 = 52.0;
const FONT: u32 = 14;
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
    /// The value axis runs from `lo` to `hi` in steps of `step`: round numbers that include 0
    /// and every value.
    lo: f64,
    hi: f64,
    step: Step,
}

impl Scale {
    fn of(bars: &[Bar]) -> Scale {
        let n = bars.len() as f64;
        let width = (LEFT + n * SLOT + RIGHT).max(MIN_WIDTH);
        // Few bars share the minimum width; many widen the chart.
        let slot = (width - LEFT - RIGHT) / n.max(1.0);
        let values: Vec<f64> = bars.iter().filter_map(|b| b.value.map(drawn)).collect();
        let (min, max) = values
            .iter()
            .fold((0.0f64, 0.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        // Counts are whole: their axis never shows a fraction (`7.5` between 0 and 15).
        let whole = values.iter().all(|v| v.fract() == 0.0);
        let step = Step::for_span(max - min, whole);
        let lo = step.multiple(min, f64::floor);
        let hi = step.multiple(max, f64::ceil);
        let (lo, hi) = if hi == lo { (0.0, step.size) } else { (lo, hi) };
        Scale {
            width,
            height: TOP + PLOT + BOTTOM,
            slot,
            lo,
            hi,
            step,
        }
    }

    /// The values the axis marks: `lo`, `lo + step`, … `hi` (at most six).
    fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step.size).round() as i64;
        let first = (self.lo / self.step.size).round() as i64;
        (0..=n)
            .map(|i| (first + i) as f64 * self.step.size)
            .collect()
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
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc">"#,
        w = num(scale.width),
        h = num(scale.height),
    );
    let _ = write!(s, r#"<title id="{id}-title">{}</title>"#, escape(c.title));
    let _ = write!(s, r#"<desc id="{id}-desc">{}</desc>"#, escape(&describe(c)));
    let _ = write!(s, r#"<g font-size="{FONT}" fill="currentColor">"#);
    let _ = write!(
        s,
        r#"<text x="8" y="18" font-weight="bold">{}</text>"#,
        escape(c.y_label)
    );
}

/// Value axis: a grid line at every mark, each with its value.
fn value_axis(s: &mut String, scale: &Scale) {
    for t in scale.ticks() {
        let ty = scale.y(t);
        let _ = write!(
            s,
            r#"<line x1="{x1}" y1="{ty}" x2="{x2}" y2="{ty}" stroke="{GRID}"/><text x="{tx}" y="{ly}" text-anchor="end">{label}</text>"#,
            x1 = num(LEFT),
            x2 = num(scale.width - RIGHT),
            ty = num(ty),
            tx = num(LEFT - 6.0),
            ly = num(ty + 5.0),
            label = escape(&scale.step.label(t)),
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
        ly = num(TOP + PLOT + 20.0),
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
        assert_eq!(svg.matches(">0</text>").count(), 1, "one mark at 0");
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

    /// The value axis' marks as written.
    fn ticks(values: &[f64]) -> Vec<String> {
        let b: Vec<Bar> = values
            .iter()
            .map(|v| Bar {
                label: "2021".into(),
                value: Some(*v),
            })
            .collect();
        let scale = Scale::of(&b);
        scale.ticks().iter().map(|&t| scale.step.label(t)).collect()
    }

    #[test]
    fn value_axis_ends_at_a_round_number() {
        assert_eq!(ticks(&[231.0, 188.0]), ["0", "100", "200", "300"]);
        assert_eq!(ticks(&[0.35]), ["0", "0.1", "0.2", "0.3", "0.4"]);
        assert_eq!(ticks(&[0.0]), ["0", "1"]);
        assert_eq!(ticks(&[-5.0, 3.0]), ["-6", "-4", "-2", "0", "2", "4"]);
        assert_eq!(ticks(&[1e15, 1.0])[4], "1000000000000000");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.25), "12.2");
    }

    #[test]
    fn whole_counts_get_whole_ticks() {
        // A 15 once gave the marks 0, 7.5, 15.
        for max in [
            1.0, 3.0, 5.0, 7.0, 9.0, 10.0, 15.0, 25.0, 35.0, 150.0, 250.0,
        ] {
            for t in ticks(&[max, 2.0]) {
                assert!(!t.contains('.'), "{max}: tick {t}");
            }
        }
        assert_eq!(ticks(&[15.0, 10.0]), ["0", "5", "10", "15"]);
        assert_eq!(ticks(&[1.0]), ["0", "1"]);
        // Fractions keep fractional marks, all with the same decimals.
        assert_eq!(ticks(&[1.5, 0.5]), ["0", "0.5", "1.0", "1.5"]);
    }

    #[test]
    fn chart_scales_to_its_container() {
        let svg = chart(&bars(&[("2021", Some(188.0))]));
        let open = &svg[..svg.find('>').unwrap()];
        assert!(open.contains(r#"viewBox="0 0 360 246""#), "{open}");
        // A fixed size would keep it 360 px wide in a wider column.
        assert!(
            !open.contains(" width=") && !open.contains(" height="),
            "{open}"
        );
    }

    #[test]
    fn negative_and_empty_values_draw() {
        let svg = chart(&bars(&[("2021", Some(-5.0)), ("2022", Some(3.0))]));
        assert!(svg.contains(">-5</text>") && svg.contains(">3</text>"));
        let svg = chart(&bars(&[("2021", None)]));
        assert!(svg.contains("2021: 无数据"));
    }
}
