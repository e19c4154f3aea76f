//! Render stage: the value axis of a chart (`chart.rs`): where its marks go and how they are
//! written. Guarantees: round steps, and never a fractional mark when every value is whole.

use super::super::context::format_number;

/// The distance between two marks of the value axis: 1, 2, 2.5 or 5 × 10ⁿ, the smallest that
/// covers the values in four steps; never a fraction when every value is whole.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Step {
    pub(super) size: f64,
    /// Decimals its marks are written with.
    decimals: usize,
}

impl Step {
    pub(super) fn for_span(span: f64, whole: bool) -> Step {
        let raw = if span > 0.0 && span.is_finite() {
            span / 4.0
        } else {
            1.0
        };
        let exp = raw.log10().floor() as i32;
        let pow = 10f64.powi(exp);
        let size = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .map(|m| m * pow)
            .find(|&size| size >= raw && !(whole && size.fract() != 0.0))
            .unwrap_or(10.0 * pow);
        if whole && size < 1.0 {
            return Step {
                size: 1.0,
                decimals: 0,
            };
        }
        Step {
            size,
            decimals: decimals_of(size),
        }
    }

    /// The multiple of the step next to `v` (`round` is `floor` or `ceil`).
    pub(super) fn multiple(&self, v: f64, round: fn(f64) -> f64) -> f64 {
        round(v / self.size) * self.size
    }

    /// A mark's text: as many decimals as the step needs, never `-0`.
    pub(super) fn label(&self, v: f64) -> String {
        if v == 0.0 {
            return "0".to_string();
        }
        if self.decimals == 0 {
            return format_number(v.round());
        }
        format!("{v:.*}", self.decimals)
    }
}

/// How many decimals write every multiple of `size` exactly (`0.25` → 2, `50` → 0).
fn decimals_of(size: f64) -> usize {
    (0..15)
        .find(|&k| {
            let x = size * 10f64.powi(k);
            (x - x.round()).abs() < 1e-6
        })
        .unwrap_or(15) as usize
}
