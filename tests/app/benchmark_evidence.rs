//! Benchmark evidence where decisions are made: on the technology pages, beside the
//! comparison grid and its JSON, and in the advisor when an editor links a scenario to a
//! scored dimension; and decisions recorded before the advisor had measurements.
//!
//! Each test imports its own run, through the importer, into a scenario of its own, so that
//! whatever runs the demo dataset holds change nothing here.

use awc::http::Method;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{Value, json};
use verdict::audit::{Actor, Via};
use verdict::benchmarks::import::{Settings, plan, store};
use verdict::benchmarks::model::ScenarioRef;
use verdict::benchmarks::parse::{Group, Latency, Measurement, Parsed, Tool};
use verdict::web::form::Fields;

use crate::helpers::{Browser, Reply, TestApp, hidden};
use crate::on_both_backends;

on_both_backends!(
    technology_pages_show_the_results_that_concern_them,
    the_comparison_sets_each_best_result_against_the_slowest,
    the_comparison_api_has_the_benchmarks,
    the_advisor_scores_a_linked_dimension_from_the_runs,
    decisions_recorded_before_measurements_still_render,
);

/// The scenario the tests measure, first among the scenarios (position 0).
const SCENARIO: &str = "fortunes-test";
const SCENARIO_NAME: &str = "Fortunes under test";

/// Creates the scenario through the admin form, linked to `dimension` (a slug, or "").
async fn create_scenario(editor: &Browser<'_>, dimension: &str) {
    let created = editor
        .post_form(
            "/admin/benchmarks/scenarios/new",
            &[
                ("name", SCENARIO_NAME),
                ("slug", SCENARIO),
                (
                    "description",
                    "Renders a server-side page from a database table.",
                ),
                ("dimension", dimension),
                ("position", "0"),
            ],
        )
        .await;
    assert_eq!(created.status.as_u16(), 303, "{}", created.body);
}

/// Links the scenario to `dimension` (or unlinks it, with "") through its admin form.
async fn link_scenario(editor: &Browser<'_>, dimension: &str) {
    let path = format!("/admin/benchmarks/scenarios/{SCENARIO}");
    let form = editor.page(&path, 200).await;
    let version = hidden(&form.body, "version");
    let saved = editor
        .post_form(
            &path,
            &[
                ("version", &version),
                ("name", SCENARIO_NAME),
                ("slug", SCENARIO),
                (
                    "description",
                    "Renders a server-side page from a database table.",
                ),
                ("dimension", dimension),
                ("position", "0"),
            ],
        )
        .await;
    assert_eq!(saved.status.as_u16(), 303, "{}", saved.body);
}

fn measurement(target: &str, requests_per_sec: f64, p99_ms: f64) -> Measurement {
    Measurement {
        target: target.to_owned(),
        requests_per_sec,
        total_requests: Some((requests_per_sec * 15.0) as i64),
        latency: Latency {
            p99_ms: Some(p99_ms),
            ..Latency::default()
        },
        errors: 0,
        non_2xx: 0,
        status_codes: Vec::new(),
        error_kinds: Vec::new(),
    }
}

