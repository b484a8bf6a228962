//! The advisor's method: a pure function from requirements, each marked with how much it
//! matters, and candidates' scores to a ranking that explains itself.
//!
//! - A requirement weighs some scored dimensions (1-5 each). A candidate's *fit* on it is the
//!   weighted mean of its scores on them, mapped from 1-5 onto 0-1. A dimension the catalog
//!   has no score for counts as 3, the middle of the scale, and is flagged as assumed.
//! - Importance multiplies: irrelevant 0, nice 1, important 2, must 4. A candidate's points
//!   are the sum of importance × fit; the most anyone can have is the sum of the importances.
//!   Every requirement therefore splits its importance into points *earned* and points *lost*.
//! - A requirement marked must may carry a constraint: a minimum score on one dimension. A
//!   candidate below it, or without a score there, is excluded, with the reason.
//! - The ranking is by points, then name, then slug, so it does not depend on the order of
//!   the inputs; sums run in requirement-slug order, so neither do the points, to the bit.
//! - A *flip* is a single change of one requirement's importance that puts another candidate
//!   first: what would change the top choice.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How much a requirement matters to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Importance {
    Irrelevant,
    Nice,
    Important,
    Must,
}

impl Importance {
    /// Strongest first, as forms offer them.
    pub const ALL: [Importance; 4] = [
        Importance::Must,
        Importance::Important,
        Importance::Nice,
        Importance::Irrelevant,
    ];

    /// What a requirement's fit is multiplied by.
    pub fn multiplier(self) -> f64 {
        match self {
            Importance::Irrelevant => 0.0,
            Importance::Nice => 1.0,
            Importance::Important => 2.0,
            Importance::Must => 4.0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Importance::Irrelevant => "irrelevant",
            Importance::Nice => "nice",
            Importance::Important => "important",
            Importance::Must => "must",
        }
    }

    /// As a sentence says it: "a must", "nice to have".
    pub fn phrase(self) -> &'static str {
        match self {
            Importance::Irrelevant => "irrelevant",
            Importance::Nice => "nice to have",
            Importance::Important => "important",
            Importance::Must => "a must",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|i| i.as_str() == value)
            .ok_or_else(|| format!("must be must, important, nice or irrelevant, not `{value}`"))
    }
}

/// A requirement as the method sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub slug: String,
    pub name: String,
    /// Scored dimensions by slug, each weighing 1-5.
    pub weights: Vec<(String, u8)>,
    pub constraint: Option<Constraint>,
}

/// Applies when the requirement is a must: a candidate needs at least `min` on `dimension`.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub dimension: String,
    pub dimension_name: String,
    pub min: u8,
}

/// A candidate technology and its scores, by dimension slug.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub slug: String,
    pub name: String,
    pub scores: BTreeMap<String, u8>,
}

/// The score a missing fact counts as.
pub const ASSUMED_SCORE: u8 = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// Best first.
    pub ranked: Vec<Ranked>,
    pub excluded: Vec<Excluded>,
    /// The points a candidate that fits every requirement perfectly would have.
    pub max_points: f64,
    /// Single changes of importance that would put another candidate first, at most one per
    /// candidate, the smallest change first.
    pub flips: Vec<Flip>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub slug: String,
    pub name: String,
    pub points: f64,
    /// Points as a share of the maximum, 0-1.
    pub share: f64,
    /// One per requirement that matters, in the requirements' order.
    pub contributions: Vec<Contribution>,
    /// Where another candidate fits better, the biggest gap first.
    pub trade_offs: Vec<TradeOff>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub requirement: String,
    pub name: String,
    pub importance: Importance,
    /// 0-1.
    pub fit: f64,
    pub earned: f64,
    pub lost: f64,
    pub dimensions: Vec<DimensionFit>,
}

