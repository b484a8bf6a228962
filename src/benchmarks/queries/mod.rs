//! Reading benchmark evidence: a few queries per page whatever the number of runs, each on
//! an index.

mod choices;
mod comparison;
mod environments;
mod evidence;
mod filter;
mod linked;
mod ranking;
mod results;
mod rows;
mod runs;
mod scenarios;
#[cfg(test)]
pub(crate) mod testing;

pub use choices::{Choices, choices};
pub use comparison::{Compared, ScenarioComparison, comparison, side_by_side};
pub use environments::{environment, environments, environments_page};
pub use evidence::{EVIDENCE_LIMIT, Evidence, MAX_CONSIDERED, best_evidence, evidence};
pub use filter::RunFilter;
pub use linked::{Linked, linked_scenarios};
pub use ranking::{MAX_RANKED_RUNS, RankedResult, RunRef, ranking};
pub use results::top_results;
pub use runs::{original_file, run, run_with_results, runs, runs_by_ids};
pub use scenarios::{scenario, scenario_row, scenarios};
