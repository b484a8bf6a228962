//! TechEmpower's `results.json`, as the FrameworkBenchmarks toolset writes it
//! (`toolset/utils/results.py`):
//!
//! ```json
//! {
//!   "startTime": 1760000000000,
//!   "git": { "commitId": "3f9a6c2e…", … },
//!   "duration": 15,
//!   "concurrencyLevels": [16, 32, 64, 128, 256, 512],
//!   "pipelineConcurrencyLevels": [256, 1024, 4096, 16384],
//!   "queryIntervals": [1, 5, 10, 15, 20],
//!   "cachedQueryIntervals": [1, 10, 20, 50, 100],
//!   "rawData": {
//!     "json": {
//!       "actix": [
//!         { "latencyAvg": "145.02us", "latencyMax": "3.01ms", "latencyStdev": "40.11us",
//!           "totalRequests": 1650340, "startTime": 1760000400, "endTime": 1760000415 },
//!         …
//!       ], …
//!     }, …,
//!     "slocCounts": { … }, "commitCounts": { … }
//!   }, …
//! }
//! ```
//!
//! Each framework has one result per level of its test type, in the order of the levels:
//! `concurrencyLevels` for json, db and fortune, `pipelineConcurrencyLevels` for plaintext,
//! `queryIntervals` for query and update, `cachedQueryIntervals` for cached_query, whose
//! tests all run at the highest of `concurrencyLevels`. The toolset copies a result's
//! figures from wrk's output: the latencies as wrk prints them, the socket errors, and the
//! responses outside 2xx and 3xx as `5xx`. A level wrk could not run has no
//! `totalRequests` (`{}`, or the start and end times alone) and is left out.
//!
//! The file is read as it streams into the structs below: the frameworks' results are the
//! only large part kept, and members this reader does not use are skipped unread.

use serde::Deserialize;
use serde::de::{Error as _, IgnoredAny, MapAccess, Visitor};

use super::error::ParseError;
use super::json::read_json;
use super::members::Members;
use super::model::{Group, Latency, Measurement, Parsed};
use super::numbers::{Count, Figure, sum};
use super::tool::Tool;
use super::units::wrk_time_ms;

#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    expecting = "an object with TechEmpower's results"
)]
struct Results {
    /// When the run started, in milliseconds since the epoch.
    start_time: Option<StartDate>,
    git: Option<Git>,
    /// How long each test ran, in seconds.
    duration: Option<Duration>,
    concurrency_levels: Option<Vec<Level>>,
    pipeline_concurrency_levels: Option<Vec<Level>>,
    query_intervals: Option<Vec<Level>>,
    cached_query_intervals: Option<Vec<Level>>,
    raw_data: RawData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Git {
    commit_id: Option<String>,
}

/// One run of wrk for one framework at one level.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    total_requests: Option<Count>,
    latency_avg: Option<WrkTime>,
    latency_stdev: Option<WrkTime>,
    latency_max: Option<WrkTime>,
    /// wrk's `Non-2xx or 3xx responses`, which the toolset names `5xx`.
    #[serde(rename = "5xx")]
    non_2xx: Option<Count>,
    connect: Option<Count>,
    read: Option<Count>,
    write: Option<Count>,
    timeout: Option<Count>,
}

