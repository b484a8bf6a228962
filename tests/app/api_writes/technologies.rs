//! A technology created, replaced (slug and all), patched and deleted, each write seen by the
//! very next GET of it and of the lists it appears in.

use serde_json::{Value, json};

use super::{Writes, assert_shown_at, error_detail, error_names, technology};
use crate::helpers::{Client, TestApp, expect};
use crate::on_both_backends;

on_both_backends!(technologies_are_created_replaced_patched_and_deleted);

/// Whether the list of technologies `list` holds `slug`.
fn lists(list: &Value, slug: &str) -> bool {
    list.as_array()
        .expect("a list")
        .iter()
        .any(|t| t["slug"] == slug)
}

async fn technologies_are_created_replaced_patched_and_deleted(app: TestApp) {
    let api = Client::new(&app);
    // Cached before the writes: each must still be seen by the very next GET.
    assert_eq!(
        app.get("/api/v1/technologies?kind=framework")
            .await
            .header("x-cache"),
        "miss"
    );
    app.get("/api/v1/technologies/rust").await;

    let created = api
        .post("/api/v1/technologies", technology("poem", "Poem"))
        .await;
    expect(&created, 201);
    assert_eq!(created.header("location"), "/api/v1/technologies/poem");
    let body = created.json();
    assert_eq!(body["name"], "Poem");
    assert_eq!(body["language"]["slug"], "rust");
    assert_eq!(body["assessments"], json!([]));
    assert_shown_at(&app, &created, "/api/v1/technologies/poem").await;
    let frameworks = app.json("/api/v1/technologies?kind=framework", 200).await;
    assert!(lists(&frameworks["items"], "poem"));
    let rust = app.json("/api/v1/technologies/rust", 200).await;
    assert!(lists(&rust["frameworks"], "poem"));

    let replaced = api
        .put(
            "/api/v1/technologies/poem",
            technology("poem-web", "Poem")
                .with("kind", "library")
                .with("language", Value::Null),
        )
        .await;
    expect(&replaced, 200);
    assert_eq!(
        replaced.header("content-location"),
        "/api/v1/technologies/poem-web"
    );
    assert!(replaced.json()["language"].is_null());
    assert_ne!(replaced.header("etag"), created.header("etag"));
    assert_shown_at(&app, &replaced, "/api/v1/technologies/poem-web").await;
    expect(&app.get("/api/v1/technologies/poem").await, 404);

    let missing = api
        .put(
            "/api/v1/technologies/poem-web",
            json!({"name": "Poem", "kind": "library"}),
        )
        .await;
    assert_eq!(error_names(&missing), ["slug", "language", "summary"]);
    assert!(error_detail(&missing, "language").contains("is required"));

    let patched = api
        .patch(
            "/api/v1/technologies/poem-web",
            json!({"summary": "Patched."}),
        )
        .await;
    expect(&patched, 200);
    assert_eq!(patched.json()["summary"], "Patched.");
    assert_eq!(patched.json()["kind"], "library", "the rest is kept");
    assert_shown_at(&app, &patched, "/api/v1/technologies/poem-web").await;

    let deleted = api.delete("/api/v1/technologies/poem-web").await;
    expect(&deleted, 204);
    assert!(deleted.body.is_empty());
    expect(&app.get("/api/v1/technologies/poem-web").await, 404);
    expect(&api.delete("/api/v1/technologies/poem-web").await, 404);
    let patch_missing = api.patch("/api/v1/technologies/poem-web", json!({})).await;
    expect(&patch_missing, 404);
}
