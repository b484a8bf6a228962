//! Benchmark evidence: scenarios (what was measured), environments (where), runs imported
//! from load tools' output and their results per technology, ranked and drawn as charts.

pub mod chart;
pub mod parse;
