//! The gate in front of every screen: the first start's administrator account, signing in,
//! the lock after idle minutes (or Ctrl+L), and the new password after an administrator's
//! reset. Nothing behind it is drawn while it is shown.

use iced::widget::{button, column, container, text, text_input};
use iced::{Alignment, Element, Length};

use super::Ctx;
use super::errors;
use super::focus;
use super::i18n::{Lang, T, t};
use super::widgets;
use crate::domain::staff::validate_password;
use crate::domain::visitor::{FieldError, Problem};
use crate::store::StoreError;

/// Which form the gate shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Waiting to learn whether any account exists.
    Checking,
    /// No account yet: create the administrator.
    FirstAdmin,
    SignIn,
    /// `staff` stepped away: their password unlocks; anyone else signs in afresh.
    Locked {
        staff: String,
    },
    /// An administrator reset this password: choose a new one.
    NewPassword,
    /// The register is encrypted and no passphrase came with the start.
    Passphrase,
    /// Over the wall screen (Ctrl+L): an administrator signs in to make this PC a terminal
    /// again; Esc goes back to the screen.
    LeaveWallScreen,
}

#[derive(Debug, Clone)]
pub enum Message {
    Name(String),
    Password(String),
    Repeat(String),
    Submit,
    /// From the lock: sign in as someone else.
    SomeoneElse,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    None,
    CreateFirstAdmin { name: String, password: String },
    SignIn { name: String, password: String },
    ChangePassword { password: String },
    Unlock { passphrase: String },
}

pub struct State {
    pub mode: Mode,
    pub name: String,
    pub password: String,
    pub repeat: String,
    pub error: Option<String>,
    /// The error is about the name (shown under it); anything else shows under the password.
    error_on_name: bool,
    /// The repetition differs from the password: the repetition is typed again.
    repeat_wrong: bool,
    pub busy: bool,
}

impl Default for State {
    fn default() -> State {
        State {
            mode: Mode::Checking,
            name: String::new(),
            password: String::new(),
            repeat: String::new(),
            error: None,
            error_on_name: false,
            repeat_wrong: false,
            busy: false,
        }
    }
}

impl State {
    pub fn show(&mut self, mode: Mode) {
        if let Mode::Locked { staff } = &mode {
            self.name = staff.clone();
        } else if mode != Mode::NewPassword {
            self.name.clear();
        }
        self.mode = mode;
        self.password.clear();
        self.repeat.clear();
        self.busy = false;
    }

