//! Query parameters, parsed by hand so that a bad one is named in the answer; the pagination
//! every list shares (`?page=`, `?per_page=`, capped); and the control characters no text
//! may hold, refused at the edge.

use std::future::{Ready, ready};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest};
use serde::Serialize;

use crate::web::error::{ApiError, AppError, FieldError, PageError};
use crate::web::respond::refuse;

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

/// The request's query parameters in order, repeats kept. Empty values count as absent, as
/// a form's "any" choice submits them.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl FromRequest for Params {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::parse(req.query_string())))
    }
}

impl Params {
    /// Decoding never fails: bytes that are not UTF-8 become U+FFFD, and a parameter that
    /// then means nothing is refused by name like any other bad value.
    pub fn parse(query: &str) -> Self {
        Self(
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The first non-empty value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// Every parameter with a value, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| (key.as_str(), value.as_str()))
    }

    /// Parses `name` with `parse`, noting a failure in `errors` under that name.
    pub fn parsed<T>(
        &self,
        name: &str,
        errors: &mut Vec<FieldError>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let value = self.get(name)?;
        parse(value)
            .map_err(|detail| errors.push(FieldError::new(name, detail)))
            .ok()
    }

    /// `page` and `per_page`; `per_page` above the cap is lowered to it.
    pub fn page_request(&self, errors: &mut Vec<FieldError>) -> PageRequest {
        PageRequest {
            page: self.parsed("page", errors, whole_number).unwrap_or(1),
            per_page: per_page(self, errors),
        }
    }

    /// A link to `path` with these parameters, `page` set to `page`.
    pub fn with_page(&self, path: &str, page: u32) -> String {
        let name = if page == 1 { "" } else { "page" };
        self.with_position(path, &["page"], name, &page.to_string())
    }

    /// A link to `path` with these parameters but those named `replaced`, and `name=value`
    /// last (nothing when `name` is empty).
    pub fn with_position(&self, path: &str, replaced: &[&str], name: &str, value: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(self.pairs().filter(|(key, _)| !replaced.contains(key)));
        if !name.is_empty() {
            query.append_pair(name, value);
        }
        match query.finish() {
            query if query.is_empty() => path.to_owned(),
            query => format!("{path}?{query}"),
        }
    }
}

/// `per_page`, lowered to the cap when above it.
pub fn per_page(params: &Params, errors: &mut Vec<FieldError>) -> u32 {
    params
        .parsed("per_page", errors, whole_number)
        .map_or(DEFAULT_PER_PAGE, |n| n.min(MAX_PER_PAGE))
}

fn whole_number(value: &str) -> Result<u32, String> {
    value
        .parse::<u32>()
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| format!("must be a whole number of at least 1, not `{value}`"))
}

/// Turns collected parameter problems into the 400 that names them.
pub fn check(errors: Vec<FieldError>) -> Result<(), AppError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::InvalidParameters(errors))
    }
}

