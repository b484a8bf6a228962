//! Benchmark results drawn as SVG: requests per second as bars, latency by percentile as
//! curves, and values relative to a baseline. Pure functions from figures to an inline
//! `<svg>` string that a page embeds as it is; no web, no database.
//!
//! - Every chart is an image named by its `<title>` and summarised in one sentence by its
//!   `<desc>`; the page's table beside it holds the full figures. The title is not drawn
//!   in the SVG, where it would have to be cut short: the page shows it in the figure's
//!   `<figcaption>`, which wraps ([`Figure`]).
//! - Each chart comes in two sizes ([`Size`]): [`WIDE`], 640 units wide, for a column of
//!   about that many pixels and for print, and [`NARROW`], 360 units wide with text in
//!   proportion larger, for a phone. A page embeds both and its stylesheet shows one, so
//!   that text is never below 12 pixels where it is shown. The narrow one's ids end in
//!   `-narrow`, so both can share a page.
//! - It scales to its container: `width="100%"` and no height, so the height follows from
//!   the number of bars or curves.
//! - No text is clipped by the chart's edges, none runs into another, and no line crosses
//!   any: labels and axis titles too long for the chart are shortened with "…", their full
//!   text on hover; tick labels that crowd take a second line; gridlines run across the
//!   bars, not through the labels above them or the values beside them. Text widths are
//!   estimated without the font, erring wide.
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
pub use layout::{NARROW, Size, WIDE};

use bars::{BarChart, Row, draw_bars};
use curves::{draw_curves, plottable_points};
use format::{fmt_ratio, fmt_value};
use scale::{Scale, usable};
use summary::{Extremes, latency_summary, ratio_summary, throughput_summary};
use svg::{message_chart, no_results};

const NO_VALUE: &str = "no value";

/// A chart for a page's `<figure>`: its title, for the caption, and the chart in both
/// sizes, of which the page's stylesheet shows one. Empty when there is nothing to chart.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Figure {
    pub title: String,
    pub wide: String,
    pub narrow: String,
}

impl Figure {
    /// The chart titled `title` drawn in each size by `draw`, e.g.
    /// `Figure::draw(title, |size| throughput(size, "rps", title, &bars))`.
    pub fn draw(title: &str, draw: impl Fn(&Size) -> String) -> Figure {
        Figure {
            title: title.to_owned(),
            wide: draw(&WIDE),
            narrow: draw(&NARROW),
        }
    }

    /// No chart: the page leaves its figure out.
    pub fn is_empty(&self) -> bool {
        self.wide.is_empty() && self.narrow.is_empty()
    }
}

