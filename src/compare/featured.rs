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
/// technology the catalog lacks, or with fewer than half their cells holding a fact, are not
/// shown.
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

    /// The advisor, with these technologies as its candidates.
    pub fn advisor_href(&self) -> String {
        selection::advisor_href(self.slugs.iter().copied())
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

/// The featured comparisons the catalog can show, and has mostly filled in: three queries.
pub fn available_featured(conn: &mut DbConnection) -> QueryResult<Vec<Featured>> {
    let found: Vec<TechnologyItem> = queries::technologies_by_slugs(conn, &featured_slugs())?;
    offered(
        conn,
        found.iter().map(|t| (t.slug.as_str(), t.name.as_str())),
    )
}

/// The featured comparisons whose technologies are all among `available` (slug, name) and
/// that the catalog has mostly filled in: two queries.
fn offered<'a>(
    conn: &mut DbConnection,
    available: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> QueryResult<Vec<Featured>> {
    let facts = queries::fact_counts(conn, &featured_slugs())?;
    let rows = queries::dimension_count(conn)?;
    Ok(featured(available)
        .into_iter()
        .filter(|f| mostly_filled(f.slugs, &facts, rows))
        .collect())
}

/// Whether at least half the cells of a comparison of `slugs` hold a fact, given each
/// technology's count of facts and the comparison's count of `rows` (a technology has at
/// most one fact a row).
fn mostly_filled(slugs: &[&str], facts: &HashMap<String, i64>, rows: i64) -> bool {
    let filled: i64 = slugs.iter().filter_map(|slug| facts.get(*slug)).sum();
    let cells = rows * slugs.len() as i64;
    cells > 0 && 2 * filled >= cells
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
    fn a_comparison_is_featured_when_half_its_cells_hold_facts() {
        let facts: HashMap<String, i64> = [("go".to_owned(), 19), ("gin".to_owned(), 1)].into();
        assert!(mostly_filled(&["go", "rust"], &facts, 19), "19 of 38");
        assert!(!mostly_filled(&["gin", "rust"], &facts, 19), "1 of 38");
        assert!(
            !mostly_filled(&["go", "gin", "rust"], &facts, 19),
            "20 of 57"
        );
        assert!(!mostly_filled(&["go", "rust"], &facts, 0), "no rows at all");
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