    /// The field the form opens in, and returns to after a refusal: the name where one is
    /// asked, else the password.
    pub fn first_field(&self) -> &'static str {
        match self.mode {
            Mode::FirstAdmin | Mode::SignIn | Mode::LeaveWallScreen => NAME,
            _ => PASSWORD,
        }
    }

    /// Where the typing goes after a refusal: the field the error is about. A wrong password
    /// keeps the focus in the password field, so the next try is never typed into the
    /// name field in clear.
    pub fn field_after_error(&self) -> &'static str {
        if self.error_on_name
            && matches!(
                self.mode,
                Mode::FirstAdmin | Mode::SignIn | Mode::LeaveWallScreen
            )
        {
            NAME
        } else if self.repeat_wrong {
            REPEAT
        } else {
            PASSWORD
        }
    }

    pub fn update(&mut self, message: Message, ctx: &Ctx<'_>) -> Action {
        let lang = ctx.lang;
        match message {
            Message::Name(s) => {
                self.name = s;
                if self.error_on_name {
                    self.error = None;
                }
            }
            Message::Password(s) => {
                self.password = s;
                if !self.error_on_name {
                    self.error = None;
                }
            }
            Message::Repeat(s) => self.repeat = s,
            Message::SomeoneElse => {
                self.error = None;
                self.show(Mode::SignIn);
            }
            Message::Submit => {
                if self.busy {
                    return Action::None;
                }
                match self.submit() {
                    Ok(Action::None) => {}
                    Ok(action) => {
                        self.error = None;
                        self.busy = true;
                        return action;
                    }
                    Err(e) => {
                        self.error_on_name = e.field == "name";
                        self.repeat_wrong = e.problem == Problem::Mismatch;
                        if self.repeat_wrong {
                            // Typed again from an empty field, where the focus goes.
                            self.repeat.clear();
                        } else if !self.error_on_name {
                            self.password.clear();
                            self.repeat.clear();
                        }
                        self.error = Some(errors::field_error(lang, &e));
                    }
                }
            }
        }
        Action::None
    }

    fn submit(&self) -> Result<Action, FieldError> {
        let name = self.name.trim().to_string();
        let password = self.password.clone();
        match self.mode {
            Mode::Checking => Ok(Action::None),
            Mode::FirstAdmin | Mode::NewPassword => {
                if self.mode == Mode::FirstAdmin && name.is_empty() {
                    return Err(FieldError::of("name", Problem::Empty, "is empty"));
                }
                validate_password(&password)?;
                if password != self.repeat {
                    return Err(FieldError::of(
                        "password",
                        Problem::Mismatch,
                        "the two passwords differ",
                    ));
                }
                Ok(if self.mode == Mode::FirstAdmin {
                    Action::CreateFirstAdmin { name, password }
                } else {
                    Action::ChangePassword { password }
                })
            }
            Mode::Passphrase => Ok(Action::Unlock {
                passphrase: password,
            }),
            Mode::SignIn | Mode::Locked { .. } | Mode::LeaveWallScreen => {
                if name.is_empty() {
                    return Err(FieldError::of("name", Problem::Empty, "is empty"));
                }
                Ok(Action::SignIn { name, password })
            }
        }
    }

    /// The answer to a submitted form: `Err` shows the message (in the staff's language)
    /// under the password and keeps the name.
    pub fn answered(&mut self, lang: Lang, result: Result<(), StoreError>) {
        self.busy = false;
        self.password.clear();
        self.repeat.clear();
        self.error_on_name = false;
        self.repeat_wrong = false;
        self.error = result.err().map(|e| super::errors::store_error(lang, &e));
    }

    pub fn view<'a>(&'a self, ctx: &Ctx<'a>) -> Element<'a, Message> {
        let lang = ctx.lang;
        let (title, note) = match &self.mode {
            Mode::Checking => (t(lang, T::Opening), None),
            Mode::FirstAdmin => (
                t(lang, T::FirstAdminTitle),
                Some(t(lang, T::FirstAdminNote)),
            ),
            Mode::SignIn => (t(lang, T::SignInTitle), None),
            Mode::Locked { .. } => (t(lang, T::LockedTitle), Some(t(lang, T::LockedNote))),
            Mode::Passphrase => (
                t(lang, T::PassphraseTitle),
                Some(t(lang, T::PassphraseNote)),
            ),
            Mode::NewPassword => (
                t(lang, T::NewPasswordTitle),
                Some(t(lang, T::NewPasswordNote)),
            ),
            Mode::LeaveWallScreen => (
                t(lang, T::WallScreenTitle),
                Some(t(lang, T::WallScreenNote)),
            ),
        };
        let mut form = column![text(title).size(28)].spacing(14).width(420);
        if let Some(note) = note {
            form = form.push(text(note).size(15));
        }
        if self.mode == Mode::Checking {
            return centered(form.into());
        }
        // Each field carries its own error slot under it: the fields keep their place in the
        // widget tree whatever is shown, so an error never moves the focus.
        let field = |label: T,
                     id: &'static str,
                     value: &'a str,
                     secure: bool,
                     on: fn(String) -> Message,
                     error: Option<String>| {
            column![
                text(t(lang, label)).size(14),
                text_input("", value)
                    .id(id)
                    .secure(secure)
                    .on_input(on)
                    .on_submit(Message::Submit)
                    .style(focus::input_style)
                    .padding(8)
                    .size(18),
                widgets::banner_slot(error, widgets::Tone::Bad),
            ]
            .spacing(4)
        };
        let name_error = self.error.clone().filter(|_| self.error_on_name);
        let other_error = self.error.clone().filter(|_| !self.error_on_name);
        match &self.mode {
            Mode::Locked { staff } => {
                form = form.push(text(staff.as_str()).size(20));
            }
            Mode::NewPassword | Mode::Passphrase => {}
            _ => {
                form = form.push(field(
                    T::StaffName,
                    NAME,
                    &self.name,
                    false,
                    Message::Name,
                    name_error,
                ))
            }
        }
        let repeat = matches!(self.mode, Mode::FirstAdmin | Mode::NewPassword);
        form = form.push(field(
            T::Password,
            PASSWORD,
            &self.password,
            true,
            Message::Password,
            if repeat { None } else { other_error.clone() },
        ));
        if repeat {
            form = form.push(field(
                T::RepeatPassword,
                REPEAT,
                &self.repeat,
                true,
                Message::Repeat,
                other_error,
            ));
        }
        let label = match self.mode {
            Mode::FirstAdmin => T::CreateAdmin,
            Mode::Locked { .. } | Mode::Passphrase => T::Unlock,
            Mode::NewPassword => T::SavePassword,
            _ => T::SignIn,
        };
        form = form.push(focus::button(
            "gate-submit",
            button(text(t(lang, label)).size(18)).padding([8, 16]),
            (!self.busy).then_some(Message::Submit),
        ));
        if matches!(self.mode, Mode::Locked { .. }) {
            form = form.push(focus::button(
                "gate-someone-else",
                button(text(t(lang, T::SomeoneElse))).style(button::text),
                Some(Message::SomeoneElse),
            ));
        }
        centered(form.into())
    }
}

