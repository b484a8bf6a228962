//! A TechEmpower round of six hundred frameworks: every benchmark page and JSON answer stays
//! small whatever a run holds. Lists carry summaries (a run's count of results and its
//! fastest), a run's results are paged on its page and under its address, and charts draw
//! the first results only.

use std::collections::HashSet;

use serde_json::Value;
use verdict::accounts::tokens::Scope;

use crate::benchmarks::{form_action, href_of};
use crate::helpers::{Reply, TestApp};
use crate::on_both_backends;

on_both_backends!(a_round_of_six_hundred_frameworks_keeps_every_answer_small);

const FRAMEWORKS: usize = 600;

/// Far below the 1 MB no page or answer may reach, whatever was imported.
const LIMIT: usize = 256 * 1024;

/// The scenarios the round's four test types are stored as.
const SCENARIOS: [&str; 4] = [
    "json-serialisation",
    "plaintext",
    "fortunes",
    "multiple-queries-20",
];

fn framework(i: usize) -> String {
    format!("framework-{i:03}-of-the-round")
}

/// Framework `i`'s requests: all different, and not in the file's order.
fn requests(i: usize) -> usize {
    ((i * 7919) % FRAMEWORKS + 1) * 1_500
}

/// The fastest framework: the one with the most requests.
fn fastest() -> String {
    framework(
        (0..FRAMEWORKS)
            .max_by_key(|&i| requests(i))
            .expect("frameworks"),
    )
}

