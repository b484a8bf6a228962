//! Scenarios as editors curate them in `/admin/benchmarks/scenarios`: what was measured,
//! and optionally the scored dimension whose scores the advisor may take from the results.

use diesel::prelude::*;

use crate::benchmarks::model::ScenarioItem;
use crate::benchmarks::queries;
use crate::catalog::queries::scored_dimensions;
use crate::db::DbConnection;
use crate::db::schema::{benchmark_runs, benchmark_scenarios, dimensions};
use crate::editing::api::Resource;
use crate::editing::fields::Checked;
use crate::editing::forms::{AdminKind, Row};
use crate::editing::{Current, Dependents, Editable, Entry, Field, Rule, row_writes, slug_key};
use crate::web::AppError;
use crate::web::error::FieldError;
use crate::web::form::Fields;
use crate::web::params::{PageRequest, Paginated};
use crate::web::words::counted;

/// A scenario's fields, checked: also what is stored.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = benchmark_scenarios, treat_none_as_null = true)]
pub struct Scenario {
    slug: String,
    name: String,
    description: String,
    dimension_id: Option<i32>,
    position: i32,
}

impl Editable for Scenario {
    const KIND: &'static str = "benchmark scenario";
    const FIELDS: &'static [Field] = &[
        Field::new("name", "Name", Entry::Text, Rule::Required(100)),
        Field::new("slug", "Slug", Entry::Text, Rule::Slug).hint(
            "Its address: /benchmarks/<slug>. Lowercase letters and digits joined by hyphens.",
        ),
        Field::new("description", "Description", Entry::Textarea, Rule::Required(2000))
            .hint("What a request does: what it reads, renders or writes."),
        Field::new("dimension", "Evidence for the advisor on", Entry::Choice, Rule::ByKind).hint(
            "Optional. When set, the advisor scores candidates on this dimension by their requests per second here, rather than by the catalog's facts, and cites the runs.",
        ),
        Field::new("position", "Position", Entry::Number, Rule::Number(0, 10_000))
            .hint("Scenarios are listed by it, smallest first."),
    ];
    const UNIQUE_FIELD: &'static str = "slug";

    slug_key!(benchmark_scenarios);

    fn load(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Current>> {
        type Row = (String, String, String, Option<String>, i32, i32);
        let row: Option<Row> = benchmark_scenarios::table
            .left_join(dimensions::table)
            .filter(benchmark_scenarios::id.eq(id))
            .select((
                benchmark_scenarios::slug,
                benchmark_scenarios::name,
                benchmark_scenarios::description,
                dimensions::slug.nullable(),
                benchmark_scenarios::position,
                benchmark_scenarios::version,
            ))
            .first(conn)
            .optional()?;
        Ok(
            row.map(|(slug, name, description, dimension, position, version)| {
                Current::named::<Self>(
                    id,
                    version,
                    vec![
                        ("slug", slug),
                        ("name", name),
                        ("description", description),
                        ("dimension", dimension.unwrap_or_default()),
                        ("position", position.to_string()),
                    ],
                )
            }),
        )
    }

    fn validate(
        conn: &mut DbConnection,
        fields: &Fields,
        id: Option<i32>,
    ) -> QueryResult<Result<Self, Vec<FieldError>>> {
        let mut check = Checked::of(fields, Self::FIELDS);
        check.unique_slug("slug", id, "scenario", |slug| Self::id_of(conn, slug))?;
        let dimension = match fields.get("dimension") {
            "" => Some(None),
            wanted => {
                let found = scored_dimensions(conn)?
                    .into_iter()
                    .find(|(_, slug, _)| slug == wanted);
                if found.is_none() {
                    check.fail("dimension", "must be a scored dimension, or none");
                }
                found.map(|(id, _, _)| Some(id))
            }
        };
        Ok(check.finish(|v| {
            Some(Scenario {
                slug: v.slug("slug")?.into(),
                name: v.text("name")?,
                description: v.text("description")?,
                dimension_id: dimension?,
                position: v.number("position")?,
            })
        }))
    }

    row_writes!(benchmark_scenarios);

    fn dependents(conn: &mut DbConnection, current: &Current) -> QueryResult<Dependents> {
        let runs: i64 = benchmark_runs::table
            .filter(benchmark_runs::scenario_id.eq(current.id))
            .count()
            .get_result(conn)?;
        let mut dependents = Dependents::default();
        if runs > 0 {
            dependents.cascades.push(format!(
                "its {} and their results will be deleted with it",
                counted(runs, "run")
            ));
        }
        Ok(dependents)
    }

    fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
        diesel::delete(benchmark_scenarios::table.find(id)).execute(conn)?;
        Ok(())
    }
}

impl AdminKind for Scenario {
    const PATH: &'static str = "benchmarks/scenarios";
    const NOUN: &'static str = "scenario";
    const TITLE: &'static str = "Benchmark scenarios";

    fn rows(conn: &mut DbConnection, page: PageRequest) -> QueryResult<Paginated<Row>> {
        let rows: Vec<(String, String, Option<String>)> = benchmark_scenarios::table
            .left_join(dimensions::table)
            .select((
                benchmark_scenarios::slug,
                benchmark_scenarios::name,
                dimensions::name.nullable(),
            ))
            .order((benchmark_scenarios::position, benchmark_scenarios::id))
            .limit(page.limit())
            .offset(page.offset())
            .load(conn)?;
        let items = rows
            .into_iter()
            .map(|(slug, name, dimension)| Row {
                key: slug,
                label: name,
                note: dimension
                    .map(|d| format!("the advisor's evidence on {d}"))
                    .unwrap_or_default(),
            })
            .collect();
        page.of(items, || {
            benchmark_scenarios::table.count().get_result(conn)
        })
    }

    fn choices(conn: &mut DbConnection, _: &str) -> QueryResult<Vec<(String, String)>> {
        let mut choices = vec![(String::new(), "None".to_owned())];
        choices.extend(
            scored_dimensions(conn)?
                .into_iter()
                .map(|(_, slug, name)| (slug, name)),
        );
        Ok(choices)
    }

    fn blank() -> Fields {
        Fields::new(vec![("position", "100")])
    }

    fn public_url(key: &str) -> String {
        format!("/benchmarks/{key}")
    }
}

impl Resource for Scenario {
    type Path = String;
    type Body = ScenarioItem;
    type Page = PageRequest;

    fn key(path: &String) -> Result<String, AppError> {
        Ok(crate::editing::params::slug(path)?.to_string())
    }

    const COLLECTION: &'static str = "benchmarks/scenarios";

    fn body(
        conn: &mut DbConnection,
        key: &str,
        _: PageRequest,
    ) -> QueryResult<Option<ScenarioItem>> {
        queries::scenario(conn, key)
    }
}
