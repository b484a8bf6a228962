//! Benchmark evidence as pages and the API show it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::benchmarks::parse::{Check, Latency, Threshold, Tool};
use crate::catalog::model::{DimensionRef, SourceRef, TechnologyRef};
use crate::web::params::Paginated;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioRef {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioItem {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// The scored dimension whose scores the advisor may take from the results.
    pub dimension: Option<DimensionRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvironmentRef {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvironmentItem {
    pub slug: String,
    pub name: String,
    pub hardware: String,
    pub os: String,
    pub notes: String,
}

/// A run: one measurement of one scenario at one concurrency, by one tool.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub id: i32,
    pub scenario: ScenarioRef,
    pub environment: Option<EnvironmentRef>,
    pub source: Option<SourceRef>,
    pub tool: Tool,
    pub tool_version: String,
    pub ran_on: NaiveDate,
    pub concurrency: Option<i32>,
    pub threads: Option<i32>,
    pub duration_secs: Option<f64>,
    pub notes: String,
    /// The uploaded file it was read from; `None` for runs that came without one.
    pub upload_id: Option<i32>,
    /// How many results it has: a TechEmpower run has hundreds, paged on its own page.
    pub result_count: i64,
    /// Its fastest result.
    pub best: Option<Measured>,
}

impl Run {
    pub fn url(&self) -> String {
        format!("/benchmarks/runs/{}", self.id)
    }

    /// The tool with its version, as a reader wants to see it: "wrk 4.1.0".
    pub fn tool_label(&self) -> String {
        match self.tool_version.as_str() {
            "" => self.tool.label().to_owned(),
            version => format!("{} {version}", self.tool.label()),
        }
    }
}

/// A run with what only its own page shows.
#[derive(Debug, Clone, Serialize)]
pub struct RunDetail {
    #[serde(flatten)]
    pub run: Run,
    /// A page of its results, fastest first.
    pub results: Paginated<Measured>,
    pub checks: Vec<Check>,
    pub thresholds: Vec<Threshold>,
    pub file: Option<FileRef>,
}

/// The file a run was imported from.
#[derive(Debug, Clone, Serialize)]
pub struct FileRef {
    pub upload_id: i32,
    pub filename: String,
    pub size_bytes: i64,
}

/// One technology's figures in a run.
#[derive(Debug, Clone, Serialize)]
pub struct Measured {
    pub id: i32,
    pub run_id: i32,
    pub technology: TechnologyRef,
    /// What the file called it: a URL, a TechEmpower framework, an implementation.
    pub label: String,
    pub requests_per_sec: f64,
    pub total_requests: Option<i64>,
    pub latency: Latency,
    pub errors: i64,
    pub non_2xx: i64,
    pub status_codes: BTreeMap<String, i64>,
    pub error_kinds: BTreeMap<String, i64>,
    pub memory_mib: Option<f64>,
}

impl Measured {
    /// The name a chart and a table give it: the technology, and the label where it says more.
    pub fn name(&self) -> String {
        if self.label.is_empty() || self.label == self.technology.name {
            self.technology.name.clone()
        } else if self.label.starts_with("http://") || self.label.starts_with("https://") {
            format!("{} ({})", self.technology.name, self.label)
        } else {
            self.label.clone()
        }
    }

    /// The latency curve: (percentile, ms) for each percentile the tool gave.
    pub fn percentiles(&self) -> Vec<(f64, f64)> {
        let l = &self.latency;
        [
            (50.0, l.p50_ms),
            (75.0, l.p75_ms),
            (90.0, l.p90_ms),
            (95.0, l.p95_ms),
            (99.0, l.p99_ms),
            (99.9, l.p999_ms),
        ]
        .into_iter()
        .filter_map(|(p, ms)| Some((p, ms?)))
        .collect()
    }
}

/// A scenario with its latest run and the run that holds its fastest result (summaries:
/// each run's count of results and its best), for the list of scenarios.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioSummary {
    #[serde(flatten)]
    pub scenario: ScenarioItem,
    pub runs: i64,
    pub latest: Option<Run>,
    pub fastest: Option<Run>,
}

/// A whole number with thousands separators: 36,735.
pub fn thousands(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let digits = format!("{:.0}", value.abs());
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if value < -0.5 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// Milliseconds as a reader wants them: 0.23 ms, 3.34 ms, 128 ms; a dash when unknown.
pub fn millis(value: Option<f64>) -> String {
    match value {
        Some(ms) if ms.is_finite() => format!("{} ms", ms_figure(value)),
        _ => ms_figure(value),
    }
}

/// Milliseconds without the unit, for a column headed "ms": 0.23, 3.34, 128; a dash when
/// unknown.
pub fn ms_figure(value: Option<f64>) -> String {
    match value {
        Some(ms) if ms.is_finite() && ms >= 100.0 => format!("{ms:.0}"),
        Some(ms) if ms.is_finite() => format!("{ms:.2}"),
        _ => "–".to_owned(),
    }
}

impl Measured {
    pub fn rps(&self) -> String {
        thousands(self.requests_per_sec)
    }

    pub fn total(&self) -> String {
        self.total_requests
            .map_or_else(|| "–".to_owned(), |n| thousands(n as f64))
    }

    pub fn p50(&self) -> String {
        millis(self.latency.p50_ms)
    }

    pub fn p99(&self) -> String {
        millis(self.latency.p99_ms)
    }

    /// The percentiles a table shows in milliseconds, under a heading that gives the unit:
    /// p50, p75, p90, p99 and p99.9.
    pub fn percentiles_ms(&self) -> [String; 5] {
        let l = &self.latency;
        [l.p50_ms, l.p75_ms, l.p90_ms, l.p99_ms, l.p999_ms].map(ms_figure)
    }

    /// Every latency a run's table shows, in milliseconds: the average, the percentiles and
    /// the slowest.
    pub fn latencies_ms(&self) -> Vec<String> {
        let mut all = vec![ms_figure(self.latency.avg_ms)];
        all.extend(self.percentiles_ms());
        all.push(ms_figure(self.latency.max_ms));
        all
    }

    pub fn memory(&self) -> String {
        self.memory_mib
            .map_or_else(|| "–".to_owned(), |mib| format!("{mib:.1} MiB"))
    }
}
