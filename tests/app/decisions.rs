//! Decision records: every page, form and API address; the list's filter and order; the
//! chain of superseding; stale edits; field errors; the audit log; the snapshot that a
//! catalog edit leaves alone; and the Markdown export.

use awc::http::Method;
use serde_json::{Value, json};
use verdict::accounts::tokens::Scope;

use crate::helpers::{Browser, Reply, TestApp};
use crate::on_both_backends;

on_both_backends!(
    decision_pages_answer_and_unknown_ones_are_not_found,
    decision_admin_needs_a_signed_in_editor,
    decision_forms_refuse_a_missing_or_wrong_csrf_token,
    an_editor_records_edits_and_deletes_a_decision,
    the_new_decision_form_is_prefilled_from_the_address,
    a_decision_is_recorded_from_an_advisor_result,
    decision_forms_name_each_field_at_fault,
    a_stale_decision_edit_is_refused_and_keeps_the_input,
    the_list_filters_by_status_and_puts_due_decisions_first,
    superseding_links_both_ways_and_survives_a_deletion,
    status_changes_are_audited_and_shown,
    the_snapshot_stays_as_recorded_after_catalog_edits,
    the_markdown_export_has_the_madr_layout,
    the_markdown_export_escapes_what_editors_wrote,
    decisions_are_read_and_written_through_the_api,
    api_writes_need_a_token_and_valid_fields,
);

/// A decision between Go and Rust, as the form sends it, with `changes` replacing fields.
fn decision_form<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = [
        ("title", "Choose between Go and Rust"),
        (
            "context",
            "A new payments API.\nIt must ship by the second quarter.",
        ),
        ("drivers", "Time to market (must)\nPerformance (nice)"),
        ("options", "go"),
        ("options", "rust"),
        ("chosen", "go"),
        ("rationale", "it ships sooner with the team we have"),
        ("consequences", "We hire Go developers."),
        ("status", "accepted"),
        ("decided_on", "2026-01-10"),
        ("revisit_by", ""),
        (
            "links",
            "RFC 12 https://wiki.example/rfc/12\nMinutes of 3 March",
        ),
        ("advisor_query", ""),
    ]
    .into_iter()
    .filter(|(name, _)| !changes.iter().any(|(n, _)| n == name))
    .collect();
    fields.extend_from_slice(changes);
    fields
}

/// Records a decision through the form; its id.
async fn record(browser: &Browser<'_>, changes: &[(&str, &str)]) -> i32 {
    let reply = browser
        .post_form("/admin/decisions/new", &decision_form(changes))
        .await;
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    let location = reply.header("location");
    location
        .strip_prefix("/decisions/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a decision's address: {location}"))
}

