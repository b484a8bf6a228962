//! Field rules shared by the catalog's items. Each takes the raw value and says what is
//! wrong with it in words a form can show beside the field.

use chrono::NaiveDate;

use crate::editing::Slug;
use crate::web::error::FieldError;

/// How a slug field is explained on a form.
pub const SLUG_HINT: &str =
    "The address: lowercase letters and digits joined by hyphens, e.g. actix-web.";

/// Collects field errors while values are parsed.
#[derive(Debug, Default)]
pub struct Check {
    pub errors: Vec<FieldError>,
}

impl Check {
    /// `Some(value)` if `rule` accepts it; otherwise notes the error under `name`.
    pub fn field<T>(&mut self, name: &str, rule: Result<T, String>) -> Option<T> {
        rule.map_err(|detail| self.errors.push(FieldError::new(name, detail)))
            .ok()
    }

    pub fn fail(&mut self, name: &str, detail: impl Into<String>) {
        self.errors.push(FieldError::new(name, detail));
    }

    pub fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(self.errors),
        }
    }
}

/// Text that must be there, at most `max` characters.
pub fn required(value: &str, max: usize) -> Result<String, String> {
    if value.is_empty() {
        Err("is required".into())
    } else {
        optional(value, max)
    }
}

/// Text that may be empty, at most `max` characters.
pub fn optional(value: &str, max: usize) -> Result<String, String> {
    if value.chars().count() > max {
        Err(format!("must be at most {max} characters"))
    } else {
        Ok(value.to_owned())
    }
}

/// A slug that is not a word the admin's addresses use (`/admin/technologies/new`).
pub fn not_reserved(slug: Slug) -> Result<Slug, String> {
    match slug.as_str() {
        "new" => Err("cannot be `new`: the admin uses that address to add one".into()),
        _ => Ok(slug),
    }
}

/// A whole number from `min` to `max`.
pub fn number(value: &str, min: i32, max: i32) -> Result<i32, String> {
    match value.parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ if value.is_empty() => Err("is required".into()),
        _ => Err(format!("must be a whole number from {min} to {max}")),
    }
}

/// A date written `YYYY-MM-DD`.
pub fn date(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| "must be a date written YYYY-MM-DD, e.g. 2026-11-21".into())
}

/// A date written `YYYY-MM-DD`, not after `today`.
pub fn past_date(value: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    if value.is_empty() {
        return Err("is required".into());
    }
    match date(value)? {
        date if date > today => Err("cannot be in the future".into()),
        date => Ok(date),
    }
}

/// A web address: `http://` or `https://` and a host, no spaces.
pub fn url(value: &str) -> Result<String, String> {
    let host = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    let well_formed = host.is_some_and(|host| host.contains('.') || host.starts_with("localhost"))
        && !value.chars().any(char::is_whitespace);
    if !well_formed {
        return Err("must be a web address starting with https:// or http://".into());
    }
    optional(value, 2000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn required_text_has_a_length() {
        assert_eq!(required("", 5), Err("is required".into()));
        assert_eq!(required("Rust", 5), Ok("Rust".into()));
        assert!(required("Rustacean", 5).is_err());
        assert_eq!(optional("", 5), Ok(String::new()));
    }

    #[test]
    fn numbers_have_a_range() {
        assert_eq!(number("3", 1, 5), Ok(3));
        assert!(number("0", 1, 5).is_err());
        assert!(number("6", 1, 5).is_err());
        assert!(number("3.5", 1, 5).is_err());
        assert_eq!(number("", 1, 5), Err("is required".into()));
    }

    #[test]
    fn dates_are_iso_and_not_in_the_future() {
        let today = day("2026-11-21");
        assert_eq!(past_date("2026-11-21", today), Ok(today));
        assert!(
            past_date("2026-11-22", today)
                .unwrap_err()
                .contains("future")
        );
        assert!(
            past_date("21/11/2026", today)
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
        assert!(past_date("2026-02-30", today).is_err());
    }

    #[test]
    fn urls_need_a_scheme_and_a_host() {
        assert!(url("https://go.dev/doc/").is_ok());
        assert!(url("http://localhost:8080/x").is_ok());
        for bad in [
            "go.dev",
            "javascript:alert(1)",
            "https://",
            "https://exa mple.com",
            "ftp://x.org",
        ] {
            assert!(url(bad).is_err(), "{bad}");
        }
    }
}
