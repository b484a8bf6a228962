//! The rules a decision's fields follow, for the forms and the API alike: a pure check of
//! the submitted fields against what the database said about them.

use chrono::NaiveDate;

use crate::decisions::model::Status;
use crate::decisions::snapshot::OptionRef;
use crate::editing::rules::{self, Check};
use crate::editing::{Entry, Field, Rule};
use crate::web::error::FieldError;
use crate::web::form::Fields;

/// Every field a decision has, as forms and JSON name them. Checked together by [`check`].
pub const FIELDS: &[Field] = &[
    Field::new("title", "Title", Entry::Text, Rule::ByKind).hint(
        "A short statement of what is decided, e.g. “Choose between Go and Rust for the payments API”.",
    ),
    Field::new("context", "Context and problem", Entry::Textarea, Rule::ByKind)
        .hint("What is to be decided, and why now."),
    Field::new("drivers", "Decision drivers", Entry::Textarea, Rule::ByKind).hint(
        "Optional. One per line: the requirements and forces that matter, e.g. “Time to market (must)”.",
    ),
    Field::new("options", "Options considered", Entry::Checks, Rule::ByKind),
    Field::new("chosen", "Chosen option", Entry::Choice, Rule::ByKind)
        .hint("One of the options considered; none yet only while the decision is proposed."),
    Field::new("rationale", "Why", Entry::Textarea, Rule::ByKind).hint(
        "Required with a chosen option. It completes the sentence “Chosen option: X, because …”.",
    ),
    Field::new("consequences", "Consequences", Entry::Textarea, Rule::ByKind)
        .hint("Optional: what becomes easier, and what harder, because of it."),
    Field::new("status", "Status", Entry::Choice, Rule::ByKind),
    Field::new("superseded_by", "Superseded by", Entry::Choice, Rule::ByKind)
        .hint("Only for a superseded decision: the decision that replaced it."),
    Field::new("decided_on", "Decided on", Entry::Date, Rule::ByKind)
        .hint("YYYY-MM-DD, not in the future; today if left empty."),
    Field::new("revisit_by", "Revisit by", Entry::Date, Rule::ByKind).hint(
        "Optional: when to look at it again, not before the decision's date. Once it has passed, a proposed or accepted decision is listed as due for review.",
    ),
    Field::new("links", "Links", Entry::Textarea, Rule::ByKind).hint(
        "Optional. One per line: a web address, or a label then the address, e.g. “RFC 12 https://wiki.example/rfc/12”.",
    ),
    Field::new("advisor_query", "Advisor's inputs", Entry::Hidden, Rule::ByKind),
];

/// How many options a decision weighs: a choice needs two; more than four cannot be
/// weighed side by side.
pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 4;

const MAX_DRIVERS: usize = 30;
const MAX_LINKS: usize = 20;

/// What checking a decision needs to know from the database.
#[derive(Debug, Clone)]
pub struct Known {
    /// The technologies the `options` field names that exist.
    pub technologies: Vec<OptionRef>,
    /// For a decision being changed: what was recorded with it.
    pub existing: Option<Recorded>,
    /// Whether the decision `superseded_by` names exists.
    pub superseding_exists: bool,
    pub today: NaiveDate,
}

/// What a decision keeps as it was recorded: its options (the snapshot was taken of them)
/// and the advisor's query it came from (the snapshot holds its result).
#[derive(Debug, Clone)]
pub struct Recorded {
    pub id: i32,
    pub options: Vec<OptionRef>,
    pub advisor_query: String,
}

/// A decision's fields, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub title: String,
    pub context: String,
    /// One driver per line.
    pub drivers: String,
    pub options: Vec<OptionRef>,
    /// A slug among `options`, or empty while the decision is proposed.
    pub chosen: String,
    pub rationale: String,
    pub consequences: String,
    pub status: Status,
    pub superseded_by_id: Option<i32>,
    pub decided_on: NaiveDate,
    pub revisit_by: Option<NaiveDate>,
    /// One link per line.
    pub links: String,
    pub advisor_query: String,
}

