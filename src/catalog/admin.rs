//! The catalog's admin forms: list, create, edit (with the item's history), delete with a
//! confirmation that says what depends on the item, and a technology's facts as one grid.
//! Every kind is handled by the same generic handlers; a kind says what its form holds.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;

use crate::audit::{self, Entry};
use crate::catalog::edit::{
    self, Current, Dependents, Dimension, Editable, GridOutcome, Outcome, Source, Technology,
};
use crate::catalog::model::{Confidence, DimensionRef, Kind, SourceRef};
use crate::catalog::page_query;
use crate::catalog::queries::{self, TechnologyFilter};
use crate::db::{Db, DbConnection};
use crate::web::auth::Editor;
use crate::web::error::{AppError, FieldError, PageError};
use crate::web::form::{Fields, Form, FormState};
use crate::web::params::{PageRequest, Pager};
use crate::web::session;
use crate::web::{Layout, Paginated, Params, page, render_with, see_other};

/// How many changes an item's page shows of its history.
const HISTORY: i64 = 20;

/// A kind of catalog item as the admin pages show it.
pub trait AdminKind: Editable {
    /// The collection's path segment, under `/admin/` and at the site's root.
    const PATH: &'static str;
    /// One of them, in a sentence: "technology".
    const NOUN: &'static str;
    /// The collection's heading: "Technologies".
    const TITLE: &'static str;

    fn rows(conn: &mut DbConnection, page: PageRequest) -> diesel::QueryResult<Paginated<Row>>;

    /// The form's fields, with the choices that come from the database.
    fn specs(conn: &mut DbConnection) -> diesel::QueryResult<Vec<Spec>>;

    /// A new item's form before anything is typed.
    fn blank() -> Fields {
        Fields::default()
    }

    /// Where readers see the item `key`.
    fn public_url(key: &str) -> String {
        format!("/{}/{key}", Self::PATH)
    }
}

/// An item in an admin list.
#[derive(Debug, Clone)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub note: String,
}

/// One field of an item's form.
#[derive(Debug, Clone)]
pub struct Spec {
    pub name: String,
    pub label: String,
    pub hint: &'static str,
    pub input: Input,
}

#[derive(Debug, Clone)]
pub enum Input {
    Text,
    Textarea,
    Number,
    Date,
    Url,
    /// Choices as (value, label); the first may be an empty "none".
    Select(Vec<(String, String)>),
    /// A group of small whole numbers, each its own field: (name, label).
    Numbers(Vec<(String, String)>),
}

impl Spec {
    /// The fields it stands for, with their labels: itself, or each of a group.
    pub fn fields(&self) -> Vec<(&str, &str)> {
        match &self.input {
            Input::Numbers(fields) => fields
                .iter()
                .map(|(name, label)| (name.as_str(), label.as_str()))
                .collect(),
            _ => vec![(self.name.as_str(), self.label.as_str())],
        }
    }

    pub fn new(
        name: impl Into<String>,
        label: impl Into<String>,
        hint: &'static str,
        input: Input,
    ) -> Self {
        Self {
            name: name.into(),
            label: label.into(),
            hint,
            input,
        }
    }

    /// The HTML input type of a one-line field.
    pub fn html_type(&self) -> &'static str {
        match self.input {
            Input::Number => "number",
            Input::Date => "date",
            Input::Url => "url",
            _ => "text",
        }
    }
}

const SLUG_HINT: &str =
    "The address: lowercase letters and digits joined by hyphens, e.g. actix-web.";

impl AdminKind for Technology {
    const PATH: &'static str = "technologies";
    const NOUN: &'static str = "technology";
    const TITLE: &'static str = "Technologies";

    fn rows(conn: &mut DbConnection, page: PageRequest) -> diesel::QueryResult<Paginated<Row>> {
        let list = queries::list_technologies(conn, &TechnologyFilter::default(), page)?;
        Ok(map_rows(list, |t| Row {
            key: t.slug,
            label: t.name,
            note: match t.language {
                Some(language) => format!("{} for {}", t.kind, language.name),
                None => t.kind.to_string(),
            },
        }))
    }

