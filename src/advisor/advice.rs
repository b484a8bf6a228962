//! From the reader's inputs to advice: the requirements and candidates the inputs name, the
//! facts behind their scores, and the ranking made from them.
//!
//! A framework or library without a score of its own on a dimension takes its language's:
//! Actix-web's learning curve is Rust's. The explanation says where a score was inherited.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::advisor::query::Query;
use crate::advisor::score::{self, Candidate, Constraint, Importance, Ranking};
use crate::catalog::model::{DimensionRef, Fact, Kind, TechnologyRef};
use crate::catalog::queries::{facts_of_technologies, technology_ref};
use crate::db::DbConnection;
use crate::db::schema::{dimensions, requirement_weights, requirements, technologies};
use crate::web::error::FieldError;

/// The most candidates one ranking takes.
pub const MAX_CANDIDATES: usize = 12;

/// A requirement as readers see it.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementItem {
    pub slug: String,
    pub name: String,
    pub explanation: String,
    /// In the dimensions' order.
    pub weights: Vec<Weighed>,
    pub constraint: Option<Limit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Weighed {
    pub dimension: DimensionRef,
    pub weight: i32,
}

/// A must's minimum score on a dimension.
#[derive(Debug, Clone, Serialize)]
pub struct Limit {
    pub dimension: DimensionRef,
    pub min: i32,
}

/// Every requirement, in the curators' order: two queries.
pub fn all_requirements(conn: &mut DbConnection) -> QueryResult<Vec<RequirementItem>> {
    type Row = (
        i32,
        String,
        String,
        String,
        Option<i32>,
        Option<(String, String, Option<String>)>,
    );
    let rows: Vec<Row> = requirements::table
        .left_join(dimensions::table)
        .select((
            requirements::id,
            requirements::slug,
            requirements::name,
            requirements::explanation,
            requirements::constraint_min,
            (dimensions::slug, dimensions::name, dimensions::scale).nullable(),
        ))
        .order((requirements::position, requirements::id))
        .load(conn)?;
    let mut weights: HashMap<i32, Vec<Weighed>> = HashMap::new();
    let weight_rows: Vec<(i32, i32, String, String, Option<String>)> = requirement_weights::table
        .inner_join(dimensions::table)
        .select((
            requirement_weights::requirement_id,
            requirement_weights::weight,
            dimensions::slug,
            dimensions::name,
            dimensions::scale,
        ))
        .order((dimensions::position, dimensions::id))
        .load(conn)?;
    for (requirement_id, weight, slug, name, scale) in weight_rows {
        weights.entry(requirement_id).or_default().push(Weighed {
            dimension: DimensionRef { slug, name, scale },
            weight,
        });
    }
    Ok(rows
        .into_iter()
        .map(
            |(id, slug, name, explanation, min, dimension)| RequirementItem {
                slug,
                name,
                explanation,
                weights: weights.remove(&id).unwrap_or_default(),
                constraint: min.zip(dimension).map(|(min, (slug, name, scale))| Limit {
                    dimension: DimensionRef { slug, name, scale },
                    min,
                }),
            },
        )
        .collect())
}

/// A requirement the reader marked, as the advice records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marked {
    pub slug: String,
    pub name: String,
    pub explanation: String,
    pub importance: Importance,
}

/// A fact that a score in the ranking comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The candidate whose score it gives.
    pub candidate: String,
    /// The candidate's own fact, or its language's standing in for it.
    pub fact: Fact,
}

impl Evidence {
    /// The language whose fact stands in for the candidate's own.
    pub fn inherited_from(&self) -> Option<&TechnologyRef> {
        (self.fact.technology.slug != self.candidate).then_some(&self.fact.technology)
    }
}

/// The ranking with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    /// The inputs as the advisor's URL holds them.
    pub query: String,
    pub candidates: Vec<TechnologyRef>,
    /// The requirements that matter (not irrelevant), in the curators' order.
    pub requirements: Vec<Marked>,
    pub ranking: Ranking,
    pub evidence: Vec<Evidence>,
}

impl Advice {
    /// The fact behind `technology`'s score on `dimension`, if the catalog has one.
    pub fn evidence(&self, technology: &str, dimension: &str) -> Option<&Evidence> {
        self.evidence
            .iter()
            .find(|e| e.candidate == technology && e.fact.dimension.slug == dimension)
    }
}

