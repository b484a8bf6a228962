//! What every page and response shares: health checks, static files, errors, headers.

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    health_and_readiness,
    head_reads_and_other_methods_are_refused,
    not_ready_while_migrations_are_pending,
    static_files_are_cached,
    unknown_urls_get_a_404_page,
    server_faults_reveal_nothing,
    security_headers_on_every_response,
    every_link_a_reader_meets_works,
);

async fn health_and_readiness(app: TestApp) {
    let health = app.get("/healthz").await;
    assert_eq!(health.status.as_u16(), 200);
    assert_eq!(health.body, "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status.as_u16(), 200);
    assert_eq!(ready.body, "ready");
}

async fn head_reads_and_other_methods_are_refused(app: TestApp) {
    use awc::http::Method;
    for path in ["/technologies", "/healthz", "/api/v1/technologies/go"] {
        let head = app.send(Method::HEAD, path, &[]).await;
        assert_eq!(head.status.as_u16(), 200, "HEAD {path}");
        assert!(head.body.is_empty(), "HEAD {path}");
    }
    let page = app.send(Method::POST, "/technologies", &[]).await;
    assert_eq!(page.status.as_u16(), 405);
    assert_eq!(page.header("allow"), "GET, HEAD");
    assert!(
        page.body.contains("<h1>Method Not Allowed</h1>"),
        "{}",
        page.body
    );
    let api = app.send(Method::POST, "/api/v1/technologies/go", &[]).await;
    assert_eq!(api.status.as_u16(), 405);
    assert_eq!(api.header("allow"), "GET, HEAD, PUT, PATCH, DELETE");
    assert_eq!(api.header("content-type"), "application/problem+json");
    assert_eq!(api.json()["status"], 405);
}

async fn not_ready_while_migrations_are_pending(app: TestApp) {
    use diesel::RunQueryDsl;
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    diesel::sql_query("DELETE FROM __diesel_schema_migrations")
        .execute(&mut *conn)
        .expect("forget the migrations");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status.as_u16(), 503);
    assert_eq!(ready.body, "database migrations pending");
    assert_eq!(app.get("/healthz").await.status.as_u16(), 200);
}

#[actix_web::test]
async fn sqlite_connections_are_tuned() {
    use diesel::RunQueryDsl;
    use diesel::sql_types::Text;

    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = Text)]
        value: String,
    }

    let app = TestApp::spawn(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    let mut pragma = |name: &str| {
        let column = if name == "busy_timeout" {
            "timeout"
        } else {
            name
        };
        diesel::sql_query(format!(
            "SELECT CAST({column} AS TEXT) AS value FROM pragma_{name}"
        ))
        .get_result::<Setting>(&mut *conn)
        .unwrap_or_else(|e| panic!("PRAGMA {name}: {e}"))
        .value
    };
    assert_eq!(pragma("journal_mode"), "wal");
    assert_eq!(pragma("foreign_keys"), "1");
    assert_eq!(pragma("busy_timeout"), "5000");
    assert_eq!(pragma("synchronous"), "1", "NORMAL");
}

async fn static_files_are_cached(app: TestApp) {
    let home = app.page("/", 200).await;
    let start = home
        .body
        .find("/static/css/site.css?v=")
        .expect("a fingerprinted stylesheet link");
    let end = start + home.body[start..].find('"').expect("the link ends");
    let css = app.get(&home.body[start..end]).await;
    assert_eq!(css.status.as_u16(), 200);
    assert!(css.header("content-type").starts_with("text/css"));
    assert_eq!(
        css.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert!(css.body.contains("--accent"));
    assert_eq!(
        unclosed_blocks(&css.body),
        0,
        "every block of site.css is closed"
    );
    assert!(!css.header("etag").is_empty());

    // Compressed once at start-up: the same bytes each time, decoding to the file.
    let link = &home.body[start..end];
    for (accept, coding) in [("gzip, deflate, br", "br"), ("gzip", "gzip")] {
        let compressed = app.get_with(link, &[("accept-encoding", accept)]).await;
        assert_eq!(compressed.status.as_u16(), 200, "{accept}");
        assert_eq!(compressed.header("content-encoding"), coding, "{accept}");
        assert_eq!(compressed.header("vary"), "accept-encoding", "{accept}");
        assert!(compressed.header("content-type").starts_with("text/css"));
        assert_eq!(
            compressed.header("cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert!(compressed.bytes.len() * 3 < css.bytes.len(), "{accept}");
        let again = app.get_with(link, &[("accept-encoding", accept)]).await;
        assert_eq!(again.bytes, compressed.bytes, "{accept}");
        assert_eq!(crate::cache::decoded(&again), css.body, "{accept}");
        let etag = compressed.header("etag");
        assert_ne!(etag, css.header("etag"), "a representation of its own");
        let unchanged = app
            .get_with(
                link,
                &[("accept-encoding", accept), ("if-none-match", etag)],
            )
            .await;
        assert_eq!(unchanged.status.as_u16(), 304, "{accept}");
        assert_eq!(unchanged.header("etag"), etag, "{accept}");
    }

    let plain = app.get("/static/img/favicon.svg").await;
    assert_eq!(plain.status.as_u16(), 200);
    assert_eq!(plain.header("cache-control"), "public, max-age=3600");

    let missing = app.page("/static/css/missing.css", 404).await;
    assert!(missing.header("cache-control").is_empty());

    // What browsers and crawlers ask for at the root.
    let icon = app.get("/favicon.ico").await;
    assert_eq!(icon.status.as_u16(), 200);
    assert_eq!(icon.header("content-type"), "image/x-icon");
    assert_eq!(icon.bytes[..4], [0, 0, 1, 0], "an ICO file");
    assert_eq!(icon.header("cache-control"), "public, max-age=86400");
    let touch = app.get("/apple-touch-icon.png").await;
    assert_eq!(touch.status.as_u16(), 200);
    assert_eq!(touch.header("content-type"), "image/png");
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status.as_u16(), 200);
    assert!(robots.header("content-type").starts_with("text/plain"));
    assert!(robots.body.contains("User-agent: *\nDisallow: /admin\n"));
    app.page("/favicon.png", 404).await;
}

/// How many `{` blocks of a stylesheet are left open at its end: an unclosed `@media print`
/// would swallow every rule after it. Comments are passed over; the stylesheet has no braces
/// in strings.
fn unclosed_blocks(css: &str) -> i32 {
    let mut depth = 0;
    for (i, part) in css.split("/*").enumerate() {
        let code = if i == 0 {
            part
        } else {
            part.split_once("*/").map_or("", |(_, after)| after)
        };
        for c in code.chars() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    assert!(depth >= 0, "a closing brace closes nothing");
                }
                _ => {}
            }
        }
    }
    depth
}

