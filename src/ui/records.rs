//! The coordinators' records screen: the audit trail of a day (and its export), the rights of
//! a person (export everything held, erase), and merging two records of one person (and the
//! undo). Administrators see the trail only.

use std::path::PathBuf;

use chrono::NaiveDate;
use iced::widget::{button, column, row, rule, scrollable, text, text_input};
use iced::{Alignment, Element, Length};

use super::i18n::{self, Lang, T, t};
use super::{Ctx, focus, local_time, widgets};
use crate::domain::audit::AuditEntry;
use crate::domain::staff::{Permission, Role};
use crate::domain::visitor::{FieldError, Problem, parse_typed_day};
use crate::store::StoreError;

#[derive(Debug, Clone)]
pub enum Message {
    Day(String),
    LoadTrail,
    ExportTrail,
    Who(String),
    ExportVisitor,
    Erase,
    ConfirmErase,
    CancelErase,
    MergeFrom(String),
    MergeInto(String),
    Merge,
    UndoNumber(String),
    Undo,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    None,
    LoadTrail(NaiveDate),
    ExportTrail(NaiveDate),
    ExportVisitor(String),
    Erase(String),
    Merge { from: String, into: String },
    Undo(i64),
}

impl Action {
    /// What the acting role must be allowed.
    pub fn permission(&self) -> Option<Permission> {
        match self {
            Action::None => None,
            Action::LoadTrail(_) | Action::ExportTrail(_) => Some(Permission::ReadAudit),
            Action::ExportVisitor(_) => Some(Permission::AccessRequest),
            Action::Erase(_) => Some(Permission::Erase),
            Action::Merge { .. } | Action::Undo(_) => Some(Permission::Merge),
        }
    }
}

/// What the store did.
#[derive(Debug, Clone)]
pub enum Done {
    Trail(Vec<AuditEntry>),
    Exported(PathBuf),
    Erased {
        code: String,
        records: u64,
    },
    Merged {
        merge: i64,
        from: String,
        into: String,
    },
    Undone(i64),
}

pub struct State {
    pub day: String,
    pub trail: Vec<AuditEntry>,
    pub who: String,
    /// Erasing waits for a second, explicit press.
    pub confirm_erase: bool,
    pub merge_from: String,
    pub merge_into: String,
    pub undo: String,
    pub notice: Option<String>,
    pub error: Option<String>,
}

impl State {
    pub fn new(today: NaiveDate) -> State {
        State {
            day: today.to_string(),
            trail: Vec::new(),
            who: String::new(),
            confirm_erase: false,
            merge_from: String::new(),
            merge_into: String::new(),
            undo: String::new(),
            notice: None,
            error: None,
        }
    }

    pub fn update(&mut self, message: Message, ctx: &Ctx<'_>) -> Action {
        let lang = ctx.lang;
        let result: Result<Action, FieldError> =
            match message {
                Message::Day(s) => {
                    self.day = s;
                    Ok(Action::None)
                }
                Message::LoadTrail => self.parse_day().map(Action::LoadTrail),
                Message::ExportTrail => self.parse_day().map(Action::ExportTrail),
                Message::Who(s) => {
                    self.who = s;
                    self.confirm_erase = false;
                    Ok(Action::None)
                }
                Message::ExportVisitor => self.reference().map(Action::ExportVisitor),
                Message::Erase => self.reference().map(|_| {
                    self.confirm_erase = true;
                    Action::None
                }),
                Message::CancelErase => {
                    self.confirm_erase = false;
                    Ok(Action::None)
                }
                Message::ConfirmErase => {
                    self.confirm_erase = false;
                    self.reference().map(Action::Erase)
                }
                Message::MergeFrom(s) => {
                    self.merge_from = s;
                    Ok(Action::None)
                }
                Message::MergeInto(s) => {
                    self.merge_into = s;
                    Ok(Action::None)
                }
                Message::Merge => {
                    let (from, into) = (self.merge_from.trim(), self.merge_into.trim());
                    if from.is_empty() || into.is_empty() {
                        Err(FieldError::of(
                            "merge",
                            Problem::Empty,
                            "give both visitor codes",
                        ))
                    } else {
                        Ok(Action::Merge {
                            from: from.to_string(),
                            into: into.to_string(),
                        })
                    }
                }
                Message::UndoNumber(s) => {
                    self.undo = s;
                    Ok(Action::None)
                }
                Message::Undo => self.undo.trim().parse().map(Action::Undo).map_err(|_| {
                    FieldError::of("undo", Problem::NotANumber, "is not a merge number")
                }),
            };
        match result {
            Ok(action) => {
                if action != Action::None {
                    self.error = None;
                }
                action
            }
            Err(e) => {
                self.error = Some(super::errors::field_error(lang, &e));
                Action::None
            }
        }
    }

    fn parse_day(&self) -> Result<NaiveDate, FieldError> {
        parse_typed_day(&self.day).ok_or_else(|| {
            FieldError::of(
                "day",
                Problem::NotADate,
                format!("'{}' is not a date", self.day.trim()),
            )
        })
    }

    fn reference(&self) -> Result<String, FieldError> {
        let who = self.who.trim();
        if who.is_empty() {
            return Err(FieldError::of(
                "visitor",
                Problem::Empty,
                "give the code on the visitor's card",
            ));
        }
        Ok(who.to_string())
    }

