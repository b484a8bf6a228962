//! Any editable kind as a JSON resource: GET with an `ETag` made from the item's version,
//! and the writes, each the admin forms' own ([`editing`]): the body's members are the
//! form's fields, `If-Match` holds the write to the version the client read, and the answer
//! is the item as GET shows it, with its new ETag.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ETag};
use actix_web::{HttpResponse, web};
use diesel::result::{Error as DieselError, QueryResult};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::db::{self, Db, DbConnection};
use crate::editing::fields::names;
use crate::editing::if_match::{IfMatch, etag};
use crate::editing::json::JsonBody;
use crate::editing::{self, Current, Editable, Outcome};
use crate::web::auth::ApiWriter;
use crate::web::error::FieldError;
use crate::web::form::Fields;
use crate::web::{ApiError, AppError};

/// Where `startup` mounts the API, for the addresses its answers give.
pub const ROOT: &str = "/api/v1";

/// A kind of item as the API addresses it, shows it and writes it.
pub trait Resource: Editable {
    /// What the item's address holds: a slug, an id, or a technology and a dimension.
    type Path: DeserializeOwned + 'static;
    /// The item as GET shows it.
    type Body: Serialize + Send + 'static;
    /// Which page of its facts GET shows, for an item that lists them; the first by default.
    type Page: Default + Send + 'static;

    /// The key of the item at the address; an address no item can have is not found.
    fn key(path: &Self::Path) -> Result<String, AppError>;

    /// Where the API keeps items of this kind, below [`ROOT`]: `technologies`.
    const COLLECTION: &'static str;

    /// The address of the item `key` names.
    fn location(key: &str) -> String {
        format!("{ROOT}/{}/{key}", Self::COLLECTION)
    }

    /// The item as GET shows it, with `page` of its facts where it lists them.
    fn body(
        conn: &mut DbConnection,
        key: &str,
        page: Self::Page,
    ) -> QueryResult<Option<Self::Body>>;

    /// The fields the address of item `key` sets, which a body may repeat but not change.
    fn given(_key: &str) -> Fields {
        Fields::default()
    }
}

/// The item `key` names as it stands now and as GET shows it. What it stands at is read
/// first: should it change in between, the ETag is the older one, and a write sent with it
/// is refused rather than made over a change its client has not seen.
fn read<R: Resource>(
    conn: &mut DbConnection,
    key: &str,
    page: R::Page,
) -> QueryResult<Option<(Current, R::Body)>> {
    let Some(current) = R::find(conn, key)? else {
        return Ok(None);
    };
    Ok(R::body(conn, key, page)?.map(|body| (current, body)))
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
    page: R::Page,
) -> Result<HttpResponse, ApiError> {
    let (current, body) = db
        .run(move |conn| read::<R>(conn, &key, page))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(item(StatusCode::OK, &current, &body))
}

/// The fields of a JSON body. Those the address sets (`given`) may be repeated there but
/// not changed; a PUT (`whole`) must give every other one, since it replaces the item and
/// a field left out by mistake would otherwise be emptied.
pub fn fields<T: Resource>(body: &Value, given: Fields, whole: bool) -> Result<Fields, AppError> {
    let members: Vec<&str> = names(T::FIELDS).collect();
    let fields = Fields::from_json(body, &members).map_err(AppError::InvalidFields)?;
    let mut errors: Vec<FieldError> = given
        .pairs()
        .iter()
        .filter(|(name, value)| fields.has(name) && fields.get(name) != value)
        .map(|(name, value)| {
            FieldError::new(
                name,
                format!("is `{value}`, as the address says: leave it out or send the same"),
            )
        })
        .collect();
    if whole {
        errors.extend(
            members
                .iter()
                .filter(|name| !fields.has(name) && !given.has(name))
                .map(|name| {
                    FieldError::new(
                        *name,
                        "is required: PUT replaces the whole item (null empties a field; \
                         PATCH changes only the fields it names)",
                    )
                }),
        );
    }
    if errors.is_empty() {
        Ok(given.over(fields))
    } else {
        Err(AppError::InvalidFields(errors))
    }
}

/// How a write ended, with the item as GET shows it once saved.
pub enum Answer<B> {
    Saved(Current, B),
    Deleted,
    Refused(AppError),
}

