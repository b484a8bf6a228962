//! Start-up, migrations, the demo dataset and the command line.

use std::path::PathBuf;
use std::process::Command;

use verdict::config::ServeArgs;
use verdict::startup::{self, Application};
use verdict::web::session::Role;

use crate::helpers::{self, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    seeding_again_adds_nothing,
    a_restart_keeps_the_data_as_it_is
);

async fn seeding_again_adds_nothing(app: TestApp) {
    let before = app.json("/api/v1/technologies", 200).await;
    let loaded = startup::seed(&app.common).expect("seeding works");
    assert_eq!(
        loaded,
        verdict::seed::Loaded::default(),
        "nothing new to add"
    );
    let after = app.json("/api/v1/technologies", 200).await;
    assert_eq!(before["total"], after["total"]);
    let go = app.json("/api/v1/technologies/go", 200).await;
    assert_eq!(go["assessments"].as_array().map(Vec::len), Some(17));
}

async fn a_restart_keeps_the_data_as_it_is(app: TestApp) {
    let second = Application::build(&app.common, &helpers::serve_args()).expect("a second start");
    actix_web::rt::spawn(second.run());
    let sources = app.json("/api/v1/sources", 200).await;
    assert_eq!(sources["total"], 6);
    let dimensions = app.json("/api/v1/dimensions", 200).await;
    assert_eq!(dimensions["total"], 19);
}

/// A server on a new SQLite database, started with the demo dataset off.
async fn without_the_demo() -> TestApp {
    let serve = ServeArgs {
        demo: false,
        ..helpers::serve_args()
    };
    TestApp::spawn_with(Backend::Sqlite, serve)
        .await
        .expect("SQLite is always there")
}

#[actix_web::test]
async fn without_the_demo_the_catalog_starts_empty() {
    let app = without_the_demo().await;
    let list = app.json("/api/v1/technologies", 200).await;
    assert_eq!(list["total"], 0);
    let home = app.page("/", 200).await;
    home.assert_contains(&["Go or Rust for a backend service?"]);
    app.page("/technologies", 200)
        .await
        .assert_contains(&["0 technologies"]);
}

#[test]
fn instances_starting_together_migrate_once() {
    let Some(admin_url) = helpers::postgres_admin_url() else {
        return;
    };
    let name = format!("verdict_test_race_{}", std::process::id());
    let url = helpers::create_postgres_database(&admin_url, &name);
    let url = verdict::db::DatabaseUrl::parse(&url).expect("a URL");

    let runs: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || verdict::db::migrate(&url).map(|m| m.applied))
        })
        .collect();
    let applied: Vec<usize> = runs
        .into_iter()
        .map(|run| {
            run.join()
                .expect("no panic")
                .expect("every instance migrates")
        })
        .collect();
    helpers::drop_postgres_database(&admin_url, &name);
    assert_eq!(
        applied.iter().filter(|&&n| n > 0).count(),
        1,
        "exactly one instance created the schema: {applied:?}"
    );
}

/// The order a new admin follows in the README: an account first, then the first serve.
async fn the_demo_loads_on_the_first_serve_whatever_ran_before(backend: Backend) {
    let Some((url, _database)) = helpers::fresh_database(backend) else {
        return;
    };
    let common = verdict::config::CommonArgs {
        database_url: Some(url),
        data_dir: PathBuf::from("unused"),
        log_level: "warn".into(),
    };
    verdict::startup::create_user(&common, "first@example.com", Role::Admin, helpers::PASSWORD)
        .expect("the account is created, migrating the database");
    assert_eq!(
        technologies_served(&common).await,
        18,
        "the demo dataset is there"
    );
}

#[actix_web::test]
async fn the_demo_loads_after_user_create_on_sqlite() {
    the_demo_loads_on_the_first_serve_whatever_ran_before(Backend::Sqlite).await;
}

#[actix_web::test]
async fn the_demo_loads_after_user_create_on_postgres() {
    the_demo_loads_on_the_first_serve_whatever_ran_before(Backend::Postgres).await;
}

/// A catalog its editors emptied stays empty: only a database never written to is new.
#[actix_web::test]
async fn an_emptied_catalog_is_not_refilled() {
    let app = without_the_demo().await;
    let api = helpers::Client::new(&app);
    let created = api
        .send(
            awc::http::Method::POST,
            "/api/v1/sources",
            serde_json::json!({ "title": "A draft", "publisher": "Us" }),
        )
        .await;
    helpers::expect(&created, 201);
    let id = created.json()["id"].as_i64().expect("an id");
    helpers::expect(&api.delete(&format!("/api/v1/sources/{id}")).await, 204);

    assert_eq!(
        technologies_served(&app.common).await,
        0,
        "the demo is not loaded over an editor's work"
    );
}

