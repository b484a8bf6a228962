//! The SVG written out: the `<svg>` element around every chart, its id, the chart that only
//! says there is nothing to draw, and each element with its text escaped.

use super::format::{num, write_num};
use super::layout::Size;
use super::text::{ASCENT, DESCENT, fit};

const NO_RESULTS: &str = "No results";

pub(super) fn no_results(size: &Size, id: &str, title: &str) -> String {
    message_chart(size, id, title, &format!("{NO_RESULTS}."), NO_RESULTS)
}

/// A chart with nothing to draw, which says so where the drawing would be.
pub(super) fn message_chart(
    size: &Size,
    id: &str,
    title: &str,
    desc: &str,
    message: &str,
) -> String {
    let baseline = size.text * (1.0 + ASCENT);
    svg(
        size,
        id,
        title,
        desc,
        baseline + size.text * (DESCENT + 1.0),
        |out| {
            Tag::new(out, "text")
                .attr("class", "chart-message")
                .num("x", size.width / 2.0)
                .num("y", baseline)
                .attr("text-anchor", "middle")
                .text(&fit(message, size.text, size.width - 2.0 * size.margin));
        },
    )
}

/// The `<svg>` element around every chart: its accessible name and description, then
/// `body`. The title is not drawn: the page shows it as the figure's caption, which wraps
/// where a line of SVG text would have to be cut short.
pub(super) fn svg(
    size: &Size,
    id: &str,
    title: &str,
    desc: &str,
    height: f64,
    body: impl FnOnce(&mut String),
) -> String {
    let id = format!("{}{}", element_id(id), size.id_suffix);
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let mut out = String::new();
    Tag::new(&mut out, "svg")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .attr("id", &id)
        .attr("class", size.class)
        .attr(
            "viewBox",
            &format!("0 0 {} {}", num(size.width), num(height)),
        )
        .attr("width", "100%")
        .attr("role", "img")
        .attr("aria-labelledby", &format!("{title_id} {desc_id}"))
        .attr("font-family", "system-ui, sans-serif")
        .num("font-size", size.text)
        .attr("fill", "currentColor")
        .children(|out| {
            Tag::new(out, "title").attr("id", &title_id).text(title);
            Tag::new(out, "desc").attr("id", &desc_id).text(desc);
            body(out);
        });
    out
}

/// The caller's prefix made safe for an id and for `aria-labelledby`, which splits on
/// spaces: anything but ASCII letters, digits, `-` and `_` becomes `-`.
fn element_id(prefix: &str) -> String {
    let id: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() {
        "chart".to_owned()
    } else {
        id
    }
}

/// An element being written. Attribute values and text are escaped on the way in, so no
/// label can break out of its element or the markup.
pub(super) struct Tag<'o> {
    out: &'o mut String,
    name: &'static str,
}

impl<'o> Tag<'o> {
    pub(super) fn new(out: &'o mut String, name: &'static str) -> Self {
        out.push('<');
        out.push_str(name);
        Tag { out, name }
    }

    pub(super) fn attr(self, name: &'static str, value: &str) -> Self {
        self.attr_written(name, |out| escape_into(out, value))
    }

    pub(super) fn num(self, name: &'static str, value: f64) -> Self {
        self.attr_written(name, |out| write_num(out, value))
    }

    /// An attribute whose value `write` writes, escaped as it needs.
    fn attr_written(self, name: &'static str, write: impl FnOnce(&mut String)) -> Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        write(self.out);
        self.out.push('"');
        self
    }

    pub(super) fn empty(self) {
        self.out.push_str("/>");
    }

    pub(super) fn text(self, text: &str) {
        self.children(|out| escape_into(out, text));
    }

    pub(super) fn children(self, body: impl FnOnce(&mut String)) {
        self.out.push('>');
        body(self.out);
        self.out.push_str("</");
        self.out.push_str(self.name);
        self.out.push('>');
    }
}

/// Escapes the five characters special to XML and HTML, and replaces with U+FFFD the
/// characters XML does not allow at all (most control characters, U+FFFE, U+FFFF), which
/// would make the whole chart unreadable to an XML parser.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'.. => {
                out.push(c)
            }
            _ => out.push('\u{FFFD}'),
        }
    }
}

