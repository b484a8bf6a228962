//! k6's `--summary-export` JSON, the legacy summary export (`oldJSONSummary` in k6's
//! `internal/js/summary-wrapper.js`):
//!
//! ```json
//! {
//!   "root_group": { "groups": { "api": { "groups": {}, "checks": { … } } },
//!                   "checks": { "status is 200": { "passes": 5832, "fails": 0, … } }, … },
//!   "metrics": {
//!     "http_reqs": { "count": 5832, "rate": 194.3 },
//!     "http_req_duration": { "avg": 48.3, "med": 42.8, "max": 612.4, "p(90)": 81.2, "p(95)": 103.6,
//!                            "thresholds": { "p(95)<500": false } },
//!     "http_req_failed": { "passes": 0, "fails": 5832, "value": 0 },
//!     "vus_max": { "value": 50, "min": 50, "max": 50 },
//!     …
//!   }
//! }
//! ```
//!
//! Durations are in milliseconds. A threshold's boolean says whether it FAILED: the export
//! writes `!threshold.ok` (k6's `internal/js/summary-wrapper.js`, and `TestOldJSONExport` in
//! `internal/js/summary_test.go` expects `"rate<100": true` of a threshold whose `LastFailed`
//! is true). A Rate metric's `passes` counts its true values: for `http_req_failed`, the
//! failed requests.

use std::mem::take;

use serde::Deserialize;

use super::error::ParseError;
use super::json::read_json;
use super::members::Members;
use super::model::{Check, Group, Latency, Measurement, Parsed, Threshold};
use super::numbers::{Count, Figure};
use super::tool::Tool;

#[derive(Deserialize)]
#[serde(expecting = "an object with k6's metrics")]
struct Export {
    root_group: Option<ChecksGroup>,
    metrics: Metrics,
    /// Not in the legacy export (it deletes `state`), but in what `handleSummary` is given.
    state: Option<State>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct State {
    test_run_duration_ms: Option<Figure>,
}

/// A `group()` of the script, with the checks made in it.
#[derive(Deserialize)]
struct ChecksGroup {
    #[serde(default)]
    groups: Members<String, ChecksGroup>,
    #[serde(default)]
    checks: Members<String, CheckCounts>,
}

#[derive(Deserialize)]
struct CheckCounts {
    passes: Count,
    fails: Count,
}

/// The metrics read, and every metric's thresholds in the file's order.
#[derive(Default)]
struct Metrics {
    http_reqs: Option<Counter>,
    http_req_duration: Option<Trend>,
    http_req_failed: Option<Rate>,
    vus_max: Option<Gauge>,
    vus: Option<Gauge>,
    thresholds: Vec<Threshold>,
}

/// Thresholds, each expression mapped to whether it failed.
type Thresholds = Members<String, bool>;

#[derive(Deserialize)]
struct Counter {
    count: Count,
    rate: Figure,
    #[serde(default)]
    thresholds: Thresholds,
}

/// A Trend's statistics are those of `summaryTrendStats`: any may be missing.
#[derive(Deserialize)]
struct Trend {
    avg: Option<Figure>,
    med: Option<Figure>,
    max: Option<Figure>,
    #[serde(rename = "p(75)")]
    p75: Option<Figure>,
    #[serde(rename = "p(90)")]
    p90: Option<Figure>,
    #[serde(rename = "p(95)")]
    p95: Option<Figure>,
    #[serde(rename = "p(99)")]
    p99: Option<Figure>,
    #[serde(rename = "p(99.9)")]
    p999: Option<Figure>,
    #[serde(default)]
    thresholds: Thresholds,
}

#[derive(Deserialize)]
struct Rate {
    passes: Count,
    #[serde(default)]
    thresholds: Thresholds,
}

#[derive(Deserialize)]
struct Gauge {
    max: Option<Vus>,
    #[serde(default)]
    thresholds: Thresholds,
}

/// Any other metric, of which only the thresholds are read.
#[derive(Deserialize)]
struct OtherMetric {
    #[serde(default)]
    thresholds: Thresholds,
}

/// A number of virtual users.
struct Vus(i32);

impl<'de> Deserialize<'de> for Vus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Count(count) = Count::deserialize(deserializer)?;
        i32::try_from(count)
            .map(Vus)
            .map_err(|_| serde::de::Error::custom(format!("{count} is too many virtual users")))
    }
}

