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
use verdict::db::DatabaseUrl;

use crate::helpers::{self, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    every_statement_of_a_page_is_prepared_once,
    long_lists_are_read_in_the_order_of_an_index,
);

/// What the connections to each database did: the statements started, those kept prepared.
#[derive(Default)]
struct Statements {
    started: HashSet<String>,
    kept: HashSet<String>,
}

static BY_DATABASE: Mutex<Option<HashMap<String, Statements>>> = Mutex::new(None);

/// The databases whose statements are recorded.
static WATCHED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// One connection's reporter: it learns its database when the connection is made.
#[derive(Default)]
struct Reporter {
    url: Option<String>,
}

impl Instrumentation for Reporter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        let (url, sql, kept) = match event {
            InstrumentationEvent::StartEstablishConnection { url, .. } => {
                // Only the databases of these tests: every other test's statements go by
                // unrecorded, at no cost.
                let watched = WATCHED.lock().expect("not poisoned");
                self.url = watched
                    .iter()
                    .any(|watched| url.starts_with(watched.as_str()))
                    .then(|| url.to_owned());
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

/// A fresh app on the backend of `app`, the response cache off, whose connections report
/// their statements from the start (`app`'s were made before they could).
async fn reporting(app: TestApp) -> (TestApp, String) {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        set_default_instrumentation(|| Some(Box::new(Reporter::default())))
            .expect("the default instrumentation is set");
    });
    let on_postgres = app
        .common
        .database_url
        .as_deref()
        .is_some_and(|url| url.starts_with("postgres"));
    let backend = if on_postgres {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    drop(app);
    let serve = ServeArgs {
        cache_mb: 0,
        ..helpers::serve_args()
    };
    let (url, database) =
        helpers::fresh_database(backend).expect("the backend is there: it was a moment ago");
    WATCHED.lock().expect("not poisoned").push(url.clone());
    (TestApp::spawn_on(url.clone(), database, serve), url)
}

async fn every_statement_of_a_page_is_prepared_once(app: TestApp) {
    let (app, url) = reporting(app).await;
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

/// The pages of the lists that grow with the catalog, first and last.
const LONG_LISTS: [&str; 8] = [
    "/technologies",
    "/technologies?page=last",
    "/technologies?kind=framework&page=last",
    "/technologies?language=rust&page=last",
    "/technologies?after=go",
    "/api/v1/technologies?before=rust",
    "/dimensions/performance",
    "/dimensions/performance?page=last",
];

/// With a few thousand technologies, each page of a long list is read from an index in the
/// list's order, never gathered whole and sorted: what the planners say, asked for the very
/// statements the pages issued (SQLite's `EXPLAIN QUERY PLAN`; PostgreSQL's generic plan,
/// the one its connections use, through `EXPLAIN EXECUTE`).
async fn long_lists_are_read_in_the_order_of_an_index(app: TestApp) {
    let (app, url) = reporting(app).await;
    verdict::startup::seed_synthetic(&app.common, 3_000, false).expect("seeded");
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    for page in LONG_LISTS {
        assert_eq!(app.get(page).await.status.as_u16(), 200, "{page}");
        let (started, _) = take_statements(&url);
        // The list's own statement: ordered by name (technologies) or by rank (facts).
        let listed: Vec<&String> = started
            .iter()
            .filter(|sql| sql.starts_with("SELECT") && sql.contains(" LIMIT "))
            .filter(|sql| sql.contains("ORDER BY lower(") || sql.contains("ORDER BY coalesce(-"))
            .collect();
        assert!(!listed.is_empty(), "{page} read no page of a list");
        for sql in listed {
            let plan = plan(&mut conn, sql);
            assert!(
                !plan
                    .iter()
                    .any(|line| line.contains("TEMP B-TREE FOR ORDER BY")
                        || line
                            .trim_start()
                            .trim_start_matches("->  ")
                            .starts_with("Sort")
                        || line.contains("Incremental Sort")),
                "{page} sorts its rows:\n{sql}\n{}",
                plan.join("\n")
            );
        }
    }
    // A language's evidence is read from the results' own indexes (each result carries its
    // technology's language), never by visiting each of the language's members.
    for page in ["/technologies/rust", "/compare/go-vs-rust"] {
        assert_eq!(app.get(page).await.status.as_u16(), 200, "{page}");
        let (started, _) = take_statements(&url);
        let evidence: Vec<&String> = started
            .iter()
            .filter(|sql| sql.starts_with("SELECT") && sql.contains("benchmark_results"))
            .filter(|sql| sql.contains("language_id\" IN (") || sql.contains("language_id` IN ("))
            .collect();
        assert!(!evidence.is_empty(), "{page} read no evidence");
        for sql in evidence {
            let plan = plan(&mut conn, sql);
            assert!(
                !plan
                    .iter()
                    .any(|line| line.contains("technologies_by_language")),
                "{page} visits a language's members:\n{sql}\n{}",
                plan.join("\n")
            );
            if matches!(app.common.database_url(), Ok(DatabaseUrl::Sqlite(_))) {
                assert!(
                    plan.iter()
                        .any(|line| line.contains("USING INDEX benchmark_results_by_language")),
                    "{page}:\n{sql}\n{}",
                    plan.join("\n")
                );
            }
        }
    }
}

#[derive(diesel::QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[derive(diesel::QueryableByName)]
struct PostgresPlanLine {
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The plan of `sql`, one line per step, its parameters unknown.
fn plan(conn: &mut verdict::db::DbConnection, sql: &str) -> Vec<String> {
    use diesel::RunQueryDsl;
    use diesel::connection::SimpleConnection;
    use verdict::db::DbConnection;
    match conn {
        DbConnection::Sqlite(sqlite) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<PlanLine>(sqlite)
            .expect("a plan")
            .into_iter()
            .map(|line| line.detail)
            .collect(),
        DbConnection::Postgres(pg) => {
            let parameters = (1..).take_while(|n| sql.contains(&format!("${n}"))).count();
            pg.batch_execute(&format!("PREPARE planned AS {sql}"))
                .expect("prepared");
            let nulls = vec!["NULL"; parameters].join(", ");
            let plan = diesel::sql_query(format!("EXPLAIN EXECUTE planned({nulls})"))
                .load::<PostgresPlanLine>(pg)
                .expect("a plan");
            pg.batch_execute("DEALLOCATE planned").expect("deallocated");
            plan.into_iter().map(|line| line.line).collect()
        }
    }
}

#[derive(diesel::QueryableByName)]
struct CompileOption {
    #[diesel(sql_type = diesel::sql_types::Text)]
    compile_options: String,
}

/// Once `ANALYZE` has run, the bundled SQLite (built with STAT4) would compile a statement
/// anew on each execution whose bound values are compared with an indexed column: the query
/// planner stability guarantee, set for its build in `.cargo/config.toml`, keeps each
/// statement's plan whatever its values.
#[test]
fn sqlite_keeps_a_statements_plan_whatever_its_values() {
    use diesel::{Connection, RunQueryDsl, SqliteConnection};
    let mut conn = SqliteConnection::establish(":memory:").expect("a connection");
    let options: Vec<String> =
        diesel::sql_query("SELECT compile_options FROM pragma_compile_options")
            .load::<CompileOption>(&mut conn)
            .expect("the options")
            .into_iter()
            .map(|option| option.compile_options)
            .collect();
    assert!(
        options.iter().any(|option| option == "ENABLE_QPSG"),
        "{options:?}"
    );
}
