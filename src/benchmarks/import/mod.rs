//! Importing a load tool's output. The upload's choices are checked ([`Settings`]) and its
//! file read; the file is kept as an unconfirmed upload, and what would be stored is laid
//! out as a [`Plan`] for the preview. On confirmation, the plan is stored in one
//! transaction: the runs, their results, and the technologies and scenarios it creates.

mod delete;
mod matching;
mod plan;
mod planning;
mod prepare;
mod settings;
mod slug;
mod store;
mod techempower;
mod upload;

pub use delete::delete_run;
pub use matching::NEW_TECHNOLOGY;
pub use plan::{Plan, PlannedResult, PlannedRun, PlannedScenario, Target};
pub use planning::plan;
pub use prepare::{Prepared, prepare};
pub use settings::{SETTINGS_FIELDS, Settings};
pub use slug::slugify;
pub use store::{Imported, Refused, store, store_seeded};
pub use upload::{Staged, cancel, received, stage, staged};
