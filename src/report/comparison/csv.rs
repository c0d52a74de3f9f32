//! A comparison as CSV in long form, one record per item and plan:
//! `section,item,label,unit,variant,value,base_value,delta` (`section` is a park id or `totals`;
//! for plans with periods, also `period:<name>` and `period:<name>:<park>`).

use crate::analysis::compare::{Comparison, Line, Value};

fn text(v: &Value) -> String {
    match v {
        Value::Number(x) => x.to_string(),
        Value::Text(t) => t.clone(),
        Value::Missing => String::new(),
    }
}

/// Renders a comparison as CSV.
pub fn render(c: &Comparison) -> Result<String, ::csv::Error> {
    let base = c.variants.iter().position(|v| v == &c.base).unwrap_or(0);
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "section",
        "item",
        "label",
        "unit",
        "variant",
        "value",
        "base_value",
        "delta",
    ])?;
    let mut lines = |section: &str, lines: &[Line]| -> Result<(), ::csv::Error> {
        for l in lines {
            for (i, v) in c.variants.iter().enumerate() {
                w.write_record([
                    section,
                    &l.item,
                    &l.label,
                    l.unit.as_deref().unwrap_or(""),
                    v,
                    &text(&l.values[i]),
                    &text(&l.values[base]),
                    &l.deltas[i].map(|d| d.to_string()).unwrap_or_default(),
                ])?;
            }
        }
        Ok(())
    };
    for park in &c.parks {
        lines(&park.park, &park.lines)?;
    }
    lines("totals", &c.totals)?;
    for p in &c.periods {
        lines(&format!("period:{}", p.period), &p.totals)?;
        for park in &p.parks {
            lines(&format!("period:{}:{}", p.period, park.park), &park.lines)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ::csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8"))
}
