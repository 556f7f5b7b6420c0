//! The register's storage: one narrow API of domain types.
//!
//! `Store` is what screens, commands and reports use. SQLite implements it today; a site
//! with several PCs will add a PostgreSQL implementation behind the same trait.

pub mod backup;
pub mod passwords;
pub mod postgres;
pub mod retention;
mod schema;
pub mod sqlite;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::agenda::{BookingRefusal, FreeSlot};
use crate::domain::appointment::{
    Appointment, BookedVia, BookingCode, CheckInError, Person, StateError,
};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::matching::{BirthQuery, Evidence};
use crate::domain::staff::{Role, Session};
use crate::domain::tally::{AccessFact, VisitorFact};
use crate::domain::visitor::{FieldError, Visitor, VisitorDetails};
use crate::domain::{Channel, Priority, Queue, Ticket, TicketEvent, TicketState, TransitionError};

pub use crate::domain::ticket::{EventRecord, TicketView};

pub use sqlite::SqliteStore;

/// Everything that can go wrong in the store, in words an operator can act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Input(#[from] FieldError),
    #[error(
        "the database is busy: another terminal is writing and did not finish within {0} seconds; try again"
    )]
    Busy(u64),
    #[error("{path}: {reason}")]
    NotADatabase { path: PathBuf, reason: String },
    #[error("{path}: the database is damaged ({detail}); restore the latest backup")]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path}: made by a newer welcome-desk (schema version {found}; this program knows up to {known}); update the program"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{path}: {reason}")]
    Encrypted { path: PathBuf, reason: String },
    #[error("{path}: this register is encrypted: give its passphrase in WELCOME_DESK_PASSPHRASE")]
    PassphraseNeeded { path: PathBuf },
    #[error("{path}: the folder does not exist")]
    MissingFolder { path: PathBuf },
    #[error("the database is read-only: nothing can be saved (check the file's permissions)")]
    ReadOnly,
    #[error("the disk is full: nothing was saved; free some space and try again")]
    DiskFull,
    #[error(
        "the disk refused to write (full, removed or failing): nothing was saved; free some space or check the disk, then try again"
    )]
    WriteFailed,
    #[error("the disk could not be read (removed or failing): check the disk, then try again")]
    ReadFailed,
    #[error("{0}")]
    NotFound(String),
    #[error("wrong name or password")]
    SignInRefused,
    #[error(
        "this account is locked after {failures} failed sign-ins, until {until} (Rome time); an administrator can reset the password"
    )]
    AccountLocked { failures: u32, until: String },
    #[error("{role} accounts may not {what}")]
    Forbidden { role: Role, what: String },
    #[error("the audit trail is broken: {0}")]
    AuditBroken(String),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// The agenda's refusal, in the English the command line prints ("the 10:30 slot is
    /// full; next free: 11:00"); a screen says it in the staff's language from the variant.
    #[error(transparent)]
    BookingRefused(#[from] BookingRefusal),
    #[error(transparent)]
    CheckInRefused(#[from] CheckInError),
    #[error(transparent)]
    Appointment(#[from] StateError),
    #[error("database error: {0}")]
    Sqlite(Arc<rusqlite::Error>),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: Arc<std::io::Error>,
    },
    /// The server engine lost or could not make its connection: retryable, and a terminal
    /// shows it as a banner while it reconnects.
    #[error("the server {server} is not reachable ({detail}); check the network, then try again")]
    Unreachable { server: String, detail: String },
    /// The server answered and said no: a wrong password, a certificate that does not
    /// verify, a database that does not exist. Trying again changes nothing.
    #[error("the server {server} refused the connection: {reason}")]
    ServerRefused { server: String, reason: String },
    #[error(
        "{server}: made by a newer welcome-desk (schema version {found}; this program knows up to {known}); update the program"
    )]
    ServerTooNew {
        server: String,
        found: i64,
        known: i64,
    },
    /// Another terminal changed the same rows at the same moment (a serialization failure
    /// or a deadlock): the transaction was rolled back whole.
    #[error(
        "another terminal changed the same records at the same moment: nothing was saved; try again"
    )]
    Conflict,
    #[error(
        "the database role may not do this ({0}): it must own the welcome_desk schema (see the README, A center with several PCs)"
    )]
    Privilege(String),
    /// A server error that is neither the input nor the connection.
    #[error("database error: {0}")]
    Database(String),
}

