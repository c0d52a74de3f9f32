//! The charts of a multi-period plan's timeline: output value as stacked bars, one group per
//! period and in it one bar per park, stacked by chain; and resource use against capacity as a
//! grid of limits × periods, each cell its share used, coloured as the heat map is.

use std::fmt::Write as _;

use super::heatmap::heat;
use super::svg::{grid_row, svg_open, tick_step};
use super::{Colors, color_of, esc};
use crate::plan::Plan;
use crate::report::timeline::{self, ResourceLine};
use crate::report::views::ReportInput;
use crate::util::numbers::{fmt_amount, fmt_num};

/// Output value by period and park, stacked by chain.
pub(super) fn output(input: &ReportInput, plan: &Plan, colors: &Colors) -> String {
    let parks = timeline::parks(input, plan);
    let periods = &plan.periods;
    let cells = (parks.len() * periods.len()).max(1) as f64;
    let bar = (720.0 / cells).clamp(18.0, 48.0);
    // Park names wider than their bar are written aslant, with room below for them.
    let longest = parks.iter().map(|p| p.chars().count()).max().unwrap_or(0) as f64;
    let aslant = longest * 6.0 > bar * 1.15;
    let below = if aslant {
        (longest * 6.0 * 0.71).min(100.0) + 12.0
    } else {
        16.0
    };
    let (left, bottom, top, right) = (64.0, below + 36.0, 16.0, 16.0);
    let gap = 28.0;
    let group = bar * parks.len().max(1) as f64 * 1.2 + gap;
    let w = left + right + group * periods.len().max(1) as f64;
    let h = 268.0 + bottom;
    let stacks: Vec<Vec<Vec<(String, f64)>>> = periods
        .iter()
        .map(|pp| {
            parks
                .iter()
                .map(|park| input.chain_values(&pp.plan, park))
                .collect()
        })
        .collect();
    let max = stacks
        .iter()
        .flatten()
        .map(|vs| vs.iter().map(|(_, v)| v).sum::<f64>())
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let step = tick_step(max);
    let top_value = (max / step).ceil() * step;
    let sy = |v: f64| h - bottom - v / top_value * (h - bottom - top);
    let mut s = svg_open(
        "timeline-output",
        w,
        h,
        "Output value by period and park, stacked by chain",
    );
    let mut t = 0.0;
    while t <= top_value + 1e-9 {
        grid_row(&mut s, left, w - right, sy(t), t);
        t += step;
    }
    let _ = writeln!(
        s,
        "<text transform=\"translate(14 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
        (top + h - bottom) / 2.0,
        esc(&input.labelled("output value per year", "output"))
    );
    for (ti, (pp, bars)) in periods.iter().zip(&stacks).enumerate() {
        let gx = left + group * ti as f64 + gap / 2.0;
        for (pi, (park, values)) in parks.iter().zip(bars).enumerate() {
            let x = gx + bar * 1.2 * pi as f64 + bar * 0.1;
            let mut acc = 0.0;
            for (chain, v) in values {
                let (y_top, y_bottom) = (sy(acc + v), sy(acc));
                let _ = writeln!(
                    s,
                    "<rect x=\"{x:.1}\" y=\"{y_top:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{} · {} · {}: {}</title></rect>",
                    (y_bottom - y_top).max(0.0),
                    color_of(colors, chain),
                    esc(&pp.period),
                    esc(park),
                    esc(chain),
                    fmt_num(*v)
                );
                acc += v;
            }
            let (cx, ly) = (x + bar / 2.0, h - bottom + 14.0);
            let name = if aslant {
                format!(
                    "<text class=\"muted\" x=\"{cx:.1}\" y=\"{ly:.1}\" text-anchor=\"end\" transform=\"rotate(-45 {cx:.1} {ly:.1})\" style=\"font-size:11px\">{}</text>",
                    esc(park)
                )
            } else {
                format!(
                    "<text class=\"muted\" x=\"{cx:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\" style=\"font-size:11px\">{}</text>",
                    esc(park)
                )
            };
            let _ = writeln!(
                s,
                "{name}<text class=\"muted\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"font-size:10px\">{}</text>",
                sy(acc) - 4.0,
                fmt_amount(acc)
            );
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"font-weight:600\">{}</text>",
            gx + (group - gap) / 2.0,
            h - 12.0,
            esc(&pp.period)
        );
    }
    let _ = writeln!(
        s,
        "<line class=\"axis\" x1=\"{left}\" x2=\"{x2:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>",
        x2 = w - right,
        y = h - bottom
    );
    s += "</svg>\n";
    s
}

/// Top margin (period names), cell width and cell height.
const TOP: f64 = 30.0;
const CW: f64 = 96.0;
const CH: f64 = 28.0;

/// Use against capacity of every limit in every period, as a grid of shares.
pub(super) fn resources(input: &ReportInput, plan: &Plan, lines: &[ResourceLine]) -> String {
    let periods = timeline::names(plan);
    let labels: Vec<String> = lines
        .iter()
        .map(|l| {
            let place = l.park.clone().unwrap_or_else(|| "city pool".into());
            format!("{place} · {}", input.labelled(&l.resource, &l.resource))
        })
        .collect();
    // Room on the left for the longest row label.
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    let left = (longest * 7.0 + 16.0).max(90.0);
    let w = left + CW * periods.len().max(1) as f64 + 10.0;
    let h = TOP + CH * lines.len() as f64 + 8.0;
    let mut s = svg_open(
        "timeline-resources",
        w,
        h,
        "Resource use against capacity by period",
    );
    for (j, p) in periods.iter().enumerate() {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"font-weight:600\">{}</text>",
            left + CW * (j as f64 + 0.5),
            TOP - 10.0,
            esc(p)
        );
    }
    for (i, (line, label)) in lines.iter().zip(&labels).enumerate() {
        let y = TOP + CH * i as f64;
        let place = line.park.clone().unwrap_or_else(|| "city pool".into());
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + CH * 0.64,
            esc(label)
        );
        for (j, (r, period)) in line.uses.iter().zip(&periods).enumerate() {
            let x = left + CW * j as f64;
            let (ink, fill, text, tip) = match r {
                Some(r) => {
                    let bind = if crate::report::views::binds(r) {
                        " ●"
                    } else {
                        ""
                    };
                    let (ink, fill, share) = match r.utilisation {
                        Some(u) => {
                            let (ink, fill) = heat(u);
                            (ink, fill, crate::report::views::share(u))
                        }
                        None => ("#1d2733", "#f2f4f7".into(), fmt_num(r.used)),
                    };
                    let tip = format!(
                        "{place} · {} · {period}: {} of {} used",
                        line.resource,
                        fmt_num(r.used),
                        fmt_num(r.capacity)
                    );
                    (ink, fill, format!("{share}{bind}"), tip)
                }
                None => (
                    "#5b6776",
                    "#f2f4f7".into(),
                    "–".into(),
                    format!("{place} · {} · {period}: no limit", line.resource),
                ),
            };
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{CW:.1}\" height=\"{CH:.1}\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"2\"><title>{}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"fill:{ink}\">{}</text>",
                esc(&tip),
                x + CW / 2.0,
                y + CH * 0.64,
                esc(&text)
            );
        }
    }
    s += "</svg>\n";
    s
}
