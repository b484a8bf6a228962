//! From the reader's inputs to advice: the requirements and candidates the inputs name, the
//! facts behind their scores, and the ranking made from them.
//!
//! A framework or library without a score of its own on a dimension takes its language's:
//! Actix-web's learning curve is Rust's. The explanation says where a score was inherited.
//!
//! Where an editor has linked benchmark scenarios to a scored dimension, the candidates are
//! scored on it from the measurements instead (see [`measured_scores`]), and the
//! explanation cites the runs.

mod candidates;
mod explanation;
mod measured;
mod rank;
mod requirements;

use std::collections::HashMap;

use crate::db::one_of;
use diesel::prelude::*;

use crate::advisor::query::Query;
use crate::advisor::score::Importance;
use crate::benchmarks::queries as benchmarks;
use crate::catalog::model::TechnologyRef;
use crate::catalog::queries::{facts_of_technologies, technology_ref};
use crate::db::DbConnection;
use crate::db::schema::technologies;
use crate::web::error::FieldError;

use candidates::candidates;
use rank::rank;

pub use candidates::MAX_CANDIDATES;
pub use explanation::{Advice, Evidence, Marked};
pub use measured::{CitedRun, MeasuredScore, measured_scores, score_from_ratios, shares_of_best};
pub use requirements::{Limit, RequirementItem, Weighed, all_requirements};

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
        .filter(one_of(technologies::id, &language_ids))
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
    let linked = benchmarks::linked_scenarios(conn)?;
    let measured = if linked.is_empty() {
        Vec::new()
    } else {
        let own: Vec<String> = candidates
            .iter()
            .map(|c| c.reference.slug.clone())
            .collect();
        let ids: Vec<i32> = linked.iter().map(|l| l.id).collect();
        let best = benchmarks::best_evidence(conn, &own, Some(&ids))?;
        measured_scores(&linked, &best, &own)
    };
    Ok(Ok(rank(
        query,
        &marked,
        &candidates,
        &languages,
        &facts,
        measured,
    )))
}
