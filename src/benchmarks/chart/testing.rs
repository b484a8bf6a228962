//! What the chart tests share: example and random figures, and the SVG read back as XML.

use super::data::{Bar, Curve};
use super::text::{ASCENT, DESCENT, text_width};
use proptest::prelude::*;
use roxmltree::{Document, Node};

pub(super) fn bar(label: &str, value: f64) -> Bar {
    Bar {
        label: label.to_owned(),
        value,
    }
}

pub(super) fn curve(label: &str, points: &[(f64, f64)]) -> Curve {
    Curve {
        label: label.to_owned(),
        points: points.to_vec(),
    }
}

pub(super) fn example_bars() -> Vec<Bar> {
    vec![
        bar("Go + fasthttp + pgx", 39_947.0),
        bar("Actix-web + Diesel + Askama", 36_735.0),
        bar("Actix-web + tokio-postgres + deadpool", 18_527.0),
    ]
}

pub(super) fn example_curves() -> Vec<Curve> {
    vec![
        curve("Go + fasthttp + pgx", &[(50.0, 1.51), (99.0, 2.73)]),
        curve("Actix-web + Diesel + Askama", &[(50.0, 1.67), (99.0, 3.34)]),
        curve(
            "Actix-web + tokio-postgres + deadpool",
            &[(50.0, 2.59), (99.0, 4.50)],
        ),
        curve(
            "Axum + sqlx",
            &[(50.0, 0.58), (75.0, 0.67), (90.0, 0.80), (99.0, 1.33)],
        ),
    ]
}

pub(super) fn parse(svg: &str) -> Document<'_> {
    match Document::parse(svg) {
        Ok(doc) => doc,
        Err(e) => panic!("not well-formed XML ({e}): {svg}"),
    }
}

pub(super) fn with_class<'a, 'i>(doc: &'a Document<'i>, class: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|c| c == class))
        })
        .collect()
}

pub(super) fn texts(doc: &Document, class: &str) -> Vec<String> {
    with_class(doc, class)
        .iter()
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

pub(super) fn number(node: &Node, attribute: &str) -> f64 {
    let value = node.attribute(attribute).unwrap_or("missing");
    match value.parse() {
        Ok(number) => number,
        Err(_) => panic!("{attribute}={value:?} is not a number"),
    }
}

/// The chart's accessible name and description, checked to be wired as they should.
pub(super) fn title_and_desc(doc: &Document) -> (String, String) {
    let svg = doc.root_element();
    assert_eq!(svg.tag_name().name(), "svg");
    assert_eq!(svg.attribute("role"), Some("img"));
    assert_eq!(svg.attribute("width"), Some("100%"));
    assert_eq!(svg.attribute("height"), None);
    let ids: Vec<&str> = svg
        .attribute("aria-labelledby")
        .unwrap_or_default()
        .split(' ')
        .collect();
    let [title_id, desc_id] = ids.as_slice() else {
        panic!("aria-labelledby should name a title and a desc: {ids:?}");
    };
    let by_id = |id: &str| {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no element with id {id}"))
    };
    let (title, desc) = (by_id(title_id), by_id(desc_id));
    assert_eq!(title.tag_name().name(), "title");
    assert_eq!(desc.tag_name().name(), "desc");
    assert_eq!(title.parent(), Some(svg));
    let text = |n: Node| n.text().unwrap_or_default().to_owned();
    (text(title), text(desc))
}

pub(super) fn bar_widths(doc: &Document) -> Vec<f64> {
    with_class(doc, "chart-bar")
        .iter()
        .map(|n| number(n, "width"))
        .collect()
}

pub(super) fn assert_proportional(widths: &[f64], values: &[f64]) {
    assert_eq!(widths.len(), values.len());
    for (w, v) in widths.iter().zip(values) {
        let (w_ratio, v_ratio) = (w / widths[0], v / values[0]);
        assert!(
            (w_ratio - v_ratio).abs() < 1e-6,
            "widths {widths:?} are not in proportion to {values:?}"
        );
    }
}

/// No NaN or infinity anywhere, in coordinates or in text.
pub(super) fn assert_finite(svg: &str) {
    assert!(!svg.contains("NaN"), "{svg}");
    assert!(!svg.contains("inf"), "{svg}");
}

fn any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        0.0..1e6,
        Just(0.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
    ]
}

pub(super) fn any_bars(label: impl Strategy<Value = String>) -> impl Strategy<Value = Vec<Bar>> {
    prop::collection::vec(
        (label, any_value()).prop_map(|(label, value)| Bar { label, value }),
        0..32,
    )
}

pub(super) fn any_curves(
    label: impl Strategy<Value = String>,
) -> impl Strategy<Value = Vec<Curve>> {
    let point = (
        prop_oneof![any::<f64>(), 0.0..100.0, Just(99.9)],
        any_value(),
    );
    prop::collection::vec(
        (label, prop::collection::vec(point, 0..8))
            .prop_map(|(label, points)| Curve { label, points }),
        0..8,
    )
}

/// Any bar to divide by, or one that is not among the bars when there are none.
pub(super) fn pick_baseline(bars: &[Bar], pick: prop::sample::Index) -> Bar {
    if bars.is_empty() {
        bar("none", 1.0)
    } else {
        bars[pick.index(bars.len())].clone()
    }
}

