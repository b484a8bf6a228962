//! The catalog's JSON API.

use awc::http::Method;

use crate::helpers::{Client, TestApp, expect};
use crate::on_both_backends;

on_both_backends!(
    technologies_list_with_filters_and_pages,
    totals_follow_every_write,
    bad_parameters_are_problems_naming_them,
    a_technology_with_its_assessments_and_sources,
    dimensions_with_their_facts,
    sources_with_the_facts_citing_them,
);

async fn technologies_list_with_filters_and_pages(app: TestApp) {
    let all = app.json("/api/v1/technologies", 200).await;
    assert_eq!(all["total"], 18);
    assert_eq!(all["per_page"], 20);
    assert_eq!(all["items"].as_array().map(Vec::len), Some(18));
    assert_eq!(
        all["links"],
        serde_json::json!({"first": null, "prev": null, "next": null, "last": null})
    );

    let go = app
        .json("/api/v1/technologies?language=go&kind=framework", 200)
        .await;
    assert_eq!(names(&go), ["Echo", "Fiber", "Gin"]);
    assert_eq!(go["total"], 3);
    assert_eq!(go["items"][0]["language"]["slug"], "go");
    assert_eq!(go["items"][0]["kind"], "framework");
    let go_all = app.json("/api/v1/technologies?language=go", 200).await;
    let go_again = app.json("/api/v1/technologies?language=Go", 200).await;
    assert_eq!(go_again, go_all, "a language named in capitals is found");
    assert_eq!(go_all["total"], 6);

    let capped = app.json("/api/v1/technologies?per_page=1000", 200).await;
    assert_eq!(capped["per_page"], 100);

    // Page by page with the links, forwards and back: every item once, in order.
    let mut seen = Vec::new();
    let mut next = Some("/api/v1/technologies?per_page=5".to_owned());
    let mut pages = Vec::new();
    while let Some(path) = next {
        let page = app.json(&path, 200).await;
        assert_eq!(page["total"], 18, "{path}");
        seen.extend(names(&page).into_iter().map(String::from));
        next = page["links"]["next"].as_str().map(String::from);
        pages.push(page);
    }
    assert_eq!(pages.len(), 4);
    assert_eq!(names(&all), seen);
    assert_eq!(
        pages[1]["links"]["first"],
        "/api/v1/technologies?per_page=5"
    );
    assert_eq!(
        pages[0]["links"]["last"],
        "/api/v1/technologies?per_page=5&page=last"
    );
    let last = app
        .json("/api/v1/technologies?per_page=5&page=last", 200)
        .await;
    assert_eq!(names(&last), seen[13..], "the last page is the last five");
    assert_eq!(last["links"]["next"], serde_json::Value::Null);
    let prev = last["links"]["prev"].as_str().expect("a previous page");
    assert_eq!(names(&app.json(prev, 200).await), seen[8..13]);

    // A cursor that names nothing in the list is refused by name.
    let problem = app.json("/api/v1/technologies?after=nothing", 400).await;
    assert_eq!(problem["errors"][0]["name"], "after");
    let numbered = app.json("/api/v1/technologies?page=2", 400).await;
    assert_eq!(numbered["errors"][0]["name"], "page");
}

/// The totals are kept by the database as technologies are added, moved and removed.
async fn totals_follow_every_write(app: TestApp) {
    const FILTERS: [&str; 6] = [
        "",
        "language=rust",
        "language=go",
        "kind=framework",
        "kind=library",
        "kind=library&language=go",
    ];
    let totals = || async {
        let mut totals = Vec::new();
        for query in FILTERS {
            let list = app
                .json(&format!("/api/v1/technologies?{query}&per_page=100"), 200)
                .await;
            let listed = list["items"].as_array().map_or(0, Vec::len);
            assert_eq!(
                list["total"], listed,
                "{query}: the total is what the list holds"
            );
            totals.push(listed);
        }
        totals
    };
    let before = totals().await;
    let api = Client::new(&app);
    let created = api
        .send(
            Method::POST,
            "/api/v1/technologies",
            serde_json::json!({"slug": "warp", "name": "Warp", "kind": "framework",
                "language": "rust", "summary": "A Rust web framework."}),
        )
        .await;
    expect(&created, 201);
    let added = totals().await;
    assert_eq!(
        added,
        [
            before[0] + 1,
            before[1] + 1,
            before[2],
            before[3] + 1,
            before[4],
            before[5]
        ]
    );
    let moved = api
        .send(
            Method::PATCH,
            "/api/v1/technologies/warp",
            serde_json::json!({"kind": "library", "language": "go"}),
        )
        .await;
    expect(&moved, 200);
    let after_move = totals().await;
    assert_eq!(
        after_move,
        [
            before[0] + 1,
            before[1],
            before[2] + 1,
            before[3],
            before[4] + 1,
            before[5] + 1
        ]
    );
    expect(&api.delete("/api/v1/technologies/warp").await, 204);
    assert_eq!(totals().await, before);
}

fn names(page: &serde_json::Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect()
}

