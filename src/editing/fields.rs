//! An editable kind's fields, declared once: each field's name (as forms, JSON and the audit
//! log have it), its label and hint on the form, how it is entered, and the rule its value
//! follows. The declaration drives the form ([`crate::editing::forms`]), the API's list of
//! members ([`crate::editing::api`]) and the checks every value gets before the kind adds its
//! own ([`Checked`]).

use std::collections::BTreeMap;

use diesel::QueryResult;

use crate::editing::Slug;
use crate::editing::rules::{self, Check};
use crate::web::error::FieldError;
use crate::web::form::Fields;

/// One field of a kind.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub entry: Entry,
    pub rule: Rule,
}

/// How a field is entered on a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Text,
    Textarea,
    Number,
    Date,
    Url,
    /// Sent with the form without being shown, e.g. where the item's values came from.
    Hidden,
    /// One of the choices the kind offers ([`crate::editing::forms::AdminKind::choices`]).
    Choice,
    /// Any of the choices the kind offers, each a checkbox; the field has a value for each
    /// one ticked.
    Checks,
    /// Small whole numbers, one field each, as the kind names them: not a member of its own.
    Numbers,
}

/// What a value must be. What depends on the database or on other fields, the kind checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A slug that no route takes.
    Slug,
    /// Text that must be there, at most this many characters.
    Required(usize),
    /// Text that may be empty, at most this many characters.
    Optional(usize),
    /// A whole number from the first to the second.
    Number(i32, i32),
    /// The kind's own check.
    ByKind,
}

impl Field {
    pub const fn new(name: &'static str, label: &'static str, entry: Entry, rule: Rule) -> Self {
        Self {
            name,
            label,
            hint: "",
            entry,
            rule,
        }
    }

    /// The same field explained on the form.
    pub const fn hint(self, hint: &'static str) -> Self {
        Self { hint, ..self }
    }
}

/// The names of the fields that are members of the item, in the order declared.
pub fn names(fields: &[Field]) -> impl Iterator<Item = &'static str> + '_ {
    fields
        .iter()
        .filter(|field| field.entry != Entry::Numbers)
        .map(|field| field.name)
}

/// A value that has passed its field's rule.
#[derive(Debug, Clone)]
enum Value {
    Slug(Slug),
    Text(String),
    Number(i32),
}

/// Input checked against the declared rules: the values that passed, and the errors of
/// those that did not, to which the kind adds its own checks.
#[derive(Debug, Default)]
pub struct Checked {
    pub check: Check,
    values: BTreeMap<&'static str, Value>,
}

impl Checked {
    /// `input` checked field by field, in the order declared.
    pub fn of(input: &Fields, fields: &[Field]) -> Self {
        let mut checked = Self::default();
        for field in fields {
            let raw = input.get(field.name);
            let value = match field.rule {
                Rule::Slug => Slug::parse(raw)
                    .and_then(rules::not_reserved)
                    .map(Value::Slug),
                Rule::Required(max) => rules::required(raw, max).map(Value::Text),
                Rule::Optional(max) => rules::optional(raw, max).map(Value::Text),
                Rule::Number(min, max) => rules::number(raw, min, max).map(Value::Number),
                Rule::ByKind => continue,
            };
            if let Some(value) = checked.check.field(field.name, value) {
                checked.values.insert(field.name, value);
            }
        }
        checked
    }

    pub fn slug(&self, name: &str) -> Option<Slug> {
        match self.values.get(name)? {
            Value::Slug(slug) => Some(slug.clone()),
            _ => None,
        }
    }

    pub fn text(&self, name: &str) -> Option<String> {
        match self.values.get(name)? {
            Value::Text(text) => Some(text.clone()),
            _ => None,
        }
    }

    pub fn number(&self, name: &str) -> Option<i32> {
        match self.values.get(name)? {
            Value::Number(number) => Some(*number),
            _ => None,
        }
    }

    /// Refuses the slug in `name` when another item than `id` has it already: `owner` says
    /// which item has a slug.
    pub fn unique_slug(
        &mut self,
        name: &str,
        id: Option<i32>,
        noun: &str,
        owner: impl FnOnce(&str) -> QueryResult<Option<i32>>,
    ) -> QueryResult<()> {
        if let Some(slug) = self.slug(name) {
            let owner = owner(slug.as_str())?;
            if owner.is_some() && owner != id {
                self.check
                    .fail(name, format!("is already taken by another {noun}"));
            }
        }
        Ok(())
    }

    pub fn fail(&mut self, name: &str, detail: impl Into<String>) {
        self.check.fail(name, detail);
    }

    /// The item `build` makes of the values, if every field passed.
    pub fn finish<T>(self, build: impl FnOnce(&Self) -> Option<T>) -> Result<T, Vec<FieldError>> {
        let item = build(&self);
        self.check.finish(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[Field] = &[
        Field::new("name", "Name", Entry::Text, Rule::Required(5)),
        Field::new("slug", "Slug", Entry::Text, Rule::Slug),
        Field::new("position", "Position", Entry::Number, Rule::Number(0, 9)),
        Field::new("kind", "Kind", Entry::Choice, Rule::ByKind),
        Field::new("weights", "Weights", Entry::Numbers, Rule::ByKind),
    ];

    fn input(pairs: &[(&str, &str)]) -> Fields {
        Fields::new(pairs.iter().copied())
    }

    #[test]
    fn members_are_the_declared_fields_but_groups() {
        assert_eq!(
            names(FIELDS).collect::<Vec<_>>(),
            ["name", "slug", "position", "kind"]
        );
    }

    #[test]
    fn each_rule_is_applied_in_the_order_declared() {
        let checked = Checked::of(
            &input(&[("name", "Axum"), ("slug", "axum"), ("position", "3")]),
            FIELDS,
        );
        assert!(checked.check.errors.is_empty());
        assert_eq!(checked.text("name").as_deref(), Some("Axum"));
        assert_eq!(
            checked.slug("slug").map(String::from).as_deref(),
            Some("axum")
        );
        assert_eq!(checked.number("position"), Some(3));
        // A value is read as what its rule made it, and nothing else.
        assert_eq!(checked.text("slug"), None);

        let refused = Checked::of(
            &input(&[("name", "Too long"), ("slug", "Axum"), ("position", "10")]),
            FIELDS,
        );
        let named: Vec<&str> = refused
            .check
            .errors
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(named, ["name", "slug", "position"]);
        assert_eq!(refused.text("name"), None);
    }

    #[test]
    fn a_slug_another_item_has_is_refused() {
        let mut checked = Checked::of(
            &input(&[("name", "Axum"), ("slug", "axum"), ("position", "1")]),
            FIELDS,
        );
        checked
            .unique_slug("slug", Some(1), "framework", |_| Ok(Some(1)))
            .expect("no database");
        assert!(checked.check.errors.is_empty(), "its own slug");
        checked
            .unique_slug("slug", Some(1), "framework", |_| Ok(Some(2)))
            .expect("no database");
        assert_eq!(
            checked.check.errors[0].detail,
            "is already taken by another framework"
        );
        assert!(checked.finish(|_| Some(())).is_err());
    }
}
