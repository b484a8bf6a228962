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

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::web::params::{code_point, first_refused, is_refused};

/// The load tools whose output Verdict reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tool {
    Wrk,
    Oha,
    K6,
    #[serde(rename = "techempower")]
    TechEmpower,
}

impl Tool {
    pub const ALL: [Tool; 4] = [Tool::Wrk, Tool::Oha, Tool::K6, Tool::TechEmpower];

    /// The name in forms, URLs, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::Wrk => "wrk",
            Tool::Oha => "oha",
            Tool::K6 => "k6",
            Tool::TechEmpower => "techempower",
        }
    }

    /// The name readers know it by.
    pub fn label(self) -> &'static str {
        match self {
            Tool::Wrk => "wrk",
            Tool::Oha => "oha",
            Tool::K6 => "k6",
            Tool::TechEmpower => "TechEmpower",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        Tool::ALL
            .into_iter()
            .find(|tool| tool.as_str() == value)
            .ok_or_else(|| "must be one of wrk, oha, k6 and techempower".to_owned())
    }

    /// Whether one file holds several targets (TechEmpower's frameworks), each mapped to a
    /// technology at the preview, rather than the one target the upload form names.
    pub fn has_many_targets(self) -> bool {
        self == Tool::TechEmpower
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

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

/// Why a file cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// `line 7`, or `field rawData.json.actix[2].totalRequests`.
    pub at: String,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

impl std::error::Error for ParseError {}

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

/// The most characters a name in a file (a target, a check, a threshold, an error kind)
/// may have: pages list many of them.
pub const MAX_TEXT: usize = 500;

/// Why `text` cannot be stored, if it cannot: a control character, or its length.
pub fn unstorable(text: &str) -> Option<String> {
    if let Some(c) = first_refused(text) {
        return Some(format!(
            "holds a control character ({}): only tab, carriage return and line feed may appear",
            code_point(c)
        ));
    }
    let length = text.chars().count();
    (length > MAX_TEXT).then(|| format!("is {length} characters long: at most {MAX_TEXT} may be"))
}

/// Refuses a text of `parsed` that cannot be stored, naming it. JSON can spell any
/// character as an escape (`"\u0000"`), so reading the file as text is not enough.
fn storable(parsed: &Parsed) -> Result<(), ParseError> {
    let target = match parsed.tool {
        Tool::TechEmpower => "framework",
        _ => "target",
    };
    let mut texts: Vec<(&str, &str)> = Vec::new();
    if let Some(version) = &parsed.tool_version {
        texts.push(("tool version", version));
    }
    for group in &parsed.groups {
        if let Some(test_type) = &group.test_type {
            texts.push(("test type", test_type));
        }
        for measurement in &group.measurements {
            texts.push((target, &measurement.target));
            texts.extend(
                measurement
                    .status_codes
                    .iter()
                    .map(|(code, _)| ("status code", code.as_str())),
            );
            texts.extend(
                measurement
                    .error_kinds
                    .iter()
                    .map(|(kind, _)| ("error kind", kind.as_str())),
            );
        }
    }
    texts.extend(
        parsed
            .checks
            .iter()
            .map(|check| ("check", check.name.as_str())),
    );
    for threshold in &parsed.thresholds {
        texts.push(("threshold's metric", &threshold.metric));
        texts.push(("threshold", &threshold.expression));
    }
    for (what, text) in texts {
        if let Some(problem) = unstorable(text) {
            let shown: String = text.chars().take(60).collect();
            return Err(ParseError {
                at: format!("{what} {shown:?}"),
                message: problem,
            });
        }
    }
    Ok(())
}

// What every reader shares: the text of a file, wrk's units (wrk prints them and TechEmpower
// copies them into its JSON), and reading JSON into typed structs so that a bad value is
// refused with its field's path.

/// The file as text, refused when it is empty, not UTF-8 (a binary or a UTF-16 export), or
/// holds a control character other than tab, CR and LF.
fn text_of(input: &[u8]) -> Result<&str, ParseError> {
    // Windows tools save UTF-8 with a byte-order mark, which no JSON reader accepts.
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let text = std::str::from_utf8(input).map_err(|error| {
        let before = input.get(..error.valid_up_to()).unwrap_or_default();
        let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
        ParseError {
            at: format!("line {line}"),
            message: format!(
                "the file is not UTF-8 text (byte {} is not): upload the tool's text or JSON output",
                error.valid_up_to() + 1
            ),
        }
    })?;
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| is_refused(c)) {
        let before = text.get(..at).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        return Err(ParseError {
            at: format!("line {line}, column {column}"),
            message: format!(
                "the file holds a control character ({}): only tab, carriage return and line feed may appear in a load tool's output",
                code_point(c)
            ),
        });
    }
    if text.trim().is_empty() {
        return Err(ParseError {
            at: "file".to_owned(),
            message: "the file is empty".to_owned(),
        });
    }
    Ok(text)
}

