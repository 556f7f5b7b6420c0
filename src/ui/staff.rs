//! The administrators' screen: staff accounts (create, reset a forgotten password, change a
//! role) and the terminal's settings. It shows no visitor content.

use iced::widget::{button, column, container, row, rule, scrollable, text, text_input};
use iced::{Alignment, Element, Length};

use super::Ctx;
use super::focus;
use super::i18n::{self, Lang, T, t};
use super::reception::Choice;
use super::widgets;

/// The name of a new account: where the administrator starts.
pub const FIRST_FIELD: &str = "staff-name";
use crate::domain::staff::{Role, validate_password, validate_staff_name};
use crate::domain::visitor::{FieldError, Problem};
use crate::store::{StaffAccount, StoreError};

fn role_choice(lang: Lang, role: Role) -> Choice<Role> {
    Choice {
        value: role,
        label: i18n::role_name(lang, role).to_string(),
    }
}

fn role_choices(lang: Lang) -> Vec<Choice<Role>> {
    Role::ACCOUNTS.map(|r| role_choice(lang, r)).to_vec()
}

#[derive(Debug, Clone)]
pub enum Message {
    Name(String),
    Role(Role),
    Password(String),
    Create,
    Reset(String),
    ChangeRole(String),
    IdleMinutes(String),
    SaveIdleMinutes,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    None,
    Create {
        name: String,
        role: Role,
        password: String,
    },
    ResetPassword {
        name: String,
        password: String,
    },
    SetRole {
        name: String,
        role: Role,
    },
    SaveIdleMinutes(u32),
}

/// What the store did for the screen.
#[derive(Debug, Clone)]
pub struct Done {
    pub notice: String,
    /// The accounts, fresh.
    pub accounts: Vec<StaffAccount>,
    /// The idle-lock minutes just saved, if that was the action.
    pub idle_minutes: Option<u32>,
}

pub struct State {
    pub accounts: Vec<StaffAccount>,
    pub name: String,
    pub role: Option<Role>,
    pub password: String,
    pub idle_minutes: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

impl State {
    pub fn new(idle_minutes: u32) -> State {
        State {
            accounts: Vec::new(),
            name: String::new(),
            role: Some(Role::Reception),
            password: String::new(),
            idle_minutes: idle_minutes.to_string(),
            error: None,
            notice: None,
        }
    }

    pub fn update(&mut self, message: Message, ctx: &Ctx<'_>) -> Action {
        let lang = ctx.lang;
        let checked = |s: &mut State, r: Result<Action, FieldError>| match r {
            Ok(a) => {
                s.error = None;
                a
            }
            Err(e) => {
                s.error = Some(super::errors::field_error(lang, &e));
                Action::None
            }
        };
        match message {
            Message::Name(s) => self.name = s,
            Message::Role(r) => self.role = Some(r),
            Message::Password(s) => self.password = s,
            Message::IdleMinutes(s) => self.idle_minutes = s,
            Message::Create => {
                let r = (|| {
                    let name = validate_staff_name(&self.name)?;
                    validate_password(&self.password)?;
                    let role = self.role.ok_or_else(|| {
                        FieldError::of("role", Problem::NotChosen, "is not chosen")
                    })?;
                    Ok(Action::Create {
                        name,
                        role,
                        password: self.password.clone(),
                    })
                })();
                return checked(self, r);
            }
            Message::Reset(name) => {
                let r = validate_password(&self.password).map(|()| Action::ResetPassword {
                    name,
                    password: self.password.clone(),
                });
                return checked(self, r);
            }
            Message::ChangeRole(name) => {
                let r = self
                    .role
                    .ok_or_else(|| FieldError::of("role", Problem::NotChosen, "is not chosen"))
                    .map(|role| Action::SetRole { name, role });
                return checked(self, r);
            }
            Message::SaveIdleMinutes => {
                let r = match self.idle_minutes.trim().parse::<u32>() {
                    Ok(m) if (1..=60).contains(&m) => Ok(Action::SaveIdleMinutes(m)),
                    _ => Err(FieldError::of(
                        "idle_minutes",
                        Problem::OutOfRange { min: 1, max: 60 },
                        "must be a number of minutes from 1 to 60",
                    )),
                };
                return checked(self, r);
            }
        }
        Action::None
    }

