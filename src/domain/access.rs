//! Accesses (one arrival at the front office), queues, routing and queue order.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The two queues of the front office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Queue {
    /// Guests of the SAI reception system (asylum and protection holders).
    Sai,
    /// Everyone else with a migrant background.
    General,
}

impl Queue {
    pub const ALL: [Queue; 2] = [Queue::Sai, Queue::General];

    /// The stable code used in the database, the CSV and the command line.
    pub fn code(self) -> &'static str {
        match self {
            Queue::Sai => "sai",
            Queue::General => "general",
        }
    }

    /// The letter that starts every ticket of this queue (`S-001`, `G-001`).
    pub fn ticket_letter(self) -> char {
        match self {
            Queue::Sai => 'S',
            Queue::General => 'G',
        }
    }
}

impl fmt::Display for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Queue {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sai" => Ok(Queue::Sai),
            "general" => Ok(Queue::General),
            other => Err(format!("unknown queue '{other}' (expected sai or general)")),
        }
    }
}

/// How the visitor came: on foot or with an appointment (by email or the city contact center).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    #[serde(rename = "walk-in")]
    WalkIn,
    #[serde(rename = "appointment")]
    Appointment,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::WalkIn => "walk-in",
            Channel::Appointment => "appointment",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "walk-in" | "walkin" => Ok(Channel::WalkIn),
            "appointment" => Ok(Channel::Appointment),
            other => Err(format!(
                "unknown channel '{other}' (expected walk-in or appointment)"
            )),
        }
    }
}

/// Why a visitor is served before arrival order: vulnerable people wait less.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Minor,
    Pregnancy,
    Disability,
    Illness,
    Elderly,
}

impl Priority {
    pub const ALL: [Priority; 5] = [
        Priority::Minor,
        Priority::Pregnancy,
        Priority::Disability,
        Priority::Illness,
        Priority::Elderly,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Priority::Minor => "minor",
            Priority::Pregnancy => "pregnancy",
            Priority::Disability => "disability",
            Priority::Illness => "illness",
            Priority::Elderly => "elderly",
        }
    }
}

impl FromStr for Priority {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Priority::ALL
            .into_iter()
            .find(|p| p.code() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!(
                    "unknown priority '{s}' (expected minor, pregnancy, disability, illness or elderly)"
                )
            })
    }
}

/// The queue an access goes to, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    pub queue: Queue,
    /// `None` when the rule decided; the reception's reason when it overrode the rule.
    pub override_reason: Option<String>,
}

/// Errors of routing: an override must say why, because the audit and the coordinators need it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    #[error("overriding the queue needs a reason")]
    MissingReason,
}

/// The rule: an SAI guest goes to the SAI queue, everyone else to the general queue.
pub fn proposed_queue(sai_guest: bool) -> Queue {
    if sai_guest {
        Queue::Sai
    } else {
        Queue::General
    }
}

/// Route an access, honouring a reception override only when it carries a reason.
pub fn route(sai_guest: bool, override_to: Option<(Queue, &str)>) -> Result<Routing, RoutingError> {
    let proposed = proposed_queue(sai_guest);
    match override_to {
        None => Ok(Routing {
            queue: proposed,
            override_reason: None,
        }),
        Some((queue, _)) if queue == proposed => Ok(Routing {
            queue,
            override_reason: None,
        }),
        Some((queue, reason)) => {
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(RoutingError::MissingReason);
            }
            Ok(Routing {
                queue,
                override_reason: Some(reason.to_string()),
            })
        }
    }
}

/// What the queue order needs to know of a waiting ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingPlace {
    pub priority: bool,
    /// For appointments: when the appointment is due. Walk-ins have none.
    pub appointment_at: Option<DateTime<Utc>>,
    pub arrived_at: DateTime<Utc>,
    /// Breaks ties between arrivals in the same second, so that the order is total.
    pub ticket_number: u32,
}

/// Order within a queue at instant `now`: priority first, then appointments already due
/// (earliest first), then arrival order.
pub fn queue_order(a: &WaitingPlace, b: &WaitingPlace, now: DateTime<Utc>) -> Ordering {
    let due = |p: &WaitingPlace| p.appointment_at.filter(|t| *t <= now);
    b.priority
        .cmp(&a.priority)
        .then_with(|| match (due(a), due(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.arrived_at.cmp(&b.arrived_at))
        .then_with(|| a.ticket_number.cmp(&b.ticket_number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 7, 7, h, m, 0).unwrap()
    }

    #[test]
    fn sai_guests_go_to_the_sai_queue_and_others_to_general() {
        assert_eq!(route(true, None).unwrap().queue, Queue::Sai);
        assert_eq!(route(false, None).unwrap().queue, Queue::General);
    }

    #[test]
    fn an_override_needs_a_reason_and_records_it() {
        assert_eq!(
            route(false, Some((Queue::Sai, "  "))),
            Err(RoutingError::MissingReason)
        );
        let r = route(false, Some((Queue::Sai, "SAI guest, card not yet issued"))).unwrap();
        assert_eq!(r.queue, Queue::Sai);
        assert_eq!(
            r.override_reason.as_deref(),
            Some("SAI guest, card not yet issued")
        );
        // Choosing the proposed queue is not an override.
        assert_eq!(
            route(true, Some((Queue::Sai, ""))).unwrap().override_reason,
            None
        );
    }

    #[test]
    fn priority_then_due_appointments_then_arrival() {
        let now = at(10, 0);
        let walk_in_early = WaitingPlace {
            priority: false,
            appointment_at: None,
            arrived_at: at(9, 0),
            ticket_number: 1,
        };
        let appointment_due = WaitingPlace {
            priority: false,
            appointment_at: Some(at(9, 45)),
            arrived_at: at(9, 40),
            ticket_number: 2,
        };
        let appointment_later = WaitingPlace {
            priority: false,
            appointment_at: Some(at(11, 0)),
            arrived_at: at(8, 30),
            ticket_number: 3,
        };
        let vulnerable_late = WaitingPlace {
            priority: true,
            appointment_at: None,
            arrived_at: at(9, 55),
            ticket_number: 4,
        };
        let mut places = [
            walk_in_early.clone(),
            appointment_later.clone(),
            appointment_due.clone(),
            vulnerable_late.clone(),
        ];
        places.sort_by(|a, b| queue_order(a, b, now));
        let order: Vec<u32> = places.iter().map(|p| p.ticket_number).collect();
        // The appointment not yet due waits in arrival order (it came at 8:30).
        assert_eq!(order, vec![4, 2, 3, 1]);
    }

    #[test]
    fn codes_round_trip() {
        for q in Queue::ALL {
            assert_eq!(q.code().parse::<Queue>().unwrap(), q);
        }
        for p in Priority::ALL {
            assert_eq!(p.code().parse::<Priority>().unwrap(), p);
        }
        assert_eq!("walk-in".parse::<Channel>().unwrap(), Channel::WalkIn);
        assert!("phone".parse::<Channel>().is_err());
    }
}
