//! Environments: one by its slug, the list for the pages and a page of them for the API.

use diesel::prelude::*;

use crate::benchmarks::model::EnvironmentItem;
use crate::db::DbConnection;
use crate::db::schema::benchmark_environments;
use crate::web::params::{PageRequest, Paginated};

pub fn environment(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<EnvironmentItem>> {
    let one = PageRequest {
        page: 1,
        per_page: 1,
    };
    Ok(environments_where(conn, Some(slug), one)?.pop())
}

/// The first environments by name, for the pages: there are a handful, not thousands.
pub fn environments(conn: &mut DbConnection) -> QueryResult<Vec<EnvironmentItem>> {
    let first = PageRequest {
        page: 1,
        per_page: 200,
    };
    environments_where(conn, None, first)
}

/// A page of the environments, for the API.
pub fn environments_page(
    conn: &mut DbConnection,
    page: PageRequest,
) -> QueryResult<Paginated<EnvironmentItem>> {
    let items = environments_where(conn, None, page)?;
    page.of(items, || {
        benchmark_environments::table.count().get_result(conn)
    })
}

fn environments_where(
    conn: &mut DbConnection,
    slug: Option<&str>,
    page: PageRequest,
) -> QueryResult<Vec<EnvironmentItem>> {
    let mut query = benchmark_environments::table
        .select((
            benchmark_environments::slug,
            benchmark_environments::name,
            benchmark_environments::hardware,
            benchmark_environments::os,
            benchmark_environments::notes,
        ))
        .order((benchmark_environments::name, benchmark_environments::id))
        .limit(page.limit())
        .offset(page.offset())
        .into_boxed();
    if let Some(slug) = slug {
        query = query.filter(benchmark_environments::slug.eq(slug.to_owned()));
    }
    Ok(query
        .load::<(String, String, String, String, String)>(conn)?
        .into_iter()
        .map(|(slug, name, hardware, os, notes)| EnvironmentItem {
            slug,
            name,
            hardware,
            os,
            notes,
        })
        .collect())
}
