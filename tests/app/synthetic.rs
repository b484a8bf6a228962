//! `verdict seed --synthetic N`: a large catalog around the demo dataset, whose own pages
//! still answer; the same N makes the same catalog; a database that holds more than the
//! demo dataset is refused unless forced.

use awc::http::Method;
use diesel::prelude::*;
use serde_json::{Value, json};
use verdict::config::CommonArgs;
use verdict::db::DatabaseUrl;
use verdict::db::schema::technologies;
use verdict::seed::{Added, Loaded};
use verdict::startup;

use crate::helpers::{self, Backend, Client, TestApp, expect};
use crate::on_both_backends;

on_both_backends!(
    the_same_number_makes_the_same_catalog,
    a_database_with_more_than_the_demo_is_refused_unless_forced,
);

/// As `on_both_backends!`, with the response cache off: compressing every page for the
/// cache would be most of this test's time in a debug build, and the pages' answers are
/// what it checks.
mod synthetic_technologies_join_the_demos_pages {
    use crate::helpers::{Backend, TestApp, serve_args};
    use verdict::config::ServeArgs;

    fn uncached() -> ServeArgs {
        ServeArgs {
            cache_mb: 0,
            ..serve_args()
        }
    }

    #[actix_web::test]
    async fn sqlite() {
        if let Some(app) = TestApp::spawn_with(Backend::Sqlite, uncached()).await {
            super::synthetic_technologies_join_the_demos_pages(app).await;
        }
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = TestApp::spawn_with(Backend::Postgres, uncached()).await {
            super::synthetic_technologies_join_the_demos_pages(app).await;
        }
    }
}

const N: u64 = 2_000;

/// The demo dataset's languages, and its frameworks and libraries of Go.
const DEMO_LANGUAGES: usize = 7;
const DEMO_GO_MEMBERS: usize = 6;

fn slugs(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["slug"].as_str())
        .collect()
}

