//! Which technologies a comparison is of: 2 to 4 different slugs in one canonical order, so
//! that every comparison has exactly one address (`/compare/go-vs-rust`).

use crate::editing::Slug;

/// What joins the slugs in a comparison's address. A slug that contains it cannot be
/// compared: its address would read as two technologies.
pub const SEPARATOR: &str = "-vs-";

/// The advisor's form with these technologies as its candidates.
pub fn advisor_href<'a>(slugs: impl IntoIterator<Item = &'a str>) -> String {
    let candidates: Vec<String> = slugs.into_iter().map(|slug| format!("t={slug}")).collect();
    format!("/advisor?{}", candidates.join("&"))
}

pub const MIN: usize = 2;
pub const MAX: usize = 4;

/// 2 to 4 different technologies' slugs, in ascending byte order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection(Vec<Slug>);

/// Why slugs make no comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectionError {
    /// Something that cannot be any technology's slug (empty, capitals, punctuation…).
    NotASlug(String),
    /// Fewer than two different technologies.
    TooFew,
    /// More than four different technologies: how many.
    TooMany(usize),
}

impl Selection {
    /// The comparison of these technologies, in any order, repeats ignored.
    pub fn new(slugs: impl IntoIterator<Item = Slug>) -> Result<Self, SelectionError> {
        let mut slugs: Vec<Slug> = slugs.into_iter().collect();
        slugs.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        slugs.dedup();
        match slugs.len() {
            n if n < MIN => Err(SelectionError::TooFew),
            n if n > MAX => Err(SelectionError::TooMany(n)),
            _ => Ok(Self(slugs)),
        }
    }

    /// The comparison of slugs given as text (query parameters), in any order.
    pub fn parse<'a>(values: impl IntoIterator<Item = &'a str>) -> Result<Self, SelectionError> {
        let slugs = values
            .into_iter()
            .map(|value| Slug::parse(value).map_err(|_| SelectionError::NotASlug(value.into())))
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(slugs)
    }

    /// The comparison an address names (`go-vs-rust`), in whatever order it names them.
    pub fn from_segment(segment: &str) -> Result<Self, SelectionError> {
        Self::parse(segment.split(SEPARATOR))
    }

    /// The address's last segment: the slugs joined by [`SEPARATOR`].
    pub fn segment(&self) -> String {
        let slugs: Vec<&str> = self.slugs().collect();
        slugs.join(SEPARATOR)
    }

    /// The comparison's one address.
    pub fn path(&self) -> String {
        format!("/compare/{}", self.segment())
    }

    pub fn slugs(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(Slug::as_str)
    }

    pub fn to_strings(&self) -> Vec<String> {
        self.slugs().map(str::to_owned).collect()
    }
}

/// A problem with one of the comparison form's choices, by its position (0 is the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickProblem {
    pub position: usize,
    pub detail: String,
}

impl PickProblem {
    fn new(position: usize, detail: impl Into<String>) -> Self {
        Self {
            position,
            detail: detail.into(),
        }
    }
}

/// The comparison the form's choices make, or what is wrong with them, each problem at
/// the choice to fix. `values` are the choices in order, empty where "none" was chosen;
/// `exists` says whether the catalog has a technology with a slug.
pub fn picks(
    values: &[&str],
    exists: impl Fn(&str) -> bool,
) -> Result<Selection, Vec<PickProblem>> {
    let mut problems = unknown_picks(values, &exists);
    // The form has four choices; more come only from an address made by hand.
    if values.iter().skip(MAX).any(|value| !value.is_empty()) {
        problems.push(PickProblem::new(
            MAX - 1,
            format!("is the last there is room for: a comparison takes at most {MAX}"),
        ));
    }
    let known = values
        .iter()
        .take(MAX)
        .copied()
        .filter(|value| !value.is_empty() && exists(value));
    match Selection::parse(known) {
        Ok(selection) if problems.is_empty() => return Ok(selection),
        Ok(_) => {}
        Err(_) => {
            let value = |position: usize| values.get(position).copied().unwrap_or("");
            let problem = if value(0).is_empty() {
                PickProblem::new(0, "must be chosen")
            } else if value(1).is_empty() {
                PickProblem::new(1, "must be chosen")
            } else {
                PickProblem::new(1, "must be a different technology from the first")
            };
            // A choice already said to be unknown needs no second message.
            if !problems.iter().any(|p| p.position == problem.position) {
                problems.push(problem);
            }
        }
    }
    problems.sort_by_key(|problem| problem.position);
    Err(problems)
}

