//! Small pieces shared by the screens.

use iced::widget::{column, container, row, space, text};
use iced::{Alignment, Background, Border, Color, Element, Length, Theme};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Good,
    Warn,
    Bad,
}

pub fn tone_color(theme: &Theme, tone: Tone) -> Color {
    let p = theme.extended_palette();
    match tone {
        Tone::Info => p.primary.strong.color,
        Tone::Good => p.success.strong.color,
        Tone::Warn => Color::from_rgb8(0x9A, 0x5B, 0x00),
        Tone::Bad => p.danger.strong.color,
    }
}

/// Red text on the page itself: the danger colour on a light ground, a light red on a dark
/// one, so it reads at 4.5:1 in both themes.
pub fn error_text_color(theme: &Theme) -> Color {
    if theme.extended_palette().is_dark {
        Color::from_rgb8(0xFF, 0xA8, 0xA3)
    } else {
        tone_color(theme, Tone::Bad)
    }
}

/// A short label on a coloured ground (FIRST ACCESS, Returning visitor).
pub fn badge<'a, M: 'a>(label: impl text::IntoFragment<'a>, tone: Tone) -> Element<'a, M> {
    container(text(label).size(18).color(Color::WHITE))
        .padding([4, 12])
        .style(move |theme: &Theme| container::Style {
            background: Some(Background::Color(tone_color(theme, tone))),
            border: Border::default().rounded(12),
            ..container::Style::default()
        })
        .into()
}

/// A full-width message: an error keeps what was typed and says what to fix.
pub fn banner<'a, M: 'a>(message: String, tone: Tone) -> Element<'a, M> {
    container(text(message).size(16).color(Color::WHITE))
        .padding([8, 12])
        .width(Length::Fill)
        .style(move |theme: &Theme| container::Style {
            background: Some(Background::Color(tone_color(theme, tone))),
            border: Border::default().rounded(6),
            ..container::Style::default()
        })
        .into()
}

/// A banner where one may be: the slot is a container either way, so a message appearing
/// never changes the shape of the tree around the fields and never takes their focus (a
/// slot that was a `Space` one moment and a row of widgets the next did: the keyboard tests
/// hold this).
pub fn banner_slot<'a, M: 'a>(message: Option<String>, tone: Tone) -> Element<'a, M> {
    match message {
        Some(m) => banner(m, tone),
        None => container(space::vertical().height(0)).height(0).into(),
    }
}

/// The line under a field where its error goes: empty (and flat) when there is none.
pub fn error_slot<'a, M: 'a>(message: Option<String>) -> Element<'a, M> {
    match message {
        Some(m) => text(m)
            .size(14)
            .style(|theme: &Theme| text::Style {
                color: Some(error_text_color(theme)),
            })
            .into(),
        None => space::vertical().height(0).into(),
    }
}

/// A row the arrow keys point at: framed like a focused field.
pub fn highlight<'a, M: 'a>(content: impl Into<Element<'a, M>>, on: bool) -> Element<'a, M> {
    container(content)
        .padding(4)
        .style(move |theme: &Theme| {
            if on {
                container::Style {
                    border: Border {
                        color: super::focus::focus_color(theme),
                        width: super::focus::FOCUS_RING,
                        radius: 4.0.into(),
                    },
                    ..container::Style::default()
                }
            } else {
                container::Style::default()
            }
        })
        .into()
}

/// A bar chart of labelled counts, drawn with plain containers (no canvas needed).
pub fn bars<'a, M: 'a>(data: Vec<(String, u64)>, height: f32) -> Element<'a, M> {
    let max = data.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f32;
    let mut chart = row![].spacing(4).align_y(Alignment::End);
    for (label, n) in data {
        let h = (n as f32 / max * height).max(1.0);
        chart = chart.push(
            column![
                text(n.to_string()).size(12),
                container(space::horizontal())
                    .width(Length::Fill)
                    .height(h)
                    .style(|theme: &Theme| container::Style {
                        background: Some(Background::Color(
                            theme.extended_palette().primary.base.color
                        )),
                        ..container::Style::default()
                    }),
                text(label).size(12),
            ]
            .spacing(2)
            .align_x(Alignment::Center)
            .width(Length::Fill),
        );
    }
    chart.into()
}
