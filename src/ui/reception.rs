//! Reception: register a walk-in in seconds, a returning visitor in a few keystrokes.

use std::fmt;

use iced::widget::{
    button, checkbox, column, combo_box, container, pick_list, row, rule, scrollable, space, text,
    text_input,
};
use iced::{Alignment, Element, Font, Length};
use uuid::Uuid;

use super::Ctx;
use super::i18n::{self, Lang, T, msg, t};
use super::widgets;
use crate::domain::access::{proposed_queue, route};
use crate::domain::hours::{ClosedReason, OpeningHours, WalkInStatus, rome_day};
use crate::domain::matching::BirthQuery;
use crate::domain::reference;
use crate::domain::visitor::{
    FieldError, Visitor, VisitorDetails, parse_birth_date, parse_languages, validate_name,
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
    Submit,
    Clear,
}

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
    countries: combo_box::State<Choice<String>>,
    lang: Lang,
    pub languages: String,
    pub sai_guest: bool,
    pub channel: Channel,
    pub service: Option<String>,
    pub priority: Option<Priority>,
    pub override_to: Option<Queue>,
    pub override_reason: String,
    pub candidates: Vec<Candidate>,
    /// The visitor on file that reception confirmed.
    pub picked: Option<Visitor>,
    search_generation: u64,
    pub issued: Option<Registered>,
    pub error: Option<String>,
    pub busy: bool,
}

impl State {
    pub fn new(lang: Lang) -> State {
        State {
            family_name: String::new(),
            given_name: String::new(),
            birth_date: String::new(),
            sex: Sex::Unknown,
            country: None,
            countries: combo_box::State::new(country_choices(lang)),
            lang,
            languages: String::new(),
            sai_guest: false,
            channel: Channel::WalkIn,
            service: None,
            priority: None,
            override_to: None,
            override_reason: String::new(),
            candidates: Vec::new(),
            picked: None,
            search_generation: 0,
            issued: None,
            error: None,
            busy: false,
        }
    }

    /// The country list speaks the operator's language.
    pub fn set_lang(&mut self, lang: Lang) {
        if lang != self.lang {
            self.lang = lang;
            self.countries = combo_box::State::new(country_choices(lang));
        }
    }

    fn clear_form(&mut self) {
        let issued = self.issued.take();
        *self = State::new(self.lang);
        self.issued = issued;
    }

    fn names_changed(&mut self) -> Action {
        self.search_generation += 1;
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
                return self.names_changed();
            }
            Message::GivenName(s) => {
                self.given_name = s;
                return self.names_changed();
            }
            Message::BirthDate(s) => self.birth_date = s,
            Message::Sex(c) => self.sex = c.value,
            Message::Country(c) => self.country = Some(c.value),
            Message::Languages(s) => self.languages = s,
            Message::SaiGuest(b) => self.sai_guest = b,
            Message::Channel(c) => self.channel = c.value,
            Message::Service(c) => self.service = Some(c.value),
            Message::Priority(c) => self.priority = c.value,
            Message::OverrideQueue(c) => self.override_to = c.value,
            Message::OverrideReason(s) => self.override_reason = s,
            Message::SearchDue(generation) if generation == self.search_generation => {
                return Action::Search(SearchRequest {
                    generation,
                    family_name: self.family_name.clone(),
                    given_name: self.given_name.clone(),
                    // A bare year helps too; a half-typed date is ignored, not an error.
                    birth: BirthQuery::parse(&self.birth_date).unwrap_or(BirthQuery::Unknown),
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
                return match self.registration(ctx) {
                    Ok(registration) => {
                        self.error = None;
                        self.busy = true;
                        Action::Register(registration)
                    }
                    Err(e) => {
                        self.error = Some(e.to_string());
                        Action::None
                    }
                };
            }
        }
        Action::None
    }