/// The test types, each with the frameworks' results in the file's order.
struct RawData(Vec<(TestType, Members<String, Vec<Entry>>)>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TestType {
    Json,
    Db,
    Query,
    Fortune,
    Update,
    Plaintext,
    CachedQuery,
}

/// Which list of `results.json` gives a test type's levels.
#[derive(Debug, Clone, Copy)]
enum Levels {
    Concurrency,
    PipelineConcurrency,
    QueryIntervals,
    CachedQueryIntervals,
}

impl TestType {
    fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "json" => TestType::Json,
            "db" => TestType::Db,
            "query" => TestType::Query,
            "fortune" => TestType::Fortune,
            "update" => TestType::Update,
            "plaintext" => TestType::Plaintext,
            // The toolset renamed `cached_query` to `cached-query` in July 2020.
            "cached_query" | "cached-query" => TestType::CachedQuery,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            TestType::Json => "json",
            TestType::Db => "db",
            TestType::Query => "query",
            TestType::Fortune => "fortune",
            TestType::Update => "update",
            TestType::Plaintext => "plaintext",
            TestType::CachedQuery => "cached_query",
        }
    }

    fn levels(self) -> Levels {
        match self {
            TestType::Json | TestType::Db | TestType::Fortune => Levels::Concurrency,
            TestType::Plaintext => Levels::PipelineConcurrency,
            TestType::Query | TestType::Update => Levels::QueryIntervals,
            TestType::CachedQuery => Levels::CachedQueryIntervals,
        }
    }
}

impl Levels {
    fn field(self) -> &'static str {
        match self {
            Levels::Concurrency => "concurrencyLevels",
            Levels::PipelineConcurrency => "pipelineConcurrencyLevels",
            Levels::QueryIntervals => "queryIntervals",
            Levels::CachedQueryIntervals => "cachedQueryIntervals",
        }
    }

    fn of(self, results: &Results) -> Option<&[Level]> {
        match self {
            Levels::Concurrency => results.concurrency_levels.as_deref(),
            Levels::PipelineConcurrency => results.pipeline_concurrency_levels.as_deref(),
            Levels::QueryIntervals => results.query_intervals.as_deref(),
            Levels::CachedQueryIntervals => results.cached_query_intervals.as_deref(),
        }
    }

    /// Whether the levels are queries per request rather than connections.
    fn are_queries(self) -> bool {
        matches!(self, Levels::QueryIntervals | Levels::CachedQueryIntervals)
    }
}

impl<'de> Deserialize<'de> for RawData {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawDataVisitor;

        impl<'de> Visitor<'de> for RawDataVisitor {
            type Value = RawData;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the results by test type")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawData, A::Error> {
                let mut tests: Vec<(TestType, Members<String, Vec<Entry>>)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    // Beside the test types are `slocCounts` and `commitCounts`, per framework.
                    let Some(test_type) = TestType::from_key(&key) else {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    };
                    if tests.iter().any(|(seen, _)| *seen == test_type) {
                        return Err(A::Error::custom(format!(
                            "the {} results are here twice (as `{key}` again)",
                            test_type.name()
                        )));
                    }
                    tests.push((test_type, map.next_value()?));
                }
                Ok(RawData(tests))
            }
        }

        deserializer.deserialize_map(RawDataVisitor)
    }
}

/// A latency as wrk prints it (`1.23ms`), in milliseconds.
struct WrkTime(f64);

impl<'de> Deserialize<'de> for WrkTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        wrk_time_ms(&text)
            .map(WrkTime)
            .ok_or_else(|| D::Error::custom(format!("cannot read the latency `{text}`")))
    }
}

/// A level: connections, or queries per request.
#[derive(Debug, Clone, Copy)]
struct Level(i32);

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Count(count) = Count::deserialize(deserializer)?;
        i32::try_from(count)
            .ok()
            .filter(|&level| level > 0)
            .map(Level)
            .ok_or_else(|| D::Error::custom(format!("{count} is not a level (1 or more)")))
    }
}

/// How long each test ran, in seconds: more than zero.
struct Duration(f64);

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Figure::deserialize(deserializer)? {
            Figure(seconds) if seconds > 0.0 => Ok(Duration(seconds)),
            Figure(seconds) => Err(D::Error::custom(format!(
                "{seconds} seconds: a test runs for some time"
            ))),
        }
    }
}

/// The day a run started, from milliseconds since the epoch.
struct StartDate(chrono::NaiveDate);

impl<'de> Deserialize<'de> for StartDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Count(millis) = Count::deserialize(deserializer)?;
        chrono::DateTime::from_timestamp_millis(millis)
            .map(|time| StartDate(time.date_naive()))
            .ok_or_else(|| {
                D::Error::custom(format!("{millis} is not a time in milliseconds since 1970"))
            })
    }
}

