//! The advice as given and recorded: the ranking with the requirements marked and the facts
//! and measurements its scores come from.

use serde::{Deserialize, Serialize};

use super::measured::MeasuredScore;
use crate::advisor::score::{Importance, Ranking};
use crate::catalog::model::{Fact, TechnologyRef};

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

#[cfg(test)]
mod tests {
    use super::*;

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
