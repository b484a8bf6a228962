//! Environments as editors curate them in `/admin/benchmarks/environments`: the machine and
//! system a run was measured on, so that results from different places are not mixed up.

use diesel::prelude::*;

use crate::benchmarks::model::EnvironmentItem;
use crate::benchmarks::queries;
use crate::db::DbConnection;
use crate::db::schema::{benchmark_environments, benchmark_runs};
use crate::editing::api::Resource;
use crate::editing::fields::Checked;
use crate::editing::forms::{AdminKind, Row};
use crate::editing::{Current, Dependents, Editable, Entry, Field, Rule, row_writes, slug_key};
use crate::web::AppError;
use crate::web::error::FieldError;
use crate::web::form::Fields;
use crate::web::params::{PageRequest, Paginated};
use crate::web::words::counted;

/// An environment's fields, checked: also what is stored.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = benchmark_environments)]
pub struct Environment {
    slug: String,
    name: String,
    hardware: String,
    os: String,
    notes: String,
}

impl Editable for Environment {
    const KIND: &'static str = "benchmark environment";
    const FIELDS: &'static [Field] = &[
        Field::new("name", "Name", Entry::Text, Rule::Required(100)),
        Field::new("slug", "Slug", Entry::Text, Rule::Slug).hint(
            "How filters and the API name it: lowercase letters and digits joined by hyphens.",
        ),
        Field::new("hardware", "Hardware", Entry::Text, Rule::Required(500))
            .hint("Processor, cores, memory; virtual or not."),
        Field::new("os", "Operating system", Entry::Text, Rule::Optional(200)).hint("Optional."),
        Field::new("notes", "Notes", Entry::Textarea, Rule::Optional(4000)).hint(
            "Optional. What else a reader needs to weigh the figures: pinning, what shared the machine, network.",
        ),
    ];
    const UNIQUE_FIELD: &'static str = "slug";

    slug_key!(benchmark_environments);

    fn load(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Current>> {
        let row: Option<(String, String, String, String, String, i32)> =
            benchmark_environments::table
                .find(id)
                .select((
                    benchmark_environments::slug,
                    benchmark_environments::name,
                    benchmark_environments::hardware,
                    benchmark_environments::os,
                    benchmark_environments::notes,
                    benchmark_environments::version,
                ))
                .first(conn)
                .optional()?;
        Ok(row.map(|(slug, name, hardware, os, notes, version)| {
            Current::named::<Self>(
                id,
                version,
                vec![
                    ("slug", slug),
                    ("name", name),
                    ("hardware", hardware),
                    ("os", os),
                    ("notes", notes),
                ],
            )
        }))
    }

    fn validate(
        conn: &mut DbConnection,
        fields: &Fields,
        id: Option<i32>,
    ) -> QueryResult<Result<Self, Vec<FieldError>>> {
        let mut check = Checked::of(fields, Self::FIELDS);
        check.unique_slug("slug", id, "environment", |slug| Self::id_of(conn, slug))?;
        Ok(check.finish(|v| {
            Some(Environment {
                slug: v.slug("slug")?.into(),
                name: v.text("name")?,
                hardware: v.text("hardware")?,
                os: v.text("os")?,
                notes: v.text("notes")?,
            })
        }))
    }

    row_writes!(benchmark_environments);

    fn dependents(conn: &mut DbConnection, current: &Current) -> QueryResult<Dependents> {
        let runs: i64 = benchmark_runs::table
            .filter(benchmark_runs::environment_id.eq(current.id))
            .count()
            .get_result(conn)?;
        let mut dependents = Dependents::default();
        if runs > 0 {
            dependents.cascades.push(format!(
                "its {} will be kept, with no environment",
                counted(runs, "run")
            ));
        }
        Ok(dependents)
    }

    fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
        diesel::delete(benchmark_environments::table.find(id)).execute(conn)?;
        Ok(())
    }
}

impl AdminKind for Environment {
    const PATH: &'static str = "benchmarks/environments";
    const NOUN: &'static str = "environment";
    const TITLE: &'static str = "Benchmark environments";

    fn rows(conn: &mut DbConnection, page: PageRequest) -> QueryResult<Paginated<Row>> {
        let rows: Vec<(String, String, String)> = benchmark_environments::table
            .select((
                benchmark_environments::slug,
                benchmark_environments::name,
                benchmark_environments::hardware,
            ))
            .order((benchmark_environments::name, benchmark_environments::id))
            .limit(page.limit())
            .offset(page.offset())
            .load(conn)?;
        let items = rows
            .into_iter()
            .map(|(slug, name, hardware)| Row {
                key: slug,
                label: name,
                note: hardware,
            })
            .collect();
        page.of(items, || {
            benchmark_environments::table.count().get_result(conn)
        })
    }

    /// Readers see environments on the benchmarks' page, and beside each run.
    fn public_url(key: &str) -> String {
        format!("/benchmarks#environment-{key}")
    }
}

impl Resource for Environment {
    type Path = String;
    type Body = EnvironmentItem;
    type Page = PageRequest;

    fn key(path: &String) -> Result<String, AppError> {
        Ok(crate::editing::params::slug(path)?.to_string())
    }

    const COLLECTION: &'static str = "benchmarks/environments";

    fn body(
        conn: &mut DbConnection,
        key: &str,
        _: PageRequest,
    ) -> QueryResult<Option<EnvironmentItem>> {
        queries::environment(conn, key)
    }
}
