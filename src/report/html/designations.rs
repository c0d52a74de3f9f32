//! The price of every designation as a heat map: parks × chains, each cell the loss of making
//! that chain the park's main chain, coloured from nothing (pale) to the largest loss (dark red);
//! the optimum's main chain outlined, pairs no plan admits hatched, chains a park may not run left
//! blank. A legend gives the colour scale in the objective's unit; the ranked table follows.

use std::fmt::Write as _;

use super::heatmap::heat;
use super::svg::svg_open;
use super::{badge, esc};
use crate::analysis::designations::{Designation, Designations};
use crate::report::designations::{loss_cell, share_cell, summary, unit};
use crate::util::numbers::{fmt_amount, fmt_num};

/// Left margin (park labels), top margin (chain labels, slanted), cell width and height.
const LEFT: f64 = 150.0;
const TOP: f64 = 96.0;
const CW: f64 = 72.0;
const CH: f64 = 30.0;
/// Height of the legend below the grid.
const LEGEND: f64 = 70.0;

/// A short number for a cell: two decimals below 100, none above.
fn short(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// What a cell shows: its text and the loss its colour stands for.
fn cell_text(x: &Designation) -> (String, Option<f64>) {
    match x.interval() {
        Some((lo, Some(hi))) if (hi - lo).abs() > 1e-12 => {
            (format!("{}–{}", short(lo), short(hi)), Some(lo))
        }
        Some((lo, Some(_))) => (short(lo), Some(lo)),
        Some((lo, None)) => (format!("≥{}", short(lo)), Some(lo)),
        None => (String::new(), None),
    }
}

/// The heat map of one [`Designations`], with its legend.
pub(super) fn chart(d: &Designations) -> String {
    let parks: Vec<&str> = d.ranked().into_iter().map(|(p, _)| p).collect();
    let chains = d.chains();
    let max = d
        .designations
        .iter()
        .filter_map(|x| x.interval().map(|(lo, _)| lo))
        .fold(0.0, f64::max);
    let w = LEFT + CW * chains.len().max(1) as f64 + 20.0;
    let grid_h = TOP + CH * parks.len() as f64;
    let h = grid_h + LEGEND;
    let mut s = svg_open(
        "designations",
        w,
        h,
        &format!("Loss of each designation, variant {}", d.variant),
    );
    s += "<defs><pattern id=\"hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#eef0f3\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#8d97a5\" stroke-width=\"2.5\"/></pattern>";
    s += "<linearGradient id=\"loss-scale\">";
    for k in 0..=10 {
        let u = k as f64 / 10.0;
        let _ = write!(
            s,
            "<stop offset=\"{:.0}%\" stop-color=\"{}\"/>",
            u * 100.0,
            heat(u).1
        );
    }
    s += "</linearGradient></defs>\n";
    for (j, c) in chains.iter().enumerate() {
        let x = LEFT + CW * (j as f64 + 0.5);
        let title = d
            .names
            .chains
            .get(*c)
            .map(|n| format!("<title>{}</title>", esc(n)))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "<text transform=\"translate({x:.1} {:.1}) rotate(-35)\" text-anchor=\"start\">{}{title}</text>",
            TOP - 8.0,
            esc(c)
        );
    }
    for (i, park) in parks.iter().enumerate() {
        let y = TOP + CH * i as f64;
        let title = d
            .names
            .parks
            .get(*park)
            .map(|n| format!("<title>{}</title>", esc(n)))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}{title}</text>",
            LEFT - 8.0,
            y + CH * 0.64,
            esc(park)
        );
        for (j, c) in chains.iter().enumerate() {
            let x = LEFT + CW * j as f64;
            let pair = d
                .designations
                .iter()
                .find(|p| p.park == *park && p.chain == *c);
            cell(&mut s, d, (x, y), max, pair);
        }
    }
    // The optimum's chains outlined on top of every cell, so no neighbour's edge covers them.
    for (i, park) in parks.iter().enumerate() {
        if let Some(j) = d
            .main_chains
            .get(*park)
            .and_then(|c| chains.iter().position(|x| x == c))
        {
            let _ = writeln!(
                s,
                "<rect class=\"chosen\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#1d2733\" stroke-width=\"3\"/>",
                LEFT + CW * j as f64 + 1.5,
                TOP + CH * i as f64 + 1.5,
                CW - 3.0,
                CH - 3.0
            );
        }
    }
    legend(&mut s, d, grid_h + 18.0, max);
    s += "</svg>\n";
    s
}

