//! The storage work the screens ask for, run off the UI thread: each job is one call to
//! `crate::service`, its answer a `Message`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::app::Message;
use super::today::Today;
use super::{appointments, desk, reception, records, staff};
use crate::domain::Ticket;
use crate::domain::audit::AuditAction;
use crate::domain::staff::Permission;
use crate::domain::tally::Report;
use crate::domain::visitor::Visitor;
use crate::service;
use crate::store::backup::{Daily, KEEP_DAILY};
use crate::store::retention::IDLE_SETTING;
use crate::store::{Called, Candidate, Principal, Registered, Registration, Store, StoreError};

/// The store, shared by the tasks that run off the UI thread.
#[derive(Clone)]
pub struct Db(Arc<Mutex<Box<dyn Store>>>);

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Db")
    }
}

impl Db {
    pub fn new(store: Box<dyn Store>) -> Db {
        Db(Arc::new(Mutex::new(store)))
    }

    /// Run `job` on a blocking thread: SQLite calls never run on the UI thread.
    pub(super) async fn run(
        self,
        job: Job,
        by: Option<Principal>,
        now: DateTime<Utc>,
        exports: PathBuf,
    ) -> Message {
        tokio::task::spawn_blocking(move || {
            // A job that panicked left no transaction open (a transaction dropped rolls back):
            // the connection is still good, so a poisoned lock is taken over.
            let mut store = self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            perform_caught(store.as_mut(), job, by.as_ref(), now, &exports)
        })
        .await
        .unwrap_or_else(|e| Message::Failed(format!("a background task failed: {e}")))
    }
}

/// Storage work the screens asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// The page-by-page check of the register, once after opening.
    Check,
    /// The day's backup into `folder`, at the first start of the day.
    DailyBackup {
        folder: PathBuf,
    },
    /// Anonymise visitors past the retention period, at every start.
    Retention,
    /// Today's snapshot, read again.
    Refresh,
    Search(reception::SearchRequest),
    LoadVisitor(Uuid),
    Register(Registration),
    /// What a desk asked for (calls, lifecycle events, transfers, the visitor card).
    Desk(desk::Action),
    Report {
        from: NaiveDate,
        to: NaiveDate,
    },
    Export(Arc<Report>),
    /// Whether any account exists (the first start asks for an administrator), and the
    /// idle-lock setting.
    Gate,
    CreateFirstAdmin {
        name: String,
        password: String,
    },
    SignIn {
        name: String,
        password: String,
    },
    ChangePassword {
        password: String,
    },
    LoadStaff,
    Staff(staff::Action),
    Records(records::Action),
    /// Record an event with no other work (the terminal locked, staff signed out).
    Audit(AuditAction),
    /// What today's ticket prints: read from tickets and the event log, nothing personal.
    Slip(Ticket),
    /// The agenda's work: the day's bookings, free slots, book, cancel, move, check in.
    Appointments(appointments::Action),
}

impl Job {
    /// The job's kind, for the diagnostic log (never what it carries).
    pub fn kind(&self) -> &'static str {
        match self {
            Job::Check => "check",
            Job::DailyBackup { .. } => "daily-backup",
            Job::Retention => "retention",
            Job::Refresh => "refresh",
            Job::Search(_) => "search",
            Job::LoadVisitor(_) => "load-visitor",
            Job::Register(_) => "register",
            Job::Desk(_) => "desk",
            Job::Report { .. } => "report",
            Job::Export(_) => "export-report",
            Job::Gate => "gate",
            Job::CreateFirstAdmin { .. } => "create-first-admin",
            Job::SignIn { .. } => "sign-in",
            Job::ChangePassword { .. } => "change-password",
            Job::LoadStaff => "load-staff",
            Job::Staff(_) => "staff",
            Job::Records(_) => "records",
            Job::Audit(_) => "audit",
            Job::Slip(_) => "ticket-slip",
            Job::Appointments(_) => "appointments",
        }
    }
}

