//! The curated requirements as the advisor reads them: each with its weights and its must.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use crate::catalog::model::DimensionRef;
use crate::db::DbConnection;
use crate::db::schema::{dimensions, requirement_weights, requirements};

/// A requirement as readers see it.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementItem {
    pub slug: String,
    pub name: String,
    pub explanation: String,
    /// In the dimensions' order.
    pub weights: Vec<Weighed>,
    pub constraint: Option<Limit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Weighed {
    pub dimension: DimensionRef,
    pub weight: i32,
}

/// A must's minimum score on a dimension.
#[derive(Debug, Clone, Serialize)]
pub struct Limit {
    pub dimension: DimensionRef,
    pub min: i32,
}

/// Every requirement, in the curators' order: two queries.
pub fn all_requirements(conn: &mut DbConnection) -> QueryResult<Vec<RequirementItem>> {
    type Row = (
        i32,
        String,
        String,
        String,
        Option<i32>,
        Option<(String, String, Option<String>)>,
    );
    let rows: Vec<Row> = requirements::table
        .left_join(dimensions::table)
        .select((
            requirements::id,
            requirements::slug,
            requirements::name,
            requirements::explanation,
            requirements::constraint_min,
            (dimensions::slug, dimensions::name, dimensions::scale).nullable(),
        ))
        .order((requirements::position, requirements::id))
        .load(conn)?;
    let mut weights: HashMap<i32, Vec<Weighed>> = HashMap::new();
    let weight_rows: Vec<(i32, i32, String, String, Option<String>)> = requirement_weights::table
        .inner_join(dimensions::table)
        .select((
            requirement_weights::requirement_id,
            requirement_weights::weight,
            dimensions::slug,
            dimensions::name,
            dimensions::scale,
        ))
        .order((dimensions::position, dimensions::id))
        .load(conn)?;
    for (requirement_id, weight, slug, name, scale) in weight_rows {
        weights.entry(requirement_id).or_default().push(Weighed {
            dimension: DimensionRef { slug, name, scale },
            weight,
        });
    }
    Ok(rows
        .into_iter()
        .map(
            |(id, slug, name, explanation, min, dimension)| RequirementItem {
                slug,
                name,
                explanation,
                weights: weights.remove(&id).unwrap_or_default(),
                constraint: min.zip(dimension).map(|(min, (slug, name, scale))| Limit {
                    dimension: DimensionRef { slug, name, scale },
                    min,
                }),
            },
        )
        .collect())
}