/// Path data joining the points with straight lines.
pub(super) fn path(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| {
            let command = if i == 0 { 'M' } else { 'L' };
            format!("{command}{} {}", num(*x), num(*y))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::layout::{NARROW, WIDE};
    use super::super::testing::*;
    use super::super::{latency, ratios, throughput};
    use proptest::prelude::*;
    use roxmltree::Document;

    #[test]
    fn hostile_labels_are_escaped() {
        let hostile = r#"<script>alert("x")</script> & 'y' ]]> <!-- "#;
        let bars = [bar(hostile, 10.0), bar("ok", 5.0)];
        let charts = [
            throughput(&WIDE, hostile, hostile, &bars),
            latency(&WIDE, hostile, hostile, &[curve(hostile, &[(50.0, 1.0)])]),
            ratios(&WIDE, hostile, hostile, &bars[0], &bars),
        ];
        for svg in charts {
            assert!(!svg.contains("<script"), "{svg}");
            let doc = parse(&svg);
            let (title, desc) = title_and_desc(&doc);
            assert_eq!(title, hostile);
            assert!(desc.contains(hostile));
            // Drawn as a label or in the legend, it reads back as it was.
            let drawn: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .collect();
            assert!(drawn.contains(&hostile), "{drawn:?}");
            // The id prefix cannot add ids to aria-labelledby, nor leave its attribute.
            let id = doc.root_element().attribute("id").unwrap_or_default();
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            );
        }
    }

    #[test]
    fn control_characters_xml_forbids_are_replaced() {
        let svg = throughput(
            &WIDE,
            "c",
            "Nul\u{0} and \u{FFFF}",
            &[bar("Bell\u{7}", 1.0)],
        );
        let doc = parse(&svg);
        assert_eq!(title_and_desc(&doc).0, "Nul\u{FFFD} and \u{FFFD}");
    }

    #[test]
    fn charts_use_presentation_attributes_only_and_nothing_external() {
        let bars = example_bars();
        for svg in [&WIDE, &NARROW].into_iter().flat_map(|size| {
            [
                throughput(size, "t", "T", &bars),
                latency(size, "l", "L", &example_curves()),
                ratios(size, "r", "R", &bars[1], &bars),
            ]
        }) {
            let doc = parse(&svg);
            for node in doc.descendants().filter(|n| n.is_element()) {
                assert!(
                    !["style", "script", "image", "use", "a", "foreignObject"]
                        .contains(&node.tag_name().name())
                );
                for attribute in node.attributes() {
                    assert!(!["style", "href"].contains(&attribute.name()), "{svg}");
                    assert!(!attribute.name().starts_with("on"), "{svg}");
                }
                if let Some(size) = node.attribute("font-size") {
                    assert!(number(&node, "font-size") >= 12.0, "font-size {size}");
                }
            }
        }
    }

    #[test]
    fn ids_are_prefixed_so_charts_can_share_a_page() {
        let bars = example_bars();
        let ids = |svg: &str| {
            parse(svg)
                .descendants()
                .filter_map(|n| n.attribute("id").map(str::to_owned))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&throughput(&WIDE, "rps-1", "T", &bars)),
            ["rps-1", "rps-1-title", "rps-1-desc"]
        );
        assert_eq!(
            ids(&throughput(&WIDE, "two words", "T", &bars))[0],
            "two-words"
        );
        assert_eq!(ids(&throughput(&WIDE, "", "T", &bars))[0], "chart");
        // The narrow chart, on the same page, has ids of its own.
        assert_eq!(
            ids(&throughput(&NARROW, "rps-1", "T", &bars)),
            ["rps-1-narrow", "rps-1-narrow-title", "rps-1-narrow-desc"]
        );
        assert_eq!(ids(&throughput(&NARROW, "", "T", &bars))[0], "chart-narrow");
    }

    /// What an XML parser reads back from `text` written as an element's content: the
    /// characters XML forbids replaced, line ends normalised.
    fn read_back(text: &str) -> String {
        text.replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .map(|c| match c {
                '\t' | '\n' => c,
                '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
                _ => c,
            })
            .collect()
    }

    proptest! {
        #[test]
        fn any_labels_give_well_formed_xml(
            bars in any_bars(any::<String>()),
            curves in any_curves(any::<String>()),
            title in any::<String>(),
            id in any::<String>(),
            pick in any::<prop::sample::Index>(),
        ) {
            let baseline = pick_baseline(&bars, pick);
            for svg in [&WIDE, &NARROW].into_iter().flat_map(|size| [
                throughput(size, &id, &title, &bars),
                latency(size, &id, &title, &curves),
                ratios(size, &id, &title, &baseline, &bars),
            ]) {
                let doc = Document::parse(&svg);
                prop_assert!(doc.is_ok(), "{:?}: {}", doc.err(), svg);
                if let Ok(doc) = doc {
                    prop_assert_eq!(title_and_desc(&doc).0, read_back(&title));
                }
            }
        }
    }
}