/// Requests/s as horizontal bars, in the order given (the caller orders them, fastest first).
pub fn throughput(size: &Size, id: &str, title: &str, bars: &[Bar]) -> String {
    let figures = bars
        .iter()
        .filter_map(|bar| Some((bar.label.as_str(), usable(bar.value)?)));
    let Some(extremes) = Extremes::of(figures) else {
        return no_results(size, id, title);
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
    draw_bars(size, id, title, &throughput_summary(&extremes), chart)
}

/// Latency percentile curves: x = percentile on a scale that spreads the tail
/// (-log10(1 - p/100): p90, p99 and p99.9 are evenly spaced), y = latency in ms from 0.
/// Points outside 0 ≤ p < 100 (p100 is infinitely far on that scale) or with a latency that
/// is not a finite, non-negative number are left out; the rest are joined in percentile order.
pub fn latency(size: &Size, id: &str, title: &str, curves: &[Curve]) -> String {
    let plotted: Vec<(&str, Vec<(f64, f64)>)> = curves
        .iter()
        .map(|curve| (curve.label.as_str(), plottable_points(curve)))
        .collect();
    let Some(desc) = latency_summary(&plotted) else {
        return no_results(size, id, title);
    };
    draw_curves(size, id, title, &desc, &plotted)
}

/// Each bar's value divided by `baseline`'s value, drawn from zero with a line at 1×,
/// labelled "1.31×"; the bar with the baseline's label is drawn hollow and marked as the
/// baseline. A baseline without a value above zero gives a chart that says so.
pub fn ratios(size: &Size, id: &str, title: &str, baseline: &Bar, bars: &[Bar]) -> String {
    if bars.is_empty() {
        return no_results(size, id, title);
    }
    let Some(base) = usable(baseline.value).filter(|v| *v > 0.0) else {
        let message = "No ratios: the baseline has no value above zero";
        let desc = format!(
            "No ratios: the baseline, {}, has no value above zero.",
            baseline.label
        );
        return message_chart(size, id, title, &desc, message);
    };
    // A huge value over a tiny baseline overflows to infinity: that is no value either.
    let ratio_of = |bar: &Bar| usable(bar.value).and_then(|v| usable(v / base));
    let figures = bars
        .iter()
        .filter_map(|bar| Some((bar.label.as_str(), ratio_of(bar)?)));
    let Some(extremes) = Extremes::of(figures) else {
        return no_results(size, id, title);
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
    draw_bars(size, id, title, &ratio_summary(baseline, &extremes), chart)
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::text::text_width;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn throughput_is_an_accessible_image_with_a_one_sentence_summary() {
        let title = "Requests per second, fortunes";
        let figure = Figure::draw(title, |size| {
            throughput(size, "rps", title, &example_bars())
        });
        // The title is the figure's caption, not text in the chart.
        assert_eq!(figure.title, title);
        for svg in [&figure.wide, &figure.narrow] {
            let doc = parse(svg);
            let (title, desc) = title_and_desc(&doc);
            assert_eq!(title, "Requests per second, fortunes");
            assert_eq!(
                desc,
                "Go + fasthttp + pgx leads with 39,947 requests per second; \
                 Actix-web + tokio-postgres + deadpool is lowest with 18,527."
            );
            assert!(with_class(&doc, "chart-title").is_empty());
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
    }

    #[test]
    fn a_figure_holds_both_sizes_with_their_own_ids_and_says_when_it_is_empty() {
        let figure = Figure::draw("T", |size| throughput(size, "rps", "T", &example_bars()));
        assert!(!figure.is_empty());
        let root = |svg: &str| {
            let doc = parse(svg);
            let svg = doc.root_element();
            (
                svg.attribute("id").map(str::to_owned),
                svg.attribute("class").map(str::to_owned),
                svg.attribute("aria-labelledby").map(str::to_owned),
                svg.attribute("viewBox").map(str::to_owned),
            )
        };
        let (wide, narrow) = (root(&figure.wide), root(&figure.narrow));
        assert_eq!(wide.0.as_deref(), Some("rps"));
        assert_eq!(narrow.0.as_deref(), Some("rps-narrow"));
        assert_eq!(wide.1.as_deref(), Some("chart chart-wide"));
        assert_eq!(narrow.1.as_deref(), Some("chart chart-narrow"));
        assert_eq!(wide.2.as_deref(), Some("rps-title rps-desc"));
        assert_eq!(
            narrow.2.as_deref(),
            Some("rps-narrow-title rps-narrow-desc")
        );
        assert!(wide.3.is_some_and(|v| v.starts_with("0 0 640 ")));
        assert!(narrow.3.is_some_and(|v| v.starts_with("0 0 360 ")));
        assert!(Figure::default().is_empty());
    }

    #[test]
    fn a_baseline_without_a_value_divides_nothing() {
        for value in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let svg = ratios(&WIDE, "r", "Ratios", &bar("Base", value), &example_bars());
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
            throughput(&WIDE, "t", "Throughput", &[]),
            latency(&WIDE, "l", "Latency", &[]),
            latency(
                &WIDE,
                "l",
                "Latency",
                &[
                    curve("No points", &[]),
                    curve("Bad", &[(100.0, 1.0), (50.0, f64::NAN)]),
                ],
            ),
            ratios(&WIDE, "r", "Ratios", &bar("Base", 1.0), &[]),
            throughput(&WIDE, "t", "Throughput", &[bar("NaN", f64::NAN)]),
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
        let svg = throughput(&WIDE, "t", "Odd figures", &bars);
        assert_finite(&svg);
        let doc = parse(&svg);
        assert_eq!(
            texts(&doc, "chart-value"),
            ["100", NO_VALUE, NO_VALUE, NO_VALUE, "0"]
        );
        assert_eq!(bar_widths(&doc).len(), 2);
        assert_eq!(bar_widths(&doc)[1], 0.0);
        let svg = ratios(&WIDE, "r", "Odd ratios", &bars[0], &bars);
        assert_finite(&svg);
        assert_eq!(
            texts(&parse(&svg), "chart-value"),
            ["1.00× (baseline)", NO_VALUE, NO_VALUE, NO_VALUE, "0.00×"]
        );
        let svg = latency(
            &WIDE,
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
        assert_eq!(
            throughput(&WIDE, "t", "T", &bars),
            throughput(&WIDE, "t", "T", &bars)
        );
        assert_eq!(
            latency(&WIDE, "l", "L", &example_curves()),
            latency(&WIDE, "l", "L", &example_curves())
        );
        assert_eq!(
            ratios(&WIDE, "r", "R", &bars[0], &bars),
            ratios(&WIDE, "r", "R", &bars[0], &bars)
        );
    }

    #[test]
    fn a_baseline_missing_from_the_bars_is_named_on_the_axis() {
        let bars = [bar("Fast", 2e9), bar("Slow", 1.0)];
        let svg = ratios(&WIDE, "r", "Ratios", &bar("Reference", 2.0), &bars);
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

    /// The narrowest each size is shown at: the wide chart in a 570-pixel column (a
    /// 1024-pixel window, beside a table), the narrow one on a phone 360 pixels wide (320
    /// for the chart; 350 on one of 390).
    const SHOWN: [(&Size, f64); 2] = [(&WIDE, 570.0), (&NARROW, 320.0)];

    const LONG: &str =
        "Actix-web 4.9 + Diesel 2.2 + Askama 0.12 + deadpool-postgres (release, LTO, 4 workers)";

    /// Charts with long labels, long axis titles, many bars and curves, crowded ticks,
    /// values next to gridlines and to the 1× line, and nothing to draw.
    fn hard_cases(size: &Size) -> Vec<String> {
        let bars = example_bars();
        let mut long = example_bars();
        long.push(bar(LONG, 12_345.0));
        long.push(bar(
            "漢字のラベル、とても長い名前のフレームワークとデータベースドライバ",
            3.0,
        ));
        long.push(bar("Not a number", f64::NAN));
        let many: Vec<Bar> = (0..15)
            .map(|i| {
                bar(
                    &format!("Setup {i} with a name"),
                    1000.0 * (15 - i) as f64 + 0.5,
                )
            })
            .collect();
        // Values just short of a tick, their text over the next gridline; a ratio of 0.95,
        // its text over the 1× line.
        let near = [
            bar("a", 39_000.0),
            bar("b", 19_500.0),
            bar("c", 9_900.0),
            bar("d", 0.0),
        ];
        let close = [bar("Base", 100.0), bar("Close", 95.0), bar("Far", 300.0)];
        let huge = [bar("Fast", 2e9), bar("Slow", 1.0)];
        let most = [bar("", f64::MAX), bar("Tiny", f64::MIN_POSITIVE)];
        let mut curves = example_curves();
        curves.push(curve(LONG, &[(0.0, 0.2), (50.0, 1.0), (99.9999, 19.0)]));
        curves.push(curve("No points", &[]));
        curves.push(curve("Seventh", &[(50.0, 3.0), (99.0, 12.5)]));
        let tail = [curve("wrk2", &[(0.0, 0.2), (50.0, 1.0), (99.9999, 9.0)])];
        vec![
            throughput(size, "t", "T", &bars),
            throughput(size, "t", "T", &long),
            throughput(size, "t", "T", &many),
            throughput(size, "t", "T", &near),
            throughput(size, "t", "T", &huge),
            throughput(size, "t", "T", &most),
            throughput(size, "t", "T", &[]),
            ratios(size, "r", "R", &bars[1], &bars),
            ratios(size, "r", "R", &long[3], &long),
            ratios(size, "r", "R", &bar(LONG, 5.0), &long),
            ratios(size, "r", "R", &close[0], &close),
            ratios(size, "r", "R", &bar("Reference", 2.0), &huge),
            ratios(size, "r", "R", &bar("Zero", 0.0), &bars),
            ratios(size, "r", "R", &many[14], &many),
            latency(size, "l", "L", &example_curves()),
            latency(size, "l", "L", &curves),
            latency(size, "l", "L", &tail),
            latency(
                size,
                "l",
                "L",
                &[curve("Slow", &[(50.0, 1234.5), (99.9, 98_765.0)])],
            ),
        ]
    }

    #[test]
    fn text_stays_inside_the_chart_apart_off_lines_and_12_pixels_high_at_both_sizes() {
        for (size, shown) in SHOWN {
            for svg in hard_cases(size) {
                let problems = layout_problems(&svg, shown);
                assert!(problems.is_empty(), "{problems:#?}\n{svg}");
            }
        }
    }

    #[test]
    fn a_long_axis_title_is_shortened_only_when_it_cannot_fit_and_its_whole_text_is_on_hover() {
        for size in [&WIDE, &NARROW] {
            let bars = example_bars();
            let svg = ratios(size, "r", "R", &bars[2], &bars);
            let doc = parse(&svg);
            let title = "× baseline (Actix-web + tokio-postgres + deadpool)";
            let shown = &texts(&doc, "chart-axis-title")[0];
            if text_width(title, size.text) <= size.width - 2.0 * size.margin {
                assert_eq!(shown, title);
            } else {
                assert!(shown.ends_with('…') && title.starts_with(shown.trim_end_matches('…')));
                let hover = with_class(&doc, "chart-axis-title")[0]
                    .parent()
                    .and_then(|g| g.children().find(|n| n.has_tag_name("title")))
                    .and_then(|n| n.text());
                assert_eq!(hover, Some(title));
            }
            // Never clipped: its box is inside the chart, whatever the size.
            assert!(layout_problems(&svg, size.width).is_empty());
        }
        let svg = ratios(&NARROW, "r", "R", &bar(LONG, 5.0), &example_bars());
        let doc = parse(&svg);
        let shown = &texts(&doc, "chart-axis-title")[0];
        assert!(
            shown.starts_with("× baseline (Actix-web 4.9") && shown.ends_with('…'),
            "{shown}"
        );
    }

    #[test]
    fn gridlines_run_across_the_bars_and_stop_short_of_labels_and_values() {
        let bars = [bar("a", 39_000.0), bar("b", 19_500.0), bar("c", 9_900.0)];
        for size in [&WIDE, &NARROW] {
            let svg = throughput(size, "t", "T", &bars);
            let doc = parse(&svg);
            // Five ticks, each drawn across the bars whose values are clear of it.
            assert_eq!(gridline_xs(&doc).len(), 5);
            let boxes = text_boxes(&doc);
            let label_boxes: Vec<_> = boxes
                .iter()
                .filter(|(text, _)| ["a", "b", "c"].contains(&text.as_str()))
                .collect();
            assert_eq!(label_boxes.len(), 3);
            let grid = with_class(&doc, "chart-grid");
            for line in &grid {
                for (_, label) in &label_boxes {
                    let (top, bottom) = (number(line, "y1"), number(line, "y2"));
                    assert!(bottom <= label.top || top >= label.bottom, "{svg}");
                }
            }
            // "39,000" sits over the 40k gridline's place in the first row: the gridline
            // skips that row and crosses the other two.
            let at_40k = gridline_xs(&doc)[4];
            let pieces = grid
                .iter()
                .filter(|n| number(n, "x1") == at_40k && number(n, "y2") > number(n, "y1") + 5.0)
                .count();
            assert_eq!(pieces, 2, "{svg}");
            assert!(layout_problems(&svg, size.width).is_empty());
        }
    }

    #[test]
    fn the_narrow_chart_has_larger_text_for_its_width_and_stays_deterministic() {
        let bars = example_bars();
        let wide = throughput(&WIDE, "t", "T", &bars);
        let narrow = throughput(&NARROW, "t", "T", &bars);
        const {
            assert!(NARROW.text / NARROW.width > WIDE.text / WIDE.width);
            assert!(NARROW.tick / NARROW.width > WIDE.tick / WIDE.width);
            // At 350 pixels the narrow chart's smallest text is above 12 pixels, where the
            // wide chart's would be 9.
            assert!(NARROW.tick * 350.0 / NARROW.width >= 12.0);
            assert!(WIDE.tick * 350.0 / WIDE.width < 12.0);
        }
        assert_ne!(wide, narrow);
        assert_eq!(narrow, throughput(&NARROW, "t", "T", &bars));
        for size in [&WIDE, &NARROW] {
            assert_eq!(
                latency(size, "l", "L", &example_curves()),
                latency(size, "l", "L", &example_curves())
            );
            assert_eq!(
                ratios(size, "r", "R", &bars[0], &bars),
                ratios(size, "r", "R", &bars[0], &bars)
            );
        }
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
            for (size, svg) in [&WIDE, &NARROW].into_iter().flat_map(|size| [
                (size, throughput(size, "t", "Throughput", &bars)),
                (size, latency(size, "l", "Latency", &curves)),
                (size, ratios(size, "r", "Ratios", &baseline, &bars)),
            ]) {
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
                    prop_assert!((0.0..=size.width).contains(&width));
                }
            }
        }

        #[test]
        fn any_figures_and_labels_keep_text_apart_inside_and_off_lines(
            bars in any_bars(any::<String>()),
            curves in any_curves(any::<String>()),
            pick in any::<prop::sample::Index>(),
        ) {
            let baseline = pick_baseline(&bars, pick);
            for (size, shown) in SHOWN {
                for svg in [
                    throughput(size, "t", "Throughput", &bars),
                    latency(size, "l", "Latency", &curves),
                    ratios(size, "r", "Ratios", &baseline, &bars),
                ] {
                    let problems = layout_problems(&svg, shown);
                    prop_assert!(problems.is_empty(), "{:#?}\n{}", problems, svg);
                }
            }
        }
    }
}