/// What came back from storage, in the past tense.
#[derive(Debug, Clone)]
pub enum Outcome {
    Searched(u64, Result<Vec<Candidate>, StoreError>),
    VisitorLoaded(Result<Visitor, StoreError>),
    Registered(Result<Registered, StoreError>),
    Called(Result<Option<Called>, StoreError>),
    Acted(Result<(), StoreError>),
    CardLoaded(Uuid, Result<(Visitor, u32), StoreError>),
    Reported(Result<Arc<Report>, StoreError>),
    Exported(Result<PathBuf, StoreError>),
}

/// `perform`, with a panic turned into a message: a bug in one action must not take the
/// terminal down with the form reception is typing (the hook has written the log).
pub fn perform_caught(
    store: &mut dyn Store,
    job: Job,
    by: Option<&Principal>,
    now: DateTime<Utc>,
    exports: &Path,
) -> Message {
    let kind = job.kind();
    let started = std::time::Instant::now();
    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        perform(store, job, by, now, exports)
    }))
    .unwrap_or_else(|_| Message::Failed(internal_error()));
    log_job(kind, started.elapsed(), &done);
    done
}

/// The job in the diagnostic log: its kind, how long, and how it ended (an error's kind,
/// never its text; a sign-in's role, never the name).
fn log_job(kind: &'static str, took: Duration, done: &Message) {
    let ms = took.as_millis() as u64;
    let error = match done {
        Message::Failed(_) => Some("failed"),
        other => error_of(other).map(StoreError::kind),
    };
    match error {
        None => tracing::info!(job = kind, ms, outcome = "ok", "job"),
        Some(error) => tracing::warn!(job = kind, ms, outcome = "error", error, "job"),
    }
    match done {
        Message::SignedIn(Ok(session)) => {
            tracing::info!(role = session.role.code(), "sign-in accepted");
        }
        Message::SignedIn(Err(e)) => tracing::info!(error = e.kind(), "sign-in refused"),
        Message::Purged(n) if *n > 0 => tracing::info!(anonymised = n, "retention purge"),
        Message::BackedUp(Ok(Daily::Written { removed, .. })) => {
            tracing::info!(removed = removed.len(), "daily backup written");
        }
        _ => {}
    }
}

/// The store's refusal or failure a job's answer carries, if any.
pub(crate) fn error_of(done: &Message) -> Option<&StoreError> {
    match done {
        Message::Refreshed(Err(e))
        | Message::BackedUp(Err(e))
        | Message::GateReady(Err(e))
        | Message::SignedIn(Err(e))
        | Message::PasswordChanged(Err(e))
        | Message::StaffDone(Err(e))
        | Message::RecordsDone(Err(e))
        | Message::AppointmentsDone(Err(e))
        | Message::SlipReady(_, Err(e)) => Some(e),
        Message::Finished(
            Outcome::Searched(_, Err(e))
            | Outcome::VisitorLoaded(Err(e))
            | Outcome::Registered(Err(e))
            | Outcome::Called(Err(e))
            | Outcome::Acted(Err(e))
            | Outcome::CardLoaded(_, Err(e))
            | Outcome::Reported(Err(e))
            | Outcome::Exported(Err(e)),
        ) => Some(e),
        _ => None,
    }
}

fn internal_error() -> String {
    match crate::crash::last_log() {
        Some(log) => format!(
            "an internal error stopped this action; nothing else was lost (details in {})",
            log.display()
        ),
        None => "an internal error stopped this action; nothing else was lost".into(),
    }
}

