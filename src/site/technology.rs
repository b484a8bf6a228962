//! A technology's page: its facts from the catalog, and the benchmark results that measured
//! it.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::benchmarks;
use crate::benchmarks::model::ScenarioRef;
use crate::benchmarks::queries::{Evidence, RankedResult};
use crate::catalog::model::TechnologyDetail;
use crate::catalog::queries;
use crate::db::Db;
use crate::editing::params::slug;
use crate::web::{AppError, Layout, PageError, render};

#[derive(Template)]
#[template(path = "site/technology.html")]
struct TechnologyPage {
    layout: Layout,
    detail: TechnologyDetail,
    benchmarks: Vec<Measurements>,
    /// Whether more results exist than the page shows.
    benchmarks_capped: bool,
}

/// One scenario's results that concern a technology, fastest first.
struct Measurements {
    scenario: ScenarioRef,
    results: Vec<RankedResult>,
}

/// `evidence` (by scenario already, as [`benchmarks::queries::evidence`] gives it) grouped
/// under each scenario.
fn by_scenario(evidence: Vec<Evidence>) -> Vec<Measurements> {
    let mut groups: Vec<Measurements> = Vec::new();
    for e in evidence {
        match groups.last_mut() {
            Some(group) if group.scenario == e.scenario => group.results.push(e.result),
            _ => groups.push(Measurements {
                scenario: e.scenario,
                results: vec![e.result],
            }),
        }
    }
    groups
}

pub async fn technology(
    layout: Layout,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let slug = slug(&path)?;
    let (detail, evidence) = db
        .run(move |conn| {
            let Some(detail) = queries::technology(conn, slug.as_str())? else {
                return Ok(None);
            };
            let evidence = benchmarks::queries::evidence(conn, &[slug.to_string()])?;
            Ok(Some((detail, evidence)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let benchmarks_capped = evidence.len() >= benchmarks::queries::EVIDENCE_LIMIT as usize;
    Ok(render(&TechnologyPage {
        layout,
        detail,
        benchmarks: by_scenario(evidence),
        benchmarks_capped,
    })?)
}
