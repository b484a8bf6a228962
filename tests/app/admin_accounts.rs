//! The admin pages of accounts: the dashboard, inviting people, roles and disabling, API
//! tokens, and the audit log.

use chrono::{Days, Utc};

use crate::helpers::{Browser, PASSWORD, Reply, TestApp, hidden};
use crate::on_both_backends;

on_both_backends!(
    admin_pages_need_the_right_role,
    admin_forms_need_the_csrf_token,
    invited_people_sign_in_once_with_a_one_time_password,
    a_new_one_time_password_ends_the_sessions,
    admins_change_roles_and_disable_accounts,
    stale_saves_and_self_lockout_are_refused,
    tokens_are_shown_once_and_stop_working_when_revoked,
    the_audit_log_shows_and_filters_changes,
    the_dashboard_counts_the_catalog_and_shows_recent_changes,
);

fn user_id(app: &TestApp, email: &str) -> i32 {
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    verdict::accounts::users::by_email(&mut conn, email)
        .expect("the query runs")
        .unwrap_or_else(|| panic!("an account for {email}"))
        .id
}

/// The first one-time password in a page: five groups of four hex digits.
fn one_time_password_in(body: &str) -> Option<String> {
    let bytes = body.as_bytes();
    (0..bytes.len().saturating_sub(23)).find_map(|start| {
        let candidate = &bytes[start..start + 24];
        let shaped = candidate.iter().enumerate().all(|(i, b)| {
            if i % 5 == 4 {
                *b == b'-'
            } else {
                b.is_ascii_digit() || (b'a'..=b'f').contains(b)
            }
        });
        shaped.then(|| String::from_utf8_lossy(candidate).into_owned())
    })
}

/// The first API token secret in a page.
fn token_in(body: &str) -> Option<String> {
    body.match_indices("vdt_").find_map(|(at, _)| {
        let secret = body.get(at..at + 68)?;
        secret[4..]
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then(|| secret.to_owned())
    })
}

#[track_caller]
fn assert_redirect(reply: &Reply, location: &str) {
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    assert_eq!(reply.header("location"), location);
}

/// Creates a token through the form; returns its page's path.
async fn create_token(admin: &Browser<'_>, name: &str, scope: &str) -> String {
    let reply = admin
        .post_form("/admin/tokens", &[("name", name), ("scope", scope)])
        .await;
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    reply.header("location").to_owned()
}

async fn api_status(app: &TestApp, secret: &str) -> u16 {
    let authorization = format!("Bearer {secret}");
    app.get_with("/api/v1/technologies", &[("authorization", &authorization)])
        .await
        .status
        .as_u16()
}

