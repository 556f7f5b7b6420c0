//! The coordinators' tally: today live, and any date range with the `report` figures.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use iced::widget::{button, column, container, row, rule, scrollable, text, text_input};
use iced::{Alignment, Element, Length};

use super::Ctx;
use super::focus;
use super::i18n::{self, Lang, T, msg, t};
use super::widgets;
use crate::domain::Queue;
use crate::domain::hours::OpeningHours;
use crate::domain::tally::Report;
use crate::domain::visitor::{FieldError, Problem, parse_typed_day};
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
    parse_typed_day(raw).ok_or_else(|| {
        FieldError::of(
            field,
            Problem::NotADate,
            format!("'{}' is not a date", raw.trim()),
        )
    })
}

/// Cards keep one width and wrap onto the next line when the window is narrow: squeezed to
/// fit one row at 1024 px, their captions broke over several lines.
const CARD_WIDTH: f32 = 150.0;
/// A card holding words rather than a number ("no desk open") needs more room to stay on one
/// or two lines.
const WIDE_CARD_WIDTH: f32 = 280.0;
const CARD_GAP: f32 = 10.0;
const SCROLLBAR_GAP: f32 = 8.0;

fn card<'a>(value: String, caption: &'a str) -> Element<'a, Message> {
    sized_card(value, 28.0, caption, CARD_WIDTH)
}

fn sized_card<'a>(value: String, size: f32, caption: &'a str, width: f32) -> Element<'a, Message> {
    container(
        column![text(value).size(size), text(caption).size(13)]
            .spacing(2)
            .width(Length::Fill)
            .align_x(Alignment::Center),
    )
    .padding(8)
    .width(width)
    .style(container::rounded_box)
    .into()
}

