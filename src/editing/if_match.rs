//! Conditional writes: an item's ETag, and the `If-Match` a write holds it to.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, EntityTag};
use actix_web::{FromRequest, HttpRequest};

use crate::editing::Current;
use crate::web::AppError;
use crate::web::encoding;
use crate::web::error::problem;

/// An item's ETag: its version, and its id, so that an item deleted and made again at the
/// same address is not taken for the one a client read.
pub fn etag(current: &Current) -> EntityTag {
    EntityTag::new_strong(format!("{}-{}", current.id, current.version))
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
    /// and meets the condition. Strong comparison: a weak ETag never matches; the ETag of
    /// any coding of the item's version does.
    pub fn hold(&self, current: Option<Current>) -> Result<Option<i32>, AppError> {
        let current = current.ok_or(AppError::NotFound)?;
        match self {
            IfMatch::Absent | IfMatch::Any => Ok(None),
            IfMatch::Tags(tags) => {
                let tag = etag(&current);
                let names_it =
                    |t: &EntityTag| !t.weak && encoding::unencoded_tag(t.tag()) == tag.tag();
                if tags.iter().any(names_it) {
                    // Held to it, the write is refused if the item changes before it is made.
                    Ok(Some(current.version))
                } else {
                    Err(AppError::PreconditionFailed)
                }
            }
        }
    }
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
