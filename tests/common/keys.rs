//! A terminal driven by the keyboard alone: real key events go through a real iced user
//! interface that keeps its widget state (which field has the focus) from one key to the
//! next, as the running program does; the messages run through the app's own steps against
//! a real SQLite file; focus moves the app asks for are applied to that same interface.

use iced::advanced::clipboard;
use iced::advanced::renderer::Headless;
use iced::advanced::widget::operation;
use iced::keyboard::{self, Key, key::Named};
use iced::{Event, Size, mouse, window};
use iced_runtime::user_interface::{self, UserInterface};
use welcome_desk::store::SqliteStore;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::ui::app::{self, App, Effect, Message};

pub struct Keyboard {
    pub app: App,
    pub store: SqliteStore,
    renderer: iced::Renderer,
    cache: Option<user_interface::Cache>,
    size: Size,
    window: window::Id,
    /// Keys pressed since the count was last reset.
    pub keys: usize,
}

impl Keyboard {
    pub fn new(app: App, store: SqliteStore, size: Size) -> Keyboard {
        let renderer = iced::futures::executor::block_on(iced::Renderer::new(
            iced::Font::with_name("Fira Sans"),
            iced::Pixels(16.0),
            std::env::var("ICED_TEST_BACKEND").ok().as_deref(),
        ))
        .expect("a headless renderer");
        let mut keyboard = Keyboard {
            app,
            store,
            renderer,
            cache: Some(user_interface::Cache::default()),
            size,
            window: window::Id::unique(),
            keys: 0,
        };
        // Lay the interface out once and apply the focus the app asked for so far.
        keyboard.settle();
        keyboard
    }

    fn with_ui<R>(
        &mut self,
        f: impl FnOnce(
            &mut UserInterface<'_, Message, iced::Theme, iced::Renderer>,
            &mut iced::Renderer,
        ) -> R,
    ) -> R {
        let cache = self.cache.take().unwrap_or_default();
        let mut ui = UserInterface::build(
            self.app.view(self.window),
            self.size,
            cache,
            &mut self.renderer,
        );
        let result = f(&mut ui, &mut self.renderer);
        self.cache = Some(ui.into_cache());
        result
    }

    /// Apply the focus moves the app asked for, as iced's runtime does after an update.
    fn settle(&mut self) {
        loop {
            let requests = std::mem::take(&mut self.app.focus_requests);
            if requests.is_empty() {
                return;
            }
            for request in requests {
                let op: Box<dyn operation::Operation> = match request {
                    Effect::Focus(id) => Box::new(operation::focusable::focus(id.into())),
                    Effect::FocusNext => Box::new(operation::focusable::focus_next()),
                    Effect::FocusPrevious => Box::new(operation::focusable::focus_previous()),
                    _ => continue,
                };
                self.operate(op);
            }
        }
    }

    /// Run an operation to its end, following its chain, as iced's runtime does.
    fn operate(&mut self, op: Box<dyn operation::Operation>) {
        let mut current = Some(op);
        while let Some(mut op) = current.take() {
            self.with_ui(|ui, renderer| ui.operate(renderer, op.as_mut()));
            if let operation::Outcome::Chain(next) = op.finish() {
                current = Some(next);
            }
        }
    }

    /// Deliver one raw event to the interface, then to the app's key listener, then run
    /// every message it led to.
    fn event(&mut self, event: Event) {
        let mut messages = Vec::new();
        let statuses = self.with_ui(|ui, renderer| {
            let (_, statuses) = ui.update(
                std::slice::from_ref(&event),
                mouse::Cursor::Unavailable,
                renderer,
                &mut clipboard::Null,
                &mut messages,
            );
            statuses
        });
        let status = statuses
            .first()
            .copied()
            .unwrap_or(iced::event::Status::Ignored);
        if let Some(m) = app::keys(event, status, self.window) {
            messages.push(m);
        }
        for m in messages {
            self.app.run_headless(&mut self.store, m);
        }
        self.settle();
    }

    /// Tab and the letters after it in one batch of events, as a fast typist's keys reach the
    /// window before anything else runs: the letters must land in the next field.
    pub fn tab_then_type_at_once(&mut self, text: &str) {
        let press = |key: Key, text: Option<&str>| {
            Event::Keyboard(keyboard::Event::KeyPressed {
                key: key.clone(),
                modified_key: key,
                physical_key: keyboard::key::Physical::Unidentified(
                    keyboard::key::NativeCode::Unidentified,
                ),
                location: keyboard::Location::Standard,
                modifiers: keyboard::Modifiers::default(),
                repeat: false,
                text: text.map(Into::into),
            })
        };
        let mut events = vec![press(Key::Named(Named::Tab), Some("\t"))];
        for c in text.chars() {
            let s = c.to_string();
            events.push(press(Key::Character(s.as_str().into()), Some(&s)));
        }
        let mut messages = Vec::new();
        self.with_ui(|ui, renderer| {
            ui.update(
                &events,
                mouse::Cursor::Unavailable,
                renderer,
                &mut clipboard::Null,
                &mut messages,
            )
        });
        for m in messages {
            self.app.run_headless(&mut self.store, m);
        }
        self.settle();
    }

    fn tap(&mut self, key: Key, text: Option<&str>, modifiers: keyboard::Modifiers) {
        self.keys += 1;
        self.event(Event::Keyboard(keyboard::Event::KeyPressed {
            key: key.clone(),
            modified_key: key.clone(),
            physical_key: keyboard::key::Physical::Unidentified(
                keyboard::key::NativeCode::Unidentified,
            ),
            location: keyboard::Location::Standard,
            modifiers,
            repeat: false,
            text: text.map(Into::into),
        }));
        self.event(Event::Keyboard(keyboard::Event::KeyReleased {
            key: key.clone(),
            modified_key: key,
            physical_key: keyboard::key::Physical::Unidentified(
                keyboard::key::NativeCode::Unidentified,
            ),
            location: keyboard::Location::Standard,
            modifiers,
        }));
    }

    /// Type text, one key per character.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let s = c.to_string();
            self.tap(
                Key::Character(s.as_str().into()),
                Some(&s),
                keyboard::Modifiers::default(),
            );
        }
    }

    pub fn press(&mut self, key: Named) {
        let text = match key {
            Named::Enter => Some("\r"),
            Named::Tab => Some("\t"),
            Named::Space => Some(" "),
            _ => None,
        };
        self.tap(Key::Named(key), text, keyboard::Modifiers::default());
    }

    pub fn shift_tab(&mut self) {
        self.tap(
            Key::Named(Named::Tab),
            Some("\t"),
            keyboard::Modifiers::SHIFT,
        );
    }

    pub fn ctrl(&mut self, c: &str) {
        self.tap(Key::Character(c.into()), None, keyboard::Modifiers::CTRL);
    }

    /// The id of the focused widget, if it has one.
    pub fn focused(&mut self) -> Option<String> {
        let mut find = operation::focusable::find_focused();
        self.with_ui(|ui, renderer| ui.operate(renderer, &mut operation::black_box(&mut find)));
        match operation::Operation::finish(&find) {
            operation::Outcome::Some(id) => Some(format!("{id:?}")),
            _ => None,
        }
    }

    /// Whether the widget `id` has the focus.
    pub fn has_focus(&mut self, id: &'static str) -> bool {
        let mut is = operation::focusable::is_focused(id.into());
        self.with_ui(|ui, renderer| ui.operate(renderer, &mut operation::black_box(&mut is)));
        matches!(
            operation::Operation::finish(&is),
            operation::Outcome::Some(true)
        )
    }
}
