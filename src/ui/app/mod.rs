//! The application: windows, screens, and the one place where screen actions become storage
//! work. Screens return plain `Action`s; `step` turns them into `Effect`s; `update` runs the
//! effects as iced `Task`s off the UI thread, and `run_headless` runs the very same effects
//! synchronously for tests.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use iced::{Task, window};

use super::i18n::{Lang, T, t};
use super::this_pc::{self, Settings};
use super::today::Today;
use super::{Ctx, appointments, desk, gate, reception, records, staff, tally};
use crate::clock::Clock;
use crate::domain::Ticket;
use crate::domain::audit::AuditAction;
use crate::domain::staff::{Permission, Session};
use crate::print::{PrintError, Printer, TicketSlip};
use crate::store::backup::Daily;
use crate::store::retention::DEFAULT_IDLE_MINUTES;
use crate::store::{Location, Principal, StoreError};
use crate::voice::{CallQueue, Sound};

mod effects;
mod keys;
mod session;
mod shell;
mod step;
mod wall;

pub use super::jobs::{Db, Job, Outcome, perform, perform_caught, terminal_name};
pub use keys::{Shortcut, keys};
pub use session::{OnShift, Screens, Shift};
pub use wall::WALL_GATE_MINUTES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Reception,
    /// The agenda: reception's second screen, and the `booking` role's only one.
    Appointments,
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
            Screen::Appointments => "tab-appointments",
            Screen::Desk => "tab-desk",
            Screen::Tally => "tab-tally",
            Screen::Records => "tab-records",
            Screen::Staff => "tab-staff",
        }
    }

    pub const ALL: [Screen; 6] = [
        Screen::Reception,
        Screen::Appointments,
        Screen::Desk,
        Screen::Tally,
        Screen::Records,
        Screen::Staff,
    ];

    /// What a role must be allowed to open this screen.
    pub fn permission(self) -> Permission {
        match self {
            Screen::Reception => Permission::Register,
            Screen::Appointments => Permission::Book,
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
    /// The server cannot be reached (the change feed's connection dropped, or could not be
    /// made): the banner says so while the terminal keeps trying.
    ServerLost,
    /// The change feed is connected again: everything shown is read again, since what other
    /// PCs did meanwhile was not notified.
    ServerBack,
    /// Time to try the server again after a job found it unreachable.
    RetryServer,
    Refreshed(Result<Option<Arc<Today>>, StoreError>),
    Reception(reception::Message),
    Desk(desk::Message),
    Tally(tally::Message),
    Appointments(appointments::Message),
    AppointmentsDone(Result<appointments::Done, StoreError>),
    Finished(Outcome),
    /// The answer to a job sent while shift `serial` was signed in ([`OnShift::serial`]):
    /// it reaches the screens only if that shift still is.
    ForShift(u64, Box<Message>),
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
    /// The same, for the names typed in the agenda's booking half.
    DelayBookingSearch(u64),
    /// Put text on the system clipboard (a booking's confirmation).
    Copy(String),
    OpenDisplay,
    /// Close the second window: the wall-screen PC's main window is the display.
    CloseDisplay,
    /// Take the whole screen (the wall screen) or give it back.
    FullScreen(bool),
    /// Open the register again, with the passphrase just given.
    Reopen,
    /// Print a slip on this PC's printer, off the UI thread.
    Print(Box<Printer>, Box<TicketSlip>),
    /// Play a sound of the wall screen (chime or spoken call) to its end, off the UI thread.
    Play(Sound),
    /// Send `RetryServer` after [`RETRY_SERVER`].
    RetryLater,
    Exit,
}

fn job(job: Job) -> Effect {
    Effect::Job(Box::new(job))
}

/// Debounce for the live search while names are typed.
pub const SEARCH_DELAY: Duration = Duration::from_millis(250);

/// How soon the terminal tries the server again after a job found it unreachable (the change
/// feed tries on its own, as often).
pub const RETRY_SERVER: Duration = super::watcher::WATCH_INTERVAL;

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
    /// The server is away, as the change feed found it: until `ServerBack`.
    feed_lost: bool,
    /// The server is away, as a job found it: until a reload succeeds or the feed is back.
    jobs_lost: bool,
    /// A `RetryServer` is on its way.
    retry_pending: bool,
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
    /// Shifts signed in since the terminal started: the next shift's serial.
    shifts_begun: u64,
    /// The main window was last asked to take the whole screen.
    pub full_screen: bool,
    /// What was last put on the clipboard while running headless (tests read it).
    pub clipboard: Option<String>,
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
            feed_lost: false,
            jobs_lost: false,
            retry_pending: false,
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
            shifts_begun: 0,
            full_screen: false,
            clipboard: None,
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
        // The wall-screen PC comes back full screen by itself, with nobody at its keyboard.
        app.full_screen = app.is_wall_screen();
        let (id, open_window) = window::open(window::Settings {
            size: iced::Size::new(1280.0, 800.0),
            fullscreen: app.full_screen,
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

    /// Whether the server is away: the banner says so, in the staff's language, until it
    /// is back. Never on a register file.
    pub fn server_away(&self) -> bool {
        self.feed_lost || self.jobs_lost
    }

    /// Everything the screens show, read again: today's snapshot (the queues, the board, the
    /// desk's ticket, the day's tally), and what the open screen loaded (the staff list, the
    /// day's trail, a report). After the server was away, what other PCs did meanwhile was
    /// never notified. Nothing typed is touched.
    fn reload_all(&mut self) -> Vec<Effect> {
        if !self.opened {
            return vec![];
        }
        self.refreshing = true;
        let mut effects = vec![self.refresh_job()];
        if !self.unlocked() {
            return effects;
        }
        match self.screen {
            Screen::Staff => effects.push(job(Job::LoadStaff)),
            Screen::Records => effects.push(job(Job::Records(records::Action::LoadTrail(
                self.today.day,
            )))),
            Screen::Tally => {
                let shown = self
                    .shift
                    .screens()
                    .and_then(|s| s.tally.report.as_ref())
                    .map(|r| (r.from, r.to));
                if let Some((from, to)) = shown {
                    effects.push(job(Job::Report { from, to }));
                }
            }
            Screen::Appointments => {
                if let Some(s) = self.shift.screens() {
                    effects.push(job(Job::Appointments(appointments::Action::Load(
                        s.appointments.day,
                    ))));
                }
            }
            Screen::Reception | Screen::Desk => {}
        }
        effects
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
