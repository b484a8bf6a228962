//! The decisions' admin forms: list, record one (pre-filled from the address), edit
//! everything but what was recorded of its options, and delete after a confirmation.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;

use crate::advisor::{Advice, Query, advise};
use crate::audit::{self, Entry};
use crate::catalog::model::TechnologyRef;
use crate::db::{Db, DbConnection};
use crate::decisions::advice::{choose_between, suggest};
use crate::decisions::edit::Decision;
use crate::decisions::model::{DecisionItem, Status};
use crate::decisions::params::list_query;
use crate::decisions::queries::{self, Choices};
use crate::decisions::rules::{FIELDS, MAX_OPTIONS};
use crate::decisions::snapshot::OptionRef;
use crate::editing::fields::names;
use crate::editing::params::id;
use crate::editing::{self, Current, Dependents, Editable, Outcome};
use crate::web::auth::Editor;
use crate::web::error::{AppError, FieldError, PageError};
use crate::web::form::{Fields, Form, FormState};
use crate::web::params::Pager;
use crate::web::session;
use crate::web::{Layout, Paginated, Params, render_with, see_other};

/// How many changes a decision's form shows of its history.
const HISTORY: i64 = 20;

fn html(status: StatusCode, page: &impl Template) -> Result<HttpResponse, PageError> {
    Ok(render_with(status, page)?)
}

/// An outcome a write of this kind cannot have.
fn unexpected(outcome: Outcome) -> PageError {
    AppError::Internal(anyhow::anyhow!(
        "unexpected outcome of a decision write: {outcome:?}"
    ))
    .into()
}

/// The version a form was based on, from its hidden field.
fn version(fields: &Fields) -> Result<i32, PageError> {
    fields.get("version").parse().map_err(|_| {
        AppError::InvalidFields(vec![FieldError::new("version", "is missing from the form")]).into()
    })
}

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
    let pager = list.pager("/admin/decisions", &params);
    html(
        StatusCode::OK,
        &ListPage {
            layout,
            list,
            pager,
        },
    )
}

/// A refused stale save: each field as saved meanwhile next to the editor's input.
struct Conflict {
    fields: Vec<(String, String, String)>,
}

impl Conflict {
    fn between(saved: &Fields, input: &Fields) -> Self {
        let fields = names(FIELDS)
            .map(|name| {
                let joined = |f: &Fields| f.all(name).collect::<Vec<_>>().join(", ");
                (name.replace('_', " "), joined(saved), joined(input))
            })
            .collect();
        Self { fields }
    }
}

#[derive(Template)]
#[template(path = "decisions/admin/form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    /// The decision being edited; `None` for a new one.
    current: Option<Current>,
    /// The version the editor's input is based on.
    version: Option<i32>,
    form: FormState,
    choices: Choices,
    /// For a recorded decision: its options, which cannot change.
    recorded: Vec<OptionRef>,
    statuses: [Status; 5],
    max_options: usize,
    /// Set when another change came first: the decision as it is now.
    conflict: Option<Conflict>,
    history: Vec<Entry>,
    /// Where a new decision's fields came from, when not from the editor.
    notice: Option<String>,
}

impl FormPage {
    fn new(req: &HttpRequest, form: FormState, choices: Choices) -> Result<Self, PageError> {
        Ok(Self {
            layout: Layout::of(req),
            csrf: session::form_token(req)?,
            current: None,
            version: None,
            form,
            choices,
            recorded: Vec::new(),
            statuses: Status::ALL,
            max_options: MAX_OPTIONS,
            conflict: None,
            history: Vec::new(),
            notice: None,
        })
    }

    fn title(&self) -> String {
        match &self.current {
            Some(current) => format!("Edit “{}”", current.label),
            None => "Record a decision".to_owned(),
        }
    }

    fn action(&self) -> String {
        match &self.current {
            Some(current) => format!("/admin/decisions/{}", current.key),
            None => "/admin/decisions/new".to_owned(),
        }
    }