pub(super) fn parse(input: &[u8]) -> Result<Parsed, ParseError> {
    let results: Results = read_json(input, "TechEmpower's results.json")?;
    let mut groups = Vec::new();
    for (test_type, frameworks) in &results.raw_data.0 {
        groups.extend(groups_of(&results, *test_type, frameworks)?);
    }
    if groups.is_empty() {
        return Err(ParseError {
            at: "field rawData".to_owned(),
            message: "no framework has a result: every test failed, or none ran".to_owned(),
        });
    }
    Ok(Parsed {
        tool: Tool::TechEmpower,
        // The FrameworkBenchmarks commit the run was made from: its toolset and its tests.
        tool_version: results.git.and_then(|git| git.commit_id),
        ran_on: results.start_time.map(|StartDate(date)| date),
        threads: None,
        groups,
        checks: Vec::new(),
        thresholds: Vec::new(),
    })
}

/// One group per level of `test_type` at which a framework has a result, the frameworks in
/// the file's order.
fn groups_of(
    results: &Results,
    test_type: TestType,
    frameworks: &Members<String, Vec<Entry>>,
) -> Result<Vec<Group>, ParseError> {
    let levels_field = test_type.levels();
    let levels = levels_field.of(results).unwrap_or_default();
    let mut measurements: Vec<Vec<Measurement>> = levels.iter().map(|_| Vec::new()).collect();
    for (framework, entries) in &frameworks.0 {
        for (index, entry) in entries.iter().enumerate() {
            let at = || format!("field rawData.{}.{framework}[{index}]", test_type.name());
            let Some(Count(total_requests)) = entry.total_requests else {
                continue;
            };
            let Some(level_measurements) = measurements.get_mut(index) else {
                let message = match levels_field.of(results) {
                    None => format!(
                        "the file has no `{}`, which gives this result its level",
                        levels_field.field()
                    ),
                    Some(levels) => format!(
                        "`{}` lists {} levels, so this result has none",
                        levels_field.field(),
                        levels.len()
                    ),
                };
                return Err(ParseError { at: at(), message });
            };
            let duration = results.duration.as_ref().ok_or_else(|| ParseError {
                at: "field duration".to_owned(),
                message: "missing: requests per second are the requests made in `duration` seconds"
                    .to_owned(),
            })?;
            level_measurements.push(measurement(framework, entry, total_requests, duration, at)?);
        }
    }

    let concurrency_of_queries = results
        .concurrency_levels
        .as_deref()
        .and_then(|levels| levels.iter().map(|Level(level)| *level).max());
    Ok(levels
        .iter()
        .zip(measurements)
        .filter(|(_, measurements)| !measurements.is_empty())
        .map(|(Level(level), measurements)| Group {
            test_type: Some(test_type.name().to_owned()),
            queries: levels_field.are_queries().then_some(*level),
            concurrency: if levels_field.are_queries() {
                concurrency_of_queries
            } else {
                Some(*level)
            },
            duration_secs: results.duration.as_ref().map(|Duration(seconds)| *seconds),
            measurements,
        })
        .collect())
}

