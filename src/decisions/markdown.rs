//! A decision as a Markdown file in the MADR layout (https://adr.github.io/madr/): YAML
//! front matter with its status and date, then the context and problem, the drivers, the
//! options considered, the outcome and its consequences, the pros and cons of each option,
//! and more information. What editors wrote is escaped so that a Markdown renderer shows it
//! as the text they typed: it never becomes a heading, a list, a link, HTML or anything else.

use std::fmt::Write;

use crate::decisions::advice::pros_and_cons;
use crate::decisions::model::{DecisionDetail, Link, Status};

/// `0007-choose-between-go-and-rust.md`: the record's number and its title as a slug, as
/// ADR tools name their files. Letters outside ASCII become their closest ASCII (`Über` is
/// `uber`), so the name is safe on every system and in every header.
pub fn file_name(id: i32, title: &str) -> String {
    format!("{}.md", record_name(id, title))
}

fn record_name(id: i32, title: &str) -> String {
    let mut slug = String::new();
    for word in deunicode::deunicode(title)
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

/// Characters that are markup wherever they stand, in CommonMark or in the extensions common
/// renderers add (tables, strikethrough, math, heading attributes, sub- and superscript).
const MARKUP: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '&', '#', '~', '|', '$', '^', '{', '}',
];

/// Characters that are markup only where a line (or a list item's text) begins: block
/// quotes, list items, thematic breaks, setext underlines, definition lists.
const LINE_START_MARKUP: &[char] = &['>', '-', '+', '=', ':'];

/// One line of an editor's text as Markdown that renders as that text. Every character
/// that could start markup is backslash-escaped (CommonMark lets any ASCII punctuation be);
/// the others are left as they are, so the file stays readable. Line breaks become spaces
/// and the ends are trimmed: the result may start a line or a list item.
pub fn inline(text: &str) -> String {
    let line = text.split(['\n', '\r']).collect::<Vec<_>>().join(" ");
    escape_line(line.trim())
}

/// An editor's text of several lines and paragraphs as Markdown that renders as that text:
/// each line escaped as by [`inline`], blank lines separating paragraphs.
pub fn paragraphs(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::new();
    let mut blank = false;
    for line in text.split('\n').map(str::trim) {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push_str("\n\n");
        } else if !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(&escape_line(line));
    }
    out
}

/// Escapes a trimmed line with no line break in it.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    // An ordered list item starts with digits and `.` or `)`.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in line.chars().enumerate() {
        let starts_block = (i == 0 && LINE_START_MARKUP.contains(&c))
            || (i == digits && i > 0 && matches!(c, '.' | ')'));
        if starts_block || MARKUP.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span showing `text` exactly, backticks in it included.
fn code(text: &str) -> String {
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.trim().is_empty());
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{text}{space}{fence}")
}

/// A link to a web address (one [`crate::decisions::model::is_web_address`] accepts: no
/// spaces, quotes or angle brackets), its text escaped.
fn link(label: &str, url: &str) -> String {
    if label == url {
        format!("<{url}>")
    } else {
        let mut destination = String::with_capacity(url.len());
        for c in url.chars() {
            if matches!(c, '\\' | '(' | ')') {
                destination.push('\\');
            }
            destination.push(c);
        }
        format!("[{}]({destination})", inline(label))
    }
}

/// MADR's status: `superseded by ADR-0012` names the successor.
fn status_line(decision: &DecisionDetail) -> String {
    match (&decision.status, &decision.superseded_by) {
        (Status::Superseded, Some(by)) => format!("superseded by ADR-{:04}", by.id),
        (status, _) => status.as_str().to_owned(),
    }
}

/// Markdown as a paragraph, or what to say when there is none.
fn paragraph(out: &mut String, markdown: &str, otherwise: &str) {
    out.push_str(if markdown.is_empty() {
        otherwise
    } else {
        markdown
    });
    out.push_str("\n\n");
}

/// Markdown items as a bulleted list, or what to say when there are none.
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

