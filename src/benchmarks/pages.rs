//! The benchmarks' pages: the scenarios with their latest results, one scenario's ranking
//! with its charts, one run, and a run's original file.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::benchmarks::chart::{self, Bar, Curve, Figure};
use crate::benchmarks::model::{
    EnvironmentItem, Measured, Run, RunDetail, ScenarioItem, ScenarioSummary,
};
use crate::benchmarks::params::run_query;
use crate::benchmarks::parse::Tool;
use crate::benchmarks::queries::{self, Choices, RankedResult, RunFilter};
use crate::db::Db;
use crate::editing::params::id;
use crate::editing::params::page_query;
use crate::web::error::FieldError;
use crate::web::params::{PageRequest, Pager};
use crate::web::{AppError, Layout, PageError, Paginated, Params, attachment, render};

/// The most bars a chart draws: the rest are in the table below it.
const CHART_BARS: usize = 15;
/// The most latency curves a chart draws before it gets hard to read.
const CHART_CURVES: usize = 6;

/// The most results of the run holding a scenario's fastest result that the list of
/// scenarios charts and lists: the rest are on the run's page.
const FASTEST_SHOWN: usize = 10;

/// The most scenarios the list shows a page, `?per_page=` notwithstanding: each brings a
/// chart and a table.
const SCENARIOS_SHOWN: u32 = 20;

#[derive(Template)]
#[template(path = "benchmarks/list.html")]
struct ListPage {
    layout: Layout,
    list: Paginated<ScenarioSummary>,
    pager: Pager,
    environments: Vec<EnvironmentItem>,
    /// The first results of each scenario's fastest run, by run.
    top: HashMap<i32, Vec<Measured>>,
}

impl ListPage {
    /// The first results of `run`, fastest first.
    fn top(&self, run: &Run) -> &[Measured] {
        self.top.get(&run.id).map_or(&[], Vec::as_slice)
    }

    /// How many of `run`'s results the page leaves to the run's own page.
    fn more(&self, run: &Run) -> i64 {
        run.result_count - self.top(run).len() as i64
    }

    fn chart(&self, summary: &ScenarioSummary) -> Figure {
        let Some(run) = &summary.fastest else {
            return Figure::default();
        };
        let id = format!("fastest-{}", summary.scenario.slug);
        let title = format!(
            "{}: requests per second, run of {}",
            summary.scenario.name, run.ran_on
        );
        let bars = bars(self.top(run).iter());
        Figure::draw(&title, |size| chart::throughput(size, &id, &title, &bars))
    }
}

pub async fn list(
    layout: Layout,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let page = page_query(&params)?;
    let page = PageRequest {
        per_page: page.per_page.min(SCENARIOS_SHOWN),
        ..page
    };
    let (list, environments, top) = db
        .run(move |conn| {
            let list = queries::scenarios(conn, page)?;
            let fastest: Vec<i32> = list
                .items
                .iter()
                .filter_map(|s| Some(s.fastest.as_ref()?.id))
                .collect();
            let top = queries::top_results(conn, &fastest, FASTEST_SHOWN)?;
            Ok((list, queries::environments(conn)?, top))
        })
        .await?;
    let pager = list.pager("/benchmarks", &params)?;
    Ok(render(&ListPage {
        layout,
        list,
        pager,
        environments,
        top,
    })?)
}

#[derive(Template)]
#[template(path = "benchmarks/scenario.html")]
struct ScenarioPage {
    layout: Layout,
    scenario: ScenarioItem,
    filter: RunFilter,
    choices: Choices,
    ranking: Paginated<RankedResult>,
    pager: Pager,
    /// The results a ratio may be taken against (id, name), and the one it is.
    baselines: Vec<(i32, String)>,
    baseline: Option<i32>,
    throughput: Figure,
    latency: Figure,
    ratios: Figure,
    charted: Vec<Charted>,
    curves: Vec<RankedResult>,
}

/// A result as the charts' tables show it.
struct Charted {
    result: RankedResult,
    ratio: Option<f64>,
}

impl ScenarioPage {
    fn has_filter(&self) -> bool {
        self.filter.environment.is_some()
            || self.filter.tool.is_some()
            || self.filter.concurrency.is_some()
    }

    fn is_tool(&self, tool: &Tool) -> bool {
        self.filter.tool == Some(*tool)
    }

    fn is_concurrency(&self, level: &i32) -> bool {
        self.filter.concurrency == Some(*level)
    }

    fn is_environment(&self, slug: &str) -> bool {
        self.filter.environment.as_deref() == Some(slug)
    }

    fn is_baseline(&self, id: &i32) -> bool {
        self.baseline == Some(*id)
    }
}

