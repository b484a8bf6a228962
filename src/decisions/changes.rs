//! What has changed in the catalog since a decision was recorded: its snapshot of the
//! options' facts against the same technologies' facts now, fact by fact.

use chrono::NaiveDate;
use serde::Serialize;

use crate::decisions::snapshot::{FactSnapshot, OptionSnapshot};

/// One change to an option, or to one of its facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogChange {
    /// The technology's slug, and its name as the decision recorded it.
    pub technology: String,
    pub technology_name: String,
    /// The dimension of the fact that changed (`None`: the technology itself changed).
    pub dimension: Option<String>,
    pub dimension_name: Option<String>,
    #[serde(flatten)]
    pub what: What,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum What {
    TechnologyRenamed {
        before: String,
        after: String,
    },
    TechnologyDeleted,
    FactAdded {
        score: Option<i32>,
        text: String,
    },
    FactRemoved {
        score: Option<i32>,
        text: String,
    },
    Score {
        before: Option<i32>,
        after: Option<i32>,
    },
    Text {
        before: String,
        after: String,
    },
    AsOf {
        before: NaiveDate,
        after: NaiveDate,
    },
    Confidence {
        before: String,
        after: String,
    },
    SourceAdded {
        title: String,
    },
    SourceRemoved {
        title: String,
    },
}

/// The changes from `recorded` (a decision's snapshot of its options) to `now` (the same
/// technologies as the catalog has them now; a technology missing there was deleted, or its
/// slug changed). Technologies in the recorded order, each fact in its recorded order, then
/// the facts that are new.
pub fn changes_since(recorded: &[OptionSnapshot], now: &[OptionSnapshot]) -> Vec<CatalogChange> {
    let mut changes = Vec::new();
    for option in recorded {
        let change = |dimension: Option<(&str, &str)>, what: What| CatalogChange {
            technology: option.slug.clone(),
            technology_name: option.name.clone(),
            dimension: dimension.map(|(slug, _)| slug.to_owned()),
            dimension_name: dimension.map(|(_, name)| name.to_owned()),
            what,
        };
        let Some(current) = now.iter().find(|o| o.slug == option.slug) else {
            changes.push(change(None, What::TechnologyDeleted));
            continue;
        };
        if current.name != option.name {
            changes.push(change(
                None,
                What::TechnologyRenamed {
                    before: option.name.clone(),
                    after: current.name.clone(),
                },
            ));
        }
        for fact in &option.facts {
            let dimension = Some((fact.dimension.slug.as_str(), fact.dimension.name.as_str()));
            match current.fact(&fact.dimension.slug) {
                None => changes.push(change(
                    dimension,
                    What::FactRemoved {
                        score: fact.score,
                        text: fact.text.clone(),
                    },
                )),
                Some(later) => changes.extend(
                    fact_changes(fact, later)
                        .into_iter()
                        .map(|what| change(dimension, what)),
                ),
            }
        }
        for fact in &current.facts {
            if option.fact(&fact.dimension.slug).is_none() {
                changes.push(change(
                    Some((&fact.dimension.slug, &fact.dimension.name)),
                    What::FactAdded {
                        score: fact.score,
                        text: fact.text.clone(),
                    },
                ));
            }
        }
    }
    changes
}

/// How one fact differs between two versions of it.
fn fact_changes(before: &FactSnapshot, after: &FactSnapshot) -> Vec<What> {
    let mut changes = Vec::new();
    if before.score != after.score {
        changes.push(What::Score {
            before: before.score,
            after: after.score,
        });
    }
    if before.text != after.text {
        changes.push(What::Text {
            before: before.text.clone(),
            after: after.text.clone(),
        });
    }
    if before.as_of != after.as_of {
        changes.push(What::AsOf {
            before: before.as_of,
            after: after.as_of,
        });
    }
    if before.confidence != after.confidence {
        changes.push(What::Confidence {
            before: before.confidence.clone(),
            after: after.confidence.clone(),
        });
    }
    for source in &after.sources {
        if !before.sources.iter().any(|s| s.id == source.id) {
            changes.push(What::SourceAdded {
                title: source.title.clone(),
            });
        }
    }
    for source in &before.sources {
        if !after.sources.iter().any(|s| s.id == source.id) {
            changes.push(What::SourceRemoved {
                title: source.title.clone(),
            });
        }
    }
    changes
}

