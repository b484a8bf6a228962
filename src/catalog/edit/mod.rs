//! The catalog's editable kinds: technologies, dimensions, sources and facts, each with its
//! fields, rules, admin form and JSON resource. How they are written is the editing layer's
//! ([`crate::editing`]).

mod dimension;
mod fact;
mod source;
mod technology;

pub use dimension::Dimension;
pub use fact::{Fact, GridOutcome, key as fact_key, save_grid};
pub use source::Source;
pub use technology::Technology;
