//! Matching a file's targets to technologies: by choice, by slug or name, or a new one.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::catalog::model::{Kind, TechnologyRef};
use crate::catalog::queries::technology_ref;
use crate::db::DbConnection;
use crate::db::schema::technologies;

use super::slug::slugify;

/// The value of a `map.<target>` field that creates a technology for the target.
pub const NEW_TECHNOLOGY: &str = "new";
/// The technologies whose slug or name a target's name is, and those `chosen` by slug: by
/// lowercase name and by slug.
pub(super) fn known_technologies(
    conn: &mut DbConnection,
    names: &[&str],
    chosen: &[&str],
) -> QueryResult<HashMap<String, TechnologyRef>> {
    let mut slugs: Vec<String> = names.iter().map(|name| slugify(name)).collect();
    slugs.extend(chosen.iter().map(|slug| (*slug).to_owned()));
    let lower: Vec<String> = names.iter().map(|name| name.to_lowercase()).collect();
    let rows: Vec<(String, String, String)> = technologies::table
        .filter(
            technologies::slug
                .eq_any(&slugs)
                .or(crate::catalog::queries::lower(technologies::name).eq_any(&lower)),
        )
        .select((technologies::slug, technologies::name, technologies::kind))
        .limit(10_000)
        .load(conn)?;
    let mut known = HashMap::new();
    for row in rows {
        let technology = technology_ref(row)?;
        known.insert(technology.name.to_lowercase(), technology.clone());
        known.insert(technology.slug.clone(), technology);
    }
    Ok(known)
}

/// The technology a target is stored as: the one its field names, or a new one; without a
/// choice, the one of the same slug or name, or else a new framework.
pub(super) fn map_target(
    name: &str,
    choice: &str,
    known: &HashMap<String, TechnologyRef>,
) -> Result<(TechnologyRef, bool), String> {
    let new = || TechnologyRef {
        slug: slugify(name),
        name: name.to_owned(),
        kind: Kind::Framework,
    };
    let same = known
        .get(&slugify(name))
        .or_else(|| known.get(&name.to_lowercase()));
    match choice {
        "" => Ok(match same {
            Some(technology) => (technology.clone(), false),
            None => (new(), true),
        }),
        NEW_TECHNOLOGY => match same {
            Some(technology) => Err(format!(
                "cannot be a new technology: {} already has its name or slug",
                technology.name
            )),
            None => Ok((new(), true)),
        },
        slug => known
            .get(slug)
            .filter(|t| t.slug == slug)
            .map(|t| (t.clone(), false))
            .ok_or_else(|| format!("names no technology: `{slug}`")),
    }
}
