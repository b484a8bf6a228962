//! The catalog's admin forms: who may use them, validation at each field, stale edits,
//! deletion with its dependents, the fact grid, and the history each change leaves.

use crate::helpers::{Browser, TestApp, hidden};
use crate::on_both_backends;

on_both_backends!(
    catalog_admin_routes_need_a_signed_in_editor,
    catalog_forms_refuse_a_missing_or_wrong_csrf_token,
    creating_a_technology_checks_every_field,
    a_stale_edit_is_refused_and_keeps_the_input,
    deleting_says_what_depends_and_refuses_or_cascades,
    the_fact_grid_saves_all_rows_or_none,
    a_new_row_of_the_fact_grid_starts_empty_and_is_dated_today,
    a_stale_fact_grid_is_refused,
    dimensions_and_sources_are_edited_alike,
);

/// Every GET address of the catalog's admin, for the demo data.
const ADMIN_PAGES: &[&str] = &[
    "/admin/technologies",
    "/admin/technologies/new",
    "/admin/technologies/rust",
    "/admin/technologies/rust/delete",
    "/admin/technologies/rust/facts",
    "/admin/dimensions",
    "/admin/dimensions/new",
    "/admin/dimensions/performance",
    "/admin/dimensions/performance/delete",
    "/admin/sources",
    "/admin/sources/new",
    "/admin/sources/1",
    "/admin/sources/1/delete",
];

/// Every form's address (POST).
const ADMIN_FORMS: &[&str] = &[
    "/admin/technologies/new",
    "/admin/technologies/rust",
    "/admin/technologies/rust/delete",
    "/admin/technologies/rust/facts",
    "/admin/dimensions/new",
    "/admin/dimensions/performance",
    "/admin/dimensions/performance/delete",
    "/admin/sources/new",
    "/admin/sources/1",
    "/admin/sources/1/delete",
];

async fn catalog_admin_routes_need_a_signed_in_editor(app: TestApp) {
    let anonymous = app.browser();
    for path in ADMIN_PAGES {
        let reply = anonymous.get(path).await;
        assert_eq!(reply.status.as_u16(), 303, "GET {path}");
        assert!(
            reply
                .header("location")
                .starts_with("/login?next=%2Fadmin%2F"),
            "GET {path}"
        );
    }
    for path in ADMIN_FORMS {
        let reply = anonymous.post_form(path, &[("version", "1")]).await;
        assert_eq!(reply.status.as_u16(), 303, "POST {path}");
    }
    let editor = app.signed_in("editor").await;
    for path in ADMIN_PAGES {
        let reply = editor.page(path, 200).await;
        assert!(reply.body.contains("<h1>"), "GET {path}");
    }
    assert_eq!(
        editor.get("/admin/technologies/nope").await.status.as_u16(),
        404
    );
}

/// The technology `slug` as the public API shows it now.
async fn technology(app: &TestApp, slug: &str, status: u16) -> serde_json::Value {
    app.json(&format!("/api/v1/technologies/{slug}"), status)
        .await
}

async fn catalog_forms_refuse_a_missing_or_wrong_csrf_token(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let before = technology(&app, "rust", 200).await;
    for path in ADMIN_FORMS {
        let fields = [("version", "1"), ("name", "Changed"), ("slug", "changed")];
        let missing = editor.post_form_raw(path, &fields).await;
        assert_eq!(missing.status.as_u16(), 403, "POST {path} without a token");
        let mut wrong = vec![("csrf_token", "0123456789abcdef")];
        wrong.extend_from_slice(&fields);
        assert_eq!(
            editor.post_form_raw(path, &wrong).await.status.as_u16(),
            403,
            "POST {path}"
        );
    }
    assert_eq!(
        technology(&app, "rust", 200).await,
        before,
        "nothing was written"
    );
    app.json("/api/v1/technologies/changed", 404).await;
    app.json("/api/v1/sources/1", 200).await;
}

