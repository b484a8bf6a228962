//! How a kind of item shows in the admin: its list's rows and its form's fields.

use crate::db::DbConnection;
use crate::editing::{Editable, Entry, Field};
use crate::web::form::Fields;
use crate::web::params::{PageRequest, Paginated};

/// A kind of item as the admin pages show it.
pub trait AdminKind: Editable {
    /// The collection's path segment, under `/admin/` and at the site's root.
    const PATH: &'static str;
    /// One of them, in a sentence: "technology".
    const NOUN: &'static str;
    /// The collection's heading: "Technologies".
    const TITLE: &'static str;

    fn rows(conn: &mut DbConnection, page: PageRequest) -> diesel::QueryResult<Paginated<Row>>;

    /// The form's fields, as declared, with the choices that come from the database.
    fn specs(conn: &mut DbConnection) -> diesel::QueryResult<Vec<Spec>> {
        Self::FIELDS
            .iter()
            .map(|field| Ok(Spec::of(field, Self::choices(conn, field.name)?)))
            .collect()
    }

    /// The choices of the field `name` ([`Entry::Choice`]) as (value, label), or the fields
    /// of a group ([`Entry::Numbers`]) as (name, label).
    fn choices(_: &mut DbConnection, _name: &str) -> diesel::QueryResult<Vec<(String, String)>> {
        Ok(Vec::new())
    }

    /// A new item's form before anything is typed.
    fn blank() -> Fields {
        Fields::default()
    }

    /// Where readers see the item `key`.
    fn public_url(key: &str) -> String {
        format!("/{}/{key}", Self::PATH)
    }
}

/// An item in an admin list.
#[derive(Debug, Clone)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub note: String,
}

/// One field of an item's form.
#[derive(Debug, Clone)]
pub struct Spec {
    pub name: String,
    pub label: String,
    pub hint: &'static str,
    pub input: Input,
}

#[derive(Debug, Clone)]
pub enum Input {
    Text,
    Textarea,
    Number,
    Date,
    Url,
    /// Choices as (value, label); the first may be an empty "none".
    Select(Vec<(String, String)>),
    /// A group of small whole numbers, each its own field: (name, label).
    Numbers(Vec<(String, String)>),
}

impl Spec {
    /// The fields it stands for, with their labels: itself, or each of a group.
    pub fn fields(&self) -> Vec<(&str, &str)> {
        match &self.input {
            Input::Numbers(fields) => fields
                .iter()
                .map(|(name, label)| (name.as_str(), label.as_str()))
                .collect(),
            _ => vec![(self.name.as_str(), self.label.as_str())],
        }
    }

    /// The form's field for a declared one, with its choices.
    pub fn of(field: &Field, choices: Vec<(String, String)>) -> Self {
        let input = match field.entry {
            Entry::Text => Input::Text,
            Entry::Textarea => Input::Textarea,
            Entry::Number => Input::Number,
            Entry::Date => Input::Date,
            Entry::Url => Input::Url,
            Entry::Choice => Input::Select(choices),
            Entry::Numbers => Input::Numbers(choices),
        };
        Self::new(field.name, field.label, field.hint, input)
    }

    pub fn new(
        name: impl Into<String>,
        label: impl Into<String>,
        hint: &'static str,
        input: Input,
    ) -> Self {
        Self {
            name: name.into(),
            label: label.into(),
            hint,
            input,
        }
    }

    /// The HTML input type of a one-line field.
    pub fn html_type(&self) -> &'static str {
        match self.input {
            Input::Number => "number",
            Input::Date => "date",
            Input::Url => "url",
            _ => "text",
        }
    }
}
