//! Names made slugs, for the technologies and scenarios an import creates.

use crate::editing::Slug;

/// A name as a slug: lowercase letters and digits joined by single hyphens.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    match Slug::parse(slug) {
        Ok(slug) => slug.into(),
        Err(_) => "imported".to_owned(),
    }
}
