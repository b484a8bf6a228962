//! Stand-in for the charts being written on the `chart` branch.

pub struct Bar {
    pub label: String,
    pub value: f64,
}

pub struct Curve {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

pub fn throughput(id: &str, title: &str, bars: &[Bar]) -> String {
    format!(
        "<svg id=\"{id}\"><title>{title}</title>{}</svg>",
        bars.len()
    )
}

pub fn latency(id: &str, title: &str, curves: &[Curve]) -> String {
    format!(
        "<svg id=\"{id}\"><title>{title}</title>{}</svg>",
        curves.len()
    )
}

pub fn ratios(id: &str, title: &str, baseline: &Bar, bars: &[Bar]) -> String {
    format!(
        "<svg id=\"{id}\"><title>{title}</title>{}{}</svg>",
        baseline.value,
        bars.len()
    )
}
