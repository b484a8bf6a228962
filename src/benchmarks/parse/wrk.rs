//! wrk's text output (wrk 4.x), with or without `--latency`:
//!
//! ```text
//! Running 10s test @ http://127.0.0.1:8080/technologies
//!   1 threads and 64 connections
//!   Thread Stats   Avg      Stdev     Max   +/- Stdev
//!     Latency   620.04us  203.02us   5.00ms   82.66%
//!     Req/Sec   103.44k     5.21k  110.79k    76.00%
//!   Latency Distribution
//!      50%  583.00us
//!      75%  678.00us
//!      90%  803.00us
//!      99%    1.33ms
//!   1029389 requests in 10.00s, 146.28MB read
//!   Socket errors: connect 0, read 0, write 0, timeout 12
//!   Non-2xx or 3xx responses: 5
//! Requests/sec: 102911.82
//! Transfer/sec:     14.55MB
//! ```
//!
//! Each line is known by its words; any other line is what a Lua script printed, and is
//! skipped. A known line that cannot be read, or twice the same line (two runs in one file),
//! is refused by its number.

use super::error::ParseError;
use super::model::{Group, Latency, Measurement, Parsed};
use super::numbers::sum;
use super::text::text_of;
use super::tool::Tool;
use super::units::{is_wrk_count, is_wrk_size, wrk_time_ms};

/// wrk's lines, in the order wrk prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Running,
    Threads,
    LatencyStats,
    RequestsPerThread,
    RequestsIn,
    SocketErrors,
    Non2xx,
    RequestsPerSec,
    TransferPerSec,
}

impl Kind {
    /// How the reader names the line.
    fn label(self) -> &'static str {
        match self {
            Kind::Running => "`Running … test @ URL`",
            Kind::Threads => "`N threads and N connections`",
            Kind::LatencyStats => "`Latency` (thread stats)",
            Kind::RequestsPerThread => "`Req/Sec`",
            Kind::RequestsIn => "`N requests in …, … read`",
            Kind::SocketErrors => "`Socket errors:`",
            Kind::Non2xx => "`Non-2xx or 3xx responses:`",
            Kind::RequestsPerSec => "`Requests/sec:`",
            Kind::TransferPerSec => "`Transfer/sec:`",
        }
    }
}

/// The lines wrk always prints; the others it prints only when there is something to say.
const REQUIRED: [Kind; 6] = [
    Kind::Running,
    Kind::Threads,
    Kind::LatencyStats,
    Kind::RequestsIn,
    Kind::RequestsPerSec,
    Kind::TransferPerSec,
];

/// Where in wrk's output a line is: its thread stats and latency distribution are blocks
/// whose lines are known only by what heads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    None,
    ThreadStats,
    Distribution,
}

/// What the lines read so far say.
#[derive(Debug, Default)]
struct Run {
    /// The line number of each kind of line read.
    seen: Vec<(Kind, usize)>,
    target: String,
    threads: i32,
    connections: i32,
    latency: Latency,
    total_requests: i64,
    duration_secs: f64,
    errors: i64,
    error_kinds: Vec<(String, i64)>,
    non_2xx: i64,
    requests_per_sec: f64,
}

