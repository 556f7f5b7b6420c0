//! The coordinators' tally: today live, and any date range with the `report` figures.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use iced::widget::{button, column, container, row, rule, scrollable, text, text_input};
use iced::{Alignment, Element, Length};

use super::Ctx;
use super::i18n::{self, Lang, T, msg, t};
use super::widgets;
use crate::domain::Queue;
use crate::domain::tally::Report;
use crate::domain::visitor::FieldError;
use crate::store::StoreError;

/// The start of the range: where the keyboard starts on the tally.
pub const FIRST_FIELD: &str = "tally-from";

#[derive(Debug, Clone)]
pub enum Message {
    From(String),
    To(String),
    Compute,
    Export,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    None,
    Report { from: NaiveDate, to: NaiveDate },
    Export(Arc<Report>),
}

#[derive(Default)]
pub struct State {
    pub from: String,
    pub to: String,
    pub report: Option<Arc<Report>>,
    pub exported: Option<PathBuf>,
    pub error: Option<String>,
}

fn parse_day(field: &'static str, raw: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            field,
            format!("'{}' is not a date (YYYY-MM-DD)", raw.trim()),
        )
    })
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The report's key for a country, sex or age band nobody recorded.
const UNKNOWN: &str = "unknown";

fn or_unknown(lang: Lang, key: &str) -> &str {
    if key == UNKNOWN {
        t(lang, T::Unknown)
    } else {
        key
    }
}

