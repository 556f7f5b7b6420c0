//! Contrast as WCAG 2.1 measures it (EN 301 549, which Italian public administrations must
//! meet): text at least 4.5:1 against its ground, the focus ring and other controls' outlines
//! at least 3:1. The test below checks every pairing the screens draw, in both themes.

use iced::{Color, Theme};

/// WCAG relative luminance of an sRGB colour.
pub fn luminance(c: Color) -> f32 {
    let lin = |v: f32| {
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
}

/// The contrast ratio of two colours, 1 to 21.
pub fn ratio(a: Color, b: Color) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Every pairing of text (or outline) and ground the terminal draws, named for the message
/// of a failing test, with the ratio it needs.
pub fn pairings(theme: &Theme) -> Vec<(&'static str, Color, Color, f32)> {
    use super::widgets::{Tone, error_text_color, tone_color};
    let p = theme.extended_palette();
    let ground = p.background.base.color;
    let text = p.background.base.text;
    let mut pairs = vec![
        ("text on the page", text, ground, 4.5),
        (
            "text on a card",
            p.background.weak.text,
            p.background.weak.color,
            4.5,
        ),
        (
            "primary button",
            p.primary.base.text,
            p.primary.base.color,
            4.5,
        ),
        (
            "secondary button",
            p.secondary.base.text,
            p.secondary.base.color,
            4.5,
        ),
        (
            "danger button",
            p.danger.base.text,
            p.danger.base.color,
            4.5,
        ),
        ("focus ring", super::focus::focus_color(theme), ground, 3.0),
        (
            "field error under a field",
            error_text_color(theme),
            ground,
            4.5,
        ),
    ];
    for (name, tone) in [
        ("info badge", Tone::Info),
        ("good badge", Tone::Good),
        ("warning banner", Tone::Warn),
        ("error banner", Tone::Bad),
    ] {
        pairs.push((name, Color::WHITE, tone_color(theme, tone), 4.5));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ratio_is_wcags() {
        assert!((ratio(Color::BLACK, Color::WHITE) - 21.0).abs() < 0.01);
        assert!((ratio(Color::WHITE, Color::WHITE) - 1.0).abs() < 0.01);
    }

    #[test]
    fn every_text_and_control_meets_wcag_aa_in_both_themes() {
        let mut failures = Vec::new();
        for theme in [super::super::theme::light(), super::super::theme::dark()] {
            for (name, fg, bg, needed) in pairings(&theme) {
                let r = ratio(fg, bg);
                if r < needed {
                    failures.push(format!("{theme}: {name} {r:.2}:1 < {needed}:1"));
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