impl StoreError {
    /// What kind of failure, for the diagnostic log: the variant, never its text (which
    /// may quote what was typed).
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::Input(_) => "input",
            StoreError::Busy(_) => "busy",
            StoreError::NotADatabase { .. } => "not-a-database",
            StoreError::Corrupt { .. } => "corrupt",
            StoreError::TooNew { .. } => "too-new",
            StoreError::Encrypted { .. } => "encrypted",
            StoreError::PassphraseNeeded { .. } => "passphrase-needed",
            StoreError::MissingFolder { .. } => "missing-folder",
            StoreError::ReadOnly => "read-only",
            StoreError::DiskFull => "disk-full",
            StoreError::WriteFailed => "write-failed",
            StoreError::ReadFailed => "read-failed",
            StoreError::NotFound(_) => "not-found",
            StoreError::SignInRefused => "sign-in-refused",
            StoreError::AccountLocked { .. } => "account-locked",
            StoreError::Forbidden { .. } => "forbidden",
            StoreError::AuditBroken(_) => "audit-broken",
            StoreError::Transition(_) => "transition",
            StoreError::BookingRefused(_) => "booking-refused",
            StoreError::CheckInRefused(_) => "check-in-refused",
            StoreError::Appointment(_) => "appointment-state",
            StoreError::Sqlite(_) => "sqlite",
            StoreError::Io { .. } => "io",
            StoreError::Unreachable { .. } => "unreachable",
            StoreError::ServerRefused { .. } => "server-refused",
            StoreError::ServerTooNew { .. } => "server-too-new",
            StoreError::Conflict => "conflict",
            StoreError::Privilege(_) => "privilege",
            StoreError::Database(_) => "database",
        }
    }

    /// True when the input, not the system, was wrong.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            StoreError::Input(_)
                | StoreError::NotFound(_)
                | StoreError::Transition(_)
                | StoreError::BookingRefused(_)
                | StoreError::CheckInRefused(_)
                | StoreError::Appointment(_)
                | StoreError::SignInRefused
                | StoreError::AccountLocked { .. }
                | StoreError::Forbidden { .. }
        )
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Who the visitor of a registration is.
#[derive(Debug, Clone, PartialEq)]
pub enum VisitorChoice {
    /// Reception confirmed no candidate: a new person.
    New(VisitorDetails),
    /// A visitor already on file.
    Existing(Uuid),
}

/// A registration as reception makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub visitor: VisitorChoice,
    pub channel: Channel,
    pub service: String,
    pub priority: Option<Priority>,
    /// Reception's override of the proposed queue, with its reason.
    pub queue_override: Option<(Queue, String)>,
    pub appointment_at: Option<DateTime<Utc>>,
    /// Whether reception says the visitor is an SAI guest now (for an existing visitor it
    /// is added to what is on file: SAI status is never dropped by omission).
    pub sai_guest: bool,
    pub staff: String,
}

/// What registration produced: the ticket to hand over and the facts behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Registered {
    pub ticket: Ticket,
    pub queue: Queue,
    pub first_time: bool,
    pub visitor_id: Uuid,
    pub visitor_code: String,
    pub access_id: Uuid,
    pub day: NaiveDate,
    pub override_reason: Option<String>,
}

/// A ticket that a desk has just called.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Called {
    pub ticket: Ticket,
    pub queue: Queue,
    pub access_id: Uuid,
    pub desk: String,
    pub service: String,
    pub called_at: DateTime<Utc>,
}

/// A search candidate, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub visitor_id: Uuid,
    pub visitor_code: String,
    pub family_name: String,
    pub given_name: String,
    pub birth_date: Option<NaiveDate>,
    /// 0..1; see `domain::matching::score`.
    pub score: f64,
    /// `score >= domain::matching::LIKELY`.
    pub likely: bool,
    /// Why this person: which parts of the name matched and how, and how the birth date
    /// agrees (`evidence.reasons()` for the short list reception reads).
    pub evidence: Evidence,
    /// How alike the names alone are: orders candidates whose scores were capped alike (a
    /// common name without a date), so the closest spelling comes first.
    #[serde(skip)]
    pub name_similarity: f64,
}

