//! A desk: mediators, legal, social and psychological staff call and serve visitors.

use iced::widget::{
    button, checkbox, column, container, row, rule, scrollable, space, text, text_input,
};
use iced::{Alignment, Element, Font, Length};
use uuid::Uuid;

use super::Ctx;
use super::errors;
use super::focus;
use super::i18n::{self, Lang, T, msg, t};
use super::reception::{Choice, service_choices};
use super::this_pc::DeskSetup;
use super::widgets;
use crate::domain::access::{WaitingPlace, queue_order};
use crate::domain::visitor::Visitor;
use crate::domain::{Queue, Ticket, TicketEvent, TicketState, TicketView};
use crate::store::{Called, StoreError};

const BOLD: Font = Font {
    weight: iced::font::Weight::Bold,
    ..Font::DEFAULT
};

#[derive(Debug, Clone)]
pub enum Message {
    Label(String),
    ServeSai(bool),
    ServeGeneral(bool),
    Languages(String),
    /// This PC is the desk typed in the set-up.
    SaveDesk,
    /// Open the set-up again.
    ChangeDesk,
    CallNext,
    Act(TicketEvent),
    TransferQueue(Choice<Queue>),
    TransferService(Choice<String>),
    Transfer,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    None,
    /// Remember on this PC that it is desk `label`, with this set-up.
    SaveDesk {
        label: String,
        setup: DeskSetup,
    },
    CallNext {
        desk: String,
        queues: Vec<Queue>,
    },
    Act {
        ticket: Ticket,
        event: TicketEvent,
        desk: String,
    },
    Transfer {
        ticket: Ticket,
        queue: Queue,
        service: String,
        desk: String,
    },
    LoadCard(Uuid),
}

pub struct State {
    /// The desk this PC is, as saved; calls and the wall screen use it. `None` until set.
    pub desk: Option<String>,
    /// The set-up form is open.
    pub editing: bool,
    pub label: String,
    pub serve_sai: bool,
    pub serve_general: bool,
    pub languages: String,
    transfer_queue: Option<Queue>,
    transfer_service: Option<String>,
    /// The card of the visitor at the desk: (access, visitor, accesses in all).
    pub card: Option<(Uuid, Visitor, u32)>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

impl Default for State {
    fn default() -> Self {
        State::new(None, DeskSetup::default())
    }
}

fn queue_choice_list(lang: Lang) -> Vec<Choice<Queue>> {
    Queue::ALL
        .iter()
        .map(|q| Choice {
            value: *q,
            label: i18n::queue_name(lang, *q).to_string(),
        })
        .collect()
}

impl State {
    /// The desk as this PC remembers it (`None`: not set up yet, the form opens).
    pub fn new(desk: Option<String>, setup: DeskSetup) -> State {
        State {
            editing: desk.is_none(),
            label: desk.clone().unwrap_or_default(),
            desk,
            serve_sai: setup.queues.contains(&Queue::Sai),
            serve_general: setup.queues.contains(&Queue::General),
            languages: setup.languages.join(", "),
            transfer_queue: None,
            transfer_service: None,
            card: None,
            error: None,
            notice: None,
        }
    }

    /// The first field Tab starts from: the label while setting up, else the call button.
    pub fn first_field(&self) -> &'static str {
        if self.editing {
            "desk-label"
        } else {
            "desk-call"
        }
    }

    pub fn queues(&self) -> Vec<Queue> {
        let mut q = Vec::new();
        if self.serve_sai {
            q.push(Queue::Sai);
        }
        if self.serve_general {
            q.push(Queue::General);
        }
        q
    }

