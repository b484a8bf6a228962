//! Counts and figures as the JSON files give them, and counts added up.

use std::fmt;

/// A count in a JSON file (requests, errors, passes): a whole number, zero or more. JSON
/// writers in JavaScript may print a whole number as `12.0`, which is accepted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Count(pub(super) i64);

impl<'de> serde::Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountVisitor;

        impl serde::de::Visitor<'_> for CountVisitor {
            type Value = Count;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a count (a whole number, zero or more)")
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Count, E> {
                i64::try_from(value)
                    .map(Count)
                    .map_err(|_| E::custom(format!("{value} is too large a count")))
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Count, E> {
                if value < 0 {
                    return Err(E::custom(format!("{value} is negative; a count cannot be")));
                }
                Ok(Count(value))
            }

            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Count, E> {
                // Beyond 2^53 a float no longer holds whole numbers exactly.
                if value.fract() != 0.0 || !(0.0..=9_007_199_254_740_992.0).contains(&value) {
                    return Err(E::custom(format!(
                        "{value} is not a count (a whole number, zero or more)"
                    )));
                }
                Ok(Count(value as i64))
            }
        }

        deserializer.deserialize_any(CountVisitor)
    }
}

/// A measured figure in a JSON file (a rate, a latency): a number, zero or more.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Figure(pub(super) f64);

impl<'de> serde::Deserialize<'de> for Figure {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FigureVisitor;

        impl serde::de::Visitor<'_> for FigureVisitor {
            type Value = Figure;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, zero or more")
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Figure, E> {
                Ok(Figure(value as f64))
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Figure, E> {
                self.visit_f64(value as f64)
            }

            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Figure, E> {
                // JSON has no NaN or infinity, but a huge exponent still reads as infinite.
                if !value.is_finite() || value < 0.0 {
                    return Err(E::custom(format!(
                        "{value} cannot be: the figure must be zero or more"
                    )));
                }
                Ok(Figure(value))
            }
        }

        deserializer.deserialize_any(FigureVisitor)
    }
}

/// Adds counts up, or says they overflow (only a forged file has such counts).
pub(super) fn sum(counts: impl IntoIterator<Item = i64>) -> Option<i64> {
    counts.into_iter().try_fold(0_i64, i64::checked_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_whole_numbers_zero_or_more() {
        let count = |json: &str| {
            serde_json::from_str::<Count>(json)
                .map(|Count(n)| n)
                .map_err(|e| e.to_string())
        };
        assert_eq!(count("12"), Ok(12));
        assert_eq!(count("12.0"), Ok(12));
        assert_eq!(count("0"), Ok(0));
        assert!(count("-1").unwrap_err().contains("negative"));
        assert!(count("1.5").is_err());
        assert!(count("1e300").is_err());
        assert!(
            count("18446744073709551615")
                .unwrap_err()
                .contains("too large")
        );
        assert!(count("\"12\"").is_err());
        let figure = |json: &str| {
            serde_json::from_str::<Figure>(json)
                .map(|Figure(n)| n)
                .map_err(|e| e.to_string())
        };
        assert_eq!(figure("0"), Ok(0.0));
        assert_eq!(figure("1.5"), Ok(1.5));
        assert!(figure("-0.1").is_err());
        assert!(figure("null").is_err());
    }
}
