//! Reception: register a walk-in in seconds, a returning visitor in a few keystrokes.

use std::fmt;

use iced::widget::{
    button, checkbox, column, container, row, rule, scrollable, space, text, text_input,
};
use iced::{Alignment, Element, Font, Length};
use uuid::Uuid;

use super::Ctx;
use super::errors;
use super::focus;
use super::i18n::{self, Lang, T, msg, t};
use super::widgets;
use crate::domain::access::{proposed_queue, route};
use crate::domain::hours::{ClosedReason, OpeningHours, WalkInStatus, rome_day};
use crate::domain::matching::BirthQuery;
use crate::domain::reference;
use crate::domain::visitor::{
    FieldError, Problem, Visitor, VisitorDetails, parse_languages, parse_typed_birth_date,
    validate_name,
};
use crate::domain::{Channel, Priority, Queue, Sex};
use crate::store::{Candidate, Registered, Registration, StoreError, VisitorChoice};

/// Minutes a visit needs: a walk-in arriving later than this before closing is warned about.
pub const MIN_VISIT_MINUTES: i64 = 30;

/// A choice in a list, shown in the operator's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice<V> {
    pub value: V,
    pub label: String,
}

impl<V> fmt::Display for Choice<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

pub fn sex_choices(lang: Lang) -> Vec<Choice<Sex>> {
    Sex::ALL
        .iter()
        .map(|s| Choice {
            value: *s,
            label: i18n::sex_name(lang, *s).to_string(),
        })
        .collect()
}

pub fn channel_choices(lang: Lang) -> Vec<Choice<Channel>> {
    [Channel::WalkIn, Channel::Appointment]
        .iter()
        .map(|c| Choice {
            value: *c,
            label: i18n::channel_name(lang, *c).to_string(),
        })
        .collect()
}

pub fn service_choices(lang: Lang) -> Vec<Choice<String>> {
    reference::services()
        .iter()
        .map(|s| Choice {
            value: s.code.clone(),
            label: i18n::service_name(lang, &s.code),
        })
        .collect()
}

pub fn priority_choices(lang: Lang) -> Vec<Choice<Option<Priority>>> {
    std::iter::once(Choice {
        value: None,
        label: t(lang, T::NoPriority).to_string(),
    })
    .chain(Priority::ALL.iter().map(|p| Choice {
        value: Some(*p),
        label: i18n::priority_name(lang, *p).to_string(),
    }))
    .collect()
}

pub fn queue_choices(lang: Lang) -> Vec<Choice<Option<Queue>>> {
    std::iter::once(Choice {
        value: None,
        label: t(lang, T::KeepProposed).to_string(),
    })
    .chain(Queue::ALL.iter().map(|q| Choice {
        value: Some(*q),
        label: i18n::queue_name(lang, *q).to_string(),
    }))
    .collect()
}

fn country_choices(lang: Lang) -> Vec<Choice<String>> {
    let mut all: Vec<Choice<String>> = reference::countries()
        .iter()
        .map(|c| Choice {
            value: c.code.clone(),
            label: format!("{} ({})", i18n::country_name(lang, &c.code), c.code),
        })
        .collect();
    all.sort_by(|a, b| a.label.cmp(&b.label));
    all
}

fn choice_for<V: PartialEq + Clone>(choices: Vec<Choice<V>>, value: &V) -> Option<Choice<V>> {
    choices.into_iter().find(|c| &c.value == value)
}

#[derive(Debug, Clone)]
pub enum Message {
    FamilyName(String),
    GivenName(String),
    BirthDate(String),
    Sex(Choice<Sex>),
    Country(Choice<String>),
    Languages(String),
    SaiGuest(bool),
    Channel(Choice<Channel>),
    Service(Choice<String>),
    Priority(Choice<Option<Priority>>),
    OverrideQueue(Choice<Option<Queue>>),
    OverrideReason(String),
    /// The debounce delay of a search ended.
    SearchDue(u64),
    Pick(Uuid),
    Unpick,
    /// The arrows move through the candidates; Enter then confirms the one highlighted.
    NextCandidate,
    PreviousCandidate,
    Submit,
    Clear,
    /// Escape: leave the candidates if one is highlighted, else clear the form.
    Escape,
}

