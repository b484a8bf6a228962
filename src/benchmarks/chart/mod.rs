//! Benchmark results drawn as SVG: requests per second as bars, latency by percentile as
//! curves, and values relative to a baseline. Pure functions from figures to an inline
//! `<svg>` string that a page embeds as it is; no web, no database.
//!
//! - Every chart is an image named by its `<title>` and summarised in one sentence by its
//!   `<desc>`; the page's table beside it holds the full figures.
//! - It scales to its container: a `viewBox` 640 units wide, `width="100%"` and no height,
//!   so the height follows from the number of bars or curves.
//! - Text and axes are `currentColor`, so they follow the page's colour scheme; curves
//!   differ by dash and marker as well as colour, so a black-and-white print tells them
//!   apart. Elements carry classes (`chart-bar`, `chart-curve`, `chart-tick`…, prefixed so that the
//!   site's own classes never reach them) for the stylesheet to restyle.
//! - Presentation attributes only: the Content-Security-Policy refuses inline styles.
//! - Whatever the figures (none, NaN, infinite, negative, huge, tiny), the output is
//!   well-formed, has no NaN in it and is the same bytes for the same input. A figure that
//!   cannot be drawn keeps its row, marked "no value", rather than being drawn as 0.

mod axis;
mod bars;
mod curve_style;
mod curves;
mod data;
mod format;
mod layout;
mod scale;
mod summary;
mod svg;
#[cfg(test)]
mod testing;
mod text;

pub use data::{Bar, Curve};

use bars::{BarChart, Row, draw_bars};
use curves::{draw_curves, plottable_points};
use format::{fmt_ratio, fmt_value};
use scale::{Scale, usable};
use summary::{Extremes, latency_summary, ratio_summary, throughput_summary};
use svg::{message_chart, no_results};

const NO_VALUE: &str = "no value";

/// Requests/s as horizontal bars, in the order given (the caller orders them, fastest first).
pub fn throughput(id: &str, title: &str, bars: &[Bar]) -> String {
    let figures = bars
        .iter()
        .filter_map(|bar| Some((bar.label.as_str(), usable(bar.value)?)));
    let Some(extremes) = Extremes::of(figures) else {
        return no_results(id, title);
    };
    let rows = bars
        .iter()
        .map(|bar| {
            let value = usable(bar.value);
            let long = value.map_or_else(
                || NO_VALUE.to_owned(),
                |v| format!("{} requests per second", fmt_value(v)),
            );
            Row {
                label: &bar.label,
                value,
                shown: value.map_or_else(|| NO_VALUE.to_owned(), fmt_value),
                hover: format!("{}: {long}", bar.label),
                baseline: false,
            }
        })
        .collect();
    let chart = BarChart {
        rows,
        scale: Scale::nice(extremes.high.1),
        tick_suffix: "",
        axis_title: "Requests per second".to_owned(),
        reference: None,
    };
    draw_bars(id, title, &throughput_summary(&extremes), chart)
}

/// Latency percentile curves: x = percentile on a scale that spreads the tail
/// (-log10(1 - p/100): p90, p99 and p99.9 are evenly spaced), y = latency in ms from 0.
/// Points outside 0 ≤ p < 100 (p100 is infinitely far on that scale) or with a latency that
/// is not a finite, non-negative number are left out; the rest are joined in percentile order.
pub fn latency(id: &str, title: &str, curves: &[Curve]) -> String {
    let plotted: Vec<(&str, Vec<(f64, f64)>)> = curves
        .iter()
        .map(|curve| (curve.label.as_str(), plottable_points(curve)))
        .collect();
    let Some(desc) = latency_summary(&plotted) else {
        return no_results(id, title);
    };
    draw_curves(id, title, &desc, &plotted)
}

