//! Appointments: the day's agenda, checking a booked person in at reception, and booking,
//! moving or cancelling by phone or email (reception and the `booking` role).
//!
//! The agenda is the screen's first half: the filter field takes a name or a booking code,
//! the arrows move through the day's bookings and Enter checks the highlighted one in. F2,
//! from any screen of a role that books, opens it on today with the next booking due
//! highlighted: F2 then Enter is the whole check-in. The second half books: the service, its
//! next free slots, the person (at reception found as at reception, by name; the `booking`
//! role, which may not search visitors, types the names, or a visitor's card code with them),
//! and shows the confirmation to read out or paste, in the person's language.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use iced::widget::{button, column, container, row, rule, scrollable, text, text_input};
use iced::{Alignment, Element, Font, Length};

use super::errors;
use super::focus;
use super::i18n::{self, Lang, T, msg, t, tf};
use super::reception::{Choice, SearchRequest, service_choices};
use super::widgets::{self, Tone};
use super::{Ctx, local_time};
use crate::domain::agenda::{BookingRefusal, FreeSlot};
use crate::domain::appointment::{
    Appointment, AppointmentState, BookedVia, BookingCode, ConfirmationLanguage, NewPerson, Person,
    Rescheduled, confirmation_text,
};
use crate::domain::hours::rome_day;
use crate::domain::matching::BirthQuery;
use crate::domain::names::normalise;
use crate::domain::visitor::{FieldError, Problem, parse_typed_birth_date};
use crate::service::appointments::AgendaEntry;
use crate::store::{BookingOrder, Candidate, CheckedIn, StoreError};

/// The filter of the agenda: where the screen opens, and where F2 puts the keyboard.
pub const FIRST_FIELD: &str = "agenda-filter";
pub const SERVICE_FIELD: &str = "book-service";
pub const SLOT_FIELD: &str = "book-slot";
pub const FAMILY_FIELD: &str = "book-family-name";
/// Where the keyboard goes once a booking is made: the confirmation's language (its first
/// letters), then Tab and Enter copy it.
pub const CONFIRMATION_FIELD: &str = "confirmation-language";

/// How many free slots the booking half offers at once.
pub const SLOTS_SHOWN: usize = 12;

/// How long after its slot a booking still counts as due: the agenda's lateness allowance.
const DUE_AFTER_MINUTES: i64 = crate::domain::appointment::DEFAULT_LATENESS_MINUTES as i64;

/// How far ahead reception's list of what is due looks.
pub const DUE_WITHIN_MINUTES: i64 = 60;

#[derive(Debug, Clone)]
pub enum Message {
    Filter(String),
    PreviousDay,
    NextDay,
    /// The arrows: the next or previous booking of the list (or candidate, while names are
    /// typed for a booking).
    Next,
    Previous,
    /// A row clicked.
    Select(uuid::Uuid),
    /// F2: today, with the next booking due highlighted.
    NextDue,
    /// Enter in the filter, or the button: check the highlighted booking in.
    CheckIn,
    /// Enter where no field took it: the half last worked in decides.
    Submit,
    /// F8, twice.
    Cancel,
    /// F6: move the highlighted booking to a slot chosen in the booking half.
    Reschedule,
    StopMoving,
    /// F3: the keyboard goes to the booking half; Enter there books.
    NewBooking,
    Escape,
    Service(Choice<String>),
    Slot(Choice<NaiveDateTime>),
    FamilyName(String),
    GivenName(String),
    BirthDate(String),
    Phone(String),
    VisitorCode(String),
    Via(Choice<BookedVia>),
    SearchDue(u64),
    Pick(uuid::Uuid),
    Unpick,
    /// Enter in a field of the booking half, or the button.
    Book,
    Language(Choice<ConfirmationLanguage>),
    /// The confirmation's field is there to select and copy, not to edit.
    ConfirmationEdited(String),
    Copy,
}

/// What the screen asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    None,
    Load(NaiveDate),
    Slots {
        service: String,
        from: NaiveDate,
    },
    ScheduleSearch(u64),
    Search(SearchRequest),
    Book(BookingOrder),
    /// A booking for the visitor whose card code the caller read out, with the names they
    /// said (the `booking` role cannot search visitors).
    BookByCode {
        visitor_code: String,
        family_name: String,
        given_name: String,
        service: String,
        local: NaiveDateTime,
        booked_via: BookedVia,
    },
    /// Check a booking in with the access id of this attempt at it (kept for retries).
    CheckIn {
        code: BookingCode,
        access_id: uuid::Uuid,
    },
    Cancel(BookingCode),
    Reschedule {
        code: BookingCode,
        local: NaiveDateTime,
    },
    /// Put this text on the system clipboard.
    Copy(String),
    /// More than one thing (the agenda and the slots read again after a booking).
    Many(Vec<Action>),
}

/// What the store did.
#[derive(Debug, Clone)]
pub enum Done {
    Agenda(NaiveDate, Vec<AgendaEntry>),
    Slots(String, Vec<FreeSlot>),
    Candidates(u64, Vec<Candidate>),
    Booked(Appointment),
    CheckedIn(Box<CheckedIn>),
    Cancelled(Appointment),
    Rescheduled(Box<Rescheduled>),
}

/// A booking due soon, as reception's side panel lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub start: DateTime<Utc>,
    pub name: String,
    pub code: BookingCode,
    pub service: String,
}

/// What a check-in, a booking or a cancellation came to, for the line under the agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub tone: Tone,
    /// The ticket issued, shown large.
    pub ticket: Option<String>,
}

