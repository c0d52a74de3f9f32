//! The workbook as it must be, built from JSON plans, and the check of a workbook against it.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

/// Plans are read with serde_yaml (JSON is YAML), whose values keep the order of keys as written:
/// the workbook lists parks and chains in that order, which serde_json's values do not keep.
pub(super) type Value = serde_yaml::Value;

pub(super) fn json(text: &str) -> Value {
    serde_yaml::from_str(text).expect("JSON")
}

pub(super) const SHEETS: [&str; 9] = [
    "Totals",
    "Main chains",
    "Park output",
    "Parks",
    "Activities",
    "Resources",
    "Flows",
    "Purchases",
    "Materials",
];

/// A cell as expected.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// A number of the JSON, or an empty cell for `null` or a missing field.
fn n(v: &Value) -> Cell {
    v.as_f64().map_or(Cell::Empty, Cell::Number)
}

/// A string of the JSON, or an empty cell.
fn s(v: &Value) -> Cell {
    v.as_str().map_or(Cell::Empty, t)
}

/// The sheets of a workbook, in order, each as its rows of cells.
pub(super) fn read(bytes: &[u8]) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("a sheet");
            assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (name, rows)
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()) || a == b
}

/// Checks one sheet cell by cell.
fn check_sheet(name: &str, got: &[Vec<Data>], want: &[Vec<Cell>]) {
    assert_eq!(
        got.len(),
        want.len(),
        "{name}: {} rows, expected {}",
        got.len(),
        want.len()
    );
    for (r, (g, w)) in got.iter().zip(want).enumerate() {
        // A range is as wide as its widest row: cells past the expected ones are empty.
        assert!(
            g.len() >= w.len(),
            "{name} row {r}: {g:?} is shorter than {w:?}"
        );
        for (c, gc) in g.iter().enumerate() {
            let wc = w.get(c).unwrap_or(&Cell::Empty);
            let ok = match (gc, wc) {
                (Data::String(a), Cell::Text(b)) => a == b,
                (Data::Float(a), Cell::Number(b)) => close(*a, *b),
                (Data::Int(a), Cell::Number(b)) => close(*a as f64, *b),
                (Data::Empty, Cell::Empty) => true,
                _ => false,
            };
            assert!(ok, "{name} row {r} column {c}: {gc:?}, expected {wc:?}");
        }
    }
}

/// One variant of a workbook: its label, status and note, and its plan when it has one.
pub(super) struct Variant<'a> {
    pub label: String,
    pub status: String,
    pub note: Option<String>,
    pub plan: Option<&'a Value>,
}

/// Units and names as the plans carry them.
pub(super) struct Labels<'a> {
    pub units: &'a Value,
    pub names: &'a Value,
}

impl Labels<'_> {
    fn head(&self, name: &str, key: &str) -> String {
        match self.units[key].as_str() {
            Some(u) => format!("{name} ({})", u.replace("km2", "km²").replace("m3", "m³")),
            None => name.to_string(),
        }
    }

    fn name(&self, kind: &str, id: &str) -> Cell {
        s(&self.names[kind][id])
    }

    fn park(&self, id: &str) -> String {
        self.names["parks"][id].as_str().unwrap_or(id).to_string()
    }
}

pub(super) fn entries(v: &Value) -> Vec<(&str, &Value)> {
    v.as_mapping()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.as_str().expect("a key"), v))
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn list(v: &Value) -> &[Value] {
    v.as_sequence().map(Vec::as_slice).unwrap_or_default()
}

