//! The application: windows, screens, and the one place where screen actions become storage
//! work. Screens return plain `Action`s; `step` turns them into `Effect`s; `update` runs the
//! effects as iced `Task`s off the UI thread, and `run_headless` runs the very same effects
//! synchronously for tests.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use iced::widget::{button, column, container, row, text};
use iced::{Alignment, Element, Length, Subscription, Task, Theme, keyboard, window};

use super::i18n::{Lang, T, t};
use super::this_pc::{self, Settings};
use super::today::Today;
use super::{Ctx, desk, display, errors, focus, gate, reception, records, staff, tally, widgets};
use crate::clock::Clock;
use crate::domain::audit::AuditAction;
use crate::domain::staff::{Permission, Role, Session};
use crate::domain::{Ticket, TicketEvent};
use crate::print::{PrintError, Printer, TicketSlip};
use crate::store::backup::Daily;
use crate::store::retention::DEFAULT_IDLE_MINUTES;
use crate::store::{Location, Principal, Store, StoreError};
use crate::voice::{self, CallQueue, Sound};

pub use super::jobs::{Db, Job, Outcome, perform, perform_caught, terminal_name};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Reception,
    Desk,
    Tally,
    Records,
    Staff,
}

impl Screen {
    /// The id of the screen's tab, for the keyboard.
    pub fn id(self) -> &'static str {
        match self {
            Screen::Reception => "tab-reception",
            Screen::Desk => "tab-desk",
            Screen::Tally => "tab-tally",
            Screen::Records => "tab-records",
            Screen::Staff => "tab-staff",
        }
    }

    pub const ALL: [Screen; 5] = [
        Screen::Reception,
        Screen::Desk,
        Screen::Tally,
        Screen::Records,
        Screen::Staff,
    ];

    /// What a role must be allowed to open this screen.
    pub fn permission(self) -> Permission {
        match self {
            Screen::Reception => Permission::Register,
            Screen::Desk => Permission::DeskWork,
            Screen::Tally => Permission::Tally,
            Screen::Records => Permission::ReadAudit,
            Screen::Staff => Permission::ManageStaff,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Opened(Result<Db, StoreError>),
    WindowOpened(window::Id),
    WindowClosed(window::Id),
    Show(Screen),
    ToggleLanguage,
    ToggleTheme,
    OpenDisplay,
    ToggleChime,
    Tick,
    Refreshed(Result<Option<Arc<Today>>, StoreError>),
    Reception(reception::Message),
    Desk(desk::Message),
    Tally(tally::Message),
    Finished(Outcome),
    /// A key was pressed: the operator is there. `Some` when it is a shortcut that no field
    /// took for itself (Tab, Enter, the arrows, Escape, F5-F9, Ctrl+L).
    Key(Option<Shortcut>),
    /// This PC's settings were written (or why not).
    SettingsSaved(Result<(), String>),
    /// The size of the screen the main window opened on.
    ScreenSize(Option<iced::Size>),
    ToggleLargerText,
    Failed(String),
    /// The register passed its page-by-page check.
    Checked,
    /// The day's retention ran: how many visitors it anonymised (0 when it had already run).
    Purged(u64),
    /// An event with no other work (a lock, a sign-out) is in the audit trail.
    Recorded(AuditAction),
    BackedUp(Result<Daily, StoreError>),
    /// How many accounts exist, and the idle-lock minutes.
    GateReady(Result<(usize, u32), StoreError>),
    Gate(gate::Message),
    SignedIn(Result<Session, StoreError>),
    PasswordChanged(Result<(), StoreError>),
    Staff(staff::Message),
    StaffDone(Result<staff::Done, StoreError>),
    Records(records::Message),
    RecordsDone(Result<records::Done, StoreError>),
    /// A key or a click: the operator is there.
    Activity,
    /// Time to see whether the idle lock is due.
    IdleCheck,
    LockNow,
    SignOut,
    DismissBanner,
    /// Print again the ticket that did not print, or the last one issued here.
    Reprint,
    /// The slip of a ticket to print (`None`: not a ticket of today).
    SlipReady(Ticket, Result<Option<TicketSlip>, StoreError>),
    /// The printer took the ticket, or why not.
    Printed(Ticket, Result<(), PrintError>),
    ToggleVoice,
    /// The wall screen's sound has ended: the next one may start.
    SoundEnded,
}

/// The keys the terminal answers itself, when the focused widget did not use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// Tab.
    NextField,
    /// Shift+Tab.
    PreviousField,
    Enter,
    Escape,
    Up,
    Down,
    /// F1..F12.
    Function(u8),
    /// Ctrl+L (Cmd+L).
    Lock,
    /// Ctrl+1..Ctrl+5: the nth screen of the role, as the tabs show them.
    Screen(u8),
}

/// What a message leads to beyond a change of state.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Put the keyboard focus on the widget with this id.
    Focus(&'static str),
    FocusNext,
    FocusPrevious,
    /// Write this PC's settings (desk, wall screen, text size).
    SaveSettings(Box<Settings>),
    /// Size the main window to the screen it opened on.
    FitWindow(iced::Size),
    /// Storage work as whoever is signed in now.
    Job(Box<Job>),
    /// Storage work as a given principal (the lock, recorded as the person who stepped away).
    JobAs(Box<Job>, Option<Principal>),
    /// Send `SearchDue(generation)` after the debounce delay.
    DelaySearch(u64),
    OpenDisplay,
    /// Open the register again, with the passphrase just given.
    Reopen,
    /// Print a slip on this PC's printer, off the UI thread.
    Print(Box<Printer>, Box<TicketSlip>),
    /// Play a sound of the wall screen (chime or spoken call) to its end, off the UI thread.
    Play(Sound),
    Exit,
}