/// The distinct places of the vertical gridlines, left to right: one for each tick,
/// however many pieces each is drawn in.
pub(super) fn gridline_xs(doc: &Document) -> Vec<f64> {
    let mut xs: Vec<f64> = with_class(doc, "chart-grid")
        .iter()
        .filter(|n| number(n, "x1") == number(n, "x2"))
        .map(|n| number(n, "x1"))
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    xs
}

/// A rectangle in the chart's units.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rect {
    pub(super) left: f64,
    pub(super) right: f64,
    pub(super) top: f64,
    pub(super) bottom: f64,
}

impl Rect {
    fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }
}

/// Each drawn text and the box it takes, estimated as the charts estimate it: the width
/// from `text_width`, the height from the ascent and descent, placed by its anchor and
/// turned by its transform (the charts turn text only by -90°).
pub(super) fn text_boxes(doc: &Document) -> Vec<(String, Rect)> {
    let root_size = number(&doc.root_element(), "font-size");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let text = n.text().unwrap_or_default().to_owned();
            let size = n
                .attribute("font-size")
                .map_or(root_size, |_| number(&n, "font-size"));
            let (x, y) = (number(&n, "x"), number(&n, "y"));
            let width = text_width(&text, size);
            let start = match n.attribute("text-anchor") {
                Some("middle") => -width / 2.0,
                Some("end") => -width,
                _ => 0.0,
            };
            let (above, below) = (ASCENT * size, DESCENT * size);
            let rect = match n.attribute("transform") {
                None => Rect {
                    left: x + start,
                    right: x + start + width,
                    top: y - above,
                    bottom: y + below,
                },
                Some(transform) => {
                    let turned = format!(
                        "rotate(-90 {} {})",
                        n.attribute("x").unwrap_or_default(),
                        n.attribute("y").unwrap_or_default()
                    );
                    assert_eq!(transform, turned, "only turned about its own anchor");
                    // Upwards: the text runs from y - start towards the top, its
                    // ascent to the left of x.
                    Rect {
                        left: x - above,
                        right: x + below,
                        top: y - start - width,
                        bottom: y - start,
                    }
                }
            };
            (text, rect)
        })
        .collect()
}

/// Every straight stroke: lines, and the vertical strokes of paths drawn as "Mx yVy".
fn strokes(doc: &Document) -> Vec<(String, Rect)> {
    let mut strokes = Vec::new();
    for n in doc.descendants() {
        let class = n.attribute("class").unwrap_or("line").to_owned();
        if n.has_tag_name("line") {
            let (x1, x2) = (number(&n, "x1"), number(&n, "x2"));
            let (y1, y2) = (number(&n, "y1"), number(&n, "y2"));
            strokes.push((
                class,
                Rect {
                    left: x1.min(x2),
                    right: x1.max(x2),
                    top: y1.min(y2),
                    bottom: y1.max(y2),
                },
            ));
        } else if n.has_tag_name("path") && class == "chart-reference" {
            for stroke in n.attribute("d").unwrap_or_default().split('M').skip(1) {
                let numbers: Vec<f64> = stroke
                    .split([' ', 'V'])
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().unwrap_or(f64::NAN))
                    .collect();
                let [x, y1, y2] = numbers[..] else {
                    panic!("not a vertical stroke: {stroke}");
                };
                strokes.push((
                    class.clone(),
                    Rect {
                        left: x,
                        right: x,
                        top: y1.min(y2),
                        bottom: y1.max(y2),
                    },
                ));
            }
        }
    }
    strokes
}

/// What would make a chart hard to read, shown `shown_width` pixels wide: text under 12
/// pixels, text outside the chart (which clips it), texts running into each other, lines
/// crossing text. Boxes are estimates, so they must clear each other, not just touch.
pub(super) fn layout_problems(svg: &str, shown_width: f64) -> Vec<String> {
    let doc = parse(svg);
    let root = doc.root_element();
    let view_box: Vec<f64> = root
        .attribute("viewBox")
        .unwrap_or_default()
        .split(' ')
        .map(|v| v.parse().unwrap_or(f64::NAN))
        .collect();
    let (width, height) = (view_box[2], view_box[3]);
    let scale = shown_width / width;
    let mut problems = Vec::new();
    for node in doc
        .descendants()
        .filter(|n| n.attribute("font-size").is_some())
    {
        let px = number(&node, "font-size") * scale;
        if px < 12.0 {
            problems.push(format!("{:?} at {px:.1} px", node.text()));
        }
    }
    let texts = text_boxes(&doc);
    for (i, (text, rect)) in texts.iter().enumerate() {
        if rect.left < 0.0 || rect.right > width || rect.top < 0.0 || rect.bottom > height {
            problems.push(format!("{text:?} {rect:?} outside 0 0 {width} {height}"));
        }
        for (other, other_rect) in &texts[i + 1..] {
            if rect.overlaps(other_rect) {
                problems.push(format!(
                    "{text:?} {rect:?} overlaps {other:?} {other_rect:?}"
                ));
            }
        }
        for (class, stroke) in strokes(&doc) {
            if rect.overlaps(&stroke) {
                problems.push(format!("{class} {stroke:?} crosses {text:?} {rect:?}"));
            }
        }
    }
    problems
}
