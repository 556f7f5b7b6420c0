//! The window: for now a plain summary of the register; the screens come in their own modules.

use std::path::PathBuf;
use std::sync::Arc;

use iced::widget::{column, container, text};
use iced::{Element, Length, Task};

use crate::clock::{Clock, SystemClock};
use crate::domain::hours::rome_day;
use crate::domain::tally::Report;
use crate::store::{SqliteStore, StoreError};

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Arc<Report>, StoreError>),
}

pub struct State {
    db: PathBuf,
    today: Option<Result<Arc<Report>, StoreError>>,
}

impl State {
    pub fn new(db: PathBuf) -> (State, Task<Message>) {
        let path = db.clone();
        let task = Task::perform(
            async move {
                tokio::task::spawn_blocking(move || {
                    let store = SqliteStore::open(&path)?;
                    let day = rome_day(SystemClock.now());
                    crate::report::report(&store, day, day).map(Arc::new)
                })
                .await
                .unwrap_or_else(|e| {
                    Err(StoreError::NotFound(format!(
                        "the loading task failed: {e}"
                    )))
                })
            },
            Message::Loaded,
        );
        (State { db, today: None }, task)
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Loaded(result) => self.today = Some(result),
        }
        Task::none()
    }

    pub fn view(&self) -> Element<'_, Message> {
        let status: Element<'_, Message> = match &self.today {
            None => text("…").into(),
            Some(Ok(r)) => text(format!("Accessi oggi: {}", r.accesses))
                .size(28)
                .into(),
            Some(Err(e)) => text(e.to_string()).into(),
        };
        container(
            column![
                text("Milano Welcome Center").size(36),
                status,
                text(self.db.display().to_string()).size(14),
            ]
            .spacing(16),
        )
        .padding(32)
        .width(Length::Fill)
        .height(Length::Fill)
        .into()
    }
}

pub fn run(db: PathBuf) -> iced::Result {
    iced::application(move || State::new(db.clone()), State::update, State::view)
        .title("welcome-desk")
        .window_size((1280.0, 800.0))
        .run()
}
