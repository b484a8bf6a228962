//! `verdict user create` and `verdict user reset-password`: the operator's way in.

use anyhow::{Context, bail};

use crate::accounts::password;
use crate::accounts::user_updates::{self, Updated, UserUpdate};
use crate::accounts::users::{self, NewUser};
use crate::audit::{Actor, Via};
use crate::db::Db;
use crate::web::session::Role;

fn operator() -> Actor {
    Actor {
        user_id: None,
        name: "operator (command line)".into(),
        via: Via::Cli,
    }
}

/// Creates an account with `secret` as its password.
pub fn create(db: &Db, email: &str, role: Role, secret: &str) -> anyhow::Result<String> {
    let email = users::normalise_email(email).map_err(|e| anyhow::anyhow!("the email {e}"))?;
    password::check_new(secret).map_err(|e| anyhow::anyhow!("the password {e}"))?;
    let hash = password::hash(secret)?;
    let mut conn = db.get().context("no database connection")?;
    let new = NewUser {
        email: &email,
        role,
        password_hash: &hash,
        must_change_password: false,
    };
    match users::create(&mut conn, &operator(), &new)? {
        Some(_) => Ok(email),
        None => bail!("there is already an account for {email}"),
    }
}

/// Sets a new password for an account, ending its sessions.
pub fn reset_password(db: &Db, email: &str, secret: &str) -> anyhow::Result<String> {
    let email = users::normalise_email(email).map_err(|e| anyhow::anyhow!("the email {e}"))?;
    password::check_new(secret).map_err(|e| anyhow::anyhow!("the password {e}"))?;
    let hash = password::hash(secret)?;
    let mut conn = db.get().context("no database connection")?;
    let Some(user) = users::by_email(&mut conn, &email)? else {
        bail!("there is no account for {email}");
    };
    let change = UserUpdate {
        password: Some((&hash, false)),
        ..UserUpdate::default()
    };
    match user_updates::update(&mut conn, &operator(), user.id, None, &change)? {
        Updated::Done(_) => Ok(email),
        Updated::NotFound | Updated::Stale => {
            bail!("the account for {email} changed meanwhile; try again")
        }
    }
}
