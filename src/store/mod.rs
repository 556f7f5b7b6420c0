//! The register's storage: one narrow API of domain types.
//!
//! `Store` is what screens, commands and reports use. SQLite implements it today; a site
//! with several PCs will add a PostgreSQL implementation behind the same trait.

pub mod appointments;
pub mod audit_keys;
pub mod backup;
pub mod feed;
pub mod location;
pub mod maintenance;
pub mod passwords;
pub mod people;
pub mod postgres;
pub mod reports;
pub mod retention;
pub mod sqlite;
pub mod tickets;
pub mod visitors;

pub use appointments::{AppointmentWork, Appointments};
pub use audit_keys::{AuditKeys, KeyFile};
pub use feed::ChangeFeed;
pub use location::{Location, open, watch};
pub use maintenance::Maintenance;
pub use people::{PasswordHash, People, PeopleWork};
pub use reports::Reports;
pub use tickets::{TicketWork, Tickets};
pub use visitors::{VisitorWork, Visitors};

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::agenda::BookingRefusal;
use crate::domain::appointment::{
    Appointment, BookedVia, BookingCode, CheckInError, Person, Rescheduled, StateError,
};
use crate::domain::audit::AuditAction;
use crate::domain::staff::Role;
use crate::domain::visitor::{FieldError, Visitor, VisitorDetails};
use crate::domain::{Channel, Priority, Queue, Ticket, TicketEvent, TicketState, TransitionError};
use crate::progress::Silent;

pub use crate::domain::matching::Candidate;
pub use crate::domain::ticket::{EventRecord, TicketView};

pub use sqlite::SqliteStore;

/// Whether this build can open and create encrypted register files.
pub const ENCRYPTION: bool = sqlite::CIPHER;

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
    /// A row of an imported file that the store refused (the agenda's rules, a field): the
    /// line of the file, the field at fault, and why. Nothing of the file was stored.
    #[error("line {line}: {field}: {message}")]
    ImportRow {
        line: u64,
        field: &'static str,
        message: String,
    },
    /// What this build cannot do at all (not a failure to retry).
    #[error("{0}")]
    Unsupported(String),
    /// An engine's error that is neither the input's nor the disk's: its own words.
    #[error("database error: {0}")]
    Database(String),
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
            StoreError::ImportRow { .. } => "import-row",
            StoreError::Database(_) => "database",
            StoreError::Unsupported(_) => "unsupported",
            StoreError::Io { .. } => "io",
            StoreError::Unreachable { .. } => "unreachable",
            StoreError::ServerRefused { .. } => "server-refused",
            StoreError::ServerTooNew { .. } => "server-too-new",
            StoreError::Conflict => "conflict",
            StoreError::Privilege(_) => "privilege",
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
                | StoreError::ImportRow { .. }
                | StoreError::SignInRefused
                | StoreError::AccountLocked { .. }
                | StoreError::Forbidden { .. }
        )
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A UUID v7 whose time part is the event's time, not the wall clock's: the ids of one
/// event are the same whichever engine stores them.
pub(crate) fn uuid_at(at: DateTime<Utc>) -> Uuid {
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        at.timestamp().max(0) as u64,
        at.timestamp_subsec_nanos(),
    );
    Uuid::new_v7(ts)
}

/// A failed file operation, naming the file.
pub fn io_error(context: impl Into<String>, e: std::io::Error) -> StoreError {
    StoreError::Io {
        context: context.into(),
        source: Arc::new(e),
    }
}

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
    /// The access's id (a UUID v7), made by whoever sends the registration, before sending,
    /// and kept for every retry of it: a registration whose access id is already stored is
    /// not stored again, and gets the ticket already issued (a reply lost on the network
    /// never makes a second ticket). A new arrival takes a new id.
    pub access_id: Uuid,
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

/// What registering (or checking a booking in) produced: a ticket issued now, or the one
/// already issued to the same access id (a retry after a lost reply), given again.
#[derive(Debug, Clone, PartialEq)]
pub enum Issued<T = Registered> {
    New(T),
    Again(T),
}

