//! The advisor: its form, a ranking that explains itself and round-trips through its URL,
//! exclusions by a must, frameworks inheriting their language's facts, bad inputs, the JSON
//! API, and the requirements' admin forms.

use awc::http::Method;
use serde_json::{Value, json};
use verdict::accounts::tokens::Scope;

use crate::helpers::{Reply, TestApp, hidden};
use crate::on_both_backends;

on_both_backends!(
    the_form_lists_requirements_and_candidates,
    a_result_explains_the_ranking_and_round_trips_through_its_url,
    a_must_excludes_with_the_reason,
    frameworks_take_their_languages_facts,
    bad_inputs_are_named_on_the_form,
    the_advice_api_answers_the_same_ranking,
    the_advice_api_names_bad_fields,
    requirements_are_curated_by_editors,
    a_catalog_edit_shows_in_the_next_advice,
);

/// The candidates a result page ranks, in order.
fn ranked(page: &Reply) -> Vec<String> {
    let section = page
        .body
        .split(r#"<ol class="ranked">"#)
        .nth(1)
        .and_then(|rest| rest.split("</ol>").next())
        .unwrap_or_else(|| panic!("no ranking in:\n{}", page.body));
    section
        .split(r#"<span class="rank">"#)
        .skip(1)
        .filter_map(|item| {
            let at = item.find("\">")? + 2;
            Some(item[at..].split('<').next()?.to_owned())
        })
        .collect()
}

async fn the_form_lists_requirements_and_candidates(app: TestApp) {
    let page = app.page("/advisor", 200).await;
    page.assert_contains(&[
        "<h1>Advisor</h1>",
        r#"aria-current="page">Advisor</a>"#,
        r#"<form method="get" action="/advisor""#,
        "<legend>Time to market</legend>",
        "<legend>WebAssembly target</legend>",
        r#"<input type="radio" name="time-to-market" value="must">"#,
        r#"<input type="radio" name="time-to-market" value="irrelevant" checked>"#,
        r#"<input type="checkbox" name="t" value="go">"#,
        r#"<input type="checkbox" name="of" value="rust">"#,
        "As a must, it excludes anything below 5/5 on Memory safety.",
        "How the advisor ranks",
    ]);
    assert!(!page.body.contains("<h2 id=\"ranking\">"), "no ranking yet");
    let home = app.page("/", 200).await;
    home.assert_contains(&[
        r#"<a class="button button-secondary" href="/advisor?t=go&#38;t=rust">"#,
    ]);
    // Where it leads: the form with the two candidates ticked, waiting for requirements.
    let chosen = app.page("/advisor?t=go&t=rust", 200).await;
    chosen.assert_contains(&[
        r#"<input type="checkbox" name="t" value="go" checked>"#,
        r#"<input type="checkbox" name="t" value="rust" checked>"#,
    ]);
    assert!(!chosen.body.contains("needs fixing"), "{}", chosen.body);
    assert!(
        !chosen.body.contains("<h2 id=\"ranking\">"),
        "no ranking yet"
    );
    assert_eq!(
        app.send(Method::HEAD, "/advisor", &[])
            .await
            .status
            .as_u16(),
        200
    );
    let post = app.send(Method::DELETE, "/advisor", &[]).await;
    assert_eq!(post.status.as_u16(), 405);
    assert_eq!(post.header("allow"), "GET, HEAD");
}

async fn a_result_explains_the_ranking_and_round_trips_through_its_url(app: TestApp) {
    let path = "/advisor?t=rust&t=go&of=&time-to-market=must&maximum-performance=important&memory-safety=nice&webassembly=irrelevant";
    let page = app.page(path, 200).await;
    assert_eq!(ranked(&page), ["Go", "Rust"]);
    page.assert_contains(&[
        "<title>Advice: Go, Rust",
        r#"<meta property="og:title" content="Advice: Go, Rust">"#,
        // Go: 4 × 1 + 2 × 0.75 + 1 × 0.75 = 6.25 of 7.
        "<strong>6.2</strong> of 7.0 points (89%)",
        "What would change the top choice:</strong> Rust would rank first if Maximum performance were a must.",
        "Time to market <span class=\"muted\">(must)</span>: +4.0 of 4.0",
        "Time to market: 2.4 points behind Go",
        "Steep: a newcomer usually needs weeks, often months",
        r#"<a href="/sources/"#,
        // The form shows the inputs again.
        r#"<input type="checkbox" name="t" value="go" checked>"#,
        r#"<input type="radio" name="time-to-market" value="must" checked>"#,
        r#"<input type="radio" name="maximum-performance" value="important" checked>"#,
    ]);
    // The link to the result holds every input, and nothing it need not.
    let share = "/advisor?t=rust&#38;t=go&#38;time-to-market=must&#38;maximum-performance=important&#38;memory-safety=nice";
    assert!(page.body.contains(share), "{}", page.body);
    assert!(!page.body.contains("Record a decision"), "only for editors");
    let reopened = app.page(&share.replace("&#38;", "&"), 200).await;
    assert_eq!(ranked(&reopened), ranked(&page));
    let points = |p: &Reply| {
        p.body
            .split("<p class=\"points\">")
            .skip(1)
            .map(|s| s.split("</p>").next().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(points(&reopened), points(&page));

    // The sensitivity line is true: making performance a must puts Rust first.
    let flipped = app
        .page(
            "/advisor?t=go&t=rust&time-to-market=must&maximum-performance=must&memory-safety=nice",
            200,
        )
        .await;
    // Go is below 5 on runtime overhead, which a must on performance demands.
    assert_eq!(ranked(&flipped), ["Rust"]);
    flipped.assert_contains(&[
        "Excluded by a must",
        "Maximum performance is a must, which needs at least 5/5 on Runtime overhead; Go scores 4.",
    ]);

    let editor = app.signed_in("editor").await;
    let signed_in = editor.page(path, 200).await;
    signed_in.assert_contains(&[
        r#"href="/admin/decisions/new?t=rust&#38;t=go&#38;time-to-market=must"#,
    ]);
}

async fn a_must_excludes_with_the_reason(app: TestApp) {
    // No candidates given: every language.
    let page = app.page("/advisor?memory-safety=must", 200).await;
    assert_eq!(ranked(&page), ["Rust"]);
    page.assert_contains(&[
        "Memory safety and security is a must, which needs at least 5/5 on Memory safety; C/C++ scores 1.",
        "Memory safety and security is a must, which needs at least 5/5 on Memory safety; Go scores 4.",
        "Memory safety and security is a must, which needs at least 5/5 on Memory safety; Python has no score there.",
    ]);

    let none = app
        .page("/advisor?t=go&t=python&webassembly=must", 200)
        .await;
    none.assert_contains(&["No candidate meets every requirement marked must."]);
}

async fn frameworks_take_their_languages_facts(app: TestApp) {
    let page = app
        .page(
            "/advisor?of=rust&of=go&time-to-market=important&maximum-performance=nice",
            200,
        )
        .await;
    let names = ranked(&page);
    assert_eq!(names.len(), 10, "{names:?}");
    for name in [
        "Gin",
        "Echo",
        "Fiber",
        "net/http",
        "Actix-web",
        "Axum",
        "Hyper",
        "Rocket",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    page.assert_contains(&[
        r#"From <a href="/technologies/rust">Rust</a>, the language Actix-web is written in"#,
        r#"<input type="checkbox" name="of" value="rust" checked>"#,
    ]);
    // Go's frameworks inherit Go's velocity and rank above Rust's for time to market.
    assert!(
        names.iter().position(|n| n == "Gin") < names.iter().position(|n| n == "Axum"),
        "{names:?}"
    );
}

async fn bad_inputs_are_named_on_the_form(app: TestApp) {
    let page = app
        .page("/advisor?t=go&t=nope&speed=must&time-to-market=urgent", 400)
        .await;
    page.assert_contains(&[
        "One thing needs fixing",
        "Time to market: must be must, important, nice or irrelevant, not `urgent`",
    ]);

    let page = app.page("/advisor?t=go&t=nope&speed=must", 400).await;
    page.assert_contains(&[
        // In the form's order: the candidates first.
        concat!(
            r##"<li><a href="#candidates">Candidates: names no technology: `nope`</a></li>"##,
            r##"<li><a href="#requirements">Requirements: `speed` is not a requirement</a></li>"##,
        ),
        r#"<fieldset id="candidates" class="invalid">"#,
    ]);

    let page = app.page("/advisor?t=go&time-to-market=must", 400).await;
    page.assert_contains(&["needs at least two candidates to rank; these choices give 1"]);

    let page = app
        .page("/advisor?t=go&t=rust&time-to-market=irrelevant", 400)
        .await;
    page.assert_contains(&["Requirements: need at least one marked must, important or nice"]);

    let page = app.page("/advisor?of=python&nice=nice", 400).await;
    page.assert_contains(&[
        "Requirements: `nice` is not a requirement",
        "needs at least two candidates",
    ]);

    let page = app.page("/advisor?t=Go_&Page=2", 400).await;
    page.assert_contains(&[
        "is not a parameter of the advisor",
        "`Go_` must be lowercase",
    ]);
}

/// POSTs `body` as JSON to the advice API.
async fn advise(app: &TestApp, body: Value) -> Reply {
    app.send_body(
        Method::POST,
        "/api/v1/advice",
        &[("content-type", "application/json")],
        Some(&body.to_string()),
    )
    .await
}

async fn the_advice_api_answers_the_same_ranking(app: TestApp) {
    let reply = advise(
        &app,
        json!({
            "candidates": ["rust", "go"],
            "requirements": {"time-to-market": "must", "maximum-performance": "important", "memory-safety": "nice"}
        }),
    )
    .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), "application/json");
    let answer = reply.json();
    assert_eq!(
        answer["url"],
        "/advisor?t=rust&t=go&maximum-performance=important&memory-safety=nice&time-to-market=must"
    );
    let advice = &answer["advice"];
    let ranking = &advice["ranking"];
    assert_eq!(ranking["ranked"][0]["slug"], "go");
    assert_eq!(ranking["ranked"][0]["points"], 6.25);
    assert_eq!(ranking["max_points"], 7.0);
    assert_eq!(ranking["flips"][0]["leader"], "rust");
    assert_eq!(ranking["flips"][0]["to"], "must");
    let rust = &ranking["ranked"][1];
    assert_eq!(rust["trade_offs"][0]["requirement"], "time-to-market");
    let contribution = rust["contributions"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["requirement"] == "time-to-market"))
        .expect("a contribution");
    assert_eq!(contribution["importance"], "must");
    assert_eq!(contribution["dimensions"][0]["dimension"], "learning-curve");
    let evidence = advice["evidence"].as_array().expect("evidence");
    let steep = evidence
        .iter()
        .find(|e| e["candidate"] == "rust" && e["fact"]["dimension"]["slug"] == "learning-curve")
        .expect("Rust's learning curve");
    assert_eq!(steep["fact"]["score"], 2);
    assert_eq!(steep["fact"]["technology"]["slug"], "rust");
    assert!(steep["fact"]["sources"][0]["title"].is_string());
    assert_eq!(advice["requirements"].as_array().map(Vec::len), Some(3));

    // The page the URL names ranks the same way.
    let url = answer["url"].as_str().expect("a url").to_owned();
    let page = app.page(&url, 200).await;
    assert_eq!(ranked(&page), ["Go", "Rust"]);

    let requirements = app.json("/api/v1/requirements", 200).await;
    let items = requirements["items"].as_array().expect("items");
    assert_eq!(items.len(), 11);
    let safety = items
        .iter()
        .find(|r| r["slug"] == "memory-safety")
        .expect("memory safety");
    assert_eq!(safety["constraint"]["dimension"]["slug"], "memory-safety");
    assert_eq!(safety["constraint"]["min"], 5);
    assert_eq!(safety["weights"][0]["weight"], 3);
}

async fn the_advice_api_names_bad_fields(app: TestApp) {
    let reply = advise(
        &app,
        json!({"candidates": ["go", "nope"], "frameworks_of": ["gin"], "requirements": {"zzz": "must"}}),
    )
    .await;
    assert_eq!(reply.status.as_u16(), 422, "{}", reply.body);
    assert_eq!(reply.header("content-type"), "application/problem+json");
    let names: Vec<String> = reply.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(names, ["requirements.zzz", "candidates", "frameworks_of"]);

    let reply = advise(
        &app,
        json!({"requirements": {"webassembly": "urgent"}, "colour": 1}),
    )
    .await;
    assert_eq!(reply.status.as_u16(), 422);
    assert!(
        reply.body.contains("unknown field `colour`"),
        "{}",
        reply.body
    );
    let reply = advise(&app, json!({"requirements": {"webassembly": "urgent"}})).await;
    assert!(
        reply.body.contains(r#""name":"requirements.webassembly""#),
        "{}",
        reply.body
    );

    let text = app
        .send_body(
            Method::POST,
            "/api/v1/advice",
            &[("content-type", "text/plain")],
            Some("{}"),
        )
        .await;
    assert_eq!(text.status.as_u16(), 415);
    let broken = app
        .send_body(
            Method::POST,
            "/api/v1/advice",
            &[("content-type", "application/json")],
            Some("{\"candidates\": ["),
        )
        .await;
    assert_eq!(broken.status.as_u16(), 400);
    let get = app.get("/api/v1/advice").await;
    assert_eq!(get.status.as_u16(), 405);
    assert_eq!(get.header("allow"), "POST");
}

async fn requirements_are_curated_by_editors(app: TestApp) {
    let anonymous = app.browser();
    for path in [
        "/admin/requirements",
        "/admin/requirements/new",
        "/admin/requirements/time-to-market",
        "/admin/requirements/time-to-market/delete",
    ] {
        let reply = anonymous.get(path).await;
        assert_eq!(reply.status.as_u16(), 303, "GET {path}");
    }
    let editor = app.signed_in("editor").await;
    let list = editor.page("/admin/requirements", 200).await;
    list.assert_contains(&["Time to market", "with a constraint when a must"]);
    let form = editor.page("/admin/requirements/new", 200).await;
    form.assert_contains(&[
        "<legend>Weights</legend>",
        r#"<label for="weight.performance">Performance</label>"#,
        r#"<option value="memory-safety">Memory safety</option>"#,
    ]);

    // Nothing weighed, a constraint without its minimum, a reserved slug: all named.
    let bad = editor
        .post_form(
            "/admin/requirements/new",
            &[
                ("name", "Observability"),
                ("slug", "of"),
                ("explanation", "Tracing matters."),
                ("position", "5"),
                ("weight.performance", "0"),
                ("weight.nonsense", "2"),
                ("constraint_dimension", "performance"),
                ("constraint_min", ""),
            ],
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422, "{}", bad.body);
    bad.assert_contains(&[
        "cannot be `of`: the advisor&#39;s address uses it",
        "weight.nonsense",
        "is not a scored dimension",
        "is needed for a constraint",
        r#"value="Observability""#,
    ]);

    let unweighed = editor
        .post_form(
            "/admin/requirements/new",
            &[
                ("name", "Observability"),
                ("slug", "observability"),
                ("explanation", "Tracing matters."),
                ("position", "5"),
                ("weight.performance", "0"),
                ("weight.ecosystem", "9"),
            ],
        )
        .await;
    assert_eq!(unweighed.status.as_u16(), 422);
    unweighed.assert_contains(&[
        r#"<input id="weight.ecosystem" name="weight.ecosystem" type="number" inputmode="numeric" value="9" aria-invalid="true" aria-describedby="weight.ecosystem-error">"#,
        "must be a whole number from 0 to 5",
    ]);
    let zero = editor
        .post_form(
            "/admin/requirements/new",
            &[
                ("name", "Observability"),
                ("slug", "observability"),
                ("explanation", "Tracing matters."),
                ("position", "5"),
                ("weight.performance", "0"),
            ],
        )
        .await;
    assert_eq!(zero.status.as_u16(), 422);
    zero.assert_contains(&[
        r#"<fieldset class="numbers invalid" id="weights""#,
        "are all zero: a requirement must weigh at least one dimension",
    ]);

    let without_token = editor
        .post_form_raw("/admin/requirements/new", &[("name", "X")])
        .await;
    assert_eq!(without_token.status.as_u16(), 403);

    let created = editor
        .post_form(
            "/admin/requirements/new",
            &[
                ("name", "Lean deploys"),
                ("slug", "lean-deploys"),
                ("explanation", "Small images, quick rollouts."),
                ("position", "5"),
                ("weight.binary-size", "4"),
                ("weight.compile-time", "1"),
                ("constraint_dimension", "binary-size"),
                ("constraint_min", "5"),
            ],
        )
        .await;
    assert_eq!(created.status.as_u16(), 303, "{}", created.body);
    assert_eq!(
        created.header("location"),
        "/admin/requirements/lean-deploys"
    );
    let advisor = app.page("/advisor", 200).await;
    advisor.assert_contains(&[
        "<legend>Lean deploys</legend>",
        "Weighs Compile time (×1), Binary size (×4). As a must, it excludes anything below 5/5 on Binary size.",
    ]);
    let result = app
        .page("/advisor?t=go&t=rust&lean-deploys=must", 200)
        .await;
    assert_eq!(ranked(&result), ["Rust"]);

    // A stale edit is refused with both versions shown.
    let form = editor.page("/admin/requirements/lean-deploys", 200).await;
    let version = hidden(&form.body, "version");
    let edit = |name: &'static str| {
        vec![
            ("version", version.clone()),
            ("name", name.to_owned()),
            ("slug", "lean-deploys".to_owned()),
            ("explanation", "Small images.".to_owned()),
            ("position", "5".to_owned()),
            ("weight.binary-size", "2".to_owned()),
        ]
    };
    let first: Vec<(&str, String)> = edit("Lean releases");
    let pairs: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = editor
        .post_form("/admin/requirements/lean-deploys", &pairs)
        .await;
    assert_eq!(saved.status.as_u16(), 303, "{}", saved.body);
    let second = edit("Lean rollouts");
    let pairs: Vec<(&str, &str)> = second.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let stale = editor
        .post_form("/admin/requirements/lean-deploys", &pairs)
        .await;
    assert_eq!(stale.status.as_u16(), 409);
    stale.assert_contains(&[
        "Someone else saved this requirement",
        "Lean releases",
        "Lean rollouts",
    ]);

    let requirements = app.json("/api/v1/requirements", 200).await;
    let lean = requirements["items"]
        .as_array()
        .and_then(|items| items.iter().find(|r| r["slug"] == "lean-deploys"))
        .expect("the new requirement");
    assert_eq!(lean["name"], "Lean releases");
    assert_eq!(lean["weights"].as_array().map(Vec::len), Some(1));
    assert!(lean["constraint"].is_null());

    let admin = app.signed_in("admin").await;
    let audit = admin.page("/admin/audit?kind=requirement", 200).await;
    audit.assert_contains(&["Lean deploys", "Lean releases"]);

    let delete = editor
        .page("/admin/requirements/lean-deploys/delete", 200)
        .await;
    let version = hidden(&delete.body, "version");
    let deleted = editor
        .post_form(
            "/admin/requirements/lean-deploys/delete",
            &[("version", &version)],
        )
        .await;
    assert_eq!(deleted.status.as_u16(), 303);
    app.page("/advisor?lean-deploys=must", 400).await;
}

async fn a_catalog_edit_shows_in_the_next_advice(app: TestApp) {
    let path =
        "/advisor?t=go&t=rust&time-to-market=must&maximum-performance=important&memory-safety=nice";
    assert_eq!(ranked(&app.page(path, 200).await), ["Go", "Rust"]);
    let (_, secret) = app.api_token("ci", Scope::ReadWrite);
    let patched = app
        .send_body(
            Method::PATCH,
            "/api/v1/technologies/rust/assessments/developer-velocity",
            &[
                ("content-type", "application/json"),
                ("authorization", &format!("Bearer {secret}")),
            ],
            Some(&json!({"score": 5}).to_string()),
        )
        .await;
    assert_eq!(patched.status.as_u16(), 200, "{}", patched.body);
    // Rust now fits time to market at (3 × 4 + 1 × 1 + 1 × 1) / 20 = 0.7: 2.8 + 2 + 1 = 5.8,
    // still behind Go's 6.25, but the page shows the new score at once.
    let page = app.page(path, 200).await;
    page.assert_contains(&["<strong>5.8</strong> of 7.0 points"]);
}
