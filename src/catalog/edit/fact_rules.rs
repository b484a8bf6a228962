//! The rules a fact's fields follow, for the API and the grid alike: a pure check of the
//! submitted fields against what the database said about them.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::catalog::model::Confidence;
use crate::editing::rules::{self, Check};
use crate::web::error::FieldError;
use crate::web::form::Fields;

/// A fact's fields, checked: also what is stored.
pub struct Fact {
    pub(super) technology_id: i32,
    pub(super) dimension_id: i32,
    pub(super) score: Option<i32>,
    pub(super) text: String,
    pub(super) as_of: NaiveDate,
    pub(super) confidence: Confidence,
    pub(super) sources: BTreeSet<i32>,
}

/// What the database says about a fact's fields, looked up before they are checked.
pub(super) struct Found<'a> {
    pub(super) technology: Option<i32>,
    /// The dimension's id, and its scale (`None`: descriptive).
    pub(super) dimension: Option<(i32, Option<String>)>,
    /// For a fact being replaced: its technology and dimension.
    pub(super) was: Option<(i32, i32)>,
    /// Which of the cited source ids exist.
    pub(super) known_sources: &'a BTreeSet<i32>,
    pub(super) today: NaiveDate,
}

/// Checks a fact's fields against what was found: a pure function.
pub(super) fn parse(fields: &Fields, found: &Found) -> Result<Fact, Vec<FieldError>> {
    let mut check = Check::default();
    let technology = match (fields.get("technology"), found.technology) {
        ("", _) => {
            check.fail("technology", "is required");
            None
        }
        (slug, None) => {
            check.fail("technology", format!("there is no technology `{slug}`"));
            None
        }
        (_, id) => id,
    };
    let dimension = match (fields.get("dimension"), &found.dimension) {
        ("", _) => {
            check.fail("dimension", "is required");
            None
        }
        (slug, None) => {
            check.fail("dimension", format!("there is no dimension `{slug}`"));
            None
        }
        (_, Some(dimension)) => Some(dimension),
    };
    if let (Some(was), Some(technology), Some((dimension, _))) = (found.was, technology, dimension)
        && was != (technology, *dimension)
    {
        check.fail(
            "dimension",
            "cannot change: delete this fact and add one for the other technology or dimension",
        );
    }
    let scored = dimension.is_some_and(|(_, scale)| scale.is_some());
    let score = match (fields.get("score"), scored) {
        ("", false) => Some(None),
        ("", true) => {
            check.fail("score", "is required: this dimension is scored from 1 to 5");
            None
        }
        (_, false) if dimension.is_some() => {
            check.fail(
                "score",
                "must be empty: this dimension is descriptive, not scored",
            );
            None
        }
        (value, _) => check.field("score", rules::number(value, 1, 5)).map(Some),
    };
    let text = check.field("text", rules::required(fields.get("text"), 4000));
    let as_of = check.field("as_of", rules::past_date(fields.get("as_of"), found.today));
    let confidence = match fields.get("confidence") {
        "" => {
            check.fail("confidence", "is required");
            None
        }
        value => check.field("confidence", Confidence::parse(value)),
    };
    let sources = cited_sources(&mut check, fields, found.known_sources);
    let fact = (|| {
        Some(Fact {
            technology_id: technology?,
            dimension_id: dimension?.0,
            score: score?,
            text: text?,
            as_of: as_of?,
            confidence: confidence?,
            sources: sources?,
        })
    })();
    check.finish(fact)
}

/// The sources a fact cites, by id: each must be known.
fn cited_sources(
    check: &mut Check,
    fields: &Fields,
    known: &BTreeSet<i32>,
) -> Option<BTreeSet<i32>> {
    let mut ids = BTreeSet::new();
    for value in fields.all("sources") {
        match value.parse::<i32>() {
            Ok(id) => {
                ids.insert(id);
            }
            Err(_) => {
                check.fail("sources", format!("must be source ids, not `{value}`"));
                return None;
            }
        }
    }
    let unknown: Vec<String> = ids.difference(known).map(i32::to_string).collect();
    if unknown.is_empty() {
        Some(ids)
    } else {
        check.fail(
            "sources",
            format!("there is no source {}", unknown.join(", ")),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields::new(pairs.iter().copied())
    }

    fn found<'a>(scale: Option<&str>, known: &'a BTreeSet<i32>) -> Found<'a> {
        Found {
            technology: Some(1),
            dimension: Some((7, scale.map(String::from))),
            was: None,
            known_sources: known,
            today: NaiveDate::from_ymd_opt(2026, 11, 21).expect("a date"),
        }
    }

    const GOOD: &[(&str, &str)] = &[
        ("technology", "rust"),
        ("dimension", "performance"),
        ("score", "5"),
        ("text", "Fast."),
        ("as_of", "2026-11-01"),
        ("confidence", "high"),
        ("sources", "2"),
        ("sources", "1"),
    ];

    fn errors(pairs: &[(&str, &str)], found: &Found) -> Vec<String> {
        match parse(&fields(pairs), found) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .into_iter()
                .map(|e| format!("{} {}", e.name, e.detail))
                .collect(),
        }
    }

    #[test]
    fn a_complete_fact_parses() {
        let known = BTreeSet::from([1, 2]);
        let fact = parse(&fields(GOOD), &found(Some("1 = slow"), &known)).expect("valid");
        assert_eq!(fact.score, Some(5));
        assert_eq!(fact.sources, BTreeSet::from([1, 2]));
        assert_eq!((fact.technology_id, fact.dimension_id), (1, 7));
    }

    #[test]
    fn scores_follow_the_dimension() {
        let known = BTreeSet::from([1, 2]);
        let mut unscored = GOOD.to_vec();
        unscored[2] = ("score", "");
        assert_eq!(
            errors(&unscored, &found(Some("1 = slow"), &known)),
            ["score is required: this dimension is scored from 1 to 5"]
        );
        assert!(errors(&unscored, &found(None, &known)).is_empty());
        assert_eq!(
            errors(GOOD, &found(None, &known)),
            ["score must be empty: this dimension is descriptive, not scored"]
        );
        let mut high = GOOD.to_vec();
        high[2] = ("score", "6");
        assert_eq!(errors(&high, &found(Some("s"), &known)).len(), 1);
    }

    #[test]
    fn every_field_is_checked_at_once() {
        let known = BTreeSet::from([1]);
        let bad = [
            ("technology", "rust"),
            ("dimension", "performance"),
            ("score", "x"),
            ("text", ""),
            ("as_of", "2027-01-01"),
            ("confidence", "certain"),
            ("sources", "1"),
            ("sources", "9"),
        ];
        let names: Vec<String> = errors(&bad, &found(Some("s"), &known))
            .into_iter()
            .map(|e| e.split(' ').next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(names, ["score", "text", "as_of", "confidence", "sources"]);
    }

    #[test]
    fn a_fact_cannot_move_to_another_dimension() {
        let known = BTreeSet::from([1, 2]);
        let mut moved = found(Some("s"), &known);
        moved.was = Some((1, 8));
        assert_eq!(errors(GOOD, &moved).len(), 1);
        moved.was = Some((1, 7));
        assert!(errors(GOOD, &moved).is_empty());
    }
}