    fn specs(conn: &mut DbConnection) -> diesel::QueryResult<Vec<Spec>> {
        let kinds = Kind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), k.as_str().to_owned()))
            .collect();
        let mut languages = vec![(String::new(), "None".to_owned())];
        languages.extend(
            queries::languages_list(conn)?
                .into_iter()
                .map(|l| (l.slug, l.name)),
        );
        Ok(vec![
            Spec::new("name", "Name", "", Input::Text),
            Spec::new("slug", "Slug", SLUG_HINT, Input::Text),
            Spec::new("kind", "Kind", "", Input::Select(kinds)),
            Spec::new(
                "language",
                "Language",
                "Only for a framework or library: the language it belongs to.",
                Input::Select(languages),
            ),
            Spec::new(
                "summary",
                "Summary",
                "One or two sentences.",
                Input::Textarea,
            ),
        ])
    }

    fn blank() -> Fields {
        Fields::new(vec![("kind".into(), Kind::Framework.as_str().into())])
    }
}

impl AdminKind for Dimension {
    const PATH: &'static str = "dimensions";
    const NOUN: &'static str = "dimension";
    const TITLE: &'static str = "Dimensions";

    fn rows(conn: &mut DbConnection, page: PageRequest) -> diesel::QueryResult<Paginated<Row>> {
        let list = queries::list_dimensions(conn, page)?;
        Ok(map_rows(list, |d| Row {
            key: d.slug,
            label: d.name,
            note: format!(
                "{}, {} fact{}",
                if d.scale.is_some() {
                    "scored"
                } else {
                    "descriptive"
                },
                d.assessments,
                if d.assessments == 1 { "" } else { "s" }
            ),
        }))
    }

    fn specs(_: &mut DbConnection) -> diesel::QueryResult<Vec<Spec>> {
        Ok(vec![
            Spec::new("name", "Name", "", Input::Text),
            Spec::new("slug", "Slug", SLUG_HINT, Input::Text),
            Spec::new("description", "Description", "", Input::Textarea),
            Spec::new(
                "scale",
                "Scale",
                "What 1 and 5 mean, e.g. \"1 = slow, 5 = fast\". Empty: a descriptive dimension without scores.",
                Input::Text,
            ),
            Spec::new(
                "position",
                "Position",
                "Lists are ordered by it, smallest first.",
                Input::Number,
            ),
        ])
    }

    fn blank() -> Fields {
        Fields::new(vec![("position".into(), "100".into())])
    }
}

impl AdminKind for Source {
    const PATH: &'static str = "sources";
    const NOUN: &'static str = "source";
    const TITLE: &'static str = "Sources";

    fn rows(conn: &mut DbConnection, page: PageRequest) -> diesel::QueryResult<Paginated<Row>> {
        let list = queries::list_sources(conn, page)?;
        Ok(map_rows(list, |s| Row {
            key: s.source.id.to_string(),
            label: s.source.title,
            note: format!(
                "{}, cited by {} fact{}",
                s.source.publisher,
                s.citations,
                if s.citations == 1 { "" } else { "s" }
            ),
        }))
    }

    fn specs(_: &mut DbConnection) -> diesel::QueryResult<Vec<Spec>> {
        Ok(vec![
            Spec::new("title", "Title", "", Input::Text),
            Spec::new("publisher", "Publisher", "", Input::Text),
            Spec::new("published_on", "Published on", "Optional.", Input::Date),
            Spec::new("url", "URL", "Optional: https://…", Input::Url),
            Spec::new(
                "notes",
                "Notes",
                "Optional: what it shows, and how.",
                Input::Textarea,
            ),
        ])
    }
}