/// Starts a server (with the demo on) on the database of `common`, and counts the
/// technologies it lists.
async fn technologies_served(common: &verdict::config::CommonArgs) -> u64 {
    let app = Application::build(common, &helpers::serve_args()).expect("the server starts");
    let address = format!("http://{}", app.addr());
    actix_web::rt::spawn(app.run());
    let list: serde_json::Value = awc::Client::default()
        .get(format!("{address}/api/v1/technologies"))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    list["total"].as_u64().expect("a total")
}

fn verdict(args: &[&str], database_url: &str) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_bad_database_url_stops_start_up_with_one_line() {
    let (ok, _, stderr) = verdict(&["migrate"], "mysql://db/verdict");
    assert!(!ok);
    assert_eq!(
        stderr.trim(),
        "verdict: unsupported database URL scheme `mysql:` (use postgres://… or a SQLite file path)"
    );

    let (ok, _, stderr) = verdict(
        &["serve", "--port", "0"],
        "postgres://app:s3cret@127.0.0.1:1/verdict",
    );
    assert!(!ok);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "verdict: cannot connect to PostgreSQL at postgres://app:***@127.0.0.1:1/verdict: "
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"));
}

#[test]
fn seed_and_migrate_from_the_command_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = dir.path().join("cli.db").to_string_lossy().into_owned();
    let (ok, stdout, stderr) = verdict(&["seed"], &url);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout.trim(),
        "demo dataset: 18 technologies, 19 dimensions, 6 sources, 58 facts, 11 requirements and 6 benchmark runs added"
    );
    let (ok, stdout, _) = verdict(&["seed"], &url);
    assert!(ok);
    assert_eq!(
        stdout.trim(),
        "demo dataset: 0 technologies, 0 dimensions, 0 sources, 0 facts, 0 requirements and 0 benchmark runs added"
    );
    let (ok, stdout, _) = verdict(&["migrate"], &url);
    assert!(ok);
    assert!(
        stdout.contains("0 migration(s) applied, schema up to date"),
        "{stdout}"
    );
}

#[test]
fn every_subcommand_documents_its_options() {
    for (args, expected) in [
        (vec!["--help"], vec!["serve", "migrate", "seed"]),
        (
            vec!["serve", "--help"],
            vec![
                "[env: HOST=",
                "[env: PORT=",
                "[env: DATABASE_URL",
                "[env: VERDICT_DATA_DIR=",
                "[env: VERDICT_POOL_SIZE=",
                "[env: RUST_LOG=",
            ],
        ),
        (vec!["migrate", "--help"], vec!["DATABASE_URL"]),
        (vec!["seed", "--help"], vec!["Idempotent"]),
    ] {
        let (ok, stdout, _) = verdict(&args, "postgres://u:hidden@h/db");
        assert!(ok, "{args:?}");
        for text in expected {
            assert!(
                stdout.contains(text),
                "{args:?} should mention {text}:\n{stdout}"
            );
        }
        assert!(
            !stdout.contains("hidden"),
            "help never shows the database password"
        );
    }
}

#[actix_web::test]
async fn without_a_configured_key_one_is_made_once_and_kept_private() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let common = verdict::config::CommonArgs {
        database_url: None,
        data_dir: dir.path().join("data"),
        log_level: "warn".into(),
    };
    let serve = ServeArgs {
        secret_key: None,
        ..helpers::serve_args()
    };
    Application::build(&common, &serve).expect("the first start");
    let path = common.data_dir.join("secret_key");
    let key = std::fs::read_to_string(&path).expect("the key is kept");
    assert_eq!(key.len(), 128);
    assert!(key.bytes().all(|b| b.is_ascii_hexdigit()));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "only its owner may read it");
    Application::build(&common, &serve).expect("a second start");
    assert_eq!(
        std::fs::read_to_string(&path).expect("still there"),
        key,
        "kept, not remade"
    );

    let short = ServeArgs {
        secret_key: Some("too short".into()),
        ..helpers::serve_args()
    };
    let error = Application::build(&common, &short)
        .err()
        .expect("a short key is refused");
    assert!(
        error.to_string().contains("at least 64 characters"),
        "{error}"
    );
}

#[actix_web::test]
async fn over_https_the_session_cookie_is_secure() {
    let serve = ServeArgs {
        https: true,
        ..helpers::serve_args()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, serve)
        .await
        .expect("SQLite is always there");
    let reply = app.get("/login").await;
    let cookie = reply.header("set-cookie");
    assert!(
        cookie.contains("verdict_session=") && cookie.contains("Secure"),
        "{cookie}"
    );
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}
