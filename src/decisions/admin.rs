//! The decisions' admin: its list, filtered by status, and how the editing layer's forms
//! show a decision ([`AdminKind`]): its options ticked by kind while it is new and fixed
//! once recorded, and a new one filled in from the address.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;

use crate::advisor::{Advice, Query, advise};
use crate::catalog::model::TechnologyItem;
use crate::catalog::queries as catalog;
use crate::db::{Db, DbConnection};
use crate::decisions::advice::{choose_between, suggest};
use crate::decisions::edit::Decision;
use crate::decisions::model::{DecisionItem, Status};
use crate::decisions::params::list_query;
use crate::decisions::queries;
use crate::decisions::rules::{FIELDS, MAX_OPTIONS, MIN_OPTIONS};
use crate::decisions::snapshot::OptionRef;
use crate::editing::Current;
use crate::editing::forms::{AdminKind, Group, Input, Spec};
use crate::editing::pages::html;
use crate::web::auth::Editor;
use crate::web::error::PageError;
use crate::web::form::Fields;
use crate::web::params::Pager;
use crate::web::{Layout, Paginated, Params};

#[derive(Template)]
#[template(path = "decisions/admin/list.html")]
struct ListPage {
    layout: Layout,
    list: Paginated<DecisionItem>,
    pager: Pager,
}

pub async fn list(
    _: Editor,
    layout: Layout,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let (filter, page) = list_query(&params)?;
    let today = Utc::now().date_naive();
    let list = db
        .run(move |conn| queries::list(conn, &filter, page, today))
        .await?;
    let pager = list.pager("/admin/decisions", &params)?;
    html(
        StatusCode::OK,
        &ListPage {
            layout,
            list,
            pager,
        },
    )
}

/// The options' hint while they can be ticked, after "Tick 2 to 4".
const TO_TICK: &str = "technologies. Their facts are recorded with the decision as they stand \
    now, and cannot be changed later.";

/// The options' hint once they are recorded.
const RECORDED: &str = "Recorded with the decision, with their facts at the time, so they \
    cannot change. To weigh other options, record a new decision.";

impl AdminKind for Decision {
    const PATH: &'static str = "decisions";
    const NOUN: &'static str = "decision";
    const TITLE: &'static str = "Decisions";
    const KEY: &'static str = r"{key:\d+}";
    const LEAD: &'static str = "The facts and scores of the options you tick are recorded with \
        the decision as the catalog has them now. Later edits to the catalog never change them; \
        the decision's page says what changed since.";
    const VIEW: &'static str = "View the decision";
    const NO_DEPENDENTS: &'static str = "No other decision links to it.";
    const CASCADES: &'static str = "Other decisions lose their link to it:";
    const DELETE_NOTE: &'static str = "The snapshot of the facts it was made on goes with it. \
        The deletion is recorded in the audit log with everything the decision held.";

    /// The options to tick, and the chosen one, by kind of technology; once recorded, the
    /// options as recorded, which cannot change. Another decision may supersede it.
    fn specs(conn: &mut DbConnection, current: Option<&Current>) -> diesel::QueryResult<Vec<Spec>> {
        let choices = queries::choices(conn, current.map(|c| c.id))?;
        let recorded = match current {
            Some(current) => Some(as_choices(queries::recorded(conn, current.id)?.0)),
            None => None,
        };
        let groups: Vec<Group> = choices
            .technologies
            .into_iter()
            .map(|(kind, technologies)| {
                let choices = technologies.into_iter().map(|t| (t.slug, t.name)).collect();
                Group::new(kind.plural(), choices)
            })
            .collect();
        let none = || (String::new(), "None yet".to_owned());
        let others = choices
            .decisions
            .into_iter()
            .map(|d| (d.id.to_string(), format!("#{} {}", d.id, d.title)));
        let superseding: Vec<_> = std::iter::once((String::new(), "None".to_owned()))
            .chain(others)
            .collect();
        let statuses: Vec<(String, String)> = Status::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
            .collect();
        let specs = FIELDS.iter().map(|field| {
            let spec = Spec::of(field, Vec::new());
            match (field.name, &recorded) {
                ("options", None) => spec
                    .as_input(Input::Checks(groups.clone()))
                    .with_hint(format!("Tick {MIN_OPTIONS} to {MAX_OPTIONS} {TO_TICK}")),
                ("options", Some(recorded)) => spec
                    .as_input(Input::Fixed(recorded.clone()))
                    .with_hint(RECORDED),
                ("chosen", None) => spec.as_input(Input::Select(vec![none()], groups.clone())),
                ("chosen", Some(recorded)) => {
                    let choices = std::iter::once(none()).chain(recorded.iter().cloned());
                    spec.as_input(Input::Select(choices.collect(), Vec::new()))
                }
                ("status", _) => spec.as_input(Input::Select(statuses.clone(), Vec::new())),
                ("superseded_by", _) => {
                    spec.as_input(Input::Select(superseding.clone(), Vec::new()))
                }
                _ => spec,
            }
        });
        Ok(specs.collect())
    }

