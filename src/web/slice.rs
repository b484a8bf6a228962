//! Lists paged by keyset: a page starts after (or ends before) an item named by its key,
//! never at a numbered offset, so every page of a list of any length costs what the first
//! costs. The links between pages are first, prev, next and last (`rel` on the pages,
//! `links` in the JSON).
//!
//! `?after=KEY` is the page after that item, `?before=KEY` the page before it, `?page=last`
//! the last page; no cursor is the first page.

use serde::Serialize;

use crate::db::keyset::Side;
use crate::web::error::{AppError, FieldError};
use crate::web::params::{self, DEFAULT_PER_PAGE, MAX_PER_PAGE, Params};

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    First,
    After(String),
    Before(String),
    Last,
}

/// The page a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SliceRequest {
    pub position: Position,
    pub per_page: u32,
}

/// The longest key a cursor may hold (a slug).
const MAX_KEY_LEN: usize = 200;

/// The parameters that say where a page is, left out of the links that set them anew.
const POSITION_PARAMS: [&str; 3] = ["after", "before", "page"];

/// The first page.
impl Default for SliceRequest {
    fn default() -> Self {
        SliceRequest {
            position: Position::First,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl SliceRequest {
    /// `after`, `before`, `page=last` (or `page=1`: the first) and `per_page`, each bad one
    /// noted by name in `errors`.
    pub fn parse(params: &Params, errors: &mut Vec<FieldError>) -> Self {
        let key = |value: &str| {
            if value.len() > MAX_KEY_LEN {
                Err(format!("must be at most {MAX_KEY_LEN} characters"))
            } else {
                Ok(value.to_owned())
            }
        };
        let after = params.parsed("after", errors, key);
        let before = params.parsed("before", errors, key);
        let last = params
            .parsed("page", errors, |value| match value {
                "last" => Ok(true),
                "1" | "first" => Ok(false),
                _ => Err(format!(
                    "must be `last` or `1`, not `{value}`: the other pages are reached by the \
                     links `after` and `before`, from page to page"
                )),
            })
            .unwrap_or(false);
        let chosen = [after.is_some(), before.is_some(), last]
            .into_iter()
            .filter(|&given| given)
            .count();
        if chosen > 1 {
            errors.push(FieldError::new(
                "after",
                "give one of `after`, `before` and `page=last`, not several",
            ));
        }
        let position = match (after, before) {
            (Some(key), _) => Position::After(key),
            (None, Some(key)) => Position::Before(key),
            (None, None) if last => Position::Last,
            (None, None) => Position::First,
        };
        SliceRequest {
            position,
            per_page: params::per_page(params, errors),
        }
    }

    /// The parameters a link from this page keeps (`per_page`), for an answer made without
    /// the request's own.
    pub fn params(&self) -> Params {
        if self.per_page == DEFAULT_PER_PAGE {
            Params::default()
        } else {
            Params::parse(&format!("per_page={}", self.per_page))
        }
    }

    /// The cursor's key and side, if the page starts from an item.
    pub fn cursor(&self) -> Option<(Side, &str)> {
        match &self.position {
            Position::After(key) => Some((Side::After, key)),
            Position::Before(key) => Some((Side::Before, key)),
            Position::First | Position::Last => None,
        }
    }

    /// Whether the rows are read from the end of the list backwards (and turned round).
    pub fn backwards(&self) -> bool {
        matches!(self.position, Position::Before(_) | Position::Last)
    }

    /// How many rows to read: one more than a page, to know whether the list goes on.
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page.min(MAX_PER_PAGE)) + 1
    }

    /// The page from the rows read (in the reading order, at most [`Self::limit`]), and the
    /// list's total.
    pub fn slice<T>(&self, mut rows: Vec<T>, total: i64) -> Slice<T> {
        let per_page = self.per_page.min(MAX_PER_PAGE);
        let more = rows.len() > per_page as usize;
        rows.truncate(per_page as usize);
        let (more_before, more_after) = match self.position {
            Position::First => (false, more),
            Position::After(_) => (true, more),
            Position::Before(_) => (more, true),
            Position::Last => (more, false),
        };
        if self.backwards() {
            rows.reverse();
        }
        Slice {
            items: rows,
            per_page,
            total,
            more_before,
            more_after,
        }
    }
}

/// One page of a list and where the list goes on.
#[derive(Debug, Clone)]
pub struct Slice<T> {
    pub items: Vec<T>,
    pub per_page: u32,
    pub total: i64,
    more_before: bool,
    more_after: bool,
}

/// The links from a page to the others; `None` where there is nothing that way.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Links {
    pub first: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub last: Option<String>,
}

/// A page as the JSON API serves it.
#[derive(Debug, Clone, Serialize)]
pub struct Linked<T> {
    pub items: Vec<T>,
    pub per_page: u32,
    pub total: i64,
    pub links: Links,
}

