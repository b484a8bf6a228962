//! Side-by-side comparison of 2 to 4 technologies on every dimension: the page at its one
//! canonical address (`/compare/go-vs-rust`), the form that picks them, and the same grid
//! as JSON. It reads the catalog; it writes nothing.

pub mod api;
pub mod grid;
pub mod pages;
pub mod selection;

use std::collections::HashMap;

use actix_web::web;
use diesel::QueryResult;

use crate::benchmarks::queries::{self as benchmarks, ScenarioComparison};
use crate::catalog::model::TechnologyItem;
use crate::catalog::queries;
use crate::compare::grid::Grid;
use crate::compare::selection::Selection;
use crate::db::DbConnection;
use crate::web::error::FieldError;
use crate::web::params::Params;
use crate::web::{api as resource, page};

pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/compare", pages::form))
        .service(page("/compare/{slugs}", pages::comparison));
}

pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/compare", api::compare));
}

/// The comparison the demo question is about: the home page offers it first.
pub const HEADLINE: &[&str] = &["go", "rust"];

/// Comparisons the home page and the form offer, each in canonical order. Those naming a
/// technology the catalog lacks are not shown.
pub const FEATURED: [&[&str]; 4] = [
    HEADLINE,
    &["actix-web", "gin"],
    &["actix-web", "axum"],
    &["echo", "fiber", "gin"],
];

/// A featured comparison as a link.
#[derive(Debug, Clone)]
pub struct Featured {
    slugs: &'static [&'static str],
    pub href: String,
    /// "Go vs Rust".
    pub title: String,
    /// "Go and Rust".
    pub names: String,
}

impl Featured {
    pub fn is_headline(&self) -> bool {
        self.slugs == HEADLINE
    }
}

/// The featured comparisons whose technologies are all among `available` (slug, name).
pub fn featured<'a>(available: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Featured> {
    let names: HashMap<&str, &str> = available.into_iter().collect();
    FEATURED
        .iter()
        .filter_map(|&slugs| {
            let found = slugs
                .iter()
                .map(|slug| names.get(slug).copied())
                .collect::<Option<Vec<&str>>>()?;
            let (last, rest) = found.split_last()?;
            Some(Featured {
                slugs,
                href: format!("/compare/{}", slugs.join(selection::SEPARATOR)),
                title: found.join(" vs "),
                names: format!("{} and {last}", rest.join(", ")),
            })
        })
        .collect()
}

/// Every slug a featured comparison names, for the one query that finds which exist.
fn featured_slugs() -> Vec<String> {
    let mut slugs: Vec<String> = FEATURED
        .iter()
        .flat_map(|slugs| slugs.iter().map(|slug| (*slug).to_owned()))
        .collect();
    slugs.sort_unstable();
    slugs.dedup();
    slugs
}

/// The featured comparisons the catalog can show: one query.
pub fn available_featured(conn: &mut DbConnection) -> QueryResult<Vec<Featured>> {
    let found: Vec<TechnologyItem> = queries::technologies_by_slugs(conn, &featured_slugs())?;
    Ok(featured(
        found.iter().map(|t| (t.slug.as_str(), t.name.as_str())),
    ))
}

/// A comparison's grid, and one row per scenario in which one of its technologies has a
/// benchmark result.
pub type Comparison = (Grid, Vec<ScenarioComparison>);

/// The grid of `selection` and the benchmark evidence on its technologies, or the slugs the
/// catalog has no technology for. Eight queries at most, whatever the number of
/// technologies, dimensions and results; when a technology is unknown, one.
pub fn load(
    conn: &mut DbConnection,
    selection: &Selection,
) -> QueryResult<Result<Comparison, Vec<String>>> {
    let slugs = selection.to_strings();
    let technologies = queries::technologies_by_slugs(conn, &slugs)?;
    if technologies.len() < slugs.len() {
        return Ok(grid::build(selection, technologies, Vec::new(), Vec::new())
            .map(|grid| (grid, Vec::new())));
    }
    // The dimension list is curated and short, so the grid shows all of it.
    let dimensions = queries::all_dimensions(conn)?;
    let facts = queries::facts_of_technologies(conn, &slugs)?;
    let benchmarks = benchmarks::comparison(conn, &slugs)?;
    Ok(grid::build(selection, technologies, dimensions, facts).map(|grid| (grid, benchmarks)))
}

/// `?only=differences`: whether to show only the rows that differ. Any other value is
/// noted in `errors`.
fn only_differences(params: &Params, errors: &mut Vec<FieldError>) -> bool {
    params
        .parsed("only", errors, |value| match value {
            "differences" => Ok(true),
            _ => Err(format!("must be `differences`, not `{value}`")),
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn featured_comparisons_are_canonical() {
        for slugs in FEATURED {
            let selection = Selection::parse(slugs.iter().copied()).expect("2 to 4 slugs");
            assert_eq!(selection.segment(), slugs.join(selection::SEPARATOR));
        }
    }

    #[test]
    fn featured_comparisons_need_every_technology() {
        let all = featured([
            ("go", "Go"),
            ("rust", "Rust"),
            ("gin", "Gin"),
            ("echo", "Echo"),
            ("fiber", "Fiber"),
        ]);
        let hrefs: Vec<&str> = all.iter().map(|f| f.href.as_str()).collect();
        assert_eq!(
            hrefs,
            ["/compare/go-vs-rust", "/compare/echo-vs-fiber-vs-gin"]
        );
        assert_eq!(all[1].title, "Echo vs Fiber vs Gin");
        assert_eq!(all[1].names, "Echo, Fiber and Gin");
        assert_eq!(all[0].names, "Go and Rust");
        assert!(all[0].is_headline() && !all[1].is_headline());
        assert!(featured([]).is_empty());
        let slugs = featured_slugs();
        assert_eq!(slugs.len(), 7);
        assert!(slugs.windows(2).all(|w| w[0] < w[1]));
    }
}
