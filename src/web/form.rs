//! Submitted fields, from a form or a JSON body, as one type the capabilities validate; and
//! the form extractor that refuses a submission without the session's CSRF token.

use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, web};
use serde_json::Value;

use crate::web::error::{AppError, FieldError, PageError};
use crate::web::params::{first_refused, refused_in, refused_pairs};
use crate::web::refuse;
use crate::web::session;

/// The CSRF token's field in every form.
pub const CSRF_FIELD: &str = "csrf_token";

/// Named values in the order they came; a name may repeat (a list of checkboxes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn new(pairs: impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(name, value)| (name.into(), value.into()))
                .collect(),
        )
    }

    /// An urlencoded body.
    pub fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    /// A JSON object's members: strings as they are, numbers and booleans written out, null
    /// as empty, and arrays as repeated values. Members outside `known` are refused, as are
    /// objects and nested arrays, each with a field error.
    pub fn from_json(body: &Value, known: &[&str]) -> Result<Self, Vec<FieldError>> {
        let Some(object) = body.as_object() else {
            return Err(vec![FieldError::new("body", "must be a JSON object")]);
        };
        let mut pairs = Vec::new();
        let mut errors = Vec::new();
        for (name, value) in object {
            if !known.contains(&name.as_str()) {
                errors.push(FieldError::new(
                    name,
                    format!("is not a field here; known fields: {}", known.join(", ")),
                ));
                continue;
            }
            let values = match value {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for value in values {
                match scalar(value) {
                    Some(text) => pairs.push((name.clone(), text)),
                    None => errors.push(FieldError::new(
                        name,
                        "must be a string, a number, a boolean or null",
                    )),
                }
            }
            // An empty array still says the field was given: it is set to nothing.
            if matches!(value, Value::Array(items) if items.is_empty()) {
                pairs.push((format!("{name}[]"), String::new()));
            }
        }
        if errors.is_empty() {
            Ok(Self(pairs))
        } else {
            Err(errors)
        }
    }

    /// An error for each field whose name or a value holds a control character other than
    /// tab, CR and LF.
    pub fn refused_characters(&self) -> Vec<FieldError> {
        refused_pairs(self.0.iter().map(|(name, value)| (name, value)))
    }

    /// The first value of `name`, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// The first value of `name` exactly as sent (a password), empty when absent.
    pub fn raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`, trimmed, without empty ones.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Whether `name` was given at all (as a value or as an empty list).
    pub fn has(&self, name: &str) -> bool {
        let list = format!("{name}[]");
        self.0.iter().any(|(n, _)| n == name || *n == list)
    }

    /// These fields over `base`: every name given here replaces all of its values there.
    pub fn over(self, base: Fields) -> Fields {
        let mut pairs: Vec<_> = base.0.into_iter().filter(|(n, _)| !self.has(n)).collect();
        pairs.extend(self.0);
        Fields(pairs)
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The fields whose names `wanted` accepts.
    pub fn only(&self, wanted: impl Fn(&str) -> bool) -> Fields {
        Fields(
            self.0
                .iter()
                .filter(|(name, _)| wanted(name))
                .cloned()
                .collect(),
        )
    }

    /// A JSON object of the fields: a name given once is a string, a repeated one (or an
    /// empty list) an array. The audit log keeps items this way.
    pub fn to_json(&self) -> Value {
        let mut object = serde_json::Map::new();
        for (name, value) in &self.0 {
            match name.strip_suffix("[]") {
                Some(list) => {
                    object
                        .entry(list)
                        .or_insert_with(|| Value::Array(Vec::new()));
                }
                None => match object.get_mut(name.as_str()) {
                    Some(Value::Array(items)) => items.push(value.clone().into()),
                    Some(first) => *first = Value::Array(vec![first.take(), value.clone().into()]),
                    None => {
                        object.insert(name.clone(), value.clone().into());
                    }
                },
            }
        }
        Value::Object(object)
    }
}

/// A form as it is shown again: the reader's input and a message at each field at fault.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    pub fields: Fields,
    pub errors: Vec<FieldError>,
    /// How the error summary names each field, in the form's order: (name, label).
    labels: Vec<(String, String)>,
}

impl FormState {
    pub fn new(fields: Fields) -> Self {
        Self::with_errors(fields, Vec::new())
    }

    pub fn with_errors(fields: Fields, errors: Vec<FieldError>) -> Self {
        Self {
            fields,
            errors,
            labels: Vec::new(),
        }
    }

    /// The form's fields as people call them, in the order the form shows them: the error
    /// summary names each field so ("Performance: the as-of date") and lists the errors in
    /// that order.
    pub fn labelled(
        mut self,
        labels: impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>,
    ) -> Self {
        let labels: Vec<(String, String)> = labels
            .into_iter()
            .map(|(name, label)| (name.into(), label.into()))
            .collect();
        let at = |name: &str| labels.iter().position(|(field, _)| field == name);
        self.errors
            .sort_by_key(|error| at(&error.name).unwrap_or(usize::MAX));
        self.labels = labels;
        self
    }

    /// How the error summary names the field `name`: its label, or else its name in words.
    pub fn label_of(&self, name: &str) -> String {
        self.labels
            .iter()
            .find(|(field, _)| field == name)
            .map_or_else(|| name.replace('_', " "), |(_, label)| label.clone())
    }

    pub fn value(&self, name: &str) -> &str {
        self.fields.get(name)
    }

    /// Whether `value` is among the values of `name` (a checked box, a selected option).
    pub fn has_value(&self, name: &str, value: &str) -> bool {
        self.fields.all(name).any(|v| v == value)
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.detail.as_str())
    }

    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// An error for each member of a JSON body whose name, or any string or name within it (in
/// arrays and objects too), holds a control character other than tab, CR and LF; a body
/// that is not an object is named `body`.
pub fn json_refused_characters(body: &Value) -> Vec<FieldError> {
    match body {
        Value::Object(members) => members
            .iter()
            .filter_map(|(name, value)| refused_in_member(name, value).map(|c| refused_in(name, c)))
            .collect(),
        other => refused_in_json(other)
            .map(|c| refused_in("body", c))
            .into_iter()
            .collect(),
    }
}

/// The first refused character in the strings and member names of `value`.
fn refused_in_json(value: &Value) -> Option<char> {
    match value {
        Value::String(text) => first_refused(text),
        Value::Array(items) => items.iter().find_map(refused_in_json),
        Value::Object(members) => members
            .iter()
            .find_map(|(name, value)| refused_in_member(name, value)),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

/// The first refused character in a member's name, or else in its value.
fn refused_in_member(name: &str, value: &Value) -> Option<char> {
    first_refused(name).or_else(|| refused_in_json(value))
}

/// Why a request body could not be read: past the limit (413), or anything else, such as a
/// body that is not what its `Content-Encoding` says or one cut short (400).
pub fn body_error(error: actix_web::Error) -> AppError {
    match error.as_error::<PayloadError>() {
        Some(PayloadError::Overflow) => AppError::BodyTooLarge,
        _ => AppError::MalformedBody(
            "The request body could not be decoded: it is not what its Content-Encoding \
             says, or it was cut short."
                .into(),
        ),
    }
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// A submitted form whose CSRF token matched the session's. Anything else is a 403 page and
/// nothing is written; so is a field holding a control character other than tab, CR and LF,
/// a 422 page naming it.
#[derive(Debug, Clone)]
pub struct Form(pub Fields);

impl FromRequest for Form {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            // actix-web's default limit applies: 256 KiB.
            let body = body.await.map_err(body_error)?;
            let fields = Fields::parse(&body);
            if !session::csrf_matches(&req.get_session(), fields.get(CSRF_FIELD)) {
                return Err(expired_form().into());
            }
            match fields.refused_characters() {
                errors if errors.is_empty() => Ok(Form(fields)),
                errors => Err(AppError::InvalidFields(errors).into()),
            }
        })
    }
}

/// The refusal of a form whose CSRF token does not match the session's.
pub fn expired_form() -> AppError {
    AppError::Forbidden(
        "This form has expired or did not come from this site, so nothing was saved. \
         Go back, reload the page and try again.",
    )
}

/// Middleware for the pages: an unsafe request sent by another site (`Sec-Fetch-Site`, or an
/// `Origin` naming another host) is refused with a 403 before any handler sees it.
pub async fn refuse_cross_site(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let header = |name| {
            req.headers()
                .get(name)
                .and_then(|v: &header::HeaderValue| v.to_str().ok())
        };
        let host = req.connection_info().host().to_owned();
        if is_cross_site(header("sec-fetch-site"), header("origin"), &host) {
            let refusal = PageError::from(AppError::Forbidden(
                "This form was sent from another site, so nothing was saved.",
            ));
            return Ok(refuse(req, refusal));
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// Whether a request's `Sec-Fetch-Site` and `Origin` say another site sent it to `host`.
fn is_cross_site(fetch_site: Option<&str>, origin: Option<&str>, host: &str) -> bool {
    if let Some(site) = fetch_site {
        // `none` is the user's own doing (typing an address, a bookmark).
        if !matches!(site, "same-origin" | "none") {
            return true;
        }
    }
    match origin {
        None => false,
        Some(origin) => origin
            .split_once("://")
            .is_none_or(|(_, authority)| !authority.eq_ignore_ascii_case(host)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_error_summary_names_fields_by_label_in_the_forms_order() {
        let errors = vec![
            FieldError::new("as_of.go", "cannot be in the future"),
            FieldError::new("csrf", "is stale"),
            FieldError::new("name", "is required"),
        ];
        let form = FormState::with_errors(Fields::default(), errors)
            .labelled([("name", "Name"), ("as_of.go", "Go: the as-of date")]);
        let names: Vec<&str> = form.errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["name", "as_of.go", "csrf"], "unlabelled ones last");
        assert_eq!(form.label_of("as_of.go"), "Go: the as-of date");
        assert_eq!(form.label_of("published_on"), "published on");
    }

    #[test]
    fn forms_keep_repeated_names_and_trim() {
        let fields = Fields::parse(b"name=+Rust+&sources=1&sources=2&sources=&x=%3Cb%3E");
        assert_eq!(fields.get("name"), "Rust");
        assert_eq!(fields.all("sources").collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(fields.get("x"), "<b>");
        assert_eq!(fields.get("missing"), "");
    }

    #[test]
    fn json_members_become_fields() {
        let body = json!({"name": "Rust", "score": 4, "sources": [1, 2], "scale": null});
        let fields = Fields::from_json(&body, &["name", "score", "sources", "scale"]).unwrap();
        assert_eq!(fields.get("score"), "4");
        assert_eq!(fields.all("sources").collect::<Vec<_>>(), ["1", "2"]);
        assert!(fields.has("scale"));
        assert_eq!(fields.get("scale"), "");
    }

    #[test]
    fn json_refuses_unknown_members_and_nested_objects() {
        let errors =
            Fields::from_json(&json!({"nmae": "x", "name": {"a": 1}}), &["name"]).unwrap_err();
        let names: Vec<_> = errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["nmae", "name"]);
        assert!(Fields::from_json(&json!([1]), &["name"]).is_err());
    }

    #[test]
    fn control_characters_are_named_wherever_they_are() {
        let fields = Fields::parse(b"name=a%00&name=b&summary=a%09b%0D%0Ac&x%01=1");
        let names: Vec<_> = fields
            .refused_characters()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["name", "x\\u{1}"]);

        let body = json!({
            "title": "fine\ttab\r\n",
            "drivers": ["a", "b\u{0}"],
            "nested": {"deep": [{"k": "\u{7f}"}]},
            "key": {"bad\u{1}": 1},
            "count": 3,
            "bad\u{0}name": null,
        });
        let names: Vec<_> = json_refused_characters(&body)
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["drivers", "nested", "key", "bad\\u{0}name"]);
        assert_eq!(json_refused_characters(&json!(["\u{0}"]))[0].name, "body");
        assert!(json_refused_characters(&json!({"a": ["\t", {"b": "\n"}]})).is_empty());
    }

    #[test]
    fn only_an_overflow_is_too_large() {
        let too_large = body_error(PayloadError::Overflow.into());
        assert!(matches!(too_large, AppError::BodyTooLarge));
        let corrupt = body_error(PayloadError::EncodingCorrupted.into());
        assert!(matches!(corrupt, AppError::MalformedBody(_)));
        let io = body_error(PayloadError::Io(std::io::Error::other("bad gzip")).into());
        assert!(matches!(io, AppError::MalformedBody(_)));
    }

    #[test]
    fn requests_from_other_sites_are_recognised() {
        let host = "verdict.example:8080";
        assert!(!is_cross_site(None, None, host));
        assert!(!is_cross_site(
            Some("same-origin"),
            Some("https://verdict.example:8080"),
            host
        ));
        assert!(!is_cross_site(Some("none"), None, host));
        assert!(is_cross_site(Some("cross-site"), None, host));
        assert!(is_cross_site(Some("same-site"), None, host));
        assert!(is_cross_site(None, Some("https://evil.example"), host));
        assert!(is_cross_site(None, Some("https://verdict.example"), host));
        assert!(is_cross_site(None, Some("null"), host));
    }

    #[test]
    fn patches_replace_whole_fields() {
        let base = Fields::parse(b"name=Rust&sources=1&sources=2&summary=old");
        let patch = Fields::from_json(
            &json!({"sources": [], "summary": "new"}),
            &["sources", "summary"],
        )
        .unwrap();
        let merged = patch.over(base);
        assert_eq!(merged.get("name"), "Rust");
        assert_eq!(merged.get("summary"), "new");
        assert_eq!(merged.all("sources").count(), 0);
    }
}
