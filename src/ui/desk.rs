//! A desk: mediators, legal, social and psychological staff call and serve visitors.

use iced::widget::{
    button, checkbox, column, container, pick_list, row, rule, scrollable, space, text, text_input,
};
use iced::{Alignment, Element, Font, Length};
use uuid::Uuid;

use super::Ctx;
use super::i18n::{self, Lang, T, msg, t};
use super::reception::{Choice, service_choices};
use super::widgets;
use crate::domain::access::{WaitingPlace, queue_order};
use crate::domain::visitor::Visitor;
use crate::domain::{Queue, Ticket, TicketEvent, TicketState, TicketView};
use crate::store::{Called, StoreError};

#[derive(Debug, Clone)]
pub enum Message {
    Label(String),
    ServeSai(bool),
    ServeGeneral(bool),
    Languages(String),
    CallNext,
    Act(TicketEvent),
    TransferQueue(Choice<Queue>),
    TransferService(Choice<String>),
    Transfer,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    None,
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
        State {
            label: "Sportello 1".into(),
            serve_sai: true,
            serve_general: true,
            languages: String::new(),
            transfer_queue: None,
            transfer_service: None,
            card: None,
            error: None,
            notice: None,
        }
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
        let label = self.label.trim();
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
        let desk = self.label.trim().to_string();
        match message {
            Message::Label(s) => self.label = s,
            Message::ServeSai(b) => self.serve_sai = b,
            Message::ServeGeneral(b) => self.serve_general = b,
            Message::Languages(s) => self.languages = s,
            Message::TransferQueue(c) => self.transfer_queue = Some(c.value),
            Message::TransferService(c) => self.transfer_service = Some(c.value),
            Message::CallNext => {
                if desk.is_empty() {
                    self.error = Some("desk: give the desk a label".into());
                    return Action::None;
                }
                if self.current(ctx).is_some() {
                    // Calling the next person while someone is at the desk would lose them.
                    self.error = Some(t(ctx.lang, T::FinishCurrentFirst).into());
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
                self.error = Some(e.to_string());
                Action::None
            }
        }
    }

    pub fn acted(&mut self, result: Result<(), StoreError>) {
        match result {
            Ok(()) => self.error = None,
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub fn card_loaded(&mut self, access: Uuid, result: Result<(Visitor, u32), StoreError>) {
        match result {
            Ok((v, n)) => self.card = Some((access, v, n)),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub fn view<'a>(&'a self, ctx: &Ctx<'a>) -> Element<'a, Message> {
        let lang = ctx.lang;
        let setup = row![
            column![
                text(t(lang, T::DeskLabel)).size(14),
                text_input(t(lang, T::DeskLabelExample), &self.label)
                    .id("desk-label")
                    .on_input(Message::Label)
                    .padding(8)
            ]
            .spacing(4)
            .width(200),
            column![
                text(t(lang, T::QueuesServed)).size(14),
                row![
                    checkbox(self.serve_sai)
                        .label(i18n::queue_name(lang, Queue::Sai))
                        .on_toggle(Message::ServeSai),
                    checkbox(self.serve_general)
                        .label(i18n::queue_name(lang, Queue::General))
                        .on_toggle(Message::ServeGeneral),
                ]
                .spacing(16)
            ]
            .spacing(8),
            column![
                text(t(lang, T::MyLanguages)).size(14),
                text_input("ar, bn, es", &self.languages)
                    .id("desk-languages")
                    .on_input(Message::Languages)
                    .padding(8)
            ]
            .spacing(4)
            .width(200),
        ]
        .spacing(24)
        .align_y(Alignment::End);

        let current = self.current(ctx);
        let call = button(text(t(lang, T::CallNext)).size(22))
            .padding([12, 24])
            .on_press_maybe(current.is_none().then_some(Message::CallNext));

        let mut left = column![setup, call].spacing(18);
        if let Some(e) = &self.error {
            left = left.push(widgets::banner(e.clone(), widgets::Tone::Bad));
        }
        if let Some(n) = &self.notice {
            left = left.push(widgets::banner(n.clone(), widgets::Tone::Info));
        }
        left = left.push(self.current_view(ctx, current));

        row![
            left.width(Length::FillPortion(3)),
            self.waiting_view(ctx).width(Length::FillPortion(2)),
        ]
        .spacing(24)
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
                text(tv.ticket.to_string()).size(64).font(Font {
                    weight: iced::font::Weight::Bold,
                    ..Font::DEFAULT
                }),
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
                facts.push(b.to_string());
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
        let acts = row![
            button(text(t(lang, T::Recall))).on_press_maybe(
                (tv.state == TicketState::Called).then_some(Message::Act(TicketEvent::Recall))
            ),
            button(text(t(lang, T::Start))).on_press_maybe(
                (tv.state == TicketState::Called).then_some(Message::Act(TicketEvent::Start))
            ),
            button(text(t(lang, T::Finish))).on_press(Message::Act(TicketEvent::Finish)),
            button(text(t(lang, T::NoShow)))
                .style(button::danger)
                .on_press_maybe(
                    (tv.state == TicketState::Called).then_some(Message::Act(TicketEvent::NoShow))
                ),
        ]
        .spacing(10);
        let queue_selected = self
            .transfer_queue
            .and_then(|q| queue_choice_list(lang).into_iter().find(|c| c.value == q));
        let service_selected = self
            .transfer_service
            .as_ref()
            .and_then(|s| service_choices(lang).into_iter().find(|c| &c.value == s));
        let transfer = row![
            text(t(lang, T::TransferTo)).size(15),
            pick_list(
                queue_choice_list(lang),
                queue_selected,
                Message::TransferQueue
            )
            .placeholder(i18n::queue_name(lang, tv.ticket.queue))
            .width(140),
            pick_list(
                service_choices(lang),
                service_selected,
                Message::TransferService
            )
            .placeholder(i18n::service_name(lang, &tv.service))
            .width(Length::Fill),
            button(text(t(lang, T::Transfer)))
                .style(button::secondary)
                .on_press(Message::Transfer),
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
