//! The catalog's pages.

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    home_asks_the_question,
    technologies_are_listed_filtered_and_paged,
    bad_filters_are_named_on_a_400_page,
    a_language_page_shows_facts_sources_and_frameworks,
    a_framework_page_links_its_language,
    dimensions_are_listed_and_shown,
    sources_are_listed_and_shown,
);

async fn home_asks_the_question(app: TestApp) {
    let home = app.page("/", 200).await;
    home.assert_contains(&[
        "<h1>Go or Rust for a backend service?</h1>",
        r#"<a href="/technologies/go">Go</a>"#,
        r#"<a href="/technologies/rust">Rust</a>"#,
        r#"href="/technologies?kind=framework""#,
        r#"aria-current="page">Verdict</a>"#,
    ]);
}

async fn technologies_are_listed_filtered_and_paged(app: TestApp) {
    let all = app.page("/technologies", 200).await;
    all.assert_contains(&[
        "18 technologies",
        r#"<a href="/technologies/actix-web">Actix-web</a>"#,
        r#"aria-current="page">Technologies</a>"#,
    ]);
    assert!(
        all.body.contains("Page 1 of 1") || !all.body.contains("Page "),
        "18 fit on one page of 20"
    );

    assert!(!all.body.contains("Clear filters"));

    let rust = app.page("/technologies?language=rust", 200).await;
    rust.assert_contains(&[
        "4 technologies",
        "Actix-web",
        "Axum",
        "Rocket",
        "Hyper",
        r#"<input id="language" name="language" type="text" value="rust""#,
        r#"<a class="clear" href="/technologies">Clear filters</a>"#,
    ]);
    assert!(!rust.body.contains(r#"href="/technologies/gin""#));

    let languages = app.page("/technologies?kind=language&language=", 200).await;
    languages.assert_contains(&[
        "7 technologies",
        r#"href="/technologies/go""#,
        r#"<option value="language" selected>"#,
    ]);
    assert!(!languages.body.contains(r#"href="/technologies/gin""#));

    let first = app.page("/technologies?per_page=5", 200).await;
    first.assert_contains(&[
        "18 technologies",
        r#"<a rel="next" href="/technologies?per_page=5&#38;after="#,
        r#"<a rel="last" href="/technologies?per_page=5&#38;page=last">"#,
    ]);
    assert!(!first.body.contains(r#"rel="prev""#));
    let last = app.page("/technologies?per_page=5&page=last", 200).await;
    last.assert_contains(&[
        r#"<a rel="first" href="/technologies?per_page=5">"#,
        r#"<a rel="prev" href="/technologies?per_page=5&#38;before="#,
    ]);
    assert!(!last.body.contains(r#"rel="next""#));

    let none = app.page("/technologies?kind=database", 200).await;
    none.assert_contains(&["0 technologies", "Nothing matches these filters."]);

    // A cursor naming no technology, or a numbered page, is a bad request that says so.
    app.page("/technologies?kind=language&after=no-such-thing", 400)
        .await
        .assert_contains(&["<code>after</code>", "no page of this list starts next to"]);
    app.page("/technologies?page=2", 400)
        .await
        .assert_contains(&["<code>page</code>", "reached by the links"]);
    app.page("/dimensions?page=50", 404).await;
}

async fn bad_filters_are_named_on_a_400_page(app: TestApp) {
    let reply = app.page("/technologies?kind=spaceship&page=0", 400).await;
    reply.assert_contains(&[
        "<h1>Bad Request</h1>",
        "<code>kind</code>",
        "spaceship",
        "<code>page</code>",
    ]);
    let reply = app.page("/dimensions?per_page=lots", 400).await;
    reply.assert_contains(&["<code>per_page</code>"]);
}

async fn a_language_page_shows_facts_sources_and_frameworks(app: TestApp) {
    let go = app.page("/technologies/go", 200).await;
    go.assert_contains(&[
        "<h1>Go</h1>",
        r#"<a href="/dimensions/memory-management">Memory management</a>"#,
        r#"<a href="/dimensions/learning-curve">Learning curve</a>"#,
        r#"<span class="score-value">5<span class="muted"> / 5</span>"#,
        "Go vs Rust: a backend engineer&#39;s comparison",
        "Out Plane (deployment platform)",
        r#"<time datetime="2026-11-21">21 Nov 2026</time>"#,
        "Confidence",
        r#"<a href="/technologies/gin">Gin <span class="muted">framework</span></a>"#,
        r#"<a href="/technologies/net-http">"#,
        r#"href="/api/v1/technologies/go""#,
    ]);
    let facts = go.body.matches(r#"<article class="fact">"#).count();
    assert_eq!(facts, 17, "Go has a fact on every dimension but design");
}

async fn a_framework_page_links_its_language(app: TestApp) {
    let gin = app.page("/technologies/gin", 200).await;
    gin.assert_contains(&[
        "<h1>Gin</h1>",
        r#"for <a href="/technologies/go">Go</a>"#,
        r#"<a href="/dimensions/design">Design and approach</a>"#,
    ]);
    assert!(!gin.body.contains("Frameworks and libraries for"));
}

async fn dimensions_are_listed_and_shown(app: TestApp) {
    let list = app.page("/dimensions", 200).await;
    list.assert_contains(&[
        r#"<a href="/dimensions/performance">Performance</a>"#,
        "Descriptive",
        "Scored: 1 =",
    ]);
    let performance = app.page("/dimensions/performance", 200).await;
    performance.assert_contains(&[
        "<h1>Performance</h1>",
        r#"<a href="/technologies/rust">Rust</a>"#,
        r#"<a href="/technologies/go">Go</a>"#,
    ]);
    // Best score first.
    let rust = performance
        .body
        .find(r#"<a href="/technologies/rust">"#)
        .expect("rust");
    let python = performance
        .body
        .find(r#"<a href="/technologies/python">"#)
        .expect("python");
    assert!(rust < python, "Rust (5) is listed before Python (2)");
    let paged = app.page("/dimensions/performance?per_page=2", 200).await;
    assert_eq!(paged.body.matches(r#"<article class="fact">"#).count(), 2);
    paged.assert_contains(&[
        r#"<a rel="next" href="/dimensions/performance?per_page=2&#38;after="#,
        r#"<a rel="last" href="/dimensions/performance?per_page=2&#38;page=last">"#,
    ]);
    let last = app
        .page("/dimensions/performance?per_page=2&page=last", 200)
        .await;
    assert_eq!(last.body.matches(r#"<article class="fact">"#).count(), 2);
    last.assert_contains(&[r#"<a rel="first" href="/dimensions/performance?per_page=2">"#]);
    assert!(!last.body.contains(r#"rel="next""#));
    app.page("/dimensions/performance?after=no-such-thing", 400)
        .await
        .assert_contains(&["<code>after</code>"]);
}

async fn sources_are_listed_and_shown(app: TestApp) {
    let list = app.page("/sources", 200).await;
    list.assert_contains(&["Qvault", "date unknown", "3 Oct 2022", "cited by"]);
    let sources = app.json("/api/v1/sources", 200).await;
    let qvault = sources["items"]
        .as_array()
        .and_then(|items| items.iter().find(|s| s["publisher"] == "Qvault"))
        .expect("Qvault is a source");
    let id = qvault["id"].as_i64().expect("an id");
    let page = app.page(&format!("/sources/{id}"), 200).await;
    page.assert_contains(&[
        "<h1>Rust Backend vs Go Backend in Web Development</h1>",
        "None known",
        "Unknown",
        r#"<a href="/technologies/go">Go</a>"#,
    ]);
    assert!(list.body.contains(&format!(r#"<a href="/sources/{id}">"#)));
}
