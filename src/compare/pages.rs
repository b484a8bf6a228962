//! The comparison's pages: the form at `/compare` and the grid at `/compare/{a}-vs-{b}`.

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::benchmarks::queries::ScenarioComparison;
use crate::catalog::model::{Kind, TechnologyRef, by_kind};
use crate::catalog::queries;
use crate::compare::comparison::{load, only_differences};
use crate::compare::featured::{Featured, available_featured};
use crate::compare::grid::Grid;
use crate::compare::selection::{self, Selection, SelectionError};
use crate::db::Db;
use crate::web::error::FieldError;
use crate::web::form::{Fields, FormState};
use crate::web::params::check;
use crate::web::{Layout, PageError, Params, render, render_with, see_other};

/// One of the form's four choices.
struct Picker {
    /// The select's id, and the name its errors go by ("first technology must be chosen").
    id: &'static str,
    label: &'static str,
    required: bool,
}

const PICKERS: [Picker; selection::MAX] = [
    Picker {
        id: "first_technology",
        label: "First technology",
        required: true,
    },
    Picker {
        id: "second_technology",
        label: "Second technology",
        required: true,
    },
    Picker {
        id: "third_technology",
        label: "Third technology (optional)",
        required: false,
    },
    Picker {
        id: "fourth_technology",
        label: "Fourth technology (optional)",
        required: false,
    },
];

#[derive(Template)]
#[template(path = "compare/form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    pickers: &'static [Picker],
    /// The technologies to choose from, by kind; `None` when there are too many to list,
    /// and each choice is a slug typed in.
    groups: Option<Vec<(Kind, Vec<TechnologyRef>)>>,
    featured: Vec<Featured>,
}

/// `/compare`: the form, or, once submitted (`?t=go&t=rust`), a redirect to the comparison.
/// A single `t` (the technology pages' "Compare with…" link) only preselects the first choice:
/// the form itself always sends all four.
pub async fn form(
    layout: Layout,
    db: web::Data<Db>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let query = Fields::parse(req.query_string().as_bytes());
    // Slugs are lower case; one typed in (as a large catalog's form asks) may not be.
    let typed: Vec<String> = query
        .pairs()
        .iter()
        .filter(|(name, _)| name == "t")
        .map(|(_, value)| value.trim().to_lowercase())
        .collect();
    let values: Vec<&str> = typed.iter().map(String::as_str).collect();
    let asked = typed.clone();
    let (listed, found, featured) = db
        .run(move |conn| {
            let listed = queries::listed_technologies(conn, None, queries::LISTED)?;
            let found = queries::technologies_by_slugs(conn, &asked)?;
            Ok((listed, found, available_featured(conn)?))
        })
        .await?;
    let slugs: HashSet<&str> = found.iter().map(|t| t.slug.as_str()).collect();
    let exists = |slug: &str| slugs.contains(slug);
    let problems = if values.len() > 1 {
        match selection::picks(&values, exists) {
            Ok(selection) => return Ok(see_other(&selection.path())),
            Err(problems) => problems,
        }
    } else {
        selection::unknown_picks(&values, exists)
    };
    let chosen = PICKERS
        .iter()
        .zip(values.iter().chain(std::iter::repeat(&"")))
        .map(|(picker, value)| (picker.id, *value));
    let errors: Vec<FieldError> = problems
        .into_iter()
        .filter_map(|problem| {
            let picker = PICKERS.get(problem.position)?;
            Some(FieldError::new(picker.id, problem.detail))
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = FormPage {
        layout,
        form: FormState::with_errors(Fields::new(chosen), errors)
            .labelled(PICKERS.iter().map(|picker| (picker.id, picker.label))),
        pickers: &PICKERS,
        groups: listed.map(by_kind),
        featured,
    };
    Ok(render_with(status, &page)?)
}

#[derive(Template)]
#[template(path = "compare/comparison.html")]
struct ComparisonPage {
    layout: Layout,
    grid: Grid,
    /// One row per scenario in which one of the technologies has a result.
    benchmarks: Vec<ScenarioComparison>,
    only_differences: bool,
    /// How many dimensions there are, shown or not.
    dimensions: usize,
    /// The same comparison as JSON.
    api: String,
}

/// Why there is no comparison at an address.
enum Missing {
    Unknown(Vec<String>),
    TooFew,
    TooMany(usize),
    Malformed,
}

#[derive(Template)]
#[template(path = "compare/missing.html")]
struct MissingPage {
    layout: Layout,
    missing: Missing,
}

fn not_found(layout: Layout, missing: Missing) -> Result<HttpResponse, PageError> {
    Ok(render_with(
        StatusCode::NOT_FOUND,
        &MissingPage { layout, missing },
    )?)
}

/// `/compare/{a}-vs-{b}[-vs-…]`: the grid, at its canonical address only.
pub async fn comparison(
    layout: Layout,
    db: web::Data<Db>,
    path: web::Path<String>,
    req: HttpRequest,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let selection = match Selection::from_segment(&path) {
        Ok(selection) => selection,
        Err(SelectionError::NotASlug(value)) if value.is_empty() => {
            return not_found(layout, Missing::Malformed);
        }
        Err(SelectionError::NotASlug(value)) => {
            return not_found(layout, Missing::Unknown(vec![value]));
        }
        Err(SelectionError::TooFew) => return not_found(layout, Missing::TooFew),
        Err(SelectionError::TooMany(n)) => return not_found(layout, Missing::TooMany(n)),
    };
    if selection.segment() != path.as_str() {
        let location = match req.query_string() {
            "" => selection.path(),
            query => format!("{}?{query}", selection.path()),
        };
        return Ok(HttpResponse::MovedPermanently()
            .insert_header((LOCATION, location))
            .finish());
    }
    let mut errors = Vec::new();
    let only = only_differences(&params, &mut errors);
    check(errors)?;
    let api = {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(selection.slugs().map(|slug| ("t", slug)));
        format!("/api/v1/compare?{}", query.finish())
    };
    let loaded = db.run(move |conn| load(conn, &selection)).await?;
    let (mut grid, benchmarks) = match loaded {
        Ok(loaded) => loaded,
        Err(unknown) => return not_found(layout, Missing::Unknown(unknown)),
    };
    let dimensions = grid.rows.len();
    if only {
        grid.retain_differences();
    }
    Ok(render(&ComparisonPage {
        layout,
        grid,
        benchmarks,
        only_differences: only,
        dimensions,
        api,
    })?)
}