impl State {
    /// The range starts as the current half-year: the figures the city publishes.
    pub fn new(today: NaiveDate) -> State {
        let first_month = if today.month() <= 6 { 1 } else { 7 };
        let from = NaiveDate::from_ymd_opt(today.year(), first_month, 1).unwrap_or(today);
        State {
            from: from.to_string(),
            to: today.to_string(),
            ..State::default()
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::From(s) => self.from = s,
            Message::To(s) => self.to = s,
            Message::Compute => {
                let range = parse_day("from", &self.from)
                    .and_then(|f| parse_day("to", &self.to).map(|t| (f, t)));
                match range {
                    Ok((from, to)) if from <= to => {
                        self.error = None;
                        return Action::Report { from, to };
                    }
                    Ok((from, to)) => {
                        self.error = Some(format!("from: {from} is after {to}"));
                    }
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
            Message::Export => {
                if let Some(r) = &self.report {
                    return Action::Export(r.clone());
                }
            }
        }
        Action::None
    }

    pub fn reported(&mut self, result: Result<Arc<Report>, StoreError>) {
        match result {
            Ok(r) => {
                self.report = Some(r);
                self.exported = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub fn exported(&mut self, result: Result<PathBuf, StoreError>) {
        match result {
            Ok(p) => self.exported = Some(p),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub fn view<'a>(&'a self, ctx: &Ctx<'a>) -> Element<'a, Message> {
        let lang = ctx.lang;
        let board = &ctx.today.board;
        let (accesses, share, new) = ctx.today.report.as_ref().map_or((0, 0.0, 0), |r| {
            (r.accesses, r.first_time_share_of_walk_ins, r.new_visitors)
        });
        let headline = row![
            widgets::figure(accesses.to_string(), t(lang, T::Accesses)),
            widgets::figure(percent(share), t(lang, T::FirstTimeShare)),
            widgets::figure(new.to_string(), t(lang, T::NewVisitors)),
        ]
        .spacing(12);

        let mut queues = column![
            row![
                text(t(lang, T::Queue)).width(100),
                text(t(lang, T::Waiting)).width(Length::Fill),
                text(t(lang, T::AtDesk)).width(Length::Fill),
                text(t(lang, T::Served)).width(Length::Fill),
                text(t(lang, T::NoShows)).width(Length::Fill),
                text(t(lang, T::AverageWait)).width(Length::Fill),
                text(t(lang, T::LongestWait)).width(Length::Fill),
            ]
            .spacing(6),
            rule::horizontal(1),
        ]
        .spacing(4);
        for q in Queue::ALL {
            let b = board.queue(q);
            let mins = |m: Option<f64>| {
                m.map_or("—".into(), |m| {
                    i18n::tf(lang, msg::MINUTES_SHORT, &[("minutes", m.round().into())])
                })
            };
            queues = queues.push(
                row![
                    text(i18n::queue_name(lang, q)).size(18).width(100),
                    text(b.waiting.to_string()).size(18).width(Length::Fill),
                    text(b.at_desk.to_string()).size(18).width(Length::Fill),
                    text(b.served.to_string()).size(18).width(Length::Fill),
                    text(b.no_show.to_string()).size(18).width(Length::Fill),
                    text(mins(b.average_wait_minutes))
                        .size(18)
                        .width(Length::Fill),
                    text(mins(b.longest_wait_minutes.map(|m| m as f64)))
                        .size(18)
                        .width(Length::Fill),
                ]
                .spacing(6),
            );
        }

        let hours: Vec<(String, u64)> = (8..18)
            .map(|h| (format!("{h}"), u64::from(board.arrivals_per_hour[h])))
            .collect();
        let services: Vec<String> = board
            .by_service
            .iter()
            .map(|(code, n)| format!("{}: {n}", i18n::service_name(lang, code)))
            .collect();
        let today = column![
            text(format!("{} · {}", t(lang, T::Today), ctx.today.day)).size(22),
            headline,
            container(queues).padding(10).style(container::rounded_box),
            row![
                column![
                    text(t(lang, T::ArrivalsPerHour)).size(16),
                    widgets::bars(hours, 90.0)
                ]
                .spacing(6)
                .width(Length::FillPortion(3)),
                column![
                    text(t(lang, T::PerService)).size(16),
                    text(services.join("\n")).size(14)
                ]
                .spacing(6)
                .width(Length::FillPortion(2)),
            ]
            .spacing(16),
        ]
        .spacing(12);

        let range = row![
            text(t(lang, T::Range)).size(18),
            text(t(lang, T::From)),
            text_input("YYYY-MM-DD", &self.from)
                .id(FIRST_FIELD)
                .style(super::focus::input_style)
                .on_input(Message::From)
                .on_submit(Message::Compute)
                .width(130),
            text(t(lang, T::To)),
            text_input("YYYY-MM-DD", &self.to)
                .id("tally-to")
                .style(super::focus::input_style)
                .on_input(Message::To)
                .on_submit(Message::Compute)
                .width(130),
            button(text(t(lang, T::Compute))).on_press(Message::Compute),
            button(text(t(lang, T::ExportCsv)))
                .style(button::secondary)
                .on_press_maybe(self.report.as_ref().map(|_| Message::Export)),
        ]
        .spacing(8)
        .align_y(Alignment::Center);

        let mut period = column![range].spacing(10);
        if let Some(e) = &self.error {
            period = period.push(widgets::banner(e.clone(), widgets::Tone::Bad));
        }
        if let Some(p) = &self.exported {
            period = period.push(text(format!("{} {}", t(lang, T::ExportedTo), p.display())));
        }
        if let Some(r) = &self.report {
            period = period.push(report_view(r, ctx));
        }

        scrollable(
            column![today, rule::horizontal(1), period]
                .spacing(16)
                .padding(4),
        )
        .into()
    }
}

fn report_view<'a>(r: &'a Report, ctx: &Ctx<'a>) -> Element<'a, Message> {
    let lang = ctx.lang;
    let months: Vec<(String, u64)> = r
        .monthly_accesses
        .iter()
        .map(|(m, n)| (m.clone(), *n))
        .collect();
    let services: Vec<String> = r
        .top_services
        .iter()
        .map(|c| i18n::service_name(lang, c))
        .collect();
    let countries: Vec<String> = r
        .top_countries(5)
        .into_iter()
        .map(|(c, n)| {
            let name = match c {
                UNKNOWN => t(lang, T::Unknown).to_string(),
                _ => i18n::country_name(lang, c),
            };
            format!("{name} {n}")
        })
        .collect();
    let people = r.unique_visitors.max(1) as f64;
    let sexes: Vec<String> = r
        .by_sex
        .iter()
        .map(|(s, n)| format!("{} {}", or_unknown(lang, s), percent(*n as f64 / people)))
        .collect();
    let ages: Vec<(String, u64)> = r
        .by_age_band
        .iter()
        .map(|(b, n)| (or_unknown(lang, b).to_string(), *n))
        .collect();
    column![
        row![
            widgets::figure(r.accesses.to_string(), t(lang, T::Accesses)),
            widgets::figure(
                format!("{:.0}", r.average_monthly_accesses),
                t(lang, T::AverageMonthly)
            ),
            widgets::figure(r.unique_visitors.to_string(), t(lang, T::UniqueVisitors)),
            widgets::figure(r.new_visitors.to_string(), t(lang, T::NewVisitors)),
            widgets::figure(
                percent(r.first_time_share_of_walk_ins),
                t(lang, T::FirstTimeShare)
            ),
        ]
        .spacing(10),
        text(t(lang, T::MonthlyAccesses)).size(16),
        widgets::bars(months, 110.0),
        text(format!(
            "{}: {}",
            t(lang, T::TopServices),
            services.join(", ")
        ))
        .size(16),
        text(format!(
            "{}: {}",
            t(lang, T::TopCountries),
            countries.join(", ")
        ))
        .size(16),
        text(sexes.join("  ·  ")).size(15),
        widgets::bars(ages, 60.0),
    ]
    .spacing(10)
    .into()
}
