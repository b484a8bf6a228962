//! A dimension created, replaced (from scored to descriptive), patched and deleted, the list's
//! total following each.

use serde_json::{Value, json};

use super::{Writes, assert_shown_at, dimension};
use crate::helpers::{Client, TestApp, expect};
use crate::on_both_backends;

on_both_backends!(dimensions_are_created_replaced_patched_and_deleted);

async fn dimensions_are_created_replaced_patched_and_deleted(app: TestApp) {
    let api = Client::new(&app);
    app.get("/api/v1/dimensions").await;
    let created = api
        .post(
            "/api/v1/dimensions",
            dimension("observability", "Observability"),
        )
        .await;
    expect(&created, 201);
    assert_eq!(
        created.header("location"),
        "/api/v1/dimensions/observability"
    );
    assert_eq!(created.json()["facts"]["total"], 0);
    assert_shown_at(&app, &created, "/api/v1/dimensions/observability").await;
    let list = app.json("/api/v1/dimensions", 200).await;
    assert_eq!(list["total"], 20);

    let replaced = api
        .put(
            "/api/v1/dimensions/observability",
            dimension("observability", "Observability tooling")
                .with("description", "What a team sees of a running service.")
                .with("scale", Value::Null),
        )
        .await;
    expect(&replaced, 200);
    assert!(replaced.json()["scale"].is_null(), "now descriptive");
    assert_shown_at(&app, &replaced, "/api/v1/dimensions/observability").await;

    let patched = api
        .patch(
            "/api/v1/dimensions/observability",
            json!({"name": "Observability"}),
        )
        .await;
    expect(&patched, 200);
    assert_eq!(patched.json()["name"], "Observability");
    assert_eq!(
        patched.json()["description"],
        "What a team sees of a running service."
    );
    assert_shown_at(&app, &patched, "/api/v1/dimensions/observability").await;

    expect(&api.delete("/api/v1/dimensions/observability").await, 204);
    expect(&app.get("/api/v1/dimensions/observability").await, 404);
    assert_eq!(app.json("/api/v1/dimensions", 200).await["total"], 19);
}
