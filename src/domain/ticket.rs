//! Tickets: short, speakable numbers per queue and day, and their lifecycle.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::access::{Channel, Queue};

/// A ticket number as spoken and shown: `S-001` for SAI, `G-001` for general.
/// Numbers restart every Europe/Rome day, so a ticket is only unique together with its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ticket {
    pub queue: Queue,
    pub number: u32,
}

impl fmt::Display for Ticket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:03}", self.queue.ticket_letter(), self.number)
    }
}

impl FromStr for Ticket {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{s}' is not a ticket (expected S-001 or G-001)");
        let t = s.trim().to_ascii_uppercase();
        let (letter, digits) = t.split_once('-').ok_or_else(bad)?;
        let queue = match letter {
            "S" => Queue::Sai,
            "G" => Queue::General,
            _ => return Err(bad()),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let number: u32 = digits.parse().map_err(|_| bad())?;
        if number == 0 {
            return Err(bad());
        }
        Ok(Ticket { queue, number })
    }
}

impl Serialize for Ticket {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ticket {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TicketState {
    Waiting,
    Called,
    InService,
    Done,
    NoShow,
    Transferred,
    Cancelled,
}

impl TicketState {
    pub const ALL: [TicketState; 7] = [
        TicketState::Waiting,
        TicketState::Called,
        TicketState::InService,
        TicketState::Done,
        TicketState::NoShow,
        TicketState::Transferred,
        TicketState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TicketState::Waiting => "waiting",
            TicketState::Called => "called",
            TicketState::InService => "in-service",
            TicketState::Done => "done",
            TicketState::NoShow => "no-show",
            TicketState::Transferred => "transferred",
            TicketState::Cancelled => "cancelled",
        }
    }

    /// A closed ticket never moves again: a returning no-show gets a new ticket.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            TicketState::Done
                | TicketState::NoShow
                | TicketState::Transferred
                | TicketState::Cancelled
        )
    }
}

impl FromStr for TicketState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TicketState::ALL
            .into_iter()
            .find(|st| st.code() == s)
            .ok_or_else(|| format!("unknown ticket state '{s}'"))
    }
}

/// What can happen to a ticket. Each one is written to the event log with time, desk and staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TicketEvent {
    /// The ticket was issued at registration (the first row of every ticket's log).
    Issue,
    Call,
    /// Call the same ticket again (the visitor did not come to the desk yet).
    Recall,
    Start,
    Finish,
    NoShow,
    /// Moved to another queue or service; the new ticket keeps a link to this one.
    Transfer,
    Cancel,
}

impl TicketEvent {
    pub const ALL: [TicketEvent; 8] = [
        TicketEvent::Issue,
        TicketEvent::Call,
        TicketEvent::Recall,
        TicketEvent::Start,
        TicketEvent::Finish,
        TicketEvent::NoShow,
        TicketEvent::Transfer,
        TicketEvent::Cancel,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TicketEvent::Issue => "issue",
            TicketEvent::Call => "call",
            TicketEvent::Recall => "recall",
            TicketEvent::Start => "start",
            TicketEvent::Finish => "finish",
            TicketEvent::NoShow => "no-show",
            TicketEvent::Transfer => "transfer",
            TicketEvent::Cancel => "cancel",
        }
    }
}

impl FromStr for TicketEvent {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TicketEvent::ALL
            .into_iter()
            .find(|e| e.code() == s)
            .ok_or_else(|| format!("unknown ticket event '{s}'"))
    }
}

/// An event that the ticket's current state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a ticket that is {} cannot take '{}'", .from.code(), .event.code())]
pub struct TransitionError {
    pub from: TicketState,
    pub event: TicketEvent,
}

