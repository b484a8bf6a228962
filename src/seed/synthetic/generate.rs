//! The synthetic catalog as pure functions of a number: technology `i`, its facts, source
//! `k` and benchmark run `r` are each made from their own number alone (and from what they
//! attach to in the demo dataset), so the first N of each kind are the same whatever N is.
//!
//! The shape, for N technologies:
//! - every hundredth technology (0, 100, 200…) is a language: ⌈N/100⌉ of them;
//! - the others are frameworks (about 60 %) and libraries, 5 % of them Go's, 5 % Rust's,
//!   and the rest the synthetic languages' before them, the older ones with more;
//! - each technology has three facts on the demo's scored dimensions, citing one or two
//!   sources; ⌈N/100⌉ sources, every tenth a benchmark report;
//! - ⌈N/1000⌉ benchmark runs, run `r` citing report `10 r`, on the demo's scenarios and a few
//!   of its own, each with results for a Go and a Rust implementation from the demo dataset
//!   and for up to six synthetic frameworks and libraries of its thousand technologies.

use chrono::{Days, NaiveDate};

use super::words::{Rng, SHORT_WORDS, capitalised, word};
use crate::benchmarks::parse::Tool;
use crate::catalog::model::{Confidence, Kind};

/// The demo's languages that get a large share of the synthetic frameworks and libraries,
/// by slug and name: the demo's own pages are about them.
pub const BIG_LANGUAGES: [(&str, &str); 2] = [("go", "Go"), ("rust", "Rust")];

/// The share of frameworks and libraries each of [`BIG_LANGUAGES`] gets.
const BIG_SHARE: f64 = 0.05;
const FRAMEWORK_SHARE: f64 = 0.6;
/// One technology in this many is a language, and one source in this many technologies.
pub const PER_LANGUAGE: u64 = 100;
const PER_SOURCE: u64 = 100;
/// One benchmark run for this many technologies.
const PER_RUN: u64 = 1_000;
/// Every source numbered a multiple of this is a benchmark report.
const PER_REPORT: u64 = PER_RUN / PER_SOURCE;
pub const FACTS_PER_TECHNOLOGY: usize = 3;
const SYNTHETIC_RESULTS_PER_RUN: usize = 6;

/// The date the demo's facts are as of: no synthetic date is later.
const LATEST: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 21).expect("a date");
const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(2023, 1, 1).expect("a date");

/// The generators' streams, one per kind of item.
const TECHNOLOGY: u64 = 1;
const FACT: u64 = 2;
const SOURCE: u64 = 3;
const RUN: u64 = 4;

/// What the synthetic data attaches to in the demo dataset.
#[derive(Debug, Clone)]
pub struct Anchors {
    /// The scored dimensions, by slug, that facts are on.
    pub dimensions: Vec<String>,
    /// Frameworks and libraries of [`BIG_LANGUAGES`]: (language, slug, name).
    pub implementations: Vec<(String, String, String)>,
    /// Scenarios of the demo's published runs, which synthetic runs measure too.
    pub scenarios: Vec<String>,
    /// The environment of the demo's published runs, where half the runs are measured.
    pub environment: String,
}

/// How many of each kind N technologies come with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub technologies: u64,
    pub languages: u64,
    pub sources: u64,
    pub runs: u64,
}