pub(super) fn parse(input: &[u8]) -> Result<Parsed, ParseError> {
    let text = text_of(input)?;
    let mut run = Run::default();
    let mut block = Block::None;
    let mut last_line = 0;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        last_line = number;
        let at = || format!("line {number}");
        let fail = |message: String| ParseError { at: at(), message };
        let line = line.trim();

        if block == Block::Distribution
            && let Some((percent, value)) = percentile_line(line)
        {
            read_percentile(&mut run.latency, percent, value).map_err(fail)?;
            continue;
        }
        if block == Block::ThreadStats {
            if let Some(values) = line.strip_prefix("Latency").filter(|rest| {
                rest.starts_with(char::is_whitespace) && rest.trim() != "Distribution"
            }) {
                run.note(Kind::LatencyStats, number)?;
                read_latency_stats(&mut run.latency, values).map_err(fail)?;
                continue;
            }
            if let Some(values) = line.strip_prefix("Req/Sec") {
                run.note(Kind::RequestsPerThread, number)?;
                check_requests_per_thread(values).map_err(fail)?;
                continue;
            }
        }
        block = Block::None;

        if line.starts_with("Thread Stats") {
            block = Block::ThreadStats;
        } else if line == "Latency Distribution" {
            block = Block::Distribution;
        } else if let Some(rest) = line
            .strip_prefix("Running ")
            .filter(|rest| rest.contains(" test @ "))
        {
            run.note(Kind::Running, number)?;
            run.target = read_running(rest).map_err(fail)?;
        } else if let Some(rest) = line
            .strip_suffix(" connections")
            .filter(|rest| rest.contains(" threads and "))
        {
            run.note(Kind::Threads, number)?;
            (run.threads, run.connections) = read_threads(rest).map_err(fail)?;
        } else if let Some(rest) = line
            .strip_suffix(" read")
            .filter(|rest| rest.contains(" requests in "))
        {
            run.note(Kind::RequestsIn, number)?;
            (run.total_requests, run.duration_secs) = read_requests_in(rest).map_err(fail)?;
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            run.note(Kind::SocketErrors, number)?;
            (run.errors, run.error_kinds) = read_socket_errors(rest).map_err(fail)?;
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            run.note(Kind::Non2xx, number)?;
            run.non_2xx = count(rest, "non-2xx or 3xx responses").map_err(fail)?;
        } else if let Some(rest) = line.strip_prefix("Requests/sec:") {
            run.note(Kind::RequestsPerSec, number)?;
            run.requests_per_sec = read_requests_per_sec(rest.trim()).map_err(fail)?;
        } else if let Some(rest) = line.strip_prefix("Transfer/sec:") {
            run.note(Kind::TransferPerSec, number)?;
            if !is_wrk_size(rest.trim()) {
                return Err(fail(format!(
                    "cannot read the transfer rate `{}`",
                    rest.trim()
                )));
            }
        } else if line.starts_with("unable to connect to ") {
            // wrk prints this alone and stops: there is no run to read.
            return Err(fail(format!(
                "wrk could not connect, so there is nothing to read: `{line}`"
            )));
        }
    }
    run.check_complete(last_line)?;
    Ok(run.into_parsed())
}

impl Run {
    /// Notes that line `number` is a `kind` line, refusing a second one: one file, one run.
    fn note(&mut self, kind: Kind, number: usize) -> Result<(), ParseError> {
        if let Some((_, first)) = self.seen.iter().find(|(seen, _)| *seen == kind) {
            return Err(ParseError {
                at: format!("line {number}"),
                message: format!(
                    "a second {} line (the first is line {first}): upload one wrk run per file",
                    kind.label()
                ),
            });
        }
        self.seen.push((kind, number));
        Ok(())
    }

    /// Refuses output without a line that wrk always prints, naming where it was expected:
    /// after the last line read that wrk prints before it.
    fn check_complete(&self, last_line: usize) -> Result<(), ParseError> {
        if self.seen.is_empty() {
            return Err(ParseError {
                at: "file".to_owned(),
                message: "no line of wrk's output is in this file: is it wrk's text output?"
                    .to_owned(),
            });
        }
        match REQUIRED
            .into_iter()
            .find(|kind| !self.seen.iter().any(|(seen, _)| seen == kind))
        {
            None => Ok(()),
            Some(missing) => {
                let expected_at = self
                    .seen
                    .iter()
                    .filter(|(kind, _)| *kind < missing)
                    .map(|(_, number)| number + 1)
                    .max()
                    .unwrap_or(1)
                    .min(last_line);
                Err(ParseError {
                    at: format!("line {expected_at}"),
                    message: format!(
                        "wrk's {} line is missing here: is the output cut short?",
                        missing.label()
                    ),
                })
            }
        }
    }