impl TicketState {
    /// The lifecycle: waiting -> called -> in service -> done, with recall, no-show,
    /// transfer and cancel. Anything else is an error, never a silent no-op, so that two
    /// desks acting on one ticket find out.
    ///
    /// `Finish` is also accepted from `Called`: a short answer at the desk often has no
    /// separate start, and its service time then counts from the call.
    pub fn apply(self, event: TicketEvent) -> Result<TicketState, TransitionError> {
        use TicketEvent as E;
        use TicketState as S;
        let next = match (self, event) {
            (S::Waiting, E::Call) => S::Called,
            (S::Called, E::Recall) => S::Called,
            (S::Called, E::Start) => S::InService,
            (S::Called | S::InService, E::Finish) => S::Done,
            (S::Called, E::NoShow) => S::NoShow,
            (S::Waiting | S::Called | S::InService, E::Transfer) => S::Transferred,
            (S::Waiting | S::Called, E::Cancel) => S::Cancelled,
            (from, event) => return Err(TransitionError { from, event }),
        };
        Ok(next)
    }
}

/// A ticket of the day as desks and screens list it. No names: the desk opens the visitor
/// card separately, so lists can be shown where others see them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketView {
    pub ticket: Ticket,
    pub access_id: Uuid,
    pub state: TicketState,
    pub service: String,
    pub priority: bool,
    pub channel: Channel,
    pub arrived_at: DateTime<Utc>,
    pub appointment_at: Option<DateTime<Utc>>,
    pub desk: Option<String>,
    pub languages: Vec<String>,
    /// When the last event happened (call, recall...).
    pub updated_at: DateTime<Utc>,
}

/// A ticket event as the log holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    pub ticket: Ticket,
    pub day: NaiveDate,
    pub event: TicketEvent,
    pub state: TicketState,
    pub at: DateTime<Utc>,
    pub desk: Option<String>,
    pub staff: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_print_and_parse() {
        let t = Ticket {
            queue: Queue::Sai,
            number: 7,
        };
        assert_eq!(t.to_string(), "S-007");
        assert_eq!("s-007".parse::<Ticket>().unwrap(), t);
        assert_eq!(
            Ticket {
                queue: Queue::General,
                number: 1234
            }
            .to_string(),
            "G-1234"
        );
        for bad in ["", "S", "S-", "X-001", "S-0", "S-1a", "S-+1", "G001"] {
            assert!(bad.parse::<Ticket>().is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn the_happy_path() {
        let s = TicketState::Waiting
            .apply(TicketEvent::Call)
            .and_then(|s| s.apply(TicketEvent::Recall))
            .and_then(|s| s.apply(TicketEvent::Start))
            .and_then(|s| s.apply(TicketEvent::Finish));
        assert_eq!(s, Ok(TicketState::Done));
    }

    #[test]
    fn illegal_transitions_are_errors() {
        use TicketEvent as E;
        use TicketState as S;
        assert_eq!(
            S::Waiting.apply(E::Finish),
            Err(TransitionError {
                from: S::Waiting,
                event: E::Finish
            })
        );
        assert!(S::Waiting.apply(E::Start).is_err());
        assert!(S::Waiting.apply(E::NoShow).is_err());
        assert!(
            S::Called.apply(E::Call).is_err(),
            "two desks calling one ticket"
        );
        assert!(S::InService.apply(E::NoShow).is_err());
        assert!(S::InService.apply(E::Cancel).is_err());
        for closed in [S::Done, S::NoShow, S::Transferred, S::Cancelled] {
            assert!(closed.is_closed());
            for e in TicketEvent::ALL {
                assert!(closed.apply(e).is_err(), "{closed:?} took {e:?}");
            }
        }
        assert!(
            S::Waiting.apply(E::Issue).is_err(),
            "a ticket is issued once"
        );
    }

    #[test]
    fn every_open_state_can_be_transferred() {
        for s in [
            TicketState::Waiting,
            TicketState::Called,
            TicketState::InService,
        ] {
            assert_eq!(s.apply(TicketEvent::Transfer), Ok(TicketState::Transferred));
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in TicketState::ALL {
            assert_eq!(s.code().parse::<TicketState>().unwrap(), s);
        }
        for e in TicketEvent::ALL {
            assert_eq!(e.code().parse::<TicketEvent>().unwrap(), e);
        }
    }
}