fn job(job: Job) -> Effect {
    Effect::Job(Box::new(job))
}

/// Debounce for the live search while names are typed.
pub const SEARCH_DELAY: Duration = Duration::from_millis(250);

/// A person's turn at this terminal: from sign-in to sign-out. The screens that hold
/// personal data live only inside it, so signing out (or "someone else") drops them whole,
/// and no code path can reach them while nobody is signed in.
pub enum Shift {
    /// Nobody is signed in: the gate shows, and no screen exists.
    Gate,
    /// Someone is signed in; the lock keeps them and their screens, for their own password
    /// to unlock where they left off.
    SignedIn(Box<OnShift>),
}

/// Who is signed in, whether they stepped away, and their screens.
pub struct OnShift {
    pub who: Session,
    pub locked: bool,
    pub screens: Screens,
}

/// The screens' state: what a person typed and what the register showed them.
pub struct Screens {
    pub reception: reception::State,
    pub desk: desk::State,
    pub tally: tally::State,
    pub staff: staff::State,
    pub records: records::State,
}

impl Shift {
    pub fn who(&self) -> Option<&Session> {
        match self {
            Shift::Gate => None,
            Shift::SignedIn(on) => Some(&on.who),
        }
    }

    pub fn locked(&self) -> bool {
        matches!(self, Shift::SignedIn(on) if on.locked)
    }

    /// The screens of whoever is signed in, locked or not.
    pub fn screens(&self) -> Option<&Screens> {
        match self {
            Shift::Gate => None,
            Shift::SignedIn(on) => Some(&on.screens),
        }
    }

    fn screens_mut(&mut self) -> Option<&mut Screens> {
        match self {
            Shift::Gate => None,
            Shift::SignedIn(on) => Some(&mut on.screens),
        }
    }
}

pub struct App {
    /// Where the register is.
    location: Location,
    /// This PC's folder for what the terminal writes beside the register: exports, and the
    /// daily backups of a register file.
    home: PathBuf,
    db: Option<Db>,
    /// The register is open (through `db`, or a test's own store).
    opened: bool,
    open_error: Option<String>,
    clock: Arc<dyn Clock>,
    pub lang: Lang,
    pub dark: bool,
    pub screen: Screen,
    main_window: Option<window::Id>,
    pub display_window: Option<window::Id>,
    pub today: Arc<Today>,
    refreshing: bool,
    pub banner: Option<String>,
    /// Chime on each new call shown on the waiting-room display.
    pub chime: bool,
    /// The newest call already seen (`None` until the first load), so each call chimes once
    /// and opening the app does not chime for an old one.
    last_call: Option<Option<(Ticket, DateTime<Utc>)>>,
    /// Chimes played (for tests and the curious).
    pub chimes: u32,
    /// The wall screen's sounds: a chime and a spoken call per call, one at a time.
    pub calls: CallQueue,
    /// The last ticket issued at this terminal, for Reprint.
    pub last_ticket: Option<Ticket>,
    /// A ticket that did not print, and why: the banner with Reprint.
    pub not_printed: Option<(Ticket, PrintError)>,
    /// The gate in front of the screens: first administrator, sign-in, lock, new password.
    pub gate: gate::State,
    /// Who is signed in, and the screens holding what they typed and read: dropped whole at
    /// sign-out, so the next person cannot see any of it.
    shift: Shift,
    terminal: String,
    pub idle_minutes: u32,
    last_activity: DateTime<Utc>,
    /// What this PC remembers (its desk, the wall screen, the text size), and where.
    pub settings: Settings,
    settings_path: Option<PathBuf>,
    /// `--desk LABEL`: this window is that desk, whatever the PC's own desk is.
    desk_override: Option<String>,
    /// Focus moves asked for while running headless (tests apply them to their own UI).
    pub focus_requests: Vec<Effect>,
}

impl App {
    /// The app started again after a crash: the notice says what happened and where the log is.
    pub fn after_crash(mut self, log: Option<PathBuf>) -> App {
        if let Some(log) = log {
            self.banner = Some(format!(
                "{}: {}",
                t(self.lang, T::CrashNotice),
                log.display()
            ));
        }
        self
    }

    /// The app on the register file `db_path`, before it is open.
    pub fn new(db_path: PathBuf, clock: Arc<dyn Clock>) -> App {
        let home = db_path
            .parent()
            .map_or_else(PathBuf::new, std::path::Path::to_path_buf);
        App::at(Location::file(db_path), home, clock)
    }

    /// The app before the store is open; `Message::Opened` brings it. `home`: the folder
    /// for exports (and the daily backups of a register file).
    pub fn at(location: Location, home: PathBuf, clock: Arc<dyn Clock>) -> App {
        let today = crate::domain::hours::rome_day(clock.now());
        App {
            location,
            home,
            db: None,
            opened: false,
            open_error: None,
            clock,
            lang: Lang::It,
            dark: false,
            screen: Screen::Reception,
            main_window: None,
            display_window: None,
            today: Arc::new(Today {
                day: today,
                ..Today::default()
            }),
            refreshing: false,
            banner: None,
            chime: false,
            last_call: None,
            chimes: 0,
            calls: CallQueue::new(false, true),
            last_ticket: None,
            not_printed: None,
            gate: gate::State::default(),
            shift: Shift::Gate,
            terminal: terminal_name(),
            idle_minutes: DEFAULT_IDLE_MINUTES,
            last_activity: DateTime::<Utc>::MIN_UTC,
            settings: Settings::default(),
            settings_path: None,
            desk_override: None,
            focus_requests: Vec::new(),
        }
    }