    fn my_languages(&self) -> Vec<String> {
        self.languages
            .split([',', ' ', ';'])
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// The ticket at this desk now (called or in service), from today's snapshot: it
    /// survives a restart and shows what another terminal did.
    pub fn current<'a>(&self, ctx: &Ctx<'a>) -> Option<&'a TicketView> {
        let label = self.desk.as_deref()?;
        ctx.today.tickets.iter().rev().find(|tv| {
            tv.desk.as_deref() == Some(label)
                && matches!(tv.state, TicketState::Called | TicketState::InService)
        })
    }

    /// Who waits for this desk, in the order they will be called.
    pub fn waiting<'a>(&self, ctx: &Ctx<'a>) -> Vec<&'a TicketView> {
        let queues = self.queues();
        let mut list: Vec<&TicketView> = ctx
            .today
            .tickets
            .iter()
            .filter(|tv| tv.state == TicketState::Waiting && queues.contains(&tv.ticket.queue))
            .collect();
        let place = |tv: &TicketView| WaitingPlace {
            priority: tv.priority,
            appointment_at: tv.appointment_at,
            arrived_at: tv.arrived_at,
            ticket_number: tv.ticket.number,
        };
        list.sort_by(|a, b| queue_order(&place(a), &place(b), ctx.now));
        list
    }

    /// After each refresh: load the card of whoever is at the desk, if not loaded yet.
    pub fn sync(&mut self, ctx: &Ctx<'_>) -> Action {
        match self.current(ctx) {
            Some(tv) if self.card.as_ref().map(|c| c.0) != Some(tv.access_id) => {
                Action::LoadCard(tv.access_id)
            }
            Some(_) => Action::None,
            None => {
                self.card = None;
                Action::None
            }
        }
    }

    pub fn update(&mut self, message: Message, ctx: &Ctx<'_>) -> Action {
        let lang = ctx.lang;
        let desk = self.desk.clone().unwrap_or_default();
        match message {
            Message::Label(s) => {
                self.label = s;
                self.error = None;
            }
            Message::ServeSai(b) => self.serve_sai = b,
            Message::ServeGeneral(b) => self.serve_general = b,
            Message::Languages(s) => self.languages = s,
            Message::TransferQueue(c) => self.transfer_queue = Some(c.value),
            Message::TransferService(c) => self.transfer_service = Some(c.value),
            Message::ChangeDesk => {
                if self.current(ctx).is_some() {
                    self.error = Some(t(lang, T::FinishCurrentFirst).to_string());
                    return Action::None;
                }
                self.editing = true;
            }
            Message::SaveDesk => {
                let label = self.label.trim().to_string();
                if label.is_empty() {
                    self.error = Some(format!(
                        "{}: {}",
                        t(lang, T::DeskLabel),
                        t(lang, T::ErrRequired)
                    ));
                    return Action::None;
                }
                let queues = self.queues();
                if queues.is_empty() {
                    self.error = Some(format!(
                        "{}: {}",
                        t(lang, T::QueuesServed),
                        t(lang, T::ErrChooseOne)
                    ));
                    return Action::None;
                }
                self.error = None;
                self.editing = false;
                self.desk = Some(label.clone());
                self.label = label.clone();
                return Action::SaveDesk {
                    label,
                    setup: DeskSetup {
                        queues,
                        languages: self.my_languages(),
                    },
                };
            }
            Message::CallNext => {
                if self.desk.is_none() || self.editing {
                    // A call shows a desk on the wall screen: never a desk not chosen here.
                    self.error = Some(t(lang, T::SetDeskFirst).to_string());
                    return Action::None;
                }
                if self.current(ctx).is_some() {
                    // Calling the next person while someone is at the desk would lose them.
                    self.error = Some(t(lang, T::FinishCurrentFirst).to_string());
                    return Action::None;
                }
                self.error = None;
                return Action::CallNext {
                    desk,
                    queues: self.queues(),
                };
            }
            Message::Act(event) => {
                if let Some(tv) = self.current(ctx) {
                    self.error = None;
                    return Action::Act {
                        ticket: tv.ticket,
                        event,
                        desk,
                    };
                }
            }
            Message::Transfer => {
                let Some(tv) = self.current(ctx) else {
                    return Action::None;
                };
                let queue = self.transfer_queue.unwrap_or(tv.ticket.queue);
                let service = self
                    .transfer_service
                    .clone()
                    .unwrap_or_else(|| tv.service.clone());
                return Action::Transfer {
                    ticket: tv.ticket,
                    queue,
                    service,
                    desk,
                };
            }
        }
        Action::None
    }

    pub fn called(&mut self, lang: Lang, result: Result<Option<Called>, StoreError>) -> Action {
        match result {
            Ok(Some(c)) => {
                self.notice = None;
                self.error = None;
                Action::LoadCard(c.access_id)
            }
            Ok(None) => {
                self.notice = Some(t(lang, T::NobodyWaiting).to_string());
                Action::None
            }
            Err(e) => {
                self.error = Some(errors::store_error(lang, &e));
                Action::None
            }
        }
    }

    pub fn acted(&mut self, lang: Lang, result: Result<(), StoreError>) {
        match result {
            Ok(()) => self.error = None,
            Err(e) => self.error = Some(errors::store_error(lang, &e)),
        }
    }

    pub fn card_loaded(
        &mut self,
        lang: Lang,
        access: Uuid,
        result: Result<(Visitor, u32), StoreError>,
    ) {
        match result {
            Ok((v, n)) => self.card = Some((access, v, n)),
            Err(e) => self.error = Some(errors::store_error(lang, &e)),
        }
    }

    pub fn view<'a>(&'a self, ctx: &Ctx<'a>) -> Element<'a, Message> {
        let lang = ctx.lang;
        let current = self.current(ctx);
        let setup: Element<'a, Message> = match (&self.desk, self.editing) {
            (Some(desk), false) => {
                let mut served: Vec<&str> = self
                    .queues()
                    .into_iter()
                    .map(|q| i18n::queue_name(lang, q))
                    .collect();
                let languages = self.my_languages().join(", ");
                if !languages.is_empty() {
                    served.push(&languages);
                }
                row![
                    text(desk.as_str()).size(24).font(BOLD),
                    text(served.join(" · ")).size(16).width(Length::Fill),
                    focus::button(
                        "desk-change",
                        button(text(t(lang, T::ChangeDesk))).style(button::secondary),
                        current.is_none().then_some(Message::ChangeDesk),
                    ),
                ]
                .spacing(16)
                .align_y(Alignment::Center)
                .into()
            }
            _ => self.setup_view(lang),
        };

        let call = focus::button(
            "desk-call",
            button(text(t(lang, T::CallNext)).size(22)).padding([12, 24]),
            (current.is_none() && !self.editing && self.desk.is_some())
                .then_some(Message::CallNext),
        );

        // The banners sit after the call button, in slots that are always there, so that
        // showing one never moves the focus away from a field.
        let left = column![
            setup,
            call,
            widgets::banner_slot(self.error.clone(), widgets::Tone::Bad),
            widgets::banner_slot(self.notice.clone(), widgets::Tone::Info),
            self.current_view(ctx, current),
        ]
        .spacing(18);

        row![
            scrollable(left).spacing(8).width(Length::FillPortion(3)),
            self.waiting_view(ctx).width(Length::FillPortion(2)),
        ]
        .spacing(24)
        .into()
    }

    fn setup_view<'a>(&'a self, lang: Lang) -> Element<'a, Message> {
        let checkbox_for = |id, queue: Queue, checked: bool, on: fn(bool) -> Message| {
            focus::checkbox(
                id,
                checkbox(checked)
                    .label(i18n::queue_name(lang, queue))
                    .on_toggle(on),
                checked,
                on,
            )
        };
        column![
            text(t(lang, T::DeskSetupNote)).size(15),
            row![
                column![
                    text(t(lang, T::DeskLabel)).size(14),
                    text_input(t(lang, T::DeskLabelExample), &self.label)
                        .id("desk-label")
                        .on_input(Message::Label)
                        .on_submit(Message::SaveDesk)
                        .style(focus::input_style)
                        .padding(8)
                ]
                .spacing(4)
                .width(200),
                column![
                    text(t(lang, T::QueuesServed)).size(14),
                    row![
                        checkbox_for("desk-sai", Queue::Sai, self.serve_sai, Message::ServeSai),
                        checkbox_for(
                            "desk-general",
                            Queue::General,
                            self.serve_general,
                            Message::ServeGeneral
                        ),
                    ]
                    .spacing(16)
                ]
                .spacing(8),
                column![
                    text(t(lang, T::MyLanguages)).size(14),
                    text_input("ar, bn, es", &self.languages)
                        .id("desk-languages")
                        .on_input(Message::Languages)
                        .on_submit(Message::SaveDesk)
                        .style(focus::input_style)
                        .padding(8)
                ]
                .spacing(4)
                .width(200),
                focus::button(
                    "desk-save",
                    button(text(t(lang, T::SaveDesk))),
                    Some(Message::SaveDesk)
                ),
            ]
            .spacing(24)
            .align_y(Alignment::End),
        ]
        .spacing(8)
        .into()
    }

    fn current_view<'a>(
        &'a self,
        ctx: &Ctx<'a>,
        current: Option<&'a TicketView>,
    ) -> Element<'a, Message> {
        let lang = ctx.lang;
        let Some(tv) = current else {
            return text(t(lang, T::NobodyAtDesk)).size(18).into();
        };
        let mut card = column![
            text(t(lang, T::NowServing)).size(16),
            row![
                text(tv.ticket.to_string()).size(64).font(BOLD),
                column![
                    text(i18n::service_name(lang, &tv.service)).size(20),
                    text(i18n::state_name(lang, tv.state)).size(16),
                ]
                .spacing(4)
            ]
            .spacing(24)
            .align_y(Alignment::Center),
        ]
        .spacing(8);
        if let Some((_, v, visits)) = self.card.as_ref().filter(|c| c.0 == tv.access_id) {
            let d = &v.details;
            let mut facts = vec![v.code.clone()];
            if let Some(b) = d.birth_date {
                facts.push(b.format("%d/%m/%Y").to_string());
            }
            if let Some(c) = &d.country {
                facts.push(i18n::country_name(lang, c));
            }
            if !d.languages.is_empty() {
                facts.push(d.languages.join(", "));
            }
            if d.sai_guest {
                facts.push(t(lang, T::SaiGuest).to_string());
            }
            facts.push(i18n::tf(
                lang,
                msg::ACCESS_COUNT,
                &[("count", visits.into())],
            ));
            card = card.push(
                text(format!("{} {}", d.family_name, d.given_name))
                    .size(26)
                    .shaping(text::Shaping::Advanced),
            );
            card = card.push(text(facts.join(" · ")).size(15));
        }
        let called = tv.state == TicketState::Called;
        let act = |id,
                   label: T,
                   event: TicketEvent,
                   enabled: bool,
                   style: fn(&iced::Theme, button::Status) -> button::Style| {
            focus::button(
                id,
                button(text(t(lang, label))).style(style),
                enabled.then_some(Message::Act(event)),
            )
        };
        let acts = row![
            act(
                "desk-recall",
                T::Recall,
                TicketEvent::Recall,
                called,
                button::primary
            ),
            act(
                "desk-start",
                T::Start,
                TicketEvent::Start,
                called,
                button::primary
            ),
            act(
                "desk-finish",
                T::Finish,
                TicketEvent::Finish,
                true,
                button::primary
            ),
            act(
                "desk-no-show",
                T::NoShow,
                TicketEvent::NoShow,
                called,
                button::danger
            ),
        ]
        .spacing(10)
        .wrap()
        .vertical_spacing(10);
        let queue_selected = self
            .transfer_queue
            .and_then(|q| queue_choice_list(lang).into_iter().find(|c| c.value == q));
        let service_selected = self
            .transfer_service
            .as_ref()
            .and_then(|s| service_choices(lang).into_iter().find(|c| &c.value == s));
        let transfer = row![
            text(t(lang, T::TransferTo)).size(15),
            container(focus::choice(
                "desk-transfer-queue",
                queue_choice_list(lang),
                queue_selected,
                Message::TransferQueue,
                i18n::queue_name(lang, tv.ticket.queue),
            ))
            .width(140),
            focus::choice(
                "desk-transfer-service",
                service_choices(lang),
                service_selected,
                Message::TransferService,
                i18n::service_name(lang, &tv.service),
            ),
            focus::button(
                "desk-transfer",
                button(text(t(lang, T::Transfer))).style(button::secondary),
                Some(Message::Transfer),
            ),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        container(column![card, acts, transfer].spacing(14))
            .padding(16)
            .width(Length::Fill)
            .style(container::rounded_box)
            .into()
    }

    fn waiting_view<'a>(&'a self, ctx: &Ctx<'a>) -> iced::widget::Column<'a, Message> {
        let lang = ctx.lang;
        let mine = self.my_languages();
        let waiting = self.waiting(ctx);
        let mut list = column![].spacing(4);
        if waiting.is_empty() {
            list = list.push(text(t(lang, T::NobodyWaiting)).size(15));
        }
        for tv in waiting {
            let minutes = (ctx.now - tv.arrived_at).num_minutes().max(0);
            let speaks = tv.languages.iter().any(|l| mine.contains(l));
            let mut line = format!(
                "{}  ·  {}  ·  {}",
                tv.ticket,
                i18n::tf(lang, msg::WAITED_MINUTES, &[("minutes", minutes.into())]),
                i18n::service_name(lang, &tv.service)
            );
            if !tv.languages.is_empty() {
                line.push_str(&format!("  ·  {}", tv.languages.join(", ")));
            }
            let mut r = row![text(line).size(15).width(Length::Fill)].spacing(6);
            if tv.priority {
                r = r.push(widgets::badge("!", widgets::Tone::Warn));
            }
            if speaks {
                r = r.push(widgets::badge(
                    t(lang, T::SpeaksLanguage),
                    widgets::Tone::Good,
                ));
            }
            list = list.push(r);
        }
        column![
            text(t(lang, T::WaitingList)).size(18),
            rule::horizontal(1),
            scrollable(list).height(Length::Fill),
            space::vertical().height(0),
        ]
        .spacing(6)
    }
}