/// Do one job against the store, as `by`. Runs on a blocking thread (or inline in tests).
///
/// Every job that needs someone is done through `crate::service`, which checks the role
/// and writes the audit entry in the transaction of the work; this only says who acts and
/// turns the answer into a message.
pub fn perform(
    store: &mut dyn Store,
    job: Job,
    by: Option<&Principal>,
    now: DateTime<Utc>,
    exports: &Path,
) -> Message {
    let terminal = by.map_or_else(terminal_name, |p| p.terminal.clone());
    // Housekeeping and the gate's own work need nobody signed in.
    match job {
        Job::Check => {
            return match service::maintenance::check(store) {
                Ok(()) => Message::Checked,
                Err(e) => Message::Failed(e.to_string()),
            };
        }
        Job::DailyBackup { folder } => {
            return Message::BackedUp(service::maintenance::daily_backup(
                store,
                &folder,
                crate::domain::hours::rome_day(now),
                KEEP_DAILY,
            ));
        }
        Job::Retention => {
            return match service::records::daily_retention(store, &terminal, now) {
                Ok(purged) => Message::Purged(purged),
                Err(e) => Message::Failed(e.to_string()),
            };
        }
        Job::Refresh => {
            return Message::Refreshed(Today::load(store, now).map(|t| Some(Arc::new(t))));
        }
        Job::Gate => return Message::GateReady(service::staff::gate(store)),
        Job::CreateFirstAdmin { name, password } => {
            return Message::SignedIn(service::staff::create_first_admin(
                store, &name, &password, &terminal, now,
            ));
        }
        Job::SignIn { name, password } => {
            return Message::SignedIn(service::staff::sign_in(
                store, &name, &password, &terminal, now,
            ));
        }
        _ => {}
    }
    let Some(by) = by else {
        return Message::Failed("sign in first".into());
    };
    // A role refused is not a screen's outcome: the screen never offered it (a job sent
    // around the screens). It is said as a failure, the same way for every job.
    let done = perform_as(store, job, by, now, exports);
    match error_of(&done) {
        Some(refused @ StoreError::Forbidden { .. }) => Message::Failed(refused.to_string()),
        _ => done,
    }
}

fn perform_as(
    store: &mut dyn Store,
    job: Job,
    by: &Principal,
    now: DateTime<Utc>,
    exports: &Path,
) -> Message {
    let outcome = match job {
        Job::Search(q) => Outcome::Searched(
            q.generation,
            service::reception::search(store, by, &q.family_name, &q.given_name, q.birth, 5, now),
        ),
        Job::LoadVisitor(id) => {
            Outcome::VisitorLoaded(service::reception::preview(store, by, id, now))
        }
        Job::Register(r) => Outcome::Registered(service::reception::register(store, by, &r, now)),
        Job::Desk(action) => desk_job(store, action, by, now),
        Job::Report { from, to } => {
            Outcome::Reported(service::records::report(store, by, from, to, now).map(Arc::new))
        }
        Job::Export(report) => Outcome::Exported(export_csv(&report, exports).and_then(|path| {
            service::records::exported(
                store,
                by,
                &format!("report {}..{}", report.from, report.to),
                Permission::Reports,
                now,
            )?;
            Ok(path)
        })),
        Job::ChangePassword { password } => {
            return Message::PasswordChanged(service::staff::change_own_password(
                store, by, &password, now,
            ));
        }
        Job::LoadStaff => {
            return Message::StaffDone(service::staff::accounts(store, by).map(|accounts| {
                staff::Done {
                    notice: String::new(),
                    accounts,
                    idle_minutes: None,
                }
            }));
        }
        Job::Staff(action) => return Message::StaffDone(staff_job(store, action, by, now)),
        Job::Records(action) => {
            return Message::RecordsDone(records_job(store, action, by, now, exports));
        }
        Job::Slip(ticket) => {
            return Message::SlipReady(ticket, service::reception::slip(store, by, ticket, now));
        }
        Job::Appointments(action) => {
            return Message::AppointmentsDone(appointments_job(store, action, by, now));
        }
        Job::Audit(action) => {
            return match service::staff::record(store, by, action, now) {
                Ok(()) => Message::Recorded(action),
                Err(e) => Message::Failed(e.to_string()),
            };
        }
        Job::Check
        | Job::DailyBackup { .. }
        | Job::Retention
        | Job::Refresh
        | Job::Gate
        | Job::CreateFirstAdmin { .. }
        | Job::SignIn { .. } => unreachable!("answered above"),
    };
    Message::Finished(outcome)
}

