//! The application: windows, screens, and the one place where screen actions become storage
//! work. Screens return plain `Action`s; `step` turns them into `Effect`s; `update` runs the
//! effects as iced `Task`s off the UI thread, and `run_headless` runs the very same effects
//! synchronously for tests.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use iced::widget::{button, column, container, row, text};
use iced::{Alignment, Element, Length, Subscription, Task, Theme, keyboard, window};
use uuid::Uuid;

use super::i18n::{Lang, T, t};
use super::today::Today;
use super::{Ctx, desk, display, reception, tally, widgets};
use crate::clock::Clock;
use crate::domain::Ticket;
use crate::domain::tally::Report;
use crate::domain::visitor::Visitor;
use crate::store::backup::{Daily, KEEP_DAILY, take_daily};
use crate::store::{
    Actor, Called, Candidate, Registered, Registration, SqliteStore, Store, StoreError,
};

/// The store, shared by the tasks that run off the UI thread.
#[derive(Clone)]
pub struct Db(Arc<Mutex<SqliteStore>>);

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Db")
    }
}

impl Db {
    pub fn new(store: SqliteStore) -> Db {
        Db(Arc::new(Mutex::new(store)))
    }

    /// Run `job` on a blocking thread: SQLite calls never run on the UI thread.
    async fn run(self, job: Job, now: DateTime<Utc>, exports: PathBuf) -> Message {
        tokio::task::spawn_blocking(move || {
            // A job that panicked left no transaction open (rusqlite rolls back on drop):
            // the connection is still good, so a poisoned lock is taken over.
            let mut store = self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            perform_caught(&mut *store, job, now, &exports)
        })
        .await
        .unwrap_or_else(|e| Message::Failed(format!("a background task failed: {e}")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Reception,
    Desk,
    Tally,
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
    Refresh {
        known: Option<(NaiveDate, i64)>,
    },
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
    CallNextKey,
    Failed(String),
    /// The register passed its page-by-page check.
    Checked,
    BackedUp(Result<Daily, StoreError>),
    DismissBanner,
}

/// What a message leads to beyond a change of state.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Job(Box<Job>),
    /// Send `SearchDue(generation)` after the debounce delay.
    DelaySearch(u64),
    OpenDisplay,
    /// A new call reached the waiting-room display and the chime is on.
    Chime,
    Exit,
}

fn job(job: Job) -> Effect {
    Effect::Job(Box::new(job))
}

/// Debounce for the live search while names are typed.
pub const SEARCH_DELAY: Duration = Duration::from_millis(250);

/// `perform`, with a panic turned into a message: a bug in one action must not take the
/// terminal down with the form reception is typing (the hook has written the log).
pub fn perform_caught(
    store: &mut dyn Store,
    job: Job,
    now: DateTime<Utc>,
    exports: &Path,
) -> Message {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        perform(store, job, now, exports)
    }))
    .unwrap_or_else(|_| Message::Failed(internal_error()))
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

/// Do one job against the store. Runs on a blocking thread (or inline in tests).
pub fn perform(store: &mut dyn Store, job: Job, now: DateTime<Utc>, exports: &Path) -> Message {
    let outcome = match job {
        Job::Check => {
            return match store.check() {
                Ok(()) => Message::Checked,
                Err(e) => Message::Failed(e.to_string()),
            };
        }
        Job::DailyBackup { folder } => {
            return Message::BackedUp(take_daily(
                store,
                &folder,
                crate::domain::hours::rome_day(now),
                KEEP_DAILY,
            ));
        }
        Job::Refresh { known } => {
            let day = crate::domain::hours::rome_day(now);
            let unchanged = match (known, store.data_version()) {
                (Some((d, v)), Ok(current)) => d == day && v == current,
                _ => false,
            };
            return Message::Refreshed(if unchanged {
                Ok(None)
            } else {
                Today::load(store, now).map(|t| Some(Arc::new(t)))
            });
        }
        Job::Search(q) => Outcome::Searched(
            q.generation,
            store.search(&q.family_name, &q.given_name, q.birth, 5),
        ),
        Job::LoadVisitor(id) => Outcome::VisitorLoaded(store.visitor(id)),
        Job::Register(r) => Outcome::Registered(store.register(&r, now)),
        Job::Desk(action) => desk_job(store, action, now),
        Job::Report { from, to } => {
            Outcome::Reported(crate::report::report(store, from, to).map(Arc::new))
        }
        Job::Export(report) => Outcome::Exported(export_csv(&report, exports)),
    };
    Message::Finished(outcome)
}

