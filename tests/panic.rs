//! The program never dies silently: a panic writes a log and says where in one line; a bug
//! in one terminal action is reported in the window, which keeps working; a terminal started
//! again after a crash says what happened.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use common::*;
use uuid::Uuid;
use welcome_desk::clock::FixedClock;
use welcome_desk::domain::agenda::FreeSlot;
use welcome_desk::domain::appointment::{Appointment, BookingCode};
use welcome_desk::domain::audit::{AuditAction, AuditEntry};
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::domain::staff::{Role, Session};
use welcome_desk::domain::tally::{AccessFact, AppointmentFact, VisitorFact};
use welcome_desk::domain::visitor::Visitor;
use welcome_desk::domain::{Queue, Ticket, TicketEvent, TicketState};
use welcome_desk::progress::Progress;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{
    Actor, BookingOrder, Called, Candidate, CheckedIn, EventRecord, ImportSummary, Issued,
    LegacyAccess, PasswordHash, Principal, Registered, Registration, Result, SqliteStore,
    StaffAccount, SyntheticDay, TicketView, VisitorRecord,
};
use welcome_desk::ui::app::{App, Message};
use welcome_desk::ui::reception;

#[test]
fn a_crash_on_the_command_line_is_logged_and_said_in_one_line() {
    let (dir, db) = temp_db();
    let out = Command::new(env!("CARGO_BIN_EXE_welcome-desk"))
        .arg("--db")
        .arg(&db)
        .arg("crash-test")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("internal error"), "{err}");
    // The diagnostic log lives in the same folder: count the crash logs.
    let logs: Vec<_> = std::fs::read_dir(dir.path().join("logs"))
        .expect("a logs folder beside the register")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("crash-")
        })
        .collect();
    assert_eq!(logs.len(), 1);
    assert!(err.contains(&logs[0].display().to_string()), "{err}");
    let log = std::fs::read_to_string(&logs[0]).unwrap();
    assert!(log.contains("message: crash test requested"), "{log}");
    assert!(log.contains("location: src/cli.rs"), "{log}");
    assert!(log.contains("backtrace:"), "{log}");
}

#[test]
fn a_terminal_started_again_after_a_crash_says_so() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let log = path
        .parent()
        .unwrap()
        .join("logs")
        .join("crash-20250707-100000.log");
    let mut app = App::new(path, Arc::new(FixedClock(rome("2025-07-07 10:00"))))
        .after_crash(Some(log.clone()));
    app.start_headless(&mut store);
    let notice = app.banner.clone().expect("a notice");
    assert!(notice.contains("errore interno") && notice.contains(&log.display().to_string()));
    let mut ui = iced_test::simulator(app.view(iced::window::Id::unique()));
    assert!(ui.find(notice.as_str()).is_ok(), "the notice is on screen");
}

/// A register whose `register` has a bug: it panics. Everything else is the real store.
struct BuggyRegister(SqliteStore);

/// The real transaction, but for `register`.
struct BuggyTx<'a>(Box<dyn Tx + 'a>);

impl Store for BuggyRegister {
    fn begin(&mut self) -> Result<Box<dyn Tx + '_>> {
        Ok(Box::new(BuggyTx(self.0.begin()?)))
    }
}

impl Tx for BuggyTx<'_> {
    fn commit(self: Box<Self>) -> Result<()> {
        self.0.commit()
    }
}

