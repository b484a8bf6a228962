//! Input refused at the edge, alike on both backends: control characters other than tab, CR
//! and LF in a query parameter or a path (400), a form field (422) or a JSON string (422);
//! a body that cannot be decoded (400) and one too large (413).

use std::io::Write;

use awc::http::Method;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};
use verdict::accounts::tokens::Scope;

use crate::helpers::{Reply, TestApp};
use crate::on_both_backends;

on_both_backends!(
    control_characters_in_query_parameters_are_refused_by_name,
    control_characters_in_a_path_are_refused,
    a_form_field_with_a_control_character_is_refused_by_name,
    a_json_string_with_a_control_character_is_refused_by_name,
    bodies_that_cannot_be_decoded_are_bad_requests,
);

/// A 400 page naming `name` as the parameter at fault, for `character` (`U+0000`).
#[track_caller]
fn assert_refused_page(reply: &Reply, path: &str, name: &str, character: &str) {
    assert_eq!(reply.status.as_u16(), 400, "GET {path}: {}", reply.body);
    assert_eq!(reply.header("content-type"), "text/html; charset=utf-8");
    assert!(reply.body.starts_with("<!doctype html>"), "GET {path}");
    reply.assert_contains(&[
        "Some query parameters are not valid.",
        &format!("<code>{name}</code>: must not contain control characters (it holds {character})"),
    ]);
}

/// The names in a problem's `errors`.
fn error_names(reply: &Reply) -> Vec<String> {
    reply.json()["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("errors in {}", reply.body))
        .iter()
        .map(|error| error["name"].as_str().expect("a name").to_owned())
        .collect()
}

async fn control_characters_in_query_parameters_are_refused_by_name(app: TestApp) {
    for (path, name, character) in [
        ("/decisions?status=accepted%00", "status", "U+0000"),
        ("/technologies?kind=%01", "kind", "U+0001"),
        ("/?utm_source=x%00y", "utm_source", "U+0000"),
        ("/advisor?t=go&t=rust&note=%7F", "note", "U+007F"),
    ] {
        let reply = app.get(path).await;
        assert_refused_page(&reply, path, name, character);
    }

    for (path, name) in [
        ("/api/v1/benchmarks/runs?scenario=x%00", "scenario"),
        ("/api/v1/benchmarks/runs?scenario=x%01", "scenario"),
        ("/api/v1/technologies?kind=language&q%00=1", "q\\u{0}"),
        ("/api/v1/decisions?page=1&status=%C2%85", "status"),
    ] {
        let problem = app.json(path, 400).await;
        assert_eq!(problem["status"], 400, "{path}");
        let errors = problem["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{path}: {problem}");
        assert_eq!(errors[0]["name"], name, "{path}");
        let detail = errors[0]["detail"].as_str().expect("a detail");
        assert!(detail.contains("control characters"), "{path}: {detail}");
    }
    // Twice: the refusal is not a cached answer nor a cached page.
    app.json("/api/v1/benchmarks/runs?scenario=x%00", 400).await;

    // Tab, CR and LF are text like any other.
    let listed = app
        .json("/api/v1/benchmarks/runs?scenario=a%09b%0D%0Ac", 200)
        .await;
    assert_eq!(listed["total"], 0);
    app.page("/?utm_source=a%09b%0D%0A", 200).await;
}

async fn control_characters_in_a_path_are_refused(app: TestApp) {
    let page = app.get("/technologies/rust%00").await;
    assert_eq!(page.status.as_u16(), 400, "{}", page.body);
    page.assert_contains(&["<!doctype html>", "holds a control character"]);
    let problem = app.json("/api/v1/technologies/rust%01", 400).await;
    assert_eq!(
        problem["detail"],
        "This address holds a control character, which no address here has."
    );
    app.json("/api/v1/decisions/1%00", 400).await;
    app.page("/technologies/rust", 200).await;
}

async fn a_form_field_with_a_control_character_is_refused_by_name(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let technology = |name: &'static str, slug: &'static str, summary: &'static str| {
        [
            ("name", name),
            ("slug", slug),
            ("kind", "framework"),
            ("language", "rust"),
            ("summary", summary),
        ]
    };
    let refused = editor
        .post_form(
            "/admin/technologies/new",
            &technology("Nul\0framework", "nul-framework", "Bell\u{7} inside."),
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.body);
    refused.assert_contains(&[
        "<!doctype html>",
        "Some fields are not valid.",
        "<code>name</code>: must not contain control characters (it holds U+0000)",
        "<code>summary</code>: must not contain control characters (it holds U+0007)",
    ]);
    app.json("/api/v1/technologies/nul-framework", 404).await;

    // The same on an edit: nothing changes.
    let before = app.json("/api/v1/technologies/rust", 200).await;
    let form = editor.page("/admin/technologies/rust", 200).await;
    let version = crate::helpers::hidden(&form.body, "version");
    let edit = editor
        .post_form(
            "/admin/technologies/rust",
            &[
                ("version", version.as_str()),
                ("name", "Rust"),
                ("slug", "rust"),
                ("kind", "language"),
                ("language", ""),
                ("summary", "Escape\u{1b}[31m red"),
            ],
        )
        .await;
    assert_eq!(edit.status.as_u16(), 422, "{}", edit.body);
    edit.assert_contains(&["<code>summary</code>"]);
    assert_eq!(app.json("/api/v1/technologies/rust", 200).await, before);

    // Tab, CR and LF are kept.
    let accepted = editor
        .post_form(
            "/admin/technologies/new",
            &technology("Tabbed", "tabbed", "One\tline,\r\nthen another."),
        )
        .await;
    assert_eq!(accepted.status.as_u16(), 303, "{}", accepted.body);
    let created = app.json("/api/v1/technologies/tabbed", 200).await;
    assert_eq!(created["summary"], "One\tline,\r\nthen another.");
}

