//! What a write is refused for: no token or one that may only read, field errors named,
//! bodies that are not JSON objects, methods an address does not take, and deleting what
//! others depend on. A refused write changes nothing.

use awc::http::Method;
use serde_json::json;
use verdict::accounts::tokens::{self, Scope};
use verdict::accounts::users;
use verdict::audit;

use super::{Writes, cited_source, error_detail, error_names, fact, new_dimension, technology};
use crate::helpers::{Client, TestApp, expect};
use crate::on_both_backends;

on_both_backends!(
    writes_need_a_token_that_may_write,
    invalid_fields_are_named,
    bodies_must_be_json,
    what_others_depend_on_cannot_be_deleted,
    methods_an_address_does_not_take_are_refused,
);

async fn writes_need_a_token_that_may_write(app: TestApp) {
    let body = json!({"summary": "Changed."});
    let path = "/api/v1/technologies/rust";
    let summary = app.json(path, 200).await["summary"].clone();

    let anonymous = app
        .send_body(
            Method::PATCH,
            path,
            &[("content-type", "application/json")],
            Some(&body.to_string()),
        )
        .await;
    expect(&anonymous, 401);
    assert_eq!(anonymous.header("www-authenticate"), "Bearer");

    let wrong = Client::with_secret(&app, "vdt_0000");
    let reply = wrong.patch(path, body.clone()).await;
    expect(&reply, 401);
    assert_eq!(reply.header("www-authenticate"), "Bearer");

    let (id, secret) = app.api_token("retired", Scope::ReadWrite);
    let retired = Client::with_secret(&app, &secret);
    expect(&retired.patch(path, json!({})).await, 200);
    {
        let db = app.connection();
        let mut conn = db.get().expect("a connection");
        let admin = users::by_email(&mut conn, "tokens@example.com")
            .expect("a query")
            .expect("the admin");
        let actor = audit::Actor {
            user_id: Some(admin.id),
            name: admin.email,
            via: audit::Via::Form,
        };
        assert!(tokens::revoke(&mut conn, &actor, id).expect("a query"));
    }
    expect(&retired.patch(path, body.clone()).await, 401);

    let (_, secret) = app.api_token("reader", Scope::Read);
    let reader = Client::with_secret(&app, &secret);
    let reply = reader.patch(path, body.clone()).await;
    expect(&reply, 403);
    assert!(
        reply.json()["detail"]
            .as_str()
            .is_some_and(|d| d.contains("only read"))
    );
    expect(&reader.delete("/api/v1/technologies/hyper").await, 403);
    // A token that may only read still reads.
    expect(&reader.raw(Method::GET, path, &[], None).await, 200);

    assert_eq!(
        app.json(path, 200).await["summary"],
        summary,
        "nothing was written"
    );
    expect(&app.get("/api/v1/technologies/hyper").await, 200);
}

async fn invalid_fields_are_named(app: TestApp) {
    let api = Client::new(&app);
    new_dimension(&api).await;
    let new = |slug: &str| technology(slug, "New").with("language", "go");
    let bad_slug = api.post("/api/v1/technologies", new("Not A Slug")).await;
    assert_eq!(error_names(&bad_slug), ["slug"]);
    assert!(error_detail(&bad_slug, "slug").contains("lowercase"));
    let taken = api.post("/api/v1/technologies", new("gin")).await;
    assert_eq!(error_names(&taken), ["slug"]);
    assert!(error_detail(&taken, "slug").contains("taken"));
    let renamed = api
        .patch("/api/v1/technologies/echo", json!({"slug": "gin"}))
        .await;
    assert_eq!(error_names(&renamed), ["slug"]);
    let unknown_member = api
        .patch(
            "/api/v1/technologies/echo",
            json!({"nmae": "Echo", "name": {"first": "Echo"}}),
        )
        .await;
    assert_eq!(error_names(&unknown_member), ["nmae", "name"]);
    assert!(error_detail(&unknown_member, "nmae").contains("not a field"));

    let scored = "/api/v1/technologies/echo/assessments/observability";
    let out_of_range = api.put(scored, fact(7)).await;
    assert_eq!(error_names(&out_of_range), ["score"]);
    assert!(error_detail(&out_of_range, "score").contains("from 1 to 5"));
    let on_descriptive = api
        .patch(
            "/api/v1/technologies/rust/assessments/steward",
            json!({"score": 3}),
        )
        .await;
    assert_eq!(error_names(&on_descriptive), ["score"]);
    assert!(error_detail(&on_descriptive, "score").contains("descriptive"));
    let unknown_source = api
        .put(scored, fact(3).with("sources", json!([99999])))
        .await;
    assert_eq!(error_names(&unknown_source), ["sources"]);
    assert!(error_detail(&unknown_source, "sources").contains("99999"));
    let future = api.put(scored, fact(3).with("as_of", "2999-01-01")).await;
    assert_eq!(error_names(&future), ["as_of"]);
    assert!(error_detail(&future, "as_of").contains("future"));
    expect(&app.get(scored).await, 404);

    let bad_url = api
        .post(
            "/api/v1/sources",
            json!({"title": "T", "publisher": "P", "url": "ftp://example.org/x"}),
        )
        .await;
    assert_eq!(error_names(&bad_url), ["url"]);
    let problem = bad_url.json();
    assert_eq!(problem["status"], 422);
    assert_eq!(problem["title"], "Unprocessable Entity");
    assert_eq!(app.json("/api/v1/sources", 200).await["total"], 6);
}

