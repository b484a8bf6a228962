//! How each latency curve is told apart: its colour, its dash and the marker at each point.

use super::layout::BAR_COLOUR;
use super::svg::{Tag, path};

/// How each curve is told apart: colour, dash and marker, so that any one of them is enough.
pub(super) struct CurveStyle {
    /// All but the page's own text colour have at least 4.5:1 contrast on white and 3:1 on
    /// the site's dark background.
    pub(super) colour: &'static str,
    pub(super) dash: &'static str,
    marker: Marker,
}

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Ring,
}

/// Curves beyond the sixth reuse the styles; their legend labels still tell them apart.
pub(super) const CURVE_STYLES: [CurveStyle; 6] = [
    CurveStyle {
        colour: "currentColor",
        dash: "none",
        marker: Marker::Circle,
    },
    CurveStyle {
        colour: BAR_COLOUR,
        dash: "8 4",
        marker: Marker::Square,
    },
    CurveStyle {
        colour: "#c2410c",
        dash: "2 3",
        marker: Marker::Triangle,
    },
    CurveStyle {
        colour: "#0f766e",
        dash: "10 3 2 3",
        marker: Marker::Diamond,
    },
    CurveStyle {
        colour: "#9333ea",
        dash: "4 4",
        marker: Marker::TriangleDown,
    },
    CurveStyle {
        colour: "#b45309",
        dash: "12 3 2 3 2 3",
        marker: Marker::Ring,
    },
];

pub(super) fn draw_marker(out: &mut String, style: &CurveStyle, x: f64, y: f64) {
    const R: f64 = 5.0;
    let polygon = |corners: &[(f64, f64)]| {
        let shifted: Vec<(f64, f64)> = corners.iter().map(|(dx, dy)| (x + dx, y + dy)).collect();
        format!("{} Z", path(&shifted))
    };
    let marker = match style.marker {
        Marker::Circle | Marker::Ring => Tag::new(out, "circle")
            .num("cx", x)
            .num("cy", y)
            .num("r", R),
        Marker::Square => Tag::new(out, "rect")
            .num("x", x - R)
            .num("y", y - R)
            .num("width", 2.0 * R)
            .num("height", 2.0 * R),
        Marker::Triangle => Tag::new(out, "path").attr(
            "d",
            &polygon(&[(0.0, -1.2 * R), (1.1 * R, R), (-1.1 * R, R)]),
        ),
        Marker::Diamond => Tag::new(out, "path").attr(
            "d",
            &polygon(&[
                (0.0, -1.3 * R),
                (1.3 * R, 0.0),
                (0.0, 1.3 * R),
                (-1.3 * R, 0.0),
            ]),
        ),
        Marker::TriangleDown => Tag::new(out, "path").attr(
            "d",
            &polygon(&[(0.0, 1.2 * R), (1.1 * R, -R), (-1.1 * R, -R)]),
        ),
    };
    let marker = marker.attr("class", "chart-marker");
    if matches!(style.marker, Marker::Ring) {
        marker
            .attr("fill", "none")
            .attr("stroke", style.colour)
            .attr("stroke-width", "2")
            .empty();
    } else {
        marker.attr("fill", style.colour).empty();
    }
}

#[cfg(test)]
mod tests {
    use super::super::latency;
    use super::super::layout::WIDE;
    use super::super::testing::*;
    use roxmltree::Node;

    #[test]
    fn curves_differ_by_dash_and_marker_not_only_colour_and_have_a_legend() {
        let svg = latency(&WIDE, "lat", "Latency", &example_curves());
        let doc = parse(&svg);
        let curves = with_class(&doc, "chart-curve");
        assert_eq!(curves.len(), 4);
        let style = |g: &Node| {
            let path = g
                .children()
                .find(|n| n.has_tag_name("path"))
                .unwrap_or_else(|| panic!("a curve without a line"));
            let marker = g
                .children()
                .find(|n| n.attribute("class") == Some("chart-marker"))
                .unwrap_or_else(|| panic!("a curve without markers"));
            (
                path.attribute("stroke-dasharray")
                    .unwrap_or_default()
                    .to_owned(),
                marker.tag_name().name().to_owned(),
                marker.attribute("d").map(|d| d.split(' ').count()),
            )
        };
        let styles: Vec<_> = curves.iter().map(style).collect();
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a.0, b.0, "same dashes");
                assert_ne!((&a.1, a.2), (&b.1, b.2), "same markers");
            }
        }
        // Points of the curve with four of them are all marked.
        assert_eq!(
            curves[3]
                .children()
                .filter(|n| n.attribute("class") == Some("chart-marker"))
                .count(),
            4
        );
        let legend: Vec<_> = with_class(&doc, "chart-legend")
            .iter()
            .filter_map(|g| g.children().find(|n| n.has_tag_name("text")))
            .map(|n| n.text().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            legend,
            example_curves()
                .iter()
                .map(|c| c.label.clone())
                .collect::<Vec<_>>()
        );
    }
}
