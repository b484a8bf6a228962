//! Text without the font at hand: its estimated width and height, truncated to fit, and
//! centred on a point.

/// From the middle of a line of text to its baseline, in ems: to centre text on a point.
pub(super) const CENTRE_TO_BASELINE: f64 = 0.35;
/// How far a line of text reaches above and below its baseline, in ems, a little more than
/// the fonts `system-ui` falls back to (DejaVu Sans: 0.93 and 0.24). The middle of the two
/// is [`CENTRE_TO_BASELINE`] above the baseline.
pub(super) const ASCENT: f64 = 0.95;
pub(super) const DESCENT: f64 = 0.25;

/// Estimated width of text in user units, without the font at hand. Printable ASCII takes
/// the advance widths of DejaVu Sans, the widest of the fonts `system-ui` is likely to be
/// (Linux's; Segoe UI, San Francisco and Roboto are narrower), so that text errs towards
/// truncation rather than overflow. Other characters of two bytes in UTF-8 (accented
/// letters, Greek, Cyrillic, ×) count as 0.84 em, wider than most of them; those of three
/// bytes or more (CJK, symbols, emoji) as a full em.
pub(super) fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().map(char_width).sum::<f64>() * font_size
}

/// DejaVu Sans's advance widths of ' ' to '~', in thousandths of an em.
const ASCII_WIDTHS: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318,
    337, // ' '..'/'
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838,
    531, // '0'..'?'
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748,
    787, // '@'..'O'
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838,
    500, // 'P'..'_'
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634,
    612, // '`'..'o'
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, // 'p'..'~'
];

fn char_width(c: char) -> f64 {
    match c {
        ' '..='~' => f64::from(ASCII_WIDTHS[c as usize - ' ' as usize]) / 1000.0,
        _ if c.len_utf8() >= 3 => 1.0,
        // Control characters (which a chart writes as U+FFFD) and the rest of two bytes.
        _ if c.is_control() => 1.0,
        _ => 0.84,
    }
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
    use super::super::layout::{NARROW, WIDE};
    use super::super::testing::*;
    use super::super::{Figure, throughput};
    use super::*;

    #[test]
    fn long_labels_are_truncated_with_the_full_label_on_hover() {
        let long = "Actix-web 4 + Diesel 2 + Askama 0.16 + deadpool + rustls, compiled with LTO and PGO on a 64-core box";
        for size in [&WIDE, &NARROW] {
            let svg = throughput(size, "t", long, &[bar(long, 1.0)]);
            let doc = parse(&svg);
            let label = &texts(&doc, "chart-label")[0];
            assert!(label.ends_with('…'), "{label}");
            assert!(text_width(label, size.text) <= size.width - 2.0 * size.margin);
            assert!(long.starts_with(label.trim_end_matches('…')));
            let hover = with_class(&doc, "chart-row")[0]
                .children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|n| n.text())
                .unwrap_or_default();
            assert_eq!(hover, format!("{long}: 1 requests per second"));
            // The title is never truncated: it is the figure's caption, which wraps, and
            // the chart's accessible name, whole.
            assert_eq!(title_and_desc(&doc).0, long);
            assert!(with_class(&doc, "chart-title").is_empty());
        }
        let figure = Figure::draw(long, |size| throughput(size, "t", long, &[bar(long, 1.0)]));
        assert_eq!(figure.title, long);
    }

    #[test]
    fn widths_are_estimated_per_character() {
        // Digits are as wide as each other, so columns of figures line up.
        assert_eq!(text_width("0", 10.0), text_width("9", 10.0));
        assert!(text_width("iiii", 10.0) < text_width("mmmm", 10.0));
        assert_eq!(text_width("×", 10.0), 8.4);
        assert_eq!(text_width("…", 10.0), 10.0);
        assert_eq!(text_width("漢", 10.0), 10.0);
        assert_eq!(text_width("\u{7}", 10.0), 10.0);
        assert_eq!(fit("p99.9", 10.0, 100.0), "p99.9");
        let fitted = fit("Requests per second", 10.0, 60.0);
        assert_eq!(fitted, "Requests…");
        assert!(text_width(&fitted, 10.0) <= 60.0);
    }
}
