//! The import, under `/admin/benchmarks`: upload a file with its choices, see what will be
//! stored (mapping each of a TechEmpower file's frameworks to a technology), confirm.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, Utc};

use crate::benchmarks::import::{
    self, NEW_TECHNOLOGY, Plan, Prepared, Refused, SETTINGS_FIELDS, Staged,
};
use crate::benchmarks::model::{EnvironmentItem, Run, ScenarioSummary};
use crate::benchmarks::parse::Tool;
use crate::benchmarks::queries;
use crate::catalog::model::{Kind, SourceRef, TechnologyRef, by_kind};
use crate::catalog::queries::{all_sources, all_technology_refs};
use crate::db::{Db, DbConnection};
use crate::editing::params::id;
use crate::web::auth::Editor;
use crate::web::error::{AppError, FieldError, PageError};
use crate::web::form::{Fields, Form, FormState};
use crate::web::params::PageRequest;
use crate::web::session;
use crate::web::upload::{FileField, FormUpload};
use crate::web::words::counted;
use crate::web::{Layout, render_with, see_other};

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// What the upload form offers to choose from.
struct Choices {
    scenarios: Vec<ScenarioSummary>,
    environments: Vec<EnvironmentItem>,
    technologies: Vec<(Kind, Vec<TechnologyRef>)>,
    sources: Vec<SourceRef>,
}

/// The most scenarios the form's list offers; an editor with more types a slug.
const SCENARIO_CHOICES: u32 = 200;

fn choices(conn: &mut DbConnection) -> diesel::QueryResult<Choices> {
    let page = PageRequest {
        page: 1,
        per_page: SCENARIO_CHOICES,
    };
    Ok(Choices {
        scenarios: queries::scenarios(conn, page)?.items,
        environments: queries::environments(conn)?,
        technologies: by_kind(all_technology_refs(conn)?),
        sources: all_sources(conn)?,
    })
}

#[derive(Template)]
#[template(path = "benchmarks/admin/import.html")]
struct ImportPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    choices: Choices,
    tools: [Tool; 4],
    limit: String,
}

impl ImportPage {
    fn selected(&self, name: &str, value: &str) -> bool {
        self.form.value(name) == value
    }

    fn invalid(&self, name: &str) -> bool {
        self.form.error(name).is_some()
    }
}

async fn import_page(
    req: &HttpRequest,
    db: &Db,
    status: StatusCode,
    form: FormState,
) -> Result<HttpResponse, PageError> {
    let choices = db.run(choices).await?;
    let limit = req
        .app_data::<web::Data<crate::web::upload::UploadLimit>>()
        .map(|limit| limit.describe())
        .unwrap_or_default();
    Ok(render_with(
        status,
        &ImportPage {
            layout: Layout::of(req),
            csrf: session::form_token(req)?,
            form,
            choices,
            tools: Tool::ALL,
            limit,
        },
    )?)
}

/// The import form's fields as it labels them, in its order: its error summary names them so.
const IMPORT_LABELS: [(&str, &str); 12] = [
    ("tool", "Tool"),
    ("file", "File"),
    ("scenario", "Scenario"),
    ("technology", "Technology measured"),
    ("environment", "Environment"),
    ("source", "Source"),
    ("ran_on", "Measured on"),
    ("tool_version", "Tool version"),
    ("concurrency", "Concurrency"),
    ("duration_secs", "Duration"),
    ("memory_mib", "Peak memory"),
    ("notes", "How it was produced"),
];

pub async fn import_form(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
) -> Result<HttpResponse, PageError> {
    let fields = Fields::new(vec![("tool".to_owned(), Tool::Wrk.as_str().to_owned())]);
    import_page(&req, &db, StatusCode::OK, FormState::new(fields)).await
}

/// The upload: its choices checked and its file read, then kept for the preview. A problem
/// shows the form again with the choices kept; the file must be chosen again.
pub async fn upload(
    editor: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    FormUpload(upload): FormUpload,
) -> Result<HttpResponse, PageError> {
    let fields = upload.fields.only(|name| SETTINGS_FIELDS.contains(&name));
    let too_large = matches!(upload.file, FileField::TooLarge(_));
    let actor = editor.actor().clone();
    let kept = fields.clone();
    let staged = db
        .run(move |conn| {
            let file = import::received(upload.file);
            match import::prepare(conn, &fields, file, &Fields::default(), today())? {
                Ok(Prepared { plan, content }) => {
                    import::stage(conn, &actor, plan.tool, &plan.filename, &content, &fields)
                        .map(Ok)
                }
                Err(errors) => Ok(Err(errors)),
            }
        })
        .await?;
    match staged {
        Ok(id) => Ok(see_other(&format!("/admin/benchmarks/imports/{id}"))),
        Err(errors) => {
            let status = match too_large {
                true => StatusCode::PAYLOAD_TOO_LARGE,
                false => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let form = FormState::with_errors(kept, errors).labelled(IMPORT_LABELS);
            import_page(&req, &db, status, form).await
        }
    }
}

#[derive(Template)]
#[template(path = "benchmarks/admin/preview.html")]
struct PreviewPage {
    layout: Layout,
    csrf: String,
    id: i32,
    plan: Plan,
    /// The choices a TechEmpower framework can be mapped to.
    technologies: Vec<(Kind, Vec<TechnologyRef>)>,
    errors: Vec<FieldError>,
    /// The editor's choices when the preview is shown again.
    mapping: Fields,
    new_technology: &'static str,
    preview_rows: usize,
}

/// The most results the preview lists per run: a TechEmpower round has hundreds.
const PREVIEW_ROWS: usize = 25;

impl PreviewPage {
    fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.detail.as_str())
    }

    /// The value chosen for a target's technology: the editor's, or else the plan's.
    fn chosen(&self, target: &import::Target) -> String {
        match self.mapping.get(&target.field) {
            "" if target.new => NEW_TECHNOLOGY.to_owned(),
            "" => target.technology.slug.clone(),
            chosen => chosen.to_owned(),
        }
    }

    fn new_scenarios(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for run in self.plan.runs.iter().filter(|r| !r.scenario.exists) {
            if !names.contains(&run.scenario.name.as_str()) {
                names.push(&run.scenario.name);
            }
        }
        names
    }

    fn result_count(&self) -> usize {
        self.plan.runs.iter().map(|r| r.results.len()).sum()
    }
}