/// The family name field: where reception starts, and returns after each ticket.
pub const FIRST_FIELD: &str = "family-name";
/// The field after a returning visitor is confirmed: the service is all that is left.
pub const SERVICE_FIELD: &str = "service";

/// A search for the names typed so far; `generation` tells a stale answer from a fresh one.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub generation: u64,
    pub family_name: String,
    pub given_name: String,
    pub birth: BirthQuery,
}

/// What reception asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    None,
    /// Wait a moment, then send `SearchDue(generation)`: typing fast searches once.
    ScheduleSearch(u64),
    Search(SearchRequest),
    LoadVisitor(Uuid),
    Register(Registration),
}

pub struct State {
    pub family_name: String,
    pub given_name: String,
    pub birth_date: String,
    pub sex: Sex,
    pub country: Option<String>,
    countries: Vec<Choice<String>>,
    lang: Lang,
    pub languages: String,
    pub sai_guest: bool,
    pub channel: Channel,
    pub service: Option<String>,
    pub priority: Option<Priority>,
    pub override_to: Option<Queue>,
    pub override_reason: String,
    pub candidates: Vec<Candidate>,
    /// The candidate the arrow keys point at.
    pub highlighted: Option<usize>,
    /// The visitor on file that reception confirmed.
    pub picked: Option<Visitor>,
    search_generation: u64,
    pub issued: Option<Registered>,
    pub error: Option<String>,
    /// The field `error` is about (shown under it and cleared when it changes); `None` for
    /// an error of the whole form, shown by the Register button.
    pub error_field: Option<&'static str>,
    pub busy: bool,
    /// The access id of this person's registration: made when it is first submitted and
    /// sent again with every retry until a ticket comes back, so that a reply lost on the
    /// network never makes a second ticket. A new form makes a new one.
    pub access_id: Option<Uuid>,
    /// Today's bookings due soon, as the agenda last read them (the app copies them here):
    /// reception sees who is about to come without leaving the form.
    pub due: Vec<super::appointments::Due>,
}

impl State {
    pub fn new(lang: Lang) -> State {
        State {
            family_name: String::new(),
            given_name: String::new(),
            birth_date: String::new(),
            sex: Sex::Unknown,
            country: None,
            countries: country_choices(lang),
            lang,
            languages: String::new(),
            sai_guest: false,
            channel: Channel::WalkIn,
            service: None,
            priority: None,
            override_to: None,
            override_reason: String::new(),
            candidates: Vec::new(),
            highlighted: None,
            picked: None,
            search_generation: 0,
            issued: None,
            error: None,
            error_field: None,
            busy: false,
            access_id: None,
            due: Vec::new(),
        }
    }

    /// The country list speaks the operator's language.
    pub fn set_lang(&mut self, lang: Lang) {
        if lang != self.lang {
            self.lang = lang;
            self.countries = country_choices(lang);
        }
    }

    fn clear_form(&mut self) {
        let issued = self.issued.take();
        let due = std::mem::take(&mut self.due);
        *self = State::new(self.lang);
        self.issued = issued;
        self.due = due;
    }

    /// A field changed: its error has been seen to.
    fn edited(&mut self, field: &'static str) {
        if self.error_field == Some(field) {
            self.error = None;
            self.error_field = None;
        }
    }

    fn fail(&mut self, field: Option<&'static str>, message: String) {
        self.error = Some(message);
        self.error_field = field;
    }

    fn names_changed(&mut self) -> Action {
        self.search_generation += 1;
        self.highlighted = None;
        if self.family_name.trim().is_empty() && self.given_name.trim().is_empty() {
            self.candidates.clear();
            return Action::None;
        }
        Action::ScheduleSearch(self.search_generation)
    }

