//! Benchmark evidence: the pages and their charts, the JSON API, and imports of load tools'
//! files through the form (with its preview) and the API, where bad input stores nothing.

use awc::http::Method;
use diesel::prelude::*;
use serde_json::Value;
use verdict::accounts::tokens::Scope;
use verdict::db::schema::{audit_log, benchmark_results, benchmark_runs, benchmark_uploads};

use crate::helpers::{Reply, TestApp, multipart};
use crate::on_both_backends;

on_both_backends!(
    benchmark_pages_show_the_demo_runs_ranked_and_charted,
    a_scenario_filters_its_results_and_takes_ratios_against_a_baseline,
    the_api_lists_scenarios_and_filters_runs,
    an_editor_imports_wrk_output_after_a_preview,
    the_import_form_names_each_problem_and_stores_nothing,
    a_techempower_import_maps_frameworks_and_creates_what_is_missing,
    a_mapping_that_does_not_hold_stores_nothing,
    the_preview_of_a_large_file_lists_its_first_results_and_stores_all,
    imports_through_the_api,
    scenarios_and_environments_are_curated_through_the_admin_and_the_api,
    control_characters_in_an_upload_are_refused_by_the_form_and_the_api,
);

/// wrk's output with `--latency`, as wrk 4.1.0 prints it.
const WRK: &str = "Running 2s test @ http://127.0.0.1:8080/technologies
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   620.04us  203.02us   5.00ms   82.66%
    Req/Sec   103.44k     5.21k  110.79k    76.00%
  Latency Distribution
     50%  583.00us
     75%  678.00us
     90%  803.00us
     99%    1.33ms
  205878 requests in 2.00s, 29.26MB read
Requests/sec: 102911.82
Transfer/sec:     14.55MB
";

/// A TechEmpower `results.json` of three frameworks, one of them (`axum`) in the catalog;
/// `rocket` failed and has no entries.
const TECHEMPOWER: &str = r#"{
  "name": "Verdict test round",
  "startTime": 1700000000000,
  "duration": 15,
  "concurrencyLevels": [16, 64],
  "pipelineConcurrencyLevels": [256],
  "queryIntervals": [1, 20],
  "cachedQueryIntervals": [1],
  "frameworks": ["actix", "salvo", "axum", "rocket"],
  "rawData": {
    "json": {
      "actix": [
        {"totalRequests": 1500000, "startTime": 1700000000, "endTime": 1700000015, "latencyAvg": "0.50ms", "latencyMax": "5.00ms", "latencyStdev": "0.10ms"},
        {"totalRequests": 3000000, "startTime": 1700000100, "endTime": 1700000115, "latencyAvg": "0.90ms", "latencyMax": "9.00ms", "latencyStdev": "0.20ms"}
      ],
      "salvo": [
        {"totalRequests": 1200000, "startTime": 1700000000, "endTime": 1700000015, "latencyAvg": "0.60ms", "latencyMax": "6.00ms", "latencyStdev": "0.10ms"},
        {"totalRequests": 2400000, "startTime": 1700000100, "endTime": 1700000115, "latencyAvg": "1.10ms", "latencyMax": "11.00ms", "latencyStdev": "0.30ms"}
      ],
      "axum": [
        {"totalRequests": 900000, "startTime": 1700000000, "endTime": 1700000015, "latencyAvg": "0.70ms", "latencyMax": "7.00ms", "latencyStdev": "0.10ms"},
        {"totalRequests": 1800000, "startTime": 1700000100, "endTime": 1700000115, "latencyAvg": "1.30ms", "latencyMax": "13.00ms", "latencyStdev": "0.30ms"}
      ],
      "rocket": []
    },
    "query": {
      "actix": [
        {"totalRequests": 450000, "startTime": 1700000200, "endTime": 1700000215, "latencyAvg": "2.00ms", "latencyMax": "20.00ms", "latencyStdev": "0.50ms"},
        {"totalRequests": 30000, "startTime": 1700000300, "endTime": 1700000315, "latencyAvg": "30.00ms", "latencyMax": "90.00ms", "latencyStdev": "5.00ms"}
      ]
    }
  }
}"#;

/// Runs, results and uploads stored.
fn counts(app: &TestApp) -> (i64, i64, i64) {
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    let runs = benchmark_runs::table
        .count()
        .get_result(&mut *conn)
        .expect("runs");
    let results = benchmark_results::table
        .count()
        .get_result(&mut *conn)
        .expect("results");
    let uploads = benchmark_uploads::table
        .count()
        .get_result(&mut *conn)
        .expect("uploads");
    (runs, results, uploads)
}

/// The demo dataset: the published table's four runs with eight results, and two runs of
/// load tools against Verdict itself, each with its file.
const DEMO: (i64, i64, i64) = (6, 10, 2);

/// The number in `/admin/benchmarks/imports/{id}`.
fn upload_id(location: &str) -> String {
    location
        .strip_prefix("/admin/benchmarks/imports/")
        .unwrap_or_else(|| panic!("not a preview: {location}"))
        .to_owned()
}

/// The address of the link whose text is `text`.
pub fn href_of(body: &str, text: &str) -> String {
    let end = body
        .find(&format!(">{text}</a>"))
        .unwrap_or_else(|| panic!("no link {text} in:\n{body}"));
    let start = body[..end].rfind("href=\"").expect("an href") + "href=\"".len();
    body[start..end]
        .split('"')
        .next()
        .expect("a quoted address")
        .to_owned()
}

