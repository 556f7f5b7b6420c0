//! The figures for a date range, shared by the `report` command and the coordinator screen.

use chrono::{Datelike, NaiveDate};

use crate::domain::reference;
use crate::domain::tally::Report;
use crate::store::{Store, StoreError};

/// Compute the report for Europe/Rome days `from..=to`.
pub fn report(store: &dyn Store, from: NaiveDate, to: NaiveDate) -> Result<Report, StoreError> {
    let (accesses, visitors) = store.report_facts(from, to)?;
    let appointments = store.appointment_facts(from, to)?;
    Ok(Report::compute(
        from,
        to,
        &accesses,
        &visitors,
        &appointments,
    ))
}

/// Language of human-readable output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    It,
    En,
}

const MONTHS_IT: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Thousands with the separator of the language: 1.400 in Italian, 1,400 in English.
pub fn thousands(n: u64, lang: Lang) -> String {
    let digits = n.to_string();
    let sep = if lang == Lang::It { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn percent(share: f64, lang: Lang) -> String {
    let s = format!("{:.1}%", share * 100.0);
    if lang == Lang::It {
        s.replace('.', ",")
    } else {
        s
    }
}

fn period(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    let months = if lang == Lang::It {
        MONTHS_IT
    } else {
        MONTHS_EN
    };
    let last_of_month = |d: NaiveDate| {
        d.with_day(1)
            .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
            .and_then(|n| n.pred_opt())
            == Some(d)
    };
    if from.day() == 1
        && last_of_month(to)
        && (from.year(), from.month()) == (to.year(), to.month())
    {
        let m = months[from.month0() as usize];
        return format!("{m} {}", from.year());
    }
    if from == to {
        return from.to_string();
    }
    if lang == Lang::It {
        format!("dal {from} al {to}")
    } else {
        format!("from {from} to {to}")
    }
}

fn service_label(code: &str, lang: Lang) -> String {
    reference::service(code).map_or_else(
        || code.to_string(),
        |s| {
            if lang == Lang::It {
                s.label_it.to_lowercase()
            } else {
                s.label_en.to_lowercase()
            }
        },
    )
}

fn country_label(code: &str, lang: Lang) -> String {
    match reference::country(code) {
        Some(c) if lang == Lang::It => c.name_it.clone(),
        Some(c) => c.name_en.clone(),
        None if lang == Lang::It => "non indicato".into(),
        None => "not stated".into(),
    }
}

/// How many came by appointment, and what became of the range's bookings, in one line of
/// the bulletin (shared with the coordinator's tally).
pub fn appointments_line(r: &Report, lang: Lang) -> String {
    let came = r.by_channel.get("appointment").copied().unwrap_or(0);
    let share = if r.accesses == 0 {
        0.0
    } else {
        came as f64 / r.accesses as f64
    };
    let a = &r.appointments;
    let n = |v: u64| thousands(v, lang);
    let mut line = if lang == Lang::It {
        format!(
            "Accessi su appuntamento: {} ({}); prenotazioni {}: presentati {}, assenti {} ({}), annullate {}",
            n(came),
            percent(share, lang),
            n(a.booked),
            n(a.checked_in),
            n(a.no_show),
            percent(a.no_show_share, lang),
            n(a.cancelled)
        )
    } else {
        format!(
            "Accesses by appointment: {} ({}); bookings {}: came {}, no-shows {} ({}), cancelled {}",
            n(came),
            percent(share, lang),
            n(a.booked),
            n(a.checked_in),
            n(a.no_show),
            percent(a.no_show_share, lang),
            n(a.cancelled)
        )
    };
    if a.open > 0 {
        line.push_str(&if lang == Lang::It {
            format!(", ancora in agenda {}", n(a.open))
        } else {
            format!(", still to come {}", n(a.open))
        });
    }
    line
}

/// The report as the city's monthly bulletin reads.
pub fn to_text(r: &Report, lang: Lang) -> String {
    let it = lang == Lang::It;
    let services: Vec<String> = r
        .top_services
        .iter()
        .map(|c| service_label(c, lang))
        .collect();
    let countries: Vec<String> = r
        .top_countries(3)
        .into_iter()
        .map(|(c, n)| format!("{} ({})", country_label(c, lang), thousands(n, lang)))
        .collect();
    let people = r.unique_visitors.max(1) as f64;
    let men = r.by_sex.get("M").copied().unwrap_or(0) as f64 / people;
    let women = r.by_sex.get("F").copied().unwrap_or(0) as f64 / people;
    let band = r.prevalent_age_band().unwrap_or("-");
    let mut out = String::new();
    if it {
        out.push_str(&format!(
            "Milano Welcome Center, {}\n\n",
            period(r.from, r.to, lang)
        ));
        out.push_str(&format!(
            "Accessi: {} (media mensile {})\n",
            thousands(r.accesses, lang),
            thousands(r.average_monthly_accesses.round() as u64, lang)
        ));
        out.push_str(&format!(
            "Persone: {}, di cui {} nuovi utenti\n",
            thousands(r.unique_visitors, lang),
            thousands(r.new_visitors, lang)
        ));
        out.push_str(&format!(
            "Primi accessi: {} degli accessi spontanei ({} su {})\n",
            percent(r.first_time_share_of_walk_ins, lang),
            thousands(r.first_time_walk_ins, lang),
            thousands(r.walk_ins, lang)
        ));
        out.push_str(&format!(
            "Code: SAI {}, generale {}\n",
            thousands(r.by_queue.get("sai").copied().unwrap_or(0), lang),
            thousands(r.by_queue.get("general").copied().unwrap_or(0), lang)
        ));
        out.push_str(&appointments_line(r, lang));
        out.push('\n');
        out.push_str(&format!("Servizi più richiesti: {}\n", services.join(", ")));
        out.push_str(&format!(
            "Paesi di provenienza principali: {}\n",
            countries.join(", ")
        ));
        out.push_str(&format!(
            "Uomini {}, donne {}; fascia d'età prevalente {}\n",
            percent(men, lang),
            percent(women, lang),
            band
        ));
        if r.monthly_accesses.len() > 1 {
            out.push_str("\nAccessi per mese:\n");
        }
    } else {
        out.push_str(&format!(
            "Milano Welcome Center, {}\n\n",
            period(r.from, r.to, lang)
        ));
        out.push_str(&format!(
            "Accesses: {} (monthly average {})\n",
            thousands(r.accesses, lang),
            thousands(r.average_monthly_accesses.round() as u64, lang)
        ));
        out.push_str(&format!(
            "People: {}, of whom {} new users\n",
            thousands(r.unique_visitors, lang),
            thousands(r.new_visitors, lang)
        ));
        out.push_str(&format!(
            "First accesses: {} of walk-ins ({} of {})\n",
            percent(r.first_time_share_of_walk_ins, lang),
            thousands(r.first_time_walk_ins, lang),
            thousands(r.walk_ins, lang)
        ));
        out.push_str(&format!(
            "Queues: SAI {}, general {}\n",
            thousands(r.by_queue.get("sai").copied().unwrap_or(0), lang),
            thousands(r.by_queue.get("general").copied().unwrap_or(0), lang)
        ));
        out.push_str(&appointments_line(r, lang));
        out.push('\n');
        out.push_str(&format!("Top services: {}\n", services.join(", ")));
        out.push_str(&format!("Top countries: {}\n", countries.join(", ")));
        out.push_str(&format!(
            "Men {}, women {}; prevalent age band {}\n",
            percent(men, lang),
            percent(women, lang),
            band
        ));
        if r.monthly_accesses.len() > 1 {
            out.push_str("\nAccesses per month:\n");
        }
    }
    if r.monthly_accesses.len() > 1 {
        for (month, n) in &r.monthly_accesses {
            out.push_str(&format!("  {month}  {:>7}\n", thousands(*n, lang)));
        }
    }
    out
}

/// The report as CSV in long form (`metric,key,value`), so a spreadsheet can pivot it and
/// new keys never shift columns.
pub fn to_csv(r: &Report) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut failed = None;
    {
        let mut row = |metric: &str, key: &str, value: String| {
            if failed.is_none()
                && let Err(e) = w.write_record([metric, key, value.as_str()])
            {
                failed = Some(e);
            }
        };
        row("metric", "key", "value".into());
        row("from", "", r.from.to_string());
        row("to", "", r.to.to_string());
        row("accesses", "", r.accesses.to_string());
        row("walk_ins", "", r.walk_ins.to_string());
        row("first_time_walk_ins", "", r.first_time_walk_ins.to_string());
        row(
            "first_time_share_of_walk_ins",
            "",
            format!("{:.4}", r.first_time_share_of_walk_ins),
        );
        row("unique_visitors", "", r.unique_visitors.to_string());
        row("new_visitors", "", r.new_visitors.to_string());
        row(
            "average_monthly_accesses",
            "",
            format!("{:.2}", r.average_monthly_accesses),
        );
        for (k, v) in &r.monthly_accesses {
            row("monthly_accesses", k, v.to_string());
        }
        for (k, v) in &r.by_queue {
            row("by_queue", k, v.to_string());
        }
        for (k, v) in &r.by_channel {
            row("by_channel", k, v.to_string());
        }
        let a = &r.appointments;
        for (k, v) in [
            ("booked", a.booked),
            ("checked_in", a.checked_in),
            ("no_show", a.no_show),
            ("cancelled", a.cancelled),
            ("open", a.open),
        ] {
            row("appointments", k, v.to_string());
        }
        row(
            "appointments",
            "no_show_share",
            format!("{:.4}", a.no_show_share),
        );
        for (k, v) in &r.by_service {
            row("by_service", k, v.to_string());
        }
        for (i, k) in r.top_services.iter().enumerate() {
            row("top_services", &(i + 1).to_string(), k.clone());
        }
        for (k, v) in &r.by_country {
            row("by_country", k, v.to_string());
        }
        for (k, v) in &r.by_sex {
            row("by_sex", k, v.to_string());
        }
        for (k, v) in &r.by_age_band {
            row("by_age_band", k, v.to_string());
        }
    }
    if let Some(e) = failed {
        return Err(e);
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    // Every field written was a `str`: the bytes are UTF-8.
    String::from_utf8(bytes)
        .map_err(|e| csv::Error::from(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_follow_the_language() {
        assert_eq!(thousands(1400, Lang::It), "1.400");
        assert_eq!(thousands(1400, Lang::En), "1,400");
        assert_eq!(thousands(950, Lang::It), "950");
        assert_eq!(thousands(1_500_000, Lang::En), "1,500,000");
    }

    #[test]
    fn the_bulletin_says_who_came_by_appointment() {
        use crate::domain::appointment::AppointmentState::*;
        use crate::domain::tally::{AccessFact, AppointmentFact};
        use crate::domain::{Channel, Queue};
        let d = |day| NaiveDate::from_ymd_opt(2025, 7, day).unwrap();
        let at = crate::domain::hours::rome_day_bounds(d(7)).0 + chrono::Duration::hours(9);
        let access = |channel| AccessFact {
            arrived_at: at,
            visitor: 1,
            channel,
            queue: Queue::General,
            service: "housing".into(),
            first_time: false,
            kept_age: None,
        };
        let mut accesses = vec![access(Channel::WalkIn); 7];
        accesses.push(access(Channel::Appointment));
        let facts: Vec<AppointmentFact> = [CheckedIn, NoShow, NoShow, Cancelled, Booked]
            .into_iter()
            .map(|state| AppointmentFact { start: at, state })
            .collect();
        let r = Report::compute(d(1), d(31), &accesses, &[], &facts);
        assert_eq!(
            appointments_line(&r, Lang::It),
            "Accessi su appuntamento: 1 (12,5%); prenotazioni 5: presentati 1, assenti 2 (66,7%), annullate 1, ancora in agenda 1"
        );
        let en = to_text(&r, Lang::En);
        assert!(
            en.contains("Accesses by appointment: 1 (12.5%); bookings 5: came 1, no-shows 2 (66.7%), cancelled 1, still to come 1\n"),
            "{en}"
        );
        let csv = to_csv(&r).unwrap();
        assert!(csv.contains("by_channel,appointment,1\n"), "{csv}");
        assert!(csv.contains("appointments,no_show,2\n"), "{csv}");
        assert!(csv.contains("appointments,no_show_share,0.6667\n"), "{csv}");
    }

    #[test]
    fn a_whole_month_is_named() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            period(d(2025, 7, 1), d(2025, 7, 31), Lang::It),
            "luglio 2025"
        );
        assert_eq!(
            period(d(2025, 1, 1), d(2025, 6, 30), Lang::En),
            "from 2025-01-01 to 2025-06-30"
        );
    }
}
