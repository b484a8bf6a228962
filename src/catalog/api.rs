//! The catalog as JSON under `/api/v1`: the lists, and the items, each with an `ETag` made
//! from its version. The writes are in [`api_write`](super::api_write).

use actix_web::http::StatusCode;
use actix_web::http::header::{ETag, EntityTag};
use actix_web::{HttpResponse, web};
use diesel::QueryResult;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::catalog::edit::{self, Current, Editable};
use crate::catalog::model::{DimensionItem, Fact, SourceItem, TechnologyDetail};
use crate::catalog::{page_query, queries, slug, source_id, technology_query};
use crate::db::{Db, DbConnection};
use crate::web::form::Fields;
use crate::web::params::PageRequest;
use crate::web::{ApiError, AppError, Paginated, Params};

/// Where `startup` mounts the API, for the addresses its answers give.
const ROOT: &str = "/api/v1";

/// A kind of catalog item as the API addresses it, shows it and writes it.
pub trait Resource: Editable {
    /// What the item's address holds: a slug, an id, or a technology and a dimension.
    type Path: DeserializeOwned + 'static;
    /// The item as GET shows it.
    type Body: Serialize + Send + 'static;

    /// The key of the item at the address; an address no item can have is not found.
    fn key(path: &Self::Path) -> Result<String, AppError>;

    /// The address of the item `key` names.
    fn location(key: &str) -> String;

    /// The item as GET shows it, with `page` of its facts where it lists them.
    fn body(
        conn: &mut DbConnection,
        key: &str,
        page: PageRequest,
    ) -> QueryResult<Option<Self::Body>>;

    /// The fields the address of item `key` sets, which a body may repeat but not change.
    fn given(_key: &str) -> Fields {
        Fields::default()
    }
}

impl Resource for edit::Technology {
    type Path = String;
    type Body = TechnologyDetail;

    fn key(path: &String) -> Result<String, AppError> {
        Ok(slug(path)?.to_string())
    }

    fn location(key: &str) -> String {
        format!("{ROOT}/technologies/{key}")
    }

    fn body(
        conn: &mut DbConnection,
        key: &str,
        _: PageRequest,
    ) -> QueryResult<Option<TechnologyDetail>> {
        queries::technology(conn, key)
    }
}

/// A dimension, or a source, with one page of its facts.
#[derive(Serialize)]
pub struct WithFacts<T> {
    #[serde(flatten)]
    pub item: T,
    pub facts: Paginated<Fact>,
}

impl Resource for edit::Dimension {
    type Path = String;
    type Body = WithFacts<DimensionItem>;

    fn key(path: &String) -> Result<String, AppError> {
        Ok(slug(path)?.to_string())
    }

    fn location(key: &str) -> String {
        format!("{ROOT}/dimensions/{key}")
    }

    fn body(
        conn: &mut DbConnection,
        key: &str,
        page: PageRequest,
    ) -> QueryResult<Option<Self::Body>> {
        Ok(queries::dimension(conn, key, page)?.map(|(item, facts)| WithFacts { item, facts }))
    }
}

impl Resource for edit::Source {
    type Path = String;
    type Body = WithFacts<SourceItem>;

    fn key(path: &String) -> Result<String, AppError> {
        Ok(source_id(path)?.to_string())
    }

    fn location(key: &str) -> String {
        format!("{ROOT}/sources/{key}")
    }

    fn body(
        conn: &mut DbConnection,
        key: &str,
        page: PageRequest,
    ) -> QueryResult<Option<Self::Body>> {
        let Ok(id) = key.parse() else {
            return Ok(None);
        };
        Ok(queries::source(conn, id, page)?.map(|(item, facts)| WithFacts { item, facts }))
    }
}

impl Resource for edit::Fact {
    type Path = (String, String);
    type Body = Fact;

    fn key((technology, dimension): &(String, String)) -> Result<String, AppError> {
        Ok(edit::fact_key(
            slug(technology)?.as_str(),
            slug(dimension)?.as_str(),
        ))
    }

    fn location(key: &str) -> String {
        // A fact's key is `technology/dimension`; its address is the technology's assessments.
        format!(
            "{ROOT}/technologies/{}",
            key.replacen('/', "/assessments/", 1)
        )
    }

    fn body(conn: &mut DbConnection, key: &str, _: PageRequest) -> QueryResult<Option<Fact>> {
        let Some((technology, dimension)) = key.split_once('/') else {
            return Ok(None);
        };
        Ok(queries::technology(conn, technology)?.and_then(|detail| {
            detail
                .assessments
                .into_iter()
                .find(|fact| fact.dimension.slug == dimension)
        }))
    }

    fn given(key: &str) -> Fields {
        let (technology, dimension) = key.split_once('/').unwrap_or((key, ""));
        Fields::new(vec![
            ("technology".into(), technology.into()),
            ("dimension".into(), dimension.into()),
        ])
    }
}

/// The item `key` names as it stands now and as GET shows it. What it stands at is read
/// first: should it change in between, the ETag is the older one, and a write sent with it
/// is refused rather than made over a change its client has not seen.
fn read<R: Resource>(
    conn: &mut DbConnection,
    key: &str,
    page: PageRequest,
) -> QueryResult<Option<(Current, R::Body)>> {
    let Some(current) = R::find(conn, key)? else {
        return Ok(None);
    };
    Ok(R::body(conn, key, page)?.map(|body| (current, body)))
}

/// An item's ETag: its version, and its id, so that an item deleted and made again at the
/// same address is not taken for the one a client read.
pub fn etag(current: &Current) -> EntityTag {
    EntityTag::new_strong(format!("{}-{}", current.id, current.version))
}

/// An item as JSON with its ETag.
pub fn item(status: StatusCode, current: &Current, body: &impl Serialize) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(ETag(etag(current)))
        .json(body)
}

/// `GET` on an item: it as [`Resource::body`] shows it, with its ETag.
pub async fn get<R: Resource>(
    db: &Db,
    key: String,
    page: PageRequest,
) -> Result<HttpResponse, ApiError> {
    let (current, body) = db
        .run(move |conn| read::<R>(conn, &key, page))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(item(StatusCode::OK, &current, &body))
}

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
    let key = edit::Technology::key(&path)?;
    get::<edit::Technology>(&db, key, first_page()).await
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
    let key = edit::Fact::key(&path)?;
    get::<edit::Fact>(&db, key, first_page()).await
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
    let key = edit::Dimension::key(&path)?;
    get::<edit::Dimension>(&db, key, page_query(&params)?).await
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
    let key = edit::Source::key(&path)?;
    get::<edit::Source>(&db, key, page_query(&params)?).await
}

/// The first page of an item's facts: what GET shows without `?page=`.
pub fn first_page() -> PageRequest {
    PageRequest {
        page: 1,
        per_page: crate::web::params::DEFAULT_PER_PAGE,
    }
}
