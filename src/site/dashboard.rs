//! `/admin`: where editors and admins land after signing in. How much the catalog holds,
//! the way to each part of the admin, and the latest changes.

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use crate::accounts::{tokens, users};
use crate::audit::{self, Entry, Filter};
use crate::db::Db;
use crate::db::DbConnection;
use crate::db::schema::{
    assessments, benchmark_environments, benchmark_runs, benchmark_scenarios, dimensions,
    requirements, sources, technologies,
};
use crate::decisions;
use crate::web::auth::Editor;
use crate::web::session::Role;
use crate::web::{Layout, PageError, render};

/// How many of the latest changes the dashboard shows.
const RECENT: i64 = 10;

/// How much the catalog holds.
#[derive(Debug, Clone, Copy)]
struct Counts {
    technologies: i64,
    dimensions: i64,
    sources: i64,
    facts: i64,
    requirements: i64,
    decisions: i64,
    scenarios: i64,
    environments: i64,
    runs: i64,
}

fn counts(conn: &mut DbConnection) -> QueryResult<Counts> {
    Ok(Counts {
        technologies: technologies::table.count().get_result(conn)?,
        dimensions: dimensions::table.count().get_result(conn)?,
        sources: sources::table.count().get_result(conn)?,
        facts: assessments::table.count().get_result(conn)?,
        requirements: requirements::table.count().get_result(conn)?,
        decisions: decisions::queries::count(conn)?,
        scenarios: benchmark_scenarios::table.count().get_result(conn)?,
        environments: benchmark_environments::table.count().get_result(conn)?,
        runs: benchmark_runs::table.count().get_result(conn)?,
    })
}

/// What only admins see: accounts and tokens.
#[derive(Debug, Clone, Copy)]
struct People {
    users: i64,
    tokens: i64,
}

#[derive(Template)]
#[template(path = "site/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    email: String,
    role: Role,
    counts: Counts,
    people: Option<People>,
    recent: Vec<Entry>,
}

pub async fn dashboard(
    editor: Editor,
    layout: Layout,
    db: web::Data<Db>,
) -> Result<HttpResponse, PageError> {
    // The role as the database has it now, not as the session remembers it.
    let role = editor.0.role;
    let (counts, people, recent) = db
        .run(move |conn| {
            let people = match role {
                Role::Admin => Some(People {
                    users: users::count(conn)?,
                    tokens: tokens::count(conn)?,
                }),
                Role::Editor => None,
            };
            let recent = audit::list(conn, &Filter::default(), 0, RECENT)?;
            Ok((counts(conn)?, people, recent))
        })
        .await?;
    Ok(render(&DashboardPage {
        layout,
        email: editor.actor().name.clone(),
        role,
        counts,
        people,
        recent,
    })?)
}