/// A wrk duration (`620.04us`, `1.33ms`, `2.00s`, `1.50m`, `1.00h`) in milliseconds.
fn wrk_time_ms(text: &str) -> Option<f64> {
    let (number, unit) = number_and_unit(text)?;
    // Shifting the decimal point in the text rather than multiplying keeps `2.01s` 2010 ms,
    // where 2.01 × 1000 would be 2009.9999999999998.
    let (power_of_ten, factor) = match unit {
        "us" => (-3, 1.0),
        "ms" => (0, 1.0),
        "s" => (3, 1.0),
        "m" => (3, 60.0),
        "h" => (3, 3_600.0),
        _ => return None,
    };
    let ms: f64 = format!("{number}e{power_of_ten}").parse().ok()?;
    Some(ms * factor).filter(|ms| ms.is_finite())
}

/// Whether `text` is a wrk count: a number with an optional SI suffix (`736.60`, `103.44k`).
fn is_wrk_count(text: &str) -> bool {
    number_and_unit(text).is_some_and(|(_, unit)| ["", "k", "M", "G", "T", "P"].contains(&unit))
}

/// Whether `text` is a wrk size: a number with a binary unit (`0.00B`, `14.55MB`).
fn is_wrk_size(text: &str) -> bool {
    number_and_unit(text)
        .is_some_and(|(_, unit)| ["B", "KB", "MB", "GB", "TB", "PB"].contains(&unit))
}

/// `12.5ms` → ("12.5", "ms"): a number as wrk prints them (digits and a point) and its unit.
fn number_and_unit(text: &str) -> Option<(&str, &str)> {
    let number = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = text.strip_prefix(number)?;
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let points = number.chars().filter(|&c| c == '.').count();
    (digits > 0 && points <= 1 && digits + points == number.len()).then_some((number, unit))
}

/// Reads JSON into `T`, streaming (no tree of the whole file is built), and names the field
/// of a value that does not fit: `field rawData.json.actix[2].totalRequests`. `what` names
/// the expected output for files that are not it at all.
fn read_json<T: serde::de::DeserializeOwned>(input: &[u8], what: &str) -> Result<T, ParseError> {
    let text = text_of(input)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        json_error(error.inner(), &path, what)
    })?;
    deserializer
        .end()
        .map_err(|error| json_error(&error, ".", what))?;
    Ok(value)
}

fn json_error(error: &serde_json::Error, path: &str, what: &str) -> ParseError {
    use serde_json::error::Category;

    let position = format!("line {}, column {}", error.line(), error.column());
    let full = error.to_string();
    // serde_json ends its messages with the position, which `at` already gives.
    let message = full
        .strip_suffix(&format!(
            " at line {} column {}",
            error.line(),
            error.column()
        ))
        .unwrap_or(&full);
    match error.classify() {
        Category::Eof => ParseError {
            at: position,
            message: "the file ends in the middle of the JSON: is it cut short?".to_owned(),
        },
        Category::Data if path != "." => ParseError {
            at: format!("field {path}"),
            message: format!("{message} ({position})"),
        },
        Category::Data => ParseError {
            at: position,
            message: format!("{message}: is this {what}?"),
        },
        Category::Syntax | Category::Io => ParseError {
            at: position,
            message: format!("this is not valid JSON: {message}"),
        },
    }
}

/// A count in a JSON file (requests, errors, passes): a whole number, zero or more. JSON
/// writers in JavaScript may print a whole number as `12.0`, which is accepted.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Count(i64);

impl<'de> serde::Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountVisitor;

        impl serde::de::Visitor<'_> for CountVisitor {
            type Value = Count;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a count (a whole number, zero or more)")
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Count, E> {
                i64::try_from(value)
                    .map(Count)
                    .map_err(|_| E::custom(format!("{value} is too large a count")))
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Count, E> {
                if value < 0 {
                    return Err(E::custom(format!("{value} is negative; a count cannot be")));
                }
                Ok(Count(value))
            }

            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Count, E> {
                // Beyond 2^53 a float no longer holds whole numbers exactly.
                if value.fract() != 0.0 || !(0.0..=9_007_199_254_740_992.0).contains(&value) {
                    return Err(E::custom(format!(
                        "{value} is not a count (a whole number, zero or more)"
                    )));
                }
                Ok(Count(value as i64))
            }
        }

        deserializer.deserialize_any(CountVisitor)
    }
}