/// The choices that name no technology in the catalog.
pub fn unknown_picks(values: &[&str], exists: impl Fn(&str) -> bool) -> Vec<PickProblem> {
    values
        .iter()
        .enumerate()
        .take(MAX)
        .filter(|(_, value)| !value.is_empty() && !exists(value))
        .map(|(position, value)| {
            PickProblem::new(position, format!("is not in the catalog: `{value}`"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_advisor_link_names_each_candidate() {
        assert_eq!(super::advisor_href(["go", "rust"]), "/advisor?t=go&t=rust");
    }

    use super::*;

    fn slugs(values: &[&str]) -> Vec<Slug> {
        values
            .iter()
            .map(|v| Slug::parse(v).expect("a slug"))
            .collect()
    }

    #[test]
    fn slugs_are_sorted_and_repeats_dropped() {
        let selection = Selection::new(slugs(&["rust", "go", "rust"])).expect("two");
        assert_eq!(selection.segment(), "go-vs-rust");
        assert_eq!(selection.path(), "/compare/go-vs-rust");
        let frameworks = Selection::from_segment("gin-vs-fiber-vs-echo").expect("three");
        assert_eq!(frameworks.segment(), "echo-vs-fiber-vs-gin");
        // Byte order: a hyphen sorts before letters.
        let hyphen = Selection::from_segment("go-kit-vs-go").expect("two");
        assert_eq!(hyphen.segment(), "go-vs-go-kit");
        assert_eq!(
            Selection::from_segment("axum-vs-actix-web")
                .expect("two")
                .segment(),
            "actix-web-vs-axum"
        );
    }

    #[test]
    fn two_to_four_different_technologies() {
        assert_eq!(Selection::from_segment("go"), Err(SelectionError::TooFew));
        assert_eq!(
            Selection::from_segment("go-vs-go"),
            Err(SelectionError::TooFew)
        );
        assert_eq!(
            Selection::from_segment("a-vs-b-vs-c-vs-d-vs-e"),
            Err(SelectionError::TooMany(5))
        );
        assert!(Selection::from_segment("a-vs-b-vs-c-vs-d-vs-a").is_ok());
        assert_eq!(
            Selection::from_segment("go-vs-Rust"),
            Err(SelectionError::NotASlug("Rust".into()))
        );
        assert_eq!(
            Selection::from_segment("go-vs-"),
            Err(SelectionError::NotASlug(String::new()))
        );
        assert_eq!(
            Selection::from_segment("-vs-go"),
            Err(SelectionError::NotASlug(String::new()))
        );
        // Splitting is on `-vs-` alone: a double hyphen is no slug.
        assert_eq!(
            Selection::from_segment("go-vs--vs-rust"),
            Err(SelectionError::NotASlug(String::new()))
        );
    }

    /// Every sequence of up to `len` slugs drawn from `alphabet`, repeats allowed.
    fn sequences<'a>(alphabet: &[&'a str], len: usize) -> Vec<Vec<&'a str>> {
        let mut all = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|seq: &Vec<&'a str>| {
                    alphabet.iter().map(move |slug| {
                        let mut next = seq.clone();
                        next.push(slug);
                        next
                    })
                })
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn any_order_of_the_same_technologies_is_one_canonical_comparison() {
        let alphabet = ["go", "go-kit", "rust", "c-cpp", "actix-web", "a1"];
        for seq in sequences(&alphabet, 5) {
            let mut distinct = seq.clone();
            distinct.sort_unstable();
            distinct.dedup();
            let parsed = Selection::from_segment(&seq.join(SEPARATOR));
            if seq.is_empty() {
                assert!(parsed.is_err());
                continue;
            }
            match distinct.len() {
                n if n < MIN => assert_eq!(parsed, Err(SelectionError::TooFew), "{seq:?}"),
                n if n > MAX => assert_eq!(parsed, Err(SelectionError::TooMany(n)), "{seq:?}"),
                _ => {
                    let selection = parsed.unwrap_or_else(|e| panic!("{seq:?}: {e:?}"));
                    let canonical: Vec<&str> = selection.slugs().collect();
                    // Strictly ascending: sorted, and no repeats.
                    assert!(canonical.windows(2).all(|w| w[0] < w[1]), "{seq:?}");
                    assert_eq!(canonical, distinct, "{seq:?}");
                    // The reverse order names the same comparison.
                    let reversed: Vec<&str> = seq.iter().rev().copied().collect();
                    assert_eq!(
                        Selection::from_segment(&reversed.join(SEPARATOR)).as_ref(),
                        Ok(&selection)
                    );
                    // The canonical address reads back as itself.
                    let again = Selection::from_segment(&selection.segment()).expect("canonical");
                    assert_eq!(again.segment(), selection.segment());
                    assert_eq!(Selection::parse(seq.iter().copied()), Ok(selection));
                }
            }
        }
    }

    fn known(slug: &str) -> bool {
        ["go", "rust", "gin", "axum"].contains(&slug)
    }

    #[test]
    fn form_choices_make_a_comparison() {
        let selection = picks(&["rust", "go", "", ""], known).expect("valid");
        assert_eq!(selection.segment(), "go-vs-rust");
        let selection = picks(&["rust", "go", "", "gin"], known).expect("a gap is fine");
        assert_eq!(selection.segment(), "gin-vs-go-vs-rust");
        let selection = picks(&["go", "rust", "go", ""], known).expect("a repeat is dropped");
        assert_eq!(selection.segment(), "go-vs-rust");
    }

    #[test]
    fn form_problems_are_at_the_choice_to_fix() {
        let at = |values: &[&str]| -> Vec<(usize, String)> {
            picks(values, known)
                .expect_err("invalid")
                .into_iter()
                .map(|p| (p.position, p.detail))
                .collect()
        };
        assert_eq!(at(&["", "", "", ""]), [(0, "must be chosen".into())]);
        assert_eq!(at(&["", "go", "", ""]), [(0, "must be chosen".into())]);
        assert_eq!(at(&["go", "", "", ""]), [(1, "must be chosen".into())]);
        assert_eq!(at(&["go"]), [(1, "must be chosen".into())]);
        assert_eq!(
            at(&["go", "go", "", ""]),
            [(1, "must be a different technology from the first".into())]
        );
        assert_eq!(
            at(&["go", "nope", "", "Java"]),
            [
                (1, "is not in the catalog: `nope`".into()),
                (3, "is not in the catalog: `Java`".into())
            ]
        );
        // Every problem at once, in the form's order.
        assert_eq!(
            at(&["go", "go", "", "nope"]),
            [
                (1, "must be a different technology from the first".into()),
                (3, "is not in the catalog: `nope`".into())
            ]
        );
        assert_eq!(
            at(&["nope", "", "", ""]),
            [
                (0, "is not in the catalog: `nope`".into()),
                (1, "must be chosen".into())
            ]
        );
        let five = at(&["go", "rust", "gin", "axum", "go"]);
        assert_eq!(five.len(), 1);
        assert_eq!(five[0].0, 3);
        // Empty values past the fourth are the form's own "none".
        assert!(picks(&["go", "rust", "", "", ""], known).is_ok());
    }
}
