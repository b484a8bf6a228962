//! The editing layer as every kind's admin shows it: each list's links lead to pages that
//! exist, an item's form and delete page lead back to the list by its name, and its history
//! names fields as its form does.

use crate::helpers::{TestApp, hidden};
use crate::on_both_backends;

on_both_backends!(
    every_admin_list_links_to_pages_that_exist,
    an_items_history_names_its_fields_by_their_labels,
);

/// Each generic list and the heading its breadcrumbs name it by.
const LISTS: &[(&str, &str)] = &[
    ("/admin/technologies", "Technologies"),
    ("/admin/dimensions", "Dimensions"),
    ("/admin/sources", "Sources"),
    ("/admin/requirements", "Requirements"),
    ("/admin/benchmarks/environments", "Benchmark environments"),
    ("/admin/benchmarks/scenarios", "Benchmark scenarios"),
];

/// The `href`s in the list's table of items.
fn row_links(body: &str) -> Vec<String> {
    let table = body
        .split_once("<tbody>")
        .and_then(|(_, rest)| rest.split_once("</tbody>"))
        .map_or("", |(rows, _)| rows);
    table
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"'))
        .map(|(href, _)| href.replace("&#x2f;", "/").replace("&#x23;", "#"))
        .collect()
}

async fn every_admin_list_links_to_pages_that_exist(app: TestApp) {
    let editor = app.signed_in("editor").await;
    for (list, title) in LISTS {
        let links = row_links(&editor.page(list, 200).await.body);
        assert!(links.len() >= 3, "{list}: {links:?}");
        for link in &links {
            let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
            let page = editor.page(path, 200).await;
            if !fragment.is_empty() {
                page.assert_contains(&[&format!("id=\"{fragment}\"")]);
            }
            if path.starts_with("/admin/") && !path.ends_with("/facts") {
                page.assert_contains(&[&format!("<a href=\"{list}\">{title}</a>")]);
            }
        }
    }
}

async fn an_items_history_names_its_fields_by_their_labels(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let path = "/admin/benchmarks/environments/demo-vm";
    let form = editor.page(path, 200).await;
    let version = hidden(&form.body, "version");
    let saved = editor
        .post_form(
            path,
            &[
                ("version", &version),
                ("name", "2-vCPU EPYC virtual machine"),
                ("slug", "demo-vm"),
                ("hardware", "2 vCPU AMD EPYC (KVM), 24 GiB"),
                ("os", "Debian 13"),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(saved.status.as_u16(), 303, "{}", saved.body);
    let page = editor.page(path, 200).await;
    page.assert_contains(&[
        r#"<th scope="row">Operating system</th>"#,
        r#"<th scope="row">Notes</th>"#,
    ]);
    assert!(!page.body.contains(r#"<th scope="row">os</th>"#));
}