/// A measured figure in a JSON file (a rate, a latency): a number, zero or more.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Figure(f64);

impl<'de> serde::Deserialize<'de> for Figure {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FigureVisitor;

        impl serde::de::Visitor<'_> for FigureVisitor {
            type Value = Figure;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, zero or more")
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Figure, E> {
                Ok(Figure(value as f64))
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Figure, E> {
                self.visit_f64(value as f64)
            }

            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Figure, E> {
                // JSON has no NaN or infinity, but a huge exponent still reads as infinite.
                if !value.is_finite() || value < 0.0 {
                    return Err(E::custom(format!(
                        "{value} cannot be: the figure must be zero or more"
                    )));
                }
                Ok(Figure(value))
            }
        }

        deserializer.deserialize_any(FigureVisitor)
    }
}

/// A JSON object's members in the file's order, where the order means something (k6's
/// thresholds, TechEmpower's frameworks) and the keys are data rather than field names.
#[derive(Debug)]
struct Members<K, V>(Vec<(K, V)>);

impl<K, V> Default for Members<K, V> {
    fn default() -> Self {
        Members(Vec::new())
    }
}

impl<'de, K: serde::Deserialize<'de>, V: serde::Deserialize<'de>> serde::Deserialize<'de>
    for Members<K, V>
{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor<K, V>(std::marker::PhantomData<(K, V)>);

        impl<'de, K: serde::Deserialize<'de>, V: serde::Deserialize<'de>> serde::de::Visitor<'de>
            for MembersVisitor<K, V>
        {
            type Value = Members<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }

        deserializer.deserialize_map(MembersVisitor(std::marker::PhantomData))
    }
}

/// Adds counts up, or says they overflow (only a forged file has such counts).
fn sum(counts: impl IntoIterator<Item = i64>) -> Option<i64> {
    counts.into_iter().try_fold(0_i64, i64::checked_add)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The one measurement a single-target tool's file holds, with its group and the whole.
    pub(super) fn single(tool: Tool, input: &[u8]) -> (Parsed, Group, Measurement) {
        let parsed = parse(tool, input).unwrap();
        assert_eq!(parsed.tool, tool);
        assert_eq!(parsed.groups.len(), 1);
        let group = parsed.groups[0].clone();
        assert_eq!(group.measurements.len(), 1);
        let measurement = group.measurements[0].clone();
        (parsed, group, measurement)
    }

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

    #[test]
    fn counts_are_whole_numbers_zero_or_more() {
        let count = |json: &str| {
            serde_json::from_str::<Count>(json)
                .map(|Count(n)| n)
                .map_err(|e| e.to_string())
        };
        assert_eq!(count("12"), Ok(12));
        assert_eq!(count("12.0"), Ok(12));
        assert_eq!(count("0"), Ok(0));
        assert!(count("-1").unwrap_err().contains("negative"));
        assert!(count("1.5").is_err());
        assert!(count("1e300").is_err());
        assert!(
            count("18446744073709551615")
                .unwrap_err()
                .contains("too large")
        );
        assert!(count("\"12\"").is_err());
        let figure = |json: &str| {
            serde_json::from_str::<Figure>(json)
                .map(|Figure(n)| n)
                .map_err(|e| e.to_string())
        };
        assert_eq!(figure("0"), Ok(0.0));
        assert_eq!(figure("1.5"), Ok(1.5));
        assert!(figure("-0.1").is_err());
        assert!(figure("null").is_err());
    }

    #[test]
    fn wrk_units_are_read() {
        assert_eq!(wrk_time_ms("620.04us"), Some(0.62004));
        assert_eq!(wrk_time_ms("1.33ms"), Some(1.33));
        assert_eq!(wrk_time_ms("2.01s"), Some(2010.0));
        assert_eq!(wrk_time_ms("1.50m"), Some(90_000.0));
        assert_eq!(wrk_time_ms("2h"), Some(7_200_000.0));
        let too_long = format!("{}s", "9".repeat(400));
        for bad in [
            "", "ms", "1.2", "1.2.3ms", "-1ms", "+1ms", "1e3ms", "NaNms", "infs", "1 ms", "1.2xs",
            &too_long,
        ] {
            assert_eq!(wrk_time_ms(bad), None, "{bad}");
        }
        assert!(is_wrk_count("736.60") && is_wrk_count("103.44k") && is_wrk_count("1.00G"));
        assert!(!is_wrk_count("1.00KB") && !is_wrk_count("-nan"));
        assert!(is_wrk_size("0.00B") && is_wrk_size("146.28MB"));
        assert!(!is_wrk_size("146.28") && !is_wrk_size("146.28K"));
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
