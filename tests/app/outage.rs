//! PostgreSQL going away and coming back, with Verdict connected to it through a proxy the
//! test can cut: readiness says so within a second or two, pages answer 503 with
//! `Retry-After` quickly, and everything is back within seconds of the database returning,
//! without a restart. (SQLite lives in the process: there is no server to lose.)

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::helpers::{self, Backend, TestApp};

/// A TCP proxy to PostgreSQL. Cut, it closes every connection it carries and every new one
/// at once, as a server that has gone away does.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    carried: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn to(upstream: String) -> io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let up = Arc::new(AtomicBool::new(true));
        let carried = Arc::new(Mutex::new(Vec::new()));
        let (accepting, tracked) = (Arc::clone(&up), Arc::clone(&carried));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if !accepting.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                if let (Ok(c), Ok(s)) = (client.try_clone(), server.try_clone()) {
                    let mut carried = tracked.lock().expect("the list of connections");
                    carried.push(c);
                    carried.push(s);
                }
                pipe(&client, &server);
                pipe(&server, &client);
            }
        });
        Ok(Proxy { port, up, carried })
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for stream in self.carried.lock().expect("the list").drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// Copies what `from` sends to `to`, on a thread of its own, until either closes.
fn pipe(from: &TcpStream, to: &TcpStream) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    std::thread::spawn(move || {
        let mut buffer = [0u8; 16 * 1024];
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 || to.write_all(&buffer[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Both);
    });
}

/// The time `path` takes to answer, and the answer.
async fn timed(app: &TestApp, path: &str) -> (Duration, helpers::Reply) {
    let started = Instant::now();
    let reply = app.get(path).await;
    (started.elapsed(), reply)
}

/// Readiness and pages fail fast (the old behaviour held them for 9-13 s behind the pool)
/// and come back by themselves. The bound is generous: it tells an answer from a stall.
const PROMPT: Duration = Duration::from_secs(4);

#[actix_web::test]
async fn postgres_going_away_and_coming_back() {
    let Some(admin_url) = helpers::postgres_admin_url() else {
        return;
    };
    let name = format!("verdict_test_outage_{}", std::process::id());
    let direct = helpers::create_postgres_database(&admin_url, &name);
    let (authority, rest) = direct
        .strip_prefix("postgres://")
        .and_then(|url| url.split_once('/'))
        .expect("a postgres:// URL with a database");
    let (credentials, host) = authority.rsplit_once('@').unwrap_or(("", authority));
    let proxy = Proxy::to(host.to_owned()).expect("the proxy listens");
    let credentials = if credentials.is_empty() {
        String::new()
    } else {
        format!("{credentials}@")
    };
    let through_proxy = format!("postgres://{credentials}127.0.0.1:{}/{rest}", proxy.port);
    let database = helpers::TestDatabase::Postgres {
        admin_url: admin_url.clone(),
        name: name.clone(),
    };
    let app = TestApp::spawn_on(through_proxy, database, helpers::serve_args());

    assert_eq!(app.get("/readyz").await.body, "ready");
    app.page("/technologies", 200).await;
    app.json("/api/v1/technologies", 200).await;

    proxy.cut();
    let (took, ready) = timed(&app, "/readyz").await;
    assert_eq!(ready.status.as_u16(), 503, "{}", ready.body);
    assert!(
        ready.body.starts_with("database unreachable: "),
        "the real reason: {}",
        ready.body
    );
    assert_eq!(ready.header("retry-after"), "2");
    assert!(took < PROMPT, "/readyz took {took:?}");

    for path in [
        "/technologies",
        "/technologies/rust",
        "/api/v1/technologies",
    ] {
        // The first use of each pooled connection finds it closed; then no connection can
        // be made. Both are a prompt 503.
        for _ in 0..3 {
            let (took, reply) = timed(&app, path).await;
            assert_eq!(reply.status.as_u16(), 503, "GET {path}: {}", reply.body);
            assert_eq!(reply.header("retry-after"), "2", "GET {path}");
            assert!(took < PROMPT, "GET {path} took {took:?}");
        }
    }
    let api = app.get("/api/v1/technologies").await;
    assert_eq!(api.header("content-type"), "application/problem+json");
    assert!(
        api.json()["detail"]
            .as_str()
            .is_some_and(|d| d.contains("unreachable or too busy"))
    );
    let page = app.get("/technologies").await;
    assert!(
        page.body.contains("unreachable or too busy"),
        "{}",
        page.body
    );
    assert_eq!(
        app.get("/healthz").await.status.as_u16(),
        200,
        "the process is up"
    );

    proxy.restore();
    let back = Instant::now();
    let mut ready = app.get("/readyz").await;
    while ready.status.as_u16() != 200 && back.elapsed() < Duration::from_secs(15) {
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        ready = app.get("/readyz").await;
    }
    assert_eq!(ready.body, "ready", "ready again without a restart");
    app.page("/technologies/rust", 200).await;
    app.json("/api/v1/technologies", 200).await;
}

#[actix_web::test]
async fn readiness_names_pending_migrations_not_an_outage() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    diesel::RunQueryDsl::execute(
        diesel::sql_query("DELETE FROM __diesel_schema_migrations WHERE version = (SELECT MAX(version) FROM __diesel_schema_migrations)"),
        &mut conn,
    )
    .expect("a migration forgotten");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status.as_u16(), 503);
    assert_eq!(ready.body, "database migrations pending");
}