    fn into_parsed(self) -> Parsed {
        // With no request answered, wrk prints zeros for latencies it never measured.
        let latency = if self.total_requests == 0 {
            Latency::default()
        } else {
            self.latency
        };
        Parsed {
            tool: Tool::Wrk,
            tool_version: None,
            ran_on: None,
            threads: Some(self.threads),
            groups: vec![Group {
                test_type: None,
                queries: None,
                concurrency: Some(self.connections),
                duration_secs: Some(self.duration_secs),
                measurements: vec![Measurement {
                    target: self.target,
                    requests_per_sec: self.requests_per_sec,
                    total_requests: Some(self.total_requests),
                    latency,
                    errors: self.errors,
                    non_2xx: self.non_2xx,
                    status_codes: Vec::new(),
                    error_kinds: self.error_kinds,
                }],
            }],
            checks: Vec::new(),
            thresholds: Vec::new(),
        }
    }
}

/// `10s test @ http://…` (after `Running `) → the URL.
fn read_running(rest: &str) -> Result<String, String> {
    let (duration, url) = rest.split_once(" test @ ").unwrap_or((rest, ""));
    if wrk_time_ms(duration.trim()).is_none() {
        return Err(format!(
            "cannot read the test duration `{}`",
            duration.trim()
        ));
    }
    if url.trim().is_empty() {
        return Err("the `Running` line names no URL".to_owned());
    }
    Ok(url.trim().to_owned())
}

/// `1 threads and 64` (before ` connections`) → (threads, connections).
fn read_threads(rest: &str) -> Result<(i32, i32), String> {
    let (threads, connections) = rest.split_once(" threads and ").unwrap_or((rest, ""));
    let positive = |text: &str, what: &str| {
        text.trim()
            .parse::<i32>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("cannot read the number of {what} `{}`", text.trim()))
    };
    Ok((
        positive(threads, "threads")?,
        positive(connections, "connections")?,
    ))
}

/// `620.04us  203.02us   5.00ms   82.66%` (after `Latency`) → average, stdev and maximum.
fn read_latency_stats(latency: &mut Latency, values: &str) -> Result<(), String> {
    let values: Vec<&str> = values.split_whitespace().collect();
    let [avg, stdev, max, within_stdev] = values.as_slice() else {
        return Err(format!(
            "the latency line has {} values where wrk prints 4 (Avg, Stdev, Max, +/- Stdev)",
            values.len()
        ));
    };
    // With no request measured, wrk prints `-nan%` here: only the `%` is certain.
    if !within_stdev.ends_with('%') {
        return Err(format!(
            "cannot read the latency's +/- Stdev `{within_stdev}`"
        ));
    }
    latency.avg_ms = Some(latency_ms(avg)?);
    latency.stdev_ms = Some(latency_ms(stdev)?);
    latency.max_ms = Some(latency_ms(max)?);
    Ok(())
}

/// `103.44k     5.21k  110.79k    76.00%` (after `Req/Sec`): read only to refuse a bad line,
/// as the figure per thread says nothing `Requests/sec:` does not.
fn check_requests_per_thread(values: &str) -> Result<(), String> {
    let values: Vec<&str> = values.split_whitespace().collect();
    let [avg, stdev, max, within_stdev] = values.as_slice() else {
        return Err(format!(
            "the Req/Sec line has {} values where wrk prints 4 (Avg, Stdev, Max, +/- Stdev)",
            values.len()
        ));
    };
    if let Some(bad) = [avg, stdev, max]
        .into_iter()
        .find(|value| !is_wrk_count(value))
    {
        return Err(format!("cannot read the requests per thread `{bad}`"));
    }
    if !within_stdev.ends_with('%') {
        return Err(format!(
            "cannot read the requests per thread's +/- Stdev `{within_stdev}`"
        ));
    }
    Ok(())
}

