//! Technologies: slug, name, kind, the language a framework or library belongs to, summary.

use crate::catalog::model::TechnologyDetail;
use crate::catalog::queries;
use crate::editing::api::Resource;
use crate::editing::forms::{AdminKind, Row};
use crate::editing::params::slug;
use crate::web::AppError;
use crate::web::params::{PageRequest, Paginated};
use crate::web::words::counted;
use diesel::prelude::*;

use super::fact::{Of, facts_of};
use crate::catalog::model::Kind;
use crate::db::DbConnection;
use crate::db::schema::{assessments, technologies};
use crate::editing::fields::Checked;
use crate::editing::rules::{self, Check};
use crate::editing::{Current, Dependents, Editable, Entry, Field, Rule, row_writes, slug_key};
use crate::web::error::FieldError;
use crate::web::form::Fields;

/// A technology's fields, checked: also what is stored.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = technologies, treat_none_as_null = true)]
pub struct Technology {
    slug: String,
    name: String,
    kind: &'static str,
    language_id: Option<i32>,
    summary: String,
}

/// How many dependents a deletion names before saying "and N more".
const NAMED: usize = 5;

/// Names joined for a sentence, the first few of them.
pub(super) fn some_names(names: &[String], total: i64) -> String {
    let shown = names
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = total - names.len().min(NAMED) as i64;
    if more > 0 {
        format!("{shown} and {more} more")
    } else {
        shown
    }
}

impl Editable for Technology {
    const KIND: &'static str = "technology";
    const FIELDS: &'static [Field] = &[
        Field::new("name", "Name", Entry::Text, Rule::Required(100)),
        Field::new("slug", "Slug", Entry::Text, Rule::Slug).hint(rules::SLUG_HINT),
        Field::new("kind", "Kind", Entry::Choice, Rule::ByKind),
        Field::new("language", "Language", Entry::Choice, Rule::ByKind)
            .hint("Only for a framework or library: the language it belongs to."),
        Field::new("summary", "Summary", Entry::Textarea, Rule::Required(2000))
            .hint("One or two sentences."),
    ];
    const UNIQUE_FIELD: &'static str = "slug";

    slug_key!(technologies);

    fn load(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Current>> {
        let row: Option<(String, String, String, Option<i32>, String, i32)> = technologies::table
            .find(id)
            .select((
                technologies::slug,
                technologies::name,
                technologies::kind,
                technologies::language_id,
                technologies::summary,
                technologies::version,
            ))
            .first(conn)
            .optional()?;
        let Some((slug, name, kind, language_id, summary, version)) = row else {
            return Ok(None);
        };
        let language = match language_id {
            Some(language_id) => technologies::table
                .find(language_id)
                .select(technologies::slug)
                .first(conn)?,
            None => String::new(),
        };
        Ok(Some(Current::named::<Self>(
            id,
            version,
            vec![
                ("slug", slug),
                ("name", name),
                ("kind", kind),
                ("language", language),
                ("summary", summary),
            ],
        )))
    }

    fn validate(
        conn: &mut DbConnection,
        fields: &Fields,
        id: Option<i32>,
    ) -> QueryResult<Result<Self, Vec<FieldError>>> {
        let mut check = Checked::of(fields, Self::FIELDS);
        check.unique_slug("slug", id, "technology", |slug| Self::id_of(conn, slug))?;
        let kind = match fields.get("kind") {
            "" => {
                check.fail("kind", "is required");
                None
            }
            value => check.check.field("kind", Kind::parse(value)),
        };
        let language_id = match (fields.get("language"), kind) {
            ("", _) => None,
            (_, Some(Kind::Framework | Kind::Library)) => {
                language(conn, &mut check.check, fields.get("language"), id)?
            }
            (_, _) => {
                check.fail(
                    "language",
                    "only a framework or a library belongs to a language",
                );
                None
            }
        };
        if let (Some(id), Some(kind)) = (id, kind)
            && kind != Kind::Language
        {
            let members: Vec<String> = technologies::table
                .filter(technologies::language_id.eq(id))
                .select(technologies::name)
                .order(technologies::name)
                .limit(NAMED as i64)
                .load(conn)?;
            if !members.is_empty() {
                check.fail(
                    "kind",
                    format!(
                        "must stay language while {} belong to it",
                        members.join(", ")
                    ),
                );
            }
        }
        Ok(check.finish(|v| {
            Some(Technology {
                slug: v.slug("slug")?.into(),
                name: v.text("name")?,
                kind: kind?.as_str(),
                language_id,
                summary: v.text("summary")?,
            })
        }))
    }

    row_writes!(technologies);

    fn dependents(conn: &mut DbConnection, current: &Current) -> QueryResult<Dependents> {
        let facts: i64 = assessments::table
            .filter(assessments::technology_id.eq(current.id))
            .count()
            .get_result(conn)?;
        let members: Vec<String> = technologies::table
            .filter(technologies::language_id.eq(current.id))
            .select(technologies::name)
            .order(technologies::name)
            .limit(NAMED as i64)
            .load(conn)?;
        let mut dependents = Dependents::default();
        if facts > 0 {
            dependents.cascades.push(format!(
                "its {} will be deleted with it",
                counted(facts, "fact")
            ));
        }
        if !members.is_empty() {
            let total: i64 = technologies::table
                .filter(technologies::language_id.eq(current.id))
                .count()
                .get_result(conn)?;
            dependents.blockers.push(format!(
                "{} belong{} to {}: delete {} or move {} to another language first",
                some_names(&members, total),
                if total == 1 { "s" } else { "" },
                current.label,
                if total == 1 { "it" } else { "them" },
                if total == 1 { "it" } else { "them" },
            ));
        }
        Ok(dependents)
    }

    fn cascading(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<(&'static str, Current)>> {
        facts_of(conn, Of::Technology(id))
    }

    fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
        // Citations go with their facts (ON DELETE CASCADE).
        diesel::delete(assessments::table.filter(assessments::technology_id.eq(id)))
            .execute(conn)?;
        diesel::delete(technologies::table.find(id)).execute(conn)?;
        Ok(())
    }
}

