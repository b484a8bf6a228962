//! Signing in and out, throttling, passwords, CSRF and cross-site refusal, and the command
//! line's `verdict user`.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::{PASSWORD, TestApp, csrf_in};
use crate::on_both_backends;

on_both_backends!(
    signing_in_and_out,
    wrong_email_and_wrong_password_look_the_same,
    failed_sign_ins_are_throttled_and_a_success_clears_them,
    forms_without_the_csrf_token_are_refused,
    signing_out_and_changing_a_password_need_the_csrf_token,
    one_address_failing_on_many_accounts_is_throttled,
    forms_from_other_sites_are_refused,
    admin_pages_send_visitors_to_sign_in,
    changing_a_password_ends_other_sessions,
    the_cli_creates_accounts_and_resets_passwords,
);

async fn signing_in_and_out(app: TestApp) {
    app.create_user("ada@example.com", "editor");
    let browser = app.browser();
    let form = browser.page("/login?next=/admin", 200).await;
    form.assert_contains(&["<h1>Sign in</h1>", r#"name="next" value="/admin""#]);
    assert!(
        browser.has_session(),
        "the login form starts a session for its token"
    );

    let reply = browser.sign_in("ADA@example.com", PASSWORD).await;
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    assert_eq!(reply.header("location"), "/admin");
    let cookie = reply.header("set-cookie");
    assert!(cookie.contains("verdict_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP in tests: {cookie}");

    let home = browser.page("/", 200).await;
    home.assert_contains(&["ada@example.com", "Sign out"]);
    assert_eq!(
        home.header("x-cache"),
        "",
        "a signed-in page is never cached"
    );

    let reply = browser.post_form("/logout", &[]).await;
    assert_eq!(reply.status.as_u16(), 303);
    assert_eq!(reply.header("location"), "/");
    let home = browser.page("/", 200).await;
    assert!(!home.body.contains("ada@example.com"));
    assert_eq!(browser.get("/admin").await.status.as_u16(), 303);
}

async fn wrong_email_and_wrong_password_look_the_same(app: TestApp) {
    app.create_user("ada@example.com", "editor");
    let wrong_password = app
        .browser()
        .sign_in("ada@example.com", "not the password")
        .await;
    let wrong_email = app.browser().sign_in("bob@example.com", PASSWORD).await;
    assert_eq!(wrong_password.status.as_u16(), 422);
    assert_eq!(wrong_email.status, wrong_password.status);
    let message = "That email and password do not match an active account.";
    wrong_password.assert_contains(&[message, r#"value="ada@example.com""#]);
    wrong_email.assert_contains(&[message, r#"value="bob@example.com""#]);
    assert!(
        !wrong_password.body.contains("not the password"),
        "a password is never echoed"
    );
}

async fn failed_sign_ins_are_throttled_and_a_success_clears_them(app: TestApp) {
    app.create_user("ada@example.com", "editor");
    let browser = app.browser();
    for _ in 0..4 {
        let reply = browser.sign_in("ada@example.com", "wrong").await;
        assert_eq!(reply.status.as_u16(), 422);
    }
    // A success before the limit clears the count.
    assert_eq!(
        browser
            .sign_in("ada@example.com", PASSWORD)
            .await
            .status
            .as_u16(),
        303
    );
    browser.post_form("/logout", &[]).await;
    for _ in 0..5 {
        assert_eq!(
            browser
                .sign_in("ada@example.com", "wrong")
                .await
                .status
                .as_u16(),
            422
        );
    }
    let reply = browser.sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(reply.status.as_u16(), 429, "even the right password waits");
    let retry: u64 = reply.header("retry-after").parse().expect("seconds");
    assert!((1..=15 * 60).contains(&retry), "{retry}");
    reply.assert_contains(&["Too many failed sign-ins", "try again in 15 minutes"]);
    // Another account from the same address is not locked by this one.
    app.create_user("bob@example.com", "editor");
    assert_eq!(app.sign_in_status("bob@example.com", PASSWORD).await, 303);
}

async fn forms_without_the_csrf_token_are_refused(app: TestApp) {
    app.create_user("ada@example.com", "editor");
    let browser = app.browser();
    browser.page("/login", 200).await;
    let missing = browser
        .post_form_raw(
            "/login",
            &[("email", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(missing.status.as_u16(), 403);
    missing.assert_contains(&["nothing was saved"]);
    let wrong = browser
        .post_form_raw(
            "/login",
            &[
                ("csrf_token", "0000"),
                ("email", "ada@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status.as_u16(), 403);
    // A token from another session is just as wrong.
    let other = app.browser();
    let token = csrf_in(&other.page("/login", 200).await.body).expect("a token");
    let stolen = browser
        .post_form_raw(
            "/login",
            &[
                ("csrf_token", &token),
                ("email", "ada@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(stolen.status.as_u16(), 403);
    assert_eq!(
        browser.get("/admin").await.status.as_u16(),
        303,
        "not signed in"
    );
}

async fn forms_from_other_sites_are_refused(app: TestApp) {
    let browser = app.signed_in("editor").await;
    let token = browser.csrf_token().await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let reply = app
            .send(awc::http::Method::POST, "/logout", &[(name, value)])
            .await;
        assert_eq!(reply.status.as_u16(), 403, "{name}: {value}");
        reply.assert_contains(&["sent from another site"]);
    }
    assert!(!token.is_empty());
}

async fn admin_pages_send_visitors_to_sign_in(app: TestApp) {
    let reply = app.get("/admin?x=1").await;
    assert_eq!(reply.status.as_u16(), 303);
    assert_eq!(reply.header("location"), "/login?next=%2Fadmin%3Fx%3D1");
}

async fn changing_a_password_ends_other_sessions(app: TestApp) {
    let first = app.signed_in("editor").await;
    let second = app.browser();
    assert_eq!(
        second
            .sign_in("editor@example.com", PASSWORD)
            .await
            .status
            .as_u16(),
        303
    );

    let form = first.page("/account/password", 200).await;
    form.assert_contains(&["Change your password", r#"autocomplete="new-password""#]);
    let bad = first
        .post_form(
            "/account/password",
            &[
                ("current_password", "wrong"),
                ("new_password", "short"),
                ("confirm_password", "other"),
            ],
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    bad.assert_contains(&[
        "is not your current password",
        "must be at least 12 characters",
        "does not match the new password",
        // The summary names each field as the form labels it, in the form's order.
        concat!(
            r##"<li><a href="#current_password">Current password is not your current password</a></li>"##,
            r##"<li><a href="#new_password">New password must be at least 12 characters</a></li>"##,
        ),
    ]);

    let new = "a much better password";
    let reply = first
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(reply.status.as_u16(), 303, "{}", reply.body);
    first.page("/admin", 200).await;
    assert_eq!(
        second.get("/admin").await.status.as_u16(),
        303,
        "the other session ended"
    );
    assert_eq!(
        app.sign_in_status("editor@example.com", PASSWORD).await,
        422
    );
    assert_eq!(app.sign_in_status("editor@example.com", new).await, 303);
}

fn verdict_user(args: &[&str], database_url: &str, stdin: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("verdict runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("the password is written");
    let output = child.wait_with_output().expect("verdict ends");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn the_cli_creates_accounts_and_resets_passwords(app: TestApp) {
    let url = app.common.database_url.clone().expect("a URL");
    let create = [
        "user",
        "create",
        "--email",
        "Root@Example.com",
        "--role",
        "admin",
    ];
    let (ok, text) = verdict_user(&create, &url, "short\n");
    assert!(!ok && text.contains("at least 12 characters"), "{text}");
    let (ok, text) = verdict_user(&create, &url, "operator password 1\n");
    assert!(ok, "{text}");
    assert!(text.contains("created admin root@example.com"), "{text}");
    let (ok, text) = verdict_user(&create, &url, "operator password 1\n");
    assert!(!ok && text.contains("already an account"), "{text}");

    let browser = app.browser();
    assert_eq!(
        browser
            .sign_in("root@example.com", "operator password 1")
            .await
            .status
            .as_u16(),
        303
    );
    let reset = ["user", "reset-password", "--email", "root@example.com"];
    let (ok, text) = verdict_user(&reset, &url, "operator password 2\n");
    assert!(ok, "{text}");
    assert_eq!(
        browser.get("/admin").await.status.as_u16(),
        303,
        "the session ended"
    );
    assert_eq!(
        app.sign_in_status("root@example.com", "operator password 2")
            .await,
        303
    );
    let (ok, text) = verdict_user(
        &["user", "reset-password", "--email", "nobody@example.com"],
        &url,
        "operator password 3\n",
    );
    assert!(!ok && text.contains("no account"), "{text}");
}

async fn signing_out_and_changing_a_password_need_the_csrf_token(app: TestApp) {
    let browser = app.signed_in("editor").await;
    for token in [None, Some("0123")] {
        let mut fields = vec![
            ("current_password", PASSWORD),
            ("new_password", "a brand new password"),
            ("confirm_password", "a brand new password"),
        ];
        if let Some(token) = token {
            fields.push(("csrf_token", token));
        }
        let reply = browser.post_form_raw("/account/password", &fields).await;
        assert_eq!(reply.status.as_u16(), 403, "token {token:?}");
        let reply = browser.post_form_raw("/logout", &fields[3..]).await;
        assert_eq!(reply.status.as_u16(), 403, "token {token:?}");
    }
    browser.page("/admin", 200).await;
    assert_eq!(
        app.sign_in_status("editor@example.com", PASSWORD).await,
        303
    );
}

async fn one_address_failing_on_many_accounts_is_throttled(app: TestApp) {
    app.create_user("ada@example.com", "editor");
    let browser = app.browser();
    // Four failures on each of five accounts: no account reaches its limit, the address does.
    for n in 0..20 {
        let email = format!("user{}@example.com", n % 5);
        assert_eq!(
            browser.sign_in(&email, "wrong").await.status.as_u16(),
            422,
            "{email}"
        );
    }
    let reply = browser.sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(reply.status.as_u16(), 429);
    assert!(!reply.header("retry-after").is_empty());
}
