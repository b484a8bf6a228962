//! The admin pages every kind has: list, create, edit (with the item's history), and delete
//! with a confirmation that says what depends on the item. A kind says what its form holds
//! ([`AdminKind`]); these handlers do the rest.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::QueryResult;

use crate::audit::{self, Entry};
use crate::db::{Db, DbConnection};
use crate::editing::forms::{AdminKind, Input, Row, Spec};
use crate::editing::params::page_query;
use crate::editing::{self, Current, Dependents, Outcome};
use crate::web::auth::Editor;
use crate::web::error::{AppError, FieldError, PageError};
use crate::web::form::{Fields, Form, FormState};
use crate::web::params::Pager;
use crate::web::session;
use crate::web::{Layout, Params, page, render_with, see_other};

/// How many changes an item's page shows of its history.
pub const HISTORY: i64 = 20;

/// The list, new, edit and delete pages of one kind.
pub fn kind<T: AdminKind>(cfg: &mut web::ServiceConfig) {
    cfg.service(page(&format!("/{}", T::PATH), list::<T>));
    forms::<T>(cfg);
}

/// The new, edit and delete pages of a kind whose list page is its own.
pub fn forms<T: AdminKind>(cfg: &mut web::ServiceConfig) {
    let (path, key) = (T::PATH, T::KEY);
    cfg.service(page(&format!("/{path}/new"), new_form::<T>).post(create::<T>))
        .service(page(&format!("/{path}/{key}"), edit_form::<T>).post(update::<T>))
        .service(page(&format!("/{path}/{key}/delete"), delete_form::<T>).post(delete::<T>));
}

pub fn html(status: StatusCode, page: &impl Template) -> Result<HttpResponse, PageError> {
    Ok(render_with(status, page)?)
}

#[derive(Template)]
#[template(path = "editing/list.html")]
struct ListPage {
    layout: Layout,
    title: &'static str,
    noun: &'static str,
    path: &'static str,
    subpages: &'static [(&'static str, &'static str, &'static str)],
    /// The page's rows, each with where readers see it.
    rows: Vec<(Row, String)>,
    total: i64,
    pager: Pager,
}

async fn list<T: AdminKind>(
    _: Editor,
    layout: Layout,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let page = page_query(&params)?;
    let list = db.run(move |conn| T::rows(conn, page)).await?;
    let pager = list.pager(&format!("/admin/{}", T::PATH), &params)?;
    html(
        StatusCode::OK,
        &ListPage {
            layout,
            title: T::TITLE,
            noun: T::NOUN,
            path: T::PATH,
            subpages: T::SUBPAGES,
            total: list.total,
            rows: list
                .items
                .into_iter()
                .map(|row| {
                    let view = T::public_url(&row.key);
                    (row, view)
                })
                .collect(),
            pager,
        },
    )
}

/// What the item's form page shows besides the form.
#[derive(Template)]
#[template(path = "editing/form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    noun: &'static str,
    path: &'static str,
    /// The collection's heading, and the page's.
    collection: &'static str,
    title: String,
    subpages: &'static [(&'static str, &'static str, &'static str)],
    /// What a new item's form says above its fields.
    lead: &'static str,
    /// The link to the public page, and the button that creates an item.
    view: &'static str,
    create: String,
    /// The item being edited; `None` for a new one.
    current: Option<Current>,
    /// The version the editor's input is based on.
    version: Option<i32>,
    /// Where readers see the item.
    public_url: Option<String>,
    form: FormState,
    specs: Vec<Spec>,
    /// Where a new item's values came from, when not from the editor.
    notice: Option<String>,
    /// Set when another change came first: the item as it is now.
    conflict: Option<Conflict>,
    history: Vec<Entry>,
}

/// A refused stale save: each field as saved meanwhile next to the editor's input.
struct Conflict {
    fields: Vec<(String, String, String)>,
}

impl Conflict {
    fn between(saved: &Fields, input: &Fields, specs: &[Spec]) -> Self {
        let fields = specs
            .iter()
            .flat_map(Spec::fields)
            .map(|(name, _)| {
                let joined = |f: &Fields| f.all(name).collect::<Vec<_>>().join(", ");
                (name.replace('_', " "), joined(saved), joined(input))
            })
            .collect();
        Self { fields }
    }
}

