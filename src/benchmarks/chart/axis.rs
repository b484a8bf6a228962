//! The plot area and the axes drawn around it.

use super::layout::Size;
use super::svg::Tag;
use super::text::{ASCENT, DESCENT, fit, text_width};

/// The rectangle data is drawn in; axes go around it.
pub(super) struct Plot {
    pub(super) left: f64,
    pub(super) right: f64,
    pub(super) top: f64,
    pub(super) bottom: f64,
}

impl Plot {
    pub(super) fn width(&self) -> f64 {
        self.right - self.left
    }
}

/// A tick on the horizontal axis: where it is, its label, and the line of labels it is on
/// (0 or 1); `None` leaves the label out where it would run into its neighbours, the
/// gridline staying.
pub(super) struct Tick {
    pub(super) at: f64,
    pub(super) label: String,
    pub(super) line: Option<usize>,
}

/// Tick labels centred on their ticks, on one line where they fit side by side with a gap
/// of half a tick size, else on two alternating lines; a label that still runs into the
/// last one of its line is left out.
pub(super) fn arrange_ticks(size: &Size, ticks: Vec<(f64, String)>) -> Vec<Tick> {
    let gap = size.tick / 2.0;
    let span = |(at, label): &(f64, String)| {
        let half = text_width(label, size.tick) / 2.0;
        (at - half, at + half)
    };
    let fits_one_line = ticks
        .windows(2)
        .all(|pair| span(&pair[0]).1 + gap <= span(&pair[1]).0);
    let lines = if fits_one_line { 1 } else { 2 };
    let mut ends = [f64::NEG_INFINITY; 2];
    ticks
        .into_iter()
        .enumerate()
        .map(|(i, tick)| {
            let (start, end) = span(&tick);
            let line = i % lines;
            let shown = start >= ends[line] + gap;
            if shown {
                ends[line] = end;
            }
            Tick {
                at: tick.0,
                label: tick.1,
                line: shown.then_some(line),
            }
        })
        .collect()
}

/// How many lines the tick labels take.
fn lines(ticks: &[Tick]) -> usize {
    ticks
        .iter()
        .filter_map(|t| t.line)
        .max()
        .map_or(1, |l| l + 1)
}

/// From the plot's bottom to the tick marks' end.
fn tick_mark(size: &Size) -> f64 {
    0.3 * size.tick
}

/// From the plot's bottom to the baseline of tick labels on `line`: below the tick marks,
/// and below the lowest label of a vertical axis, centred on the plot's bottom.
fn tick_baseline(size: &Size, line: usize) -> f64 {
    tick_mark(size) + 0.45 * size.tick + ASCENT * size.tick + line as f64 * 1.25 * size.tick
}

/// From the plot's bottom to the axis title's baseline.
fn title_baseline(size: &Size, ticks: &[Tick]) -> f64 {
    tick_baseline(size, lines(ticks) - 1)
        + DESCENT * size.tick
        + 0.35 * size.text
        + ASCENT * size.text
}

/// Below the plot: tick labels on one line or two, then the axis title.
pub(super) fn axis_below(size: &Size, ticks: &[Tick]) -> f64 {
    title_baseline(size, ticks) + (DESCENT + 0.3) * size.text
}

/// The horizontal axis along the plot's bottom: at each tick a light gridline over each of
/// `spans(x)` (from y to y, where no text is) and a tick mark, its label below, and the
/// axis's title, centred under the plot as far as the chart's edges allow and shortened
/// only when it is wider than the chart, its full text then on hover.
pub(super) fn x_axis(
    out: &mut String,
    size: &Size,
    plot: &Plot,
    ticks: &[Tick],
    spans: impl Fn(f64) -> Vec<(f64, f64)>,
    title: &str,
) {
    for tick in ticks {
        let mark = (plot.bottom, plot.bottom + tick_mark(size));
        for (y1, y2) in spans(tick.at).into_iter().chain([mark]) {
            Tag::new(out, "line")
                .attr("class", "chart-grid")
                .num("x1", tick.at)
                .num("y1", y1)
                .num("x2", tick.at)
                .num("y2", y2)
                .attr("stroke", "currentColor")
                .attr("stroke-opacity", "0.25")
                .empty();
        }
        if let Some(line) = tick.line {
            Tag::new(out, "text")
                .attr("class", "chart-tick")
                .num("x", tick.at)
                .num("y", plot.bottom + tick_baseline(size, line))
                .attr("text-anchor", "middle")
                .num("font-size", size.tick)
                .text(&tick.label);
        }
    }
    axis_line(out, plot.left, plot.bottom, plot.right, plot.bottom);
    let (low, high) = (size.margin, size.width - size.margin);
    let shown = fit(title, size.text, high - low);
    let half = text_width(&shown, size.text) / 2.0;
    let centre = ((plot.left + plot.right) / 2.0)
        .min(high - half)
        .max(low + half);
    let draw = |out: &mut String| {
        Tag::new(out, "text")
            .attr("class", "chart-axis-title")
            .num("x", centre)
            .num("y", plot.bottom + title_baseline(size, ticks))
            .attr("text-anchor", "middle")
            .text(&shown);
    };
    if shown == title {
        draw(out);
    } else {
        Tag::new(out, "g").children(|out| {
            Tag::new(out, "title").text(title);
            draw(out);
        });
    }
}

pub(super) fn axis_line(out: &mut String, x1: f64, y1: f64, x2: f64, y2: f64) {
    Tag::new(out, "line")
        .attr("class", "chart-axis")
        .num("x1", x1)
        .num("y1", y1)
        .num("x2", x2)
        .num("y2", y2)
        .attr("stroke", "currentColor")
        .empty();
}

#[cfg(test)]
mod tests {
    use super::super::layout::NARROW;
    use super::*;

    fn arranged(ticks: &[(f64, &str)]) -> Vec<Option<usize>> {
        let ticks = ticks.iter().map(|(at, l)| (*at, (*l).to_owned())).collect();
        arrange_ticks(&NARROW, ticks)
            .iter()
            .map(|t| t.line)
            .collect()
    }

    #[test]
    fn tick_labels_take_a_second_line_only_when_they_crowd_and_are_left_out_last() {
        assert_eq!(
            arranged(&[(10.0, "0"), (100.0, "10k"), (200.0, "20k")]),
            [Some(0), Some(0), Some(0)]
        );
        assert_eq!(
            arranged(&[(10.0, "0"), (40.0, "200M"), (70.0, "400M"), (100.0, "600M")]),
            [Some(0), Some(1), Some(0), Some(1)]
        );
        // Too close even a line apart: every other label goes.
        assert_eq!(
            arranged(&[(10.0, "p0"), (12.0, "p50"), (14.0, "p75"), (16.0, "p90")]),
            [Some(0), Some(1), None, None]
        );
    }
}