    fn ticked(&self, slug: &str) -> bool {
        self.form.has_value("options", slug)
    }

    fn selected(&self, name: &str, value: &str) -> bool {
        self.form.value(name) == value
    }

    fn invalid(&self, name: &str) -> bool {
        self.form.error(name).is_some()
    }
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
fn from_candidates(params: &Params, choices: &Choices) -> Fields {
    let known: Vec<&TechnologyRef> = choices
        .technologies
        .iter()
        .flat_map(|(_, technologies)| technologies)
        .collect();
    let mut options: Vec<&TechnologyRef> = Vec::new();
    for (_, slug) in params.pairs().filter(|(name, _)| *name == "t") {
        if let Some(technology) = known.iter().find(|t| t.slug == slug)
            && !options.iter().any(|o| o.slug == slug)
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
    Fields::new(fields)
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

/// `/admin/decisions/new`, filled in from the address: an advisor's inputs (as its result
/// links here) are run through the advisor again; `t=` alone ticks those options.
pub async fn new_form(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let query = Query::from_params(&params);
    let (choices, advised) = db
        .run(move |conn| {
            let advised = match query {
                Ok(query) if query.marks.is_empty() => None,
                Ok(query) => Some(advise(conn, &query)?),
                Err(errors) => Some(Err(errors)),
            };
            Ok((queries::choices(conn, None)?, advised))
        })
        .await?;
    let (fields, notice) = match advised {
        Some(Ok(advice)) => (
            from_advice(&advice),
            "Filled in from the advisor's result, which is kept with the decision. Check each \
             field before recording it."
                .to_owned(),
        ),
        Some(Err(errors)) => {
            let named: Vec<String> = errors
                .iter()
                .map(|e| format!("{} {}", e.name, e.detail))
                .collect();
            (
                from_candidates(&params, &choices),
                format!(
                    "The advisor cannot answer the inputs in this address ({}), so the form is \
                     not filled in from it.",
                    named.join("; ")
                ),
            )
        }
        None => (from_candidates(&params, &choices), String::new()),
    };
    let mut page = FormPage::new(&req, FormState::new(fields), choices)?;
    page.notice = (!notice.is_empty()).then_some(notice);
    html(StatusCode::OK, &page)
}

pub async fn create(
    editor: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let actor = editor.actor().clone();
    let input = fields.clone();
    let (outcome, choices) = db
        .run(move |conn| {
            let outcome = editing::create::<Decision>(conn, &actor, &input)?;
            // The form's choices only matter when it is shown again.
            let choices = match outcome {
                Outcome::Invalid(_) => queries::choices(conn, None)?,
                _ => Choices::default(),
            };
            Ok((outcome, choices))
        })
        .await?;
    match outcome {
        Outcome::Saved(created) => {
            session::flash_next(&req, format!("Recorded the decision “{}”.", created.label))?;
            Ok(see_other(&format!("/decisions/{}", created.key)))
        }
        Outcome::Invalid(errors) => html(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage::new(&req, FormState::with_errors(fields, errors), choices)?,
        ),
        other => Err(unexpected(other)),
    }
}

/// What a recorded decision's form shows besides its fields.
struct Around {
    choices: Choices,
    recorded: Vec<OptionRef>,
    history: Vec<Entry>,
}

fn around(conn: &mut DbConnection, current: &Current) -> diesel::QueryResult<Around> {
    Ok(Around {
        choices: queries::choices(conn, Some(current.id))?,
        recorded: queries::recorded(conn, current.id)?.0,
        history: audit::history(conn, &current.subject, HISTORY)?,
    })
}

/// The decision the path names as it stands, and what its form shows around it.
async fn load(db: &Db, key: String) -> Result<(Current, Around), PageError> {
    let loaded = db
        .run(move |conn| {
            let Some(current) = Decision::find(conn, &key)? else {
                return Ok(None);
            };
            let around = around(conn, &current)?;
            Ok(Some((current, around)))
        })
        .await?;
    Ok(loaded.ok_or(AppError::NotFound)?)
}

fn edit_page(
    req: &HttpRequest,
    current: Current,
    around: Around,
    version: i32,
    form: FormState,
    conflict: Option<Conflict>,
) -> Result<FormPage, PageError> {
    Ok(FormPage {
        version: Some(version),
        current: Some(current),
        recorded: around.recorded,
        conflict,
        history: around.history,
        ..FormPage::new(req, form, around.choices)?
    })
}

pub async fn edit_form(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let key = id(&path)?.to_string();
    let (current, around) = load(&db, key).await?;
    let version = current.version;
    let form = FormState::new(current.fields.clone());
    html(
        StatusCode::OK,
        &edit_page(&req, current, around, version, form, None)?,
    )
}

pub async fn update(
    editor: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let key = id(&path)?.to_string();
    let version = version(&fields)?;
    let actor = editor.actor().clone();
    let (input, at) = (fields.clone(), key.clone());
    let outcome = db
        .run(move |conn| {
            editing::update::<Decision>(conn, &actor, &at, Some(version), input, false)
        })
        .await?;
    let page = match outcome {
        Outcome::Saved(saved) => {
            session::flash_next(&req, format!("Saved the decision “{}”.", saved.label))?;
            return Ok(see_other(&format!("/decisions/{}", saved.key)));
        }
        Outcome::NotFound => return Err(AppError::NotFound.into()),
        Outcome::Invalid(errors) => {
            let (current, around) = load(&db, key).await?;
            let form = FormState::with_errors(fields, errors);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                edit_page(&req, current, around, version, form, None)?,
            )
        }
        Outcome::Stale(now) => {
            // The editor's input stays, now based on what is saved: saving again is a
            // choice made having seen the other change.
            let conflict = Conflict::between(&now.fields, &fields);
            let (current, around) = load(&db, key).await?;
            let version = current.version;
            (
                StatusCode::CONFLICT,
                edit_page(
                    &req,
                    current,
                    around,
                    version,
                    FormState::new(fields),
                    Some(conflict),
                )?,
            )
        }
        other => return Err(unexpected(other)),
    };
    html(page.0, &page.1)
}

#[derive(Template)]
#[template(path = "decisions/admin/delete.html")]
struct DeletePage {
    layout: Layout,
    csrf: String,
    current: Current,
    dependents: Dependents,
    /// Set when the deletion was tried and refused.
    problem: Option<String>,
}

pub async fn delete_form(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let key = id(&path)?.to_string();
    let (current, dependents) = db
        .run(move |conn| editing::dependents::<Decision>(conn, &key))
        .await?
        .ok_or(AppError::NotFound)?;
    let page = DeletePage {
        layout: Layout::of(&req),
        csrf: session::form_token(&req)?,
        current,
        dependents,
        problem: None,
    };
    html(StatusCode::OK, &page)
}

pub async fn delete(
    editor: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let key = id(&path)?.to_string();
    let version = version(&fields)?;
    let actor = editor.actor().clone();
    let at = key.clone();
    let outcome = db
        .run(move |conn| editing::delete::<Decision>(conn, &actor, &at, Some(version)))
        .await?;
    match outcome {
        Outcome::Deleted => {
            session::flash_next(&req, format!("Deleted the decision #{key}."))?;
            Ok(see_other("/admin/decisions"))
        }
        Outcome::NotFound => Err(AppError::NotFound.into()),
        Outcome::Stale(_) => {
            let (current, dependents) = db
                .run(move |conn| editing::dependents::<Decision>(conn, &key))
                .await?
                .ok_or(AppError::NotFound)?;
            let page = DeletePage {
                layout: Layout::of(&req),
                csrf: session::form_token(&req)?,
                current,
                dependents,
                problem: Some(
                    "Someone changed this decision since you opened this page. Check it, then \
                     confirm again."
                        .to_owned(),
                ),
            };
            html(StatusCode::CONFLICT, &page)
        }
        other => Err(unexpected(other)),
    }
}
