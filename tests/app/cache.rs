//! Cached responses: served again while the content is unchanged, never after a write.

use diesel::prelude::*;
use futures_util::future::{join, join_all};
use verdict::config::ServeArgs;
use verdict::db::schema::technologies;

use crate::helpers::{self, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_page_is_cached_until_the_content_changes,
    errors_are_never_cached,
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
        let second = app.get(path).await;
        assert_eq!(second.header("x-cache"), "hit", "{path}");
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
