//! Sign-in and sessions under attack: bursts of guesses against the throttle, where the
//! browser goes after signing in, and sessions that end on the server.

use chrono::{NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use futures_util::future::join_all;
use verdict::accounts::throttle::{PER_ACCOUNT, PER_ADDRESS};
use verdict::db::schema::{audit_log, user_sessions};

use crate::helpers::{self, Backend, Browser, PASSWORD, Reply, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_burst_of_guesses_gets_no_more_checks_than_the_account_limit,
    the_right_password_in_a_burst_past_the_limit_waits_too,
    a_burst_from_one_address_gets_no_more_checks_than_its_limit,
    only_a_path_on_this_site_is_followed_after_sign_in,
    a_cookie_copied_before_signing_out_is_dead,
    a_session_ends_when_unused_or_too_old,
    sessions_are_seen_at_most_once_a_minute,
    ending_ones_other_sessions_keeps_this_one,
    an_admin_signs_someone_out_everywhere,
    disabling_an_account_ends_its_sessions,
);

/// Sends every `(email, password)` at once from copies of one browser's session (so with its
/// CSRF token), as a script would.
async fn burst(app: &TestApp, attempts: &[(String, &str)]) -> Vec<Reply> {
    let first = app.browser();
    let token = first.csrf_token().await;
    let cookie = first.cookie().expect("the login form starts a session");
    let browsers: Vec<Browser> = attempts
        .iter()
        .map(|_| app.browser_with_cookie(&cookie))
        .collect();
    let token = token.as_str();
    join_all(
        browsers
            .iter()
            .zip(attempts)
            .map(|(browser, (email, password))| async move {
                browser
                    .post_form_raw(
                        "/login",
                        &[
                            ("csrf_token", token),
                            ("email", email.as_str()),
                            ("password", password),
                        ],
                    )
                    .await
            }),
    )
    .await
}

/// How many of `replies` had their password checked (and refused), and how many were
/// refused unchecked with a `Retry-After` within the window. Anything else fails the test.
fn checked_and_throttled(replies: &[Reply]) -> (usize, usize) {
    let mut checked = 0;
    let mut throttled = 0;
    for reply in replies {
        match reply.status.as_u16() {
            422 => {
                reply.assert_contains(&["do not match an active account"]);
                checked += 1;
            }
            429 => {
                let retry: u64 = reply.header("retry-after").parse().expect("seconds");
                assert!((1..=15 * 60).contains(&retry), "{retry}");
                reply.assert_contains(&["Too many failed sign-ins"]);
                throttled += 1;
            }
            other => panic!("a wrong guess got {other}: {}", reply.body),
        }
    }
    (checked, throttled)
}

async fn a_burst_of_guesses_gets_no_more_checks_than_the_account_limit(app: TestApp) {
    app.create_user("ada@example.com", "editor");
    let guesses: Vec<(String, &str)> = (0..100)
        .map(|_| ("ada@example.com".to_owned(), "a wrong guess"))
        .collect();
    let replies = burst(&app, &guesses).await;
    let (checked, throttled) = checked_and_throttled(&replies);
    eprintln!("100 concurrent guesses: {checked} checked, {throttled} throttled");
    assert_eq!(checked, PER_ACCOUNT as usize, "password checks");
    assert_eq!(throttled, 100 - PER_ACCOUNT as usize);

    let reply = app.browser().sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(reply.status.as_u16(), 429, "the right password waits too");
    assert!(!reply.header("retry-after").is_empty());
}

async fn the_right_password_in_a_burst_past_the_limit_waits_too(app: TestApp) {
    app.create_user("ada@example.com", "editor");
    let browser = app.browser();
    for _ in 0..PER_ACCOUNT {
        let reply = browser.sign_in("ada@example.com", "a wrong guess").await;
        assert_eq!(reply.status.as_u16(), 422);
    }
    let mut attempts: Vec<(String, &str)> = (0..40)
        .map(|_| ("ada@example.com".to_owned(), "a wrong guess"))
        .collect();
    attempts.insert(20, ("ada@example.com".to_owned(), PASSWORD));
    let replies = burst(&app, &attempts).await;
    for reply in &replies {
        assert_eq!(reply.status.as_u16(), 429, "{}", reply.body);
        assert!(!reply.header("retry-after").is_empty());
    }
}

async fn a_burst_from_one_address_gets_no_more_checks_than_its_limit(app: TestApp) {
    // Each guess names another account: only the address's limit applies.
    let guesses: Vec<(String, &str)> = (0..100)
        .map(|n| (format!("user{n}@example.com"), "a wrong guess"))
        .collect();
    let replies = burst(&app, &guesses).await;
    let (checked, throttled) = checked_and_throttled(&replies);
    eprintln!("100 concurrent guesses from one address: {checked} checked, {throttled} throttled");
    assert_eq!(checked, PER_ADDRESS as usize, "password checks");
    assert_eq!(throttled, 100 - PER_ADDRESS as usize);

    app.create_user("ada@example.com", "editor");
    let reply = app.browser().sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(reply.status.as_u16(), 429, "the address waits");
}

async fn only_a_path_on_this_site_is_followed_after_sign_in(app: TestApp) {
    app.create_user("ada@example.com", "editor");
    let long = format!("/admin?q={}", "a".repeat(5_000));
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/\x0b/evil.example",
        "/admin\n",
        "//evil.example",
        "/\\evil.example",
        "/..//evil.example",
        "https://evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        long.as_str(),
    ] {
        let browser = app.browser();
        let reply = browser
            .post_form(
                "/login",
                &[
                    ("email", "ada@example.com"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        let refused_by_the_form = next
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'));
        if refused_by_the_form {
            // Forms refuse such control characters before anything is checked.
            assert_eq!(reply.status.as_u16(), 422, "next {next:?}: {}", reply.body);
            reply.assert_contains(&["<code>next</code>"]);
            browser.page("/admin", 303).await;
        } else {
            assert_eq!(reply.status.as_u16(), 303, "next {next:?}: {}", reply.body);
            assert_eq!(reply.header("location"), "/admin", "next {next:?}");
            browser.page("/admin", 200).await;
        }
    }
    // The login page's own link, as a query, survives the round trip.
    let browser = app.browser();
    let form = browser.page("/login?next=%2F%09%2Fevil.example", 200).await;
    let next = crate::helpers::hidden(&form.body, "next");
    let reply = browser
        .post_form(
            "/login",
            &[
                ("email", "ada@example.com"),
                ("password", PASSWORD),
                ("next", &next),
            ],
        )
        .await;
    assert_eq!(reply.status.as_u16(), 303);
    assert_eq!(reply.header("location"), "/admin");
    let reply = app
        .browser()
        .post_form(
            "/login",
            &[
                ("email", "ada@example.com"),
                ("password", PASSWORD),
                ("next", "/admin/technologies?page=2"),
            ],
        )
        .await;
    assert_eq!(reply.header("location"), "/admin/technologies?page=2");
}

fn user_id(app: &TestApp, email: &str) -> i32 {
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    verdict::accounts::users::by_email(&mut conn, email)
        .expect("the query runs")
        .unwrap_or_else(|| panic!("an account for {email}"))
        .id
}

/// The account's session rows: id, created, last seen.
fn sessions_of(app: &TestApp, user_id: i32) -> Vec<(i32, NaiveDateTime, NaiveDateTime)> {
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    user_sessions::table
        .filter(user_sessions::user_id.eq(user_id))
        .select((
            user_sessions::id,
            user_sessions::created_at,
            user_sessions::last_seen_at,
        ))
        .order(user_sessions::id)
        .load(&mut *conn)
        .expect("the query runs")
}

/// Moves every session of the account back in time: its start by `created`, its last use
/// by `last_seen`.
fn backdate(app: &TestApp, user_id: i32, created: TimeDelta, last_seen: TimeDelta) {
    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    let now = Utc::now().naive_utc();
    diesel::update(user_sessions::table.filter(user_sessions::user_id.eq(user_id)))
        .set((
            user_sessions::created_at.eq(now - created),
            user_sessions::last_seen_at.eq(now - last_seen),
        ))
        .execute(&mut *conn)
        .expect("the sessions are backdated");
}

#[track_caller]
fn assert_sent_to_sign_in(reply: &Reply) {
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    assert!(
        reply.header("location").starts_with("/login?next="),
        "{}",
        reply.header("location")
    );
}

async fn a_cookie_copied_before_signing_out_is_dead(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let id = user_id(&app, "editor@example.com");
    let cookie = editor.cookie().expect("a session");
    let token = editor.csrf_token().await;
    app.browser_with_cookie(&cookie).page("/admin", 200).await;
    assert_eq!(sessions_of(&app, id).len(), 1);

    let reply = editor.post_form("/logout", &[]).await;
    assert_eq!(reply.status.as_u16(), 303);
    assert!(
        sessions_of(&app, id).is_empty(),
        "signing out deletes the row"
    );

    for page in [
        "/admin",
        "/admin/technologies",
        "/account/sessions",
        "/account/password",
    ] {
        let copy = app.browser_with_cookie(&cookie);
        let reply = copy.get(page).await;
        assert_sent_to_sign_in(&reply);
        assert!(!copy.has_session(), "the dead cookie is cleared");
    }
    let writes = [
        (
            "/admin/technologies/new",
            vec![
                ("name", "Loco"),
                ("slug", "loco"),
                ("kind", "framework"),
                ("language", "rust"),
                ("summary", "A Rails-like framework."),
            ],
        ),
        (
            "/account/password",
            vec![
                ("current_password", PASSWORD),
                ("new_password", "a password the thief chose"),
                ("confirm_password", "a password the thief chose"),
            ],
        ),
        ("/account/sessions", vec![]),
    ];
    for (path, fields) in writes {
        let mut fields = fields;
        fields.push(("csrf_token", token.as_str()));
        let reply = app
            .browser_with_cookie(&cookie)
            .post_form_raw(path, &fields)
            .await;
        assert_sent_to_sign_in(&reply);
    }
    app.page("/technologies/loco", 404).await;
    assert_eq!(
        app.sign_in_status("editor@example.com", PASSWORD).await,
        303,
        "the password is unchanged"
    );
}

async fn a_session_ends_when_unused_or_too_old(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let id = user_id(&app, "editor@example.com");
    // Just under the defaults: two hours unused, twelve in all.
    backdate(
        &app,
        id,
        TimeDelta::minutes(11 * 60 + 58),
        TimeDelta::minutes(118),
    );
    editor.page("/admin", 200).await;

    backdate(&app, id, TimeDelta::minutes(150), TimeDelta::minutes(121));
    assert_sent_to_sign_in(&editor.get("/admin").await);
    assert!(
        sessions_of(&app, id).is_empty(),
        "the expired row is deleted"
    );

    let editor = app.browser();
    editor.sign_in("editor@example.com", PASSWORD).await;
    editor.page("/admin", 200).await;
    backdate(&app, id, TimeDelta::minutes(12 * 60 + 1), TimeDelta::zero());
    assert_sent_to_sign_in(&editor.get("/admin").await);

    // Expired rows nobody presents again go at the next sign-in, anyone's.
    let first = app.browser();
    first.sign_in("editor@example.com", PASSWORD).await;
    backdate(&app, id, TimeDelta::hours(3), TimeDelta::hours(3));
    app.signed_in("admin").await;
    assert!(sessions_of(&app, id).is_empty(), "swept at sign-in");
}

async fn sessions_are_seen_at_most_once_a_minute(app: TestApp) {
    let editor = app.signed_in("editor").await;
    let id = user_id(&app, "editor@example.com");
    backdate(&app, id, TimeDelta::seconds(30), TimeDelta::seconds(30));
    let [(_, _, before)] = sessions_of(&app, id)[..] else {
        panic!("one session")
    };
    editor.page("/admin", 200).await;
    let [(_, _, after)] = sessions_of(&app, id)[..] else {
        panic!("one session")
    };
    assert_eq!(after, before, "not written within the minute");

    backdate(&app, id, TimeDelta::minutes(5), TimeDelta::minutes(5));
    let requested = Utc::now().naive_utc() - TimeDelta::seconds(1);
    editor.page("/admin", 200).await;
    let [(_, created, after)] = sessions_of(&app, id)[..] else {
        panic!("one session")
    };
    assert!(after >= requested, "{after} is the last use");
    assert!(created < requested, "the start stays");
}

async fn ending_ones_other_sessions_keeps_this_one(app: TestApp) {
    let here = app.signed_in("editor").await;
    let id = user_id(&app, "editor@example.com");
    let elsewhere = app.browser();
    elsewhere.sign_in("editor@example.com", PASSWORD).await;
    elsewhere.page("/admin", 200).await;

    let page = here.page("/account/sessions", 200).await;
    page.assert_contains(&[
        "<h1>Your sessions</h1>",
        "This browser",
        "2 hours",
        "12 hours",
    ]);
    assert_eq!(page.body.matches("This browser").count(), 1);
    let first_row = page.body.find(r#"data-label="Address""#).expect("a row");
    assert!(
        page.body
            .find("This browser")
            .is_some_and(|at| at < first_row),
        "this browser's session comes first"
    );
    assert_eq!(page.body.matches(r#"data-label="Signed in""#).count(), 2);
    page.assert_contains(&["Sign out 1 other session"]);

    let reply = here.post_form("/account/sessions", &[]).await;
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    assert_eq!(reply.header("location"), "/account/sessions");
    let page = here.page("/account/sessions", 200).await;
    page.assert_contains(&[
        "Your other session has been signed out.",
        "You are signed in only here.",
    ]);
    assert_sent_to_sign_in(&elsewhere.get("/admin").await);
    here.page("/admin", 200).await;
    assert_eq!(sessions_of(&app, id).len(), 1);

    let db = app.connection();
    let mut conn = db.get().expect("a connection");
    let recorded: Vec<Option<String>> = audit_log::table
        .filter(audit_log::subject.eq(format!("user:{id}")))
        .select(audit_log::after)
        .load(&mut *conn)
        .expect("the query runs");
    assert!(
        recorded.contains(&Some(r#"{"sessions":1}"#.to_owned())),
        "{recorded:?}"
    );
    assert_sent_to_sign_in(&app.browser().get("/account/sessions").await);
}

async fn an_admin_signs_someone_out_everywhere(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let phone = app.signed_in("editor").await;
    let laptop = app.browser();
    laptop.sign_in("editor@example.com", PASSWORD).await;
    let id = user_id(&app, "editor@example.com");
    let page = format!("/admin/users/{id}");

    let form = admin.page(&page, 200).await;
    form.assert_contains(&["Sessions", "Sign out everywhere"]);
    assert_eq!(form.body.matches(r#"data-label="Signed in""#).count(), 2);
    let reply = phone.post_form(&format!("{page}/sessions"), &[]).await;
    assert_eq!(reply.status.as_u16(), 403, "only admins sign others out");
    let own = user_id(&app, "admin@example.com");
    let reply = admin
        .post_form(&format!("/admin/users/{own}/sessions"), &[])
        .await;
    assert_eq!(
        reply.status.as_u16(),
        403,
        "their own go on /account/sessions"
    );
    admin.page("/admin", 200).await;

    let reply = admin.post_form(&format!("{page}/sessions"), &[]).await;
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    assert_eq!(reply.header("location"), page);
    let shown = admin.page(&page, 200).await;
    shown.assert_contains(&[
        "editor@example.com has been signed out of 2 sessions.",
        "Not signed in anywhere.",
        "sessions",
    ]);
    assert_sent_to_sign_in(&phone.get("/admin").await);
    assert_sent_to_sign_in(&laptop.get("/admin").await);
    assert!(sessions_of(&app, id).is_empty());
    assert_eq!(
        app.sign_in_status("editor@example.com", PASSWORD).await,
        303,
        "they may sign in again"
    );
}

async fn disabling_an_account_ends_its_sessions(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let editor = app.signed_in("editor").await;
    let id = user_id(&app, "editor@example.com");
    let cookie = editor.cookie().expect("a session");
    let page = format!("/admin/users/{id}");
    let form = admin.page(&page, 200).await;
    let version = helpers::hidden(&form.body, "version");
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
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    assert!(sessions_of(&app, id).is_empty());
    assert_sent_to_sign_in(&app.browser_with_cookie(&cookie).get("/admin").await);

    // Re-enabling does not bring them back.
    let form = admin.page(&page, 200).await;
    let version = helpers::hidden(&form.body, "version");
    admin
        .post_form(&page, &[("version", &version), ("role", "editor")])
        .await;
    assert_sent_to_sign_in(&app.browser_with_cookie(&cookie).get("/admin").await);
}

mod configured_limits {
    use super::*;

    /// A server whose sessions last 5 minutes unused and an hour in all.
    async fn spawn(backend: Backend) -> Option<TestApp> {
        let serve = verdict::config::ServeArgs {
            session_idle_minutes: 5,
            session_lifetime_hours: 1,
            ..helpers::serve_args()
        };
        TestApp::spawn_with(backend, serve).await
    }

    async fn sessions_last_as_configured(app: TestApp) {
        let editor = app.signed_in("editor").await;
        let id = user_id(&app, "editor@example.com");
        backdate(&app, id, TimeDelta::minutes(4), TimeDelta::minutes(4));
        editor.page("/admin", 200).await;
        editor
            .page("/account/sessions", 200)
            .await
            .assert_contains(&["after 5 minutes unused", "or 1 hour after you signed in"]);
        backdate(&app, id, TimeDelta::minutes(6), TimeDelta::minutes(6));
        assert_sent_to_sign_in(&editor.get("/admin").await);

        let editor = app.browser();
        editor.sign_in("editor@example.com", PASSWORD).await;
        backdate(&app, id, TimeDelta::minutes(61), TimeDelta::minutes(1));
        assert_sent_to_sign_in(&editor.get("/admin").await);
    }

    #[actix_web::test]
    async fn sqlite() {
        if let Some(app) = spawn(Backend::Sqlite).await {
            sessions_last_as_configured(app).await;
        }
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = spawn(Backend::Postgres).await {
            sessions_last_as_configured(app).await;
        }
    }
}
