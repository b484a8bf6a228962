//! The measures and colours every chart shares.

/// Width of every chart in user units; heights grow with the content.
pub(super) const WIDTH: f64 = 640.0;
/// Space kept clear at the left and right edges.
pub(super) const MARGIN: f64 = 16.0;
/// Labels, values and axis titles. On a phone 390 pixels wide the chart is drawn at about
/// 0.55 pixels per unit, so text has to be well above 12 units to stay readable there; in
/// a 640-pixel column on a desktop it is then a little larger than body text.
pub(super) const TEXT_SIZE: f64 = 18.0;
pub(super) const TICK_SIZE: f64 = 16.0;
/// Baseline of the visible title; everything else starts below it.
pub(super) const TITLE_BASELINE: f64 = 28.0;
/// Contrast 5.2:1 on white and 3.5:1 on the site's dark background, so bars read in both
/// colour schemes and print dark.
pub(super) const BAR_COLOUR: &str = "#2563eb";
