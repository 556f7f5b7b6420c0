//! The command line: the contract in ../shared/DESIGN.md. It serves whoever holds the
//! database file; its actions are recorded under the operating-system user.

mod progress;

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use uuid::Uuid;

use crate::domain::appointment::{Appointment, BookedVia, BookingCode, NewPerson, Person};
use crate::domain::hours::{ClosedReason, OpeningHours, ROME, WalkInStatus, rome_day};
use crate::domain::matching::{BirthQuery, DateEvidence, PartMatch, Reason};
use crate::domain::staff::Role;
use crate::domain::visitor::{
    FieldError, VisitorDetails, parse_birth_date, parse_country, parse_languages, parse_phone,
    validate_name,
};
use crate::domain::{Channel, Queue, Sex, Ticket, TicketEvent};
use crate::print::{PrintError, Printer};
use crate::service;
use crate::store::{
    BookingOrder, Candidate, Location, Principal, Registration, Store, StoreError, VisitorChoice,
};
use crate::ui::this_pc;
use crate::voice::VoiceError;

/// Exit codes of the contract.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const BAD_INPUT: u8 = 2;
    pub const NOTHING_TO_DO: u8 = 3;
}

#[derive(Debug, Parser)]
#[command(
    name = "welcome-desk",
    version,
    about = "Check-in terminal of the Milano Welcome Center. Without a subcommand it opens the window."
)]
pub struct Cli {
    /// The register: a database file, or a server as postgresql://… [default: a file in the
    /// platform data directory]
    #[arg(long, global = true, env = "WELCOME_DESK_DB", value_name = "PATH|URL")]
    pub db: Option<String>,
    /// The window is this desk ("Sportello 3"), whatever desk the PC remembers
    #[arg(long, value_name = "LABEL")]
    pub desk: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Outcome {
    Done,
    NoShow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    It,
    En,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import data from elsewhere
    #[command(subcommand)]
    Import(ImportCommand),
    /// Register an access and issue a ticket
    Register(RegisterArgs),
    /// Call the next waiting visitor to a desk
    CallNext {
        #[arg(long)]
        desk: String,
        #[arg(long, value_parser = parse_queue)]
        queue: Option<Queue>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Close today's ticket TICKET (e.g. G-012)
    Finish {
        #[arg(value_parser = parse_ticket)]
        ticket: Ticket,
        #[arg(long, value_enum)]
        outcome: Outcome,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Find visitors on file by name
    Search {
        #[arg(long)]
        family_name: String,
        #[arg(long)]
        given_name: String,
        /// YYYY-MM-DD, DD/MM/YYYY, DD/MM/YY (the century of the date on file) or YYYY
        #[arg(long)]
        birth_date: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Figures for a range of Europe/Rome days
    Report {
        #[arg(long, value_parser = parse_date, required_unless_present = "day", requires = "to")]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = parse_date, requires = "from")]
        to: Option<NaiveDate>,
        #[arg(long, value_parser = parse_date, conflicts_with_all = ["from", "to"])]
        day: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Language of the text form
        #[arg(long, value_enum, default_value_t = LangArg::It)]
        lang: LangArg,
    },
    /// Fill the database with realistic synthetic traffic
    Demo {
        #[arg(long, default_value_t = 90)]
        days: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Multiple of today's traffic (10 = ten times the center)
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
    },
    /// Copy the database to DEST, consistently, while terminals keep working
    Backup { dest: PathBuf },
    /// Replace the register with the backup SRC (checked first; the register it replaces is
    /// kept in the backups folder)
    Restore {
        src: PathBuf,
        /// Replace an existing register
        #[arg(long)]
        force: bool,
    },
    /// Record that two visitor records are the same person (FROM joins INTO)
    MergeVisitors {
        #[arg(long)]
        from: Uuid,
        #[arg(long)]
        into: Uuid,
    },
    /// Undo a merge by its number (printed by merge-visitors)
    UndoMerge { merge: i64 },
    /// Print everything held about the person of visitor ID, as JSON (a request of access)
    ExportVisitor { id: Uuid },
    /// Erase the personal data of the person of visitor ID; reports stay as they were
    EraseVisitor { id: Uuid },
    /// Anonymise everyone whose last access is older than the retention period
    Purge {
        /// Months after the last access [default: the register's setting, else 24]
        #[arg(long)]
        months: Option<u32>,
    },
    /// Show or change a setting: retention_months (default 24), idle_lock_minutes (default 3)
    /// of the register; printer (URI or none), voice (on or off) and voice_languages (after
    /// Italian: en, es, fr) of this PC
    Setting {
        #[arg(value_parser = ["retention_months", "idle_lock_minutes", "printer", "voice", "voice_languages"])]
        key: String,
        /// The new value; without it, the current one is printed
        value: Option<String>,
    },
    /// Print (or print again) today's ticket TICKET on this PC's printer
    PrintTicket {
        #[arg(value_parser = parse_ticket)]
        ticket: Ticket,
        /// tcp://HOST:9100, usb:VID:PID, or a device or file path [default: this PC's printer]
        #[arg(long, value_name = "URI")]
        printer: Option<String>,
    },
    /// Write the spoken call of TICKET to DESK, as the wall screen would play it, to a WAV file
    Announce {
        #[arg(value_parser = parse_ticket)]
        ticket: Ticket,
        /// The desk label; it is spoken by its number ("Sportello 3": three)
        #[arg(long)]
        desk: String,
        /// Languages, comma-separated; Italian always comes first [default: this PC's setting,
        /// else it,en]
        #[arg(long, value_name = "LIST")]
        lang: Option<String>,
        #[arg(long, value_name = "FILE.wav")]
        out: PathBuf,
    },
    /// Appointments: book, show free slots, list a day, cancel, check in
    #[command(subcommand)]
    Appointment(AppointmentCommand),
    /// The audit trail
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Staff accounts
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Panic on purpose: proves that a crash is logged and reported (for tests)
    #[command(hide = true)]
    CrashTest,
}

impl Command {
    /// The command's name as typed, for the diagnostic log (never its arguments).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Import(ImportCommand::Accesses { .. }) => "import accesses",
            Command::Register(_) => "register",
            Command::CallNext { .. } => "call-next",
            Command::Finish { .. } => "finish",
            Command::Search { .. } => "search",
            Command::Report { .. } => "report",
            Command::Demo { .. } => "demo",
            Command::Backup { .. } => "backup",
            Command::Restore { .. } => "restore",
            Command::MergeVisitors { .. } => "merge-visitors",
            Command::UndoMerge { .. } => "undo-merge",
            Command::ExportVisitor { .. } => "export-visitor",
            Command::EraseVisitor { .. } => "erase-visitor",
            Command::Purge { .. } => "purge",
            Command::Setting { .. } => "setting",
            Command::Appointment(AppointmentCommand::Book(_)) => "appointment book",
            Command::Appointment(AppointmentCommand::Free { .. }) => "appointment free",
            Command::Appointment(AppointmentCommand::List { .. }) => "appointment list",
            Command::Appointment(AppointmentCommand::Cancel { .. }) => "appointment cancel",
            Command::Appointment(AppointmentCommand::Reschedule { .. }) => "appointment reschedule",
            Command::Appointment(AppointmentCommand::CheckIn { .. }) => "appointment check-in",
            Command::Appointment(AppointmentCommand::Sweep { .. }) => "appointment sweep",
            Command::Appointment(AppointmentCommand::Agenda { .. }) => "appointment agenda",
            Command::Appointment(AppointmentCommand::Import { .. }) => "appointment import",
            Command::Audit(AuditCommand::Verify) => "audit verify",
            Command::Audit(AuditCommand::Export { .. }) => "audit export",
            Command::Staff(StaffCommand::Add { .. }) => "staff add",
            Command::Staff(StaffCommand::ResetPassword { .. }) => "staff reset-password",
            Command::Staff(StaffCommand::SetRole { .. }) => "staff set-role",
            Command::Staff(StaffCommand::List) => "staff list",
            Command::PrintTicket { .. } => "print-ticket",
            Command::Announce { .. } => "announce",
            Command::CrashTest => "crash-test",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A legacy register in CSV (see the README for its columns)
    Accesses { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum AppointmentCommand {
    /// Book a slot of a service for a person on file (--visitor) or someone new
    Book(BookArgs),
    /// The next free slots of a service
    Free {
        #[arg(long)]
        service: String,
        /// First day to look at (YYYY-MM-DD) [default: today]
        #[arg(long, value_parser = parse_date)]
        from: Option<NaiveDate>,
        #[arg(long, default_value_t = 5)]
        count: usize,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The bookings of a day, every state
    List {
        #[arg(long, value_parser = parse_date)]
        day: NaiveDate,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Cancel booking CODE (e.g. A-7K3F), which frees its place
    Cancel {
        #[arg(value_parser = parse_booking)]
        code: BookingCode,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Move booking CODE to another slot: it is cancelled and a new booking (new code) made
    /// for the same person and service
    Reschedule {
        #[arg(value_parser = parse_booking)]
        code: BookingCode,
        /// The new slot, Europe/Rome time: "YYYY-MM-DD HH:MM"
        #[arg(long, value_parser = parse_local)]
        at: NaiveDateTime,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Check in booking CODE now: issues its ticket, as register does
    CheckIn {
        #[arg(value_parser = parse_booking)]
        code: BookingCode,
        /// The access's id, made by a script before it sends: sent again with the same id
        /// (after a timeout), the booking is checked in once and prints the ticket already
        /// issued
        #[arg(long, value_name = "UUID")]
        access_id: Option<Uuid>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Book the rows of the contact center's export (CSV: at, family_name, given_name,
    /// birth_date, phone, service, via); all or nothing; rows already on file are skipped
    Import {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show a service's agenda, or change it with the options given (the others stay):
    /// e.g. --slot-minutes 20 --places 2 --hours "wed=14:00-17:00,sat=closed"
    Agenda {
        #[arg(long)]
        service: String,
        /// Length of a slot in minutes (5-480)
        #[arg(long)]
        slot_minutes: Option<u32>,
        /// People booked per slot (0 closes the agenda and keeps its hours)
        #[arg(long)]
        places: Option<u32>,
        /// Days' hours laid over the agenda's: DAY=HH:MM-HH:MM, DAY=closed or DAY=walk-in
        /// (the walk-in hours), comma-separated; days mon tue wed thu fri sat sun
        #[arg(long)]
        hours: Option<String>,
        /// How many days ahead can be booked (1-366)
        #[arg(long)]
        horizon_days: Option<u32>,
        /// Minutes after the slot's start a person still keeps it (0-240)
        #[arg(long)]
        lateness_minutes: Option<u32>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Turn the bookings of a past day never checked in into no-shows (safe to run again)
    Sweep {
        #[arg(long, value_parser = parse_date)]
        day: NaiveDate,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub struct BookArgs {
    #[arg(long)]
    pub family_name: String,
    #[arg(long)]
    pub given_name: String,
    #[arg(long)]
    pub birth_date: Option<String>,
    /// The visitor on file the booking is for (from `search`)
    #[arg(long)]
    pub visitor: Option<Uuid>,
    #[arg(long)]
    pub service: String,
    /// The slot, Europe/Rome time: "YYYY-MM-DD HH:MM"
    #[arg(long, value_parser = parse_local)]
    pub at: NaiveDateTime,
    #[arg(long, default_value = "desk", value_parser = parse_via)]
    pub via: BookedVia,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the chain of the whole trail: exit 0 if intact, 1 if an entry was edited or deleted
    Verify,
    /// Print the trail of a range of Rome days
    Export {
        #[arg(long, value_parser = parse_date)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_date)]
        to: NaiveDate,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Create an account (the password is read from WELCOME_DESK_PASSWORD or stdin)
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Set a new password that must be changed at the next sign-in (and unlock the account)
    ResetPassword {
        #[arg(long)]
        name: String,
    },
    /// Change an account's role
    SetRole {
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// List the accounts
    List,
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    #[arg(long)]
    pub family_name: String,
    #[arg(long)]
    pub given_name: String,
    #[arg(long)]
    pub birth_date: Option<String>,
    #[arg(long)]
    pub sex: Option<String>,
    #[arg(long)]
    pub country: Option<String>,
    /// ISO 639-1 codes, comma-separated
    #[arg(long)]
    pub languages: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub sai_guest: bool,
    #[arg(long, default_value = "walk-in", value_parser = parse_channel)]
    pub channel: Channel,
    #[arg(long)]
    pub service: String,
    /// The visitor on file this access belongs to (from `search`)
    #[arg(long)]
    pub visitor: Option<Uuid>,
    /// The access's id, made by a script before it sends: sent again with the same id (after
    /// a timeout), the registration is stored once and prints the ticket already issued
    #[arg(long, value_name = "UUID")]
    pub access_id: Option<Uuid>,
    /// Print the ticket after registering (on --printer, else on this PC's printer)
    #[arg(long)]
    pub print: bool,
    /// tcp://HOST:9100, usb:VID:PID, or a device or file path
    #[arg(long, value_name = "URI", requires = "print")]
    pub printer: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

fn parse_queue(s: &str) -> Result<Queue, String> {
    s.parse()
}
fn parse_ticket(s: &str) -> Result<Ticket, String> {
    s.parse()
}
fn parse_role(s: &str) -> Result<Role, String> {
    match s.parse()? {
        Role::System => Err("system is not an account's role".into()),
        role => Ok(role),
    }
}
fn parse_channel(s: &str) -> Result<Channel, String> {
    s.parse()
}
fn parse_booking(s: &str) -> Result<BookingCode, String> {
    BookingCode::parse(s).map_err(|e| e.to_string())
}
fn parse_via(s: &str) -> Result<BookedVia, String> {
    s.parse()
}
fn parse_local(s: &str) -> Result<NaiveDateTime, String> {
    NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M")
        .map_err(|_| format!("'{s}' is not a time (expected \"YYYY-MM-DD HH:MM\", Rome time)"))
}
fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date (expected YYYY-MM-DD)"))
}

/// A failed command: its message for stderr and its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    fn bad_input(message: impl Into<String>) -> Failure {
        Failure {
            code: exit::BAD_INPUT,
            message: message.into(),
        }
    }

    /// Exit 2 when the input was wrong, 1 when the system failed.
    fn of(bad_input: bool, message: String) -> Failure {
        Failure {
            code: if bad_input {
                exit::BAD_INPUT
            } else {
                exit::FAILURE
            },
            message,
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::of(e.is_bad_input(), e.to_string())
    }
}

impl From<PrintError> for Failure {
    fn from(e: PrintError) -> Failure {
        Failure::of(e.is_bad_input(), e.to_string())
    }
}

impl From<VoiceError> for Failure {
    fn from(e: VoiceError) -> Failure {
        let bad_input = match e {
            VoiceError::UnknownLanguage(_) | VoiceError::NotShipped(_) => true,
            VoiceError::MissingClip { .. } | VoiceError::Wav(_) => false,
        };
        Failure::of(bad_input, e.to_string())
    }
}

impl From<FieldError> for Failure {
    fn from(e: FieldError) -> Failure {
        Failure::bad_input(e.to_string())
    }
}

/// The command line as the audit trail records it: the operating-system user, with every
/// right (it holds the file), from `cli:HOST`.
pub fn os_principal() -> Principal {
    Principal {
        staff: os_staff(),
        role: Role::System,
        terminal: format!("cli:{}", crate::machine::host_name()),
    }
}

/// Who the command line acts as: the operating-system user.
pub fn os_staff() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("os:{user}")
}

/// A search candidate as `search --format json` prints it: the candidate with its evidence,
/// and the reasons as a list of codes.
#[derive(serde::Serialize)]
struct ShownCandidate<'a> {
    #[serde(flatten)]
    candidate: &'a Candidate,
    reasons: Vec<Reason>,
}

/// A reason in the words of the text output (the terminal says the same in the staff's
/// language from the same codes).
fn reason_in_english(reason: Reason) -> &'static str {
    match reason {
        Reason::Name(how) => match how {
            PartMatch::Same => "same name",
            PartMatch::Variant => "another spelling of the name",
            PartMatch::Phonetic => "a name that sounds the same",
            PartMatch::Script => "the name in another script",
            PartMatch::Similar => "a name spelled nearly the same",
            PartMatch::Initial => "an initial for a name",
            PartMatch::Different => "a part of the name that differs",
            PartMatch::NotTyped => "a part of the name on file not typed",
            PartMatch::NotOnFile => "a typed part of the name not on file",
        },
        Reason::FieldsSwapped => "family and given name swapped",
        Reason::ImpossibleDate => "the date typed cannot be right",
        Reason::Date(date) => match date {
            DateEvidence::Exact => "same date",
            DateEvidence::TwoDigitYear => "same date with a two-digit year",
            DateEvidence::DigitsSwapped => "date with two digits swapped",
            DateEvidence::DayMonthSwapped => "date with day and month swapped",
            DateEvidence::OneDigit => "date with one digit wrong in the day or month",
            DateEvidence::YearOneOff => "date with the year one off",
            DateEvidence::YearKeystroke => "date with the year one keystroke off",
            DateEvidence::YearDigit => "date with one digit of the year wrong",
            DateEvidence::YearOnly => "same year (only the year typed)",
            DateEvidence::JanFirst => "same year (1 January: only the year known)",
            DateEvidence::NearYear => "only the year, one off",
            DateEvidence::NotTyped => "no date typed",
            DateEvidence::NotOnFile => "no date on file",
            DateEvidence::Different => "another date",
        },
    }
}

fn print_json(value: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure {
        code: exit::FAILURE,
        message: e.to_string(),
    })?;
    println_out(&text)
}

fn println_out(text: &str) -> Result<(), Failure> {
    write_out(format!("{text}\n").as_bytes())
}

/// Write `bytes` to stdout, flushed. A full disk or a closed pipe means the output did not
/// arrive: the command says so and fails, rather than exiting 0 with nothing delivered.
fn write_out(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Failure {
            code: exit::FAILURE,
            message: format!("could not write the output to stdout: {e}"),
        })
}

/// Run a subcommand against the store at `db`. `now` comes from the program's one clock.
pub fn run(command: Command, db: &Location, now: DateTime<Utc>) -> Result<(), Failure> {
    // The spoken call needs no register: it says a ticket and a desk.
    if let Command::Announce {
        ticket,
        desk,
        lang,
        out,
    } = &command
    {
        return announce(*ticket, desk, lang.as_deref(), out);
    }
    // This PC's own settings live in its config file, not in the register.
    if let Command::Setting { key, value } = &command
        && PC_SETTINGS.contains(&key.as_str())
    {
        return pc_setting(key, value.as_deref());
    }
    let open = || open_store(db);
    let by = os_principal();
    match command {
        Command::Announce { .. } => Ok(()),
        Command::PrintTicket { ticket, printer } => {
            let mut store = open()?;
            let printer = printer_of(printer.as_deref())?;
            print_ticket(store.as_mut(), ticket, &printer, now)?;
            eprintln!("{ticket} printed on {printer}");
            Ok(())
        }
        Command::Import(ImportCommand::Accesses { file }) => import_accesses(db, &file, now),
        Command::Register(args) => register(open()?.as_mut(), args, now),
        Command::Appointment(AppointmentCommand::Import { file, format }) => {
            import_bookings(db, &file, format, now)
        }
        Command::Appointment(command) => appointment(open()?.as_mut(), command, now),
        Command::CallNext {
            desk,
            queue,
            format,
        } => {
            let mut store = open()?;
            let queues: Vec<Queue> = queue.into_iter().collect();
            match service::desk::call_next(store.as_mut(), &by, &desk, &queues, now)? {
                None => Err(Failure {
                    code: exit::NOTHING_TO_DO,
                    message: "nobody is waiting".into(),
                }),
                Some(called) => match format {
                    Format::Json => print_json(&serde_json::json!({
                        "ticket": called.ticket,
                        "queue": called.queue,
                        "access_id": called.access_id,
                        "desk": called.desk,
                        "service": called.service,
                    })),
                    Format::Text => println_out(&format!("{} -> {}", called.ticket, called.desk)),
                },
            }
        }
        Command::Finish {
            ticket,
            outcome,
            format,
        } => {
            let mut store = open()?;
            let event = match outcome {
                Outcome::Done => TicketEvent::Finish,
                Outcome::NoShow => TicketEvent::NoShow,
            };
            let state =
                service::desk::act(store.as_mut(), &by, rome_day(now), ticket, event, None, now)?;
            match format {
                Format::Json => print_json(&serde_json::json!({
                    "ticket": ticket,
                    "state": state,
                })),
                Format::Text => println_out(&format!("{ticket} {}", state.code())),
            }
        }
        Command::Search {
            family_name,
            given_name,
            birth_date,
            format,
        } => {
            let mut store = open()?;
            let raw = birth_date.as_deref().unwrap_or("");
            let birth = BirthQuery::parse(raw).ok_or_else(|| {
                FieldError::new(
                    "birth_date",
                    format!(
                        "'{raw}' is not a date (YYYY-MM-DD, DD/MM/YYYY or DD/MM/YY) or a year (YYYY)"
                    ),
                )
            })?
            .on(rome_day(now));
            if birth.is_impossible() {
                eprintln!("'{raw}' cannot be a birth date: showing the people one slip from it");
            }
            let found = service::reception::search(
                store.as_mut(),
                &by,
                &family_name,
                &given_name,
                birth,
                5,
                now,
            )?;
            match format {
                Format::Json => {
                    let shown: Vec<ShownCandidate<'_>> = found
                        .iter()
                        .map(|c| ShownCandidate {
                            reasons: c.evidence.reasons(),
                            candidate: c,
                        })
                        .collect();
                    print_json(&shown)
                }
                Format::Text => {
                    if found.is_empty() {
                        eprintln!("no candidate");
                    }
                    for c in &found {
                        println_out(&format!(
                            "{:.2}{}  {}  {} {}  {}  {}\n      {}",
                            c.score,
                            if c.likely { " likely" } else { "       " },
                            c.visitor_code,
                            c.family_name,
                            c.given_name,
                            c.birth_date.map_or("-".into(), |d| d.to_string()),
                            c.visitor_id,
                            c.evidence
                                .reasons()
                                .into_iter()
                                .map(reason_in_english)
                                .collect::<Vec<_>>()
                                .join("; ")
                        ))?;
                    }
                    Ok(())
                }
            }
        }
        Command::Report {
            from,
            to,
            day,
            format,
            lang,
        } => {
            let mut store = open()?;
            let (from, to) = match (day, from, to) {
                (Some(d), _, _) => (d, d),
                (None, Some(f), Some(t)) => (f, t),
                _ => return Err(Failure::bad_input("give --day, or --from and --to")),
            };
            if from > to {
                return Err(Failure::bad_input(format!(
                    "--from {from} is after --to {to}"
                )));
            }
            let report = service::records::report(store.as_mut(), &by, from, to, now)?;
            match format {
                ReportFormat::Json => print_json(&report),
                ReportFormat::Csv => {
                    let csv = crate::report::to_csv(&report).map_err(|e| Failure {
                        code: exit::FAILURE,
                        message: format!("the report could not be written as CSV: {e}"),
                    })?;
                    write_out(csv.as_bytes())
                }
                ReportFormat::Text => {
                    let lang = match lang {
                        LangArg::It => crate::report::Lang::It,
                        LangArg::En => crate::report::Lang::En,
                    };
                    write_out(crate::report::to_text(&report, lang).as_bytes())
                }
            }
        }
        Command::Demo { days, seed, scale } => {
            if !(scale > 0.0 && scale <= 100.0) {
                return Err(Failure::bad_input("--scale: must be between 0 and 100"));
            }
            let mut store = open()?;
            let started = std::time::Instant::now();
            let mut generator = crate::demo::Generator::new(days, seed, scale, now);
            let (visitors, accesses) = service::maintenance::demo(
                store.as_mut(),
                &by,
                &mut generator,
                progress::on_stderr("demo").as_mut(),
            )?;
            eprintln!(
                "demo: {accesses} accesses of {visitors} visitors over {days} days in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            print_json(&serde_json::json!({"visitors": visitors, "accesses": accesses}))
        }
        Command::MergeVisitors { from, into } => {
            let mut store = open()?;
            let merge = service::records::merge(store.as_mut(), &by, from, into, now)?;
            eprintln!("merged; undo with: welcome-desk undo-merge {merge}");
            print_json(&serde_json::json!({ "merge": merge, "from": from, "into": into }))
        }
        Command::UndoMerge { merge } => {
            let mut store = open()?;
            service::records::undo_merge(store.as_mut(), &by, merge, now)?;
            eprintln!("merge {merge} undone");
            Ok(())
        }
        // Restoring must not open (and so create or migrate) the register it may replace.
        Command::Restore { src, force } => restore(db, &src, force, now),
        Command::CrashTest => panic!("crash test requested on the command line"),
        Command::ExportVisitor { id } => {
            let mut store = open()?;
            let held = service::records::export_visitor(store.as_mut(), &by, id, now)?;
            print_json(&held)
        }
        Command::EraseVisitor { id } => {
            let mut store = open()?;
            let records = service::records::erase(store.as_mut(), &by, id, now)?;
            eprintln!("erased the personal data of {records} record(s); reports are unchanged");
            Ok(())
        }
        Command::Purge { months } => {
            let mut store = open()?;
            let purged = service::records::purge(
                store.as_mut(),
                &by,
                months,
                progress::on_stderr("purge").as_mut(),
                now,
            )?;
            eprintln!(
                "anonymised {} visitor(s) whose last access was more than {} months ago",
                purged.anonymised, purged.months
            );
            print_json(
                &serde_json::json!({ "anonymised": purged.anonymised, "months": purged.months }),
            )
        }
        Command::Setting { key, value } => {
            let value = match value {
                None => None,
                Some(v) => Some(v.trim().parse::<u32>().map_err(|_| {
                    Failure::bad_input(format!("{key}: '{v}' is not a whole number"))
                })?),
            };
            let mut store = open()?;
            if let Some(value) = value {
                service::staff::set_setting(store.as_mut(), &by, &key, value, now)?;
            }
            println_out(&service::staff::setting(store.as_mut(), &key)?.to_string())
        }
        Command::Audit(AuditCommand::Verify) => {
            let mut store = open()?;
            let entries = service::records::verify_trail(store.as_mut(), &by)?;
            eprintln!("the audit trail is intact: {entries} entries");
            Ok(())
        }
        Command::Audit(AuditCommand::Export { from, to, format }) => {
            let mut store = open()?;
            let entries = service::records::export_trail(store.as_mut(), &by, from, to, now)?;
            match format {
                Format::Json => print_json(&entries),
                Format::Text => {
                    for e in &entries {
                        println_out(&format!(
                            "{}  {}  {} ({})  {}  {}  {}  {}",
                            e.seq,
                            e.at.to_rfc3339(),
                            e.staff,
                            e.role,
                            e.terminal,
                            e.action,
                            e.record.as_deref().unwrap_or("-"),
                            e.fields.join(",")
                        ))?;
                    }
                    Ok(())
                }
            }
        }
        Command::Staff(command) => staff(open()?.as_mut(), command, now),
        Command::Backup { dest } => {
            let mut store = open()?;
            service::maintenance::backup(
                store.as_mut(),
                &by,
                &dest,
                progress::on_stderr("backup").as_mut(),
                now,
            )?;
            eprintln!("backup written to {}", dest.display());
            Ok(())
        }
    }
}

/// `import accesses FILE`: input errors that need no database are reported before the file
/// is touched.
fn import_accesses(
    db: &Location,
    file: &std::path::Path,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let bytes = std::fs::read(file).map_err(|e| Failure {
        code: exit::BAD_INPUT,
        message: format!("{}: {e}", file.display()),
    })?;
    let mut progress = progress::on_stderr("import");
    progress.stage("reading the file", None);
    let rows = crate::import::parse_register(&bytes, now)
        .map_err(|e| Failure::bad_input(format!("{}: {e}", file.display())))?;
    let mut store = open_store(db)?;
    let summary = service::maintenance::import(
        store.as_mut(),
        &os_principal(),
        &rows,
        &file.display().to_string(),
        progress.as_mut(),
        now,
    )?;
    drop(progress);
    eprintln!(
        "{}: {} rows, {} accesses added, {} already present, {} new visitors",
        file.display(),
        summary.rows,
        summary.accesses_added,
        summary.already_present,
        summary.visitors_added
    );
    print_json(&summary)
}

/// `appointment import FILE`: the file is read and checked before the register is opened,
/// as `import accesses` does.
fn import_bookings(
    db: &Location,
    file: &std::path::Path,
    format: Format,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let bytes = std::fs::read(file).map_err(|e| Failure {
        code: exit::BAD_INPUT,
        message: format!("{}: {e}", file.display()),
    })?;
    let rows = crate::import::appointments::parse_bookings(&bytes, now)
        .map_err(|e| Failure::bad_input(format!("{}: {e}", file.display())))?;
    let mut store = open_store(db)?;
    let done = service::appointments::import(
        store.as_mut(),
        &os_principal(),
        &rows,
        &file.display().to_string(),
        now,
    )
    .map_err(|e| Failure::of(e.is_bad_input(), format!("{}: {e}", file.display())))?;
    eprintln!(
        "{}: {} rows, {} booked, {} already on file",
        file.display(),
        done.rows,
        done.booked.len(),
        done.already_present
    );
    match format {
        Format::Json => print_json(&serde_json::json!({
            "rows": done.rows,
            "already_present": done.already_present,
            "booked": done.booked.iter().map(booking_json).collect::<Vec<_>>(),
        })),
        Format::Text if done.booked.is_empty() => Ok(()),
        Format::Text => println_out(
            &done
                .booked
                .iter()
                .map(|a| format!("{}  {}  {}", a.code, rome_local(a.start), a.service))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    }
}

/// Open the register; an encrypted one without `WELCOME_DESK_PASSPHRASE` asks for its
/// passphrase on the terminal (not echoed), when there is a terminal to ask on.
pub fn open_store(db: &Location) -> Result<Box<dyn Store>, Failure> {
    use std::io::IsTerminal;
    match crate::store::open(db) {
        Err(StoreError::PassphraseNeeded { .. }) if std::io::stdin().is_terminal() => {
            let passphrase =
                rpassword::prompt_password(format!("passphrase for {}: ", db.describe()))
                    .map_err(|e| Failure::bad_input(format!("passphrase: {e}")))?;
            Ok(crate::store::open(&db.with_passphrase(passphrase))?)
        }
        other => Ok(other?),
    }
}

/// A password for a command: `WELCOME_DESK_PASSWORD`, or the first line of stdin.
fn read_password() -> Result<String, Failure> {
    if let Ok(p) = std::env::var("WELCOME_DESK_PASSWORD") {
        return Ok(p);
    }
    eprint!("password: ");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Failure::bad_input(format!("password: {e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn staff(store: &mut dyn Store, command: StaffCommand, now: DateTime<Utc>) -> Result<(), Failure> {
    let by = os_principal();
    match command {
        StaffCommand::Add { name, role } => {
            let password = read_password()?;
            service::staff::create(store, &by, name.trim(), role, &password, now)?;
            eprintln!("account '{}' created ({role})", name.trim());
            Ok(())
        }
        StaffCommand::ResetPassword { name } => {
            let password = read_password()?;
            service::staff::reset_password(store, &by, name.trim(), &password, now)?;
            eprintln!(
                "password of '{}' reset; it must be changed at the next sign-in",
                name.trim()
            );
            Ok(())
        }
        StaffCommand::SetRole { name, role } => {
            service::staff::set_role(store, &by, name.trim(), role, now)?;
            eprintln!("'{}' is now {role}", name.trim());
            Ok(())
        }
        StaffCommand::List => print_json(&service::staff::accounts(store, &by)?),
    }
}

fn restore(
    db: &Location,
    src: &std::path::Path,
    force: bool,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let mut progress = progress::on_stderr("restore");
    progress.stage("checking the backup", None);
    let (visitors, accesses) = service::maintenance::check_backup(src)?;
    if service::maintenance::has_register(db)? && !force {
        return Err(Failure::bad_input(format!(
            "{}: a register is already there; to replace it with {} ({visitors} visitors, \
             {accesses} accesses) add --force (a copy of it is kept first)",
            db.describe(),
            src.display()
        )));
    }
    let keep = keep_folder(db)?;
    let restored = service::maintenance::restore(
        db,
        &os_principal(),
        src,
        force,
        &keep,
        progress.as_mut(),
        now,
    )?;
    drop(progress);
    if let Some(kept) = &restored.kept {
        eprintln!("the register it replaced is kept as {}", kept.display());
    }
    eprintln!(
        "restored {} ({} visitors, {} accesses) into {}",
        src.display(),
        restored.visitors,
        restored.accesses,
        db.describe()
    );
    Ok(())
}

/// Where copies of a register go (backups, the register a restore replaced): beside a
/// register file; for a server, this PC's data folder.
fn keep_folder(db: &Location) -> Result<PathBuf, Failure> {
    match db.path() {
        Some(path) => Ok(crate::store::backup::folder_of(path)),
        None => crate::machine::data_folder()
            .map(|d| d.join("backups"))
            .ok_or_else(|| Failure {
                code: exit::FAILURE,
                message: "no data folder on this PC to keep copies in".into(),
            }),
    }
}

fn register(store: &mut dyn Store, args: RegisterArgs, now: DateTime<Utc>) -> Result<(), Failure> {
    let today = rome_day(now);
    let visitor = match args.visitor {
        Some(id) => VisitorChoice::Existing(id),
        None => VisitorChoice::New(VisitorDetails {
            family_name: validate_name("family_name", &args.family_name)?,
            given_name: validate_name("given_name", &args.given_name)?,
            birth_date: parse_birth_date(args.birth_date.as_deref().unwrap_or(""), today)?,
            sex: args
                .sex
                .as_deref()
                .unwrap_or("")
                .parse::<Sex>()
                .map_err(|m| FieldError::new("sex", m))?,
            country: parse_country(args.country.as_deref().unwrap_or(""))?,
            languages: parse_languages(args.languages.as_deref().unwrap_or(""))?,
            sai_guest: args.sai_guest,
            phone: parse_phone(args.phone.as_deref().unwrap_or(""))?,
        }),
    };
    if args.channel == Channel::WalkIn {
        match OpeningHours::default().walk_in_status(now, 0) {
            WalkInStatus::Closed { reason } => {
                let why = match reason {
                    ClosedReason::Holiday(name) => format!("closed for {name}"),
                    ClosedReason::ClosedDay | ClosedReason::ExtraClosure => {
                        "no walk-ins today".to_string()
                    }
                    ClosedReason::BeforeOpening => "before opening".to_string(),
                    ClosedReason::AfterClosing => "after closing".to_string(),
                };
                eprintln!("warning: outside walk-in hours ({why}); registered anyway");
            }
            WalkInStatus::ClosingSoon { .. } | WalkInStatus::Open { .. } => {}
        }
    }
    let registered = service::reception::register(
        store,
        &os_principal(),
        &Registration {
            access_id: args.access_id.unwrap_or_else(|| crate::store::uuid_at(now)),
            visitor,
            channel: args.channel,
            service: args.service,
            priority: None,
            queue_override: None,
            appointment_at: None,
            sai_guest: args.sai_guest,
            staff: os_staff(),
        },
        now,
    )?;
    // Registered and audited first: a printer that fails cannot lose the ticket.
    let printed = if args.print {
        Some(printer_of(args.printer.as_deref()).and_then(|printer| {
            print_ticket(store, registered.ticket, &printer, now).map(|()| printer)
        }))
    } else {
        None
    };
    match args.format {
        Format::Json => print_json(&serde_json::json!({
            "ticket": registered.ticket,
            "queue": registered.queue,
            "first_time": registered.first_time,
            "visitor_id": registered.visitor_id,
            "access_id": registered.access_id,
            "visitor_code": registered.visitor_code,
        })),
        Format::Text => println_out(&format!(
            "{}  {} queue{}  visitor {}",
            registered.ticket,
            registered.queue,
            if registered.first_time {
                ", first access"
            } else {
                ""
            },
            registered.visitor_code
        )),
    }?;
    match printed {
        Some(Err(failure)) => Err(Failure {
            code: exit::FAILURE,
            message: format!(
                "{} is registered, but not printed: {}; print it with: welcome-desk print-ticket {}",
                registered.ticket, failure.message, registered.ticket
            ),
        }),
        Some(Ok(printer)) => {
            eprintln!("{} printed on {printer}", registered.ticket);
            Ok(())
        }
        None => Ok(()),
    }
}

/// A booking's slot as the command line shows it: Rome wall-clock time.
fn rome_local(at: DateTime<Utc>) -> String {
    at.with_timezone(&ROME).format("%Y-%m-%d %H:%M").to_string()
}

/// What `appointment list` and `appointment cancel` print of a booking. The person on file
/// is named by id only: the names live on the card, which is audited when opened.
fn booking_json(a: &Appointment) -> serde_json::Value {
    let (visitor_id, family_name, given_name) = match &a.person {
        Person::OnFile { visitor_id } => (visitor_id.to_string(), "", ""),
        Person::New(p) => (String::new(), p.family_name.as_str(), p.given_name.as_str()),
    };
    serde_json::json!({
        "booking": a.code.to_string(),
        "at": rome_local(a.start),
        "service": a.service,
        "state": a.state,
        "booked_via": a.booked_via,
        "visitor_id": visitor_id,
        "family_name": family_name,
        "given_name": given_name,
    })
}

/// An agenda as a coordinator reads it: one line of figures, then a line per weekday.
fn agenda_text(agenda: &crate::domain::agenda::Agenda) -> String {
    use crate::domain::agenda::{DayHours, WEEKDAYS};
    let mut lines = vec![format!(
        "{}: {} min slots, {} per slot, {} days ahead, {} min late still on time",
        agenda.service,
        agenda.slot_minutes,
        agenda.places_per_slot,
        agenda.horizon_days,
        agenda.lateness_minutes
    )];
    for (day, hours) in WEEKDAYS.iter().zip(agenda.weekly.iter()) {
        lines.push(match hours {
            DayHours::WalkIn => format!("{day}  walk-in hours"),
            DayHours::Closed => format!("{day}  closed"),
            DayHours::Hours { from, to } => {
                format!("{day}  {}-{}", from.format("%H:%M"), to.format("%H:%M"))
            }
        });
    }
    lines.join("\n")
}

fn appointment(
    store: &mut dyn Store,
    command: AppointmentCommand,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let by = os_principal();
    match command {
        AppointmentCommand::Book(args) => {
            let person = match args.visitor {
                Some(visitor_id) => Person::OnFile { visitor_id },
                None => Person::New(NewPerson::new(
                    &args.family_name,
                    &args.given_name,
                    parse_birth_date(args.birth_date.as_deref().unwrap_or(""), rome_day(now))?,
                    args.phone.as_deref().unwrap_or(""),
                    rome_day(now),
                )?),
            };
            let booked = service::appointments::book(
                store,
                &by,
                &BookingOrder {
                    person,
                    service: args.service,
                    local: args.at,
                    booked_via: args.via,
                },
                now,
            )?;
            let visitor_id = match &booked.person {
                Person::OnFile { visitor_id } => visitor_id.to_string(),
                Person::New(_) => String::new(),
            };
            match args.format {
                Format::Json => print_json(&serde_json::json!({
                    "booking": booked.code.to_string(),
                    "at": rome_local(booked.start),
                    "service": booked.service,
                    "visitor_id": visitor_id,
                })),
                Format::Text => println_out(&format!(
                    "{}  {}  {}",
                    booked.code,
                    rome_local(booked.start),
                    booked.service
                )),
            }
        }
        AppointmentCommand::Free {
            service,
            from,
            count,
            format,
        } => {
            let free = service::appointments::free(
                store,
                &by,
                &service,
                from.unwrap_or(rome_day(now)),
                count,
                now,
            )?;
            if free.is_empty() {
                return Err(Failure {
                    code: exit::NOTHING_TO_DO,
                    message: format!("no free slot for {service} within the booking horizon"),
                });
            }
            match format {
                Format::Json => print_json(
                    &free
                        .iter()
                        .map(|f| {
                            serde_json::json!({
                                "at": f.slot.local.format("%Y-%m-%d %H:%M").to_string(),
                                "free_places": f.free_places,
                            })
                        })
                        .collect::<Vec<_>>(),
                ),
                Format::Text => println_out(
                    &free
                        .iter()
                        .map(|f| {
                            format!(
                                "{}  {} free",
                                f.slot.local.format("%Y-%m-%d %H:%M"),
                                f.free_places
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            }
        }
        AppointmentCommand::List { day, format } => {
            let day_bookings = service::appointments::list(store, &by, day, now)?;
            match format {
                Format::Json => {
                    print_json(&day_bookings.iter().map(booking_json).collect::<Vec<_>>())
                }
                Format::Text if day_bookings.is_empty() => {
                    eprintln!("no bookings on {day}");
                    Ok(())
                }
                Format::Text => println_out(
                    &day_bookings
                        .iter()
                        .map(|a| {
                            format!(
                                "{}  {}  {}  {}",
                                a.code,
                                rome_local(a.start),
                                a.service,
                                a.state
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            }
        }
        AppointmentCommand::Cancel { code, format } => {
            let cancelled = service::appointments::cancel(store, &by, code, now)?;
            match format {
                Format::Json => print_json(&booking_json(&cancelled)),
                Format::Text => println_out(&format!("{code} cancelled")),
            }
        }
        AppointmentCommand::Reschedule { code, at, format } => {
            let moved = service::appointments::reschedule(store, &by, code, at, now)?;
            let booked = &moved.booked;
            match format {
                // `rescheduled_from` is the old booking's code: what the caller was told.
                Format::Json => print_json(&serde_json::json!({
                    "booking": booked.code.to_string(),
                    "at": rome_local(booked.start),
                    "service": booked.service,
                    "rescheduled_from": moved.cancelled.code.to_string(),
                })),
                Format::Text => println_out(&format!(
                    "{}  {}  {}  (was {}, now cancelled)",
                    booked.code,
                    rome_local(booked.start),
                    booked.service,
                    moved.cancelled.code
                )),
            }
        }
        AppointmentCommand::CheckIn {
            code,
            access_id,
            format,
        } => {
            let access_id = access_id.unwrap_or_else(|| crate::store::uuid_at(now));
            let checked = service::appointments::check_in(store, &by, code, access_id, now)?;
            let registered = &checked.registered;
            if checked.late {
                eprintln!("{code}: later than the slot's allowance; queued as a walk-in");
            }
            match format {
                Format::Json => print_json(&serde_json::json!({
                    "ticket": registered.ticket,
                    "queue": registered.queue,
                    "first_time": registered.first_time,
                    "visitor_id": registered.visitor_id,
                    "access_id": registered.access_id,
                    "visitor_code": registered.visitor_code,
                    "late": checked.late,
                })),
                Format::Text => println_out(&format!(
                    "{}  {} queue{}  visitor {}",
                    registered.ticket,
                    registered.queue,
                    if checked.late { ", late" } else { "" },
                    registered.visitor_code
                )),
            }
        }
        // `run` reads and checks the file before it opens the register, and never comes here.
        AppointmentCommand::Import { .. } => Ok(()),
        AppointmentCommand::Agenda {
            service,
            slot_minutes,
            places,
            hours,
            horizon_days,
            lateness_minutes,
            format,
        } => {
            let mut agenda = service::appointments::service_agenda(store, &by, &service)?;
            let changing = slot_minutes.is_some()
                || places.is_some()
                || hours.is_some()
                || horizon_days.is_some()
                || lateness_minutes.is_some();
            if changing {
                agenda.slot_minutes = slot_minutes.unwrap_or(agenda.slot_minutes);
                agenda.places_per_slot = places.unwrap_or(agenda.places_per_slot);
                agenda.horizon_days = horizon_days.unwrap_or(agenda.horizon_days);
                agenda.lateness_minutes = lateness_minutes.unwrap_or(agenda.lateness_minutes);
                if let Some(spec) = hours {
                    agenda.weekly = crate::domain::agenda::parse_week(&spec, agenda.weekly)
                        .map_err(|e| StoreError::from(FieldError::new("hours", e.to_string())))?;
                }
                service::appointments::set_agenda(store, &by, &agenda, now)?;
            }
            match format {
                Format::Json => print_json(&serde_json::json!(agenda)),
                Format::Text => println_out(&agenda_text(&agenda)),
            }
        }
        AppointmentCommand::Sweep { day, format } => {
            let swept = service::appointments::sweep(store, &by, day, now)?;
            if swept.is_empty() {
                return Err(Failure {
                    code: exit::NOTHING_TO_DO,
                    message: format!("no booking of {day} to mark as a no-show"),
                });
            }
            match format {
                Format::Json => print_json(&swept.iter().map(booking_json).collect::<Vec<_>>()),
                Format::Text => println_out(
                    &swept
                        .iter()
                        .map(|a| format!("{} no-show", a.code))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            }
        }
    }
}

/// The settings that belong to this PC (its config file), not to the register.
const PC_SETTINGS: [&str; 3] = ["printer", "voice", "voice_languages"];

fn pc_settings_path() -> Result<PathBuf, Failure> {
    this_pc::default_path().ok_or_else(|| Failure {
        code: exit::FAILURE,
        message: format!(
            "no config folder for this PC's settings; set {}",
            this_pc::CONFIG_ENV
        ),
    })
}

fn pc_settings() -> Result<this_pc::Settings, Failure> {
    this_pc::Settings::load(&pc_settings_path()?).map_err(|message| Failure {
        code: exit::FAILURE,
        message,
    })
}

/// Show or change one of this PC's settings; each is checked before it is saved.
fn pc_setting(key: &str, value: Option<&str>) -> Result<(), Failure> {
    let mut settings = pc_settings()?;
    if let Some(value) = value.map(str::trim) {
        match key {
            "printer" if matches!(value, "" | "none" | "off") => settings.printer = None,
            "printer" => settings.printer = Some(value.parse::<Printer>()?.to_string()),
            "voice" => {
                settings.voice_off = match value {
                    "on" => false,
                    "off" => true,
                    other => {
                        return Err(Failure::bad_input(format!(
                            "voice: '{other}' is not on or off"
                        )));
                    }
                }
            }
            _ => {
                let languages = crate::voice::languages(value)?;
                let after_italian: Vec<&str> = languages.iter().skip(1).map(|l| l.code()).collect();
                settings.voice_languages = Some(after_italian.join(","));
            }
        }
        settings
            .save(&pc_settings_path()?)
            .map_err(|message| Failure {
                code: exit::FAILURE,
                message,
            })?;
    }
    let shown = match key {
        "printer" => settings.printer.clone().unwrap_or_else(|| "none".into()),
        "voice" => if settings.voice_off { "off" } else { "on" }.into(),
        _ => settings
            .call_languages()
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(","),
    };
    println_out(&shown)
}

/// The printer to use: the one given, else this PC's.
fn printer_of(given: Option<&str>) -> Result<Printer, Failure> {
    let uri = match given {
        Some(uri) => uri.to_string(),
        None => pc_settings()?.printer.ok_or(PrintError::NoPrinter)?,
    };
    Ok(uri.parse::<Printer>()?)
}

/// Print today's `ticket` on `printer`.
fn print_ticket(
    store: &mut dyn Store,
    ticket: Ticket,
    printer: &Printer,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let slip = service::reception::slip(store, &os_principal(), ticket, now)?.ok_or_else(|| {
        Failure::bad_input(format!(
            "{ticket} is not a ticket of today ({})",
            rome_day(now)
        ))
    })?;
    Ok(crate::print::print(printer, &slip)?)
}

fn announce(
    ticket: Ticket,
    desk: &str,
    lang: Option<&str>,
    out: &std::path::Path,
) -> Result<(), Failure> {
    let languages = match lang {
        Some(list) => crate::voice::languages(list)?,
        None => pc_settings()
            .map(|s| s.call_languages())
            .unwrap_or_else(|_| crate::voice::DEFAULT_LANGUAGES.to_vec()),
    };
    if crate::voice::desk_number(desk).is_none() {
        eprintln!("warning: '{desk}' has no number to speak; the call says the ticket only");
    }
    let wav = crate::voice::announce(ticket, desk, &languages)?;
    std::fs::write(out, &wav).map_err(|e| Failure {
        code: exit::FAILURE,
        message: format!("{}: {e}", out.display()),
    })?;
    let seconds = crate::voice::wav::duration(&wav)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let codes: Vec<&str> = languages.iter().map(|l| l.code()).collect();
    eprintln!(
        "{}: {ticket} to {desk}, {:.1} s, in {}",
        out.display(),
        seconds,
        codes.join(", ")
    );
    Ok(())
}
