//! Synthetic traffic shaped like the real center, for trying the app, screenshots and
//! benchmarks. Reproducible: the same seed and "now" give the same register.
//!
//! Shape (from the center's published figures): about 950 accesses a month, 1,400 in July;
//! 93% of walk-ins first-time; 62% men; 25-44 the largest age band; Egypt, Peru and
//! Bangladesh the top countries; family reunification, Italian-language orientation and
//! legal/administrative advice the top services; walk-ins only within opening hours.
//! Appointments are a minority of accesses (about 7%), booked mostly through the city's
//! contact center; about one booking in six is a no-show and one in ten is cancelled, and
//! the agenda of the next days is partly booked.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};

use crate::domain::appointment::{AppointmentState, BookedVia, BookingCode};
use crate::domain::hours::{OpeningHours, rome_day, rome_local_to_utc};
use crate::domain::visitor::VisitorDetails;
use crate::domain::{Channel, Priority, Queue, Sex, TicketState};
use crate::store::{
    SyntheticAccess, SyntheticAppointment, SyntheticDay, SyntheticTicket, SyntheticVisitor,
};

/// Accesses in an average month at today's traffic, and the July peak.
pub const MONTHLY_ACCESSES: f64 = 950.0;
pub const JULY_ACCESSES: f64 = 1400.0;

/// Days that carry tickets and their event log (older days carry accesses only).
pub const DAYS_WITH_TICKETS: i64 = 7;

/// Accesses that come by appointment, in percent: a minority, the center is a walk-in place.
pub const APPOINTMENT_PERCENT: u32 = 7;
/// Per open day, chances (percent) of each of `EXTRA_TRIES` further bookings being a
/// no-show and being cancelled: with about three people checked in a day, one booking in
/// six is a no-show and one in ten is cancelled.
const NO_SHOW_PERCENT: u32 = 22;
const CANCELLED_PERCENT: u32 = 14;
const EXTRA_TRIES: u32 = 3;
/// Days after today whose agenda the demo books, so that the agenda is not empty.
pub const DAYS_BOOKED_AHEAD: i64 = 10;
/// The agenda's default slot (`domain::agenda`), in minutes.
const SLOT_MINUTES: u32 = 30;

struct NamePool {
    family: &'static [&'static str],
    given_m: &'static [&'static str],
    given_f: &'static [&'static str],
    languages: &'static [&'static str],
}

