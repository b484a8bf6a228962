//! The one sentence that describes a chart, in its `<desc>`: highest and lowest, or how far
//! apart the curves are.

use super::data::Bar;
use super::format::{fmt_percentile, fmt_ratio, fmt_value};

/// The highest and lowest of some labelled figures, first of equals, and how many there are.
pub(super) struct Extremes<'a> {
    count: usize,
    pub(super) high: (&'a str, f64),
    low: (&'a str, f64),
}

impl<'a> Extremes<'a> {
    /// None when there are no figures: nothing to draw.
    pub(super) fn of(figures: impl IntoIterator<Item = (&'a str, f64)>) -> Option<Self> {
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

pub(super) fn throughput_summary(e: &Extremes) -> String {
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

pub(super) fn ratio_summary(baseline: &Bar, e: &Extremes) -> String {
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
pub(super) fn latency_summary(curves: &[(&str, Vec<(f64, f64)>)]) -> Option<String> {
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