/// Who acts from a terminal until staff sign in (issue 6 brings names and roles).
const TERMINAL_STAFF: &str = "terminal";

fn desk_job(store: &mut dyn Store, action: desk::Action, now: DateTime<Utc>) -> Outcome {
    let day = crate::domain::hours::rome_day(now);
    match action {
        // Nothing to do is never sent as a job; answer as a harmless no-op.
        desk::Action::None => Outcome::Acted(Ok(())),
        desk::Action::CallNext { desk, queues } => {
            Outcome::Called(store.call_next(&desk, &queues, TERMINAL_STAFF, now))
        }
        desk::Action::Act {
            ticket,
            event,
            desk,
        } => {
            let actor = Actor {
                staff: TERMINAL_STAFF,
                desk: Some(&desk),
            };
            Outcome::Acted(store.transition(day, ticket, event, actor, now).map(|_| ()))
        }
        desk::Action::Transfer {
            ticket,
            queue,
            service,
            desk,
        } => {
            let actor = Actor {
                staff: TERMINAL_STAFF,
                desk: Some(&desk),
            };
            Outcome::Acted(
                store
                    .transfer(day, ticket, queue, &service, actor, now)
                    .map(|_| ()),
            )
        }
        desk::Action::LoadCard(access) => {
            Outcome::CardLoaded(access, store.visitor_of_access(access))
        }
    }
}

fn export_csv(report: &Report, folder: &Path) -> Result<PathBuf, StoreError> {
    let io = |e: std::io::Error| StoreError::Io {
        context: folder.display().to_string(),
        source: Arc::new(e),
    };
    std::fs::create_dir_all(folder).map_err(io)?;
    let path = folder.join(format!("report-{}-{}.csv", report.from, report.to));
    std::fs::write(&path, crate::report::to_csv(report)).map_err(io)?;
    Ok(path)
}

pub struct App {
    db_path: PathBuf,
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
    pub reception: reception::State,
    pub desk: desk::State,
    pub tally: tally::State,
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

    /// The app before the store is open; `Message::Opened` brings it.
    pub fn new(db_path: PathBuf, clock: Arc<dyn Clock>) -> App {
        let today = crate::domain::hours::rome_day(clock.now());
        App {
            db_path,
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
            reception: reception::State::new(Lang::It),
            desk: desk::State::default(),
            tally: tally::State::new(today),
        }
    }

    /// Boot for iced: open the main window and the store (off the UI thread, so the first
    /// frame does not wait for a large register's checks).
    pub fn boot(
        db_path: PathBuf,
        clock: Arc<dyn Clock>,
        crash_log: Option<PathBuf>,
    ) -> (App, Task<Message>) {
        let mut app = App::new(db_path.clone(), clock).after_crash(crash_log);
        let (id, open_window) = window::open(window::Settings {
            size: iced::Size::new(1280.0, 800.0),
            min_size: Some(iced::Size::new(1024.0, 700.0)),
            ..window::Settings::default()
        });
        app.main_window = Some(id);
        let open_store = Task::perform(
            async move {
                tokio::task::spawn_blocking(move || SqliteStore::open(&db_path).map(Db::new))
                    .await
                    .unwrap_or_else(|e| {
                        Err(StoreError::Io {
                            context: "opening the register".into(),
                            source: Arc::new(std::io::Error::other(e.to_string())),
                        })
                    })
            },
            Message::Opened,
        );
        (
            app,
            Task::batch([open_window.map(Message::WindowOpened), open_store]),
        )
    }

    /// The ticket at this terminal's desk now, if any.
    pub fn ticket_at_desk(&self) -> Option<Ticket> {
        let ctx = Ctx {
            lang: self.lang,
            today: &self.today,
            now: self.clock.now(),
        };
        self.desk.current(&ctx).map(|tv| tv.ticket)
    }

    fn exports_folder(&self) -> PathBuf {
        self.db_path
            .parent()
            .map_or_else(|| PathBuf::from("exports"), |p| p.join("exports"))
    }

    fn refresh_job(&self, force: bool) -> Effect {
        job(Job::Refresh {
            known: (!force).then_some((self.today.day, self.today.version)),
        })
    }