impl<T> Issued<T> {
    /// What was issued, now or before.
    pub fn into_inner(self) -> T {
        match self {
            Issued::New(r) | Issued::Again(r) => r,
        }
    }
}

impl Issued {
    pub fn registered(self) -> Registered {
        self.into_inner()
    }
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

/// What importing the contact center's bookings did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookingImport {
    pub rows: u64,
    /// The bookings made, in the file's order.
    pub booked: Vec<Appointment>,
    /// Rows already on file (same person, service and slot), booked by an earlier import,
    /// at the desk, or twice in this file.
    pub already_present: u64,
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

/// The register's storage: what every engine (a SQLite file, a PostgreSQL server)
/// provides, by area. Reads are methods of the store; writes happen inside a [`Tx`] from
/// [`Store::begin`], so that the service layer (`crate::service`) can do the work and write
/// its audit entry in one transaction.
pub trait Store: Tickets + Visitors + People + Reports + Appointments + Maintenance + Send {
    /// Begin a writing transaction. It waits (up to the engine's busy timeout) while
    /// another terminal writes, and holds the write lock until [`Tx::commit`]; dropping it
    /// uncommitted rolls everything back.
    fn begin(&mut self) -> Result<Box<dyn Tx + '_>>;

    /// What must follow a commit but cannot run inside a transaction, called by [`write`]:
    /// the server rewrites the tables an erasure touched, so the erased text leaves its
    /// files (SQLite does its part in the commit). Nothing by default.
    fn after_commit(&mut self) -> Result<()> {
        Ok(())
    }

    // One transaction each, with no audit entry: what tests, tools and benches need. The
    // terminal and the command line go through `crate::service`, which audits.

    fn register(&mut self, registration: &Registration, at: DateTime<Utc>) -> Result<Registered> {
        write(self, |tx| tx.register(registration, at))
    }