impl FormPage {
    /// The form of `current`, or of a new item, holding `form`.
    fn of<T: AdminKind>(
        req: &HttpRequest,
        current: Option<Current>,
        form: FormState,
        specs: Vec<Spec>,
    ) -> Result<Self, PageError> {
        Ok(Self {
            layout: Layout::of(req),
            csrf: session::form_token(req)?,
            noun: T::NOUN,
            path: T::PATH,
            collection: T::TITLE,
            subpages: T::SUBPAGES,
            title: match &current {
                Some(current) => T::edit_title(&current.label),
                None => T::new_title(),
            },
            lead: T::LEAD,
            view: T::VIEW,
            create: T::create_button(),
            version: current.as_ref().map(|current| current.version),
            public_url: current.as_ref().map(|current| T::public_url(&current.key)),
            current,
            form: form.labelled(specs.iter().flat_map(Spec::fields)),
            specs,
            notice: None,
            conflict: None,
            history: Vec::new(),
        })
    }

    fn action(&self) -> String {
        match &self.current {
            Some(current) => format!("/admin/{}/{}", self.path, current.key),
            None => format!("/admin/{}/new", self.path),
        }
    }
}

async fn new_form<T: AdminKind>(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let (specs, (fields, notice)) = db
        .run(move |conn| Ok((T::specs(conn, None)?, T::prefill(conn, &params)?)))
        .await?;
    let page = FormPage {
        notice,
        ..FormPage::of::<T>(&req, None, FormState::new(fields), specs)?
    };
    html(StatusCode::OK, &page)
}

