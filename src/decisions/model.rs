//! Decision records' vocabulary (status, links) and the view models that pages, the
//! Markdown export and the JSON API are made from, including the snapshot of the catalog a
//! decision keeps.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::{Queryable, Selectable};
use serde::{Deserialize, Serialize};

use crate::catalog::model::{DimensionRef, Fact, SourceRef, TechnologyItem};
use crate::decisions::changes::CatalogChange;

/// Where a decision stands. A proposed or accepted decision past its "revisit by" date is
/// due for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Proposed,
    Accepted,
    Rejected,
    Deprecated,
    Superseded,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Proposed,
        Status::Accepted,
        Status::Rejected,
        Status::Deprecated,
        Status::Superseded,
    ];

    /// The statuses a decision can be due for review in.
    pub const REVIEWABLE: [Status; 2] = [Status::Proposed, Status::Accepted];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Deprecated => "deprecated",
            Status::Superseded => "superseded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Proposed => "Proposed",
            Status::Accepted => "Accepted",
            Status::Rejected => "Rejected",
            Status::Deprecated => "Deprecated",
            Status::Superseded => "Superseded",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|s| s.as_str()).collect();
                format!("must be one of {}, not `{value}`", names.join(", "))
            })
    }

    /// Whether a decision in this status with `revisit_by` is due for review on `today`.
    pub fn is_due(self, revisit_by: Option<NaiveDate>, today: NaiveDate) -> bool {
        Self::REVIEWABLE.contains(&self) && revisit_by.is_some_and(|date| date < today)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A technology as a decision names it: its slug and its name when the decision was
/// recorded, kept even if the catalog later renames or deletes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionRef {
    pub slug: String,
    pub name: String,
}

/// Another decision as a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Queryable, Selectable)]
#[diesel(table_name = crate::db::schema::decisions)]
pub struct DecisionRef {
    pub id: i32,
    pub title: String,
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

/// A decision in a list.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionItem {
    pub id: i32,
    pub title: String,
    pub status: Status,
    pub decided_on: NaiveDate,
    pub revisit_by: Option<NaiveDate>,
    pub due_for_review: bool,
    pub options: Vec<OptionRef>,
    pub chosen: Option<OptionRef>,
    pub superseded_by: Option<i32>,
}

/// A decision with everything recorded about it, and what has changed in the catalog since.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionDetail {
    pub id: i32,
    pub title: String,
    pub status: Status,
    pub decided_on: NaiveDate,
    pub revisit_by: Option<NaiveDate>,
    pub due_for_review: bool,
    pub context: String,
    pub drivers: Vec<String>,
    pub options: Vec<OptionRef>,
    pub chosen: Option<OptionRef>,
    pub rationale: String,
    pub consequences: String,
    /// One link per line: a URL, or a label and a URL.
    pub links: Vec<String>,
    /// The advisor's query string the decision came from; empty if none.
    pub advisor_query: String,
    pub superseded_by: Option<DecisionRef>,
    pub supersedes: Vec<DecisionRef>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub snapshot: Snapshot,
    pub changes_since: Vec<CatalogChange>,
}

impl DecisionDetail {
    /// The decision's links, each as a label and (when it is a web address) a URL.
    pub fn parsed_links(&self) -> Vec<Link> {
        self.links.iter().map(|line| Link::parse(line)).collect()
    }

    /// The rationale as the end of the sentence "Chosen option: …, because …".
    pub fn because(&self) -> String {
        let rationale = self.rationale.trim();
        if rationale.is_empty() || rationale.ends_with(['.', '!', '?']) {
            rationale.to_owned()
        } else {
            format!("{rationale}.")
        }
    }

    pub fn is_chosen(&self, slug: &str) -> bool {
        self.chosen
            .as_ref()
            .is_some_and(|chosen| chosen.slug == slug)
    }
}

/// A status a decision took, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub at: NaiveDateTime,
    /// `None` when the decision was recorded with `to`.
    pub from: Option<String>,
    pub to: String,
}

/// One line of a decision's links: a web address with an optional label before it, or
/// text that is not one (shown as it is, never as a link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub label: String,
    pub url: Option<String>,
}

impl Link {
    pub fn parse(line: &str) -> Link {
        let line = line.trim();
        let (label, last) = match line.rsplit_once(char::is_whitespace) {
            Some((label, last)) => (label.trim(), last),
            None => ("", line),
        };
        if is_web_address(last) {
            Link {
                label: if label.is_empty() { last } else { label }.to_owned(),
                url: Some(last.to_owned()),
            }
        } else {
            Link {
                label: line.to_owned(),
                url: None,
            }
        }
    }
}

/// `http://` or `https://`, a host, and no spaces or control characters.
pub fn is_web_address(value: &str) -> bool {
    let host = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    host.is_some_and(|host| !host.is_empty())
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn statuses_round_trip_and_name_the_choices() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Ok(status));
        }
        let error = Status::parse("done").unwrap_err();
        assert!(error.contains("proposed, accepted, rejected"), "{error}");
    }

    #[test]
    fn only_open_decisions_past_their_date_are_due() {
        let today = day("2026-11-21");
        assert!(Status::Accepted.is_due(Some(day("2026-11-20")), today));
        assert!(Status::Proposed.is_due(Some(day("2025-01-01")), today));
        assert!(!Status::Accepted.is_due(Some(today), today));
        assert!(!Status::Accepted.is_due(None, today));
        for closed in [Status::Rejected, Status::Deprecated, Status::Superseded] {
            assert!(!closed.is_due(Some(day("2025-01-01")), today), "{closed}");
        }
    }

    #[test]
    fn links_are_a_url_with_an_optional_label() {
        assert_eq!(
            Link::parse("https://go.dev/doc/"),
            Link {
                label: "https://go.dev/doc/".into(),
                url: Some("https://go.dev/doc/".into())
            }
        );
        assert_eq!(
            Link::parse("  Team RFC  http://wiki.example/rfc/12 "),
            Link {
                label: "Team RFC".into(),
                url: Some("http://wiki.example/rfc/12".into())
            }
        );
    }

    #[test]
    fn anything_but_a_web_address_stays_text() {
        for line in [
            "javascript:alert(1)",
            "See javascript:alert(1)",
            "ftp://files.example/x",
            "https://",
            "Minutes of 3 March",
            "data:text/html,<b>x</b>",
            "https://a.example/\"onmouseover=x",
        ] {
            let link = Link::parse(line);
            assert_eq!(link.url, None, "{line}");
            assert_eq!(link.label, line.trim(), "{line}");
        }
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
