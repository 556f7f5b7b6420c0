//! Reading the contact center's export of bookings (`appointment import FILE.csv`). Pure:
//! bytes in, validated booking orders or the first bad line out; the store books them.
//!
//! The file is what Excel in Italian writes (BOM, `;`, CRLF, quotes: see [`super::Table`]).
//! Columns, in any order: `at` (Europe/Rome, `YYYY-MM-DD HH:MM` or `DD/MM/YYYY HH:MM`, as
//! Excel rewrites dates), `family_name`, `given_name`, `birth_date` (`YYYY-MM-DD`,
//! `DD/MM/YYYY` or empty), `phone` (or empty), `service` (a service code), `via`
//! (`contact-center`, `email`, `desk`; empty is `contact-center`, whose export it is).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::{ImportError, Table, row_error};
use crate::domain::appointment::{Appointment, BookedVia, NewPerson, Person};
use crate::domain::hours::{rome_day, rome_local_to_utc};
use crate::domain::reference::parse_service;
use crate::domain::visitor::{FieldError, parse_typed_birth_date, parse_typed_day};
use crate::store::BookingOrder;

/// The columns of the export, in the order the messages list them.
pub const COLUMNS: [&str; 7] = [
    "at",
    "family_name",
    "given_name",
    "birth_date",
    "phone",
    "service",
    "via",
];

/// One row of the export, checked: what to book, and where it came from for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingRow {
    /// The line of the file.
    pub line: u64,
    pub order: BookingOrder,
}

/// The slot asked for: a day as Italians write it or as ISO, and `HH:MM` (seconds, which
/// Excel may add, must be zero: slots start on the minute).
fn parse_at(raw: &str) -> Result<NaiveDateTime, FieldError> {
    let raw = raw.trim();
    let bad = || {
        FieldError::new(
            "at",
            format!(
                "'{raw}' is not a slot (expected YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM, Europe/Rome)"
            ),
        )
    };
    let (day, time) = raw.split_once(' ').ok_or_else(bad)?;
    let day = parse_typed_day(day).ok_or_else(bad)?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(time.trim(), "%H:%M:%S"))
        .map_err(|_| bad())?;
    Ok(day.and_time(time))
}

fn parse_via(raw: &str) -> Result<BookedVia, FieldError> {
    if raw.trim().is_empty() {
        return Ok(BookedVia::ContactCenter);
    }
    raw.parse().map_err(|m: String| FieldError::new("via", m))
}

/// Parse and check every row of the export. Whether a slot can be booked (hours, horizon,
/// places) is the agenda's to say when booking; here, that each field is well formed.
/// `now` bounds birth dates.
pub fn parse_bookings(bytes: &[u8], now: DateTime<Utc>) -> Result<Vec<BookingRow>, ImportError> {
    let table = Table::read(bytes, &COLUMNS)?;
    let today: NaiveDate = rome_day(now);
    let mut rows = Vec::with_capacity(table.rows.len());
    for (line, record) in &table.rows {
        let line = *line;
        let field = |name: &str| table.field(record, name);
        let at = parse_at(field("at")).map_err(|e| row_error(line, e))?;
        let birth_date =
            parse_typed_birth_date(field("birth_date"), today).map_err(|e| row_error(line, e))?;
        let person = NewPerson::new(
            field("family_name"),
            field("given_name"),
            birth_date,
            field("phone"),
            today,
        )
        .map_err(|e| row_error(line, e))?;
        let service = parse_service(field("service")).map_err(|e| row_error(line, e))?;
        let booked_via = parse_via(field("via")).map_err(|e| row_error(line, e))?;
        rows.push(BookingRow {
            line,
            order: BookingOrder {
                person: Person::New(person),
                service,
                local: at,
                booked_via,
            },
        });
    }
    Ok(rows)
}

