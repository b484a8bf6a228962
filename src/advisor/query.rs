//! The advisor's inputs as a URL holds them, so that a result can be shared and reopened:
//! `t=` candidates, `of=` languages whose frameworks are candidates, and one
//! `<requirement>=must|important|nice|irrelevant` per requirement.

use crate::advisor::score::Importance;
use crate::editing::Slug;
use crate::web::Params;
use crate::web::error::FieldError;

/// Parameter names that cannot be requirement slugs.
pub const RESERVED: [&str; 2] = ["t", "of"];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Technologies to rank, by slug.
    pub candidates: Vec<String>,
    /// Languages, by slug, whose frameworks and libraries are to be ranked.
    pub frameworks_of: Vec<String>,
    /// Requirements by slug, with how much each matters, in the order given.
    pub marks: Vec<(String, Importance)>,
}

impl Query {
    /// Reads the inputs, naming each bad parameter. Repeats are kept once.
    pub fn from_params(params: &Params) -> Result<Query, Vec<FieldError>> {
        let mut query = Query::default();
        let mut errors = Vec::new();
        for (name, value) in params.pairs() {
            let slug = || {
                Slug::parse(value)
                    .map(String::from)
                    .map_err(|e| FieldError::new(name, format!("`{value}` {e}")))
            };
            let list = match name {
                "t" => &mut query.candidates,
                "of" => &mut query.frameworks_of,
                _ => {
                    if Slug::parse(name).is_err() {
                        errors.push(FieldError::new(name, "is not a parameter of the advisor"));
                    } else if query.marks.iter().any(|(slug, _)| slug == name) {
                        errors.push(FieldError::new(name, "is given twice"));
                    } else {
                        match Importance::parse(value) {
                            Ok(importance) => query.marks.push((name.to_owned(), importance)),
                            Err(e) => errors.push(FieldError::new(name, e)),
                        }
                    }
                    continue;
                }
            };
            match slug() {
                Ok(slug) if !list.contains(&slug) => list.push(slug),
                Ok(_) => {}
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
    }

    /// Whether a ranking is asked for: requirements are marked (if only as irrelevant).
    /// Candidates alone, as the home page's link names them, only fill in the form.
    pub fn asks_for_ranking(&self) -> bool {
        !self.marks.is_empty()
    }

    pub fn importance(&self, requirement: &str) -> Importance {
        self.marks
            .iter()
            .find(|(slug, _)| slug == requirement)
            .map_or(Importance::Irrelevant, |(_, importance)| *importance)
    }

    /// The shortest query string that means the same: irrelevant marks are left out.
    pub fn to_query_string(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for slug in &self.candidates {
            query.append_pair("t", slug);
        }
        for slug in &self.frameworks_of {
            query.append_pair("of", slug);
        }
        for (slug, importance) in &self.marks {
            if *importance != Importance::Irrelevant {
                query.append_pair(slug, importance.as_str());
            }
        }
        query.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<Query, Vec<FieldError>> {
        Query::from_params(&Params::parse(query))
    }

    #[test]
    fn inputs_round_trip_through_the_query_string() {
        let query =
            parse("t=go&t=rust&of=&time-to-market=must&webassembly=irrelevant&memory-safety=nice")
                .expect("valid");
        assert_eq!(query.candidates, ["go", "rust"]);
        assert!(query.frameworks_of.is_empty());
        assert_eq!(query.importance("time-to-market"), Importance::Must);
        assert_eq!(query.importance("webassembly"), Importance::Irrelevant);
        assert_eq!(query.importance("unmarked"), Importance::Irrelevant);
        let shared = query.to_query_string();
        assert_eq!(shared, "t=go&t=rust&time-to-market=must&memory-safety=nice");
        let reopened = parse(&shared).expect("valid");
        assert_eq!(reopened.to_query_string(), shared);
        assert_eq!(reopened.candidates, query.candidates);
    }

    #[test]
    fn repeated_candidates_count_once() {
        let query = parse("t=go&t=go&of=rust&of=rust").expect("valid");
        assert_eq!(query.candidates, ["go"]);
        assert_eq!(query.frameworks_of, ["rust"]);
    }

    #[test]
    fn bad_parameters_are_named() {
        let errors = parse("t=Go&of=c_cpp&speed=urgent&Bad=must&speed2=must&speed2=nice")
            .expect_err("invalid");
        let names: Vec<_> = errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["t", "of", "speed", "Bad", "speed2"]);
        assert!(
            errors[2].detail.contains("`urgent`"),
            "{}",
            errors[2].detail
        );
    }

    #[test]
    fn a_ranking_is_asked_for_once_requirements_are_marked() {
        assert!(!parse("").expect("valid").asks_for_ranking());
        assert!(!parse("t=go&t=rust").expect("valid").asks_for_ranking());
        assert!(
            parse("t=go&time-to-market=irrelevant")
                .expect("valid")
                .asks_for_ranking()
        );
    }
}
