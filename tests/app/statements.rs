//! Every statement a page issues is prepared once per connection and then reused: its text
//! never changes with the request (no `IN` list as long as the request makes it, no SQL
//! built per request), so the database compiles and plans it once.
//!
//! Diesel reports each statement it starts and each one it keeps prepared; a statement
//! started but never kept is compiled again on every request.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, Once};

use diesel::connection::{Instrumentation, InstrumentationEvent, set_default_instrumentation};
use verdict::config::ServeArgs;

use crate::helpers::{self, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(every_statement_of_a_page_is_prepared_once);

/// What the connections to each database did: the statements started, those kept prepared.
#[derive(Default)]
struct Statements {
    started: HashSet<String>,
    kept: HashSet<String>,
}

static BY_DATABASE: Mutex<Option<HashMap<String, Statements>>> = Mutex::new(None);

/// One connection's reporter: it learns its database when the connection is made.
#[derive(Default)]
struct Reporter {
    url: Option<String>,
}

impl Instrumentation for Reporter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        let (url, sql, kept) = match event {
            InstrumentationEvent::StartEstablishConnection { url, .. } => {
                self.url = Some(url.to_owned());
                return;
            }
            InstrumentationEvent::StartQuery { query, .. } => {
                let text = query.to_string();
                let sql = text.split(" -- binds: ").next().unwrap_or(&text).to_owned();
                (self.url.clone(), sql, false)
            }
            InstrumentationEvent::CacheQuery { sql, .. } => {
                (self.url.clone(), sql.to_owned(), true)
            }
            _ => return,
        };
        let Some(url) = url else { return };
        let mut all = BY_DATABASE.lock().expect("not poisoned");
        let statements = all.get_or_insert_default().entry(url).or_default();
        if kept {
            statements.kept.insert(sql);
        } else {
            statements.started.insert(sql);
        }
    }
}

/// The statements started on the database at `url` since the last call, and those kept.
fn take_statements(url: &str) -> (HashSet<String>, HashSet<String>) {
    let mut all = BY_DATABASE.lock().expect("not poisoned");
    let mut started = HashSet::new();
    let mut kept = HashSet::new();
    for (_, statements) in all
        .get_or_insert_default()
        .iter_mut()
        .filter(|(key, _)| key.starts_with(url))
    {
        started.extend(std::mem::take(&mut statements.started));
        kept.extend(statements.kept.iter().cloned());
    }
    (started, kept)
}

const PAGES: [&str; 21] = [
    "/technologies",
    "/technologies?kind=framework&language=rust",
    "/technologies?per_page=5&after=go",
    "/technologies?page=last",
    "/api/v1/technologies?per_page=5&before=rust",
    "/technologies/rust",
    "/dimensions/performance",
    "/dimensions/performance?page=last&per_page=5",
    "/api/v1/dimensions/performance?per_page=5&after=go",
    "/api/v1/technologies",
    "/api/v1/technologies/rust",
    "/compare/go-vs-rust",
    "/compare/axum-vs-go-vs-rust",
    "/api/v1/compare?t=go&t=rust",
    "/advisor?t=go&t=rust&time-to-market=must&maximum-performance=important",
    "/benchmarks/fortunes",
    "/api/v1/benchmarks/runs",
    "/sources",
    "/decisions",
    "/api/v1/decisions",
    "/benchmarks",
];

async fn every_statement_of_a_page_is_prepared_once(app: TestApp) {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        set_default_instrumentation(|| Some(Box::new(Reporter::default())))
            .expect("the default instrumentation is set");
    });
    // The app under test was made before: this one's connections report from their start.
    let backend = if app
        .common
        .database_url
        .as_deref()
        .is_some_and(|u| u.starts_with("postgres"))
    {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    drop(app);
    let serve = ServeArgs {
        cache_mb: 0,
        ..helpers::serve_args()
    };
    let app = TestApp::spawn_with(backend, serve)
        .await
        .expect("the backend is there: it was a moment ago");
    let url = app.common.database_url.clone().expect("a database URL");
    for page in PAGES {
        assert_eq!(app.get(page).await.status.as_u16(), 200, "{page}");
    }
    take_statements(&url);
    let mut recompiled = Vec::new();
    for page in PAGES {
        // Twice: a page may be served by a connection the first request did not use.
        for _ in 0..2 {
            assert_eq!(app.get(page).await.status.as_u16(), 200, "{page}");
        }
        let (started, kept) = take_statements(&url);
        assert!(
            !started.is_empty(),
            "{page} issued no statement: nothing reported"
        );
        recompiled.extend(
            started
                .into_iter()
                .filter(|sql| !kept.contains(sql))
                .map(|sql| format!("{page}: {sql}")),
        );
    }
    assert!(
        recompiled.is_empty(),
        "statements compiled anew on each request:\n{}",
        recompiled.join("\n")
    );
}
