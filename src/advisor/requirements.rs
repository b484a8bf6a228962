//! Requirements as editors curate them in `/admin/requirements`: a name, an explanation,
//! a weight 0-5 on each scored dimension (`weight.<dimension>`), and optionally a minimum
//! score on one dimension that a must demands. They are written through the catalog's
//! edit machinery, so each change is one audited, version-checked transaction.

use chrono::Utc;
use diesel::prelude::*;

use crate::advisor::query::RESERVED;
use crate::audit::Actor;
use crate::catalog::queries::scored_dimensions;
use crate::db::DbConnection;
use crate::db::schema::{dimensions, requirement_weights, requirements};
use crate::editing::fields::Checked;
use crate::editing::forms::{AdminKind, Row};
use crate::editing::rules;
use crate::editing::{Current, Dependents, Editable, Entry, Field, Rule, slug_key};
use crate::web::error::FieldError;
use crate::web::form::Fields;
use crate::web::params::{PageRequest, Paginated};

/// A requirement's own columns, checked.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = requirements, treat_none_as_null = true)]
struct Columns {
    slug: String,
    name: String,
    explanation: String,
    constraint_dimension_id: Option<i32>,
    constraint_min: Option<i32>,
    position: i32,
}

/// A requirement's fields, checked: its columns and its weights (dimension id, 1-5).
pub struct Requirement {
    columns: Columns,
    weights: Vec<(i32, i32)>,
}

/// The field of a weight on a dimension.
fn weight_field(dimension: &str) -> String {
    format!("weight.{dimension}")
}

impl Editable for Requirement {
    const KIND: &'static str = "requirement";
    /// The weights are a group: one `weight.<dimension>` per scored dimension.
    const FIELDS: &'static [Field] = &[
        Field::new("name", "Name", Entry::Text, Rule::Required(100)),
        Field::new("slug", "Slug", Entry::Text, Rule::Slug).hint(
            "Its name in the advisor's URL: lowercase letters and digits joined by hyphens.",
        ),
        Field::new("explanation", "Explanation", Entry::Textarea, Rule::Required(2000))
            .hint("What a reader who marks it is saying about their project."),
        Field::new("position", "Position", Entry::Number, Rule::Number(0, 10_000))
            .hint("The advisor lists requirements by it, smallest first."),
        Field::new("weights", "Weights", Entry::Numbers, Rule::ByKind).hint(
            "How much the requirement weighs each scored dimension: 0 (not at all) to 5. At least one must be above 0.",
        ),
        Field::new(
            "constraint_dimension",
            "Constraint: dimension",
            Entry::Choice,
            Rule::ByKind,
        )
        .hint(
            "Optional. When a reader marks this requirement a must, technologies below the minimum score on this dimension, or without a score there, are excluded.",
        ),
        Field::new(
            "constraint_min",
            "Constraint: minimum score",
            Entry::Number,
            Rule::ByKind,
        )
        .hint("1 to 5, with a constraint dimension."),
    ];
    const UNIQUE_FIELD: &'static str = "slug";

    slug_key!(requirements);

    fn load(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Current>> {
        type Row = (
            String,
            String,
            String,
            i32,
            Option<i32>,
            Option<String>,
            i32,
        );
        let row: Option<Row> = requirements::table
            .left_join(dimensions::table)
            .filter(requirements::id.eq(id))
            .select((
                requirements::slug,
                requirements::name,
                requirements::explanation,
                requirements::position,
                requirements::constraint_min,
                dimensions::slug.nullable(),
                requirements::version,
            ))
            .first(conn)
            .optional()?;
        let Some((slug, name, explanation, position, min, constrained, version)) = row else {
            return Ok(None);
        };
        let weights: Vec<(String, i32)> = requirement_weights::table
            .inner_join(dimensions::table)
            .filter(requirement_weights::requirement_id.eq(id))
            .select((dimensions::slug, requirement_weights::weight))
            .order((dimensions::position, dimensions::id))
            .load(conn)?;
        let mut fields = vec![
            ("slug".to_owned(), slug),
            ("name".to_owned(), name),
            ("explanation".to_owned(), explanation),
            ("position".to_owned(), position.to_string()),
            (
                "constraint_dimension".to_owned(),
                constrained.unwrap_or_default(),
            ),
            (
                "constraint_min".to_owned(),
                min.map(|m| m.to_string()).unwrap_or_default(),
            ),
        ];
        fields.extend(
            weights
                .into_iter()
                .map(|(dimension, weight)| (weight_field(&dimension), weight.to_string())),
        );
        Ok(Some(Current::named::<Self>(id, version, fields)))
    }

    fn validate(
        conn: &mut DbConnection,
        fields: &Fields,
        id: Option<i32>,
    ) -> QueryResult<Result<Self, Vec<FieldError>>> {
        let mut check = Checked::of(fields, Self::FIELDS);
        check.unique_slug("slug", id, "requirement", |slug| Self::id_of(conn, slug))?;
        if let Some(slug) = check.slug("slug")
            && RESERVED.contains(&slug.as_str())
        {
            check.fail(
                "slug",
                format!("cannot be `{slug}`: the advisor's address uses it"),
            );
        }
        let dimensions = scored_dimensions(conn)?;
        let mut weights = Vec::new();
        for (dimension_id, slug, _) in &dimensions {
            let name = weight_field(slug);
            let value = fields.get(&name);
            if value.is_empty() {
                continue;
            }
            if let Some(weight) = check.check.field(&name, rules::number(value, 0, 5))
                && weight > 0
            {
                weights.push((*dimension_id, weight));
            }
        }
        if let Some((name, _)) = fields
            .pairs()
            .iter()
            .filter(|(name, _)| name.starts_with("weight."))
            .find(|(name, _)| !dimensions.iter().any(|(_, s, _)| &weight_field(s) == name))
        {
            check.fail(name, "is not a scored dimension");
        }
        if weights.is_empty()
            && check
                .check
                .errors
                .iter()
                .all(|e| !e.name.starts_with("weight."))
        {
            check.fail(
                "weights",
                "are all zero: a requirement must weigh at least one dimension",
            );
        }

        let constrained = fields.get("constraint_dimension");
        let min = fields.get("constraint_min");
        let constraint = match (constrained.is_empty(), min.is_empty()) {
            (true, true) => Some(None),
            (false, false) => {
                let dimension = dimensions.iter().find(|(_, slug, _)| slug == constrained);
                if dimension.is_none() {
                    check.fail("constraint_dimension", "must be a scored dimension");
                }
                let min = check
                    .check
                    .field("constraint_min", rules::number(min, 1, 5));
                dimension.zip(min).map(|((id, _, _), min)| Some((*id, min)))
            }
            (true, false) => {
                check.fail("constraint_dimension", "is needed for a minimum score");
                None
            }
            (false, true) => {
                check.fail("constraint_min", "is needed for a constraint");
                None
            }
        };
        Ok(check.finish(|v| {
            let constraint = constraint?;
            Some(Requirement {
                columns: Columns {
                    slug: v.slug("slug")?.into(),
                    name: v.text("name")?,
                    explanation: v.text("explanation")?,
                    constraint_dimension_id: constraint.map(|(id, _)| id),
                    constraint_min: constraint.map(|(_, min)| min),
                    position: v.number("position")?,
                },
                weights,
            })
        }))
    }

    fn insert(&self, conn: &mut DbConnection, _: &Actor) -> QueryResult<i32> {
        let now = Utc::now().naive_utc();
        let id = diesel::insert_into(requirements::table)
            .values((
                &self.columns,
                requirements::created_at.eq(now),
                requirements::updated_at.eq(now),
            ))
            .returning(requirements::id)
            .get_result(conn)?;
        self.store_weights(conn, id)?;
        Ok(id)
    }

    fn update(&self, conn: &mut DbConnection, id: i32, version: i32) -> QueryResult<bool> {
        let updated = diesel::update(
            requirements::table
                .filter(requirements::id.eq(id))
                .filter(requirements::version.eq(version)),
        )
        .set((
            &self.columns,
            requirements::updated_at.eq(Utc::now().naive_utc()),
            requirements::version.eq(version + 1),
        ))
        .execute(conn)?;
        if updated != 1 {
            return Ok(false);
        }
        diesel::delete(
            requirement_weights::table.filter(requirement_weights::requirement_id.eq(id)),
        )
        .execute(conn)?;
        self.store_weights(conn, id)?;
        Ok(true)
    }

    fn dependents(_: &mut DbConnection, _: &Current) -> QueryResult<Dependents> {
        Ok(Dependents::default())
    }

    fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
        diesel::delete(requirements::table.find(id)).execute(conn)?;
        Ok(())
    }
}