/// The workbook of `variants` as it must be, built from their JSON plans.
pub(super) fn expected(
    variants: &[Variant],
    base: Option<&Value>,
    l: &Labels,
) -> Vec<Vec<Vec<Cell>>> {
    let several = variants.len() > 1;
    let plans: Vec<(&str, &Value)> = variants
        .iter()
        .filter_map(|v| Some((v.label.as_str(), v.plan?)))
        .collect();
    let mut parks: Vec<String> = Vec::new();
    for (_, p) in &plans {
        for (park, _) in entries(&p["park_output"]) {
            if !parks.iter().any(|p| p == park) {
                parks.push(park.to_string());
            }
        }
    }

    let mut head: Vec<Cell> = ["Variant", "Status"].map(t).to_vec();
    for name in [
        "Objective",
        "Output value",
        "Reuse value",
        "Transport cost",
        "Purchase cost",
        "Disposal cost",
    ] {
        head.push(Cell::Text(l.head(name, "output")));
    }
    head.push(Cell::Text(l.head("Total waste reuse", "materials")));
    head.extend(["Waste reuse rate", "MIP gap"].map(t));
    if several {
        head.push(t("Objective change vs base"));
    }
    head.extend(
        [
            "Shadow price basis",
            "Note",
            "Tied main chains",
            "Tie objective",
        ]
        .map(t),
    );
    let mut totals = vec![head];
    for v in variants {
        let p = v.plan.unwrap_or(&Value::Null);
        let mut row = vec![t(&v.label), t(&v.status)];
        for key in [
            "objective",
            "output_value",
            "reuse_value",
            "transport_cost",
            "purchase_cost",
            "disposal_cost",
            "total_reuse",
        ] {
            row.push(n(&p[key]));
        }
        row.push(reuse_rate(p));
        row.push(n(&p["gap"]));
        if several {
            row.push(match (p["objective"].as_f64(), base) {
                (Some(a), Some(b)) if !std::ptr::eq(p, b) => {
                    Cell::Number(a - b["objective"].as_f64().unwrap())
                }
                _ => Cell::Empty,
            });
        }
        row.push(s(&p["shadow_price_basis"]));
        row.push(v.note.as_deref().map_or(Cell::Empty, t));
        let tied: Vec<String> = entries(&p["tie"]["main_chains"])
            .iter()
            .map(|(park, chain)| format!("{park} → {}", chain.as_str().unwrap()))
            .collect();
        row.push(if tied.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(tied.join(", "))
        });
        row.push(n(&p["tie"]["objective"]));
        totals.push(row);
    }

    let mut main = vec![
        std::iter::once(t("Variant"))
            .chain(parks.iter().map(|p| Cell::Text(l.park(p))))
            .collect::<Vec<_>>(),
    ];
    let mut output = vec![
        std::iter::once(t("Variant"))
            .chain(
                parks
                    .iter()
                    .map(|p| Cell::Text(l.head(&l.park(p), "output"))),
            )
            .collect::<Vec<_>>(),
    ];
    let mut park_rows = vec![{
        let mut h = [
            "Variant",
            "Park",
            "Park name",
            "Main chain",
            "Main chain name",
        ]
        .map(t)
        .to_vec();
        h.push(Cell::Text(l.head("Output value", "output")));
        h
    }];
    let mut acts = vec![{
        let mut h = ["Variant", "Park", "Park name", "Chain", "Chain name"]
            .map(t)
            .to_vec();
        h.push(t("Activity (chain's unit)"));
        h.push(Cell::Text(l.head("Output value", "output")));
        h
    }];
    let mut res = vec![
        [
            "Variant",
            "Park",
            "Park name",
            "Resource",
            "Resource name",
            "Unit",
            "Used",
            "Capacity",
            "Utilisation",
            "Slack",
            "Shadow price (objective per unit)",
        ]
        .map(t)
        .to_vec(),
    ];
    let amount = Cell::Text(l.head("Amount", "materials"));
    let mut flows = vec![{
        let mut h = [
            "Variant",
            "Material",
            "Material name",
            "From",
            "From name",
            "To",
            "To name",
        ]
        .map(t)
        .to_vec();
        h.push(amount.clone());
        h
    }];
    let mut buys = vec![{
        let mut h = ["Variant", "Material", "Material name", "Park", "Park name"]
            .map(t)
            .to_vec();
        h.push(amount.clone());
        h
    }];
    let mut mats = vec![{
        let mut h = ["Variant", "Material", "Material name", "Kind"]
            .map(t)
            .to_vec();
        for x in ["Generated", "Reused", "Bought", "Not reused"] {
            h.push(Cell::Text(l.head(x, "materials")));
        }
        h
    }];

    for (label, p) in &plans {
        let chain_label = |c: &Value| {
            let id = c.as_str().unwrap();
            t(l.names["chains"][id].as_str().unwrap_or(id))
        };
        main.push(
            std::iter::once(t(label))
                .chain(parks.iter().map(|park| match &p["main_chains"][park] {
                    Value::Null => Cell::Empty,
                    c => chain_label(c),
                }))
                .collect(),
        );
        output.push(
            std::iter::once(t(label))
                .chain(parks.iter().map(|park| n(&p["park_output"][park])))
                .collect(),
        );
        for (park, out) in entries(&p["park_output"]) {
            let main = &p["main_chains"][park];
            park_rows.push(vec![
                t(label),
                t(park),
                l.name("parks", park),
                s(main),
                main.as_str().map_or(Cell::Empty, |c| l.name("chains", c)),
                n(out),
            ]);
        }
        for (park, chains) in entries(&p["activities"]) {
            for (chain, x) in entries(chains) {
                acts.push(vec![
                    t(label),
                    t(park),
                    l.name("parks", park),
                    t(chain),
                    l.name("chains", chain),
                    n(x),
                    n(&p["chain_output"][park][chain]),
                ]);
            }
        }
        for r in list(&p["resources"]) {
            let id = r["resource"].as_str().unwrap();
            res.push(vec![
                t(label),
                s(&r["park"]),
                match r["park"].as_str() {
                    Some(park) => l.name("parks", park),
                    None => t("city pool"),
                },
                t(id),
                l.name("resources", id),
                l.units[id].as_str().map_or(Cell::Empty, |u| {
                    t(&u.replace("km2", "km²").replace("m3", "m³"))
                }),
                n(&r["used"]),
                n(&r["capacity"]),
                n(&r["utilisation"]),
                n(&r["slack"]),
                n(&r["shadow_price"]),
            ]);
        }
        for f in list(&p["flows"]) {
            let (m, from, to) = (
                f["material"].as_str().unwrap(),
                f["from"].as_str().unwrap(),
                f["to"].as_str().unwrap(),
            );
            flows.push(vec![
                t(label),
                t(m),
                l.name("materials", m),
                t(from),
                l.name("parks", from),
                t(to),
                l.name("parks", to),
                n(&f["amount"]),
            ]);
        }
        for b in list(&p["purchases"]) {
            let (m, park) = (b["material"].as_str().unwrap(), b["park"].as_str().unwrap());
            buys.push(vec![
                t(label),
                t(m),
                l.name("materials", m),
                t(park),
                l.name("parks", park),
                n(&b["amount"]),
            ]);
        }
        for m in list(&p["materials"]) {
            let id = m["material"].as_str().unwrap();
            mats.push(vec![
                t(label),
                t(id),
                l.name("materials", id),
                s(&m["kind"]),
                n(&m["generated"]),
                n(&m["reused"]),
                n(&m["bought"]),
                n(&m["disposed"]),
            ]);
        }
    }
    vec![
        totals, main, output, park_rows, acts, res, flows, buys, mats,
    ]
}

/// Checks a whole workbook: its sheets, in order, and every cell of each.
/// A plan's waste reuse rate: Σ reused / Σ generated over its waste materials; empty without
/// waste.
fn reuse_rate(p: &Value) -> Cell {
    let (mut reused, mut generated) = (0.0, 0.0);
    for m in list(&p["materials"]) {
        if m["kind"].as_str() == Some("waste") {
            reused += m["reused"].as_f64().unwrap();
            generated += m["generated"].as_f64().unwrap();
        }
    }
    if generated > 0.0 {
        Cell::Number(reused / generated)
    } else {
        Cell::Empty
    }
}

/// Checks a workbook against the sheets expected; a workbook of several plans has the `Changes`
/// sheet after them (checked on its own, see the tests).
pub(super) fn check(bytes: &[u8], want: &[Vec<Vec<Cell>>]) {
    let got = read(bytes);
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    let mut sheets = SHEETS.to_vec();
    if names.len() > SHEETS.len() {
        sheets.push("Changes");
    }
    assert_eq!(names, sheets);
    for ((name, rows), want) in got.iter().zip(want) {
        check_sheet(name, rows, want);
    }
}
