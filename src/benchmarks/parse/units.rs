//! wrk's units, which wrk prints and TechEmpower copies into its JSON.

/// A wrk duration (`620.04us`, `1.33ms`, `2.00s`, `1.50m`, `1.00h`) in milliseconds.
pub(super) fn wrk_time_ms(text: &str) -> Option<f64> {
    let (number, unit) = number_and_unit(text)?;
    // Shifting the decimal point in the text rather than multiplying keeps `2.01s` 2010 ms,
    // where 2.01 × 1000 would be 2009.9999999999998.
    let (power_of_ten, factor) = match unit {
        "us" => (-3, 1.0),
        "ms" => (0, 1.0),
        "s" => (3, 1.0),
        "m" => (3, 60.0),
        "h" => (3, 3_600.0),
        _ => return None,
    };
    let ms: f64 = format!("{number}e{power_of_ten}").parse().ok()?;
    Some(ms * factor).filter(|ms| ms.is_finite())
}

/// Whether `text` is a wrk count: a number with an optional SI suffix (`736.60`, `103.44k`).
pub(super) fn is_wrk_count(text: &str) -> bool {
    number_and_unit(text).is_some_and(|(_, unit)| ["", "k", "M", "G", "T", "P"].contains(&unit))
}

/// Whether `text` is a wrk size: a number with a binary unit (`0.00B`, `14.55MB`).
pub(super) fn is_wrk_size(text: &str) -> bool {
    number_and_unit(text)
        .is_some_and(|(_, unit)| ["B", "KB", "MB", "GB", "TB", "PB"].contains(&unit))
}

/// `12.5ms` → ("12.5", "ms"): a number as wrk prints them (digits and a point) and its unit.
fn number_and_unit(text: &str) -> Option<(&str, &str)> {
    let number = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = text.strip_prefix(number)?;
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let points = number.chars().filter(|&c| c == '.').count();
    (digits > 0 && points <= 1 && digits + points == number.len()).then_some((number, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_units_are_read() {
        assert_eq!(wrk_time_ms("620.04us"), Some(0.62004));
        assert_eq!(wrk_time_ms("1.33ms"), Some(1.33));
        assert_eq!(wrk_time_ms("2.01s"), Some(2010.0));
        assert_eq!(wrk_time_ms("1.50m"), Some(90_000.0));
        assert_eq!(wrk_time_ms("2h"), Some(7_200_000.0));
        let too_long = format!("{}s", "9".repeat(400));
        for bad in [
            "", "ms", "1.2", "1.2.3ms", "-1ms", "+1ms", "1e3ms", "NaNms", "infs", "1 ms", "1.2xs",
            &too_long,
        ] {
            assert_eq!(wrk_time_ms(bad), None, "{bad}");
        }
        assert!(is_wrk_count("736.60") && is_wrk_count("103.44k") && is_wrk_count("1.00G"));
        assert!(!is_wrk_count("1.00KB") && !is_wrk_count("-nan"));
        assert!(is_wrk_size("0.00B") && is_wrk_size("146.28MB"));
        assert!(!is_wrk_size("146.28") && !is_wrk_size("146.28K"));
    }
}
