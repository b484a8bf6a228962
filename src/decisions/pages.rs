//! The decisions' pages: the list (due for review first), one decision with the facts it
//! was made on and what has changed since, and its Markdown export.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, Utc};

use crate::catalog::model::DimensionRef;
use crate::db::Db;
use crate::decisions::advice::{ProsCons, pros_and_cons};
use crate::decisions::markdown;
use crate::decisions::model::{DecisionDetail, DecisionItem, Link, Status, StatusChange};
use crate::decisions::params::list_query;
use crate::decisions::queries::{self, DecisionFilter};
use crate::decisions::snapshot::RecordedAdvice;
use crate::editing::params::id;
use crate::web::params::Pager;
use crate::web::{AppError, Layout, PageError, Paginated, Params, attachment, render};

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

#[derive(Template)]
#[template(path = "decisions/list.html")]
struct ListPage {
    layout: Layout,
    list: Paginated<DecisionItem>,
    pager: Pager,
    filter: DecisionFilter,
    statuses: [Status; 5],
}

pub async fn list(
    layout: Layout,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let (filter, page) = list_query(&params)?;
    let query = filter.clone();
    let list = db
        .run(move |conn| queries::list(conn, &query, page, today()))
        .await?;
    let pager = list.pager("/decisions", &params)?;
    Ok(render(&ListPage {
        layout,
        list,
        pager,
        filter,
        statuses: Status::ALL,
    })?)
}

#[derive(Template)]
#[template(path = "decisions/decision.html")]
struct DecisionPage {
    layout: Layout,
    detail: DecisionDetail,
    links: Vec<Link>,
    history: Vec<StatusChange>,
    /// The advisor's result kept with the decision, if it has one this version reads.
    advice: Option<RecordedAdvice>,
    pros_cons: Vec<ProsCons>,
}

impl DecisionPage {
    /// The dimensions with a score scale that any option has a fact on: the rows of the
    /// table of scores as recorded.
    fn scored_dimensions(&self) -> Vec<&DimensionRef> {
        self.detail
            .snapshot
            .dimensions()
            .into_iter()
            .filter(|d| d.scale.is_some())
            .collect()
    }

    /// A share of the advisor's points as a whole percentage.
    fn percent(&self, share: &f64) -> String {
        format!("{:.0}%", share * 100.0)
    }

    fn score(&self, option: &str, dimension: &str) -> Option<i32> {
        self.detail
            .snapshot
            .option(option)
            .and_then(|o| o.fact(dimension))
            .and_then(|f| f.score)
    }
}

/// The decision `path` names, or a 404.
async fn load(db: &Db, path: &str) -> Result<DecisionDetail, AppError> {
    let id = id(path)?;
    db.run(move |conn| queries::detail(conn, id, today()))
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn decision(
    layout: Layout,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = id(&path)?;
    let (detail, history) = db
        .run(move |conn| {
            let Some(detail) = queries::detail(conn, id, today())? else {
                return Ok(None);
            };
            Ok(Some((detail, queries::status_history(conn, id)?)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let advice = detail.snapshot.advice();
    let pros_cons = advice
        .as_ref()
        .map(|advice| pros_and_cons(advice, &detail.options))
        .unwrap_or_default();
    Ok(render(&DecisionPage {
        layout,
        links: detail.parsed_links(),
        detail,
        history,
        advice,
        pros_cons,
    })?)
}

/// `/decisions/{id}.md`: the decision as a Markdown file to keep beside the code.
pub async fn markdown(
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let detail = load(&db, &path).await?;
    let filename = markdown::file_name(detail.id, &detail.title);
    Ok(attachment("text/markdown; charset=utf-8", filename).body(markdown::render(&detail)))
}
