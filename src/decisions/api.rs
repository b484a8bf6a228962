//! Decisions as JSON under `/api/v1`: the list, and each decision with its snapshot, its
//! neighbours in the chain of superseding and what has changed in the catalog since. Writes
//! go through the catalog's API write path (`catalog::api_write`); only creating has its
//! own handler, since it also notes who recorded the decision, which the catalog's generic
//! one has no place for.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use chrono::Utc;
use diesel::{Connection, QueryResult};

use crate::catalog::api::{Resource, first_page, item};
use crate::catalog::api_write::JsonBody;
use crate::catalog::edit::{Editable, Outcome};
use crate::db::{Db, DbConnection};
use crate::decisions::edit::{self, Decision};
use crate::decisions::model::DecisionDetail;
use crate::decisions::queries;
use crate::decisions::{id, list_query};
use crate::web::auth::ApiWriter;
use crate::web::form::Fields;
use crate::web::params::PageRequest;
use crate::web::{ApiError, AppError, Params};

impl Resource for Decision {
    type Path = String;
    type Body = DecisionDetail;

    fn key(path: &String) -> Result<String, AppError> {
        Ok(id(path)?.to_string())
    }

    fn location(key: &str) -> String {
        format!("/api/v1/decisions/{key}")
    }

    fn body(
        conn: &mut DbConnection,
        key: &str,
        _: PageRequest,
    ) -> QueryResult<Option<DecisionDetail>> {
        match key.parse() {
            Ok(id) => queries::detail(conn, id, Utc::now().date_naive()),
            Err(_) => Ok(None),
        }
    }
}

pub async fn decisions(db: web::Data<Db>, params: Params) -> Result<HttpResponse, ApiError> {
    let (filter, page) = list_query(&params)?;
    let list = db
        .run(move |conn| queries::list(conn, &filter, page, Utc::now().date_naive()))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

pub async fn decision(
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = Decision::key(&path)?;
    let (current, body) = db
        .run(move |conn| {
            // What it stands at is read first: should it change in between, the ETag is the
            // older one, and a write sent with it is refused.
            let Some(current) = Decision::find(conn, &key)? else {
                return Ok(None);
            };
            Ok(Decision::body(conn, &key, first_page())?.map(|body| (current, body)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(item(StatusCode::OK, &current, &body))
}

/// `POST /api/v1/decisions`: a new decision; 201 with its `Location` and `ETag`.
pub async fn create(
    ApiWriter(actor): ApiWriter,
    db: web::Data<Db>,
    JsonBody(body): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let fields = Fields::from_json(&body, Decision::FIELDS).map_err(AppError::InvalidFields)?;
    let answer = db
        .run(move |conn| {
            conn.transaction(|conn| {
                Ok(match edit::create(conn, &actor, &fields)? {
                    Outcome::Saved(current) => {
                        let body = Decision::body(conn, &current.key, first_page())?
                            .ok_or(diesel::result::Error::NotFound)?;
                        Ok((current, body))
                    }
                    Outcome::Invalid(errors) => Err(AppError::InvalidFields(errors)),
                    other => Err(AppError::Internal(anyhow::anyhow!(
                        "unexpected outcome of creating a decision: {other:?}"
                    ))),
                })
            })
        })
        .await?;
    let (current, body) = answer?;
    let mut response = item(StatusCode::CREATED, &current, &body);
    if let Ok(location) = HeaderValue::try_from(Decision::location(&current.key)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}