/// Sends `body` with a read-write token and these headers, bytes as they are.
async fn send_bytes(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Reply {
    let mut request = app
        .client
        .request(method.clone(), format!("{}{path}", app.address))
        .insert_header(("authorization", token));
    for &(name, value) in headers {
        request = request.insert_header((name, value));
    }
    let mut response = request
        .send_body(body)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let body = response.body().limit(4 << 20).await.expect("a body");
    Reply::read(response.status(), response.headers(), &body)
}

async fn send_json(app: &TestApp, token: &str, method: Method, path: &str, body: &Value) -> Reply {
    let headers = [("content-type", "application/json")];
    send_bytes(
        app,
        token,
        method,
        path,
        &headers,
        body.to_string().into_bytes(),
    )
    .await
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("compressed in memory");
    encoder.finish().expect("compressed in memory")
}

fn token(app: &TestApp) -> String {
    let (_, secret) = app.api_token("hostile", Scope::ReadWrite);
    format!("Bearer {secret}")
}

async fn a_json_string_with_a_control_character_is_refused_by_name(app: TestApp) {
    let token = token(&app);
    let new = json!({
        "slug": "nul-lang",
        "name": "Nul\u{0}",
        "kind": "language",
        "language": null,
        "summary": "Fine.",
    });
    let refused = send_json(&app, &token, Method::POST, "/api/v1/technologies", &new).await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.body);
    assert_eq!(refused.header("content-type"), "application/problem+json");
    assert_eq!(error_names(&refused), ["name"]);
    app.json("/api/v1/technologies/nul-lang", 404).await;

    let path = "/api/v1/technologies/rust";
    let before = app.json(path, 200).await;
    let patch = json!({"summary": "Bell\u{7}"});
    let refused = send_json(&app, &token, Method::PATCH, path, &patch).await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.body);
    assert_eq!(error_names(&refused), ["summary"]);
    assert_eq!(app.json(path, 200).await, before);

    // Inside arrays, too: a decision's drivers.
    let decision = json!({
        "title": "Pick a web framework",
        "context": "Tabs\tand\r\nline breaks are kept.",
        "drivers": ["Ecosystem (important)"],
        "options": ["axum", "actix-web"],
        "chosen": "axum",
        "rationale": "it composes with tower",
        "consequences": "",
        "status": "accepted",
        "decided_on": "2026-02-01",
    });
    let created = send_json(&app, &token, Method::POST, "/api/v1/decisions", &decision).await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.body);
    let location = created.header("location").to_owned();
    assert_eq!(
        app.json(&location, 200).await["context"],
        "Tabs\tand\r\nline breaks are kept."
    );
    let before = app.json(&location, 200).await;
    let patch =
        json!({"drivers": ["Ecosystem (important)", "Speed\u{0} (nice)"], "title": "T\u{1}"});
    let refused = send_json(&app, &token, Method::PATCH, &location, &patch).await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.body);
    assert_eq!(error_names(&refused), ["drivers", "title"]);
    let mut nested = decision.clone();
    nested["drivers"] = json!([["deeper\u{0}"]]);
    let refused = send_json(&app, &token, Method::POST, "/api/v1/decisions", &nested).await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.body);
    assert_eq!(error_names(&refused), ["drivers"]);
    assert_eq!(app.json(&location, 200).await, before);
    assert_eq!(app.json("/api/v1/decisions", 200).await["total"], 1);

    // The advisor reads its body the same way.
    let advice =
        json!({"candidates": ["go", "rust"], "requirements": {"time-to-market": "must\u{0}"}});
    let refused = send_json(&app, &token, Method::POST, "/api/v1/advice", &advice).await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.body);
    assert_eq!(error_names(&refused), ["requirements"]);
}

