//! The value axis: from 0 to a round maximum in round steps, and the figures that have a
//! place on it.

use super::format::{fewest_decimals, fmt_decimal};

/// A figure that can be drawn: finite and not negative (no count of requests or
/// milliseconds is). -0 becomes 0, which would otherwise print as "-0".
pub(super) fn usable(value: f64) -> Option<f64> {
    (value.is_finite() && value >= 0.0).then_some(value.abs())
}

/// An axis from 0 to `max` in steps of 1, 2, 2.5 or 5 × 10ⁿ, so that ticks fall on round
/// numbers.
#[derive(Debug, PartialEq)]
pub(super) struct Scale {
    pub(super) max: f64,
    step: f64,
}

impl Scale {
    /// The smallest such axis that holds `data_max`, in 3 to 5 steps.
    pub(super) fn nice(data_max: f64) -> Scale {
        if data_max <= 0.0 {
            // All zeros still need an axis for their (empty) bars to sit on.
            return Scale {
                max: 1.0,
                step: 0.2,
            };
        }
        let rough = data_max / 5.0;
        let magnitude = 10f64.powf(rough.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0]
            .into_iter()
            .map(|m| m * magnitude)
            // Less a hair, so that 1e-5 / 5 = 2.0000000000000003e-6 still takes a step of 2e-6.
            .find(|step| *step >= rough * (1.0 - 1e-9))
            .unwrap_or(10.0 * magnitude);
        // Less a hair again, so that 1e-5 / 2e-6 = 5.000000000000001 does not add a step.
        let max = (data_max / step - 1e-9).ceil() * step;
        if max.is_finite() && max > 0.0 && step > 0.0 {
            Scale { max, step }
        } else {
            // Near f64::MAX the round maximum overflows; below 1e-300 the step underflows.
            // One step from 0 to the data's maximum still draws every bar in proportion.
            Scale {
                max: data_max,
                step: data_max,
            }
        }
    }

    pub(super) fn ticks(&self) -> impl Iterator<Item = f64> + use<> {
        let step = self.step;
        let count = (self.max / step).round() as usize;
        (0..=count).map(move |i| i as f64 * step)
    }

    /// A tick's label: every tick of an axis with the same decimals and unit, thousands
    /// separated, with a k or M suffix from 10,000 up, and in scientific notation beyond
    /// what those can write briefly.
    pub(super) fn label(&self, value: f64) -> String {
        if value == 0.0 {
            return "0".to_owned();
        }
        if !(1e-3..1e12).contains(&self.max) {
            return format!("{value:.1e}");
        }
        let (divisor, suffix) = if self.max >= 1e6 {
            (1e6, "M")
        } else if self.max >= 1e4 {
            (1e3, "k")
        } else {
            (1.0, "")
        };
        let decimals = fewest_decimals(self.step / divisor);
        format!("{}{suffix}", fmt_decimal(value / divisor, decimals))
    }
}

#[cfg(test)]
mod tests {
    use super::super::layout::WIDE;
    use super::super::testing::*;
    use super::super::throughput;
    use super::*;

    #[test]
    fn nice_scales_step_by_1_2_2_5_or_5_times_a_power_of_ten() {
        let cases = [
            (39_947.0, 40_000.0, 10_000.0),
            (4.5, 5.0, 1.0),
            (12.0, 12.5, 2.5),
            (0.7, 0.8, 0.2),
            (0.3, 0.3, 0.1),
            (1.0, 1.0, 0.2),
            (101.0, 125.0, 25.0),
            (1e9, 1e9, 2e8),
            (0.0, 1.0, 0.2),
        ];
        for (data_max, max, step) in cases {
            let scale = Scale::nice(data_max);
            assert!(
                (scale.max - max).abs() < max * 1e-12 && (scale.step - step).abs() < step * 1e-12,
                "{data_max}: {scale:?}"
            );
            assert!(scale.max >= data_max * (1.0 - 1e-9));
        }
    }

    #[test]
    fn tick_labels_share_decimals_and_take_separators_or_suffixes() {
        let labels = |data_max: f64| {
            let scale = Scale::nice(data_max);
            scale.ticks().map(|t| scale.label(t)).collect::<Vec<_>>()
        };
        assert_eq!(
            labels(4_900.0),
            ["0", "1,000", "2,000", "3,000", "4,000", "5,000"]
        );
        assert_eq!(labels(1.2), ["0", "0.25", "0.5", "0.75", "1", "1.25"]);
        assert_eq!(labels(1.6), ["0", "0.5", "1", "1.5", "2"]);
        assert_eq!(labels(0.9), ["0", "0.2", "0.4", "0.6", "0.8", "1"]);
        assert_eq!(
            labels(240_000.0),
            ["0", "50k", "100k", "150k", "200k", "250k"]
        );
        assert_eq!(labels(1e9), ["0", "200M", "400M", "600M", "800M", "1,000M"]);
        assert_eq!(labels(2.2e6), ["0", "0.5M", "1M", "1.5M", "2M", "2.5M"]);
        assert_eq!(labels(f64::MAX), ["0", "1.8e308"]);
        assert_eq!(
            labels(1e-5),
            ["0", "2.0e-6", "4.0e-6", "6.0e-6", "8.0e-6", "1.0e-5"]
        );
    }

    #[test]
    fn all_zero_values_sit_on_a_unit_axis() {
        let svg = throughput(&WIDE, "z", "Zeros", &[bar("a", 0.0), bar("b", -0.0)]);
        let doc = parse(&svg);
        assert_eq!(bar_widths(&doc), [0.0, 0.0]);
        assert_eq!(texts(&doc, "chart-value"), ["0", "0"]);
        assert_eq!(
            texts(&doc, "chart-tick"),
            ["0", "0.2", "0.4", "0.6", "0.8", "1"]
        );
        assert_eq!(title_and_desc(&doc).1, "All 2 have 0 requests per second.");
    }
}