/// Whether `order` is a booking already on file among `held`: the same service, the same
/// slot, and the same person (names compared as the search compares them, birth dates not
/// disagreeing: `Person::same_as`), in any state. A booking checked in, cancelled or missed
/// is on file as much as one still booked: importing the same export again, even days
/// later, books nobody twice. For a booking whose person is now on file, `held` must carry
/// that visitor's names as `Person::New` (the store holds a link there, not the names).
pub fn already_on_file(order: &BookingOrder, held: &[Appointment]) -> bool {
    let Ok(start) = rome_local_to_utc(order.local) else {
        return false;
    };
    held.iter()
        .any(|a| a.start == start && a.service == order.service && a.person.same_as(&order.person))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appointment::{AppointmentState, BookingCode};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 12, 1, 9, 30, 0).unwrap()
    }

    const HEADER: &str = "at,family_name,given_name,birth_date,phone,service,via";

    #[test]
    fn excel_in_italian_bom_semicolons_crlf_quotes() {
        let csv = "\u{FEFF}via;service;phone;birth_date;given_name;family_name;at\r\n\
            contact-center;housing;\"+39 333 1234567\";12/03/1990;\"Hasina\";\"D'Angelo Rahman\";04/12/2025 10:30\r\n\
            ;family-reunification;;;Omar;El Sayed;2025-12-05 09:00:00\r\n\
            ;;;;;;\r\n";
        let rows = parse_bookings(csv.as_bytes(), now()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].line, 3);
        let Person::New(p) = &rows[0].order.person else {
            panic!("someone new")
        };
        assert_eq!(p.family_name, "D'Angelo Rahman");
        assert_eq!(p.birth_date, NaiveDate::from_ymd_opt(1990, 3, 12));
        assert_eq!(p.phone.as_deref(), Some("+39 333 1234567"));
        assert_eq!(
            rows[0].order.local,
            NaiveDate::from_ymd_opt(2025, 12, 4)
                .unwrap()
                .and_hms_opt(10, 30, 0)
                .unwrap()
        );
        // An empty `via` is the contact center's, whose export this is.
        assert_eq!(rows[1].order.booked_via, BookedVia::ContactCenter);
        assert_eq!(rows[1].order.service, "family-reunification");
    }

    #[test]
    fn bad_rows_name_their_line_and_field() {
        let cases = [
            ("2025-12-04,Rahman,Hasina,,,housing,", "line 2: at:"),
            ("31/02/2025 10:30,Rahman,Hasina,,,housing,", "line 2: at:"),
            ("2025-12-04 25:00,Rahman,Hasina,,,housing,", "line 2: at:"),
            (
                "2025-12-04 10:30, ,Hasina,,,housing,",
                "line 2: family_name:",
            ),
            ("2025-12-04 10:30,Rahman,,,,housing,", "line 2: given_name:"),
            (
                "2025-12-04 10:30,Rahman,Hasina,2030-01-01,,housing,",
                "line 2: birth_date:",
            ),
            (
                "2025-12-04 10:30,Rahman,Hasina,,call me,housing,",
                "line 2: phone:",
            ),
            (
                "2025-12-04 10:30,Rahman,Hasina,,,haircut,",
                "line 2: service:",
            ),
            (
                "2025-12-04 10:30,Rahman,Hasina,,,housing,fax",
                "line 2: via:",
            ),
            (
                "2025-12-04 10:30,Rahman,Hasina,,,housing",
                "line 2: expected 7 fields",
            ),
        ];
        for (row, expected) in cases {
            let csv = format!("{HEADER}\n{row}\n");
            let err = parse_bookings(csv.as_bytes(), now())
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(expected), "{row}: got '{err}'");
        }
        // A separator inside quotes is part of the field, not a new column: the name is
        // refused for its ';', not the row for its count of fields.
        let csv = "at;family_name;given_name;birth_date;phone;service;via\r\n\
            2025-12-04 10:30;Rahman;\"Hasina; detta \"\"Tina\"\"\";;;housing;\r\n";
        let err = parse_bookings(csv.as_bytes(), now())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line 2: given_name: contains ';'"), "{err}");
        // The first bad row is the one named, after good ones.
        let csv = format!(
            "{HEADER}\r\n2025-12-04 10:30,Rahman,Hasina,,,housing,\r\n2025-12-04 11:00,Ali,Omar,,,housing,\r\n2025-12-04 11:30,Ali,Omar,,,nowhere,\r\n"
        );
        let err = parse_bookings(csv.as_bytes(), now()).unwrap_err();
        assert!(err.to_string().starts_with("line 4: service:"), "{err}");
    }

    #[test]
    fn the_header_must_be_the_exports() {
        let err = parse_bookings(b"at;family_name;given_name\n", now()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: missing column(s): birth_date, phone, service, via (expected: at, family_name, given_name, birth_date, phone, service, via)"
        );
    }

    #[test]
    fn on_file_means_same_person_service_and_slot_in_any_state() {
        let rows = parse_bookings(
            format!("{HEADER}\n2025-12-04 10:30,RAHMAN,hasina,,,housing,\n").as_bytes(),
            now(),
        )
        .unwrap();
        let order = &rows[0].order;
        let held = |person: &str, service: &str, at: (u32, u32), state| Appointment {
            id: uuid::Uuid::nil(),
            code: BookingCode::from_random(7),
            person: Person::New(
                NewPerson::new(person, "Hasina", None, "", rome_day(now())).unwrap(),
            ),
            service: service.into(),
            start: rome_local_to_utc(
                NaiveDate::from_ymd_opt(2025, 12, 4)
                    .unwrap()
                    .and_hms_opt(at.0, at.1, 0)
                    .unwrap(),
            )
            .unwrap(),
            booked_via: BookedVia::ContactCenter,
            booked_at: now(),
            state,
            rescheduled_from: None,
        };
        for state in AppointmentState::ALL {
            assert!(already_on_file(
                order,
                &[held("Rahman", "housing", (10, 30), state)]
            ));
        }
        assert!(!already_on_file(
            order,
            &[held("Rahman", "housing", (11, 0), AppointmentState::Booked)]
        ));
        assert!(!already_on_file(
            order,
            &[held(
                "Rahman",
                "social-support",
                (10, 30),
                AppointmentState::Booked
            )]
        ));
        assert!(!already_on_file(
            order,
            &[held(
                "Mansour",
                "housing",
                (10, 30),
                AppointmentState::Booked
            )]
        ));
    }
}