async fn bodies_must_be_json(app: TestApp) {
    let api = Client::new(&app);
    let path = "/api/v1/technologies/rust";
    let malformed = api
        .raw(
            Method::PATCH,
            path,
            &[("content-type", "application/json")],
            Some("{\"summary\": \"x\",\n \"name\" \"y\"}"),
        )
        .await;
    expect(&malformed, 400);
    let detail = malformed.json()["detail"].as_str().unwrap_or("").to_owned();
    assert!(detail.contains("line 2 column"), "{detail}");
    let huge = json!({ "summary": "x".repeat(300 * 1024) });
    expect(&api.patch(path, huge).await, 413);
    let not_object = api.patch(path, json!(["summary"])).await;
    assert_eq!(error_names(&not_object), ["body"]);

    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let headers: Vec<(&str, &str)> = content_type
            .map(|t| ("content-type", t))
            .into_iter()
            .collect();
        let reply = api
            .raw(Method::PATCH, path, &headers, Some(r#"{"summary": "x"}"#))
            .await;
        expect(&reply, 415);
        assert_eq!(reply.json()["status"], 415);
    }
    let with_charset = api
        .raw(
            Method::PATCH,
            path,
            &[("content-type", "application/json; charset=utf-8")],
            Some(r#"{"summary": "Charset given."}"#),
        )
        .await;
    expect(&with_charset, 200);
}

async fn what_others_depend_on_cannot_be_deleted(app: TestApp) {
    let api = Client::new(&app);
    let go = api.delete("/api/v1/technologies/go").await;
    expect(&go, 409);
    let detail = go.json()["detail"].as_str().unwrap_or("").to_owned();
    assert!(detail.contains("Gin") && detail.contains("Go"), "{detail}");
    expect(&app.get("/api/v1/technologies/go").await, 200);

    let source = cited_source(&app).await;
    let cited = api.delete(&format!("/api/v1/sources/{source}")).await;
    expect(&cited, 409);
    assert!(
        cited.json()["detail"]
            .as_str()
            .is_some_and(|d| d.contains("cite"))
    );
    expect(&app.get(&format!("/api/v1/sources/{source}")).await, 200);

    // A framework goes, and its facts with it.
    let gin_design = "/api/v1/technologies/gin/assessments/design";
    expect(&app.get(gin_design).await, 200);
    expect(&api.delete("/api/v1/technologies/gin").await, 204);
    expect(&app.get(gin_design).await, 404);
}

async fn methods_an_address_does_not_take_are_refused(app: TestApp) {
    let api = Client::new(&app);
    for (method, path, allow) in [
        (Method::DELETE, "/api/v1/technologies", "GET, HEAD, POST"),
        (Method::PUT, "/api/v1/dimensions", "GET, HEAD, POST"),
        (
            Method::POST,
            "/api/v1/technologies/rust",
            "GET, HEAD, PUT, PATCH, DELETE",
        ),
        (
            Method::PATCH,
            "/api/v1/technologies/rust/assessments",
            "GET, HEAD, POST",
        ),
        (
            Method::POST,
            "/api/v1/technologies/rust/assessments/performance",
            "GET, HEAD, PUT, PATCH, DELETE",
        ),
        (
            Method::POST,
            "/api/v1/sources/1",
            "GET, HEAD, PUT, PATCH, DELETE",
        ),
    ] {
        let reply = api.raw(method.clone(), path, &[], None).await;
        expect(&reply, 405);
        assert_eq!(reply.header("allow"), allow, "{method} {path}");
    }
}
