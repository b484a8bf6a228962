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

/// One bar: a label and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

/// One latency curve: a label and (percentile, milliseconds) points, e.g. (50.0, 0.58),
/// (99.9, 2.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// Width of every chart in user units; heights grow with the content.
const WIDTH: f64 = 640.0;
/// Space kept clear at the left and right edges.
const MARGIN: f64 = 16.0;
const TITLE_SIZE: f64 = 19.0;
/// Labels, values and axis titles. On a phone 390 pixels wide the chart is drawn at about
/// 0.55 pixels per unit, so text has to be well above 12 units to stay readable there; in
/// a 640-pixel column on a desktop it is then a little larger than body text.
const TEXT_SIZE: f64 = 18.0;
const TICK_SIZE: f64 = 16.0;
/// Baseline of the visible title; everything else starts below it.
const TITLE_BASELINE: f64 = 28.0;
/// Contrast 5.2:1 on white and 3.5:1 on the site's dark background, so bars read in both
/// colour schemes and print dark.
const BAR_COLOUR: &str = "#2563eb";
const NO_VALUE: &str = "no value";
const NO_RESULTS: &str = "No results";

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

/// The highest and lowest of some labelled figures, first of equals, and how many there are.
struct Extremes<'a> {
    count: usize,
    high: (&'a str, f64),
    low: (&'a str, f64),
}

impl<'a> Extremes<'a> {
    /// None when there are no figures: nothing to draw.
    fn of(figures: impl IntoIterator<Item = (&'a str, f64)>) -> Option<Self> {
        figures.into_iter().fold(None, |so_far, figure| {
            Some(match so_far {
                None => Extremes {
                    count: 1,
                    high: figure,
                    low: figure,
                },
                Some(e) => Extremes {
                    count: e.count + 1,
                    high: if figure.1 > e.high.1 { figure } else { e.high },
                    low: if figure.1 < e.low.1 { figure } else { e.low },
                },
            })
        })
    }
}

fn throughput_summary(e: &Extremes) -> String {
    let ((high, high_value), (low, low_value)) = (e.high, e.low);
    let (high_value, low_value) = (fmt_value(high_value), fmt_value(low_value));
    if e.count == 1 {
        format!("{high} has {high_value} requests per second.")
    } else if high_value == low_value {
        // Compared as printed: "leads with 18,527; lowest with 18,527" would read as a mistake.
        format!("All {} have {high_value} requests per second.", e.count)
    } else {
        format!(
            "{high} leads with {high_value} requests per second; {low} is lowest with {low_value}."
        )
    }
}

fn ratio_summary(baseline: &Bar, e: &Extremes) -> String {
    let against = format!(
        "Relative to {} ({})",
        baseline.label,
        fmt_value(baseline.value)
    );
    let ((high, high_ratio), (low, low_ratio)) = (e.high, e.low);
    let (high_ratio, low_ratio) = (fmt_ratio(high_ratio), fmt_ratio(low_ratio));
    if e.count == 1 {
        format!("{against}, {high} is {high_ratio}.")
    } else if high_ratio == low_ratio {
        format!("{against}, all {} are {high_ratio}.", e.count)
    } else {
        format!("{against}, {high} is highest at {high_ratio} and {low} lowest at {low_ratio}.")
    }
}

/// None when no curve has a point to draw.
fn latency_summary(curves: &[(&str, Vec<(f64, f64)>)]) -> Option<String> {
    let drawn: Vec<(&str, &[(f64, f64)])> = curves
        .iter()
        .filter(|(_, points)| !points.is_empty())
        .map(|(label, points)| (*label, points.as_slice()))
        .collect();
    if let [(label, points)] = drawn.as_slice() {
        let ((p_first, first), (p_last, last)) = (points.first()?, points.last()?);
        return Some(if points.len() == 1 {
            format!(
                "{label}: {} ms at {}.",
                fmt_value(*first),
                fmt_percentile(*p_first)
            )
        } else {
            format!(
                "{label}: from {} ms at {} to {} ms at {}.",
                fmt_value(*first),
                fmt_percentile(*p_first),
                fmt_value(*last),
                fmt_percentile(*p_last)
            )
        });
    }
    let at =
        |points: &[(f64, f64)], p: f64| points.iter().find(|(q, _)| *q == p).map(|(_, ms)| *ms);
    // Curves are compared at the highest percentile they all have, like for like.
    let common = drawn
        .first()?
        .1
        .iter()
        .rev()
        .map(|(p, _)| *p)
        .find(|p| drawn.iter().all(|(_, points)| at(points, *p).is_some()));
    let Some(p) = common else {
        let all = Extremes::of(
            drawn
                .iter()
                .flat_map(|(label, points)| points.iter().map(|(_, ms)| (*label, *ms))),
        )?;
        return Some(format!(
            "{} latency curves, from {} ms to {} ms.",
            drawn.len(),
            fmt_value(all.low.1),
            fmt_value(all.high.1)
        ));
    };
    let e = Extremes::of(
        drawn
            .iter()
            .filter_map(|(label, points)| Some((*label, at(points, p)?))),
    )?;
    let ((high, high_ms), (low, low_ms)) = (e.high, e.low);
    let (high_ms, low_ms, p) = (fmt_value(high_ms), fmt_value(low_ms), fmt_percentile(p));
    Some(if high_ms == low_ms {
        format!("At {p}, all {} have {high_ms} ms.", e.count)
    } else {
        format!("At {p}, {low} is lowest with {low_ms} ms and {high} highest with {high_ms} ms.")
    })
}

/// A figure that can be drawn: finite and not negative (no count of requests or
/// milliseconds is). -0 becomes 0, which would otherwise print as "-0".
fn usable(value: f64) -> Option<f64> {
    (value.is_finite() && value >= 0.0).then_some(value.abs())
}

/// A curve's points that have a place on the chart, in percentile order.
fn plottable_points(curve: &Curve) -> Vec<(f64, f64)> {
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

/// An axis from 0 to `max` in steps of 1, 2, 2.5 or 5 × 10ⁿ, so that ticks fall on round
/// numbers.
#[derive(Debug, PartialEq)]
struct Scale {
    max: f64,
    step: f64,
}

impl Scale {
    /// The smallest such axis that holds `data_max`, in 3 to 5 steps.
    fn nice(data_max: f64) -> Scale {
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

    fn ticks(&self) -> impl Iterator<Item = f64> + use<> {
        let step = self.step;
        let count = (self.max / step).round() as usize;
        (0..=count).map(move |i| i as f64 * step)
    }

    /// A tick's label: every tick of an axis with the same decimals and unit, thousands
    /// separated, with a k or M suffix from 10,000 up, and in scientific notation beyond
    /// what those can write briefly.
    fn label(&self, value: f64) -> String {
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

/// The fewest decimals, up to 6, that write `step` exactly: none for 5, two for 0.25.
fn fewest_decimals(step: f64) -> usize {
    (0..6)
        .find(|&d| {
            let shifted = step * 10f64.powi(d);
            (shifted - shifted.round()).abs() < 1e-6
        })
        .map_or(6, |d| d as usize)
}

/// A value next to its bar or in a sentence: whole numbers from 100, two decimals below,
/// three below 1, and scientific notation from 10¹⁵, where digits stop being readable.
fn fmt_value(value: f64) -> String {
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
fn fmt_ratio(ratio: f64) -> String {
    if ratio >= 100.0 {
        format!("{}×", fmt_value(ratio))
    } else if ratio > 0.0 && ratio < 0.005 {
        "<0.01×".to_owned()
    } else {
        format!("{ratio:.2}×")
    }
}

/// "p99.9"; decimals enough for p99.9999.
fn fmt_percentile(percentile: f64) -> String {
    format!("p{}", fmt_decimal(percentile, 4))
}

/// A non-negative number with at most `decimals` decimals, trailing zeros dropped and
/// thousands separated: 39946.7 with 0 is "39,947".
fn fmt_decimal(value: f64, decimals: usize) -> String {
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
fn num(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_owned();
    }
    let fixed = format!("{value:.6}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" { "0" } else { trimmed }.to_owned()
}

/// A horizontal bar chart, whatever the bars measure.
struct BarChart<'a> {
    rows: Vec<Row<'a>>,
    scale: Scale,
    /// After every tick label: "×" on the ratio axis.
    tick_suffix: &'static str,
    axis_title: String,
    /// A line drawn across the bars at this value, with its label above the plot.
    reference: Option<(f64, &'static str)>,
}

struct Row<'a> {
    label: &'a str,
    /// None for a figure that cannot be drawn: the row stays, without a bar.
    value: Option<f64>,
    /// Next to the bar.
    shown: String,
    /// The full label and figure, shown on hover: the label on the chart may be truncated.
    hover: String,
    /// Drawn hollow: the bar the others are divided by.
    baseline: bool,
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

fn draw_bars(id: &str, title: &str, desc: &str, chart: BarChart) -> String {
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

/// The rectangle data is drawn in; axes go around it.
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Plot {
    fn width(&self) -> f64 {
        self.right - self.left
    }
}

/// Below the plot: tick labels, then the axis title.
const AXIS_BELOW: f64 = 62.0;
/// From the middle of a line of text to its baseline, in ems: to centre text on a point.
const CENTRE_TO_BASELINE: f64 = 0.35;

/// The horizontal axis along the plot's bottom: a light gridline up through the plot at
/// each tick (x, label), and the axis's title.
fn x_axis<'a>(
    out: &mut String,
    plot: &Plot,
    ticks: impl Iterator<Item = (f64, &'a str)>,
    title: &str,
) {
    for (at, label) in ticks {
        Tag::new(out, "line")
            .attr("class", "chart-grid")
            .num("x1", at)
            .num("y1", plot.top)
            .num("x2", at)
            .num("y2", plot.bottom + 5.0)
            .attr("stroke", "currentColor")
            .attr("stroke-opacity", "0.25")
            .empty();
        Tag::new(out, "text")
            .attr("class", "chart-tick")
            .num("x", at)
            .num("y", plot.bottom + 23.0)
            .attr("text-anchor", "middle")
            .num("font-size", TICK_SIZE)
            .text(label);
    }
    axis_line(out, plot.left, plot.bottom, plot.right, plot.bottom);
    Tag::new(out, "text")
        .attr("class", "chart-axis-title")
        .num("x", (plot.left + plot.right) / 2.0)
        .num("y", plot.bottom + 50.0)
        .attr("text-anchor", "middle")
        .text(&fit(title, TEXT_SIZE, WIDTH - 2.0 * MARGIN));
}

/// How each curve is told apart: colour, dash and marker, so that any one of them is enough.
struct CurveStyle {
    /// All but the page's own text colour have at least 4.5:1 contrast on white and 3:1 on
    /// the site's dark background.
    colour: &'static str,
    dash: &'static str,
    marker: Marker,
}

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Ring,
}

/// Curves beyond the sixth reuse the styles; their legend labels still tell them apart.
const CURVE_STYLES: [CurveStyle; 6] = [
    CurveStyle {
        colour: "currentColor",
        dash: "none",
        marker: Marker::Circle,
    },
    CurveStyle {
        colour: BAR_COLOUR,
        dash: "8 4",
        marker: Marker::Square,
    },
    CurveStyle {
        colour: "#c2410c",
        dash: "2 3",
        marker: Marker::Triangle,
    },
    CurveStyle {
        colour: "#0f766e",
        dash: "10 3 2 3",
        marker: Marker::Diamond,
    },
    CurveStyle {
        colour: "#9333ea",
        dash: "4 4",
        marker: Marker::TriangleDown,
    },
    CurveStyle {
        colour: "#b45309",
        dash: "12 3 2 3 2 3",
        marker: Marker::Ring,
    },
];

/// Ticks on the percentile axis, those within the data's range drawn (HdrHistogram output
/// goes to p99.9999). p25 is left out: it would crowd p0 and p50 on a scale that spreads
/// the tail.
const PERCENTILE_TICKS: [f64; 10] = [
    0.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 99.999, 99.9999,
];
/// Where the latency axis's title, turned on its side, has its baseline; tick labels
/// start right of it.
const Y_TITLE_X: f64 = 22.0;
const PLOT_HEIGHT: f64 = 280.0;
const LEGEND_ROW: f64 = 30.0;
const LEGEND_SAMPLE: f64 = 44.0;

fn draw_curves(id: &str, title: &str, desc: &str, curves: &[(&str, Vec<(f64, f64)>)]) -> String {
    let points = || curves.iter().flat_map(|(_, points)| points.iter());
    // The axis always shows p50 to p99.9, so charts of one page compare at a glance and a
    // tail that was not measured shows as such; it stretches for points outside.
    let (x_low, x_high) = points().map(|(p, _)| percentile_x(*p)).fold(
        (percentile_x(50.0), percentile_x(99.9)),
        |(low, high), x| (low.min(x), high.max(x)),
    );
    let y_scale = Scale::nice(points().map(|(_, ms)| *ms).fold(0.0, f64::max));
    let y_labels: Vec<(f64, String)> = y_scale.ticks().map(|t| (t, y_scale.label(t))).collect();
    let widest_y_label = y_labels
        .iter()
        .map(|(_, label)| text_width(label, TICK_SIZE))
        .fold(0.0, f64::max);
    let top = TITLE_BASELINE + 24.0;
    let plot = Plot {
        left: Y_TITLE_X + 14.0 + widest_y_label,
        // Half of the widest percentile label, centred on the axis's end.
        right: WIDTH - MARGIN - text_width("p99.9999", TICK_SIZE) / 2.0,
        top,
        bottom: top + PLOT_HEIGHT,
    };
    let x = |percentile: f64| {
        plot.left + (percentile_x(percentile) - x_low) / (x_high - x_low) * plot.width()
    };
    let y = |ms: f64| plot.bottom - ms / y_scale.max * PLOT_HEIGHT;
    let legend_top = plot.bottom + AXIS_BELOW + 24.0;
    let height = legend_top + curves.len() as f64 * LEGEND_ROW - 8.0;

    svg(id, title, desc, height, |out| {
        for (value, label) in &y_labels {
            let at = y(*value);
            Tag::new(out, "line")
                .attr("class", "chart-grid")
                .num("x1", plot.left - 5.0)
                .num("y1", at)
                .num("x2", plot.right)
                .num("y2", at)
                .attr("stroke", "currentColor")
                .attr("stroke-opacity", "0.25")
                .empty();
            Tag::new(out, "text")
                .attr("class", "chart-tick")
                .num("x", plot.left - 8.0)
                .num("y", at + TICK_SIZE * CENTRE_TO_BASELINE)
                .attr("text-anchor", "end")
                .num("font-size", TICK_SIZE)
                .text(label);
        }
        let percentile_labels: Vec<(f64, String)> = PERCENTILE_TICKS
            .into_iter()
            .filter(|p| (x_low - 1e-9..=x_high + 1e-9).contains(&percentile_x(*p)))
            .map(|p| (x(p), fmt_percentile(p)))
            .collect();
        let ticks = percentile_labels
            .iter()
            .map(|(at, label)| (*at, label.as_str()));
        x_axis(out, &plot, ticks, "Percentile");
        axis_line(out, plot.left, plot.top, plot.left, plot.bottom);
        let middle = (plot.top + plot.bottom) / 2.0;
        Tag::new(out, "text")
            .attr("class", "chart-axis-title")
            .num("x", Y_TITLE_X)
            .num("y", middle)
            .attr(
                "transform",
                &format!("rotate(-90 {} {})", num(Y_TITLE_X), num(middle)),
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

        for (i, (label, points)) in curves.iter().enumerate() {
            let style = &CURVE_STYLES[i % CURVE_STYLES.len()];
            let baseline = legend_top + i as f64 * LEGEND_ROW;
            let middle = baseline - TEXT_SIZE * CENTRE_TO_BASELINE;
            let text_x = plot.left + LEGEND_SAMPLE + 8.0;
            let text = if points.is_empty() {
                format!("{label} (no data)")
            } else {
                (*label).to_owned()
            };
            Tag::new(out, "g")
                .attr("class", "chart-legend")
                .children(|out| {
                    Tag::new(out, "title").text(&text);
                    Tag::new(out, "line")
                        .num("x1", plot.left)
                        .num("y1", middle)
                        .num("x2", plot.left + LEGEND_SAMPLE)
                        .num("y2", middle)
                        .attr("stroke", style.colour)
                        .attr("stroke-width", "2.5")
                        .attr("stroke-dasharray", style.dash)
                        .empty();
                    draw_marker(out, style, plot.left + LEGEND_SAMPLE / 2.0, middle);
                    Tag::new(out, "text")
                        .num("x", text_x)
                        .num("y", baseline)
                        .text(&fit(&text, TEXT_SIZE, WIDTH - MARGIN - text_x));
                });
        }
    })
}

/// Path data joining the points with straight lines.
fn path(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| {
            let command = if i == 0 { 'M' } else { 'L' };
            format!("{command}{} {}", num(*x), num(*y))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn draw_marker(out: &mut String, style: &CurveStyle, x: f64, y: f64) {
    const R: f64 = 5.0;
    let polygon = |corners: &[(f64, f64)]| {
        let shifted: Vec<(f64, f64)> = corners.iter().map(|(dx, dy)| (x + dx, y + dy)).collect();
        format!("{} Z", path(&shifted))
    };
    let marker = match style.marker {
        Marker::Circle | Marker::Ring => Tag::new(out, "circle")
            .num("cx", x)
            .num("cy", y)
            .num("r", R),
        Marker::Square => Tag::new(out, "rect")
            .num("x", x - R)
            .num("y", y - R)
            .num("width", 2.0 * R)
            .num("height", 2.0 * R),
        Marker::Triangle => Tag::new(out, "path").attr(
            "d",
            &polygon(&[(0.0, -1.2 * R), (1.1 * R, R), (-1.1 * R, R)]),
        ),
        Marker::Diamond => Tag::new(out, "path").attr(
            "d",
            &polygon(&[
                (0.0, -1.3 * R),
                (1.3 * R, 0.0),
                (0.0, 1.3 * R),
                (-1.3 * R, 0.0),
            ]),
        ),
        Marker::TriangleDown => Tag::new(out, "path").attr(
            "d",
            &polygon(&[(0.0, 1.2 * R), (1.1 * R, -R), (-1.1 * R, -R)]),
        ),
    };
    let marker = marker.attr("class", "chart-marker");
    if matches!(style.marker, Marker::Ring) {
        marker
            .attr("fill", "none")
            .attr("stroke", style.colour)
            .attr("stroke-width", "2")
            .empty();
    } else {
        marker.attr("fill", style.colour).empty();
    }
}

fn axis_line(out: &mut String, x1: f64, y1: f64, x2: f64, y2: f64) {
    Tag::new(out, "line")
        .attr("class", "chart-axis")
        .num("x1", x1)
        .num("y1", y1)
        .num("x2", x2)
        .num("y2", y2)
        .attr("stroke", "currentColor")
        .empty();
}

fn no_results(id: &str, title: &str) -> String {
    message_chart(id, title, &format!("{NO_RESULTS}."), NO_RESULTS)
}

/// A chart with nothing to draw, which says so where the drawing would be.
fn message_chart(id: &str, title: &str, desc: &str, message: &str) -> String {
    svg(id, title, desc, 110.0, |out| {
        Tag::new(out, "text")
            .attr("class", "chart-message")
            .num("x", WIDTH / 2.0)
            .num("y", 80.0)
            .attr("text-anchor", "middle")
            .text(&fit(message, TEXT_SIZE, WIDTH - 2.0 * MARGIN));
    })
}

/// The `<svg>` element around every chart: its accessible name and description, its
/// visible title, then `body`.
fn svg(id: &str, title: &str, desc: &str, height: f64, body: impl FnOnce(&mut String)) -> String {
    let id = element_id(id);
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let mut out = String::new();
    Tag::new(&mut out, "svg")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .attr("id", &id)
        .attr("class", "chart")
        .attr("viewBox", &format!("0 0 {} {}", num(WIDTH), num(height)))
        .attr("width", "100%")
        .attr("role", "img")
        .attr("aria-labelledby", &format!("{title_id} {desc_id}"))
        .attr("font-family", "system-ui, sans-serif")
        .num("font-size", TEXT_SIZE)
        .attr("fill", "currentColor")
        .children(|out| {
            Tag::new(out, "title").attr("id", &title_id).text(title);
            Tag::new(out, "desc").attr("id", &desc_id).text(desc);
            Tag::new(out, "text")
                .attr("class", "chart-title")
                .num("x", MARGIN)
                .num("y", TITLE_BASELINE)
                .num("font-size", TITLE_SIZE)
                .attr("font-weight", "bold")
                // Bold glyphs are a little wider.
                .text(&fit(title, TITLE_SIZE * 1.05, WIDTH - 2.0 * MARGIN));
            body(out);
        });
    out
}

/// The caller's prefix made safe for an id and for `aria-labelledby`, which splits on
/// spaces: anything but ASCII letters, digits, `-` and `_` becomes `-`.
fn element_id(prefix: &str) -> String {
    let id: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() {
        "chart".to_owned()
    } else {
        id
    }
}

/// Estimated width of text in user units, without the font at hand: average Latin glyphs
/// are about 0.6 em; characters of three bytes or more in UTF-8 (CJK, symbols, emoji) are
/// counted as a full em so that they err towards truncation rather than overflow.
fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().map(char_width).sum::<f64>() * font_size
}

fn char_width(c: char) -> f64 {
    if c.len_utf8() >= 3 { 1.0 } else { 0.6 }
}

/// `text`, truncated with an ellipsis when it would be wider than `max_width`.
fn fit(text: &str, font_size: f64, max_width: f64) -> String {
    if text_width(text, font_size) <= max_width {
        return text.to_owned();
    }
    let budget = max_width - text_width("…", font_size);
    let mut used = 0.0;
    let kept: String = text
        .chars()
        .take_while(|c| {
            used += char_width(*c) * font_size;
            used <= budget
        })
        .collect();
    format!("{}…", kept.trim_end())
}

/// An element being written. Attribute values and text are escaped on the way in, so no
/// label can break out of its element or the markup.
struct Tag<'o> {
    out: &'o mut String,
    name: &'static str,
}

impl<'o> Tag<'o> {
    fn new(out: &'o mut String, name: &'static str) -> Self {
        out.push('<');
        out.push_str(name);
        Tag { out, name }
    }

    fn attr(self, name: &'static str, value: &str) -> Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(self.out, value);
        self.out.push('"');
        self
    }

    fn num(self, name: &'static str, value: f64) -> Self {
        self.attr(name, &num(value))
    }

    fn empty(self) {
        self.out.push_str("/>");
    }

    fn text(self, text: &str) {
        self.children(|out| escape_into(out, text));
    }

    fn children(self, body: impl FnOnce(&mut String)) {
        self.out.push('>');
        body(self.out);
        self.out.push_str("</");
        self.out.push_str(self.name);
        self.out.push('>');
    }
}

/// Escapes the five characters special to XML and HTML, and replaces with U+FFFD the
/// characters XML does not allow at all (most control characters, U+FFFE, U+FFFF), which
/// would make the whole chart unreadable to an XML parser.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'.. => {
                out.push(c)
            }
            _ => out.push('\u{FFFD}'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use roxmltree::{Document, Node};

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.to_owned(),
            value,
        }
    }

    fn curve(label: &str, points: &[(f64, f64)]) -> Curve {
        Curve {
            label: label.to_owned(),
            points: points.to_vec(),
        }
    }

    fn example_bars() -> Vec<Bar> {
        vec![
            bar("Go + fasthttp + pgx", 39_947.0),
            bar("Actix-web + Diesel + Askama", 36_735.0),
            bar("Actix-web + tokio-postgres + deadpool", 18_527.0),
        ]
    }

    fn example_curves() -> Vec<Curve> {
        vec![
            curve("Go + fasthttp + pgx", &[(50.0, 1.51), (99.0, 2.73)]),
            curve("Actix-web + Diesel + Askama", &[(50.0, 1.67), (99.0, 3.34)]),
            curve(
                "Actix-web + tokio-postgres + deadpool",
                &[(50.0, 2.59), (99.0, 4.50)],
            ),
            curve(
                "Axum + sqlx",
                &[(50.0, 0.58), (75.0, 0.67), (90.0, 0.80), (99.0, 1.33)],
            ),
        ]
    }

    fn parse(svg: &str) -> Document<'_> {
        match Document::parse(svg) {
            Ok(doc) => doc,
            Err(e) => panic!("not well-formed XML ({e}): {svg}"),
        }
    }

    fn with_class<'a, 'i>(doc: &'a Document<'i>, class: &str) -> Vec<Node<'a, 'i>> {
        doc.descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|c| c == class))
            })
            .collect()
    }

    fn texts(doc: &Document, class: &str) -> Vec<String> {
        with_class(doc, class)
            .iter()
            .map(|n| n.text().unwrap_or_default().to_owned())
            .collect()
    }

    fn number(node: &Node, attribute: &str) -> f64 {
        let value = node.attribute(attribute).unwrap_or("missing");
        match value.parse() {
            Ok(number) => number,
            Err(_) => panic!("{attribute}={value:?} is not a number"),
        }
    }

    /// The chart's accessible name and description, checked to be wired as they should.
    fn title_and_desc(doc: &Document) -> (String, String) {
        let svg = doc.root_element();
        assert_eq!(svg.tag_name().name(), "svg");
        assert_eq!(svg.attribute("role"), Some("img"));
        assert_eq!(svg.attribute("width"), Some("100%"));
        assert_eq!(svg.attribute("height"), None);
        let ids: Vec<&str> = svg
            .attribute("aria-labelledby")
            .unwrap_or_default()
            .split(' ')
            .collect();
        let [title_id, desc_id] = ids.as_slice() else {
            panic!("aria-labelledby should name a title and a desc: {ids:?}");
        };
        let by_id = |id: &str| {
            doc.descendants()
                .find(|n| n.attribute("id") == Some(id))
                .unwrap_or_else(|| panic!("no element with id {id}"))
        };
        let (title, desc) = (by_id(title_id), by_id(desc_id));
        assert_eq!(title.tag_name().name(), "title");
        assert_eq!(desc.tag_name().name(), "desc");
        assert_eq!(title.parent(), Some(svg));
        let text = |n: Node| n.text().unwrap_or_default().to_owned();
        (text(title), text(desc))
    }

    fn bar_widths(doc: &Document) -> Vec<f64> {
        with_class(doc, "chart-bar")
            .iter()
            .map(|n| number(n, "width"))
            .collect()
    }

    fn assert_proportional(widths: &[f64], values: &[f64]) {
        assert_eq!(widths.len(), values.len());
        for (w, v) in widths.iter().zip(values) {
            let (w_ratio, v_ratio) = (w / widths[0], v / values[0]);
            assert!(
                (w_ratio - v_ratio).abs() < 1e-6,
                "widths {widths:?} are not in proportion to {values:?}"
            );
        }
    }

    /// No NaN or infinity anywhere, in coordinates or in text.
    fn assert_finite(svg: &str) {
        assert!(!svg.contains("NaN"), "{svg}");
        assert!(!svg.contains("inf"), "{svg}");
    }

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
        assert_eq!(num(123.4500001), "123.45");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn latency_has_percentile_and_millisecond_axes() {
        let svg = latency("lat", "Latency, fortunes", &example_curves());
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
        let svg = latency("lat", "Latency", &example_curves());
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
    fn curves_differ_by_dash_and_marker_not_only_colour_and_have_a_legend() {
        let svg = latency("lat", "Latency", &example_curves());
        let doc = parse(&svg);
        let curves = with_class(&doc, "chart-curve");
        assert_eq!(curves.len(), 4);
        let style = |g: &Node| {
            let path = g
                .children()
                .find(|n| n.has_tag_name("path"))
                .unwrap_or_else(|| panic!("a curve without a line"));
            let marker = g
                .children()
                .find(|n| n.attribute("class") == Some("chart-marker"))
                .unwrap_or_else(|| panic!("a curve without markers"));
            (
                path.attribute("stroke-dasharray")
                    .unwrap_or_default()
                    .to_owned(),
                marker.tag_name().name().to_owned(),
                marker.attribute("d").map(|d| d.split(' ').count()),
            )
        };
        let styles: Vec<_> = curves.iter().map(style).collect();
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a.0, b.0, "same dashes");
                assert_ne!((&a.1, a.2), (&b.1, b.2), "same markers");
            }
        }
        // Points of the curve with four of them are all marked.
        assert_eq!(
            curves[3]
                .children()
                .filter(|n| n.attribute("class") == Some("chart-marker"))
                .count(),
            4
        );
        let legend: Vec<_> = with_class(&doc, "chart-legend")
            .iter()
            .filter_map(|g| g.children().find(|n| n.has_tag_name("text")))
            .map(|n| n.text().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            legend,
            example_curves()
                .iter()
                .map(|c| c.label.clone())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn latency_points_are_placed_by_percentile_and_milliseconds() {
        let svg = latency(
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
        let y_of = |label: &str| axis(label).1 - TICK_SIZE * CENTRE_TO_BASELINE;
        assert!((circles[0].1 - y_of("2")).abs() < 1e-6);
        assert!((circles[1].1 - y_of("4")).abs() < 1e-6);
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
    fn hostile_labels_are_escaped() {
        let hostile = r#"<script>alert("x")</script> & 'y' ]]> <!-- "#;
        let bars = [bar(hostile, 10.0), bar("ok", 5.0)];
        let charts = [
            throughput(hostile, hostile, &bars),
            latency(hostile, hostile, &[curve(hostile, &[(50.0, 1.0)])]),
            ratios(hostile, hostile, &bars[0], &bars),
        ];
        for svg in charts {
            assert!(!svg.contains("<script"), "{svg}");
            let doc = parse(&svg);
            let (title, desc) = title_and_desc(&doc);
            assert_eq!(title, hostile);
            assert!(desc.contains(hostile));
            assert!(texts(&doc, "chart-title").iter().all(|t| t == hostile));
            // The id prefix cannot add ids to aria-labelledby, nor leave its attribute.
            let id = doc.root_element().attribute("id").unwrap_or_default();
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            );
        }
    }

    #[test]
    fn control_characters_xml_forbids_are_replaced() {
        let svg = throughput("c", "Nul\u{0} and \u{FFFF}", &[bar("Bell\u{7}", 1.0)]);
        let doc = parse(&svg);
        assert_eq!(title_and_desc(&doc).0, "Nul\u{FFFD} and \u{FFFD}");
    }

    #[test]
    fn long_labels_are_truncated_with_the_full_label_on_hover() {
        let long = "Actix-web 4 + Diesel 2 + Askama 0.16 + deadpool + rustls, compiled with LTO and PGO on a 64-core box";
        let svg = throughput("t", long, &[bar(long, 1.0)]);
        let doc = parse(&svg);
        let label = &texts(&doc, "chart-label")[0];
        assert!(label.ends_with('…'), "{label}");
        assert!(text_width(label, TEXT_SIZE) <= WIDTH - 2.0 * MARGIN);
        assert!(long.starts_with(label.trim_end_matches('…')));
        assert!(texts(&doc, "chart-title")[0].ends_with('…'));
        let hover = with_class(&doc, "chart-row")[0]
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap_or_default();
        assert_eq!(hover, format!("{long}: 1 requests per second"));
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

    #[test]
    fn charts_use_presentation_attributes_only_and_nothing_external() {
        let bars = example_bars();
        for svg in [
            throughput("t", "T", &bars),
            latency("l", "L", &example_curves()),
            ratios("r", "R", &bars[1], &bars),
        ] {
            let doc = parse(&svg);
            for node in doc.descendants().filter(|n| n.is_element()) {
                assert!(
                    !["style", "script", "image", "use", "a", "foreignObject"]
                        .contains(&node.tag_name().name())
                );
                for attribute in node.attributes() {
                    assert!(!["style", "href"].contains(&attribute.name()), "{svg}");
                    assert!(!attribute.name().starts_with("on"), "{svg}");
                }
                if let Some(size) = node.attribute("font-size") {
                    assert!(number(&node, "font-size") >= 12.0, "font-size {size}");
                }
            }
        }
    }

    #[test]
    fn ids_are_prefixed_so_charts_can_share_a_page() {
        let bars = example_bars();
        let ids = |svg: &str| {
            parse(svg)
                .descendants()
                .filter_map(|n| n.attribute("id").map(str::to_owned))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&throughput("rps-1", "T", &bars)),
            ["rps-1", "rps-1-title", "rps-1-desc"]
        );
        assert_eq!(ids(&throughput("two words", "T", &bars))[0], "two-words");
        assert_eq!(ids(&throughput("", "T", &bars))[0], "chart");
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
    fn a_long_tail_stretches_the_percentile_axis() {
        let tail = curve("wrk2", &[(0.0, 0.2), (50.0, 1.0), (99.9999, 9.0)]);
        let svg = latency("l", "Tail", &[tail]);
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

    #[test]
    fn all_zero_values_sit_on_a_unit_axis() {
        let svg = throughput("z", "Zeros", &[bar("a", 0.0), bar("b", -0.0)]);
        let doc = parse(&svg);
        assert_eq!(bar_widths(&doc), [0.0, 0.0]);
        assert_eq!(texts(&doc, "chart-value"), ["0", "0"]);
        assert_eq!(
            texts(&doc, "chart-tick"),
            ["0", "0.2", "0.4", "0.6", "0.8", "1"]
        );
        assert_eq!(title_and_desc(&doc).1, "All 2 have 0 requests per second.");
    }

    fn any_value() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            0.0..1e6,
            Just(0.0),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::MAX),
            Just(f64::MIN_POSITIVE),
        ]
    }

    fn any_bars(label: impl Strategy<Value = String>) -> impl Strategy<Value = Vec<Bar>> {
        prop::collection::vec(
            (label, any_value()).prop_map(|(label, value)| Bar { label, value }),
            0..32,
        )
    }

    fn any_curves(label: impl Strategy<Value = String>) -> impl Strategy<Value = Vec<Curve>> {
        let point = (
            prop_oneof![any::<f64>(), 0.0..100.0, Just(99.9)],
            any_value(),
        );
        prop::collection::vec(
            (label, prop::collection::vec(point, 0..8))
                .prop_map(|(label, points)| Curve { label, points }),
            0..8,
        )
    }

    /// What an XML parser reads back from `text` written as an element's content: the
    /// characters XML forbids replaced, line ends normalised.
    fn read_back(text: &str) -> String {
        text.replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .map(|c| match c {
                '\t' | '\n' => c,
                '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
                _ => c,
            })
            .collect()
    }

    /// Any bar to divide by, or one that is not among the bars when there are none.
    fn pick_baseline(bars: &[Bar], pick: prop::sample::Index) -> Bar {
        if bars.is_empty() {
            bar("none", 1.0)
        } else {
            bars[pick.index(bars.len())].clone()
        }
    }

    proptest! {
        #[test]
        fn any_labels_give_well_formed_xml(
            bars in any_bars(any::<String>()),
            curves in any_curves(any::<String>()),
            title in any::<String>(),
            id in any::<String>(),
            pick in any::<prop::sample::Index>(),
        ) {
            let baseline = pick_baseline(&bars, pick);
            for svg in [
                throughput(&id, &title, &bars),
                latency(&id, &title, &curves),
                ratios(&id, &title, &baseline, &bars),
            ] {
                let doc = Document::parse(&svg);
                prop_assert!(doc.is_ok(), "{:?}: {}", doc.err(), svg);
                if let Ok(doc) = doc {
                    prop_assert_eq!(title_and_desc(&doc).0, read_back(&title));
                }
            }
        }

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
