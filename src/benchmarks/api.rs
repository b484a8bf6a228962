//! Benchmark evidence as JSON under `/api/v1/benchmarks`, and imports through the API: the
//! same multipart fields as the form, `map.<target>` for each TechEmpower framework, and
//! `dry_run=true` to see the plan without storing it.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Serialize;

use crate::benchmarks::environments::Environment;
use crate::benchmarks::import::{self, Plan, Prepared, Refused, SETTINGS_FIELDS};
use crate::benchmarks::params::run_query;
use crate::benchmarks::queries;
use crate::benchmarks::scenarios::Scenario;
use crate::db::{self, Db};
use crate::editing::api::{Resource, get};
use crate::editing::params::id;
use crate::editing::params::page_query;
use crate::web::auth::ApiWriter;
use crate::web::error::{FieldError, problem};
use crate::web::upload::{FileField, Upload};
use crate::web::{ApiError, AppError, Params};

pub async fn scenarios(db: web::Data<Db>, params: Params) -> Result<HttpResponse, ApiError> {
    let page = page_query(&params)?;
    let list = db.run(move |conn| queries::scenarios(conn, page)).await?;
    Ok(HttpResponse::Ok().json(list))
}

pub async fn scenario(
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    get::<Scenario>(&db, Scenario::key(&path)?, Default::default()).await
}

pub async fn environments(db: web::Data<Db>, params: Params) -> Result<HttpResponse, ApiError> {
    let page = page_query(&params)?;
    let list = db
        .run(move |conn| queries::environments_page(conn, page))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

pub async fn environment(
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    get::<Environment>(&db, Environment::key(&path)?, Default::default()).await
}

pub async fn runs(db: web::Data<Db>, params: Params) -> Result<HttpResponse, ApiError> {
    let (filter, page) = run_query(&params)?;
    let list = db
        .run(move |conn| queries::runs(conn, &filter, page))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// A run with a page of its `results` (`?page=`, `?per_page=`), as a dimension has a page
/// of its facts.
pub async fn run(
    db: web::Data<Db>,
    path: web::Path<String>,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let id = id(&path)?;
    let page = page_query(&params)?;
    let run = db
        .run(move |conn| queries::run(conn, id, page))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(run))
}

#[derive(Serialize)]
struct DryRun<'a> {
    dry_run: bool,
    plan: &'a Plan,
}

#[derive(Serialize)]
struct Stored {
    upload: Option<i32>,
    runs: Vec<StoredRun>,
    results: usize,
}

#[derive(Serialize)]
struct StoredRun {
    id: i32,
    url: String,
    page: String,
}

/// `POST /api/v1/benchmarks/imports`: 201 with the runs stored, or 200 with the plan for
/// a dry run; 422 naming each field at fault (the file's line or field among them), 413
/// past the upload limit. Nothing is stored unless everything is.
pub async fn import(
    writer: ApiWriter,
    db: web::Data<Db>,
    upload: Upload,
) -> Result<HttpResponse, ApiError> {
    let mut errors: Vec<FieldError> = upload
        .fields
        .pairs()
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| {
            !SETTINGS_FIELDS.contains(name) && !name.starts_with("map.") && *name != "dry_run"
        })
        .map(|name| FieldError::new(name, "is not a field of an import"))
        .collect();
    let dry_run = match upload.fields.get("dry_run") {
        "" | "false" => false,
        "true" => true,
        _ => {
            errors.push(FieldError::new("dry_run", "must be true or false"));
            false
        }
    };
    let fields = upload.fields.only(|name| SETTINGS_FIELDS.contains(&name));
    let mapping = upload.fields.only(|name| name.starts_with("map."));
    let too_large = matches!(upload.file, FileField::TooLarge(_));
    let actor = writer.0;
    let today = Utc::now().date_naive();
    let stored = db
        .run(move |conn| {
            let file = import::received(upload.file);
            let prepared = import::prepare(conn, &fields, file, &mapping, today)?;
            let Prepared { plan, content } = match prepared {
                Ok(prepared) if errors.is_empty() => prepared,
                Ok(_) => return Ok(Err(Refused::Invalid(errors))),
                Err(more) => {
                    errors.extend(more);
                    return Ok(Err(Refused::Invalid(errors)));
                }
            };
            if dry_run {
                return Ok(Ok((plan, None)));
            }
            // The upload is kept and confirmed in one transaction: a refusal keeps nothing.
            let mut refused = None;
            let stored = db::write(conn, |conn| {
                let id = import::stage(conn, &actor, plan.tool, &plan.filename, &content, &fields)?;
                match import::store(conn, &actor, Some(id), &plan)? {
                    Ok(imported) => Ok(imported),
                    Err(refusal) => {
                        refused = Some(refusal);
                        Err(diesel::result::Error::RollbackTransaction)
                    }
                }
            });
            match (stored, refused) {
                (Ok(imported), _) => Ok(Ok((plan, Some(imported)))),
                (Err(_), Some(refusal)) => Ok(Err(refusal)),
                (Err(e), None) => Err(e),
            }
        })
        .await?;
    match stored {
        // Typed, not a `serde_json::Value` of the plan: that tree would take many times the
        // memory of the file.
        Ok((plan, None)) => Ok(HttpResponse::Ok().json(DryRun {
            dry_run: true,
            plan: &plan,
        })),
        Ok((_, Some(imported))) => {
            let runs: Vec<StoredRun> = imported
                .runs
                .iter()
                .map(|&id| StoredRun {
                    id,
                    url: format!("/api/v1/benchmarks/runs/{id}"),
                    page: format!("/benchmarks/runs/{id}"),
                })
                .collect();
            let mut response = HttpResponse::Created();
            if let Some(first) = runs.first() {
                response.insert_header((LOCATION, first.url.clone()));
            }
            Ok(response.json(Stored {
                upload: imported.upload,
                runs,
                results: imported.results,
            }))
        }
        Err(Refused::Invalid(errors)) if too_large => Ok(problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The file is larger than the upload limit.",
            &errors,
        )),
        Err(Refused::Invalid(errors)) => Err(AppError::InvalidFields(errors).into()),
        Err(Refused::Gone) => Err(AppError::Conflict(
            "The upload was confirmed by another request.".to_owned(),
        )
        .into()),
    }
}
