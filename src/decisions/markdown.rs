//! A decision as a Markdown file in the MADR layout (https://adr.github.io/madr/): YAML
//! front matter with its status and date, then the context and problem, the drivers, the
//! options considered, the outcome and its consequences, the pros and cons of each option,
//! and more information. The text is the editors' own, written out as it is.

use std::fmt::Write;

use crate::decisions::advice::pros_and_cons;
use crate::decisions::model::{DecisionDetail, Link, Status};

/// `0007-choose-between-go-and-rust.md`: the record's number and its title as a slug, as
/// ADR tools name their files.
pub fn file_name(id: i32, title: &str) -> String {
    format!("{}.md", record_name(id, title))
}

fn record_name(id: i32, title: &str) -> String {
    let mut slug = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        if slug.len() + word.len() + 1 > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    if slug.is_empty() {
        slug.push_str("decision");
    }
    format!("{id:04}-{slug}")
}

/// A YAML double-quoted scalar: valid whatever the text holds (colons, quotes, `#`, line
/// breaks, control characters).
pub fn yaml_string(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                let _ = write!(quoted, "\\u{:04x}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// MADR's status: `superseded by ADR-0012` names the successor.
fn status_line(decision: &DecisionDetail) -> String {
    match (&decision.status, &decision.superseded_by) {
        (Status::Superseded, Some(by)) => format!("superseded by ADR-{:04}", by.id),
        (status, _) => status.as_str().to_owned(),
    }
}

/// Text as a paragraph, or what to say when there is none.
fn paragraph(out: &mut String, text: &str, otherwise: &str) {
    out.push_str(if text.trim().is_empty() {
        otherwise
    } else {
        text.trim()
    });
    out.push_str("\n\n");
}

fn bullets(out: &mut String, items: &[String], otherwise: &str) {
    if items.is_empty() {
        out.push_str(otherwise);
        out.push('\n');
    }
    for item in items {
        let _ = writeln!(out, "* {item}");
    }
    out.push('\n');
}

pub fn render(decision: &DecisionDetail) -> String {
    let mut out = String::new();
    out.push_str("---\n");
    let _ = writeln!(out, "status: {}", yaml_string(&status_line(decision)));
    let _ = writeln!(
        out,
        "date: {}",
        yaml_string(&decision.decided_on.to_string())
    );
    out.push_str("---\n\n");
    let _ = writeln!(out, "# {}\n", decision.title);

    out.push_str("## Context and Problem Statement\n\n");
    paragraph(&mut out, &decision.context, "No context was recorded.");

    out.push_str("## Decision Drivers\n\n");
    bullets(
        &mut out,
        &decision.drivers,
        "No decision drivers were recorded.",
    );

    out.push_str("## Considered Options\n\n");
    let options: Vec<String> = decision.options.iter().map(|o| o.name.clone()).collect();
    bullets(&mut out, &options, "No options were recorded.");

    out.push_str("## Decision Outcome\n\n");
    match &decision.chosen {
        Some(chosen) => {
            let _ = write!(out, "Chosen option: \"{}\"", chosen.name);
            if decision.rationale.trim().is_empty() {
                out.push_str(".\n\n");
            } else {
                let _ = writeln!(out, ", because {}\n", decision.because());
            }
        }
        None => out.push_str("No option has been chosen yet: the decision is proposed.\n\n"),
    }
    out.push_str("### Consequences\n\n");
    paragraph(
        &mut out,
        &decision.consequences,
        "No consequences were recorded.",
    );

    out.push_str("## Pros and Cons of the Options\n\n");
    let advice = decision.snapshot.advice();
    match (&decision.snapshot.advice, &advice) {
        (None, _) => out.push_str(
            "This decision was recorded without an advisor result, so no pros and cons were \
             derived for its options. The facts it was made on are listed on its page.\n\n",
        ),
        (Some(_), None) => out.push_str(
            "The advisor result recorded with this decision is in a form this version of \
             Verdict no longer reads, so no pros and cons were derived from it.\n\n",
        ),
        (Some(_), Some(_)) => {}
    }
    let pros_cons = advice
        .as_ref()
        .map(|advice| pros_and_cons(advice, &decision.options));
    for (i, option) in decision.options.iter().enumerate() {
        let _ = writeln!(out, "### {}\n", option.name);
        let kind = decision
            .snapshot
            .option(&option.slug)
            .map_or("technology", |o| o.kind.as_str());
        let _ = writeln!(out, "A {kind} in the catalog as `{}`.\n", option.slug);
        if let Some(found) = pros_cons.as_ref().and_then(|all| all.get(i)) {
            let mut points: Vec<String> = found
                .good
                .iter()
                .map(|good| format!("Good, because {good}"))
                .collect();
            points.extend(found.bad.iter().map(|bad| format!("Bad, because {bad}")));
            bullets(
                &mut out,
                &points,
                "Neutral: the advisor found nothing that marks it out either way.",
            );
        }
    }

    out.push_str("## More Information\n\n");
    let mut more = Vec::new();
    if let Some(date) = decision.revisit_by {
        more.push(format!("Revisit by {date}."));
    }
    if let Some(by) = &decision.superseded_by {
        more.push(format!(
            "Superseded by ADR-{:04} \"{}\" ({}).",
            by.id,
            by.title,
            file_name(by.id, &by.title)
        ));
    }
    for earlier in &decision.supersedes {
        more.push(format!(
            "Supersedes ADR-{:04} \"{}\" ({}).",
            earlier.id,
            earlier.title,
            file_name(earlier.id, &earlier.title)
        ));
    }
    for link in decision.parsed_links() {
        more.push(match link {
            Link {
                label,
                url: Some(url),
            } if label != url => format!("[{label}]({url})"),
            Link { url: Some(url), .. } => format!("<{url}>"),
            Link { label, url: None } => label,
        });
    }
    more.push(format!(
        "The facts and scores this decision was made on were recorded on {} (UTC).",
        decision.snapshot.taken_at.format("%Y-%m-%d %H:%M")
    ));
    bullets(&mut out, &more, "");
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::decisions::model::{DecisionRef, OptionRef, OptionSnapshot, Snapshot};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    fn option(slug: &str, name: &str) -> OptionRef {
        OptionRef {
            slug: slug.into(),
            name: name.into(),
        }
    }

    fn decision() -> DecisionDetail {
        let taken_at = Utc.with_ymd_and_hms(2026, 11, 21, 9, 30, 0).unwrap();
        DecisionDetail {
            id: 7,
            title: "Choose between Go and Rust".into(),
            status: Status::Accepted,
            decided_on: day("2026-11-21"),
            revisit_by: Some(day("2027-05-01")),
            due_for_review: false,
            context: "A new payments API.".into(),
            drivers: vec!["Time to market (must)".into(), "Performance (nice)".into()],
            options: vec![option("go", "Go"), option("rust", "Rust")],
            chosen: Some(option("go", "Go")),
            rationale: "it ships sooner with the team we have".into(),
            consequences: "We hire Go developers.".into(),
            links: vec![
                "RFC https://wiki.example/rfc/1".into(),
                "https://go.dev".into(),
                "Minutes of 3 March".into(),
            ],
            advisor_query: String::new(),
            superseded_by: None,
            supersedes: vec![DecisionRef {
                id: 3,
                title: "Use Python".into(),
            }],
            created_at: taken_at,
            updated_at: taken_at,
            snapshot: Snapshot {
                taken_at,
                options: ["go", "rust"]
                    .map(|slug| OptionSnapshot {
                        slug: slug.into(),
                        name: slug.into(),
                        kind: "language".into(),
                        language: None,
                        facts: Vec::new(),
                    })
                    .to_vec(),
                advice: None,
            },
            changes_since: Vec::new(),
        }
    }

    #[test]
    fn the_layout_is_madr() {
        let text = render(&decision());
        let headings: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
        assert_eq!(
            headings,
            [
                "# Choose between Go and Rust",
                "## Context and Problem Statement",
                "## Decision Drivers",
                "## Considered Options",
                "## Decision Outcome",
                "### Consequences",
                "## Pros and Cons of the Options",
                "### Go",
                "### Rust",
                "## More Information",
            ]
        );
        assert!(
            text.starts_with("---\nstatus: \"accepted\"\ndate: \"2026-11-21\"\n---\n\n# "),
            "{text}"
        );
        for line in [
            "* Time to market (must)",
            "* Performance (nice)",
            "* Go\n* Rust\n",
            "Chosen option: \"Go\", because it ships sooner with the team we have.\n",
            "We hire Go developers.",
            "recorded without an advisor result",
            "* Revisit by 2027-05-01.",
            "* Supersedes ADR-0003 \"Use Python\" (0003-use-python.md).",
            "* [RFC](https://wiki.example/rfc/1)",
            "* <https://go.dev>",
            "* Minutes of 3 March",
            "recorded on 2026-11-21 09:30 (UTC).",
        ] {
            assert!(text.contains(line), "{line:?} in:\n{text}");
        }
        assert!(text.ends_with(".\n"), "one final newline");
    }

    #[test]
    fn a_proposed_or_superseded_decision_says_so() {
        let mut proposed = decision();
        proposed.status = Status::Proposed;
        proposed.chosen = None;
        proposed.drivers.clear();
        let text = render(&proposed);
        assert!(text.contains("status: \"proposed\""));
        assert!(text.contains("No option has been chosen yet"));
        assert!(text.contains("## Decision Drivers\n\nNo decision drivers were recorded.\n"));

        let mut superseded = decision();
        superseded.status = Status::Superseded;
        superseded.superseded_by = Some(DecisionRef {
            id: 12,
            title: "Move to Rust: at last".into(),
        });
        let text = render(&superseded);
        assert!(
            text.contains("status: \"superseded by ADR-0012\"\n"),
            "{text}"
        );
        assert!(text.contains(
            "* Superseded by ADR-0012 \"Move to Rust: at last\" (0012-move-to-rust-at-last.md)."
        ));
    }

    #[test]
    fn pros_and_cons_come_from_the_advisor_result() {
        let mut decision = decision();
        decision.snapshot.advice = Some(serde_json::json!({
            "query": "t=go&t=rust&time-to-market=must",
            "candidates": [],
            "requirements": [],
            "ranking": {
                "ranked": [
                    {"slug": "go", "name": "Go", "points": 4.0, "share": 1.0, "trade_offs": [],
                     "contributions": [{"requirement": "time-to-market", "name": "Time to market",
                        "importance": "must", "fit": 1.0, "earned": 4.0, "lost": 0.0, "dimensions": []}]},
                    {"slug": "rust", "name": "Rust", "points": 1.0, "share": 0.25,
                     "contributions": [{"requirement": "time-to-market", "name": "Time to market",
                        "importance": "must", "fit": 0.25, "earned": 1.0, "lost": 3.0, "dimensions": []}],
                     "trade_offs": [{"requirement": "time-to-market", "name": "Time to market",
                        "behind": 3.0, "leader": "go", "leader_name": "Go"}]}
                ],
                "excluded": [], "max_points": 4.0, "flips": []
            },
            "evidence": []
        }));
        let text = render(&decision);
        assert!(!text.contains("without an advisor result"));
        assert!(
            text.contains(
                "### Go\n\nA language in the catalog as `go`.\n\n\
                 * Good, because it fits Time to market well (must, fit 100%)\n\n### Rust"
            ),
            "{text}"
        );
        assert!(
            text.contains("* Bad, because Go fits Time to market better (3.0 points ahead)\n"),
            "{text}"
        );

        decision.snapshot.advice = Some(serde_json::json!({"an": "older form"}));
        let text = render(&decision);
        assert!(text.contains("no longer reads"), "{text}");
    }

    #[test]
    fn yaml_strings_are_quoted_safely() {
        assert_eq!(yaml_string("accepted"), r#""accepted""#);
        assert_eq!(
            yaml_string(r#"Go: "fast" \ simple"#),
            r#""Go: \"fast\" \\ simple""#
        );
        assert_eq!(yaml_string("a\nb\r\tc # d"), r#""a\nb\r\tc # d""#);
        assert_eq!(yaml_string("bell\u{7}"), r#""bell\u0007""#);
        let quoted = yaml_string("--- \n...: '\"\u{2028}");
        assert!(!quoted.contains('\n') && !quoted.contains('\u{2028}'));
        assert!(quoted.starts_with('"') && quoted.ends_with('"'));
        // Every quote inside is escaped: the scalar ends where it should.
        let inner = &quoted[1..quoted.len() - 1];
        assert!(
            inner
                .match_indices('"')
                .all(|(i, _)| inner[..i].ends_with('\\'))
        );
    }

    #[test]
    fn file_names_are_numbered_slugs() {
        assert_eq!(
            file_name(7, "Choose between Go and Rust"),
            "0007-choose-between-go-and-rust.md"
        );
        assert_eq!(file_name(12345, "C++ or Rust?"), "12345-c-or-rust.md");
        assert_eq!(file_name(1, "¿Qué? «»"), "0001-qu.md");
        assert_eq!(file_name(2, "!!!"), "0002-decision.md");
        let long = file_name(3, &"word ".repeat(40));
        assert!(long.len() <= 4 + 1 + 60 + 3, "{long}");
        assert!(!long.contains("--") && !long.contains("-.md"), "{long}");
    }
}
