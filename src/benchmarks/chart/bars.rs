//! Horizontal bar charts: a row for each bar, its label above it and its value after it.

use super::axis::{Plot, Tick, arrange_ticks, axis_below, x_axis};
use super::format::num;
use super::layout::{BAR_COLOUR, Size};
use super::scale::Scale;
use super::svg::{Tag, svg};
use super::text::{ASCENT, CENTRE_TO_BASELINE, DESCENT, fit, text_width};

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

/// The measures of a row, in proportion to the text: its label above its bar, so that
/// labels can take the full width, which matters more on a phone than the height it costs.
struct Rows {
    /// From a row's top to its label's baseline, to its bar's top, and to the next row.
    label_baseline: f64,
    bar_top: f64,
    bar_height: f64,
    height: f64,
    /// Between a bar's end and its value.
    value_gap: f64,
}

fn row_measures(size: &Size) -> Rows {
    let text = size.text;
    Rows {
        label_baseline: text,
        bar_top: 1.5 * text,
        bar_height: 1.15 * text,
        height: 3.0 * text,
        value_gap: 0.35 * text,
    }
}

/// The reference line's label sits this far above the plot, its stroke below it.
fn reference_label_baseline(size: &Size) -> f64 {
    reference_stroke(size) + (0.15 + DESCENT) * size.tick
}

fn reference_stroke(size: &Size) -> f64 {
    0.8 * size.tick
}