    /// This PC's settings from `path` (`None`: remember nothing), and `--desk` for a window.
    /// A damaged file is reported in the banner and the terminal starts with defaults.
    pub fn with_settings(mut self, path: Option<PathBuf>, desk: Option<String>) -> App {
        if let Some(p) = &path {
            match Settings::load(p) {
                Ok(s) => self.settings = s,
                Err(e) => self.banner = Some(e),
            }
        }
        self.calls.voice = !self.settings.voice_off;
        self.settings_path = path;
        self.desk_override = desk.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
        self
    }

    /// The desk as this PC (or this window's `--desk`) remembers it.
    fn desk_of_this_pc(&self) -> desk::State {
        let label = self
            .desk_override
            .clone()
            .or_else(|| self.settings.desk.clone());
        let setup = label
            .as_deref()
            .map(|l| self.settings.setup_of(l))
            .unwrap_or_default();
        desk::State::new(label, setup)
    }

    fn save_settings(&self) -> Effect {
        Effect::SaveSettings(Box::new(self.settings.clone()))
    }

    /// Where the keyboard starts on what is shown now: the gate's first field, or the
    /// screen's.
    pub fn first_field(&self) -> &'static str {
        let (Some(who), Some(screens)) = (self.shift.who(), self.unlocked_screens()) else {
            return self.gate.first_field();
        };
        match self.screen {
            Screen::Reception => reception::FIRST_FIELD,
            Screen::Desk => screens.desk.first_field(),
            Screen::Tally => tally::FIRST_FIELD,
            Screen::Records => records::State::first_field(who.role),
            Screen::Staff => staff::FIRST_FIELD,
        }
    }

    fn focus_first(&self) -> Effect {
        Effect::Focus(self.first_field())
    }

    /// Who acts from this terminal now, for the store's role checks and the audit trail.
    pub fn principal(&self) -> Option<Principal> {
        self.session_principal().filter(|_| !self.shift.locked())
    }

    /// Whether someone is at the screens and their role may do `what`.
    fn may(&self, what: Permission) -> bool {
        self.unlocked() && self.shift.who().is_some_and(|s| s.role.may(what))
    }

    /// Whether the screens may show: someone signed in, not locked, no password to change.
    pub fn unlocked(&self) -> bool {
        self.unlocked_screens().is_some()
    }

    /// The screens, only while they may show.
    fn unlocked_screens(&self) -> Option<&Screens> {
        match &self.shift {
            Shift::SignedIn(on) if !on.locked && !on.who.must_change_password => Some(&on.screens),
            _ => None,
        }
    }

    /// The screens, with what their `update` reads, only while they may take input: behind
    /// the gate they take none (a late debounce, a stray key).
    fn at_screens(&mut self, now: DateTime<Utc>) -> Option<(&mut Screens, Ctx<'_>)> {
        let ctx = Ctx {
            lang: self.lang,
            today: &self.today,
            now,
        };
        match &mut self.shift {
            Shift::SignedIn(on) if !on.locked && !on.who.must_change_password => {
                Some((&mut on.screens, ctx))
            }
            _ => None,
        }
    }

    /// Who is at this terminal, and their screens.
    pub fn shift(&self) -> &Shift {
        &self.shift
    }

    /// Who is signed in (locked or not).
    pub fn session(&self) -> Option<&Session> {
        self.shift.who()
    }

    /// Whether the terminal is locked: someone is signed in, and only they may unlock it.
    pub fn locked(&self) -> bool {
        self.shift.locked()
    }

    /// Reception's form and candidates, while someone is signed in (kept behind the lock).
    pub fn reception(&self) -> Option<&reception::State> {
        self.shift.screens().map(|s| &s.reception)
    }

    /// The desk's call and visitor card, while someone is signed in.
    pub fn desk(&self) -> Option<&desk::State> {
        self.shift.screens().map(|s| &s.desk)
    }

    /// The tally's figures, while someone is signed in.
    pub fn tally(&self) -> Option<&tally::State> {
        self.shift.screens().map(|s| &s.tally)
    }

    /// The staff screen's accounts, while someone is signed in.
    pub fn staff(&self) -> Option<&staff::State> {
        self.shift.screens().map(|s| &s.staff)
    }

    /// The records screen's trail and visitor, while someone is signed in.
    pub fn records(&self) -> Option<&records::State> {
        self.shift.screens().map(|s| &s.records)
    }

    /// The screens the signed-in role may open.
    pub fn screens(&self) -> Vec<Screen> {
        match self.shift.who() {
            Some(s) => Screen::ALL
                .into_iter()
                .filter(|screen| s.role.may(screen.permission()))
                .collect(),
            None => Vec::new(),
        }
    }

    /// Where a role starts.
    fn home(&self) -> Screen {
        match self.shift.who().map(|s| s.role) {
            Some(Role::Mediator) => Screen::Desk,
            Some(Role::Coordinator) => Screen::Tally,
            Some(Role::Admin) => Screen::Staff,
            _ => Screen::Reception,
        }
    }

    fn lock(&mut self) -> Vec<Effect> {
        let by = self.session_principal();
        let Shift::SignedIn(on) = &mut self.shift else {
            return vec![];
        };
        if on.locked {
            return vec![];
        }
        self.gate.show(gate::Mode::Locked {
            staff: on.who.staff.clone(),
        });
        // The screens stay as they were: the same person unlocks and carries on.
        on.locked = true;
        // Recorded as the person who stepped away.
        vec![
            Effect::JobAs(Box::new(Job::Audit(AuditAction::Lock)), by),
            Effect::Focus(gate::PASSWORD),
        ]
    }

    fn session_principal(&self) -> Option<Principal> {
        self.shift.who().map(|s| Principal {
            staff: s.staff.clone(),
            role: s.role,
            terminal: self.terminal.clone(),
        })
    }

    /// Fresh screens for someone who just signed in: nothing of whoever came before.
    fn fresh_screens(&self) -> Screens {
        let today = self.today.day;
        Screens {
            reception: reception::State::new(self.lang),
            // The desk is the PC's, not the person's: its label comes from this PC.
            desk: self.desk_of_this_pc(),
            tally: tally::State::new(today),
            staff: staff::State::new(self.idle_minutes),
            records: records::State::new(today),
        }
    }

    /// Boot for iced: open the main window and the store (off the UI thread, so the first
    /// frame does not wait for a large register's checks).
    pub fn boot(
        location: Location,
        home: PathBuf,
        clock: Arc<dyn Clock>,
        crash_log: Option<PathBuf>,
        desk: Option<String>,
    ) -> (App, Task<Message>) {
        let mut app = App::at(location, home, clock)
            .after_crash(crash_log)
            .with_settings(this_pc::default_path(), desk);
        let (id, open_window) = window::open(window::Settings {
            size: iced::Size::new(1280.0, 800.0),
            min_size: Some(MIN_WINDOW),
            ..window::Settings::default()
        });
        app.main_window = Some(id);
        let open_store = app.open_store();
        let mut tasks = vec![
            open_window
                .map(Message::WindowOpened)
                .chain(window::monitor_size(id).map(Message::ScreenSize)),
            open_store,
        ];
        // The waiting room was lit when the terminal stopped: light it again.
        if app.settings.display_open {
            tasks.push(app.update(Message::OpenDisplay));
        }
        (app, Task::batch(tasks))
    }

    /// Open the register off the UI thread (at boot, and again with a passphrase).
    fn open_store(&self) -> Task<Message> {
        let location = self.location.clone();
        Task::perform(
            async move {
                tokio::task::spawn_blocking(move || crate::store::open(&location).map(Db::new))
                    .await
                    .unwrap_or_else(|e| {
                        Err(StoreError::Io {
                            context: "opening the register".into(),
                            source: Arc::new(std::io::Error::other(e.to_string())),
                        })
                    })
            },
            Message::Opened,
        )
    }

    /// The ticket at this terminal's desk now, if any.
    pub fn ticket_at_desk(&self) -> Option<Ticket> {
        let ctx = Ctx {
            lang: self.lang,
            today: &self.today,
            now: self.clock.now(),
        };
        self.desk()?.current(&ctx).map(|tv| tv.ticket)
    }

    fn exports_folder(&self) -> PathBuf {
        self.home.join("exports")
    }

    fn refresh_job(&self) -> Effect {
        job(Job::Refresh)
    }

    /// What opening the register sets going: today's snapshot, the page check, the day's backup.
    fn opening_jobs(&self) -> Vec<Effect> {
        let mut jobs = vec![job(Job::Gate), self.refresh_job(), job(Job::Check)];
        // A server is backed up by the site's nightly job, not by every terminal.
        if let Some(path) = self.location.path() {
            jobs.push(job(Job::DailyBackup {
                folder: crate::store::backup::folder_of(path),
            }));
        }
        jobs.push(job(Job::Retention));
        jobs
    }

    /// Apply a message; return what must happen next.
    pub fn step(&mut self, message: Message) -> Vec<Effect> {
        let now = self.clock.now();
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
                    self.gate.answered(Err(errors::store_error(self.lang, &e)));
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
                if self.display_window.is_none() {
                    self.settings.display_open = true;
                    return vec![Effect::OpenDisplay, self.save_settings()];
                }
            }
            Message::SettingsSaved(Ok(())) => {}
            Message::SettingsSaved(Err(e)) => self.banner = Some(e),
            Message::Tick => {
                if self.opened && !self.refreshing {
                    self.refreshing = true;
                    return vec![self.refresh_job()];
                }
            }
            Message::Refreshed(result) => {
                self.refreshing = false;
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
                        if self.display_window.is_some() {
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
                    Err(e) => self.banner = Some(errors::store_error(self.lang, &e)),
                }
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
                return match screens.tally.update(m, ctx.lang) {
                    tally::Action::None => vec![],
                    tally::Action::Report { from, to } => {
                        vec![job(Job::Report { from, to })]
                    }
                    tally::Action::Export(r) => vec![job(Job::Export(r))],
                };
            }
            Message::Finished(outcome) => return self.finished(outcome),
            Message::Failed(e) => {
                // Whatever was in flight is over: reception may press Register again.
                if let Some(screens) = self.shift.screens_mut() {
                    screens.reception.busy = false;
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
                return match self.gate.update(m, self.lang) {
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
            Message::SignedIn(Ok(session)) => {
                let must_change_password = session.must_change_password;
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
                        self.shift = Shift::SignedIn(Box::new(OnShift {
                            who: session,
                            locked: false,
                            screens: self.fresh_screens(),
                        }));
                        false
                    }
                };
                self.gate.answered(Ok(()));
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
                return effects;
            }
            Message::SignedIn(Err(e)) => {
                self.gate.answered(Err(errors::store_error(self.lang, &e)));
                // The password field keeps the focus: the next try is never typed in clear
                // into the name field.
                return vec![Effect::Focus(gate::PASSWORD)];
            }
            Message::PasswordChanged(Ok(())) => {
                self.gate.answered(Ok(()));
                if let Shift::SignedIn(on) = &mut self.shift {
                    on.who.must_change_password = false;
                }
                return vec![self.focus_first()];
            }
            Message::PasswordChanged(Err(e)) => {
                self.gate.answered(Err(errors::store_error(self.lang, &e)));
                return vec![Effect::Focus(gate::PASSWORD)];
            }
            Message::Staff(m) => {
                let Some((screens, ctx)) = self.at_screens(now) else {
                    return vec![];
                };
                return match screens.staff.update(m, ctx.lang) {
                    staff::Action::None => vec![],
                    action => vec![job(Job::Staff(action))],
                };
            }
            Message::Records(m) => {
                let Some((screens, ctx)) = self.at_screens(now) else {
                    return vec![];
                };
                return match screens.records.update(m, ctx.lang) {
                    records::Action::None => vec![],
                    action => vec![job(Job::Records(action))],
                };
            }
            Message::RecordsDone(result) => {
                // An answer for someone who has signed out since has no screen to land on.
                if let Some(screens) = self.shift.screens_mut() {
                    screens.records.done(
                        self.lang,
                        result.map_err(|e| errors::store_error(self.lang, &e)),
                    );
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
                    screens
                        .staff
                        .done(result.map_err(|e| errors::store_error(self.lang, &e)));
                }
            }
            Message::Activity => {
                if self.unlocked() {
                    self.last_activity = now;
                }
            }
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

    /// A key no widget took: what it means depends on what is shown.
    fn shortcut(&mut self, key: Shortcut) -> Vec<Effect> {
        if !self.unlocked() {
            return match key {
                Shortcut::Enter => self.step(Message::Gate(gate::Message::Submit)),
                // Escape left the field: the keyboard goes back to the form.
                Shortcut::Escape => vec![Effect::Focus(self.gate.first_field())],
                _ => vec![],
            };
        }
        use desk::Message as D;
        use reception::Message as R;
        let message = match (self.screen, key) {
            (Screen::Reception, Shortcut::Enter) => Message::Reception(R::Submit),
            (Screen::Reception, Shortcut::Down) => Message::Reception(R::NextCandidate),
            (Screen::Reception, Shortcut::Up) => Message::Reception(R::PreviousCandidate),
            (Screen::Reception, Shortcut::Escape) => {
                let mut effects = self.step(Message::Reception(R::Escape));
                effects.push(Effect::Focus(reception::FIRST_FIELD));
                return effects;
            }
            (Screen::Desk, Shortcut::Function(5)) => Message::Desk(D::CallNext),
            (Screen::Desk, Shortcut::Function(6)) => Message::Desk(D::Act(TicketEvent::Recall)),
            (Screen::Desk, Shortcut::Function(7)) => Message::Desk(D::Act(TicketEvent::Start)),
            (Screen::Desk, Shortcut::Function(8)) => Message::Desk(D::Act(TicketEvent::Finish)),
            (Screen::Desk, Shortcut::Function(9)) => Message::Desk(D::Act(TicketEvent::NoShow)),
            (Screen::Desk, Shortcut::Enter) if self.desk().is_some_and(|d| d.editing) => {
                Message::Desk(D::SaveDesk)
            }
            (Screen::Tally, Shortcut::Enter) => Message::Tally(tally::Message::Compute),
            (_, Shortcut::Escape) => return vec![self.focus_first()],
            _ => return vec![],
        };
        self.step(message)
    }

    fn finished(&mut self, outcome: Outcome) -> Vec<Effect> {
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
                    s.desk.acted(r);
                }
                return vec![reload];
            }
            Outcome::CardLoaded(access, r) => {
                if let Some(s) = screens {
                    s.desk.card_loaded(access, r);
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
    fn start(&mut self, sound: Sound) -> Vec<Effect> {
        if sound == Sound::Chime {
            self.chimes += 1;
        }
        vec![Effect::Play(sound)]
    }

    fn play_next(&mut self) -> Vec<Effect> {
        match self.calls.finished() {
            Some(sound) => self.start(sound),
            None => vec![],
        }
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let effects = self.step(message);
        let now = self.clock.now();
        let signed_in = self.principal();
        Task::batch(
            effects.into_iter().map(|effect| match effect {
                // The page check and the daily backup read the whole file (seconds on a large
                // register): they get their own connection so registrations never wait behind them.
                Effect::Job(work)
                    if matches!(*work, Job::Check | Job::DailyBackup { .. } | Job::Retention) =>
                {
                    let location = self.location.clone();
                    let exports = self.exports_folder();
                    Task::perform(
                        async move {
                            tokio::task::spawn_blocking(move || {
                                match crate::store::open(&location) {
                                    Ok(mut own) => {
                                        perform_caught(own.as_mut(), *work, None, now, &exports)
                                    }
                                    Err(e) => Message::Failed(e.to_string()),
                                }
                            })
                            .await
                            .unwrap_or_else(|e| Message::Failed(e.to_string()))
                        },
                        std::convert::identity,
                    )
                }
                Effect::Focus(id) => iced::widget::operation::focus(id),
                Effect::FocusNext => iced::widget::operation::focus_next(),
                Effect::FocusPrevious => iced::widget::operation::focus_previous(),
                Effect::SaveSettings(settings) => match self.settings_path.clone() {
                    Some(path) => Task::perform(
                        async move {
                            tokio::task::spawn_blocking(move || settings.save(&path))
                                .await
                                .unwrap_or_else(|e| Err(e.to_string()))
                        },
                        Message::SettingsSaved,
                    ),
                    None => Task::none(),
                },
                Effect::FitWindow(size) => match self.main_window {
                    Some(id) => window::resize(id, size),
                    None => Task::none(),
                },
                Effect::Job(work) => self.run_job(*work, signed_in.clone(), now),
                Effect::JobAs(work, by) => self.run_job(*work, by, now),
                Effect::Reopen => self.open_store(),
                Effect::DelaySearch(g) => {
                    Task::perform(tokio::time::sleep(SEARCH_DELAY), move |_| {
                        Message::Reception(reception::Message::SearchDue(g))
                    })
                }
                Effect::OpenDisplay => {
                    let (id, open) = window::open(window::Settings {
                        size: iced::Size::new(1280.0, 720.0),
                        ..window::Settings::default()
                    });
                    self.display_window = Some(id);
                    open.map(Message::WindowOpened)
                }
                Effect::Print(printer, slip) => {
                    let ticket = slip.ticket;
                    Task::perform(
                        async move {
                            tokio::task::spawn_blocking(move || {
                                crate::print::print(&printer, &slip)
                            })
                            .await
                            .unwrap_or_else(|e| Err(PrintError::Render(e.to_string())))
                        },
                        move |result| Message::Printed(ticket, result),
                    )
                }
                Effect::Play(sound) => {
                    let languages = self.settings.call_languages();
                    Task::perform(
                        async move {
                            tokio::task::spawn_blocking(move || play(&sound, &languages)).await
                        },
                        |_| Message::SoundEnded,
                    )
                }
                Effect::Exit => iced::exit(),
            }),
        )
    }

    fn run_job(&self, work: Job, by: Option<Principal>, now: DateTime<Utc>) -> Task<Message> {
        match &self.db {
            Some(db) => Task::perform(
                db.clone().run(work, by, now, self.exports_folder()),
                std::convert::identity,
            ),
            None => Task::none(),
        }
    }

    /// Start on `store` as the running app does once its store is open: the gate, today's
    /// snapshot, the page check and the day's backup, run inline.
    pub fn start_headless(&mut self, store: &mut dyn Store) {
        self.opened = true;
        self.refreshing = true;
        let now = self.clock.now();
        for effect in self.opening_jobs() {
            if let Effect::Job(work) = effect {
                let done = perform_caught(store, *work, None, now, &self.exports_folder());
                self.run_headless(store, done);
            }
        }
        if self.settings.display_open && self.display_window.is_none() {
            self.run_headless(store, Message::OpenDisplay);
        }
    }

    /// Apply `message` and everything it leads to, synchronously, against `store`: the same
    /// steps as `update`, without iced's runtime. For tests and tools.
    pub fn run_headless(&mut self, store: &mut dyn Store, message: Message) {
        let mut queue = vec![message];
        while let Some(m) = queue.pop() {
            for effect in self.step(m) {
                match effect {
                    Effect::Job(work) => {
                        let by = self.principal();
                        queue.push(perform_caught(
                            store,
                            *work,
                            by.as_ref(),
                            self.clock.now(),
                            &self.exports_folder(),
                        ))
                    }
                    Effect::JobAs(work, by) => queue.push(perform_caught(
                        store,
                        *work,
                        by.as_ref(),
                        self.clock.now(),
                        &self.exports_folder(),
                    )),
                    Effect::DelaySearch(g) => {
                        queue.push(Message::Reception(reception::Message::SearchDue(g)))
                    }
                    Effect::OpenDisplay => self.display_window = Some(window::Id::unique()),
                    Effect::Focus(_) | Effect::FocusNext | Effect::FocusPrevious => {
                        self.focus_requests.push(effect)
                    }
                    Effect::SaveSettings(settings) => {
                        if let Some(path) = &self.settings_path {
                            queue.push(Message::SettingsSaved(settings.save(path)));
                        }
                    }
                    Effect::Print(printer, slip) => queue.push(Message::Printed(
                        slip.ticket,
                        crate::print::print(&printer, &slip),
                    )),
                    // Tests hand the app its store already open, in no window, and hear
                    // nothing: a test ends a sound with `Message::SoundEnded`.
                    Effect::Play(_) | Effect::Exit | Effect::Reopen | Effect::FitWindow(_) => {}
                }
            }
        }
    }

    pub fn title(&self, window: window::Id) -> String {
        if Some(window) == self.display_window {
            "Milano Welcome Center".into()
        } else {
            "welcome-desk · Milano Welcome Center".into()
        }
    }

    /// The larger-text setting draws everything a quarter larger; the wall screen sizes its
    /// own type to the screen.
    pub fn scale_factor(&self, window: window::Id) -> f32 {
        if self.settings.larger_text && Some(window) != self.display_window {
            LARGER_TEXT
        } else {
            1.0
        }
    }

    pub fn theme(&self, _window: window::Id) -> Theme {
        if self.dark {
            super::theme::dark()
        } else {
            super::theme::light()
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let idle = if self.unlocked() {
            iced::time::every(IDLE_CHECK).map(|_| Message::IdleCheck)
        } else {
            Subscription::none()
        };
        Subscription::batch([
            idle,
            // The watcher speaks only when another connection committed (or once a minute,
            // for clocks and the day's rollover): an idle terminal gets no message, so it
            // redraws nothing and sits near 0% CPU.
            Subscription::run_with(self.location.clone(), super::watcher::watch),
            window::close_events().map(Message::WindowClosed),
            // Sees keys typed into text fields too (keyboard::listen does not), and runs
            // behind the gate: Tab and Enter work on the sign-in form.
            iced::event::listen_with(keys),
        ])
    }

    pub fn view(&self, window: window::Id) -> Element<'_, Message> {
        let ctx = Ctx {
            lang: self.lang,
            today: &self.today,
            now: self.clock.now(),
        };
        if Some(window) == self.display_window {
            return display::view(&ctx);
        }
        self.main_view(ctx)
    }

    /// The main window (reception, desk and tally).
    pub fn main_view<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let lang = self.lang;
        let tab = |label: T, screen: Screen, n: usize| {
            let style = if self.screen == screen {
                button::primary
            } else {
                button::text
            };
            focus::button(
                screen.id(),
                button(
                    row![
                        text(t(lang, label)).size(18),
                        text(format!("Ctrl+{n}")).size(12),
                    ]
                    .spacing(6)
                    .align_y(Alignment::Center),
                )
                .padding([8, 14])
                .style(style),
                Some(Message::Show(screen)),
            )
        };
        let label = |screen: Screen| match screen {
            Screen::Reception => T::Reception,
            Screen::Desk => T::Desk,
            Screen::Tally => T::Tally,
            Screen::Records => T::Records,
            Screen::Staff => T::Staff,
        };
        let mut tabs = row![text("Welcome Center").size(20)]
            .spacing(8)
            .align_y(Alignment::Center);
        if self.unlocked() {
            for (i, screen) in self.screens().into_iter().enumerate() {
                tabs = tabs.push(tab(label(screen), screen, i + 1));
            }
        }
        let small = |id: &'static str, label: &'a str, message: Option<Message>| {
            focus::button(id, button(text(label)).style(button::text), message)
        };
        let mut who = row![].spacing(8).align_y(Alignment::Center);
        if let (true, Some(session)) = (self.unlocked(), self.shift.who()) {
            who = who
                .push(
                    text(format!(
                        "{} · {}",
                        session.staff,
                        super::i18n::role_name(lang, session.role)
                    ))
                    .size(15),
                )
                .push(small("lock", t(lang, T::LockNow), Some(Message::LockNow)))
                .push(small(
                    "sign-out",
                    t(lang, T::SignOut),
                    Some(Message::SignOut),
                ));
        }
        // The wall screen shows ticket numbers and desks only: it opens from the sign-in
        // screen too, with no account.
        let bar = row![tabs, iced::widget::space::horizontal(), who]
            .spacing(8)
            .align_y(Alignment::Center);
        let tools = row![
            iced::widget::space::horizontal(),
            focus::button(
                "open-display",
                button(text(t(lang, T::OpenDisplay))).style(button::secondary),
                self.display_window
                    .is_none()
                    .then_some(Message::OpenDisplay),
            ),
            small(
                "chime",
                if self.chime {
                    t(lang, T::ChimeOn)
                } else {
                    t(lang, T::ChimeOff)
                },
                Some(Message::ToggleChime)
            ),
            small(
                "voice",
                if self.settings.voice_off {
                    t(lang, T::VoiceOff)
                } else {
                    t(lang, T::VoiceOn)
                },
                Some(Message::ToggleVoice)
            ),
            small(
                "theme",
                if self.dark {
                    t(lang, T::LightTheme)
                } else {
                    t(lang, T::DarkTheme)
                },
                Some(Message::ToggleTheme)
            ),
            small(
                "text-size",
                if self.settings.larger_text {
                    t(lang, T::NormalText)
                } else {
                    t(lang, T::LargerText)
                },
                Some(Message::ToggleLargerText)
            ),
            focus::button(
                "language",
                button(text(t(lang, T::SwitchLanguage))).style(button::secondary),
                Some(Message::ToggleLanguage),
            ),
        ]
        .spacing(8)
        .align_y(Alignment::Center);

        let body: Element<'a, Message> = if let Some(e) = &self.open_error {
            widgets::banner(e.clone(), widgets::Tone::Bad)
        } else if !self.opened {
            text(t(lang, T::Opening)).size(20).into()
        } else if let (Some(who), Some(screens)) = (self.shift.who(), self.unlocked_screens()) {
            match self.screen {
                Screen::Reception => screens.reception.view(&ctx).map(Message::Reception),
                Screen::Desk => screens.desk.view(&ctx).map(Message::Desk),
                Screen::Tally => screens.tally.view(&ctx).map(Message::Tally),
                Screen::Staff => screens.staff.view(&ctx).map(Message::Staff),
                Screen::Records => screens.records.view(&ctx, who.role).map(Message::Records),
            }
        } else {
            // Nothing behind the gate is drawn: a locked terminal shows no visitor.
            self.gate.view(&ctx).map(Message::Gate)
        };
        // The banner has a slot of its own, always in the tree: a backup failure appearing
        // while someone types never moves the focus out of their field.
        // The same two places whether a banner is up or not, so one appearing while someone
        // types never moves their focus (a Space turning into a row of widgets did).
        let banner = match &self.banner {
            Some(b) => row![
                widgets::banner(b.clone(), widgets::Tone::Bad),
                focus::button(
                    "dismiss",
                    button(text(t(lang, T::Dismiss))),
                    Some(Message::DismissBanner)
                ),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
            None => row![
                widgets::banner_slot(None, widgets::Tone::Bad),
                iced::widget::space::horizontal().width(0),
            ],
        };
        // A PC with a printer has a row of fixed height for it, behind the gate like the screens:
        // Reprint (the ticket that did not
        // print, else the last one issued), and the banner saying why a ticket did not print.
        // Its height never changes, so a print failing while the next person is typed moves
        // no field and leaves the focus where it is.
        let printing = (self.settings.printer.is_some() && self.unlocked()).then(|| {
            let failed = self.not_printed.as_ref().map(|(t, _)| *t);
            let label = match failed.or(self.last_ticket) {
                Some(ticket) => format!("{} {ticket}", t(lang, T::Reprint)),
                None => t(lang, T::Reprint).to_string(),
            };
            let notice: Element<'a, Message> = match &self.not_printed {
                Some((ticket, e)) => widgets::banner(
                    format!("{ticket}: {}", errors::not_printed(lang, e)),
                    widgets::Tone::Bad,
                ),
                None => iced::widget::space::horizontal().into(),
            };
            let style = if failed.is_some() {
                button::primary
            } else {
                button::secondary
            };
            let reprint = focus::button(
                "reprint",
                button(text(label)).style(style),
                (failed.or(self.last_ticket).is_some() && self.may(Permission::Register))
                    .then_some(Message::Reprint),
            );
            container(
                row![container(notice).width(Length::Fill), reprint]
                    .spacing(8)
                    .align_y(Alignment::Center),
            )
            .height(PRINT_ROW_HEIGHT)
        });
        let mut page = column![bar, tools, banner].spacing(10);
        if let Some(printing) = printing {
            page = page.push(printing);
        }
        focus::Scope::new(
            container(page.push(body))
                .padding(20)
                .width(Length::Fill)
                .height(Length::Fill),
        )
        .into()
    }
}

