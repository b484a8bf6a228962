//! Horizontal bar charts: a row for each bar, its label above it and its value after it.

use super::axis::{AXIS_BELOW, Plot, x_axis};
use super::format::num;
use super::layout::{BAR_COLOUR, MARGIN, TEXT_SIZE, TICK_SIZE, TITLE_BASELINE, WIDTH};
use super::scale::Scale;
use super::svg::{Tag, svg};
use super::text::{CENTRE_TO_BASELINE, fit, text_width};

/// A horizontal bar chart, whatever the bars measure.
pub(super) struct BarChart<'a> {
    pub(super) rows: Vec<Row<'a>>,
    pub(super) scale: Scale,
    /// After every tick label: "×" on the ratio axis.
    pub(super) tick_suffix: &'static str,
    pub(super) axis_title: String,
    /// A line drawn across the bars at this value, with its label above the plot.
    pub(super) reference: Option<(f64, &'static str)>,
}

pub(super) struct Row<'a> {
    pub(super) label: &'a str,
    /// None for a figure that cannot be drawn: the row stays, without a bar.
    pub(super) value: Option<f64>,
    /// Next to the bar.
    pub(super) shown: String,
    /// The full label and figure, shown on hover: the label on the chart may be truncated.
    pub(super) hover: String,
    /// Drawn hollow: the bar the others are divided by.
    pub(super) baseline: bool,
}

/// Each row is a label above its bar, so labels can take the full width, which matters
/// more on a phone than the height it costs.
const ROW_HEIGHT: f64 = 54.0;
const BAR_HEIGHT: f64 = 20.0;
/// From a row's top to its label's baseline, and to its bar's top.
const ROW_LABEL_BASELINE: f64 = 19.0;
const ROW_BAR_TOP: f64 = 27.0;
/// Between a bar's end and its value.
const VALUE_GAP: f64 = 6.0;