pub(super) fn draw_bars(size: &Size, id: &str, title: &str, desc: &str, chart: BarChart) -> String {
    let scale = &chart.scale;
    let rows = row_measures(size);
    let text = size.text;
    let tick_labels: Vec<(f64, String)> = scale
        .ticks()
        .map(|t| (t, format!("{}{}", scale.label(t), chart.tick_suffix)))
        .collect();
    // Room above the bars for the reference line's label.
    let top = match chart.reference {
        Some(_) => reference_label_baseline(size) + (ASCENT + 0.3) * size.tick,
        None => 0.3 * text,
    };
    // The first tick label is centred on the bars' start.
    let first_tick = tick_labels
        .first()
        .map_or(0.0, |(_, label)| text_width(label, size.tick) / 2.0);
    let (left, end) = (size.margin.max(first_tick), size.width - size.margin);
    // As wide as it can be with the last tick label, centred on the axis's end, and each
    // value, right of its bar, inside the chart.
    let last_tick = tick_labels
        .last()
        .map_or(0.0, |(_, label)| text_width(label, size.tick) / 2.0);
    let width = chart
        .rows
        .iter()
        .filter_map(|row| {
            let value = row.value.filter(|v| *v > 0.0)?;
            let room = end - left - rows.value_gap - text_width(&row.shown, text);
            // Divided in this order, so that a value near f64::MAX cannot overflow.
            Some(room / (value / scale.max))
        })
        .fold(end - left - last_tick, f64::min)
        .max(1.0);
    let plot = Plot {
        left,
        right: left + width,
        top,
        bottom: top + chart.rows.len() as f64 * rows.height,
    };
    let x = |value: f64| plot.left + value / scale.max * plot.width();
    let ticks: Vec<Tick> = arrange_ticks(
        size,
        tick_labels
            .into_iter()
            .map(|(value, label)| (x(value), label))
            .collect(),
    );
    // Each value's box, from x to x: gridlines and the reference line keep out of it.
    let values: Vec<(f64, f64)> = chart
        .rows
        .iter()
        .map(|row| {
            let start = row.value.map_or(plot.left, x) + rows.value_gap;
            let clear = 0.2 * text;
            (start - clear, start + text_width(&row.shown, text) + clear)
        })
        .collect();
    // Across each bar, but not through the labels above the bars, nor the values.
    let bands = |at: f64| -> Vec<(f64, f64)> {
        values
            .iter()
            .enumerate()
            .filter(|(_, (from, to))| !(*from..=*to).contains(&at))
            .map(|(i, _)| {
                let bar_top = plot.top + i as f64 * rows.height + rows.bar_top;
                let overshoot = 0.1 * text;
                (bar_top - overshoot, bar_top + rows.bar_height + overshoot)
            })
            .collect()
    };

    let height = plot.bottom + axis_below(size, &ticks);
    svg(size, id, title, desc, height, |out| {
        // No vertical axis line: the bars' common start is the zero, and a line there would
        // run into the first letter of every label.
        x_axis(out, size, &plot, &ticks, bands, &chart.axis_title);

        for (i, row) in chart.rows.iter().enumerate() {
            let row_top = plot.top + i as f64 * rows.height;
            let bar_top = row_top + rows.bar_top;
            Tag::new(out, "g")
                .attr("class", "chart-row")
                .children(|out| {
                    Tag::new(out, "title").text(&row.hover);
                    Tag::new(out, "text")
                        .attr("class", "chart-label")
                        .num("x", plot.left)
                        .num("y", row_top + rows.label_baseline)
                        .text(&fit(row.label, text, size.width - size.margin - plot.left));
                    let end = row.value.map_or(plot.left, x);
                    if let Some(value) = row.value {
                        let bar = Tag::new(out, "rect")
                            .num("x", plot.left)
                            .num("y", bar_top)
                            .num("width", x(value) - plot.left)
                            .num("height", rows.bar_height);
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
                        .num("x", end + rows.value_gap)
                        .num(
                            "y",
                            bar_top + rows.bar_height / 2.0 + text * CENTRE_TO_BASELINE,
                        )
                        .text(&row.shown);
                });
        }

        if let Some((value, label)) = chart.reference {
            let at = x(value);
            // Drawn across the bars only, not through the labels above them nor the
            // values beside them: a short stroke under its label, then one across each bar.
            let mut d = format!(
                "M{} {}V{}",
                num(at),
                num(plot.top - reference_stroke(size)),
                num(plot.top)
            );
            for (from, to) in bands(at) {
                d.push_str(&format!(" M{} {}V{}", num(at), num(from), num(to)));
            }
            Tag::new(out, "path")
                .attr("class", "chart-reference")
                .attr("d", &d)
                .attr("stroke", "currentColor")
                .attr("stroke-width", "2")
                .attr("stroke-dasharray", "5 3")
                .empty();
            // Centred on the line, as far as the chart's edges allow.
            let half = text_width(label, size.tick) / 2.0;
            let centre = at
                .min(size.width - size.margin - half)
                .max(size.margin + half);
            Tag::new(out, "text")
                .attr("class", "chart-reference-label")
                .num("x", centre)
                .num("y", plot.top - reference_label_baseline(size))
                .attr("text-anchor", "middle")
                .num("font-size", size.tick)
                .text(label);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::layout::WIDE;
    use super::super::testing::*;
    use super::super::{Bar, ratios, throughput};
    use super::*;

    #[test]
    fn throughput_axis_has_its_unit_and_round_ticks_in_thousands() {
        let svg = throughput(&WIDE, "rps", "Fortunes", &example_bars());
        let doc = parse(&svg);
        assert_eq!(texts(&doc, "chart-axis-title"), ["Requests per second"]);
        assert_eq!(texts(&doc, "chart-tick"), ["0", "10k", "20k", "30k", "40k"]);
    }

    #[test]
    fn bars_are_proportional_to_values_from_zero_on_the_axis() {
        let bars = example_bars();
        let svg = throughput(&WIDE, "rps", "Fortunes", &bars);
        let doc = parse(&svg);
        let widths = bar_widths(&doc);
        let values: Vec<f64> = bars.iter().map(|b| b.value).collect();
        assert_proportional(&widths, &values);
        // Each bar starts on the zero gridline and is value / axis max of the plot's width.
        let grid = gridline_xs(&doc);
        let (zero, max) = (grid[0], grid[4]);
        for (rect, value) in with_class(&doc, "chart-bar").iter().zip(&values) {
            assert_eq!(number(rect, "x"), zero);
            let expected = value / 40_000.0 * (max - zero);
            assert!((number(rect, "width") - expected).abs() < 1e-5);
        }
    }

    #[test]
    fn ratios_are_labelled_against_the_baseline_and_drawn_from_zero() {
        let bars = example_bars();
        let svg = ratios(&WIDE, "ratio", "Relative throughput", &bars[1], &bars);
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
            let svg = throughput(&WIDE, "t", "Values", &bars);
            assert_finite(&svg);
            let doc = parse(&svg);
            let widths = bar_widths(&doc);
            assert!(widths[0] > 100.0 && widths[0] <= WIDE.width, "{widths:?}");
            // Bars too small to draw a part in a million of are not compared.
            let comparable = values.iter().take_while(|v| **v / values[0] > 1e-3).count();
            assert_proportional(&widths[..comparable], &values[..comparable]);
        }
        let svg = throughput(&WIDE, "t", "Equal", &[bar("a", 42.0), bar("b", 42.0)]);
        let equal = parse(&svg);
        assert_eq!(
            title_and_desc(&equal).1,
            "All 2 have 42 requests per second."
        );
        let svg = throughput(&WIDE, "t", "One", &[bar("a", 1e9)]);
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
            let svg = throughput(&WIDE, "t", "Many", &bars);
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
        assert_eq!(one[..3], [0.0, 0.0, WIDE.width]);
        assert_eq!(thirty[..3], [0.0, 0.0, WIDE.width]);
        assert!((thirty[3] - one[3] - 29.0 * row_measures(&WIDE).height).abs() < 1e-9);
    }
}