    /// Filled in from the address: an advisor's inputs (as its result links here) are run
    /// through the advisor again; `t=` alone ticks those options.
    fn prefill(
        conn: &mut DbConnection,
        params: &Params,
    ) -> diesel::QueryResult<(Fields, Option<String>)> {
        let advised = match Query::from_params(params) {
            Ok(query) if query.marks.is_empty() => None,
            Ok(query) => Some(advise(conn, &query)?),
            Err(errors) => Some(Err(errors)),
        };
        Ok(match advised {
            Some(Ok(advice)) => (
                from_advice(&advice),
                Some(
                    "Filled in from the advisor's result, which is kept with the decision. \
                     Check each field before recording it."
                        .to_owned(),
                ),
            ),
            Some(Err(errors)) => {
                let named: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{} {}", e.name, e.detail))
                    .collect();
                let notice = format!(
                    "The advisor cannot answer the inputs in this address ({}), so the form is \
                     not filled in from it.",
                    named.join("; ")
                );
                (from_candidates(conn, params)?, Some(notice))
            }
            None => (from_candidates(conn, params)?, None),
        })
    }

    fn saved_url(key: &str) -> String {
        Self::public_url(key)
    }

    fn new_title() -> String {
        "Record a decision".to_owned()
    }

    fn edit_title(label: &str) -> String {
        format!("Edit “{label}”")
    }

    fn create_button() -> String {
        "Record the decision".to_owned()
    }

    fn created(label: &str) -> String {
        format!("Recorded the decision “{label}”.")
    }

    fn saved(label: &str) -> String {
        format!("Saved the decision “{label}”.")
    }

    fn deleted(key: &str) -> String {
        format!("Deleted the decision #{key}.")
    }
}

/// Recorded options as a form's (value, label).
fn as_choices(options: Vec<OptionRef>) -> Vec<(String, String)> {
    options.into_iter().map(|o| (o.slug, o.name)).collect()
}

/// A new decision's first fields: proposed, today.
fn fresh() -> Vec<(String, String)> {
    vec![
        ("status".to_owned(), Status::Proposed.as_str().to_owned()),
        ("decided_on".to_owned(), Utc::now().date_naive().to_string()),
    ]
}

/// A new decision's form from `t=<slug>` parameters alone (as a comparison names its
/// technologies): those options ticked, and a title naming them.
fn from_candidates(conn: &mut DbConnection, params: &Params) -> diesel::QueryResult<Fields> {
    let asked: Vec<String> = params
        .pairs()
        .filter(|(name, _)| *name == "t")
        .map(|(_, slug)| slug.to_owned())
        .collect();
    let known = catalog::technologies_by_slugs(conn, &asked)?;
    let mut options: Vec<&TechnologyItem> = Vec::new();
    for slug in &asked {
        if let Some(technology) = known.iter().find(|t| &t.slug == slug)
            && !options.iter().any(|o| &o.slug == slug)
            && options.len() < MAX_OPTIONS
        {
            options.push(technology);
        }
    }
    let mut fields = fresh();
    if options.len() > 1 {
        let names: Vec<&str> = options.iter().map(|o| o.name.as_str()).collect();
        fields.push(("title".to_owned(), choose_between(&names)));
    }
    fields.extend(
        options
            .iter()
            .map(|o| ("options".to_owned(), o.slug.clone())),
    );
    Ok(Fields::new(fields))
}

/// A new decision's form from an advisor result.
fn from_advice(advice: &Advice) -> Fields {
    let suggestion = suggest(advice, MAX_OPTIONS);
    let mut fields = fresh();
    fields.extend([
        ("title".to_owned(), suggestion.title),
        ("drivers".to_owned(), suggestion.drivers.join("\n")),
    ]);
    fields.extend(
        suggestion
            .options
            .into_iter()
            .map(|o| ("options".to_owned(), o.slug)),
    );
    fields.extend([
        (
            "chosen".to_owned(),
            suggestion.chosen.map(|o| o.slug).unwrap_or_default(),
        ),
        ("rationale".to_owned(), suggestion.rationale),
        ("advisor_query".to_owned(), suggestion.advisor_query),
    ]);
    Fields::new(fields)
}