pub struct State {
    /// Reception (checks in, searches the register); otherwise the `booking` role, which
    /// books names as said and finds someone on file by their card code.
    reception: bool,
    lang: Lang,
    pub day: NaiveDate,
    pub entries: Vec<AgendaEntry>,
    /// Today's bookings as last read, for reception's list of what is due.
    today: Vec<AgendaEntry>,
    /// When today's bookings were last read (the Tick reads them again now and then).
    pub today_read_at: Option<DateTime<Utc>>,
    pub filter: String,
    /// The booking the arrows point at (by id: a reload keeps it).
    pub highlighted: Option<uuid::Uuid>,
    /// F2 asked for the next booking due: highlighted once the day is read.
    select_next_due: bool,
    /// The booking F8 will cancel on its second press.
    pub confirm_cancel: Option<BookingCode>,
    /// The booking being moved: the booking half offers its service's slots.
    pub moving: Option<AgendaEntry>,
    pub service: Option<String>,
    pub slots: Vec<FreeSlot>,
    pub slot: Option<NaiveDateTime>,
    pub family_name: String,
    pub given_name: String,
    pub birth_date: String,
    pub phone: String,
    pub visitor_code: String,
    pub via: BookedVia,
    pub candidates: Vec<Candidate>,
    pub candidate: Option<usize>,
    pub picked: Option<Candidate>,
    search_generation: u64,
    /// The booking half was the last touched: a free Enter books rather than checks in.
    pub booking_active: bool,
    pub confirmation: Option<Appointment>,
    pub confirmation_lang: ConfirmationLanguage,
    pub notice: Option<Notice>,
    pub error: Option<String>,
    pub error_field: Option<&'static str>,
    pub busy: bool,
    /// The access id of each booking's check-in sent without a ticket back yet: made when
    /// it is first sent and sent again with every retry, so that a reply lost on the
    /// network gives the ticket already issued rather than "already checked in".
    pub check_in_attempts: Vec<(BookingCode, uuid::Uuid)>,
}