/// Imports one TechEmpower-style run of the scenario, with Actix-web at 36,735 and fasthttp
/// at 39,947 requests per second, as the importer stores an upload; the run's id.
fn import_run(app: &TestApp) -> i32 {
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    let (_, scenario) = verdict::benchmarks::queries::scenario_row(&mut conn, SCENARIO)
        .expect("a query")
        .expect("the scenario");
    let settings = Settings {
        tool: Tool::TechEmpower,
        scenario: Some(ScenarioRef {
            slug: scenario.slug,
            name: scenario.name,
        }),
        environment: None,
        technology: None,
        source: None,
        ran_on: NaiveDate::from_ymd_opt(2026, 11, 21),
        tool_version: String::new(),
        concurrency: None,
        duration_secs: None,
        memory_mib: None,
        notes: "Measured for the tests.".to_owned(),
    };
    let parsed = Parsed {
        tool: Tool::TechEmpower,
        tool_version: Some("round 23".to_owned()),
        ran_on: None,
        threads: None,
        groups: vec![Group {
            test_type: Some("fortune".to_owned()),
            queries: None,
            concurrency: Some(64),
            duration_secs: Some(15.0),
            measurements: vec![
                measurement("Actix-web", 36_735.0, 3.34),
                measurement("fasthttp", 39_947.0, 2.73),
            ],
        }],
        checks: Vec::new(),
        thresholds: Vec::new(),
    };
    let today = chrono::Utc::now().date_naive();
    let planned = plan(
        &mut conn,
        &settings,
        "results.json",
        parsed,
        &Fields::default(),
        today,
    )
    .expect("a query")
    .unwrap_or_else(|errors| panic!("a plan: {errors:?}"));
    assert!(
        planned.targets.iter().all(|t| !t.new),
        "both map to the catalog's technologies"
    );
    let actor = Actor {
        user_id: None,
        name: "benchmark evidence tests".to_owned(),
        via: Via::Cli,
    };
    let imported = store(&mut conn, &actor, None, &planned)
        .expect("a query")
        .unwrap_or_else(|refused| panic!("stored: {refused:?}"));
    assert_eq!(imported.runs.len(), 1);
    assert_eq!(imported.results, 2);
    imported.runs[0]
}

