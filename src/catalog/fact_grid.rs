//! A technology's facts as one grid in the admin: a row a dimension, saved together.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::audit::{self, Entry};
use crate::catalog::edit::{GridOutcome, Technology, save_grid};
use crate::catalog::model::{Confidence, DimensionRef, SourceRef};
use crate::catalog::queries;
use crate::db::{Db, DbConnection};
use crate::editing::pages::{HISTORY, html, version};
use crate::editing::{Current, Editable};
use crate::web::auth::Editor;
use crate::web::error::{AppError, PageError};
use crate::web::form::{Fields, Form, FormState};
use crate::web::session;
use crate::web::{Layout, see_other};

#[derive(Template)]
#[template(path = "catalog/admin/fact_grid.html")]
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
    let mut fields = Vec::new();
    // A row without a fact is left empty, so that it does not look like a saved one.
    for dimension in &dimensions {
        let named = |name: &str| format!("{name}.{}", dimension.slug);
        if let Some(fact) = facts.iter().find(|f| f.dimension.slug == dimension.slug) {
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

pub async fn grid(
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

/// A grid's fields as its error summary names them, row by row in the grid's order:
/// "Performance: the as-of date".
fn grid_labels(dimensions: &[DimensionRef]) -> Vec<(String, String)> {
    const COLUMNS: [(&str, &str); 5] = [
        ("score", "the score"),
        ("text", "the text"),
        ("as_of", "the as-of date"),
        ("confidence", "the confidence"),
        ("sources", "the sources"),
    ];
    dimensions
        .iter()
        .flat_map(|d| {
            COLUMNS.iter().map(move |(field, label)| {
                (
                    format!("{field}.{}", d.slug),
                    format!("{}: {label}", d.name),
                )
            })
        })
        .collect()
}

fn grid_page(
    req: &HttpRequest,
    data: GridData,
    version: i32,
    form: FormState,
    stale: bool,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let form = form.labelled(grid_labels(&data.dimensions));
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

pub async fn save(
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
        .run(move |conn| save_grid(conn, &actor, &at, version, &input))
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
