//! Cached responses: served again while the content is unchanged, never after a write.

use diesel::prelude::*;
use futures_util::future::{join, join_all};
use verdict::config::ServeArgs;
use verdict::db::schema::technologies;

use std::io::Read;

use awc::http::Method;
use serde_json::json;

use crate::helpers::{self, Backend, Client, Reply, TestApp, expect};
use crate::on_both_backends;

on_both_backends!(
    a_page_is_cached_until_the_content_changes,
    errors_are_never_cached,
    a_cached_page_is_served_as_it_was_compressed,
);

/// A write as another instance would make it: the change and the revision, in one transaction.
fn rename_rust(app: &TestApp, name: &str) {
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    conn.transaction(|conn| {
        diesel::update(technologies::table.filter(technologies::slug.eq("rust")))
            .set(technologies::name.eq(name))
            .execute(conn)?;
        verdict::db::bump_content_revision(conn)
    })
    .expect("the write commits");
}

async fn a_page_is_cached_until_the_content_changes(app: TestApp) {
    for path in [
        "/technologies/rust",
        "/api/v1/technologies/rust",
        "/technologies?kind=language",
    ] {
        let first = app.get(path).await;
        assert_eq!(first.status.as_u16(), 200, "{path}");
        assert_eq!(first.header("x-cache"), "miss", "{path}");
        let second = app.cached(path, &[]).await;
        assert_eq!(second.body, first.body, "{path}");
        assert_eq!(
            second.header("content-type"),
            first.header("content-type"),
            "{path}"
        );
        assert_eq!(second.header("x-content-type-options"), "nosniff", "{path}");
    }

    rename_rust(&app, "Rust (renamed)");
    let page = app.get("/technologies/rust").await;
    assert_eq!(page.header("x-cache"), "miss");
    page.assert_contains(&["<h1>Rust (renamed)</h1>"]);
    let api = app.json("/api/v1/technologies/rust", 200).await;
    assert_eq!(api["name"], "Rust (renamed)");
    app.page("/technologies?kind=language", 200)
        .await
        .assert_contains(&["Rust (renamed)"]);

    // Many requests in flight around a write: the first request after it sees it.
    let requests = join_all((0..32).map(|_| app.get("/technologies/rust")));
    let write = async { rename_rust(&app, "Rust again") };
    let (replies, ()) = join(requests, write).await;
    assert!(replies.iter().all(|reply| reply.status.as_u16() == 200));
    app.page("/technologies/rust", 200)
        .await
        .assert_contains(&["<h1>Rust again</h1>"]);
}

/// The body of a compressed reply, decoded.
pub fn decoded(reply: &Reply) -> String {
    let mut text = String::new();
    match reply.header("content-encoding") {
        "br" => brotli::Decompressor::new(&reply.bytes[..], 4096)
            .read_to_string(&mut text)
            .expect("brotli"),
        "gzip" => flate2::read::GzDecoder::new(&reply.bytes[..])
            .read_to_string(&mut text)
            .expect("gzip"),
        other => panic!("not a coding the cache keeps: {other:?}"),
    };
    text
}

async fn a_cached_page_is_served_as_it_was_compressed(app: TestApp) {
    for path in ["/technologies/rust", "/api/v1/technologies/rust"] {
        let plain = app.get(path).await;
        assert_eq!(plain.status.as_u16(), 200, "{path}");
        assert_eq!(plain.header("content-encoding"), "", "{path}");
        assert_eq!(plain.header("vary"), "accept-encoding", "{path}");
        for (accept, coding) in [
            ("gzip, deflate, br, zstd", "br"),
            ("gzip", "gzip"),
            ("br;q=0.5, gzip;q=0.8", "gzip"),
            ("identity", ""),
        ] {
            let first = app.cached(path, &[("accept-encoding", accept)]).await;
            let again = app.cached(path, &[("accept-encoding", accept)]).await;
            assert_eq!(again.bytes, first.bytes, "{path} {accept}: compressed once");
            assert_eq!(again.header("content-encoding"), coding, "{path} {accept}");
            assert_eq!(again.header("vary"), "accept-encoding", "{path} {accept}");
            assert_eq!(
                again.header("content-type"),
                plain.header("content-type"),
                "{path} {accept}"
            );
            let body = if coding.is_empty() {
                again.body.clone()
            } else {
                assert!(again.bytes.len() * 3 < plain.bytes.len(), "{path} {accept}");
                decoded(&again)
            };
            assert_eq!(body, plain.body, "{path} {accept}");
        }
    }

    // The request that misses is not kept waiting for the dense compression: its copy is
    // compressed on the way out, as every response made afresh is: gzip where it is taken
    // (cheaper to make), brotli for a client that takes brotli alone.
    for (path, accept, coding) in [
        ("/technologies?kind=language", "gzip, br", "gzip"),
        ("/technologies?kind=framework", "br", "br"),
    ] {
        let missed = app.get_with(path, &[("accept-encoding", accept)]).await;
        assert_eq!(missed.header("x-cache"), "miss");
        assert_eq!(missed.header("content-encoding"), coding);
        assert_eq!(missed.header("vary"), "accept-encoding");
        assert!(decoded(&missed).contains("<h1>Technologies</h1>"));
    }

    // Each coding is a representation of its own: its ETag says which, and a write holds
    // to the version it names whichever coding the client read.
    let path = "/api/v1/technologies/rust";
    let tag = app.get(path).await.header("etag").to_owned();
    let compressed = app.cached(path, &[("accept-encoding", "br")]).await;
    assert_eq!(
        compressed.header("etag"),
        format!("{}-br\"", tag.trim_end_matches('"'))
    );
    let (_, secret) = app.api_token("cache", verdict::accounts::tokens::Scope::ReadWrite);
    let api = Client::with_secret(&app, &secret);
    let patched = api
        .send_with(
            Method::PATCH,
            path,
            &[("if-match", compressed.header("etag"))],
            json!({"summary": "Read compressed, written plain."}),
        )
        .await;
    expect(&patched, 200);
    let stale = api
        .send_with(
            Method::PATCH,
            path,
            &[("if-match", compressed.header("etag"))],
            json!({"summary": "Stale."}),
        )
        .await;
    expect(&stale, 412);
}

async fn errors_are_never_cached(app: TestApp) {
    for path in [
        "/technologies/nope",
        "/technologies?kind=x",
        "/api/v1/technologies?page=0",
    ] {
        for _ in 0..2 {
            let reply = app.get(path).await;
            assert!(reply.status.is_client_error(), "{path}");
            assert_eq!(reply.header("x-cache"), "", "{path}");
        }
    }
}

#[actix_web::test]
async fn caching_can_be_switched_off() {
    let serve = ServeArgs {
        cache_mb: 0,
        ..helpers::serve_args()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, serve)
        .await
        .expect("SQLite is always there");
    for _ in 0..2 {
        let reply = app.get("/technologies/rust").await;
        assert_eq!(reply.status.as_u16(), 200);
        assert_eq!(reply.header("x-cache"), "");
    }
}