    /// The registration the form describes, or the first field that is wrong.
    pub fn registration(&self, ctx: &Ctx<'_>) -> Result<Registration, FieldError> {
        let today = rome_day(ctx.now);
        let visitor = match &self.picked {
            Some(v) => VisitorChoice::Existing(v.id),
            None => VisitorChoice::New(VisitorDetails {
                family_name: validate_name("family_name", &self.family_name)?,
                given_name: validate_name("given_name", &self.given_name)?,
                birth_date: parse_birth_date(&self.birth_date, today)?,
                sex: self.sex,
                country: self.country.clone(),
                languages: parse_languages(&self.languages)?,
                sai_guest: self.sai_guest,
                phone: None,
            }),
        };
        let service = self
            .service
            .clone()
            .ok_or_else(|| FieldError::new("service", "choose the service requested"))?;
        let queue_override = self
            .override_to
            .map(|q| (q, self.override_reason.trim().to_string()));
        if let Some((q, why)) = &queue_override {
            route(self.sai_guest, Some((*q, why.as_str())))
                .map_err(|e| FieldError::new("queue", e.to_string()))?;
        }
        Ok(Registration {
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
            Ok(found) => self.candidates = found,
            Err(e) => self.error = Some(e.to_string()),
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
            }
            Err(e) => self.error = Some(e.to_string()),
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
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub fn view<'a>(&'a self, ctx: &Ctx<'a>) -> Element<'a, Message> {
        let lang = ctx.lang;
        let msg = |m: Message| m;
        let field = |label: T, content: Element<'a, Message>| -> Element<'a, Message> {
            column![text(t(lang, label)).size(14), content]
                .spacing(4)
                .width(Length::Fill)
                .into()
        };
        let input = |id: &'static str, hint: &str, value: &'a str, on: fn(String) -> Message| {
            text_input(hint, value)
                .id(id)
                .on_input(move |s| msg(on(s)))
                .on_submit(msg(Message::Submit))
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
                input("family-name", "", &self.family_name, Message::FamilyName).into()
            ),
            field(
                T::GivenName,
                input("given-name", "", &self.given_name, Message::GivenName).into()
            ),
        ]
        .spacing(12);

        let country_selected = self
            .country
            .as_ref()
            .and_then(|c| choice_for(country_choices(lang), c));
        let details = row![
            field(
                T::BirthDate,
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
                pick_list(
                    sex_choices(lang),
                    choice_for(sex_choices(lang), &self.sex),
                    move |c| msg(Message::Sex(c))
                )
                .width(Length::Fill)
                .into()
            ),
            field(
                T::Country,
                combo_box(
                    &self.countries,
                    t(lang, T::CountryHint),
                    country_selected.as_ref(),
                    move |c| msg(Message::Country(c))
                )
                .width(Length::Fill)
                .into()
            ),
        ]
        .spacing(12);

        let proposed = proposed_queue(self.sai_guest);
        let more = row![
            field(
                T::Languages,
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
                pick_list(
                    channel_choices(lang),
                    choice_for(channel_choices(lang), &self.channel),
                    move |c| msg(Message::Channel(c))
                )
                .width(Length::Fill)
                .into()
            ),
            column![
                space::vertical().height(22),
                checkbox(self.sai_guest)
                    .label(t(lang, T::SaiGuest))
                    .on_toggle(move |b| msg(Message::SaiGuest(b)))
                    .size(22)
            ]
            .width(Length::Fill),
        ]
        .spacing(12);

        let service_selected = self
            .service
            .as_ref()
            .and_then(|s| choice_for(service_choices(lang), s));
        let service = row![
            field(
                T::Service,
                pick_list(service_choices(lang), service_selected, move |c| msg(
                    Message::Service(c)
                ))
                .placeholder("—")
                .width(Length::Fill)
                .into()
            ),
            field(
                T::Priority,
                pick_list(
                    priority_choices(lang),
                    choice_for(priority_choices(lang), &self.priority),
                    move |c| msg(Message::Priority(c))
                )
                .width(Length::Fill)
                .into()
            ),
        ]
        .spacing(12);

        let because = if self.sai_guest {
            t(lang, T::BecauseSai)
        } else {
            t(lang, T::BecauseNotSai)
        };
        let mut routing = row![
            text(format!(
                "{}: {} ({because})",
                t(lang, T::ProposedQueue),
                i18n::queue_name(lang, proposed)
            ))
            .size(18)
            .width(Length::Fill),
            pick_list(
                queue_choices(lang),
                choice_for(queue_choices(lang), &self.override_to),
                move |c| msg(Message::OverrideQueue(c))
            )
            .width(200),
        ]
        .spacing(12)
        .align_y(Alignment::Center);
        if self.override_to.is_some_and(|q| q != proposed) {
            routing = routing.push(
                input(
                    "override-reason",
                    t(lang, T::OverrideReason),
                    &self.override_reason,
                    Message::OverrideReason,
                )
                .width(Length::FillPortion(2)),
            );
        }

        let register = button(
            text(if self.busy {
                t(lang, T::Registering)
            } else {
                t(lang, T::Register)
            })
            .size(20),
        )
        .padding([10, 24])
        .on_press_maybe((!self.busy).then_some(msg(Message::Submit)));
        let actions = row![
            register,
            button(text(t(lang, T::Clear)))
                .style(button::secondary)
                .padding([10, 16])
                .on_press(msg(Message::Clear)),
        ]
        .spacing(12);

        let mut form = column![badge, names, details, more, service, routing, actions].spacing(14);
        if let Some(e) = &self.error {
            form = form.push(widgets::banner(e.clone(), widgets::Tone::Bad));
        }
        form = form.push(self.candidates_view(lang));
        if let Some(warning) = hours_warning(ctx, self.channel) {
            form = column![widgets::banner(warning, widgets::Tone::Warn), form].spacing(14);
        }

        let status =
            column![self.ticket_view(lang), queues_view(ctx), recent_view(ctx),].spacing(18);

        row![
            scrollable(form.padding(4)).width(Length::FillPortion(3)),
            container(status).width(Length::FillPortion(2)),
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
            list = list.push(text(t(lang, T::ConfirmByAsking)).size(13));
        }
        for c in &self.candidates {
            let picked = self.picked.as_ref().is_some_and(|v| v.id == c.visitor_id);
            let label = format!(
                "{}  {} {}  ·  {}  ·  {:.0}%",
                c.visitor_code,
                c.family_name,
                c.given_name,
                c.birth_date.map_or("—".into(), |d| d.to_string()),
                c.score * 100.0
            );
            let action = if picked {
                button(text(t(lang, T::NotThisPerson)).size(14))
                    .style(button::secondary)
                    .on_press(Message::Unpick)
            } else {
                button(text(t(lang, T::UseCandidate)).size(14))
                    .on_press(Message::Pick(c.visitor_id))
            };
            let mut line = row![text(label).size(15).width(Length::Fill)]
                .spacing(8)
                .align_y(Alignment::Center);
            if c.likely {
                line = line.push(widgets::badge(t(lang, T::Likely), widgets::Tone::Good));
            }
            list = list.push(line.push(action));
        }
        container(list)
            .padding(10)
            .style(container::rounded_box)
            .into()
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
        col = col.push(
            row![
                text(i18n::queue_name(lang, q)).size(22).width(110),
                text(i18n::tf(
                    lang,
                    msg::WAITING_COUNT,
                    &[("count", b.waiting.into())]
                ))
                .size(22)
                .width(260),
                text(estimate).size(15),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
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