/// Play one sound of the wall screen to its end (a stuck player is stopped): the chime, or
/// the call spoken in `languages`.
fn play(sound: &Sound, languages: &[voice::Language]) {
    match sound {
        Sound::Chime => {
            voice::player::play_to_end("chime", super::chime::CHIME_WAV, Duration::from_secs(5))
        }
        Sound::Voice(call) => {
            if let Ok(wav) = voice::announce(call.ticket, &call.desk, languages) {
                let length = voice::wav::duration(&wav).unwrap_or(Duration::from_secs(20));
                voice::player::play_to_end("call", &wav, length + Duration::from_secs(3));
            }
        }
    }
}

/// The height of the printer's row (Reprint, and why a ticket did not print): fixed, so that
/// nothing below it moves when a banner appears (a field that moves loses the focus).
pub const PRINT_ROW_HEIGHT: f32 = 44.0;

/// The smallest screen the terminal is laid out for.
pub const MIN_WINDOW: iced::Size = iced::Size::new(1024.0, 600.0);

/// How much larger everything is drawn with the larger-text setting.
pub const LARGER_TEXT: f32 = 1.25;

/// How often the idle lock looks at the time since the last key or click.
pub const IDLE_CHECK: Duration = Duration::from_secs(15);

/// Keys and clicks count as activity. Tab, Enter, the arrows and Escape become shortcuts
/// when no widget used them (a focused text field lets Tab through); Ctrl+L (Cmd+L) and the
/// function keys always are.
pub fn keys(
    event: iced::Event,
    status: iced::event::Status,
    _window: window::Id,
) -> Option<Message> {
    use keyboard::key::Named;
    match event {
        iced::Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) => {
            let free = status == iced::event::Status::Ignored;
            let shortcut = match key.as_ref() {
                keyboard::Key::Character("l") if modifiers.command() => Some(Shortcut::Lock),
                keyboard::Key::Character(c) if modifiers.command() => c
                    .parse::<u8>()
                    .ok()
                    .filter(|n| (1..=9).contains(n))
                    .map(Shortcut::Screen),
                keyboard::Key::Named(named) => match named {
                    Named::Tab if free && modifiers.shift() => Some(Shortcut::PreviousField),
                    Named::Tab if free => Some(Shortcut::NextField),
                    Named::Enter if free => Some(Shortcut::Enter),
                    Named::ArrowDown if free => Some(Shortcut::Down),
                    Named::ArrowUp if free => Some(Shortcut::Up),
                    // A text field takes Escape to drop its focus: the screen puts it back.
                    Named::Escape => Some(Shortcut::Escape),
                    other => function_key(other).map(Shortcut::Function),
                },
                _ => None,
            };
            Some(Message::Key(shortcut))
        }
        iced::Event::Mouse(iced::mouse::Event::ButtonPressed(_))
        | iced::Event::Mouse(iced::mouse::Event::WheelScrolled { .. }) => Some(Message::Activity),
        _ => None,
    }
}

