//! How a kind of item shows in the admin: its list's rows, its form's fields, and the words
//! and places its pages use.

use crate::db::DbConnection;
use crate::editing::{Current, Editable, Entry, Field};
use crate::web::Params;
use crate::web::form::Fields;
use crate::web::params::{PageRequest, Paginated};

/// A kind of item as the admin pages show it. Everything but the list's rows has a default
/// that suits a catalog item; a kind says only where it differs.
pub trait AdminKind: Editable {
    /// The collection's path segment, under `/admin/` and at the site's root.
    const PATH: &'static str;
    /// One of them, in a sentence: "technology".
    const NOUN: &'static str;
    /// The collection's heading: "Technologies".
    const TITLE: &'static str;
    /// How the admin's addresses name an item: the route pattern of its key, named `key`.
    const KEY: &'static str = "{key}";
    /// What a new item's form says above its fields, if anything.
    const LEAD: &'static str = "";
    /// The link from an item's form to its public page.
    const VIEW: &'static str = "View the public page";
    /// What the delete page says when nothing depends on the item…
    const NO_DEPENDENTS: &'static str = "Nothing else depends on it.";
    /// …and before the list of what does.
    const CASCADES: &'static str = "Deleting it also deletes what depends on it:";
    /// What the delete page says becomes of the item.
    const DELETE_NOTE: &'static str =
        "The change is recorded in the audit log with everything that was deleted.";
    /// Admin pages of an item besides its form, as (address below the item's, link in the
    /// list, link on the form): a technology's facts.
    const SUBPAGES: &'static [(&'static str, &'static str, &'static str)] = &[];

    /// The list page's rows. A kind with a list page of its own, routed beside its forms
    /// ([`crate::editing::pages::forms`]), has none here.
    fn rows(_: &mut DbConnection, page: PageRequest) -> diesel::QueryResult<Paginated<Row>> {
        Ok(Paginated {
            items: Vec::new(),
            page: page.page,
            per_page: page.per_page,
            total: 0,
        })
    }

    /// The form's fields, as declared, with the choices that come from the database; for
    /// the item `current` when it exists already.
    fn specs(
        conn: &mut DbConnection,
        _current: Option<&Current>,
    ) -> diesel::QueryResult<Vec<Spec>> {
        Self::FIELDS
            .iter()
            .map(|field| Ok(Spec::of(field, Self::choices(conn, field.name)?)))
            .collect()
    }

    /// The choices of the field `name` ([`Entry::Choice`], [`Entry::Checks`]) as (value,
    /// label), or the fields of a group ([`Entry::Numbers`]) as (name, label).
    fn choices(_: &mut DbConnection, _name: &str) -> diesel::QueryResult<Vec<(String, String)>> {
        Ok(Vec::new())
    }

    /// A new item's form before anything is typed.
    fn blank() -> Fields {
        Fields::default()
    }

    /// A new item's form as its address asks (`/admin/{PATH}/new?…`), and a notice saying
    /// where its values came from.
    fn prefill(
        _: &mut DbConnection,
        _params: &Params,
    ) -> diesel::QueryResult<(Fields, Option<String>)> {
        Ok((Self::blank(), None))
    }

    /// Where readers see the item `key`.
    fn public_url(key: &str) -> String {
        format!("/{}/{key}", Self::PATH)
    }

    /// Where the editor goes once the item `key` is created or saved.
    fn saved_url(key: &str) -> String {
        format!("/admin/{}/{key}", Self::PATH)
    }

    /// The heading of a new item's form.
    fn new_title() -> String {
        format!("New {}", Self::NOUN)
    }

    /// The heading of the form of the item called `label`.
    fn edit_title(label: &str) -> String {
        format!("Edit {label}")
    }

    /// The button that creates an item.
    fn create_button() -> String {
        format!("Create {}", Self::NOUN)
    }

    /// The message once the item called `label` is created.
    fn created(label: &str) -> String {
        format!("Created {} “{label}”.", Self::NOUN)
    }

    /// The message once the item called `label` is saved.
    fn saved(label: &str) -> String {
        format!("Saved {} “{label}”.", Self::NOUN)
    }

    /// The message once the item `key` is deleted.
    fn deleted(key: &str) -> String {
        format!("Deleted the {} {key}.", Self::NOUN)
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
    pub hint: String,
    pub input: Input,
}

/// Choices under a heading: an `<optgroup>`, or a `<fieldset>` of checkboxes.
#[derive(Debug, Clone)]
pub struct Group {
    /// Empty for choices shown without a heading.
    pub label: String,
    /// As (value, label).
    pub choices: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub enum Input {
    Text,
    Textarea,
    Number,
    Date,
    Url,
    /// Sent with the form, not shown; its error is.
    Hidden,
    /// Choices as (value, label), the first may be an empty "none"; then groups of them.
    Select(Vec<(String, String)>, Vec<Group>),
    /// Checkboxes, several of which may be ticked, in groups.
    Checks(Vec<Group>),
    /// Values that cannot change (once the item is created), as (value, label): shown as a
    /// list and sent as they are.
    Fixed(Vec<(String, String)>),
    /// A group of small whole numbers, each its own field: (name, label).
    Numbers(Vec<(String, String)>),
}

impl Group {
    pub fn new(label: impl Into<String>, choices: Vec<(String, String)>) -> Self {
        Self {
            label: label.into(),
            choices,
        }
    }
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
            Entry::Hidden => Input::Hidden,
            Entry::Choice => Input::Select(choices, Vec::new()),
            Entry::Checks => Input::Checks(vec![Group::new("", choices)]),
            Entry::Numbers => Input::Numbers(choices),
        };
        Self::new(field.name, field.label, field.hint, input)
    }

    pub fn new(
        name: impl Into<String>,
        label: impl Into<String>,
        hint: impl Into<String>,
        input: Input,
    ) -> Self {
        Self {
            name: name.into(),
            label: label.into(),
            hint: hint.into(),
            input,
        }
    }

    /// The same field entered as `input`.
    pub fn as_input(self, input: Input) -> Self {
        Self { input, ..self }
    }

    /// The same field explained by `hint`.
    pub fn with_hint(self, hint: impl Into<String>) -> Self {
        Self {
            hint: hint.into(),
            ..self
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