/// Whether text may not hold `c`: a control character other than tab, CR and LF. PostgreSQL
/// cannot store NUL in text and SQLite can, so refusing them all where input arrives makes
/// both backends answer alike, and keeps invisible characters out of what readers see.
pub fn is_refused(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The first refused character in `text`.
pub fn first_refused(text: &str) -> Option<char> {
    text.chars().find(|&c| is_refused(c))
}

/// `c` as Unicode names it: `U+0000`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// The error naming `name` when it, or the text given under it, holds a refused character.
fn refused_characters(name: &str, text: &str) -> Option<FieldError> {
    let c = first_refused(name).or_else(|| first_refused(text))?;
    Some(refused_in(name, c))
}

/// An error for each input among `pairs` (named values, a name may repeat) whose name or a
/// value holds a refused character, each name once.
pub fn refused_pairs<N, V>(pairs: impl IntoIterator<Item = (N, V)>) -> Vec<FieldError>
where
    N: AsRef<str>,
    V: AsRef<str>,
{
    let mut errors: Vec<FieldError> = Vec::new();
    for (name, value) in pairs {
        if let Some(error) = refused_characters(name.as_ref(), value.as_ref())
            && !errors.iter().any(|e| e.name == error.name)
        {
            errors.push(error);
        }
    }
    errors
}

/// The error for input `name` holding the refused character `c`, the name shown printable.
pub fn refused_in(name: &str, c: char) -> FieldError {
    let name: String = name
        .chars()
        .map(|c| {
            if is_refused(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    FieldError::new(
        name,
        format!(
            "must not contain control characters (it holds {}); only tab, carriage return \
             and line feed are allowed",
            code_point(c)
        ),
    )
}

/// Middleware for every request: a query parameter (name or value, percent-decoded) holding
/// a refused character is a 400 naming it; a path holding one is a 400 too. Under `/api`
/// the refusal is a problem, elsewhere an error page.
pub async fn refuse_control_characters(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let errors = refused_pairs(form_urlencoded::parse(req.query_string().as_bytes()));
    let error = if !errors.is_empty() {
        AppError::InvalidParameters(errors)
    } else if percent_encoding::percent_decode_str(req.path())
        .decode_utf8_lossy()
        .chars()
        .any(is_refused)
    {
        AppError::InvalidPath
    } else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let api = req.path() == "/api" || req.path().starts_with("/api/");
    Ok(if api {
        refuse(req, ApiError::from(error))
    } else {
        refuse(req, PageError::from(error))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

/// The first page.
impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl PageRequest {
    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    /// This page of a list, with the list's total: known without counting when the page is
    /// partly filled (the list ends on it), counted by `count` otherwise.
    pub fn of<T, E>(
        self,
        items: Vec<T>,
        count: impl FnOnce() -> Result<i64, E>,
    ) -> Result<Paginated<T>, E> {
        let len = items.len() as i64;
        let ends_here = len < self.limit() && (len > 0 || self.page == 1);
        let total = if ends_here {
            self.offset() + len
        } else {
            count()?
        };
        Ok(Paginated {
            items,
            page: self.page,
            per_page: self.per_page,
            total,
        })
    }
}

/// One page of a list, as the JSON API returns it and the pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct Paginated<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

impl<T> Paginated<T> {
    /// The same page of something else made from each item.
    pub fn map<U>(self, item: impl FnMut(T) -> U) -> Paginated<U> {
        Paginated {
            items: self.items.into_iter().map(item).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        }
    }

    pub fn pages(&self) -> u32 {
        let per_page = i64::from(self.per_page.max(1));
        u32::try_from((self.total + per_page - 1) / per_page).unwrap_or(u32::MAX)
    }

    /// Links to the neighbouring pages, for the pager under a list. A page past the last
    /// (`?page=99` of a list of 19) is not found, and says where the last page is.
    pub fn pager(&self, path: &str, params: &Params) -> Result<Pager, AppError> {
        let pages = self.pages();
        let last = pages.max(1);
        if self.page > last {
            return Err(AppError::PastTheEnd {
                detail: format!(
                    "There is no page {} of this list: it ends at page {last}.",
                    self.page
                ),
                last: params.with_page(path, last),
            });
        }
        Ok(Pager {
            page: self.page,
            pages,
            prev: (self.page > 1).then(|| params.with_page(path, self.page - 1)),
            next: (self.page < pages).then(|| params.with_page(path, self.page + 1)),
        })
    }
}

#[derive(Debug, Clone)]
pub struct Pager {
    pub page: u32,
    pub pages: u32,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_default_and_cap() {
        let mut errors = Vec::new();
        let request = Params::parse("per_page=1000").page_request(&mut errors);
        assert_eq!(
            request,
            PageRequest {
                page: 1,
                per_page: MAX_PER_PAGE
            }
        );
        let request = Params::parse("").page_request(&mut errors);
        assert_eq!(request.per_page, DEFAULT_PER_PAGE);
        assert!(errors.is_empty());
        assert_eq!(
            PageRequest {
                page: 3,
                per_page: 20
            }
            .offset(),
            40
        );
    }

    #[test]
    fn bad_page_numbers_are_named() {
        for query in ["page=0", "page=-1", "page=two", "page=99999999999"] {
            let mut errors = Vec::new();
            Params::parse(query).page_request(&mut errors);
            assert_eq!(errors.len(), 1, "{query}");
            assert_eq!(errors[0].name, "page");
        }
        let mut errors = Vec::new();
        Params::parse("per_page=0&page=x").page_request(&mut errors);
        let names: Vec<_> = errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["page", "per_page"]);
    }

    #[test]
    fn empty_values_are_absent() {
        let params = Params::parse("kind=&language=go&kind=framework");
        assert_eq!(params.get("kind"), Some("framework"));
        assert_eq!(params.get("language"), Some("go"));
        assert_eq!(params.get("missing"), None);
    }

    #[test]
    fn pager_links_keep_the_filters() {
        let params = Params::parse("kind=framework&page=2&language=");
        let list = full_page(2, 10, 35);
        assert_eq!(list.pages(), 4);
        let pager = list
            .pager("/technologies", &params)
            .expect("within the list");
        assert_eq!(pager.prev.as_deref(), Some("/technologies?kind=framework"));
        assert_eq!(
            pager.next.as_deref(),
            Some("/technologies?kind=framework&page=3")
        );
        let last = PageRequest {
            page: 4,
            per_page: 10,
        }
        .of(vec![(); 5], unexpected_count)
        .expect("no count needed");
        assert_eq!(last.total, 35);
        let pager = last.pager("/technologies", &params).expect("the last page");
        assert!(pager.next.is_none());
    }

    fn unexpected_count() -> Result<i64, ()> {
        panic!("a partly filled page needs no count")
    }

    fn full_page(page: u32, per_page: u32, total: i64) -> Paginated<()> {
        PageRequest { page, per_page }
            .of(vec![(); per_page as usize], || Ok::<_, ()>(total))
            .expect("counted")
    }

    #[test]
    fn totals_are_counted_only_when_the_page_cannot_tell() {
        let first = PageRequest {
            page: 1,
            per_page: 20,
        };
        assert_eq!(
            first.of(vec![(); 18], unexpected_count).map(|p| p.total),
            Ok(18)
        );
        assert_eq!(
            first
                .of(Vec::<()>::new(), unexpected_count)
                .map(|p| p.total),
            Ok(0)
        );
        assert_eq!(full_page(1, 20, 57).total, 57);
        let beyond = PageRequest {
            page: 9,
            per_page: 20,
        };
        assert_eq!(
            beyond
                .of(Vec::<()>::new(), || Ok::<_, ()>(57))
                .map(|p| p.total),
            Ok(57)
        );
    }

    #[test]
    fn control_characters_but_tab_cr_and_lf_are_refused() {
        for c in ['\0', '\u{1}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}'] {
            assert!(is_refused(c), "{c:?}");
        }
        for c in [
            '\t', '\n', '\r', ' ', 'a', 'é', '\u{a0}', '\u{2028}', '\u{feff}',
        ] {
            assert!(!is_refused(c), "{c:?}");
        }
        assert_eq!(refused_characters("q", "a\tb\r\nc"), None);
        let error = refused_characters("scenario", "x\0").expect("refused");
        assert_eq!(error.name, "scenario");
        assert!(error.detail.contains("U+0000"), "{}", error.detail);
        let error = refused_characters("a\u{1}b", "").expect("refused");
        assert_eq!(error.name, "a\\u{1}b");
        assert!(error.detail.contains("U+0001"), "{}", error.detail);
    }

    #[test]
    fn links_are_encoded() {
        let params = Params::parse("q=a%26b+c");
        assert_eq!(params.get("q"), Some("a&b c"));
        assert_eq!(params.with_page("/s", 2), "/s?q=a%26b+c&page=2");
    }
}
