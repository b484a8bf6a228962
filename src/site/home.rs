//! The home page: the demo question's two technologies, the catalog by kind, and the
//! featured comparisons.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::catalog::model::{Kind, TechnologyDetail};
use crate::catalog::queries;
use crate::compare::featured::{self, Featured};
use crate::db::Db;
use crate::web::{Layout, PageError, render};

/// The two technologies the demo question is about, shown first on the home page.
const FEATURED: [&str; 2] = ["go", "rust"];

#[derive(Template)]
#[template(path = "site/home.html")]
struct HomePage {
    layout: Layout,
    featured: Vec<TechnologyDetail>,
    kinds: Vec<(Kind, i64)>,
    comparisons: Vec<Featured>,
}

pub async fn home(layout: Layout, db: web::Data<Db>) -> Result<HttpResponse, PageError> {
    let (featured, kinds, comparisons) = db
        .run(|conn| {
            let mut featured = Vec::new();
            for slug in FEATURED {
                featured.extend(queries::technology(conn, slug)?);
            }
            Ok((
                featured,
                queries::kind_counts(conn)?,
                featured::available_featured(conn)?,
            ))
        })
        .await?;
    Ok(render(&HomePage {
        layout,
        featured,
        kinds,
        comparisons,
    })?)
}
