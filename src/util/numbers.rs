//! Numbers and units as parkplan writes them, in one place for every output: tables, sentences,
//! exact figures in messages, CSV cells and deltas.

/// A number for tables: three decimals, thousands with one.
pub fn fmt_num(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1000.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// A table cell for a value that may be missing (`–`).
pub fn fmt_opt(v: Option<f64>) -> String {
    v.map(fmt_num).unwrap_or_else(|| "–".into())
}

/// A number for a sentence: four significant digits, trailing zeros dropped (`0.6`, `3.2`,
/// `1.333`, `1235` for 1234.6).
pub fn fmt_amount(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return if v.is_finite() {
            "0".into()
        } else {
            v.to_string()
        };
    }
    let digits = (3 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{v:.digits$}");
    let s = if s.contains('.') {
        trim_zeros(&s).to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// A number for messages that must be exact enough to check by hand: up to 6 significant
/// decimals, no trailing zeros, scientific notation outside [1e-4, 1e6).
pub fn fmt_exact(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let s = if v.abs() >= 1e6 || v.abs() < 1e-4 {
        format!("{v:.6e}")
    } else {
        format!("{v:.6}")
    };
    match s.split_once('e') {
        Some((m, e)) => format!("{}e{e}", trim_zeros(m)),
        None => trim_zeros(&s).to_string(),
    }
}

/// A CSV cell: the number in full precision, empty when missing.
pub fn csv_num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// A delta for people: `+1.25`, `−0.5` (a true minus sign), empty when there is no change.
pub fn fmt_delta(d: Option<f64>) -> String {
    match d {
        Some(d) if d.abs() > 1e-9 => {
            let s = fmt_num(d.abs());
            if d > 0.0 {
                format!("+{s}")
            } else {
                format!("−{s}")
            }
        }
        _ => String::new(),
    }
}

/// A unit label as people write it: `km2` → `km²`, `Mm3/yr` → `Mm³/yr`.
pub fn pretty_unit(unit: &str) -> String {
    unit.replace("km2", "km²").replace("m3", "m³")
}

fn trim_zeros(s: &str) -> &str {
    s.trim_end_matches('0').trim_end_matches('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_like_a_planner_writes_them() {
        assert_eq!(fmt_amount(0.6), "0.6");
        assert_eq!(fmt_amount(3.2), "3.2");
        assert_eq!(fmt_amount(4.0 / 3.0), "1.333");
        assert_eq!(fmt_amount(80.0), "80");
        assert_eq!(fmt_amount(1234.6), "1235");
        assert_eq!(fmt_amount(0.0), "0");
        assert_eq!(fmt_amount(-2.5), "-2.5");
        assert_eq!(fmt_amount(0.000123456), "0.000123");
    }

    #[test]
    fn units_get_their_superscripts() {
        assert_eq!(pretty_unit("km2"), "km²");
        assert_eq!(pretty_unit("Mm3/yr"), "Mm³/yr");
        assert_eq!(pretty_unit("bn CNY"), "bn CNY");
    }

    #[test]
    fn table_numbers_keep_three_decimals_below_a_thousand() {
        assert_eq!(fmt_num(0.0), "0");
        assert_eq!(fmt_num(1.5), "1.500");
        assert_eq!(fmt_num(-2457.14), "-2457.1");
        assert_eq!(fmt_opt(None), "–");
    }

    #[test]
    fn exact_numbers_drop_trailing_zeros() {
        assert_eq!(fmt_exact(141.105828), "141.105828");
        assert_eq!(fmt_exact(2.5), "2.5");
        assert_eq!(fmt_exact(1.0e7), "1e7");
        assert_eq!(fmt_exact(0.00001234), "1.234e-5");
    }

    #[test]
    fn deltas_use_a_true_minus_sign() {
        assert_eq!(fmt_delta(Some(1.25)), "+1.250");
        assert_eq!(fmt_delta(Some(-0.5)), "−0.500");
        assert_eq!(fmt_delta(Some(0.0)), "");
        assert_eq!(fmt_delta(None), "");
    }
}