    fn call_next(
        &mut self,
        desk: &str,
        queues: &[Queue],
        staff: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<Called>> {
        write(self, |tx| tx.call_next(desk, queues, staff, at))
    }

    fn transition(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        event: TicketEvent,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<TicketState> {
        write(self, |tx| tx.transition(day, ticket, event, by, at))
    }

    fn transfer(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        queue: Queue,
        service: &str,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<Ticket> {
        write(self, |tx| tx.transfer(day, ticket, queue, service, by, at))
    }

    fn import_accesses(
        &mut self,
        rows: &[LegacyAccess],
        at: DateTime<Utc>,
    ) -> Result<ImportSummary> {
        write(self, |tx| tx.import_accesses(rows, at, &mut Silent))
    }

    fn merge_visitors(
        &mut self,
        from: Uuid,
        into: Uuid,
        staff: &str,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        write(self, |tx| tx.merge_visitors(from, into, staff, at))
    }

    fn undo_merge(&mut self, merge: i64, staff: &str, at: DateTime<Utc>) -> Result<()> {
        write(self, |tx| tx.undo_merge(merge, staff, at))
    }

    fn erase_visitor(&mut self, id: Uuid, at: DateTime<Utc>) -> Result<u64> {
        write(self, |tx| tx.erase_visitor(id, at))
    }

    fn purge(&mut self, cutoff: DateTime<Utc>, at: DateTime<Utc>) -> Result<u64> {
        let due = self.due_for_purge(cutoff)?;
        write(self, |tx| tx.purge(&due, cutoff, at, &mut Silent))
    }

    fn create_staff(
        &mut self,
        name: &str,
        role: Role,
        password: &str,
        first_admin: bool,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let hash = passwords::hash_new(password)?;
        write(self, |tx| {
            tx.create_staff(name, role, &hash, first_admin, at)
        })
    }

    fn set_password(&mut self, name: &str, password: &str, must_change: bool) -> Result<()> {
        let hash = passwords::hash_new(password)?;
        write(self, |tx| tx.set_password(name, &hash, must_change))
    }

    fn set_role(&mut self, name: &str, role: Role) -> Result<()> {
        write(self, |tx| tx.set_role(name, role))
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        write(self, |tx| tx.set_setting(key, value))
    }

    fn audit(
        &mut self,
        by: &Principal,
        action: AuditAction,
        record: Option<&str>,
        fields: &[&str],
        at: DateTime<Utc>,
    ) -> Result<()> {
        write(self, |tx| tx.audit(by, action, record, fields, at))
    }

    fn book_appointment(
        &mut self,
        order: &BookingOrder,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment> {
        write(self, |tx| tx.book_appointment(order, staff, now))
    }

    fn cancel_appointment(
        &mut self,
        code: BookingCode,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment> {
        write(self, |tx| tx.cancel_appointment(code, staff, now))
    }

    fn reschedule_appointment(
        &mut self,
        code: BookingCode,
        local: chrono::NaiveDateTime,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Rescheduled> {
        write(self, |tx| {
            tx.reschedule_appointment(code, local, staff, now)
        })
    }

    fn check_in_appointment(
        &mut self,
        code: BookingCode,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<CheckedIn> {
        write(self, |tx| tx.check_in_appointment(code, staff, now))
    }

    fn sweep_no_shows(&mut self, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Appointment>> {
        write(self, |tx| tx.sweep_no_shows(day, now))
    }

    fn backup_to(&self, dest: &std::path::Path) -> Result<()> {
        self.backup_to_with(dest, &mut Silent)
    }

    fn load_synthetic(
        &mut self,
        days: &mut dyn Iterator<Item = SyntheticDay>,
        staff: &str,
    ) -> Result<(u64, u64)> {
        self.load_synthetic_with(days, staff, &mut Silent)
    }
}

/// One writing transaction of the register: the work of every area, committed together.
pub trait Tx: TicketWork + VisitorWork + PeopleWork + AppointmentWork {
    /// Make everything done in this transaction durable, at once.
    fn commit(self: Box<Self>) -> Result<()>;
}

/// Run `work` in one transaction of `store` and commit it; nothing is kept when it fails.
pub fn write<S: Store + ?Sized, T>(
    store: &mut S,
    work: impl FnOnce(&mut dyn Tx) -> Result<T>,
) -> Result<T> {
    let mut tx = store.begin()?;
    let value = work(&mut *tx)?;
    tx.commit()?;
    store.after_commit()?;
    Ok(value)
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
    /// The person's bookings made while on file, every state, by start.
    pub appointments: Vec<crate::domain::appointment::Appointment>,
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

/// A booking made up by the demo generator.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticAppointment {
    /// Drawn by the generator, so that the same seed gives the same codes; a loader that
    /// finds it taken (a register that already has bookings) draws the next free one.
    pub code: BookingCode,
    pub start: DateTime<Utc>,
    pub service: String,
    pub booked_via: BookedVia,
    pub booked_at: DateTime<Utc>,
    pub state: crate::domain::appointment::AppointmentState,
    /// When it was checked in, swept as a no-show or cancelled; `None` while booked.
    pub closed_at: Option<DateTime<Utc>>,
    /// Checked in: the index, in the same day's `accesses`, of the access it became (whose
    /// visitor is the person, and whose `appointment_at` is the slot). Otherwise `None`.
    pub access: Option<usize>,
    /// Not checked in: the names the contact center took, for someone not on file.
    pub names: Option<(String, String)>,
}

/// One day of synthetic traffic: the visitors first seen that day, then the day's accesses,
/// then the bookings made known that day (those checked in among the day's accesses, the
/// day's no-shows and cancellations, and on the last day the bookings still to come).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyntheticDay {
    pub visitors: Vec<SyntheticVisitor>,
    pub accesses: Vec<SyntheticAccess>,
    pub appointments: Vec<SyntheticAppointment>,
}

/// The store's traits, for code that calls a store's methods by name.
pub mod prelude {
    pub use super::{
        AppointmentWork, Appointments, Maintenance, People, PeopleWork, Reports, Store, TicketWork,
        Tickets, Tx, VisitorWork, Visitors,
    };
}
