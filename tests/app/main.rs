//! Verdict through HTTP, on SQLite and (with `TEST_DATABASE_URL`) on PostgreSQL.

mod helpers;

mod accounts;
mod admin_accounts;
mod advisor;
mod api_writes;
mod benchmark_evidence;
mod benchmark_scale;
mod benchmarks;
mod cache;
mod catalog_admin;
mod catalog_api;
mod catalog_pages;
mod compare;
mod decisions;
mod editing;
mod hostile_input;
mod outage;
mod sessions;
mod site;
mod startup;
mod statements;
mod synthetic;
mod trust;