async fn admin_pages_need_the_right_role(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let editor = app.signed_in("editor").await;
    let token = create_token(&admin, "walk", "read").await;
    let account = format!("/admin/users/{}", user_id(&app, "editor@example.com"));
    let admin_only = [
        "/admin/users",
        account.as_str(),
        "/admin/tokens",
        token.as_str(),
        "/admin/audit",
    ];

    let anonymous = app.browser();
    for path in std::iter::once("/admin").chain(admin_only) {
        let reply = anonymous.get(path).await;
        let next = form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>();
        assert_redirect(&reply, &format!("/login?next={next}"));
        admin.page(path, 200).await;
    }
    editor.page("/admin", 200).await;
    for path in admin_only {
        let reply = editor.page(path, 403).await;
        reply.assert_contains(&["Only an administrator can do this."]);
    }
    for path in [
        "/admin/users/999999",
        "/admin/users/x",
        "/admin/tokens/999999",
    ] {
        admin.page(path, 404).await;
    }

    let posts = [
        "/admin/users".to_owned(),
        account.clone(),
        format!("{account}/password"),
        "/admin/tokens".to_owned(),
        format!("{token}/revoke"),
    ];
    let fields = [
        ("email", "mallory@example.com"),
        ("name", "mallory"),
        ("scope", "read-write"),
        ("role", "admin"),
        ("version", "1"),
    ];
    for path in &posts {
        let reply = editor.post_form(path, &fields).await;
        assert_eq!(reply.status.as_u16(), 403, "POST {path}: {}", reply.body);
        let reply = app.browser().post_form(path, &fields).await;
        assert_eq!(reply.status.as_u16(), 303, "POST {path}");
        assert!(reply.header("location").starts_with("/login?next="));
    }
    // Nothing was written by either.
    let users = admin.page("/admin/users", 200).await;
    assert!(!users.body.contains("mallory"));
    let account = admin.page(&account, 200).await;
    assert!(!account.body.contains("Must change password"));
    assert!(account.body.contains(r#"value="editor" checked"#));
    let tokens = admin.page("/admin/tokens", 200).await;
    assert!(!tokens.body.contains("mallory"));
    admin.page(&token, 200).await.assert_contains(&["active"]);
    // The other methods are refused with the ones these addresses take.
    let delete = admin
        .request(awc::http::Method::DELETE, "/admin/users", None)
        .await;
    assert_eq!(delete.status.as_u16(), 405);
    assert_eq!(delete.header("allow"), "GET, HEAD, POST");
}

async fn admin_forms_need_the_csrf_token(app: TestApp) {
    let admin = app.signed_in("admin").await;
    app.create_user("ed@example.com", "editor");
    let account = format!("/admin/users/{}", user_id(&app, "ed@example.com"));
    let token = create_token(&admin, "kept", "read").await;
    let forms: [(String, &[(&str, &str)]); 5] = [
        (
            "/admin/users".into(),
            &[("email", "new@example.com"), ("role", "editor")],
        ),
        (
            account.clone(),
            &[("version", "1"), ("role", "admin"), ("disabled", "on")],
        ),
        (format!("{account}/password"), &[]),
        (
            "/admin/tokens".into(),
            &[("name", "sneaky"), ("scope", "read-write")],
        ),
        (format!("{token}/revoke"), &[]),
    ];
    for (path, fields) in &forms {
        for csrf in [None, Some("0000")] {
            let mut sent: Vec<(&str, &str)> = csrf.map(|t| ("csrf_token", t)).into_iter().collect();
            sent.extend_from_slice(fields);
            let reply = admin.post_form_raw(path, &sent).await;
            assert_eq!(reply.status.as_u16(), 403, "POST {path} with {csrf:?}");
            reply.assert_contains(&["nothing was saved"]);
        }
    }
    let users = admin.page("/admin/users", 200).await;
    assert!(!users.body.contains("new@example.com"));
    let ed = admin.page(&account, 200).await;
    ed.assert_contains(&[r#"value="editor" checked"#, r#"name="version" value="1""#]);
    assert!(!ed.body.contains("Must change password"));
    let tokens = admin.page("/admin/tokens", 200).await;
    assert!(!tokens.body.contains("sneaky"));
    admin
        .page(&token, 200)
        .await
        .assert_contains(&["Revoke this token"]);
    // Only the token made above and the accounts made by the command line are in the log.
    let log = admin.page("/admin/audit", 200).await;
    assert!(!log.body.contains("change-update"), "{}", log.body);
}

async fn invited_people_sign_in_once_with_a_one_time_password(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let bad = admin
        .post_form(
            "/admin/users",
            &[("email", "not an email"), ("role", "owner")],
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    bad.assert_contains(&[
        r#"value="not an email""#,
        "must be an email address",
        "must be admin or editor",
        r#"id="email-error""#,
    ]);
    let taken = admin
        .post_form(
            "/admin/users",
            &[("email", "Admin@Example.com"), ("role", "admin")],
        )
        .await;
    assert_eq!(taken.status.as_u16(), 422);
    taken.assert_contains(&[
        r##"<a href="#email">Email already has an account</a>"##,
        r#"value="Admin@Example.com""#,
        r#"value="admin" checked"#,
    ]);

    let reply = admin
        .post_form(
            "/admin/users",
            &[("email", "New.Person@Example.com"), ("role", "editor")],
        )
        .await;
    let id = user_id(&app, "new.person@example.com");
    let page = format!("/admin/users/{id}");
    assert_redirect(&reply, &page);
    let shown = admin.page(&page, 200).await;
    shown.assert_contains(&[
        "Invited new.person@example.com as editor",
        "Must change password",
    ]);
    assert_eq!(
        shown.header("cache-control"),
        "no-store",
        "kept by no browser"
    );
    let secret = one_time_password_in(&shown.body).expect("the one-time password is shown");
    let again = admin.page(&page, 200).await;
    assert!(!again.body.contains(&secret), "shown only once");
    let list = admin.page("/admin/users", 200).await;
    list.assert_contains(&["new.person@example.com", "Must change"]);
    assert!(!list.body.contains(&secret));

    let person = app.browser();
    let reply = person.sign_in("new.person@example.com", &secret).await;
    assert_redirect(&reply, "/account/password");
    assert_redirect(&person.get("/admin").await, "/account/password");
    assert_redirect(&person.get("/admin/tokens").await, "/account/password");
    let chosen = "my very own passphrase";
    let reply = person
        .post_form(
            "/account/password",
            &[
                ("current_password", &secret),
                ("new_password", chosen),
                ("confirm_password", chosen),
            ],
        )
        .await;
    assert_redirect(&reply, "/admin");
    person.page("/admin", 200).await;
    person.page("/admin/users", 403).await;
    let done = admin.page(&page, 200).await;
    assert!(!done.body.contains("Must change password"));
}

async fn a_new_one_time_password_ends_the_sessions(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let editor = app.signed_in("editor").await;
    let page = format!("/admin/users/{}", user_id(&app, "editor@example.com"));
    let reply = admin.post_form(&format!("{page}/password"), &[]).await;
    assert_redirect(&reply, &page);
    let shown = admin.page(&page, 200).await;
    shown.assert_contains(&["has a new one-time password", "Must change password"]);
    let secret = one_time_password_in(&shown.body).expect("the one-time password is shown");
    assert!(!admin.page(&page, 200).await.body.contains(&secret));

    assert!(
        editor
            .get("/admin")
            .await
            .header("location")
            .starts_with("/login")
    );
    let old = app.browser().sign_in("editor@example.com", PASSWORD).await;
    assert_eq!(old.status.as_u16(), 422);
    let new = app.browser().sign_in("editor@example.com", &secret).await;
    assert_redirect(&new, "/account/password");

    // Admins change their own password where it asks for the current one.
    let own = format!("/admin/users/{}", user_id(&app, "admin@example.com"));
    let mine = admin.page(&own, 200).await;
    mine.assert_contains(&[r#"href="/account/password""#]);
    assert!(!mine.body.contains("Make a new one-time password"));
    let reply = admin.post_form(&format!("{own}/password"), &[]).await;
    assert_eq!(reply.status.as_u16(), 403);
    admin.page("/admin", 200).await;
}

async fn admins_change_roles_and_disable_accounts(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let editor = app.signed_in("editor").await;
    let page = format!("/admin/users/{}", user_id(&app, "editor@example.com"));
    editor.page("/admin/users", 403).await;

    let form = admin.page(&page, 200).await;
    form.assert_contains(&[r#"value="editor" checked"#, "Active"]);
    let version = hidden(&form.body, "version");
    let reply = admin
        .post_form(&page, &[("version", &version), ("role", "admin")])
        .await;
    assert_redirect(&reply, &page);
    let saved = admin.page(&page, 200).await;
    saved.assert_contains(&[
        "Saved: editor@example.com is an active admin.",
        r#"value="admin" checked"#,
    ]);
    // The role is read from the database on every request: no new sign-in needed.
    editor.page("/admin/users", 200).await;

    let bad = admin
        .post_form(
            &page,
            &[
                ("version", &hidden(&saved.body, "version")),
                ("role", "root"),
            ],
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    bad.assert_contains(&["must be admin or editor"]);

    let version = hidden(&saved.body, "version");
    let reply = admin
        .post_form(
            &page,
            &[
                ("version", &version),
                ("role", "editor"),
                ("disabled", "on"),
            ],
        )
        .await;
    assert_redirect(&reply, &page);
    admin
        .page(&page, 200)
        .await
        .assert_contains(&["is disabled, signed out everywhere", "Disabled"]);
    let reply = editor.get("/admin").await;
    assert!(
        reply.header("location").starts_with("/login?next="),
        "the session ended: {}",
        reply.header("location")
    );
    let refused = app.browser().sign_in("editor@example.com", PASSWORD).await;
    assert_eq!(refused.status.as_u16(), 422);
    admin
        .page("/admin/users", 200)
        .await
        .assert_contains(&["Disabled"]);

    // Enabled again, they can sign in with the password they had.
    let version = hidden(&admin.page(&page, 200).await.body, "version");
    let reply = admin
        .post_form(&page, &[("version", &version), ("role", "editor")])
        .await;
    assert_redirect(&reply, &page);
    let back = app.browser();
    assert_redirect(
        &back.sign_in("editor@example.com", PASSWORD).await,
        "/admin",
    );
    back.page("/admin/users", 403).await;
}

async fn stale_saves_and_self_lockout_are_refused(app: TestApp) {
    let admin = app.signed_in("admin").await;
    app.create_user("ed@example.com", "editor");
    let page = format!("/admin/users/{}", user_id(&app, "ed@example.com"));
    let seen = hidden(&admin.page(&page, 200).await.body, "version");

    // Another admin saves first.
    let other = app.browser();
    app.create_user("other@example.com", "admin");
    assert_redirect(
        &other.sign_in("other@example.com", PASSWORD).await,
        "/admin",
    );
    let reply = other
        .post_form(&page, &[("version", &seen), ("role", "admin")])
        .await;
    assert_redirect(&reply, &page);

    let stale = admin
        .post_form(
            &page,
            &[("version", &seen), ("role", "editor"), ("disabled", "on")],
        )
        .await;
    assert_eq!(stale.status.as_u16(), 409, "{}", stale.body);
    stale.assert_contains(&[
        "This account changed while you were editing it",
        "Nothing was saved. It is now <strong>admin</strong>",
        "other@example.com",
        r#"value="editor" checked"#,
        r#"value="on" checked"#,
    ]);
    let current = hidden(&stale.body, "version");
    assert_ne!(current, seen, "the form now carries the current version");
    let ed = app.browser();
    assert_redirect(&ed.sign_in("ed@example.com", PASSWORD).await, "/admin");
    ed.page("/admin/users", 200).await;
    // Saving the kept choices again applies them.
    let reply = admin
        .post_form(
            &page,
            &[
                ("version", &current),
                ("role", "editor"),
                ("disabled", "on"),
            ],
        )
        .await;
    assert_redirect(&reply, &page);

    // Admins can neither disable themselves nor give up their role.
    let own = format!("/admin/users/{}", user_id(&app, "admin@example.com"));
    let mine = admin.page(&own, 200).await;
    mine.assert_contains(&["This is your own account"]);
    let version = hidden(&mine.body, "version");
    let refused = admin
        .post_form(
            &own,
            &[("version", &version), ("role", "admin"), ("disabled", "on")],
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    refused.assert_contains(&[
        "cannot be set on your own account",
        r#"value="on" checked"#,
        r##"href="#disabled""##,
    ]);
    let refused = admin
        .post_form(&own, &[("version", &version), ("role", "editor")])
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    refused.assert_contains(&[
        "stays admin on your own account",
        r#"value="editor" checked"#,
    ]);
    admin.page("/admin/users", 200).await;
    assert_eq!(
        hidden(&admin.page(&own, 200).await.body, "version"),
        version,
        "nothing was written"
    );
}

async fn tokens_are_shown_once_and_stop_working_when_revoked(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let yesterday = (Utc::now().date_naive() - Days::new(1)).to_string();
    let bad = admin
        .post_form(
            "/admin/tokens",
            &[("name", " "), ("scope", "write"), ("expires", &yesterday)],
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    bad.assert_contains(&[
        "is needed",
        "must be read or read-write",
        "must be today",
        &format!(r#"value="{yesterday}""#),
        r##"<li><a href="#name">Name is needed"##,
        r##"<li><a href="#scope">Scope must be read or read-write"##,
        r##"<li><a href="#expires">Expires must be today"##,
    ]);
    let long = "x".repeat(101);
    let bad = admin
        .post_form(
            "/admin/tokens",
            &[
                ("name", &long),
                ("scope", "read"),
                ("expires", "31/12/2099"),
            ],
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    bad.assert_contains(&["at most 100 characters", "YYYY-MM-DD", &long]);
    assert!(!admin.page("/admin/tokens", 200).await.body.contains(&long));

    let next_year = (Utc::now().date_naive() + Days::new(365)).to_string();
    let reply = admin
        .post_form(
            "/admin/tokens",
            &[
                ("name", "Dashboard reader"),
                ("scope", "read"),
                ("expires", &next_year),
            ],
        )
        .await;
    assert_eq!(reply.status.as_u16(), 303);
    let reader = reply.header("location").to_owned();
    assert!(reader.starts_with("/admin/tokens/"), "{reader}");
    let shown = admin.page(&reader, 200).await;
    shown.assert_contains(&[
        "Dashboard reader",
        "Copy it now",
        &format!("{next_year} 23:59 UTC"),
    ]);
    assert_eq!(
        shown.header("cache-control"),
        "no-store",
        "kept by no browser"
    );
    let read_secret = token_in(&shown.body).expect("the secret is shown");
    let again = admin.page(&reader, 200).await;
    assert!(token_in(&again.body).is_none(), "shown only once");
    again.assert_contains(&["Last used</dt><dd>Never"]);

    let writer = create_token(&admin, "CI import", "read-write").await;
    let write_secret = token_in(&admin.page(&writer, 200).await.body).expect("the secret");
    assert_ne!(read_secret, write_secret);

    let list = admin.page("/admin/tokens", 200).await;
    list.assert_contains(&[
        "Dashboard reader",
        "CI import",
        "read-write",
        &read_secret[..10],
        &write_secret[..10],
        "admin@example.com",
    ]);
    assert!(
        token_in(&list.body).is_none(),
        "the list never shows a secret"
    );

    assert_eq!(api_status(&app, &read_secret).await, 200);
    assert_eq!(api_status(&app, &write_secret).await, 200);
    assert_eq!(api_status(&app, "vdt_not-a-token").await, 401);
    let used = admin.page(&reader, 200).await;
    assert!(
        !used.body.contains("Last used</dt><dd>Never"),
        "{}",
        used.body
    );
    assert!(
        admin
            .page("/admin/tokens", 200)
            .await
            .body
            .contains(" UTC</td>")
    );

    let reply = admin.post_form(&format!("{reader}/revoke"), &[]).await;
    assert_redirect(&reply, "/admin/tokens");
    admin
        .page("/admin/tokens", 200)
        .await
        .assert_contains(&["API token “Dashboard reader” revoked", "revoked"]);
    assert_eq!(api_status(&app, &read_secret).await, 401);
    assert_eq!(api_status(&app, &write_secret).await, 200, "only that one");
    let revoked = admin.page(&reader, 200).await;
    revoked.assert_contains(&["Revoked</dt>"]);
    assert!(!revoked.body.contains("Revoke this token"));
    let reply = admin.post_form(&format!("{reader}/revoke"), &[]).await;
    assert_redirect(&reply, "/admin/tokens");
    admin
        .page("/admin/tokens", 200)
        .await
        .assert_contains(&["was already revoked"]);
    let missing = admin.post_form("/admin/tokens/999999/revoke", &[]).await;
    assert_eq!(missing.status.as_u16(), 404);
}

async fn the_audit_log_shows_and_filters_changes(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let reply = admin
        .post_form(
            "/admin/users",
            &[("email", "bob@example.com"), ("role", "editor")],
        )
        .await;
    let bob = reply.header("location").to_owned();
    let token = create_token(&admin, "Nightly import", "read-write").await;
    let version = hidden(&admin.page(&bob, 200).await.body, "version");
    admin
        .post_form(&bob, &[("version", &version), ("role", "admin")])
        .await;

    let log = admin.page("/admin/audit", 200).await;
    log.assert_contains(&[
        "operator (command line)",
        "via cli",
        "admin@example.com",
        "via form",
        &format!(r#"href="{bob}">bob@example.com</a>"#),
        &format!(r#"href="{token}">Nightly import</a>"#),
        "<th scope=\"row\">must change password</th>",
        "<th scope=\"row\">role</th>",
        "<td>editor</td>",
        "<td>admin</td>",
        "<td>read-write</td>",
    ]);
    let newest = log.body.find("change-update").expect("the role change");
    let older = log.body.find("Nightly import</a>").expect("the token");
    assert!(newest < older, "newest first");

    let admin_id = user_id(&app, "admin@example.com");
    let mine = admin
        .page(&format!("/admin/audit?user={admin_id}"), 200)
        .await;
    mine.assert_contains(&["Nightly import</a>", "bob@example.com</a>"]);
    assert!(!mine.body.contains("operator (command line)"));
    assert!(
        mine.body
            .contains(&format!(r#"<option value="{admin_id}" selected>"#))
    );

    let tokens = admin.page("/admin/audit?kind=token", 200).await;
    tokens.assert_contains(&["Nightly import</a>", r#"<option value="token" selected>"#]);
    assert!(
        !tokens
            .body
            .contains(r#"class="change-item" href="/admin/users/"#)
    );

    let today = Utc::now().date_naive();
    let tomorrow = today + Days::new(1);
    let yesterday = today - Days::new(1);
    for (query, found) in [
        (format!("from={today}"), true),
        (format!("until={today}"), true),
        (format!("from={yesterday}&until={today}"), true),
        (format!("from={tomorrow}"), false),
        (format!("until={yesterday}"), false),
    ] {
        let page = admin.page(&format!("/admin/audit?{query}"), 200).await;
        assert_eq!(page.body.contains("Nightly import</a>"), found, "{query}");
        if !found {
            page.assert_contains(&["No changes match these filters."]);
        }
    }

    let first = admin.page("/admin/audit?per_page=1", 200).await;
    first.assert_contains(&["Older →", "Page 1"]);
    assert!(!first.body.contains("← Newer"));
    let second = admin.page("/admin/audit?per_page=1&page=2", 200).await;
    second.assert_contains(&["← Newer", r#"href="/admin/audit?per_page=1""#]);

    for (query, name) in [
        ("from=yesterday", "from"),
        ("until=2026-13-01", "until"),
        ("user=bob", "user"),
        ("kind=%3Cscript%3E", "kind"),
        ("page=0", "page"),
    ] {
        let reply = admin.page(&format!("/admin/audit?{query}"), 400).await;
        reply.assert_contains(&[&format!("<code>{name}</code>")]);
    }
}

async fn the_dashboard_counts_the_catalog_and_shows_recent_changes(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let editor = app.signed_in("editor").await;
    create_token(&admin, "Recent token", "read").await;

    let page = admin.page("/admin", 200).await;
    page.assert_contains(&[
        "<h1>Admin</h1>",
        r#"href="/admin/technologies""#,
        r#"href="/admin/dimensions""#,
        r#"href="/admin/sources""#,
        r#"<a href="/admin/requirements"><span class="tile-count">11</span> advisor requirements</a>"#,
        r#"href="/admin/users""#,
        r#"href="/admin/tokens""#,
        r#"href="/admin/audit""#,
        "Recent token</a>",
    ]);
    assert!(
        !page.body.contains(r#"<span class="tile-count">0</span>"#),
        "the demo data is counted"
    );

    let page = editor.page("/admin", 200).await;
    page.assert_contains(&[r#"href="/admin/technologies""#, "Recent token"]);
    for admin_only in [
        r#"href="/admin/users""#,
        r#"href="/admin/tokens""#,
        r#"href="/admin/audit""#,
    ] {
        assert!(!page.body.contains(admin_only), "{admin_only}");
    }
}