    pub fn update(&mut self, message: Message, ctx: &Ctx<'_>) -> Action {
        match message {
            Message::FamilyName(s) => {
                self.family_name = s;
                self.edited("family_name");
                return self.names_changed();
            }
            Message::GivenName(s) => {
                self.given_name = s;
                self.edited("given_name");
                return self.names_changed();
            }
            Message::BirthDate(s) => {
                self.birth_date = s;
                self.edited("birth_date");
                // The date narrows the namesakes: search again once it is typed.
                return self.names_changed();
            }
            Message::Sex(c) => self.sex = c.value,
            Message::Country(c) => self.country = Some(c.value),
            Message::Languages(s) => {
                self.languages = s;
                self.edited("languages");
            }
            Message::SaiGuest(b) => self.sai_guest = b,
            Message::Channel(c) => self.channel = c.value,
            Message::Service(c) => {
                self.service = Some(c.value);
                self.edited("service");
            }
            Message::Priority(c) => self.priority = c.value,
            Message::OverrideQueue(c) => {
                self.override_to = c.value;
                self.edited("queue");
            }
            Message::OverrideReason(s) => {
                self.override_reason = s;
                self.edited("queue");
            }
            Message::NextCandidate if !self.candidates.is_empty() => {
                let last = self.candidates.len() - 1;
                self.highlighted = Some(self.highlighted.map_or(0, |i| (i + 1).min(last)));
            }
            Message::PreviousCandidate => {
                self.highlighted = match self.highlighted {
                    Some(0) | None => None,
                    Some(i) => Some(i - 1),
                };
            }
            Message::NextCandidate => {}
            Message::Escape => {
                if self.highlighted.is_some() {
                    self.highlighted = None;
                } else {
                    self.clear_form();
                    self.issued = None;
                }
            }
            Message::SearchDue(generation) if generation == self.search_generation => {
                return Action::Search(SearchRequest {
                    generation,
                    family_name: self.family_name.clone(),
                    given_name: self.given_name.clone(),
                    // A bare year helps too; a half-typed date is ignored, not an error; a date
                    // that cannot be a birth date is a slip, and weighs as one.
                    birth: BirthQuery::parse(&self.birth_date)
                        .map(|q| q.on(rome_day(ctx.now)))
                        .unwrap_or(BirthQuery::Unknown),
                });
            }
            Message::SearchDue(_) => {}
            Message::Pick(id) => return Action::LoadVisitor(id),
            Message::Unpick => self.picked = None,
            Message::Clear => {
                self.clear_form();
                self.issued = None;
            }
            Message::Submit => {
                if self.busy {
                    return Action::None;
                }
                // Enter on a highlighted candidate confirms that person; the next Enter
                // registers.
                if let Some(c) = self.highlighted.and_then(|i| self.candidates.get(i)) {
                    let id = c.visitor_id;
                    self.highlighted = None;
                    return Action::LoadVisitor(id);
                }
                // Kept through edits after a failure: a reply that was lost may have
                // stored this person's ticket, and the retry must find it, not make another.
                let access_id = *self
                    .access_id
                    .get_or_insert_with(|| crate::store::uuid_at(ctx.now));
                return match self.registration(ctx, access_id) {
                    Ok(registration) => {
                        self.error = None;
                        self.error_field = None;
                        self.busy = true;
                        Action::Register(registration)
                    }
                    Err(e) => {
                        self.fail(Some(e.field), errors::field_error(self.lang, &e));
                        Action::None
                    }
                };
            }
        }
        Action::None
    }

    /// The registration the form describes, or the first field that is wrong.
    pub fn registration(&self, ctx: &Ctx<'_>, access_id: Uuid) -> Result<Registration, FieldError> {
        let today = rome_day(ctx.now);
        let visitor = match &self.picked {
            Some(v) => VisitorChoice::Existing(v.id),
            None => VisitorChoice::New(VisitorDetails {
                family_name: validate_name("family_name", &self.family_name)?,
                given_name: validate_name("given_name", &self.given_name)?,
                birth_date: parse_typed_birth_date(&self.birth_date, today)?,
                sex: self.sex,
                country: self.country.clone(),
                languages: parse_languages(&self.languages)?,
                sai_guest: self.sai_guest,
                phone: None,
            }),
        };
        let service = self.service.clone().ok_or_else(|| {
            FieldError::of(
                "service",
                Problem::NotChosen,
                "choose the service requested",
            )
        })?;
        let queue_override = self
            .override_to
            .map(|q| (q, self.override_reason.trim().to_string()));
        if let Some((q, why)) = &queue_override {
            route(self.sai_guest, Some((*q, why.as_str())))
                .map_err(|e| FieldError::of("queue", Problem::Empty, e.to_string()))?;
        }
        Ok(Registration {
            access_id,
            visitor,
            channel: self.channel,
            service,
            priority: self.priority,
            queue_override,
            appointment_at: None,
            sai_guest: self.sai_guest,
            staff: "reception".into(),
        })
    }

