//! The plot area and the axes drawn around it.

use super::layout::{MARGIN, TEXT_SIZE, TICK_SIZE, WIDTH};
use super::svg::Tag;
use super::text::fit;

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

/// Below the plot: tick labels, then the axis title.
pub(super) const AXIS_BELOW: f64 = 62.0;

/// The horizontal axis along the plot's bottom: a light gridline up through the plot at
/// each tick (x, label), and the axis's title.
pub(super) fn x_axis<'a>(
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
