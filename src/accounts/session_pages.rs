//! `/account/sessions`: where one is signed in, and signing out everywhere else.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::TimeDelta;

use crate::accounts::guards::{session_limits, signed_in_user};
use crate::accounts::sessions::{self, Limits, Session};
use crate::db::Db;
use crate::web::form::Form;
use crate::web::session;
use crate::web::words::counted;
use crate::web::{Layout, PageError, render, see_other};

#[derive(Template)]
#[template(path = "accounts/sessions.html")]
struct SessionsPage {
    layout: Layout,
    csrf: String,
    sessions: Vec<Session>,
    /// The session this page is shown in.
    current: i32,
    limits: Limits,
}

impl SessionsPage {
    fn others(&self) -> usize {
        self.sessions
            .iter()
            .filter(|s| s.id != self.current)
            .count()
    }

    fn idle(&self) -> String {
        in_words(self.limits.idle)
    }

    fn lifetime(&self) -> String {
        in_words(self.limits.lifetime)
    }
}

/// A length of time as the page says it: in hours when it is whole hours, else in minutes.
fn in_words(length: TimeDelta) -> String {
    let minutes = length.num_minutes();
    let (count, unit) = if minutes % 60 == 0 {
        (minutes / 60, "hour")
    } else {
        (minutes, "minute")
    };
    counted(count, unit)
}

pub async fn sessions_page(req: HttpRequest, db: web::Data<Db>) -> Result<HttpResponse, PageError> {
    let active = signed_in_user(&req, false).await?;
    let limits = session_limits(&req)?;
    let user_id = active.user.id;
    let mut sessions = db
        .run(move |conn| sessions::of_user(conn, user_id, &limits))
        .await?;
    // This browser's first, then the others as the query orders them.
    sessions.sort_by_key(|s| s.id != active.id);
    let page = SessionsPage {
        layout: Layout::of(&req),
        csrf: session::form_token(&req)?,
        sessions,
        current: active.id,
        limits,
    };
    Ok(render(&page)?)
}

/// Ends every session of the account but this one.
pub async fn end_other_sessions(
    req: HttpRequest,
    db: web::Data<Db>,
    _: Form,
) -> Result<HttpResponse, PageError> {
    let active = signed_in_user(&req, false).await?;
    let actor = active.user.actor();
    let ended = db
        .run(move |conn| sessions::sign_out_everywhere(conn, &actor, &active.user, Some(active.id)))
        .await?;
    let message = match ended {
        0 => "You had no other sessions.".to_owned(),
        1 => "Your other session has been signed out.".to_owned(),
        n => format!("Your {n} other sessions have been signed out."),
    };
    session::flash_next(&req, message)?;
    Ok(see_other("/account/sessions"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_said_in_hours_or_minutes() {
        assert_eq!(in_words(TimeDelta::hours(2)), "2 hours");
        assert_eq!(in_words(TimeDelta::hours(1)), "1 hour");
        assert_eq!(in_words(TimeDelta::minutes(90)), "90 minutes");
        assert_eq!(in_words(TimeDelta::minutes(1)), "1 minute");
    }
}