impl Sizes {
    pub fn of(n: u64) -> Self {
        Sizes {
            technologies: n,
            languages: n.div_ceil(PER_LANGUAGE),
            sources: n.div_ceil(PER_SOURCE),
            runs: n.div_ceil(PER_RUN),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Technology {
    pub slug: String,
    pub name: String,
    pub kind: Kind,
    /// The language's slug, for a framework or library.
    pub language: Option<String>,
    pub summary: String,
}

/// Technology number `i`.
pub fn technology(i: u64) -> Technology {
    let own = word(i);
    if i.is_multiple_of(PER_LANGUAGE) {
        return language(i, own);
    }
    let mut rng = Rng::new(TECHNOLOGY, i);
    let kind = if rng.unit() < FRAMEWORK_SHARE {
        Kind::Framework
    } else {
        Kind::Library
    };
    let (language_slug, language_name) = language_of(i, &mut rng);
    let (suffix, summary) = match kind {
        Kind::Framework => {
            let suffix = *rng.pick(&["", "", "", "Web", "HTTP", "API", "RPC", "Server", "Kit"]);
            let style = rng.pick(&[
                "A minimal",
                "A batteries-included",
                "An async",
                "A high-performance",
                "A full-stack",
                "A modular",
                "A lightweight",
            ]);
            (
                suffix,
                format!("{style} web framework for {language_name}."),
            )
        }
        _ => {
            let (suffix, purpose) = *rng.pick(&[
                ("", "HTTP client"),
                ("", "logging"),
                ("JSON", "JSON serialisation"),
                ("SQL", "SQL query building"),
                ("ORM", "object-relational mapping"),
                ("Cache", "caching"),
                ("Auth", "authentication"),
                ("Test", "testing"),
                ("Queue", "message queue"),
                ("Config", "configuration"),
            ]);
            (suffix, format!("A {purpose} library for {language_name}."))
        }
    };
    let mut name = capitalised(&own);
    let mut slug = own;
    if !suffix.is_empty() {
        name = format!("{name} {suffix}");
        slug = format!("{slug}-{}", suffix.to_ascii_lowercase());
    }
    Technology {
        slug,
        name,
        kind,
        language: Some(language_slug),
        summary,
    }
}

fn language(i: u64, own: String) -> Technology {
    let mut rng = Rng::new(TECHNOLOGY, i);
    let typing = rng.pick(&[
        "A compiled, statically typed",
        "A garbage-collected",
        "A dynamically typed",
        "A functional-first",
        "A systems",
        "A gradually typed",
    ]);
    let made_for = rng.pick(&[
        "backend services",
        "data pipelines",
        "command-line tools",
        "embedded systems",
        "web applications",
        "distributed systems",
    ]);
    Technology {
        name: capitalised(&own),
        slug: own,
        kind: Kind::Language,
        language: None,
        summary: format!("{typing} language for {made_for}."),
    }
}

/// The language of framework or library `i`: its slug and name. The synthetic languages
/// numbered before `i` share what Go and Rust leave, the older ones more (as an old
/// language has gathered more frameworks).
fn language_of(i: u64, rng: &mut Rng) -> (String, String) {
    let draw = rng.unit();
    for (n, (slug, name)) in BIG_LANGUAGES.iter().enumerate() {
        if draw < BIG_SHARE * (n + 1) as f64 {
            return ((*slug).to_owned(), (*name).to_owned());
        }
    }
    let before = i / PER_LANGUAGE + 1;
    let skew = rng.unit();
    let nth = ((before as f64 * skew * skew) as u64).min(before - 1);
    let slug = word(nth * PER_LANGUAGE);
    let name = capitalised(&slug);
    (slug, name)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// Which of [`Anchors::dimensions`].
    pub dimension: usize,
    pub score: i32,
    pub body: String,
    pub as_of: NaiveDate,
    pub confidence: Confidence,
    /// The sources it cites, by number: one or two.
    pub sources: Vec<u64>,
}

/// The facts on technology number `i`, `technology`, on [`FACTS_PER_TECHNOLOGY`] different
/// dimensions of `dimensions` (as many as there are, if fewer).
pub fn facts(i: u64, technology: &Technology, dimensions: usize) -> Vec<Fact> {
    let mut rng = Rng::new(FACT, i);
    let mut order: Vec<usize> = (0..dimensions).collect();
    let count = FACTS_PER_TECHNOLOGY.min(dimensions);
    // The first `count` of a partial shuffle.
    for at in 0..count {
        let other = at + rng.below((dimensions - at) as u64) as usize;
        order.swap(at, other);
    }
    // A technology tends to be good or poor across the board.
    let standing = 1 + rng.below(5) as i32;
    let sources = i / PER_SOURCE + 1;
    order[..count]
        .iter()
        .map(|&dimension| {
            let score = (standing + rng.below(3) as i32 - 1).clamp(1, 5);
            let as_of = date(&mut rng);
            let first = rng.below(sources);
            let mut cited = vec![first];
            if sources > 1 && rng.below(2) == 1 {
                cited.push((first + 1 + rng.below(sources - 1)) % sources);
            }
            Fact {
                dimension,
                score,
                body: format!(
                    "{} {} on this, by reports up to {}.",
                    technology.name,
                    STANDINGS[(score - 1) as usize],
                    chrono::Datelike::year(&as_of)
                ),
                as_of,
                confidence: *rng.pick(&[
                    Confidence::Low,
                    Confidence::Medium,
                    Confidence::Medium,
                    Confidence::High,
                ]),
                sources: cited,
            }
        })
        .collect()
}

const STANDINGS: [&str; 5] = [
    "is far behind its peers",
    "trails most of its peers",
    "is about average for its kind",
    "is ahead of most of its peers",
    "is among the best of its kind",
];

/// A date from [`EARLIEST`] to [`LATEST`].
fn date(rng: &mut Rng) -> NaiveDate {
    let span = LATEST.signed_duration_since(EARLIEST).num_days() as u64;
    EARLIEST + Days::new(rng.below(span + 1))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub title: String,
    pub publisher: String,
    pub published_on: NaiveDate,
    pub url: String,
}

/// Source number `k`. Its publisher's name is a word of its own, so no two sources have
/// the same title and publisher.
pub fn source(k: u64) -> Source {
    let mut rng = Rng::new(SOURCE, k);
    // Words counted down from the last short one: technologies count up from the first.
    let own = word(SHORT_WORDS.checked_sub(k + 1).unwrap_or(k));
    let brand = capitalised(&own);
    let published_on = date(&mut rng);
    let year = chrono::Datelike::year(&published_on);
    let (title, publisher, path) = if k.is_multiple_of(PER_REPORT) {
        (
            format!("Web framework benchmarks, round {}", k / PER_REPORT + 1),
            format!("{brand} Benchmarks"),
            format!("rounds/{}", k / PER_REPORT + 1),
        )
    } else {
        let (title, publisher) = *rng.pick(&[
            ("The state of backend development", "Survey"),
            (
                "What we learned running our services in production",
                "Engineering",
            ),
            ("Choosing a stack for a new service", "Engineering"),
            ("Framework performance under load", "Labs"),
            ("A year of migrations", "Weekly"),
            ("Developer experience, measured", "Research"),
        ]);
        (
            format!("{title}, {year}"),
            format!("{brand} {publisher}"),
            format!("{year}/{}", k),
        )
    };
    Source {
        title,
        publisher,
        published_on,
        url: format!("https://{own}.example/{path}"),
    }
}

/// A scenario of the synthetic runs' own: slug, name, description.
pub const SCENARIOS: [(&str, &str, &str); 3] = [
    (
        "multiple-queries",
        "Multiple queries",
        "Reads twenty random rows from a PostgreSQL table, one query each, and returns them as JSON.",
    ),
    (
        "data-updates",
        "Data updates",
        "Reads twenty random rows, changes a number in each and writes them back, then returns them as JSON.",
    ),
    (
        "cached-queries",
        "Cached queries",
        "Returns twenty rows from an in-process cache of a PostgreSQL table, as JSON.",
    ),
];

/// The environment of the synthetic runs measured outside the demo's: slug, name,
/// hardware, operating system.
pub const ENVIRONMENT: (&str, &str, &str, &str) = (
    "cloud-8-vcpu",
    "8-vCPU cloud instance",
    "8 vCPU (AWS c7g.2xlarge), 16 GiB",
    "Ubuntu 24.04",
);

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The report it comes from, by number.
    pub source: u64,
    pub scenario: String,
    pub environment: String,
    pub tool: Tool,
    pub tool_version: String,
    pub ran_on: NaiveDate,
    pub concurrency: i32,
    pub threads: i32,
    pub duration_secs: f64,
    pub notes: String,
    pub results: Vec<RunResult>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    /// The technology's slug.
    pub technology: String,
    pub label: String,
    pub requests_per_sec: f64,
    pub total_requests: i64,
    pub latency_avg_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub latency_max_ms: f64,
    pub memory_mib: f64,
}

/// Run number `r` of a catalog of `n` technologies: it measures some of technologies
/// `1000 r` to `1000 r + 999` (those among the first `n`).
pub fn run(r: u64, n: u64, anchors: &Anchors) -> Run {
    let mut rng = Rng::new(RUN, r);
    let scenarios: Vec<&str> = anchors
        .scenarios
        .iter()
        .map(String::as_str)
        .chain(SCENARIOS.iter().map(|(slug, _, _)| *slug))
        .collect();
    let scenario = scenarios[(r % scenarios.len() as u64) as usize];
    let environment = if r.is_multiple_of(2) {
        anchors.environment.as_str()
    } else {
        ENVIRONMENT.0
    };
    let concurrency = *rng.pick(&[64, 128, 256, 512]);
    let duration_secs = 15.0;
    let ceiling = match scenario {
        "plaintext" => 900_000.0,
        "json-serialisation" => 250_000.0,
        "cached-queries" => 180_000.0,
        "single-query" => 60_000.0,
        "fortunes" => 45_000.0,
        "multiple-queries" => 9_000.0,
        "data-updates" => 3_500.0,
        _ => 50_000.0,
    };

    let mut measured: Vec<(String, String)> = Vec::new();
    for (language, _) in BIG_LANGUAGES {
        let theirs: Vec<&(String, String, String)> = anchors
            .implementations
            .iter()
            .filter(|(of, _, _)| of == language)
            .collect();
        if !theirs.is_empty() {
            let (_, slug, name) = rng.pick(&theirs);
            measured.push((slug.clone(), name.clone()));
        }
    }
    let block = r * PER_RUN..((r + 1) * PER_RUN).min(n);
    for _ in 0..2 * SYNTHETIC_RESULTS_PER_RUN {
        if measured.len() >= SYNTHETIC_RESULTS_PER_RUN + BIG_LANGUAGES.len() || block.is_empty() {
            break;
        }
        let i = block.start + rng.below(block.end - block.start);
        let technology = technology(i);
        if technology.kind != Kind::Language && !measured.iter().any(|(s, _)| *s == technology.slug)
        {
            measured.push((technology.slug, technology.name));
        }
    }

    let results = measured
        .into_iter()
        .map(|(technology, name)| {
            let requests_per_sec = (ceiling * (0.15 + 0.85 * rng.unit())).round();
            // Little's law: the connections over the throughput, plus some queueing.
            let mean_ms = f64::from(concurrency) / requests_per_sec * 1_000.0;
            let p50_ms = round2(mean_ms * (0.8 + 0.2 * rng.unit()));
            let p90_ms = round2(p50_ms * (1.4 + 0.6 * rng.unit()));
            let p99_ms = round2(p90_ms * (1.5 + 1.5 * rng.unit()));
            RunResult {
                label: format!("{name} {}.{}", 1 + rng.below(4), rng.below(20)),
                technology,
                requests_per_sec,
                total_requests: (requests_per_sec * duration_secs) as i64,
                latency_avg_ms: round2(mean_ms),
                p50_ms,
                p90_ms,
                p99_ms,
                latency_max_ms: round2(p99_ms * (2.0 + 3.0 * rng.unit())),
                memory_mib: round2(6.0 + 90.0 * rng.unit() * rng.unit()),
            }
        })
        .collect();
    Run {
        source: r * PER_REPORT,
        scenario: scenario.to_owned(),
        environment: environment.to_owned(),
        tool: Tool::Wrk,
        tool_version: "4.2.0".to_owned(),
        ran_on: date(&mut rng),
        concurrency,
        threads: 8,
        duration_secs,
        notes: format!(
            "Synthetic: wrk -t8 -c{concurrency} -d15s --latency, made by `verdict seed --synthetic` to measure Verdict at scale."
        ),
        results,
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editing::Slug;
    use std::collections::{HashMap, HashSet};

    fn anchors() -> Anchors {
        Anchors {
            dimensions: (0..9).map(|d| format!("dimension-{d}")).collect(),
            implementations: vec![
                ("go".into(), "gin".into(), "Gin".into()),
                ("go".into(), "echo".into(), "Echo".into()),
                ("rust".into(), "axum".into(), "Axum".into()),
            ],
            scenarios: vec!["fortunes".into(), "plaintext".into()],
            environment: "demo-vm".into(),
        }
    }

    #[test]
    fn the_same_number_makes_the_same_catalog() {
        let anchors = anchors();
        for i in [0, 1, 99, 100, 4_321, 99_999] {
            let technology = technology(i);
            assert_eq!(technology, super::technology(i));
            assert_eq!(facts(i, &technology, 9), facts(i, &technology, 9));
        }
        assert_eq!(source(7), source(7));
        assert_eq!(run(3, 5_000, &anchors), run(3, 5_000, &anchors));
        assert_ne!(technology(1), technology(2));
    }

    #[test]
    fn the_shape_holds_at_ten_thousand() {
        let n = 10_000;
        let sizes = Sizes::of(n);
        assert_eq!(
            sizes,
            Sizes {
                technologies: n,
                languages: 100,
                sources: 100,
                runs: 10
            }
        );
        let all: Vec<Technology> = (0..n).map(technology).collect();
        let slugs: HashSet<&str> = all.iter().map(|t| t.slug.as_str()).collect();
        let names: HashSet<&str> = all.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(slugs.len(), all.len(), "slugs are unique");
        assert_eq!(names.len(), all.len(), "names are unique");
        let languages: HashSet<&str> = all
            .iter()
            .filter(|t| t.kind == Kind::Language)
            .map(|t| t.slug.as_str())
            .chain(BIG_LANGUAGES.iter().map(|(slug, _)| *slug))
            .collect();
        let mut kinds: HashMap<&str, u64> = HashMap::new();
        let mut members: HashMap<&str, u64> = HashMap::new();
        for technology in &all {
            *kinds.entry(technology.kind.as_str()).or_default() += 1;
            Slug::parse(&technology.slug).expect("a valid slug");
            assert!(!technology.slug.contains("-vs-"), "{}", technology.slug);
            assert!(technology.summary.len() < 120, "{}", technology.summary);
            match (&technology.kind, &technology.language) {
                (Kind::Language, None) => {}
                (Kind::Framework | Kind::Library, Some(language)) => {
                    assert!(
                        languages.contains(language.as_str()),
                        "{} belongs to {language}, which is no language",
                        technology.slug
                    );
                    *members.entry(language).or_default() += 1;
                }
                other => panic!("{}: {other:?}", technology.slug),
            }
        }
        assert_eq!(kinds["language"], sizes.languages);
        let frameworks = kinds["framework"];
        let libraries = kinds["library"];
        assert_eq!(frameworks + libraries, n - sizes.languages);
        assert!((5_600..6_300).contains(&frameworks), "{frameworks}");
        for (language, _) in BIG_LANGUAGES {
            assert!(
                (400..600).contains(&members[language]),
                "{language}: {}",
                members[language]
            );
        }
        let synthetic_members: Vec<u64> = members
            .iter()
            .filter(|(language, _)| !BIG_LANGUAGES.iter().any(|(slug, _)| slug == *language))
            .map(|(_, &count)| count)
            .collect();
        let most = synthetic_members.iter().max().copied().unwrap_or(0);
        let least = synthetic_members.iter().min().copied().unwrap_or(0);
        assert!(most > 10 * least.max(1), "uneven: {least} to {most}");
    }

    #[test]
    fn facts_are_on_different_scored_dimensions_and_cite_existing_sources() {
        let sizes = Sizes::of(5_000);
        for i in (0..5_000).step_by(7) {
            let technology = technology(i);
            let facts = facts(i, &technology, 9);
            assert_eq!(facts.len(), FACTS_PER_TECHNOLOGY);
            let dimensions: HashSet<usize> = facts.iter().map(|f| f.dimension).collect();
            assert_eq!(dimensions.len(), FACTS_PER_TECHNOLOGY);
            for fact in &facts {
                assert!(fact.dimension < 9);
                assert!((1..=5).contains(&fact.score), "{}", fact.score);
                assert!((EARLIEST..=LATEST).contains(&fact.as_of));
                assert!((1..=2).contains(&fact.sources.len()));
                let cited: HashSet<&u64> = fact.sources.iter().collect();
                assert_eq!(cited.len(), fact.sources.len(), "no source twice");
                assert!(fact.sources.iter().all(|&k| k < sizes.sources));
                assert!(fact.body.starts_with(&technology.name));
            }
        }
        assert_eq!(facts(1, &technology(1), 2).len(), 2, "as many as there are");
    }

    #[test]
    fn sources_are_unique_and_runs_cite_reports() {
        let sizes = Sizes::of(100_000);
        let sources: Vec<Source> = (0..sizes.sources).map(source).collect();
        let pairs: HashSet<(&str, &str)> = sources
            .iter()
            .map(|s| (s.title.as_str(), s.publisher.as_str()))
            .collect();
        assert_eq!(pairs.len(), sources.len());
        let anchors = anchors();
        for r in 0..sizes.runs {
            let run = run(r, sizes.technologies, &anchors);
            assert!(run.source < sizes.sources);
            assert!(
                sources[run.source as usize]
                    .title
                    .starts_with("Web framework benchmarks")
            );
            assert!(run.results.len() >= 2 && run.results.len() <= 8, "{run:?}");
            assert!(
                run.results
                    .iter()
                    .any(|r| r.technology == "gin" || r.technology == "echo")
            );
            assert!(run.results.iter().any(|r| r.technology == "axum"));
            let measured: HashSet<&str> =
                run.results.iter().map(|r| r.technology.as_str()).collect();
            assert_eq!(
                measured.len(),
                run.results.len(),
                "one result per technology"
            );
            for result in &run.results {
                assert!(result.requests_per_sec > 0.0);
                assert!(result.p50_ms <= result.p90_ms && result.p90_ms <= result.p99_ms);
                assert!(result.p99_ms <= result.latency_max_ms);
            }
        }
        let first = run(0, 1, &anchors);
        assert_eq!(
            first.results.len(),
            2,
            "one technology, a language: no synthetic results"
        );
    }
}