async fn bad_parameters_are_problems_naming_them(app: TestApp) {
    let problem = app
        .json(
            "/api/v1/technologies?page=x&kind=Language&language=Not%20a%20slug",
            400,
        )
        .await;
    assert_eq!(problem["status"], 400);
    assert_eq!(problem["title"], "Bad Request");
    assert_eq!(problem["type"], "about:blank");
    let names: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(names, ["kind", "language", "page"]);
    assert!(
        problem["errors"][0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("language, framework"))
    );

    for path in [
        "/api/v1/dimensions?per_page=0",
        "/api/v1/sources?page=-2",
        "/api/v1/dimensions/performance?page=one",
    ] {
        let problem = app.json(path, 400).await;
        assert_eq!(
            problem["errors"].as_array().map(Vec::len),
            Some(1),
            "{path}"
        );
    }
    let missing = app.json("/api/v1/technologies/cobol", 404).await;
    assert_eq!(missing["status"], 404);
}

async fn a_technology_with_its_assessments_and_sources(app: TestApp) {
    let rust = app.json("/api/v1/technologies/rust", 200).await;
    assert_eq!(rust["slug"], "rust");
    assert_eq!(rust["kind"], "language");
    assert!(rust["language"].is_null());
    let frameworks: Vec<&str> = rust["frameworks"]
        .as_array()
        .expect("frameworks")
        .iter()
        .filter_map(|t| t["slug"].as_str())
        .collect();
    assert_eq!(frameworks, ["actix-web", "axum", "hyper", "rocket"]);
    let assessments = rust["assessments"].as_array().expect("assessments");
    assert_eq!(assessments.len(), 18);
    let safety = assessments
        .iter()
        .find(|a| a["dimension"]["slug"] == "memory-safety")
        .expect("memory safety");
    assert_eq!(safety["score"], 5);
    assert_eq!(safety["as_of"], "2026-11-21");
    assert!(safety["dimension"]["scale"].is_string());
    assert!(["low", "medium", "high"].contains(&safety["confidence"].as_str().unwrap_or("")));
    let sources = safety["sources"].as_array().expect("sources");
    assert!(!sources.is_empty());
    assert!(
        sources
            .iter()
            .all(|s| s["title"].is_string() && s["url"].is_null() && s["id"].is_i64())
    );
    let steward = assessments
        .iter()
        .find(|a| a["dimension"]["slug"] == "steward")
        .expect("steward");
    assert!(
        steward["score"].is_null(),
        "descriptive dimensions carry no score"
    );
    assert!(
        rust["updated_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );

    let go = app.json("/api/v1/technologies/go", 200).await;
    let names: Vec<&str> = go["frameworks"]
        .as_array()
        .expect("frameworks")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["Echo", "fasthttp", "Fiber", "Gin", "Go kit", "net/http"],
        "names sort without regard to case"
    );

    let axum = app.json("/api/v1/technologies/axum", 200).await;
    assert_eq!(axum["language"]["slug"], "rust");
}

async fn dimensions_with_their_facts(app: TestApp) {
    let list = app.json("/api/v1/dimensions", 200).await;
    assert_eq!(list["total"], 19);
    assert_eq!(list["items"][0]["slug"], "release-1-0");
    let design = list["items"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["slug"] == "design"))
        .expect("design");
    assert_eq!(design["assessments"], 10);

    let performance = app
        .json("/api/v1/dimensions/performance?per_page=3", 200)
        .await;
    assert_eq!(performance["name"], "Performance");
    assert!(performance["scale"].is_string());
    assert!(performance["position"].is_i64(), "{performance}");
    assert_eq!(performance["facts"]["per_page"], 3);
    let facts = performance["facts"]["items"].as_array().expect("facts");
    assert_eq!(facts.len(), 3);
    assert_eq!(facts[0]["score"], 5);
    assert!(
        facts
            .iter()
            .all(|f| f["dimension"]["slug"] == "performance")
    );
    assert_eq!(performance["facts"]["total"], performance["assessments"]);

    // Page by page with the links: every fact once, best score first, none without a score
    // before one with.
    let mut scores = Vec::new();
    let mut next = Some("/api/v1/dimensions/performance?per_page=3".to_owned());
    while let Some(path) = next {
        let page = app.json(&path, 200).await;
        let facts = page["facts"]["items"].as_array().expect("facts").clone();
        scores.extend(facts.iter().map(|f| f["score"].as_i64().unwrap_or(0)));
        next = page["facts"]["links"]["next"].as_str().map(String::from);
    }
    assert_eq!(
        Some(scores.len() as i64),
        performance["assessments"].as_i64()
    );
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "{scores:?}"
    );
    assert_eq!(
        performance["facts"]["links"]["last"],
        "/api/v1/dimensions/performance?per_page=3&page=last"
    );
    let last = app
        .json("/api/v1/dimensions/performance?per_page=3&page=last", 200)
        .await;
    let last_scores: Vec<i64> = last["facts"]["items"]
        .as_array()
        .expect("facts")
        .iter()
        .map(|f| f["score"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(last_scores, scores[scores.len() - 3..]);
    let missing = app.json("/api/v1/dimensions/nope", 404).await;
    assert_eq!(missing["status"], 404);
}

async fn sources_with_the_facts_citing_them(app: TestApp) {
    let list = app.json("/api/v1/sources", 200).await;
    assert_eq!(list["total"], 6);
    let first = &list["items"][0];
    let id = first["id"].as_i64().expect("id");
    let source = app.json(&format!("/api/v1/sources/{id}"), 200).await;
    assert_eq!(source["title"], first["title"]);
    assert_eq!(source["citations"], first["citations"]);
    let facts = source["facts"]["items"].as_array().expect("facts");
    assert!(!facts.is_empty());
    assert!(facts.iter().all(|f| {
        f["sources"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["id"] == id))
    }));
    let missing = app.json("/api/v1/sources/0", 404).await;
    assert_eq!(missing["status"], 404);
}
