//! The gate in front of every screen: the first start's administrator account, signing in,
//! the lock after idle minutes (or Ctrl+L), and the new password after an administrator's
//! reset. Nothing behind it is drawn while it is shown.

use iced::widget::{button, column, container, text, text_input};
use iced::{Alignment, Element, Length};

use super::Ctx;
use super::i18n::{T, t};
use super::widgets;
use crate::domain::staff::validate_password;
use crate::domain::visitor::FieldError;

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

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Name(s) => self.name = s,
            Message::Password(s) => self.password = s,
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
                    Err(e) => self.error = Some(e.to_string()),
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
                    return Err(FieldError::new("name", "is empty"));
                }
                validate_password(&password)?;
                if password != self.repeat {
                    return Err(FieldError::new("password", "the two passwords differ"));
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
            Mode::SignIn | Mode::Locked { .. } => {
                if name.is_empty() {
                    return Err(FieldError::new("name", "is empty"));
                }
                Ok(Action::SignIn { name, password })
            }
        }
    }

    /// The answer to a submitted form: `Err` shows the message and keeps the name.
    pub fn answered(&mut self, result: Result<(), String>) {
        self.busy = false;
        self.password.clear();
        self.repeat.clear();
        self.error = result.err();
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
        };
        let mut form = column![text(title).size(28)].spacing(14).width(420);
        if let Some(note) = note {
            form = form.push(text(note).size(15));
        }
        if let Some(e) = &self.error {
            form = form.push(widgets::banner(e.clone(), widgets::Tone::Bad));
        }
        if self.mode == Mode::Checking {
            return centered(form.into());
        }
        let field = |label: T,
                     id: &'static str,
                     value: &'a str,
                     secure: bool,
                     on: fn(String) -> Message| {
            column![
                text(t(lang, label)).size(14),
                text_input("", value)
                    .id(id)
                    .secure(secure)
                    .on_input(on)
                    .on_submit(Message::Submit)
                    .padding(8)
                    .size(18),
            ]
            .spacing(4)
        };
        match &self.mode {
            Mode::Locked { staff } => {
                form = form.push(text(staff.as_str()).size(20));
            }
            Mode::NewPassword => {}
            _ => {
                form = form.push(field(
                    T::StaffName,
                    "gate-name",
                    &self.name,
                    false,
                    Message::Name,
                ))
            }
        }
        form = form.push(field(
            T::Password,
            "gate-password",
            &self.password,
            true,
            Message::Password,
        ));
        if matches!(self.mode, Mode::FirstAdmin | Mode::NewPassword) {
            form = form.push(field(
                T::RepeatPassword,
                "gate-repeat",
                &self.repeat,
                true,
                Message::Repeat,
            ));
        }
        let label = match self.mode {
            Mode::FirstAdmin => T::CreateAdmin,
            Mode::Locked { .. } | Mode::Passphrase => T::Unlock,
            Mode::NewPassword => T::SavePassword,
            _ => T::SignIn,
        };
        form = form.push(
            button(text(t(lang, label)).size(18))
                .padding([8, 16])
                .on_press_maybe((!self.busy).then_some(Message::Submit)),
        );
        if matches!(self.mode, Mode::Locked { .. }) {
            form = form.push(
                button(text(t(lang, T::SomeoneElse)))
                    .style(button::text)
                    .on_press(Message::SomeoneElse),
            );
        }
        centered(form.into())
    }
}

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
        let mut gate = State::default();
        gate.show(Mode::FirstAdmin);
        gate.update(Message::Name("admin".into()));
        gate.update(Message::Password("a long secret".into()));
        gate.update(Message::Repeat("a long secreT".into()));
        assert_eq!(gate.update(Message::Submit), Action::None);
        assert!(gate.error.as_deref().is_some_and(|e| e.contains("differ")));
        gate.update(Message::Repeat("a long secret".into()));
        assert_eq!(
            gate.update(Message::Submit),
            Action::CreateFirstAdmin {
                name: "admin".into(),
                password: "a long secret".into()
            }
        );
        // A second Enter while the store works does nothing.
        assert_eq!(gate.update(Message::Submit), Action::None);

        gate.show(Mode::Locked {
            staff: "Amina".into(),
        });
        gate.update(Message::Password("reception pass".into()));
        assert_eq!(
            gate.update(Message::Submit),
            Action::SignIn {
                name: "Amina".into(),
                password: "reception pass".into()
            }
        );
        gate.answered(Err("wrong name or password".into()));
        assert_eq!(gate.name, "Amina");
        assert!(gate.password.is_empty());
    }
}