async fn creating_a_technology_checks_every_field(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let form = editor.page("/admin/technologies/new", 200).await;
    form.assert_contains(&[
        r#"<label for="slug">Slug</label>"#,
        r#"<select id="language" name="language""#,
    ]);

    let bad = editor
        .post_form(
            "/admin/technologies/new",
            &[
                ("name", "<b>Loco</b>"),
                ("slug", "Loco RS"),
                ("kind", "language"),
                ("language", "rust"),
                ("summary", ""),
            ],
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    bad.assert_contains(&[
        "3 things need fixing",
        r#"id="slug-error">must be lowercase letters"#,
        "only a framework or a library belongs to a language",
        r#"id="summary-error">is required"#,
        r#"value="&#60;b&#62;Loco&#60;/b&#62;""#,
        r#"value="Loco RS""#,
    ]);
    let taken = editor
        .post_form(
            "/admin/technologies/new",
            &[
                ("name", "Gin again"),
                ("slug", "gin"),
                ("kind", "framework"),
                ("summary", "x"),
            ],
        )
        .await;
    assert_eq!(taken.status.as_u16(), 422);
    taken.assert_contains(&["is already taken by another technology"]);
    app.json("/api/v1/technologies/loco-rs", 404).await;

    // The public list is cached; the new technology must show on the very next request.
    app.get("/technologies?kind=framework&language=rust").await;
    let created = editor
        .post_form(
            "/admin/technologies/new",
            &[
                ("name", "Loco"),
                ("slug", "loco"),
                ("kind", "framework"),
                ("language", "rust"),
                ("summary", "A Rails-like framework for Rust."),
            ],
        )
        .await;
    assert_eq!(created.status.as_u16(), 303, "{}", created.body);
    assert_eq!(created.header("location"), "/admin/technologies/loco");
    let page = editor.page("/admin/technologies/loco", 200).await;
    page.assert_contains(&[
        "Created technology “Loco”.",
        "editor@example.com",
        r#"change-create">create</span>"#,
        "Rails-like",
    ]);
    let listed = app.get("/technologies?kind=framework&language=rust").await;
    listed.assert_contains(&["Loco"]);
    let json = technology(&app, "loco", 200).await;
    assert_eq!(json["language"]["slug"], "rust");
}

async fn a_stale_edit_is_refused_and_keeps_the_input(app: TestApp) {
    let first = app.signed_in("editor").await;
    app.create_user("second@example.com", "editor");
    let second = app.browser();
    second
        .sign_in("second@example.com", crate::helpers::PASSWORD)
        .await;

    let form = first.page("/admin/technologies/gin", 200).await;
    let version = hidden(&form.body, "version");
    let edit = |summary: &'static str| {
        vec![
            ("version", version.clone()),
            ("name", "Gin".into()),
            ("slug", "gin".into()),
            ("kind", "framework".into()),
            ("language", "go".into()),
            ("summary", summary.into()),
        ]
    };
    let saved = post(
        &first,
        "/admin/technologies/gin",
        &edit("First editor's summary."),
    )
    .await;
    assert_eq!(saved.status.as_u16(), 303, "{}", saved.body);

    let refused = post(
        &second,
        "/admin/technologies/gin",
        &edit("Second editor's summary."),
    )
    .await;
    assert_eq!(refused.status.as_u16(), 409);
    refused.assert_contains(&[
        "Someone else saved this technology while you were editing",
        "First editor&#39;s summary.",
        "Second editor&#39;s summary.",
        "differs",
    ]);
    assert_eq!(
        technology(&app, "gin", 200).await["summary"],
        "First editor's summary."
    );
    // Saving again, having seen the changes, is allowed: the form now carries the new version.
    let newer = hidden(&refused.body, "version");
    assert_ne!(newer, version);
    let mut again = edit("Second editor's summary.");
    again[0].1 = newer;
    assert_eq!(
        post(&second, "/admin/technologies/gin", &again)
            .await
            .status
            .as_u16(),
        303
    );
    assert_eq!(
        technology(&app, "gin", 200).await["summary"],
        "Second editor's summary."
    );
}

async fn post(
    browser: &Browser<'_>,
    path: &str,
    fields: &[(&str, String)],
) -> crate::helpers::Reply {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post_form(path, &fields).await
}

