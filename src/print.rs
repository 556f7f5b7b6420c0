//! Printed tickets on ESC/POS thermal printers (80 mm and 58 mm).
//!
//! Iced-free, in four steps that each can be tested alone: what the ticket says
//! ([`slip`], pure), the scripts the printer has no font for drawn as pictures ([`picture`]),
//! the ESC/POS stream ([`escpos`]), and the device that receives it ([`device`]). The ticket
//! is always stored before anything is printed: a failed print is a [`PrintError`] to show,
//! never a lost or invented ticket.

pub mod device;
pub mod escpos;
pub mod picture;
pub mod preview;
pub mod slip;

use std::sync::Arc;

pub use device::{Device, Printer, PrinterAddress, Status, print};
pub use slip::{Align, Line, Paper, Script, TicketSlip};

/// The slip of today's `ticket` as the register stands at `now` (`None`: not a ticket of
/// today). Reads tickets and the event log only: nothing about the person.
pub fn slip_of_today(
    store: &dyn crate::store::Store,
    ticket: crate::domain::Ticket,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::store::Result<Option<TicketSlip>> {
    let day = crate::domain::hours::rome_day(now);
    let tickets = store.tickets_of_day(day)?;
    let events = store.events_of_day(day)?;
    Ok(TicketSlip::of_day(ticket, &tickets, &events, now))
}

/// Why a ticket was not printed, in words the front desk can act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PrintError {
    #[error(
        "'{0}' is not a printer: give tcp://HOST:9100, usb:VID:PID or a device or file path (add ?paper=58 for 58 mm paper)"
    )]
    BadAddress(String),
    #[error("this PC has no printer: set one with 'setting printer URI' or give --printer URI")]
    NoPrinter,
    #[error("the printer at {printer} refused the connection: is it on, and is {printer} right?")]
    Refused { printer: String },
    #[error("the printer at {printer} did not answer within 2 seconds: is it on and plugged in?")]
    NoAnswer { printer: String },
    #[error("the printer at {printer} cannot be reached: {detail}")]
    Unreachable { printer: String, detail: String },
    #[error("the printer at {printer} closed the connection before the whole ticket was sent")]
    ClosedMidway { printer: String },
    #[error("the printer is out of paper")]
    PaperOut,
    #[error("the printer's cover is open")]
    CoverOpen,
    #[error("the printer is offline")]
    Offline,
    #[error(
        "the printer reports an error (a paper jam or the cutter): check it and switch it off and on"
    )]
    Fault,
    #[error(
        "no USB printer {vendor:04x}:{product:04x} is connected (or the system's usblp driver does not hold it)"
    )]
    UsbNotConnected { vendor: u16, product: u16 },
    #[error(
        "usb:VID:PID printers are not supported on this build (Linux only): give the printer's device path instead"
    )]
    UsbUnsupported,
    #[error("{path}: {detail}")]
    Device { path: String, detail: String },
    #[error("the ticket could not be drawn: {0}")]
    Render(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: Arc<std::io::Error>,
    },
}

impl PrintError {
    /// True when the printer address itself is wrong (the command line's exit 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, PrintError::BadAddress(_) | PrintError::NoPrinter)
    }
}