/// This terminal as the audit trail names it.
pub fn terminal_name() -> String {
    format!("terminal:{}", crate::machine::host_name())
}

fn staff_job(
    store: &mut dyn Store,
    action: staff::Action,
    by: &Principal,
    now: DateTime<Utc>,
) -> Result<staff::Done, StoreError> {
    let mut idle_minutes = None;
    let notice = match action {
        staff::Action::None => String::new(),
        staff::Action::Create {
            name,
            role,
            password,
        } => {
            service::staff::create(store, by, &name, role, &password, now)?;
            format!("{name}: {role}")
        }
        staff::Action::ResetPassword { name, password } => {
            service::staff::reset_password(store, by, &name, &password, now)?;
            format!("{name}: password")
        }
        staff::Action::SetRole { name, role } => {
            service::staff::set_role(store, by, &name, role, now)?;
            format!("{name}: {role}")
        }
        staff::Action::SaveIdleMinutes(m) => {
            service::staff::set_setting(store, by, IDLE_SETTING, m, now)?;
            idle_minutes = Some(m);
            format!("{IDLE_SETTING}: {m}")
        }
    };
    Ok(staff::Done {
        notice,
        accounts: service::staff::accounts(store, by)?,
        idle_minutes,
    })
}

fn desk_job(
    store: &mut dyn Store,
    action: desk::Action,
    by: &Principal,
    now: DateTime<Utc>,
) -> Outcome {
    let day = crate::domain::hours::rome_day(now);
    match action {
        // Nothing to do, and this PC's own settings, are never sent as a job; answer as a
        // harmless no-op.
        desk::Action::None | desk::Action::SaveDesk { .. } => Outcome::Acted(Ok(())),
        desk::Action::CallNext { desk, queues } => {
            Outcome::Called(service::desk::call_next(store, by, &desk, &queues, now))
        }
        desk::Action::Act {
            ticket,
            event,
            desk,
        } => Outcome::Acted(
            service::desk::act(store, by, day, ticket, event, Some(&desk), now).map(|_| ()),
        ),
        desk::Action::Transfer {
            ticket,
            queue,
            service,
            desk,
        } => Outcome::Acted(
            service::desk::transfer(store, by, day, ticket, queue, &service, Some(&desk), now)
                .map(|_| ()),
        ),
        desk::Action::LoadCard(access) => {
            Outcome::CardLoaded(access, service::desk::open_card(store, by, access, now))
        }
    }
}

/// The agenda's work, each through `service::appointments` (or reception's search), which
/// checks the role: a role refused comes back as the usual one-line failure.
fn appointments_job(
    store: &mut dyn Store,
    action: appointments::Action,
    by: &Principal,
    now: DateTime<Utc>,
) -> Result<appointments::Done, StoreError> {
    use appointments::{Action as A, Done};
    use service::appointments as booking;
    Ok(match action {
        A::Load(day) => Done::Agenda(day, booking::agenda(store, by, day, now)?),
        A::Slots { service, from } => {
            let free = booking::free(store, by, &service, from, appointments::SLOTS_SHOWN, now)?;
            Done::Slots(service, free)
        }
        A::Search(q) => Done::Candidates(
            q.generation,
            service::reception::search(store, by, &q.family_name, &q.given_name, q.birth, 5, now)?,
        ),
        A::Book(order) => Done::Booked(booking::book(store, by, &order, now)?),
        A::BookByCode {
            visitor_code,
            family_name,
            given_name,
            service,
            local,
            booked_via,
        } => {
            let visitor_id =
                booking::visitor_for_booking(store, by, &visitor_code, &family_name, &given_name)?;
            let order = crate::store::BookingOrder {
                person: crate::domain::appointment::Person::OnFile { visitor_id },
                service,
                local,
                booked_via,
            };
            Done::Booked(booking::book(store, by, &order, now)?)
        }
        A::CheckIn { code, access_id } => Done::CheckedIn(Box::new(booking::check_in(
            store, by, code, access_id, now,
        )?)),
        A::Cancel(code) => Done::Cancelled(booking::cancel(store, by, code, now)?),
        A::Reschedule { code, local } => {
            Done::Rescheduled(Box::new(booking::reschedule(store, by, code, local, now)?))
        }
        // Never sent as jobs (the app runs them itself); answered as a harmless reading.
        A::None | A::ScheduleSearch(_) | A::Copy(_) | A::Many(_) => {
            Done::Candidates(u64::MAX, Vec::new())
        }
    })
}