async fn bodies_that_cannot_be_decoded_are_bad_requests(app: TestApp) {
    let token = token(&app);
    let path = "/api/v1/technologies/rust";
    let json_gzip = [
        ("content-type", "application/json"),
        ("content-encoding", "gzip"),
    ];
    let corrupt = send_bytes(
        &app,
        &token,
        Method::PATCH,
        path,
        &json_gzip,
        b"this is not gzip at all".to_vec(),
    )
    .await;
    assert_eq!(corrupt.status.as_u16(), 400, "{}", corrupt.body);
    assert_eq!(corrupt.header("content-type"), "application/problem+json");
    let detail = corrupt.json()["detail"].as_str().unwrap_or("").to_owned();
    assert!(detail.contains("could not be decoded"), "{detail}");

    let mut truncated = gzip(br#"{"summary": "Cut short."}"#);
    truncated.truncate(truncated.len() / 2);
    let cut = send_bytes(&app, &token, Method::PATCH, path, &json_gzip, truncated).await;
    assert_eq!(cut.status.as_u16(), 400, "{}", cut.body);

    let compressed = gzip(br#"{"summary": "Sent compressed."}"#);
    let sent = send_bytes(&app, &token, Method::PATCH, path, &json_gzip, compressed).await;
    assert_eq!(sent.status.as_u16(), 200, "{}", sent.body);
    assert_eq!(app.json(path, 200).await["summary"], "Sent compressed.");

    // Past 256 KiB: as sent, or once decompressed.
    let huge = json!({ "summary": "x".repeat(300 * 1024) }).to_string();
    let plain = [("content-type", "application/json")];
    let too_large = send_bytes(
        &app,
        &token,
        Method::PATCH,
        path,
        &plain,
        huge.clone().into_bytes(),
    )
    .await;
    assert_eq!(too_large.status.as_u16(), 413, "{}", too_large.body);
    let bomb = gzip(huge.as_bytes());
    assert!(bomb.len() < 8 * 1024, "compresses well: {}", bomb.len());
    let too_large = send_bytes(&app, &token, Method::PATCH, path, &json_gzip, bomb).await;
    assert_eq!(too_large.status.as_u16(), 413, "{}", too_large.body);
    assert_eq!(app.json(path, 200).await["summary"], "Sent compressed.");

    // A form's body likewise: read before anything else is looked at.
    let form_gzip = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("content-encoding", "gzip"),
    ];
    let reply = app
        .send_body(Method::POST, "/login", &form_gzip, Some("not gzip"))
        .await;
    assert_eq!(reply.status.as_u16(), 400, "{}", reply.body);
    reply.assert_contains(&["<!doctype html>", "could not be decoded"]);
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let huge = format!("email={}", "x".repeat(300 * 1024));
    let reply = app
        .send_body(Method::POST, "/login", &form, Some(&huge))
        .await;
    assert_eq!(reply.status.as_u16(), 413, "{}", reply.body);
}