    pub fn done(&mut self, lang: Lang, result: Result<Done, StoreError>) {
        match result {
            Ok(Done::Trail(entries)) => {
                self.notice = None;
                self.trail = entries;
            }
            Ok(Done::Exported(path)) => {
                self.notice = Some(format!("{} {}", t(lang, T::ExportedTo), path.display()));
            }
            Ok(Done::Erased { code, records }) => {
                self.who.clear();
                self.notice = Some(format!("{code}: {} ({records})", t(lang, T::Erased)));
            }
            Ok(Done::Merged { merge, from, into }) => {
                self.merge_from.clear();
                self.merge_into.clear();
                self.undo = merge.to_string();
                self.notice = Some(format!(
                    "{from} → {into}: {} {merge}",
                    t(lang, T::MergedNumber)
                ));
            }
            Ok(Done::Undone(merge)) => {
                self.notice = Some(format!("{} {merge}", t(lang, T::MergeUndone)));
            }
            Err(e) => self.error = Some(super::errors::store_error(lang, &e)),
        }
        if self.error.is_some() {
            self.notice = None;
        }
    }

    /// Where the keyboard starts: the person's code for coordinators, the day of the trail
    /// for administrators (who see only the trail).
    pub fn first_field(role: Role) -> &'static str {
        if role.may(Permission::AccessRequest) {
            "records-visitor"
        } else {
            "audit-day"
        }
    }

    pub fn view<'a>(&'a self, ctx: &Ctx<'a>, role: Role) -> Element<'a, Message> {
        let lang = ctx.lang;
        // One slot for the message, always in the tree: it never shifts the fields below.
        let message = match (&self.error, &self.notice) {
            (Some(e), _) => widgets::banner(e.clone(), widgets::Tone::Bad),
            (None, Some(n)) => widgets::banner(n.clone(), widgets::Tone::Good),
            (None, None) => widgets::banner_slot(None, widgets::Tone::Good),
        };
        let mut page = column![message].spacing(12);
        if role.may(Permission::AccessRequest) {
            let mut person = row![
                text(t(lang, T::PersonRequests)).size(18).width(200),
                text_input("V-000123", &self.who)
                    .id("records-visitor")
                    .style(focus::input_style)
                    .on_input(Message::Who)
                    .width(160)
                    .padding(6),
                focus::button(
                    "records-export",
                    button(text(t(lang, T::ExportData))),
                    Some(Message::ExportVisitor)
                ),
            ]
            .spacing(8)
            .align_y(Alignment::Center);
            person = if self.confirm_erase {
                person
                    .push(focus::button(
                        "records-confirm-erase",
                        button(text(t(lang, T::ConfirmErase))).style(button::danger),
                        Some(Message::ConfirmErase),
                    ))
                    .push(focus::button(
                        "records-cancel-erase",
                        button(text(t(lang, T::Cancel))),
                        Some(Message::CancelErase),
                    ))
            } else {
                person.push(focus::button(
                    "records-erase",
                    button(text(t(lang, T::EraseData))).style(button::secondary),
                    Some(Message::Erase),
                ))
            };
            page = page.push(person);
        }
        if role.may(Permission::Merge) {
            page = page.push(
                row![
                    text(t(lang, T::MergeRecords)).size(18).width(200),
                    text_input("V-000456", &self.merge_from)
                        .id("merge-from")
                        .style(focus::input_style)
                        .on_input(Message::MergeFrom)
                        .width(120)
                        .padding(6),
                    text("→"),
                    text_input("V-000123", &self.merge_into)
                        .id("merge-into")
                        .style(focus::input_style)
                        .on_input(Message::MergeInto)
                        .width(120)
                        .padding(6),
                    focus::button(
                        "records-merge",
                        button(text(t(lang, T::Merge))),
                        Some(Message::Merge)
                    ),
                    text_input("n.", &self.undo)
                        .id("merge-undo")
                        .style(focus::input_style)
                        .on_input(Message::UndoNumber)
                        .on_submit(Message::Undo)
                        .width(60)
                        .padding(6),
                    focus::button(
                        "records-undo",
                        button(text(t(lang, T::UndoMerge))).style(button::secondary),
                        Some(Message::Undo)
                    ),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
            );
        }
        page = page.push(rule::horizontal(1));
        page = page.push(
            row![
                text(t(lang, T::AuditTrail)).size(18).width(200),
                text_input("YYYY-MM-DD", &self.day)
                    .id("audit-day")
                    .style(focus::input_style)
                    .on_input(Message::Day)
                    .on_submit(Message::LoadTrail)
                    .width(140)
                    .padding(6),
                focus::button(
                    "audit-show",
                    button(text(t(lang, T::Show))),
                    Some(Message::LoadTrail)
                ),
                focus::button(
                    "audit-export",
                    button(text(t(lang, T::ExportCsv))).style(button::secondary),
                    Some(Message::ExportTrail)
                ),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );
        let mut list = column![].spacing(4);
        for e in &self.trail {
            list = list.push(
                row![
                    text(local_time(e.at)).width(60),
                    text(format!("{} ({})", e.staff, role_label(lang, &e.role))).width(260),
                    text(e.terminal.as_str()).width(200),
                    text(i18n::audit_action_name(lang, &e.action)).width(130),
                    text(e.record.as_deref().unwrap_or("")).width(Length::Fill),
                    text(e.fields.join(", ")).width(200),
                ]
                .spacing(8),
            );
        }
        page.push(scrollable(list).height(Length::Fill)).into()
    }
}

/// The trail stores a role as its code; one it does not know (a newer version's) shows as is.
fn role_label(lang: Lang, code: &str) -> &str {
    code.parse::<Role>()
        .map_or(code, |role| i18n::role_name(lang, role))
}
