//! From the reader's inputs to advice: the requirements and candidates the inputs name, the
//! facts behind their scores, and the ranking made from them.
//!
//! A framework or library without a score of its own on a dimension takes its language's:
//! Actix-web's learning curve is Rust's. The explanation says where a score was inherited.
//!
//! Where an editor has linked benchmark scenarios to a scored dimension, the candidates are
//! scored on it from the measurements instead (see [`measured_scores`]), and the
//! explanation cites the runs.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::advisor::query::Query;
use crate::advisor::score::{self, Candidate, Constraint, Importance, Ranking};
use crate::benchmarks::model::thousands;
use crate::benchmarks::queries::{self as benchmarks, Linked};
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

/// A fact that a score in the ranking comes from, or that a measured score (in
/// [`Advice::measured`] for the same candidate and dimension) stands in for.
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
    /// The scores taken from benchmark results instead of the catalog's facts. Advice
    /// recorded before there were any has none.
    #[serde(default)]
    pub measured: Vec<MeasuredScore>,
}

impl Advice {
    /// The fact behind `technology`'s score on `dimension`, if the catalog has one.
    pub fn evidence(&self, technology: &str, dimension: &str) -> Option<&Evidence> {
        self.evidence
            .iter()
            .find(|e| e.candidate == technology && e.fact.dimension.slug == dimension)
    }

    /// `technology`'s score on `dimension` from benchmark results, if it was scored so.
    pub fn measured(&self, technology: &str, dimension: &str) -> Option<&MeasuredScore> {
        self.measured
            .iter()
            .find(|m| m.candidate == technology && m.dimension == dimension)
    }
}

/// A candidate's score on a dimension taken from benchmark results, with the results cited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasuredScore {
    pub candidate: String,
    /// The dimension's slug.
    pub dimension: String,
    /// 1-5.
    pub score: u8,
    /// The candidate's best result in each linked scenario where it has one.
    pub runs: Vec<CitedRun>,
}

/// A result a measured score comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CitedRun {
    /// The scenario's slug.
    pub scenario: String,
    pub scenario_name: String,
    /// What the run calls what it measured: "Actix-web 4.9 + Diesel".
    pub implementation: String,
    /// The technology measured: the candidate, or one of its frameworks.
    pub technology: TechnologyRef,
    pub requests_per_sec: f64,
    /// As a share of the fastest candidate's best in the scenario, 0-1.
    pub ratio: f64,
    pub run_id: i32,
}

