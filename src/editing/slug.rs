//! Slugs: the readable names items have in addresses.

use std::fmt;

use serde::Serialize;

/// A readable URL segment: lowercase letters and digits in words joined by single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 64;

    pub fn parse(value: &str) -> Result<Self, String> {
        let well_formed = !value.is_empty()
            && value.len() <= Self::MAX_LEN
            && value.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if well_formed {
            Ok(Self(value.to_owned()))
        } else {
            Err(format!(
                "must be lowercase letters and digits joined by single hyphens, at most {} characters",
                Self::MAX_LEN
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        for good in ["go", "actix-web", "c-cpp", "net-http", "k8s", "a1-b2-c3"] {
            assert!(Slug::parse(good).is_ok(), "{good}");
        }
        let too_long = "a".repeat(Slug::MAX_LEN + 1);
        for bad in [
            "",
            "Go",
            "actix_web",
            "-go",
            "go-",
            "go--rust",
            "net/http",
            "é",
            &too_long,
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }
}
