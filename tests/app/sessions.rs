//! Sign-in and sessions under attack: bursts of guesses against the throttle, where the
//! browser goes after signing in, and sessions that end on the server.

use futures_util::future::join_all;
use verdict::accounts::throttle::{PER_ACCOUNT, PER_ADDRESS};

use crate::helpers::{Browser, PASSWORD, Reply, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_burst_of_guesses_gets_no_more_checks_than_the_account_limit,
    the_right_password_in_a_burst_past_the_limit_waits_too,
    a_burst_from_one_address_gets_no_more_checks_than_its_limit,
    only_a_path_on_this_site_is_followed_after_sign_in,
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
