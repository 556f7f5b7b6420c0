//! The step match: a message changes the state and says what must happen next, as
//! `Effect`s; nothing here touches storage or iced's runtime.

use super::{
    App, Effect, Job, MIN_WINDOW, Message, OnShift, Outcome, Screen, Shift, Shortcut, job,
};
use crate::domain::audit::AuditAction;
use crate::domain::staff::{Permission, Role};
use crate::print::{PrintError, Printer};
use crate::store::StoreError;
use crate::ui::i18n::{T, t};
use crate::ui::{Ctx, appointments, desk, errors, gate, reception, records, staff, tally};
use crate::voice::{self, Sound};

impl App {
    /// Apply a message; return what must happen next.
    pub fn step(&mut self, message: Message) -> Vec<Effect> {
        let message = match message {
            Message::ForShift(serial, answer) if self.shift.serial() != Some(serial) => {
                return self.answer_after_its_shift(*answer);
            }
            Message::ForShift(_, answer) => *answer,
            other => other,
        };
        let now = self.clock.now();
        // A job that could not reach the server: the banner, and a retry of our own (the
        // change feed may be fine, and would then never say the server is back). The
        // message itself lands as any failure does: a form keeps what was typed.
        let mut retry = vec![];
        if crate::ui::jobs::error_of(&message)
            .is_some_and(|e| matches!(e, StoreError::Unreachable { .. }))
        {
            self.jobs_lost = true;
            if !self.retry_pending {
                self.retry_pending = true;
                retry.push(Effect::RetryLater);
            }
        }
        let mut effects = self.step_message(message, now);
        effects.extend(retry);
        effects
    }

    /// An answer that comes back after the shift that asked has ended (signed out, or
    /// someone else signed in): the screens it was for are gone, and the person now at the
    /// terminal must not see another's search, card or report. A ticket it issued is still
    /// the visitor's: it is printed, and Reprint knows it.
    fn answer_after_its_shift(&mut self, answer: Message) -> Vec<Effect> {
        let for_screens = matches!(
            answer,
            Message::Finished(_)
                | Message::StaffDone(_)
                | Message::RecordsDone(_)
                | Message::AppointmentsDone(_)
        );
        if !for_screens {
            // Today's snapshot, housekeeping: the terminal's, not the shift's.
            return self.step(answer);
        }
        let ticket = match &answer {
            Message::Finished(Outcome::Registered(Ok(done))) => Some(done.ticket),
            Message::AppointmentsDone(Ok(appointments::Done::CheckedIn(c))) => {
                Some(c.registered.ticket)
            }
            _ => None,
        };
        let Some(ticket) = ticket else {
            return vec![];
        };
        self.last_ticket = Some(ticket);
        let mut effects = vec![self.refresh_job()];
        if self.settings.printer.is_some() {
            effects.push(job(Job::Slip(ticket)));
        }
        effects
    }

