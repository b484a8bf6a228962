//! What the chart tests share: example and random figures, and the SVG read back as XML.

use super::data::{Bar, Curve};
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