const ARABIC_EG: NamePool = NamePool {
    family: &[
        "Mohamed",
        "Ahmed",
        "Hassan",
        "Ibrahim",
        "Mahmoud",
        "Abdelrahman",
        "El Sayed",
        "Ali",
        "Mostafa",
        "Farouk",
        "Saleh",
        "Youssef",
        "Abdel Aziz",
        "Gamal",
        "Khalil",
        "Nasser",
    ],
    given_m: &[
        "Mohamed", "Ahmed", "Mahmoud", "Mostafa", "Omar", "Youssef", "Karim", "Khaled", "Amr",
        "Tarek", "Hany", "Islam", "Abdallah", "Sherif",
    ],
    given_f: &[
        "Fatma", "Aya", "Mariam", "Nour", "Salma", "Heba", "Asmaa", "Doaa", "Yasmin", "Rania",
    ],
    languages: &["ar"],
};
const SPANISH_PE: NamePool = NamePool {
    family: &[
        "Quispe",
        "Flores",
        "Mamani",
        "Huamán",
        "Rojas",
        "Chávez",
        "García",
        "Rodríguez",
        "Torres",
        "Vargas",
        "Ramos",
        "Castillo",
        "Mendoza",
        "Gutiérrez",
        "Espinoza",
        "Sánchez",
    ],
    given_m: &[
        "José", "Luis", "Carlos", "Juan", "Jorge", "Miguel", "César", "Víctor", "Wilmer", "Edwin",
    ],
    given_f: &[
        "María", "Rosa", "Carmen", "Ana", "Luz", "Milagros", "Sofía", "Gladys", "Flor", "Yesenia",
    ],
    languages: &["es"],
};
const BENGALI_BD: NamePool = NamePool {
    family: &[
        "Hossain",
        "Rahman",
        "Islam",
        "Ahmed",
        "Uddin",
        "Akter",
        "Khan",
        "Miah",
        "Chowdhury",
        "Sarker",
        "Begum",
        "Alam",
        "Hasan",
        "Das",
    ],
    given_m: &[
        "Md Rahim", "Md Karim", "Shahidul", "Rafiqul", "Jahangir", "Abdul", "Mizanur", "Sohel",
        "Rashed", "Masud",
    ],
    given_f: &[
        "Nasrin", "Shirin", "Rokeya", "Taslima", "Sumaiya", "Fatema", "Ruma", "Shapla",
    ],
    languages: &["bn"],
};
const ARABIC_MAGHREB: NamePool = NamePool {
    family: &[
        "El Amrani",
        "Benali",
        "Bouzid",
        "Haddad",
        "Trabelsi",
        "Ben Salah",
        "Mansouri",
        "Cherif",
        "El Idrissi",
        "Jaziri",
    ],
    given_m: &[
        "Youssef", "Hamza", "Mehdi", "Rachid", "Anis", "Bilal", "Nabil", "Sami",
    ],
    given_f: &[
        "Fatima", "Khadija", "Imane", "Sara", "Leila", "Amal", "Meriem",
    ],
    languages: &["ar", "fr"],
};
const SOUTH_ASIA: NamePool = NamePool {
    family: &[
        "Khan", "Ahmad", "Hussain", "Ali", "Perera", "Fernando", "Silva", "Butt", "Malik", "Iqbal",
    ],
    given_m: &[
        "Imran", "Asif", "Bilal", "Nuwan", "Kasun", "Faisal", "Usman",
    ],
    given_f: &["Ayesha", "Sana", "Nadeesha", "Dilani", "Hina", "Zainab"],
    languages: &["ur", "si", "en"],
};
const WEST_AFRICA: NamePool = NamePool {
    family: &[
        "Diallo", "Ndiaye", "Traoré", "Okafor", "Mensah", "Sow", "Diop", "Balde", "Camara",
        "Adeyemi",
    ],
    given_m: &[
        "Mamadou", "Ibrahima", "Moussa", "Chinedu", "Kwame", "Lamine", "Ousmane",
    ],
    given_f: &["Aminata", "Fatou", "Mariama", "Ngozi", "Awa", "Blessing"],
    languages: &["fr", "en", "wo"],
};
const EAST_EUROPE: NamePool = NamePool {
    family: &[
        "Shevchenko",
        "Kovalenko",
        "Bondarenko",
        "Hoxha",
        "Popescu",
        "Ionescu",
        "Krasniqi",
    ],
    given_m: &["Oleksandr", "Andrii", "Ardit", "Mihai", "Dmytro"],
    given_f: &["Olena", "Iryna", "Elira", "Ioana", "Kateryna"],
    languages: &["uk", "sq", "ro"],
};
const HORN_MIDDLE_EAST: NamePool = NamePool {
    family: &[
        "Tesfaye",
        "Ghebremedhin",
        "Mohamud",
        "Haile",
        "Ahmadi",
        "Rezaei",
        "Al Hassan",
        "Hussaini",
    ],
    given_m: &[
        "Yonas",
        "Abdirahman",
        "Merhawi",
        "Ali Reza",
        "Mustafa",
        "Samuel",
    ],
    given_f: &["Selam", "Hodan", "Saba", "Zahra", "Maryam"],
    languages: &["ti", "so", "fa", "ar"],
};
const LATIN_OTHER: NamePool = NamePool {
    family: &[
        "Morales",
        "Hernández",
        "Pérez",
        "Cruz",
        "Reyes",
        "Santos",
        "Gómez",
        "Díaz",
    ],
    given_m: &["Luis Alberto", "Kevin", "Jonathan", "Marvin", "Bryan"],
    given_f: &["Karla", "Jennifer", "Evelyn", "Daniela", "Gabriela"],
    languages: &["es"],
};
const EAST_ASIA: NamePool = NamePool {
    family: &[
        "Chen",
        "Wang",
        "Li",
        "Zhang",
        "Hu",
        "Dela Cruz",
        "Reyes",
        "Bautista",
    ],
    given_m: &["Wei", "Jun", "Hao", "Mark Anthony", "Jerome"],
    given_f: &["Xiu", "Mei", "Lin", "Maricel", "Jocelyn"],
    languages: &["zh", "tl", "en"],
};

