//! Scores from benchmark results: the candidates' best requests per second in the scenarios
//! linked to a dimension, as shares of the fastest, made a score on the 1-5 scale.

use serde::{Deserialize, Serialize};

use crate::benchmarks::model::thousands;
use crate::benchmarks::queries::{self as benchmarks, Linked};
use crate::catalog::model::TechnologyRef;

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
}
