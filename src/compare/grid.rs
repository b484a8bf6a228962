//! The comparison grid: one row per dimension, one cell per technology, and whether the
//! technologies differ on each row. Built from what the catalog's queries load; the pages
//! show it and the API answers with it as it is.

use std::collections::HashMap;

use serde::Serialize;

use crate::catalog::model::{DimensionRef, Fact, TechnologyItem};
use crate::compare::selection::{self, Selection};

#[derive(Debug, Clone, Serialize)]
pub struct Grid {
    /// The comparison's page.
    pub canonical: String,
    /// The columns, in the selection's order.
    pub technologies: Vec<TechnologyItem>,
    pub rows: Vec<Row>,
    /// How many rows differ.
    pub differences: usize,
}

/// A dimension: every technology's fact on it, or the lack of one.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub dimension: DimensionRef,
    /// Whether the cells are not all the same in score and text. A fact beside no fact
    /// differs; no fact anywhere does not.
    pub differs: bool,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// The technology's slug.
    pub technology: String,
    pub fact: Option<Fact>,
}

/// The grid of `selection` over every dimension (in the order given), or the slugs of the
/// selection the catalog has no technology for. `technologies` and `facts` may come in any
/// order; facts on technologies or dimensions outside the grid are left out.
pub fn build(
    selection: &Selection,
    technologies: Vec<TechnologyItem>,
    dimensions: Vec<DimensionRef>,
    facts: Vec<Fact>,
) -> Result<Grid, Vec<String>> {
    let mut found: HashMap<String, TechnologyItem> = technologies
        .into_iter()
        .map(|technology| (technology.slug.clone(), technology))
        .collect();
    let unknown: Vec<String> = selection
        .slugs()
        .filter(|slug| !found.contains_key(*slug))
        .map(str::to_owned)
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let columns: Vec<TechnologyItem> = selection
        .slugs()
        .filter_map(|slug| found.remove(slug))
        .collect();

    let mut by_cell: HashMap<(String, String), Fact> = facts
        .into_iter()
        .map(|fact| {
            (
                (fact.dimension.slug.clone(), fact.technology.slug.clone()),
                fact,
            )
        })
        .collect();
    let rows: Vec<Row> = dimensions
        .into_iter()
        .map(|dimension| {
            let cells: Vec<Cell> = columns
                .iter()
                .map(|technology| Cell {
                    technology: technology.slug.clone(),
                    fact: by_cell.remove(&(dimension.slug.clone(), technology.slug.clone())),
                })
                .collect();
            Row {
                differs: differ(&cells),
                dimension,
                cells,
            }
        })
        .collect();
    Ok(Grid {
        canonical: selection.path(),
        technologies: columns,
        differences: rows.iter().filter(|row| row.differs).count(),
        rows,
    })
}

/// Whether the cells are not all equal in (score, text).
fn differ(cells: &[Cell]) -> bool {
    let mut all = cells.iter().map(|cell| {
        cell.fact
            .as_ref()
            .map(|fact| (fact.score, fact.text.as_str()))
    });
    match all.next() {
        Some(first) => all.any(|other| other != first),
        None => false,
    }
}

impl Grid {
    /// Keeps only the rows that differ.
    pub fn retain_differences(&mut self) {
        self.rows.retain(|row| row.differs);
    }

    /// The technologies' names joined by "vs", for titles.
    pub fn title(&self) -> String {
        let names: Vec<&str> = self
            .technologies
            .iter()
            .map(|technology| technology.name.as_str())
            .collect();
        names.join(" vs ")
    }

