//! Synthetic traffic shaped like the real center, for trying the app, screenshots and
//! benchmarks. Reproducible: the same seed and "now" give the same register.
//!
//! Shape (from the center's published figures): about 950 accesses a month, 1,400 in July;
//! 93% of walk-ins first-time; 62% men; 25-44 the largest age band; Egypt, Peru and
//! Bangladesh the top countries; family reunification, Italian-language orientation and
//! legal/administrative advice the top services; walk-ins only within opening hours.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};

use crate::domain::hours::{OpeningHours, rome_day, rome_local_to_utc};
use crate::domain::visitor::VisitorDetails;
use crate::domain::{Channel, Priority, Queue, Sex, TicketState};
use crate::store::{SyntheticAccess, SyntheticDay, SyntheticTicket, SyntheticVisitor};

/// Accesses in an average month at today's traffic, and the July peak.
pub const MONTHLY_ACCESSES: f64 = 950.0;
pub const JULY_ACCESSES: f64 = 1400.0;

/// Days that carry tickets and their event log (older days carry accesses only).
pub const DAYS_WITH_TICKETS: i64 = 7;

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
            let channel = if self.rng.u32(..100) < 82 {
                Channel::WalkIn
            } else {
                Channel::Appointment
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
            let service = weighted(&mut self.rng, SERVICES, |s| s.1).0.to_string();
            let priority = if self.rng.u32(..100) < 5 {
                Some(*pick(&mut self.rng, &Priority::ALL))
            } else {
                None
            };
            let ticket = self.ticket(arrived);
            day.accesses.push(SyntheticAccess {
                visitor,
                arrived_at: arrived,
                channel,
                service,
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