/// Each non-empty line of an editor's text, escaped, as one item of a list.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(inline)
        .collect()
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
    let _ = writeln!(out, "# {}\n", inline(&decision.title));

    out.push_str("## Context and Problem Statement\n\n");
    paragraph(
        &mut out,
        &paragraphs(&decision.context),
        "No context was recorded.",
    );

    out.push_str("## Decision Drivers\n\n");
    let drivers: Vec<String> = decision.drivers.iter().map(|d| inline(d)).collect();
    bullets(&mut out, &drivers, "No decision drivers were recorded.");

    out.push_str("## Considered Options\n\n");
    let options: Vec<String> = decision.options.iter().map(|o| inline(&o.name)).collect();
    bullets(&mut out, &options, "No options were recorded.");

    out.push_str("## Decision Outcome\n\n");
    match &decision.chosen {
        Some(chosen) => {
            let _ = write!(out, "Chosen option: \"{}\"", inline(&chosen.name));
            if decision.rationale.trim().is_empty() {
                out.push_str(".\n\n");
            } else {
                let _ = writeln!(out, ", because {}\n", paragraphs(&decision.because()));
            }
        }
        None => out.push_str("No option has been chosen yet: the decision is proposed.\n\n"),
    }
    out.push_str("### Consequences\n\n");
    bullets(
        &mut out,
        &lines(&decision.consequences),
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
        let _ = writeln!(out, "### {}\n", inline(&option.name));
        let kind = decision
            .snapshot
            .option(&option.slug)
            .map_or("technology", |o| o.kind.as_str());
        let _ = writeln!(
            out,
            "A {} in the catalog as {}.\n",
            inline(kind),
            code(&option.slug)
        );
        if let Some(found) = pros_cons.as_ref().and_then(|all| all.get(i)) {
            let mut points: Vec<String> = found
                .good
                .iter()
                .map(|good| format!("Good, because {}", inline(good)))
                .collect();
            points.extend(
                found
                    .bad
                    .iter()
                    .map(|bad| format!("Bad, because {}", inline(bad))),
            );
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
            inline(&by.title),
            file_name(by.id, &by.title)
        ));
    }
    for earlier in &decision.supersedes {
        more.push(format!(
            "Supersedes ADR-{:04} \"{}\" ({}).",
            earlier.id,
            inline(&earlier.title),
            file_name(earlier.id, &earlier.title)
        ));
    }
    for parsed in decision.parsed_links() {
        more.push(match parsed {
            Link {
                label,
                url: Some(url),
            } => link(&label, &url),
            Link { label, url: None } => inline(&label),
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

    use proptest::prelude::*;
    use pulldown_cmark::{Event, HeadingLevel, MetadataBlockKind, Options, Parser, Tag, TagEnd};

    use super::*;
    use crate::decisions::model::DecisionRef;
    use crate::decisions::snapshot::{OptionRef, OptionSnapshot, Snapshot};

    /// Every syntax extension pulldown-cmark knows, but for smart punctuation, which changes
    /// what is typed (quotes, dashes) by design.
    fn extensions() -> Options {
        Options::all() - Options::ENABLE_SMART_PUNCTUATION
    }

    /// The text a reader sees, with paragraphs apart, or the first event that is markup.
    fn rendered(markdown: &str) -> Result<String, String> {
        let mut text = String::new();
        for event in Parser::new_ext(markdown, extensions()) {
            match event {
                Event::Start(Tag::Paragraph) if !text.is_empty() => text.push_str("\n\n"),
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                Event::Text(t) => text.push_str(&t),
                Event::SoftBreak => text.push('\n'),
                other => return Err(format!("{other:?} in {markdown:?}")),
            }
        }
        Ok(text)
    }

    /// What an editor typed, as Markdown keeps it: line ends trimmed, paragraphs apart.
    fn as_typed(text: &str) -> String {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let mut paragraphs: Vec<Vec<&str>> = vec![Vec::new()];
        for line in text.split('\n').map(str::trim) {
            match paragraphs.last_mut() {
                Some(last) if !line.is_empty() => last.push(line),
                Some(last) if !last.is_empty() => paragraphs.push(Vec::new()),
                _ => {}
            }
        }
        paragraphs
            .iter()
            .filter(|lines| !lines.is_empty())
            .map(|lines| lines.join("\n"))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// Text rich in what Markdown reads as markup, whole constructs among single characters,
    /// and any other character a field can hold.
    fn editor_text() -> impl Strategy<Value = String> {
        let markup: Vec<String> = "\\`*_[]<>&#~|$^{}-+=:.)(!\"' \t\n\r0123456789aZ/;"
            .chars()
            .map(String::from)
            .collect();
        let constructs: Vec<String> = [
            "# ",
            "\n---\n",
            "\n===\n",
            "- ",
            "1. ",
            "2) ",
            "> ",
            "    ",
            "```",
            "~~~",
            "<b>",
            "</b>",
            "<!-- c -->",
            "<http://a.example>",
            "<a@b.example>",
            "[x](javascript:y)",
            "![i](x.png)",
            "[x]: /u",
            "[^1]",
            "&amp;",
            "&#35;",
            "**b**",
            "_i_",
            "~~s~~",
            "`c`",
            "$m$",
            "^s^",
            "| a | b |\n|---|---|",
            "{#id}",
            "[[w]]",
            "\\\n",
            "  \n",
            "\n: d",
            "- [ ] t",
            "> [!NOTE]",
        ]
        .map(String::from)
        .to_vec();
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(markup),
                2 => prop::sample::select(constructs),
                1 => any::<char>()
                    .prop_filter("no NUL is stored", |c| *c != '\0')
                    .prop_map(String::from),
            ],
            0..40,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn escaped_text_renders_as_typed(text in editor_text()) {
            prop_assert_eq!(rendered(&paragraphs(&text)), Ok(as_typed(&text)));
        }

        #[test]
        fn escaped_lines_render_as_typed(text in editor_text()) {
            let one_line = text.split(['\n', '\r']).collect::<Vec<_>>().join(" ");
            prop_assert_eq!(rendered(&inline(&text)), Ok(one_line.trim().to_owned()));
            // As a list item's text, too.
            let item = format!("* {}", inline(&text));
            let events: Vec<Event> = Parser::new_ext(&item, extensions()).collect();
            let markup = events.iter().find(|event| !matches!(event,
                Event::Start(Tag::List(None) | Tag::Item | Tag::Paragraph)
                | Event::End(TagEnd::List(false) | TagEnd::Item | TagEnd::Paragraph)
                | Event::Text(_)));
            prop_assert!(markup.is_none(), "{:?} in {:?}", markup, item);
        }
    }

    #[test]
    fn hostile_text_is_escaped() {
        assert_eq!(inline("# heading"), r"\# heading");
        assert_eq!(
            inline("<script>alert(1)</script>"),
            r"\<script>alert(1)\</script>"
        );
        assert_eq!(
            inline("[x](javascript:alert(1))"),
            r"\[x\](javascript:alert(1))"
        );
        assert_eq!(inline("---"), r"\---");
        assert_eq!(inline("1. first"), r"1\. first");
        assert_eq!(inline("Über Größe"), "Über Größe");
        assert_eq!(inline("&amp; &#35;"), r"\&amp; \&\#35;");
        assert_eq!(paragraphs(" a\r\n> b \n\n\n= c"), "a\n\\> b\n\n\\= c");
    }

    #[test]
    fn code_spans_and_links_show_their_text() {
        for text in ["go", "a`b", "`", " x ", "``x"] {
            let markdown = code(text);
            let events: Vec<Event> = Parser::new(&markdown).collect();
            assert!(
                events.contains(&Event::Code(text.into())),
                "{text:?}: {events:?}"
            );
        }
        let label = "[x](javascript:alert(1)) <b>";
        let url = r"https://a.example/x)y\z";
        let markdown = link(label, url);
        let events: Vec<Event> = Parser::new(&markdown).collect();
        let Some(Event::Start(Tag::Link { dest_url, .. })) = events.get(1) else {
            panic!("a link: {events:?}");
        };
        assert_eq!(dest_url.as_ref(), url);
        let text: String = events
            .iter()
            .filter_map(|event| match event {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        assert_eq!(text, label);
    }

    #[test]
    fn editors_text_makes_no_markup() {
        let hostile =
            "# heading\n<script>alert(1)</script>\n[x](javascript:alert(1))\n---\nÜber Größe";
        let mut decision = decision();
        decision.title = "# Über: <script>alert(1)</script> [x](javascript:alert(1))".into();
        decision.context = hostile.into();
        decision.consequences = hostile.into();
        decision.rationale = hostile.into();
        decision.drivers = hostile.lines().map(String::from).collect();
        decision.options = vec![
            option("go", "<script>alert(1)</script>"),
            option("rust", "# heading"),
        ];
        decision.chosen = Some(option("go", "[x](javascript:alert(1))"));
        decision.links = vec![
            "[x](javascript:alert(1)) https://go.dev".into(),
            "javascript:alert(1)".into(),
        ];
        let text = render(&decision);

        let mut headings = Vec::new();
        let mut heading: Option<(HeadingLevel, String)> = None;
        let mut metadata = String::new();
        let mut in_metadata = false;
        let mut links = Vec::new();
        // The text of each paragraph and list item, as a reader sees it.
        let mut blocks: Vec<String> = Vec::new();
        for event in Parser::new_ext(&text, extensions()) {
            match event {
                Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
                Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
                Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle)) => {
                    in_metadata = true
                }
                Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
                Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
                Event::Text(t) if in_metadata => metadata.push_str(&t),
                Event::Text(t) | Event::Code(t) => match (heading.as_mut(), blocks.last_mut()) {
                    (Some((_, heading)), _) => heading.push_str(&t),
                    (None, Some(block)) => block.push_str(&t),
                    (None, None) => panic!("text outside any block in:\n{text}"),
                },
                Event::SoftBreak => blocks.last_mut().into_iter().for_each(|b| b.push('\n')),
                Event::Start(Tag::Paragraph | Tag::Item) => blocks.push(String::new()),
                Event::Start(Tag::List(None))
                | Event::End(
                    TagEnd::Paragraph | TagEnd::List(false) | TagEnd::Item | TagEnd::Link,
                ) => {}
                other => panic!("{other:?} in:\n{text}"),
            }
        }
        assert_eq!(metadata, "status: \"accepted\"\ndate: \"2026-11-21\"\n");
        let h = |level, text: &str| (level, text.to_owned());
        assert_eq!(
            headings,
            [
                h(HeadingLevel::H1, &decision.title),
                h(HeadingLevel::H2, "Context and Problem Statement"),
                h(HeadingLevel::H2, "Decision Drivers"),
                h(HeadingLevel::H2, "Considered Options"),
                h(HeadingLevel::H2, "Decision Outcome"),
                h(HeadingLevel::H3, "Consequences"),
                h(HeadingLevel::H2, "Pros and Cons of the Options"),
                h(HeadingLevel::H3, "<script>alert(1)</script>"),
                h(HeadingLevel::H3, "# heading"),
                h(HeadingLevel::H2, "More Information"),
            ]
        );
        assert_eq!(links, ["https://go.dev"]);
        let typed: Vec<String> = hostile.lines().map(String::from).collect();
        assert!(
            blocks.contains(&hostile.to_owned()),
            "the context in {blocks:#?}"
        );
        assert!(
            blocks.contains(&format!(
                "Chosen option: \"[x](javascript:alert(1))\", because {hostile}."
            )),
            "the outcome in {blocks:#?}"
        );
        assert_eq!(
            blocks.windows(typed.len()).filter(|w| *w == typed).count(),
            2,
            "the drivers and the consequences, one a line, in {blocks:#?}"
        );
        for items in [
            ["<script>alert(1)</script>", "# heading"],
            ["[x](javascript:alert(1))", "javascript:alert(1)"],
        ] {
            assert!(
                blocks.windows(2).any(|w| w == items),
                "{items:?} in {blocks:#?}"
            );
        }
    }

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
            "### Consequences\n\n* We hire Go developers.\n\n## Pros",
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
        assert_eq!(file_name(1, "¿Qué? «»"), "0001-que.md");
        assert_eq!(file_name(4, "Über Größe"), "0004-uber-grosse.md");
        assert_eq!(file_name(2, "!!!"), "0002-decision.md");
        let long = file_name(3, &"word ".repeat(40));
        assert!(long.len() <= 4 + 1 + 60 + 3, "{long}");
        assert!(!long.contains("--") && !long.contains("-.md"), "{long}");
    }
}
