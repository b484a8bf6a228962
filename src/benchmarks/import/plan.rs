//! What an import will store: the plan the preview shows and a confirmation stores.

use chrono::NaiveDate;
use serde::Serialize;

use crate::benchmarks::model::EnvironmentRef;
use crate::benchmarks::parse::{Check, Measurement, Threshold, Tool};
use crate::catalog::model::{SourceRef, TechnologyRef};

/// What an import will store.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub tool: Tool,
    pub filename: String,
    pub ran_on: NaiveDate,
    pub tool_version: String,
    pub environment: Option<EnvironmentRef>,
    pub source: Option<SourceRef>,
    pub notes: String,
    pub runs: Vec<PlannedRun>,
    /// Each target in the file and the technology it is stored as.
    pub targets: Vec<Target>,
    pub checks: Vec<Check>,
    pub thresholds: Vec<Threshold>,
    /// The environment's id.
    #[serde(skip)]
    pub(super) environment_id: Option<i32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedRun {
    pub scenario: PlannedScenario,
    pub concurrency: Option<i32>,
    pub threads: Option<i32>,
    pub duration_secs: Option<f64>,
    pub results: Vec<PlannedResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedResult {
    /// Its `target` names one of the plan's targets.
    #[serde(flatten)]
    pub measurement: Measurement,
    /// Peak memory of the server under test, which no load tool measures.
    pub memory_mib: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedScenario {
    pub slug: String,
    pub name: String,
    /// Created with the import when it does not exist yet.
    pub exists: bool,
    #[serde(skip)]
    pub(super) description: &'static str,
}

/// A target in the file and the technology its results are stored as.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub name: String,
    /// The field that chooses its technology: `map.<name>`.
    pub field: String,
    pub technology: TechnologyRef,
    /// Created with the import.
    pub new: bool,
}