    pub fn searched(&mut self, generation: u64, result: Result<Vec<Candidate>, StoreError>) {
        if generation != self.search_generation {
            return; // the names changed since: a newer search is on its way
        }
        match result {
            Ok(found) => {
                self.candidates = found;
                self.highlighted = self.highlighted.filter(|&i| i < self.candidates.len());
            }
            Err(e) => self.fail(None, errors::store_error(self.lang, &e)),
        }
    }

    /// Reception confirmed a candidate: the form takes what the file knows.
    pub fn visitor_loaded(&mut self, result: Result<Visitor, StoreError>) {
        match result {
            Ok(v) => {
                let d = &v.details;
                self.family_name = d.family_name.clone();
                self.given_name = d.given_name.clone();
                self.birth_date = d.birth_date.map(|b| b.to_string()).unwrap_or_default();
                self.sex = d.sex;
                self.country = d.country.clone();
                self.languages = d.languages.join(", ");
                self.sai_guest = d.sai_guest;
                self.picked = Some(v);
                self.error = None;
                self.error_field = None;
            }
            Err(e) => self.fail(None, errors::store_error(self.lang, &e)),
        }
    }

    /// The registration came back: show the ticket and clear the form, or keep every field
    /// so nothing has to be typed again.
    pub fn registered(&mut self, result: Result<Registered, StoreError>) {
        self.busy = false;
        match result {
            Ok(r) => {
                self.issued = Some(r);
                self.clear_form();
            }
            Err(e) => {
                let field = match &e {
                    StoreError::Input(f) => Some(f.field),
                    _ => None,
                };
                self.fail(field, errors::store_error(self.lang, &e));
            }
        }
    }

    /// The error under `field`, if it is about that field.
    fn error_for(&self, field: &str) -> Option<String> {
        self.error
            .clone()
            .filter(|_| self.error_field.is_some_and(|f| f == field))
    }

    pub fn view<'a>(&'a self, ctx: &Ctx<'a>) -> Element<'a, Message> {
        let lang = ctx.lang;
        // Every field is a column of label, control and its error slot: the slot is always
        // there, so an error appearing never moves the fields and never takes the focus.
        let field = |label: T,
                     error_of: &'static str,
                     content: Element<'a, Message>|
         -> Element<'a, Message> {
            column![
                text(t(lang, label)).size(14),
                content,
                widgets::error_slot(self.error_for(error_of)),
            ]
            .spacing(4)
            .width(Length::Fill)
            .into()
        };
        let input = |id: &'static str, hint: &str, value: &'a str, on: fn(String) -> Message| {
            text_input(hint, value)
                .id(id)
                .on_input(on)
                .on_submit(Message::Submit)
                .style(focus::input_style)
                .padding(8)
                .size(18)
        };

