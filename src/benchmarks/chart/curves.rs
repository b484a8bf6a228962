//! Latency curves: percentile on a scale that spreads the tail, milliseconds from 0, each
//! curve with its own colour, dash and marker, and a legend.

use super::axis::{Plot, arrange_ticks, axis_below, axis_line, x_axis};
use super::curve_style::{CURVE_STYLES, draw_marker};
use super::data::Curve;
use super::format::{fmt_percentile, fmt_value, num};
use super::layout::Size;
use super::scale::{Scale, usable};
use super::svg::{Tag, path, svg};
use super::text::{ASCENT, CENTRE_TO_BASELINE, DESCENT, fit, text_width};

/// A curve's points that have a place on the chart, in percentile order.
pub(super) fn plottable_points(curve: &Curve) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = curve
        .points
        .iter()
        .filter(|(p, _)| *p >= 0.0 && percentile_x(*p).is_finite())
        // abs() turns a -0 percentile, which passes `>= 0.0`, into one that prints as p0.
        .filter_map(|(p, ms)| Some((p.abs(), usable(*ms)?)))
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points
}

/// Where a percentile sits on the x axis: tails spread out, one unit per "nine"
/// (p90 at 1, p99 at 2, p99.9 at 3).
fn percentile_x(percentile: f64) -> f64 {
    -(1.0 - percentile / 100.0).log10()
}

/// Ticks on the percentile axis, those within the data's range drawn (HdrHistogram output
/// goes to p99.9999). p25 is left out: it would crowd p0 and p50 on a scale that spreads
/// the tail.
const PERCENTILE_TICKS: [f64; 10] = [
    0.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 99.999, 99.9999,
];
/// The legend's sample of each curve's line, in ems of the text.
const LEGEND_SAMPLE: f64 = 2.5;