/// Each bar's value divided by `baseline`'s value, drawn from zero with a line at 1×,
/// labelled "1.31×"; the bar with the baseline's label is drawn hollow and marked as the
/// baseline. A baseline without a value above zero gives a chart that says so.
pub fn ratios(id: &str, title: &str, baseline: &Bar, bars: &[Bar]) -> String {
    if bars.is_empty() {
        return no_results(id, title);
    }
    let Some(base) = usable(baseline.value).filter(|v| *v > 0.0) else {
        let message = "No ratios: the baseline has no value above zero";
        let desc = format!(
            "No ratios: the baseline, {}, has no value above zero.",
            baseline.label
        );
        return message_chart(id, title, &desc, message);
    };
    // A huge value over a tiny baseline overflows to infinity: that is no value either.
    let ratio_of = |bar: &Bar| usable(bar.value).and_then(|v| usable(v / base));
    let figures = bars
        .iter()
        .filter_map(|bar| Some((bar.label.as_str(), ratio_of(bar)?)));
    let Some(extremes) = Extremes::of(figures) else {
        return no_results(id, title);
    };
    let rows = bars
        .iter()
        .map(|bar| {
            let ratio = ratio_of(bar);
            let is_baseline = bar.label == baseline.label;
            let mut shown = ratio.map_or_else(|| NO_VALUE.to_owned(), fmt_ratio);
            if is_baseline {
                shown.push_str(" (baseline)");
            }
            let hover = match ratio {
                Some(ratio) if !is_baseline => {
                    format!("{}: {} {}", bar.label, fmt_ratio(ratio), baseline.label)
                }
                _ => format!("{}: {shown}", bar.label),
            };
            Row {
                label: &bar.label,
                value: ratio,
                shown,
                hover,
                baseline: is_baseline,
            }
        })
        .collect();
    let chart = BarChart {
        rows,
        // The axis always reaches 1×, so the reference line is on it.
        scale: Scale::nice(extremes.high.1.max(1.0)),
        tick_suffix: "×",
        axis_title: format!("× baseline ({})", baseline.label),
        reference: Some((1.0, "1×")),
    };
    draw_bars(id, title, &ratio_summary(baseline, &extremes), chart)
}

#[cfg(test)]
mod tests {
    use super::layout::WIDTH;
    use super::testing::*;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn throughput_is_an_accessible_image_with_a_one_sentence_summary() {
        let svg = throughput("rps", "Requests per second, fortunes", &example_bars());
        let doc = parse(&svg);
        let (title, desc) = title_and_desc(&doc);
        assert_eq!(title, "Requests per second, fortunes");
        assert_eq!(
            desc,
            "Go + fasthttp + pgx leads with 39,947 requests per second; \
             Actix-web + tokio-postgres + deadpool is lowest with 18,527."
        );
        assert_eq!(
            texts(&doc, "chart-title"),
            ["Requests per second, fortunes"]
        );
        assert_eq!(
            texts(&doc, "chart-label"),
            [
                "Go + fasthttp + pgx",
                "Actix-web + Diesel + Askama",
                "Actix-web + tokio-postgres + deadpool"
            ]
        );
        assert_eq!(texts(&doc, "chart-value"), ["39,947", "36,735", "18,527"]);
    }

