//! Evidence made up for unit tests, here and in the advisor's.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::evidence::Evidence;
use super::ranking::{RankedResult, RunRef};
use crate::benchmarks::model::{Measured, ScenarioRef};
use crate::benchmarks::parse::{Latency, Tool};
use crate::catalog::model::{Kind, TechnologyRef};

/// `technology`'s result of `rps` in `scenario`, run `run`, as evidence on `about`.
pub fn found(scenario: &str, about: &str, technology: &str, rps: f64, run: i32) -> Evidence {
    Evidence {
        scenario: ScenarioRef {
            slug: scenario.to_owned(),
            name: scenario.to_uppercase(),
        },
        result: RankedResult {
            result: Measured {
                id: run * 10,
                run_id: run,
                technology: TechnologyRef {
                    slug: technology.to_owned(),
                    name: technology.to_uppercase(),
                    kind: Kind::Framework,
                },
                label: format!("{technology} with a database"),
                requests_per_sec: rps,
                total_requests: None,
                latency: Latency::default(),
                errors: 0,
                non_2xx: 0,
                status_codes: BTreeMap::new(),
                error_kinds: BTreeMap::new(),
                memory_mib: None,
            },
            run: RunRef {
                id: run,
                tool: Tool::Wrk,
                ran_on: NaiveDate::from_ymd_opt(2026, 11, 21).expect("a date"),
                concurrency: Some(64),
                environment: None,
            },
        },
        about: about.to_owned(),
    }
}
