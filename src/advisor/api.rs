//! The advisor as JSON: the requirements a reader can mark, and `POST /api/v1/advice`.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;

use crate::advisor::advice::{advise, all_requirements};
use crate::advisor::query::Query;
use crate::advisor::score::Importance;
use crate::db::Db;
use crate::editing::json::JsonBody;
use crate::web::error::FieldError;
use crate::web::{ApiError, AppError};

/// Every requirement with what it weighs: what `POST /api/v1/advice` can mark.
pub async fn requirements(db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    let requirements = db.run(all_requirements).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": requirements })))
}

/// The advisor's inputs as JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Inputs {
    #[serde(default)]
    candidates: Vec<String>,
    #[serde(default)]
    frameworks_of: Vec<String>,
    #[serde(default)]
    requirements: BTreeMap<String, String>,
}

impl Inputs {
    fn parse(body: Value) -> Result<Query, Vec<FieldError>> {
        let inputs: Inputs = serde_json::from_value(body)
            .map_err(|e| vec![FieldError::new("body", e.to_string())])?;
        let mut errors = Vec::new();
        let mut query = Query::default();
        for (name, slugs, list) in [
            ("candidates", inputs.candidates, &mut query.candidates),
            (
                "frameworks_of",
                inputs.frameworks_of,
                &mut query.frameworks_of,
            ),
        ] {
            for slug in slugs {
                match crate::editing::Slug::parse(&slug) {
                    Ok(_) if list.contains(&slug) => {}
                    Ok(_) => list.push(slug),
                    Err(e) => errors.push(FieldError::new(name, format!("`{slug}` {e}"))),
                }
            }
        }
        for (slug, importance) in inputs.requirements {
            match Importance::parse(&importance) {
                Ok(importance) => query.marks.push((slug, importance)),
                Err(e) => errors.push(FieldError::new(format!("requirements.{slug}"), e)),
            }
        }
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
    }
}

/// The API names fields as the JSON body does.
fn json_name(error: FieldError, query: &Query) -> FieldError {
    let name = match error.name.as_str() {
        "t" => "candidates".to_owned(),
        "of" => "frameworks_of".to_owned(),
        "requirements" => "requirements".to_owned(),
        slug if query.marks.iter().any(|(s, _)| s == slug) => format!("requirements.{slug}"),
        other => other.to_owned(),
    };
    FieldError::new(name, error.detail)
}

pub async fn advice(db: web::Data<Db>, JsonBody(body): JsonBody) -> Result<HttpResponse, ApiError> {
    let query = Inputs::parse(body).map_err(AppError::InvalidFields)?;
    let asked = query.clone();
    let advice = db.run(move |conn| advise(conn, &asked)).await?;
    match advice {
        Ok(advice) => Ok(HttpResponse::Ok().json(serde_json::json!({
            "url": format!("/advisor?{}", advice.query),
            "advice": advice,
        }))),
        Err(errors) => Err(AppError::InvalidFields(
            errors.into_iter().map(|e| json_name(e, &query)).collect(),
        )
        .into()),
    }
}
