//! The catalog as JSON under `/api/v1`.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::catalog::model::{DimensionItem, Fact, SourceItem};
use crate::catalog::{page_query, queries, slug, source_id, technology_query};
use crate::db::Db;
use crate::web::{ApiError, AppError, Paginated, Params};

pub async fn technologies(db: web::Data<Db>, params: Params) -> Result<HttpResponse, ApiError> {
    let (filter, page) = technology_query(&params)?;
    let list = db
        .run(move |conn| queries::list_technologies(conn, &filter, page))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

pub async fn technology(
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug(&path)?;
    let detail = db
        .run(move |conn| queries::technology(conn, slug.as_str()))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(detail))
}

pub async fn dimensions(db: web::Data<Db>, params: Params) -> Result<HttpResponse, ApiError> {
    let page = page_query(&params)?;
    let list = db
        .run(move |conn| queries::list_dimensions(conn, page))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// A dimension, or a source, with one page of its facts.
#[derive(Serialize)]
struct WithFacts<T> {
    #[serde(flatten)]
    item: T,
    facts: Paginated<Fact>,
}

pub async fn dimension(
    db: web::Data<Db>,
    path: web::Path<String>,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let slug = slug(&path)?;
    let page = page_query(&params)?;
    let (item, facts): (DimensionItem, _) = db
        .run(move |conn| queries::dimension(conn, slug.as_str(), page))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(WithFacts { item, facts }))
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
    let id = source_id(&path)?;
    let page = page_query(&params)?;
    let (item, facts): (SourceItem, _) = db
        .run(move |conn| queries::source(conn, id, page))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(WithFacts { item, facts }))
}