struct CandidateRow {
    reference: TechnologyRef,
    language_id: Option<i32>,
}

/// Ranks the candidates `query` names on the requirements it marks; field errors name each
/// input that the catalog does not have.
pub fn advise(
    conn: &mut DbConnection,
    query: &Query,
) -> QueryResult<Result<Advice, Vec<FieldError>>> {
    let requirements = all_requirements(conn)?;
    advise_on(conn, &requirements, query)
}

/// [`advise`] on `requirements` already loaded (every requirement, as
/// [`all_requirements`] gives them).
pub fn advise_on(
    conn: &mut DbConnection,
    requirements: &[RequirementItem],
    query: &Query,
) -> QueryResult<Result<Advice, Vec<FieldError>>> {
    let mut errors: Vec<FieldError> = query
        .marks
        .iter()
        .filter(|(slug, _)| !requirements.iter().any(|r| &r.slug == slug))
        .map(|(slug, _)| FieldError::new(slug.as_str(), "is not a requirement"))
        .collect();
    let marked: Vec<(&RequirementItem, Importance)> = requirements
        .iter()
        .map(|r| (r, query.importance(&r.slug)))
        .filter(|(_, importance)| *importance != Importance::Irrelevant)
        .collect();
    if marked.is_empty() && errors.is_empty() {
        errors.push(FieldError::new(
            "requirements",
            "need at least one marked must, important or nice",
        ));
    }
    let candidates = match candidates(conn, query)? {
        Ok(candidates) => candidates,
        Err(more) => {
            errors.extend(more);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }

    let language_ids: Vec<i32> = candidates.iter().filter_map(|c| c.language_id).collect();
    let languages: HashMap<i32, TechnologyRef> = technologies::table
        .filter(technologies::id.eq_any(&language_ids))
        .select((
            technologies::id,
            (technologies::slug, technologies::name, technologies::kind),
        ))
        .load::<(i32, (String, String, String))>(conn)?
        .into_iter()
        .map(|(id, columns)| Ok((id, technology_ref(columns)?)))
        .collect::<QueryResult<_>>()?;
    let mut slugs: Vec<String> = candidates
        .iter()
        .map(|c| c.reference.slug.clone())
        .collect();
    slugs.extend(languages.values().map(|l| l.slug.clone()));
    slugs.sort_unstable();
    slugs.dedup();
    let facts = facts_of_technologies(conn, &slugs)?;
    Ok(Ok(rank(query, &marked, &candidates, &languages, &facts)))
}

/// The candidates the inputs name: the technologies given, the frameworks and libraries of
/// the languages given, or else every language.
fn candidates(
    conn: &mut DbConnection,
    query: &Query,
) -> QueryResult<Result<Vec<CandidateRow>, Vec<FieldError>>> {
    type Row = (i32, String, String, String, Option<i32>);
    let columns = (
        technologies::id,
        technologies::slug,
        technologies::name,
        technologies::kind,
        technologies::language_id,
    );
    let mut errors = Vec::new();
    let mut rows: Vec<Row> = technologies::table
        .filter(technologies::slug.eq_any(&query.candidates))
        .select(columns)
        .load(conn)?;
    for slug in &query.candidates {
        if !rows.iter().any(|row| &row.1 == slug) {
            errors.push(FieldError::new(
                "t",
                format!("names no technology: `{slug}`"),
            ));
        }
    }
    if !query.frameworks_of.is_empty() {
        let languages: Vec<(i32, String)> = technologies::table
            .filter(technologies::slug.eq_any(&query.frameworks_of))
            .filter(technologies::kind.eq(Kind::Language.as_str()))
            .select((technologies::id, technologies::slug))
            .load(conn)?;
        for slug in &query.frameworks_of {
            if !languages.iter().any(|(_, s)| s == slug) {
                errors.push(FieldError::new(
                    "of",
                    format!("names no language: `{slug}`"),
                ));
            }
        }
        let ids: Vec<i32> = languages.iter().map(|(id, _)| *id).collect();
        rows.extend(
            technologies::table
                .filter(technologies::language_id.eq_any(ids))
                .select(columns)
                .order((technologies::name, technologies::id))
                .limit(MAX_CANDIDATES as i64 + 1)
                .load::<Row>(conn)?,
        );
    }
    if query.candidates.is_empty() && query.frameworks_of.is_empty() {
        rows = technologies::table
            .filter(technologies::kind.eq(Kind::Language.as_str()))
            .select(columns)
            .order((technologies::name, technologies::id))
            .limit(MAX_CANDIDATES as i64)
            .load(conn)?;
    }
    rows.sort_by(|a, b| {
        a.2.to_lowercase()
            .cmp(&b.2.to_lowercase())
            .then(a.0.cmp(&b.0))
    });
    rows.dedup_by_key(|row| row.0);
    if errors.is_empty() && rows.len() < 2 {
        errors.push(FieldError::new(
            "t",
            format!(
                "needs at least two candidates to rank; these choices give {}",
                rows.len()
            ),
        ));
    }
    if rows.len() > MAX_CANDIDATES {
        errors.push(FieldError::new(
            "t",
            format!("takes at most {MAX_CANDIDATES} candidates at once"),
        ));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    rows.into_iter()
        .map(|(_, slug, name, kind, language_id)| {
            Ok(CandidateRow {
                reference: technology_ref((slug, name, kind))?,
                language_id,
            })
        })
        .collect::<QueryResult<_>>()
        .map(Ok)
}

/// The ranking, with the facts its scores come from.
fn rank(
    query: &Query,
    marked: &[(&RequirementItem, Importance)],
    candidates: &[CandidateRow],
    languages: &HashMap<i32, TechnologyRef>,
    facts: &[Fact],
) -> Advice {
    let scored: HashMap<(&str, &str), &Fact> = facts
        .iter()
        .filter(|f| f.score.is_some())
        .map(|f| ((f.technology.slug.as_str(), f.dimension.slug.as_str()), f))
        .collect();
    // The dimensions that count: those weighed, and those a must constrains.
    let mut counted: Vec<&DimensionRef> = Vec::new();
    for (requirement, _) in marked {
        let weighed = requirement.weights.iter().map(|w| &w.dimension);
        for dimension in weighed.chain(requirement.constraint.iter().map(|c| &c.dimension)) {
            if !counted.iter().any(|d| d.slug == dimension.slug) {
                counted.push(dimension);
            }
        }
    }

    let mut evidence = Vec::new();
    let mut ranked_candidates = Vec::new();
    for candidate in candidates {
        let own = candidate.reference.slug.as_str();
        let language = candidate.language_id.and_then(|id| languages.get(&id));
        let mut scores = BTreeMap::new();
        for dimension in &counted {
            let found = scored
                .get(&(own, dimension.slug.as_str()))
                .or_else(|| scored.get(&(language?.slug.as_str(), dimension.slug.as_str())));
            let Some(fact) = found else {
                continue;
            };
            if let Some(score) = fact.score.and_then(|s| u8::try_from(s).ok()) {
                scores.insert(dimension.slug.clone(), score);
            }
            evidence.push(Evidence {
                candidate: own.to_owned(),
                fact: (*fact).clone(),
            });
        }
        ranked_candidates.push(Candidate {
            slug: candidate.reference.slug.clone(),
            name: candidate.reference.name.clone(),
            scores,
        });
    }

    let inputs: Vec<(score::Requirement, Importance)> = marked
        .iter()
        .map(|(r, importance)| {
            let requirement = score::Requirement {
                slug: r.slug.clone(),
                name: r.name.clone(),
                weights: r
                    .weights
                    .iter()
                    .map(|w| (w.dimension.slug.clone(), clamp_score(w.weight)))
                    .collect(),
                constraint: r.constraint.as_ref().map(|c| Constraint {
                    dimension: c.dimension.slug.clone(),
                    dimension_name: c.dimension.name.clone(),
                    min: clamp_score(c.min),
                }),
            };
            (requirement, *importance)
        })
        .collect();
    Advice {
        query: query.to_query_string(),
        candidates: candidates.iter().map(|c| c.reference.clone()).collect(),
        requirements: marked
            .iter()
            .map(|(r, importance)| Marked {
                slug: r.slug.clone(),
                name: r.name.clone(),
                explanation: r.explanation.clone(),
                importance: *importance,
            })
            .collect(),
        ranking: score::rank(&inputs, &ranked_candidates),
        evidence,
    }
}

/// Weights and minimums are 1-5 by the schema's checks.
fn clamp_score(value: i32) -> u8 {
    value.clamp(1, 5) as u8
}