/// `50%  583.00us` → (50, "583.00us"); `None` if the line is not a percentile.
fn percentile_line(line: &str) -> Option<(f64, &str)> {
    let (percent, value) = line.split_once('%')?;
    let percent: f64 = percent.trim().parse().ok()?;
    Some((percent, value.trim()))
}

/// Keeps the percentiles Verdict stores; wrk prints 50, 75, 90 and 99, a patched wrk more.
fn read_percentile(latency: &mut Latency, percent: f64, value: &str) -> Result<(), String> {
    let ms = latency_ms(value)?;
    let slot = match percent {
        50.0 => &mut latency.p50_ms,
        75.0 => &mut latency.p75_ms,
        90.0 => &mut latency.p90_ms,
        99.0 => &mut latency.p99_ms,
        _ => return Ok(()),
    };
    *slot = Some(ms);
    Ok(())
}

fn latency_ms(value: &str) -> Result<f64, String> {
    wrk_time_ms(value).ok_or_else(|| format!("cannot read the latency `{value}`"))
}

/// `1029389 requests in 10.00s, 146.28MB` (before ` read`) → (requests, seconds).
fn read_requests_in(rest: &str) -> Result<(i64, f64), String> {
    let (requests, rest) = rest.split_once(" requests in ").unwrap_or((rest, ""));
    let (duration, size) = rest.split_once(',').unwrap_or((rest, ""));
    let requests = count(requests, "requests")?;
    let duration_ms = wrk_time_ms(duration.trim())
        .ok_or_else(|| format!("cannot read the duration `{}`", duration.trim()))?;
    if !is_wrk_size(size.trim()) {
        return Err(format!("cannot read the size read `{}`", size.trim()));
    }
    Ok((requests, duration_ms / 1_000.0))
}

/// `connect 0, read 0, write 0, timeout 12` → (errors, the kinds with errors in wrk's order).
fn read_socket_errors(rest: &str) -> Result<(i64, Vec<(String, i64)>), String> {
    const KINDS: [&str; 4] = ["connect", "read", "write", "timeout"];
    let parts: Vec<&str> = rest.split(',').map(str::trim).collect();
    if parts.len() != KINDS.len() {
        return Err(format!(
            "wrk counts 4 kinds of socket errors (connect, read, write, timeout), not {}",
            parts.len()
        ));
    }
    let mut counts = Vec::new();
    for (part, kind) in parts.into_iter().zip(KINDS) {
        let number = part
            .strip_prefix(kind)
            .filter(|number| number.starts_with(' '))
            .ok_or_else(|| format!("`{part}` is not the count of {kind} errors wrk prints here"))?;
        counts.push((kind.to_owned(), count(number, &format!("{kind} errors"))?));
    }
    let errors = sum(counts.iter().map(|(_, count)| *count))
        .ok_or("the socket errors add up to more than a count can hold")?;
    counts.retain(|(_, count)| *count > 0);
    Ok((errors, counts))
}

/// A count wrk prints as a plain number.
fn count(text: &str, what: &str) -> Result<i64, String> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|&n| n >= 0)
        .ok_or_else(|| format!("cannot read the number of {what} `{}`", text.trim()))
}

fn read_requests_per_sec(value: &str) -> Result<f64, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|rate| rate.is_finite() && *rate >= 0.0)
        .ok_or_else(|| format!("cannot read the requests per second `{value}`"))
}

#[cfg(test)]
mod tests {
    use super::super::testing::single;
    use super::*;

    const PLAIN: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/wrk-plain.txt");
    const LATENCY: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/wrk-latency.txt");
    const NON_2XX: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/wrk-non2xx.txt");
    const ERRORS: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/wrk-errors.txt");
    const STALLED: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/wrk-stalled.txt");
    const SLOW: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/wrk-slow.txt");
    const LUA: &[u8] = include_bytes!("../../../tests/fixtures/benchmarks/wrk-lua-script.txt");
    const UNABLE: &[u8] =
        include_bytes!("../../../tests/fixtures/benchmarks/wrk-unable-to-connect.txt");

    fn one(input: &[u8]) -> (Parsed, Group, Measurement) {
        single(Tool::Wrk, parse(input))
    }