/// A score as a sentence shows it.
fn score(value: Option<i32>) -> String {
    match value {
        Some(score) => format!("{score} / 5"),
        None => "no score".to_owned(),
    }
}

impl CatalogChange {
    /// What changed, in a few words.
    pub fn summary(&self) -> String {
        match &self.what {
            What::TechnologyRenamed { before, after } => {
                format!("Renamed from “{before}” to “{after}”")
            }
            What::TechnologyDeleted => "No longer in the catalog".to_owned(),
            What::FactAdded { score: s, .. } => format!("New fact ({})", score(*s)),
            What::FactRemoved { score: s, .. } => {
                format!("Fact removed (it had {})", score(*s))
            }
            What::Score { before, after } => {
                format!("Score {} → {}", score(*before), score(*after))
            }
            What::Text { .. } => "Text changed".to_owned(),
            What::AsOf { before, after } => format!("As of {before} → {after}"),
            What::Confidence { before, after } => format!("Confidence {before} → {after}"),
            What::SourceAdded { title } => format!("Source added: “{title}”"),
            What::SourceRemoved { title } => format!("Source removed: “{title}”"),
        }
    }

    /// For a fact whose text changed, or that is new or gone: the text before and after.
    pub fn texts(&self) -> Option<(&str, &str)> {
        match &self.what {
            What::Text { before, after } => Some((before, after)),
            What::FactAdded { text, .. } => Some(("", text)),
            What::FactRemoved { text, .. } => Some((text, "")),
            _ => None,
        }
    }