    /// What opening the register sets going: today's snapshot, the page check, the day's backup.
    fn opening_jobs(&self) -> Vec<Effect> {
        vec![
            self.refresh_job(true),
            job(Job::Check),
            job(Job::DailyBackup {
                folder: crate::store::backup::folder_of(&self.db_path),
            }),
        ]
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
            Message::Opened(Err(e)) => self.open_error = Some(e.to_string()),
            Message::WindowOpened(_) => {}
            Message::WindowClosed(id) => {
                if Some(id) == self.display_window {
                    self.display_window = None;
                } else {
                    return vec![Effect::Exit];
                }
            }
            Message::Show(screen) => self.screen = screen,
            Message::ToggleLanguage => {
                self.lang = self.lang.other();
                self.reception.set_lang(self.lang);
            }
            Message::ToggleTheme => self.dark = !self.dark,
            Message::ToggleChime => self.chime = !self.chime,
            Message::OpenDisplay => {
                if self.display_window.is_none() {
                    return vec![Effect::OpenDisplay];
                }
            }
            Message::Tick => {
                if self.opened && !self.refreshing {
                    self.refreshing = true;
                    return vec![self.refresh_job(false)];
                }
            }
            Message::Refreshed(result) => {
                self.refreshing = false;
                match result {
                    Ok(Some(today)) => {
                        self.today = today;
                        let newest = self
                            .today
                            .board
                            .recent_calls
                            .first()
                            .map(|c| (c.ticket, c.at));
                        let announce = newest.is_some()
                            && self.last_call.is_some_and(|seen| seen != newest)
                            && self.chime
                            && self.display_window.is_some();
                        self.last_call = Some(newest);
                        let mut effects = Vec::new();
                        if announce {
                            self.chimes += 1;
                            effects.push(Effect::Chime);
                        }
                        let ctx = Ctx {
                            lang: self.lang,
                            today: &self.today,
                            now,
                        };
                        effects.extend(desk_effects(self.desk.sync(&ctx)));
                        return effects;
                    }
                    Ok(None) => {}
                    Err(e) => self.banner = Some(e.to_string()),
                }
            }
            Message::Reception(m) => {
                let ctx = Ctx {
                    lang: self.lang,
                    today: &self.today,
                    now,
                };
                return match self.reception.update(m, &ctx) {
                    reception::Action::None => vec![],
                    reception::Action::ScheduleSearch(g) => vec![Effect::DelaySearch(g)],
                    reception::Action::Search(q) => vec![job(Job::Search(q))],
                    reception::Action::LoadVisitor(id) => vec![job(Job::LoadVisitor(id))],
                    reception::Action::Register(r) => vec![job(Job::Register(r))],
                };
            }
            Message::Desk(m) => {
                let ctx = Ctx {
                    lang: self.lang,
                    today: &self.today,
                    now,
                };
                return desk_effects(self.desk.update(m, &ctx));
            }
            Message::Tally(m) => {
                return match self.tally.update(m) {
                    tally::Action::None => vec![],
                    tally::Action::Report { from, to } => {
                        vec![job(Job::Report { from, to })]
                    }
                    tally::Action::Export(r) => vec![job(Job::Export(r))],
                };
            }
            Message::CallNextKey => {
                if self.screen == Screen::Desk {
                    return self.step(Message::Desk(desk::Message::CallNext));
                }
            }
            Message::Finished(outcome) => return self.finished(outcome),
            Message::Failed(e) => {
                // Whatever was in flight is over: reception may press Register again.
                self.reception.busy = false;
                self.banner = Some(e);
            }
            Message::Checked => {}
            Message::BackedUp(Ok(_)) => {}
            Message::BackedUp(Err(e)) => {
                self.banner = Some(format!("{}: {e}", t(self.lang, T::BackupFailed)));
            }
            Message::DismissBanner => self.banner = None,
        }
        vec![]
    }

    fn finished(&mut self, outcome: Outcome) -> Vec<Effect> {
        // Our own writes do not move this connection's data_version: reload explicitly.
        let reload = self.refresh_job(true);
        match outcome {
            Outcome::Searched(g, r) => self.reception.searched(g, r),
            Outcome::VisitorLoaded(r) => self.reception.visitor_loaded(r),
            Outcome::Registered(r) => {
                self.reception.registered(r);
                return vec![reload];
            }
            Outcome::Called(r) => {
                let mut effects = desk_effects(self.desk.called(self.lang, r));
                effects.push(reload);
                return effects;
            }
            Outcome::Acted(r) => {
                self.desk.acted(r);
                return vec![reload];
            }
            Outcome::CardLoaded(access, r) => self.desk.card_loaded(access, r),
            Outcome::Reported(r) => self.tally.reported(r),
            Outcome::Exported(r) => self.tally.exported(r),
        }
        vec![]
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let effects = self.step(message);
        let now = self.clock.now();
        Task::batch(effects.into_iter().map(|effect| match effect {
            // The page check and the daily backup read the whole file (seconds on a large
            // register): they get their own connection so registrations never wait behind them.
            Effect::Job(work) if matches!(*work, Job::Check | Job::DailyBackup { .. }) => {
                let path = self.db_path.clone();
                let exports = self.exports_folder();
                Task::perform(
                    async move {
                        tokio::task::spawn_blocking(move || match SqliteStore::open(&path) {
                            Ok(mut own) => perform_caught(&mut own, *work, now, &exports),
                            Err(e) => Message::Failed(e.to_string()),
                        })
                        .await
                        .unwrap_or_else(|e| Message::Failed(e.to_string()))
                    },
                    std::convert::identity,
                )
            }
            Effect::Job(work) => match &self.db {
                Some(db) => Task::perform(
                    db.clone().run(*work, now, self.exports_folder()),
                    std::convert::identity,
                ),
                None => Task::none(),
            },
            Effect::DelaySearch(g) => Task::perform(tokio::time::sleep(SEARCH_DELAY), move |_| {
                Message::Reception(reception::Message::SearchDue(g))
            }),
            Effect::OpenDisplay => {
                let (id, open) = window::open(window::Settings {
                    size: iced::Size::new(1280.0, 720.0),
                    ..window::Settings::default()
                });
                self.display_window = Some(id);
                open.map(Message::WindowOpened)
            }
            Effect::Chime => Task::perform(
                async { tokio::task::spawn_blocking(super::chime::play).await },
                |_| Message::Checked,
            ),
            Effect::Exit => iced::exit(),
        }))
    }

    /// Start on `store` as the running app does once its store is open: today's snapshot, the
    /// page check and the day's backup, run inline.
    pub fn start_headless(&mut self, store: &mut dyn Store) {
        self.opened = true;
        self.refreshing = true;
        let now = self.clock.now();
        for effect in self.opening_jobs() {
            if let Effect::Job(work) = effect {
                let done = perform_caught(store, *work, now, &self.exports_folder());
                self.run_headless(store, done);
            }
        }
    }

    /// Apply `message` and everything it leads to, synchronously, against `store`: the same
    /// steps as `update`, without iced's runtime. For tests and tools.
    pub fn run_headless(&mut self, store: &mut dyn Store, message: Message) {
        let mut queue = vec![message];
        while let Some(m) = queue.pop() {
            for effect in self.step(m) {
                match effect {
                    Effect::Job(work) => queue.push(perform_caught(
                        store,
                        *work,
                        self.clock.now(),
                        &self.exports_folder(),
                    )),
                    Effect::DelaySearch(g) => {
                        queue.push(Message::Reception(reception::Message::SearchDue(g)))
                    }
                    Effect::OpenDisplay => self.display_window = Some(window::Id::unique()),
                    Effect::Chime | Effect::Exit => {}
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

    pub fn theme(&self, _window: window::Id) -> Theme {
        if self.dark { Theme::Dark } else { Theme::Light }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([
            // The watcher speaks only when another connection committed (or once a minute,
            // for clocks and the day's rollover): an idle terminal gets no message, so it
            // redraws nothing and sits near 0% CPU.
            Subscription::run_with(self.db_path.clone(), watch),
            window::close_events().map(Message::WindowClosed),
            keyboard::listen().filter_map(|event| match event {
                keyboard::Event::KeyPressed {
                    key: keyboard::Key::Named(keyboard::key::Named::F5),
                    ..
                } => Some(Message::CallNextKey),
                _ => None,
            }),
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
        let tab = |label: T, screen: Screen| {
            let b = button(text(t(lang, label)).size(18))
                .padding([8, 14])
                .on_press(Message::Show(screen));
            if self.screen == screen {
                b.style(button::primary)
            } else {
                b.style(button::text)
            }
        };
        let bar = row![
            text("Welcome Center").size(20),
            tab(T::Reception, Screen::Reception),
            tab(T::Desk, Screen::Desk),
            tab(T::Tally, Screen::Tally),
            iced::widget::space::horizontal(),
            button(text(t(lang, T::OpenDisplay)))
                .style(button::secondary)
                .on_press_maybe(
                    self.display_window
                        .is_none()
                        .then_some(Message::OpenDisplay)
                ),
            button(text(if self.chime {
                t(lang, T::ChimeOn)
            } else {
                t(lang, T::ChimeOff)
            }))
            .style(button::text)
            .on_press(Message::ToggleChime),
            button(text(if self.dark {
                t(lang, T::LightTheme)
            } else {
                t(lang, T::DarkTheme)
            }))
            .style(button::text)
            .on_press(Message::ToggleTheme),
            button(text(t(lang, T::SwitchLanguage)))
                .style(button::secondary)
                .on_press(Message::ToggleLanguage),
        ]
        .spacing(8)
        .align_y(Alignment::Center);

        let body: Element<'a, Message> = if let Some(e) = &self.open_error {
            widgets::banner(e.clone(), widgets::Tone::Bad)
        } else if !self.opened {
            text(t(lang, T::Opening)).size(20).into()
        } else {
            match self.screen {
                Screen::Reception => self.reception.view(&ctx).map(Message::Reception),
                Screen::Desk => self.desk.view(&ctx).map(Message::Desk),
                Screen::Tally => self.tally.view(&ctx).map(Message::Tally),
            }
        };
        let mut page = column![bar].spacing(16);
        if let Some(b) = &self.banner {
            page = page.push(
                row![
                    widgets::banner(b.clone(), widgets::Tone::Bad),
                    button(text(t(lang, T::Dismiss))).on_press(Message::DismissBanner),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
            );
        }
        container(page.push(body))
            .padding(20)
            .width(Length::Fill)
            .height(Length::Fill)
            .into()
    }
}

/// How often the watcher looks at `PRAGMA data_version`.
pub const WATCH_INTERVAL: Duration = Duration::from_secs(1);
/// A tick even without changes, for the minutes-waiting counters and midnight.
pub const MINUTE_TICKS: u32 = 60;

/// Watch the register from a connection of its own: `Tick` when anything was committed (by
/// this terminal or another process) and once a minute otherwise.
#[allow(clippy::ptr_arg)] // Subscription::run_with hands its data over as &PathBuf.
fn watch(path: &PathBuf) -> impl iced::futures::Stream<Item = Message> + use<> {
    struct Watcher {
        path: PathBuf,
        store: Option<SqliteStore>,
        version: Option<i64>,
        quiet: u32,
    }
    let start = Watcher {
        path: path.clone(),
        store: None,
        version: None,
        quiet: 0,
    };
    iced::futures::stream::unfold(start, |mut w| async move {
        loop {
            tokio::time::sleep(WATCH_INTERVAL).await;
            if w.store.is_none() {
                // Until the file can be opened (the app reports why), just keep watching.
                w.store = SqliteStore::open(&w.path).ok();
            }
            let now = w.store.as_ref().map(|s| s.data_version());
            w.quiet += 1;
            match now {
                Some(Ok(v)) if w.version != Some(v) => {
                    let first = w.version.is_none();
                    w.version = Some(v);
                    if !first {
                        w.quiet = 0;
                        return Some((Message::Tick, w));
                    }
                }
                Some(Err(_)) => w.store = None,
                _ => {}
            }
            if w.quiet >= MINUTE_TICKS {
                w.quiet = 0;
                return Some((Message::Tick, w));
            }
        }
    })
}

fn desk_effects(action: desk::Action) -> Vec<Effect> {
    match action {
        desk::Action::None => vec![],
        work => vec![job(Job::Desk(work))],
    }
}

/// Open the terminal: the main window, and the waiting-room display on request.
pub fn run(db_path: PathBuf, clock: Arc<dyn Clock>, crash_log: Option<PathBuf>) -> iced::Result {
    iced::daemon(
        move || App::boot(db_path.clone(), clock.clone(), crash_log.clone()),
        App::update,
        App::view,
    )
    .title(App::title)
    .theme(App::theme)
    .subscription(App::subscription)
    .font(super::fonts::NOTO_SANS_ARABIC)
    .font(super::fonts::NOTO_SANS_BENGALI)
    .run()
}
