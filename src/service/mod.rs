//! What the center does, decided in one place for the terminal and the command line.
//!
//! Each function checks that the principal's role allows it, does the work, and writes its
//! audit entry in the same transaction as the work: an access is never stored without its
//! audit entry, nor the reverse. Reads of personal data are recorded before the data is
//! returned. Neither the terminal nor the command line writes an audit entry or checks a
//! role itself; a screen that hides a role's buttons is a convenience, this is the rule.
//!
//! Desk work (calls, transitions, transfers) has no audit entry: each event is in the
//! ticket's own log with the staff name and the desk, in the same transaction.

pub mod appointments;
pub mod desk;
pub mod maintenance;
pub mod reception;
pub mod records;
pub mod staff;

use crate::domain::staff::Permission;
use crate::store::{Principal, Result, StoreError};

/// Refuse what `by`'s role may not do.
pub fn allowed(by: &Principal, what: Permission) -> Result<()> {
    if by.role.may(what) {
        Ok(())
    } else {
        Err(StoreError::Forbidden {
            role: by.role,
            what: what.what().into(),
        })
    }
}