impl Requirement {
    fn store_weights(&self, conn: &mut DbConnection, id: i32) -> QueryResult<()> {
        // One row at a time: batch inserts are not in what both backends share.
        for &(dimension_id, weight) in &self.weights {
            diesel::insert_into(requirement_weights::table)
                .values((
                    requirement_weights::requirement_id.eq(id),
                    requirement_weights::dimension_id.eq(dimension_id),
                    requirement_weights::weight.eq(weight),
                ))
                .execute(conn)?;
        }
        Ok(())
    }
}

impl AdminKind for Requirement {
    const PATH: &'static str = "requirements";
    const NOUN: &'static str = "requirement";
    const TITLE: &'static str = "Requirements";

    fn rows(conn: &mut DbConnection, page: PageRequest) -> QueryResult<Paginated<Row>> {
        let rows: Vec<(String, String, Option<i32>)> = requirements::table
            .select((
                requirements::slug,
                requirements::name,
                requirements::constraint_min,
            ))
            .order((requirements::position, requirements::id))
            .limit(page.limit())
            .offset(page.offset())
            .load(conn)?;
        let items = rows
            .into_iter()
            .map(|(slug, name, min)| Row {
                key: slug,
                label: name,
                note: match min {
                    Some(_) => "with a constraint when a must".to_owned(),
                    None => String::new(),
                },
            })
            .collect();
        page.of(items, || requirements::table.count().get_result(conn))
    }

    fn choices(conn: &mut DbConnection, name: &str) -> QueryResult<Vec<(String, String)>> {
        let dimensions = scored_dimensions(conn)?.into_iter();
        Ok(match name {
            "weights" => dimensions
                .map(|(_, slug, name)| (weight_field(&slug), name))
                .collect(),
            "constraint_dimension" => [(String::new(), "None".to_owned())]
                .into_iter()
                .chain(dimensions.map(|(_, slug, name)| (slug, name)))
                .collect(),
            _ => Vec::new(),
        })
    }

    fn blank() -> Fields {
        Fields::new(vec![("position", "100")])
    }

    /// Readers see requirements in the advisor's form.
    fn public_url(key: &str) -> String {
        format!("/advisor#requirement-{key}")
    }
}