impl<'de> Deserialize<'de> for Metrics {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MetricsVisitor;

        impl<'de> serde::de::Visitor<'de> for MetricsVisitor {
            type Value = Metrics;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("k6's metrics, by name")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Metrics, A::Error> {
                let mut metrics = Metrics::default();
                while let Some(name) = map.next_key::<String>()? {
                    // Each metric read keeps its figures here and gives up its thresholds.
                    let thresholds = match name.as_str() {
                        "http_reqs" => {
                            take(&mut metrics.http_reqs.insert(map.next_value()?).thresholds)
                        }
                        "http_req_duration" => take(
                            &mut metrics
                                .http_req_duration
                                .insert(map.next_value()?)
                                .thresholds,
                        ),
                        "http_req_failed" => {
                            take(&mut metrics.http_req_failed.insert(map.next_value()?).thresholds)
                        }
                        "vus_max" => {
                            take(&mut metrics.vus_max.insert(map.next_value()?).thresholds)
                        }
                        "vus" => take(&mut metrics.vus.insert(map.next_value()?).thresholds),
                        _ => map.next_value::<OtherMetric>()?.thresholds,
                    };
                    metrics.thresholds.extend(thresholds.0.into_iter().map(
                        |(expression, failed)| Threshold {
                            metric: name.clone(),
                            expression,
                            ok: !failed,
                        },
                    ));
                }
                Ok(metrics)
            }
        }

        deserializer.deserialize_map(MetricsVisitor)
    }
}

pub(super) fn parse(input: &[u8]) -> Result<Parsed, ParseError> {
    let export: Export = read_json(input, "k6's `--summary-export` JSON")?;
    let metrics = export.metrics;
    let Some(http_reqs) = metrics.http_reqs else {
        return Err(ParseError {
            at: "field metrics".to_owned(),
            message: "there is no `http_reqs` metric: the script made no HTTP request".to_owned(),
        });
    };
    let latency = match metrics.http_req_duration {
        Some(trend) => Latency {
            avg_ms: trend.avg.map(|Figure(ms)| ms),
            stdev_ms: None,
            max_ms: trend.max.map(|Figure(ms)| ms),
            p50_ms: trend.med.map(|Figure(ms)| ms),
            p75_ms: trend.p75.map(|Figure(ms)| ms),
            p90_ms: trend.p90.map(|Figure(ms)| ms),
            p95_ms: trend.p95.map(|Figure(ms)| ms),
            p99_ms: trend.p99.map(|Figure(ms)| ms),
            p999_ms: trend.p999.map(|Figure(ms)| ms),
        },
        None => Latency::default(),
    };
    let mut checks = Vec::new();
    if let Some(root) = export.root_group {
        collect_checks(root, "", &mut checks);
    }
    // No VU at all says nothing of the concurrency.
    let most_vus = |gauge: Option<Gauge>| {
        gauge
            .and_then(|gauge| gauge.max)
            .map(|Vus(vus)| vus)
            .filter(|&vus| vus > 0)
    };
    let concurrency = most_vus(metrics.vus_max).or_else(|| most_vus(metrics.vus));

    Ok(Parsed {
        tool: Tool::K6,
        tool_version: None,
        ran_on: None,
        threads: None,
        groups: vec![Group {
            test_type: None,
            queries: None,
            concurrency,
            duration_secs: export
                .state
                .and_then(|state| state.test_run_duration_ms)
                .map(|Figure(ms)| ms / 1_000.0),
            measurements: vec![Measurement {
                target: String::new(),
                requests_per_sec: http_reqs.rate.0,
                total_requests: Some(http_reqs.count.0),
                latency,
                // Without `http_req_failed` (k6 before 0.31), k6 counted no failed request.
                errors: metrics.http_req_failed.map_or(0, |rate| rate.passes.0),
                // k6 counts responses outside 2xx and 3xx as failed requests, with the
                // requests that got no response, and does not tell them apart.
                non_2xx: 0,
                status_codes: Vec::new(),
                error_kinds: Vec::new(),
            }],
        }],
        checks,
        thresholds: metrics.thresholds,
    })
}

