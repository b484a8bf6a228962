//! What a reader makes of a file: measurements in groups, and k6's checks and thresholds.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::tool::Tool;

/// What a file says, ready to be stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed {
    pub tool: Tool,
    /// When the file says (TechEmpower does; the others do not).
    pub tool_version: Option<String>,
    pub ran_on: Option<NaiveDate>,
    /// Load-generator threads, where the tool says (wrk).
    pub threads: Option<i32>,
    /// One group per scenario and concurrency level; one for a single-target tool.
    pub groups: Vec<Group>,
    /// k6's checks, in the file's order; empty for other tools.
    pub checks: Vec<Check>,
    /// k6's thresholds, in the file's order; empty for other tools.
    pub thresholds: Vec<Threshold>,
}

/// What one measurement at one concurrency found, per target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// TechEmpower's test type (`json`, `db`, `query`, `fortune`, `update`, `plaintext`,
    /// `cached_query`); `None` where the upload form names the scenario.
    pub test_type: Option<String>,
    /// For TechEmpower's query tests (`query`, `update`, `cached_query`): queries per request.
    pub queries: Option<i32>,
    /// Open connections (wrk, TechEmpower) or virtual users (k6); `None` where the file does
    /// not say (oha), and the upload form does.
    pub concurrency: Option<i32>,
    pub duration_secs: Option<f64>,
    pub measurements: Vec<Measurement>,
}

/// One target's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    /// What the file calls the target: a URL (wrk; empty where the file does not say) or a
    /// TechEmpower framework.
    pub target: String,
    pub requests_per_sec: f64,
    pub total_requests: Option<i64>,
    pub latency: Latency,
    /// Requests that got no response: socket errors, timeouts…
    pub errors: i64,
    /// Responses outside 2xx and 3xx.
    pub non_2xx: i64,
    /// Responses per status code, where the tool counts them (oha).
    pub status_codes: Vec<(String, i64)>,
    /// Errors per kind, as the tool names them (`timeout`, `connect`…), zero counts left out.
    pub error_kinds: Vec<(String, i64)>,
}

/// Latency in milliseconds; `None` where the tool does not report the figure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub avg_ms: Option<f64>,
    pub stdev_ms: Option<f64>,
    pub max_ms: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p75_ms: Option<f64>,
    pub p90_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub p999_ms: Option<f64>,
}

/// A k6 check: how many iterations passed and failed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub passes: i64,
    pub fails: i64,
}

/// A k6 threshold: its expression on a metric, and whether the run met it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    pub metric: String,
    pub expression: String,
    pub ok: bool,
}
