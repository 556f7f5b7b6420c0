//! The waiting-room display: the ticket just called and its desk, very large, and the last
//! few calls. Never a name: the room is public.

use iced::widget::{center, column, container, responsive, row, rule, text};
use iced::{Alignment, Element, Font, Length, Size};

use super::Ctx;
use super::i18n::{DISPLAY_CAPTIONS, T, t};

const BOLD: Font = Font {
    weight: iced::font::Weight::Bold,
    ..Font::DEFAULT
};

/// How many earlier calls stay on screen.
pub const LAST_CALLS: usize = 5;

/// Of the font's size, how wide a character is at most (digits, capitals, the arrow): the
/// type is sized so that the longest line fits with this allowance.
const CHAR_WIDTH: f32 = 0.68;

/// The type sizes that make the ticket and the whole desk label fit `size`: the ticket gets a
/// third of the height, the desk line a sixth, each shrunk to fit the width on one line.
pub fn call_sizes(size: Size, ticket: &str, desk: &str) -> (f32, f32) {
    let fit = |chars: usize, height_share: f32| {
        let by_width = size.width * 0.92 / (chars.max(1) as f32 * CHAR_WIDTH);
        by_width.min(size.height * height_share).max(12.0)
    };
    (
        fit(ticket.chars().count(), 0.30),
        fit(desk.chars().count() + 2, 0.16),
    )
}

pub fn view<'a, M: 'a>(ctx: &Ctx<'a>) -> Element<'a, M> {
    let calls: Vec<(String, String)> = ctx
        .today
        .board
        .recent_calls
        .iter()
        .take(LAST_CALLS + 1)
        .map(|c| (c.ticket.to_string(), c.desk.clone()))
        .collect();
    let last_calls = t(ctx.lang, T::LastCalls);
    // Everything is sized from the window: 1024x600 in a small waiting room, 1920x1080 on
    // a wall. Ticket above desk, each on one line, so the desk number is never cut off.
    let screen = responsive(move |size| -> Element<'a, M> {
        let k = (size.width / 1280.0).min(size.height / 720.0).max(0.5);
        let main_area = Size::new(size.width, size.height * 0.55);
        let main: Element<'a, M> = match calls.first() {
            Some((ticket, desk)) => {
                let (ticket_size, desk_size) = call_sizes(main_area, ticket, desk);
                column![
                    text(ticket.clone())
                        .size(ticket_size)
                        .font(BOLD)
                        .wrapping(text::Wrapping::None),
                    text(format!("→ {desk}"))
                        .size(desk_size)
                        .wrapping(text::Wrapping::None),
                ]
                .spacing(8.0 * k)
                .align_x(Alignment::Center)
                .into()
            }
            None => text("—").size(main_area.height * 0.5).into(),
        };
        let mut earlier = row![].spacing(40.0 * k);
        for (ticket, desk) in calls.iter().skip(1) {
            earlier = earlier.push(
                column![
                    text(ticket.clone()).size(40.0 * k).font(BOLD),
                    text(desk.clone())
                        .size(22.0 * k)
                        .wrapping(text::Wrapping::None),
                ]
                .align_x(Alignment::Center),
            );
        }
        let captions = column(DISPLAY_CAPTIONS.iter().map(|c| {
            text(*c)
                .size(22.0 * k)
                .shaping(text::Shaping::Advanced)
                .into()
        }))
        .spacing(2.0 * k)
        .align_x(Alignment::Center);
        column![
            center(main).height(Length::Fill),
            rule::horizontal(2),
            text(last_calls).size(18.0 * k),
            earlier,
            rule::horizontal(2),
            captions,
        ]
        .spacing(12.0 * k)
        .align_x(Alignment::Center)
        .into()
    });
    container(screen)
        .padding(16)
        .width(Length::Fill)
        .height(Length::Fill)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ticket_and_the_whole_desk_label_fit_every_screen() {
        for (w, h) in [(1024.0, 600.0), (1280.0, 720.0), (1920.0, 1080.0)] {
            let area = Size::new(w, h * 0.55);
            let (ticket, desk) = call_sizes(area, "G-001", "Sportello 12");
            assert!(ticket * CHAR_WIDTH * 5.0 <= w, "{w}x{h}: ticket {ticket}");
            assert!(desk * CHAR_WIDTH * 14.0 <= w, "{w}x{h}: desk {desk}");
            assert!(ticket > desk, "the ticket is the largest thing on the wall");
            assert!(
                ticket + desk <= area.height,
                "{w}x{h}: both lines fit in height"
            );
        }
    }
}
