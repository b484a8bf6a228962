//! Changing the catalog through the JSON API with a token: each kind of item created,
//! replaced, patched and deleted; tokens, bodies, field errors, `If-Match`, conflicts, the
//! audit log and the cache.
//!
//! The bodies come from builders: a valid item with defaults, and `with` or `without` the
//! members a test pins. A body whose exact members are the point is spelled out with `json!`.

mod assessments;
mod dimensions;
mod history;
mod refusals;
mod sources;
mod technologies;

use awc::http::Method;
use serde_json::{Map, Value, json};

use crate::helpers::{Client, Reply, TestApp, expect};

/// A JSON object to send: a valid item, changed member by member.
#[derive(Clone)]
struct Body(Map<String, Value>);

impl Body {
    fn of(item: Value) -> Self {
        match item {
            Value::Object(members) => Self(members),
            other => panic!("a body is a JSON object, not {other}"),
        }
    }

    /// Sets `member`, in its place if the body has it.
    fn with(mut self, member: &str, value: impl Into<Value>) -> Self {
        self.0.insert(member.to_owned(), value.into());
        self
    }

    fn without(mut self, member: &str) -> Self {
        self.0.shift_remove(member);
        self
    }
}

impl From<Body> for Value {
    fn from(body: Body) -> Self {
        Value::Object(body.0)
    }
}

/// A Rust framework, every member given.
fn technology(slug: &str, name: &str) -> Body {
    Body::of(json!({
        "slug": slug, "name": name, "kind": "framework", "language": "rust",
        "summary": "A Rust web framework.",
    }))
}

/// A scored dimension, every member given.
fn dimension(slug: &str, name: &str) -> Body {
    Body::of(json!({
        "slug": slug, "name": name, "description": "Tracing, metrics and logs.",
        "scale": "1 = none, 5 = built in", "position": 50,
    }))
}

/// A source with a date and an address, and no notes.
fn source(title: &str) -> Body {
    Body::of(json!({
        "title": title, "publisher": "The Rust Project", "published_on": "2024-01-02",
        "url": "https://doc.rust-lang.org/book/",
    }))
}

/// A fact as PUT at its own address, which names its technology and dimension; citing nothing.
fn fact(score: impl Into<Value>) -> Body {
    Body::of(json!({
        "score": score.into(), "text": "A fact.", "as_of": "2026-01-01", "confidence": "high",
        "sources": [],
    }))
}

/// A write as the API's clients make one: a JSON body, sent with the token.
trait Writes {
    async fn post(&self, path: &str, body: impl Into<Value>) -> Reply;
    async fn put(&self, path: &str, body: impl Into<Value>) -> Reply;
    async fn patch(&self, path: &str, body: impl Into<Value>) -> Reply;
    /// Sends `body` with `If-Match: etags`.
    async fn send_if_match(
        &self,
        method: Method,
        path: &str,
        etags: &str,
        body: impl Into<Value>,
    ) -> Reply;
}

impl Writes for Client<'_> {
    async fn post(&self, path: &str, body: impl Into<Value>) -> Reply {
        self.send(Method::POST, path, body.into()).await
    }

    async fn put(&self, path: &str, body: impl Into<Value>) -> Reply {
        self.send(Method::PUT, path, body.into()).await
    }

    async fn patch(&self, path: &str, body: impl Into<Value>) -> Reply {
        self.send(Method::PATCH, path, body.into()).await
    }

    async fn send_if_match(
        &self,
        method: Method,
        path: &str,
        etags: &str,
        body: impl Into<Value>,
    ) -> Reply {
        self.send_with(method, path, &[("if-match", etags)], body.into())
            .await
    }
}

/// The names of a 422's field errors, in order.
fn error_names(reply: &Reply) -> Vec<String> {
    expect(reply, 422);
    reply.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["name"].as_str().map(String::from))
        .collect()
}

/// The detail of the field error `name` in a 422.
fn error_detail(reply: &Reply, name: &str) -> String {
    reply.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .find(|e| e["name"] == name)
        .and_then(|e| e["detail"].as_str())
        .unwrap_or_else(|| panic!("no error on {name}: {}", reply.body))
        .to_owned()
}

/// Asserts that a write's answer is what GET now shows at its address, ETag included.
async fn assert_shown_at(app: &TestApp, reply: &Reply, path: &str) {
    let shown = app.get(path).await;
    expect(&shown, 200);
    assert_eq!(shown.json(), reply.json(), "GET {path}");
    assert_eq!(shown.header("etag"), reply.header("etag"), "GET {path}");
    assert!(
        reply.header("etag").starts_with('"') && reply.header("etag").ends_with('"'),
        "a strong ETag: {}",
        reply.header("etag")
    );
}

/// The id of a source the demo dataset's facts cite.
async fn cited_source(app: &TestApp) -> i64 {
    let list = app.json("/api/v1/sources", 200).await;
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|s| s["citations"].as_i64() > Some(0))
        .and_then(|s| s["id"].as_i64())
        .expect("a cited source")
}

/// A new scored dimension, so that no technology has a fact on it yet.
async fn new_dimension(api: &Client<'_>) {
    let reply = api
        .post(
            "/api/v1/dimensions",
            dimension("observability", "Observability"),
        )
        .await;
    expect(&reply, 201);
}