async fn create<T: AdminKind>(
    editor: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let actor = editor.actor().clone();
    let input = fields.clone();
    let (outcome, specs) = db
        .run(move |conn| {
            let outcome = editing::create::<T>(conn, &actor, &input)?;
            // The form's choices only matter when it is shown again.
            let specs = match outcome {
                Outcome::Invalid(_) => T::specs(conn, None)?,
                _ => Vec::new(),
            };
            Ok((outcome, specs))
        })
        .await?;
    match outcome {
        Outcome::Saved(created) => {
            session::flash_next(&req, T::created(&created.label))?;
            Ok(see_other(&T::saved_url(&created.key)))
        }
        Outcome::Invalid(errors) => {
            let form = FormState::with_errors(fields, errors);
            let page = FormPage::of::<T>(&req, None, form, specs)?;
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        other => Err(unexpected(other)),
    }
}

/// An outcome a write of this kind cannot have.
pub fn unexpected(outcome: Outcome) -> PageError {
    AppError::Internal(anyhow::anyhow!(
        "unexpected outcome of a write: {outcome:?}"
    ))
    .into()
}

/// The item `key`, its form's fields and its history.
async fn load<T: AdminKind>(
    db: &Db,
    key: String,
) -> Result<(Current, Vec<Spec>, Vec<Entry>), PageError> {
    let loaded = db
        .run(move |conn| {
            let Some(current) = T::find(conn, &key)? else {
                return Ok(None);
            };
            let history = history::<T>(conn, &current)?;
            let specs = T::specs(conn, Some(&current))?;
            Ok(Some((current, specs, history)))
        })
        .await?;
    Ok(loaded.ok_or(AppError::NotFound)?)
}

/// The latest changes to `current`, with the fields of items of kind `T` named by their
/// labels, as the form names them ("Operating system", not `os`).
fn history<T: AdminKind>(conn: &mut DbConnection, current: &Current) -> QueryResult<Vec<Entry>> {
    let mut history = audit::history(conn, &current.subject, HISTORY)?;
    for entry in history
        .iter_mut()
        .filter(|entry| entry.item_kind == T::KIND)
    {
        for change in &mut entry.fields {
            if let Some(field) = T::FIELDS.iter().find(|field| field.name == change.name) {
                change.name = field.label.to_owned();
            }
        }
    }
    Ok(history)
}

async fn edit_form<T: AdminKind>(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    key: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (current, specs, history) = load::<T>(&db, key.into_inner()).await?;
    let form = FormState::new(current.fields.clone());
    let page = FormPage {
        history,
        ..FormPage::of::<T>(&req, Some(current), form, specs)?
    };
    html(StatusCode::OK, &page)
}

/// The version a form was based on, from its hidden field.
pub fn version(fields: &Fields) -> Result<i32, PageError> {
    fields.get("version").parse().map_err(|_| {
        AppError::InvalidFields(vec![FieldError::new("version", "is missing from the form")]).into()
    })
}

async fn update<T: AdminKind>(
    editor: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    key: web::Path<String>,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let version = version(&fields)?;
    let actor = editor.actor().clone();
    let key = key.into_inner();
    let (input, at) = (fields.clone(), key.clone());
    let outcome = db
        .run(move |conn| editing::update::<T>(conn, &actor, &at, Some(version), input, false))
        .await?;
    // The page again, with the item as it stands, its form's fields and its history.
    let (status, (current, specs, history), form, conflict, version) = match outcome {
        Outcome::Saved(saved) => {
            session::flash_next(&req, T::saved(&saved.label))?;
            return Ok(see_other(&T::saved_url(&saved.key)));
        }
        Outcome::NotFound => return Err(AppError::NotFound.into()),
        Outcome::Invalid(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            load::<T>(&db, key).await?,
            FormState::with_errors(fields, errors),
            None,
            version,
        ),
        Outcome::Stale(now) => {
            // The editor's input stays, now based on what is saved: saving again is a
            // choice made having seen the other change.
            let version = now.version;
            let (specs, history, now) = db
                .run(move |conn| {
                    let specs = T::specs(conn, Some(&now))?;
                    Ok((specs, history::<T>(conn, &now)?, now))
                })
                .await?;
            let conflict = Conflict::between(&now.fields, &fields, &specs);
            (
                StatusCode::CONFLICT,
                (now, specs, history),
                FormState::new(fields),
                Some(conflict),
                version,
            )
        }
        other => return Err(unexpected(other)),
    };
    let page = FormPage {
        version: Some(version),
        conflict,
        history,
        ..FormPage::of::<T>(&req, Some(current), form, specs)?
    };
    html(status, &page)
}

#[derive(Template)]
#[template(path = "editing/delete.html")]
struct DeletePage {
    layout: Layout,
    csrf: String,
    noun: &'static str,
    path: &'static str,
    collection: &'static str,
    /// What the page says when nothing depends on the item, before what does, and of what
    /// becomes of it ([`AdminKind::NO_DEPENDENTS`], …).
    no_dependents: &'static str,
    cascades: &'static str,
    note: &'static str,
    current: Current,
    dependents: Dependents,
    /// Set when the deletion was tried and refused.
    problem: Option<String>,
}

async fn delete_form<T: AdminKind>(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    key: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    delete_page::<T>(&req, &db, key.into_inner(), None).await
}

/// The page that asks to confirm deleting item `key`, saying what depends on it now, and
/// why an attempt was refused (`problem`, answered with 409).
async fn delete_page<T: AdminKind>(
    req: &HttpRequest,
    db: &Db,
    key: String,
    problem: Option<String>,
) -> Result<HttpResponse, PageError> {
    let (current, dependents) = db
        .run(move |conn| editing::dependents::<T>(conn, &key))
        .await?
        .ok_or(AppError::NotFound)?;
    let status = match problem {
        Some(_) => StatusCode::CONFLICT,
        None => StatusCode::OK,
    };
    let page = DeletePage {
        layout: Layout::of(req),
        csrf: session::form_token(req)?,
        noun: T::NOUN,
        path: T::PATH,
        collection: T::TITLE,
        no_dependents: T::NO_DEPENDENTS,
        cascades: T::CASCADES,
        note: T::DELETE_NOTE,
        current,
        dependents,
        problem,
    };
    html(status, &page)
}

async fn delete<T: AdminKind>(
    editor: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    key: web::Path<String>,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let version = version(&fields)?;
    let actor = editor.actor().clone();
    let key = key.into_inner();
    let at = key.clone();
    let outcome = db
        .run(move |conn| editing::delete::<T>(conn, &actor, &at, Some(version)))
        .await?;
    let problem = match outcome {
        Outcome::Deleted => {
            session::flash_next(&req, T::deleted(&key))?;
            return Ok(see_other(&format!("/admin/{}", T::PATH)));
        }
        Outcome::NotFound => return Err(AppError::NotFound.into()),
        Outcome::Blocked(_) => format!("This {} cannot be deleted as things stand.", T::NOUN),
        Outcome::Stale(_) => format!(
            "Someone changed this {} since you opened this page. Check what depends on it now, then confirm again.",
            T::NOUN
        ),
        other => return Err(unexpected(other)),
    };
    delete_page::<T>(&req, &db, key, Some(problem)).await
}