    /// The store answered an action; `accounts` is the fresh list.
    pub fn done(&mut self, lang: Lang, result: Result<Done, StoreError>) {
        match result {
            Ok(Done {
                notice, accounts, ..
            }) => {
                self.accounts = accounts;
                self.notice = (!notice.is_empty()).then_some(notice);
                self.error = None;
                self.password.clear();
            }
            Err(e) => self.error = Some(super::errors::store_error(lang, &e)),
        }
    }

    pub fn view<'a>(&'a self, ctx: &Ctx<'a>) -> Element<'a, Message> {
        let lang = ctx.lang;
        // One slot for the message, always in the tree: it never shifts the fields below.
        let message = match (&self.error, &self.notice) {
            (Some(e), _) => widgets::banner(e.clone(), widgets::Tone::Bad),
            (None, Some(n)) => widgets::banner(n.clone(), widgets::Tone::Good),
            (None, None) => widgets::banner_slot(None, widgets::Tone::Good),
        };
        let mut page = column![text(t(lang, T::StaffAccounts)).size(24), message].spacing(12);
        page = page.push(
            row![
                text_input(t(lang, T::StaffName), &self.name)
                    .id(FIRST_FIELD)
                    .on_input(Message::Name)
                    .on_submit(Message::Create)
                    .style(focus::input_style)
                    .padding(8),
                container(focus::choice(
                    "staff-role",
                    role_choices(lang),
                    self.role.map(|r| role_choice(lang, r)),
                    |c| Message::Role(c.value),
                    "",
                ))
                .width(180),
                text_input(t(lang, T::Password), &self.password)
                    .id("staff-password")
                    .secure(true)
                    .on_input(Message::Password)
                    .on_submit(Message::Create)
                    .style(focus::input_style)
                    .padding(8),
                focus::button(
                    "staff-create",
                    button(text(t(lang, T::CreateAccount))),
                    Some(Message::Create)
                ),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );
        page = page.push(text(t(lang, T::ResetNote)).size(13));
        let mut list = column![].spacing(6);
        for a in &self.accounts {
            let state = match a.locked_until {
                Some(_) => t(lang, T::AccountLocked),
                None if a.must_change => t(lang, T::MustChange),
                None => "",
            };
            list = list.push(
                row![
                    text(a.name.as_str()).size(17).width(220),
                    text(i18n::role_name(lang, a.role)).width(120),
                    text(state).width(200),
                    focus::button(
                        format!("staff-reset-{}", a.name),
                        button(text(t(lang, T::ResetPassword))).style(button::secondary),
                        Some(Message::Reset(a.name.clone())),
                    ),
                    focus::button(
                        format!("staff-role-{}", a.name),
                        button(text(t(lang, T::ChangeRole))).style(button::secondary),
                        Some(Message::ChangeRole(a.name.clone())),
                    ),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
            );
        }
        page = page.push(scrollable(list).height(Length::Fill));
        page = page.push(rule::horizontal(1));
        page = page.push(
            row![
                text(t(lang, T::IdleLockMinutes)),
                text_input("3", &self.idle_minutes)
                    .id("idle-minutes")
                    .on_input(Message::IdleMinutes)
                    .on_submit(Message::SaveIdleMinutes)
                    .style(focus::input_style)
                    .width(80)
                    .padding(6),
                focus::button(
                    "idle-save",
                    button(text(t(lang, T::Save))),
                    Some(Message::SaveIdleMinutes)
                ),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );
        page.into()
    }
}
