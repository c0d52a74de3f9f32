//! A plan's output value by park as stacked bars, one colour per chain, each park's main chain
//! starred below its bar.

use std::fmt::Write as _;

use super::svg::{grid_row, svg_open, tick_step};
use super::{Colors, color_of, esc};
use crate::plan::Plan;
use crate::report::views::{Kind, Quantity, ReportInput};

/// The chart of output value by park, stacked by chain.
pub(super) fn chart(input: &ReportInput, plan: &Plan, colors: &Colors) -> String {
    let parks = input.parks();
    let (left, bottom, top, right) = (64.0, 64.0, 16.0, 16.0);
    let band = 100.0f64.min(900.0 / parks.len().max(1) as f64).max(44.0);
    let w = left + right + band * parks.len() as f64;
    let h = 340.0;
    let totals: Vec<f64> = parks
        .iter()
        .map(|p| input.chain_values(plan, p).iter().map(|(_, v)| v).sum())
        .collect();
    let max = totals.iter().fold(0.0f64, |a, &b| a.max(b)).max(1e-9);
    let step = tick_step(max);
    let top_value = (max / step).ceil() * step;
    let sy = |v: f64| h - bottom - v / top_value * (h - bottom - top);
    let mut s = svg_open("output", w, h, "Output value by park, stacked by chain");
    let mut t = 0.0;
    while t <= top_value + 1e-9 {
        grid_row(&mut s, left, w - right, sy(t), t);
        t += step;
    }
    let _ = writeln!(
        s,
        "<text transform=\"translate(14 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
        (top + h - bottom) / 2.0,
        esc(&input.head("output value", Quantity::Value))
    );
    for (i, park) in parks.iter().enumerate() {
        let x = left + band * i as f64 + band * 0.15;
        let bw = band * 0.7;
        let mut acc = 0.0;
        for (chain, v) in input.chain_values(plan, park) {
            let (y_top, y_bottom) = (sy(acc + v), sy(acc));
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y_top:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{} · {}: {}</title></rect>",
                (y_bottom - y_top).max(0.0),
                color_of(colors, &chain),
                esc(&input.named(Kind::Park, park)),
                esc(&input.named(Kind::Chain, &chain)),
                input.num(Quantity::Value, Some(v))
            );
            acc += v;
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}<title>{}</title></text><text class=\"muted\" x=\"{0:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + bw / 2.0,
            h - bottom + 16.0,
            esc(park),
            esc(&input.named(Kind::Park, park)),
            sy(acc) - 5.0,
            input.num(Quantity::Value, Some(acc))
        );
        if let Some(main) = input.main_chains(plan).get(park) {
            let _ = writeln!(
                s,
                "<text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"font-size:11px\">★ {}</text>",
                x + bw / 2.0,
                h - bottom + 31.0,
                esc(main)
            );
        }
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