async fn unknown_urls_get_a_404_page(app: TestApp) {
    for path in [
        "/nowhere",
        "/technologies/no-such-thing",
        "/technologies/Not_A_Slug",
        "/dimensions/nope",
        "/sources/99999",
        "/sources/abc",
    ] {
        let reply = app.page(path, 404).await;
        reply.assert_contains(&[
            "<h1>Not Found</h1>",
            "There is nothing at this address.",
            r#"<nav aria-label="Main">"#,
        ]);
    }
    let api = app.json("/api/v1/nowhere", 404).await;
    assert_eq!(api["status"], 404);
    assert_eq!(api["title"], "Not Found");
    let api = app.json("/api/elsewhere", 404).await;
    assert_eq!(api["status"], 404);
}

async fn server_faults_reveal_nothing(app: TestApp) {
    use diesel::RunQueryDsl;
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    diesel::sql_query("DROP TABLE assessment_sources")
        .execute(&mut *conn)
        .expect("drop a table");

    let page = app.page("/technologies/go", 500).await;
    page.assert_contains(&[
        "<h1>Internal Server Error</h1>",
        "Something went wrong on our side.",
    ]);
    for secret in [
        "assessment_sources",
        "SQL",
        "diesel",
        "no such table",
        "does not exist",
    ] {
        assert!(
            !page.body.contains(secret),
            "the 500 page reveals {secret:?}"
        );
    }
    let api = app.json("/api/v1/technologies/go", 500).await;
    assert_eq!(api["status"], 500);
    assert!(!api.to_string().contains("assessment_sources"));
}

async fn security_headers_on_every_response(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let mut replies = Vec::new();
    for path in [
        "/",
        "/api/v1/technologies",
        "/nowhere",
        "/healthz",
        "/login",
        "/admin",
    ] {
        replies.push((path, app.get(path).await));
    }
    replies.push((
        "/admin/technologies",
        editor.get("/admin/technologies").await,
    ));
    replies.push((
        "POST /logout",
        app.send(awc::http::Method::POST, "/logout", &[]).await,
    ));
    for (path, reply) in replies {
        assert_eq!(reply.header("referrer-policy"), "same-origin", "{path}");
        assert_eq!(reply.header("x-content-type-options"), "nosniff", "{path}");
        assert!(
            reply
                .header("content-security-policy")
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            !reply
                .header("content-security-policy")
                .contains("unsafe-inline"),
            "{path}"
        );
    }
}

/// The addresses on this site that `body` links to (`href` and `src`), without fragments.
fn links(body: &str) -> Vec<String> {
    ["href=\"", "src=\""]
        .iter()
        .flat_map(|marker| body.split(marker).skip(1))
        .filter_map(|rest| rest.split_once('"'))
        .map(|(link, _)| {
            let link = link
                .replace("&#38;", "&")
                .replace("&amp;", "&")
                .replace("&#x2f;", "/");
            link.split('#').next().unwrap_or_default().to_owned()
        })
        .filter(|link| link.starts_with('/') && !link.starts_with("//"))
        .collect()
}

/// A reader who follows every link from the home page meets no error: each page and file
/// a page links to answers.
async fn every_link_a_reader_meets_works(app: TestApp) {
    let mut seen = std::collections::BTreeSet::from(["/".to_owned()]);
    let mut queue = vec![("/".to_owned(), "the start".to_owned())];
    while let Some((path, from)) = queue.pop() {
        let reply = app.get(&path).await;
        let status = reply.status.as_u16();
        assert!(
            status < 400,
            "GET {path}, linked from {from}: {status}\n{}",
            reply.body
        );
        if !reply.header("content-type").starts_with("text/html") {
            continue;
        }
        reply.assert_valid_datetimes();
        // A table wider than the screen scrolls in its own region, which the keyboard reaches.
        for rest in reply.body.split(r#"class="table-scroll""#).skip(1) {
            let tag = rest.split('>').next().unwrap_or_default();
            assert!(
                tag.contains(r#"role="region""#)
                    && tag.contains(r#"tabindex="0""#)
                    && tag.contains(r#"aria-label=""#),
                "{path}: a scrolling region without role, label or tabindex: {tag}"
            );
        }
        for link in links(&reply.body) {
            if seen.insert(link.clone()) {
                queue.push((link, path.clone()));
            }
        }
        assert!(seen.len() < 2_000, "the demo site has fewer addresses");
    }
    assert!(seen.len() > 50, "{seen:?}");
}