/// The answer to a write's outcome. Called in the write's transaction, so that the item
/// shown is exactly the one written.
pub fn answer<T: Resource>(
    conn: &mut DbConnection,
    outcome: Outcome,
) -> QueryResult<Answer<T::Body>> {
    Ok(match outcome {
        Outcome::Saved(current) => {
            let body =
                T::body(conn, &current.key, T::Page::default())?.ok_or(DieselError::NotFound)?;
            Answer::Saved(current, body)
        }
        Outcome::Deleted => Answer::Deleted,
        Outcome::Invalid(errors) => Answer::Refused(AppError::InvalidFields(errors)),
        Outcome::Stale(_) => Answer::Refused(AppError::PreconditionFailed),
        Outcome::NotFound => Answer::Refused(AppError::NotFound),
        Outcome::Blocked(reasons) => Answer::Refused(AppError::Conflict(format!(
            "This cannot be deleted: {}.",
            reasons.join("; ")
        ))),
    })
}

impl<B: serde::Serialize> Answer<B> {
    /// A saved item is answered with `status`: 201 with its `Location`, or 200 saying where
    /// it now is (a new slug moves it).
    pub fn respond<T: Resource>(self, status: StatusCode) -> Result<HttpResponse, ApiError> {
        match self {
            Answer::Saved(current, body) => {
                let mut response = item(status, &current, &body);
                let place = if status == StatusCode::CREATED {
                    header::LOCATION
                } else {
                    header::CONTENT_LOCATION
                };
                if let Ok(location) = header::HeaderValue::try_from(T::location(&current.key)) {
                    response.headers_mut().insert(place, location);
                }
                Ok(response)
            }
            Answer::Deleted => Ok(HttpResponse::NoContent().finish()),
            Answer::Refused(error) => Err(error.into()),
        }
    }
}

/// Runs `write` on the item `key` if it exists and meets `If-Match`, with the version to
/// hold it to.
pub fn on_current<T: Resource>(
    conn: &mut DbConnection,
    key: &str,
    if_match: &IfMatch,
    write: impl FnOnce(&mut DbConnection, Option<i32>) -> QueryResult<Outcome>,
) -> QueryResult<Answer<T::Body>> {
    match if_match.hold(T::find(conn, key)?) {
        Ok(version) => {
            let outcome = write(conn, version)?;
            answer::<T>(conn, outcome)
        }
        Err(refused) => Ok(Answer::Refused(refused)),
    }
}

/// `POST` on a list: a new item; 201.
pub async fn create<T: Resource>(
    ApiWriter(actor): ApiWriter,
    db: web::Data<Db>,
    JsonBody(body): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let fields = fields::<T>(&body, Fields::default(), false)?;
    db.run(move |conn| {
        db::write(conn, |conn| {
            let outcome = editing::create::<T>(conn, &actor, &fields)?;
            answer::<T>(conn, outcome)
        })
    })
    .await?
    .respond::<T>(StatusCode::CREATED)
}

/// `PUT` on an item: every field replaced.
pub async fn replace<T: Resource>(
    writer: ApiWriter,
    db: web::Data<Db>,
    path: web::Path<T::Path>,
    if_match: IfMatch,
    JsonBody(body): JsonBody,
) -> Result<HttpResponse, ApiError> {
    update::<T>(writer, &db, &path, if_match, &body, false).await
}

/// `PATCH` on an item: the fields given replaced, the others kept.
pub async fn patch<T: Resource>(
    writer: ApiWriter,
    db: web::Data<Db>,
    path: web::Path<T::Path>,
    if_match: IfMatch,
    JsonBody(body): JsonBody,
) -> Result<HttpResponse, ApiError> {
    update::<T>(writer, &db, &path, if_match, &body, true).await
}

async fn update<T: Resource>(
    ApiWriter(actor): ApiWriter,
    db: &Db,
    path: &T::Path,
    if_match: IfMatch,
    body: &Value,
    partial: bool,
) -> Result<HttpResponse, ApiError> {
    let key = T::key(path)?;
    let fields = fields::<T>(body, T::given(&key), !partial)?;
    db.run(move |conn| {
        db::write(conn, |conn| {
            on_current::<T>(conn, &key, &if_match, |conn, version| {
                editing::update::<T>(conn, &actor, &key, version, fields, partial)
            })
        })
    })
    .await?
    .respond::<T>(StatusCode::OK)
}

/// `DELETE` on an item; 204, or 409 saying what depends on it.
pub async fn delete<T: Resource>(
    ApiWriter(actor): ApiWriter,
    db: web::Data<Db>,
    path: web::Path<T::Path>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let key = T::key(&path)?;
    db.run(move |conn| {
        db::write(conn, |conn| {
            on_current::<T>(conn, &key, &if_match, |conn, version| {
                editing::delete::<T>(conn, &actor, &key, version)
            })
        })
    })
    .await?
    .respond::<T>(StatusCode::NO_CONTENT)
}
