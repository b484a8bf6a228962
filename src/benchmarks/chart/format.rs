//! Numbers as a chart writes them: values, ratios, percentiles, decimals and coordinates.

/// The fewest decimals, up to 6, that write `step` exactly: none for 5, two for 0.25.
pub(super) fn fewest_decimals(step: f64) -> usize {
    (0..6)
        .find(|&d| {
            let shifted = step * 10f64.powi(d);
            (shifted - shifted.round()).abs() < 1e-6
        })
        .map_or(6, |d| d as usize)
}

/// A value next to its bar or in a sentence: whole numbers from 100, two decimals below,
/// three below 1, and scientific notation from 10¹⁵, where digits stop being readable.
pub(super) fn fmt_value(value: f64) -> String {
    if value == 0.0 {
        "0".to_owned()
    } else if value >= 1e15 {
        format!("{value:.2e}")
    } else if value >= 100.0 {
        fmt_decimal(value, 0)
    } else if value >= 1.0 {
        fmt_decimal(value, 2)
    } else if value >= 0.001 {
        fmt_decimal(value, 3)
    } else {
        "<0.001".to_owned()
    }
}

/// "1.31×": always two decimals, so ratios line up and 1.00× reads as exactly the baseline.
pub(super) fn fmt_ratio(ratio: f64) -> String {
    if ratio >= 100.0 {
        format!("{}×", fmt_value(ratio))
    } else if ratio > 0.0 && ratio < 0.005 {
        "<0.01×".to_owned()
    } else {
        format!("{ratio:.2}×")
    }
}

/// "p99.9"; decimals enough for p99.9999.
pub(super) fn fmt_percentile(percentile: f64) -> String {
    format!("p{}", fmt_decimal(percentile, 4))
}

/// A non-negative number with at most `decimals` decimals, trailing zeros dropped and
/// thousands separated: 39946.7 with 0 is "39,947".
pub(super) fn fmt_decimal(value: f64, decimals: usize) -> String {
    let fixed = format!("{value:.decimals$}");
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    let fraction = fraction.trim_end_matches('0');
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// A coordinate: at most six decimals (so bar lengths keep their proportions to a part in a
/// million), no trailing zeros, never NaN or -0.
pub(super) fn num(value: f64) -> String {
    let mut out = String::new();
    write_num(&mut out, value);
    out
}

/// [`num`], written at the end of `out`. A chart writes thousands of coordinates: they are
/// written as whole millionths, since integers format cheaply where a float's fixed decimals
/// do not.
pub(super) fn write_num(out: &mut String, value: f64) {
    use std::fmt::Write;
    let millionths = (value * 1e6).round();
    // Beyond 2^53 millionths (9 billion), whole numbers are no longer exact as floats.
    if !millionths.is_finite() || millionths.abs() >= 9e15 {
        let fixed = if value.is_finite() {
            format!("{value:.6}")
        } else {
            String::new()
        };
        let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
        out.push_str(if trimmed.is_empty() { "0" } else { trimmed });
        return;
    }
    let millionths = millionths as i64;
    if millionths < 0 {
        out.push('-');
    }
    let magnitude = millionths.unsigned_abs();
    let (whole, mut fraction) = (magnitude / 1_000_000, magnitude % 1_000_000);
    // Writing to a String cannot fail.
    let _ = write!(out, "{whole}");
    if fraction > 0 {
        let mut digits = 6;
        while fraction % 10 == 0 {
            fraction /= 10;
            digits -= 1;
        }
        let _ = write!(out, ".{fraction:0digits$}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_with_bounded_decimals() {
        assert_eq!(fmt_value(39_946.7), "39,947");
        assert_eq!(fmt_value(1_234_567.0), "1,234,567");
        assert_eq!(fmt_value(2.731), "2.73");
        assert_eq!(fmt_value(4.5), "4.5");
        assert_eq!(fmt_value(0.5812), "0.581");
        assert_eq!(fmt_value(1e-9), "<0.001");
        assert_eq!(fmt_value(0.0), "0");
        assert_eq!(fmt_value(2e20), "2.00e20");
        assert_eq!(fmt_ratio(1.3079), "1.31×");
        assert_eq!(fmt_ratio(1.0), "1.00×");
        assert_eq!(fmt_ratio(0.001), "<0.01×");
        assert_eq!(fmt_ratio(1e9), "1,000,000,000×");
        assert_eq!(num(-1e-9), "0");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(-2.5), "-2.5");
        assert_eq!(num(0.000001), "0.000001");
        assert_eq!(num(0.05), "0.05");
        assert_eq!(num(1_000_000.0), "1000000");
        assert_eq!(num(12.3456789), "12.345679");
        let huge = num(1e300);
        assert!(
            huge.len() == 301 && huge.starts_with("1000000000000000"),
            "{huge}"
        );
        assert_eq!(num(f64::INFINITY), "0");
        assert_eq!(num(123.4500001), "123.45");
        assert_eq!(num(f64::NAN), "0");
    }
}
