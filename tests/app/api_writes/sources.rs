//! A source created, replaced (date and address taken away), patched and deleted, addressed
//! by the id it was given.

use serde_json::{Value, json};

use super::{Writes, assert_shown_at, source};
use crate::helpers::{Client, TestApp, expect};
use crate::on_both_backends;

on_both_backends!(sources_are_created_replaced_patched_and_deleted);

async fn sources_are_created_replaced_patched_and_deleted(app: TestApp) {
    let api = Client::new(&app);
    app.get("/api/v1/sources").await;
    let created = api.post("/api/v1/sources", source("The Rust Book")).await;
    expect(&created, 201);
    let id = created.json()["id"].as_i64().expect("an id");
    let path = format!("/api/v1/sources/{id}");
    assert_eq!(created.header("location"), path);
    assert_eq!(created.json()["notes"], "");
    assert_shown_at(&app, &created, &path).await;
    assert_eq!(app.json("/api/v1/sources", 200).await["total"], 7);

    let replaced = api
        .put(
            &path,
            source("The Rust Programming Language")
                .with("published_on", Value::Null)
                .with("url", Value::Null)
                .with("notes", "Known as the Book."),
        )
        .await;
    expect(&replaced, 200);
    let body = replaced.json();
    assert!(body["url"].is_null() && body["published_on"].is_null());
    assert_shown_at(&app, &replaced, &path).await;

    let patched = api
        .patch(&path, json!({"url": "https://doc.rust-lang.org/book/"}))
        .await;
    expect(&patched, 200);
    assert_eq!(patched.json()["url"], "https://doc.rust-lang.org/book/");
    assert_eq!(patched.json()["notes"], "Known as the Book.");
    assert_shown_at(&app, &patched, &path).await;

    expect(&api.delete(&path).await, 204);
    expect(&app.get(&path).await, 404);
    expect(&api.delete("/api/v1/sources/not-a-number").await, 404);
}
