//! Decision records' vocabulary (status, links) and the view models that pages, the
//! Markdown export and the JSON API are made from.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::{Queryable, Selectable};
use serde::{Deserialize, Serialize};

use crate::decisions::changes::CatalogChange;
use crate::decisions::snapshot::{OptionRef, Snapshot};

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

/// Another decision as a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Queryable, Selectable)]
#[diesel(table_name = crate::db::schema::decisions)]
pub struct DecisionRef {
    pub id: i32,
    pub title: String,
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
}