/// Country weights (per cent of visitors) and the name pool of each.
const COUNTRIES: &[(&str, u32, &NamePool)] = &[
    ("EG", 18, &ARABIC_EG),
    ("PE", 13, &SPANISH_PE),
    ("BD", 11, &BENGALI_BD),
    ("MA", 6, &ARABIC_MAGHREB),
    ("PK", 5, &SOUTH_ASIA),
    ("UA", 5, &EAST_EUROPE),
    ("EC", 4, &LATIN_OTHER),
    ("LK", 4, &SOUTH_ASIA),
    ("PH", 3, &EAST_ASIA),
    ("SN", 3, &WEST_AFRICA),
    ("TN", 3, &ARABIC_MAGHREB),
    ("NG", 3, &WEST_AFRICA),
    ("AL", 3, &EAST_EUROPE),
    ("CN", 3, &EAST_ASIA),
    ("SV", 3, &LATIN_OTHER),
    ("ER", 2, &HORN_MIDDLE_EAST),
    ("AF", 2, &HORN_MIDDLE_EAST),
    ("SO", 2, &HORN_MIDDLE_EAST),
    ("GN", 2, &WEST_AFRICA),
    ("CI", 2, &WEST_AFRICA),
    ("RO", 1, &EAST_EUROPE),
    ("SY", 1, &HORN_MIDDLE_EAST),
    ("IR", 1, &HORN_MIDDLE_EAST),
];

const SERVICES: &[(&str, u32)] = &[
    ("family-reunification", 27),
    ("language-orientation", 22),
    ("legal-administrative", 19),
    ("social-support", 10),
    ("work-training", 9),
    ("housing", 6),
    ("psychological-support", 3),
    ("other", 4),
];

/// (lowest age, highest age, per cent of visitors); the rest have no birth date.
const AGES: &[(u32, u32, u32)] = &[
    (1, 17, 8),
    (18, 24, 21),
    (25, 44, 49),
    (45, 64, 16),
    (65, 80, 3),
];

const DESKS: [&str; 6] = [
    "Sportello 1",
    "Sportello 2",
    "Sportello 3",
    "Sportello 4",
    "Sportello 5",
    "Sportello 6",
];

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn weighted<'a, T>(rng: &mut fastrand::Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut x = rng.u32(..total.max(1));
    for item in items {
        let w = weight(item);
        if x < w {
            return item;
        }
        x -= w;
    }
    &items[items.len() - 1]
}

