//! The shell around the screens: windows, tabs, the tool row, the banner and the printer's
//! row, and the subscriptions that feed the app.

use iced::widget::{button, column, container, row, text};
use iced::{Alignment, Element, Length, Subscription, Theme, window};

use super::{App, IDLE_CHECK, LARGER_TEXT, Message, PRINT_ROW_HEIGHT, Screen, keys};
use crate::domain::staff::Permission;
use crate::ui::i18n::{T, t};
use crate::ui::{Ctx, display, errors, focus, widgets};

impl App {
    pub fn title(&self, window: window::Id) -> String {
        if Some(window) == self.display_window {
            "Milano Welcome Center".into()
        } else {
            "welcome-desk · Milano Welcome Center".into()
        }
    }

    /// The larger-text setting draws everything a quarter larger; the wall screen sizes its
    /// own type to the screen.
    pub fn scale_factor(&self, window: window::Id) -> f32 {
        if self.settings.larger_text
            && Some(window) != self.display_window
            && !self.is_wall_screen()
        {
            LARGER_TEXT
        } else {
            1.0
        }
    }

    pub fn theme(&self, _window: window::Id) -> Theme {
        if self.dark {
            crate::ui::theme::dark()
        } else {
            crate::ui::theme::light()
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        // The wall screen has no lock; its sign-in over the wall goes after a minute alone.
        let idle = if self.unlocked() || self.wall_gate_open() {
            iced::time::every(IDLE_CHECK).map(|_| Message::IdleCheck)
        } else {
            Subscription::none()
        };
        Subscription::batch([
            idle,
            // The watcher speaks only when another connection committed (or once a minute,
            // for clocks and the day's rollover): an idle terminal gets no message, so it
            // redraws nothing and sits near 0% CPU.
            Subscription::run_with(self.location.clone(), crate::ui::watcher::watch),
            window::close_events().map(Message::WindowClosed),
            // Sees keys typed into text fields too (keyboard::listen does not), and runs
            // behind the gate: Tab and Enter work on the sign-in form.
            iced::event::listen_with(keys),
        ])
    }

    pub fn view(&self, window: window::Id) -> Element<'_, Message> {
        let ctx = Ctx {
            lang: self.lang,
            today: &self.today,
            now: self.clock.now(),
        };
        if Some(window) == self.display_window {
            return display::view(&ctx);
        }
        if self.is_wall_screen() {
            return self.wall_view(ctx);
        }
        self.main_view(ctx)
    }

    /// The main window (reception, desk and tally).
    pub fn main_view<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let lang = self.lang;
        let tab = |label: T, screen: Screen, n: usize| {
            let style = if self.screen == screen {
                button::primary
            } else {
                button::text
            };
            focus::button(
                screen.id(),
                button(
                    row![
                        text(t(lang, label)).size(18),
                        text(format!("Ctrl+{n}")).size(12),
                    ]
                    .spacing(6)
                    .align_y(Alignment::Center),
                )
                .padding([8, 14])
                .style(style),
                Some(Message::Show(screen)),
            )
        };
        let label = |screen: Screen| match screen {
            Screen::Reception => T::Reception,
            Screen::Appointments => T::Appointments,
            Screen::Desk => T::Desk,
            Screen::Tally => T::Tally,
            Screen::Records => T::Records,
            Screen::Staff => T::Staff,
        };
        let mut tabs = row![text("Welcome Center").size(20)]
            .spacing(8)
            .align_y(Alignment::Center);
        if self.unlocked() {
            for (i, screen) in self.screens().into_iter().enumerate() {
                tabs = tabs.push(tab(label(screen), screen, i + 1));
            }
        }
        let small = |id: &'static str, label: &'a str, message: Option<Message>| {
            focus::button(id, button(text(label)).style(button::text), message)
        };
        let mut who = row![].spacing(8).align_y(Alignment::Center);
        if let (true, Some(session)) = (self.unlocked(), self.shift.who()) {
            who = who
                .push(
                    text(format!(
                        "{} · {}",
                        session.staff,
                        crate::ui::i18n::role_name(lang, session.role)
                    ))
                    .size(15),
                )
                .push(small("lock", t(lang, T::LockNow), Some(Message::LockNow)))
                .push(small(
                    "sign-out",
                    t(lang, T::SignOut),
                    Some(Message::SignOut),
                ));
        }
        // The wall screen shows ticket numbers and desks only: it opens from the sign-in
        // screen too, with no account.
        let bar = row![tabs, iced::widget::space::horizontal(), who]
            .spacing(8)
            .align_y(Alignment::Center);
        let tools = row![
            iced::widget::space::horizontal(),
            focus::button(
                "open-display",
                button(text(t(lang, T::OpenDisplay))).style(button::secondary),
                self.display_window
                    .is_none()
                    .then_some(Message::OpenDisplay),
            ),
            small(
                "chime",
                if self.chime {
                    t(lang, T::ChimeOn)
                } else {
                    t(lang, T::ChimeOff)
                },
                Some(Message::ToggleChime)
            ),
            small(
                "voice",
                if self.settings.voice_off {
                    t(lang, T::VoiceOff)
                } else {
                    t(lang, T::VoiceOn)
                },
                Some(Message::ToggleVoice)
            ),
            small(
                "theme",
                if self.dark {
                    t(lang, T::LightTheme)
                } else {
                    t(lang, T::DarkTheme)
                },
                Some(Message::ToggleTheme)
            ),
            small(
                "text-size",
                if self.settings.larger_text {
                    t(lang, T::NormalText)
                } else {
                    t(lang, T::LargerText)
                },
                Some(Message::ToggleLargerText)
            ),
            focus::button(
                "language",
                button(text(t(lang, T::SwitchLanguage))).style(button::secondary),
                Some(Message::ToggleLanguage),
            ),
        ]
        .spacing(8)
        .align_y(Alignment::Center);