// TODO(i18n): "Annullati" / "Cancelled" (a count of cancelled tickets; `state_name` has only
// the singular state).

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

    pub fn update(&mut self, message: Message, ctx: &Ctx<'_>) -> Action {
        let lang = ctx.lang;
        match message {
            Message::From(s) => self.from = s,
            Message::To(s) => self.to = s,
            Message::Compute => {
                let range = parse_day("range_from", &self.from)
                    .and_then(|f| parse_day("range_to", &self.to).map(|t| (f, t)));
                match range {
                    Ok((from, to)) if from <= to => {
                        self.error = None;
                        return Action::Report { from, to };
                    }
                    Ok(_) => self.error = Some(t(lang, T::ErrRangeOrder).to_string()),
                    Err(e) => self.error = Some(super::errors::field_error(lang, &e)),
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

    pub fn reported(&mut self, lang: Lang, result: Result<Arc<Report>, StoreError>) {
        match result {
            Ok(r) => {
                self.report = Some(r);
                self.exported = None;
            }
            Err(e) => self.error = Some(super::errors::store_error(lang, &e)),
        }
    }

    pub fn exported(&mut self, lang: Lang, result: Result<PathBuf, StoreError>) {
        match result {
            Ok(p) => self.exported = Some(p),
            Err(e) => self.error = Some(super::errors::store_error(lang, &e)),
        }
    }

    pub fn view<'a>(&'a self, ctx: &Ctx<'a>) -> Element<'a, Message> {
        let lang = ctx.lang;
        let board = &ctx.today.board;
        let (accesses, share, new) = ctx.today.report.as_ref().map_or((0, 0.0, 0), |r| {
            (r.accesses, r.first_time_share_of_walk_ins, r.new_visitors)
        });
        let headline = row![
            card(accesses.to_string(), t(lang, T::Accesses)),
            card(percent(share), t(lang, T::FirstTimeShare)),
            card(new.to_string(), t(lang, T::NewVisitors)),
        ]
        .spacing(CARD_GAP)
        .wrap()
        .vertical_spacing(CARD_GAP);

        let mut queues = column![].spacing(10);
        for q in Queue::ALL {
            let b = board.queue(q);
            let mins = |m: Option<f64>| {
                m.map_or("—".into(), |m| {
                    i18n::tf(lang, msg::MINUTES_SHORT, &[("minutes", m.round().into())])
                })
            };
            let estimate = match b.estimated_wait_minutes {
                // The caption says "estimated wait": the card holds the figure alone.
                Some(m) => format!(
                    "~{}",
                    i18n::tf(lang, msg::MINUTES_SHORT, &[("minutes", m.into())])
                ),
                None => t(lang, T::NoDeskOpen).to_string(),
            };
            let estimate = sized_card(estimate, 18.0, t(lang, T::EstimatedWait), WIDE_CARD_WIDTH);
            queues = queues.push(
                column![
                    text(i18n::queue_name(lang, q)).size(18),
                    // Read left to right, the first six add up: accesses = waiting + at a
                    // desk + served + no-shows + cancelled.
                    row![
                        card(b.accesses.to_string(), t(lang, T::Accesses)),
                        card(b.waiting.to_string(), t(lang, T::Waiting)),
                        card(b.at_desk.to_string(), t(lang, T::AtDesk)),
                        card(b.served.to_string(), t(lang, T::Served)),
                        card(b.no_show.to_string(), t(lang, T::NoShows)),
                        card(b.cancelled.to_string(), t(lang, T::Cancelled)),
                        card(mins(b.average_wait_minutes), t(lang, T::AverageWait)),
                        card(
                            mins(b.longest_wait_minutes.map(|m| m as f64)),
                            t(lang, T::LongestWait)
                        ),
                        estimate,
                    ]
                    .spacing(CARD_GAP)
                    .wrap()
                    .vertical_spacing(CARD_GAP),
                ]
                .spacing(4),
            );
        }

        let hours: Vec<(String, u64)> = board
            .arrival_hours(OpeningHours::default().hours_on(ctx.today.day))
            .into_iter()
            .map(|(h, n)| (h.to_string(), u64::from(n)))
            .collect();
        let services: Vec<String> = board
            .by_service
            .iter()
            .map(|(code, n)| format!("{}: {n}", i18n::service_name(lang, code)))
            .collect();
        let today = column![
            text(format!("{} · {}", t(lang, T::Today), ctx.today.day)).size(22),
            headline,
            queues,
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
                .style(focus::input_style)
                .on_input(Message::From)
                .on_submit(Message::Compute)
                .width(130),
            text(t(lang, T::To)),
            text_input("YYYY-MM-DD", &self.to)
                .id("tally-to")
                .style(focus::input_style)
                .on_input(Message::To)
                .on_submit(Message::Compute)
                .width(130),
            focus::button(
                "tally-compute",
                button(text(t(lang, T::Compute))),
                Some(Message::Compute)
            ),
            focus::button(
                "tally-export",
                button(text(t(lang, T::ExportCsv))).style(button::secondary),
                self.report.as_ref().map(|_| Message::Export)
            ),
        ]
        .spacing(8)
        .align_y(Alignment::Center);

        // The error's slot is always there: appearing, it never moves the focus out of the
        // date being corrected.
        let mut period = column![
            range,
            widgets::banner_slot(self.error.clone(), widgets::Tone::Bad)
        ]
        .spacing(10);
        if let Some(p) = &self.exported {
            period = period.push(text(format!("{} {}", t(lang, T::ExportedTo), p.display())));
        }
        if let Some(r) = &self.report {
            period = period.push(report_view(r, ctx));
        }

        // The scrollbar gets its own lane beside the content: floating, it covered the
        // right-hand cards.
        scrollable(
            column![today, rule::horizontal(1), period]
                .spacing(16)
                .padding(4),
        )
        .direction(scrollable::Direction::Vertical(
            scrollable::Scrollbar::new().spacing(SCROLLBAR_GAP),
        ))
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
            card(r.accesses.to_string(), t(lang, T::Accesses)),
            card(
                format!("{:.0}", r.average_monthly_accesses),
                t(lang, T::AverageMonthly)
            ),
            card(r.unique_visitors.to_string(), t(lang, T::UniqueVisitors)),
            card(r.new_visitors.to_string(), t(lang, T::NewVisitors)),
            card(
                percent(r.first_time_share_of_walk_ins),
                t(lang, T::FirstTimeShare)
            ),
        ]
        .spacing(CARD_GAP)
        .wrap()
        .vertical_spacing(CARD_GAP),
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
        // Appointments (issue 14): the bulletin's own line, in the bulletin's two languages.
        text(crate::report::appointments_line(
            r,
            if lang == Lang::It {
                crate::report::Lang::It
            } else {
                crate::report::Lang::En
            }
        ))
        .size(16),
        widgets::bars(ages, 60.0),
    ]
    .spacing(10)
    .into()
}
