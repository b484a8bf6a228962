//! The catalog as a decision was made on it: its options, every fact on each, and the
//! advisor's result it came from, written once when the decision is recorded.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::model::{DimensionRef, Fact, SourceRef, TechnologyItem};

/// A technology as a decision names it: its slug and its name when the decision was
/// recorded, kept even if the catalog later renames or deletes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionRef {
    pub slug: String,
    pub name: String,
}

/// The catalog as a decision was made on it: written once, when the decision is recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub taken_at: DateTime<Utc>,
    pub options: Vec<OptionSnapshot>,
    /// The advisor's result the decision came from, if it came from one. Kept as it was
    /// written: read with [`Snapshot::advice`].
    pub advice: Option<serde_json::Value>,
}

/// One option considered, with every fact the catalog held on it. Kinds and confidences are
/// kept as text: a record must stay readable should the catalog's vocabulary change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionSnapshot {
    pub slug: String,
    pub name: String,
    pub kind: String,
    /// For a framework or library: the language it belongs to.
    pub language: Option<OptionRef>,
    pub facts: Vec<FactSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactSnapshot {
    pub dimension: DimensionRef,
    pub score: Option<i32>,
    pub text: String,
    pub as_of: NaiveDate,
    pub confidence: String,
    pub sources: Vec<SourceRef>,
}

impl OptionSnapshot {
    /// `technology` as the catalog has it now, with its facts (those of `facts` that are
    /// about it).
    pub fn of<'a>(technology: &TechnologyItem, facts: impl IntoIterator<Item = &'a Fact>) -> Self {
        OptionSnapshot {
            slug: technology.slug.clone(),
            name: technology.name.clone(),
            kind: technology.kind.to_string(),
            language: technology.language.as_ref().map(|language| OptionRef {
                slug: language.slug.clone(),
                name: language.name.clone(),
            }),
            facts: facts
                .into_iter()
                .filter(|fact| fact.technology.slug == technology.slug)
                .map(|fact| FactSnapshot {
                    dimension: fact.dimension.clone(),
                    score: fact.score,
                    text: fact.text.clone(),
                    as_of: fact.as_of,
                    confidence: fact.confidence.to_string(),
                    sources: fact.sources.clone(),
                })
                .collect(),
        }
    }

    pub fn fact(&self, dimension: &str) -> Option<&FactSnapshot> {
        self.facts
            .iter()
            .find(|fact| fact.dimension.slug == dimension)
    }
}

impl Snapshot {
    /// Every dimension any option has a fact on, in the order the options' facts list them.
    pub fn dimensions(&self) -> Vec<&DimensionRef> {
        let mut seen: Vec<&DimensionRef> = Vec::new();
        for fact in self.options.iter().flat_map(|option| &option.facts) {
            if !seen.iter().any(|d| d.slug == fact.dimension.slug) {
                seen.push(&fact.dimension);
            }
        }
        seen
    }

    pub fn option(&self, slug: &str) -> Option<&OptionSnapshot> {
        self.options.iter().find(|option| option.slug == slug)
    }

    /// The advisor's ranking kept with the decision, if there is one and it reads. Only
    /// what a decision shows of it is read, so the advisor's result may gain and change
    /// other parts without old records losing theirs; one that does not read at all is
    /// shown without it, never as an error.
    pub fn advice(&self) -> Option<RecordedAdvice> {
        self.advice
            .as_ref()
            .and_then(|value| RecordedAdvice::deserialize(value).ok())
    }
}

/// What a decision shows of the advisor's result it was recorded with: the ranking, each
/// candidate's fit on each requirement, what it trades away, and what a must excluded.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecordedAdvice {
    pub query: String,
    pub ranking: RecordedRanking,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecordedRanking {
    pub ranked: Vec<RecordedRanked>,
    #[serde(default)]
    pub excluded: Vec<RecordedExcluded>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecordedRanked {
    pub slug: String,
    pub name: String,
    /// Its points as a share of the most possible, 0-1.
    pub share: f64,
    #[serde(default)]
    pub contributions: Vec<RecordedContribution>,
    #[serde(default)]
    pub trade_offs: Vec<RecordedTradeOff>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecordedContribution {
    /// The requirement's name.
    pub name: String,
    pub importance: String,
    /// 0-1.
    pub fit: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecordedTradeOff {
    /// The requirement's name.
    pub name: String,
    pub behind: f64,
    pub leader_name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecordedExcluded {
    pub slug: String,
    pub name: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn a_recorded_advisor_result_reads_whatever_else_it_holds() {
        let mut snapshot = Snapshot {
            taken_at: Utc::now(),
            options: Vec::new(),
            advice: Some(serde_json::json!({
                "query": "t=go&t=rust&time-to-market=must",
                "evidence": [{"a later": "shape"}],
                "ranking": {
                    "ranked": [{"slug": "go", "name": "Go", "share": 0.9, "points": 3.6,
                                "contributions": [{"name": "Time to market", "importance": "must",
                                                   "fit": 0.9, "dimensions": {"changed": true}}]}],
                    "flips": "whatever"
                }
            })),
        };
        let advice = snapshot.advice().expect("it reads");
        assert_eq!(advice.ranking.ranked[0].contributions[0].fit, 0.9);
        assert!(advice.ranking.excluded.is_empty());
        assert!(advice.ranking.ranked[0].trade_offs.is_empty());
        snapshot.advice = Some(serde_json::json!({"ranking": "gone"}));
        assert_eq!(snapshot.advice(), None);
        snapshot.advice = None;
        assert_eq!(snapshot.advice(), None);
    }

    #[test]
    fn the_snapshot_lists_each_dimension_once() {
        let fact = |slug: &str| FactSnapshot {
            dimension: DimensionRef {
                slug: slug.into(),
                name: slug.to_uppercase(),
                scale: None,
            },
            score: None,
            text: String::new(),
            as_of: day("2026-01-01"),
            confidence: "high".into(),
            sources: Vec::new(),
        };
        let option = |slug: &str, facts: &[&str]| OptionSnapshot {
            slug: slug.into(),
            name: slug.into(),
            kind: "language".into(),
            language: None,
            facts: facts.iter().map(|f| fact(f)).collect(),
        };
        let snapshot = Snapshot {
            taken_at: Utc::now(),
            options: vec![option("go", &["a", "b"]), option("rust", &["b", "c"])],
            advice: None,
        };
        let slugs: Vec<_> = snapshot.dimensions().iter().map(|d| &d.slug).collect();
        assert_eq!(slugs, ["a", "b", "c"]);
        assert!(
            snapshot
                .option("rust")
                .is_some_and(|o| o.fact("c").is_some())
        );
        assert!(snapshot.option("zig").is_none());
    }
}
