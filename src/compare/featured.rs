//! The comparisons the home page and the form offer.

use std::collections::HashMap;

use diesel::QueryResult;

use crate::catalog::model::TechnologyItem;
use crate::catalog::queries;
use crate::compare::selection;
use crate::db::DbConnection;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::selection::Selection;

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