impl<T> Slice<T> {
    /// The links to the neighbouring pages of this list at `path` with `params` (its filters
    /// kept), an item's key given by `key`.
    pub fn links(&self, path: &str, params: &Params, key: impl Fn(&T) -> &str) -> Links {
        let to =
            |name: &str, value: &str| params.with_position(path, &POSITION_PARAMS, name, value);
        let edge = |item: Option<&T>, name: &str| item.map(|item| to(name, key(item)));
        Links {
            first: self.more_before.then(|| to("", "")),
            prev: self
                .more_before
                .then(|| edge(self.items.first(), "before"))
                .flatten(),
            next: self
                .more_after
                .then(|| edge(self.items.last(), "after"))
                .flatten(),
            last: self.more_after.then(|| to("page", "last")),
        }
    }

    /// The page with its links, for the JSON API.
    pub fn linked(self, path: &str, params: &Params, key: impl Fn(&T) -> &str) -> Linked<T> {
        let links = self.links(path, params, key);
        Linked {
            items: self.items,
            per_page: self.per_page,
            total: self.total,
            links,
        }
    }
}

/// A cursor that names no item of the list: the page is empty.
pub fn check_found<T>(slice: &Slice<T>, request: &SliceRequest) -> Result<(), AppError> {
    match request.cursor() {
        Some((side, key)) if slice.items.is_empty() => {
            let parameter = match side {
                Side::After => "after",
                Side::Before => "before",
            };
            Err(AppError::InvalidParameters(vec![FieldError::new(
                parameter,
                format!("no page of this list starts next to `{key}`"),
            )]))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str) -> Result<SliceRequest, Vec<String>> {
        let mut errors = Vec::new();
        let request = SliceRequest::parse(&Params::parse(query), &mut errors);
        if errors.is_empty() {
            Ok(request)
        } else {
            Err(errors.into_iter().map(|e| e.name).collect())
        }
    }

    #[test]
    fn a_page_is_first_last_or_next_to_an_item() {
        assert_eq!(request("").map(|r| r.position), Ok(Position::First));
        assert_eq!(request("page=1").map(|r| r.position), Ok(Position::First));
        assert_eq!(request("page=last").map(|r| r.position), Ok(Position::Last));
        assert_eq!(
            request("after=rust").map(|r| r.position),
            Ok(Position::After("rust".into()))
        );
        assert_eq!(
            request("before=go&per_page=5").map(|r| (r.position, r.per_page)),
            Ok((Position::Before("go".into()), 5))
        );
        assert_eq!(request("page=2"), Err(vec!["page".into()]));
        assert_eq!(request("after=a&before=b"), Err(vec!["after".into()]));
        assert_eq!(request("after=a&page=last"), Err(vec!["after".into()]));
        assert_eq!(
            request(&format!("after={}", "x".repeat(201))),
            Err(vec!["after".into()])
        );
        assert_eq!(request("per_page=0"), Err(vec!["per_page".into()]));
    }

    fn sliced(query: &str, rows: &[&'static str]) -> (Vec<&'static str>, Links) {
        let request = request(query).expect("a valid request");
        let slice = request.slice(rows.to_vec(), 9);
        let links = slice.links("/things", &Params::parse(query), |item| item);
        (slice.items, links)
    }

    #[test]
    fn pages_link_to_their_neighbours() {
        // Three a page; rows as read, one more than a page when the list goes on.
        let (items, links) = sliced("per_page=3", &["a", "b", "c", "d"]);
        assert_eq!(items, ["a", "b", "c"]);
        assert_eq!(links.first, None);
        assert_eq!(links.prev, None);
        assert_eq!(links.next.as_deref(), Some("/things?per_page=3&after=c"));
        assert_eq!(links.last.as_deref(), Some("/things?per_page=3&page=last"));

        let (items, links) = sliced("per_page=3&after=c", &["d", "e", "f", "g"]);
        assert_eq!(items, ["d", "e", "f"]);
        assert_eq!(links.first.as_deref(), Some("/things?per_page=3"));
        assert_eq!(links.prev.as_deref(), Some("/things?per_page=3&before=d"));
        assert_eq!(links.next.as_deref(), Some("/things?per_page=3&after=f"));

        // Backwards: read from the end, shown in the list's order.
        let (items, links) = sliced("per_page=3&page=last", &["i", "h", "g", "f"]);
        assert_eq!(items, ["g", "h", "i"]);
        assert_eq!(links.prev.as_deref(), Some("/things?per_page=3&before=g"));
        assert_eq!(links.next, None);
        assert_eq!(links.last, None);

        let (items, links) = sliced("per_page=3&before=d", &["c", "b", "a"]);
        assert_eq!(items, ["a", "b", "c"]);
        assert_eq!(links.prev, None, "nothing before the first item");
        assert_eq!(links.next.as_deref(), Some("/things?per_page=3&after=c"));

        let (items, links) = sliced("", &[]);
        assert!(items.is_empty());
        assert_eq!((links.first, links.next), (None, None));
    }
}
