//! Verdict: an evidence-based technology decision hub for backend teams.
//!
//! Imports run one way: `startup` → capabilities → `web`, `db`, `audit` → `config`.

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