fn function_key(key: keyboard::key::Named) -> Option<u8> {
    use keyboard::key::Named::*;
    Some(match key {
        F1 => 1,
        F2 => 2,
        F3 => 3,
        F4 => 4,
        F5 => 5,
        F6 => 6,
        F7 => 7,
        F8 => 8,
        F9 => 9,
        F10 => 10,
        F11 => 11,
        F12 => 12,
        _ => return None,
    })
}

fn desk_effects(action: desk::Action) -> Vec<Effect> {
    match action {
        desk::Action::None => vec![],
        work => vec![job(Job::Desk(work))],
    }
}

/// Open the terminal: the main window, and the waiting-room display on request.
pub fn run(
    location: Location,
    home: PathBuf,
    clock: Arc<dyn Clock>,
    crash_log: Option<PathBuf>,
    desk: Option<String>,
) -> iced::Result {
    iced::daemon(
        move || {
            App::boot(
                location.clone(),
                home.clone(),
                clock.clone(),
                crash_log.clone(),
                desk.clone(),
            )
        },
        App::update,
        App::view,
    )
    .title(App::title)
    .theme(App::theme)
    .scale_factor(App::scale_factor)
    .subscription(App::subscription)
    .font(super::fonts::NOTO_SANS_ARABIC)
    .font(super::fonts::NOTO_SANS_BENGALI)
    .run()
}
