//! oha's JSON summary: `oha --output-format json` (oha 1.x) and `oha -j` / `--json` (oha
//! 0.x), which share every member read here (`print_json` in oha's `src/printer.rs`):
//!
//! ```json
//! {
//!   "summary": { "total": 2.0, "average": 0.0034, "slowest": 1.02, "requestsPerSec": 1908.3, … },
//!   "latencyPercentiles": { "p50": 0.0017, "p99": 0.0131, "p99.9": 0.0165, … },
//!   "statusCodeDistribution": { "200": 3813, "500": 80 },
//!   "errorDistribution": { "timeout": 8, "aborted due to deadline": 8 },
//!   …
//! }
//! ```
//!
//! Durations are in seconds. oha writes a figure it could not compute (the average of no
//! request) as `null`. The file names neither the URL nor the concurrency: the upload form does.

use serde::Deserialize;

use super::error::ParseError;
use super::json::read_json;
use super::members::Members;
use super::model::{Group, Latency, Measurement, Parsed};
use super::numbers::{Count, Figure, sum};
use super::tool::Tool;

/// What oha counts as an error when `-z` ends the run with requests in flight. oha leaves
/// them out of its success rate, as they say nothing of the server (`ResultData::success_rate`
/// in oha's `src/result_data.rs`), and so does this reader: they are neither errors nor requests.
const DEADLINE: &str = "aborted due to deadline";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", expecting = "an object with oha's summary")]
struct Report {
    summary: Summary,
    latency_percentiles: Members<String, Option<Millis>>,
    status_code_distribution: Members<StatusCode, Count>,
    error_distribution: Members<String, Count>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    /// The run's length in seconds.
    total: Figure,
    requests_per_sec: Figure,
    average: Option<Millis>,
    slowest: Option<Millis>,
}

/// A duration oha writes in seconds, in milliseconds.
struct Millis(f64);

impl<'de> Deserialize<'de> for Millis {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Figure(seconds) = Figure::deserialize(deserializer)?;
        let ms = seconds * 1_000.0;
        if !ms.is_finite() {
            return Err(serde::de::Error::custom(format!(
                "{seconds} seconds is no latency"
            )));
        }
        Ok(Millis(ms))
    }
}

/// A key of `statusCodeDistribution`: an HTTP status code.
struct StatusCode(u16);

impl<'de> Deserialize<'de> for StatusCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = String::deserialize(deserializer)?;
        key.parse()
            .ok()
            .filter(|code| (100..=999).contains(code))
            .map(StatusCode)
            .ok_or_else(|| serde::de::Error::custom(format!("`{key}` is not an HTTP status code")))
    }
}