impl State {
    pub fn new(day: NaiveDate, reception: bool, lang: Lang) -> State {
        State {
            reception,
            lang,
            day,
            entries: Vec::new(),
            today: Vec::new(),
            today_read_at: None,
            filter: String::new(),
            highlighted: None,
            select_next_due: false,
            confirm_cancel: None,
            moving: None,
            service: None,
            slots: Vec::new(),
            slot: None,
            family_name: String::new(),
            given_name: String::new(),
            birth_date: String::new(),
            phone: String::new(),
            visitor_code: String::new(),
            via: if reception {
                BookedVia::Desk
            } else {
                BookedVia::ContactCenter
            },
            candidates: Vec::new(),
            candidate: None,
            picked: None,
            search_generation: 0,
            booking_active: false,
            confirmation: None,
            confirmation_lang: ConfirmationLanguage::It,
            notice: None,
            error: None,
            error_field: None,
            busy: false,
            check_in_attempts: Vec::new(),
        }
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    /// The bookings the filter lets through, in the agenda's order.
    pub fn visible(&self) -> Vec<&AgendaEntry> {
        let wanted = normalise(&self.filter);
        let code_wanted: String = self
            .filter
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase();
        self.entries
            .iter()
            .filter(|e| {
                if wanted.is_empty() {
                    return true;
                }
                let code: String = e
                    .appointment
                    .code
                    .to_string()
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect();
                if !code_wanted.is_empty() && code.contains(&code_wanted) {
                    return true;
                }
                // Every word typed starts a word of the names, in any order: "rahman has"
                // and "hasina" both find Rahman Hasina, as reception's search folds them.
                let names = normalise(&format!("{} {}", e.family_name, e.given_name));
                wanted
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .all(|w| names.split(' ').any(|n| n.starts_with(w)))
            })
            .collect()
    }

    /// The booking the arrows point at, if the filter still shows it.
    pub fn selected(&self) -> Option<&AgendaEntry> {
        let id = self.highlighted?;
        self.visible().into_iter().find(|e| e.appointment.id == id)
    }

    /// Today's open bookings, for reception's list of what is due (which picks the next hour
    /// of them as its clock moves).
    pub fn today_open(&self) -> Vec<Due> {
        self.today
            .iter()
            .filter(|e| e.appointment.state == AppointmentState::Booked)
            .map(|e| Due {
                start: e.appointment.start,
                name: format!("{} {}", e.family_name, e.given_name),
                code: e.appointment.code,
                service: e.appointment.service.clone(),
            })
            .collect()
    }

    /// The open booking that comes next at `now`: the earliest not yet past its lateness
    /// allowance, else the earliest still open (someone very late is still checked in).
    fn next_due(&self, now: DateTime<Utc>) -> Option<uuid::Uuid> {
        let open = || {
            self.entries
                .iter()
                .filter(|e| e.appointment.state == AppointmentState::Booked)
        };
        open()
            .find(|e| e.appointment.start + Duration::minutes(DUE_AFTER_MINUTES) >= now)
            .or_else(|| open().next())
            .map(|e| e.appointment.id)
    }

    fn fail(&mut self, field: Option<&'static str>, message: String) {
        self.error = Some(message);
        self.error_field = field;
    }

    fn edited(&mut self, field: &'static str) {
        self.booking_active = true;
        if self.error_field == Some(field) {
            self.error = None;
            self.error_field = None;
        }
    }

    fn move_highlight(&mut self, forward: bool) {
        let ids: Vec<uuid::Uuid> = self.visible().iter().map(|e| e.appointment.id).collect();
        if ids.is_empty() {
            return;
        }
        let at = self
            .highlighted
            .and_then(|h| ids.iter().position(|i| *i == h));
        let next = match (at, forward) {
            (None, _) => 0,
            (Some(i), true) => (i + 1).min(ids.len() - 1),
            (Some(i), false) => i.saturating_sub(1),
        };
        self.highlighted = Some(ids[next]);
        self.confirm_cancel = None;
    }

    /// After the filter changed: the first open booking it shows, so that a code typed and
    /// Enter check that booking in.
    fn highlight_first_open(&mut self) {
        let visible = self.visible();
        self.highlighted = visible
            .iter()
            .find(|e| e.appointment.state == AppointmentState::Booked)
            .or(visible.first())
            .map(|e| e.appointment.id);
    }

    fn names_changed(&mut self) -> Action {
        self.search_generation += 1;
        self.candidate = None;
        // Only reception searches the register; the booking role books the names as said.
        if !self.reception
            || (self.family_name.trim().is_empty() && self.given_name.trim().is_empty())
        {
            self.candidates.clear();
            return Action::None;
        }
        Action::ScheduleSearch(self.search_generation)
    }

    fn clear_booking(&mut self) {
        self.moving = None;
        self.slot = None;
        self.family_name.clear();
        self.given_name.clear();
        self.birth_date.clear();
        self.phone.clear();
        self.visitor_code.clear();
        self.candidates.clear();
        self.candidate = None;
        self.picked = None;
        self.booking_active = false;
    }

    fn first_day(&self, ctx: &Ctx<'_>) -> NaiveDate {
        self.day.max(rome_day(ctx.now))
    }

    fn slots_action(&self, ctx: &Ctx<'_>) -> Action {
        match &self.service {
            Some(service) => Action::Slots {
                service: service.clone(),
                from: self.first_day(ctx),
            },
            None => Action::None,
        }
    }

    pub fn update(&mut self, message: Message, ctx: &Ctx<'_>) -> Action {
        match message {
            Message::Filter(s) => {
                self.filter = s;
                self.booking_active = false;
                self.confirm_cancel = None;
                self.highlight_first_open();
            }
            Message::PreviousDay | Message::NextDay => {
                let step = if matches!(message, Message::NextDay) {
                    1
                } else {
                    -1
                };
                self.day += Duration::days(step);
                self.entries.clear();
                self.highlighted = None;
                self.confirm_cancel = None;
                return Action::Load(self.day);
            }
            Message::Next | Message::Previous => {
                let forward = matches!(message, Message::Next);
                if self.booking_active && !self.candidates.is_empty() {
                    let last = self.candidates.len() - 1;
                    self.candidate = match (self.candidate, forward) {
                        (None, true) => Some(0),
                        (Some(i), true) => Some((i + 1).min(last)),
                        (Some(0) | None, false) => None,
                        (Some(i), false) => Some(i - 1),
                    };
                } else {
                    self.booking_active = false;
                    self.move_highlight(forward);
                }
            }
            Message::Select(id) => {
                self.highlighted = Some(id);
                self.booking_active = false;
                self.confirm_cancel = None;
            }
            Message::NextDue => {
                let today = rome_day(ctx.now);
                self.filter.clear();
                self.booking_active = false;
                self.confirm_cancel = None;
                self.select_next_due = true;
                if self.day == today {
                    // What is already read is highlighted at once; the reading confirms it.
                    self.highlighted = self.next_due(ctx.now);
                } else {
                    self.day = today;
                    self.entries.clear();
                    self.highlighted = None;
                }
                return Action::Load(today);
            }
            Message::Submit => {
                return if self.booking_active || !self.reception {
                    self.book(ctx)
                } else {
                    self.check_in(ctx)
                };
            }
            Message::CheckIn => return self.check_in(ctx),
            Message::Cancel => {
                let Some(entry) = self.selected() else {
                    return Action::None;
                };
                let code = entry.appointment.code;
                if entry.appointment.state != AppointmentState::Booked {
                    return Action::None;
                }
                if self.confirm_cancel == Some(code) {
                    self.confirm_cancel = None;
                    self.busy = true;
                    return Action::Cancel(code);
                }
                self.confirm_cancel = Some(code);
            }
            Message::Reschedule => {
                let Some(entry) = self.selected().cloned() else {
                    return Action::None;
                };
                if entry.appointment.state != AppointmentState::Booked {
                    return Action::None;
                }
                self.clear_booking();
                self.service = Some(entry.appointment.service.clone());
                self.moving = Some(entry);
                self.booking_active = true;
                self.error = None;
                self.error_field = None;
                return self.slots_action(ctx);
            }
            Message::StopMoving => self.clear_booking(),
            Message::NewBooking => {
                self.booking_active = true;
                self.confirm_cancel = None;
            }
            Message::Escape => {
                if self.confirm_cancel.is_some() {
                    self.confirm_cancel = None;
                } else if self.candidate.is_some() {
                    self.candidate = None;
                } else if !self.filter.is_empty() {
                    self.filter.clear();
                } else {
                    self.clear_booking();
                    self.error = None;
                    self.error_field = None;
                }
            }
            Message::Service(c) => {
                // A booking being moved keeps its service.
                if self.moving.is_none() {
                    self.service = Some(c.value);
                    self.slot = None;
                    self.slots.clear();
                }
                self.edited("service");
                return self.slots_action(ctx);
            }
            Message::Slot(c) => {
                self.slot = Some(c.value);
                self.edited("slot");
            }
            Message::FamilyName(s) => {
                self.family_name = s;
                self.picked = None;
                self.edited("family_name");
                return self.names_changed();
            }
            Message::GivenName(s) => {
                self.given_name = s;
                self.picked = None;
                self.edited("given_name");
                return self.names_changed();
            }
            Message::BirthDate(s) => {
                self.birth_date = s;
                self.edited("birth_date");
                return self.names_changed();
            }
            Message::Phone(s) => {
                self.phone = s;
                self.edited("phone");
            }
            Message::VisitorCode(s) => {
                self.visitor_code = s;
                self.edited("visitor_code");
            }
            Message::Via(c) => {
                self.via = c.value;
                self.booking_active = true;
            }
            Message::SearchDue(g) if g == self.search_generation && self.reception => {
                return Action::Search(SearchRequest {
                    generation: g,
                    family_name: self.family_name.clone(),
                    given_name: self.given_name.clone(),
                    birth: BirthQuery::parse(&self.birth_date)
                        .map(|q| q.on(rome_day(ctx.now)))
                        .unwrap_or(BirthQuery::Unknown),
                });
            }
            Message::SearchDue(_) => {}
            Message::Pick(id) => {
                self.picked = self.candidates.iter().find(|c| c.visitor_id == id).cloned();
                self.candidate = None;
                self.booking_active = true;
            }
            Message::Unpick => self.picked = None,
            Message::Book => return self.book(ctx),
            Message::Language(c) => self.confirmation_lang = c.value,
            Message::ConfirmationEdited(_) => {}
            Message::Copy => {
                if let Some(a) = &self.confirmation {
                    self.notice = Some(Notice {
                        text: t(self.lang, T::Copied).to_string(),
                        tone: Tone::Good,
                        ticket: None,
                    });
                    return Action::Copy(self.confirmation_text_of(a));
                }
            }
        }
        Action::None
    }

    /// The confirmation as it is copied: the domain's text, then the service.
    pub fn confirmation_text_of(&self, a: &Appointment) -> String {
        format!(
            "{} ({})",
            confirmation_text(a, self.confirmation_lang),
            i18n::service_name(
                if self.confirmation_lang == ConfirmationLanguage::It {
                    Lang::It
                } else {
                    Lang::En
                },
                &a.service
            )
        )
    }

    /// The confirmation shown now, if a booking was just made or moved.
    pub fn confirmation_text(&self) -> Option<String> {
        self.confirmation
            .as_ref()
            .map(|a| self.confirmation_text_of(a))
    }

    fn check_in(&mut self, ctx: &Ctx<'_>) -> Action {
        if self.busy || !self.reception {
            return Action::None;
        }
        let Some(entry) = self.selected() else {
            return Action::None;
        };
        let code = entry.appointment.code;
        let pending = self
            .check_in_attempts
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, id)| *id);
        // A booking read back as checked in after a failed attempt may be that attempt's
        // (the reply was lost): the retry fetches its ticket.
        if entry.appointment.state != AppointmentState::Booked
            && !(entry.appointment.state == AppointmentState::CheckedIn && pending.is_some())
        {
            return Action::None;
        }
        let access_id = pending.unwrap_or_else(|| {
            let id = crate::store::uuid_at(ctx.now);
            self.check_in_attempts.push((code, id));
            id
        });
        self.busy = true;
        self.error = None;
        self.error_field = None;
        Action::CheckIn { code, access_id }
    }

    fn book(&mut self, ctx: &Ctx<'_>) -> Action {
        if self.busy {
            return Action::None;
        }
        // Enter on a highlighted candidate confirms that person, as at reception; the next
        // Enter books.
        if let Some(c) = self.candidate.and_then(|i| self.candidates.get(i)) {
            self.picked = Some(c.clone());
            self.candidate = None;
            return Action::None;
        }
        match self.order(ctx) {
            Ok(action) => {
                self.error = None;
                self.error_field = None;
                self.busy = true;
                action
            }
            Err(e) => {
                let message = errors::field_error(self.lang, &e);
                self.fail(Some(e.field), message);
                Action::None
            }
        }
    }

    /// What the booking half asks for, or the first field that is wrong.
    fn order(&self, ctx: &Ctx<'_>) -> Result<Action, FieldError> {
        let today = rome_day(ctx.now);
        let service = self
            .service
            .clone()
            .ok_or_else(|| FieldError::of("service", Problem::NotChosen, "choose the service"))?;
        let local = self
            .slot
            .ok_or_else(|| FieldError::of("slot", Problem::NotChosen, "choose a slot"))?;
        if let Some(moving) = &self.moving {
            return Ok(Action::Reschedule {
                code: moving.appointment.code,
                local,
            });
        }
        if let Some(c) = &self.picked {
            return Ok(Action::Book(BookingOrder {
                person: Person::OnFile {
                    visitor_id: c.visitor_id,
                },
                service,
                local,
                booked_via: self.via,
            }));
        }
        let person = NewPerson::new(
            &self.family_name,
            &self.given_name,
            parse_typed_birth_date(&self.birth_date, today)?,
            &self.phone,
            today,
        )?;
        if !self.visitor_code.trim().is_empty() {
            return Ok(Action::BookByCode {
                visitor_code: self.visitor_code.trim().to_string(),
                family_name: person.family_name,
                given_name: person.given_name,
                service,
                local,
                booked_via: self.via,
            });
        }
        Ok(Action::Book(BookingOrder {
            person: Person::New(person),
            service,
            local,
            booked_via: self.via,
        }))
    }

    /// The store answered: what it did is shown, and what it changed is read again.
    pub fn done(&mut self, result: Result<Done, StoreError>, ctx: &Ctx<'_>) -> Action {
        let lang = self.lang;
        let today = rome_day(ctx.now);
        let done = match result {
            Ok(done) => done,
            Err(e) => {
                self.busy = false;
                let (field, message) = self.explain(&e);
                self.fail(field, message);
                // A full slot: the list shows what is free now, the next free one chosen.
                if let StoreError::BookingRefused(BookingRefusal::SlotFull { next_free, .. }) = &e {
                    self.slot = *next_free;
                    return self.slots_action(ctx);
                }
                return Action::None;
            }
        };
        match done {
            Done::Agenda(day, entries) => {
                if day == today {
                    self.today = entries.clone();
                    self.today_read_at = Some(ctx.now);
                }
                if day == self.day {
                    self.entries = entries;
                    if std::mem::take(&mut self.select_next_due) {
                        self.highlighted = self.next_due(ctx.now);
                    } else if self.selected().is_none() {
                        self.highlight_first_open();
                    }
                }
                Action::None
            }
            Done::Slots(service, slots) => {
                if self.service.as_deref() == Some(service.as_str()) {
                    self.slots = slots;
                    // The slot chosen stays chosen while it is still free.
                    if self
                        .slot
                        .is_some_and(|s| !self.slots.iter().any(|f| f.slot.local == s))
                    {
                        self.slot = None;
                    }
                    if self.slot.is_none() {
                        self.slot = self.slots.first().map(|f| f.slot.local);
                    }
                }
                Action::None
            }
            Done::Candidates(g, found) => {
                if g == self.search_generation {
                    self.candidates = found;
                    self.candidate = self.candidate.filter(|&i| i < self.candidates.len());
                }
                Action::None
            }
            Done::Booked(a) => {
                self.busy = false;
                self.clear_booking();
                self.notice = Some(Notice {
                    text: format!(
                        "{} {} · {}",
                        a.code,
                        a.start
                            .with_timezone(&crate::domain::hours::ROME)
                            .format("%d/%m/%Y %H:%M"),
                        i18n::service_name(lang, &a.service)
                    ),
                    tone: Tone::Good,
                    ticket: None,
                });
                self.confirmation = Some(a);
                self.reload_after_change(ctx)
            }
            Done::Rescheduled(moved) => {
                self.busy = false;
                self.clear_booking();
                self.notice = Some(Notice {
                    text: format!(
                        "{} → {} {}",
                        moved.cancelled.code,
                        moved.booked.code,
                        moved
                            .booked
                            .start
                            .with_timezone(&crate::domain::hours::ROME)
                            .format("%d/%m/%Y %H:%M")
                    ),
                    tone: Tone::Good,
                    ticket: None,
                });
                self.confirmation = Some(moved.booked);
                self.reload_after_change(ctx)
            }
            Done::Cancelled(a) => {
                self.busy = false;
                self.notice = Some(Notice {
                    text: format!("{} · {}", a.code, t(lang, T::BookingCancelled)),
                    tone: Tone::Info,
                    ticket: None,
                });
                self.reload_after_change(ctx)
            }
            Done::CheckedIn(checked) => {
                self.busy = false;
                self.filter.clear();
                let code = checked.appointment.code;
                self.check_in_attempts.retain(|(c, _)| *c != code);
                let r = &checked.registered;
                // A late arrival queues as a walk-in: reception says so to the person.
                let (words, tone) = if checked.late {
                    (t(lang, T::CheckedInLate), Tone::Warn)
                } else {
                    (t(lang, T::CheckedInOnTime), Tone::Good)
                };
                self.notice = Some(Notice {
                    text: format!(
                        "{} · {} {} · {words}",
                        checked.appointment.code,
                        t(lang, T::Queue),
                        i18n::queue_name(lang, r.queue)
                    ),
                    tone,
                    ticket: Some(r.ticket.to_string()),
                });
                self.reload_after_change(ctx)
            }
        }
    }

    fn reload_after_change(&self, ctx: &Ctx<'_>) -> Action {
        let today = rome_day(ctx.now);
        let mut again = vec![Action::Load(self.day)];
        if self.day != today {
            again.push(Action::Load(today));
        }
        if let Some(service) = &self.service {
            again.push(Action::Slots {
                service: service.clone(),
                from: self.first_day(ctx),
            });
        }
        Action::Many(again)
    }

    /// An answer of the store in the staff's language, and the field it is about.
    fn explain(&self, e: &StoreError) -> (Option<&'static str>, String) {
        let lang = self.lang;
        let hhmm = |t: &NaiveDateTime| t.format("%H:%M").to_string();
        match e {
            StoreError::BookingRefused(BookingRefusal::SlotFull { local, next_free }) => {
                let message = match next_free {
                    Some(next) => tf(
                        lang,
                        msg::ERR_SLOT_FULL,
                        &[("time", hhmm(local).into()), ("next", hhmm(next).into())],
                    ),
                    None => tf(
                        lang,
                        msg::ERR_SLOT_FULL_DAY,
                        &[("time", hhmm(local).into())],
                    ),
                };
                (Some("slot"), format!("{}: {message}", t(lang, T::Slot)))
            }
            StoreError::BookingRefused(BookingRefusal::AlreadyBooked { code, local }) => (
                Some("family_name"),
                tf(
                    lang,
                    msg::ERR_ALREADY_BOOKED,
                    &[
                        ("code", code.to_string().into()),
                        ("time", hhmm(local).into()),
                    ],
                ),
            ),
            StoreError::BookingRefused(other) => (
                Some("slot"),
                format!("{}: {other}", t(lang, T::BookingRefused)),
            ),
            StoreError::Input(f) if f.field == "visitor_code" => (
                Some("visitor_code"),
                format!(
                    "{}: {}",
                    t(lang, T::VisitorCodeOptional),
                    t(lang, T::ErrCodeNames)
                ),
            ),
            StoreError::Input(f) => (Some(f.field), errors::field_error(lang, f)),
            other => (None, errors::store_error(lang, other)),
        }
    }

    fn error_for(&self, field: &str) -> Option<String> {
        self.error
            .clone()
            .filter(|_| self.error_field.is_some_and(|f| f == field))
    }

    pub fn view<'a>(&'a self, ctx: &Ctx<'a>) -> Element<'a, Message> {
        row![
            self.agenda_view(ctx).width(Length::FillPortion(3)),
            scrollable(self.booking_view(ctx))
                .spacing(8)
                .width(Length::FillPortion(2)),
        ]
        .spacing(20)
        .into()
    }

    fn agenda_view<'a>(&'a self, ctx: &Ctx<'a>) -> iced::widget::Column<'a, Message> {
        let lang = ctx.lang;
        let title = row![
            focus::button(
                "previous-day",
                button(text(t(lang, T::PreviousDay)).size(14)).style(button::text),
                Some(Message::PreviousDay),
            ),
            text(format!(
                "{} · {}",
                t(lang, T::AgendaOf),
                weekday_date(lang, self.day)
            ))
            .size(20)
            .width(Length::Fill)
            .align_x(iced::alignment::Horizontal::Center),
            focus::button(
                "next-day",
                button(text(t(lang, T::NextDay)).size(14)).style(button::text),
                Some(Message::NextDay),
            ),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        let filter = text_input(t(lang, T::FilterAgenda), &self.filter)
            .id(FIRST_FIELD)
            .on_input(Message::Filter)
            .on_submit(Message::CheckIn)
            .style(focus::input_style)
            .padding(8)
            .size(18);

        let header = row![
            text(t(lang, T::Time)).size(13).width(50),
            text(t(lang, T::NameColumn)).size(13).width(Length::Fill),
            text(t(lang, T::Service)).size(13).width(Length::Fill),
            text(t(lang, T::BookingCodeLabel)).size(13).width(70),
            text(t(lang, T::State)).size(13).width(85),
        ]
        .spacing(8);
        let mut list = column![].spacing(2);
        let visible = self.visible();
        if visible.is_empty() {
            list = list.push(text(t(lang, T::NoBookings)).size(15));
        }
        for e in visible {
            let a = &e.appointment;
            let line = row![
                text(local_time(a.start)).size(15).width(50),
                // Names are their own text: an Arabic name is a right-to-left run.
                text(format!("{} {}", e.family_name, e.given_name))
                    .size(15)
                    .shaping(text::Shaping::Advanced)
                    .width(Length::Fill),
                text(i18n::service_name(lang, &a.service))
                    .size(14)
                    .width(Length::Fill),
                text(a.code.to_string()).size(15).width(70),
                text(i18n::appointment_state_name(lang, a.state))
                    .size(14)
                    .width(85),
            ]
            .spacing(8)
            .align_y(Alignment::Center);
            let picked = self.highlighted == Some(a.id);
            list = list.push(widgets::highlight(
                button(line)
                    .style(button::text)
                    .padding([2, 4])
                    .on_press(Message::Select(a.id)),
                picked,
            ));
        }

        let selected_open = self
            .selected()
            .filter(|e| e.appointment.state == AppointmentState::Booked);
        let mut actions = row![].spacing(8).align_y(Alignment::Center);
        if self.reception {
            actions = actions.push(focus::button(
                "check-in",
                button(text(t(lang, T::CheckIn)).size(17)).padding([8, 16]),
                (selected_open.is_some() && !self.busy).then_some(Message::CheckIn),
            ));
        }
        let cancel_label = if self.confirm_cancel.is_some() {
            t(lang, T::ConfirmCancelBooking)
        } else {
            t(lang, T::CancelBooking)
        };
        actions = actions
            .push(focus::button(
                "reschedule",
                button(text(t(lang, T::Reschedule))).style(button::secondary),
                selected_open.is_some().then_some(Message::Reschedule),
            ))
            .push(focus::button(
                "cancel-booking",
                button(text(cancel_label)).style(if self.confirm_cancel.is_some() {
                    button::danger
                } else {
                    button::secondary
                }),
                selected_open.is_some().then_some(Message::Cancel),
            ));

        let notice: Element<'a, Message> = match &self.notice {
            Some(n) => {
                let mut line = row![].spacing(12).align_y(Alignment::Center);
                if let Some(ticket) = &n.ticket {
                    line = line.push(text(ticket.clone()).size(40).font(Font {
                        weight: iced::font::Weight::Bold,
                        ..Font::DEFAULT
                    }));
                }
                line.push(container(widgets::banner(n.text.clone(), n.tone)).width(Length::Fill))
                    .into()
            }
            None => widgets::banner_slot(None, Tone::Good),
        };
        let errors_line = widgets::banner_slot(
            self.error.clone().filter(|_| {
                // Errors of the booking half stay beside its fields.
                !matches!(
                    self.error_field,
                    Some(
                        "service"
                            | "slot"
                            | "family_name"
                            | "given_name"
                            | "birth_date"
                            | "phone"
                            | "visitor_code"
                    )
                )
            }),
            Tone::Bad,
        );
        column![
            title,
            filter,
            text(t(lang, T::AppointmentKeys)).size(12),
            header,
            rule::horizontal(1),
            scrollable(list).spacing(8).height(Length::Fill),
            notice,
            errors_line,
            actions,
        ]
        .spacing(8)
    }

    fn booking_view<'a>(&'a self, ctx: &Ctx<'a>) -> Element<'a, Message> {
        let lang = ctx.lang;
        let field = |label: &'a str,
                     error_of: &'static str,
                     content: Element<'a, Message>|
         -> Element<'a, Message> {
            column![
                text(label).size(14),
                content,
                widgets::error_slot(self.error_for(error_of)),
            ]
            .spacing(3)
            .width(Length::Fill)
            .into()
        };
        let input = |id: &'static str, hint: &str, value: &'a str, on: fn(String) -> Message| {
            text_input(hint, value)
                .id(id)
                .on_input(on)
                .on_submit(Message::Book)
                .style(focus::input_style)
                .padding(6)
                .size(16)
        };
        let title: Element<'a, Message> = match &self.moving {
            Some(m) => row![
                text(format!(
                    "{} {} · {} {}",
                    t(lang, T::Moving),
                    m.appointment.code,
                    m.family_name,
                    m.given_name
                ))
                .size(18)
                .shaping(text::Shaping::Advanced)
                .width(Length::Fill),
                focus::button(
                    "stop-moving",
                    button(text(t(lang, T::CancelMove)).size(13)).style(button::text),
                    Some(Message::StopMoving),
                ),
            ]
            .align_y(Alignment::Center)
            .into(),
            None => text(t(lang, T::NewBooking)).size(18).into(),
        };

        let services = service_choices(lang);
        let chosen_service = self
            .service
            .as_ref()
            .and_then(|s| services.iter().find(|c| &c.value == s).cloned());
        let slots: Vec<Choice<NaiveDateTime>> = self
            .slots
            .iter()
            .take(SLOTS_SHOWN)
            .map(|f| Choice {
                value: f.slot.local,
                label: slot_label(lang, f),
            })
            .collect();
        let chosen_slot = self
            .slot
            .and_then(|s| slots.iter().find(|c| c.value == s).cloned());
        let slot_hint = if self.service.is_some() && self.slots.is_empty() {
            t(lang, T::NoFreeSlots)
        } else {
            "—"
        };
        let mut form = column![].spacing(6);
        // What was just booked comes first: the operator reads it out or copies it now.
        if let Some(a) = &self.confirmation {
            form = form.push(self.confirmation_view(lang, a));
        }
        form = form.push(
            column![
                title,
                field(
                    t(lang, T::Service),
                    "service",
                    focus::choice(
                        SERVICE_FIELD,
                        services,
                        chosen_service,
                        Message::Service,
                        "—"
                    )
                ),
                field(
                    t(lang, T::FreeSlots),
                    "slot",
                    focus::choice(SLOT_FIELD, slots, chosen_slot, Message::Slot, slot_hint)
                ),
            ]
            .spacing(6),
        );

        if self.moving.is_none() {
            form = form.push(
                row![
                    field(
                        t(lang, T::FamilyName),
                        "family_name",
                        input(FAMILY_FIELD, "", &self.family_name, Message::FamilyName).into()
                    ),
                    field(
                        t(lang, T::GivenName),
                        "given_name",
                        input("book-given-name", "", &self.given_name, Message::GivenName).into()
                    ),
                ]
                .spacing(8),
            );
            if let Some(p) = &self.picked {
                form = form.push(
                    row![
                        widgets::badge(
                            format!(
                                "{} · {} · {} {}",
                                t(lang, T::OnFileChosen),
                                p.visitor_code,
                                p.family_name,
                                p.given_name
                            ),
                            Tone::Good
                        ),
                        button(text(t(lang, T::NotThisPerson)).size(13))
                            .style(button::text)
                            .on_press(Message::Unpick),
                    ]
                    .spacing(8)
                    .align_y(Alignment::Center),
                );
            } else if !self.candidates.is_empty() {
                form = form.push(self.candidates_view(lang));
            }
            let more = row![
                field(
                    t(lang, T::BirthDate),
                    "birth_date",
                    input(
                        "book-birth-date",
                        t(lang, T::DateHint),
                        &self.birth_date,
                        Message::BirthDate
                    )
                    .into()
                ),
                field(
                    t(lang, T::Phone),
                    "phone",
                    input("book-phone", "", &self.phone, Message::Phone).into()
                ),
            ]
            .spacing(8);
            form = form.push(more);
            if !self.reception {
                form = form.push(field(
                    t(lang, T::VisitorCodeOptional),
                    "visitor_code",
                    input(
                        "book-visitor-code",
                        "V-000123",
                        &self.visitor_code,
                        Message::VisitorCode,
                    )
                    .into(),
                ));
            }
            let vias: Vec<Choice<BookedVia>> = BookedVia::ALL
                .into_iter()
                .map(|v| Choice {
                    value: v,
                    label: i18n::booked_via_name(lang, v).to_string(),
                })
                .collect();
            let via = vias.iter().find(|c| c.value == self.via).cloned();
            form = form.push(field(
                t(lang, T::BookedViaLabel),
                "via",
                focus::choice("book-via", vias, via, Message::Via, ""),
            ));
        }
        let label = if self.moving.is_some() {
            t(lang, T::Reschedule)
        } else {
            t(lang, T::Book)
        };
        form = form.push(focus::button(
            "book",
            button(text(label).size(17)).padding([8, 18]),
            (!self.busy).then_some(Message::Book),
        ));
        form.into()
    }

    fn candidates_view(&self, lang: Lang) -> Element<'_, Message> {
        let mut list = column![text(t(lang, T::CandidateKeys)).size(12)].spacing(2);
        for (i, c) in self.candidates.iter().enumerate() {
            // The whole line is the choice (a click, or the arrows and Enter): no button
            // beside it, so the names keep the narrow column's width.
            let line = row![
                text(c.visitor_code.clone()).size(14).width(72),
                text(format!("{} {}", c.family_name, c.given_name))
                    .size(14)
                    .shaping(text::Shaping::Advanced)
                    .width(Length::Fill),
                text(
                    c.birth_date
                        .map_or("—".into(), |d| d.format("%d/%m/%Y").to_string())
                )
                .size(14),
            ]
            .spacing(6)
            .align_y(Alignment::Center);
            list = list.push(widgets::highlight(
                button(line)
                    .style(button::text)
                    .padding([2, 4])
                    .on_press(Message::Pick(c.visitor_id)),
                self.candidate == Some(i),
            ));
        }
        container(list)
            .padding(6)
            .style(container::rounded_box)
            .into()
    }

    fn confirmation_view<'a>(&'a self, lang: Lang, a: &'a Appointment) -> Element<'a, Message> {
        let languages: Vec<Choice<ConfirmationLanguage>> = ConfirmationLanguage::ALL
            .into_iter()
            .map(|l| Choice {
                value: l,
                label: language_label(l).to_string(),
            })
            .collect();
        let chosen = languages
            .iter()
            .find(|c| c.value == self.confirmation_lang)
            .cloned();
        let words = self.confirmation_text_of(a);
        // Arabic reads right to left: the paragraph starts with the center's Latin name, so
        // the right-to-left mark says which way the whole paragraph runs (shown only; the
        // copied text is the template's own).
        let shown = if self.confirmation_lang == ConfirmationLanguage::Ar {
            format!("\u{200F}{words}")
        } else {
            words
        };
        let rtl = self.confirmation_lang == ConfirmationLanguage::Ar;
        let shown = container(
            text(shown)
                .size(16)
                .shaping(text::Shaping::Advanced)
                .width(Length::Fill)
                .align_x(if rtl {
                    text::Alignment::Right
                } else {
                    text::Alignment::Default
                }),
        )
        .width(Length::Fill)
        .padding(iced::Padding {
            left: if rtl { RTL_SLACK } else { 0.0 },
            right: if rtl { RTL_SLACK } else { 0.0 },
            ..iced::Padding::ZERO
        });
        container(
            column![
                text(t(lang, T::Confirmation)).size(15),
                row![
                    container(focus::choice(
                        CONFIRMATION_FIELD,
                        languages,
                        chosen,
                        Message::Language,
                        ""
                    ))
                    .width(Length::Fill),
                    focus::button(
                        "copy-confirmation",
                        button(text(t(lang, T::Copy))),
                        Some(Message::Copy)
                    ),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
                shown,
            ]
            .spacing(6),
        )
        .padding(10)
        .style(container::rounded_box)
        .into()
    }
}

