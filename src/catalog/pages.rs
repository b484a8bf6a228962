//! The catalog's pages.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::benchmarks;
use crate::benchmarks::model::ScenarioRef;
use crate::benchmarks::queries::{Evidence, RankedResult};
use crate::catalog::model::{
    DimensionItem, Fact, Kind, SourceItem, TechnologyDetail, TechnologyItem, TechnologyRef,
};
use crate::catalog::queries::{self, TechnologyFilter};
use crate::catalog::{page_query, slug, source_id, technology_query};
use crate::compare::{self, Featured};
use crate::db::Db;
use crate::web::params::Pager;
use crate::web::{AppError, Layout, PageError, Paginated, Params, render};

/// The two technologies the demo question is about, shown first on the home page.
const FEATURED: [&str; 2] = ["go", "rust"];

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    featured: Vec<TechnologyDetail>,
    kinds: Vec<(Kind, i64)>,
    comparisons: Vec<Featured>,
}

pub async fn home(layout: Layout, db: web::Data<Db>) -> Result<HttpResponse, PageError> {
    let (featured, kinds, comparisons) = db
        .run(|conn| {
            let mut featured = Vec::new();
            for slug in FEATURED {
                featured.extend(queries::technology(conn, slug)?);
            }
            Ok((
                featured,
                queries::kind_counts(conn)?,
                compare::available_featured(conn)?,
            ))
        })
        .await?;
    Ok(render(&HomePage {
        layout,
        featured,
        kinds,
        comparisons,
    })?)
}

#[derive(Template)]
#[template(path = "catalog/technologies.html")]
struct TechnologiesPage {
    layout: Layout,
    list: Paginated<TechnologyItem>,
    pager: Pager,
    filter: TechnologyFilter,
    kinds: [Kind; 6],
    languages: Vec<TechnologyRef>,
}

pub async fn technologies(
    layout: Layout,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let (filter, page) = technology_query(&params)?;
    let query = filter.clone();
    let (list, languages) = db
        .run(move |conn| {
            Ok((
                queries::list_technologies(conn, &query, page)?,
                queries::languages_list(conn)?,
            ))
        })
        .await?;
    let pager = list.pager("/technologies", &params);
    Ok(render(&TechnologiesPage {
        layout,
        list,
        pager,
        filter,
        kinds: Kind::ALL,
        languages,
    })?)
}

#[derive(Template)]
#[template(path = "catalog/technology.html")]
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

#[derive(Template)]
#[template(path = "catalog/dimensions.html")]
struct DimensionsPage {
    layout: Layout,
    list: Paginated<DimensionItem>,
    pager: Pager,
}

pub async fn dimensions(
    layout: Layout,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let page = page_query(&params)?;
    let list = db
        .run(move |conn| queries::list_dimensions(conn, page))
        .await?;
    let pager = list.pager("/dimensions", &params);
    Ok(render(&DimensionsPage {
        layout,
        list,
        pager,
    })?)
}

#[derive(Template)]
#[template(path = "catalog/dimension.html")]
struct DimensionPage {
    layout: Layout,
    dimension: DimensionItem,
    facts: Paginated<Fact>,
    pager: Pager,
}

pub async fn dimension(
    layout: Layout,
    db: web::Data<Db>,
    path: web::Path<String>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let slug = slug(&path)?;
    let page = page_query(&params)?;
    let href = format!("/dimensions/{slug}");
    let (dimension, facts) = db
        .run(move |conn| queries::dimension(conn, slug.as_str(), page))
        .await?
        .ok_or(AppError::NotFound)?;
    let pager = facts.pager(&href, &params);
    Ok(render(&DimensionPage {
        layout,
        dimension,
        facts,
        pager,
    })?)
}

#[derive(Template)]
#[template(path = "catalog/sources.html")]
struct SourcesPage {
    layout: Layout,
    list: Paginated<SourceItem>,
    pager: Pager,
}

pub async fn sources(
    layout: Layout,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let page = page_query(&params)?;
    let list = db
        .run(move |conn| queries::list_sources(conn, page))
        .await?;
    let pager = list.pager("/sources", &params);
    Ok(render(&SourcesPage {
        layout,
        list,
        pager,
    })?)
}

#[derive(Template)]
#[template(path = "catalog/source.html")]
struct SourcePage {
    layout: Layout,
    source: SourceItem,
    facts: Paginated<Fact>,
    pager: Pager,
}

pub async fn source(
    layout: Layout,
    db: web::Data<Db>,
    path: web::Path<String>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let id = source_id(&path)?;
    let page = page_query(&params)?;
    let (source, facts) = db
        .run(move |conn| queries::source(conn, id, page))
        .await?
        .ok_or(AppError::NotFound)?;
    let pager = facts.pager(&format!("/sources/{id}"), &params);
    Ok(render(&SourcePage {
        layout,
        source,
        facts,
        pager,
    })?)
}
