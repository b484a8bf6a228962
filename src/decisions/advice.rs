//! What a decision takes from an advisor result: a new decision's form filled in from it,
//! and the pros and cons of each option it ranked.

use crate::advisor::{Advice, Importance};
use crate::decisions::snapshot::{OptionRef, RecordedAdvice};

/// A new decision's fields as an advisor result suggests them.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub title: String,
    /// One line per requirement that matters, the strongest first.
    pub drivers: Vec<String>,
    /// The ranked candidates, best first, then those a must excluded: at most `max`.
    pub options: Vec<OptionRef>,
    /// The candidate ranked first, if any was.
    pub chosen: Option<OptionRef>,
    /// Why, as the end of "Chosen option: X, because …".
    pub rationale: String,
    /// The advisor's inputs as its address holds them.
    pub advisor_query: String,
}

/// "Choose between Go and Rust", "Choose between Go, Rust and Java".
pub fn choose_between(names: &[&str]) -> String {
    match names {
        [] => "Choose".to_owned(),
        [one] => format!("Choose {one}"),
        [init @ .., last] => format!("Choose between {} and {last}", init.join(", ")),
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

pub fn suggest(advice: &Advice, max: usize) -> Suggestion {
    let ranking = &advice.ranking;
    let options: Vec<OptionRef> = ranking
        .ranked
        .iter()
        .map(|r| (&r.slug, &r.name))
        .chain(ranking.excluded.iter().map(|e| (&e.slug, &e.name)))
        .take(max)
        .map(|(slug, name)| OptionRef {
            slug: slug.clone(),
            name: name.clone(),
        })
        .collect();
    let names: Vec<&str> = options.iter().map(|o| o.name.as_str()).collect();
    let mut requirements: Vec<_> = advice
        .requirements
        .iter()
        .filter(|r| r.importance != Importance::Irrelevant)
        .collect();
    requirements.sort_by_key(|r| std::cmp::Reverse(r.importance));
    let drivers = requirements
        .iter()
        .map(|r| format!("{} ({})", r.name, r.importance.as_str()))
        .collect();
    let top = ranking.ranked.first();
    let rationale = top.map_or_else(String::new, |top| {
        let helped: Vec<String> = top
            .helped_most(2)
            .iter()
            .map(|c| format!("{} ({})", c.name.to_lowercase(), c.importance.as_str()))
            .collect();
        let mut reason = format!(
            "it came out first in the advisor, with {} of the possible points",
            percent(top.share)
        );
        if !helped.is_empty() {
            reason.push_str(", helped most by ");
            reason.push_str(&helped.join(" and "));
        }
        reason.push('.');
        reason
    });
    Suggestion {
        title: choose_between(&names),
        drivers,
        chosen: top.map(|top| OptionRef {
            slug: top.slug.clone(),
            name: top.name.clone(),
        }),
        options,
        rationale,
        advisor_query: advice.query.clone(),
    }
}

/// An option's pros and cons as the advisor's result gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct ProsCons {
    pub option: OptionRef,
    pub good: Vec<String>,
    pub bad: Vec<String>,
}

/// A requirement fits this well or better to count in an option's favour.
pub const GOOD_FIT: f64 = 0.75;

/// For each option: good, the requirements it fits well; bad, those another option fits
/// better, or the must that excluded it.
pub fn pros_and_cons(advice: &RecordedAdvice, options: &[OptionRef]) -> Vec<ProsCons> {
    options
        .iter()
        .map(|option| {
            let mut good = Vec::new();
            let mut bad = Vec::new();
            let ranking = &advice.ranking;
            if let Some(ranked) = ranking.ranked.iter().find(|r| r.slug == option.slug) {
                good.extend(
                    ranked
                        .contributions
                        .iter()
                        .filter(|c| c.fit >= GOOD_FIT)
                        .map(|c| {
                            format!(
                                "it fits {} well ({}, fit {})",
                                c.name,
                                c.importance,
                                percent(c.fit)
                            )
                        }),
                );
                bad.extend(ranked.trade_offs.iter().map(|t| {
                    format!(
                        "{} fits {} better ({:.1} points ahead)",
                        t.leader_name, t.name, t.behind
                    )
                }));
            }
            bad.extend(
                ranking
                    .excluded
                    .iter()
                    .filter(|e| e.slug == option.slug)
                    .map(|e| format!("a must excludes it: {}", e.reason)),
            );
            ProsCons {
                option: option.clone(),
                good,
                bad,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::{Contribution, Excluded, Marked, Ranked, Ranking, TradeOff};

    fn contribution(name: &str, importance: Importance, fit: f64) -> Contribution {
        Contribution {
            requirement: name.to_lowercase().replace(' ', "-"),
            name: name.into(),
            importance,
            fit,
            earned: importance.multiplier() * fit,
            lost: importance.multiplier() * (1.0 - fit),
            dimensions: Vec::new(),
        }
    }

    fn ranked(slug: &str, name: &str, share: f64, contributions: Vec<Contribution>) -> Ranked {
        Ranked {
            slug: slug.into(),
            name: name.into(),
            points: share * 7.0,
            share,
            contributions,
            trade_offs: Vec::new(),
        }
    }

    fn marked(name: &str, importance: Importance) -> Marked {
        Marked {
            slug: name.to_lowercase().replace(' ', "-"),
            name: name.into(),
            explanation: String::new(),
            importance,
        }
    }

    fn advice() -> Advice {
        let mut rust = ranked(
            "rust",
            "Rust",
            0.6,
            vec![
                contribution("Time to market", Importance::Must, 0.25),
                contribution("Memory safety", Importance::Nice, 1.0),
                contribution("Performance", Importance::Important, 0.75),
            ],
        );
        rust.trade_offs.push(TradeOff {
            requirement: "time-to-market".into(),
            name: "Time to market".into(),
            behind: 3.0,
            leader: "go".into(),
            leader_name: "Go".into(),
        });
        Advice {
            query: "t=go&t=rust&t=python&time-to-market=must".into(),
            candidates: Vec::new(),
            requirements: vec![
                marked("Memory safety", Importance::Nice),
                marked("Time to market", Importance::Must),
                marked("Performance", Importance::Important),
            ],
            ranking: Ranking {
                ranked: vec![
                    ranked(
                        "go",
                        "Go",
                        0.857,
                        vec![
                            contribution("Time to market", Importance::Must, 1.0),
                            contribution("Memory safety", Importance::Nice, 0.5),
                            contribution("Performance", Importance::Important, 0.75),
                        ],
                    ),
                    rust,
                ],
                excluded: vec![Excluded {
                    slug: "python".into(),
                    name: "Python".into(),
                    requirement: "performance".into(),
                    requirement_name: "Performance".into(),
                    reason: "scores 2 on Performance, below the 3 required".into(),
                }],
                max_points: 7.0,
                flips: Vec::new(),
            },
            evidence: Vec::new(),
            measured: Vec::new(),
        }
    }

    fn option(slug: &str, name: &str) -> OptionRef {
        OptionRef {
            slug: slug.into(),
            name: name.into(),
        }
    }

    #[test]
    fn an_advisor_result_fills_in_a_decision() {
        let suggestion = suggest(&advice(), 4);
        assert_eq!(suggestion.title, "Choose between Go, Rust and Python");
        assert_eq!(
            suggestion.options,
            [
                option("go", "Go"),
                option("rust", "Rust"),
                option("python", "Python")
            ]
        );
        assert_eq!(suggestion.chosen, Some(option("go", "Go")));
        assert_eq!(
            suggestion.drivers,
            [
                "Time to market (must)",
                "Performance (important)",
                "Memory safety (nice)"
            ]
        );
        assert_eq!(
            suggestion.rationale,
            "it came out first in the advisor, with 86% of the possible points, helped most \
             by time to market (must) and performance (important)."
        );
        assert_eq!(
            suggestion.advisor_query,
            "t=go&t=rust&t=python&time-to-market=must"
        );
    }

    #[test]
    fn options_are_cut_at_the_most_a_decision_weighs() {
        let suggestion = suggest(&advice(), 2);
        assert_eq!(suggestion.title, "Choose between Go and Rust");
        assert_eq!(suggestion.options.len(), 2);
    }

    #[test]
    fn with_everything_excluded_nothing_is_chosen() {
        let mut advice = advice();
        advice.ranking.ranked.clear();
        let suggestion = suggest(&advice, 4);
        assert_eq!(suggestion.chosen, None);
        assert_eq!(suggestion.rationale, "");
        assert_eq!(suggestion.options, [option("python", "Python")]);
        assert_eq!(suggestion.title, "Choose Python");
        assert_eq!(choose_between(&[]), "Choose");
    }

    #[test]
    fn pros_are_good_fits_and_cons_are_trade_offs_and_exclusions() {
        let options = [
            option("go", "Go"),
            option("rust", "Rust"),
            option("python", "Python"),
            option("java", "Java"),
        ];
        // Read back as a decision's snapshot keeps it.
        let recorded: RecordedAdvice =
            serde_json::from_value(serde_json::to_value(advice()).expect("JSON"))
                .expect("an advisor result reads as a recorded one");
        assert_eq!(recorded.query, advice().query);
        let found = pros_and_cons(&recorded, &options);
        assert_eq!(
            found[0].good,
            [
                "it fits Time to market well (must, fit 100%)",
                "it fits Performance well (important, fit 75%)"
            ]
        );
        assert!(found[0].bad.is_empty());
        assert_eq!(
            found[1].good,
            [
                "it fits Memory safety well (nice, fit 100%)",
                "it fits Performance well (important, fit 75%)"
            ]
        );
        assert_eq!(
            found[1].bad,
            ["Go fits Time to market better (3.0 points ahead)"]
        );
        assert!(found[2].good.is_empty());
        assert_eq!(
            found[2].bad,
            ["a must excludes it: scores 2 on Performance, below the 3 required"]
        );
        assert!(
            found[3].good.is_empty() && found[3].bad.is_empty(),
            "not ranked"
        );
        assert_eq!(found[3].option, option("java", "Java"));
    }
}
