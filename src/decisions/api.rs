//! Decisions as JSON under `/api/v1`: the list, and each decision with its snapshot, its
//! neighbours in the chain of superseding and what has changed in the catalog since. Reads
//! and writes of one decision go through the catalog's generic API handlers.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use diesel::QueryResult;

use crate::db::{Db, DbConnection};
use crate::decisions::edit::Decision;
use crate::decisions::model::DecisionDetail;
use crate::decisions::params::list_query;
use crate::decisions::queries;
use crate::editing::api::{Resource, get};
use crate::editing::params::id;
use crate::web::params::PageRequest;
use crate::web::{ApiError, AppError, Params};

impl Resource for Decision {
    type Path = String;
    type Body = DecisionDetail;
    type Page = PageRequest;

    fn key(path: &String) -> Result<String, AppError> {
        Ok(id(path)?.to_string())
    }

    const COLLECTION: &'static str = "decisions";

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
    get::<Decision>(&db, Decision::key(&path)?, Default::default()).await
}