/// The action of the page's form that posts with the button `button`.
pub fn form_action(body: &str, button: &str) -> String {
    const FORM: &str = r#"<form method="post" action=""#;
    body.split(FORM)
        .skip(1)
        .find(|form| {
            form.split("</form>")
                .next()
                .is_some_and(|form| form.contains(&format!(">{button}</button>")))
        })
        .and_then(|form| form.split('"').next())
        .unwrap_or_else(|| panic!("no form with the button {button} in:\n{body}"))
        .to_owned()
}

/// Checks that a page has a chart titled `title`: a figure captioned with the title, which
/// holds the chart drawn twice, wide and narrow (the stylesheet shows one), each an
/// accessible, self-contained SVG named by its own title and description, its ids its own
/// on the page.
fn assert_chart(body: &str, title: &str) {
    let figure = body
        .split(r#"<figure class="chart">"#)
        .skip(1)
        .map(|rest| rest.split("</figure>").next().unwrap_or_default())
        .find(|figure| figure.contains(&format!("<figcaption>{title}</figcaption>")))
        .unwrap_or_else(|| panic!("no chart captioned {title} in:\n{body}"));
    let svgs: Vec<&str> = figure
        .split("<svg")
        .skip(1)
        .map(|rest| rest.split("</svg>").next().unwrap_or_default())
        .collect();
    let [wide, narrow] = svgs.as_slice() else {
        panic!("a wide and a narrow chart in:\n{figure}");
    };
    let id_of = |svg: &str| {
        svg.split(r#" id=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("a chart without an id: {svg}"))
            .to_owned()
    };
    let wide_id = id_of(wide);
    assert_eq!(id_of(narrow), format!("{wide_id}-narrow"));
    for (svg, class) in [(wide, "chart chart-wide"), (narrow, "chart chart-narrow")] {
        let id = id_of(svg);
        assert!(svg.contains(&format!(r#"class="{class}""#)), "{svg}");
        assert!(svg.contains(r#"role="img""#), "{svg}");
        assert!(
            svg.contains(&format!(r#"aria-labelledby="{id}-title {id}-desc""#)),
            "{svg}"
        );
        assert!(
            svg.contains(&format!(r#"<title id="{id}-title">{title}</title>"#)),
            "{svg}"
        );
        assert!(svg.contains(&format!(r#"<desc id="{id}-desc">"#)), "{svg}");
        assert!(!svg.contains("<script"), "{svg}");
        for id in [id.clone(), format!("{id}-title"), format!("{id}-desc")] {
            assert_eq!(
                body.matches(&format!(r#"id="{id}""#)).count(),
                1,
                "id {id} is not unique on the page"
            );
        }
    }
}

async fn benchmark_pages_show_the_demo_runs_ranked_and_charted(app: TestApp) {
    let list = app.page("/benchmarks", 200).await;
    list.assert_contains(&[
        "<h1>Benchmarks</h1>",
        r#"<a href="/benchmarks/fortunes">Fortunes</a>"#,
        // The table's title is outside its scrolling region, so a phone never cuts it off.
        r#"<p class="table-title" aria-hidden="true">Results of the run with the fastest: Fortunes</p>"#,
        "Single query",
        "Plaintext",
        "JSON serialisation",
        "39,947",
        "36,735",
        r#"id="environment-demo-vm""#,
        "2 vCPU AMD EPYC (KVM), 24 GiB",
    ]);
    assert_chart(
        &list.body,
        "Fortunes: requests per second, run of 2026-11-21",
    );
    assert!(list.body.contains(r#"aria-current="page">Benchmarks</a>"#));

    let fortunes = app.page("/benchmarks/fortunes", 200).await;
    let go = fortunes
        .body
        .find("Go 1.19 + fasthttp")
        .expect("Go's result");
    let diesel = fortunes
        .body
        .find("Actix-web 4.9 + Diesel")
        .expect("Diesel's");
    let tokio = fortunes
        .body
        .find("Actix-web + tokio-postgres")
        .expect("tokio-postgres'");
    assert!(go < diesel && diesel < tokio, "ranked fastest first");
    fortunes.assert_contains(&[
        "3 results",
        "2.73 ms",
        "16.8 MiB",
        "<caption>",
        // On a phone each figure of the ranking is shown under its name.
        r#"<td class="num" data-label="Requests/s">39,947</td>"#,
        // The side table of percentiles gives the unit once, over them.
        r#"<th scope="colgroup" colspan="5" class="group">Latency (ms)</th>"#,
    ]);
    assert_chart(&fortunes.body, "Fortunes: requests per second");
    assert_chart(&fortunes.body, "Fortunes: latency by percentile");

    let run_id = app
        .json("/api/v1/benchmarks/runs?scenario=fortunes", 200)
        .await["items"][0]["id"]
        .as_i64()
        .expect("a run");
    let run = app.page(&format!("/benchmarks/runs/{run_id}"), 200).await;
    run.assert_contains(&[
        "Fortunes: run",
        &format!(r#"<meta property="og:title" content="Fortunes, run {run_id} · Benchmarks">"#),
        "wrk 4.1.0",
        "64 connections, 1 thread",
        "10.0 s",
        r#"href="/sources/"#,
        "a counterpoint to the",
        "14.8 MiB",
    ]);
    // The published table came without a file.
    assert!(!run.body.contains("Original file"));
    let original = app
        .get(&format!("/benchmarks/runs/{run_id}/original"))
        .await;
    assert_eq!(original.status.as_u16(), 404);

    app.page("/benchmarks/no-such-scenario", 404).await;
    app.page("/benchmarks/runs/999999", 404).await;
    let head = app.send(Method::HEAD, "/benchmarks/fortunes", &[]).await;
    assert_eq!(head.status.as_u16(), 200);
    let post = app.send(Method::POST, "/benchmarks", &[]).await;
    assert_eq!(post.status.as_u16(), 405);
}

async fn a_scenario_filters_its_results_and_takes_ratios_against_a_baseline(app: TestApp) {
    // By default the ratios are against the slowest shown.
    let page = app.page("/benchmarks/fortunes", 200).await;
    page.assert_contains(&["2.16×", "1.98×", "1.00×", "Ratios against"]);
    let go = app
        .json("/api/v1/benchmarks/runs?scenario=fortunes", 200)
        .await["items"][0]["best"]["id"]
        .as_i64()
        .expect("Go's result");
    let against_go = app
        .page(&format!("/benchmarks/fortunes?baseline={go}"), 200)
        .await;
    against_go.assert_contains(&["1.00×", "0.92×", "0.46×"]);
    assert!(
        against_go
            .body
            .contains(&format!(r#"<option value="{go}" selected>"#))
    );
    assert_chart(
        &against_go.body,
        "Fortunes: requests per second against Go 1.19 + fasthttp 1.31 + pgx 4.15 (GOMAXPROCS=1)",
    );

    let filtered = app
        .page(
            "/benchmarks/fortunes?concurrency=64&tool=wrk&environment=demo-vm",
            200,
        )
        .await;
    filtered.assert_contains(&["3 results match", "Clear filters"]);
    let none = app.page("/benchmarks/fortunes?concurrency=512", 200).await;
    none.assert_contains(&["0 results match", "No result matches these filters"]);

    for bad in [
        "/benchmarks/fortunes?concurrency=many",
        "/benchmarks/fortunes?tool=ab",
        "/benchmarks/fortunes?baseline=999999",
        "/benchmarks/fortunes?page=0",
    ] {
        app.page(bad, 400).await;
    }
}

async fn the_api_lists_scenarios_and_filters_runs(app: TestApp) {
    let scenarios = app.json("/api/v1/benchmarks/scenarios", 200).await;
    assert_eq!(scenarios["total"], 6);
    assert_eq!(scenarios["items"][0]["slug"], "fortunes");
    assert_eq!(scenarios["items"][0]["runs"], 1);
    // The latest run is a summary: its count of results and its fastest.
    assert_eq!(scenarios["items"][0]["latest"]["result_count"], 3);
    assert_eq!(
        scenarios["items"][0]["latest"]["best"]["requests_per_sec"],
        39947.0
    );
    assert!(scenarios["items"][0]["latest"].get("results").is_none());
    let one = app.get("/api/v1/benchmarks/scenarios/fortunes").await;
    assert_eq!(one.status.as_u16(), 200);
    assert!(one.header("etag").starts_with('"'), "an ETag");
    assert_eq!(one.json()["name"], "Fortunes");
    app.json("/api/v1/benchmarks/scenarios/nothing", 404).await;

    let runs = app.json("/api/v1/benchmarks/runs", 200).await;
    assert_eq!(runs["total"], 6);
    let by_technology = app
        .json("/api/v1/benchmarks/runs?technology=fasthttp", 200)
        .await;
    assert_eq!(by_technology["total"], 2);
    let plaintext = app
        .json(
            "/api/v1/benchmarks/runs?scenario=plaintext&tool=wrk&concurrency=64",
            200,
        )
        .await;
    assert_eq!(plaintext["total"], 1);
    let run = &plaintext["items"][0];
    assert_eq!(run["result_count"], 1);
    assert_eq!(run["best"]["technology"]["slug"], "actix-web");
    assert_eq!(run["best"]["latency"]["p99_ms"], 0.52);
    assert_eq!(run["environment"]["slug"], "demo-vm");

    let id = run["id"].as_i64().expect("an id");
    let detail = app
        .json(&format!("/api/v1/benchmarks/runs/{id}"), 200)
        .await;
    assert_eq!(detail["scenario"]["slug"], "plaintext");
    assert_eq!(detail["results"]["total"], 1);
    assert_eq!(detail["results"]["items"][0]["latency"]["p99_ms"], 0.52);
    assert_eq!(detail["checks"], Value::Array(Vec::new()));
    app.json("/api/v1/benchmarks/runs/999999", 404).await;
    app.json("/api/v1/benchmarks/runs/x", 404).await;

    let bad = app
        .json("/api/v1/benchmarks/runs?tool=ab&concurrency=0", 400)
        .await;
    let names: Vec<&str> = bad["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(names, ["tool", "concurrency"]);
    let environments = app.json("/api/v1/benchmarks/environments", 200).await;
    assert_eq!(environments["items"][0]["slug"], "demo-vm");
}

async fn an_editor_imports_wrk_output_after_a_preview(app: TestApp) {
    let editor = app.signed_in("editor").await;
    editor.page("/admin", 200).await.assert_contains(&[
        r#"<a href="/admin/benchmarks/import">Import results"#,
        r#"<span class="tile-count">6</span> runs"#,
        r#"<span class="tile-count">6</span> scenarios"#,
    ]);
    let form = editor.page("/admin/benchmarks/import", 200).await;
    form.assert_contains(&[
        r#"enctype="multipart/form-data""#,
        r#"<input id="file" name="file" type="file""#,
        "At most 1 MiB.",
    ]);

    let upload = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[
                ("tool", "wrk"),
                ("scenario", "fortunes"),
                ("technology", "actix-web"),
                ("environment", "demo-vm"),
                ("tool_version", "4.1.0"),
                ("ran_on", "2026-11-20"),
                ("memory_mib", "21.5"),
                (
                    "notes",
                    "wrk -t1 -c64 -d2s --latency against Verdict's catalog page",
                ),
            ],
            Some(("wrk-technologies.txt", WRK)),
        )
        .await;
    assert_eq!(upload.status.as_u16(), 303, "{}", upload.body);
    let preview_url = upload.header("location").to_owned();
    let id = upload_id(&preview_url);
    // Nothing is stored but the upload, until it is confirmed.
    assert_eq!(counts(&app), (DEMO.0, DEMO.1, DEMO.2 + 1));
    let preview = editor.page(&preview_url, 200).await;
    preview.assert_contains(&[
        "Preview: wrk-technologies.txt",
        "1 run with 1 result",
        "Every result is stored as <strong>Actix-web</strong>",
        "http://127.0.0.1:8080/technologies",
        "102911.8",
        "1.33 ms",
        "Confirm the import",
    ]);

    let confirmed = editor.post_form(&preview_url, &[]).await;
    assert_eq!(confirmed.status.as_u16(), 303, "{}", confirmed.body);
    let run_url = confirmed.header("location").to_owned();
    assert!(run_url.starts_with("/benchmarks/runs/"), "{run_url}");
    assert_eq!(counts(&app), (DEMO.0 + 1, DEMO.1 + 1, DEMO.2 + 1));
    let run = editor.page(&run_url, 200).await;
    run.assert_contains(&[
        "Imported wrk from wrk-technologies.txt: 1 run with 1 result.",
        "102,912",
        // Latencies in milliseconds, the unit in the heading over them.
        r#"<th scope="colgroup" colspan="7" class="group">Latency (ms)</th>"#,
        r#"<td class="num">0.58</td>"#,
        "21.5 MiB",
        "wrk-technologies.txt",
        "against Verdict&#39;s catalog page",
    ]);
    let original = app.get(&format!("{run_url}/original")).await;
    assert_eq!(original.status.as_u16(), 200);
    assert_eq!(original.header("content-type"), "text/plain; charset=utf-8");
    assert!(
        original
            .header("content-disposition")
            .contains("wrk-technologies.txt")
    );
    assert_eq!(original.body, WRK);

    // The dashboard's recent changes name the run as a run, not as a bare number.
    let run_id = run_url.trim_start_matches("/benchmarks/runs/");
    let dashboard = editor.page("/admin", 200).await;
    dashboard.assert_contains(&[
        "<span class=\"change-kind\">benchmark import</span>",
        &format!("<td>run {run_id}</td>"),
    ]);

    // The next page view shows it: the cache does not hide a new run.
    let fortunes = app.page("/benchmarks/fortunes", 200).await;
    fortunes.assert_contains(&["4 results", "102,912"]);
    // Confirming twice stores nothing more.
    let again = editor.post_form(&preview_url, &[]).await;
    assert_eq!(again.status.as_u16(), 409);
    assert_eq!(counts(&app).0, DEMO.0 + 1);

    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    let audited: i64 = audit_log::table
        .filter(audit_log::item_kind.eq("benchmark import"))
        .count()
        .get_result(&mut *conn)
        .expect("audit entries");
    assert_eq!(audited, 1);
    editor
        .page(&format!("/admin/benchmarks/imports/{id}"), 404)
        .await;

    // Deleting the run takes its results and, with no other run from it, its file: from
    // the run's page, by its link, to the confirmation, by its form's action.
    let delete_url = href_of(&run.body, "Delete this run…");
    assert_eq!(delete_url, format!("/admin{run_url}/delete"));
    let ask = editor.page(&delete_url, 200).await;
    ask.assert_contains(&[
        "Delete run",
        "Its 1 result goes with it",
        "the file it was imported from",
    ]);
    let action = form_action(&ask.body, &format!("Delete run {run_id}"));
    let forged = editor.post_form_raw(&action, &[]).await;
    assert_eq!(forged.status.as_u16(), 403);
    let deleted = editor.post_form(&action, &[]).await;
    assert_eq!(deleted.status.as_u16(), 303, "{}", deleted.body);
    assert_eq!(deleted.header("location"), "/benchmarks/fortunes");
    assert_eq!(counts(&app), DEMO);
    app.page(&run_url, 404).await;
    app.json(&format!("/api/v1/benchmarks/runs/{run_id}"), 404)
        .await;
    editor.page(&delete_url, 404).await;
    // The audit log keeps the run as it was, with its results.
    let before: Vec<Option<String>> = audit_log::table
        .filter(audit_log::item_kind.eq("benchmark run"))
        .filter(audit_log::action.eq("delete"))
        .select(audit_log::before)
        .load(&mut *conn)
        .expect("audit entries");
    assert_eq!(before.len(), 1);
    let before: Value =
        serde_json::from_str(before[0].as_deref().expect("the run as it was")).expect("JSON");
    assert_eq!(before["result_count"], 1);
    assert_eq!(before["results"][0]["requests_per_sec"], 102911.82);
}

async fn the_import_form_names_each_problem_and_stores_nothing(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let missing = editor
        .post_multipart("/admin/benchmarks/import", &[("tool", "wrk")], None)
        .await;
    assert_eq!(missing.status.as_u16(), 422);
    missing.assert_contains(&[
        r#"<p class="field-error" id="file-error">is required"#,
        r#"id="scenario-error""#,
        r#"id="technology-error""#,
        "Choose the file again",
    ]);
    // The summary names each field by its label, in the form's order.
    let summary = [
        r##"<a href="#file">File is required: choose the file the tool wrote</a>"##,
        r##"<a href="#scenario">Scenario is required: what did the run measure?</a>"##,
        r##"<a href="#technology">Technology measured is required: which technology was measured?</a>"##,
    ];
    let at: Vec<usize> = summary
        .iter()
        .map(|item| {
            missing
                .body
                .find(item)
                .unwrap_or_else(|| panic!("{item} in {}", missing.body))
        })
        .collect();
    assert!(at.is_sorted(), "{at:?}");
    let garbage = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[
                ("tool", "wrk"),
                ("scenario", "fortunes"),
                ("technology", "actix-web"),
            ],
            Some(("notes.txt", "nothing wrk would print\n")),
        )
        .await;
    assert_eq!(garbage.status.as_u16(), 422);
    garbage.assert_contains(&[
        "File cannot be read as wrk output: no line of wrk&#39;s output is in this file",
    ]);

    let broken = WRK.replace("1.33ms", "1.33xs");
    let malformed = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[
                ("tool", "wrk"),
                ("scenario", "fortunes"),
                ("technology", "actix-web"),
                ("notes", "kept"),
            ],
            Some(("broken.txt", &broken)),
        )
        .await;
    assert_eq!(malformed.status.as_u16(), 422);
    malformed.assert_contains(&["cannot be read as wrk output: line 10", ">kept</textarea>"]);
    assert!(
        malformed
            .body
            .contains(r#"<option value="fortunes" selected>"#),
        "the choices are kept"
    );

    let not_wrk = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[
                ("tool", "oha"),
                ("scenario", "fortunes"),
                ("technology", "actix-web"),
            ],
            Some(("wrk.txt", WRK)),
        )
        .await;
    assert_eq!(not_wrk.status.as_u16(), 422);
    not_wrk.assert_contains(&["cannot be read as oha output"]);

    let unknown = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[
                ("tool", "ab"),
                ("scenario", "nothing"),
                ("technology", "cobol"),
                ("ran_on", "2999-01-01"),
                ("concurrency", "0"),
            ],
            Some(("wrk.txt", WRK)),
        )
        .await;
    assert_eq!(unknown.status.as_u16(), 422);
    unknown.assert_contains(&[
        r#"id="tool-error""#,
        "names no scenario: `nothing`",
        "names no technology: `cobol`",
        r#"id="ran_on-error""#,
        r#"id="concurrency-error""#,
    ]);

    // A TechEmpower file names its own scenarios and maps its own frameworks.
    let techempower = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[
                ("tool", "techempower"),
                ("scenario", "fortunes"),
                ("technology", "actix-web"),
            ],
            Some(("results.json", TECHEMPOWER)),
        )
        .await;
    assert_eq!(techempower.status.as_u16(), 422);
    techempower.assert_contains(&[
        "must be left empty for TechEmpower: each test type in the file is its own scenario",
        "must be left empty for TechEmpower: each framework is mapped on the next page",
    ]);

    // Past the limit (1 MiB in the tests) the file is refused with the limit named.
    let large = "x".repeat(1024 * 1024 + 1);
    let too_large = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[
                ("tool", "wrk"),
                ("scenario", "fortunes"),
                ("technology", "actix-web"),
            ],
            Some(("big.txt", &large)),
        )
        .await;
    assert_eq!(too_large.status.as_u16(), 413);
    too_large.assert_contains(&["is larger than the upload limit of 1 MiB"]);

    // Without the CSRF token, nothing is read.
    let (content_type, body) = multipart(
        &[
            ("tool", "wrk"),
            ("scenario", "fortunes"),
            ("technology", "actix-web"),
        ],
        Some(("wrk.txt", WRK)),
    );
    let forged = editor
        .request_with(
            Method::POST,
            "/admin/benchmarks/import",
            Some((content_type, body)),
        )
        .await;
    assert_eq!(forged.status.as_u16(), 403);

    // Readers cannot reach the import at all.
    let reader = app.get("/admin/benchmarks/import").await;
    assert_eq!(reader.status.as_u16(), 303);
    assert_eq!(counts(&app), DEMO);
}

async fn a_techempower_import_maps_frameworks_and_creates_what_is_missing(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let upload = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[("tool", "techempower"), ("environment", "demo-vm")],
            Some(("results.json", TECHEMPOWER)),
        )
        .await;
    assert_eq!(upload.status.as_u16(), 303, "{}", upload.body);
    let preview_url = upload.header("location").to_owned();
    let preview = editor.page(&preview_url, 200).await;
    preview.assert_contains(&[
        "Preview: results.json",
        "4 runs with 8 results",
        r#"<option value="axum" selected>Axum</option>"#,
        "New scenarios",
        "Multiple queries (20 per request)",
        r#"<label for="map.actix">actix</label>"#,
        r#"<option value="new" selected>New framework: salvo</option>"#,
        "JSON serialisation",
        "100000.0",
    ]);
    assert!(
        !preview.body.contains(r#"<label for="map.rocket">"#),
        "a failed framework has no results"
    );

    let confirmed = editor
        .post_form(
            &preview_url,
            &[("map.actix", "actix-web"), ("map.salvo", "new")],
        )
        .await;
    assert_eq!(confirmed.status.as_u16(), 303, "{}", confirmed.body);
    assert_eq!(confirmed.header("location"), "/benchmarks");
    assert_eq!(counts(&app), (DEMO.0 + 4, DEMO.1 + 8, DEMO.2 + 1));

    let salvo = app.json("/api/v1/technologies/salvo", 200).await;
    assert_eq!(salvo["kind"], "framework");
    let json = app
        .json(
            "/api/v1/benchmarks/runs?scenario=json-serialisation&concurrency=64&tool=techempower",
            200,
        )
        .await;
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["result_count"], 3);
    let id = json["items"][0]["id"].as_i64().expect("a run");
    let run = app
        .json(&format!("/api/v1/benchmarks/runs/{id}"), 200)
        .await;
    let results = &run["results"]["items"];
    assert_eq!(results[0]["technology"]["slug"], "actix-web");
    assert_eq!(results[0]["requests_per_sec"], 200000.0);
    assert_eq!(results[1]["technology"]["slug"], "salvo");
    app.page("/benchmarks/multiple-queries-20", 200)
        .await
        .assert_contains(&["2,000", "actix"]);
    app.page("/technologies/salvo", 200).await;
}

async fn a_mapping_that_does_not_hold_stores_nothing(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let upload = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[("tool", "techempower")],
            Some(("results.json", TECHEMPOWER)),
        )
        .await;
    let preview_url = upload.header("location").to_owned();
    let refused = editor
        .post_form(
            &preview_url,
            &[("map.actix", "cobol"), ("map.salvo", "new")],
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    refused.assert_contains(&[
        "names no technology: `cobol`",
        r#"aria-invalid="true" aria-describedby="map.actix-error""#,
    ]);
    // Nothing of it is stored: no run, no new scenario, no new technology.
    assert_eq!(counts(&app), (DEMO.0, DEMO.1, DEMO.2 + 1));
    app.json("/api/v1/technologies/salvo", 404).await;
    app.page("/benchmarks/multiple-queries-20", 404).await;

    // "New" for a name the catalog has is refused too.
    let clash = editor
        .post_form(&preview_url, &[("map.axum", "new"), ("map.salvo", "new")])
        .await;
    assert_eq!(clash.status.as_u16(), 422);
    clash.assert_contains(&["cannot be a new technology: Axum already has its name or slug"]);

    let cancelled = editor
        .post_form(&format!("{preview_url}/cancel"), &[])
        .await;
    assert_eq!(cancelled.status.as_u16(), 303);
    assert_eq!(cancelled.header("location"), "/admin/benchmarks/import");
    editor
        .page("/admin/benchmarks/import", 200)
        .await
        .assert_contains(&[
            r#"<p class="flash" role="status">Import cancelled: nothing was stored.</p>"#,
        ]);
    assert_eq!(counts(&app), DEMO);
    editor.page(&preview_url, 404).await;
}

async fn imports_through_the_api(app: TestApp) {
    let (_, writer) = app.api_token("importer", Scope::ReadWrite);
    let (_, reader) = app.api_token("reader", Scope::Read);
    let fields = [
        ("tool", "wrk"),
        ("scenario", "plaintext"),
        ("technology", "actix-web"),
        ("environment", "demo-vm"),
    ];
    let anonymous = app.import(None, &fields, Some(("wrk.txt", WRK))).await;
    assert_eq!(anonymous.status.as_u16(), 401);
    let read_only = app
        .import(Some(&reader), &fields, Some(("wrk.txt", WRK)))
        .await;
    assert_eq!(read_only.status.as_u16(), 403);

    let mut dry = fields.to_vec();
    dry.push(("dry_run", "true"));
    let preview = app
        .import(Some(&writer), &dry, Some(("wrk.txt", WRK)))
        .await;
    assert_eq!(preview.status.as_u16(), 200, "{}", preview.body);
    let plan = preview.json();
    assert_eq!(
        plan["plan"]["runs"][0]["results"][0]["requests_per_sec"],
        102911.82
    );
    assert_eq!(plan["plan"]["runs"][0]["concurrency"], 64);
    assert_eq!(counts(&app), DEMO);

    let created = app
        .import(Some(&writer), &fields, Some(("wrk.txt", WRK)))
        .await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.body);
    let location = created.header("location").to_owned();
    let run = app.json(&location, 200).await;
    assert_eq!(run["tool"], "wrk");
    assert_eq!(run["results"]["items"][0]["latency"]["p99_ms"], 1.33);
    assert_eq!(counts(&app), (DEMO.0 + 1, DEMO.1 + 1, DEMO.2 + 1));

    // The new run is plaintext's latest, not its fastest: the list headlines the fastest.
    let scenarios = app.json("/api/v1/benchmarks/scenarios", 200).await;
    let plaintext = scenarios["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|s| s["slug"] == "plaintext")
        .expect("plaintext")
        .clone();
    assert_eq!(plaintext["latest"]["id"], run["id"]);
    let fastest = &plaintext["fastest"];
    assert_ne!(fastest["id"], run["id"]);
    assert!(fastest["best"]["requests_per_sec"].as_f64() > Some(102911.82));
    let list = app.page("/benchmarks", 200).await;
    list.assert_contains(&[
        &format!(
            r#"Fastest of 2 runs: <a href="/benchmarks/runs/{0}">run {0}</a>"#,
            fastest["id"]
        ),
        &format!(
            r#"Latest: <a href="/benchmarks/runs/{0}">run {0}</a>"#,
            run["id"]
        ),
    ]);

    let mut wrong = fields.to_vec();
    wrong.push(("colour", "red"));
    wrong[1] = ("scenario", "nothing");
    let invalid = app
        .import(
            Some(&writer),
            &wrong,
            Some(("wrk.txt", "Running nothing\n")),
        )
        .await;
    assert_eq!(invalid.status.as_u16(), 422);
    assert_eq!(invalid.header("content-type"), "application/problem+json");
    let names: Vec<String> = invalid.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["name"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(names, ["colour", "scenario", "file"]);

    let json = app
        .send_body(
            Method::POST,
            "/api/v1/benchmarks/imports",
            &[
                ("content-type", "application/json"),
                ("authorization", &format!("Bearer {writer}")),
            ],
            Some("{}"),
        )
        .await;
    assert_eq!(json.status.as_u16(), 415);
    let large = "y".repeat(1024 * 1024 + 1);
    let too_large = app
        .import(Some(&writer), &fields, Some(("wrk.txt", large.as_str())))
        .await;
    assert_eq!(too_large.status.as_u16(), 413);
    assert_eq!(too_large.json()["errors"][0]["name"], "file");
    assert_eq!(counts(&app), (DEMO.0 + 1, DEMO.1 + 1, DEMO.2 + 1));
}

async fn scenarios_and_environments_are_curated_through_the_admin_and_the_api(app: TestApp) {
    let editor = app.signed_in("editor").await;
    editor
        .page("/admin/benchmarks/scenarios", 200)
        .await
        .assert_contains(&["Benchmark scenarios", "Fortunes"]);
    let created = editor
        .post_form(
            "/admin/benchmarks/scenarios/new",
            &[
                ("name", "Verdict's catalog page"),
                ("slug", "catalog-page"),
                (
                    "description",
                    "The technologies page, server-rendered from the database.",
                ),
                ("dimension", "performance"),
                ("position", "50"),
            ],
        )
        .await;
    assert_eq!(created.status.as_u16(), 303, "{}", created.body);
    app.page("/benchmarks/catalog-page", 200)
        .await
        .assert_contains(&["The advisor scores", "No runs of this scenario"]);
    let invalid = editor
        .post_form(
            "/admin/benchmarks/scenarios/new",
            &[
                ("name", ""),
                ("slug", "fortunes"),
                ("description", "x"),
                ("dimension", "learning-curve-x"),
                ("position", "1"),
            ],
        )
        .await;
    assert_eq!(invalid.status.as_u16(), 422);
    invalid.assert_contains(&["is already taken", "must be a scored dimension, or none"]);

    let environment = editor
        .post_form(
            "/admin/benchmarks/environments/new",
            &[
                ("name", "Laptop"),
                ("slug", "laptop"),
                ("hardware", "8-core ARM, 16 GiB"),
                ("os", "macOS 15"),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(environment.status.as_u16(), 303, "{}", environment.body);
    app.page("/benchmarks", 200)
        .await
        .assert_contains(&[r#"id="environment-laptop""#, "8-core ARM, 16 GiB"]);

    // Deleting a scenario deletes its runs, after saying so.
    let confirm = editor
        .page("/admin/benchmarks/scenarios/fortunes/delete", 200)
        .await;
    confirm.assert_contains(&["its 1 run and their results will be deleted with it"]);
    let version = crate::helpers::hidden(&confirm.body, "version");
    let deleted = editor
        .post_form(
            "/admin/benchmarks/scenarios/fortunes/delete",
            &[("version", &version)],
        )
        .await;
    assert_eq!(deleted.status.as_u16(), 303, "{}", deleted.body);
    assert_eq!(counts(&app), (DEMO.0 - 1, DEMO.1 - 3, DEMO.2));
    app.page("/benchmarks/fortunes", 404).await;
}

async fn the_preview_of_a_large_file_lists_its_first_results_and_stores_all(app: TestApp) {
    // Thirty frameworks, each with one JSON serialisation result.
    let entries: Vec<String> = (0..30)
        .map(|i| {
            format!(
                r#""framework-{i:02}": [{{"totalRequests": {}, "startTime": 1700000000, "endTime": 1700000015, "latencyAvg": "1.00ms", "latencyMax": "9.00ms", "latencyStdev": "0.20ms"}}]"#,
                15_000 * (i + 1)
            )
        })
        .collect();
    let file = format!(
        r#"{{"duration": 15, "concurrencyLevels": [16], "pipelineConcurrencyLevels": [256],
            "queryIntervals": [1], "cachedQueryIntervals": [1],
            "rawData": {{"json": {{{}}}}}}}"#,
        entries.join(", ")
    );
    let editor = app.signed_in("editor").await;
    let upload = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[("tool", "techempower")],
            Some(("results.json", &file)),
        )
        .await;
    assert_eq!(upload.status.as_u16(), 303, "{}", upload.body);
    let preview_url = upload.header("location").to_owned();
    let preview = editor.page(&preview_url, 200).await;
    preview.assert_contains(&[
        "1 run with 30 results",
        "…and 5 more results in this run, stored as well.",
        // In the file's order: the first 25 frameworks are listed.
        "<th scope=\"row\">framework-24</th>",
    ]);
    assert!(!preview.body.contains("<th scope=\"row\">framework-25</th>"));
    // Every framework still gets its choice of technology.
    assert!(preview.body.contains(r#"<label for="map.framework-29">"#));
    let confirmed = editor.post_form(&preview_url, &[]).await;
    assert_eq!(confirmed.status.as_u16(), 303, "{}", confirmed.body);
    assert_eq!(counts(&app), (DEMO.0 + 1, DEMO.1 + 30, DEMO.2 + 1));
}

/// The problem the form shows at its file field.
fn file_error(reply: &Reply) -> String {
    let marker = r#"<p class="field-error" id="file-error">"#;
    let at = reply
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("no error at the file in:\n{}", reply.body))
        + marker.len();
    reply.body[at..]
        .split("</p>")
        .next()
        .unwrap_or_default()
        .to_owned()
}

async fn control_characters_in_an_upload_are_refused_by_the_form_and_the_api(app: TestApp) {
    // A raw NUL byte in wrk's text; "\u0000" in a k6 check's name, which JSON may spell.
    let wrk = WRK.replace("1 threads", "1 thr\0eads");
    let k6 = include_str!("../fixtures/benchmarks/k6-summary.json")
        .replace("\"status is 200\"", r#""status\u0000 is 200""#);
    let cases: [(&str, &str, &str, &str); 2] = [
        ("wrk", "wrk.txt", &wrk, "line 2, column 8"),
        (
            "k6",
            "summary.json",
            &k6,
            r#"check "technologies::status\0 is 200""#,
        ),
    ];
    let editor = app.signed_in("editor").await;
    let (_, writer) = app.api_token("importer", Scope::ReadWrite);
    for (tool, filename, content, at) in cases {
        let fields = [
            ("tool", tool),
            ("scenario", "fortunes"),
            ("technology", "actix-web"),
        ];
        let form = editor
            .post_multipart(
                "/admin/benchmarks/import",
                &fields,
                Some((filename, content)),
            )
            .await;
        assert_eq!(form.status.as_u16(), 422, "{tool}: {}", form.body);
        let error = file_error(&form);
        assert!(
            error.contains(&format!("cannot be read as {tool} output")),
            "{error}"
        );
        assert!(error.contains("control character (U+0000)"), "{error}");
        // The form escapes what it quotes.
        let quoted = at.replace('"', "&#34;");
        assert!(error.contains(&quoted), "{tool}: {error}");

        let api = app
            .import(Some(&writer), &fields, Some((filename, content)))
            .await;
        assert_eq!(api.status.as_u16(), 422, "{tool}: {}", api.body);
        let errors = api.json()["errors"].clone();
        assert_eq!(errors.as_array().map(Vec::len), Some(1), "{errors}");
        assert_eq!(errors[0]["name"], "file");
        let detail = errors[0]["detail"].as_str().expect("a detail");
        assert!(detail.contains(at), "{tool}: {detail}");
        assert!(detail.contains("control character (U+0000)"), "{detail}");
    }
    // The upload's own texts are held to the same rule, even those only looked up.
    let fields = [
        ("tool", "wrk"),
        ("scenario", "fort\0unes"),
        ("technology", "actix-web"),
    ];
    let looked_up = app
        .import(Some(&writer), &fields, Some(("wrk.txt", WRK)))
        .await;
    assert_eq!(looked_up.status.as_u16(), 422, "{}", looked_up.body);
    assert_eq!(looked_up.json()["errors"][0]["name"], "scenario");
    let notes = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[
                ("tool", "wrk"),
                ("scenario", "fortunes"),
                ("technology", "actix-web"),
                ("notes", "ran \u{1b}[31mhot"),
            ],
            Some(("wrk.txt", WRK)),
        )
        .await;
    assert_eq!(notes.status.as_u16(), 422, "{}", notes.body);
    notes.assert_contains(&[
        r#"id="notes-error">must not contain control characters (it holds U+001B)"#,
    ]);
    // Tabs and line ends are text.
    let tabbed = editor
        .post_multipart(
            "/admin/benchmarks/import",
            &[
                ("tool", "wrk"),
                ("scenario", "fortunes"),
                ("technology", "actix-web"),
                ("notes", "wrk\t-c64\r\nagain"),
            ],
            Some(("wrk.txt", &WRK.replace("\n", "\r\n"))),
        )
        .await;
    assert_eq!(tabbed.status.as_u16(), 303, "{}", tabbed.body);
    // Nothing of the refused uploads is kept: only the last, unconfirmed.
    assert_eq!(counts(&app), (DEMO.0, DEMO.1, DEMO.2 + 1));
}