        let body: Element<'a, Message> = if let Some(e) = &self.open_error {
            widgets::banner(e.clone(), widgets::Tone::Bad)
        } else if !self.opened {
            text(t(lang, T::Opening)).size(20).into()
        } else if let (Some(who), Some(screens)) = (self.shift.who(), self.unlocked_screens()) {
            match self.screen {
                Screen::Reception => screens.reception.view(&ctx).map(Message::Reception),
                Screen::Appointments => screens.appointments.view(&ctx).map(Message::Appointments),
                Screen::Desk => screens.desk.view(&ctx).map(Message::Desk),
                Screen::Tally => screens.tally.view(&ctx).map(Message::Tally),
                Screen::Staff => screens.staff.view(&ctx).map(Message::Staff),
                Screen::Records => screens.records.view(&ctx, who.role).map(Message::Records),
            }
        } else {
            // Nothing behind the gate is drawn: a locked terminal shows no visitor.
            self.gate.view(&ctx).map(Message::Gate)
        };
        // The banner has a slot of its own, always in the tree: a backup failure appearing
        // while someone types never moves the focus out of their field.
        // The same two places whether a banner is up or not, so one appearing while someone
        // types never moves their focus (a Space turning into a row of widgets did).
        // The server away comes first, with no Dismiss: it goes by itself when the server is
        // back. The same two places again.
        let banner = match &self.banner {
            _ if self.server_away() => row![
                widgets::banner(t(lang, T::ServerAway).to_string(), widgets::Tone::Bad),
                iced::widget::space::horizontal().width(0),
            ],
            Some(b) => row![
                widgets::banner(b.clone(), widgets::Tone::Bad),
                focus::button(
                    "dismiss",
                    button(text(t(lang, T::Dismiss))),
                    Some(Message::DismissBanner)
                ),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
            None => row![
                widgets::banner_slot(None, widgets::Tone::Bad),
                iced::widget::space::horizontal().width(0),
            ],
        };
        // A PC with a printer has a row of fixed height for it, behind the gate like the screens:
        // Reprint (the ticket that did not
        // print, else the last one issued), and the banner saying why a ticket did not print.
        // Its height never changes, so a print failing while the next person is typed moves
        // no field and leaves the focus where it is.
        let printing = (self.settings.printer.is_some() && self.unlocked()).then(|| {
            let failed = self.not_printed.as_ref().map(|(t, _)| *t);
            let label = match failed.or(self.last_ticket) {
                Some(ticket) => format!("{} {ticket}", t(lang, T::Reprint)),
                None => t(lang, T::Reprint).to_string(),
            };
            let notice: Element<'a, Message> = match &self.not_printed {
                Some((ticket, e)) => widgets::banner(
                    format!("{ticket}: {}", errors::not_printed(lang, e)),
                    widgets::Tone::Bad,
                ),
                None => iced::widget::space::horizontal().into(),
            };
            let style = if failed.is_some() {
                button::primary
            } else {
                button::secondary
            };
            let reprint = focus::button(
                "reprint",
                button(text(label)).style(style),
                (failed.or(self.last_ticket).is_some() && self.may(Permission::Register))
                    .then_some(Message::Reprint),
            );
            container(
                row![container(notice).width(Length::Fill), reprint]
                    .spacing(8)
                    .align_y(Alignment::Center),
            )
            .height(PRINT_ROW_HEIGHT)
        });
        let mut page = column![bar, tools, banner].spacing(10);
        if let Some(printing) = printing {
            page = page.push(printing);
        }
        focus::Scope::new(
            container(page.push(body))
                .padding(20)
                .width(Length::Fill)
                .height(Length::Fill),
        )
        .into()
    }
}