pub(super) fn draw_curves(
    size: &Size,
    id: &str,
    title: &str,
    desc: &str,
    curves: &[(&str, Vec<(f64, f64)>)],
) -> String {
    let (text, tick) = (size.text, size.tick);
    let points = || curves.iter().flat_map(|(_, points)| points.iter());
    // The axis always shows p50 to p99.9, so charts of one page compare at a glance and a
    // tail that was not measured shows as such; it stretches for points outside.
    let (x_low, x_high) = points().map(|(p, _)| percentile_x(*p)).fold(
        (percentile_x(50.0), percentile_x(99.9)),
        |(low, high), x| (low.min(x), high.max(x)),
    );
    let percentiles: Vec<f64> = PERCENTILE_TICKS
        .into_iter()
        .filter(|p| (x_low - 1e-9..=x_high + 1e-9).contains(&percentile_x(*p)))
        .collect();
    let y_scale = Scale::nice(points().map(|(_, ms)| *ms).fold(0.0, f64::max));
    let y_labels: Vec<(f64, String)> = y_scale.ticks().map(|t| (t, y_scale.label(t))).collect();
    let widest_y_label = y_labels
        .iter()
        .map(|(_, label)| text_width(label, tick))
        .fold(0.0, f64::max);
    // The latency axis's title, turned on its side, has its baseline here: its letters
    // reach left to the margin. Tick labels start right of it.
    let y_title_x = size.margin + ASCENT * text;
    // Room above the top tick label, centred on the plot's top.
    let top = (ASCENT - CENTRE_TO_BASELINE + 0.3) * tick;
    // Half of the last percentile label, centred on the axis's end.
    let last_label = percentiles
        .last()
        .map_or(0.0, |p| text_width(&fmt_percentile(*p), tick) / 2.0);
    let plot = Plot {
        left: y_title_x + (DESCENT + 0.4) * text + widest_y_label + 0.45 * tick,
        right: size.width - size.margin - last_label,
        top,
        bottom: top + size.plot_height,
    };
    let x = |percentile: f64| {
        plot.left + (percentile_x(percentile) - x_low) / (x_high - x_low) * plot.width()
    };
    let y = |ms: f64| plot.bottom - ms / y_scale.max * size.plot_height;
    let ticks = arrange_ticks(
        size,
        percentiles
            .iter()
            .map(|p| (x(*p), fmt_percentile(*p)))
            .collect(),
    );
    let legend_row = 1.7 * text;
    let legend_top = plot.bottom + axis_below(size, &ticks) + (ASCENT + 0.2) * text;
    let height =
        legend_top + (curves.len() as f64 - 1.0).max(0.0) * legend_row + (DESCENT + 0.3) * text;

    svg(size, id, title, desc, height, |out| {
        for (value, label) in &y_labels {
            let at = y(*value);
            Tag::new(out, "line")
                .attr("class", "chart-grid")
                .num("x1", plot.left - 0.3 * tick)
                .num("y1", at)
                .num("x2", plot.right)
                .num("y2", at)
                .attr("stroke", "currentColor")
                .attr("stroke-opacity", "0.25")
                .empty();
            Tag::new(out, "text")
                .attr("class", "chart-tick")
                .num("x", plot.left - 0.45 * tick)
                .num("y", at + tick * CENTRE_TO_BASELINE)
                .attr("text-anchor", "end")
                .num("font-size", tick)
                .text(label);
        }
        // Gridlines up through the plot, where there is no text.
        let through_plot = |_| vec![(plot.top, plot.bottom)];
        x_axis(out, size, &plot, &ticks, through_plot, "Percentile");
        axis_line(out, plot.left, plot.top, plot.left, plot.bottom);
        let middle = (plot.top + plot.bottom) / 2.0;
        Tag::new(out, "text")
            .attr("class", "chart-axis-title")
            .num("x", y_title_x)
            .num("y", middle)
            .attr(
                "transform",
                &format!("rotate(-90 {} {})", num(y_title_x), num(middle)),
            )
            .attr("text-anchor", "middle")
            .text("Latency (ms)");

        for (i, (label, points)) in curves.iter().enumerate() {
            let style = &CURVE_STYLES[i % CURVE_STYLES.len()];
            let hover = points
                .iter()
                .map(|(p, ms)| format!("{} {} ms", fmt_percentile(*p), fmt_value(*ms)))
                .collect::<Vec<_>>()
                .join(", ");
            Tag::new(out, "g")
                .attr("class", "chart-curve")
                .children(|out| {
                    Tag::new(out, "title").text(&format!("{label}: {hover}"));
                    if points.len() > 1 {
                        let corners: Vec<(f64, f64)> =
                            points.iter().map(|(p, ms)| (x(*p), y(*ms))).collect();
                        Tag::new(out, "path")
                            .attr("d", &path(&corners))
                            .attr("fill", "none")
                            .attr("stroke", style.colour)
                            .attr("stroke-width", "2.5")
                            .attr("stroke-dasharray", style.dash)
                            .attr("stroke-linejoin", "round")
                            .empty();
                    }
                    for (p, ms) in points {
                        draw_marker(out, style, x(*p), y(*ms));
                    }
                });
        }

        // The legend takes the chart's whole width, from the margin, for long labels.
        let sample = LEGEND_SAMPLE * text;
        let sample_left = size.margin;
        let text_x = sample_left + sample + 0.45 * text;
        for (i, (label, points)) in curves.iter().enumerate() {
            let style = &CURVE_STYLES[i % CURVE_STYLES.len()];
            let baseline = legend_top + i as f64 * legend_row;
            let middle = baseline - text * CENTRE_TO_BASELINE;
            let shown = if points.is_empty() {
                format!("{label} (no data)")
            } else {
                (*label).to_owned()
            };
            Tag::new(out, "g")
                .attr("class", "chart-legend")
                .children(|out| {
                    Tag::new(out, "title").text(&shown);
                    Tag::new(out, "line")
                        .num("x1", sample_left)
                        .num("y1", middle)
                        .num("x2", sample_left + sample)
                        .num("y2", middle)
                        .attr("stroke", style.colour)
                        .attr("stroke-width", "2.5")
                        .attr("stroke-dasharray", style.dash)
                        .empty();
                    draw_marker(out, style, sample_left + sample / 2.0, middle);
                    Tag::new(out, "text")
                        .num("x", text_x)
                        .num("y", baseline)
                        .text(&fit(&shown, text, size.width - size.margin - text_x));
                });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::latency;
    use super::super::layout::WIDE;
    use super::super::testing::*;
    use super::*;

    #[test]
    fn latency_has_percentile_and_millisecond_axes() {
        let svg = latency(&WIDE, "lat", "Latency, fortunes", &example_curves());
        let doc = parse(&svg);
        let (title, desc) = title_and_desc(&doc);
        assert_eq!(title, "Latency, fortunes");
        assert_eq!(
            desc,
            "At p99, Axum + sqlx is lowest with 1.33 ms and \
             Actix-web + tokio-postgres + deadpool highest with 4.5 ms."
        );
        assert_eq!(
            texts(&doc, "chart-axis-title"),
            ["Percentile", "Latency (ms)"]
        );
        let ticks = texts(&doc, "chart-tick");
        assert_eq!(ticks[..6], ["0", "1", "2", "3", "4", "5"]);
        assert_eq!(ticks[6..], ["p50", "p75", "p90", "p95", "p99", "p99.9"]);
    }

    #[test]
    fn the_percentile_axis_spreads_the_tail_evenly() {
        let svg = latency(&WIDE, "lat", "Latency", &example_curves());
        let doc = parse(&svg);
        let x_of = |label: &str| {
            let tick = with_class(&doc, "chart-tick")
                .into_iter()
                .find(|n| n.text() == Some(label))
                .unwrap_or_else(|| panic!("no tick {label}"));
            number(&tick, "x")
        };
        let nine = x_of("p99") - x_of("p90");
        assert!(nine > 100.0);
        assert!((x_of("p99.9") - x_of("p99") - nine).abs() < 1e-5);
        assert!(
            (x_of("p90") - x_of("p50") - nine * percentile_x(90.0) + nine * percentile_x(50.0))
                .abs()
                < 1e-5
        );
    }

    #[test]
    fn latency_points_are_placed_by_percentile_and_milliseconds() {
        let svg = latency(
            &WIDE,
            "lat",
            "Latency",
            &[curve("One", &[(99.0, 4.0), (50.0, 2.0)])],
        );
        let doc = parse(&svg);
        let circles: Vec<(f64, f64)> = with_class(&doc, "chart-curve")[0]
            .children()
            .filter(|n| n.has_tag_name("circle"))
            .map(|n| (number(&n, "cx"), number(&n, "cy")))
            .collect();
        let axis = |label: &str| {
            with_class(&doc, "chart-tick")
                .into_iter()
                .find(|n| n.text() == Some(label))
                .map(|n| (number(&n, "x"), number(&n, "y")))
                .unwrap_or_else(|| panic!("no tick {label}"))
        };
        // Sorted by percentile; x on the percentile ticks, y on the millisecond ticks
        // (whose labels sit a third of their size below the gridline).
        assert_eq!(circles.len(), 2);
        assert!((circles[0].0 - axis("p50").0).abs() < 1e-6);
        assert!((circles[1].0 - axis("p99").0).abs() < 1e-6);
        let y_of = |label: &str| axis(label).1 - WIDE.tick * CENTRE_TO_BASELINE;
        assert!((circles[0].1 - y_of("2")).abs() < 1e-6);
        assert!((circles[1].1 - y_of("4")).abs() < 1e-6);
    }

    #[test]
    fn a_long_tail_stretches_the_percentile_axis() {
        let tail = curve("wrk2", &[(0.0, 0.2), (50.0, 1.0), (99.9999, 9.0)]);
        let svg = latency(&WIDE, "l", "Tail", &[tail]);
        let doc = parse(&svg);
        let ticks = texts(&doc, "chart-tick");
        let percentiles: Vec<&str> = ticks
            .iter()
            .filter(|t| t.starts_with('p'))
            .map(String::as_str)
            .collect();
        assert_eq!(
            percentiles,
            [
                "p0", "p50", "p75", "p90", "p95", "p99", "p99.9", "p99.99", "p99.999", "p99.9999"
            ]
        );
        assert_eq!(
            title_and_desc(&doc).1,
            "wrk2: from 0.2 ms at p0 to 9 ms at p99.9999."
        );
        // Nothing is drawn beyond the axis's end.
        let right = with_class(&doc, "chart-axis")
            .iter()
            .map(|n| number(n, "x2"))
            .fold(0.0, f64::max);
        for marker in with_class(&doc, "chart-marker") {
            assert!(number(&marker, "cx") <= right + 1e-9);
        }
    }
}
