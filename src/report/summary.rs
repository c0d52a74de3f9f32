//! A batch summary as text: a table for people, JSON and YAML (the [`Summary`] fields), and CSV
//! with one record per variant and one column per park's main chain.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use indexmap::IndexMap;

use crate::batch::sweep::Summary;
use crate::report::{ReportError, SummaryFormat};
use crate::solver::VariantStatus;
use crate::util::numbers::{csv_num, fmt_opt};
use crate::variant::BASE;

/// Renders a summary in a format.
pub fn render(summary: &Summary, format: SummaryFormat) -> Result<String, ReportError> {
    match format {
        SummaryFormat::Table => Ok(table(summary)),
        SummaryFormat::Json => Ok(serde_json::to_string_pretty(summary)? + "\n"),
        SummaryFormat::Yaml => Ok(serde_yaml::to_string(summary)?),
        SummaryFormat::Csv => csv(summary),
    }
}

fn pairs(m: &IndexMap<String, String>, sep: &str) -> String {
    m.iter()
        .map(|(p, c)| format!("{p}{sep}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn table(s: &Summary) -> String {
    let title = s.problem.as_deref().unwrap_or("parkplan");
    let mut out = match s.shard {
        Some(sh) => format!(
            "{title} — shard {sh}: {} of {} variants\n",
            s.variants.len(),
            s.total
        ),
        None => format!("{title} — {} variants\n", s.variants.len()),
    };
    out += &variants_grid(s).to_string();
    out += "\n";
    if let Some(base) = s.base_main_chains() {
        out += &format!("base main chains: {}\n", pairs(base, "="));
    }
    out += &not_optimal(s);
    let unwritten: Vec<String> = s
        .not_written()
        .map(|(name, why)| format!("  {name}: {why}\n"))
        .collect();
    if !unwritten.is_empty() {
        out += "\nsolved but not written to the output folder:\n";
        out += &unwritten.concat();
    }
    let mut counts: IndexMap<VariantStatus, usize> = IndexMap::new();
    for v in &s.variants {
        *counts.entry(v.status).or_default() += 1;
    }
    let counts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    out += &format!("\n{}\n", counts.join(", "));
    out
}

/// One row per variant: status, objective and its change against the base, output and reuse
/// value, and the main chains that differ from the base plan's.
fn variants_grid(s: &Summary) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        // One line per variant, however long its name: easier to scan than wrapped cells.
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec![
            "variant",
            "status",
            "objective",
            "vs base",
            "output value",
            "reuse value",
            "main chains that differ from base",
        ]);
    let base_objective = s
        .variants
        .iter()
        .find(|v| v.name == BASE)
        .and_then(|v| v.objective);
    for v in &s.variants {
        let delta = match (base_objective, v.objective) {
            (Some(b), Some(o)) if v.name != BASE => {
                let d = o - b;
                if d.abs() < 5e-4 {
                    "0".to_string()
                } else {
                    format!("{:+.3}", d)
                }
            }
            _ => "–".to_string(),
        };
        let mut changes = match (&v.changed_main_chains, v.name.as_str()) {
            (_, BASE) if s.base_main_chains().is_some() => "(the base plan)".to_string(),
            (Some(c), _) if c.is_empty() => "none".to_string(),
            (Some(c), _) => pairs(c, " → "),
            (None, _) => "–".to_string(),
        };
        if let Some(tie) = &v.tie {
            changes += &format!(" (tied: {})", pairs(&tie.main_chains, " → "));
        }
        let status = match &v.not_written {
            None => v.status.to_string(),
            Some(_) => format!("{} (not written)", v.status),
        };
        t.add_row(vec![
            v.name.clone(),
            status,
            fmt_opt(v.objective),
            delta,
            fmt_opt(v.output_value),
            fmt_opt(v.reuse_value),
            changes,
        ]);
    }
    for i in 2..6 {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// The variants without an optimal plan, each with why.
fn not_optimal(s: &Summary) -> String {
    let mut out = String::new();
    let failed: Vec<_> = s
        .variants
        .iter()
        .filter(|v| v.status != VariantStatus::OPTIMAL)
        .collect();
    if !failed.is_empty() {
        out += "\nnot optimal:\n";
        for v in &failed {
            out += &format!(
                "  {}: {} — {}\n",
                v.name,
                v.status,
                v.message.as_deref().unwrap_or("")
            );
        }
    }
    out
}

fn csv(s: &Summary) -> Result<String, ReportError> {
    // One column per park, in the order parks first appear.
    let mut parks: Vec<&str> = Vec::new();
    for v in &s.variants {
        for p in v.main_chains.keys() {
            if !parks.contains(&p.as_str()) {
                parks.push(p);
            }
        }
    }
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "index",
        "name",
        "status",
        "objective",
        "output_value",
        "reuse_value",
        "gap",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    header.extend(parks.iter().map(|p| format!("main_chain.{p}")));
    header.extend(["changed_main_chains", "message", "plan", "tied_main_chains"].map(String::from));
    w.write_record(&header)?;
    for v in &s.variants {
        let mut rec = vec![
            v.index.to_string(),
            v.name.clone(),
            v.status.to_string(),
            csv_num(v.objective),
            csv_num(v.output_value),
            csv_num(v.reuse_value),
            csv_num(v.gap),
        ];
        rec.extend(
            parks
                .iter()
                .map(|p| v.main_chains.get(*p).cloned().unwrap_or_default()),
        );
        rec.push(
            v.changed_main_chains
                .as_ref()
                .map(|c| {
                    c.iter()
                        .map(|(p, c)| format!("{p}={c}"))
                        .collect::<Vec<_>>()
                        .join(";")
                })
                .unwrap_or_default(),
        );
        rec.push(v.message.clone().unwrap_or_default());
        rec.push(v.plan.clone().unwrap_or_default());
        rec.push(
            v.tie
                .as_ref()
                .map(|t| {
                    t.main_chains
                        .iter()
                        .map(|(p, c)| format!("{p}={c}"))
                        .collect::<Vec<_>>()
                        .join(";")
                })
                .unwrap_or_default(),
        );
        w.write_record(&rec)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::sweep::VariantSummary;
    use crate::solver::SolveStatus;

    fn summary() -> Summary {
        let row = |index: usize, name: &str, status, main: &[(&str, &str)]| VariantSummary {
            name: name.into(),
            status,
            objective: (status == VariantStatus::OPTIMAL).then_some(10.0 + index as f64),
            output_value: (status == VariantStatus::OPTIMAL).then_some(9.5),
            reuse_value: (status == VariantStatus::OPTIMAL).then_some(0.5),
            main_chains: main
                .iter()
                .map(|(p, c)| (p.to_string(), c.to_string()))
                .collect(),
            changed_main_chains: None,
            gap: None,
            tie: None,
            stopped_by: None,
            message: (status != VariantStatus::OPTIMAL).then(|| "no plan".to_string()),
            plan: None,
            not_written: None,
            index,
        };
        let mut s = Summary {
            problem: Some("Two parks".into()),
            batch: "0".into(),
            total: 3,
            shard: None,
            variants: vec![
                row(0, "base", VariantStatus::OPTIMAL, &[("a", "x"), ("b", "y")]),
                row(1, "dry", VariantStatus::OPTIMAL, &[("a", "x"), ("b", "x")]),
                row(
                    2,
                    "broken",
                    VariantStatus::Solved(SolveStatus::Infeasible),
                    &[],
                ),
            ],
        };
        s.compare_with_base();
        s
    }

    #[test]
    fn the_table_shows_what_each_variant_changes_and_why_one_failed() {
        let t = render(&summary(), SummaryFormat::Table).unwrap();
        assert!(t.contains("b → x"), "{t}");
        assert!(t.contains("+1.000"), "{t}");
        assert!(t.contains("(the base plan)"), "{t}");
        assert!(t.contains("base main chains: a=x, b=y"), "{t}");
        assert!(t.contains("broken: infeasible — no plan"), "{t}");
        assert!(t.contains("2 optimal, 1 infeasible"), "{t}");
    }

    #[test]
    fn csv_has_a_column_per_park_and_json_round_trips() {
        let c = render(&summary(), SummaryFormat::Csv).unwrap();
        let mut lines = c.lines();
        assert_eq!(
            lines.next().unwrap(),
            "index,name,status,objective,output_value,reuse_value,gap,main_chain.a,main_chain.b,changed_main_chains,message,plan,tied_main_chains"
        );
        assert_eq!(lines.next().unwrap(), "0,base,optimal,10,9.5,0.5,,x,y,,,,");
        assert_eq!(
            lines.next().unwrap(),
            "1,dry,optimal,11,9.5,0.5,,x,x,b=x,,,"
        );
        let j = render(&summary(), SummaryFormat::Json).unwrap();
        let back: Summary = serde_json::from_str(&j).unwrap();
        assert_eq!(back, summary());
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        for key in [
            "name",
            "status",
            "objective",
            "output_value",
            "reuse_value",
            "main_chains",
        ] {
            assert!(v["variants"][0].get(key).is_some(), "{key}");
        }
        let y = render(&summary(), SummaryFormat::Yaml).unwrap();
        assert_eq!(serde_yaml::from_str::<Summary>(&y).unwrap(), summary());
    }
}
