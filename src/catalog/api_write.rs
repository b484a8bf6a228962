//! Changing the catalog through the JSON API. Each write is the admin forms' own
//! ([`edit`]): the body's members are the form's fields, `If-Match` holds the write to the
//! version the client read, and the answer is the item as GET shows it, with its new ETag.

use std::future::{Future, Ready, ready};
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, EntityTag};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use diesel::result::{Error as DieselError, QueryResult};
use serde_json::Value;

use crate::catalog::api::{Resource, etag, first_page, item};
use crate::catalog::edit::{self, Current, Editable, Outcome};
use crate::catalog::slug;
use crate::db::{self, Db, DbConnection};
use crate::web::auth::ApiWriter;
use crate::web::error::{FieldError, problem};
use crate::web::form::{Fields, body_error, json_refused_characters};
use crate::web::{ApiError, AppError};

/// A request body that is JSON: `application/json` (otherwise 415), within the limit
/// (otherwise 413), decoded (otherwise 400), well formed (otherwise 400, saying where it
/// breaks), and with no control character but tab, CR and LF in any string (otherwise 422,
/// naming the member).
pub struct JsonBody(pub Value);

impl FromRequest for JsonBody {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .mime_type()
            .ok()
            .flatten()
            .is_some_and(|mime| mime.essence_str() == "application/json");
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::from(AppError::UnsupportedMediaType(
                    "The body must be JSON, sent with `Content-Type: application/json`.",
                ))
                .into());
            }
            // actix-web's default limit applies: 256 KiB.
            let body = body.await.map_err(|e| ApiError::from(body_error(e)))?;
            let value = serde_json::from_slice(&body).map_err(|e| {
                ApiError::from(AppError::MalformedBody(format!(
                    "The body is not valid JSON: {e}."
                )))
            })?;
            match json_refused_characters(&value) {
                errors if errors.is_empty() => Ok(JsonBody(value)),
                errors => Err(ApiError::from(AppError::InvalidFields(errors)).into()),
            }
        })
    }
}

/// A problem answer that no [`AppError`] stands for.
fn refusal(status: StatusCode, detail: &'static str) -> actix_web::Error {
    InternalError::from_response(detail, problem(status, detail, &[])).into()
}

/// `If-Match`: the ETags a write may find its item at, or `*` for any (it must exist).
pub enum IfMatch {
    Absent,
    Any,
    Tags(Vec<EntityTag>),
}

impl FromRequest for IfMatch {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let values: Option<Vec<&str>> = req
            .headers()
            .get_all(header::IF_MATCH)
            .map(|value| value.to_str().ok())
            .collect();
        ready(match values {
            Some(values) if values.is_empty() => Ok(IfMatch::Absent),
            Some(values) => IfMatch::parse(&values).ok_or_else(|| {
                refusal(
                    StatusCode::BAD_REQUEST,
                    "If-Match must be `*` or ETags as the API sends them, quotes included.",
                )
            }),
            None => Err(refusal(
                StatusCode::BAD_REQUEST,
                "If-Match must be ASCII text.",
            )),
        })
    }
}

impl IfMatch {
    /// The header's values: `*`, or ETags separated by commas. Anything else is `None`,
    /// never a condition that is silently dropped (the write would then be unconditional)
    /// nor one that can only fail (the client would be told the item changed).
    fn parse(values: &[&str]) -> Option<IfMatch> {
        let items: Vec<&str> = values
            .iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .collect();
        if items == ["*"] {
            return Some(IfMatch::Any);
        }
        items
            .iter()
            .map(|item| item.parse().ok())
            .collect::<Option<Vec<EntityTag>>>()
            .filter(|tags| !tags.is_empty())
            .map(IfMatch::Tags)
    }

    /// The version a write must still find the item at (`None`: any), if the item exists
    /// and meets the condition. Strong comparison: a weak ETag never matches.
    fn hold(&self, current: Option<Current>) -> Result<Option<i32>, AppError> {
        let current = current.ok_or(AppError::NotFound)?;
        match self {
            IfMatch::Absent | IfMatch::Any => Ok(None),
            IfMatch::Tags(tags) => {
                let tag = etag(&current);
                if tags.iter().any(|t| t.strong_eq(&tag)) {
                    // Held to it, the write is refused if the item changes before it is made.
                    Ok(Some(current.version))
                } else {
                    Err(AppError::PreconditionFailed)
                }
            }
        }
    }
}

