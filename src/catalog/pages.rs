//! The catalog's pages: the lists, and each dimension and source with its facts.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::catalog::model::{DimensionItem, Fact, Kind, SourceItem, TechnologyItem};
use crate::catalog::params::technology_query;
use crate::catalog::queries::{self, TechnologyFilter};
use crate::db::Db;
use crate::editing::params::{id, page_query, slice_query, slug};
use crate::web::params::Pager;
use crate::web::slice::{Links, Slice, check_found};
use crate::web::{AppError, Layout, PageError, Paginated, Params, render};

#[derive(Template)]
#[template(path = "catalog/technologies.html")]
struct TechnologiesPage {
    layout: Layout,
    list: Slice<TechnologyItem>,
    links: Links,
    filter: TechnologyFilter,
    kinds: [Kind; 6],
}

pub async fn technologies(
    layout: Layout,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let (filter, page) = technology_query(&params)?;
    let (query, request) = (filter.clone(), page.clone());
    let list = db
        .run(move |conn| queries::list_technologies(conn, &query, &request))
        .await?;
    check_found(&list, &page)?;
    let links = list.links("/technologies", &params, |t| &t.slug);
    Ok(render(&TechnologiesPage {
        layout,
        list,
        links,
        filter,
        kinds: Kind::ALL,
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
    let pager = list.pager("/dimensions", &params)?;
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
    facts: Slice<Fact>,
    links: Links,
}

pub async fn dimension(
    layout: Layout,
    db: web::Data<Db>,
    path: web::Path<String>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let slug = slug(&path)?;
    let page = slice_query(&params)?;
    let href = format!("/dimensions/{slug}");
    let request = page.clone();
    let (dimension, facts) = db
        .run(move |conn| queries::dimension(conn, slug.as_str(), &request))
        .await?
        .ok_or(AppError::NotFound)?;
    check_found(&facts, &page)?;
    let links = facts.links(&href, &params, |fact| &fact.technology.slug);
    Ok(render(&DimensionPage {
        layout,
        dimension,
        facts,
        links,
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
    let pager = list.pager("/sources", &params)?;
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
    let id = id(&path)?;
    let page = page_query(&params)?;
    let (source, facts) = db
        .run(move |conn| queries::source(conn, id, page))
        .await?
        .ok_or(AppError::NotFound)?;
    let pager = facts.pager(&format!("/sources/{id}"), &params)?;
    Ok(render(&SourcePage {
        layout,
        source,
        facts,
        pager,
    })?)
}
