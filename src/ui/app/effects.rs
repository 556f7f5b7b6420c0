//! The two effect runners: `update` turns `Effect`s into iced `Task`s off the UI thread;
//! `run_headless` runs the very same effects synchronously, for tests and tools.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use iced::{Task, window};

use super::{App, Db, Effect, Job, Message, SEARCH_DELAY, perform_caught};
use crate::print::PrintError;
use crate::store::{Principal, Store, StoreError};
use crate::ui::{appointments, reception};
use crate::voice::{self, Sound};

impl App {
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
                Effect::FullScreen(on) => {
                    self.full_screen = on;
                    match self.main_window {
                        Some(id) => window::set_mode(
                            id,
                            if on {
                                window::Mode::Fullscreen
                            } else {
                                window::Mode::Windowed
                            },
                        ),
                        None => Task::none(),
                    }
                }
                // The window stays known as the display until it has closed: its close event
                // must not read as the main window's (which ends the program).
                Effect::CloseDisplay => match self.display_window {
                    Some(id) => window::close(id),
                    None => Task::none(),
                },
                Effect::FitWindow(size) => match self.main_window {
                    Some(id) => window::resize(id, size),
                    None => Task::none(),
                },
                Effect::Job(work) => {
                    let answer = self.run_job(*work, signed_in.clone(), now);
                    match self.shift.serial() {
                        Some(serial) => answer.map(move |m| Message::ForShift(serial, Box::new(m))),
                        None => answer,
                    }
                }
                Effect::JobAs(work, by) => self.run_job(*work, by, now),
                Effect::Reopen => self.open_store(),
                Effect::DelaySearch(g) => {
                    Task::perform(tokio::time::sleep(SEARCH_DELAY), move |_| {
                        Message::Reception(reception::Message::SearchDue(g))
                    })
                }
                Effect::DelayBookingSearch(g) => {
                    Task::perform(tokio::time::sleep(SEARCH_DELAY), move |_| {
                        Message::Appointments(appointments::Message::SearchDue(g))
                    })
                }
                Effect::Copy(text) => iced::clipboard::write(text),
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
                Effect::RetryLater => {
                    Task::perform(tokio::time::sleep(super::RETRY_SERVER), |_| {
                        Message::RetryServer
                    })
                }
                Effect::Exit => iced::exit(),
            }),
        )
    }

    pub(super) fn run_job(
        &self,
        work: Job,
        by: Option<Principal>,
        now: DateTime<Utc>,
    ) -> Task<Message> {
        match &self.db {
            Some(db) => Task::perform(
                db.clone().run(work, by, now, self.exports_folder()),
                std::convert::identity,
            ),
            None => Task::none(),
        }
    }

    /// Open the register off the UI thread (at boot, and again with a passphrase).
    pub(super) fn open_store(&self) -> Task<Message> {
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
                    Effect::DelayBookingSearch(g) => {
                        queue.push(Message::Appointments(appointments::Message::SearchDue(g)))
                    }
                    Effect::Copy(text) => self.clipboard = Some(text),
                    Effect::OpenDisplay => self.display_window = Some(window::Id::unique()),
                    Effect::CloseDisplay => {
                        if let Some(id) = self.display_window {
                            queue.push(Message::WindowClosed(id));
                        }
                    }
                    Effect::FullScreen(on) => self.full_screen = on,
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
                    // nothing: a test ends a sound with `Message::SoundEnded`. No waiting
                    // either: a test sends `Message::RetryServer` when it means to.
                    Effect::Play(_)
                    | Effect::Exit
                    | Effect::Reopen
                    | Effect::FitWindow(_)
                    | Effect::RetryLater => {}
                }
            }
        }
    }
}

/// Play one sound of the wall screen to its end (a stuck player is stopped): the chime, or
/// the call spoken in `languages`.
fn play(sound: &Sound, languages: &[voice::Language]) {
    match sound {
        Sound::Chime => {
            voice::player::play_to_end("chime", crate::ui::chime::CHIME_WAV, Duration::from_secs(5))
        }
        Sound::Voice(call) => {
            if let Ok(wav) = voice::announce(call.ticket, &call.desk, languages) {
                let length = voice::wav::duration(&wav).unwrap_or(Duration::from_secs(20));
                voice::player::play_to_end("call", &wav, length + Duration::from_secs(3));
            }
        }
    }
}
