//! A plan's resource utilisation as a heat map: parks × resources, the city pools in rows below,
//! each cell its share of capacity used and ● where the limit binds.

use std::fmt::Write as _;

use super::esc;
use super::svg::svg_open;
use crate::plan::{Plan, ResourceUse};
use crate::report::views::{Quantity, ReportInput};

/// Left margin (row labels), top margin (column labels), cell width and cell height.
const LEFT: f64 = 130.0;
const TOP: f64 = 34.0;
const CW: f64 = 104.0;
const CH: f64 = 30.0;

/// Heat colour for a utilisation: white at 0 through orange to dark red at 100 %; pale blue when
/// the park produces more than it uses.
pub(super) fn heat(u: f64) -> (&'static str, String) {
    if u < 0.0 {
        return ("#1d2733", "#dbe9f6".into());
    }
    let stops = [
        (0.0, (255.0, 247.0, 236.0)),
        (0.5, (253.0, 174.0, 97.0)),
        (0.9, (227.0, 74.0, 51.0)),
        (1.0, (165.0, 15.0, 21.0)),
    ];
    let u = u.min(1.0);
    let mut c = stops[3].1;
    for pair in stops.windows(2) {
        let ((a, ca), (b, cb)) = (pair[0], pair[1]);
        if u <= b {
            let f = (u - a) / (b - a);
            c = (
                ca.0 + (cb.0 - ca.0) * f,
                ca.1 + (cb.1 - ca.1) * f,
                ca.2 + (cb.2 - ca.2) * f,
            );
            break;
        }
    }
    let ink = if u > 0.7 { "#ffffff" } else { "#1d2733" };
    (
        ink,
        format!("#{:02x}{:02x}{:02x}", c.0 as u8, c.1 as u8, c.2 as u8),
    )
}

/// The heat map of resource utilisation by park, with its note.
pub(super) fn chart(input: &ReportInput, plan: &Plan) -> String {
    let parks = input.parks();
    let mut resources = input.park_resources();
    let pools: Vec<&ResourceUse> = plan.resources.iter().filter(|r| r.park.is_none()).collect();
    for r in &pools {
        if !resources.contains(&r.resource) {
            resources.push(r.resource.clone());
        }
    }
    let rows = parks.len() + pools.len();
    let w = LEFT + CW * resources.len().max(1) as f64 + 10.0;
    let h = TOP + CH * rows as f64 + if pools.is_empty() { 8.0 } else { 16.0 };
    let mut s = svg_open("heatmap", w, h, "Resource utilisation by park");
    for (j, r) in resources.iter().enumerate() {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            LEFT + CW * (j as f64 + 0.5),
            TOP - 12.0,
            esc(&input.labelled(r, r))
        );
    }
    for (i, park) in parks.iter().enumerate() {
        let y = TOP + CH * i as f64;
        let label = match input.name(crate::report::views::Kind::Park, park) {
            Some(n) => format!("{}<title>{}</title>", esc(park), esc(&n)),
            None => esc(park),
        };
        row_label(&mut s, y, &label);
        for (j, res) in resources.iter().enumerate() {
            let r = plan
                .resources
                .iter()
                .find(|r| r.park.as_ref() == Some(park) && &r.resource == res);
            cell(
                input,
                &mut s,
                (LEFT + CW * j as f64, y),
                r,
                &format!(
                    "{} · {res}",
                    input.named(crate::report::views::Kind::Park, park)
                ),
            );
        }
    }
    for (i, r) in pools.iter().enumerate() {
        let y = TOP + CH * (parks.len() + i) as f64 + 8.0;
        row_label(&mut s, y, &format!("city pool: {}", esc(&r.resource)));
        let j = resources
            .iter()
            .position(|x| x == &r.resource)
            .expect("pooled resources have a column");
        let name = format!("city pool · {}", r.resource);
        cell(input, &mut s, (LEFT + CW * j as f64, y), Some(r), &name);
    }
    s += "</svg>\n<p class=\"note\">● the limit binds and has a shadow price.</p>\n";
    s
}

/// The label of the row at `y`, already escaped.
fn row_label(s: &mut String, y: f64, label: &str) {
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>",
        LEFT - 8.0,
        y + CH * 0.64,
    );
}

/// One cell at `(x, y)`: the share of `r` used, coloured by heat, or a grey dash without a
/// limit; `name` says where in its tooltip.
fn cell(
    input: &ReportInput,
    s: &mut String,
    (x, y): (f64, f64),
    r: Option<&ResourceUse>,
    name: &str,
) {
    match r.and_then(|r| r.utilisation.map(|u| (r, u))) {
        Some((r, u)) => {
            let (ink, fill) = heat(u);
            let bind = if crate::report::views::binds(r) {
                " ●"
            } else {
                ""
            };
            // A net supplier uses less than nothing: its tooltip says what it supplies, its cell
            // `net supply`, never a negative share.
            let title = if u < 0.0 {
                format!(
                    "{}: net supply of {} (it produces more than it uses; capacity {})",
                    esc(name),
                    input.num(Quantity::Resource(&r.resource), Some(-r.used)),
                    esc(&input.amount(Quantity::Resource(&r.resource), Some(r.capacity))),
                )
            } else {
                format!(
                    "{}: {} of {} used ({:.1} %)",
                    esc(name),
                    input.num(Quantity::Resource(&r.resource), Some(r.used)),
                    esc(&input.amount(Quantity::Resource(&r.resource), Some(r.capacity))),
                    u * 100.0,
                )
            };
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"2\"><title>{title}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"fill:{ink}\">{}{bind}</text>",
                CW,
                CH,
                x + CW / 2.0,
                y + CH * 0.64,
                crate::report::views::share(u),
            );
        }
        None => {
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#f2f4f7\" stroke=\"#fff\" stroke-width=\"2\"/><text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">–</text>",
                CW,
                CH,
                x + CW / 2.0,
                y + CH * 0.64
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_runs_from_pale_to_dark() {
        assert_eq!(heat(0.0).1, "#fff7ec");
        assert_eq!(heat(1.0).1, "#a50f15");
        assert_eq!(heat(1.0).0, "#ffffff");
        assert_eq!(heat(-0.5).1, "#dbe9f6");
    }
}
