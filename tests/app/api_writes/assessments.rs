//! A fact created, replaced, patched and deleted at the address its technology and dimension
//! make; its technology moving on with it; PUT making one where there was none.

use serde_json::{Value, json};

use super::{
    Writes, assert_shown_at, cited_source, error_detail, error_names, fact, new_dimension,
};
use crate::helpers::{Client, TestApp, expect};
use crate::on_both_backends;

on_both_backends!(assessments_are_created_replaced_patched_and_deleted);

async fn assessments_are_created_replaced_patched_and_deleted(app: TestApp) {
    let api = Client::new(&app);
    new_dimension(&api).await;
    let source = cited_source(&app).await;
    let path = "/api/v1/technologies/axum/assessments/observability";
    expect(&app.get(path).await, 404);
    let axum_before = app.get("/api/v1/technologies/axum").await;

    let posted = fact(4)
        .with("dimension", "observability")
        .with("confidence", "medium");
    let created = api
        .post(
            "/api/v1/technologies/axum/assessments",
            posted.clone().with("sources", json!([source])),
        )
        .await;
    expect(&created, 201);
    assert_eq!(created.header("location"), path);
    let body = created.json();
    assert_eq!(body["technology"]["slug"], "axum");
    assert_eq!(body["dimension"]["slug"], "observability");
    assert_eq!(body["score"], 4);
    assert_eq!(body["sources"][0]["id"], source);
    assert_shown_at(&app, &created, path).await;
    // A fact is part of its technology: the technology moves on with it.
    let axum = app.get("/api/v1/technologies/axum").await;
    assert_ne!(axum.header("etag"), axum_before.header("etag"));
    assert!(
        axum.json()["assessments"]
            .as_array()
            .expect("assessments")
            .iter()
            .any(|a| a["dimension"]["slug"] == "observability")
    );
    let all = app.json("/api/v1/technologies/axum/assessments", 200).await;
    assert_eq!(all, axum.json()["assessments"]);

    let again = api
        .post(
            "/api/v1/technologies/axum/assessments",
            posted.without("sources"),
        )
        .await;
    assert_eq!(error_names(&again), ["dimension"]);

    let replaced = api
        .put(
            path,
            fact(3)
                .with("technology", "axum")
                .with("text", "Tracing through Tower."),
        )
        .await;
    expect(&replaced, 200);
    assert_eq!(replaced.json()["score"], 3);
    assert_eq!(replaced.json()["sources"], json!([]));
    assert_shown_at(&app, &replaced, path).await;

    let patched = api.patch(path, json!({"confidence": "low"})).await;
    expect(&patched, 200);
    assert_eq!(patched.json()["confidence"], "low");
    assert_eq!(patched.json()["text"], "Tracing through Tower.");
    assert_shown_at(&app, &patched, path).await;

    let moved = api
        .patch(
            path,
            json!({"technology": "rust", "dimension": "performance"}),
        )
        .await;
    assert_eq!(error_names(&moved), ["technology", "dimension"]);
    assert!(error_detail(&moved, "technology").contains("as the address says"));

    expect(&api.delete(path).await, 204);
    expect(&app.get(path).await, 404);

    // PUT makes the fact when the technology has none on the dimension.
    let uncited = fact(5).with("sources", Value::Null);
    let made = api.put(path, uncited.clone()).await;
    expect(&made, 201);
    assert_eq!(made.header("location"), path);
    assert_shown_at(&app, &made, path).await;
    let remade = api.put(path, uncited.clone()).await;
    expect(&remade, 200);

    for (address, what) in [
        (
            "/api/v1/technologies/cobol/assessments/observability",
            "technology",
        ),
        ("/api/v1/technologies/axum/assessments/nope", "dimension"),
    ] {
        expect(&api.put(address, uncited.clone()).await, 404);
        assert_eq!(api.delete(address).await.status.as_u16(), 404, "{what}");
    }
    let unknown = api
        .post(
            "/api/v1/technologies/cobol/assessments",
            json!({"dimension": "observability"}),
        )
        .await;
    expect(&unknown, 404);
}
