//! The ranking made from the marked requirements and the candidates' scores, each score
//! from a measurement or a fact, with the evidence behind it.

use std::collections::{BTreeMap, HashMap};

use super::candidates::CandidateRow;
use super::explanation::{Advice, Evidence, Marked};
use super::measured::MeasuredScore;
use super::requirements::RequirementItem;
use crate::advisor::query::Query;
use crate::advisor::score::{self, Candidate, Constraint, Importance};
use crate::catalog::model::{DimensionRef, Fact, TechnologyRef};

/// The ranking, with the facts and measurements its scores come from. A measured score
/// takes the place of the fact's on its dimension.
pub(super) fn rank(
    query: &Query,
    marked: &[(&RequirementItem, Importance)],
    candidates: &[CandidateRow],
    languages: &HashMap<i32, TechnologyRef>,
    facts: &[Fact],
    mut measured: Vec<MeasuredScore>,
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
    // A linked dimension that no marked requirement weighs explains nothing.
    measured.retain(|m| counted.iter().any(|d| d.slug == m.dimension));

    let mut evidence = Vec::new();
    let mut ranked_candidates = Vec::new();
    for candidate in candidates {
        let own = candidate.reference.slug.as_str();
        let language = candidate.language_id.and_then(|id| languages.get(&id));
        let mut scores = BTreeMap::new();
        for dimension in &counted {
            let from_runs = measured
                .iter()
                .find(|m| m.candidate == own && m.dimension == dimension.slug);
            if let Some(m) = from_runs {
                scores.insert(dimension.slug.clone(), m.score);
            }
            let found = scored
                .get(&(own, dimension.slug.as_str()))
                .or_else(|| scored.get(&(language?.slug.as_str(), dimension.slug.as_str())));
            let Some(fact) = found else {
                continue;
            };
            if let Some(score) = fact.score.and_then(|s| u8::try_from(s).ok())
                && from_runs.is_none()
            {
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
        measured,
    }
}

/// Weights and minimums are 1-5 by the schema's checks.
fn clamp_score(value: i32) -> u8 {
    value.clamp(1, 5) as u8
}