/// A group's checks, then its groups' checks, depth first (the order k6 prints them in).
/// A check in a group is named by the group's path as k6 writes it: `api::write::created`.
fn collect_checks(group: ChecksGroup, prefix: &str, checks: &mut Vec<Check>) {
    for (name, counts) in group.checks.0 {
        checks.push(Check {
            name: format!("{prefix}{name}"),
            passes: counts.passes.0,
            fails: counts.fails.0,
        });
    }
    for (name, group) in group.groups.0 {
        collect_checks(group, &format!("{prefix}{name}::"), checks);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::single;
    use super::*;

    // Both written from k6's documented legacy export (`oldJSONSummary` and the export
    // `TestOldJSONExport` expects), as no k6 is at hand to run.
    const PASSING: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/k6-summary.json");
    const FAILING: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/k6-failing.json");

    fn one(input: &[u8]) -> (Parsed, Group, Measurement) {
        let (parsed, group, measurement) = single(Tool::K6, parse(input));
        assert_eq!(
            (
                parsed.threads,
                parsed.ran_on,
                parsed.tool_version.as_deref()
            ),
            (None, None, None)
        );
        (parsed, group, measurement)
    }

    fn check(name: &str, passes: i64, fails: i64) -> Check {
        Check {
            name: name.to_owned(),
            passes,
            fails,
        }
    }

    fn threshold(metric: &str, expression: &str, ok: bool) -> Threshold {
        Threshold {
            metric: metric.to_owned(),
            expression: expression.to_owned(),
            ok,
        }
    }

    #[test]
    fn a_passing_run_gives_its_figures_checks_and_thresholds() {
        let (parsed, group, m) = one(PASSING);
        assert_eq!(group.concurrency, Some(50));
        assert_eq!(group.duration_secs, None);
        assert_eq!(m.target, "");
        assert_eq!(m.requests_per_sec, 194.31947);
        assert_eq!(m.total_requests, Some(5832));
        assert_eq!((m.errors, m.non_2xx), (0, 0));
        assert_eq!(
            m.latency,
            Latency {
                avg_ms: Some(48.31),
                max_ms: Some(612.4),
                p50_ms: Some(42.77),
                p90_ms: Some(81.2),
                p95_ms: Some(103.55),
                ..Latency::default()
            }
        );
        assert_eq!(
            parsed.checks,
            vec![
                check("home page answers", 50, 0),
                check("technologies::status is 200", 5832, 0),
                check("technologies::body lists technologies", 5832, 0),
            ]
        );
        assert_eq!(
            parsed.thresholds,
            vec![
                threshold("http_req_failed", "rate<0.01", true),
                threshold("http_req_duration", "p(95)<500", true),
                threshold("http_req_duration", "avg<200", true),
            ]
        );
    }

    #[test]
    fn a_failing_run_gives_failed_thresholds_failed_checks_and_errors() {
        let (parsed, group, m) = one(FAILING);
        // No `vus_max` in this export: the most VUs of `vus` stand in.
        assert_eq!(group.concurrency, Some(120));
        assert_eq!(m.requests_per_sec, 163.43);
        assert_eq!(m.total_requests, Some(4913));
        assert_eq!(m.errors, 483);
        assert_eq!(m.latency.p99_ms, Some(4210.9));
        assert_eq!(m.latency.p50_ms, Some(288.4));
        assert_eq!(
            parsed.checks,
            vec![
                check("api::status is 200", 4120, 388),
                check("api::answers in time", 3702, 806),
                check("api::write::created", 310, 95),
            ]
        );
        assert_eq!(
            parsed.thresholds,
            vec![
                threshold("http_req_duration", "p(95)<200", false),
                threshold("http_req_duration", "p(99)<5000", true),
                threshold("http_req_failed", "rate<0.01", false),
                threshold("checks", "rate>0.99", false),
            ]
        );
    }

    #[test]
    fn the_smallest_export_is_requests_alone() {
        let (parsed, group, m) = one(br#"{"metrics": {"http_reqs": {"count": 0, "rate": 0}}}"#);
        assert_eq!(m.requests_per_sec, 0.0);
        assert_eq!(m.latency, Latency::default());
        assert_eq!(group.concurrency, None);
        assert!(parsed.checks.is_empty() && parsed.thresholds.is_empty());
    }

    #[test]
    fn the_run_duration_is_read_where_the_file_has_it() {
        let (_, group, _) = one(
            br#"{"state": {"testRunDurationMs": 30012.5, "isStdOutTTY": true},
                "metrics": {"http_reqs": {"count": 10.0, "rate": 0.33},
                            "my_gauge": {"value": -5, "min": -9, "max": 0}}}"#,
        );
        assert_eq!(group.duration_secs, Some(30.0125));
    }

    #[test]
    fn a_statistic_k6_could_not_compute_is_missing() {
        // JSON.stringify writes NaN, the average of no sample, as null.
        let (_, _, m) = one(br#"{"metrics": {"http_reqs": {"count": 0, "rate": 0},
                "http_req_duration": {"avg": null, "med": null, "max": 0, "p(90)": null}}}"#);
        assert_eq!(
            m.latency,
            Latency {
                max_ms: Some(0.0),
                ..Latency::default()
            }
        );
    }

    /// The passing fixture with `from` replaced by `to`, which must be there.
    fn passing_with(from: &str, to: &str) -> ParseError {
        let text = String::from_utf8(PASSING.to_vec()).unwrap();
        assert!(text.contains(from), "{from}");
        parse(text.replacen(from, to, 1).as_bytes()).unwrap_err()
    }

    #[test]
    fn a_bad_value_is_refused_by_its_field() {
        let error = passing_with("\"count\": 5832", "\"count\": \"5832\"");
        assert_eq!(error.at, "field metrics.http_reqs.count");
        assert!(error.message.contains("expected a count"), "{error}");
        assert!(error.message.contains("(line "), "{error}");

        let error = passing_with("\"p(95)<500\": false", "\"p(95)<500\": \"passed\"");
        assert_eq!(
            error.at,
            "field metrics.http_req_duration.thresholds.p(95)<500"
        );

        let error = passing_with("\"passes\": 5832", "\"passes\": -1");
        assert_eq!(
            error.at,
            "field root_group.groups.technologies.checks.status is 200.passes"
        );

        let error = passing_with("\"rate\": 194.31947", "\"rate\": -194.31947");
        assert_eq!(error.at, "field metrics.http_reqs.rate");

        let error = passing_with(
            "\"min\": 50,\n            \"max\": 50",
            "\"min\": 50,\n            \"max\": 5e10",
        );
        assert_eq!(error.at, "field metrics.vus_max.max");
        assert!(
            error
                .message
                .starts_with("50000000000 is too many virtual users"),
            "{error}"
        );

        let error = passing_with("\"med\": 42.77", "\"med\": \"fast\"");
        assert_eq!(error.at, "field metrics.http_req_duration.med");

        let error = passing_with("\"http_reqs\"", "\"http_requests\"");
        assert_eq!(error.at, "field metrics");
        assert!(error.message.contains("no `http_reqs` metric"), "{error}");
    }

    #[test]
    fn a_file_that_is_not_a_k6_export_is_refused() {
        let error = parse(br#"{"summary": {"requestsPerSec": 1}}"#).unwrap_err();
        assert!(
            error
                .message
                .starts_with("missing field `metrics`: is this k6's"),
            "{error}"
        );
        let error = parse(b"42").unwrap_err();
        assert!(
            error
                .message
                .contains("expected an object with k6's metrics"),
            "{error}"
        );
        // What `handleSummary` is given (not the export) has the figures under `values`.
        let error = parse(br#"{"metrics": {"http_reqs": {"type": "counter", "values": {"count": 1, "rate": 1}}}}"#)
            .unwrap_err();
        assert_eq!(error.at, "field metrics.http_reqs");
        assert!(
            error.message.starts_with("missing field `count`"),
            "{error}"
        );
    }

    #[test]
    fn json_cut_short_anywhere_is_refused_at_its_end() {
        for fixture in [PASSING, FAILING] {
            let end = fixture.trim_ascii_end().len();
            for cut in (0..end).step_by(3) {
                let error = parse(&fixture[..cut]).unwrap_err();
                let lines = fixture[..cut].split(|&b| b == b'\n').count();
                let at_the_end = error.at.starts_with(&format!("line {lines}, column "));
                assert!(error.at == "file" || at_the_end, "cut at {cut}: {error}");
            }
            assert!(parse(&fixture[..end]).is_ok());
        }
    }
}