    #[test]
    fn a_baseline_without_a_value_divides_nothing() {
        for value in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let svg = ratios("r", "Ratios", &bar("Base", value), &example_bars());
            let doc = parse(&svg);
            let (_, desc) = title_and_desc(&doc);
            assert_eq!(
                desc,
                "No ratios: the baseline, Base, has no value above zero."
            );
            assert!(bar_widths(&doc).is_empty());
            assert_finite(&svg);
        }
    }

    #[test]
    fn empty_inputs_say_no_results() {
        let charts = [
            throughput("t", "Throughput", &[]),
            latency("l", "Latency", &[]),
            latency(
                "l",
                "Latency",
                &[
                    curve("No points", &[]),
                    curve("Bad", &[(100.0, 1.0), (50.0, f64::NAN)]),
                ],
            ),
            ratios("r", "Ratios", &bar("Base", 1.0), &[]),
            throughput("t", "Throughput", &[bar("NaN", f64::NAN)]),
        ];
        for svg in charts {
            let doc = parse(&svg);
            assert_eq!(title_and_desc(&doc).1, "No results.");
            assert_eq!(texts(&doc, "chart-message"), ["No results"]);
        }
    }

    #[test]
    fn figures_that_cannot_be_drawn_keep_their_row_without_a_bar() {
        let bars = [
            bar("Good", 100.0),
            bar("Not a number", f64::NAN),
            bar("Infinite", f64::INFINITY),
            bar("Negative", -5.0),
            bar("Zero", 0.0),
        ];
        let svg = throughput("t", "Odd figures", &bars);
        assert_finite(&svg);
        let doc = parse(&svg);
        assert_eq!(
            texts(&doc, "chart-value"),
            ["100", NO_VALUE, NO_VALUE, NO_VALUE, "0"]
        );
        assert_eq!(bar_widths(&doc).len(), 2);
        assert_eq!(bar_widths(&doc)[1], 0.0);
        let svg = ratios("r", "Odd ratios", &bars[0], &bars);
        assert_finite(&svg);
        assert_eq!(
            texts(&parse(&svg), "chart-value"),
            ["1.00× (baseline)", NO_VALUE, NO_VALUE, NO_VALUE, "0.00×"]
        );
        let svg = latency(
            "l",
            "Odd points",
            &[curve(
                "Mixed",
                &[
                    (50.0, 1.0),
                    (f64::NAN, 1.0),
                    (100.0, 2.0),
                    (101.0, 2.0),
                    (-1.0, 1.0),
                    (99.0, f64::INFINITY),
                    (99.0, 3.0),
                ],
            )],
        );
        assert_finite(&svg);
        assert_eq!(
            title_and_desc(&parse(&svg)).1,
            "Mixed: from 1 ms at p50 to 3 ms at p99."
        );
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let bars = example_bars();
        assert_eq!(throughput("t", "T", &bars), throughput("t", "T", &bars));
        assert_eq!(
            latency("l", "L", &example_curves()),
            latency("l", "L", &example_curves())
        );
        assert_eq!(
            ratios("r", "R", &bars[0], &bars),
            ratios("r", "R", &bars[0], &bars)
        );
    }

    #[test]
    fn a_baseline_missing_from_the_bars_is_named_on_the_axis() {
        let bars = [bar("Fast", 2e9), bar("Slow", 1.0)];
        let svg = ratios("r", "Ratios", &bar("Reference", 2.0), &bars);
        assert_finite(&svg);
        let doc = parse(&svg);
        assert!(with_class(&doc, "chart-baseline").is_empty());
        assert_eq!(texts(&doc, "chart-axis-title"), ["× baseline (Reference)"]);
        assert_eq!(texts(&doc, "chart-value"), ["1,000,000,000×", "0.50×"]);
        assert_eq!(
            texts(&doc, "chart-tick"),
            ["0×", "200M×", "400M×", "600M×", "800M×", "1,000M×"]
        );
        let hover: Vec<&str> = with_class(&doc, "chart-row")
            .iter()
            .filter_map(|g| g.first_element_child()?.text())
            .collect();
        assert_eq!(
            hover,
            ["Fast: 1,000,000,000× Reference", "Slow: 0.50× Reference"]
        );
        assert_proportional(&bar_widths(&doc), &[1e9, 0.5]);
    }

    proptest! {
        #[test]
        fn any_values_give_no_nan_or_infinity(
            // Labels without N or i, so that "NaN" or "inf" can only come from a number.
            bars in any_bars("[^Ni]{0,40}".prop_map(String::from)),
            curves in any_curves("[^Ni]{0,40}".prop_map(String::from)),
            pick in any::<prop::sample::Index>(),
        ) {
            let baseline = pick_baseline(&bars, pick);
            for svg in [
                throughput("t", "Throughput", &bars),
                latency("l", "Latency", &curves),
                ratios("r", "Ratios", &baseline, &bars),
            ] {
                prop_assert!(!svg.contains("NaN") && !svg.contains("inf"), "{}", svg);
                let doc = parse(&svg);
                let coordinates = ["x", "y", "width", "height", "x1", "x2", "y1", "y2", "cx", "cy"];
                for node in doc.descendants().filter(|n| !n.has_tag_name("svg")) {
                    for value in coordinates.iter().filter_map(|a| node.attribute(*a)) {
                        let number: f64 = value.parse().unwrap_or(f64::NAN);
                        prop_assert!(number.is_finite() && number.abs() <= 1e4, "{}", value);
                    }
                }
                for width in bar_widths(&doc) {
                    prop_assert!((0.0..=WIDTH).contains(&width));
                }
            }
        }
    }
}