fn map_rows<T>(list: Paginated<T>, row: impl FnMut(T) -> Row) -> Paginated<Row> {
    Paginated {
        items: list.items.into_iter().map(row).collect(),
        page: list.page,
        per_page: list.per_page,
        total: list.total,
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    kind::<Technology>(cfg);
    cfg.service(page("/technologies/{key}/facts", grid).post(save_grid));
    kind::<Dimension>(cfg);
    kind::<Source>(cfg);
}

/// The list, new, edit and delete pages of one kind.
pub fn kind<T: AdminKind>(cfg: &mut web::ServiceConfig) {
    let path = T::PATH;
    cfg.service(page(&format!("/{path}"), list::<T>))
        .service(page(&format!("/{path}/new"), new_form::<T>).post(create::<T>))
        .service(page(&format!("/{path}/{{key}}"), edit_form::<T>).post(update::<T>))
        .service(page(&format!("/{path}/{{key}}/delete"), delete_form::<T>).post(delete::<T>));
}

fn html(status: StatusCode, page: &impl Template) -> Result<HttpResponse, PageError> {
    Ok(render_with(status, page)?)
}

#[derive(Template)]
#[template(path = "catalog/admin/list.html")]
struct ListPage {
    layout: Layout,
    title: &'static str,
    noun: &'static str,
    path: &'static str,
    list: Paginated<Row>,
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
    let pager = list.pager(&format!("/admin/{}", T::PATH), &params);
    html(
        StatusCode::OK,
        &ListPage {
            layout,
            title: T::TITLE,
            noun: T::NOUN,
            path: T::PATH,
            list,
            pager,
        },
    )
}

/// What the item's form page shows besides the form.
#[derive(Template)]
#[template(path = "catalog/admin/form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    noun: &'static str,
    path: &'static str,
    /// The item being edited; `None` for a new one.
    current: Option<Current>,
    /// The version the editor's input is based on.
    version: Option<i32>,
    /// Where readers see the item.
    public_url: Option<String>,
    form: FormState,
    specs: Vec<Spec>,
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
    fn title(&self) -> String {
        match &self.current {
            Some(current) => format!("Edit {}", current.label),
            None => format!("New {}", self.noun),
        }
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
) -> Result<HttpResponse, PageError> {
    let specs = db.run(T::specs).await?;
    let page = FormPage {
        layout: Layout::of(&req),
        csrf: session::form_token(&req)?,
        noun: T::NOUN,
        path: T::PATH,
        current: None,
        version: None,
        public_url: None,
        form: FormState::new(T::blank()),
        specs,
        conflict: None,
        history: Vec::new(),
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
            let outcome = edit::create::<T>(conn, &actor, &input)?;
            // The form's choices only matter when it is shown again.
            let specs = match outcome {
                Outcome::Invalid(_) => T::specs(conn)?,
                _ => Vec::new(),
            };
            Ok((outcome, specs))
        })
        .await?;
    match outcome {
        Outcome::Saved(created) => {
            session::flash_next(&req, format!("Created {} “{}”.", T::NOUN, created.label))?;
            Ok(see_other(&format!("/admin/{}/{}", T::PATH, created.key)))
        }
        Outcome::Invalid(errors) => {
            let page = FormPage {
                layout: Layout::of(&req),
                csrf: session::form_token(&req)?,
                noun: T::NOUN,
                path: T::PATH,
                current: None,
                version: None,
                public_url: None,
                form: FormState::with_errors(fields, errors),
                specs,
                conflict: None,
                history: Vec::new(),
            };
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        other => Err(unexpected(other)),
    }
}

/// An outcome a write of this kind cannot have.
fn unexpected(outcome: Outcome) -> PageError {
    AppError::Internal(anyhow::anyhow!(
        "unexpected outcome of a catalog write: {outcome:?}"
    ))
    .into()
}

/// The item `key`, its form's choices and its history.
async fn load<T: AdminKind>(
    db: &Db,
    key: String,
) -> Result<(Current, Vec<Spec>, Vec<Entry>), PageError> {
    let loaded = db
        .run(move |conn| {
            let Some(current) = T::find(conn, &key)? else {
                return Ok(None);
            };
            let history = audit::history(conn, &current.subject, HISTORY)?;
            Ok(Some((current, T::specs(conn)?, history)))
        })
        .await?;
    Ok(loaded.ok_or(AppError::NotFound)?)
}

async fn edit_form<T: AdminKind>(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    key: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (current, specs, history) = load::<T>(&db, key.into_inner()).await?;
    let page = FormPage {
        layout: Layout::of(&req),
        csrf: session::form_token(&req)?,
        noun: T::NOUN,
        path: T::PATH,
        version: Some(current.version),
        form: FormState::new(current.fields.clone()),
        public_url: Some(T::public_url(&current.key)),
        current: Some(current),
        specs,
        conflict: None,
        history,
    };
    html(StatusCode::OK, &page)
}

/// The version a form was based on, from its hidden field.
fn version(fields: &Fields) -> Result<i32, PageError> {
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
        .run(move |conn| edit::update::<T>(conn, &actor, &at, Some(version), input, false))
        .await?;
    // The page again, with the item as it stands, its form's choices and its history.
    let (status, (current, specs, history), form, conflict, version) = match outcome {
        Outcome::Saved(saved) => {
            session::flash_next(&req, format!("Saved {} “{}”.", T::NOUN, saved.label))?;
            return Ok(see_other(&format!("/admin/{}/{}", T::PATH, saved.key)));
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
            let version = now.version;
            let subject = now.subject.clone();
            let (specs, history) = db
                .run(move |conn| Ok((T::specs(conn)?, audit::history(conn, &subject, HISTORY)?)))
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
        layout: Layout::of(&req),
        csrf: session::form_token(&req)?,
        noun: T::NOUN,
        path: T::PATH,
        public_url: Some(T::public_url(&current.key)),
        current: Some(current),
        version: Some(version),
        form,
        specs,
        conflict,
        history,
    };
    html(status, &page)
}

#[derive(Template)]
#[template(path = "catalog/admin/delete.html")]
struct DeletePage {
    layout: Layout,
    csrf: String,
    noun: &'static str,
    path: &'static str,
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
    let key = key.into_inner();
    let (current, dependents) = db
        .run(move |conn| edit::dependents::<T>(conn, &key))
        .await?
        .ok_or(AppError::NotFound)?;
    let page = DeletePage {
        layout: Layout::of(&req),
        csrf: session::form_token(&req)?,
        noun: T::NOUN,
        path: T::PATH,
        current,
        dependents,
        problem: None,
    };
    html(StatusCode::OK, &page)
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
        .run(move |conn| edit::delete::<T>(conn, &actor, &at, Some(version)))
        .await?;
    let problem = match outcome {
        Outcome::Deleted => {
            session::flash_next(&req, format!("Deleted the {} {key}.", T::NOUN))?;
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
    let (current, dependents) = db
        .run(move |conn| edit::dependents::<T>(conn, &key))
        .await?
        .ok_or(AppError::NotFound)?;
    let page = DeletePage {
        layout: Layout::of(&req),
        csrf: session::form_token(&req)?,
        noun: T::NOUN,
        path: T::PATH,
        current,
        dependents,
        problem: Some(problem),
    };
    html(StatusCode::CONFLICT, &page)
}

#[derive(Template)]
#[template(path = "catalog/admin/grid.html")]
struct GridPage {
    layout: Layout,
    csrf: String,
    technology: Current,
    /// The version the editor's input is based on.
    version: i32,
    dimensions: Vec<DimensionRef>,
    sources: Vec<SourceRef>,
    confidences: [Confidence; 3],
    form: FormState,
    /// The facts as saved, shown beside the editor's input after a conflict.
    saved: Fields,
    /// The dimensions the technology has a fact on (their rows can be removed).
    facts_known: Vec<String>,
    stale: bool,
    history: Vec<Entry>,
}

impl GridPage {
    fn value(&self, field: &str, dimension: &str) -> &str {
        self.form.value(&format!("{field}.{dimension}"))
    }

    fn error(&self, field: &str, dimension: &str) -> Option<&str> {
        self.form.error(&format!("{field}.{dimension}"))
    }

    fn cites(&self, dimension: &str, source: &i32) -> bool {
        self.form
            .has_value(&format!("sources.{dimension}"), &source.to_string())
    }

    fn cited(&self, dimension: &str) -> usize {
        self.form
            .fields
            .all(&format!("sources.{dimension}"))
            .count()
    }

    fn has_fact(&self, dimension: &str) -> bool {
        self.facts_known.iter().any(|d| d == dimension)
    }

    /// After a conflict: the row as saved now, when it differs from the editor's input.
    fn saved_row(&self, dimension: &str) -> Option<String> {
        if !self.stale {
            return None;
        }
        let named = |name: &str| format!("{name}.{dimension}");
        let row = |fields: &Fields| {
            ["score", "text", "as_of", "confidence", "sources"]
                .map(|name| fields.all(&named(name)).collect::<Vec<_>>().join(", "))
        };
        let saved = row(&self.saved);
        (saved != row(&self.form.fields)).then(|| {
            let [score, text, as_of, confidence, sources] = saved;
            if text.is_empty() {
                "No fact is saved for this dimension now.".to_owned()
            } else {
                format!(
                    "Score {}; “{text}”; as of {as_of}; {confidence} confidence; sources {}",
                    if score.is_empty() { "none" } else { &score },
                    if sources.is_empty() { "none" } else { &sources }
                )
            }
        })
    }
}

/// The grid's data: the technology, every dimension, every source, its facts as grid
/// fields (with defaults for the empty rows) and its history.
struct GridData {
    technology: Current,
    dimensions: Vec<DimensionRef>,
    sources: Vec<SourceRef>,
    fields: Fields,
    facts_known: Vec<String>,
    history: Vec<Entry>,
}

fn grid_data(conn: &mut DbConnection, key: &str) -> diesel::QueryResult<Option<GridData>> {
    let Some(technology) = Technology::find(conn, key)? else {
        return Ok(None);
    };
    let detail = queries::technology(conn, key)?;
    let facts = detail.map(|d| d.assessments).unwrap_or_default();
    let dimensions = queries::all_dimensions(conn)?;
    let today = Utc::now().date_naive().to_string();
    let mut fields = Vec::new();
    for dimension in &dimensions {
        let named = |name: &str| format!("{name}.{}", dimension.slug);
        match facts.iter().find(|f| f.dimension.slug == dimension.slug) {
            Some(fact) => {
                fields.push((
                    named("score"),
                    fact.score.map(|s| s.to_string()).unwrap_or_default(),
                ));
                fields.push((named("text"), fact.text.clone()));
                fields.push((named("as_of"), fact.as_of.to_string()));
                fields.push((named("confidence"), fact.confidence.to_string()));
                fields.extend(
                    fact.sources
                        .iter()
                        .map(|s| (named("sources"), s.id.to_string())),
                );
            }
            None => {
                fields.push((named("as_of"), today.clone()));
                fields.push((named("confidence"), Confidence::Medium.to_string()));
            }
        }
    }
    let history = audit::history(conn, &technology.subject, HISTORY)?;
    Ok(Some(GridData {
        technology,
        sources: queries::all_sources(conn)?,
        facts_known: facts.iter().map(|f| f.dimension.slug.clone()).collect(),
        dimensions,
        fields: Fields::new(fields),
        history,
    }))
}

async fn grid(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    key: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let key = key.into_inner();
    let data = db
        .run(move |conn| grid_data(conn, &key))
        .await?
        .ok_or(AppError::NotFound)?;
    let version = data.technology.version;
    let form = FormState::new(data.fields.clone());
    grid_page(&req, data, version, form, false, StatusCode::OK)
}

fn grid_page(
    req: &HttpRequest,
    data: GridData,
    version: i32,
    form: FormState,
    stale: bool,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let page = GridPage {
        layout: Layout::of(req),
        csrf: session::form_token(req)?,
        technology: data.technology,
        version,
        dimensions: data.dimensions,
        sources: data.sources,
        confidences: [Confidence::Low, Confidence::Medium, Confidence::High],
        form,
        saved: data.fields,
        stale,
        history: data.history,
        facts_known: data.facts_known,
    };
    html(status, &page)
}

async fn save_grid(
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
        .run(move |conn| edit::save_grid(conn, &actor, &at, version, &input))
        .await?;
    let (errors, stale) = match outcome {
        GridOutcome::Saved(changed) => {
            let message = match changed {
                0 => "Nothing had changed.".to_owned(),
                1 => "Saved 1 fact.".to_owned(),
                n => format!("Saved {n} facts."),
            };
            session::flash_next(&req, message)?;
            return Ok(see_other(&format!("/admin/technologies/{key}/facts")));
        }
        GridOutcome::NotFound => return Err(AppError::NotFound.into()),
        GridOutcome::Invalid(errors) => (errors, false),
        GridOutcome::Stale => (Vec::new(), true),
    };
    let data = db
        .run(move |conn| grid_data(conn, &key))
        .await?
        .ok_or(AppError::NotFound)?;
    // After a conflict the editor's input stays, based on what is saved now: saving again
    // is a choice made having seen the changes (listed in the history).
    let (version, status) = if stale {
        (data.technology.version, StatusCode::CONFLICT)
    } else {
        (version, StatusCode::UNPROCESSABLE_ENTITY)
    };
    grid_page(
        &req,
        data,
        version,
        FormState::with_errors(fields, errors),
        stale,
        status,
    )
}
