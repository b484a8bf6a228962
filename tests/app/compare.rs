//! Side-by-side comparison: the page at its canonical address, the form, the JSON, and the
//! home page's offer.

use awc::http::Method;
use serde_json::{Value, json};
use verdict::accounts::tokens::Scope;

use crate::helpers::{Reply, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_comparison_shows_every_dimension_side_by_side,
    other_orders_redirect_to_the_canonical_address,
    two_to_four_technologies_the_catalog_knows,
    the_toggle_shows_only_the_differences,
    a_missing_fact_is_said_and_its_row_kept,
    the_form_lists_technologies_by_kind,
    the_form_redirects_to_the_comparison,
    the_form_shows_problems_at_their_choice,
    head_and_other_methods,
    the_api_answers_with_the_grid,
    the_api_names_bad_parameters,
    the_home_and_technology_pages_offer_comparisons,
    an_edit_through_the_api_shows_at_once,
);

/// The number of times `needle` occurs in the body.
fn count(reply: &Reply, needle: &str) -> usize {
    reply.body.matches(needle).count()
}

#[track_caller]
fn assert_redirect(reply: &Reply, status: u16, location: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.body);
    assert_eq!(reply.header("location"), location);
}

async fn a_comparison_shows_every_dimension_side_by_side(app: TestApp) {
    let page = app.page("/compare/go-vs-rust", 200).await;
    page.assert_contains(&[
        "<title>Go vs Rust · Verdict</title>",
        // A pasted link previews with the comparison's title and description.
        r#"<meta property="og:title" content="Go vs Rust">"#,
        r#"<meta property="og:description" content="Go vs Rust, side by side on every dimension, with the sources behind each fact.">"#,
        r#"<meta name="twitter:card" content="summary">"#,
        "<h1>Go vs Rust</h1>",
        r#"<div class="compare-scroll" role="region" aria-label="Go vs Rust, side by side (scrolls sideways)" tabindex="0">"#,
        r#"<th scope="col">Dimension</th>"#,
        r#"<a class="button button-secondary" href="/advisor?t=go&#38;t=rust">Rank them on your requirements</a>"#,
        r#"<a class="compare-name" href="/technologies/go">Go</a>"#,
        r#"<a class="compare-name" href="/technologies/rust">Rust</a>"#,
        r#"<span class="tag">language</span>"#,
        "A compiled, garbage-collected language from Google",
        r#"<a href="/dimensions/performance">Performance</a>"#,
        r#"<small class="scale muted">1 = slow, far behind the field"#,
        r#"<span class="score-value">5<span class="muted"> / 5</span>"#,
        r#"<span class="score-value">4<span class="muted"> / 5</span>"#,
        "Go reached version 1.0 on 28 March 2012.",
        "Rust reached version 1.0 on 15 May 2015.",
        r#"As of <time datetime="2026-11-21">21 Nov 2026</time>"#,
        r#"<span class="confidence confidence-high">high</span> confidence"#,
        "Rust Backend vs Go Backend in Web Development</a>",
        "(Qvault)",
        r#"<span class="differs-tag">Differs</span>"#,
        "They differ on 18 of 19 dimensions.",
        r#"<a href="/compare/go-vs-rust?only=differences">Show only differences (18)</a>"#,
        r#"<a href="/api/v1/compare?t=go&#38;t=rust">JSON</a>"#,
        r#"aria-current="page">Compare</a>"#,
    ]);
    // Go first: the canonical order is the columns' order.
    let go = page.body.find(r#"href="/technologies/go">Go</a>"#);
    let rust = page.body.find(r#"href="/technologies/rust">Rust</a>"#);
    assert!(go < rust, "Go's column comes before Rust's");
    // Every dimension is a row, and each row has a cell per technology.
    assert_eq!(count(&page, r#"<th scope="row">"#), 19);
    assert_eq!(count(&page, "<td>"), 38);
    assert_eq!(count(&page, r#"<tr class="differs">"#), 18);
    // Neither has a fact on design: the row says so, and is no difference.
    let design = page
        .body
        .find(r#"<a href="/dimensions/design">"#)
        .expect("the design row");
    let row_end = design + page.body[design..].find("</tr>").expect("the row's end");
    let row = &page.body[design..row_end];
    assert_eq!(row.matches("No fact yet").count(), 2, "{row}");
    assert!(!row.contains("Differs"), "{row}");
    // Besides design, only Go's WebAssembly cell: no source speaks of it.
    assert_eq!(count(&page, "No fact yet"), 3);

    let frameworks = app.page("/compare/echo-vs-fiber-vs-gin", 200).await;
    frameworks.assert_contains(&[
        "<h1>Echo vs Fiber vs Gin</h1>",
        r#"<span class="tag">framework</span>"#,
        r#"<span class="tag">for <a href="/technologies/go">Go</a></span>"#,
    ]);
    assert_eq!(count(&frameworks, r#"<th scope="col">"#), 4);
}

async fn other_orders_redirect_to_the_canonical_address(app: TestApp) {
    for (from, to) in [
        ("/compare/rust-vs-go", "/compare/go-vs-rust"),
        (
            "/compare/rust-vs-go?only=differences",
            "/compare/go-vs-rust?only=differences",
        ),
        (
            "/compare/gin-vs-echo-vs-fiber",
            "/compare/echo-vs-fiber-vs-gin",
        ),
        ("/compare/axum-vs-actix-web", "/compare/actix-web-vs-axum"),
        ("/compare/go-vs-rust-vs-go", "/compare/go-vs-rust"),
        ("/compare/go-vs-go-vs-rust", "/compare/go-vs-rust"),
    ] {
        let reply = app.get(from).await;
        assert_redirect(&reply, 301, to);
    }
    // The canonical address itself is the page.
    let page = app.page("/compare/actix-web-vs-axum", 200).await;
    page.assert_contains(&["<h1>Actix-web vs Axum</h1>"]);
}

async fn two_to_four_technologies_the_catalog_knows(app: TestApp) {
    let four = app
        .page("/compare/actix-web-vs-axum-vs-go-vs-rust", 200)
        .await;
    assert_eq!(count(&four, r#"<th scope="col">"#), 5);

    let one = app.page("/compare/go", 404).await;
    one.assert_contains(&["<h1>Not Found</h1>", "at least two different technologies"]);
    let same = app.page("/compare/go-vs-go", 404).await;
    same.assert_contains(&["at least two different technologies"]);
    let five = app
        .page("/compare/actix-web-vs-axum-vs-gin-vs-go-vs-rust", 404)
        .await;
    five.assert_contains(&["at most four technologies; this address names 5"]);
    let unknown = app.page("/compare/go-vs-nope-vs-zig", 404).await;
    unknown.assert_contains(&[
        "the catalog has no technology",
        "<code>nope</code> or <code>zig</code>",
        r#"<a href="/compare">Choose the technologies to compare</a>"#,
    ]);
    // Not a slug at all: no technology can have it.
    let capital = app.page("/compare/Go-vs-rust", 404).await;
    capital.assert_contains(&["<code>Go</code>"]);
    let empty = app.page("/compare/go-vs-", 404).await;
    empty.assert_contains(&["This address is not a comparison"]);
}

async fn the_toggle_shows_only_the_differences(app: TestApp) {
    let only = app.page("/compare/go-vs-rust?only=differences", 200).await;
    only.assert_contains(&[
        "Showing 18 of 19 dimensions: those where they differ.",
        r#"<a href="/compare/go-vs-rust">Show all dimensions (19)</a>"#,
    ]);
    assert_eq!(count(&only, r#"<th scope="row">"#), 18);
    assert!(!only.body.contains(r#"<a href="/dimensions/design">"#));
    assert!(!only.body.contains("Show only differences"));

    // An empty value is no choice.
    let all = app.page("/compare/go-vs-rust?only=", 200).await;
    assert_eq!(count(&all, r#"<th scope="row">"#), 19);

    let bad = app.page("/compare/go-vs-rust?only=similarities", 400).await;
    bad.assert_contains(&["<h1>Bad Request</h1>", "<code>only</code>", "similarities"]);
}

async fn a_missing_fact_is_said_and_its_row_kept(app: TestApp) {
    // Python and Ruby each have one fact, on performance, with different texts.
    let page = app.page("/compare/python-vs-ruby", 200).await;
    page.assert_contains(&[
        "<h1>Python vs Ruby</h1>",
        "They differ on 1 of 19 dimensions.",
        "Show only differences (1)",
        "than Python, and in the TechEmpower rankings",
        "than Ruby, and in the TechEmpower rankings",
        r#"<p class="muted no-fact">No fact yet</p>"#,
    ]);
    assert_eq!(count(&page, r#"<th scope="row">"#), 19);
    assert_eq!(count(&page, "No fact yet"), 36);
    assert_eq!(count(&page, r#"<tr class="differs">"#), 1);
    // A dimension nobody has a fact on still has its row.
    page.assert_contains(&[r#"<a href="/dimensions/learning-curve">Learning curve</a>"#]);

    let only = app
        .page("/compare/python-vs-ruby?only=differences", 200)
        .await;
    assert_eq!(count(&only, r#"<th scope="row">"#), 1);
    only.assert_contains(&[
        r#"<a href="/dimensions/performance">Performance</a>"#,
        "Show all dimensions (19)",
    ]);
    assert_eq!(count(&only, "No fact yet"), 0);

    // A fact on one side and none on the other differs.
    let java = app.page("/compare/c-cpp-vs-java", 200).await;
    java.assert_contains(&["They differ on 2 of 19 dimensions."]);
}

async fn the_form_lists_technologies_by_kind(app: TestApp) {
    let form = app.page("/compare", 200).await;
    form.assert_contains(&[
        "<h1>Compare technologies</h1>",
        r#"<form class="compare-form" method="get" action="/compare">"#,
        r#"<label for="first_technology">First technology</label>"#,
        r#"<select id="first_technology" name="t" required>"#,
        r#"<label for="second_technology">Second technology</label>"#,
        r#"<select id="second_technology" name="t" required>"#,
        r#"<label for="third_technology">Third technology (optional)</label>"#,
        r#"<select id="third_technology" name="t">"#,
        r#"<select id="fourth_technology" name="t">"#,
        r#"<option value="">Choose a technology</option>"#,
        r#"<option value="">None</option>"#,
        r#"<optgroup label="Languages">"#,
        r#"<optgroup label="Frameworks">"#,
        r#"<optgroup label="Libraries">"#,
        r#"<optgroup label="Runtimes">"#,
        r#"<option value="go">Go</option>"#,
        r#"<option value="actix-web">Actix-web</option>"#,
        "<h2 id=\"featured\">Featured comparisons</h2>",
        r#"<a href="/compare/go-vs-rust">Go vs Rust</a>"#,
        r#"aria-current="page">Compare</a>"#,
    ]);
    assert!(
        !form.body.contains("/compare/echo-vs-fiber-vs-gin"),
        "nearly empty: not featured"
    );
    assert!(!form.body.contains("selected"));
    assert!(
        !form.body.contains("csrf_token"),
        "a GET form writes nothing"
    );
    // Four selects, each offering all 18 technologies.
    assert_eq!(count(&form, r#"<option value="go">"#), 4);
    assert_eq!(count(&form, "<optgroup "), 16);
    // Go (a language) is listed under languages, Gin under frameworks.
    let frameworks = form.body.find(r#"<optgroup label="Frameworks">"#);
    assert!(form.body.find(r#"<option value="go">"#) < frameworks);
    assert!(form.body.find(r#"<option value="gin">"#) > frameworks);

    // The technology pages' link preselects the first choice.
    let rust = app.page("/compare?t=rust", 200).await;
    let first = rust.body.find(r#"id="first_technology""#).expect("first");
    let second = rust.body.find(r#"id="second_technology""#).expect("second");
    let selected = rust.body.find(r#"<option value="rust" selected>"#);
    assert_eq!(count(&rust, " selected>"), 1);
    assert!(selected > Some(first) && selected < Some(second));
    assert!(!rust.body.contains("field-error"));
}

async fn the_form_redirects_to_the_comparison(app: TestApp) {
    for (query, location) in [
        ("t=rust&t=go&t=&t=", "/compare/go-vs-rust"),
        ("t=go&t=rust", "/compare/go-vs-rust"),
        ("t=gin&t=echo&t=&t=fiber", "/compare/echo-vs-fiber-vs-gin"),
        ("t=rust&t=go&t=rust&t=", "/compare/go-vs-rust"),
    ] {
        let reply = app.get(&format!("/compare?{query}")).await;
        assert_redirect(&reply, 303, location);
    }
}

async fn the_form_shows_problems_at_their_choice(app: TestApp) {
    let same = app.page("/compare?t=go&t=go&t=&t=", 400).await;
    same.assert_contains(&[
        r#"<div class="error-summary" role="alert">"#,
        r##"<a href="#second_technology">Second technology must be a different technology from the first</a>"##,
        r#"<select id="second_technology" name="t" required aria-invalid="true" aria-describedby="second_technology-error">"#,
        r#"<p class="field-error" id="second_technology-error">must be a different technology from the first</p>"#,
    ]);
    // The choices are kept.
    assert_eq!(count(&same, r#"<option value="go" selected>"#), 2);

    let one = app.page("/compare?t=&t=rust&t=&t=", 400).await;
    one.assert_contains(&[
        r#"<p class="field-error" id="first_technology-error">must be chosen</p>"#,
        r#"<option value="rust" selected>"#,
    ]);

    let unknown = app.page("/compare?t=go&t=rust&t=cobol&t=", 400).await;
    unknown.assert_contains(&[
        r#"<p class="field-error" id="third_technology-error">is not in the catalog: `cobol`</p>"#,
        "One thing needs fixing",
        r##"<a href="#third_technology">Third technology (optional) is not in the catalog: `cobol`</a>"##,
    ]);
    assert_eq!(count(&unknown, " selected>"), 2);

    let both = app.page("/compare?t=go&t=go&t=&t=cobol", 400).await;
    both.assert_contains(&["2 things need fixing"]);

    let alone = app.page("/compare?t=cobol", 400).await;
    alone.assert_contains(&[
        r#"<p class="field-error" id="first_technology-error">is not in the catalog: `cobol`</p>"#,
    ]);
}

async fn head_and_other_methods(app: TestApp) {
    for path in [
        "/compare/go-vs-rust",
        "/compare",
        "/api/v1/compare?t=go&t=rust",
    ] {
        let head = app.send(Method::HEAD, path, &[]).await;
        assert_eq!(head.status.as_u16(), 200, "HEAD {path}");
        assert!(head.body.is_empty(), "HEAD {path}");
    }
    let head = app.send(Method::HEAD, "/compare/rust-vs-go", &[]).await;
    assert_redirect(&head, 301, "/compare/go-vs-rust");

    let post = app.send(Method::POST, "/compare/go-vs-rust", &[]).await;
    assert_eq!(post.status.as_u16(), 405);
    assert_eq!(post.header("allow"), "GET, HEAD");
    assert!(
        post.body.contains("<h1>Method Not Allowed</h1>"),
        "{}",
        post.body
    );
    let form = app.send(Method::DELETE, "/compare", &[]).await;
    assert_eq!(form.status.as_u16(), 405);
    assert_eq!(form.header("allow"), "GET, HEAD");
    let api = app.send(Method::POST, "/api/v1/compare", &[]).await;
    assert_eq!(api.status.as_u16(), 405);
    assert_eq!(api.header("allow"), "GET, HEAD");
    assert_eq!(api.header("content-type"), "application/problem+json");
}

fn row<'a>(grid: &'a Value, dimension: &str) -> &'a Value {
    grid["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["dimension"]["slug"] == dimension)
        .unwrap_or_else(|| panic!("no {dimension} row in {grid}"))
}

async fn the_api_answers_with_the_grid(app: TestApp) {
    let grid = app.json("/api/v1/compare?t=rust&t=go", 200).await;
    assert_eq!(grid["canonical"], "/compare/go-vs-rust");
    assert_eq!(grid["differences"], 18);
    let technologies = grid["technologies"].as_array().expect("technologies");
    assert_eq!(technologies.len(), 2);
    assert_eq!(technologies[0]["slug"], "go");
    assert_eq!(technologies[0]["name"], "Go");
    assert_eq!(technologies[0]["kind"], "language");
    assert_eq!(technologies[0]["language"], Value::Null);
    assert!(technologies[1]["summary"].as_str().is_some());
    let rows = grid["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 19);
    assert_eq!(rows[0]["dimension"]["slug"], "release-1-0");

    let performance = row(&grid, "performance");
    assert_eq!(performance["differs"], true);
    assert_eq!(
        performance["dimension"]["scale"],
        "1 = slow, far behind the field, 5 = fastest, on a par with C/C++"
    );
    let cells = performance["cells"].as_array().expect("cells");
    assert_eq!(cells.len(), 2);
    assert_eq!(cells[0]["technology"], "go");
    assert_eq!(cells[0]["fact"]["score"], 4);
    assert_eq!(cells[0]["fact"]["technology"]["slug"], "go");
    assert_eq!(cells[0]["fact"]["as_of"], "2026-11-21");
    assert_eq!(cells[1]["technology"], "rust");
    assert_eq!(cells[1]["fact"]["score"], 5);
    assert!(
        cells[1]["fact"]["sources"]
            .as_array()
            .is_some_and(|sources| !sources.is_empty() && sources[0]["title"].is_string())
    );
    let design = row(&grid, "design");
    assert_eq!(design["differs"], false);
    assert_eq!(design["cells"][0]["fact"], Value::Null);
    assert_eq!(design["cells"][1]["fact"], Value::Null);

    let only = app
        .json("/api/v1/compare?t=ruby&t=python&only=differences", 200)
        .await;
    assert_eq!(only["canonical"], "/compare/python-vs-ruby");
    assert_eq!(only["differences"], 1);
    let rows = only["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["dimension"]["slug"], "performance");

    // Repeats are one technology; up to four of them.
    let four = app
        .json("/api/v1/compare?t=go&t=rust&t=go&t=gin&t=echo", 200)
        .await;
    assert_eq!(four["canonical"], "/compare/echo-vs-gin-vs-go-vs-rust");
    assert_eq!(four["rows"][0]["cells"].as_array().map(Vec::len), Some(4));
}

/// The problem document's errors as (name, detail) pairs.
fn errors(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap_or_default().to_owned(),
                e["detail"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn the_api_names_bad_parameters(app: TestApp) {
    for path in [
        "/api/v1/compare",
        "/api/v1/compare?t=go",
        "/api/v1/compare?t=go&t=go",
        "/api/v1/compare?t=go&t=rust&t=gin&t=echo&t=fiber",
    ] {
        let problem = app.json(path, 400).await;
        assert_eq!(problem["status"], 400, "{path}");
        assert_eq!(problem["title"], "Bad Request", "{path}");
        let errors = errors(&problem);
        assert_eq!(errors.len(), 1, "{path}: {errors:?}");
        assert_eq!(errors[0].0, "t", "{path}");
        assert!(errors[0].1.contains("2 to 4"), "{path}: {}", errors[0].1);
    }
    let unknown = app.json("/api/v1/compare?t=go&t=nope&t=zig", 400).await;
    assert_eq!(
        errors(&unknown),
        [
            (
                "t".into(),
                "there is no technology `nope` in the catalog".into()
            ),
            (
                "t".into(),
                "there is no technology `zig` in the catalog".into()
            ),
        ]
    );
    let malformed = app.json("/api/v1/compare?t=go&t=Rust", 400).await;
    assert_eq!(
        errors(&malformed),
        [(
            "t".into(),
            "there is no technology `Rust` in the catalog".into()
        )]
    );
    let only = app.json("/api/v1/compare?t=go&only=all", 400).await;
    let names: Vec<String> = errors(&only).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["t", "only"]);
}

async fn the_home_and_technology_pages_offer_comparisons(app: TestApp) {
    let home = app.page("/", 200).await;
    home.assert_contains(&[
        r#"<a class="button" href="/compare/go-vs-rust">Compare Go and Rust side by side</a>"#,
        r#"<h2 id="comparisons">Featured comparisons</h2>"#,
        r#"<li><a href="/compare/go-vs-rust">Go vs Rust</a></li>"#,
        r#"<a href="/compare">Compare any two to four technologies →</a>"#,
    ]);
    // The frameworks' comparisons are mostly "No fact yet" in the demo data: not featured,
    // but there for whoever asks.
    for path in [
        "/compare/actix-web-vs-gin",
        "/compare/actix-web-vs-axum",
        "/compare/echo-vs-fiber-vs-gin",
    ] {
        assert!(!home.body.contains(&format!(r#"href="{path}""#)), "{path}");
        app.page(path, 200).await;
    }
    let rust = app.page("/technologies/rust", 200).await;
    rust.assert_contains(&[r#"<a href="/compare?t=rust">Compare Rust with…</a>"#]);

    // Once most of its cells hold a fact, a comparison is featured: Axum gets one on every
    // dimension.
    let api = app.api_token("home", Scope::ReadWrite).1;
    let headers = [
        ("authorization", format!("Bearer {api}")),
        ("content-type", "application/json".to_owned()),
    ];
    let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let dimensions = app.json("/api/v1/dimensions?per_page=100", 200).await;
    for dimension in dimensions["items"].as_array().expect("dimensions") {
        let score = if dimension["scale"].is_null() {
            Value::Null
        } else {
            json!(3)
        };
        let fact = json!({
            "dimension": dimension["slug"], "score": score, "text": "A fact.",
            "as_of": "2026-01-01", "confidence": "high", "sources": [],
        });
        let written = app
            .send_body(
                Method::POST,
                "/api/v1/technologies/axum/assessments",
                &headers,
                Some(&fact.to_string()),
            )
            .await;
        assert!(
            [201, 422].contains(&written.status.as_u16()),
            "{}",
            written.body
        );
    }
    let home = app.page("/", 200).await;
    home.assert_contains(&[
        r#"<li><a href="/compare/actix-web-vs-axum">Actix-web vs Axum</a></li>"#,
    ]);
    let form = app.page("/compare", 200).await;
    form.assert_contains(&[r#"<a href="/compare/actix-web-vs-axum">Actix-web vs Axum</a>"#]);

    // A featured comparison whose technology is gone is not offered.
    let deleted = app
        .send(Method::DELETE, "/api/v1/technologies/axum", &headers[..1])
        .await;
    assert_eq!(deleted.status.as_u16(), 204, "{}", deleted.body);
    let home = app.page("/", 200).await;
    assert!(!home.body.contains("/compare/actix-web-vs-axum"));
    home.assert_contains(&[r#"<li><a href="/compare/go-vs-rust">Go vs Rust</a></li>"#]);
    let form = app.page("/compare", 200).await;
    assert!(!form.body.contains("/compare/actix-web-vs-axum"));
}

async fn an_edit_through_the_api_shows_at_once(app: TestApp) {
    let path = "/compare/go-vs-rust";
    let api_path = "/api/v1/compare?t=go&t=rust";
    for path in [path, api_path] {
        assert_eq!(app.get(path).await.header("x-cache"), "miss", "{path}");
        app.cached(path, &[]).await;
    }
    let (_, secret) = app.api_token("compare", Scope::ReadWrite);
    let written = app
        .send_body(
            Method::PATCH,
            "/api/v1/technologies/rust/assessments/performance",
            &[
                ("authorization", &format!("Bearer {secret}")),
                ("content-type", "application/json"),
            ],
            Some(&json!({"text": "Edited through the API."}).to_string()),
        )
        .await;
    assert_eq!(written.status.as_u16(), 200, "{}", written.body);

    let page = app.page(path, 200).await;
    assert_eq!(page.header("x-cache"), "miss");
    page.assert_contains(&["Edited through the API."]);
    let grid = app.json(api_path, 200).await;
    assert_eq!(
        row(&grid, "performance")["cells"][1]["fact"]["text"],
        "Edited through the API."
    );
}