fn export_csv(report: &Report, folder: &Path) -> Result<PathBuf, StoreError> {
    write_private(
        folder,
        &format!("report-{}-{}.csv", report.from, report.to),
        crate::report::to_csv(report)
            .map_err(|e| StoreError::Io {
                context: "csv".into(),
                source: Arc::new(std::io::Error::other(e)),
            })?
            .as_bytes(),
    )
}

/// Write an export into `folder` (0700), readable by its owner only (0600): exports may hold
/// personal data.
fn write_private(folder: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, StoreError> {
    let io = |e: std::io::Error| StoreError::Io {
        context: folder.display().to_string(),
        source: Arc::new(e),
    };
    crate::private_files::create_dir(folder).map_err(io)?;
    let path = folder.join(name);
    crate::private_files::write(&path, bytes).map_err(io)?;
    Ok(path)
}

fn records_job(
    store: &mut dyn Store,
    action: records::Action,
    by: &Principal,
    now: DateTime<Utc>,
    exports: &Path,
) -> Result<records::Done, StoreError> {
    let json = |e: serde_json::Error| StoreError::Io {
        context: "json".into(),
        source: Arc::new(std::io::Error::other(e)),
    };
    Ok(match action {
        records::Action::None => records::Done::Trail(Vec::new()),
        records::Action::LoadTrail(day) => {
            records::Done::Trail(service::records::trail(store, by, day, day)?)
        }
        records::Action::ExportTrail(day) => {
            let trail = service::records::export_trail(store, by, day, day, now)?;
            let mut csv = String::from("seq,at,staff,role,terminal,action,record,fields\n");
            for e in &trail {
                let quoted = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
                csv.push_str(&format!(
                    "{},{},{},{},{},{},{},{}\n",
                    e.seq,
                    e.at.to_rfc3339(),
                    quoted(&e.staff),
                    e.role,
                    quoted(&e.terminal),
                    e.action,
                    quoted(e.record.as_deref().unwrap_or("")),
                    quoted(&e.fields.join(","))
                ));
            }
            records::Done::Exported(write_private(
                exports,
                &format!("audit-{day}.csv"),
                csv.as_bytes(),
            )?)
        }
        records::Action::ExportVisitor(reference) => {
            let visitor = store.visitor_by_reference(&reference)?;
            let held = service::records::export_visitor(store, by, visitor.id, now)?;
            let text = serde_json::to_string_pretty(&held).map_err(json)?;
            records::Done::Exported(write_private(
                exports,
                &format!("visitor-{}.json", visitor.code),
                text.as_bytes(),
            )?)
        }
        records::Action::Erase(reference) => {
            let visitor = store.visitor_by_reference(&reference)?;
            let records = service::records::erase(store, by, visitor.id, now)?;
            records::Done::Erased {
                code: visitor.code,
                records,
            }
        }
        records::Action::Merge { from, into } => {
            let from = store.visitor_by_reference(&from)?;
            let into = store.visitor_by_reference(&into)?;
            let merge = service::records::merge(store, by, from.id, into.id, now)?;
            records::Done::Merged {
                merge,
                from: from.code,
                into: into.code,
            }
        }
        records::Action::Undo(merge) => {
            service::records::undo_merge(store, by, merge, now)?;
            records::Done::Undone(merge)
        }
    })
}