/// A `results.json` with one result of every framework in four test types.
fn round() -> String {
    let test = |scale: usize| {
        (0..FRAMEWORKS)
            .map(|i| {
                format!(
                    r#""{}": [{{"totalRequests": {}, "startTime": 1700000000, "endTime": 1700000015, "latencyAvg": "1.00ms", "latencyMax": "9.00ms", "latencyStdev": "0.20ms"}}]"#,
                    framework(i),
                    requests(i) * scale
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        r#"{{"duration": 15, "concurrencyLevels": [64], "pipelineConcurrencyLevels": [256],
            "queryIntervals": [20], "cachedQueryIntervals": [1],
            "rawData": {{"json": {{{}}}, "plaintext": {{{}}}, "fortune": {{{}}}, "query": {{{}}}}}}}"#,
        test(10),
        test(40),
        test(2),
        test(1)
    )
}

/// GETs `path` and checks it answers 200 in less than [`LIMIT`].
async fn small(app: &TestApp, path: &str) -> Reply {
    let reply = app.get(path).await;
    assert_eq!(reply.status.as_u16(), 200, "GET {path}: {}", reply.body);
    assert!(
        reply.body.len() < LIMIT,
        "GET {path}: {} bytes",
        reply.body.len()
    );
    reply
}

/// The ids of a page of results.
fn ids(results: &Value) -> Vec<i64> {
    results["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["id"].as_i64().expect("an id"))
        .collect()
}

async fn a_round_of_six_hundred_frameworks_keeps_every_answer_small(app: TestApp) {
    let (_, writer) = app.api_token("importer", Scope::ReadWrite);
    let file = round();
    let imported = app
        .import(
            Some(&writer),
            &[("tool", "techempower")],
            Some(("results.json", file.as_str())),
        )
        .await;
    assert_eq!(imported.status.as_u16(), 201, "{}", imported.body);
    let imported = imported.json();
    assert_eq!(imported["results"], 4 * FRAMEWORKS);
    let runs: Vec<i64> = imported["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .map(|run| run["id"].as_i64().expect("an id"))
        .collect();
    assert_eq!(runs.len(), 4);
    let fastest = fastest();

    // The lists carry each run's summary, not its results.
    let list = small(
        &app,
        "/api/v1/benchmarks/runs?tool=techempower&per_page=100",
    )
    .await;
    let list = list.json();
    assert_eq!(list["total"], 4);
    for run in list["items"].as_array().expect("runs") {
        assert_eq!(run["result_count"], FRAMEWORKS, "{run}");
        assert_eq!(run["best"]["label"], fastest.as_str(), "{run}");
        assert!(run.get("results").is_none(), "{run}");
    }
    let scenarios = small(&app, "/api/v1/benchmarks/scenarios?per_page=100")
        .await
        .json();
    let latest: Vec<&Value> = scenarios["items"]
        .as_array()
        .expect("scenarios")
        .iter()
        .filter(|s| SCENARIOS.contains(&s["slug"].as_str().unwrap_or_default()))
        .map(|s| &s["latest"])
        .collect();
    assert_eq!(latest.len(), 4);
    for run in latest {
        assert_eq!(run["result_count"], FRAMEWORKS, "{run}");
        assert_eq!(run["best"]["label"], fastest.as_str(), "{run}");
        assert!(run.get("results").is_none(), "{run}");
    }

    // A run's results, paged under its address as a dimension's facts are.
    let run = runs[0];
    let api = |page: &str| format!("/api/v1/benchmarks/runs/{run}{page}");
    let first = small(&app, &api("")).await.json();
    assert_eq!(first["result_count"], FRAMEWORKS);
    assert_eq!(first["results"]["total"], FRAMEWORKS);
    assert_eq!(first["results"]["page"], 1);
    assert_eq!(first["results"]["per_page"], 20);
    assert_eq!(first["results"]["items"][0]["label"], fastest.as_str());
    assert_eq!(first["results"]["items"][0]["id"], first["best"]["id"]);
    let second = small(&app, &api("?page=2")).await.json();
    let (first_ids, second_ids) = (ids(&first["results"]), ids(&second["results"]));
    assert_eq!((first_ids.len(), second_ids.len()), (20, 20));
    let seen: HashSet<i64> = first_ids.iter().copied().collect();
    assert!(
        second_ids.iter().all(|id| !seen.contains(id)),
        "page 2 is other results"
    );
    let rps = |page: &Value, at: usize| {
        page["results"]["items"][at]["requests_per_sec"]
            .as_f64()
            .expect("a figure")
    };
    assert!(
        rps(&first, 19) > rps(&second, 0),
        "fastest first, across pages"
    );
    let last = small(&app, &api("?page=30")).await.json();
    assert_eq!(ids(&last["results"]).len(), 20);
    let beyond = small(&app, &api("?page=31")).await.json();
    assert_eq!(ids(&beyond["results"]).len(), 0);
    assert_eq!(beyond["results"]["total"], FRAMEWORKS);
    let whole = small(&app, &api("?per_page=100&page=6")).await.json();
    assert_eq!(ids(&whole["results"]).len(), 100);
    app.json(&api("?page=0"), 400).await;

    // The run's page, paged alike, its charts drawn from the page's first results.
    let page = |query: &str| format!("/benchmarks/runs/{run}{query}");
    let one = small(&app, &page("")).await;
    one.assert_contains(&["600 results, 1–20 shown", "Page 1 of 30", &fastest]);
    let second_label = second["results"]["items"][0]["label"]
        .as_str()
        .expect("a label");
    assert!(!one.body.contains(&format!(">{second_label}<")));
    let two = small(&app, &page("?page=2")).await;
    two.assert_contains(&["21–40 shown", "Page 2 of 30", second_label]);
    assert!(
        two.body
            .contains(&format!(r#"<a rel="prev" href="/benchmarks/runs/{run}">"#))
    );
    let end = small(&app, &page("?page=30")).await;
    end.assert_contains(&["581–600 shown", "Page 30 of 30"]);
    assert!(!end.body.contains(r#"rel="next""#));
    // Past the end: not found, with the way to the last page.
    app.page(&page("?page=31"), 404).await.assert_contains(&[
        "There is no page 31 of this list: it ends at page 30.",
        &format!(r#"<a href="/benchmarks/runs/{run}?page=30">Go to the last page</a>"#),
    ]);
    small(&app, &page("?per_page=100")).await;
    app.page(&page("?page=x"), 400).await;

    // The list of scenarios charts the first results of each latest run, and says how many
    // more there are.
    let benchmarks = small(&app, "/benchmarks?per_page=100").await;
    benchmarks.assert_contains(&["…and 590 more results in"]);
    small(&app, "/benchmarks").await;
    for slug in SCENARIOS {
        small(&app, &format!("/benchmarks/{slug}")).await;
        small(&app, &format!("/benchmarks/{slug}?per_page=100&page=6")).await;
        small(&app, &format!("/api/v1/benchmarks/scenarios/{slug}")).await;
        small(
            &app,
            &format!("/api/v1/benchmarks/runs?scenario={slug}&per_page=100"),
        )
        .await;
    }
    for run in &runs {
        small(&app, &format!("/benchmarks/runs/{run}?per_page=100")).await;
        small(&app, &format!("/api/v1/benchmarks/runs/{run}?per_page=100")).await;
    }
    small(&app, "/api/v1/benchmarks/environments").await;

    // Where decisions are made: a framework's page, a comparison, and their JSON.
    let other = framework(0);
    small(&app, &format!("/technologies/{fastest}")).await;
    small(&app, &format!("/api/v1/technologies/{fastest}")).await;
    small(&app, &format!("/compare/{other}-vs-{fastest}")).await;
    small(&app, &format!("/api/v1/compare?t={fastest}&t={other}")).await;

    // An editor's pages: the import form, and a run's deletion, by its page's link.
    let editor = app.signed_in("editor").await;
    let form = editor.page("/admin/benchmarks/import", 200).await;
    assert!(form.body.len() < LIMIT, "{} bytes", form.body.len());
    let run_page = editor.page(&page(""), 200).await;
    let ask = editor
        .page(&href_of(&run_page.body, "Delete this run…"), 200)
        .await;
    assert!(ask.body.len() < LIMIT, "{} bytes", ask.body.len());
    ask.assert_contains(&["Its 600 results go with it"]);
    let deleted = editor
        .post_form(&form_action(&ask.body, &format!("Delete run {run}")), &[])
        .await;
    assert_eq!(deleted.status.as_u16(), 303, "{}", deleted.body);
    app.page(&page(""), 404).await;
    let left = app
        .json("/api/v1/benchmarks/runs?tool=techempower", 200)
        .await;
    assert_eq!(left["total"], 3);
}