/// One cell at `(x, y)`: the loss coloured against `max`, hatched without a plan, blank for a
/// chain the park may not run (`pair` `None`).
fn cell(
    s: &mut String,
    d: &Designations,
    (x, y): (f64, f64),
    max: f64,
    pair: Option<&Designation>,
) {
    let Some(p) = pair else {
        let _ = writeln!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{CW:.1}\" height=\"{CH:.1}\" fill=\"#ffffff\" stroke=\"#e7ebf0\" stroke-width=\"1\"/>"
        );
        return;
    };
    let (text, colour) = cell_text(p);
    let tip = format!(
        "{} → {}: {}",
        p.park,
        p.chain,
        match p.interval() {
            Some(_) => format!(
                "loss {} {} ({} of the optimum), z(p→c) = {}",
                loss_cell(p),
                unit(d),
                share_cell(d, p),
                p.objective.map_or("–".into(), fmt_num)
            ),
            None => p.message.clone().unwrap_or_else(|| p.status.to_string()),
        }
    );
    match colour {
        Some(loss) => {
            let u = if max > 0.0 { loss / max } else { 0.0 };
            let (ink, fill) = heat(u);
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{CW:.1}\" height=\"{CH:.1}\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"2\"><title>{}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"fill:{ink}\">{}</text>",
                esc(&tip),
                x + CW / 2.0,
                y + CH * 0.64,
                esc(&text)
            );
        }
        None => {
            // No plan: hatched when proven infeasible, grey with a question mark otherwise.
            let infeasible = p.status.as_str() == "infeasible";
            let (fill, mark) = if infeasible {
                ("url(#hatch)", "")
            } else {
                ("#d9dee5", "?")
            };
            let _ = writeln!(
                s,
                "<rect class=\"{}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{CW:.1}\" height=\"{CH:.1}\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"2\"><title>{}</title></rect><text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{mark}</text>",
                if infeasible { "infeasible" } else { "unsolved" },
                esc(&tip),
                x + CW / 2.0,
                y + CH * 0.64,
            );
        }
    }
}

/// The legend below the grid at height `y`: the colour scale from 0 to `max` in the objective's
/// unit, and the marks.
fn legend(s: &mut String, d: &Designations, y: f64, max: f64) {
    let (bar_w, x0) = (220.0, LEFT);
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">loss ({})</text><rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{bar_w}\" height=\"12\" fill=\"url(#loss-scale)\" stroke=\"#d9dee5\"/><text class=\"muted\" x=\"{x0:.1}\" y=\"{:.1}\">0</text><text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        LEFT - 8.0,
        y + 10.0,
        esc(&unit(d)),
        y,
        y + 26.0,
        x0 + bar_w,
        y + 26.0,
        esc(&fmt_amount(max)),
    );
    let x = x0 + bar_w + 24.0;
    let _ = writeln!(
        s,
        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"22\" height=\"16\" fill=\"#fff7ec\" stroke=\"#1d2733\" stroke-width=\"3\"/><text x=\"{:.1}\" y=\"{:.1}\">the optimum's main chain</text>",
        y - 2.0,
        x + 28.0,
        y + 10.0
    );
    let x = x + 200.0;
    let _ = writeln!(
        s,
        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"22\" height=\"16\" fill=\"url(#hatch)\"/><text x=\"{:.1}\" y=\"{:.1}\">infeasible: no plan has this main chain</text>",
        y - 2.0,
        x + 28.0,
        y + 10.0
    );
    let _ = writeln!(
        s,
        "<text class=\"muted\" x=\"{x0:.1}\" y=\"{:.1}\">Blank: the park may not run that chain. Colour: the loss{}.</text>",
        y + 44.0,
        if d.exact() {
            ""
        } else {
            " proven (the lower end of its interval)"
        }
    );
}

/// The section of one [`Designations`]: the heat map and the ranked table.
pub(super) fn section(h: &mut String, i: usize, d: &Designations) {
    let _ = writeln!(
        h,
        "<section id=\"designations-{i}\">\n<h2>The price of every designation, variant `{}`</h2>",
        esc(&d.variant)
    );
    let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(&summary(d)));
    h.push_str(&chart(d));
    if d.unsolved > 0 {
        let _ = writeln!(
            h,
            "<p class=\"note\">The run was stopped before {} pair(s) were solved; they are not shown.</p>",
            d.unsolved
        );
    }
    let u = esc(&unit(d));
    let _ = writeln!(
        h,
        "<table><thead><tr><th>park</th><th>main chain</th><th>status</th><th>z(p→c) ({u})</th><th>loss ({u})</th><th>loss (% of z*)</th></tr></thead><tbody>"
    );
    for (park, list) in d.ranked() {
        for (k, x) in list.iter().enumerate() {
            let park_cell = if k == 0 {
                match d.names.parks.get(park) {
                    Some(n) if n != park => {
                        format!("{}<br><span class=\"name\">{}</span>", esc(park), esc(n))
                    }
                    _ => esc(park),
                }
            } else {
                String::new()
            };
            let chain = if x.chosen {
                format!("<strong>{}</strong> (chosen)", esc(&x.chain))
            } else {
                esc(&x.chain)
            };
            let _ = writeln!(
                h,
                "<tr{}><td>{park_cell}</td><td style=\"text-align:left\">{chain}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                if k == 0 { " class=\"zone\"" } else { "" },
                badge(x.status.as_str(), x.status.has_plan()),
                x.objective.map_or("–".into(), fmt_num),
                esc(&loss_cell(x)),
                esc(&share_cell(d, x)),
            );
        }
    }
    h.push_str("</tbody></table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_show_a_point_an_interval_or_nothing() {
        let mut x: Designation = serde_json::from_str(
            r#"{"park": "a", "chain": "c", "status": "optimal", "objective": 10, "loss": 1.5}"#,
        )
        .unwrap();
        assert_eq!(cell_text(&x), ("1.50".into(), Some(1.5)));
        x.loss = None;
        x.loss_low = Some(0.25);
        x.loss_high = Some(0.5);
        assert_eq!(cell_text(&x), ("0.25–0.50".into(), Some(0.25)));
        x.loss_low = None;
        x.loss_high = None;
        assert_eq!(cell_text(&x).1, None);
    }
}
