//! The keyboard: which keys the terminal answers itself, and what each means on the screen
//! shown.

use iced::{keyboard, window};

use super::{App, Effect, Message, Screen};
use crate::domain::TicketEvent;
use crate::domain::staff::Permission;
use crate::ui::{appointments, desk, gate, reception, tally};

/// The keys the terminal answers itself, when the focused widget did not use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// Tab.
    NextField,
    /// Shift+Tab.
    PreviousField,
    Enter,
    Escape,
    Up,
    Down,
    /// F1..F12.
    Function(u8),
    /// Ctrl+L (Cmd+L).
    Lock,
    /// Ctrl+1..Ctrl+5: the nth screen of the role, as the tabs show them.
    Screen(u8),
    /// Page Up, Page Down: the agenda's previous and next day.
    PageUp,
    PageDown,
}

impl App {
    /// A key no widget took: what it means depends on what is shown.
    pub(super) fn shortcut(&mut self, key: Shortcut) -> Vec<Effect> {
        if !self.unlocked() {
            return match key {
                Shortcut::Enter => self.step(Message::Gate(gate::Message::Submit)),
                // Escape left the field: the keyboard goes back to the form.
                Shortcut::Escape => vec![Effect::Focus(self.gate.first_field())],
                _ => vec![],
            };
        }
        use appointments::Message as A;
        use desk::Message as D;
        use reception::Message as R;
        // F2, from any screen of a role that books: the agenda of today, the next booking due
        // highlighted and the keyboard in its filter, so Enter checks that person in.
        if key == Shortcut::Function(2) && self.may(Permission::Book) {
            let mut effects = self.step(Message::Show(Screen::Appointments));
            // Opening the screen and asking for the next due both read today's bookings:
            // once is enough (each reading is on the audit trail).
            for effect in self.step(Message::Appointments(A::NextDue)) {
                if !effects.contains(&effect) {
                    effects.push(effect);
                }
            }
            effects.push(Effect::Focus(appointments::FIRST_FIELD));
            return effects;
        }
        let message = match (self.screen, key) {
            (Screen::Reception, Shortcut::Enter) => Message::Reception(R::Submit),
            (Screen::Reception, Shortcut::Down) => Message::Reception(R::NextCandidate),
            (Screen::Reception, Shortcut::Up) => Message::Reception(R::PreviousCandidate),
            (Screen::Reception, Shortcut::Escape) => {
                let mut effects = self.step(Message::Reception(R::Escape));
                effects.push(Effect::Focus(reception::FIRST_FIELD));
                return effects;
            }
            (Screen::Desk, Shortcut::Function(5)) => Message::Desk(D::CallNext),
            (Screen::Desk, Shortcut::Function(6)) => Message::Desk(D::Act(TicketEvent::Recall)),
            (Screen::Desk, Shortcut::Function(7)) => Message::Desk(D::Act(TicketEvent::Start)),
            (Screen::Desk, Shortcut::Function(8)) => Message::Desk(D::Act(TicketEvent::Finish)),
            (Screen::Desk, Shortcut::Function(9)) => Message::Desk(D::Act(TicketEvent::NoShow)),
            (Screen::Desk, Shortcut::Enter) if self.desk().is_some_and(|d| d.editing) => {
                Message::Desk(D::SaveDesk)
            }
            (Screen::Tally, Shortcut::Enter) => Message::Tally(tally::Message::Compute),
            (Screen::Appointments, Shortcut::Enter) => Message::Appointments(A::Submit),
            (Screen::Appointments, Shortcut::Down) => Message::Appointments(A::Next),
            (Screen::Appointments, Shortcut::Up) => Message::Appointments(A::Previous),
            (Screen::Appointments, Shortcut::PageUp) => Message::Appointments(A::PreviousDay),
            (Screen::Appointments, Shortcut::PageDown) => Message::Appointments(A::NextDay),
            // F3: a new booking, from the service (the booking half of the screen).
            (Screen::Appointments, Shortcut::Function(3)) => {
                let mut effects = self.step(Message::Appointments(A::NewBooking));
                effects.push(Effect::Focus(appointments::SERVICE_FIELD));
                return effects;
            }
            // F6: move the highlighted booking; the keyboard goes to its new slot, where Enter
            // moves it.
            (Screen::Appointments, Shortcut::Function(6)) => {
                let mut effects = self.step(Message::Appointments(A::Reschedule));
                if self.appointments().is_some_and(|a| a.moving.is_some()) {
                    effects.push(Effect::Focus(appointments::SLOT_FIELD));
                }
                return effects;
            }
            (Screen::Appointments, Shortcut::Function(8)) => Message::Appointments(A::Cancel),
            (Screen::Appointments, Shortcut::Escape) => {
                let mut effects = self.step(Message::Appointments(A::Escape));
                effects.push(Effect::Focus(appointments::FIRST_FIELD));
                return effects;
            }
            (_, Shortcut::Escape) => return vec![self.focus_first()],
            _ => return vec![],
        };
        self.step(message)
    }
}

/// Keys and clicks count as activity. Tab, Enter, the arrows and Escape become shortcuts
/// when no widget used them (a focused text field lets Tab through); Ctrl+L (Cmd+L) and the
/// function keys always are.
pub fn keys(
    event: iced::Event,
    status: iced::event::Status,
    _window: window::Id,
) -> Option<Message> {
    use keyboard::key::Named;
    match event {
        iced::Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) => {
            let free = status == iced::event::Status::Ignored;
            let shortcut = match key.as_ref() {
                keyboard::Key::Character("l") if modifiers.command() => Some(Shortcut::Lock),
                keyboard::Key::Character(c) if modifiers.command() => c
                    .parse::<u8>()
                    .ok()
                    .filter(|n| (1..=9).contains(n))
                    .map(Shortcut::Screen),
                keyboard::Key::Named(named) => match named {
                    Named::Tab if free && modifiers.shift() => Some(Shortcut::PreviousField),
                    Named::Tab if free => Some(Shortcut::NextField),
                    Named::Enter if free => Some(Shortcut::Enter),
                    Named::ArrowDown if free => Some(Shortcut::Down),
                    Named::ArrowUp if free => Some(Shortcut::Up),
                    // No field uses them: the agenda's days, wherever the focus is.
                    Named::PageUp => Some(Shortcut::PageUp),
                    Named::PageDown => Some(Shortcut::PageDown),
                    // A text field takes Escape to drop its focus: the screen puts it back.
                    Named::Escape => Some(Shortcut::Escape),
                    other => function_key(other).map(Shortcut::Function),
                },
                _ => None,
            };
            Some(Message::Key(shortcut))
        }
        iced::Event::Mouse(iced::mouse::Event::ButtonPressed(_))
        | iced::Event::Mouse(iced::mouse::Event::WheelScrolled { .. }) => Some(Message::Activity),
        _ => None,
    }
}

fn function_key(key: keyboard::key::Named) -> Option<u8> {
    use keyboard::key::Named::*;
    Some(match key {
        F1 => 1,
        F2 => 2,
        F3 => 3,
        F4 => 4,
        F5 => 5,
        F6 => 6,
        F7 => 7,
        F8 => 8,
        F9 => 9,
        F10 => 10,
        F11 => 11,
        F12 => 12,
        _ => return None,
    })
}
