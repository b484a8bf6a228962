//! Readers of load tools' output: `wrk` text, `oha` JSON, `k6 --summary-export` JSON and
//! TechEmpower's `results.json`. Each turns a file into a [`Parsed`]: the figures per
//! target, grouped by what the tool measured at one concurrency. Pure: no web, no database.
//!
//! A file that cannot be read is refused with a [`ParseError`] that names the line (text)
//! or the field (JSON) at fault. No reader panics, whatever the input.

mod k6;
mod oha;
mod techempower;
mod wrk;

// What every reader shares: the text of a file, wrk's units (wrk prints them and TechEmpower
// copies them into its JSON), and reading JSON into typed structs so that a bad value is
// refused with its field's path.
mod json;
mod members;
mod numbers;
mod text;
mod units;

mod error;
mod model;
mod storable;
mod tool;

#[cfg(test)]
mod testing;

pub use error::ParseError;
pub use model::{Check, Group, Latency, Measurement, Parsed, Threshold};
pub use storable::{MAX_TEXT, unstorable};
pub use tool::Tool;

use storable::storable;

/// Reads `input` as `tool`'s output. Every text it gives holds no control character but
/// tab, CR and LF, and is at most [`MAX_TEXT`] characters long.
pub fn parse(tool: Tool, input: &[u8]) -> Result<Parsed, ParseError> {
    let parsed = match tool {
        Tool::Wrk => wrk::parse(input),
        Tool::Oha => oha::parse(input),
        Tool::K6 => k6::parse(input),
        Tool::TechEmpower => techempower::parse(input),
    }?;
    storable(&parsed)?;
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const FIXTURES: &[(Tool, &[u8])] = &[
        (
            Tool::Wrk,
            include_bytes!("../../../tests/fixtures/benchmarks/wrk-plain.txt"),
        ),
        (
            Tool::Wrk,
            include_bytes!("../../../tests/fixtures/benchmarks/wrk-latency.txt"),
        ),
        (
            Tool::Wrk,
            include_bytes!("../../../tests/fixtures/benchmarks/wrk-errors.txt"),
        ),
        (
            Tool::Wrk,
            include_bytes!("../../../tests/fixtures/benchmarks/wrk-lua-script.txt"),
        ),
        (
            Tool::Oha,
            include_bytes!("../../../tests/fixtures/benchmarks/oha-mixed.json"),
        ),
        (
            Tool::Oha,
            include_bytes!("../../../tests/fixtures/benchmarks/oha-refused.json"),
        ),
        (
            Tool::Oha,
            include_bytes!("../../../tests/fixtures/benchmarks/oha-0x-sample.json"),
        ),
        (
            Tool::K6,
            include_bytes!("../../../tests/fixtures/benchmarks/k6-summary.json"),
        ),
        (
            Tool::K6,
            include_bytes!("../../../tests/fixtures/benchmarks/k6-failing.json"),
        ),
        (
            Tool::TechEmpower,
            include_bytes!("../../../tests/fixtures/benchmarks/techempower-results.json"),
        ),
    ];

    /// What every reader promises of what it accepts: figures that can be stored and
    /// compared, whatever the input.
    fn assert_sane(tool: Tool, parsed: &Parsed) {
        assert_eq!(parsed.tool, tool);
        assert!(!parsed.groups.is_empty());
        assert!(parsed.threads.is_none_or(|threads| threads > 0));
        for group in &parsed.groups {
            assert!(!group.measurements.is_empty());
            assert!(group.concurrency.is_none_or(|concurrency| concurrency > 0));
            assert!(group.queries.is_none_or(|queries| queries > 0));
            assert!(
                group
                    .duration_secs
                    .is_none_or(|secs| secs.is_finite() && secs >= 0.0)
            );
            for m in &group.measurements {
                assert!(
                    m.requests_per_sec.is_finite() && m.requests_per_sec >= 0.0,
                    "{m:?}"
                );
                assert!(m.total_requests.is_none_or(|total| total >= 0));
                assert!(m.errors >= 0 && m.non_2xx >= 0);
                let l = &m.latency;
                for figure in [
                    l.avg_ms, l.stdev_ms, l.max_ms, l.p50_ms, l.p75_ms, l.p90_ms, l.p95_ms,
                    l.p99_ms, l.p999_ms,
                ]
                .into_iter()
                .flatten()
                {
                    assert!(figure.is_finite() && figure >= 0.0, "{l:?}");
                }
                assert!(
                    m.status_codes
                        .iter()
                        .all(|(code, count)| code.parse::<u16>().is_ok() && *count >= 0)
                );
                assert!(m.error_kinds.iter().all(|(_, count)| *count > 0));
                if !m.error_kinds.is_empty() {
                    assert_eq!(
                        m.errors,
                        m.error_kinds.iter().map(|(_, count)| count).sum::<i64>()
                    );
                }
            }
        }
        for check in &parsed.checks {
            assert!(check.passes >= 0 && check.fails >= 0);
        }
        assert_eq!(storable(parsed), Ok(()), "every text can be stored");
    }

    /// Reads `input` as every tool's output, which must not panic; what is read must be sane
    /// and what is refused must say where and why.
    fn read_as_every_tool(input: &[u8]) {
        for tool in Tool::ALL {
            match parse(tool, input) {
                Ok(parsed) => assert_sane(tool, &parsed),
                Err(error) => assert!(!error.at.is_empty() && !error.message.is_empty()),
            }
        }
    }

    #[test]
    fn every_fixture_is_read_sanely_by_its_reader_and_refused_by_the_others() {
        for (tool, fixture) in FIXTURES {
            for other in Tool::ALL {
                match parse(other, fixture) {
                    Ok(parsed) => {
                        assert_eq!(other, *tool);
                        assert_sane(other, &parsed);
                    }
                    Err(error) => assert_ne!(other, *tool, "{error}"),
                }
            }
        }
    }

    #[test]
    fn files_that_are_no_text_are_refused_clearly() {
        for tool in Tool::ALL {
            let error = parse(tool, b"").unwrap_err();
            assert_eq!(
                (error.at.as_str(), error.message.as_str()),
                ("file", "the file is empty")
            );
            let error = parse(tool, b"\n\r\n  \t").unwrap_err();
            assert_eq!(error.message, "the file is empty");
            // A UTF-16 export, as Windows' PowerShell writes redirected output.
            let error = parse(tool, b"\xff\xfeR\0u\0n\0").unwrap_err();
            assert_eq!(error.at, "line 1");
            assert!(
                error
                    .message
                    .starts_with("the file is not UTF-8 text (byte 1 is not)"),
                "{error}"
            );
            let error = parse(tool, b"{\n\n\"a\": \"\xc3\"}").unwrap_err();
            assert_eq!(error.at, "line 3");
        }
    }

    /// `fixture` of `tool` with `from` replaced by `to`, read.
    fn fixture_with(tool: Tool, from: &str, to: &str) -> Result<Parsed, ParseError> {
        let (_, fixture) = FIXTURES
            .iter()
            .find(|(t, _)| *t == tool)
            .expect("a fixture");
        let text = std::str::from_utf8(fixture).expect("UTF-8").to_owned();
        assert!(text.contains(from), "{from}");
        parse(tool, text.replacen(from, to, 2).as_bytes())
    }

    #[test]
    fn control_characters_are_refused_where_they_are() {
        // A raw NUL byte in a text file, by line and column.
        let error = fixture_with(Tool::Wrk, "  2 threads", " \0 2 threads").unwrap_err();
        assert_eq!(error.at, "line 2, column 2");
        assert!(
            error.message.contains("control character (U+0000)"),
            "{error}"
        );
        // In JSON, raw (U+0085, which JSON strings may hold) or as an escape.
        let error = fixture_with(Tool::K6, "\"status is 200\"", "\"status\u{85}\"").unwrap_err();
        assert!(error.at.starts_with("line 13, column "), "{error}");
        assert!(error.message.contains("(U+0085)"), "{error}");
        let error =
            fixture_with(Tool::K6, "\"status is 200\"", r#""status\u0000 is 200""#).unwrap_err();
        assert_eq!(error.at, r#"check "technologies::status\0 is 200""#);
        assert!(
            error.message.contains("control character (U+0000)"),
            "{error}"
        );
        let error = fixture_with(Tool::TechEmpower, "\"actix\"", r#""act\u0007ix""#).unwrap_err();
        assert_eq!(error.at, r#"framework "act\u{7}ix""#);
        assert!(error.message.contains("(U+0007)"), "{error}");
        // Tab, CR and LF are text.
        assert!(fixture_with(Tool::K6, "\"status is 200\"", r#""status\tis\r\n200""#).is_ok());
    }

    #[test]
    fn names_too_long_to_list_are_refused() {
        let long = "x".repeat(MAX_TEXT + 1);
        let error =
            fixture_with(Tool::TechEmpower, "\"actix\"", &format!("\"{long}\"")).unwrap_err();
        assert!(error.at.starts_with("framework \"xxx"), "{error}");
        assert_eq!(error.message, "is 501 characters long: at most 500 may be");
        let longest = "x".repeat(MAX_TEXT);
        assert!(fixture_with(Tool::TechEmpower, "\"actix\"", &format!("\"{longest}\"")).is_ok());
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        for (tool, fixture) in FIXTURES {
            let with_bom = [b"\xEF\xBB\xBF".as_slice(), fixture].concat();
            assert_eq!(parse(*tool, &with_bom), parse(*tool, fixture));
        }
    }

    #[test]
    fn broken_json_is_refused_by_line_and_column() {
        let error = parse(Tool::Oha, b"{\n  \"summary\": {,\n}").unwrap_err();
        assert_eq!(error.at, "line 2, column 15");
        assert_eq!(
            error.message,
            "this is not valid JSON: key must be a string"
        );
        let error = parse(
            Tool::K6,
            b"{\"metrics\": {\"http_reqs\": {\"count\": 1e999}}}",
        )
        .unwrap_err();
        assert!(error.at.starts_with("line 1, column "), "{error}");
        assert!(error.message.contains("number out of range"), "{error}");
        let error = parse(Tool::TechEmpower, b"{\"rawData\": {\"json\": {\"a\": [").unwrap_err();
        assert_eq!(error.at, "line 1, column 28");
        assert_eq!(
            error.message,
            "the file ends in the middle of the JSON: is it cut short?"
        );
    }

    /// A fixture with up to 8 bytes replaced, inserted or removed, mostly by bytes that mean
    /// something in the formats.
    fn mutated() -> impl Strategy<Value = (Tool, Vec<u8>)> {
        let byte = prop_oneof![
            3 => prop::sample::select(b"0123456789.-+e,:%\" {}[]\n\tkmsuMGBKnul".to_vec()),
            1 => any::<u8>(),
        ];
        let edits = prop::collection::vec((any::<prop::sample::Index>(), 0..3_u8, byte), 1..8);
        (prop::sample::select(FIXTURES), edits).prop_map(|((tool, fixture), edits)| {
            let mut bytes = fixture.to_vec();
            for (index, edit, byte) in edits {
                let at = index.index(bytes.len() + 1);
                match edit {
                    0 if at < bytes.len() => bytes[at] = byte,
                    1 => bytes.insert(at, byte),
                    _ if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => {}
                }
            }
            (tool, bytes)
        })
    }

    /// Lines made of wrk's words and figures, so that the reader goes past its first checks.
    fn wrk_like() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            prop::sample::select(vec![
                "Running",
                "test @",
                "http://x/",
                "threads and",
                "connections",
                "Thread Stats",
                "Latency",
                "Distribution",
                "Req/Sec",
                "requests in",
                "read",
                "Socket errors:",
                "connect",
                "write",
                "timeout",
                ",",
                "Non-2xx or 3xx responses:",
                "Requests/sec:",
                "Transfer/sec:",
                "unable to connect to",
                "-nan%",
                "%",
            ])
            .prop_map(str::to_owned),
            "[0-9]{1,5}(\\.[0-9]{1,2})?(us|ms|s|m|h|k|M|G|B|KB|MB|%)?",
        ];
        let line = prop::collection::vec(word, 0..7).prop_map(|words| words.join(" "));
        prop::collection::vec(line, 0..16).prop_map(|lines| lines.join("\n"))
    }

    /// JSON made of the formats' keys and of odd values, so that the JSON readers go past
    /// their first fields.
    fn json_like() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "summary",
            "total",
            "requestsPerSec",
            "average",
            "slowest",
            "latencyPercentiles",
            "p50",
            "p99.9",
            "statusCodeDistribution",
            "200",
            "500",
            "errorDistribution",
            "aborted due to deadline",
            "metrics",
            "http_reqs",
            "count",
            "rate",
            "http_req_duration",
            "med",
            "p(95)",
            "thresholds",
            "http_req_failed",
            "passes",
            "fails",
            "vus_max",
            "vus",
            "max",
            "root_group",
            "groups",
            "checks",
            "state",
            "testRunDurationMs",
            "rawData",
            "json",
            "query",
            "plaintext",
            "cached-query",
            "actix",
            "totalRequests",
            "latencyAvg",
            "5xx",
            "timeout",
            "duration",
            "concurrencyLevels",
            "queryIntervals",
            "pipelineConcurrencyLevels",
            "startTime",
            "git",
            "commitId",
        ]);
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            (0_u64..20).prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            prop::sample::select(vec!["1.2ms", "x", "620us", "2.01s", "200"])
                .prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                prop::collection::vec((key.clone(), inner), 0..6).prop_map(|members| {
                    serde_json::Value::Object(
                        members
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect(),
                    )
                }),
            ]
        })
        .prop_map(|value| value.to_string())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn no_reader_panics_on_arbitrary_bytes(input in prop::collection::vec(any::<u8>(), 0..1024)) {
            read_as_every_tool(&input);
        }

        #[test]
        fn no_reader_panics_on_arbitrary_text(input in ".{0,512}") {
            read_as_every_tool(input.as_bytes());
        }

        #[test]
        fn no_reader_panics_on_a_mutated_fixture((tool, input) in mutated()) {
            match parse(tool, &input) {
                Ok(parsed) => assert_sane(tool, &parsed),
                Err(error) => prop_assert!(!error.at.is_empty() && !error.message.is_empty()),
            }
        }

        #[test]
        fn the_wrk_reader_does_not_panic_on_lines_of_wrk_words(input in wrk_like()) {
            read_as_every_tool(input.as_bytes());
        }

        #[test]
        fn the_json_readers_do_not_panic_on_json_of_their_keys(input in json_like()) {
            read_as_every_tool(input.as_bytes());
        }
    }
}
