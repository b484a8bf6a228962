//! The write path under concurrency: writers that overlap queue rather than fail, writes
//! without a precondition simply apply, and a write that loses a race is refused with a
//! message, never a 500.

use std::collections::BTreeMap;

use awc::http::Method;
use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::{Browser, Client, Reply, TestApp, expect, hidden};
use crate::on_both_backends;

on_both_backends!(
    concurrent_api_writers_all_succeed,
    editors_saving_forms_at_the_same_moment_both_succeed,
    unconditional_writes_racing_each_other_all_apply,
    a_source_deleted_while_a_fact_cites_it_is_never_a_500,
);

/// How many answers had each status.
fn tally(replies: &[Reply]) -> BTreeMap<u16, usize> {
    let mut counts = BTreeMap::new();
    for reply in replies {
        *counts.entry(reply.status.as_u16()).or_default() += 1;
    }
    counts
}

const WRITERS: usize = 8;
const CREATES_EACH: usize = 40;

async fn concurrent_api_writers_all_succeed(app: TestApp) {
    let api = Client::new(&app);
    let before = app.json("/api/v1/sources", 200).await["total"]
        .as_u64()
        .expect("a total");
    let writer = |w: usize| {
        let api = &api;
        async move {
            let mut replies = Vec::new();
            for i in 0..CREATES_EACH {
                let body = json!({"title": format!("Writer {w}, source {i}"), "publisher": "Load"});
                replies.push(api.send(Method::POST, "/api/v1/sources", body).await);
            }
            replies
        }
    };
    let replies: Vec<Reply> = join_all((0..WRITERS).map(writer))
        .await
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(
        tally(&replies),
        BTreeMap::from([(201, WRITERS * CREATES_EACH)]),
        "every create succeeds: {:?}",
        replies
            .iter()
            .find(|r| r.status.as_u16() != 201)
            .map(|r| &r.body)
    );
    let after = app.json("/api/v1/sources", 200).await["total"]
        .as_u64()
        .expect("a total");
    assert_eq!(
        after - before,
        (WRITERS * CREATES_EACH) as u64,
        "every 201 kept"
    );
}

async fn editors_saving_forms_at_the_same_moment_both_succeed(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let admin = app.signed_in("admin").await;
    for round in 0..10 {
        let replies = join_all([
            save_source(&editor, 2 * round),
            save_source(&admin, 2 * round + 1),
        ])
        .await;
        for reply in &replies {
            assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
        }
    }
    let list = app.json("/api/v1/sources?per_page=100", 200).await;
    let saved = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|s| s["publisher"] == "Race")
        .count();
    assert_eq!(saved, 20);

    // The same item saved by both from the same version: one wins, the other is told.
    let form = editor.page("/admin/technologies/rust", 200).await;
    let version = hidden(&form.body, "version");
    let replies = join_all([
        edit_rust(&editor, &version, "One editor's."),
        edit_rust(&admin, &version, "The other's."),
    ])
    .await;
    let mut statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 409], "one saved, one refused as stale");
}

async fn save_source(browser: &Browser<'_>, n: usize) -> Reply {
    let title = format!("Saved at the same moment {n}");
    let fields = [("title", title.as_str()), ("publisher", "Race")];
    browser.post_form("/admin/sources/new", &fields).await
}

async fn edit_rust(browser: &Browser<'_>, version: &str, summary: &str) -> Reply {
    let fields = [
        ("version", version),
        ("name", "Rust"),
        ("slug", "rust"),
        ("kind", "language"),
        ("summary", summary),
    ];
    browser.post_form("/admin/technologies/rust", &fields).await
}

async fn unconditional_writes_racing_each_other_all_apply(app: TestApp) {
    let api = Client::new(&app);
    let path = "/api/v1/technologies/rust";
    let patch = |n: usize| {
        let api = &api;
        async move {
            let body = json!({"summary": format!("Patched by writer {n}.")});
            api.send(Method::PATCH, path, body).await
        }
    };
    let replies = join_all((0..16).map(patch)).await;
    assert_eq!(tally(&replies), BTreeMap::from([(200, 16)]));

    let current = app.get(path).await.json();
    let put = |n: usize| {
        let api = &api;
        let body = json!({
            "name": current["name"],
            "slug": "rust",
            "kind": current["kind"],
            "language": current["language"]["slug"],
            "summary": format!("Replaced by writer {n}."),
        });
        async move { api.send(Method::PUT, path, body).await }
    };
    let replies = join_all((0..16).map(put)).await;
    assert_eq!(
        tally(&replies),
        BTreeMap::from([(200, 16)]),
        "{:?}",
        replies.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    // With a precondition, the race still refuses all but one.
    let etag = app.get(path).await.header("etag").to_owned();
    let guarded = |n: usize| {
        let api = &api;
        let etag = etag.clone();
        async move {
            let body = json!({"summary": format!("Guarded writer {n}.")});
            api.send_with(Method::PATCH, path, &[("if-match", &etag)], body)
                .await
        }
    };
    let replies = join_all((0..8).map(guarded)).await;
    assert_eq!(tally(&replies), BTreeMap::from([(200, 1), (412, 7)]));
}

async fn a_source_deleted_while_a_fact_cites_it_is_never_a_500(app: TestApp) {
    let api = Client::new(&app);
    let fact = "/api/v1/technologies/rust/assessments/performance";
    let current = app.get(fact).await.json();
    let mut outcomes = BTreeMap::new();
    for round in 0..12 {
        let created = api
            .send(
                Method::POST,
                "/api/v1/sources",
                json!({"title": format!("Short-lived {round}"), "publisher": "Race"}),
            )
            .await;
        expect(&created, 201);
        let source = created.json()["id"].as_i64().expect("an id");
        let cite = api.send(
            Method::PATCH,
            fact,
            json!({"sources": [current["sources"][0]["id"], source]}),
        );
        let address = format!("/api/v1/sources/{source}");
        let delete = api.delete(&address);
        let (cited, deleted) = futures_util::future::join(cite, delete).await;
        let pair = (cited.status.as_u16(), deleted.status.as_u16());
        assert!(
            matches!(pair, (200, 409) | (422, 204)),
            "the fact cites it and it stays, or it is gone and the fact is refused: \
             {pair:?}\n{}\n{}",
            cited.body,
            deleted.body
        );
        if pair.0 == 422 {
            assert!(cited.body.contains("sources"), "{}", cited.body);
        }
        *outcomes.entry(pair).or_insert(0) += 1;
        // Put the fact back on its one source for the next round.
        let restored = api
            .send(
                Method::PATCH,
                fact,
                json!({"sources": [current["sources"][0]["id"]]}),
            )
            .await;
        expect(&restored, 200);
        if pair.1 == 409 {
            expect(&api.delete(&address).await, 204);
        }
    }
    assert_eq!(outcomes.values().sum::<usize>(), 12, "{outcomes:?}");
}