async fn synthetic_technologies_join_the_demos_pages(app: TestApp) {
    let (loaded, added) = startup::seed_synthetic(&app.common, N, false).expect("seeded");
    assert_eq!(loaded, Loaded::default(), "the app loaded the demo dataset");
    assert_eq!(added.technologies(), N as usize);
    assert_eq!(added.languages, 20);
    assert_eq!(added.facts, 3 * N as usize);
    assert_eq!((added.sources, added.runs), (20, 2));

    let languages = app
        .json("/api/v1/technologies?kind=language&per_page=100", 200)
        .await;
    assert_eq!(languages["total"], DEMO_LANGUAGES + 20);
    let page = app.page("/technologies?kind=language", 200).await;
    page.assert_contains(&[&format!("{} technologies", DEMO_LANGUAGES + 20)]);

    let go = app
        .json("/api/v1/technologies?language=go&per_page=100", 200)
        .await;
    let members = go["total"].as_u64().expect("a total") as usize;
    assert!(
        members > DEMO_GO_MEMBERS + 50,
        "about 5 % of the synthetic frameworks and libraries are Go's: {members}"
    );
    let synthetic = slugs(&go)
        .into_iter()
        .find(|slug| !["net-http", "gin", "echo", "fiber", "fasthttp", "go-kit"].contains(slug))
        .expect("a synthetic member of Go");
    let page = app.page("/technologies?language=go", 200).await;
    page.assert_contains(&[&format!("{members} technologies")]);
    let listed = app
        .page("/technologies?language=go&per_page=100", 200)
        .await;
    listed.assert_contains(&[&format!(r#"href="/technologies/{synthetic}""#)]);
    let member = app
        .json(&format!("/api/v1/technologies/{synthetic}"), 200)
        .await;
    assert_eq!(member["language"]["slug"], "go");
    assert_eq!(member["assessments"].as_array().map(Vec::len), Some(3));

    app.page("/technologies/rust", 200).await;
    app.page("/technologies/go", 200).await;
    app.page("/compare/go-vs-rust", 200).await;
    app.page("/dimensions/performance", 200).await;
    app.page("/benchmarks", 200).await;
    app.page("/benchmarks/fortunes", 200).await;
    let runs = app.json("/api/v1/benchmarks/runs?per_page=100", 200).await;
    assert_eq!(
        runs["total"],
        6 + 2,
        "the demo's runs and two synthetic ones"
    );
    too_many_to_list_are_typed_in(&app).await;
}

/// With more technologies than a form lists, the comparison and the advisor ask for slugs:
/// their pages stay small, and what is typed works as a choice would.
async fn too_many_to_list_are_typed_in(app: &TestApp) {
    let form = app.page("/compare", 200).await;
    form.assert_contains(&[
        r#"<input id="first_technology" name="t" type="text" value="""#,
        r#"<input id="fourth_technology" name="t" type="text" value="""#,
        r#"id="slug-hint""#,
    ]);
    assert!(!form.body.contains("<option"), "no list of technologies");
    assert!(form.body.len() < 20_000, "{} bytes", form.body.len());
    // Typed as a reader would: capitals, spaces, the optional choices left empty.
    let typed = app.get("/compare?t=+Go&t=Rust&t=&t=").await;
    assert_eq!(typed.status.as_u16(), 303);
    assert_eq!(typed.header("location"), "/compare/go-vs-rust");
    let unknown = app.page("/compare?t=go&t=no-such-thing&t=&t=", 400).await;
    unknown.assert_contains(&[
        r#"<input id="second_technology" name="t" type="text" value="no-such-thing""#,
        r#"id="second_technology-error""#,
    ]);

    let advisor = app.page("/advisor", 200).await;
    advisor.assert_contains(&[
        r#"<input id="more-of" name="of" type="text""#,
        r#"<input id="more" name="t" type="text""#,
        "too many languages to list",
    ]);
    assert!(
        !advisor.body.contains(r#"type="checkbox" name="of""#),
        "no list of languages"
    );
    // Chosen by slug (as the technology pages' links choose them too), each stays ticked.
    let chosen = app.page("/advisor?of=go&t=rust", 200).await;
    chosen.assert_contains(&[
        r#"<input type="checkbox" name="of" value="go" checked>"#,
        r#"<input type="checkbox" name="t" value="rust" checked>"#,
    ]);
}

/// The slug, name, kind, language and summary of every technology, by slug.
fn catalog(common: &CommonArgs) -> Vec<(String, String, String, Option<String>, String)> {
    let url = common.database_url().expect("a valid URL");
    let db = verdict::db::Db::connect(&url, 1).expect("a connection");
    let mut conn = db.get().expect("a connection");
    let (technology, language) =
        diesel::alias!(technologies as technology, technologies as language);
    technology
        .left_join(
            language.on(technology
                .field(technologies::language_id)
                .eq(language.field(technologies::id).nullable())),
        )
        .select((
            technology.field(technologies::slug),
            technology.field(technologies::name),
            technology.field(technologies::kind),
            language.field(technologies::slug).nullable(),
            technology.field(technologies::summary),
        ))
        .order(technology.field(technologies::slug))
        .load(&mut *conn)
        .expect("the technologies")
}

async fn the_same_number_makes_the_same_catalog(app: TestApp) {
    const N: u64 = 1_000;
    startup::seed_synthetic(&app.common, N, false).expect("seeded");
    // Another database of the same backend, empty: the demo dataset is loaded first.
    let backend = match app.common.database_url().expect("a valid URL") {
        DatabaseUrl::Postgres(_) => Backend::Postgres,
        DatabaseUrl::Sqlite(_) => Backend::Sqlite,
    };
    let (url, _dropped) = helpers::fresh_database(backend).expect("the backend is there");
    let other = CommonArgs {
        database_url: Some(url),
        ..app.common.clone()
    };
    let (loaded, added) = startup::seed_synthetic(&other, N, false).expect("seeded");
    assert!(
        loaded.technologies >= 18,
        "the demo dataset first: {loaded}"
    );
    assert_eq!(added.technologies(), N as usize);
    let first = catalog(&app.common);
    assert_eq!(first.len(), 18 + N as usize);
    assert_eq!(first, catalog(&other));
}

async fn a_database_with_more_than_the_demo_is_refused_unless_forced(app: TestApp) {
    // An editor's technology is more than the demo dataset.
    let api = Client::new(&app);
    let created = api
        .send(
            Method::POST,
            "/api/v1/technologies",
            json!({"slug": "poem", "name": "Poem", "kind": "framework", "language": "rust",
                   "summary": "A Rust web framework."}),
        )
        .await;
    expect(&created, 201);
    let refused = startup::seed_synthetic(&app.common, 500, false)
        .expect_err("more than the demo")
        .to_string();
    assert!(
        refused.starts_with(
            "the database holds more than the demo dataset: 1 technology (such as `poem`)."
        ),
        "{refused}"
    );
    assert!(refused.contains("add --force"), "{refused}");
    let total = |list: Value| list["total"].as_u64().expect("a total");
    assert_eq!(total(app.json("/api/v1/technologies", 200).await), 19);

    let (_, added) = startup::seed_synthetic(&app.common, 500, true).expect("forced");
    assert_eq!(added.technologies(), 500);
    // Synthetic data is more than the demo dataset too.
    let refused = startup::seed_synthetic(&app.common, 500, false)
        .expect_err("more than the demo")
        .to_string();
    assert!(refused.contains("501 technologies"), "{refused}");
    assert!(refused.contains("1500 facts"), "{refused}");

    // Forced again: what exists is left as it is; a larger number adds what it has beyond.
    let (_, again) = startup::seed_synthetic(&app.common, 500, true).expect("forced");
    assert_eq!(again, Added::default());
    let (_, more) = startup::seed_synthetic(&app.common, 1_000, true).expect("forced");
    assert_eq!(more.technologies(), 500);
    assert_eq!(
        (more.sources, more.runs),
        (5, 0),
        "sources 5 to 9; run 0 is there"
    );
    assert_eq!(
        total(app.json("/api/v1/technologies", 200).await),
        19 + 1_000
    );
}
