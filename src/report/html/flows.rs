//! A plan's material flows as a Sankey-style diagram: the parks that send (and `outside` for
//! purchases) on the left, the parks that take on the right, one band per flow as wide as the
//! amount moved, coloured by material; a legend of materials and the table of every band
//! (within a park and bought from outside too) below.
//!
//! Drawing comes in two steps: [`Layout::new`] places the nodes and scales the amounts, then
//! the bands, the nodes and the legend are drawn from it.

use std::fmt::Write as _;

use super::svg::svg_open;
use super::{Colors, color_of, esc};
use crate::plan::Plan;
use crate::report::views::{Kind, Quantity, ReportInput};

/// Width of the chart, of a node, the gap between nodes, the margin above and below them and
/// the height the nodes share.
const W: f64 = 760.0;
const NODE_W: f64 = 14.0;
const GAP: f64 = 18.0;
const TOP: f64 = 12.0;
const HEIGHT: f64 = 380.0;
/// The left edges of the source and the target nodes.
const X0: f64 = 200.0;
const X1: f64 = W - 200.0 - NODE_W;

/// One band: a material moved from a park (or `outside`) to a park.
struct Link {
    from: String,
    to: String,
    material: String,
    amount: f64,
}

/// Where everything goes: the nodes on each side in park order with their totals and tops, the
/// links in the order drawn, the materials in order of first appearance, and `k`, the height of
/// one unit of amount.
struct Layout<'a> {
    colors: &'a Colors,
    /// Amounts at the report's precision for material, and their unit.
    input: &'a ReportInput<'a>,
    links: Vec<Link>,
    sources: Vec<String>,
    targets: Vec<String>,
    materials: Vec<String>,
    out_totals: Vec<f64>,
    in_totals: Vec<f64>,
    ys: Vec<f64>,
    yt: Vec<f64>,
    k: f64,
}

/// The diagram with its legend and the table of flows between parks; a note when nothing
/// moves.
pub(super) fn chart<'a>(input: &'a ReportInput<'a>, plan: &Plan, colors: &'a Colors) -> String {
    let Some(layout) = Layout::new(input, plan, colors) else {
        return "<p class=\"note\">No materials move in this plan.</p>\n".into();
    };
    let h = TOP * 2.0 + HEIGHT + 4.0;
    let mut s = String::from("<div>\n");
    s += &svg_open("flows", W, h, "Material flows between parks");
    layout.draw_bands(&mut s);
    layout.draw_nodes(&mut s);
    s += "</svg>\n<ul class=\"legend\">";
    for m in &layout.materials {
        let _ = write!(
            s,
            "<li><span style=\"background:{}\"></span>{}</li>",
            layout.color(m),
            esc(&input.named(Kind::Material, m))
        );
    }
    s += "</ul>\n</div>\n";
    layout.table(&mut s);
    s
}

/// Every flow and purchase with a positive amount.
fn links(plan: &Plan) -> Vec<Link> {
    let mut links: Vec<Link> = plan
        .flows
        .iter()
        .map(|f| Link {
            from: f.from.clone(),
            to: f.to.clone(),
            material: f.material.clone(),
            amount: f.amount,
        })
        .collect();
    links.extend(plan.purchases.iter().map(|b| Link {
        from: "outside".into(),
        to: b.park.clone(),
        material: b.material.clone(),
        amount: b.amount,
    }));
    links.retain(|l| l.amount > 0.0);
    links
}

/// The names in `names` once each, in order of first appearance.
fn distinct<'a>(names: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

/// The tops of nodes stacked from [`TOP`] down, `GAP` apart, each `k` per unit of its total.
fn stack(totals: &[f64], k: f64) -> Vec<f64> {
    let mut y = TOP;
    totals
        .iter()
        .map(|t| {
            let at = y;
            y += t * k + GAP;
            at
        })
        .collect()
}