/// The version a form holds in its hidden field.
fn version_in(body: &str) -> String {
    let at = body
        .find(r#"name="version" value=""#)
        .expect("a version field")
        + r#"name="version" value=""#.len();
    body[at..].split('"').next().expect("a value").to_owned()
}

async fn decision_pages_answer_and_unknown_ones_are_not_found(app: TestApp) {
    let empty = app.page("/decisions", 200).await;
    empty.assert_contains(&["<h1>Decisions</h1>", "No decisions have been recorded yet"]);
    let editor = app.signed_in("editor").await;
    let id = record(&editor, &[]).await;

    let list = app.page("/decisions", 200).await;
    list.assert_contains(&[
        &format!(r#"<a href="/decisions/{id}">Choose between Go and Rust</a>"#),
        "1 decision",
    ]);
    let page = app.page(&format!("/decisions/{id}"), 200).await;
    page.assert_valid_datetimes();
    page.assert_contains(&[
        "<h1>Choose between Go and Rust</h1>",
        "Download as Markdown",
        r#"<meta property="og:title" content="Choose between Go and Rust">"#,
    ]);
    assert!(
        !page.body.contains(r#"href="/admin/decisions/"#),
        "no Edit link for readers"
    );
    let markdown = app.get(&format!("/decisions/{id}.md")).await;
    assert_eq!(markdown.status.as_u16(), 200);
    assert_eq!(
        markdown.header("content-type"),
        "text/markdown; charset=utf-8"
    );
    assert_eq!(app.json("/api/v1/decisions", 200).await["total"], 1);
    assert_eq!(
        app.json(&format!("/api/v1/decisions/{id}"), 200).await["id"],
        id
    );

    for path in [
        "/decisions/999",
        "/decisions/abc",
        "/decisions/999.md",
        "/decisions/1x.md",
        "/decisions/99999999999",
    ] {
        app.page(path, 404).await;
    }
    for path in ["/api/v1/decisions/999", "/api/v1/decisions/abc"] {
        app.json(path, 404).await;
    }
    let bad = app.page("/decisions?status=done", 400).await;
    bad.assert_contains(&["must be one of proposed, accepted"]);
    let bad = app.json("/api/v1/decisions?status=done&page=0", 400).await;
    assert_eq!(bad["errors"][0]["name"], "status");
    assert_eq!(bad["errors"][1]["name"], "page");

    // A signed-in editor sees the way to edit it.
    let signed_in = editor.page(&format!("/decisions/{id}"), 200).await;
    signed_in.assert_contains(&[&format!(
        r#"<a class="button" href="/admin/decisions/{id}">Edit"#
    )]);
}

async fn decision_admin_needs_a_signed_in_editor(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let dashboard = editor.page("/admin", 200).await;
    dashboard.assert_contains(&[
        r#"<a href="/admin/decisions/new">None recorded yet: record the first decision</a>"#,
    ]);
    let id = record(&editor, &[]).await;
    let pages = [
        "/admin/decisions".to_owned(),
        "/admin/decisions/new".to_owned(),
        format!("/admin/decisions/{id}"),
        format!("/admin/decisions/{id}/delete"),
    ];
    let anonymous = app.browser();
    for path in &pages {
        let reply = anonymous.get(path).await;
        assert_eq!(reply.status.as_u16(), 303, "GET {path}");
        assert!(
            reply
                .header("location")
                .starts_with("/login?next=%2Fadmin%2Fdecisions"),
            "GET {path}: {}",
            reply.header("location")
        );
    }
    for path in &pages[1..] {
        let reply = anonymous
            .post_form(path, &decision_form(&[("version", "1")]))
            .await;
        assert_eq!(reply.status.as_u16(), 303, "POST {path}");
        assert!(
            reply.header("location").starts_with("/login"),
            "POST {path}"
        );
    }
    for path in &pages {
        let reply = editor.page(path, 200).await;
        assert!(reply.body.contains("<h1>"), "GET {path}");
    }
    editor.page("/admin/decisions/999", 404).await;
    editor.page("/admin/decisions/999/delete", 404).await;
    editor.page("/admin/decisions/x", 404).await;
    let dashboard = editor.page("/admin", 200).await;
    dashboard.assert_contains(&[
        r#"<a href="/admin/decisions"><span class="tile-count">1</span> decision</a>"#,
    ]);
    // Nothing was written by the anonymous attempts.
    assert_eq!(app.json("/api/v1/decisions", 200).await["total"], 1);
}

async fn decision_forms_refuse_a_missing_or_wrong_csrf_token(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let id = record(&editor, &[]).await;
    let before = app.json(&format!("/api/v1/decisions/{id}"), 200).await;
    let forms = [
        "/admin/decisions/new".to_owned(),
        format!("/admin/decisions/{id}"),
        format!("/admin/decisions/{id}/delete"),
    ];
    for path in &forms {
        let mut fields = decision_form(&[("title", "Changed"), ("version", "1")]);
        let missing = editor.post_form_raw(path, &fields).await;
        assert_eq!(missing.status.as_u16(), 403, "POST {path} without a token");
        fields.push(("csrf_token", "0123456789abcdef"));
        let wrong = editor.post_form_raw(path, &fields).await;
        assert_eq!(wrong.status.as_u16(), 403, "POST {path} with a wrong token");
    }
    assert_eq!(
        app.json(&format!("/api/v1/decisions/{id}"), 200).await,
        before
    );
    assert_eq!(app.json("/api/v1/decisions", 200).await["total"], 1);
}

async fn an_editor_records_edits_and_deletes_a_decision(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let reply = editor
        .post_form("/admin/decisions/new", &decision_form(&[]))
        .await;
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    let location = reply.header("location").to_owned();
    let page = editor.page(&location, 200).await;
    page.assert_contains(&[
        "Recorded the decision “Choose between Go and Rust”.",
        "<h1>Choose between Go and Rust</h1>",
        r#"<span class="decision-status decision-status-accepted">Accepted</span>"#,
        "Chosen option: <strong>Go</strong>, because it ships sooner with the team we have.",
        "<li>Time to market (must)</li>",
        r#"<a href="https://wiki.example/rfc/12" rel="nofollow noopener">RFC 12</a>"#,
        "<li>Minutes of 3 March</li>",
        "Nothing in the catalog has changed since this decision was recorded.",
        "recorded as <strong>accepted</strong>",
    ]);
    let id: i32 = location
        .trim_start_matches("/decisions/")
        .parse()
        .expect("an id");

    let form = editor.page(&format!("/admin/decisions/{id}"), 200).await;
    form.assert_contains(&[
        r#"<input type="hidden" name="options" value="go">"#,
        r#"<option value="go" selected>Go</option>"#,
        r#"value="2026-01-10""#,
    ]);
    assert!(
        !form.body.contains(r#"type="checkbox" name="options""#),
        "the options are fixed"
    );
    let version = version_in(&form.body);
    let mut fields = decision_form(&[
        ("title", "Go for the payments API"),
        ("status", "deprecated"),
        ("revisit_by", "2027-01-01"),
    ]);
    fields.push(("version", &version));
    let saved = editor
        .post_form(&format!("/admin/decisions/{id}"), &fields)
        .await;
    assert_eq!(saved.status.as_u16(), 303, "{}", saved.body);
    assert_eq!(saved.header("location"), format!("/decisions/{id}"));
    let page = editor.page(&format!("/decisions/{id}"), 200).await;
    page.assert_contains(&[
        "Saved the decision “Go for the payments API”.",
        "<h1>Go for the payments API</h1>",
        "Deprecated</span>",
        r#"<time datetime="2027-01-01">1 Jan 2027</time>"#,
    ]);
    let api = app.json(&format!("/api/v1/decisions/{id}"), 200).await;
    assert_eq!(api["status"], "deprecated");
    assert_eq!(
        api["options"],
        json!([{"slug": "go", "name": "Go"}, {"slug": "rust", "name": "Rust"}])
    );

    let confirm = editor
        .page(&format!("/admin/decisions/{id}/delete"), 200)
        .await;
    confirm.assert_contains(&[
        "Delete the decision “Go for the payments API”?",
        "No other decision links to it.",
    ]);
    let stale = editor
        .post_form(
            &format!("/admin/decisions/{id}/delete"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(stale.status.as_u16(), 409, "an old version is refused");
    app.page(&format!("/decisions/{id}"), 200).await;
    let deleted = editor
        .post_form(
            &format!("/admin/decisions/{id}/delete"),
            &[("version", &version_in(&confirm.body))],
        )
        .await;
    assert_eq!(deleted.status.as_u16(), 303, "{}", deleted.body);
    assert_eq!(deleted.header("location"), "/admin/decisions");
    editor
        .page("/admin/decisions", 200)
        .await
        .assert_contains(&[&format!("Deleted the decision #{id}.")]);
    app.page(&format!("/decisions/{id}"), 404).await;
    app.json(&format!("/api/v1/decisions/{id}"), 404).await;
}

async fn the_new_decision_form_is_prefilled_from_the_address(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let form = editor
        .page("/admin/decisions/new?t=go&t=rust&t=nope&t=go", 200)
        .await;
    form.assert_contains(&[
        r#"value="Choose between Go and Rust""#,
        r#"<input type="checkbox" name="options" value="go" checked>"#,
        r#"<input type="checkbox" name="options" value="rust" checked>"#,
        r#"<option value="proposed" selected>Proposed</option>"#,
        "<legend>Frameworks</legend>",
        r#"<optgroup label="Languages">"#,
    ]);
    assert_eq!(form.body.matches(" checked>").count(), 2, "{}", form.body);
    let blank = editor.page("/admin/decisions/new", 200).await;
    assert!(!blank.body.contains(" checked>"));
    assert!(
        blank
            .body
            .contains(r#"<input id="title" name="title" type="text" value=""#)
    );
}

async fn a_decision_is_recorded_from_an_advisor_result(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let query = "t=rust&t=go&time-to-market=must&maximum-performance=important&memory-safety=nice";
    let form = editor
        .page(
            &format!("/admin/decisions/new?{query}&webassembly=irrelevant"),
            200,
        )
        .await;
    form.assert_contains(&[
        "Filled in from the advisor&#39;s result",
        r#"value="Choose between Go and Rust""#,
        r#"<input type="checkbox" name="options" value="go" checked>"#,
        r#"<input type="checkbox" name="options" value="rust" checked>"#,
        r#"<option value="go" selected>Go</option>"#,
        ">Time to market (must)\nMaximum performance (important)\nMemory safety and security (nice)</textarea>",
        ">it came out first in the advisor, with 89% of the possible points, helped most by time to market (must) and maximum performance (important).</textarea>",
        r#"<input type="hidden" name="advisor_query" value="t=rust&#38;t=go&#38;time-to-market=must&#38;maximum-performance=important&#38;memory-safety=nice">"#,
    ]);

    let mut fields = decision_form(&[("advisor_query", "t=go&speed=urgent")]);
    let refused = editor.post_form("/admin/decisions/new", &fields).await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.body);
    refused.assert_contains(&[r#"id="advisor_query-error">is not a query the advisor can answer: speed must be must, important, nice or irrelevant, not `urgent`"#]);
    fields.retain(|(name, _)| *name != "advisor_query");
    fields.push(("advisor_query", query));
    let reply = editor.post_form("/admin/decisions/new", &fields).await;
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    let path = reply.header("location").to_owned();

    let page = app.page(&path, 200).await;
    page.assert_contains(&[
        "<h2 id=\"advice\">The advisor's ranking</h2>",
        "<li><strong>Go</strong>: 89% of the possible points</li>",
        "<span class=\"pro-label\">Good</span>, because it fits Time to market well (must, fit 100%)",
        "<span class=\"con-label\">Bad</span>, because Go fits Time to market better (2.4 points ahead)",
        r#"<a href="/advisor?t=rust&#38;t=go&#38;time-to-market=must&#38;maximum-performance=important&#38;memory-safety=nice">Re-run the advisor with the same inputs</a>"#,
    ]);
    assert!(!page.body.contains("recorded without an advisor result"));
    let id = path.trim_start_matches("/decisions/");
    let api = app.json(&format!("/api/v1/decisions/{id}"), 200).await;
    let advice = &api["snapshot"]["advice"];
    assert_eq!(advice["query"], query);
    assert_eq!(advice["ranking"]["ranked"][0]["slug"], "go");
    assert_eq!(advice["ranking"]["ranked"][1]["slug"], "rust");
    let markdown = app.get(&format!("{path}.md")).await;
    for line in [
        "### Go\n\nA language in the catalog as `go`.\n\n* Good, because it fits Time to market well (must, fit 100%)\n",
        "* Bad, because Go fits Time to market better (2.4 points ahead)\n",
    ] {
        assert!(
            markdown.body.contains(line),
            "{line:?} in:\n{}",
            markdown.body
        );
    }

    // What it came from stays as recorded.
    let form = editor.page(&format!("/admin/decisions/{id}"), 200).await;
    let version = version_in(&form.body);
    let mut edit = decision_form(&[("advisor_query", "t=go&t=rust&time-to-market=must")]);
    edit.push(("version", &version));
    let changed = editor
        .post_form(&format!("/admin/decisions/{id}"), &edit)
        .await;
    assert_eq!(changed.status.as_u16(), 422);
    changed.assert_contains(&["cannot change once a decision is recorded, since the advisor"]);

    // An address the advisor cannot answer fills in nothing from it, and says why.
    let unanswerable = editor
        .page("/admin/decisions/new?t=go&t=rust&speed=urgent", 200)
        .await;
    unanswerable.assert_contains(&[
        "The advisor cannot answer the inputs in this address (speed must be must, important, nice or irrelevant, not `urgent`)",
        r#"<input type="checkbox" name="options" value="go" checked>"#,
    ]);
    assert!(!unanswerable.body.contains("advisor_query\" value=\"t="));
}

async fn decision_forms_name_each_field_at_fault(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let bad = editor
        .post_form(
            "/admin/decisions/new",
            &decision_form(&[
                ("title", ""),
                ("options", "go"),
                ("chosen", "rust"),
                ("status", "superseded"),
                ("decided_on", "2999-01-01"),
                ("revisit_by", "soon"),
                ("context", "<script>alert(1)</script>"),
            ]),
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422, "{}", bad.body);
    bad.assert_contains(&[
        "5 things need fixing",
        r##"<a href="#title">Title is required</a>"##,
        r#"id="options-error">must name at least 2 technologies"#,
        r#"aria-describedby="options-error""#,
        r#"id="superseded_by-error">is required for a superseded decision"#,
        r#"id="decided_on-error">cannot be in the future"#,
        r#"id="revisit_by-error">must be a date written YYYY-MM-DD"#,
        r#"<input id="revisit_by" name="revisit_by" type="date" value="soon" aria-invalid="true" aria-describedby="revisit_by-error">"#,
        "&#60;script&#62;alert(1)&#60;/script&#62;</textarea>",
        r#"<input type="checkbox" name="options" value="go" checked>"#,
    ]);
    assert!(!bad.body.contains("<script>alert(1)"));

    let not_an_option = editor
        .post_form(
            "/admin/decisions/new",
            &decision_form(&[("chosen", "python"), ("rationale", "")]),
        )
        .await;
    assert_eq!(not_an_option.status.as_u16(), 422);
    not_an_option.assert_contains(&[
        r#"id="chosen-error">must be one of the options considered"#,
        r#"id="rationale-error">is required with a chosen option"#,
    ]);
    assert_eq!(
        app.json("/api/v1/decisions", 200).await["total"],
        0,
        "nothing was written"
    );

    // A recorded decision's options cannot change.
    let id = record(&editor, &[]).await;
    let form = editor.page(&format!("/admin/decisions/{id}"), 200).await;
    let version = version_in(&form.body);
    let mut fields = decision_form(&[("options", "go"), ("options", "gin")]);
    fields.push(("version", &version));
    let changed = editor
        .post_form(&format!("/admin/decisions/{id}"), &fields)
        .await;
    assert_eq!(changed.status.as_u16(), 422);
    changed.assert_contains(&["cannot change once a decision is recorded"]);
}

async fn a_stale_decision_edit_is_refused_and_keeps_the_input(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let id = record(&editor, &[]).await;
    let path = format!("/admin/decisions/{id}");
    let form = editor.page(&path, 200).await;
    let old = version_in(&form.body);

    let mut first = decision_form(&[("consequences", "Saved first.")]);
    first.push(("version", &old));
    assert_eq!(editor.post_form(&path, &first).await.status.as_u16(), 303);

    let mut second = decision_form(&[("consequences", "My later input.")]);
    second.push(("version", &old));
    let refused = editor.post_form(&path, &second).await;
    assert_eq!(refused.status.as_u16(), 409, "{}", refused.body);
    refused.assert_contains(&[
        "Someone else saved this decision while you were editing",
        r#"<tr class="differs"><th scope="row">consequences <span class="tag">differs</span></th><td class="prose">Saved first.</td><td class="prose">My later input.</td></tr>"#,
        "My later input.</textarea>",
    ]);
    let now = version_in(&refused.body);
    assert_ne!(now, old, "the form is now based on what is saved");
    let api = app.json(&format!("/api/v1/decisions/{id}"), 200).await;
    assert_eq!(api["consequences"], "Saved first.");

    let mut again = second.clone();
    again.retain(|(name, _)| *name != "version");
    again.push(("version", &now));
    assert_eq!(editor.post_form(&path, &again).await.status.as_u16(), 303);
    let api = app.json(&format!("/api/v1/decisions/{id}"), 200).await;
    assert_eq!(api["consequences"], "My later input.");
}

async fn the_list_filters_by_status_and_puts_due_decisions_first(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let recent = record(
        &editor,
        &[("title", "Recent"), ("decided_on", "2026-01-10")],
    )
    .await;
    let due = record(
        &editor,
        &[
            ("title", "Overdue"),
            ("decided_on", "2025-01-10"),
            ("revisit_by", "2025-06-01"),
        ],
    )
    .await;
    let rejected = record(
        &editor,
        &[
            ("title", "Rejected long ago"),
            ("status", "rejected"),
            ("decided_on", "2025-02-10"),
            ("revisit_by", "2025-03-01"),
        ],
    )
    .await;
    let later = record(
        &editor,
        &[
            ("title", "Not yet due"),
            ("decided_on", "2025-03-10"),
            ("revisit_by", "2999-01-01"),
        ],
    )
    .await;

    let list = app.json("/api/v1/decisions", 200).await;
    let ids: Vec<i64> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| d["id"].as_i64().expect("an id"))
        .collect();
    assert_eq!(ids, [due, recent, later, rejected].map(i64::from));
    let flags: Vec<bool> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| d["due_for_review"].as_bool().expect("a flag"))
        .collect();
    assert_eq!(flags, [true, false, false, false]);

    let page = app.page("/decisions", 200).await;
    let at = |title: &str| {
        page.body
            .find(&format!(">{title}</a>"))
            .unwrap_or_else(|| panic!("{title}"))
    };
    assert!(
        at("Overdue") < at("Recent")
            && at("Recent") < at("Not yet due")
            && at("Not yet due") < at("Rejected long ago")
    );
    assert_eq!(page.body.matches(">Due for review</span>").count(), 1);

    let rejected_only = app.page("/decisions?status=rejected", 200).await;
    rejected_only.assert_contains(&[
        ">Rejected long ago</a>",
        "1 decision",
        r#"<option value="rejected" selected>"#,
    ]);
    assert!(!rejected_only.body.contains(">Overdue</a>"));
    let api = app
        .json("/api/v1/decisions?status=accepted&per_page=2&page=2", 200)
        .await;
    assert_eq!(api["total"], 3);
    assert_eq!(api["items"][0]["id"], later);

    let paged = app.page("/decisions?per_page=2", 200).await;
    paged.assert_contains(&["Page 1 of 2", r#"href="/decisions?per_page=2&#38;page=2""#]);
}

async fn superseding_links_both_ways_and_survives_a_deletion(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let old = record(&editor, &[("title", "Use Go everywhere")]).await;
    let new = record(
        &editor,
        &[("title", "Use Rust for the hot path"), ("chosen", "rust")],
    )
    .await;

    let path = format!("/admin/decisions/{old}");
    let form = editor.page(&path, 200).await;
    form.assert_contains(&[&format!(
        r#"<option value="{new}">#{new} Use Rust for the hot path</option>"#
    )]);
    assert!(
        !form.body.contains(&format!(r#"<option value="{old}">"#)),
        "not itself"
    );
    let new_id = new.to_string();
    let mut fields = decision_form(&[
        ("title", "Use Go everywhere"),
        ("status", "superseded"),
        ("superseded_by", &new_id),
    ]);
    let version = version_in(&form.body);
    fields.push(("version", &version));
    assert_eq!(editor.post_form(&path, &fields).await.status.as_u16(), 303);

    let old_page = app.page(&format!("/decisions/{old}"), 200).await;
    old_page.assert_contains(&[&format!(
        r#"Superseded by <a href="/decisions/{new}">#{new} Use Rust for the hot path</a>."#
    )]);
    let new_page = app.page(&format!("/decisions/{new}"), 200).await;
    new_page.assert_contains(&[
        "<dt>Supersedes</dt>",
        &format!(r#"<a href="/decisions/{old}">#{old} Use Go everywhere</a>"#),
    ]);
    let old_api = app.json(&format!("/api/v1/decisions/{old}"), 200).await;
    assert_eq!(
        old_api["superseded_by"],
        json!({"id": new, "title": "Use Rust for the hot path"})
    );
    let new_api = app.json(&format!("/api/v1/decisions/{new}"), 200).await;
    assert_eq!(
        new_api["supersedes"],
        json!([{"id": old, "title": "Use Go everywhere"}])
    );
    let markdown = app.get(&format!("/decisions/{old}.md")).await;
    assert!(
        markdown
            .body
            .contains(&format!("status: \"superseded by ADR-{new:04}\"\n")),
        "{}",
        markdown.body
    );
    let markdown = app.get(&format!("/decisions/{new}.md")).await;
    assert!(markdown.body.contains(&format!(
        "* Supersedes ADR-{old:04} \"Use Go everywhere\" ({old:04}-use-go-everywhere.md)."
    )));

    // A decision cannot supersede itself.
    let form = editor.page(&path, 200).await;
    let old_id = old.to_string();
    let mut itself = decision_form(&[
        ("title", "Use Go everywhere"),
        ("status", "superseded"),
        ("superseded_by", &old_id),
    ]);
    let version = version_in(&form.body);
    itself.push(("version", &version));
    let refused = editor.post_form(&path, &itself).await;
    assert_eq!(refused.status.as_u16(), 422);
    refused.assert_contains(&["cannot be this decision itself"]);

    // Deleting the successor leaves the old decision superseded, without the link.
    let before = app.get(&format!("/api/v1/decisions/{old}")).await;
    let confirm = editor
        .page(&format!("/admin/decisions/{new}/delete"), 200)
        .await;
    confirm.assert_contains(&[
        "“Use Go everywhere” (#",
        "stays superseded but no longer names the decision that replaced it",
    ]);
    let deleted = editor
        .post_form(
            &format!("/admin/decisions/{new}/delete"),
            &[("version", &version_in(&confirm.body))],
        )
        .await;
    assert_eq!(deleted.status.as_u16(), 303);
    let after = app.get(&format!("/api/v1/decisions/{old}")).await;
    let body = after.json();
    assert_eq!(body["status"], "superseded");
    assert!(body["superseded_by"].is_null());
    assert_ne!(
        after.header("etag"),
        before.header("etag"),
        "its version moved"
    );
    app.page(&format!("/decisions/{old}"), 200)
        .await
        .assert_contains(&["Superseded by a decision that has since been deleted."]);
}

async fn status_changes_are_audited_and_shown(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let id = record(
        &admin,
        &[("status", "proposed"), ("chosen", ""), ("rationale", "")],
    )
    .await;
    let path = format!("/admin/decisions/{id}");
    let form = admin.page(&path, 200).await;
    let version = version_in(&form.body);
    let mut fields = decision_form(&[]);
    fields.push(("version", &version));
    assert_eq!(admin.post_form(&path, &fields).await.status.as_u16(), 303);

    let log = admin.page("/admin/audit?kind=decision", 200).await;
    log.assert_contains(&[
        r#"<span class="change-kind">decision</span>"#,
        "<strong class=\"change-item\">Choose between Go and Rust</strong>",
        "<th scope=\"row\">status</th>\n            <td>proposed</td>\n            <td>accepted</td>",
        "<th scope=\"row\">chosen</th>\n            <td><span class=\"muted\">(empty)</span></td>\n            <td>go</td>",
    ]);
    let history = admin.page(&path, 200).await;
    history.assert_contains(&["<h2 id=\"history\">History</h2>", "<td>proposed</td>"]);
    let page = app.page(&format!("/decisions/{id}"), 200).await;
    page.assert_contains(&[
        "recorded as <strong>proposed</strong>",
        "proposed → <strong>accepted</strong>",
    ]);
}

/// The fact of `technology` on `dimension` as the API shows it now.
async fn fact(app: &TestApp, technology: &str, dimension: &str) -> Value {
    app.json(
        &format!("/api/v1/technologies/{technology}/assessments/{dimension}"),
        200,
    )
    .await
}

async fn the_snapshot_stays_as_recorded_after_catalog_edits(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let id = record(&editor, &[]).await;
    let recorded = app.json(&format!("/api/v1/decisions/{id}"), 200).await;
    let performance = fact(&app, "rust", "performance").await;
    assert_eq!(performance["score"], 5, "the demo's score");

    let token = bearer(&app, Scope::ReadWrite);
    let patched = send_json(
        &app,
        Method::PATCH,
        "/api/v1/technologies/rust/assessments/performance",
        &token,
        &[],
        &json!({"score": 3, "text": "Slower than we thought."}),
    )
    .await;
    assert_eq!(patched.status.as_u16(), 200, "{}", patched.body);
    let renamed = send_json(
        &app,
        Method::PATCH,
        "/api/v1/technologies/go",
        &token,
        &[],
        &json!({"name": "Golang"}),
    )
    .await;
    assert_eq!(renamed.status.as_u16(), 200, "{}", renamed.body);
    assert_eq!(fact(&app, "rust", "performance").await["score"], 3);

    let now = app.json(&format!("/api/v1/decisions/{id}"), 200).await;
    assert_eq!(
        now["snapshot"], recorded["snapshot"],
        "the snapshot is as recorded"
    );
    assert_eq!(now["options"], recorded["options"]);
    let rust = now["snapshot"]["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["slug"] == "rust")
        .expect("rust");
    let recorded_fact = rust["facts"]
        .as_array()
        .expect("facts")
        .iter()
        .find(|f| f["dimension"]["slug"] == "performance")
        .expect("performance");
    assert_eq!(recorded_fact["score"], 5);
    assert_eq!(recorded_fact["text"], performance["text"]);
    assert_eq!(
        now["changes_since"],
        json!([
            {"technology": "go", "technology_name": "Go", "dimension": null, "dimension_name": null,
             "change": "technology_renamed", "before": "Go", "after": "Golang"},
            {"technology": "rust", "technology_name": "Rust", "dimension": "performance",
             "dimension_name": "Performance", "change": "score", "before": 5, "after": 3},
            {"technology": "rust", "technology_name": "Rust", "dimension": "performance",
             "dimension_name": "Performance", "change": "text",
             "before": performance["text"], "after": "Slower than we thought."},
        ])
    );

    let page = app.page(&format!("/decisions/{id}"), 200).await;
    page.assert_contains(&[
        "<th scope=\"row\">Performance</th>",
        "<strong>Rust · Performance</strong>: Score 5 / 5 → 3 / 5",
        "<strong>Go</strong>: Renamed from “Go” to “Golang”",
        "<strong>Rust · Performance</strong>: Text changed",
        "<dt>Now</dt><dd>Slower than we thought.</dd>",
        "3 changes to the options' facts",
    ]);
    assert!(!page.body.contains("Nothing in the catalog has changed"));
    // The recorded scores: Go 4 and Rust 5 on performance, as they were.
    let row = &page.body[page
        .body
        .find("<th scope=\"row\">Performance</th>")
        .expect("the row")..];
    let row = &row[..row.find("</tr>").expect("the row's end")];
    let values: Vec<&str> = row
        .match_indices("<span class=\"score-value\">")
        .map(|(at, tag)| &row[at + tag.len()..at + tag.len() + 1])
        .collect();
    assert_eq!(values, ["4", "5"]);
    assert!(
        page.body.contains("<h3 id=\"option-go\">Go"),
        "named as recorded"
    );
}

async fn the_markdown_export_has_the_madr_layout(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let id = record(
        &editor,
        &[
            ("title", "Go: \"fast\" enough? #1"),
            ("revisit_by", "2027-05-01"),
        ],
    )
    .await;
    let reply = app.get(&format!("/decisions/{id}.md")).await;
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(reply.header("content-type"), "text/markdown; charset=utf-8");
    assert_eq!(
        reply.header("content-disposition"),
        format!(r#"attachment; filename="{id:04}-go-fast-enough-1.md""#)
    );
    let text = &reply.body;
    let front: Vec<&str> = text.lines().take(4).collect();
    assert_eq!(
        front,
        ["---", "status: \"accepted\"", "date: \"2026-01-10\"", "---"]
    );
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            // Every `#` an editor wrote is escaped.
            "# Go: \"fast\" enough? \\#1",
            "## Context and Problem Statement",
            "## Decision Drivers",
            "## Considered Options",
            "## Decision Outcome",
            "### Consequences",
            "## Pros and Cons of the Options",
            "### Go",
            "### Rust",
            "## More Information",
        ]
    );
    for line in [
        "A new payments API.\nIt must ship by the second quarter.\n",
        "* Time to market (must)\n* Performance (nice)\n",
        "* Go\n* Rust\n",
        "Chosen option: \"Go\", because it ships sooner with the team we have.\n",
        "* Revisit by 2027-05-01.",
        "* [RFC 12](https://wiki.example/rfc/12)",
        "* Minutes of 3 March",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    // Downloads are served afresh each time, with their name.
    let again = app.get(&format!("/decisions/{id}.md")).await;
    assert_eq!(
        again.header("content-disposition"),
        reply.header("content-disposition")
    );
    assert_eq!(again.body, reply.body);
}

const HOSTILE: [&str; 5] = [
    "# heading",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "---",
    "Über Größe",
];

async fn the_markdown_export_escapes_what_editors_wrote(app: TestApp) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    let token = bearer(&app, Scope::ReadWrite);
    for (slug, name) in [
        ("script-lang", HOSTILE[1]),
        ("heading-lang", HOSTILE[0]),
        ("link-lang", HOSTILE[2]),
    ] {
        let technology = json!({
            "slug": slug, "name": name, "kind": "language", "language": null, "summary": "x",
        });
        let created = send_json(
            &app,
            Method::POST,
            "/api/v1/technologies",
            &token,
            &[],
            &technology,
        )
        .await;
        assert_eq!(created.status.as_u16(), 201, "{}", created.body);
    }
    let lines = HOSTILE.join("\n");
    let decision = json!({
        "title": "Über Größe: # heading <script>alert(1)</script> [x](javascript:alert(1)) ---",
        "context": lines,
        "drivers": HOSTILE,
        "options": ["script-lang", "heading-lang", "link-lang"],
        "chosen": "link-lang",
        "rationale": lines,
        "consequences": lines,
        "status": "accepted",
        "decided_on": "2026-02-01",
        "links": ["[x](javascript:alert(1)) https://example.com/a_(b)", "javascript:alert(1)"],
    });
    let created = send_json(
        &app,
        Method::POST,
        "/api/v1/decisions",
        &token,
        &[],
        &decision,
    )
    .await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.body);
    let id = created.json()["id"].as_i64().expect("an id");

    let reply = app.get(&format!("/decisions/{id}.md")).await;
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(
        reply.header("content-disposition"),
        format!(
            r#"attachment; filename="{id:04}-uber-grosse-heading-script-alert-1-script-x-javascript-alert.md""#
        )
    );
    let text = &reply.body;
    for escaped in [
        "\\# heading",
        "\\<script>alert(1)\\</script>",
        "\\[x\\](javascript:alert(1))",
        "\\---",
        "Über Größe",
        "* \\---\n",
        "* Über Größe\n",
        "### \\<script>alert(1)\\</script>\n",
        "[\\[x\\](javascript:alert(1))](https://example.com/a_\\(b\\))",
    ] {
        assert!(text.contains(escaped), "{escaped:?} in:\n{text}");
    }
    let front: Vec<&str> = text.lines().take(4).collect();
    assert_eq!(
        front,
        ["---", "status: \"accepted\"", "date: \"2026-02-01\"", "---"]
    );

    // Rendered, the editors' text is text: no heading, link or HTML comes of it.
    let options = Options::all() - Options::ENABLE_SMART_PUNCTUATION;
    let mut headings = Vec::new();
    let mut links = Vec::new();
    let mut in_heading = false;
    let mut shown = String::new();
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                headings.push(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::Text(t) if in_heading => {
                headings.last_mut().into_iter().for_each(|h| h.push_str(&t))
            }
            Event::Text(t) => shown.push_str(&t),
            Event::SoftBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => shown.push('\n'),
            Event::Html(html) | Event::InlineHtml(html) => panic!("HTML {html:?} in:\n{text}"),
            _ => {}
        }
    }
    assert_eq!(
        headings,
        [
            decision["title"].as_str().expect("a title"),
            "Context and Problem Statement",
            "Decision Drivers",
            "Considered Options",
            "Decision Outcome",
            "Consequences",
            "Pros and Cons of the Options",
            HOSTILE[1],
            HOSTILE[0],
            HOSTILE[2],
            "More Information",
        ]
    );
    assert_eq!(links, ["https://example.com/a_(b)"]);
    assert!(
        shown.contains(&format!("\n{lines}\n")),
        "the context in:\n{shown}"
    );
    assert!(
        shown.contains(&format!("\n{}\n", HOSTILE.join("\n"))),
        "drivers and consequences in:\n{shown}"
    );
}

/// An API client with a token of `scope`.
fn bearer(app: &TestApp, scope: Scope) -> String {
    let (_, secret) = app.api_token("decisions", scope);
    format!("Bearer {secret}")
}

async fn send_json(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> Reply {
    let mut all = vec![
        ("authorization", token),
        ("content-type", "application/json"),
    ];
    all.extend_from_slice(headers);
    app.send_body(method, path, &all, Some(&body.to_string()))
        .await
}

fn api_decision() -> Value {
    json!({
        "title": "Choose between Axum and Actix-web",
        "context": "An internal service.",
        "drivers": ["Ecosystem (important)", "Performance (nice)"],
        "options": ["axum", "actix-web"],
        "chosen": "axum",
        "rationale": "it composes with tower",
        "consequences": "",
        "status": "accepted",
        "superseded_by": null,
        "decided_on": "2026-02-01",
        "revisit_by": "2026-08-01",
        "links": ["https://docs.rs/axum"],
        "advisor_query": "t=axum&t=actix-web&time-to-market=must",
    })
}

async fn decisions_are_read_and_written_through_the_api(app: TestApp) {
    let token = bearer(&app, Scope::ReadWrite);
    let created = send_json(
        &app,
        Method::POST,
        "/api/v1/decisions",
        &token,
        &[],
        &api_decision(),
    )
    .await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.body);
    assert_eq!(created.header("content-type"), "application/json");
    let body = created.json();
    let id = body["id"].as_i64().expect("an id");
    assert_eq!(
        created.header("location"),
        format!("/api/v1/decisions/{id}")
    );
    assert_eq!(created.header("etag"), format!("\"{id}-1\""));
    assert_eq!(
        body["drivers"],
        json!(["Ecosystem (important)", "Performance (nice)"])
    );
    assert_eq!(body["links"], json!(["https://docs.rs/axum"]));
    assert_eq!(body["chosen"], json!({"slug": "axum", "name": "Axum"}));
    assert_eq!(body["due_for_review"], true);
    assert_eq!(
        body["advisor_query"],
        "t=axum&t=actix-web&time-to-market=must"
    );
    assert_eq!(body["changes_since"], json!([]));
    assert_eq!(
        body["snapshot"]["advice"]["query"],
        "t=axum&t=actix-web&time-to-market=must"
    );
    let options: Vec<&str> = body["snapshot"]["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["slug"].as_str().expect("a slug"))
        .collect();
    assert_eq!(options, ["axum", "actix-web"]);
    assert_eq!(
        body["snapshot"]["options"][0]["language"],
        json!({"slug": "rust", "name": "Rust"})
    );
    let shown = app.get(&format!("/api/v1/decisions/{id}")).await;
    assert_eq!(shown.json(), body);
    assert_eq!(shown.header("etag"), created.header("etag"));
    let page = app.page(&format!("/decisions/{id}"), 200).await;
    page.assert_contains(&[
        r#"<a href="/advisor?t=axum&#38;t=actix-web&#38;time-to-market=must">Re-run the advisor with the same inputs</a>"#,
    ]);

    let list = app.json("/api/v1/decisions", 200).await;
    assert_eq!(list["page"], 1);
    assert_eq!(list["per_page"], 20);
    assert_eq!(list["total"], 1);
    assert_eq!(
        list["items"][0],
        json!({"id": id, "title": "Choose between Axum and Actix-web", "status": "accepted",
               "decided_on": "2026-02-01", "revisit_by": "2026-08-01", "due_for_review": true,
               "options": [{"slug": "axum", "name": "Axum"}, {"slug": "actix-web", "name": "Actix-web"}],
               "chosen": {"slug": "axum", "name": "Axum"}, "superseded_by": null})
    );

    let path = format!("/api/v1/decisions/{id}");
    let etag = created.header("etag").to_owned();
    let patched = send_json(
        &app,
        Method::PATCH,
        &path,
        &token,
        &[("if-match", &etag)],
        &json!({"status": "deprecated"}),
    )
    .await;
    assert_eq!(patched.status.as_u16(), 200, "{}", patched.body);
    assert_eq!(patched.json()["status"], "deprecated");
    assert_eq!(patched.header("etag"), format!("\"{id}-2\""));
    let stale = send_json(
        &app,
        Method::PATCH,
        &path,
        &token,
        &[("if-match", &etag)],
        &json!({"status": "accepted"}),
    )
    .await;
    assert_eq!(stale.status.as_u16(), 412, "{}", stale.body);
    assert_eq!(stale.header("content-type"), "application/problem+json");
    assert_eq!(
        app.json(&path, 200).await["status"],
        "deprecated",
        "nothing written"
    );

    let mut whole = api_decision();
    whole["title"] = json!("Axum it is");
    whole["revisit_by"] = json!(null);
    let replaced = send_json(
        &app,
        Method::PUT,
        &path,
        &token,
        &[("if-match", patched.header("etag"))],
        &whole,
    )
    .await;
    assert_eq!(replaced.status.as_u16(), 200, "{}", replaced.body);
    let replaced_body = replaced.json();
    assert_eq!(replaced_body["title"], "Axum it is");
    assert_eq!(replaced_body["status"], "accepted");
    assert!(replaced_body["revisit_by"].is_null());
    assert_eq!(
        replaced_body["snapshot"], body["snapshot"],
        "never rewritten"
    );
    let mut partial = api_decision();
    partial
        .as_object_mut()
        .expect("an object")
        .remove("context");
    let incomplete = send_json(&app, Method::PUT, &path, &token, &[], &partial).await;
    assert_eq!(incomplete.status.as_u16(), 422);
    assert_eq!(incomplete.json()["errors"][0]["name"], "context");

    let deleted = app
        .send(
            Method::DELETE,
            &path,
            &[
                ("authorization", &token),
                ("if-match", replaced.header("etag")),
            ],
        )
        .await;
    assert_eq!(deleted.status.as_u16(), 204, "{}", deleted.body);
    app.json(&path, 404).await;
    let audit = app.page("/decisions", 200).await;
    audit.assert_contains(&["No decisions have been recorded yet"]);
}

async fn api_writes_need_a_token_and_valid_fields(app: TestApp) {
    let none = app
        .send_body(
            Method::POST,
            "/api/v1/decisions",
            &[("content-type", "application/json")],
            Some(&api_decision().to_string()),
        )
        .await;
    assert_eq!(none.status.as_u16(), 401);
    assert_eq!(none.header("content-type"), "application/problem+json");
    let read_only = bearer(&app, Scope::Read);
    let refused = send_json(
        &app,
        Method::POST,
        "/api/v1/decisions",
        &read_only,
        &[],
        &api_decision(),
    )
    .await;
    assert_eq!(refused.status.as_u16(), 403);

    let token = bearer(&app, Scope::ReadWrite);
    let mut bad = api_decision();
    bad["options"] = json!(["axum", "nope"]);
    bad["chosen"] = json!("nope");
    bad["status"] = json!("done");
    bad["colour"] = json!("blue");
    let invalid = send_json(&app, Method::POST, "/api/v1/decisions", &token, &[], &bad).await;
    assert_eq!(invalid.status.as_u16(), 422, "{}", invalid.body);
    assert_eq!(invalid.header("content-type"), "application/problem+json");
    assert_eq!(
        invalid.json()["errors"],
        json!([{"name": "colour", "detail": "is not a field here; known fields: title, context, drivers, options, chosen, rationale, consequences, status, superseded_by, decided_on, revisit_by, links, advisor_query"}])
    );
    bad.as_object_mut().expect("an object").remove("colour");
    let invalid = send_json(&app, Method::POST, "/api/v1/decisions", &token, &[], &bad).await;
    assert_eq!(invalid.status.as_u16(), 422);
    let errors: Vec<(String, String)> = invalid.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["name"].as_str().expect("a name").into(),
                e["detail"].as_str().expect("a detail").into(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("options".into(), "there is no technology `nope`".into()),
            (
                "status".into(),
                "must be one of proposed, accepted, rejected, deprecated, superseded, not `done`"
                    .into()
            ),
        ]
    );
    let not_json = app
        .send_body(
            Method::POST,
            "/api/v1/decisions",
            &[("authorization", &token), ("content-type", "text/plain")],
            Some("{}"),
        )
        .await;
    assert_eq!(not_json.status.as_u16(), 415);
    let malformed = app
        .send_body(
            Method::POST,
            "/api/v1/decisions",
            &[
                ("authorization", &token),
                ("content-type", "application/json"),
            ],
            Some("{"),
        )
        .await;
    assert_eq!(malformed.status.as_u16(), 400);
    assert_eq!(
        app.json("/api/v1/decisions", 200).await["total"],
        0,
        "nothing was written"
    );
    let unknown = send_json(
        &app,
        Method::PATCH,
        "/api/v1/decisions/999",
        &token,
        &[],
        &json!({"status": "accepted"}),
    )
    .await;
    assert_eq!(unknown.status.as_u16(), 404);
    let method = app
        .send(
            Method::PUT,
            "/api/v1/decisions",
            &[("authorization", &token)],
        )
        .await;
    assert_eq!(method.status.as_u16(), 405);
    assert_eq!(method.header("allow"), "GET, HEAD, POST");
}