pub async fn scenario(
    layout: Layout,
    db: web::Data<Db>,
    path: web::Path<String>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let slug = crate::editing::params::slug(&path)?.to_string();
    let (mut filter, page) = run_query(&params)?;
    filter.scenario = Some(slug.clone());
    filter.technology = None;
    let wanted_baseline = params.get("baseline").map(str::to_owned);
    let query = filter.clone();
    let found = db
        .run(move |conn| {
            let Some((id, scenario)) = queries::scenario_row(conn, &slug)? else {
                return Ok(None);
            };
            let choices = queries::choices(conn, id)?;
            let ranking = queries::ranking(conn, &query, page)?;
            Ok(Some((scenario, choices, ranking)))
        })
        .await?;
    let (scenario, choices, ranking) = found.ok_or(AppError::NotFound)?;

    let shown: Vec<&RankedResult> = ranking.items.iter().take(CHART_BARS).collect();
    let baselines: Vec<(i32, String)> = shown
        .iter()
        .map(|r| (r.result.id, r.result.name()))
        .collect();
    // By default the slowest shown, so that ratios read as "× as fast".
    let baseline_result = match wanted_baseline.as_deref() {
        Some(wanted) => {
            let found = shown
                .iter()
                .find(|r| r.result.id.to_string() == wanted)
                .copied();
            if found.is_none() && !shown.is_empty() {
                return Err(AppError::InvalidParameters(vec![FieldError::new(
                    "baseline",
                    format!("names no result among those shown: `{wanted}`"),
                )])
                .into());
            }
            found
        }
        None => shown.last().copied(),
    };
    let baseline_bar = baseline_result.map(|r| Bar {
        label: r.result.name(),
        value: r.result.requests_per_sec,
    });
    let title = |what: &str| format!("{}: {what}", scenario.name);
    let shown_bars = bars(shown.iter().map(|r| &r.result));
    let throughput_title = title("requests per second");
    let throughput = Figure::draw(&throughput_title, |size| {
        chart::throughput(size, "throughput", &throughput_title, &shown_bars)
    });
    let curves: Vec<RankedResult> = shown
        .iter()
        .filter(|r| has_curve(&r.result))
        .take(CHART_CURVES)
        .map(|r| (*r).clone())
        .collect();
    let latency = latency_chart(
        &title("latency by percentile"),
        curves.iter().map(|r| &r.result),
    );
    let ratios = match &baseline_bar {
        Some(baseline) if shown.len() > 1 => {
            let title = title(&format!("requests per second against {}", baseline.label));
            Figure::draw(&title, |size| {
                chart::ratios(size, "ratios", &title, baseline, &shown_bars)
            })
        }
        _ => Figure::default(),
    };
    let charted = shown
        .iter()
        .map(|r| Charted {
            result: (*r).clone(),
            ratio: baseline_bar
                .as_ref()
                .filter(|b| b.value > 0.0)
                .map(|b| r.result.requests_per_sec / b.value),
        })
        .collect();
    let pager = ranking.pager(&format!("/benchmarks/{}", scenario.slug), &params)?;
    Ok(render(&ScenarioPage {
        layout,
        baseline: baseline_result.map(|r| r.result.id),
        scenario,
        filter,
        choices,
        ranking,
        pager,
        baselines,
        throughput,
        latency,
        ratios,
        charted,
        curves,
    })?)
}

/// Whether a result has percentiles enough to draw a curve through.
fn has_curve(result: &Measured) -> bool {
    result.percentiles().len() >= 2
}

/// The latency curves of `results`; nothing when there are none.
fn latency_chart<'a>(title: &str, results: impl Iterator<Item = &'a Measured>) -> Figure {
    let curves: Vec<Curve> = results
        .map(|r| Curve {
            label: r.name(),
            points: r.percentiles(),
        })
        .collect();
    match curves.is_empty() {
        true => Figure::default(),
        false => Figure::draw(title, |size| {
            chart::latency(size, "latency", title, &curves)
        }),
    }
}

/// Results as bars: the name a reader knows them by, and their requests per second.
fn bars<'a>(results: impl Iterator<Item = &'a Measured>) -> Vec<Bar> {
    results
        .take(CHART_BARS)
        .map(|r| Bar {
            label: r.name(),
            value: r.requests_per_sec,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "benchmarks/run.html")]
struct RunPage {
    layout: Layout,
    detail: RunDetail,
    pager: Pager,
    /// The places in the whole run of the first and last results on this page: 21 and 40.
    first: i64,
    last: i64,
    throughput: Figure,
    latency: Figure,
}

/// A run with a page of its results (`?page=`, `?per_page=`), the charts drawn from the
/// first of them.
pub async fn run(
    layout: Layout,
    db: web::Data<Db>,
    path: web::Path<String>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let id = id(&path)?;
    let page = page_query(&params)?;
    let detail = db
        .run(move |conn| queries::run(conn, id, page))
        .await?
        .ok_or(AppError::NotFound)?;
    let run = &detail.run;
    let results = &detail.results;
    let first = i64::from(results.page - 1) * i64::from(results.per_page) + 1;
    let last = first + results.items.len() as i64 - 1;
    // Paged, the title says which results it draws; the scenario is the page's heading.
    let title = match results.pages() {
        0 | 1 => format!("{}, run {}", run.scenario.name, run.id),
        _ => format!("Run {}, results {first}–{last}", run.id),
    };
    let throughput_title = format!("{title}: requests per second");
    let shown_bars = bars(results.items.iter());
    let throughput = Figure::draw(&throughput_title, |size| {
        chart::throughput(size, "throughput", &throughput_title, &shown_bars)
    });
    let latency = latency_chart(
        &format!("{title}: latency by percentile"),
        results
            .items
            .iter()
            .filter(|r| has_curve(r))
            .take(CHART_CURVES),
    );
    let pager = results.pager(&run.url(), &params)?;
    Ok(render(&RunPage {
        layout,
        detail,
        pager,
        first,
        last,
        throughput,
        latency,
    })?)
}

/// The file a run was imported from, as it was uploaded.
pub async fn original(
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = id(&path)?;
    let (filename, content) = db
        .run(move |conn| queries::original_file(conn, id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(attachment("text/plain; charset=utf-8", filename)
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(content))
}