impl<'a> Layout<'a> {
    /// Lays out the plan's flows and purchases; `None` when no material moves.
    fn new(input: &'a ReportInput<'a>, plan: &Plan, colors: &'a Colors) -> Option<Layout<'a>> {
        let mut links = links(plan);
        if links.is_empty() {
            return None;
        }
        let parks = input.parks();
        let order = |name: &str| parks.iter().position(|p| p == name).unwrap_or(usize::MAX);
        let mut sources = distinct(links.iter().map(|l| &l.from));
        let mut targets = distinct(links.iter().map(|l| &l.to));
        sources.sort_by_key(|p| order(p));
        targets.sort_by_key(|p| order(p));
        links.sort_by_key(|l| (order(&l.from), order(&l.to)));
        let materials = distinct(links.iter().map(|l| &l.material));
        let total = |names: &[String], side: fn(&Link) -> &String| {
            names
                .iter()
                .map(|n| {
                    links
                        .iter()
                        .filter(|l| side(l) == n)
                        .map(|l| l.amount)
                        .sum::<f64>()
                })
                .collect::<Vec<f64>>()
        };
        let out_totals = total(&sources, |l| &l.from);
        let in_totals = total(&targets, |l| &l.to);
        let n = sources.len().max(targets.len()) as f64;
        let sum = out_totals
            .iter()
            .sum::<f64>()
            .max(in_totals.iter().sum::<f64>());
        let k = (HEIGHT - GAP * (n - 1.0).max(0.0)) / sum.max(1e-12);
        Some(Layout {
            colors,
            input,
            ys: stack(&out_totals, k),
            yt: stack(&in_totals, k),
            links,
            sources,
            targets,
            materials,
            out_totals,
            in_totals,
            k,
        })
    }

    /// The table of every band drawn, in the order drawn: flows between parks, within a park
    /// (`from` = `to`) and purchases (from `outside`), so each node's total is the sum of its
    /// rows.
    fn table(&self, s: &mut String) {
        let _ = writeln!(
            s,
            "<table class=\"flows\"><thead><tr><th>material</th><th>from</th><th>to</th><th>{}</th></tr></thead><tbody>",
            esc(&self.input.head("amount", Quantity::Material))
        );
        for l in &self.links {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&l.material),
                esc(&l.from),
                esc(&l.to),
                self.amount(l.amount)
            );
        }
        *s += "</tbody></table>\n";
    }

    /// An amount at the report's precision for material.
    fn amount(&self, v: f64) -> String {
        self.input.num(Quantity::Material, Some(v))
    }

    /// The colour of a material.
    fn color(&self, m: &str) -> &str {
        color_of(self.colors, m)
    }

    /// One band per link, stacked within each node in the order of the links.
    fn draw_bands(&self, s: &mut String) {
        let mut s_off = vec![0.0; self.sources.len()];
        let mut t_off = vec![0.0; self.targets.len()];
        let unit = format!(" {}", esc(&self.input.unit_q(Quantity::Material)));
        for Link {
            from: a,
            to: b,
            material: m,
            amount,
        } in &self.links
        {
            let i = self.sources.iter().position(|x| x == a).expect("source");
            let j = self.targets.iter().position(|x| x == b).expect("target");
            let t = amount * self.k;
            let (sy0, ty0) = (self.ys[i] + s_off[i], self.yt[j] + t_off[j]);
            s_off[i] += t;
            t_off[j] += t;
            let (xa, xb) = (X0 + NODE_W, X1);
            let xm = (xa + xb) / 2.0;
            let _ = writeln!(
                s,
                "<path d=\"M{xa:.1},{sy0:.1} C{xm:.1},{sy0:.1} {xm:.1},{ty0:.1} {xb:.1},{ty0:.1} L{xb:.1},{:.1} C{xm:.1},{:.1} {xm:.1},{:.1} {xa:.1},{:.1} Z\" fill=\"{color}\" fill-opacity=\"0.55\" stroke=\"{color}\" stroke-opacity=\"0.8\" stroke-width=\"0.5\"><title>{}: {} → {}, {}{unit}</title></path>",
                ty0 + t,
                ty0 + t,
                sy0 + t,
                sy0 + t,
                esc(m),
                esc(a),
                esc(b),
                self.amount(*amount),
                color = self.color(m),
            );
        }
    }

    /// The nodes, sources left and targets right, each named with its total.
    fn draw_nodes(&self, s: &mut String) {
        for (side, names, pos, totals) in [
            ("source", &self.sources, &self.ys, &self.out_totals),
            ("target", &self.targets, &self.yt, &self.in_totals),
        ] {
            for ((name, y), t) in names.iter().zip(pos.iter()).zip(totals.iter()) {
                let x = if side == "source" { X0 } else { X1 };
                let fill = if name == "outside" {
                    "#9aa5b1"
                } else {
                    "#2f5d8a"
                };
                let (tx, anchor) = if side == "source" {
                    (x - 6.0, "end")
                } else {
                    (x + NODE_W + 6.0, "start")
                };
                let height = (t * self.k).max(1.0);
                let _ = writeln!(
                    s,
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{NODE_W}\" height=\"{height:.1}\" fill=\"{fill}\"/><text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{} <tspan class=\"muted\">{}</tspan></text>",
                    y + height / 2.0 + 4.0,
                    esc(name),
                    self.amount(*t)
                );
            }
        }
    }
}
