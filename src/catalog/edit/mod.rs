//! The catalog's editable kinds: technologies, dimensions, sources and facts, each with its
//! fields, rules, admin form and JSON resource. How they are written is the editing layer's
//! ([`crate::editing`]).

mod dimension;
mod fact;
mod fact_grid;
mod fact_rules;
mod source;
mod technology;

pub use dimension::Dimension;
pub use fact::key as fact_key;
pub use fact_grid::{GridOutcome, save_grid};
pub use fact_rules::Fact;
pub use source::Source;
pub use technology::Technology;