/// The fields of a JSON body. Those the address sets (`given`) may be repeated there but
/// not changed; a PUT (`whole`) must give every other one, since it replaces the item and
/// a field left out by mistake would otherwise be emptied.
fn fields<T: Resource>(body: &Value, given: Fields, whole: bool) -> Result<Fields, AppError> {
    let fields = Fields::from_json(body, T::FIELDS).map_err(AppError::InvalidFields)?;
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
            T::FIELDS
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
enum Answer<B> {
    Saved(Current, B),
    Deleted,
    Refused(AppError),
}

/// The answer to a write's outcome. Called in the write's transaction, so that the item
/// shown is exactly the one written.
fn answer<T: Resource>(conn: &mut DbConnection, outcome: Outcome) -> QueryResult<Answer<T::Body>> {
    Ok(match outcome {
        Outcome::Saved(current) => {
            let body = T::body(conn, &current.key, first_page())?.ok_or(DieselError::NotFound)?;
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
    fn respond<T: Resource>(self, status: StatusCode) -> Result<HttpResponse, ApiError> {
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
fn on_current<T: Resource>(
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
            let outcome = edit::create::<T>(conn, &actor, &fields)?;
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
                edit::update::<T>(conn, &actor, &key, version, fields, partial)
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
                edit::delete::<T>(conn, &actor, &key, version)
            })
        })
    })
    .await?
    .respond::<T>(StatusCode::NO_CONTENT)
}

/// Whether the technology and the dimension of the fact `key` exist.
fn fact_address_exists(conn: &mut DbConnection, key: &str) -> QueryResult<bool> {
    let Some((technology, dimension)) = key.split_once('/') else {
        return Ok(false);
    };
    Ok(edit::Technology::id_of(conn, technology)?.is_some()
        && edit::Dimension::id_of(conn, dimension)?.is_some())
}

/// `POST` on a technology's assessments: a new fact, on the dimension the body names.
pub async fn create_assessment(
    ApiWriter(actor): ApiWriter,
    db: web::Data<Db>,
    path: web::Path<String>,
    JsonBody(body): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let technology = slug(&path)?;
    let given = Fields::new(vec![("technology".into(), technology.to_string())]);
    let fields = fields::<edit::Fact>(&body, given, false)?;
    db.run(move |conn| {
        db::write(conn, |conn| {
            if edit::Technology::id_of(conn, technology.as_str())?.is_none() {
                return Ok(Answer::Refused(AppError::NotFound));
            }
            let outcome = edit::create::<edit::Fact>(conn, &actor, &fields)?;
            answer::<edit::Fact>(conn, outcome)
        })
    })
    .await?
    .respond::<edit::Fact>(StatusCode::CREATED)
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
    let key = edit::Fact::key(&path)?;
    let fields = fields::<edit::Fact>(&body, edit::Fact::given(&key), true)?;
    let (created, answer) = db
        .run(move |conn| {
            db::write(conn, |conn| {
                if edit::Fact::id_of(conn, &key)?.is_some() {
                    let answer =
                        on_current::<edit::Fact>(conn, &key, &if_match, |conn, version| {
                            edit::update::<edit::Fact>(conn, &actor, &key, version, fields, false)
                        })?;
                    return Ok((false, answer));
                }
                let answer = if !fact_address_exists(conn, &key)? {
                    Answer::Refused(AppError::NotFound)
                } else if !matches!(if_match, IfMatch::Absent) {
                    // `If-Match` asks for an item that is there: with no fact, nothing matches.
                    Answer::Refused(AppError::PreconditionFailed)
                } else {
                    let outcome = edit::create::<edit::Fact>(conn, &actor, &fields)?;
                    answer::<edit::Fact>(conn, outcome)?
                };
                Ok((true, answer))
            })
        })
        .await?;
    answer.respond::<edit::Fact>(if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(values: &[&str]) -> Option<Vec<String>> {
        match IfMatch::parse(values)? {
            IfMatch::Tags(tags) => Some(tags.iter().map(ToString::to_string).collect()),
            IfMatch::Any => Some(vec!["*".into()]),
            IfMatch::Absent => None,
        }
    }

    #[test]
    fn if_match_is_any_or_etags_and_nothing_else() {
        assert_eq!(tags(&["*"]), Some(vec!["*".into()]));
        assert_eq!(
            tags(&[r#""1-2", W/"1-3""#, r#""4-5""#]),
            Some(vec![
                r#""1-2""#.into(),
                r#"W/"1-3""#.into(),
                r#""4-5""#.into()
            ])
        );
        for bad in [&["3"][..], &[r#""1-2", 3"#], &[""], &["*, \"1-2\""]] {
            assert_eq!(tags(bad), None, "{bad:?}");
        }
    }
}