async fn deleting_says_what_depends_and_refuses_or_cascades(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let go = editor.page("/admin/technologies/go/delete", 200).await;
    go.assert_contains(&["It cannot be deleted now", "belong to Go", "Echo"]);
    assert!(
        !go.body.contains(r#"class="danger""#),
        "no delete button when blocked"
    );
    let version = hidden(
        &editor.page("/admin/technologies/go", 200).await.body,
        "version",
    );
    let refused = editor
        .post_form("/admin/technologies/go/delete", &[("version", &version)])
        .await;
    assert_eq!(refused.status.as_u16(), 409);
    technology(&app, "go", 200).await;

    let gin = editor.page("/admin/technologies/gin/delete", 200).await;
    let facts = technology(&app, "gin", 200).await["assessments"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(facts > 0);
    gin.assert_contains(&[&format!("its {facts} fact"), "Delete Gin"]);
    let version = hidden(&gin.body, "version");
    let deleted = editor
        .post_form("/admin/technologies/gin/delete", &[("version", &version)])
        .await;
    assert_eq!(deleted.status.as_u16(), 303);
    assert_eq!(deleted.header("location"), "/admin/technologies");
    technology(&app, "gin", 404).await;
    app.page("/technologies/gin", 404).await;
    // Each fact that went with it has its own entry, with what it said.
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    let filter = verdict::audit::Filter {
        kind: Some("assessment".into()),
        ..Default::default()
    };
    let entries = verdict::audit::list(&mut conn, &filter, 0, 100).expect("the log");
    let gone: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "delete" && e.item_label.starts_with("Gin · "))
        .collect();
    assert_eq!(gone.len(), facts);
    assert!(gone.iter().all(|e| {
        e.fields
            .iter()
            .any(|f| f.name == "text" && f.after.is_none())
    }));
    let list = editor.page("/admin/technologies", 200).await;
    list.assert_contains(&["Deleted the technology gin."]);

    let source = editor.page("/admin/sources/1/delete", 200).await;
    source.assert_contains(&["cite", "remove the citation"]);
}

async fn the_fact_grid_saves_all_rows_or_none(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let grid = editor.page("/admin/technologies/rust/facts", 200).await;
    grid.assert_contains(&[
        r#"<legend><a href="/dimensions/performance">Performance</a></legend>"#,
        r#"<p class="scale-hint muted" id="scale.performance">1 = "#,
        r#"name="score.performance" aria-describedby="scale.performance""#,
        r#"name="remove.performance""#,
    ]);
    let version = hidden(&grid.body, "version");
    let mut fields = form_fields(&grid.body);
    set(
        &mut fields,
        "text.performance",
        "Rust is fast: on a par with C++.",
    );
    set(&mut fields, "score.learning-curve", "9");
    set(&mut fields, "as_of.compile-time", "2999-01-01");
    let bad = post(&editor, "/admin/technologies/rust/facts", &fields).await;
    assert_eq!(
        bad.status.as_u16(),
        422,
        "{}",
        &bad.body[..bad.body.len().min(3000)]
    );
    bad.assert_contains(&[
        r#"id="score.learning-curve-error">must be a whole number from 1 to 5"#,
        r#"id="as_of.compile-time-error">cannot be in the future"#,
        "Rust is fast: on a par with C++.",
    ]);
    // The summary says each as a person would, in the grid's order, linking to the field.
    let score = r##"<a href="#score.learning-curve">Learning curve: the score must be a whole number from 1 to 5</a>"##;
    let as_of = r##"<a href="#as_of.compile-time">Compile time: the as-of date cannot be in the future</a>"##;
    bad.assert_contains(&[score, as_of]);
    assert!(
        bad.body.find(score) < bad.body.find(as_of),
        "the grid's order"
    );
    let rust = technology(&app, "rust", 200).await;
    assert!(
        !rust.to_string().contains("on a par with C++"),
        "no row was saved"
    );

    let mut fields = form_fields(&grid.body);
    set(
        &mut fields,
        "text.performance",
        "Rust is fast: on a par with C++.",
    );
    set(&mut fields, "remove.steward", "1");
    let saved = post(&editor, "/admin/technologies/rust/facts", &fields).await;
    assert_eq!(saved.status.as_u16(), 303, "{}", saved.body);
    let rust = technology(&app, "rust", 200).await;
    let facts = rust["assessments"].as_array().expect("facts");
    assert!(
        facts
            .iter()
            .any(|f| f["text"] == "Rust is fast: on a par with C++.")
    );
    assert!(
        !facts.iter().any(|f| f["dimension"]["slug"] == "steward"),
        "removed"
    );
    let after = editor.page("/admin/technologies/rust/facts", 200).await;
    after.assert_contains(&[
        "Saved 2 facts.",
        "Rust · Performance",
        "Rust · Steward",
        r#"change-delete">delete</span>"#,
    ]);
    assert_ne!(
        hidden(&after.body, "version"),
        version,
        "the technology moved on"
    );
}

async fn a_new_row_of_the_fact_grid_starts_empty_and_is_dated_today(app: TestApp) {
    let editor = app.signed_in("editor").await;
    // Go has no fact on WebAssembly: its row must not look like a saved one.
    let grid = editor.page("/admin/technologies/go/facts", 200).await;
    grid.assert_contains(&[r#"name="as_of.webassembly" type="date" value="""#]);
    let row = &grid.body[grid
        .body
        .find(r#"id="confidence.webassembly""#)
        .expect("the row")..];
    let select = &row[..row.find("</select>").expect("the select")];
    assert!(
        !select.contains("selected"),
        "no confidence chosen: {select}"
    );

    let mut fields = form_fields(&grid.body);
    set(
        &mut fields,
        "text.webassembly",
        "Go compiles to WebAssembly.",
    );
    set(&mut fields, "score.webassembly", "3");
    let bad = post(&editor, "/admin/technologies/go/facts", &fields).await;
    assert_eq!(bad.status.as_u16(), 422, "{}", bad.body);
    bad.assert_contains(&[
        r##"<a href="#confidence.webassembly">WebAssembly target: the confidence is required</a>"##,
    ]);

    set(&mut fields, "confidence.webassembly", "medium");
    let saved = post(&editor, "/admin/technologies/go/facts", &fields).await;
    assert_eq!(saved.status.as_u16(), 303, "{}", saved.body);
    let go = technology(&app, "go", 200).await;
    let fact = go["assessments"]
        .as_array()
        .expect("facts")
        .iter()
        .find(|f| f["dimension"]["slug"] == "webassembly")
        .expect("the new fact")
        .clone();
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(fact["as_of"], today.as_str(), "empty is today");
    assert_eq!(fact["confidence"], "medium");
}

async fn a_stale_fact_grid_is_refused(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let grid = editor.page("/admin/technologies/go/facts", 200).await;
    let mut mine = form_fields(&grid.body);
    set(&mut mine, "text.performance", "Mine.");
    let mut theirs = form_fields(&grid.body);
    set(&mut theirs, "text.performance", "Theirs.");
    assert_eq!(
        post(&editor, "/admin/technologies/go/facts", &theirs)
            .await
            .status
            .as_u16(),
        303
    );
    let refused = post(&editor, "/admin/technologies/go/facts", &mine).await;
    assert_eq!(refused.status.as_u16(), 409);
    refused.assert_contains(&[
        "Someone else changed these facts",
        "changed meanwhile",
        "Theirs.",
        "Mine.",
    ]);
    let go = technology(&app, "go", 200).await;
    assert!(go.to_string().contains("Theirs."));
    assert!(!go.to_string().contains("Mine."));
}

async fn dimensions_and_sources_are_edited_alike(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let bad = editor
        .post_form(
            "/admin/sources/new",
            &[
                ("title", "A benchmark"),
                ("publisher", "Us"),
                ("url", "javascript:alert(1)"),
                ("published_on", "yesterday"),
            ],
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    bad.assert_contains(&["must be a web address", "must be a date written YYYY-MM-DD"]);
    let created = editor
        .post_form(
            "/admin/sources/new",
            &[
                ("title", "A benchmark"),
                ("publisher", "Us"),
                ("url", "https://example.com/b"),
                ("published_on", "2026-01-02"),
            ],
        )
        .await;
    assert_eq!(created.status.as_u16(), 303, "{}", created.body);
    let location = created.header("location").to_owned();
    let id = location.rsplit('/').next().expect("an id").to_owned();
    app.json(&format!("/api/v1/sources/{id}"), 200).await;
    let delete = editor.page(&format!("{location}/delete"), 200).await;
    delete.assert_contains(&["Nothing else depends on it."]);
    let version = hidden(&delete.body, "version");
    assert_eq!(
        editor
            .post_form(&format!("{location}/delete"), &[("version", &version)])
            .await
            .status
            .as_u16(),
        303
    );
    app.json(&format!("/api/v1/sources/{id}"), 404).await;

    let form = editor.page("/admin/dimensions/performance", 200).await;
    let mut fields = form_fields(&form.body);
    set(&mut fields, "scale", "");
    set(&mut fields, "position", "many");
    let bad = post(&editor, "/admin/dimensions/performance", &fields).await;
    assert_eq!(bad.status.as_u16(), 422);
    bad.assert_contains(&[
        "must be a whole number from 0 to 10000",
        "is needed while",
        "on this dimension have a score",
    ]);
    // Requirements weigh performance: they must be edited before it can go.
    let blocked = editor
        .page("/admin/dimensions/performance/delete", 200)
        .await;
    blocked.assert_contains(&[
        "the requirement “Maximum performance” weighs it or constrains on it",
        "the requirement “A systems component” weighs it",
    ]);
    assert!(
        !blocked.body.contains(r#"name="version""#),
        "no delete button"
    );
    let form = editor.page("/admin/dimensions/performance", 200).await;
    let version = hidden(&form.body, "version");
    let refused = editor
        .post_form(
            "/admin/dimensions/performance/delete",
            &[("version", &version)],
        )
        .await;
    assert_eq!(refused.status.as_u16(), 409, "{}", refused.body);
    app.json("/api/v1/dimensions/performance", 200).await;

    let delete = editor
        .page("/admin/dimensions/concurrency/delete", 200)
        .await;
    delete.assert_contains(&["the 2 facts on it will be deleted with it"]);
    let version = hidden(&delete.body, "version");
    let deleted = editor
        .post_form(
            "/admin/dimensions/concurrency/delete",
            &[("version", &version)],
        )
        .await;
    assert_eq!(deleted.status.as_u16(), 303);
    app.json("/api/v1/dimensions/concurrency", 404).await;
    let rust = technology(&app, "rust", 200).await;
    assert!(
        !rust.to_string().contains(r#""slug":"concurrency""#),
        "its facts went with it"
    );
    assert!(rust.to_string().contains(r#""slug":"performance""#));
}

/// The named values of a page's form fields as a browser would send them: inputs and
/// textareas with their values, selected options, and checked boxes.
fn form_fields(body: &str) -> Vec<(&'static str, String)> {
    let mut fields = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find(" name=\"") {
        let tag_start = rest[..at].rfind('<').unwrap_or(0);
        let tag = &rest[tag_start..];
        let name_start = at + " name=\"".len();
        let name: String = rest[name_start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .into();
        let tag_end = tag.find('>').unwrap_or(tag.len());
        let open = &tag[..tag_end];
        let value = |open: &str| {
            open.find(" value=\"").map(|v| {
                open[v + 8..]
                    .split('"')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
        };
        if open.starts_with("<input") {
            let checkbox = open.contains(r#"type="checkbox""#);
            if !checkbox || open.contains(" checked") {
                fields.push((name, unescape(&value(open).unwrap_or_default())));
            }
        } else if open.starts_with("<textarea") {
            let text = tag[tag_end + 1..]
                .split("</textarea>")
                .next()
                .unwrap_or_default();
            fields.push((name, unescape(text)));
        } else if open.starts_with("<select") {
            let options = tag.split("</select>").next().unwrap_or_default();
            let selected = options
                .split("<option")
                .find(|o| o.contains(" selected"))
                .and_then(value)
                .unwrap_or_default();
            fields.push((name, unescape(&selected)));
        }
        rest = &rest[name_start..];
    }
    fields
        .into_iter()
        .filter(|(name, _)| name != "csrf_token")
        .map(|(name, value)| (&*Box::leak(name.into_boxed_str()), value))
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Sets the value of `name`, adding it when the form had none (an unchecked box).
fn set(fields: &mut Vec<(&'static str, String)>, name: &'static str, value: &str) {
    match fields.iter_mut().find(|(n, _)| *n == name) {
        Some(field) => field.1 = value.to_owned(),
        None => fields.push((name, value.to_owned())),
    }
}
