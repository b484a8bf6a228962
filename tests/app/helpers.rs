//! Each test gets its own server on a free port and its own fresh database: a SQLite file in
//! a temporary directory, or a PostgreSQL database created for it and dropped afterwards.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use awc::http::{Method, StatusCode};
use diesel::prelude::*;
use serde_json::Value;
use verdict::config::{CommonArgs, ServeArgs};
use verdict::startup::Application;

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named `async fn(TestApp)` once per backend, as `<name>::sqlite` and `<name>::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                if let Some(app) = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await {
                    super::$name(app).await;
                }
            }
            #[actix_web::test]
            async fn postgres() {
                if let Some(app) = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

pub struct TestApp {
    pub address: String,
    pub client: awc::Client,
    pub common: CommonArgs,
    _database: TestDatabase,
}

/// A response read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: awc::http::header::HeaderMap,
    /// The body as text, which every answer but a bitmap image or a compressed body must
    /// be; empty for those.
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn read(status: StatusCode, headers: &awc::http::header::HeaderMap, bytes: &[u8]) -> Self {
        let bitmap = headers
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|kind| kind.starts_with("image/") && kind != "image/svg+xml");
        let body = if bitmap || headers.contains_key("content-encoding") {
            String::new()
        } else {
            String::from_utf8(bytes.to_vec()).expect("UTF-8")
        };
        Reply {
            status,
            headers: headers.clone(),
            body,
            bytes: bytes.to_vec(),
        }
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts the body contains every one of `needles`.
    #[track_caller]
    pub fn assert_contains(&self, needles: &[&str]) {
        for needle in needles {
            assert!(
                self.body.contains(needle),
                "expected {needle:?} in:\n{}",
                self.body
            );
        }
    }

    /// Asserts every `datetime` attribute holds a date, or a date and time in UTC with at
    /// most three fractional digits, as HTML allows.
    #[track_caller]
    pub fn assert_valid_datetimes(&self) {
        for value in self.body.split("datetime=\"").skip(1) {
            let value = value.split('"').next().unwrap_or_default();
            let date = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok();
            let fraction = value
                .split_once('.')
                .map_or(0, |(_, rest)| rest.trim_end_matches('Z').len());
            let time = value.ends_with('Z')
                && fraction <= 3
                && chrono::DateTime::parse_from_rfc3339(value).is_ok();
            assert!(date || time, "datetime=\"{value}\" is not valid HTML");
        }
    }
}

pub enum TestDatabase {
    /// Removed, with the database in it, when dropped.
    Sqlite {
        _dir: tempfile::TempDir,
    },
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self {
            drop_postgres_database(admin_url, name);
        }
    }
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// The PostgreSQL server to test against: `TEST_DATABASE_URL`, a URL of a database the tests
/// may create others from. Unset, PostgreSQL tests are skipped, except in CI (`CI=true`).
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|ci| ci == "true") => {
            panic!("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run in CI")
        }
        _ => {
            eprintln!("TEST_DATABASE_URL is not set: skipping a PostgreSQL test");
            None
        }
    }
}

/// Creates a fresh, empty database and returns its URL (and what drops it).
pub fn fresh_database(backend: Backend) -> Option<(String, TestDatabase)> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let url = dir.path().join("verdict.db").to_string_lossy().into_owned();
            Some((url, TestDatabase::Sqlite { _dir: dir }))
        }
        Backend::Postgres => {
            let admin_url = postgres_admin_url()?;
            let name = format!(
                "verdict_test_{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            let url = create_postgres_database(&admin_url, &name);
            Some((url, TestDatabase::Postgres { admin_url, name }))
        }
    }
}

/// Creates the empty database `name` next to the one `admin_url` names; returns its URL.
pub fn create_postgres_database(admin_url: &str, name: &str) -> String {
    let mut conn = PgConnection::establish(admin_url)
        .unwrap_or_else(|e| panic!("PostgreSQL at TEST_DATABASE_URL is unreachable: {e}"));
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        diesel::sql_query(statement)
            .execute(&mut conn)
            .expect("PostgreSQL creates the test database");
    }
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url, |(base, _)| base);
    format!("{base}/{name}")
}

/// Drops a database made by [`create_postgres_database`], whoever is still connected.
pub fn drop_postgres_database(admin_url: &str, name: &str) {
    if let Ok(mut conn) = PgConnection::establish(admin_url) {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn);
    }
}

pub fn serve_args() -> ServeArgs {
    ServeArgs {
        host: [127, 0, 0, 1].into(),
        port: 0,
        pool_size: 4,
        workers: Some(1),
        cache_mb: 8,
        upload_limit_mb: 1,
        demo: true,
        secret_key: Some("test-key-".repeat(8)),
        https: false,
        session_idle_minutes: 120,
        session_lifetime_hours: 12,
        static_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/static")),
    }
}

impl TestApp {
    /// A server with the demo dataset on a fresh database, or `None` when the backend is not
    /// available here (PostgreSQL without `TEST_DATABASE_URL`).
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, serve_args()).await
    }

    pub async fn spawn_with(backend: Backend, serve: ServeArgs) -> Option<TestApp> {
        let (url, database) = fresh_database(backend)?;
        Some(Self::spawn_on(url, database, serve))
    }

    /// A server on the database at `url`, which `database` drops when the app is dropped.
    pub fn spawn_on(url: String, database: TestDatabase, serve: ServeArgs) -> TestApp {
        let common = CommonArgs {
            database_url: Some(url),
            data_dir: PathBuf::from("unused"),
            log_level: "warn".into(),
        };
        let app = Application::build(&common, &serve).expect("the application starts");
        let address = format!("http://{}", app.addr());
        actix_web::rt::spawn(app.run());
        TestApp {
            address,
            // Generous: a debug build on a busy two-core machine is slow, and what the tests
            // check is the answer, not how fast it came.
            client: awc::Client::builder()
                .disable_redirects()
                .timeout(std::time::Duration::from_secs(30))
                .finish(),
            common,
            _database: database,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        self.send(awc::http::Method::GET, path, headers).await
    }

    /// GET `path` from the response cache: a response is kept once it has been compressed,
    /// shortly after the request that missed, so this asks until it is served from there.
    pub async fn cached(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        for _ in 0..200 {
            let reply = self.get_with(path, headers).await;
            if reply.header("x-cache") == "hit" {
                return reply;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("GET {path} was never served from the cache");
    }

    pub async fn send(
        &self,
        method: awc::http::Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Reply {
        self.send_body(method, path, headers, None).await
    }

    /// Sends `body` as it is: the caller's headers say what it is.
    pub async fn send_body(
        &self,
        method: awc::http::Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.address));
        for &(name, value) in headers {
            request = request.insert_header((name, value));
        }
        let sent = match body {
            Some(body) => request.send_body(body.to_owned()).await,
            None => request.send().await,
        };
        let mut response = sent.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let body = response.body().limit(4 << 20).await.expect("a body");
        Reply::read(response.status(), response.headers(), &body)
    }

    /// GET a page and check it is an HTML page with the given status.
    pub async fn page(&self, path: &str, status: u16) -> Reply {
        let reply = self.get(path).await;
        assert_eq!(reply.status.as_u16(), status, "GET {path}: {}", reply.body);
        assert_eq!(
            reply.header("content-type"),
            "text/html; charset=utf-8",
            "GET {path}"
        );
        assert!(reply.body.starts_with("<!doctype html>"), "GET {path}");
        reply
    }

    /// GET JSON and check the status and content type.
    pub async fn json(&self, path: &str, status: u16) -> Value {
        let reply = self.get(path).await;
        assert_eq!(reply.status.as_u16(), status, "GET {path}: {}", reply.body);
        let expected = if status < 400 {
            "application/json"
        } else {
            "application/problem+json"
        };
        assert_eq!(reply.header("content-type"), expected, "GET {path}");
        reply.json()
    }

    /// Posts an import to the API as `multipart/form-data`, with `token` as its bearer.
    pub async fn import(
        &self,
        token: Option<&str>,
        fields: &[(&str, &str)],
        file: Option<(&str, &str)>,
    ) -> Reply {
        let (content_type, body) = multipart(fields, file);
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("content-type", content_type.as_str())];
        if let Some(auth) = &auth {
            headers.push(("authorization", auth.as_str()));
        }
        self.send_body(
            Method::POST,
            "/api/v1/benchmarks/imports",
            &headers,
            Some(&body),
        )
        .await
    }

    /// A synchronous connection to the app's database, for setting up or breaking things.
    pub fn connection(&self) -> verdict::db::Db {
        let url = self.common.database_url().expect("a valid URL");
        verdict::db::Db::connect(&url, 1).expect("a connection")
    }
}

/// The password every test account gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// A browser: keeps the session cookie between requests and sends the CSRF token with forms.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    cookie: std::cell::RefCell<Option<String>>,
}

impl TestApp {
    /// Creates an account straight in the database (as `verdict user create` does).
    pub fn create_user(&self, email: &str, role: &str) {
        let role = verdict::web::session::Role::parse(role).expect("a role");
        verdict::accounts::cli::create(&self.connection(), email, role, PASSWORD)
            .expect("the account is created");
    }

    /// A new API token made by an admin straight in the database: its id and its secret.
    pub fn api_token(&self, name: &str, scope: verdict::accounts::tokens::Scope) -> (i32, String) {
        use verdict::accounts::{tokens, users};
        let email = "tokens@example.com";
        let db = self.connection();
        let mut conn = db.get().expect("a connection");
        if users::by_email(&mut conn, email)
            .expect("a query")
            .is_none()
        {
            self.create_user(email, "admin");
        }
        let admin = users::by_email(&mut conn, email)
            .expect("a query")
            .expect("the admin");
        let actor = verdict::audit::Actor {
            user_id: Some(admin.id),
            name: admin.email,
            via: verdict::audit::Via::Form,
        };
        let secret = tokens::generate().expect("random bytes");
        let new = tokens::NewToken {
            name,
            scope,
            expires_at: None,
        };
        let id = tokens::create(&mut conn, &actor, &new, &secret).expect("the token is stored");
        (id, secret)
    }

    /// A browser with no session yet.
    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookie: std::cell::RefCell::new(None),
        }
    }

    /// A browser that sends `cookie` (as [`Browser::cookie`] gave it), e.g. one copied from
    /// another browser.
    pub fn browser_with_cookie(&self, cookie: &str) -> Browser<'_> {
        Browser {
            app: self,
            cookie: std::cell::RefCell::new(Some(cookie.to_owned())),
        }
    }

    /// The status a new browser's sign-in gets: 303 when it is let in.
    pub async fn sign_in_status(&self, email: &str, password: &str) -> u16 {
        self.browser()
            .sign_in(email, password)
            .await
            .status
            .as_u16()
    }

    /// A browser signed in as a new account with `role` (`admin` or `editor`).
    pub async fn signed_in(&self, role: &str) -> Browser<'_> {
        let email = format!("{role}@example.com");
        self.create_user(&email, role);
        let browser = self.browser();
        let reply = browser.sign_in(&email, PASSWORD).await;
        assert_eq!(reply.status.as_u16(), 303, "sign-in: {}", reply.body);
        browser
    }
}

impl Browser<'_> {
    pub async fn get(&self, path: &str) -> Reply {
        self.request(awc::http::Method::GET, path, None).await
    }

    /// GET a page and check its status.
    #[track_caller]
    pub fn page(&self, path: &str, status: u16) -> impl std::future::Future<Output = Reply> + '_ {
        let path = path.to_owned();
        async move {
            let reply = self.get(&path).await;
            assert_eq!(reply.status.as_u16(), status, "GET {path}: {}", reply.body);
            reply
        }
    }

    /// The CSRF token of this session, as the pages carry it (signing in makes one).
    pub async fn csrf_token(&self) -> String {
        let reply = self.get("/login").await;
        let body = if reply.status.as_u16() == 200 {
            reply.body
        } else {
            self.get("/").await.body
        };
        csrf_in(&body).unwrap_or_else(|| panic!("no CSRF token in:\n{body}"))
    }

    /// Submits a form with the session's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.csrf_token().await;
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// Submits exactly these fields (no CSRF token is added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.request(awc::http::Method::POST, path, Some(body))
            .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Reply {
        self.post_form("/login", &[("email", email), ("password", password)])
            .await
    }

    pub async fn request(
        &self,
        method: awc::http::Method,
        path: &str,
        form: Option<String>,
    ) -> Reply {
        let body = form.map(|form| ("application/x-www-form-urlencoded".to_owned(), form));
        self.request_with(method, path, body).await
    }

    /// Uploads a `multipart/form-data` form with the session's CSRF token added.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str)>,
    ) -> Reply {
        let token = self.csrf_token().await;
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        let body = multipart(&all, file);
        self.request_with(awc::http::Method::POST, path, Some(body))
            .await
    }

    /// Sends a body of the given content type.
    pub async fn request_with(
        &self,
        method: awc::http::Method,
        path: &str,
        body: Option<(String, String)>,
    ) -> Reply {
        let mut request = self
            .app
            .client
            .request(method.clone(), format!("{}{path}", self.app.address));
        if let Some(cookie) = self.cookie.borrow().as_ref() {
            request = request.insert_header(("cookie", cookie.clone()));
        }
        let sent = match body {
            Some((content_type, body)) => {
                request
                    .insert_header(("content-type", content_type))
                    .send_body(body)
                    .await
            }
            None => request.send().await,
        };
        let mut response = sent.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        for set_cookie in response.headers().get_all("set-cookie") {
            let value = set_cookie.to_str().expect("ASCII cookie");
            let pair = value.split(';').next().unwrap_or_default().to_owned();
            let cleared = value.contains("Max-Age=0") || pair.ends_with('=');
            *self.cookie.borrow_mut() = (!cleared).then_some(pair);
        }
        let body = response.body().limit(4 << 20).await.expect("a body");
        Reply::read(response.status(), response.headers(), &body)
    }

    pub fn has_session(&self) -> bool {
        self.cookie.borrow().is_some()
    }

    /// The session cookie this browser sends (`name=value`), to copy it.
    pub fn cookie(&self) -> Option<String> {
        self.cookie.borrow().clone()
    }
}

/// The value of the first `csrf_token` field in a page.
pub fn csrf_in(body: &str) -> Option<String> {
    let at = body.find(r#"name="csrf_token" value=""#)? + r#"name="csrf_token" value=""#.len();
    let end = body[at..].find('"')?;
    Some(body[at..at + end].to_owned()).filter(|t| !t.is_empty())
}

/// The value of the hidden field `name` in a page.
pub fn hidden(body: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let at = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in:\n{body}"))
        + marker.len();
    body[at..].split('"').next().unwrap_or_default().to_owned()
}

/// A `multipart/form-data` body of text fields and, optionally, a file in the field `file`
/// (its name, its content): the content type and the body.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str)>) -> (String, String) {
    const BOUNDARY: &str = "verdict-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    if let Some((filename, content)) = file {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n{content}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// An API client with a read-write token.
pub struct Client<'a> {
    app: &'a TestApp,
    authorization: String,
}

impl<'a> Client<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        let (_, secret) = app.api_token("ci", verdict::accounts::tokens::Scope::ReadWrite);
        Self::with_secret(app, &secret)
    }

    pub fn with_secret(app: &'a TestApp, secret: &str) -> Self {
        Self {
            app,
            authorization: format!("Bearer {secret}"),
        }
    }

    /// Sends `body` as JSON.
    pub async fn send(&self, method: Method, path: &str, body: Value) -> Reply {
        self.send_with(method, path, &[], body).await
    }

    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Value,
    ) -> Reply {
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        self.raw(method, path, &all, Some(&body.to_string())).await
    }

    /// Sends exactly these headers (and the token) and body.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let mut all = vec![("authorization", self.authorization.as_str())];
        all.extend_from_slice(headers);
        self.app.send_body(method, path, &all, body).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.raw(Method::DELETE, path, &[], None).await
    }
}

/// Asserts the status, and the content type that goes with it.
#[track_caller]
pub fn expect(reply: &Reply, status: u16) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.body);
    let content_type = match status {
        204 => "",
        _ if status < 400 => "application/json",
        _ => "application/problem+json",
    };
    assert_eq!(reply.header("content-type"), content_type);
}