        let badge: Element<'a, Message> = match &self.picked {
            None => widgets::badge(t(lang, T::FirstAccess), widgets::Tone::Info),
            Some(v) => widgets::badge(
                format!("{} · {}", t(lang, T::Returning), v.code),
                widgets::Tone::Good,
            ),
        };

        let names = row![
            field(
                T::FamilyName,
                "family_name",
                input(FIRST_FIELD, "", &self.family_name, Message::FamilyName).into()
            ),
            field(
                T::GivenName,
                "given_name",
                input("given-name", "", &self.given_name, Message::GivenName).into()
            ),
        ]
        .spacing(12);

        // The service comes right after the names: a walk-in is names, Tab, the service's
        // first letters, Enter. The rest is there for whoever has the time to ask.
        let service = row![
            field(
                T::Service,
                "service",
                focus::choice(
                    SERVICE_FIELD,
                    service_choices(lang),
                    self.service
                        .as_ref()
                        .and_then(|s| choice_for(service_choices(lang), s)),
                    Message::Service,
                    "—",
                )
            ),
            field(
                T::Priority,
                "priority",
                focus::choice(
                    "priority",
                    priority_choices(lang),
                    choice_for(priority_choices(lang), &self.priority),
                    Message::Priority,
                    "",
                )
            ),
        ]
        .spacing(12);

        let details = row![
            field(
                T::BirthDate,
                "birth_date",
                input(
                    "birth-date",
                    t(lang, T::DateHint),
                    &self.birth_date,
                    Message::BirthDate
                )
                .into()
            ),
            field(
                T::Sex,
                "sex",
                focus::choice(
                    "sex",
                    sex_choices(lang),
                    choice_for(sex_choices(lang), &self.sex),
                    Message::Sex,
                    "",
                )
            ),
            field(
                T::Country,
                "country",
                focus::choice(
                    "country",
                    self.countries.clone(),
                    self.country.as_ref().and_then(|c| self
                        .countries
                        .iter()
                        .find(|o| &o.value == c)
                        .cloned()),
                    Message::Country,
                    t(lang, T::CountryHint),
                )
            ),
        ]
        .spacing(12);

        let more = row![
            field(
                T::Languages,
                "languages",
                input(
                    "languages",
                    t(lang, T::LanguagesHint),
                    &self.languages,
                    Message::Languages
                )
                .into()
            ),
            field(
                T::Channel,
                "channel",
                focus::choice(
                    "channel",
                    channel_choices(lang),
                    choice_for(channel_choices(lang), &self.channel),
                    Message::Channel,
                    "",
                )
            ),
            column![
                space::vertical().height(22),
                focus::checkbox(
                    "sai-guest",
                    checkbox(self.sai_guest)
                        .label(t(lang, T::SaiGuest))
                        .on_toggle(Message::SaiGuest)
                        .size(22),
                    self.sai_guest,
                    Message::SaiGuest,
                ),
            ]
            .width(Length::Fill),
        ]
        .spacing(12);

        let proposed = proposed_queue(self.sai_guest);
        let because = if self.sai_guest {
            t(lang, T::BecauseSai)
        } else {
            t(lang, T::BecauseNotSai)
        };
        let overriding = self.override_to.is_some_and(|q| q != proposed);
        let routing = column![
            text(format!(
                "{}: {} ({because})",
                t(lang, T::ProposedQueue),
                i18n::queue_name(lang, proposed)
            ))
            .size(16),
            {
                let mut line = row![
                    container(focus::choice(
                        "override-queue",
                        queue_choices(lang),
                        choice_for(queue_choices(lang), &self.override_to),
                        Message::OverrideQueue,
                        "",
                    ))
                    .width(Length::FillPortion(1)),
                ]
                .spacing(12)
                .align_y(Alignment::Center);
                // After the queue, so appearing never shifts a field before it.
                if overriding {
                    line = line.push(
                        text_input(t(lang, T::OverrideReason), &self.override_reason)
                            .id("override-reason")
                            .on_input(Message::OverrideReason)
                            .on_submit(Message::Submit)
                            .style(focus::input_style)
                            .padding(8)
                            .width(Length::FillPortion(2)),
                    );
                }
                line
            },
            widgets::error_slot(self.error_for("queue")),
        ]
        .spacing(6);

        let warning = hours_warning(ctx, self.channel);
        let form = column![
            widgets::banner_slot(warning, widgets::Tone::Warn),
            badge,
            names,
            self.candidates_view(lang),
            service,
            details,
            more,
            routing,
        ]
        .spacing(14);

        // The action bar never scrolls away: Register and the form's own errors stay in
        // sight on a 1024x600 screen.
        let register = focus::button(
            "register",
            button(
                text(if self.busy {
                    t(lang, T::Registering)
                } else {
                    t(lang, T::Register)
                })
                .size(20),
            )
            .padding([10, 24]),
            (!self.busy).then_some(Message::Submit),
        );
        let clear = focus::button(
            "clear",
            button(text(t(lang, T::Clear)))
                .style(button::secondary)
                .padding([10, 16]),
            Some(Message::Clear),
        );
        // Also under its field; repeated here for a field scrolled out of sight.
        let summary = self.error.clone();
        let actions = row![
            register,
            clear,
            container(widgets::banner_slot(summary, widgets::Tone::Bad)).width(Length::Fill),
        ]
        .spacing(12)
        .align_y(Alignment::Center);

        let status = column![
            self.ticket_view(lang),
            self.due_view(ctx),
            queues_view(ctx),
            recent_view(ctx)
        ]
        .spacing(18);

        row![
            column![scrollable(form).spacing(8).height(Length::Fill), actions,]
                .spacing(10)
                .width(Length::FillPortion(3)),
            scrollable(status).spacing(8).width(Length::FillPortion(2)),
        ]
        .spacing(24)
        .into()
    }

    fn candidates_view(&self, lang: Lang) -> Element<'_, Message> {
        if self.family_name.trim().is_empty() && self.given_name.trim().is_empty() {
            return space::vertical().height(0).into();
        }
        let mut list = column![text(t(lang, T::Candidates)).size(16)].spacing(6);
        if self.candidates.is_empty() {
            list = list.push(text(t(lang, T::NoCandidates)).size(14));
        } else {
            list = list.push(
                text(format!(
                    "{} {}",
                    t(lang, T::ConfirmByAsking),
                    t(lang, T::CandidateKeys)
                ))
                .size(13),
            );
        }
        for (i, c) in self.candidates.iter().enumerate() {
            let picked = self.picked.as_ref().is_some_and(|v| v.id == c.visitor_id);
            let action = if picked {
                button(text(t(lang, T::NotThisPerson)).size(14))
                    .style(button::secondary)
                    .on_press(Message::Unpick)
            } else {
                button(text(t(lang, T::UseCandidate)).size(14))
                    .on_press(Message::Pick(c.visitor_id))
            };
            // Code, name, date and score are separate texts: a name in Arabic script is a
            // right-to-left run, and inside one string it would carry the code and the
            // percentage along with it.
            let mut line = row![
                text(c.visitor_code.clone()).size(15).width(80),
                text(format!("{} {}", c.family_name, c.given_name))
                    .size(15)
                    .shaping(text::Shaping::Advanced)
                    .width(Length::Fill),
                text(
                    c.birth_date
                        .map_or("—".into(), |d| d.format("%d/%m/%Y").to_string())
                )
                .size(15)
                .width(95),
                text(format!("{:.0}%", c.score * 100.0)).size(15).width(45),
            ]
            .spacing(8)
            .align_y(Alignment::Center);
            if c.likely {
                line = line.push(widgets::badge(t(lang, T::Likely), widgets::Tone::Good));
            }
            let line = line.push(action);
            // Why this person: reception confirms faster when it sees it, and never confirms
            // a namesake by accident ("stesso nome; data con due cifre invertite").
            let why: Vec<String> = c
                .evidence
                .reasons()
                .iter()
                .map(|r| i18n::reason_name(lang, r))
                .collect();
            let entry = column![line, text(why.join("; ")).size(13)].spacing(2);
            list = list.push(widgets::highlight(entry, self.highlighted == Some(i)));
        }
        container(list)
            .padding(10)
            .style(container::rounded_box)
            .into()
    }

    /// The bookings due from now to an hour on (and those still within their lateness
    /// allowance): F2 opens the agenda on the next of them, Enter checks them in.
    fn due_view<'a>(&'a self, ctx: &Ctx<'a>) -> Element<'a, Message> {
        let lang = ctx.lang;
        let soon: Vec<&super::appointments::Due> = self
            .due
            .iter()
            .filter(|d| {
                d.start
                    + chrono::Duration::minutes(
                        crate::domain::appointment::DEFAULT_LATENESS_MINUTES.into(),
                    )
                    >= ctx.now
                    && d.start
                        <= ctx.now
                            + chrono::Duration::minutes(super::appointments::DUE_WITHIN_MINUTES)
            })
            .collect();
        let mut col =
            column![text(t(lang, T::DueNextHour)).size(16), rule::horizontal(1)].spacing(4);
        if soon.is_empty() {
            col = col.push(text(t(lang, T::NoneDue)).size(14));
        }
        for d in soon.into_iter().take(6) {
            col = col.push(
                row![
                    text(super::local_time(d.start)).size(15).width(50),
                    text(d.name.clone())
                        .size(15)
                        .shaping(text::Shaping::Advanced)
                        .width(Length::Fill),
                    text(d.code.to_string()).size(15),
                ]
                .spacing(6),
            );
        }
        col.into()
    }

    fn ticket_view(&self, lang: Lang) -> Element<'_, Message> {
        let Some(r) = &self.issued else {
            return space::vertical().height(0).into();
        };
        let first = if r.first_time {
            t(lang, T::FirstAccess).to_string()
        } else {
            format!("{} · {}", t(lang, T::Returning), r.visitor_code)
        };
        container(
            column![
                text(t(lang, T::IssuedTicket)).size(16),
                text(r.ticket.to_string()).size(96).font(Font {
                    weight: iced::font::Weight::Bold,
                    ..Font::DEFAULT
                }),
                text(format!(
                    "{} {} · {first}",
                    t(lang, T::Queue),
                    i18n::queue_name(lang, r.queue)
                ))
                .size(18),
            ]
            .spacing(4)
            .align_x(Alignment::Center),
        )
        .padding(16)
        .width(Length::Fill)
        .style(container::rounded_box)
        .into()
    }
}

