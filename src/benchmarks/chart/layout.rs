//! The measures every chart is drawn with, in its two sizes, and the colour bars share.
//!
//! A chart is drawn twice: [`WIDE`] for a column of about 640 pixels (a desktop, a tablet,
//! print) and [`NARROW`] for a phone. The page shows one and hides the other, so each is
//! drawn at close to its own scale and its text stays at least 12 pixels high: a chart
//! 640 units wide squeezed into a phone's 350 pixels would shrink 16-unit text to 9.

/// The measures of one size of a chart, in user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    /// Width of the `viewBox`; heights grow with the content.
    pub(super) width: f64,
    /// Space kept clear at the left and right edges.
    pub(super) margin: f64,
    /// Labels, values, axis titles and the legend.
    pub(super) text: f64,
    /// Tick labels and the reference line's label.
    pub(super) tick: f64,
    /// The latency chart's plot, from 0 ms to the axis's top.
    pub(super) plot_height: f64,
    /// After the chart's id, so that both sizes of a chart can share a page.
    pub(super) id_suffix: &'static str,
    /// The `<svg>`'s classes, by which the stylesheet shows one size and hides the other.
    pub(super) class: &'static str,
}

/// For a column up to 640 pixels wide. Its column can be as narrow as about 570 pixels (a
/// 1024-pixel window, beside a table): 0.89 pixels a unit, where 16-unit ticks are 14
/// pixels and 18-unit text 16.
pub const WIDE: Size = Size {
    width: 640.0,
    margin: 16.0,
    text: 18.0,
    tick: 16.0,
    plot_height: 280.0,
    id_suffix: "",
    class: "chart chart-wide",
};

/// For a phone: 390 pixels wide leave 350 for the chart, 0.97 pixels a unit, where
/// 14-unit ticks are 13.6 pixels; at 360 pixels (0.89 a unit) they are still 12.4.
pub const NARROW: Size = Size {
    width: 360.0,
    margin: 12.0,
    text: 15.0,
    tick: 14.0,
    plot_height: 220.0,
    id_suffix: "-narrow",
    class: "chart chart-narrow",
};

/// Contrast 5.2:1 on white and 3.5:1 on the site's dark background, so bars read in both
/// colour schemes and print dark.
pub(super) const BAR_COLOUR: &str = "#2563eb";
