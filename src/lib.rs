//! Verdict: an evidence-based technology decision hub for backend teams.
//!
//! Imports run one way, down the layers: `startup`, `config` and `site` (composition) →
//! the capabilities (`decisions` → `advisor`, `compare`, `seed` → `benchmarks` → `catalog`,
//! `accounts`) → `editing` → `web` → `audit` → `db`. `tests/layers.rs` holds them to it.

pub mod accounts;
pub mod advisor;
pub mod audit;
pub mod benchmarks;
pub mod catalog;
pub mod compare;
pub mod config;
pub mod db;
pub mod decisions;
pub mod editing;
pub mod seed;
pub mod site;
pub mod startup;
pub mod web;
