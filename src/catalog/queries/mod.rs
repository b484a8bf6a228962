//! The catalog's queries: plain functions over a connection, shared by pages and API.
//! Each list is one page of rows, plus a count when the page is full; facts and their
//! sources are two queries whatever their number (no N+1).

mod dimensions;
mod facts;
mod rows;
mod sources;
mod technologies;

pub use dimensions::{
    all_dimensions, dimension, dimension_count, list_dimensions, scored_dimensions,
};
pub use facts::{fact_counts, facts_of_technologies};
pub use rows::{lower, technology_ref};
pub use sources::{all_sources, list_sources, source};
pub use technologies::{
    LISTED, TechnologyFilter, all_technology_refs, kind_counts, languages_list, list_technologies,
    listed_technologies, technologies_by_slugs, technologies_page, technology,
};