/// An upload made into a plan again, with the mapping chosen at the preview. `Err` holds
/// why it cannot be: its choices or mapping no longer hold.
fn replan(
    conn: &mut DbConnection,
    staged: Staged,
    mapping: &Fields,
) -> diesel::QueryResult<Result<Plan, Vec<FieldError>>> {
    let file = Ok((staged.filename, staged.content.into_bytes()));
    Ok(import::prepare(conn, &staged.settings, file, mapping, today())?.map(|p| p.plan))
}

async fn preview_page(
    req: &HttpRequest,
    db: &Db,
    id: i32,
    mapping: Fields,
    status: StatusCode,
    refused: Vec<FieldError>,
) -> Result<HttpResponse, PageError> {
    let found = db
        .run(move |conn| {
            let Some(staged) = import::staged(conn, id)? else {
                return Ok(None);
            };
            let plan = replan(conn, staged, &Fields::default())?;
            Ok(Some((plan, by_kind(all_technology_refs(conn)?))))
        })
        .await?;
    let (plan, technologies) = found.ok_or(AppError::NotFound)?;
    let plan = plan.map_err(AppError::InvalidFields)?;
    Ok(render_with(
        status,
        &PreviewPage {
            layout: Layout::of(req),
            csrf: session::form_token(req)?,
            id,
            plan,
            technologies,
            errors: refused,
            mapping,
            new_technology: NEW_TECHNOLOGY,
            preview_rows: PREVIEW_ROWS,
        },
    )?)
}

pub async fn preview(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = id(&path)?;
    preview_page(&req, &db, id, Fields::default(), StatusCode::OK, Vec::new()).await
}

/// The confirmation: the plan made again with the mapping chosen, stored in one
/// transaction. A mapping that does not hold shows the preview again, with nothing stored.
pub async fn confirm(
    editor: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let id = id(&path)?;
    let mapping = fields.only(|name| name.starts_with("map."));
    let actor = editor.actor().clone();
    let kept = mapping.clone();
    let stored = db
        .run(move |conn| {
            let Some(staged) = import::staged(conn, id)? else {
                return Ok(Err(Refused::Gone));
            };
            Ok(match replan(conn, staged, &kept)? {
                Ok(plan) => import::store(conn, &actor, Some(id), &plan)?.map(|i| (i, plan)),
                Err(errors) => Err(Refused::Invalid(errors)),
            })
        })
        .await?;
    match stored {
        Ok((imported, plan)) => {
            let runs = imported.runs.len();
            session::flash_next(
                &req,
                format!(
                    "Imported {} from {}: {} with {}.",
                    plan.tool,
                    plan.filename,
                    counted(runs, "run"),
                    counted(imported.results, "result"),
                ),
            )?;
            let location = match imported.runs.as_slice() {
                [run] => format!("/benchmarks/runs/{run}"),
                _ => "/benchmarks".to_owned(),
            };
            Ok(see_other(&location))
        }
        Err(Refused::Gone) => Err(AppError::Conflict(
            "This upload has been imported already, or was left unconfirmed for more than a \
             day and swept away. Upload the file again to import it."
                .to_owned(),
        )
        .into()),
        Err(Refused::Invalid(errors)) => {
            preview_page(
                &req,
                &db,
                id,
                mapping,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
            )
            .await
        }
    }
}

/// Drops an unconfirmed upload and goes back to the form, saying so.
pub async fn cancel(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
    _: Form,
) -> Result<HttpResponse, PageError> {
    let id = id(&path)?;
    db.run(move |conn| import::cancel(conn, id)).await?;
    session::flash_next(&req, "Import cancelled: nothing was stored.")?;
    Ok(see_other("/admin/benchmarks/import"))
}

#[derive(Template)]
#[template(path = "benchmarks/admin/delete.html")]
struct DeletePage {
    layout: Layout,
    csrf: String,
    run: Run,
}

/// Asks before deleting a run.
pub async fn delete_form(
    _: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = id(&path)?;
    let run = db
        .run(move |conn| Ok(queries::runs_by_ids(conn, &[id])?.pop()))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(render_with(
        StatusCode::OK,
        &DeletePage {
            layout: Layout::of(&req),
            csrf: session::form_token(&req)?,
            run,
        },
    )?)
}

/// Deletes a run with its results (and its file, if no other run came from it).
pub async fn delete_run(
    editor: Editor,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
    _: Form,
) -> Result<HttpResponse, PageError> {
    let id = id(&path)?;
    let actor = editor.actor().clone();
    let deleted = db
        .run(move |conn| {
            let Some((run, results)) = queries::run_with_results(conn, id)? else {
                return Ok(None);
            };
            import::delete_run(conn, &actor, &run, &results)?;
            Ok(Some(run))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    session::flash_next(
        &req,
        format!(
            "Deleted run {} of {} with its {}.",
            deleted.id,
            deleted.scenario.name,
            counted(deleted.result_count, "result")
        ),
    )?;
    Ok(see_other(&format!("/benchmarks/{}", deleted.scenario.slug)))
}