/// Expected accesses on an open day of `date`'s month, at `scale` times today's traffic.
fn daily_mean(date: NaiveDate, hours: &OpeningHours, scale: f64) -> f64 {
    let monthly = match date.month() {
        7 => JULY_ACCESSES,
        8 => 700.0,
        12 => 800.0,
        _ => MONTHLY_ACCESSES,
    } * scale;
    let mut open_days = 0;
    let mut d = date.with_day(1).unwrap_or(date);
    while d.month() == date.month() {
        if hours.hours_on(d).is_some() {
            open_days += 1;
        }
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    // Wednesday is a half day: it gets about half the traffic of a full day.
    let weight = |d: NaiveDate| match hours.hours_on(d) {
        Some((open, close)) => (close - open).num_minutes() as f64 / 480.0,
        None => 0.0,
    };
    let mut total_weight = 0.0;
    let mut d = date.with_day(1).unwrap_or(date);
    while d.month() == date.month() {
        total_weight += weight(d);
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    if open_days == 0 || total_weight == 0.0 {
        return 0.0;
    }
    monthly * weight(date) / total_weight
}

/// The start of the slot an arrival falls in (slots every `SLOT_MINUTES` from the hour).
fn slot_of(arrived: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let local = arrived
        .with_timezone(&crate::domain::hours::ROME)
        .naive_local();
    let minute = local.minute() / SLOT_MINUTES * SLOT_MINUTES;
    let start = local
        .date()
        .and_time(NaiveTime::from_hms_opt(local.hour(), minute, 0)?);
    rome_local_to_utc(start).ok()
}

/// What the generator remembers of each visitor, to bring some of them back.
#[derive(Clone, Copy)]
struct Known {
    sai_guest: bool,
}

/// The generator: one `SyntheticDay` per calendar day from `first` to `now`'s day.
pub struct Generator {
    rng: fastrand::Rng,
    hours: OpeningHours,
    scale: f64,
    day: NaiveDate,
    last: NaiveDate,
    now: DateTime<Utc>,
    known: Vec<Known>,
    /// The places booked so far, as (service, slot): one place per slot, as the default
    /// agenda gives.
    taken: HashSet<(&'static str, DateTime<Utc>)>,
    codes: HashSet<BookingCode>,
}

impl Generator {
    /// `days` days of traffic ending with `now`'s day (today's only up to `now`).
    pub fn new(days: u32, seed: u64, scale: f64, now: DateTime<Utc>) -> Generator {
        let last = rome_day(now);
        let first = last - Duration::days(i64::from(days.max(1)) - 1);
        Generator {
            rng: fastrand::Rng::with_seed(seed),
            hours: OpeningHours::default(),
            scale,
            day: first,
            last,
            now,
            known: Vec::new(),
            taken: HashSet::new(),
            codes: HashSet::new(),
        }
    }

    /// A booking code not drawn before in this run.
    fn code(&mut self) -> BookingCode {
        loop {
            let code = BookingCode::from_random(self.rng.u64(..));
            if self.codes.insert(code) {
                return code;
            }
        }
    }

    fn booked_via(&mut self) -> BookedVia {
        match self.rng.u32(..100) {
            0..=69 => BookedVia::ContactCenter,
            70..=89 => BookedVia::Email,
            _ => BookedVia::Desk,
        }
    }

    /// A free slot of `service` on `day`, between `open` and `close`, starting after
    /// `after`; `None` when the one drawn is taken (the caller books fewer, not elsewhere).
    fn free_slot(
        &mut self,
        service: &'static str,
        day: NaiveDate,
        (open, close): (NaiveTime, NaiveTime),
        after: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let slots = (close - open).num_minutes() / i64::from(SLOT_MINUTES);
        if slots <= 0 {
            return None;
        }
        let i = self.rng.i64(0..slots);
        let start =
            rome_local_to_utc(day.and_time(open + Duration::minutes(i * i64::from(SLOT_MINUTES))))
                .ok()?;
        (start > after && !self.taken.contains(&(service, start))).then_some(start)
    }

    /// A booking for someone the contact center took by name (not checked in).
    fn booking_by_name(
        &mut self,
        service: &'static str,
        start: DateTime<Utc>,
        state: AppointmentState,
    ) -> SyntheticAppointment {
        if state.holds_place() {
            self.taken.insert((service, start));
        }
        let details = self.details();
        let booked_at = (start - Duration::hours(self.rng.i64(20..24 * 20))).min(self.now);
        let closed_at = match state {
            AppointmentState::Booked => None,
            // Called off some time between the booking and the slot, never after now.
            AppointmentState::Cancelled => Some(booked_at + (start.min(self.now) - booked_at) / 2),
            // The sweep, at the end of the Rome day.
            _ => Some(crate::domain::hours::rome_day_bounds(rome_day(start)).1),
        };
        SyntheticAppointment {
            code: self.code(),
            start,
            service: service.to_string(),
            booked_via: self.booked_via(),
            booked_at,
            state,
            closed_at,
            access: None,
            names: Some((details.family_name, details.given_name)),
        }
    }

    /// The day's bookings nobody came for, or that were called off. Today's are not
    /// no-shows yet: the sweep runs when the doors close.
    fn missed_bookings(&mut self, day: &mut SyntheticDay, hours: (NaiveTime, NaiveTime)) {
        let today = self.day == self.last;
        for _ in 0..EXTRA_TRIES {
            let roll = self.rng.u32(..100);
            let state = if roll < NO_SHOW_PERCENT {
                if today {
                    AppointmentState::Booked
                } else {
                    AppointmentState::NoShow
                }
            } else if roll < NO_SHOW_PERCENT + CANCELLED_PERCENT {
                AppointmentState::Cancelled
            } else {
                continue;
            };
            let service = weighted(&mut self.rng, SERVICES, |s| s.1).0;
            let after = if state == AppointmentState::Booked {
                self.now
            } else {
                DateTime::<Utc>::MIN_UTC
            };
            if let Some(start) = self.free_slot(service, self.day, hours, after) {
                day.appointments
                    .push(self.booking_by_name(service, start, state));
            }
        }
    }

    /// On the last day: the agenda of the days to come, partly booked (a few cancelled).
    fn bookings_ahead(&mut self, day: &mut SyntheticDay) {
        for ahead in 0..=DAYS_BOOKED_AHEAD {
            let date = self.last + Duration::days(ahead);
            let Some(hours) = self.hours.hours_on(date) else {
                continue;
            };
            let mean =
                daily_mean(date, &self.hours, self.scale) * f64::from(APPOINTMENT_PERCENT) / 100.0;
            // Fewer booked the further ahead.
            let n = (mean * (1.0 - ahead as f64 / (DAYS_BOOKED_AHEAD + 2) as f64)).round() as u32;
            for _ in 0..n {
                let service = weighted(&mut self.rng, SERVICES, |s| s.1).0;
                let state = if self.rng.u32(..100) < 8 {
                    AppointmentState::Cancelled
                } else {
                    AppointmentState::Booked
                };
                if let Some(start) = self.free_slot(service, date, hours, self.now) {
                    day.appointments
                        .push(self.booking_by_name(service, start, state));
                }
            }
        }
    }

    fn details(&mut self) -> VisitorDetails {
        let rng = &mut self.rng;
        let (country, _, pool) = *weighted(rng, COUNTRIES, |c| c.1);
        let sex = match rng.u32(..100) {
            0..=61 => Sex::M,
            62..=98 => Sex::F,
            _ => Sex::X,
        };
        let given = if sex == Sex::F {
            pick(rng, pool.given_f)
        } else {
            pick(rng, pool.given_m)
        };
        // Peruvians carry two surnames.
        let family = if country == "PE" {
            format!("{} {}", pick(rng, pool.family), pick(rng, pool.family))
        } else {
            pick(rng, pool.family).to_string()
        };
        let birth_date = if rng.u32(..100) < 97 {
            let (lo, hi, _) = *weighted(rng, AGES, |a| a.2);
            let age = rng.u32(lo..=hi);
            let year = self.day.year() - age as i32;
            NaiveDate::from_yo_opt(year, rng.u32(1..=365))
        } else {
            None
        };
        let mut languages: Vec<String> = vec![pick(rng, pool.languages).to_string()];
        if rng.u32(..100) < 30 {
            languages.push("it".into());
        }
        VisitorDetails {
            family_name: family,
            given_name: given.to_string(),
            birth_date,
            sex,
            country: Some(country.to_string()),
            languages,
            sai_guest: rng.u32(..100) < 22,
            phone: None,
        }
    }

    fn arrival(&mut self, open: NaiveTime, close: NaiveTime) -> Option<DateTime<Utc>> {
        // Mornings are busier: a triangular distribution leaning to the opening.
        let minutes = (close - open).num_minutes().max(1) as f64;
        let x = self.rng.f64().min(self.rng.f64());
        let t = open + Duration::seconds((x * minutes * 60.0) as i64);
        rome_local_to_utc(self.day.and_time(t)).ok()
    }

    fn ticket(&mut self, arrived: DateTime<Utc>) -> Option<SyntheticTicket> {
        let today = rome_day(self.now);
        if (today - self.day).num_days() >= DAYS_WITH_TICKETS {
            return None;
        }
        let wait = Duration::minutes(self.rng.i64(5..90));
        let service = Duration::minutes(self.rng.i64(8..35));
        let desk = Some(pick(&mut self.rng, &DESKS).to_string());
        let called = arrived + wait;
        if called > self.now {
            return Some(SyntheticTicket {
                state: TicketState::Waiting,
                desk: None,
                called_at: None,
                started_at: None,
                closed_at: None,
            });
        }
        if self.rng.u32(..100) < 6 {
            return Some(SyntheticTicket {
                state: TicketState::NoShow,
                desk,
                called_at: Some(called),
                started_at: None,
                closed_at: Some(called + Duration::minutes(3)),
            });
        }
        let started = called + Duration::minutes(1);
        let finished = started + service;
        if finished > self.now {
            return Some(SyntheticTicket {
                state: TicketState::InService,
                desk,
                called_at: Some(called),
                started_at: Some(started),
                closed_at: None,
            });
        }
        Some(SyntheticTicket {
            state: TicketState::Done,
            desk,
            called_at: Some(called),
            started_at: Some(started),
            closed_at: Some(finished),
        })
    }

    fn make_day(&mut self) -> SyntheticDay {
        let mut day = SyntheticDay::default();
        let Some((open, close)) = self.hours.hours_on(self.day) else {
            if self.day == self.last {
                self.bookings_ahead(&mut day);
            }
            return day;
        };
        let mean = daily_mean(self.day, &self.hours, self.scale);
        // Day-to-day variation of +-20%.
        let n = (mean * (0.8 + 0.4 * self.rng.f64())).round() as usize;
        let mut arrivals: Vec<DateTime<Utc>> =
            (0..n).filter_map(|_| self.arrival(open, close)).collect();
        arrivals.sort();
        for arrived in arrivals {
            if arrived > self.now {
                break;
            }
            let service = weighted(&mut self.rng, SERVICES, |s| s.1).0;
            // Someone booked comes at their slot (the one this arrival falls in, so on
            // time); a slot already taken makes them a walk-in.
            let slot = (self.rng.u32(..100) < APPOINTMENT_PERCENT)
                .then(|| slot_of(arrived))
                .flatten()
                .filter(|start| !self.taken.contains(&(service, *start)));
            let channel = if slot.is_some() {
                Channel::Appointment
            } else {
                Channel::WalkIn
            };
            let returning_share = if channel == Channel::WalkIn { 7 } else { 35 };
            let returning = !self.known.is_empty() && self.rng.u32(..100) < returning_share;
            let (visitor, sai_guest) = if returning {
                let i = self.rng.usize(..self.known.len());
                (i, self.known[i].sai_guest)
            } else {
                let details = self.details();
                let sai = details.sai_guest;
                day.visitors.push(SyntheticVisitor {
                    details,
                    created_at: arrived,
                });
                self.known.push(Known { sai_guest: sai });
                (self.known.len() - 1, sai)
            };
            let priority = if self.rng.u32(..100) < 5 {
                Some(*pick(&mut self.rng, &Priority::ALL))
            } else {
                None
            };
            let ticket = self.ticket(arrived);
            if let Some(start) = slot {
                self.taken.insert((service, start));
                let booked_at = start - Duration::hours(self.rng.i64(20..24 * 20));
                let (code, booked_via) = (self.code(), self.booked_via());
                day.appointments.push(SyntheticAppointment {
                    code,
                    start,
                    service: service.to_string(),
                    booked_via,
                    booked_at,
                    state: AppointmentState::CheckedIn,
                    closed_at: Some(arrived),
                    access: Some(day.accesses.len()),
                    names: None,
                });
            }
            day.accesses.push(SyntheticAccess {
                visitor,
                arrived_at: arrived,
                channel,
                service: service.to_string(),
                queue: if sai_guest {
                    Queue::Sai
                } else {
                    Queue::General
                },
                first_time: !returning,
                priority,
                ticket,
            });
        }
        self.missed_bookings(&mut day, (open, close));
        if self.day == self.last {
            self.bookings_ahead(&mut day);
        }
        day
    }
}

impl Iterator for Generator {
    type Item = SyntheticDay;

    fn next(&mut self) -> Option<SyntheticDay> {
        if self.day > self.last {
            return None;
        }
        let day = self.make_day();
        self.day = self.day.succ_opt()?;
        Some(day)
    }

    /// The days still to come, for a progress bar.
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = ((self.last - self.day).num_days() + 1).max(0) as usize;
        (left, Some(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 12, 31, 16, 0, 0).unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_traffic() {
        let a: Vec<SyntheticDay> = Generator::new(20, 7, 1.0, now()).collect();
        let b: Vec<SyntheticDay> = Generator::new(20, 7, 1.0, now()).collect();
        let c: Vec<SyntheticDay> = Generator::new(20, 8, 1.0, now()).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn a_year_looks_like_the_center() {
        let days: Vec<SyntheticDay> = Generator::new(365, 1, 1.0, now()).collect();
        let hours = OpeningHours::default();
        let accesses: Vec<&SyntheticAccess> = days.iter().flat_map(|d| &d.accesses).collect();
        let visitors: Vec<&SyntheticVisitor> = days.iter().flat_map(|d| &d.visitors).collect();
        let per_month = accesses.len() as f64 / 12.0;
        assert!((850.0..1100.0).contains(&per_month), "{per_month} a month");
        let july = accesses
            .iter()
            .filter(|a| rome_day(a.arrived_at).month() == 7)
            .count();
        assert!((1250..1550).contains(&july), "{july} in July");
        let walk_ins: Vec<_> = accesses
            .iter()
            .filter(|a| a.channel == Channel::WalkIn)
            .collect();
        let first = walk_ins.iter().filter(|a| a.first_time).count() as f64;
        let share = first / walk_ins.len() as f64;
        assert!((0.91..0.95).contains(&share), "first-time share {share}");
        let men = visitors.iter().filter(|v| v.details.sex == Sex::M).count() as f64
            / visitors.len() as f64;
        assert!((0.58..0.66).contains(&men), "men {men}");
        assert!(
            accesses.iter().all(|a| hours.is_open_at(a.arrived_at)),
            "every arrival within walk-in hours"
        );
        let mut by_country: std::collections::HashMap<&str, usize> = Default::default();
        for v in &visitors {
            *by_country
                .entry(v.details.country.as_deref().unwrap_or(""))
                .or_default() += 1;
        }
        let mut ranked: Vec<_> = by_country.into_iter().collect();
        ranked.sort_by_key(|c| std::cmp::Reverse(c.1));
        let top: Vec<&str> = ranked.iter().take(3).map(|c| c.0).collect();
        assert_eq!(top, ["EG", "PE", "BD"]);
    }

    #[test]
    fn appointments_are_a_minority_and_some_never_come() {
        let days: Vec<SyntheticDay> = Generator::new(365, 1, 1.0, now()).collect();
        let accesses: usize = days.iter().map(|d| d.accesses.len()).sum();
        let mut by_appointment = 0;
        for d in &days {
            for b in d.appointments.iter().filter(|b| b.access.is_some()) {
                let a = &d.accesses[b.access.unwrap_or(usize::MAX)];
                assert_eq!(a.channel, Channel::Appointment);
                assert_eq!(a.service, b.service);
                // On time: within the slot it was booked for.
                assert!(b.start <= a.arrived_at && a.arrived_at < b.start + Duration::minutes(30));
                assert_eq!(b.state, AppointmentState::CheckedIn);
                by_appointment += 1;
            }
            assert_eq!(
                d.accesses
                    .iter()
                    .filter(|a| a.channel == Channel::Appointment)
                    .count(),
                d.appointments.iter().filter(|b| b.access.is_some()).count()
            );
        }
        let share = by_appointment as f64 / accesses as f64;
        assert!((0.05..0.10).contains(&share), "appointment share {share}");

        let bookings: Vec<&SyntheticAppointment> =
            days.iter().flat_map(|d| &d.appointments).collect();
        let count = |state| bookings.iter().filter(|b| b.state == state).count() as f64;
        let no_show = count(AppointmentState::NoShow);
        let no_show_share = no_show / (no_show + count(AppointmentState::CheckedIn));
        assert!(
            (0.10..0.25).contains(&no_show_share),
            "no-shows {no_show_share}"
        );
        assert!(count(AppointmentState::Cancelled) > 0.0);
        // The days to come are partly booked; nothing settled lies in the future.
        assert!(
            bookings
                .iter()
                .any(|b| b.start > now() && b.state == AppointmentState::Booked)
        );
        for b in &bookings {
            if b.start > now() {
                assert!(matches!(
                    b.state,
                    AppointmentState::Booked | AppointmentState::Cancelled
                ));
            }
            assert!(b.booked_at <= now() && b.booked_at <= b.start);
            assert_eq!(b.closed_at.is_none(), b.state == AppointmentState::Booked);
            assert!(
                b.closed_at
                    .is_none_or(|at| at >= b.booked_at && at <= now()),
                "{b:?}"
            );
            assert_eq!(b.access.is_none(), b.names.is_some());
        }
        // One place per slot, as the default agenda gives; one code per booking.
        let mut places = HashSet::new();
        for b in bookings.iter().filter(|b| b.state.holds_place()) {
            assert!(places.insert((b.service.clone(), b.start)), "{b:?}");
        }
        let codes: HashSet<BookingCode> = bookings.iter().map(|b| b.code).collect();
        assert_eq!(codes.len(), bookings.len());
    }

    #[test]
    fn only_recent_days_have_tickets_and_nothing_is_in_the_future() {
        let days: Vec<SyntheticDay> = Generator::new(30, 3, 1.0, now()).collect();
        for a in days.iter().flat_map(|d| &d.accesses) {
            assert!(a.arrived_at <= now());
            let age = (rome_day(now()) - rome_day(a.arrived_at)).num_days();
            assert_eq!(
                a.ticket.is_some(),
                age < DAYS_WITH_TICKETS,
                "{age} days old"
            );
        }
    }
}