/// A warning when a walk-in comes after hours or too late to be seen before closing.
pub fn hours_warning(ctx: &Ctx<'_>, channel: Channel) -> Option<String> {
    if channel != Channel::WalkIn {
        return None;
    }
    match OpeningHours::default().walk_in_status(ctx.now, MIN_VISIT_MINUTES) {
        WalkInStatus::Open { .. } => None,
        WalkInStatus::ClosingSoon { .. } => Some(t(ctx.lang, T::ClosingSoon).to_string()),
        WalkInStatus::Closed {
            reason: ClosedReason::Holiday(name),
        } => Some(format!(
            "{} ({name}). {}",
            t(ctx.lang, T::PublicHoliday),
            t(ctx.lang, T::AfterHours)
        )),
        WalkInStatus::Closed { .. } => Some(t(ctx.lang, T::AfterHours).to_string()),
    }
}

fn queues_view<'a>(ctx: &Ctx<'a>) -> Element<'a, Message> {
    let lang = ctx.lang;
    let mut col = column![].spacing(8);
    for q in Queue::ALL {
        let b = ctx.today.board.queue(q);
        let estimate = match b.estimated_wait_minutes {
            Some(m) => i18n::tf(lang, msg::ESTIMATED_WAIT_MINUTES, &[("minutes", m.into())]),
            None => format!("{}: {}", t(lang, T::EstimatedWait), t(lang, T::NoDeskOpen)),
        };
        // Two lines per queue: on a 1024-wide screen the estimate no longer wraps word by
        // word beside the counts.
        col = col.push(
            column![
                row![
                    text(i18n::queue_name(lang, q)).size(22).width(Length::Fill),
                    text(i18n::tf(
                        lang,
                        msg::WAITING_COUNT,
                        &[("count", b.waiting.into())]
                    ))
                    .size(22),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
                text(estimate).size(15),
            ]
            .spacing(2),
        );
    }
    container(col)
        .padding(12)
        .width(Length::Fill)
        .style(container::rounded_box)
        .into()
}

fn recent_view<'a>(ctx: &Ctx<'a>) -> Element<'a, Message> {
    let lang = ctx.lang;
    let mut col = column![
        text(t(lang, T::RecentAccesses)).size(16),
        rule::horizontal(1)
    ]
    .spacing(4);
    if ctx.today.tickets.is_empty() {
        col = col.push(text(t(lang, T::NoAccessesYet)).size(14));
    }
    for tv in ctx.today.tickets.iter().rev().take(10) {
        col = col.push(
            row![
                text(tv.ticket.to_string()).size(15).width(70),
                text(super::local_time(tv.arrived_at)).size(15).width(60),
                text(i18n::service_name(lang, &tv.service))
                    .size(15)
                    .width(Length::Fill),
                text(i18n::state_name(lang, tv.state)).size(14),
            ]
            .spacing(6),
        );
    }
    col.into()
}