    /// The advisor, with these technologies as its candidates.
    pub fn advisor_href(&self) -> String {
        selection::advisor_href(self.technologies.iter().map(|t| t.slug.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::catalog::model::{Confidence, Kind, TechnologyRef};

    fn technology(slug: &str) -> TechnologyItem {
        TechnologyItem {
            slug: slug.into(),
            name: slug.to_uppercase(),
            kind: Kind::Language,
            language: None,
            summary: String::new(),
        }
    }

    fn dimension(slug: &str) -> DimensionRef {
        DimensionRef {
            slug: slug.into(),
            name: slug.into(),
            scale: None,
        }
    }

    fn fact(technology: &str, dimension_slug: &str, score: Option<i32>, text: &str) -> Fact {
        Fact {
            technology: TechnologyRef {
                slug: technology.into(),
                name: technology.to_uppercase(),
                kind: Kind::Language,
            },
            dimension: dimension(dimension_slug),
            score,
            text: text.into(),
            as_of: NaiveDate::from_ymd_opt(2026, 11, 21).expect("a date"),
            confidence: Confidence::High,
            sources: Vec::new(),
        }
    }

    fn selection(segment: &str) -> Selection {
        Selection::from_segment(segment).expect("a selection")
    }

    fn row<'a>(grid: &'a Grid, dimension: &str) -> &'a Row {
        grid.rows
            .iter()
            .find(|row| row.dimension.slug == dimension)
            .expect("a row")
    }

    #[test]
    fn rows_differ_when_score_or_text_differ() {
        let grid = build(
            &selection("go-vs-rust"),
            vec![technology("rust"), technology("go")],
            ["speed", "safety", "steward", "build", "nothing"]
                .map(dimension)
                .to_vec(),
            vec![
                fact("go", "speed", Some(4), "fast"),
                fact("rust", "speed", Some(5), "fast"),
                fact("go", "safety", Some(4), "safe"),
                fact("rust", "safety", Some(4), "safer"),
                fact("go", "steward", None, "a company"),
                fact("rust", "steward", None, "a company"),
                fact("rust", "build", Some(2), "slow"),
            ],
        )
        .expect("both known");
        assert_eq!(grid.canonical, "/compare/go-vs-rust");
        let columns: Vec<&str> = grid.technologies.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(columns, ["go", "rust"], "in the selection's order");
        assert!(row(&grid, "speed").differs, "scores differ");
        assert!(row(&grid, "safety").differs, "texts differ");
        assert!(!row(&grid, "steward").differs, "the same text, no score");
        let build_row = row(&grid, "build");
        assert!(build_row.differs, "a fact beside no fact");
        assert!(build_row.cells[0].fact.is_none());
        assert_eq!(build_row.cells[0].technology, "go");
        assert_eq!(
            build_row.cells[1].fact.as_ref().map(|f| f.score),
            Some(Some(2))
        );
        let nothing = row(&grid, "nothing");
        assert!(!nothing.differs, "no fact anywhere is no difference");
        assert!(nothing.cells.iter().all(|cell| cell.fact.is_none()));
        assert_eq!(grid.differences, 3);
        assert_eq!(grid.title(), "GO vs RUST");
    }

    #[test]
    fn every_dimension_is_a_row_in_order() {
        let dimensions = ["c", "a", "b"].map(dimension).to_vec();
        let grid = build(
            &selection("x-vs-y-vs-z"),
            vec![technology("z"), technology("x"), technology("y")],
            dimensions,
            vec![
                fact("y", "a", Some(3), "same"),
                fact("x", "a", Some(3), "same"),
                fact("z", "a", Some(3), "same"),
                // Outside the grid: another technology, another dimension.
                fact("w", "a", Some(1), "other"),
                fact("x", "gone", Some(1), "other"),
            ],
        )
        .expect("all known");
        let order: Vec<&str> = grid
            .rows
            .iter()
            .map(|row| row.dimension.slug.as_str())
            .collect();
        assert_eq!(order, ["c", "a", "b"]);
        assert!(grid.rows.iter().all(|row| row.cells.len() == 3));
        assert!(!row(&grid, "a").differs, "all three agree");
        assert_eq!(grid.differences, 0);
    }

    #[test]
    fn unknown_technologies_are_named() {
        let unknown = build(
            &selection("go-vs-nope-vs-rust-vs-zig"),
            vec![technology("go"), technology("rust")],
            Vec::new(),
            Vec::new(),
        )
        .expect_err("two are unknown");
        assert_eq!(unknown, ["nope", "zig"]);
    }

    #[test]
    fn only_the_differences_can_be_kept() {
        let mut grid = build(
            &selection("go-vs-rust"),
            vec![technology("go"), technology("rust")],
            ["a", "b", "c"].map(dimension).to_vec(),
            vec![
                fact("go", "a", Some(1), "x"),
                fact("rust", "b", Some(1), "x"),
                fact("go", "b", Some(1), "x"),
            ],
        )
        .expect("known");
        grid.retain_differences();
        let kept: Vec<&str> = grid
            .rows
            .iter()
            .map(|row| row.dimension.slug.as_str())
            .collect();
        assert_eq!(kept, ["a"]);
        assert_eq!(grid.differences, 1);
    }
}
