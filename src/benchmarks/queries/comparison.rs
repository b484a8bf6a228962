//! Technologies side by side: each one's fastest result in each scenario, and its ratio to
//! the slowest.

use diesel::prelude::*;

use super::evidence::{Evidence, best_evidence};
use super::ranking::RankedResult;
use crate::benchmarks::model::ScenarioRef;
use crate::db::DbConnection;

/// One scenario in a comparison: each compared technology's fastest result there.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScenarioComparison {
    pub scenario: ScenarioRef,
    /// One per technology compared, in the comparison's order.
    pub results: Vec<Compared>,
}

/// A compared technology's place in a scenario.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Compared {
    /// The technology compared, by slug.
    pub technology: String,
    /// Its fastest result here: its own, or for a language one of its frameworks'.
    pub best: Option<RankedResult>,
    /// Its requests per second as a multiple of the slowest compared technology's here;
    /// `None` without a result, or where fewer than two have one (a ratio to itself says
    /// nothing).
    pub ratio: Option<f64>,
}

impl Compared {
    /// "1.09×".
    pub fn times(&self) -> Option<String> {
        self.ratio.map(|ratio| format!("{ratio:.2}×"))
    }
}

/// The technologies `slugs` names side by side in each scenario where one of them has a
/// result: four queries.
pub fn comparison(
    conn: &mut DbConnection,
    slugs: &[String],
) -> QueryResult<Vec<ScenarioComparison>> {
    Ok(side_by_side(best_evidence(conn, slugs, None)?, slugs))
}

/// `best` (as [`best_evidence`] gives it) as one row per scenario, in its order, with a
/// place for each of `technologies` in theirs.
pub fn side_by_side(best: Vec<Evidence>, technologies: &[String]) -> Vec<ScenarioComparison> {
    let mut scenarios: Vec<(ScenarioRef, Vec<Evidence>)> = Vec::new();
    for evidence in best {
        match scenarios.iter_mut().find(|(s, _)| *s == evidence.scenario) {
            Some((_, found)) => found.push(evidence),
            None => scenarios.push((evidence.scenario.clone(), vec![evidence])),
        }
    }
    scenarios
        .into_iter()
        .map(|(scenario, mut found)| {
            let mut results: Vec<Compared> = technologies
                .iter()
                .map(|slug| Compared {
                    technology: slug.clone(),
                    best: found
                        .iter()
                        .position(|e| &e.about == slug)
                        .map(|at| found.swap_remove(at).result),
                    ratio: None,
                })
                .collect();
            let figures: Vec<f64> = results
                .iter()
                .filter_map(|c| Some(c.best.as_ref()?.result.requests_per_sec))
                .collect();
            let slowest = figures.iter().copied().fold(f64::INFINITY, f64::min);
            if figures.len() >= 2 && slowest > 0.0 {
                for compared in &mut results {
                    compared.ratio = compared
                        .best
                        .as_ref()
                        .map(|best| best.result.requests_per_sec / slowest);
                }
            }
            ScenarioComparison { scenario, results }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::benchmarks::queries::testing::found;

    fn slugs(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn each_technology_has_its_place_and_its_ratio_to_the_slowest() {
        let best = vec![
            found("fortunes", "go", "fasthttp", 39_947.0, 3),
            found("fortunes", "rust", "actix-web", 36_735.0, 3),
            found("plaintext", "rust", "actix-web", 100_000.0, 4),
        ];
        let rows = side_by_side(best, &slugs(&["go", "rust", "python"]));
        assert_eq!(rows.len(), 2);
        let fortunes = &rows[0];
        assert_eq!(fortunes.scenario.slug, "fortunes");
        let places: Vec<_> = fortunes
            .results
            .iter()
            .map(|c| (c.technology.as_str(), c.times()))
            .collect();
        assert_eq!(
            places,
            [
                ("go", Some("1.09×".to_owned())),
                ("rust", Some("1.00×".to_owned())),
                ("python", None),
            ]
        );
        assert_eq!(
            fortunes.results[0]
                .best
                .as_ref()
                .map(|b| b.result.technology.slug.as_str()),
            Some("fasthttp")
        );
        assert!(fortunes.results[2].best.is_none());
        // Alone in a scenario: its result, but no ratio to itself.
        let plaintext = &rows[1];
        assert!(plaintext.results[1].best.is_some());
        assert!(plaintext.results.iter().all(|c| c.ratio.is_none()));
    }

    #[test]
    fn one_result_may_be_the_best_of_a_framework_and_of_its_language() {
        let best = vec![
            found("fortunes", "actix-web", "actix-web", 36_735.0, 3),
            found("fortunes", "rust", "actix-web", 36_735.0, 3),
        ];
        let rows = side_by_side(best, &slugs(&["actix-web", "rust"]));
        assert_eq!(rows.len(), 1);
        assert!(rows[0].results.iter().all(|c| c.best.is_some()));
        assert!(rows[0].results.iter().all(|c| c.ratio == Some(1.0)));
    }

    #[test]
    fn nothing_measured_is_no_row() {
        assert!(side_by_side(Vec::new(), &slugs(&["go", "rust"])).is_empty());
        // A slowest of nothing per second gives no ratios rather than infinite ones.
        let best = vec![
            found("fortunes", "go", "go", 0.0, 1),
            found("fortunes", "rust", "rust", 10.0, 1),
        ];
        let rows = side_by_side(best, &slugs(&["go", "rust"]));
        assert!(rows[0].results.iter().all(|c| c.ratio.is_none()));
    }
}
