//! The waiting-room display: the ticket just called and its desk, very large, and the last
//! few calls. Never a name: the room is public.

use iced::widget::{center, column, container, row, rule, text};
use iced::{Alignment, Element, Font, Length};

use super::Ctx;
use super::i18n::{DISPLAY_CAPTIONS, T, t};

const BOLD: Font = Font {
    weight: iced::font::Weight::Bold,
    ..Font::DEFAULT
};

/// How many earlier calls stay on screen.
pub const LAST_CALLS: usize = 5;

pub fn view<'a, M: 'a>(ctx: &Ctx<'a>) -> Element<'a, M> {
    let calls = &ctx.today.board.recent_calls;
    let main: Element<'a, M> = match calls.first() {
        Some(call) => row![
            text(call.ticket.to_string()).size(160).font(BOLD),
            text(format!("→ {}", call.desk)).size(84),
        ]
        .spacing(40)
        .align_y(Alignment::Center)
        .into(),
        None => text("—").size(160).into(),
    };
    let mut earlier = row![].spacing(48);
    for call in calls.iter().skip(1).take(LAST_CALLS) {
        earlier = earlier.push(
            column![
                text(call.ticket.to_string()).size(48).font(BOLD),
                text(call.desk.clone()).size(26),
            ]
            .align_x(Alignment::Center),
        );
    }
    let captions = column(
        DISPLAY_CAPTIONS
            .iter()
            .map(|c| text(*c).size(26).shaping(text::Shaping::Advanced).into()),
    )
    .spacing(4)
    .align_x(Alignment::Center);
    container(
        column![
            center(main).height(Length::Fill),
            rule::horizontal(2),
            text(t(ctx.lang, T::LastCalls)).size(20),
            earlier,
            rule::horizontal(2),
            captions,
        ]
        .spacing(16)
        .align_x(Alignment::Center)
        .padding(24),
    )
    .width(Length::Fill)
    .height(Length::Fill)
    .into()
}