impl TicketWork for BuggyTx<'_> {
    fn register(&mut self, _: &Registration, _: DateTime<Utc>) -> Result<Registered> {
        panic!("a bug in register");
    }
    // What the service calls: the same bug.
    fn register_once(&mut self, _: &Registration, _: DateTime<Utc>) -> Result<Issued> {
        panic!("a bug in register");
    }
    fn call_next(
        &mut self,
        d: &str,
        q: &[Queue],
        s: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<Called>> {
        self.0.call_next(d, q, s, at)
    }
    fn transition(
        &mut self,
        d: NaiveDate,
        t: Ticket,
        e: TicketEvent,
        a: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<TicketState> {
        self.0.transition(d, t, e, a, at)
    }
    fn transfer(
        &mut self,
        d: NaiveDate,
        t: Ticket,
        q: Queue,
        s: &str,
        a: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<Ticket> {
        self.0.transfer(d, t, q, s, a, at)
    }
}

impl VisitorWork for BuggyTx<'_> {
    fn merge_visitors(&mut self, f: Uuid, i: Uuid, s: &str, at: DateTime<Utc>) -> Result<i64> {
        self.0.merge_visitors(f, i, s, at)
    }
    fn undo_merge(&mut self, m: i64, s: &str, at: DateTime<Utc>) -> Result<()> {
        self.0.undo_merge(m, s, at)
    }
    fn import_accesses(
        &mut self,
        r: &[LegacyAccess],
        at: DateTime<Utc>,
        p: &mut dyn Progress,
    ) -> Result<ImportSummary> {
        self.0.import_accesses(r, at, p)
    }
}

impl PeopleWork for BuggyTx<'_> {
    fn create_staff(
        &mut self,
        n: &str,
        r: Role,
        h: &PasswordHash,
        first: bool,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.0.create_staff(n, r, h, first, at)
    }
    fn set_password(&mut self, n: &str, h: &PasswordHash, m: bool) -> Result<()> {
        self.0.set_password(n, h, m)
    }
    fn set_role(&mut self, n: &str, r: Role) -> Result<()> {
        self.0.set_role(n, r)
    }
    fn set_setting(&mut self, k: &str, v: &str) -> Result<()> {
        self.0.set_setting(k, v)
    }
    fn audit(
        &mut self,
        by: &Principal,
        a: AuditAction,
        r: Option<&str>,
        f: &[&str],
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.0.audit(by, a, r, f, at)
    }
    fn erase_visitor(&mut self, id: Uuid, at: DateTime<Utc>) -> Result<u64> {
        self.0.erase_visitor(id, at)
    }
    fn purge(
        &mut self,
        d: &[Uuid],
        c: DateTime<Utc>,
        at: DateTime<Utc>,
        p: &mut dyn Progress,
    ) -> Result<u64> {
        self.0.purge(d, c, at, p)
    }
}