/// The language a framework or library belongs to, by slug.
fn language(
    conn: &mut DbConnection,
    check: &mut Check,
    slug: &str,
    id: Option<i32>,
) -> QueryResult<Option<i32>> {
    let found: Option<(i32, String)> = technologies::table
        .filter(technologies::slug.eq(slug))
        .select((technologies::id, technologies::kind))
        .first(conn)
        .optional()?;
    Ok(match found {
        Some((language_id, kind)) if kind == Kind::Language.as_str() && Some(language_id) != id => {
            Some(language_id)
        }
        Some(_) => {
            check.fail("language", format!("`{slug}` is not a language"));
            None
        }
        None => {
            check.fail("language", format!("there is no technology `{slug}`"));
            None
        }
    })
}

impl AdminKind for Technology {
    const PATH: &'static str = "technologies";
    const SUBPAGES: &'static [(&'static str, &'static str, &'static str)] =
        &[("facts", "Facts", "Edit its facts")];
    const NOUN: &'static str = "technology";
    const TITLE: &'static str = "Technologies";

    fn rows(conn: &mut DbConnection, page: PageRequest) -> diesel::QueryResult<Paginated<Row>> {
        let list = queries::technologies_page(conn, page)?;
        Ok(list.map(|t| Row {
            key: t.slug,
            label: t.name,
            note: match t.language {
                Some(language) => format!("{} for {}", t.kind, language.name),
                None => t.kind.to_string(),
            },
        }))
    }

    fn choices(conn: &mut DbConnection, name: &str) -> diesel::QueryResult<Vec<(String, String)>> {
        if name == "kind" {
            return Ok(Kind::ALL
                .iter()
                .map(|k| (k.as_str().to_owned(), k.as_str().to_owned()))
                .collect());
        }
        let mut languages = vec![(String::new(), "None".to_owned())];
        languages.extend(
            queries::languages_list(conn)?
                .into_iter()
                .map(|l| (l.slug, l.name)),
        );
        Ok(languages)
    }

    fn blank() -> Fields {
        Fields::new([("kind", Kind::Framework.as_str())])
    }
}

impl Resource for Technology {
    type Path = String;
    type Body = TechnologyDetail;
    type Page = PageRequest;

    fn key(path: &String) -> Result<String, AppError> {
        Ok(slug(path)?.to_string())
    }

    const COLLECTION: &'static str = "technologies";

    fn body(
        conn: &mut DbConnection,
        key: &str,
        _: PageRequest,
    ) -> QueryResult<Option<TechnologyDetail>> {
        queries::technology(conn, key)
    }
}

#[cfg(test)]
mod tests {
    use super::some_names;

    #[test]
    fn long_lists_of_names_are_cut_short() {
        let names: Vec<String> = ["Echo", "Fiber", "Gin", "chi", "net/http"]
            .map(String::from)
            .to_vec();
        assert_eq!(some_names(&names[..2], 2), "Echo, Fiber");
        assert_eq!(
            some_names(&names, 8),
            "Echo, Fiber, Gin, chi, net/http and 3 more"
        );
    }
}
