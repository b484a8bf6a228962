//! What a chart is drawn from: bars, and latency curves.

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
