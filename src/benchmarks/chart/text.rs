//! Text without the font at hand: its estimated width, truncated to fit, and centred on a point.

/// From the middle of a line of text to its baseline, in ems: to centre text on a point.
pub(super) const CENTRE_TO_BASELINE: f64 = 0.35;

/// Estimated width of text in user units, without the font at hand: average Latin glyphs
/// are about 0.6 em; characters of three bytes or more in UTF-8 (CJK, symbols, emoji) are
/// counted as a full em so that they err towards truncation rather than overflow.
pub(super) fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().map(char_width).sum::<f64>() * font_size
}

fn char_width(c: char) -> f64 {
    if c.len_utf8() >= 3 { 1.0 } else { 0.6 }
}

/// `text`, truncated with an ellipsis when it would be wider than `max_width`.
pub(super) fn fit(text: &str, font_size: f64, max_width: f64) -> String {
    if text_width(text, font_size) <= max_width {
        return text.to_owned();
    }
    let budget = max_width - text_width("…", font_size);
    let mut used = 0.0;
    let kept: String = text
        .chars()
        .take_while(|c| {
            used += char_width(*c) * font_size;
            used <= budget
        })
        .collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::super::layout::{MARGIN, TEXT_SIZE, WIDTH};
    use super::super::testing::*;
    use super::super::throughput;
    use super::*;

    #[test]
    fn long_labels_are_truncated_with_the_full_label_on_hover() {
        let long = "Actix-web 4 + Diesel 2 + Askama 0.16 + deadpool + rustls, compiled with LTO and PGO on a 64-core box";
        let svg = throughput("t", long, &[bar(long, 1.0)]);
        let doc = parse(&svg);
        let label = &texts(&doc, "chart-label")[0];
        assert!(label.ends_with('…'), "{label}");
        assert!(text_width(label, TEXT_SIZE) <= WIDTH - 2.0 * MARGIN);
        assert!(long.starts_with(label.trim_end_matches('…')));
        assert!(texts(&doc, "chart-title")[0].ends_with('…'));
        let hover = with_class(&doc, "chart-row")[0]
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap_or_default();
        assert_eq!(hover, format!("{long}: 1 requests per second"));
    }
}