impl CitedRun {
    pub fn rps(&self) -> String {
        thousands(self.requests_per_sec)
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

/// The scores that benchmark results give on the dimensions editors have linked scenarios
/// to, one per candidate and dimension where the candidate has results:
///
/// - in each scenario linked to the dimension, each candidate's best requests per second
///   (its own results, or for a language the best of its own and its frameworks' and
///   libraries', as `best` gives them), as a share of the best candidate's there;
/// - the score is 1 + 4 × the mean of the candidate's shares over the linked scenarios
///   where it has results, rounded to the nearest whole number (halves up) and kept
///   within 1-5.
///
/// A candidate with no results in any scenario linked to a dimension gets no score here,
/// and keeps its fact's.
pub fn measured_scores(
    linked: &[Linked],
    best: &[benchmarks::Evidence],
    candidates: &[String],
) -> Vec<MeasuredScore> {
    let mut dimensions: Vec<&str> = Vec::new();
    for link in linked {
        if !dimensions.contains(&link.dimension.as_str()) {
            dimensions.push(&link.dimension);
        }
    }
    let mut scores = Vec::new();
    for dimension in dimensions {
        let mut cited: Vec<Vec<CitedRun>> = vec![Vec::new(); candidates.len()];
        for link in linked.iter().filter(|l| l.dimension == dimension) {
            let found: Vec<Option<&benchmarks::Evidence>> = candidates
                .iter()
                .map(|c| {
                    best.iter()
                        .find(|e| &e.about == c && e.scenario == link.scenario)
                })
                .collect();
            let figures: Vec<Option<f64>> = found
                .iter()
                .map(|e| e.map(|e| e.result.result.requests_per_sec))
                .collect();
            let shares = shares_of_best(&figures);
            for ((runs, evidence), share) in cited.iter_mut().zip(&found).zip(shares) {
                if let (Some(e), Some(ratio)) = (evidence, share) {
                    runs.push(CitedRun {
                        scenario: link.scenario.slug.clone(),
                        scenario_name: link.scenario.name.clone(),
                        implementation: e.result.result.name(),
                        technology: e.result.result.technology.clone(),
                        requests_per_sec: e.result.result.requests_per_sec,
                        ratio,
                        run_id: e.result.run.id,
                    });
                }
            }
        }
        for (candidate, runs) in candidates.iter().zip(cited) {
            let ratios: Vec<f64> = runs.iter().map(|r| r.ratio).collect();
            if let Some(score) = score_from_ratios(&ratios) {
                scores.push(MeasuredScore {
                    candidate: candidate.clone(),
                    dimension: dimension.to_owned(),
                    score,
                    runs,
                });
            }
        }
    }
    scores
}

/// Each figure as a share of the largest; none for a missing figure, and none at all when
/// no figure is above zero (a share of nothing says nothing). A figure that is not a
/// number of requests (negative, infinite) counts as missing.
pub fn shares_of_best(figures: &[Option<f64>]) -> Vec<Option<f64>> {
    let usable = |f: &Option<f64>| f.filter(|f| f.is_finite() && *f >= 0.0);
    let best = figures.iter().filter_map(usable).fold(0.0, f64::max);
    figures
        .iter()
        .map(|f| usable(f).filter(|_| best > 0.0).map(|f| f / best))
        .collect()
}

/// 1 + 4 × the mean of `ratios` (each 0-1), rounded to the nearest whole number, halves
/// up, and kept within 1-5; `None` without ratios.
pub fn score_from_ratios(ratios: &[f64]) -> Option<u8> {
    if ratios.is_empty() {
        return None;
    }
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    // The clamp keeps the score on the scale even should a ratio fall outside 0-1.
    Some((1.0 + 4.0 * mean).round().clamp(1.0, 5.0) as u8)
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

/// The ranking, with the facts and measurements its scores come from. A measured score
/// takes the place of the fact's on its dimension.
fn rank(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::benchmarks::model::ScenarioRef;

    #[test]
    fn the_score_is_one_plus_four_times_the_mean_ratio_rounded() {
        assert_eq!(score_from_ratios(&[1.0]), Some(5));
        assert_eq!(score_from_ratios(&[0.0]), Some(1));
        assert_eq!(score_from_ratios(&[0.5]), Some(3));
        assert_eq!(score_from_ratios(&[0.8]), Some(4), "4.2 rounds down");
        assert_eq!(score_from_ratios(&[0.625]), Some(4), "3.5: halves round up");
        assert_eq!(score_from_ratios(&[0.375]), Some(3), "2.5: halves round up");
        assert_eq!(score_from_ratios(&[0.36]), Some(2), "2.44 rounds down");
        assert_eq!(score_from_ratios(&[36_735.0 / 39_947.0]), Some(5), "4.68");
        // The mean of the ratios, not of the scores: (1 + 0.5) / 2 = 0.75, so 4.
        assert_eq!(score_from_ratios(&[1.0, 0.5]), Some(4));
        assert_eq!(score_from_ratios(&[0.2, 0.1, 0.15]), Some(2), "1.6");
        // Kept on the scale whatever comes in.
        assert_eq!(score_from_ratios(&[1.5]), Some(5));
        assert_eq!(score_from_ratios(&[-1.0]), Some(1));
        assert_eq!(score_from_ratios(&[]), None);
    }

    #[test]
    fn ratios_are_to_the_best_candidate() {
        let shares = shares_of_best(&[Some(36_735.0), Some(39_947.0), None]);
        assert_eq!(shares[1], Some(1.0));
        assert_eq!(shares[2], None);
        let actix = shares[0].expect("a share");
        assert!((actix - 0.9196).abs() < 1e-4, "{actix}");
        // Nothing per second anywhere: no shares rather than divisions by zero.
        assert_eq!(shares_of_best(&[Some(0.0), Some(0.0)]), [None, None]);
        // What is not a number of requests is no result.
        assert_eq!(
            shares_of_best(&[Some(f64::NAN), Some(-3.0), Some(10.0), Some(f64::INFINITY)]),
            [None, None, Some(1.0), None]
        );
        assert!(shares_of_best(&[]).is_empty());
    }

    /// `technology`'s result of `rps` in `scenario`, run `run`, as the best of `about`.
    fn best(
        scenario: &str,
        about: &str,
        technology: &str,
        rps: f64,
        run: i32,
    ) -> benchmarks::Evidence {
        crate::benchmarks::queries::testing::found(scenario, about, technology, rps, run)
    }

    fn scenario_ref(slug: &str) -> ScenarioRef {
        ScenarioRef {
            slug: slug.to_owned(),
            name: slug.to_uppercase(),
        }
    }

    fn link(id: i32, scenario: &str, dimension: &str) -> Linked {
        Linked {
            id,
            scenario: scenario_ref(scenario),
            dimension: dimension.to_owned(),
        }
    }

    #[test]
    fn measured_scores_average_the_ratios_of_the_linked_scenarios() {
        let linked = [
            link(1, "fortunes", "performance"),
            link(2, "plaintext", "performance"),
            link(3, "startup", "compile-time"),
        ];
        let best = [
            best("fortunes", "go", "fasthttp", 40_000.0, 3),
            best("fortunes", "rust", "actix-web", 20_000.0, 3),
            best("plaintext", "rust", "actix-web", 100_000.0, 4),
            best("plaintext", "go", "fasthttp", 50_000.0, 4),
            // Not in a linked scenario: ignored.
            best("json", "python", "django", 1_000_000.0, 5),
        ];
        let candidates = ["go".to_owned(), "rust".to_owned(), "python".to_owned()];
        let scores = measured_scores(&linked, &best, &candidates);
        let found: Vec<(&str, &str, u8)> = scores
            .iter()
            .map(|m| (m.candidate.as_str(), m.dimension.as_str(), m.score))
            .collect();
        // Go: (1 + 0.5) / 2 = 0.75, so 4; Rust: (0.5 + 1) / 2, so 4 too. Python has no
        // result in a linked scenario, nor anyone in the one on compile time.
        assert_eq!(
            found,
            [("go", "performance", 4), ("rust", "performance", 4)]
        );
        let go = &scores[0];
        assert_eq!(go.runs.len(), 2);
        assert_eq!(go.runs[0].scenario, "fortunes");
        assert_eq!(go.runs[0].scenario_name, "FORTUNES");
        assert_eq!(go.runs[0].run_id, 3);
        assert_eq!(go.runs[0].ratio, 1.0);
        assert_eq!(go.runs[0].implementation, "fasthttp with a database");
        assert_eq!(go.runs[0].technology.slug, "fasthttp");
        assert_eq!(go.runs[0].rps(), "40,000");
        assert_eq!(go.runs[1].scenario, "plaintext");
        assert_eq!(go.runs[1].ratio, 0.5);

        // Alone in a scenario, a candidate is the best there.
        let alone = measured_scores(&linked[..1], &best[1..2], &candidates);
        assert_eq!(alone.len(), 1);
        assert_eq!((alone[0].candidate.as_str(), alone[0].score), ("rust", 5));
        assert!(measured_scores(&[], &best, &candidates).is_empty());
    }

    #[test]
    fn advice_recorded_before_measurements_still_reads() {
        let recorded = serde_json::json!({
            "query": "t=go&t=rust&time-to-market=must",
            "candidates": [],
            "requirements": [],
            "ranking": {"ranked": [], "excluded": [], "max_points": 4.0, "flips": []},
            "evidence": []
        });
        let advice: Advice = serde_json::from_value(recorded).expect("old advice reads");
        assert!(advice.measured.is_empty());
        let again = serde_json::to_value(&advice).expect("JSON");
        assert_eq!(again["measured"], serde_json::json!([]));
        let back: Advice = serde_json::from_value(again).expect("new advice reads");
        assert_eq!(back, advice);
    }
}
