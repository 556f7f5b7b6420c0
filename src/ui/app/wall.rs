//! The wall-screen PC: a PC in the waiting room whose main window is the display, full
//! screen, and nothing else.
//!
//! A wall-screen account's sign-in marks the PC (its settings) and keeps no session: the
//! display reads only the board (ticket numbers and desks), which needs nobody, so the PC
//! holds no secret, has no idle lock to trip over, and after a power cut comes back to the
//! wall by itself. One key answers: Ctrl+L brings a sign-in over the wall, where only an
//! administrator makes the PC a terminal again (Esc, or a minute untouched, goes back).

use chrono::{DateTime, Utc};
use iced::Element;

use super::{App, Effect, Job, Message, Shift, Shortcut};
use crate::domain::audit::AuditAction;
use crate::domain::staff::{Role, Session};
use crate::store::Principal;
use crate::ui::i18n::{T, t};
use crate::ui::{Ctx, display, focus, gate};

/// How long the sign-in over the wall stays untouched before the waiting room gets its
/// screen back.
pub const WALL_GATE_MINUTES: i64 = 1;

impl App {
    /// This PC is the waiting room's wall screen.
    pub fn is_wall_screen(&self) -> bool {
        self.settings.wall_screen
    }

    /// The administrator's sign-in is shown over the wall.
    pub fn wall_gate_open(&self) -> bool {
        self.is_wall_screen() && self.gate.mode == gate::Mode::LeaveWallScreen
    }

    /// Whether a sign-in is the wall screen's business: any made over the wall, and a
    /// wall-screen account's. An account whose password was reset chooses a new one first,
    /// as anyone does (the normal flow asks; `PasswordChanged` then brings the wall).
    pub(super) fn wall_takes(&self, session: &Session) -> bool {
        self.wall_gate_open() || (session.role == Role::WallScreen && !session.must_change_password)
    }

    /// A sign-in that `wall_takes`.
    pub(super) fn wall_signed_in(&mut self, session: Session) -> Vec<Effect> {
        match session.role {
            Role::WallScreen => self.become_wall_screen(),
            Role::Admin => {
                // Back to a terminal, in a window, with the administrator signed in.
                self.settings.wall_screen = false;
                self.gate.show(gate::Mode::SignIn);
                let mut effects = vec![self.save_settings(), Effect::FullScreen(false)];
                effects.extend(self.step(Message::SignedIn(Ok(session))));
                effects
            }
            _ => {
                // Someone else's password is right but not enough: their sign-in is closed
                // at once, and recorded so.
                let by = Principal {
                    staff: session.staff,
                    role: session.role,
                    terminal: self.terminal.clone(),
                };
                self.gate.answered(self.lang, Ok(()));
                self.gate.error = Some(t(self.lang, T::WallScreenAdminOnly).to_string());
                vec![
                    Effect::JobAs(Box::new(Job::Audit(AuditAction::SignOut)), Some(by)),
                    Effect::Focus(gate::PASSWORD),
                ]
            }
        }
    }

    /// Make this PC the wall screen: remembered, full screen, nobody signed in.
    pub(super) fn become_wall_screen(&mut self) -> Vec<Effect> {
        self.settings.wall_screen = true;
        // The main window is the display now: a second one would only repeat it.
        self.settings.display_open = false;
        self.shift = Shift::Gate;
        self.gate.answered(self.lang, Ok(()));
        self.gate.show(gate::Mode::SignIn);
        let mut effects = vec![
            self.save_settings(),
            Effect::FullScreen(true),
            self.refresh_job(),
        ];
        if self.display_window.is_some() {
            effects.push(Effect::CloseDisplay);
        }
        effects
    }

    /// A key on the wall screen. Only Ctrl+L does anything on the wall; over it, the form's
    /// own keys.
    pub(super) fn wall_key(
        &mut self,
        shortcut: Option<Shortcut>,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if !self.wall_gate_open() {
            if shortcut != Some(Shortcut::Lock) {
                return vec![];
            }
            self.gate.show(gate::Mode::LeaveWallScreen);
            self.gate.error = None;
            self.last_activity = now;
            return vec![Effect::Focus(gate::NAME)];
        }
        self.last_activity = now;
        match shortcut {
            Some(Shortcut::Escape) => {
                self.close_wall_gate();
                vec![]
            }
            Some(Shortcut::NextField) => vec![Effect::FocusNext],
            Some(Shortcut::PreviousField) => vec![Effect::FocusPrevious],
            Some(Shortcut::Enter) => self.step(Message::Gate(gate::Message::Submit)),
            _ => vec![],
        }
    }

    /// The sign-in over the wall left untouched goes, so the waiting room is not left
    /// looking at a form.
    pub(super) fn wall_idle(&mut self, now: DateTime<Utc>) {
        if self.wall_gate_open()
            && now - self.last_activity >= chrono::Duration::minutes(WALL_GATE_MINUTES)
        {
            self.close_wall_gate();
        }
    }

    fn close_wall_gate(&mut self) {
        self.gate.show(gate::Mode::SignIn);
        self.gate.error = None;
    }

    /// The main window of the wall screen: the display, or the sign-in over it. No tabs, no
    /// tools, no banner: nothing else is reachable from here.
    pub(super) fn wall_view<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        if self.wall_gate_open() {
            focus::Scope::new(self.gate.view(&ctx).map(Message::Gate)).into()
        } else {
            display::view(&ctx)
        }
    }
}