/// Room kept on each side of a right-to-left confirmation: under Xvfb iced drew an Arabic
/// paragraph up to about 40 pixels wider than the width it was given, past the panel's edge
/// (on the right with the base direction left to right, on the left with it right to left).
const RTL_SLACK: f32 = 36.0;

/// A confirmation language by its own name, and its code for the keyboard (`ar`, `bn`).
fn language_label(l: ConfirmationLanguage) -> &'static str {
    match l {
        ConfirmationLanguage::It => "Italiano (it)",
        ConfirmationLanguage::En => "English (en)",
        ConfirmationLanguage::Ar => "العربية (ar)",
        ConfirmationLanguage::Es => "Español (es)",
        ConfirmationLanguage::Bn => "বাংলা (bn)",
        ConfirmationLanguage::Fr => "Français (fr)",
    }
}

/// `lun 07/07 10:30`: the day and time of a free slot, and how many places are left when
/// more than one is.
fn slot_label(lang: Lang, f: &FreeSlot) -> String {
    let local = f.slot.local;
    let places = if f.free_places > 1 {
        format!(" ({})", f.free_places)
    } else {
        String::new()
    };
    format!(
        "{} {}{places}",
        weekday_date(lang, local.date()),
        local.format("%H:%M")
    )
}

/// `lunedì 07/07/2025` in Italian, `Monday 07/07/2025` otherwise.
pub fn weekday_date(lang: Lang, day: NaiveDate) -> String {
    use chrono::Datelike;
    const IT: [&str; 7] = ["lun", "mar", "mer", "gio", "ven", "sab", "dom"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = day.weekday().num_days_from_monday() as usize;
    let name = if lang == Lang::It { IT[i] } else { EN[i] };
    format!("{name} {}", day.format("%d/%m/%Y"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appointment::tests::{booked, on_file, rome};
    use crate::ui::today::Today;

    fn entry(n: u128, at: &str, family: &str, given: &str) -> AgendaEntry {
        AgendaEntry {
            appointment: booked(n, on_file(n), at),
            family_name: family.into(),
            given_name: given.into(),
        }
    }

    #[test]
    fn the_filter_takes_words_of_the_names_in_any_order_or_the_code_as_typed() {
        let today = Today::default();
        let ctx = Ctx {
            lang: Lang::It,
            today: &today,
            now: rome("2025-06-09 10:00"),
        };
        let mut s = State::new(rome_day(ctx.now), true, Lang::It);
        s.entries = vec![
            entry(1, "2025-06-09 09:00", "Rahman", "Hasina"),
            entry(2, "2025-06-09 10:30", "محمد", "أحمد"),
            entry(3, "2025-06-09 11:00", "Sánchez Gutiérrez", "José"),
        ];
        let code = s.entries[2].appointment.code.to_string();
        for (typed, expected) in [
            ("hasina rah", vec![0]),
            ("sanchez", vec![2]),
            ("jose gutierrez", vec![2]),
            ("محمد", vec![1]),
            (code.to_lowercase().replace('-', "").as_str(), vec![2]),
            ("", vec![0, 1, 2]),
            ("nobody", vec![]),
        ] {
            s.update(Message::Filter(typed.to_string()), &ctx);
            let ids: Vec<uuid::Uuid> = s.visible().iter().map(|e| e.appointment.id).collect();
            let want: Vec<uuid::Uuid> = expected
                .iter()
                .map(|&i| s.entries[i].appointment.id)
                .collect();
            assert_eq!(ids, want, "{typed}");
        }
        // F2 at 10:00: the 09:00 booking is past its 30 minutes, the 10:30 one is next.
        s.update(Message::NextDue, &ctx);
        assert_eq!(s.highlighted, Some(s.entries[1].appointment.id));
        let Action::CheckIn { code, access_id } = s.update(Message::CheckIn, &ctx) else {
            panic!("Enter checks the highlighted booking in");
        };
        assert_eq!(code, s.entries[1].appointment.code);
        // The reply was lost: the retry, even of a booking read back as checked in, sends
        // the same access id, so it gets the ticket already issued.
        s.busy = false;
        s.entries[1].appointment.state = AppointmentState::CheckedIn;
        assert_eq!(
            s.update(Message::CheckIn, &ctx),
            Action::CheckIn { code, access_id }
        );
        // The booking role checks nobody in, whatever is highlighted.
        let mut b = State::new(rome_day(ctx.now), false, Lang::It);
        b.entries = s.entries.clone();
        b.update(Message::NextDue, &ctx);
        assert_eq!(b.update(Message::CheckIn, &ctx), Action::None);
    }
}
