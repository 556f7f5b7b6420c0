//! The center's rules, pure: no IO, no wall clock, no iced, no SQL.
//!
//! Everything here takes the current time as an argument so that tests can pin it.

pub mod access;
pub mod agenda;
pub mod appointment;
pub mod audit;
pub mod board;
pub mod hours;
pub mod matching;
pub mod names;
pub mod reference;
pub mod staff;
pub mod tally;
pub mod ticket;
pub mod visitor;

pub use access::{Channel, Priority, Queue, Routing, route};
pub use ticket::{EventRecord, Ticket, TicketEvent, TicketState, TicketView, TransitionError};
pub use visitor::{Sex, VisitorDetails};
