//! `/advisor`: the form, and under it the ranking its inputs give. Everything is in the
//! GET URL, so a result can be shared and opened again.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::advisor::advice::{
    Advice, MAX_CANDIDATES, RequirementItem, advise_on, all_requirements,
};
use crate::advisor::query::Query;
use crate::advisor::score::{ASSUMED_SCORE, Contribution, Importance, Ranked};
use crate::catalog::model::{DimensionRef, Kind, TechnologyRef};
use crate::catalog::queries;
use crate::db::Db;
use crate::web::error::FieldError;
use crate::web::{Layout, PageError, Params, render_with};

/// How many requirements a candidate's "helped most" and "hurt most" name.
const SHOWN: usize = 3;

/// The most languages the form lists to tick (twice: as candidates, and for their
/// frameworks); beyond, the form asks for their slugs.
const LANGUAGES_LISTED: i64 = 24;

#[derive(Template)]
#[template(path = "advisor/advisor.html")]
struct AdvisorPage {
    layout: Layout,
    requirements: Vec<RequirementItem>,
    /// The languages to tick; `None` when there are too many to list, and each is typed in.
    languages: Option<Vec<TechnologyRef>>,
    query: Query,
    /// What is wrong with the inputs: (the field's id, what to call it, the problem).
    problems: Vec<(String, String, String)>,
    advice: Option<Advice>,
}

pub async fn advisor(
    layout: Layout,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let parsed = Query::from_params(&params);
    let asked = parsed.clone().ok().filter(Query::asks_for_ranking);
    let (requirements, languages, advice) = db
        .run(move |conn| {
            let requirements = all_requirements(conn)?;
            let advice = match &asked {
                Some(query) => Some(advise_on(conn, &requirements, query)?),
                None => None,
            };
            let languages =
                queries::listed_technologies(conn, Some(Kind::Language), LANGUAGES_LISTED)?;
            Ok((requirements, languages, advice))
        })
        .await?;
    let (query, errors, advice) = match (parsed, advice) {
        (Err(errors), _) => (Query::default(), errors, None),
        (Ok(query), Some(Err(errors))) => (query, errors, None),
        (Ok(query), Some(Ok(advice))) => (query, Vec::new(), Some(advice)),
        (Ok(query), None) => (query, Vec::new(), None),
    };
    let mut problems: Vec<_> = errors
        .into_iter()
        .map(|e| problem(e, &requirements))
        .collect();
    problems.sort_by_key(|(anchor, _, _)| form_order(anchor, &requirements));
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(render_with(
        status,
        &AdvisorPage {
            layout,
            requirements,
            languages,
            query,
            problems,
            advice,
        },
    )?)
}

/// A problem with the inputs, tied to the part of the form it concerns.
fn problem(error: FieldError, requirements: &[RequirementItem]) -> (String, String, String) {
    let known = |slug: &str| requirements.iter().find(|r| r.slug == slug);
    let (label, detail) = match error.name.as_str() {
        "t" => ("Candidates".to_owned(), error.detail),
        "of" => ("Frameworks of".to_owned(), error.detail),
        "requirements" => ("Requirements".to_owned(), error.detail),
        slug => match known(slug) {
            Some(requirement) => (requirement.name.clone(), error.detail),
            None => (
                "Requirements".to_owned(),
                format!("`{slug}` {}", error.detail),
            ),
        },
    };
    let anchor = match error.name.as_str() {
        "t" | "of" => "candidates".to_owned(),
        slug if requirements.iter().any(|r| r.slug == slug) => format!("requirement-{slug}"),
        _ => "requirements".to_owned(),
    };
    (anchor, label, detail)
}

/// Where a problem's part of the form comes: the candidates, then each requirement in the
/// order the form lists them, then the requirements as a whole.
fn form_order(anchor: &str, requirements: &[RequirementItem]) -> usize {
    if anchor == "candidates" {
        return 0;
    }
    anchor
        .strip_prefix("requirement-")
        .and_then(|slug| requirements.iter().position(|r| r.slug == slug))
        .map_or(usize::MAX, |at| at + 1)
}

impl AdvisorPage {
    fn title(&self) -> String {
        match &self.advice {
            Some(advice) => {
                let names: Vec<&str> = advice.candidates.iter().map(|c| c.name.as_str()).collect();
                format!("Advice: {}", names.join(", "))
            }
            None => "Advisor".to_owned(),
        }
    }

    /// Whether a problem concerns the part of the form with this id.
    fn is_invalid(&self, anchor: impl AsRef<str>) -> bool {
        self.problems.iter().any(|(a, _, _)| a == anchor.as_ref())
    }

    fn max_candidates(&self) -> usize {
        MAX_CANDIDATES
    }

    fn importances(&self) -> [Importance; 4] {
        Importance::ALL
    }

    /// Which importance the form shows as chosen for `requirement`.
    fn is_marked(&self, requirement: &str, importance: &Importance) -> bool {
        self.query.importance(requirement) == *importance
    }

    fn is_candidate(&self, slug: &str) -> bool {
        self.query.candidates.iter().any(|c| c == slug)
    }

    fn is_framework_language(&self, slug: &str) -> bool {
        self.query.frameworks_of.iter().any(|c| c == slug)
    }

    /// Candidates given by slug that the language boxes do not show.
    fn other_candidates(&self) -> Vec<&str> {
        self.unlisted(&self.query.candidates)
    }

    /// Languages whose frameworks are candidates that the language boxes do not show.
    fn other_framework_languages(&self) -> Vec<&str> {
        self.unlisted(&self.query.frameworks_of)
    }

    fn unlisted<'a>(&self, slugs: &'a [String]) -> Vec<&'a str> {
        let listed = self.languages.as_deref().unwrap_or_default();
        slugs
            .iter()
            .filter(|slug| !listed.iter().any(|l| &&l.slug == slug))
            .map(String::as_str)
            .collect()
    }

    fn share_url(&self) -> Option<String> {
        self.advice
            .as_ref()
            .map(|advice| format!("/advisor?{}", advice.query))
    }

    fn decision_url(&self) -> Option<String> {
        self.advice
            .as_ref()
            .map(|advice| format!("/admin/decisions/new?{}", advice.query))
    }

    /// A dimension a requirement weighs, as a link's text needs it.
    fn dimension(&self, slug: &str) -> Option<&DimensionRef> {
        self.requirements
            .iter()
            .flat_map(|r| {
                r.weights
                    .iter()
                    .map(|w| &w.dimension)
                    .chain(r.constraint.iter().map(|c| &c.dimension))
            })
            .find(|d| d.slug == slug)
    }

    fn helped(&self, candidate: &Ranked) -> Vec<Contribution> {
        candidate.helped_most(SHOWN).into_iter().cloned().collect()
    }

    fn hurt(&self, candidate: &Ranked) -> Vec<Contribution> {
        candidate.hurt_most(SHOWN).into_iter().cloned().collect()
    }

    fn assumed_score(&self) -> u8 {
        ASSUMED_SCORE
    }

    /// Points as the page shows them: one decimal.
    fn points(&self, value: impl std::borrow::Borrow<f64>) -> String {
        let value = value.borrow();
        format!("{value:.1}")
    }

    /// A share as a whole percentage.
    fn percent(&self, value: impl std::borrow::Borrow<f64>) -> String {
        let value = value.borrow();
        format!("{:.0}%", value * 100.0)
    }
}