    fn step_message(
        &mut self,
        message: Message,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Vec<Effect> {
        match message {
            Message::Opened(Ok(db)) => {
                self.db = Some(db);
                self.opened = true;
                self.refreshing = true;
                return self.opening_jobs();
            }
            Message::Opened(Err(StoreError::PassphraseNeeded { .. }))
                if crate::store::ENCRYPTION =>
            {
                self.gate.show(gate::Mode::Passphrase);
            }
            Message::Opened(Err(e)) => {
                if self.gate.mode == gate::Mode::Passphrase {
                    self.gate.answered(self.lang, Err(e));
                    return vec![Effect::Focus(gate::PASSWORD)];
                } else {
                    self.open_error = Some(errors::store_error(self.lang, &e));
                }
            }
            Message::WindowOpened(_) => {}
            Message::ScreenSize(Some(screen)) => {
                // The whole screen, from 1024x600 up; never below what the screens can lay out.
                let size = iced::Size::new(
                    screen.width.max(MIN_WINDOW.width),
                    screen.height.max(MIN_WINDOW.height),
                );
                if self.is_wall_screen() {
                    return vec![Effect::FitWindow(size), Effect::FullScreen(true)];
                }
                return vec![Effect::FitWindow(size)];
            }
            Message::ScreenSize(None) => {}
            Message::WindowClosed(id) => {
                if Some(id) == self.display_window {
                    self.display_window = None;
                    // Closed by hand: the next start does not open it again.
                    self.settings.display_open = false;
                    return vec![self.save_settings()];
                } else {
                    return vec![Effect::Exit];
                }
            }
            Message::Show(screen) => {
                if self.screens().contains(&screen) {
                    self.screen = screen;
                    let mut effects = vec![self.focus_first()];
                    if screen == Screen::Staff {
                        effects.push(job(Job::LoadStaff));
                    }
                    if screen == Screen::Appointments
                        && let Some(screens) = self.shift.screens()
                    {
                        effects.push(job(Job::Appointments(appointments::Action::Load(
                            screens.appointments.day,
                        ))));
                    }
                    if screen == Screen::Records {
                        effects.push(job(Job::Records(records::Action::LoadTrail(
                            self.today.day,
                        ))));
                    }
                    return effects;
                }
            }
            Message::ToggleLanguage => {
                self.lang = self.lang.other();
                if let Some(screens) = self.shift.screens_mut() {
                    screens.reception.set_lang(self.lang);
                    screens.appointments.set_lang(self.lang);
                }
            }
            Message::ToggleTheme => self.dark = !self.dark,
            Message::ToggleChime => {
                self.chime = !self.chime;
                self.calls.chime = self.chime;
            }
            Message::ToggleVoice => {
                self.settings.voice_off = !self.settings.voice_off;
                self.calls.voice = !self.settings.voice_off;
                return vec![self.save_settings()];
            }
            Message::SoundEnded => return self.play_next(),
            Message::Reprint => {
                let ticket = self
                    .not_printed
                    .as_ref()
                    .map(|(t, _)| *t)
                    .or(self.last_ticket);
                if let Some(ticket) = ticket
                    && self.may(Permission::Register)
                {
                    return vec![job(Job::Slip(ticket))];
                }
            }
            Message::SlipReady(ticket, Ok(Some(slip))) => {
                match self.settings.printer.as_deref().map(str::parse::<Printer>) {
                    Some(Ok(printer)) => {
                        return vec![Effect::Print(Box::new(printer), Box::new(slip))];
                    }
                    Some(Err(e)) => self.not_printed = Some((ticket, e)),
                    None => self.not_printed = Some((ticket, PrintError::NoPrinter)),
                }
            }
            // A ticket of yesterday, reprinted after midnight: nothing to print.
            Message::SlipReady(_, Ok(None)) => {}
            Message::SlipReady(_, Err(e)) => {
                self.banner = Some(errors::store_error(self.lang, &e));
            }
            Message::Printed(ticket, Ok(())) => {
                if self.not_printed.as_ref().is_some_and(|(t, _)| *t == ticket) {
                    self.not_printed = None;
                }
            }
            Message::Printed(ticket, Err(e)) => self.not_printed = Some((ticket, e)),
            Message::ToggleLargerText => {
                self.settings.larger_text = !self.settings.larger_text;
                return vec![self.save_settings()];
            }
            // The wall screen shows ticket numbers and desks only: no account is needed, and
            // it comes back by itself when the terminal restarts.
            Message::OpenDisplay => {
                // On the wall-screen PC the main window is the display.
                if self.display_window.is_none() && !self.is_wall_screen() {
                    self.settings.display_open = true;
                    return vec![Effect::OpenDisplay, self.save_settings()];
                }
            }
            Message::SettingsSaved(Ok(())) => {}
            Message::SettingsSaved(Err(e)) => self.banner = Some(e),
            Message::Tick => {
                let mut effects = Vec::new();
                if self.opened && !self.refreshing {
                    self.refreshing = true;
                    effects.push(self.refresh_job());
                }
                effects.extend(self.agenda_refresh(now));
                return effects;
            }
            Message::ServerLost => self.feed_lost = true,
            Message::ServerBack => {
                // The feed has a connection again, and the next job makes one of its own.
                self.feed_lost = false;
                self.jobs_lost = false;
                // A terminal that could not open the register (or ask who may sign in)
                // while the server was away does it now.
                if self.open_error.take().is_some() {
                    if !self.opened {
                        return vec![Effect::Reopen];
                    }
                    let mut effects = vec![job(Job::Gate)];
                    effects.extend(self.reload_all());
                    return effects;
                }
                return self.reload_all();
            }
            Message::RetryServer => {
                self.retry_pending = false;
                if self.jobs_lost {
                    return self.reload_all();
                }
            }
            Message::Refreshed(result) => {
                self.refreshing = false;
                if result.is_ok() {
                    self.jobs_lost = false;
                }
                match result {
                    Ok(Some(today)) => {
                        self.today = today;
                        let calls = &self.today.board.recent_calls;
                        let newest = calls.first().map(|c| (c.ticket, c.at));
                        // Every call since the last one seen, oldest first: two desks calling
                        // within one refresh are both announced, one after the other.
                        let fresh: Vec<voice::Call> = match self.last_call {
                            Some(seen) if seen != newest => calls
                                .iter()
                                .take_while(|c| Some((c.ticket, c.at)) != seen)
                                .map(|c| voice::Call {
                                    ticket: c.ticket,
                                    desk: c.desk.clone(),
                                })
                                .collect::<Vec<_>>()
                                .into_iter()
                                .rev()
                                .collect(),
                            _ => Vec::new(),
                        };
                        self.last_call = Some(newest);
                        let mut effects = Vec::new();
                        // The wall-screen PC's main window is the display: it speaks too.
                        if self.display_window.is_some() || self.is_wall_screen() {
                            for call in fresh {
                                if let Some(sound) = self.calls.push(call) {
                                    effects.extend(self.start(sound));
                                }
                            }
                        }
                        // The desk follows the register only for someone who works at it: a
                        // terminal behind its gate opens no card.
                        if self.may(Permission::DeskWork)
                            && let Some((screens, ctx)) = self.at_screens(now)
                        {
                            effects.extend(desk_effects(screens.desk.sync(&ctx)));
                        }
                        return effects;
                    }
                    Ok(None) => {}
                    // The server's own banner says it, in fewer words.
                    Err(StoreError::Unreachable { .. }) => {}
                    Err(e) => self.banner = Some(errors::store_error(self.lang, &e)),
                }
            }
            Message::Key(shortcut) if self.is_wall_screen() => {
                return self.wall_key(shortcut, now);
            }
            Message::Key(shortcut) => {
                if self.unlocked() {
                    self.last_activity = now;
                }
                return match shortcut {
                    None => vec![],
                    Some(Shortcut::Lock) => self.lock(),
                    Some(Shortcut::NextField) => vec![Effect::FocusNext],
                    Some(Shortcut::PreviousField) => vec![Effect::FocusPrevious],
                    Some(Shortcut::Screen(n)) => match self.screens().get(usize::from(n) - 1) {
                        Some(&screen) if self.unlocked() => self.step(Message::Show(screen)),
                        _ => vec![],
                    },
                    Some(key) => self.shortcut(key),
                };
            }
            Message::Reception(m) => {
                let staff = self.shift.who().map(|s| s.staff.clone());
                let Some((screens, ctx)) = self.at_screens(now) else {
                    return vec![];
                };
                return match screens.reception.update(m, &ctx) {
                    reception::Action::None => vec![],
                    reception::Action::ScheduleSearch(g) => vec![Effect::DelaySearch(g)],
                    reception::Action::Search(q) => vec![job(Job::Search(q))],
                    reception::Action::LoadVisitor(id) => vec![job(Job::LoadVisitor(id))],
                    reception::Action::Register(mut r) => {
                        // Who registered is who is signed in, in the access and its first
                        // ticket event.
                        if let Some(staff) = staff {
                            r.staff = staff;
                        }
                        vec![job(Job::Register(r))]
                    }
                };
            }
            Message::Desk(m) => {
                let Some((screens, ctx)) = self.at_screens(now) else {
                    return vec![];
                };
                return match screens.desk.update(m, &ctx) {
                    desk::Action::SaveDesk { label, setup } => {
                        // A window started with --desk keeps the PC's own desk as it was.
                        if self.desk_override.is_none() {
                            self.settings.desk = Some(label.clone());
                        }
                        self.settings.desks.insert(label, setup);
                        vec![self.save_settings(), Effect::Focus("desk-call")]
                    }
                    action => desk_effects(action),
                };
            }
            Message::Tally(m) => {
                let Some((screens, ctx)) = self.at_screens(now) else {
                    return vec![];
                };
                return match screens.tally.update(m, &ctx) {
                    tally::Action::None => vec![],
                    tally::Action::Report { from, to } => {
                        vec![job(Job::Report { from, to })]
                    }
                    tally::Action::Export(r) => vec![job(Job::Export(r))],
                };
            }
            Message::Appointments(m) => {
                let Some((screens, ctx)) = self.at_screens(now) else {
                    return vec![];
                };
                let action = screens.appointments.update(m, &ctx);
                return appointment_effects(action);
            }
            Message::AppointmentsDone(result) => {
                let checked_in = match &result {
                    Ok(appointments::Done::CheckedIn(c)) => Some(c.registered.ticket),
                    _ => None,
                };
                let confirmed = matches!(
                    &result,
                    Ok(appointments::Done::Booked(_) | appointments::Done::Rescheduled(_))
                );
                let ctx = Ctx {
                    lang: self.lang,
                    today: &self.today,
                    now,
                };
                // An answer for someone who has signed out since has no screen to land on.
                let Some(screens) = self.shift.screens_mut() else {
                    return vec![];
                };
                let action = screens.appointments.done(result, &ctx);
                screens.reception.due = screens.appointments.today_open();
                let mut effects = appointment_effects(action);
                if confirmed {
                    // Booked: the confirmation is next, its language first.
                    effects.push(Effect::Focus(appointments::CONFIRMATION_FIELD));
                }
                if let Some(ticket) = checked_in {
                    // A ticket issued here, as at registration: Reprint knows it, the
                    // printer prints it, and today's snapshot shows it.
                    self.last_ticket = Some(ticket);
                    effects.push(self.refresh_job());
                    if self.settings.printer.is_some() {
                        effects.push(job(Job::Slip(ticket)));
                    }
                }
                return effects;
            }
            Message::Finished(outcome) => return self.finished(outcome),
            // Unwrapped by `step` before it gets here; one nested twice is still the
            // current shift's (the serial was checked on the outer one).
            Message::ForShift(_, answer) => return self.step_message(*answer, now),
            Message::Failed(e) => {
                // Whatever was in flight is over: reception may press Register again.
                if let Some(screens) = self.shift.screens_mut() {
                    screens.reception.busy = false;
                    screens.appointments.busy = false;
                }
                self.banner = Some(e);
            }
            // Housekeeping that went well has nothing to show.
            Message::Checked | Message::Purged(_) | Message::Recorded(_) => {}
            Message::GateReady(Ok((accounts, minutes))) => {
                self.idle_minutes = minutes;
                if let Some(screens) = self.shift.screens_mut() {
                    screens.staff.idle_minutes = minutes.to_string();
                }
                self.gate.show(if accounts == 0 {
                    gate::Mode::FirstAdmin
                } else {
                    gate::Mode::SignIn
                });
                return vec![Effect::Focus(self.gate.first_field())];
            }
            Message::GateReady(Err(e)) => {
                self.open_error = Some(errors::store_error(self.lang, &e));
            }
            Message::Gate(m) => {
                let by = self.session_principal();
                let ctx = Ctx {
                    lang: self.lang,
                    today: &self.today,
                    now,
                };
                return match self.gate.update(m, &ctx) {
                    gate::Action::None => {
                        if self.gate.mode == gate::Mode::SignIn && self.shift.locked() {
                            // "Someone else": the person who stepped away is signed out, and
                            // their screens go with them.
                            self.shift = Shift::Gate;
                            let out = Effect::JobAs(Box::new(Job::Audit(AuditAction::SignOut)), by);
                            return vec![out, Effect::Focus(gate::NAME)];
                        }
                        if self.gate.error.is_some() {
                            return vec![Effect::Focus(self.gate.field_after_error())];
                        }
                        vec![]
                    }
                    gate::Action::CreateFirstAdmin { name, password } => {
                        vec![job(Job::CreateFirstAdmin { name, password })]
                    }
                    gate::Action::SignIn { name, password } => {
                        vec![job(Job::SignIn { name, password })]
                    }
                    gate::Action::ChangePassword { password } => {
                        vec![Effect::JobAs(
                            Box::new(Job::ChangePassword { password }),
                            by,
                        )]
                    }
                    gate::Action::Unlock { passphrase } => {
                        self.location = self.location.with_passphrase(passphrase);
                        vec![Effect::Reopen]
                    }
                };
            }
            Message::SignedIn(Ok(session)) if self.wall_takes(&session) => {
                return self.wall_signed_in(session);
            }
            Message::SignedIn(Ok(session)) => {
                let must_change_password = session.must_change_password;
                let role = session.role;
                // The same person unlocking carries on with their own screens; anyone else
                // starts from fresh ones.
                let same = match std::mem::replace(&mut self.shift, Shift::Gate) {
                    Shift::SignedIn(mut on) if on.who.staff == session.staff => {
                        on.who = session;
                        on.locked = false;
                        self.shift = Shift::SignedIn(on);
                        true
                    }
                    _ => {
                        self.shifts_begun += 1;
                        self.shift = Shift::SignedIn(Box::new(OnShift {
                            serial: self.shifts_begun,
                            who: session,
                            locked: false,
                            screens: self.fresh_screens(role),
                        }));
                        false
                    }
                };
                self.gate.answered(self.lang, Ok(()));
                self.last_activity = now;
                if must_change_password {
                    self.gate.show(gate::Mode::NewPassword);
                }
                if !same || !self.screens().contains(&self.screen) {
                    self.screen = self.home();
                }
                // Reload today as this person: a desk picks up the ticket it was serving.
                let mut effects = vec![self.refresh_job(), self.focus_first()];
                if self.screen == Screen::Staff {
                    effects.push(job(Job::LoadStaff));
                }
                // Today's bookings: reception's list of who is due, the booking role's agenda.
                if role.may(Permission::Book) && !must_change_password {
                    effects.push(job(Job::Appointments(appointments::Action::Load(
                        self.today.day,
                    ))));
                }
                return effects;
            }
            Message::SignedIn(Err(e)) => {
                self.gate.answered(self.lang, Err(e));
                // The password field keeps the focus: the next try is never typed in clear
                // into the name field.
                return vec![Effect::Focus(gate::PASSWORD)];
            }
            Message::PasswordChanged(Ok(()))
                if self.session().is_some_and(|s| s.role == Role::WallScreen) =>
            {
                return self.become_wall_screen();
            }
            Message::PasswordChanged(Ok(())) => {
                self.gate.answered(self.lang, Ok(()));
                if let Shift::SignedIn(on) = &mut self.shift {
                    on.who.must_change_password = false;
                }
                return vec![self.focus_first()];
            }
            Message::PasswordChanged(Err(e)) => {
                self.gate.answered(self.lang, Err(e));
                return vec![Effect::Focus(gate::PASSWORD)];
            }
            Message::Staff(m) => {
                let Some((screens, ctx)) = self.at_screens(now) else {
                    return vec![];
                };
                return match screens.staff.update(m, &ctx) {
                    staff::Action::None => vec![],
                    action => vec![job(Job::Staff(action))],
                };
            }
            Message::Records(m) => {
                let Some((screens, ctx)) = self.at_screens(now) else {
                    return vec![];
                };
                return match screens.records.update(m, &ctx) {
                    records::Action::None => vec![],
                    action => vec![job(Job::Records(action))],
                };
            }
            Message::RecordsDone(result) => {
                // An answer for someone who has signed out since has no screen to land on.
                if let Some(screens) = self.shift.screens_mut() {
                    screens.records.done(self.lang, result);
                }
            }
            Message::StaffDone(result) => {
                if let Ok(staff::Done {
                    idle_minutes: Some(m),
                    ..
                }) = &result
                {
                    self.idle_minutes = *m;
                }
                if let Some(screens) = self.shift.screens_mut() {
                    screens.staff.done(self.lang, result);
                }
            }
            Message::Activity => {
                if self.unlocked() {
                    self.last_activity = now;
                }
            }
            Message::IdleCheck if self.is_wall_screen() => self.wall_idle(now),
            Message::IdleCheck => {
                let idle = now - self.last_activity;
                if self.unlocked()
                    && idle >= chrono::Duration::minutes(i64::from(self.idle_minutes))
                {
                    return self.lock();
                }
            }
            Message::LockNow => return self.lock(),
            Message::SignOut => {
                let by = self.principal();
                // Their screens go with them.
                self.shift = Shift::Gate;
                self.gate.show(gate::Mode::SignIn);
                return vec![
                    Effect::JobAs(Box::new(Job::Audit(AuditAction::SignOut)), by),
                    Effect::Focus(gate::NAME),
                ];
            }
            Message::BackedUp(Ok(_)) => {}
            Message::BackedUp(Err(e)) => {
                self.banner = Some(format!(
                    "{}: {}",
                    t(self.lang, T::BackupFailed),
                    errors::store_error(self.lang, &e)
                ));
            }
            Message::DismissBanner => self.banner = None,
        }
        vec![]
    }

    pub(super) fn finished(&mut self, outcome: Outcome) -> Vec<Effect> {
        // Our own writes do not move this connection's data_version: reload explicitly.
        let reload = self.refresh_job();
        let lang = self.lang;
        // An answer that comes back after its asker signed out has no screen to land on;
        // behind the lock it lands, for the same person to find.
        let screens = self.shift.screens_mut();
        match outcome {
            Outcome::Searched(g, r) => {
                if let Some(s) = screens {
                    s.reception.searched(g, r);
                }
            }
            Outcome::VisitorLoaded(r) => {
                let found = r.is_ok();
                if let Some(s) = screens {
                    s.reception.visitor_loaded(r);
                    if found {
                        // Confirmed: the service is all that is left to ask.
                        return vec![Effect::Focus(reception::SERVICE_FIELD)];
                    }
                }
            }
            Outcome::Registered(r) => {
                let issued = r.as_ref().ok().map(|done| done.ticket);
                if let Some(s) = screens {
                    s.reception.registered(r);
                }
                let mut effects = vec![reload];
                if let Some(ticket) = issued {
                    // The next person: back to the family name.
                    effects.push(Effect::Focus(reception::FIRST_FIELD));
                    self.last_ticket = Some(ticket);
                    // Stored first, printed after: the form is free while the printer works.
                    if self.settings.printer.is_some() {
                        effects.push(job(Job::Slip(ticket)));
                    }
                }
                return effects;
            }
            Outcome::Called(r) => {
                let mut effects = match screens {
                    Some(s) => desk_effects(s.desk.called(lang, r)),
                    None => vec![],
                };
                effects.push(reload);
                return effects;
            }
            Outcome::Acted(r) => {
                if let Some(s) = screens {
                    s.desk.acted(lang, r);
                }
                return vec![reload];
            }
            Outcome::CardLoaded(access, r) => {
                if let Some(s) = screens {
                    s.desk.card_loaded(lang, access, r);
                }
            }
            Outcome::Reported(r) => {
                if let Some(s) = screens {
                    s.tally.reported(lang, r);
                }
            }
            Outcome::Exported(r) => {
                if let Some(s) = screens {
                    s.tally.exported(lang, r);
                }
            }
        }
        vec![]
    }

    /// Start `sound`: what the wall screen plays next.
    pub(super) fn start(&mut self, sound: Sound) -> Vec<Effect> {
        if sound == Sound::Chime {
            self.chimes += 1;
        }
        vec![Effect::Play(sound)]
    }

    pub(super) fn play_next(&mut self) -> Vec<Effect> {
        match self.calls.finished() {
            Some(sound) => self.start(sound),
            None => vec![],
        }
    }
}

/// How often, at most, the Tick reads today's bookings again for reception's list of who is
/// due: reading them names people, and every reading is on the audit trail.
pub const AGENDA_REFRESH: chrono::Duration = chrono::Duration::minutes(2);

impl App {
    /// Today's bookings read again when the last reading is older than `AGENDA_REFRESH`,
    /// for a role that books and is at the screens.
    fn agenda_refresh(&self, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
        if !self.may(Permission::Book) {
            return vec![];
        }
        let Some(screens) = self.unlocked_screens() else {
            return vec![];
        };
        let stale = screens
            .appointments
            .today_read_at
            .is_none_or(|at| now - at >= AGENDA_REFRESH);
        if stale {
            vec![job(Job::Appointments(appointments::Action::Load(
                crate::domain::hours::rome_day(now),
            )))]
        } else {
            vec![]
        }
    }
}

/// What the agenda's action leads to: storage work, a delayed search, the clipboard.
pub(super) fn appointment_effects(action: appointments::Action) -> Vec<Effect> {
    match action {
        appointments::Action::None => vec![],
        appointments::Action::ScheduleSearch(g) => vec![Effect::DelayBookingSearch(g)],
        appointments::Action::Copy(text) => vec![Effect::Copy(text)],
        appointments::Action::Many(all) => all.into_iter().flat_map(appointment_effects).collect(),
        work => vec![job(Job::Appointments(work))],
    }
}

pub(super) fn desk_effects(action: desk::Action) -> Vec<Effect> {
    match action {
        desk::Action::None => vec![],
        work => vec![job(Job::Desk(work))],
    }
}