/// The gate's name and password fields, for focus.
pub const NAME: &str = "gate-name";
pub const PASSWORD: &str = "gate-password";
pub const REPEAT: &str = "gate-repeat";

fn centered(content: Element<'_, Message>) -> Element<'_, Message> {
    container(content)
        .width(Length::Fill)
        .height(Length::Fill)
        .align_x(Alignment::Center)
        .align_y(Alignment::Center)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_check_before_asking_the_store() {
        let today = super::super::today::Today::default();
        let ctx = Ctx {
            lang: Lang::En,
            today: &today,
            now: chrono::DateTime::<chrono::Utc>::MIN_UTC,
        };
        let mut gate = State::default();
        gate.show(Mode::FirstAdmin);
        gate.update(Message::Name("admin".into()), &ctx);
        gate.update(Message::Password("a long secret".into()), &ctx);
        gate.update(Message::Repeat("a long secreT".into()), &ctx);
        assert_eq!(gate.update(Message::Submit, &ctx), Action::None);
        assert!(gate.error.as_deref().is_some_and(|e| e.contains("differ")));
        gate.update(Message::Repeat("a long secret".into()), &ctx);
        assert_eq!(
            gate.update(Message::Submit, &ctx),
            Action::CreateFirstAdmin {
                name: "admin".into(),
                password: "a long secret".into()
            }
        );
        // A second Enter while the store works does nothing.
        assert_eq!(gate.update(Message::Submit, &ctx), Action::None);

        gate.show(Mode::Locked {
            staff: "Amina".into(),
        });
        gate.update(Message::Password("reception pass".into()), &ctx);
        assert_eq!(
            gate.update(Message::Submit, &ctx),
            Action::SignIn {
                name: "Amina".into(),
                password: "reception pass".into()
            }
        );
        gate.answered(Lang::En, Err(StoreError::SignInRefused));
        assert_eq!(gate.name, "Amina");
        assert!(gate.password.is_empty());
    }
}
