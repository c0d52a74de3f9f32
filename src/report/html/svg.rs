//! SVG pieces the charts share: the opening `<svg>` tag, round tick steps and their labels,
//! horizontal grid lines, the axis frame of output value against waste reuse, and the placement
//! of point labels so that they do not overlap.

use std::fmt::Write as _;

use super::esc;
use crate::report::views::{Quantity, ReportInput};
use crate::util::numbers::fmt_amount;

/// Tick step for an axis from 0 to `max`: 1, 2 or 5 times a power of ten, about five ticks.
pub(super) fn tick_step(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let raw = max / 5.0;
    let pow = 10f64.powf(raw.log10().floor());
    let m = raw / pow;
    let f = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    f * pow
}

/// The label of a tick at `v`.
pub(super) fn tick_label(v: f64) -> String {
    fmt_amount(v)
}

/// The opening tag of a chart of `kind` (its class `chart-{kind}`), `w` by `h`, with its title.
pub(super) fn svg_open(kind: &str, w: f64, h: f64, title: &str) -> String {
    format!(
        "<svg class=\"chart chart-{kind}\" data-chart=\"{kind}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\"><title>{}</title>\n",
        esc(title)
    )
}

/// A horizontal grid line from `left` to `x2` at height `y`, labelled with the tick value `t`
/// left of the axis.
pub(super) fn grid_row(s: &mut String, left: f64, x2: f64, y: f64, t: f64) {
    let _ = writeln!(
        s,
        "<line class=\"grid\" x1=\"{left}\" x2=\"{x2:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"muted\" x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"end\">{label}</text>",
        tx = left - 6.0,
        ty = y + 4.0,
        label = tick_label(t)
    );
}

/// The margins of a chart: `(width, height, left, bottom, top, right)`.
pub(super) type Size = (f64, f64, f64, f64, f64, f64);

/// The axes of a chart of output value (up) against waste reuse (across), fitted to its points.
pub(super) struct Frame {
    size: Size,
    x: (f64, f64),
    y: (f64, f64),
}

impl Frame {
    /// `size` is `(width, height, left, bottom, top, right)`; `points` are `(reuse, output)`.
    pub(super) fn new(size: Size, points: impl Iterator<Item = (f64, f64)>) -> Frame {
        let (mut x, mut y) = (
            (f64::INFINITY, f64::NEG_INFINITY),
            (f64::INFINITY, f64::NEG_INFINITY),
        );
        for (px, py) in points {
            x = (x.0.min(px), x.1.max(px));
            y = (y.0.min(py), y.1.max(py));
        }
        let pad = |(a, b): (f64, f64)| {
            let d = (b - a).abs().max(b.abs() * 0.05).max(1e-6);
            (a - d * 0.15, b + d * 0.15)
        };
        Frame {
            size,
            x: pad(x),
            y: pad(y),
        }
    }

    /// The horizontal position of reuse `v`.
    pub(super) fn sx(&self, v: f64) -> f64 {
        let (w, _, left, _, _, right) = self.size;
        left + (v - self.x.0) / (self.x.1 - self.x.0) * (w - left - right)
    }

    /// The vertical position of output value `v`.
    pub(super) fn sy(&self, v: f64) -> f64 {
        let (_, h, _, bottom, top, _) = self.size;
        h - bottom - (v - self.y.0) / (self.y.1 - self.y.0) * (h - bottom - top)
    }

    /// Axes, ticks, grid lines and axis titles.
    pub(super) fn draw(&self, s: &mut String, input: &ReportInput) {
        let (w, h, left, bottom, top, right) = self.size;
        let _ = writeln!(
            s,
            "<line class=\"axis\" x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\"/><line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{0}\"/>",
            h - bottom,
            w - right
        );
        for (axis, (a, b)) in [("x", self.x), ("y", self.y)] {
            let step = tick_step(b - a);
            let mut t = (a / step).ceil() * step;
            while t <= b {
                if axis == "x" {
                    let _ = writeln!(
                        s,
                        "<text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                        self.sx(t),
                        h - bottom + 16.0,
                        tick_label(t)
                    );
                } else {
                    grid_row(s, left, w - right, self.sy(t), t);
                }
                t += step;
            }
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
            (left + w - right) / 2.0,
            h - 8.0,
            esc(&input.head("waste reused", Quantity::Material)),
            (top + h - bottom) / 2.0,
            esc(&input.head("output value", Quantity::Value)),
        );
    }
}

/// Spots for labels beside points (`anchors`), the first of right-above, right-below, left-above
/// and left-below that stays inside the width and clear of the labels placed before; `None` when
/// some label has no such spot.
pub(super) fn place_labels(
    anchors: &[(f64, f64)],
    labels: &[String],
    w: f64,
) -> Option<Vec<(f64, f64)>> {
    let mut placed: Vec<(f64, f64, f64)> = Vec::new();
    for (&(px, py), label) in anchors.iter().zip(labels) {
        let width = 7.0 * label.chars().count() as f64;
        let spots = [
            (px + 9.0, py - 7.0),
            (px + 9.0, py + 16.0),
            (px - 9.0 - width, py - 7.0),
            (px - 9.0 - width, py + 16.0),
        ];
        let free = |&(lx, ly): &(f64, f64)| {
            lx >= 0.0
                && lx + width <= w
                && placed.iter().all(|&(ax, ay, aw)| {
                    lx + width < ax || ax + aw < lx || ly < ay - 13.0 || ly - 13.0 > ay
                })
                && anchors.iter().all(|&(qx, qy)| {
                    // Clear of every point's mark, too.
                    qx + 6.0 < lx || lx + width < qx - 6.0 || qy - 6.0 > ly || qy + 6.0 < ly - 12.0
                })
        };
        let (lx, ly) = spots.iter().copied().find(free)?;
        placed.push((lx, ly, width));
    }
    Some(placed.iter().map(|&(x, y, _)| (x, y)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(141.0), 50.0);
        assert_eq!(tick_step(9.0), 2.0);
        assert_eq!(tick_step(1.0), 0.2);
        assert_eq!(tick_step(0.0), 1.0);
    }

    #[test]
    fn labels_keep_clear_of_each_other() {
        let anchors = [(100.0, 100.0), (101.0, 100.0)];
        let labels = ["first".to_string(), "second".to_string()];
        let spots = place_labels(&anchors, &labels, 400.0).expect("room for both");
        assert_eq!(spots[0], (109.0, 93.0));
        assert_ne!(spots[0], spots[1]);
        assert!(place_labels(&anchors, &labels, 10.0).is_none());
    }
}