/// One dimension a requirement weighs, as it came out for one candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionFit {
    pub dimension: String,
    pub weight: u8,
    pub score: u8,
    /// No score in the catalog: counted as [`ASSUMED_SCORE`].
    pub assumed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeOff {
    pub requirement: String,
    pub name: String,
    /// Points behind the candidate that fits the requirement best.
    pub behind: f64,
    pub leader: String,
    pub leader_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excluded {
    pub slug: String,
    pub name: String,
    pub requirement: String,
    pub requirement_name: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flip {
    pub requirement: String,
    pub name: String,
    pub from: Importance,
    pub to: Importance,
    /// Who would rank first then.
    pub leader: String,
    pub leader_name: String,
}

impl Ranked {
    /// The requirements that earned it the most points, most first.
    pub fn helped_most(&self, n: usize) -> Vec<&Contribution> {
        let mut helped: Vec<_> = self
            .contributions
            .iter()
            .filter(|c| c.earned > 0.0)
            .collect();
        helped.sort_by(|a, b| b.earned.total_cmp(&a.earned));
        helped.truncate(n);
        helped
    }

    /// The requirements that cost it the most points, most first.
    pub fn hurt_most(&self, n: usize) -> Vec<&Contribution> {
        let mut hurt: Vec<_> = self.contributions.iter().filter(|c| c.lost > 0.0).collect();
        hurt.sort_by(|a, b| b.lost.total_cmp(&a.lost));
        hurt.truncate(n);
        hurt
    }
}

/// Ranks `candidates` on `requirements`, each with how much it matters.
pub fn rank(requirements: &[(Requirement, Importance)], candidates: &[Candidate]) -> Ranking {
    let mut ranking = rank_only(requirements, candidates);
    ranking.flips = flips(requirements, candidates, ranking.ranked.first());
    ranking
}

/// The ranking without its flips.
fn rank_only(requirements: &[(Requirement, Importance)], candidates: &[Candidate]) -> Ranking {
    let mut marked: Vec<&(Requirement, Importance)> = requirements
        .iter()
        .filter(|(_, importance)| *importance != Importance::Irrelevant)
        .collect();
    marked.sort_by(|a, b| a.0.slug.cmp(&b.0.slug));
    let max_points = marked.iter().map(|(_, i)| i.multiplier()).sum::<f64>();

    let mut ranked = Vec::new();
    let mut excluded = Vec::new();
    for candidate in candidates {
        match marked.iter().find_map(|(r, i)| refusal(r, *i, candidate)) {
            Some(refused) => excluded.push(refused),
            None => ranked.push(assess(&marked, candidate, max_points)),
        }
    }
    ranked.sort_by(|a, b| {
        points_key(b.points)
            .cmp(&points_key(a.points))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    excluded.sort_by(|a, b| a.slug.cmp(&b.slug));
    add_trade_offs(&mut ranked);
    // Shown in the order the requirements were given.
    let order: BTreeMap<&str, usize> = requirements
        .iter()
        .enumerate()
        .map(|(n, (r, _))| (r.slug.as_str(), n))
        .collect();
    for candidate in &mut ranked {
        candidate
            .contributions
            .sort_by_key(|c| order.get(c.requirement.as_str()).copied());
    }
    Ranking {
        ranked,
        excluded,
        max_points,
        flips: Vec::new(),
    }
}

/// Points compared to a millionth, so that sums equal but for rounding rank as equal.
fn points_key(points: f64) -> i64 {
    (points * 1e6).round() as i64
}

/// Why `candidate` fails `requirement`'s constraint, if it applies and fails.
fn refusal(
    requirement: &Requirement,
    importance: Importance,
    candidate: &Candidate,
) -> Option<Excluded> {
    let constraint = requirement.constraint.as_ref()?;
    if importance != Importance::Must {
        return None;
    }
    let has = match candidate.scores.get(&constraint.dimension) {
        Some(&score) if score >= constraint.min => return None,
        Some(score) => format!("scores {score}"),
        None => "has no score there".to_owned(),
    };
    Some(Excluded {
        slug: candidate.slug.clone(),
        name: candidate.name.clone(),
        requirement: requirement.slug.clone(),
        requirement_name: requirement.name.clone(),
        reason: format!(
            "{} is a must, which needs at least {}/5 on {}; {} {has}.",
            requirement.name, constraint.min, constraint.dimension_name, candidate.name
        ),
    })
}

fn assess(marked: &[&(Requirement, Importance)], candidate: &Candidate, max_points: f64) -> Ranked {
    let contributions: Vec<Contribution> = marked
        .iter()
        .map(|(requirement, importance)| contribution(requirement, *importance, candidate))
        .collect();
    let points = contributions.iter().map(|c| c.earned).sum::<f64>();
    Ranked {
        slug: candidate.slug.clone(),
        name: candidate.name.clone(),
        points,
        share: if max_points > 0.0 {
            points / max_points
        } else {
            0.0
        },
        contributions,
        trade_offs: Vec::new(),
    }
}

fn contribution(
    requirement: &Requirement,
    importance: Importance,
    candidate: &Candidate,
) -> Contribution {
    let dimensions: Vec<DimensionFit> = requirement
        .weights
        .iter()
        .map(|(dimension, weight)| {
            let found = candidate.scores.get(dimension).copied();
            DimensionFit {
                dimension: dimension.clone(),
                weight: *weight,
                score: found.unwrap_or(ASSUMED_SCORE),
                assumed: found.is_none(),
            }
        })
        .collect();
    let total_weight: u32 = dimensions.iter().map(|d| u32::from(d.weight)).sum();
    let weighted: u32 = dimensions
        .iter()
        .map(|d| u32::from(d.weight) * u32::from(d.score - 1))
        .sum();
    // A requirement that weighs nothing cannot tell candidates apart: everyone fits it.
    let fit = if total_weight == 0 {
        1.0
    } else {
        f64::from(weighted) / f64::from(4 * total_weight)
    };
    let multiplier = importance.multiplier();
    Contribution {
        requirement: requirement.slug.clone(),
        name: requirement.name.clone(),
        importance,
        fit,
        earned: multiplier * fit,
        lost: multiplier * (1.0 - fit),
        dimensions,
    }
}

/// For each candidate, the requirements on which another fits better, and by how much.
fn add_trade_offs(ranked: &mut [Ranked]) {
    let mut leaders: BTreeMap<String, (f64, String, String)> = BTreeMap::new();
    for candidate in ranked.iter() {
        for c in &candidate.contributions {
            let better = leaders
                .get(&c.requirement)
                .is_none_or(|(fit, _, _)| points_key(c.fit) > points_key(*fit));
            if better {
                leaders.insert(
                    c.requirement.clone(),
                    (c.fit, candidate.slug.clone(), candidate.name.clone()),
                );
            }
        }
    }
    for candidate in ranked.iter_mut() {
        let mut trade_offs: Vec<TradeOff> = candidate
            .contributions
            .iter()
            .filter_map(|c| {
                let (fit, slug, name) = &leaders[&c.requirement];
                let behind = c.importance.multiplier() * (fit - c.fit);
                (points_key(behind) > 0).then(|| TradeOff {
                    requirement: c.requirement.clone(),
                    name: c.name.clone(),
                    behind,
                    leader: slug.clone(),
                    leader_name: name.clone(),
                })
            })
            .collect();
        trade_offs.sort_by(|a, b| {
            points_key(b.behind)
                .cmp(&points_key(a.behind))
                .then_with(|| a.requirement.cmp(&b.requirement))
        });
        candidate.trade_offs = trade_offs;
    }
}

/// The smallest single change of importance that puts each other candidate first.
fn flips(
    requirements: &[(Requirement, Importance)],
    candidates: &[Candidate],
    top: Option<&Ranked>,
) -> Vec<Flip> {
    let top = top.map(|t| t.slug.as_str());
    let mut order: Vec<usize> = (0..requirements.len()).collect();
    order.sort_by(|&a, &b| requirements[a].0.slug.cmp(&requirements[b].0.slug));
    // (distance, requirement position, flip) for each new leader.
    let mut best: BTreeMap<String, (u8, usize, Flip)> = BTreeMap::new();
    for (position, &n) in order.iter().enumerate() {
        let (requirement, from) = &requirements[n];
        for to in Importance::ALL.into_iter().filter(|to| to != from) {
            let mut changed = requirements.to_vec();
            changed[n].1 = to;
            let ranking = rank_only(&changed, candidates);
            let Some(leader) = ranking.ranked.first() else {
                continue;
            };
            if Some(leader.slug.as_str()) == top {
                continue;
            }
            let distance = (*from as u8).abs_diff(to as u8);
            let flip = Flip {
                requirement: requirement.slug.clone(),
                name: requirement.name.clone(),
                from: *from,
                to,
                leader: leader.slug.clone(),
                leader_name: leader.name.clone(),
            };
            let closer = best
                .get(&leader.slug)
                .is_none_or(|(d, p, _)| (distance, position) < (*d, *p));
            if closer {
                best.insert(leader.slug.clone(), (distance, position, flip));
            }
        }
    }
    let mut flips: Vec<(u8, usize, Flip)> = best.into_values().collect();
    flips.sort_by(|a, b| (a.0, a.1, &a.2.leader).cmp(&(b.0, b.1, &b.2.leader)));
    flips.into_iter().map(|(_, _, flip)| flip).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn requirement(slug: &str, weights: &[(&str, u8)]) -> Requirement {
        Requirement {
            slug: slug.to_owned(),
            name: slug.replace('-', " "),
            weights: weights.iter().map(|(d, w)| ((*d).to_owned(), *w)).collect(),
            constraint: None,
        }
    }

    fn candidate(slug: &str, scores: &[(&str, u8)]) -> Candidate {
        Candidate {
            slug: slug.to_owned(),
            name: slug.to_uppercase(),
            scores: scores.iter().map(|(d, s)| ((*d).to_owned(), *s)).collect(),
        }
    }

    /// Go and Rust on the demo dataset's scores that the examples use.
    fn go_and_rust() -> Vec<Candidate> {
        vec![
            candidate(
                "go",
                &[
                    ("velocity", 5),
                    ("learning", 5),
                    ("speed", 4),
                    ("safety", 4),
                ],
            ),
            candidate(
                "rust",
                &[
                    ("velocity", 3),
                    ("learning", 2),
                    ("speed", 5),
                    ("safety", 5),
                ],
            ),
        ]
    }

    fn slugs(ranking: &Ranking) -> Vec<&str> {
        ranking.ranked.iter().map(|r| r.slug.as_str()).collect()
    }

    #[test]
    fn fit_is_the_weighted_mean_score_on_a_zero_to_one_scale() {
        let r = requirement("ship", &[("velocity", 3), ("learning", 1)]);
        let ranking = rank(&[(r, Importance::Important)], &go_and_rust());
        assert_eq!(slugs(&ranking), ["go", "rust"]);
        assert_eq!(ranking.max_points, 2.0);
        let go = &ranking.ranked[0].contributions[0];
        assert_eq!(go.fit, 1.0);
        assert_eq!((go.earned, go.lost), (2.0, 0.0));
        // Rust: (3 × (3-1) + 1 × (2-1)) / (4 × 4) = 7/16.
        let rust = &ranking.ranked[1].contributions[0];
        assert_eq!(rust.fit, 7.0 / 16.0);
        assert_eq!(rust.earned + rust.lost, 2.0);
        assert_eq!(ranking.ranked[1].share, 7.0 / 16.0);
    }

    #[test]
    fn a_missing_score_counts_as_the_middle_and_is_flagged() {
        let r = requirement("fast", &[("speed", 1)]);
        let ranking = rank(
            &[(r, Importance::Nice)],
            &[candidate("python", &[]), candidate("go", &[("speed", 4)])],
        );
        let python = ranking.ranked.iter().find(|r| r.slug == "python").unwrap();
        let dimension = &python.contributions[0].dimensions[0];
        assert_eq!((dimension.score, dimension.assumed), (ASSUMED_SCORE, true));
        assert_eq!(python.points, 0.5);
    }

    #[test]
    fn a_must_constraint_excludes_with_the_reason() {
        let mut r = requirement("safe", &[("safety", 2)]);
        r.constraint = Some(Constraint {
            dimension: "safety".into(),
            dimension_name: "Memory safety".into(),
            min: 5,
        });
        let mut candidates = go_and_rust();
        candidates.push(candidate("python", &[]));
        let ranking = rank(&[(r.clone(), Importance::Must)], &candidates);
        assert_eq!(slugs(&ranking), ["rust"]);
        let reasons: Vec<_> = ranking.excluded.iter().map(|e| e.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "safe is a must, which needs at least 5/5 on Memory safety; GO scores 4.",
                "safe is a must, which needs at least 5/5 on Memory safety; PYTHON has no score there.",
            ]
        );
        // Only a must applies the constraint.
        let ranking = rank(&[(r, Importance::Important)], &candidates);
        assert!(ranking.excluded.is_empty());
        assert_eq!(ranking.ranked.len(), 3);
    }

    #[test]
    fn trade_offs_name_who_fits_better_and_by_how_much() {
        let requirements = [
            (requirement("ship", &[("velocity", 1)]), Importance::Must),
            (requirement("fast", &[("speed", 1)]), Importance::Important),
        ];
        let ranking = rank(&requirements, &go_and_rust());
        let rust = ranking.ranked.iter().find(|r| r.slug == "rust").unwrap();
        assert_eq!(rust.trade_offs.len(), 1);
        assert_eq!(rust.trade_offs[0].requirement, "ship");
        assert_eq!(rust.trade_offs[0].leader, "go");
        // Must (4) × (1 - 0.5).
        assert_eq!(rust.trade_offs[0].behind, 2.0);
        let go = &ranking.ranked[0];
        assert_eq!(go.trade_offs[0].requirement, "fast");
        assert_eq!(go.trade_offs[0].behind, 0.5);
        assert_eq!(go.helped_most(1)[0].requirement, "ship");
        assert_eq!(go.hurt_most(1)[0].requirement, "fast");
    }

    #[test]
    fn a_flip_is_the_smallest_change_that_puts_another_first() {
        let requirements = [
            (
                requirement("ship", &[("velocity", 1)]),
                Importance::Important,
            ),
            (requirement("fast", &[("speed", 1)]), Importance::Nice),
        ];
        let ranking = rank(&requirements, &go_and_rust());
        assert_eq!(slugs(&ranking), ["go", "rust"]);
        // Go 2 × 1 + 1 × 0.75 = 2.75, Rust 2 × 0.5 + 1 × 1 = 2: making speed a must
        // (Rust 1 + 4 = 5, Go 2 + 3 = 5) ties, and a tie goes by name: GO first. Dropping
        // shipping to irrelevant is the closest flip (two steps), putting Rust first.
        assert_eq!(
            ranking.flips,
            [Flip {
                requirement: "ship".into(),
                name: "ship".into(),
                from: Importance::Important,
                to: Importance::Irrelevant,
                leader: "rust".into(),
                leader_name: "RUST".into(),
            }]
        );
    }

    #[test]
    fn nothing_marked_ranks_everyone_level_by_name() {
        let ranking = rank(
            &[(
                requirement("ship", &[("velocity", 1)]),
                Importance::Irrelevant,
            )],
            &go_and_rust(),
        );
        assert_eq!(ranking.max_points, 0.0);
        assert_eq!(slugs(&ranking), ["go", "rust"]);
        assert!(
            ranking
                .ranked
                .iter()
                .all(|r| r.points == 0.0 && r.share == 0.0)
        );
        assert!(ranking.ranked[0].contributions.is_empty());
    }

    #[test]
    fn importance_parses_and_orders() {
        for importance in Importance::ALL {
            assert_eq!(Importance::parse(importance.as_str()), Ok(importance));
        }
        assert!(Importance::parse("Must").is_err());
        assert!(Importance::Must > Importance::Important);
        assert!(Importance::Nice > Importance::Irrelevant);
    }

    const DIMENSIONS: [&str; 4] = ["a", "b", "c", "d"];

    fn arb_importance() -> impl Strategy<Value = Importance> {
        prop::sample::select(Importance::ALL.to_vec())
    }

    prop_compose! {
        fn arb_requirement(n: usize)(
            weights in prop::collection::btree_map(prop::sample::select(DIMENSIONS.to_vec()), 1u8..=5, 1..=3),
            constraint in prop::option::of((prop::sample::select(DIMENSIONS.to_vec()), 1u8..=5)),
        ) -> Requirement {
            Requirement {
                slug: format!("r{n}"),
                name: format!("R{n}"),
                weights: weights.into_iter().map(|(d, w)| (d.to_owned(), w)).collect(),
                constraint: constraint.map(|(d, min)| Constraint {
                    dimension: d.to_owned(),
                    dimension_name: d.to_uppercase(),
                    min,
                }),
            }
        }
    }

    prop_compose! {
        fn arb_candidate(n: usize)(
            scores in prop::collection::btree_map(prop::sample::select(DIMENSIONS.to_vec()), 1u8..=5, 0..=4),
            same_name in any::<bool>(),
        ) -> Candidate {
            Candidate {
                slug: format!("c{n}"),
                // Some candidates share a name, so ties fall through to the slug.
                name: if same_name { "Same".to_owned() } else { format!("C{n}") },
                scores: scores.into_iter().map(|(d, s)| (d.to_owned(), s)).collect(),
            }
        }
    }

    fn arb_inputs() -> impl Strategy<Value = (Vec<(Requirement, Importance)>, Vec<Candidate>)> {
        let requirements = (1usize..=4).prop_flat_map(|n| {
            (0..n)
                .map(|i| (arb_requirement(i), arb_importance()))
                .collect::<Vec<_>>()
        });
        let candidates =
            (1usize..=4).prop_flat_map(|n| (0..n).map(arb_candidate).collect::<Vec<_>>());
        (requirements, candidates)
    }

    fn without_constraints(requirements: &mut [(Requirement, Importance)]) {
        for (requirement, _) in requirements {
            requirement.constraint = None;
        }
    }

    proptest! {
        #[test]
        fn the_ranking_does_not_depend_on_the_order_of_inputs(
            (requirements, candidates) in arb_inputs(),
            shift_r in 0usize..4,
            shift_c in 0usize..4,
        ) {
            let before = rank(&requirements, &candidates);
            let mut requirements2 = requirements.clone();
            requirements2.reverse();
            let n = requirements2.len();
            requirements2.rotate_left(shift_r % n);
            let mut candidates2 = candidates.clone();
            candidates2.reverse();
            let n = candidates2.len();
            candidates2.rotate_left(shift_c % n);
            let after = rank(&requirements2, &candidates2);
            let key = |r: &Ranking| r.ranked.iter().map(|c| (c.slug.clone(), c.points.to_bits())).collect::<Vec<_>>();
            prop_assert_eq!(key(&before), key(&after));
            prop_assert_eq!(&before.excluded, &after.excluded);
            let flips = |r: &Ranking| r.flips.iter().map(|f| (f.leader.clone(), f.requirement.clone(), f.to)).collect::<Vec<_>>();
            prop_assert_eq!(flips(&before), flips(&after));
        }

        #[test]
        fn raising_a_requirement_never_lowers_the_score_or_rank_of_the_candidate_best_on_it(
            (mut requirements, candidates) in arb_inputs(),
            pick in 0usize..4,
        ) {
            // Without constraints, so that raising to a must cannot exclude anyone.
            without_constraints(&mut requirements);
            let n = pick % requirements.len();
            let before = rank(&requirements, &candidates);
            let fit = |c: &Candidate| contribution(&requirements[n].0, Importance::Nice, c).fit;
            let Some(best) = candidates.iter().max_by(|a, b| fit(a).total_cmp(&fit(b))).map(|c| c.slug.clone()) else {
                return Ok(());
            };
            for higher in Importance::ALL.into_iter().filter(|i| *i > requirements[n].1) {
                let mut raised = requirements.clone();
                raised[n].1 = higher;
                let after = rank(&raised, &candidates);
                let find = |r: &Ranking| r.ranked.iter().position(|c| c.slug == best).map(|p| (p, r.ranked[p].points));
                let (Some((rank_before, points_before)), Some((rank_after, points_after))) = (find(&before), find(&after)) else {
                    return Err(TestCaseError::fail("the best candidate vanished"));
                };
                prop_assert!(points_after >= points_before, "{points_after} < {points_before}");
                prop_assert!(rank_after <= rank_before, "rank {rank_after} > {rank_before}");
            }
        }

        #[test]
        fn points_are_earned_out_of_the_maximum(
            (requirements, candidates) in arb_inputs(),
        ) {
            let ranking = rank(&requirements, &candidates);
            prop_assert_eq!(ranking.ranked.len() + ranking.excluded.len(), candidates.len());
            for candidate in &ranking.ranked {
                prop_assert!(candidate.points >= 0.0 && candidate.points <= ranking.max_points + 1e-9);
                prop_assert!((0.0..=1.0).contains(&candidate.share));
                for c in &candidate.contributions {
                    prop_assert!((c.earned + c.lost - c.importance.multiplier()).abs() < 1e-9);
                }
            }
            for pair in ranking.ranked.windows(2) {
                prop_assert!(points_key(pair[0].points) >= points_key(pair[1].points));
            }
        }

        #[test]
        fn excluded_are_exactly_those_below_a_must_constraint(
            (requirements, candidates) in arb_inputs(),
        ) {
            let ranking = rank(&requirements, &candidates);
            for candidate in &candidates {
                let fails = requirements.iter().any(|(r, i)| {
                    *i == Importance::Must
                        && r.constraint.as_ref().is_some_and(|c| {
                            candidate.scores.get(&c.dimension).is_none_or(|s| *s < c.min)
                        })
                });
                let excluded = ranking.excluded.iter().any(|e| e.slug == candidate.slug);
                prop_assert_eq!(fails, excluded, "{}", candidate.slug);
            }
        }

        #[test]
        fn every_flip_really_puts_its_leader_first(
            (requirements, candidates) in arb_inputs(),
        ) {
            let ranking = rank(&requirements, &candidates);
            for flip in &ranking.flips {
                let mut changed = requirements.clone();
                let n = changed.iter().position(|(r, _)| r.slug == flip.requirement).unwrap();
                prop_assert_eq!(changed[n].1, flip.from);
                changed[n].1 = flip.to;
                let after = rank(&changed, &candidates);
                prop_assert_eq!(after.ranked.first().map(|r| r.slug.as_str()), Some(flip.leader.as_str()));
                prop_assert_ne!(ranking.ranked.first().map(|r| r.slug.as_str()), Some(flip.leader.as_str()));
            }
        }
    }
}
