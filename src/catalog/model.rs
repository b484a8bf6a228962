//! The catalog's vocabulary (kinds, confidence) and the view models that both the
//! pages and the JSON API are made from.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::{Queryable, Selectable};
use serde::{Deserialize, Serialize};

use crate::web::params::Paginated;

/// What sort of technology an entry is. A framework or library may belong to a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Language,
    Framework,
    Library,
    Database,
    Runtime,
    Tool,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Language,
        Kind::Framework,
        Kind::Library,
        Kind::Database,
        Kind::Runtime,
        Kind::Tool,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Language => "language",
            Kind::Framework => "framework",
            Kind::Library => "library",
            Kind::Database => "database",
            Kind::Runtime => "runtime",
            Kind::Tool => "tool",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Kind::Language => "Languages",
            Kind::Framework => "Frameworks",
            Kind::Library => "Libraries",
            Kind::Database => "Databases",
            Kind::Runtime => "Runtimes",
            Kind::Tool => "Tools",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|kind| kind.as_str()).collect();
                format!("must be one of {}, not `{value}`", names.join(", "))
            })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure the curators are of a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        match value {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            _ => Err(format!("must be low, medium or high, not `{value}`")),
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A technology as a link: enough to name it and find it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TechnologyRef {
    pub slug: String,
    pub name: String,
    pub kind: Kind,
}

/// Technologies grouped by kind, in the order of [`Kind::ALL`], each group in the order
/// given; kinds with none are left out. A form's `<optgroup>`s.
pub fn by_kind(technologies: Vec<TechnologyRef>) -> Vec<(Kind, Vec<TechnologyRef>)> {
    let mut groups: Vec<(Kind, Vec<TechnologyRef>)> = Kind::ALL
        .into_iter()
        .map(|kind| (kind, Vec::new()))
        .collect();
    for technology in technologies {
        if let Some((_, group)) = groups.iter_mut().find(|(kind, _)| *kind == technology.kind) {
            group.push(technology);
        }
    }
    groups.retain(|(_, group)| !group.is_empty());
    groups
}

/// A technology in a list.
#[derive(Debug, Clone, Serialize)]
pub struct TechnologyItem {
    pub slug: String,
    pub name: String,
    pub kind: Kind,
    pub language: Option<TechnologyRef>,
    pub summary: String,
}

/// A technology with everything known about it.
#[derive(Debug, Clone, Serialize)]
pub struct TechnologyDetail {
    #[serde(flatten)]
    pub technology: TechnologyItem,
    /// For a language: the frameworks and libraries that belong to it (the first few).
    pub frameworks: Vec<TechnologyRef>,
    /// True when a language has more frameworks than `frameworks` lists.
    pub more_frameworks: bool,
    pub assessments: Vec<Fact>,
    pub updated_at: DateTime<Utc>,
}

/// A comparison dimension as a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionRef {
    pub slug: String,
    pub name: String,
    /// What the ends of the 1-5 score mean; `None` for descriptive dimensions.
    pub scale: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DimensionItem {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub scale: Option<String>,
    /// Lists are ordered by it, smallest first.
    pub position: i32,
    /// How many technologies have a fact on this dimension.
    pub assessments: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Queryable, Selectable)]
#[diesel(table_name = crate::db::schema::sources)]
pub struct SourceRef {
    pub id: i32,
    pub title: String,
    pub publisher: String,
    pub published_on: Option<NaiveDate>,
    pub url: Option<String>,
}

impl SourceRef {
    /// The URL when it is safe to link to (http or https); other schemes are shown as text.
    pub fn link(&self) -> Option<&str> {
        self.url
            .as_deref()
            .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceItem {
    #[serde(flatten)]
    pub source: SourceRef,
    pub notes: String,
    /// How many facts cite this source.
    pub citations: i64,
}

/// A dimension, or a source, with one page of its facts.
#[derive(Debug, Serialize)]
pub struct WithFacts<T, F = Paginated<Fact>> {
    #[serde(flatten)]
    pub item: T,
    pub facts: F,
}

/// One assessment: a technology on a dimension, with the sources it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub technology: TechnologyRef,
    pub dimension: DimensionRef,
    pub score: Option<i32>,
    pub text: String,
    pub as_of: NaiveDate,
    pub confidence: Confidence,
    pub sources: Vec<SourceRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_name_the_choices() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Ok(kind));
        }
        let error = Kind::parse("Language").unwrap_err();
        assert!(error.contains("language, framework, library"), "{error}");
    }

    #[test]
    fn technologies_group_by_kind_in_the_kinds_order() {
        let t = |slug: &str, kind| TechnologyRef {
            slug: slug.into(),
            name: slug.to_uppercase(),
            kind,
        };
        let groups = by_kind(vec![
            t("gin", Kind::Framework),
            t("go", Kind::Language),
            t("axum", Kind::Framework),
        ]);
        let slugs: Vec<(Kind, Vec<&str>)> = groups
            .iter()
            .map(|(kind, group)| (*kind, group.iter().map(|t| t.slug.as_str()).collect()))
            .collect();
        assert_eq!(
            slugs,
            [
                (Kind::Language, vec!["go"]),
                (Kind::Framework, vec!["gin", "axum"])
            ]
        );
    }

    #[test]
    fn confidence_round_trips() {
        for confidence in [Confidence::Low, Confidence::Medium, Confidence::High] {
            assert_eq!(Confidence::parse(confidence.as_str()), Ok(confidence));
        }
        assert!(Confidence::parse("certain").is_err());
    }
}