    fn refused(input: &str) -> ParseError {
        parse(input.as_bytes()).unwrap_err()
    }

    fn close(actual: Option<f64>, expected: f64) {
        let actual = actual.unwrap();
        assert!(
            (actual - expected).abs() < 1e-9,
            "{actual} is not {expected}"
        );
    }

    #[test]
    fn a_plain_run_gives_its_figures_without_percentiles() {
        let (parsed, group, m) = one(PLAIN);
        assert_eq!(parsed.tool, Tool::Wrk);
        assert_eq!(parsed.threads, Some(2));
        assert_eq!(parsed.tool_version, None);
        assert_eq!(group.concurrency, Some(16));
        assert_eq!(group.duration_secs, Some(2.0));
        assert_eq!(group.test_type, None);
        assert_eq!(m.target, "http://127.0.0.1:8123/technologies.json");
        assert_eq!(m.requests_per_sec, 1844.62);
        assert_eq!(m.total_requests, Some(3696));
        close(m.latency.avg_ms, 29.72);
        close(m.latency.stdev_ms, 109.96);
        close(m.latency.max_ms, 834.25);
        assert_eq!(m.latency.p50_ms, None);
        assert_eq!(m.latency.p99_ms, None);
        assert_eq!((m.errors, m.non_2xx), (0, 0));
        assert!(m.error_kinds.is_empty() && m.status_codes.is_empty());
    }

    #[test]
    fn a_latency_run_gives_the_distribution() {
        let (_, _, m) = one(LATENCY);
        assert_eq!(m.requests_per_sec, 2170.83);
        assert_eq!(m.total_requests, Some(4351));
        close(m.latency.p50_ms, 2.82);
        close(m.latency.p75_ms, 3.54);
        close(m.latency.p90_ms, 74.97);
        close(m.latency.p99_ms, 717.33);
        assert_eq!(m.latency.p95_ms, None);
        assert_eq!(m.latency.p999_ms, None);
    }

    #[test]
    fn non_2xx_responses_are_counted_apart_from_errors() {
        let (parsed, group, m) = one(NON_2XX);
        assert_eq!(parsed.threads, Some(1));
        assert_eq!(group.concurrency, Some(8));
        assert_eq!(group.duration_secs, Some(2.1));
        assert_eq!(m.target, "http://127.0.0.1:8123/missing");
        assert_eq!(m.requests_per_sec, 2280.33);
        assert_eq!((m.errors, m.non_2xx), (0, 4788));
        close(m.latency.max_ms, 8.38);
        close(m.latency.stdev_ms, 0.52371);
    }

    #[test]
    fn socket_errors_are_summed_and_kept_by_kind() {
        let (_, group, m) = one(ERRORS);
        assert_eq!(group.concurrency, Some(32));
        assert_eq!(group.duration_secs, Some(3.0));
        assert_eq!(m.requests_per_sec, 1014.18);
        assert_eq!(m.total_requests, Some(3047));
        assert_eq!(m.errors, 111);
        assert_eq!(
            m.error_kinds,
            vec![("read".to_owned(), 79), ("timeout".to_owned(), 32)]
        );
        assert_eq!(m.non_2xx, 316);
        close(m.latency.avg_ms, 0.5268);
        close(m.latency.p50_ms, 0.018);
        close(m.latency.p99_ms, 19.23);
    }

    #[test]
    fn a_run_without_answers_is_zero_requests_per_second_and_no_latency() {
        let (_, group, m) = one(STALLED);
        assert_eq!(m.requests_per_sec, 0.0);
        assert_eq!(m.total_requests, Some(0));
        assert_eq!(m.latency, Latency::default());
        assert_eq!(group.duration_secs, Some(2.0));
    }