/// One row of a legacy register, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyAccess {
    /// The line of the file, for messages.
    pub line: u64,
    pub arrived_at: DateTime<Utc>,
    pub person_ref: String,
    pub details: VisitorDetails,
    pub channel: Channel,
    pub service: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub rows: u64,
    pub accesses_added: u64,
    pub already_present: u64,
    pub visitors_added: u64,
}

/// Who acts on a ticket, and from which desk (the event log records both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor<'a> {
    pub staff: &'a str,
    /// `None` keeps the ticket's current desk (the command line closes tickets by number).
    pub desk: Option<&'a str>,
}

/// The register's storage.
pub trait Store: Send {
    /// Find or create the visitor, record the access with its first-time flag, issue the next
    /// ticket of the day in the routed queue: all or nothing.
    fn register(&mut self, registration: &Registration, at: DateTime<Utc>) -> Result<Registered>;

    /// Give the desk the next waiting ticket of the day in the given queues (queue order of
    /// the domain); `None` when nobody waits. Two desks never get the same ticket.
    fn call_next(
        &mut self,
        desk: &str,
        queues: &[Queue],
        staff: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<Called>>;

    /// Apply a lifecycle event (recall, start, finish, no-show, cancel) to a ticket of `day`.
    fn transition(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        event: TicketEvent,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<TicketState>;

    /// Close a ticket as transferred and issue a new one in `queue` for `service`, linked to it.
    fn transfer(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        queue: Queue,
        service: &str,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<Ticket>;

    /// The tickets of a day, in issue order.
    fn tickets_of_day(&self, day: NaiveDate) -> Result<Vec<TicketView>>;

    /// The event log of a day, oldest first.
    fn events_of_day(&self, day: NaiveDate) -> Result<Vec<EventRecord>>;

    fn visitor(&self, id: Uuid) -> Result<Visitor>;

    /// A visitor by the code on their card (`V-000123`) or by id.
    fn visitor_by_reference(&self, reference: &str) -> Result<Visitor>;

    /// The visitor an access belongs to, with how many accesses they have made in all: the
    /// card a desk opens for the person it serves.
    fn visitor_of_access(&self, access_id: Uuid) -> Result<(Visitor, u32)>;

    /// Candidates for a name (and birth date), at most `limit`, best first.
    fn search(
        &self,
        family_name: &str,
        given_name: &str,
        birth: BirthQuery,
        limit: usize,
    ) -> Result<Vec<Candidate>>;

    /// Facts for the report of Europe/Rome days `from..=to`.
    fn report_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<AccessFact>, Vec<VisitorFact>)>;

    /// Import a legacy register: all or nothing, idempotent, first-time flags recomputed.
    fn import_accesses(
        &mut self,
        rows: &[LegacyAccess],
        at: DateTime<Utc>,
    ) -> Result<ImportSummary>;

    /// Record that two visitor records are one person: `from` joins `into` (which must be a
    /// surviving record). No access is deleted or moved; reports and first-time flags follow
    /// the person. Returns the merge's number, for the undo.
    fn merge_visitors(
        &mut self,
        from: Uuid,
        into: Uuid,
        staff: &str,
        at: DateTime<Utc>,
    ) -> Result<i64>;

    /// Undo a merge (the latest one involving its records), restoring both records.
    fn undo_merge(&mut self, merge: i64, staff: &str, at: DateTime<Utc>) -> Result<()>;

    /// Read every page once (`PRAGMA quick_check`): damage below the header is reported as
    /// `StoreError::Corrupt` before it can spread.
    fn check(&self) -> Result<()>;

    /// A number that changes whenever another connection commits: the cheap poll that lets
    /// every terminal notice changes within a second.
    fn data_version(&self) -> Result<i64>;

    /// Copy the whole register to a new file `dest`, consistently, while terminals keep
    /// working (SQLite: the online backup API).
    fn backup_to(&self, dest: &std::path::Path) -> Result<()>;

    /// Staff accounts, by name.
    fn staff_accounts(&self) -> Result<Vec<StaffAccount>>;

    /// Create an account. `first_admin`: the first start's administrator, allowed only while
    /// there is no account at all (checked in the same transaction).
    fn create_staff(
        &mut self,
        name: &str,
        role: Role,
        password: &str,
        first_admin: bool,
        at: DateTime<Utc>,
    ) -> Result<()>;

    /// Sign in from `terminal`: six failures in a row lock the account for 30 minutes. Every
    /// attempt is audited.
    fn sign_in(
        &mut self,
        name: &str,
        password: &str,
        terminal: &str,
        at: DateTime<Utc>,
    ) -> Result<Session>;

    /// Set an account's password; `must_change` after an administrator's reset. Unlocks it.
    fn set_password(
        &mut self,
        name: &str,
        password: &str,
        must_change: bool,
        at: DateTime<Utc>,
    ) -> Result<()>;

    fn set_role(&mut self, name: &str, role: Role) -> Result<()>;

    /// Append to the audit trail (chained; see `domain::audit`).
    fn audit(
        &mut self,
        by: &Principal,
        action: AuditAction,
        record: Option<&str>,
        fields: &[&str],
        at: DateTime<Utc>,
    ) -> Result<()>;

    /// The audit trail of Europe/Rome days `from..=to`, oldest first.
    fn audit_trail(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AuditEntry>>;

    /// Check the whole trail's chain; the number of entries checked.
    fn verify_audit(&self) -> Result<i64>;

    /// Everything held about the person of visitor `id` (all their records).
    fn export_visitor(&self, id: Uuid) -> Result<VisitorRecord>;

    /// Erase the personal data of the person of visitor `id` (all their records): the
    /// records become anonymous; accesses and every figure of every report stay as they were.
    /// Returns the records anonymised.
    fn erase_visitor(&mut self, id: Uuid, at: DateTime<Utc>) -> Result<u64>;

    /// Anonymise every person whose last access is before `cutoff`; returns how many.
    fn purge(&mut self, cutoff: DateTime<Utc>, at: DateTime<Utc>) -> Result<u64>;

    fn setting(&self, key: &str) -> Result<Option<String>>;
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()>;
}

/// A booking asked for, as the contact center or the desk takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingOrder {
    pub person: Person,
    /// A service code of the catalogue.
    pub service: String,
    /// The slot, in Europe/Rome wall-clock time, as said on the phone.
    pub local: chrono::NaiveDateTime,
    pub booked_via: BookedVia,
}

/// What checking in an appointment produced: the ticket, as `register` gives it, and
/// whether the person came too late to keep the slot's place in the queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckedIn {
    #[serde(flatten)]
    pub registered: Registered,
    pub late: bool,
    pub appointment: Appointment,
}

/// Appointments and the agenda (issue 14), beside [`Store`] rather than in it so that a
/// register that does not take bookings (a test double, a read-only copy) need not
/// pretend to. Agendas are the defaults of `Agenda::new(service)` until they get settings.
///
/// Every method that changes a booking runs in one `BEGIN IMMEDIATE` transaction and
/// writes an `appointment_event` row; the caller writes the audit entry, as for `register`.
pub trait Appointments: Store {
    /// Book a slot. The service's bookings of that Rome day are read and the agenda's rules
    /// checked inside the same `BEGIN IMMEDIATE` transaction that inserts the booking, so
    /// that two terminals (or processes) booking the last place of a slot at once cannot
    /// both get it: the second one waits for the first to commit, then sees the slot full
    /// and gets `StoreError::BookingRefused`. The code is drawn until it is unused, under
    /// the same lock.
    fn book_appointment(
        &mut self,
        order: &BookingOrder,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment>;

    /// The next `count` slots of `service` with a place, from `from` (or from `now`).
    /// A plain read: a slot shown free may be taken before it is booked, and booking
    /// checks again.
    fn free_slots(
        &self,
        service: &str,
        from: NaiveDate,
        count: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<FreeSlot>>;

    /// The bookings of a Rome day, every state, by start then code. A plain read.
    fn appointments_of_day(&self, day: NaiveDate) -> Result<Vec<Appointment>>;

    /// A booking by its code. A plain read.
    fn appointment(&self, code: BookingCode) -> Result<Appointment>;

    /// Cancel a booking, which frees its place. In one `BEGIN IMMEDIATE` transaction that
    /// reads the state it changes: of two terminals cancelling (or one cancelling while
    /// another checks in), the second gets `StoreError::Appointment`.
    fn cancel_appointment(
        &mut self,
        code: BookingCode,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment>;

    /// Check a person in at `now`: the domain's `check_in` decides the channel and the
    /// slot the ticket carries; the access and the ticket are written as `register` writes
    /// them (someone new becomes a visitor from the booking's names; a visitor on file is
    /// that visitor), and the booking is marked checked in with its access, all in one
    /// `BEGIN IMMEDIATE` transaction: a booking is never checked in twice, nor without its
    /// ticket.
    fn check_in_appointment(
        &mut self,
        code: BookingCode,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<CheckedIn>;

    /// The end-of-day sweep: the bookings of `day` still booked once the agenda says so
    /// (`Agenda::no_shows`) become no-shows. Idempotent; in one `BEGIN IMMEDIATE`
    /// transaction, so a check-in racing the sweep either lands first (and the booking is
    /// not swept) or finds it a no-show. Returns the bookings it changed.
    fn sweep_no_shows(&mut self, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Appointment>>;
}

/// Who acts, as the audit trail records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub staff: String,
    pub role: Role,
    /// `terminal:HOST` or `cli:HOST`.
    pub terminal: String,
}

/// A staff account as an administrator sees it (never the hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffAccount {
    pub name: String,
    pub role: Role,
    pub failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
    pub must_change: bool,
}

/// Everything held about one person: the answer to a request of access (GDPR art. 15).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitorRecord {
    /// The surviving record, and every record merged into it.
    pub records: Vec<HeldVisitor>,
    pub accesses: Vec<HeldAccess>,
    /// What staff did with these records (audit entries naming them), without MACs.
    pub audit: Vec<HeldAudit>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldVisitor {
    #[serde(flatten)]
    pub visitor: Visitor,
    pub legacy_ref: Option<String>,
    pub created_at: DateTime<Utc>,
    pub merged_into: Option<Uuid>,
    pub anonymised_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldAccess {
    pub id: Uuid,
    pub visitor_id: Uuid,
    pub arrived_at: DateTime<Utc>,
    pub channel: Channel,
    pub service: String,
    pub queue: Queue,
    pub first_time: bool,
    pub priority: Option<String>,
    pub override_reason: Option<String>,
    pub source: String,
    pub staff: String,
    pub tickets: Vec<HeldTicket>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldTicket {
    pub day: NaiveDate,
    pub ticket: String,
    pub state: String,
    pub desk: Option<String>,
    pub events: Vec<HeldEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldEvent {
    pub at: DateTime<Utc>,
    pub event: String,
    pub desk: Option<String>,
    pub staff: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldAudit {
    pub at: DateTime<Utc>,
    pub action: String,
    pub role: String,
    pub terminal: String,
    pub fields: Vec<String>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub visitors: u64,
    pub accesses: u64,
    /// Where the register that was replaced went (a copy, or the damaged file set aside).
    pub kept: Option<PathBuf>,
}

/// A visitor made up by the demo generator.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticVisitor {
    pub details: VisitorDetails,
    pub created_at: DateTime<Utc>,
}

/// What became of a synthetic ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticTicket {
    pub state: TicketState,
    pub desk: Option<String>,
    pub called_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// An access made up by the demo generator. `visitor` indexes the visitors generated so far
/// (0 = the first one of this load).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticAccess {
    pub visitor: usize,
    pub arrived_at: DateTime<Utc>,
    pub channel: Channel,
    pub service: String,
    pub queue: Queue,
    pub first_time: bool,
    pub priority: Option<Priority>,
    /// Recent days carry tickets and their event log, so that desks and the tally have a
    /// realistic today; older days carry accesses only (the statistics need no more).
    pub ticket: Option<SyntheticTicket>,
}

/// One day of synthetic traffic: the visitors first seen that day, then the day's accesses.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyntheticDay {
    pub visitors: Vec<SyntheticVisitor>,
    pub accesses: Vec<SyntheticAccess>,
}