/// Every non-empty line of every value of `name`: a textarea sends one value of many
/// lines, a JSON array many values.
pub fn lines(fields: &Fields, name: &str) -> Vec<String> {
    fields
        .all(name)
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The option slugs the fields name, each once, in the order given.
pub fn option_slugs(fields: &Fields) -> Vec<String> {
    let mut slugs: Vec<String> = Vec::new();
    for slug in fields.all("options") {
        if !slugs.iter().any(|s| s == slug) {
            slugs.push(slug.to_owned());
        }
    }
    slugs
}

/// Lines of text, at most `max` of them and `max_len` characters each, one per line.
fn line_list(lines: Vec<String>, max: usize, max_len: usize) -> Result<String, String> {
    if lines.len() > max {
        Err(format!("must be at most {max} lines"))
    } else if lines.iter().any(|line| line.chars().count() > max_len) {
        Err(format!("must have at most {max_len} characters a line"))
    } else {
        Ok(lines.join("\n"))
    }
}

/// Checks `fields` for a new decision, or a change to `known.existing`.
pub fn check(fields: &Fields, known: &Known) -> Result<Checked, Vec<FieldError>> {
    let mut errors = Check::default();
    let title = fields.get("title").split_whitespace().collect::<Vec<_>>();
    let title = errors.field("title", rules::required(&title.join(" "), 200));
    let context = errors.field("context", rules::required(fields.get("context"), 10_000));
    let drivers = errors.field(
        "drivers",
        line_list(lines(fields, "drivers"), MAX_DRIVERS, 300),
    );
    let options = check_options(fields, known, &mut errors);
    let status = match fields.get("status") {
        "" => {
            errors.fail("status", "is required");
            None
        }
        value => errors.field("status", Status::parse(value)),
    };
    let chosen = fields.get("chosen");
    match (chosen, status) {
        ("", Some(status)) if status != Status::Proposed => errors.fail(
            "chosen",
            "is required unless the decision is still proposed",
        ),
        ("", _) => {}
        (slug, _) => {
            if let Some(options) = &options
                && !options.iter().any(|o| o.slug == slug)
            {
                errors.fail("chosen", "must be one of the options considered");
            }
        }
    }
    let rationale = errors.field("rationale", rules::optional(fields.get("rationale"), 5_000));
    if rationale.as_deref() == Some("") && !chosen.is_empty() {
        errors.fail(
            "rationale",
            "is required with a chosen option: say why it was chosen",
        );
    }
    let consequences = errors.field(
        "consequences",
        rules::optional(fields.get("consequences"), 5_000),
    );
    let superseded_by_id = check_superseded_by(fields, known, status, &mut errors);
    let decided_on = match fields.get("decided_on") {
        "" => Some(known.today),
        value => errors.field("decided_on", rules::past_date(value, known.today)),
    };
    let revisit_by = match fields.get("revisit_by") {
        "" => Some(None),
        value => match (rules::date(value), decided_on) {
            (Ok(day), Some(decided)) if day < decided => {
                errors.fail(
                    "revisit_by",
                    format!("cannot be before the decision's date, {decided}"),
                );
                None
            }
            (other, _) => errors.field("revisit_by", other).map(Some),
        },
    };
    let links = errors.field("links", line_list(lines(fields, "links"), MAX_LINKS, 2_000));
    let advisor_query = match &known.existing {
        Some(recorded) if fields.get("advisor_query") != recorded.advisor_query => {
            errors.fail(
                "advisor_query",
                "cannot change once a decision is recorded, since the advisor's result for it is \
                 kept with it",
            );
            None
        }
        _ => errors.field(
            "advisor_query",
            rules::optional(fields.get("advisor_query"), 2_000),
        ),
    };
    let checked = (|| {
        Some(Checked {
            title: title?,
            context: context?,
            drivers: drivers?,
            options: options?,
            chosen: chosen.to_owned(),
            rationale: rationale?,
            consequences: consequences?,
            status: status?,
            superseded_by_id: superseded_by_id?,
            decided_on: decided_on?,
            revisit_by: revisit_by?,
            links: links?,
            advisor_query: advisor_query?,
        })
    })();
    errors.finish(checked)
}

/// A new decision's options are technologies in the catalog; a recorded decision's are the
/// ones recorded, which cannot change (its snapshot was taken of them).
fn check_options(fields: &Fields, known: &Known, errors: &mut Check) -> Option<Vec<OptionRef>> {
    let slugs = option_slugs(fields);
    if let Some(Recorded {
        options: recorded, ..
    }) = &known.existing
    {
        let same =
            slugs.len() == recorded.len() && recorded.iter().all(|o| slugs.contains(&o.slug));
        if !same {
            let names: Vec<&str> = recorded.iter().map(|o| o.slug.as_str()).collect();
            errors.fail(
                "options",
                format!(
                    "cannot change once a decision is recorded, since its snapshot was taken of \
                     them: keep {}",
                    names.join(", ")
                ),
            );
            return None;
        }
        return Some(recorded.clone());
    }
    if slugs.len() < MIN_OPTIONS {
        errors.fail(
            "options",
            format!("must name at least {MIN_OPTIONS} technologies to choose between"),
        );
        return None;
    }
    if slugs.len() > MAX_OPTIONS {
        errors.fail(
            "options",
            format!("must name at most {MAX_OPTIONS} technologies"),
        );
        return None;
    }
    let mut options = Vec::new();
    for slug in &slugs {
        match known.technologies.iter().find(|t| &t.slug == slug) {
            Some(technology) => options.push(technology.clone()),
            None => errors.fail("options", format!("there is no technology `{slug}`")),
        }
    }
    (options.len() == slugs.len()).then_some(options)
}

/// The decision that replaced this one: named exactly when the status is superseded.
fn check_superseded_by(
    fields: &Fields,
    known: &Known,
    status: Option<Status>,
    errors: &mut Check,
) -> Option<Option<i32>> {
    let value = fields.get("superseded_by");
    let superseded = status == Some(Status::Superseded);
    if value.is_empty() {
        if superseded {
            errors.fail(
                "superseded_by",
                "is required for a superseded decision: name the decision that replaced it",
            );
            return None;
        }
        return Some(None);
    }
    if !superseded {
        if status.is_some() {
            errors.fail(
                "superseded_by",
                "is only for a superseded decision: set the status to superseded, or leave it empty",
            );
        }
        return None;
    }
    match value.parse::<i32>() {
        Ok(id) if known.existing.as_ref().is_some_and(|own| own.id == id) => {
            errors.fail("superseded_by", "cannot be this decision itself");
            None
        }
        Ok(id) if known.superseding_exists => Some(Some(id)),
        _ => {
            errors.fail("superseded_by", format!("there is no decision `{value}`"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    fn known() -> Known {
        Known {
            technologies: ["go", "rust", "gin", "axum", "python"]
                .map(|slug| OptionRef {
                    slug: slug.into(),
                    name: slug.to_uppercase(),
                })
                .to_vec(),
            existing: None,
            superseding_exists: true,
            today: day("2026-11-21"),
        }
    }

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        let mut all: Vec<(String, String)> = [
            ("title", "Choose between Go and Rust"),
            ("context", "A new API."),
            (
                "drivers",
                "Time to market (must)\r\n\r\n  Performance (nice) \n",
            ),
            ("options", "go"),
            ("options", "rust"),
            ("chosen", "go"),
            ("rationale", "It ships sooner."),
            ("status", "accepted"),
        ]
        .iter()
        .filter(|(name, _)| !pairs.iter().any(|(n, _)| n == name))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        all.extend(pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())));
        Fields::new(all)
    }

    fn errors(fields: &Fields, known: &Known) -> Vec<(String, String)> {
        match check(fields, known) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.name, e.detail)).collect(),
        }
    }

    fn names(fields: &Fields, known: &Known) -> Vec<String> {
        errors(fields, known).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn a_complete_decision_is_normalised() {
        let checked = check(&fields(&[("title", "  Go   or\tRust? ")]), &known()).expect("valid");
        assert_eq!(checked.title, "Go or Rust?");
        assert_eq!(checked.drivers, "Time to market (must)\nPerformance (nice)");
        assert_eq!(
            checked.options.iter().map(|o| &o.name).collect::<Vec<_>>(),
            ["GO", "RUST"]
        );
        assert_eq!(checked.decided_on, day("2026-11-21"), "today by default");
        assert_eq!(checked.revisit_by, None);
        assert_eq!(checked.superseded_by_id, None);
        assert_eq!(checked.status, Status::Accepted);
    }

    #[test]
    fn required_fields_are_named() {
        let empty = Fields::default();
        assert_eq!(
            names(&empty, &known()),
            ["title", "context", "options", "status"]
        );
    }

    #[test]
    fn options_are_two_to_four_known_technologies() {
        let one = Fields::new(vec![("options", "go")]).over(fields(&[]));
        assert_eq!(names(&one, &known()), ["options"]);
        let repeated = Fields::new(vec![("options", "go"), ("options", "go")]).over(fields(&[]));
        assert!(errors(&repeated, &known())[0].1.contains("at least 2"));
        let five: Vec<(String, String)> = ["go", "rust", "gin", "axum", "python"]
            .iter()
            .map(|s| ("options".to_owned(), s.to_string()))
            .collect();
        let too_many = errors(&Fields::new(five).over(fields(&[])), &known());
        assert!(too_many[0].1.contains("at most 4"), "{too_many:?}");
        let unknown = fields(&[("options", "go"), ("options", "zig")]);
        let found = errors(&unknown, &known());
        assert_eq!(
            found[0],
            ("options".into(), "there is no technology `zig`".into())
        );
    }

    #[test]
    fn the_chosen_option_is_one_of_the_options_and_needs_a_reason() {
        let other = errors(&fields(&[("chosen", "python")]), &known());
        assert_eq!(
            other,
            [(
                "chosen".into(),
                "must be one of the options considered".into()
            )]
        );
        assert_eq!(
            names(&fields(&[("rationale", "")]), &known()),
            ["rationale"]
        );
        assert_eq!(names(&fields(&[("chosen", "")]), &known()), ["chosen"]);
        let proposed = fields(&[("chosen", ""), ("rationale", ""), ("status", "proposed")]);
        assert!(check(&proposed, &known()).is_ok());
    }

    #[test]
    fn superseded_by_is_named_exactly_when_superseded() {
        let missing = fields(&[("status", "superseded")]);
        assert_eq!(names(&missing, &known()), ["superseded_by"]);
        let named = fields(&[("status", "superseded"), ("superseded_by", "7")]);
        assert_eq!(
            check(&named, &known()).map(|c| c.superseded_by_id),
            Ok(Some(7))
        );
        let not_superseded = fields(&[("superseded_by", "7")]);
        assert_eq!(names(&not_superseded, &known()), ["superseded_by"]);
        let unknown = Known {
            superseding_exists: false,
            ..known()
        };
        for value in ["7", "seven"] {
            let found = errors(
                &fields(&[("status", "superseded"), ("superseded_by", value)]),
                &unknown,
            );
            assert_eq!(
                found,
                [(
                    "superseded_by".into(),
                    format!("there is no decision `{value}`")
                )]
            );
        }
    }

    #[test]
    fn a_decision_cannot_supersede_itself_nor_change_its_options() {
        let recorded = vec![
            OptionRef {
                slug: "rust".into(),
                name: "Rust (old name)".into(),
            },
            OptionRef {
                slug: "go".into(),
                name: "Go".into(),
            },
        ];
        let existing = Known {
            existing: Some(Recorded {
                id: 7,
                options: recorded.clone(),
                advisor_query: "t=go&t=rust&performance=must".into(),
            }),
            technologies: Vec::new(),
            ..known()
        };
        let itself = fields(&[
            ("status", "superseded"),
            ("superseded_by", "7"),
            ("advisor_query", "t=go&t=rust&performance=must"),
        ]);
        assert_eq!(
            errors(&itself, &existing),
            [(
                "superseded_by".into(),
                "cannot be this decision itself".into()
            )]
        );
        let same = check(
            &fields(&[("advisor_query", "t=go&t=rust&performance=must")]),
            &existing,
        )
        .expect("the same options, in any order");
        assert_eq!(
            same.options, recorded,
            "as recorded, though gone from the catalog"
        );
        let changed = fields(&[
            ("options", "gin"),
            ("advisor_query", "t=go&t=rust&performance=must"),
        ]);
        assert_eq!(names(&changed, &existing), ["options"]);
        let requery = fields(&[("advisor_query", "t=go&t=rust")]);
        assert_eq!(names(&requery, &existing), ["advisor_query"]);
    }

    #[test]
    fn dates_are_checked_against_today_and_each_other() {
        let past = fields(&[("decided_on", "2025-01-10"), ("revisit_by", "2025-06-01")]);
        let checked = check(&past, &known()).expect("a past decision may be due already");
        assert_eq!(checked.revisit_by, Some(day("2025-06-01")));
        let future = fields(&[("decided_on", "2026-11-22")]);
        assert_eq!(
            errors(&future, &known()),
            [("decided_on".into(), "cannot be in the future".into())]
        );
        let before = fields(&[("decided_on", "2025-01-10"), ("revisit_by", "2025-01-09")]);
        assert_eq!(names(&before, &known()), ["revisit_by"]);
        for bad in ["21/11/2026", "2026-02-30", "soon"] {
            assert_eq!(
                names(&fields(&[("revisit_by", bad)]), &known()),
                ["revisit_by"],
                "{bad}"
            );
        }
    }

    #[test]
    fn lists_and_texts_have_limits() {
        let many: String = (0..21)
            .map(|i| format!("https://x.example/{i}\n"))
            .collect();
        assert_eq!(names(&fields(&[("links", &many)]), &known()), ["links"]);
        let long_title = "x".repeat(201);
        assert_eq!(
            names(&fields(&[("title", &long_title)]), &known()),
            ["title"]
        );
        let json_lines = Fields::new(vec![
            ("links", "Spec https://a.example"),
            ("links", "https://b.example"),
        ])
        .over(fields(&[]));
        assert_eq!(
            check(&json_lines, &known()).map(|c| c.links),
            Ok("Spec https://a.example\nhttps://b.example".into())
        );
    }
}