    /// Whom the change concerns: `Rust · Performance`, or `Rust`.
    pub fn subject(&self) -> String {
        match &self.dimension_name {
            Some(dimension) => format!("{} · {dimension}", self.technology_name),
            None => self.technology_name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::model::{DimensionRef, SourceRef};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    fn source(id: i32, title: &str) -> SourceRef {
        SourceRef {
            id,
            title: title.into(),
            publisher: "P".into(),
            published_on: None,
            url: None,
        }
    }

    fn fact(dimension: &str, score: Option<i32>, text: &str) -> FactSnapshot {
        FactSnapshot {
            dimension: DimensionRef {
                slug: dimension.into(),
                name: format!("{dimension} name"),
                scale: score.map(|_| "1 = bad, 5 = good".into()),
            },
            score,
            text: text.into(),
            as_of: day("2026-01-01"),
            confidence: "medium".into(),
            sources: vec![source(1, "Book")],
        }
    }

    fn option(slug: &str, facts: Vec<FactSnapshot>) -> OptionSnapshot {
        OptionSnapshot {
            slug: slug.into(),
            name: slug.to_uppercase(),
            kind: "language".into(),
            language: None,
            facts,
        }
    }

    fn recorded() -> Vec<OptionSnapshot> {
        vec![
            option(
                "go",
                vec![
                    fact("performance", Some(4), "Fast"),
                    fact("design", None, "Simple"),
                ],
            ),
            option("rust", vec![fact("performance", Some(5), "Faster")]),
        ]
    }

    fn whats(changes: &[CatalogChange]) -> Vec<&What> {
        changes.iter().map(|c| &c.what).collect()
    }

    #[test]
    fn an_unchanged_catalog_has_no_changes() {
        assert!(changes_since(&recorded(), &recorded()).is_empty());
        assert!(changes_since(&[], &[]).is_empty());
    }

    #[test]
    fn a_score_change_names_the_technology_and_dimension() {
        let mut now = recorded();
        now[1].facts[0].score = Some(3);
        let changes = changes_since(&recorded(), &now);
        assert_eq!(
            changes,
            vec![CatalogChange {
                technology: "rust".into(),
                technology_name: "RUST".into(),
                dimension: Some("performance".into()),
                dimension_name: Some("performance name".into()),
                what: What::Score {
                    before: Some(5),
                    after: Some(3)
                },
            }]
        );
        assert_eq!(changes[0].summary(), "Score 5 / 5 → 3 / 5");
        assert_eq!(changes[0].subject(), "RUST · performance name");
    }

    #[test]
    fn every_field_of_a_fact_is_compared() {
        let mut now = recorded();
        let later = &mut now[0].facts[0];
        later.score = None;
        later.text = "Quick".into();
        later.as_of = day("2026-06-01");
        later.confidence = "high".into();
        later.sources = vec![source(2, "Paper")];
        let changes = changes_since(&recorded(), &now);
        assert_eq!(
            whats(&changes),
            [
                &What::Score {
                    before: Some(4),
                    after: None
                },
                &What::Text {
                    before: "Fast".into(),
                    after: "Quick".into()
                },
                &What::AsOf {
                    before: day("2026-01-01"),
                    after: day("2026-06-01")
                },
                &What::Confidence {
                    before: "medium".into(),
                    after: "high".into()
                },
                &What::SourceAdded {
                    title: "Paper".into()
                },
                &What::SourceRemoved {
                    title: "Book".into()
                },
            ]
        );
        assert!(changes.iter().all(|c| c.technology == "go"));
        assert_eq!(changes[1].texts(), Some(("Fast", "Quick")));
        assert_eq!(changes[0].summary(), "Score 4 / 5 → no score");
    }

    #[test]
    fn sources_are_matched_by_id_not_title() {
        let mut now = recorded();
        now[0].facts[0].sources[0].title = "Book, 2nd edition".into();
        assert!(changes_since(&recorded(), &now).is_empty());
    }

    #[test]
    fn facts_added_and_removed() {
        let mut now = recorded();
        now[0].facts.remove(1);
        now[1].facts.push(fact("design", None, "Explicit"));
        let changes = changes_since(&recorded(), &now);
        assert_eq!(
            whats(&changes),
            [
                &What::FactRemoved {
                    score: None,
                    text: "Simple".into()
                },
                &What::FactAdded {
                    score: None,
                    text: "Explicit".into()
                },
            ]
        );
        assert_eq!(changes[0].technology, "go");
        assert_eq!(changes[0].dimension.as_deref(), Some("design"));
        assert_eq!(changes[1].technology, "rust");
        assert_eq!(changes[1].summary(), "New fact (no score)");
        assert_eq!(changes[0].texts(), Some(("Simple", "")));
    }

    #[test]
    fn renamed_and_deleted_technologies() {
        let mut now = recorded();
        now[0].name = "Golang".into();
        now.remove(1);
        let changes = changes_since(&recorded(), &now);
        assert_eq!(
            whats(&changes),
            [
                &What::TechnologyRenamed {
                    before: "GO".into(),
                    after: "Golang".into()
                },
                &What::TechnologyDeleted,
            ]
        );
        assert_eq!(changes[1].technology, "rust");
        assert_eq!(changes[1].dimension, None);
        assert_eq!(changes[1].subject(), "RUST");
        assert_eq!(changes[1].summary(), "No longer in the catalog");
    }

    #[test]
    fn technologies_are_found_by_slug_whatever_their_order_now() {
        let mut now = recorded();
        now.reverse();
        now.push(option("zig", vec![fact("performance", Some(5), "Fast")]));
        assert!(changes_since(&recorded(), &now).is_empty());
    }

    #[test]
    fn changes_serialise_with_their_kind() {
        let mut now = recorded();
        now[1].facts[0].score = Some(3);
        let json = serde_json::to_value(&changes_since(&recorded(), &now)[0]).expect("JSON");
        assert_eq!(
            json,
            serde_json::json!({
                "technology": "rust", "technology_name": "RUST",
                "dimension": "performance", "dimension_name": "performance name",
                "change": "score", "before": 5, "after": 3
            })
        );
    }
}
