//! Comparison dimensions: slug, name, description, the meaning of the 1-5 scale (empty for a
//! descriptive dimension) and position in lists.

use crate::catalog::model::{DimensionItem, Fact, WithFacts};
use crate::catalog::queries;
use crate::editing::api::Resource;
use crate::editing::forms::{AdminKind, Row};
use crate::editing::params::slug;
use crate::web::AppError;
use crate::web::params::{PageRequest, Paginated};
use crate::web::slice::{Linked, SliceRequest};
use crate::web::words::counted;
use diesel::prelude::*;

use super::fact::{Of, facts_of};
use crate::db::DbConnection;
use crate::db::schema::{assessments, dimensions, requirement_weights, requirements};
use crate::editing::fields::Checked;
use crate::editing::rules;
use crate::editing::{Current, Dependents, Editable, Entry, Field, Rule, row_writes, slug_key};
use crate::web::error::FieldError;
use crate::web::form::Fields;

/// A dimension's fields, checked: also what is stored.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = dimensions, treat_none_as_null = true)]
pub struct Dimension {
    slug: String,
    name: String,
    description: String,
    scale: Option<String>,
    position: i32,
}

impl Editable for Dimension {
    const KIND: &'static str = "dimension";
    const FIELDS: &'static [Field] = &[
        Field::new("name", "Name", Entry::Text, Rule::Required(100)),
        Field::new("slug", "Slug", Entry::Text, Rule::Slug).hint(rules::SLUG_HINT),
        Field::new("description", "Description", Entry::Textarea, Rule::Required(2000)),
        Field::new("scale", "Scale", Entry::Text, Rule::Optional(200)).hint(
            "What 1 and 5 mean, e.g. \"1 = slow, 5 = fast\". Empty: a descriptive dimension without scores.",
        ),
        Field::new("position", "Position", Entry::Number, Rule::Number(0, 10_000))
            .hint("Lists are ordered by it, smallest first."),
    ];
    const UNIQUE_FIELD: &'static str = "slug";

    slug_key!(dimensions);

    fn load(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Current>> {
        let row: Option<(String, String, String, Option<String>, i32, i32)> = dimensions::table
            .find(id)
            .select((
                dimensions::slug,
                dimensions::name,
                dimensions::description,
                dimensions::scale,
                dimensions::position,
                dimensions::version,
            ))
            .first(conn)
            .optional()?;
        Ok(
            row.map(|(slug, name, description, scale, position, version)| {
                Current::named::<Self>(
                    id,
                    version,
                    vec![
                        ("slug", slug),
                        ("name", name),
                        ("description", description),
                        ("scale", scale.unwrap_or_default()),
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
        check.unique_slug("slug", id, "dimension", |slug| Self::id_of(conn, slug))?;
        if let (Some(id), Some("")) = (id, check.text("scale").as_deref()) {
            let scored: i64 = assessments::table
                .filter(assessments::dimension_id.eq(id))
                .filter(assessments::score.is_not_null())
                .count()
                .get_result(conn)?;
            if scored > 0 {
                check.fail(
                    "scale",
                    format!(
                        "is needed while {} on this dimension ha{} a score: clear the scores first",
                        counted(scored, "fact"),
                        if scored == 1 { "s" } else { "ve" },
                    ),
                );
            }
        }
        Ok(check.finish(|v| {
            Some(Dimension {
                slug: v.slug("slug")?.into(),
                name: v.text("name")?,
                description: v.text("description")?,
                scale: v.text("scale").filter(|s| !s.is_empty()),
                position: v.number("position")?,
            })
        }))
    }

    row_writes!(dimensions);

    fn dependents(conn: &mut DbConnection, current: &Current) -> QueryResult<Dependents> {
        let facts: i64 = assessments::table
            .filter(assessments::dimension_id.eq(current.id))
            .count()
            .get_result(conn)?;
        let mut dependents = Dependents::default();
        let requirements: Vec<String> = requirements::table
            .left_join(
                requirement_weights::table.on(requirement_weights::requirement_id
                    .eq(requirements::id)
                    .and(requirement_weights::dimension_id.eq(current.id))),
            )
            .filter(
                requirements::constraint_dimension_id
                    .eq(current.id)
                    .or(requirement_weights::dimension_id.is_not_null()),
            )
            .select(requirements::name)
            .distinct()
            .order(requirements::name)
            .load(conn)?;
        dependents
            .blockers
            .extend(requirements.into_iter().map(|name| {
            format!(
                "the requirement “{name}” weighs it or constrains on it: edit the requirement first"
            )
        }));
        if facts > 0 {
            dependents.cascades.push(format!(
                "the {} on it will be deleted with it",
                counted(facts, "fact")
            ));
        }
        Ok(dependents)
    }

    fn cascading(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<(&'static str, Current)>> {
        facts_of(conn, Of::Dimension(id))
    }

    fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
        diesel::delete(assessments::table.filter(assessments::dimension_id.eq(id)))
            .execute(conn)?;
        diesel::delete(dimensions::table.find(id)).execute(conn)?;
        Ok(())
    }
}

impl AdminKind for Dimension {
    const PATH: &'static str = "dimensions";
    const NOUN: &'static str = "dimension";
    const TITLE: &'static str = "Dimensions";

    fn rows(conn: &mut DbConnection, page: PageRequest) -> diesel::QueryResult<Paginated<Row>> {
        let list = queries::list_dimensions(conn, page)?;
        Ok(list.map(|d| Row {
            key: d.slug,
            label: d.name,
            note: format!(
                "{}, {}",
                if d.scale.is_some() {
                    "scored"
                } else {
                    "descriptive"
                },
                counted(d.assessments, "fact")
            ),
        }))
    }

    fn blank() -> Fields {
        Fields::new(vec![("position", "100")])
    }
}

impl Resource for Dimension {
    type Path = String;
    type Body = WithFacts<DimensionItem, Linked<Fact>>;
    type Page = SliceRequest;

    fn key(path: &String) -> Result<String, AppError> {
        Ok(slug(path)?.to_string())
    }

    const COLLECTION: &'static str = "dimensions";

    fn body(
        conn: &mut DbConnection,
        key: &str,
        page: SliceRequest,
    ) -> QueryResult<Option<Self::Body>> {
        let params = page.params();
        Ok(
            queries::dimension(conn, key, &page)?.map(|(item, facts)| WithFacts {
                item,
                facts: facts.linked(&Self::location(key), &params, |fact| &fact.technology.slug),
            }),
        )
    }
}