pub(super) fn parse(input: &[u8]) -> Result<Parsed, ParseError> {
    let report: Report = read_json(
        input,
        "oha's JSON output (`oha --output-format json`, or `oha --json` before oha 1.0)",
    )?;
    let too_many = |field: &str| ParseError {
        at: format!("field {field}"),
        message: "the counts add up to more than a count can hold".to_owned(),
    };

    let mut status_codes: Vec<(u16, i64)> = Vec::new();
    for (StatusCode(code), Count(count)) in report.status_code_distribution.0 {
        // A code written twice is still one code.
        match status_codes.iter_mut().find(|(seen, _)| *seen == code) {
            Some((_, total)) => {
                *total = total
                    .checked_add(count)
                    .ok_or_else(|| too_many("statusCodeDistribution"))?;
            }
            None => status_codes.push((code, count)),
        }
    }
    status_codes.sort_unstable_by_key(|(code, _)| *code);
    let answered = sum(status_codes.iter().map(|(_, count)| *count))
        .ok_or_else(|| too_many("statusCodeDistribution"))?;
    let non_2xx = sum(status_codes
        .iter()
        .filter(|(code, _)| !(200..=399).contains(code))
        .map(|(_, count)| *count))
    .ok_or_else(|| too_many("statusCodeDistribution"))?;

    let error_kinds: Vec<(String, i64)> = report
        .error_distribution
        .0
        .into_iter()
        .filter(|(kind, Count(count))| kind != DEADLINE && *count > 0)
        .map(|(kind, Count(count))| (kind, count))
        .collect();
    let errors = sum(error_kinds.iter().map(|(_, count)| *count))
        .ok_or_else(|| too_many("errorDistribution"))?;
    let total_requests = answered
        .checked_add(errors)
        .ok_or_else(|| too_many("errorDistribution"))?;

    let mut latency = Latency {
        avg_ms: report.summary.average.map(|Millis(ms)| ms),
        max_ms: report.summary.slowest.map(|Millis(ms)| ms),
        ..Latency::default()
    };
    for (key, value) in report.latency_percentiles.0 {
        let slot = match key.as_str() {
            "p50" => &mut latency.p50_ms,
            "p75" => &mut latency.p75_ms,
            "p90" => &mut latency.p90_ms,
            "p95" => &mut latency.p95_ms,
            "p99" => &mut latency.p99_ms,
            "p99.9" => &mut latency.p999_ms,
            _ => continue,
        };
        *slot = value.map(|Millis(ms)| ms);
    }

    Ok(Parsed {
        tool: Tool::Oha,
        tool_version: None,
        ran_on: None,
        threads: None,
        groups: vec![Group {
            test_type: None,
            queries: None,
            concurrency: None,
            duration_secs: Some(report.summary.total.0),
            measurements: vec![Measurement {
                target: String::new(),
                requests_per_sec: report.summary.requests_per_sec.0,
                total_requests: Some(total_requests),
                latency,
                errors,
                non_2xx,
                status_codes: status_codes
                    .into_iter()
                    .map(|(code, count)| (code.to_string(), count))
                    .collect(),
                error_kinds,
            }],
        }],
        checks: Vec::new(),
        thresholds: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::single;
    use super::*;

    const PLAIN: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/oha-plain.json");
    const MIXED: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/oha-mixed.json");
    const NOT_FOUND: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/oha-404.json");
    const REFUSED: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/oha-refused.json");
    /// Written from oha 0.6.5's `print_json`, as no 0.x oha is at hand to run.
    const OLD: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/oha-0x-sample.json");

    fn one(input: &[u8]) -> (Group, Measurement) {
        let (parsed, group, measurement) = single(Tool::Oha, parse(input));
        assert_eq!(
            (
                parsed.threads,
                parsed.ran_on,
                parsed.tool_version.as_deref()
            ),
            (None, None, None)
        );
        (group, measurement)
    }

    fn close(actual: Option<f64>, expected: f64) {
        let actual = actual.unwrap();
        assert!(
            (actual - expected).abs() < 1e-9,
            "{actual} is not {expected}"
        );
    }

    fn codes(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
        pairs
            .iter()
            .map(|(name, count)| ((*name).to_owned(), *count))
            .collect()
    }

    #[test]
    fn a_clean_run_has_no_errors_though_oha_aborted_requests_at_the_deadline() {
        let (group, m) = one(PLAIN);
        assert_eq!(group.concurrency, None);
        assert_eq!(group.duration_secs, Some(2.002285331));
        assert_eq!(m.target, "");
        close(Some(m.requests_per_sec), 1908.3194292252447);
        assert_eq!(m.total_requests, Some(3813));
        assert_eq!(m.status_codes, codes(&[("200", 3813)]));
        assert_eq!((m.errors, m.non_2xx), (0, 0));
        assert!(m.error_kinds.is_empty());
        close(m.latency.avg_ms, 3.413585025439285);
        close(m.latency.max_ms, 1029.745684);
        close(m.latency.p50_ms, 1.701493);
        close(m.latency.p75_ms, 3.759161);
        close(m.latency.p90_ms, 8.231778);
        close(m.latency.p95_ms, 9.634002);
        close(m.latency.p99_ms, 13.154469);
        close(m.latency.p999_ms, 16.506945);
        assert_eq!(m.latency.stdev_ms, None);
    }

    #[test]
    fn errors_and_statuses_are_counted_by_kind_and_code() {
        let (_, m) = one(MIXED);
        close(Some(m.requests_per_sec), 399.56101310305104);
        assert_eq!(m.status_codes, codes(&[("200", 684), ("500", 80)]));
        assert_eq!(
            m.error_kinds,
            codes(&[("connection error", 20), ("timeout", 8)])
        );
        assert_eq!((m.errors, m.non_2xx), (28, 80));
        assert_eq!(m.total_requests, Some(792));
        close(m.latency.p99_ms, 5.805297);
    }

    #[test]
    fn every_answer_outside_2xx_and_3xx_is_non_2xx() {
        let (_, m) = one(NOT_FOUND);
        assert_eq!(m.status_codes, codes(&[("404", 3990)]));
        assert_eq!(
            (m.errors, m.non_2xx, m.total_requests),
            (0, 3990, Some(3990))
        );
    }

    #[test]
    fn a_run_without_answers_has_no_latency() {
        let (_, m) = one(REFUSED);
        assert_eq!(m.latency, Latency::default());
        assert!(m.status_codes.is_empty());
        assert_eq!(m.errors, 477_048);
        assert_eq!(
            m.error_kinds,
            codes(&[("Connection refused (os error 111)", 477_048)])
        );
        assert_eq!(m.total_requests, Some(477_048));
        close(Some(m.requests_per_sec), 238117.98968182298);
    }

    #[test]
    fn oha_0x_json_is_read_too() {
        let (group, m) = one(OLD);
        assert_eq!(group.duration_secs, Some(10.002317));
        close(Some(m.requests_per_sec), 1999.5367073449083);
        assert_eq!(m.status_codes, codes(&[("200", 19801), ("503", 112)]));
        assert_eq!(m.error_kinds, codes(&[("timeout", 87)]));
        assert_eq!(
            (m.errors, m.non_2xx, m.total_requests),
            (87, 112, Some(20000))
        );
        close(m.latency.avg_ms, 5.0123);
        close(m.latency.p99_ms, 31.552);
        close(m.latency.p999_ms, 201.337);
    }

    #[test]
    fn status_codes_are_sorted_and_merged() {
        let input = br#"{"summary": {"total": 1, "requestsPerSec": 6, "average": 0.001},
            "latencyPercentiles": {}, "errorDistribution": {},
            "statusCodeDistribution": {"503": 1, "200": 2, "301": 1, "200": 2}}"#;
        let (_, m) = one(input);
        assert_eq!(m.status_codes, codes(&[("200", 4), ("301", 1), ("503", 1)]));
        assert_eq!((m.non_2xx, m.total_requests), (1, Some(6)));
    }

    /// The plain fixture with `from` replaced by `to`, which must be there.
    fn plain_with(from: &str, to: &str) -> ParseError {
        let text = String::from_utf8(PLAIN.to_vec()).unwrap();
        assert!(text.contains(from), "{from}");
        parse(text.replacen(from, to, 1).as_bytes()).unwrap_err()
    }

    #[test]
    fn a_bad_value_is_refused_by_its_field_and_position() {
        let error = plain_with(
            "\"requestsPerSec\": 1908.3194292252447",
            "\"requestsPerSec\": -1",
        );
        assert_eq!(error.at, "field summary.requestsPerSec");
        assert_eq!(
            error.message,
            "-1 cannot be: the figure must be zero or more (line 8, column 24)"
        );

        let error = plain_with(
            "\"requestsPerSec\": 1908.3194292252447",
            "\"requestsPerSec\": null",
        );
        assert_eq!(error.at, "field summary.requestsPerSec");
        assert!(
            error
                .message
                .starts_with("invalid type: null, expected a number, zero or more"),
            "{error}"
        );

        let error = plain_with("\"200\": 3813", "\"2xx\": 3813");
        assert_eq!(error.at, "field statusCodeDistribution.2xx");
        assert!(
            error
                .message
                .starts_with("`2xx` is not an HTTP status code (line "),
            "{error}"
        );

        let error = plain_with("\"200\": 3813", "\"200\": 3813.5");
        assert_eq!(error.at, "field statusCodeDistribution.200");

        let error = plain_with(
            "\"aborted due to deadline\": 8",
            "\"aborted due to deadline\": -8",
        );
        assert_eq!(error.at, "field errorDistribution.aborted due to deadline");

        let error = plain_with("\"p99\": 0.013154469", "\"p99\": \"13ms\"");
        assert_eq!(error.at, "field latencyPercentiles.p99");

        let error = plain_with("\"average\": 0.003413585025439285", "\"average\": 1e308");
        assert_eq!(error.at, "field summary.average");
    }

    #[test]
    fn a_file_that_is_not_oha_json_is_refused() {
        let error = plain_with("\"summary\"", "\"résumé\"");
        assert!(error.at.starts_with("line "), "{error}");
        assert!(
            error
                .message
                .starts_with("missing field `summary`: is this oha's JSON output"),
            "{error}"
        );

        let error = parse(b"Running 10s test @ http://x/").unwrap_err();
        assert_eq!(error.at, "line 1, column 1");
        assert!(
            error
                .message
                .starts_with("this is not valid JSON: expected value"),
            "{error}"
        );

        let error = parse(b"\"summary\"").unwrap_err();
        assert_eq!(error.at, "line 1, column 9");
        assert!(
            error.message.contains("is this oha's JSON output"),
            "{error}"
        );

        let text = String::from_utf8(PLAIN.to_vec()).unwrap();
        let error = parse(format!("{text}{text}").as_bytes()).unwrap_err();
        assert!(error.message.contains("trailing characters"), "{error}");
        assert_eq!(error.at, "line 113, column 2");

        assert_eq!(parse(b"").unwrap_err().message, "the file is empty");
        assert!(
            parse(b"{\"summary\": \"\xff\"}")
                .unwrap_err()
                .message
                .contains("not UTF-8")
        );
    }

    #[test]
    fn json_cut_short_anywhere_is_refused_at_its_end() {
        for fixture in [PLAIN, MIXED, NOT_FOUND, REFUSED, OLD] {
            let end = fixture.trim_ascii_end().len();
            for cut in 0..end {
                let error = parse(&fixture[..cut]).unwrap_err();
                let lines = fixture[..cut].split(|&b| b == b'\n').count();
                let at_the_end = error.at.starts_with(&format!("line {lines}, column "));
                assert!(error.at == "file" || at_the_end, "cut at {cut}: {error}");
            }
            assert!(parse(&fixture[..end]).is_ok());
        }
    }
}