    #[test]
    fn latencies_in_seconds_are_read_in_milliseconds() {
        let (_, group, m) = one(SLOW);
        close(m.latency.avg_ms, 1_200.0);
        close(m.latency.stdev_ms, 1.71);
        close(m.latency.p99_ms, 1_200.0);
        assert_eq!(group.duration_secs, Some(3.01));
        assert_eq!(m.requests_per_sec, 2.66);
        assert_eq!(m.total_requests, Some(8));
    }

    #[test]
    fn lines_a_lua_script_prints_are_skipped() {
        let (_, group, m) = one(LUA);
        assert_eq!(group.concurrency, Some(8));
        assert_eq!(m.total_requests, Some(3526));
        assert_eq!(m.requests_per_sec, 1759.38);
        close(m.latency.p50_ms, 1.37);
        close(m.latency.p99_ms, 17.0);
    }

    #[test]
    fn a_run_that_could_not_connect_is_refused_as_such() {
        let error = parse(UNABLE).unwrap_err();
        assert_eq!(error.at, "line 1");
        assert!(error.message.contains("could not connect"), "{error}");
    }

    #[test]
    fn every_unit_wrk_prints_is_read() {
        let text = String::from_utf8(PLAIN.to_vec()).unwrap().replace(
            "Latency    29.72ms  109.96ms 834.25ms   93.89%",
            "Latency     1.50m     1.00h    2.00s   93.89%",
        );
        let (_, _, m) = one(text.as_bytes());
        close(m.latency.avg_ms, 90_000.0);
        close(m.latency.stdev_ms, 3_600_000.0);
        close(m.latency.max_ms, 2_000.0);
        let text = String::from_utf8(PLAIN.to_vec())
            .unwrap()
            .replace("1.23k   503.08     1.93k", "1.23M   503.08G    1.93T")
            .replace("794.44KB", "1.02GB")
            .replace("396.49KB", "3.10TB");
        assert!(parse(text.as_bytes()).is_ok());
    }

    /// The plain fixture with `from` replaced by `to`, which must be there.
    fn plain_with(from: &str, to: &str) -> String {
        let text = String::from_utf8(PLAIN.to_vec()).unwrap();
        assert!(text.contains(from), "{from}");
        text.replace(from, to)
    }

    #[test]
    fn a_malformed_known_line_is_refused_by_its_number() {
        let error = refused(&plain_with("29.72ms", "12.3xs"));
        assert_eq!(error.at, "line 4");
        assert_eq!(error.message, "cannot read the latency `12.3xs`");

        let error = refused(&plain_with("Requests/sec:   1844.62", "Requests/sec:   -3"));
        assert_eq!(error.at, "line 7");
        assert!(error.message.contains("`-3`"), "{error}");

        let error = refused(&plain_with(
            "Requests/sec:   1844.62",
            "Requests/sec:   NaN",
        ));
        assert_eq!(error.at, "line 7");

        let error = refused(&plain_with("2 threads and 16", "two threads and 16"));
        assert_eq!(error.at, "line 2");

        let error = refused(&plain_with(
            "3696 requests in 2.00s",
            "3696 requests in 2.00y",
        ));
        assert_eq!(
            (error.at.as_str(), error.message.as_str()),
            ("line 6", "cannot read the duration `2.00y`")
        );

        let error = refused(&plain_with("794.44KB read", "794.44KiB read"));
        assert_eq!(error.at, "line 6");

        let error = refused(&plain_with("396.49KB", "396.49"));
        assert_eq!(error.at, "line 8");

        let error = refused(&plain_with("1.23k", "1.23q"));
        assert_eq!(
            (error.at.as_str(), error.message.as_str()),
            ("line 5", "cannot read the requests per thread `1.23q`")
        );

        let error = refused(&plain_with("834.25ms   93.89%", "834.25ms"));
        assert_eq!(error.at, "line 4");

        let error = refused(&plain_with("Running 2s test", "Running 2 parsecs test"));
        assert_eq!(error.at, "line 1");

        let error = refused(&plain_with(
            "Requests/sec",
            "  Socket errors: connect 0, read x, write 0, timeout 1\nRequests/sec",
        ));
        assert_eq!(error.at, "line 7");
        assert_eq!(error.message, "cannot read the number of read errors `x`");

        let error = refused(&plain_with(
            "Requests/sec",
            "  Socket errors: connect 0, read 1, timeout 1\nRequests/sec",
        ));
        assert_eq!(error.at, "line 7");

        let error = refused(&plain_with(
            "Requests/sec",
            "  Non-2xx or 3xx responses: -2\nRequests/sec",
        ));
        assert_eq!(error.at, "line 7");
    }