/// The part of a page from `start` to the next `end`.
fn between<'a>(reply: &'a Reply, start: &str, end: &str) -> &'a str {
    let at = reply
        .body
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in:\n{}", reply.body));
    let rest = &reply.body[at..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

async fn technology_pages_show_the_results_that_concern_them(app: TestApp) {
    let editor = app.signed_in("editor").await;
    create_scenario(&editor, "").await;
    let run = import_run(&app);
    let run_link = format!(r#"<a href="/benchmarks/runs/{run}">Run {run}</a>"#);

    let actix = app.page("/technologies/actix-web", 200).await;
    actix.assert_contains(&[
        r#"<h2 id="benchmarks">Benchmark evidence</h2>"#,
        &format!(r#"<a href="/benchmarks/{SCENARIO}">{SCENARIO_NAME}</a>"#),
    ]);
    let ours = between(&actix, &format!(r#"id="benchmark-{SCENARIO}""#), "</table>");
    for needle in [
        r#"<th scope="row" class="bench-name">Actix-web</th>"#,
        r#"<td class="num" data-label="Requests/s">36,735</td>"#,
        r#"<td class="num" data-label="p99">3.34 ms</td>"#,
        r#"<time datetime="2026-11-21">21 Nov 2026</time>"#,
        r#"<td class="bench-meta" data-label="Tool">TechEmpower</td>"#,
        r#"<td class="bench-meta" data-label="Concurrency">64</td>"#,
        &run_link,
    ] {
        assert!(ours.contains(needle), "{needle:?} in:\n{ours}");
    }
    // Its own results only: fasthttp is Go's.
    assert!(!ours.contains("39,947"), "{ours}");
    assert!(!ours.contains("via"), "{ours}");

    // A language shows its frameworks' results, each saying through which.
    let rust = app.page("/technologies/rust", 200).await;
    let ours = between(&rust, &format!(r#"id="benchmark-{SCENARIO}""#), "</table>");
    for needle in [
        r#"<span class="bench-via">via <a href="/technologies/actix-web">Actix-web</a></span>"#,
        "36,735",
        &run_link,
    ] {
        assert!(ours.contains(needle), "{needle:?} in:\n{ours}");
    }
    assert!(!ours.contains("39,947"), "{ours}");
    let go = app.page("/technologies/go", 200).await;
    let ours = between(&go, &format!(r#"id="benchmark-{SCENARIO}""#), "</table>");
    assert!(
        ours.contains(r#"via <a href="/technologies/fasthttp">fasthttp</a>"#),
        "{ours}"
    );
    assert!(
        ours.contains("39,947") && !ours.contains("36,735"),
        "{ours}"
    );

    // A framework that moves to another language takes its results with it, in the same
    // write (the results carry their technology's language).
    let moved = crate::helpers::Client::new(&app)
        .send(
            Method::PATCH,
            "/api/v1/technologies/fasthttp",
            json!({"language": "rust"}),
        )
        .await;
    crate::helpers::expect(&moved, 200);
    let rust = app.page("/technologies/rust", 200).await;
    let ours = between(&rust, &format!(r#"id="benchmark-{SCENARIO}""#), "</table>");
    assert!(
        ours.contains(r#"via <a href="/technologies/fasthttp">fasthttp</a>"#),
        "{ours}"
    );
    let go = app.page("/technologies/go", 200).await;
    assert!(!go.body.contains(SCENARIO), "Go has no result left in it");

    // Nothing measured, nothing said.
    let python = app.page("/technologies/python", 200).await;
    assert!(!python.body.contains("Benchmark evidence"));
    assert!(!python.body.contains(SCENARIO));
}

async fn the_comparison_sets_each_best_result_against_the_slowest(app: TestApp) {
    let editor = app.signed_in("editor").await;
    create_scenario(&editor, "").await;
    let run = import_run(&app);

    let page = app.page("/compare/go-vs-rust", 200).await;
    page.assert_contains(&[
        r#"<h2 id="benchmarks">Benchmark evidence</h2>"#,
        r#"<table class="compare bench-compare">"#,
    ]);
    let row = between(
        &page,
        &format!(r#"<a href="/benchmarks/{SCENARIO}">{SCENARIO_NAME}</a>"#),
        "</tr>",
    );
    // Go's column first: Go through fasthttp, 1.09 times Rust through Actix-web.
    let go = row.find("39,947").expect("Go's best");
    let rust = row.find("36,735").expect("Rust's best");
    assert!(go < rust, "{row}");
    for needle in [
        r#"<strong>39,947</strong> req/s <span class="bench-ratio""#,
        ">1.09×</span>",
        ">1.00×</span>",
        r#"via <a href="/technologies/fasthttp">fasthttp</a>"#,
        r#"via <a href="/technologies/actix-web">Actix-web</a>"#,
        "p99 2.73 ms",
        "p99 3.34 ms",
        &format!(r#"<a href="/benchmarks/runs/{run}">Run {run}</a>"#),
    ] {
        assert!(row.contains(needle), "{needle:?} in:\n{row}");
    }
    // The section comes after the grid, which is as it was.
    assert!(
        page.body.find(r#"<table class="compare">"#) < page.body.find("bench-compare"),
        "the grid first"
    );
    assert_eq!(page.body.matches(r#"<th scope="row">"#).count(), 19);
    assert_eq!(page.body.matches("<td>").count(), 38);
    assert_eq!(page.body.matches(r#"<th scope="col">"#).count(), 3);

    // A technology not measured in the scenario has its place, said to be empty.
    let three = app.page("/compare/go-vs-python-vs-rust", 200).await;
    let row = between(
        &three,
        &format!(r#"<a href="/benchmarks/{SCENARIO}">{SCENARIO_NAME}</a>"#),
        "</tr>",
    );
    assert_eq!(row.matches("Not measured here").count(), 1, "{row}");
    // Where neither was measured, no section at all.
    let none = app.page("/compare/python-vs-ruby", 200).await;
    assert!(!none.body.contains("Benchmark evidence"));
    // The framework against its language: the same result is the best of both.
    let same = app.page("/compare/actix-web-vs-rust", 200).await;
    let row = between(
        &same,
        &format!(r#"<a href="/benchmarks/{SCENARIO}">{SCENARIO_NAME}</a>"#),
        "</tr>",
    );
    assert_eq!(row.matches("36,735").count(), 2, "{row}");
    assert_eq!(row.matches(">1.00×</span>").count(), 2, "{row}");
}

/// The comparison's entry for the tests' scenario.
fn scenario_entry(compared: &Value) -> &Value {
    compared["benchmarks"]
        .as_array()
        .expect("benchmarks")
        .iter()
        .find(|b| b["scenario"]["slug"] == SCENARIO)
        .unwrap_or_else(|| panic!("no {SCENARIO} in {compared}"))
}

async fn the_comparison_api_has_the_benchmarks(app: TestApp) {
    let editor = app.signed_in("editor").await;
    create_scenario(&editor, "").await;
    let run = import_run(&app);

    let compared = app.json("/api/v1/compare?t=rust&t=go", 200).await;
    // The grid is as it was, with the benchmarks beside it.
    assert_eq!(compared["canonical"], "/compare/go-vs-rust");
    assert_eq!(compared["rows"].as_array().map(Vec::len), Some(19));
    let entry = scenario_entry(&compared);
    assert_eq!(entry["scenario"]["name"], SCENARIO_NAME);
    let results = entry["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    let (go, rust) = (&results[0], &results[1]);
    assert_eq!(go["technology"], "go");
    assert_eq!(go["best"]["technology"]["slug"], "fasthttp");
    assert_eq!(go["best"]["requests_per_sec"], 39_947.0);
    assert_eq!(go["best"]["latency"]["p99_ms"], 2.73);
    assert_eq!(go["best"]["run"]["id"], run);
    assert_eq!(go["best"]["run"]["tool"], "techempower");
    let ratio = go["ratio"].as_f64().expect("a ratio");
    assert!((ratio - 39_947.0 / 36_735.0).abs() < 1e-9, "{ratio}");
    assert_eq!(rust["technology"], "rust");
    assert_eq!(rust["best"]["technology"]["slug"], "actix-web");
    assert_eq!(rust["best"]["label"], "Actix-web");
    assert_eq!(rust["ratio"], 1.0);

    // A technology without a result has its place, empty.
    let three = app.json("/api/v1/compare?t=go&t=rust&t=python", 200).await;
    let python = &scenario_entry(&three)["results"][1];
    assert_eq!(python["technology"], "python");
    assert_eq!(python["best"], Value::Null);
    assert_eq!(python["ratio"], Value::Null);
    // Only differences narrows the grid, not the evidence.
    let only = app
        .json("/api/v1/compare?t=go&t=rust&only=differences", 200)
        .await;
    assert_eq!(
        scenario_entry(&only)["results"][0]["best"]["run"]["id"],
        run
    );
    // Nothing measured: an empty list.
    let none = app.json("/api/v1/compare?t=python&t=ruby", 200).await;
    assert_eq!(none["benchmarks"], json!([]));
}

/// POSTs `body` to the advice API; the advice.
async fn advise(app: &TestApp, body: Value) -> Value {
    let reply = app
        .send_body(
            Method::POST,
            "/api/v1/advice",
            &[("content-type", "application/json")],
            Some(&body.to_string()),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.body);
    reply.json()["advice"].clone()
}

/// `candidate`'s score on `dimension` in the ranking.
fn score(advice: &Value, candidate: &str, dimension: &str) -> Value {
    advice["ranking"]["ranked"]
        .as_array()
        .expect("ranked")
        .iter()
        .find(|r| r["slug"] == candidate)
        .and_then(|r| {
            r["contributions"]
                .as_array()?
                .iter()
                .flat_map(|c| c["dimensions"].as_array().into_iter().flatten())
                .find(|d| d["dimension"] == dimension)
                .map(|d| d["score"].clone())
        })
        .unwrap_or_else(|| panic!("no score of {candidate} on {dimension} in {advice}"))
}

async fn the_advisor_scores_a_linked_dimension_from_the_runs(app: TestApp) {
    let editor = app.signed_in("editor").await;
    create_scenario(&editor, "").await;
    let run = import_run(&app);
    let languages =
        json!({"candidates": ["go", "rust"], "requirements": {"maximum-performance": "important"}});
    let frameworks = json!({"frameworks_of": ["go", "rust"], "requirements": {"maximum-performance": "important"}});
    let path = "/advisor?t=go&t=rust&maximum-performance=important";

    // Not linked: the facts' scores, as before.
    let before = advise(&app, languages.clone()).await;
    assert_eq!(before["measured"], json!([]));
    assert_eq!(score(&before, "go", "performance"), 4);
    assert_eq!(score(&before, "rust", "performance"), 5);
    let before_frameworks = advise(&app, frameworks.clone()).await;
    let page = app.page(path, 200).await;
    assert!(!page.body.contains("Measured:"), "not linked yet");

    link_scenario(&editor, "performance").await;
    let after = advise(&app, languages.clone()).await;
    // Go through fasthttp is the fastest: 1 + 4 × 1 = 5. Rust through Actix-web has
    // 36,735 / 39,947 = 0.92 of it: 1 + 4 × 0.92 = 4.68, so 5 too.
    assert_eq!(score(&after, "go", "performance"), 5);
    assert_eq!(score(&after, "rust", "performance"), 5);
    // Runtime overhead is not linked: still the facts'.
    assert_eq!(
        score(&after, "go", "runtime-overhead"),
        score(&before, "go", "runtime-overhead")
    );
    let measured = after["measured"].as_array().expect("measured");
    assert_eq!(measured.len(), 2, "{measured:?}");
    let go = measured
        .iter()
        .find(|m| m["candidate"] == "go")
        .expect("Go's measured score");
    assert_eq!(go["dimension"], "performance");
    assert_eq!(go["score"], 5);
    assert_eq!(
        go["runs"],
        json!([{
            "scenario": SCENARIO,
            "scenario_name": SCENARIO_NAME,
            "implementation": "fasthttp",
            "technology": {"slug": "fasthttp", "name": "fasthttp", "kind": "library"},
            "requests_per_sec": 39947.0,
            "ratio": 1.0,
            "run_id": run,
        }])
    );
    let rust = measured
        .iter()
        .find(|m| m["candidate"] == "rust")
        .expect("Rust's measured score");
    assert_eq!(rust["runs"][0]["technology"]["slug"], "actix-web");
    let ratio = rust["runs"][0]["ratio"].as_f64().expect("a ratio");
    assert!((ratio - 36_735.0 / 39_947.0).abs() < 1e-9, "{ratio}");
    // The facts stay beside the measurements.
    assert!(
        after["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .any(|e| e["candidate"] == "go" && e["fact"]["dimension"]["slug"] == "performance")
    );

    // The page says where the score comes from, and links the run.
    let page = app.page(path, 200).await;
    page.assert_contains(&[
        "<p><strong>Measured: 5/5</strong>, from this result as a share of the fastest candidate's:</p>",
        &format!(
            r#"<li><a href="/benchmarks/{SCENARIO}">{SCENARIO_NAME}</a> (<a href="/benchmarks/runs/{run}">run {run}</a>: 39,947 req/s, 100% of the fastest): <span class="muted">via <a href="/technologies/fasthttp">fasthttp</a></span></li>"#
        ),
        &format!(
            r#"(<a href="/benchmarks/runs/{run}">run {run}</a>: 36,735 req/s, 92% of the fastest): <span class="muted">via <a href="/technologies/actix-web">Actix-web</a></span>"#
        ),
        "The catalog's fact, which the measurement stands in for (4/5):",
        "the score on that dimension comes from the measurements instead of the catalog's fact",
    ]);

    // Frameworks: those measured are scored from their own results, the others keep
    // their facts (or their language's).
    let after_frameworks = advise(&app, frameworks.clone()).await;
    assert_eq!(score(&after_frameworks, "fasthttp", "performance"), 5);
    assert_eq!(score(&after_frameworks, "actix-web", "performance"), 5);
    for unmeasured in ["gin", "axum", "echo"] {
        assert_eq!(
            score(&after_frameworks, unmeasured, "performance"),
            score(&before_frameworks, unmeasured, "performance"),
            "{unmeasured}"
        );
        assert!(
            !after_frameworks["measured"]
                .as_array()
                .expect("measured")
                .iter()
                .any(|m| m["candidate"] == unmeasured),
            "{unmeasured}"
        );
    }

    // Unlinked again: the facts again.
    link_scenario(&editor, "").await;
    let unlinked = advise(&app, languages).await;
    assert_eq!(unlinked["measured"], json!([]));
    assert_eq!(unlinked["ranking"], before["ranking"]);
}

/// A decision between Go and Rust recorded from the advisor's result for `query`; its path.
async fn record_decision(editor: &Browser<'_>, query: &str) -> String {
    let fields: Vec<(&str, &str)> = vec![
        ("title", "Choose between Go and Rust"),
        ("context", "A new server-rendered site."),
        ("drivers", "Maximum performance (important)"),
        ("options", "go"),
        ("options", "rust"),
        ("chosen", "go"),
        ("rationale", "it is as fast here"),
        ("consequences", "We hire Go developers."),
        ("status", "accepted"),
        ("decided_on", "2026-01-10"),
        ("revisit_by", ""),
        ("links", ""),
        ("advisor_query", query),
    ];
    let reply = editor.post_form("/admin/decisions/new", &fields).await;
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    reply.header("location").to_owned()
}

async fn decisions_recorded_before_measurements_still_render(app: TestApp) {
    let editor = app.signed_in("editor").await;
    create_scenario(&editor, "performance").await;
    import_run(&app);
    let query = "t=go&t=rust&maximum-performance=important";

    // Recorded now, the advice keeps its measured scores.
    let path = record_decision(&editor, query).await;
    let id: i32 = path
        .trim_start_matches("/decisions/")
        .parse()
        .expect("an id");
    let recorded = app.json(&format!("/api/v1/decisions/{id}"), 200).await;
    let advice = &recorded["snapshot"]["advice"];
    assert_eq!(advice["measured"][0]["dimension"], "performance");
    let page = app.page(&path, 200).await;
    page.assert_contains(&["<h2 id=\"advice\">The advisor's ranking</h2>"]);

    // As a record from before measurements existed: the advice without them.
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    use verdict::db::schema::decisions;
    let stored: String = decisions::table
        .find(id)
        .select(decisions::snapshot)
        .first(&mut conn)
        .expect("the snapshot");
    let mut snapshot: Value = serde_json::from_str(&stored).expect("JSON");
    snapshot["advice"]
        .as_object_mut()
        .expect("advice")
        .remove("measured");
    conn.transaction(|conn| {
        diesel::update(decisions::table.find(id))
            .set(decisions::snapshot.eq(snapshot.to_string()))
            .execute(conn)?;
        verdict::db::bump_content_revision(conn)
    })
    .expect("the old record");

    let old = app.page(&path, 200).await;
    old.assert_contains(&[
        "<h2 id=\"advice\">The advisor's ranking</h2>",
        "<li><strong>Go</strong>:",
        &format!(
            r#"<a href="/advisor?{}">Re-run the advisor with the same inputs</a>"#,
            query.replace('&', "&#38;")
        ),
    ]);
    assert!(!old.body.contains("recorded without an advisor result"));
    let api = app.json(&format!("/api/v1/decisions/{id}"), 200).await;
    assert_eq!(api["snapshot"]["advice"].get("measured"), None);
    assert_eq!(api["snapshot"]["advice"]["query"], query);
    let markdown = app.get(&format!("{path}.md")).await;
    assert_eq!(markdown.status.as_u16(), 200);
    assert!(markdown.body.contains("### Go"), "{}", markdown.body);
}
