//! What a write builds on and leaves behind: the version it must match (`If-Match`), the
//! cached item and its ETag moving on with it, and the audit log naming the token's owner.

use awc::http::Method;
use serde_json::{Value, json};
use verdict::audit;

use super::{Writes, cited_source, dimension, fact, technology};
use crate::helpers::{Client, TestApp, expect};
use crate::on_both_backends;

on_both_backends!(
    if_match_refuses_stale_writes,
    writes_are_audited_as_the_token,
    cached_items_keep_their_etag,
);

async fn if_match_refuses_stale_writes(app: TestApp) {
    let api = Client::new(&app);
    let path = "/api/v1/technologies/echo";
    let read = app.get(path).await;
    let etag = read.header("etag").to_owned();
    assert!(!etag.is_empty());

    // Someone else changes it.
    let other = api
        .patch(path, json!({"summary": "Changed by another."}))
        .await;
    expect(&other, 200);
    let current = other.header("etag").to_owned();
    assert_ne!(current, etag);

    for write in [Method::PATCH, Method::PUT] {
        let stale = api
            .send_if_match(
                write.clone(),
                path,
                &etag,
                technology("echo", "Echo").with("language", "go"),
            )
            .await;
        expect(&stale, 412);
        assert!(
            stale.json()["detail"]
                .as_str()
                .is_some_and(|d| d.contains("changed since you read it")),
            "{write}"
        );
    }
    let stale_delete = api
        .raw(Method::DELETE, path, &[("if-match", &etag)], None)
        .await;
    expect(&stale_delete, 412);
    assert_eq!(app.json(path, 200).await["summary"], "Changed by another.");

    let weak = format!("W/{current}");
    let with_weak = api
        .send_if_match(Method::PATCH, path, &weak, json!({}))
        .await;
    expect(&with_weak, 412);
    let unreadable = api.send_if_match(Method::PATCH, path, "3", json!({})).await;
    expect(&unreadable, 400);

    let list = format!("{etag}, {current}");
    let fresh = api
        .send_if_match(
            Method::PATCH,
            path,
            &list,
            json!({"summary": "Mine, knowing theirs."}),
        )
        .await;
    expect(&fresh, 200);
    assert_eq!(fresh.json()["summary"], "Mine, knowing theirs.");
    let cached = app.get(path).await;
    assert_eq!(cached.header("etag"), fresh.header("etag"));
    app.cached(path, &[]).await;
    let any = api
        .send_if_match(Method::PATCH, path, "*", json!({"name": "Echo"}))
        .await;
    expect(&any, 200);
    // A write that changes nothing still moves the version on, and the cache follows it.
    assert_ne!(any.header("etag"), fresh.header("etag"));
    let after = app.get(path).await;
    assert_eq!(after.header("x-cache"), "miss");
    assert_eq!(after.header("etag"), any.header("etag"));

    let gone = api
        .raw(
            Method::DELETE,
            path,
            &[("if-match", any.header("etag"))],
            None,
        )
        .await;
    expect(&gone, 204);
    let descriptive = fact(Value::Null).with("confidence", "low");
    let absent = api
        .send_if_match(
            Method::PUT,
            "/api/v1/technologies/axum/assessments/design",
            "*",
            descriptive.clone(),
        )
        .await;
    // `*` needs a fact there: axum has one on design, so it is replaced; on a dimension where
    // it has none, nothing matches.
    expect(&absent, 200);
    let extra = api
        .post(
            "/api/v1/dimensions",
            dimension("extra", "Extra").without("scale"),
        )
        .await;
    expect(&extra, 201);
    let nothing_there = api
        .send_if_match(
            Method::PUT,
            "/api/v1/technologies/axum/assessments/extra",
            "*",
            descriptive,
        )
        .await;
    expect(&nothing_there, 412);
    expect(
        &app.get("/api/v1/technologies/axum/assessments/extra").await,
        404,
    );
}

async fn writes_are_audited_as_the_token(app: TestApp) {
    let api = Client::new(&app);
    let created = api
        .post("/api/v1/technologies", technology("poem", "Poem"))
        .await;
    expect(&created, 201);
    let patched = api
        .patch("/api/v1/technologies/poem", json!({"summary": "Changed."}))
        .await;
    expect(&patched, 200);
    let fact = api
        .patch(
            "/api/v1/technologies/rust/assessments/performance",
            json!({"score": 4}),
        )
        .await;
    expect(&fact, 200);
    expect(&api.delete("/api/v1/technologies/poem").await, 204);

    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    let entries: Vec<audit::Entry> = audit::list(&mut conn, &audit::Filter::default(), 0, 50)
        .expect("a query")
        .into_iter()
        .filter(|e| e.item_kind != "token" && e.item_kind != "user")
        .collect();
    let summary: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e.action.as_str(),
                e.item_kind.as_str(),
                e.item_label.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("delete", "technology", "Poem"),
            ("update", "assessment", "Rust · Performance"),
            ("update", "technology", "Poem"),
            ("create", "technology", "Poem"),
        ]
    );
    for entry in &entries {
        assert!(entry.actor.contains("ci"), "{}", entry.actor);
        assert_eq!(entry.via, "api");
        assert!(entry.user_id.is_some());
    }
    let field = |entry: &audit::Entry, name: &str| {
        entry
            .fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| (f.before.clone(), f.after.clone()))
    };
    assert_eq!(
        field(&entries[2], "summary"),
        Some((
            Some("A Rust web framework.".into()),
            Some("Changed.".into())
        ))
    );
    assert_eq!(
        field(&entries[1], "score"),
        Some((Some("5".into()), Some("4".into())))
    );
    assert_eq!(
        field(&entries[3], "slug"),
        Some((None, Some("poem".into())))
    );
    assert_eq!(
        field(&entries[0], "name"),
        Some((Some("Poem".into()), None))
    );
}

async fn cached_items_keep_their_etag(app: TestApp) {
    let api = Client::new(&app);
    let path = "/api/v1/technologies/rust/assessments/performance";
    for path in [
        "/api/v1/technologies/rust",
        "/api/v1/dimensions/performance",
        path,
    ] {
        let first = app.get(path).await;
        assert_eq!(first.header("x-cache"), "miss", "{path}");
        assert!(!first.header("etag").is_empty(), "{path}");
        let second = app.cached(path, &[]).await;
        assert_eq!(second.header("etag"), first.header("etag"), "{path}");
    }
    let source = cited_source(&app).await;
    let source_path = format!("/api/v1/sources/{source}");
    app.get(&source_path).await;
    assert!(!app.get(&source_path).await.header("etag").is_empty());

    let before = app.get(path).await;
    let written = api
        .send_if_match(
            Method::PATCH,
            path,
            before.header("etag"),
            json!({"text": "Changed."}),
        )
        .await;
    expect(&written, 200);
    let after = app.get(path).await;
    assert_eq!(after.header("x-cache"), "miss");
    assert_eq!(after.header("etag"), written.header("etag"));
    assert_eq!(after.json()["text"], "Changed.");
    let again = app.cached(path, &[]).await;
    assert_eq!(again.header("etag"), written.header("etag"));
}