    #[test]
    fn percentiles_are_read_only_in_the_latency_distribution() {
        let text = String::from_utf8(LATENCY.to_vec()).unwrap();
        let error = refused(&text.replace("99%  717.33ms", "99%  717.33"));
        assert_eq!(
            (error.at.as_str(), error.message.as_str()),
            ("line 10", "cannot read the latency `717.33`")
        );
        // A patched wrk's extra percentiles are skipped.
        let (_, _, m) = one(text
            .replace("99%  717.33ms", "99%  717.33ms\n   99.9%    1.00s")
            .as_bytes());
        close(m.latency.p99_ms, 717.33);
        assert_eq!(m.latency.p999_ms, None);
    }

    #[test]
    fn a_missing_line_is_refused_where_it_was_expected() {
        let error = refused(&plain_with("Requests/sec:   1844.62\n", ""));
        assert_eq!(error.at, "line 7");
        assert!(error.message.contains("`Requests/sec:`"), "{error}");

        let error = refused(&plain_with("  2 threads and 16 connections\n", ""));
        assert_eq!(error.at, "line 2");
        assert!(error.message.contains("threads"), "{error}");

        let error = refused(&plain_with(
            "Running 2s test @ http://127.0.0.1:8123/technologies.json\n",
            "",
        ));
        assert_eq!(error.at, "line 1");
    }

    #[test]
    fn two_runs_in_one_file_are_refused_at_the_second() {
        let text = String::from_utf8(PLAIN.to_vec()).unwrap();
        let error = refused(&format!("{text}{text}"));
        assert_eq!(error.at, "line 9");
        assert!(
            error
                .message
                .contains("second `Running … test @ URL` line (the first is line 1)"),
            "{error}"
        );
    }

    #[test]
    fn a_file_that_is_not_wrk_output_is_refused_as_a_whole() {
        assert_eq!(refused("{\"summary\": {}}").at, "file");
        assert_eq!(refused("").message, "the file is empty");
        assert_eq!(refused(" \n\n").at, "file");
        let error = parse(b"Running 2s test @ http://x/\n\xff\xfe").unwrap_err();
        assert_eq!(error.at, "line 2");
        assert!(error.message.contains("not UTF-8"), "{error}");
    }

    #[test]
    fn windows_line_ends_are_read() {
        let text = String::from_utf8(ERRORS.to_vec())
            .unwrap()
            .replace('\n', "\r\n");
        let (_, _, m) = one(text.as_bytes());
        assert_eq!(m.errors, 111);
    }

    #[test]
    fn output_cut_short_anywhere_is_refused() {
        for fixture in [PLAIN, LATENCY, NON_2XX, ERRORS, STALLED, SLOW, LUA] {
            let text = std::str::from_utf8(fixture).unwrap();
            let transfer = text.find("Transfer/sec:").unwrap();
            let end = transfer + text[transfer..].find('\n').unwrap();
            for cut in 0..end {
                let error = parse(&fixture[..cut]).unwrap_err();
                let lines = text[..cut].lines().count().max(1);
                let at_a_line = error
                    .at
                    .strip_prefix("line ")
                    .and_then(|n| n.parse::<usize>().ok())
                    .is_some_and(|n| (1..=lines).contains(&n));
                assert!(error.at == "file" || at_a_line, "cut at {cut}: {error}");
                assert!(!error.message.is_empty());
            }
            // Without its last newline the output is whole.
            assert!(parse(&fixture[..end]).is_ok());
        }
    }
}