pub(super) fn draw_bars(id: &str, title: &str, desc: &str, chart: BarChart) -> String {
    let scale = &chart.scale;
    let tick_labels: Vec<(f64, String)> = scale
        .ticks()
        .map(|t| (t, format!("{}{}", scale.label(t), chart.tick_suffix)))
        .collect();
    // The values right of the longest bar, and the last tick label centred on the axis's
    // end, must fit inside the chart.
    let right_room = chart
        .rows
        .iter()
        .map(|row| VALUE_GAP + text_width(&row.shown, TEXT_SIZE))
        .chain(
            tick_labels
                .iter()
                .map(|(_, label)| text_width(label, TICK_SIZE) / 2.0),
        )
        .fold(0.0, f64::max);
    // Room above the bars for the reference line's label.
    let top = TITLE_BASELINE
        + if chart.reference.is_some() {
            42.0
        } else {
            18.0
        };
    let plot = Plot {
        left: MARGIN,
        right: WIDTH - MARGIN - right_room,
        top,
        bottom: top + chart.rows.len() as f64 * ROW_HEIGHT,
    };
    let x = |value: f64| plot.left + value / scale.max * plot.width();

    svg(id, title, desc, plot.bottom + AXIS_BELOW, |out| {
        let ticks = tick_labels
            .iter()
            .map(|(value, label)| (x(*value), label.as_str()));
        // No vertical axis line: the bars' common start is the zero, and a line there would
        // run into the first letter of every label.
        x_axis(out, &plot, ticks, &chart.axis_title);

        for (i, row) in chart.rows.iter().enumerate() {
            let row_top = plot.top + i as f64 * ROW_HEIGHT;
            let bar_top = row_top + ROW_BAR_TOP;
            Tag::new(out, "g")
                .attr("class", "chart-row")
                .children(|out| {
                    Tag::new(out, "title").text(&row.hover);
                    Tag::new(out, "text")
                        .attr("class", "chart-label")
                        .num("x", plot.left)
                        .num("y", row_top + ROW_LABEL_BASELINE)
                        .text(&fit(row.label, TEXT_SIZE, WIDTH - 2.0 * MARGIN));
                    let end = row.value.map_or(plot.left, x);
                    if let Some(value) = row.value {
                        let bar = Tag::new(out, "rect")
                            .num("x", plot.left)
                            .num("y", bar_top)
                            .num("width", x(value) - plot.left)
                            .num("height", BAR_HEIGHT);
                        if row.baseline {
                            // Hollow: told apart from the others without colour.
                            bar.attr("class", "chart-bar chart-baseline")
                                .attr("fill", "none")
                                .attr("stroke", BAR_COLOUR)
                                .attr("stroke-width", "2")
                                .empty();
                        } else {
                            bar.attr("class", "chart-bar")
                                .attr("fill", BAR_COLOUR)
                                .empty();
                        }
                    }
                    Tag::new(out, "text")
                        .attr("class", "chart-value")
                        .num("x", end + VALUE_GAP)
                        .num(
                            "y",
                            bar_top + BAR_HEIGHT / 2.0 + TEXT_SIZE * CENTRE_TO_BASELINE,
                        )
                        .text(&row.shown);
                });
        }

        if let Some((value, label)) = chart.reference {
            let at = x(value);
            // Drawn across the bars only, not through the labels above them: a short
            // stroke under its label, then one across each bar.
            let mut d = format!("M{} {}V{}", num(at), num(plot.top - 14.0), num(plot.top));
            for i in 0..chart.rows.len() {
                let bar_top = plot.top + i as f64 * ROW_HEIGHT + ROW_BAR_TOP;
                d.push_str(&format!(
                    " M{} {}V{}",
                    num(at),
                    num(bar_top - 5.0),
                    num(bar_top + BAR_HEIGHT + 5.0)
                ));
            }
            Tag::new(out, "path")
                .attr("class", "chart-reference")
                .attr("d", &d)
                .attr("stroke", "currentColor")
                .attr("stroke-width", "2")
                .attr("stroke-dasharray", "5 3")
                .empty();
            Tag::new(out, "text")
                .attr("class", "chart-reference-label")
                .num("x", at)
                .num("y", plot.top - 20.0)
                .attr("text-anchor", "middle")
                .num("font-size", TICK_SIZE)
                .text(label);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{Bar, ratios, throughput};
    use super::*;

    #[test]
    fn throughput_axis_has_its_unit_and_round_ticks_in_thousands() {
        let svg = throughput("rps", "Fortunes", &example_bars());
        let doc = parse(&svg);
        assert_eq!(texts(&doc, "chart-axis-title"), ["Requests per second"]);
        assert_eq!(texts(&doc, "chart-tick"), ["0", "10k", "20k", "30k", "40k"]);
    }

    #[test]
    fn bars_are_proportional_to_values_from_zero_on_the_axis() {
        let bars = example_bars();
        let svg = throughput("rps", "Fortunes", &bars);
        let doc = parse(&svg);
        let widths = bar_widths(&doc);
        let values: Vec<f64> = bars.iter().map(|b| b.value).collect();
        assert_proportional(&widths, &values);
        // Each bar starts on the zero gridline and is value / axis max of the plot's width.
        let grid = with_class(&doc, "chart-grid");
        let (zero, max) = (number(&grid[0], "x1"), number(&grid[4], "x1"));
        for (rect, value) in with_class(&doc, "chart-bar").iter().zip(&values) {
            assert_eq!(number(rect, "x"), zero);
            let expected = value / 40_000.0 * (max - zero);
            assert!((number(rect, "width") - expected).abs() < 1e-5);
        }
    }

    #[test]
    fn ratios_are_labelled_against_the_baseline_and_drawn_from_zero() {
        let bars = example_bars();
        let svg = ratios("ratio", "Relative throughput", &bars[1], &bars);
        let doc = parse(&svg);
        let (_, desc) = title_and_desc(&doc);
        assert_eq!(
            desc,
            "Relative to Actix-web + Diesel + Askama (36,735), Go + fasthttp + pgx is highest \
             at 1.09× and Actix-web + tokio-postgres + deadpool lowest at 0.50×."
        );
        assert_eq!(
            texts(&doc, "chart-value"),
            ["1.09×", "1.00× (baseline)", "0.50×"]
        );
        let baseline = with_class(&doc, "chart-baseline");
        assert_eq!(baseline.len(), 1);
        assert_eq!(baseline[0].attribute("fill"), Some("none"));
        assert_eq!(
            texts(&doc, "chart-axis-title"),
            ["× baseline (Actix-web + Diesel + Askama)"]
        );
        assert_eq!(
            texts(&doc, "chart-tick"),
            ["0×", "0.25×", "0.5×", "0.75×", "1×", "1.25×"]
        );
        let widths = bar_widths(&doc);
        assert_proportional(&widths, &[39_947.0, 36_735.0, 18_527.0]);
        // The 1× line runs through the end of the baseline's bar.
        let reference = with_class(&doc, "chart-reference")[0]
            .attribute("d")
            .unwrap_or_default();
        let end = number(&baseline[0], "x") + number(&baseline[0], "width");
        let xs: Vec<f64> = reference
            .split('M')
            .skip(1)
            .filter_map(|stroke| stroke.split(' ').next()?.parse().ok())
            .collect();
        assert_eq!(
            xs.len(),
            4,
            "under its label and across three bars: {reference}"
        );
        assert!(xs.iter().all(|x| (x - end).abs() < 1e-5), "{reference}");
        assert_eq!(texts(&doc, "chart-reference-label"), ["1×"]);
    }

    #[test]
    fn huge_tiny_and_equal_values_stay_in_proportion() {
        for values in [
            vec![1e9, 5e8, 1.0],
            vec![3e-9, 1e-9],
            vec![42.0, 42.0, 42.0],
            vec![f64::MAX, f64::MAX / 2.0],
            vec![7.0],
        ] {
            let bars: Vec<Bar> = values.iter().map(|v| bar("x", *v)).collect();
            let svg = throughput("t", "Values", &bars);
            assert_finite(&svg);
            let doc = parse(&svg);
            let widths = bar_widths(&doc);
            assert!(widths[0] > 100.0 && widths[0] <= WIDTH, "{widths:?}");
            // Bars too small to draw a part in a million of are not compared.
            let comparable = values.iter().take_while(|v| **v / values[0] > 1e-3).count();
            assert_proportional(&widths[..comparable], &values[..comparable]);
        }
        let svg = throughput("t", "Equal", &[bar("a", 42.0), bar("b", 42.0)]);
        let equal = parse(&svg);
        assert_eq!(
            title_and_desc(&equal).1,
            "All 2 have 42 requests per second."
        );
        let svg = throughput("t", "One", &[bar("a", 1e9)]);
        let one = parse(&svg);
        assert_eq!(
            title_and_desc(&one).1,
            "a has 1,000,000,000 requests per second."
        );
    }

    #[test]
    fn height_grows_with_the_number_of_bars_and_width_stays() {
        let view_box = |n: usize| {
            let bars: Vec<Bar> = (0..n)
                .map(|i| bar(&format!("Setup {i}"), (i + 1) as f64))
                .collect();
            let svg = throughput("t", "Many", &bars);
            let doc = parse(&svg);
            assert_eq!(with_class(&doc, "chart-bar").len(), n);
            doc.root_element()
                .attribute("viewBox")
                .unwrap_or_default()
                .split(' ')
                .map(|v| v.parse::<f64>().unwrap_or(f64::NAN))
                .collect::<Vec<_>>()
        };
        let (one, thirty) = (view_box(1), view_box(30));
        assert_eq!(one[..3], [0.0, 0.0, WIDTH]);
        assert_eq!(thirty[..3], [0.0, 0.0, WIDTH]);
        assert!((thirty[3] - one[3] - 29.0 * ROW_HEIGHT).abs() < 1e-9);
    }
}
