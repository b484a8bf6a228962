//! The catalog as JSON under `/api/v1`: the lists, the items (each with an `ETag` made from
//! its version), and a technology's assessments, which are addressed and created by the
//! technology and dimension they join. The other writes are the editing layer's
//! ([`crate::editing::api`]).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::QueryResult;

use crate::catalog::edit::{Dimension, Fact, Source, Technology};
use crate::catalog::params::technology_query;
use crate::catalog::queries;
use crate::db::{self, Db, DbConnection};
use crate::editing::api::{Answer, Resource, answer, fields, get, on_current};
use crate::editing::if_match::IfMatch;
use crate::editing::json::JsonBody;
use crate::editing::params::{page_query, slice_query, slug};
use crate::editing::{self, Editable};
use crate::web::auth::ApiWriter;
use crate::web::form::Fields;
use crate::web::slice::check_found;
use crate::web::{ApiError, AppError, Params};

pub async fn technologies(db: web::Data<Db>, params: Params) -> Result<HttpResponse, ApiError> {
    let (filter, page) = technology_query(&params)?;
    let request = page.clone();
    let list = db
        .run(move |conn| queries::list_technologies(conn, &filter, &request))
        .await?;
    check_found(&list, &page)?;
    Ok(HttpResponse::Ok().json(list.linked("/api/v1/technologies", &params, |t| &t.slug)))
}

pub async fn technology(
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = Technology::key(&path)?;
    get::<Technology>(&db, key, Default::default()).await
}

/// All of a technology's facts: one per dimension at most, so never more than a page.
pub async fn assessments(
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug(&path)?;
    let detail = db
        .run(move |conn| queries::technology(conn, slug.as_str()))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(detail.assessments))
}

pub async fn assessment(
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let key = Fact::key(&path)?;
    get::<Fact>(&db, key, Default::default()).await
}

pub async fn dimensions(db: web::Data<Db>, params: Params) -> Result<HttpResponse, ApiError> {
    let page = page_query(&params)?;
    let list = db
        .run(move |conn| queries::list_dimensions(conn, page))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

pub async fn dimension(
    db: web::Data<Db>,
    path: web::Path<String>,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let key = Dimension::key(&path)?;
    get::<Dimension>(&db, key, slice_query(&params)?).await
}

pub async fn sources(db: web::Data<Db>, params: Params) -> Result<HttpResponse, ApiError> {
    let page = page_query(&params)?;
    let list = db
        .run(move |conn| queries::list_sources(conn, page))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

pub async fn source(
    db: web::Data<Db>,
    path: web::Path<String>,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let key = Source::key(&path)?;
    get::<Source>(&db, key, page_query(&params)?).await
}

/// Whether the technology and the dimension of the fact `key` exist.
fn fact_address_exists(conn: &mut DbConnection, key: &str) -> QueryResult<bool> {
    let Some((technology, dimension)) = key.split_once('/') else {
        return Ok(false);
    };
    Ok(Technology::id_of(conn, technology)?.is_some()
        && Dimension::id_of(conn, dimension)?.is_some())
}

/// `POST` on a technology's assessments: a new fact, on the dimension the body names.
pub async fn create_assessment(
    ApiWriter(actor): ApiWriter,
    db: web::Data<Db>,
    path: web::Path<String>,
    JsonBody(body): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let technology = slug(&path)?;
    let given = Fields::new(vec![("technology", technology.to_string())]);
    let fields = fields::<Fact>(&body, given, false)?;
    db.run(move |conn| {
        db::write(conn, |conn| {
            if Technology::id_of(conn, technology.as_str())?.is_none() {
                return Ok(Answer::Refused(AppError::NotFound));
            }
            let outcome = editing::create::<Fact>(conn, &actor, &fields)?;
            answer::<Fact>(conn, outcome)
        })
    })
    .await?
    .respond::<Fact>(StatusCode::CREATED)
}

/// `PUT` on an assessment: the fact replaced, or made (201) if the technology has none on
/// that dimension yet.
pub async fn put_assessment(
    ApiWriter(actor): ApiWriter,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    JsonBody(body): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let key = Fact::key(&path)?;
    let fields = fields::<Fact>(&body, Fact::given(&key), true)?;
    let (created, answer) = db
        .run(move |conn| {
            db::write(conn, |conn| {
                if Fact::id_of(conn, &key)?.is_some() {
                    let answer = on_current::<Fact>(conn, &key, &if_match, |conn, version| {
                        editing::update::<Fact>(conn, &actor, &key, version, fields, false)
                    })?;
                    return Ok((false, answer));
                }
                let answer = if !fact_address_exists(conn, &key)? {
                    Answer::Refused(AppError::NotFound)
                } else if !matches!(if_match, IfMatch::Absent) {
                    // `If-Match` asks for an item that is there: with no fact, nothing matches.
                    Answer::Refused(AppError::PreconditionFailed)
                } else {
                    let outcome = editing::create::<Fact>(conn, &actor, &fields)?;
                    answer::<Fact>(conn, outcome)?
                };
                Ok((true, answer))
            })
        })
        .await?;
    answer.respond::<Fact>(if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    })
}
