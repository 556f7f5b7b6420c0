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

fn tone_color(theme: &Theme, tone: Tone) -> Color {
    let p = theme.extended_palette();
    match tone {
        Tone::Info => p.primary.strong.color,
        Tone::Good => p.success.strong.color,
        Tone::Warn => Color::from_rgb8(0xB2, 0x6B, 0x00),
        Tone::Bad => p.danger.strong.color,
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

/// A big number with its caption, for the tally.
pub fn figure<'a, M: 'a>(value: String, caption: &'a str) -> Element<'a, M> {
    container(
        column![text(value).size(34), text(caption).size(14)]
            .spacing(2)
            .align_x(Alignment::Center),
    )
    .padding(10)
    .width(Length::Fill)
    .style(container::rounded_box)
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