impl AppointmentWork for BuggyTx<'_> {
    fn book_appointment(
        &mut self,
        o: &BookingOrder,
        s: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment> {
        self.0.book_appointment(o, s, now)
    }
    fn cancel_appointment(
        &mut self,
        c: BookingCode,
        s: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment> {
        self.0.cancel_appointment(c, s, now)
    }
    fn reschedule_appointment(
        &mut self,
        c: BookingCode,
        l: chrono::NaiveDateTime,
        s: &str,
        now: DateTime<Utc>,
    ) -> Result<welcome_desk::domain::appointment::Rescheduled> {
        self.0.reschedule_appointment(c, l, s, now)
    }
    fn check_in_once(
        &mut self,
        c: BookingCode,
        id: Uuid,
        s: &str,
        now: DateTime<Utc>,
    ) -> Result<Issued<CheckedIn>> {
        self.0.check_in_once(c, id, s, now)
    }
    fn sweep_no_shows(&mut self, d: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Appointment>> {
        self.0.sweep_no_shows(d, now)
    }
}

impl Tickets for BuggyRegister {
    fn tickets_of_day(&self, d: NaiveDate) -> Result<Vec<TicketView>> {
        self.0.tickets_of_day(d)
    }
    fn events_of_day(&self, d: NaiveDate) -> Result<Vec<EventRecord>> {
        self.0.events_of_day(d)
    }
}

impl Visitors for BuggyRegister {
    fn visitor(&self, id: Uuid) -> Result<Visitor> {
        self.0.visitor(id)
    }
    fn visitor_by_reference(&self, r: &str) -> Result<Visitor> {
        self.0.visitor_by_reference(r)
    }
    fn visitor_of_access(&self, id: Uuid) -> Result<(Visitor, u32)> {
        self.0.visitor_of_access(id)
    }
    fn search(&self, f: &str, g: &str, b: BirthQuery, l: usize) -> Result<Vec<Candidate>> {
        self.0.search(f, g, b, l)
    }
}

impl People for BuggyRegister {
    fn staff_accounts(&self) -> Result<Vec<StaffAccount>> {
        self.0.staff_accounts()
    }
    fn sign_in(&mut self, n: &str, p: &str, t: &str, at: DateTime<Utc>) -> Result<Session> {
        self.0.sign_in(n, p, t, at)
    }
    fn audit_trail(&self, f: NaiveDate, t: NaiveDate) -> Result<Vec<AuditEntry>> {
        self.0.audit_trail(f, t)
    }
    fn verify_audit(&self) -> Result<i64> {
        self.0.verify_audit()
    }
    fn setting(&self, k: &str) -> Result<Option<String>> {
        self.0.setting(k)
    }
    fn export_visitor(&self, id: Uuid) -> Result<VisitorRecord> {
        self.0.export_visitor(id)
    }
    fn due_for_purge(&self, c: DateTime<Utc>) -> Result<Vec<Uuid>> {
        self.0.due_for_purge(c)
    }
}

impl Reports for BuggyRegister {
    fn report_facts(
        &self,
        f: NaiveDate,
        t: NaiveDate,
    ) -> Result<(Vec<AccessFact>, Vec<VisitorFact>)> {
        self.0.report_facts(f, t)
    }
    fn appointment_facts(&self, f: NaiveDate, t: NaiveDate) -> Result<Vec<AppointmentFact>> {
        self.0.appointment_facts(f, t)
    }
}

impl Appointments for BuggyRegister {
    fn free_slots(
        &self,
        s: &str,
        f: NaiveDate,
        c: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<FreeSlot>> {
        self.0.free_slots(s, f, c, now)
    }
    fn appointments_of_day(&self, d: NaiveDate) -> Result<Vec<Appointment>> {
        self.0.appointments_of_day(d)
    }
    fn appointment(&self, c: BookingCode) -> Result<Appointment> {
        self.0.appointment(c)
    }
}

impl Maintenance for BuggyRegister {
    fn check(&self) -> Result<()> {
        self.0.check()
    }
    fn integrity_check(&self) -> Result<String> {
        self.0.integrity_check()
    }
    fn counts(&self) -> Result<(u64, u64)> {
        self.0.counts()
    }
    fn backup_to_with(&self, dest: &Path, p: &mut dyn Progress) -> Result<()> {
        self.0.backup_to_with(dest, p)
    }
    fn load_synthetic_with(
        &mut self,
        d: &mut dyn Iterator<Item = SyntheticDay>,
        s: &str,
        p: &mut dyn Progress,
    ) -> Result<(u64, u64)> {
        self.0.load_synthetic_with(d, s, p)
    }
}

#[test]
fn a_bug_in_one_action_is_shown_and_the_terminal_goes_on() {
    let (_dir, path) = temp_db();
    let mut store = BuggyRegister(SqliteStore::open(&path).unwrap());
    let mut app = App::new(path.clone(), Arc::new(FixedClock(rome("2025-07-07 10:00"))));
    app.start_headless(&mut store);
    sign_in(&mut app, &mut store, Role::Reception);
    for m in [
        reception::Message::FamilyName("Rahman".into()),
        reception::Message::GivenName("Sumaiya".into()),
    ] {
        app.run_headless(&mut store, Message::Reception(m));
    }
    let service = reception::service_choices(app.lang)
        .into_iter()
        .find(|c| c.value == "housing")
        .unwrap();
    app.run_headless(
        &mut store,
        Message::Reception(reception::Message::Service(service)),
    );
    app.run_headless(&mut store, Message::Reception(reception::Message::Submit));

    let banner = app.banner.clone().expect("the failure is shown");
    assert!(banner.contains("internal error"), "{banner}");
    assert_eq!(
        app.reception().unwrap().family_name,
        "Rahman",
        "the form keeps its text"
    );
    assert!(
        !app.reception().unwrap().busy,
        "Register can be pressed again"
    );
    assert!(store.tickets_of_day(day("2025-07-07")).unwrap().is_empty());
    // The terminal goes on: another terminal's registration shows up at the next tick.
    SqliteStore::open(&path)
        .unwrap()
        .register(
            &new_walk_in("Quispe", "Rosa", false),
            rome("2025-07-07 10:00"),
        )
        .unwrap();
    app.run_headless(&mut store, Message::Tick);
    assert_eq!(app.today.tickets.len(), 1);
}