fn measurement(
    framework: &str,
    entry: &Entry,
    total_requests: i64,
    Duration(duration): &Duration,
    at: impl Fn() -> String,
) -> Result<Measurement, ParseError> {
    let non_2xx = entry.non_2xx.map_or(0, |Count(count)| count);
    // Requests per second as TechEmpower computes them: the successful requests, those
    // answered within 2xx and 3xx, over the test's duration (`Results.rps()` and
    // `SingleWrkExecution.successfulRequests()` in TechEmpower/tfb-status,
    // src/main/java/tfb/status/view/Results.java).
    let successful = total_requests
        .checked_sub(non_2xx)
        .filter(|&n| n >= 0)
        .ok_or_else(|| ParseError {
            at: format!("{}.5xx", at()),
            message: format!(
                "{non_2xx} responses outside 2xx and 3xx, of {total_requests} requests"
            ),
        })?;
    let error_kinds: Vec<(String, i64)> = [
        ("connect", entry.connect),
        ("read", entry.read),
        ("write", entry.write),
        ("timeout", entry.timeout),
    ]
    .into_iter()
    .filter_map(|(kind, count)| match count {
        Some(Count(count)) if count > 0 => Some((kind.to_owned(), count)),
        _ => None,
    })
    .collect();
    let errors = sum(error_kinds.iter().map(|(_, count)| *count)).ok_or_else(|| ParseError {
        at: at(),
        message: "the socket errors add up to more than a count can hold".to_owned(),
    })?;
    let requests_per_sec = successful as f64 / duration;
    if !requests_per_sec.is_finite() {
        return Err(ParseError {
            at: "field duration".to_owned(),
            message: format!("{duration} seconds is too short a test to divide by"),
        });
    }
    Ok(Measurement {
        target: framework.to_owned(),
        requests_per_sec,
        total_requests: Some(total_requests),
        latency: Latency {
            avg_ms: entry.latency_avg.as_ref().map(|WrkTime(ms)| *ms),
            stdev_ms: entry.latency_stdev.as_ref().map(|WrkTime(ms)| *ms),
            max_ms: entry.latency_max.as_ref().map(|WrkTime(ms)| *ms),
            ..Latency::default()
        },
        errors,
        non_2xx,
        status_codes: Vec::new(),
        error_kinds,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    /// Written from the toolset's `results.py` and checked against a real results file in
    /// TechEmpower/tfb-status's tests: 3 frameworks that ran, one (django) that failed to
    /// start and is absent, express failing plaintext and axum one plaintext level.
    const SAMPLE: &[u8] =
        include_bytes!("../../../tests/fixtures/benchmarks/techempower-results.json");

    fn sample_text() -> String {
        String::from_utf8(SAMPLE.to_vec()).unwrap()
    }

    /// The sample with `from` replaced by `to`, which must be there.
    fn sample_with(from: &str, to: &str) -> Result<Parsed, ParseError> {
        let text = sample_text();
        assert!(text.contains(from), "{from}");
        parse(text.replacen(from, to, 1).as_bytes())
    }

    fn group<'a>(parsed: &'a Parsed, test_type: &str, level: i32) -> &'a Group {
        parsed
            .groups
            .iter()
            .find(|group| {
                group.test_type.as_deref() == Some(test_type)
                    && (group.queries == Some(level)
                        || group.queries.is_none() && group.concurrency == Some(level))
            })
            .unwrap()
    }

    fn targets(group: &Group) -> Vec<&str> {
        group
            .measurements
            .iter()
            .map(|m| m.target.as_str())
            .collect()
    }

    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-9,
            "{actual} is not {expected}"
        );
    }

    #[test]
    fn the_sample_gives_a_group_per_test_type_and_level() {
        let parsed = parse(SAMPLE).unwrap();
        assert_eq!(parsed.tool, Tool::TechEmpower);
        assert_eq!(
            parsed.tool_version.as_deref(),
            Some("3f9a6c2e1b7d4058a9e0c1f2b3d4e5f60718293a")
        );
        assert_eq!(parsed.ran_on, NaiveDate::from_ymd_opt(2025, 10, 9));
        assert_eq!(parsed.threads, None);
        assert!(parsed.checks.is_empty() && parsed.thresholds.is_empty());
        let levels: Vec<(Option<&str>, Option<i32>, Option<i32>)> = parsed
            .groups
            .iter()
            .map(|g| (g.test_type.as_deref(), g.queries, g.concurrency))
            .collect();
        let json = |c| (Some("json"), None, Some(c));
        let query = |q| (Some("query"), Some(q), Some(512));
        let plaintext = |c| (Some("plaintext"), None, Some(c));
        assert_eq!(
            levels,
            vec![
                json(16),
                json(32),
                json(64),
                json(128),
                json(256),
                json(512),
                query(1),
                query(5),
                query(10),
                query(15),
                query(20),
                plaintext(256),
                plaintext(1024),
                plaintext(4096),
                plaintext(16384),
            ]
        );
        assert!(parsed.groups.iter().all(|g| g.duration_secs == Some(15.0)));
    }

    #[test]
    fn requests_per_second_are_the_successful_requests_over_the_duration() {
        let parsed = parse(SAMPLE).unwrap();
        let json16 = group(&parsed, "json", 16);
        assert_eq!(targets(json16), ["actix", "axum", "express"]);
        let actix = &json16.measurements[0];
        close(actix.requests_per_sec, 1_650_340.0 / 15.0);
        assert_eq!(actix.total_requests, Some(1_650_340));
        assert_eq!(
            actix.latency,
            Latency {
                avg_ms: Some(0.14502),
                stdev_ms: Some(0.04011),
                max_ms: Some(3.01),
                ..Latency::default()
            }
        );
        assert_eq!((actix.errors, actix.non_2xx), (0, 0));

        let query20 = group(&parsed, "query", 20);
        assert_eq!(targets(query20), ["actix", "axum", "express"]);
        let express = &query20.measurements[2];
        assert_eq!(
            (express.total_requests, express.non_2xx),
            (Some(8017), 1532)
        );
        close(express.requests_per_sec, (8017.0 - 1532.0) / 15.0);
        assert_eq!(express.latency.avg_ms, Some(950.0));
    }

    #[test]
    fn socket_errors_are_summed_and_kept_by_kind() {
        let parsed = parse(SAMPLE).unwrap();
        let express = &group(&parsed, "json", 512).measurements[2];
        assert_eq!(express.target, "express");
        assert_eq!(express.errors, 15);
        assert_eq!(
            express.error_kinds,
            vec![("read".to_owned(), 12), ("timeout".to_owned(), 3)]
        );
        assert_eq!(express.latency.max_ms, Some(2_010.0));
    }

    #[test]
    fn levels_that_did_not_run_are_left_out() {
        let parsed = parse(SAMPLE).unwrap();
        // express ran no plaintext level, and axum's last is `{}`.
        assert_eq!(targets(group(&parsed, "plaintext", 256)), ["actix", "axum"]);
        assert_eq!(targets(group(&parsed, "plaintext", 16384)), ["actix"]);
        assert!(
            parsed
                .groups
                .iter()
                .flat_map(|g| &g.measurements)
                .all(|m| m.target != "django")
        );
    }

    #[test]
    fn cached_queries_under_either_name_run_at_the_highest_concurrency() {
        let parsed = sample_with(
            "\"cached_query\": {}",
            r#""cached-query": {"actix": [{"totalRequests": 30}]}"#,
        )
        .unwrap();
        let cached = group(&parsed, "cached_query", 1);
        assert_eq!((cached.queries, cached.concurrency), (Some(1), Some(512)));
        close(cached.measurements[0].requests_per_sec, 2.0);

        let error = sample_with(
            "\"cached_query\": {}",
            r#""cached_query": {}, "cached-query": {}"#,
        )
        .unwrap_err();
        assert_eq!(error.at, "field rawData");
        assert!(
            error
                .message
                .starts_with("the cached_query results are here twice"),
            "{error}"
        );
    }

    #[test]
    fn what_the_file_does_not_say_is_none() {
        let parsed = parse(
            br#"{"duration": 10, "git": null, "concurrencyLevels": [8],
                "rawData": {"db": {"gin": [{"totalRequests": 0}]}}}"#,
        )
        .unwrap();
        assert_eq!((parsed.tool_version, parsed.ran_on), (None, None));
        let m = &parsed.groups[0].measurements[0];
        assert_eq!(
            (m.requests_per_sec, m.latency.clone()),
            (0.0, Latency::default())
        );
    }

    #[test]
    fn a_bad_value_is_refused_by_its_field_and_position() {
        let text = sample_text();
        let third = text
            .match_indices("\"totalRequests\": 4302518")
            .next()
            .unwrap()
            .0;
        let line = text[..third].matches('\n').count() + 1;
        let error = sample_with(
            "\"totalRequests\": 4302518",
            "\"totalRequests\": \"4302518\"",
        )
        .unwrap_err();
        assert_eq!(error.at, "field rawData.json.actix[2].totalRequests");
        assert!(
            error
                .message
                .ends_with(&format!("(line {line}, column 36)")),
            "{error}"
        );

        let error = sample_with("\"145.02us\"", "\"12.3xs\"").unwrap_err();
        assert_eq!(error.at, "field rawData.json.actix[0].latencyAvg");
        assert!(
            error
                .message
                .starts_with("cannot read the latency `12.3xs` (line "),
            "{error}"
        );

        let error = sample_with("\"timeout\": 3", "\"timeout\": -3").unwrap_err();
        assert_eq!(error.at, "field rawData.json.express[5].timeout");

        let error = sample_with("\"duration\": 15", "\"duration\": 0").unwrap_err();
        assert_eq!(error.at, "field duration");

        let error =
            sample_with("\"startTime\": 1760000000000", "\"startTime\": \"today\"").unwrap_err();
        assert_eq!(error.at, "field startTime");

        let error = sample_with(
            "\"queryIntervals\": [\n    1,",
            "\"queryIntervals\": [\n    0,",
        )
        .unwrap_err();
        assert_eq!(error.at, "field queryIntervals[0]");

        let error = sample_with("\"5xx\": 1532", "\"5xx\": 9000").unwrap_err();
        assert_eq!(error.at, "field rawData.query.express[4].5xx");
        assert_eq!(
            error.message,
            "9000 responses outside 2xx and 3xx, of 8017 requests"
        );
    }

    #[test]
    fn a_result_without_a_level_is_refused() {
        let error = sample_with("    256,\n    512\n  ],", "    256\n  ],").unwrap_err();
        assert_eq!(error.at, "field rawData.json.actix[5]");
        assert_eq!(
            error.message,
            "`concurrencyLevels` lists 5 levels, so this result has none"
        );

        let error = sample_with("\"pipelineConcurrencyLevels\"", "\"pipelineLevels\"").unwrap_err();
        assert_eq!(error.at, "field rawData.plaintext.actix[0]");
        assert!(
            error.message.contains("no `pipelineConcurrencyLevels`"),
            "{error}"
        );

        let error = sample_with("\"duration\": 15,", "").unwrap_err();
        assert_eq!(error.at, "field duration");
    }

    #[test]
    fn a_file_with_no_result_is_refused() {
        let error = parse(br#"{"duration": 15, "rawData": {"json": {"gin": [{}, {"startTime": 1, "endTime": 1}]}}}"#)
            .unwrap_err();
        assert_eq!(error.at, "field rawData");

        let error = parse(br#"{"metrics": {"http_reqs": {"count": 1, "rate": 1}}}"#).unwrap_err();
        assert!(
            error
                .message
                .starts_with("missing field `rawData`: is this TechEmpower's results.json?"),
            "{error}"
        );
    }

    #[test]
    fn json_cut_short_anywhere_is_refused_at_its_end() {
        let end = SAMPLE.trim_ascii_end().len();
        // Every 5th byte: every byte would take seconds in a debug build.
        for cut in (0..end).step_by(5) {
            let error = parse(&SAMPLE[..cut]).unwrap_err();
            let lines = SAMPLE[..cut].split(|&b| b == b'\n').count();
            let at_the_end = error.at.starts_with(&format!("line {lines}, column "));
            assert!(error.at == "file" || at_the_end, "cut at {cut}: {error}");
        }
        assert!(parse(&SAMPLE[..end]).is_ok());
    }
}
