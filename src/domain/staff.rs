//! Staff, their roles, what each role may do, and signing in. Only the right staff see the
//! right fields: a front desk is a public place.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::visitor::{FieldError, Problem};

/// What a member of staff does at the center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Registers walk-ins and searches with preview fields only.
    Reception,
    /// Desk work (mediators, legal, social, psychological staff) and the card of the person
    /// they serve.
    Mediator,
    /// Tally, reports, merges, access and erasure requests, the audit trail.
    Coordinator,
    /// Staff accounts, backups, settings; never visitor content.
    Admin,
    /// The back office answering the mailbox and the contact-center operators: the agenda
    /// only (free slots, book, cancel, reschedule, the day's bookings). No visitor search,
    /// no history, no reports, no desk: they work from what the caller says.
    Booking,
    /// The wall-screen PC in the waiting room: it shows the called tickets and their desks,
    /// and nothing else. Its account is how a PC is made into the wall screen (an audited
    /// sign-in), not a person's: whoever reaches its session finds nothing to read or do.
    #[serde(rename = "wall-screen")]
    WallScreen,
    /// The command line: whoever holds the database file (an administrator of the machine).
    /// Not an account; its actions are recorded under the operating-system user.
    System,
}

impl Role {
    /// The roles an account can have.
    pub const ACCOUNTS: [Role; 6] = [
        Role::Reception,
        Role::Mediator,
        Role::Coordinator,
        Role::Admin,
        Role::Booking,
        Role::WallScreen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Reception => "reception",
            Role::Mediator => "mediator",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
            Role::Booking => "booking",
            Role::WallScreen => "wall-screen",
            Role::System => "system",
        }
    }

    /// Whether this role may do `what`. The one table of who can do what (the README's
    /// security section prints it).
    pub fn may(self, what: Permission) -> bool {
        use Permission::*;
        match self {
            Role::System => true,
            // Reception takes bookings at the desk too, and checks people in.
            Role::Reception => matches!(what, Register | SearchPreview | Book | Display),
            Role::Mediator => matches!(what, DeskWork | VisitorCard | Display),
            Role::Coordinator => matches!(
                what,
                Tally | Reports | Merge | AccessRequest | Erase | ReadAudit | Purge | Display
            ),
            Role::Admin => matches!(what, ManageStaff | Backup | Settings | ReadAudit | Import),
            Role::Booking => matches!(what, Book),
            // The board only: ticket numbers and desks, never a name.
            Role::WallScreen => matches!(what, Display),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reception" => Ok(Role::Reception),
            "mediator" => Ok(Role::Mediator),
            "coordinator" => Ok(Role::Coordinator),
            "admin" => Ok(Role::Admin),
            "booking" => Ok(Role::Booking),
            "wall-screen" => Ok(Role::WallScreen),
            "system" => Ok(Role::System),
            other => Err(format!(
                "unknown role '{other}' (expected reception, mediator, coordinator, wall-screen, admin or booking)"
            )),
        }
    }
}

/// Something a role may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Register an access (and create a visitor).
    Register,
    /// Search visitors, seeing preview fields only (names, birth date, code).
    SearchPreview,
    /// Call, recall, start, finish, mark no-show, transfer.
    DeskWork,
    /// Open the card of the visitor being served.
    VisitorCard,
    /// The day's tally.
    Tally,
    /// Reports over any range, and their export.
    Reports,
    /// Merge two visitor records, and undo it.
    Merge,
    /// Export everything held about a visitor (the person's right of access).
    AccessRequest,
    /// Erase a visitor's personal data (the person's right to erasure).
    Erase,
    /// Anonymise visitors past the retention period.
    Purge,
    /// Read and export the audit trail.
    ReadAudit,
    /// Create accounts, change roles, reset passwords.
    ManageStaff,
    /// Take and restore backups.
    Backup,
    /// Terminal settings (idle lock minutes, retention months).
    Settings,
    /// Import a legacy register (or load the demo's synthetic traffic).
    Import,
    /// Open the waiting-room display (ticket numbers and desks only).
    Display,
    /// The agenda: find free slots, book, cancel, reschedule, list the day's bookings.
    /// Checking a booked person in issues a ticket, which is `Register`.
    Book,
}

impl Permission {
    /// In words, for "reception accounts may not …".
    pub fn what(self) -> &'static str {
        use Permission::*;
        match self {
            Register => "register accesses",
            SearchPreview => "search visitors",
            DeskWork => "work at a desk",
            VisitorCard => "open a visitor card",
            Tally => "see the tally",
            Reports => "compute or export reports",
            Merge => "merge visitor records",
            AccessRequest => "export a visitor's data",
            Erase => "erase a visitor",
            Purge => "purge old records",
            ReadAudit => "read the audit trail",
            ManageStaff => "manage staff accounts",
            Backup => "take or restore backups",
            Settings => "change settings",
            Import => "import registers",
            Display => "open the waiting-room display",
            Book => "book appointments",
        }
    }
}

/// The least length of a password.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Failed sign-ins in a row that lock an account.
pub const FAILURES_BEFORE_LOCK: u32 = 6;
/// How long a locked account stays locked.
pub const LOCK_MINUTES: i64 = 30;

/// Check a staff name: 2 to 60 characters, letters, digits, spaces, dots, hyphens.
pub fn validate_staff_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    let chars = name.chars().count();
    if !(2..=60).contains(&chars) {
        return Err(FieldError::of(
            "name",
            Problem::OutOfRange { min: 2, max: 60 },
            "must be 2 to 60 characters long",
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '\'')))
    {
        return Err(FieldError::of(
            "name",
            Problem::NotANameCharacter(Some(c)),
            format!("contains '{c}'"),
        ));
    }
    Ok(name.to_string())
}

/// Check a new password: at least eight characters, not all spaces.
pub fn validate_password(password: &str) -> Result<(), FieldError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(FieldError::of(
            "password",
            Problem::TooShort {
                min: MIN_PASSWORD_CHARS,
            },
            format!("must be at least {MIN_PASSWORD_CHARS} characters long"),
        ));
    }
    if password.trim().is_empty() {
        return Err(FieldError::of(
            "password",
            Problem::OnlySpaces,
            "is only spaces",
        ));
    }
    Ok(())
}

/// What a sign-in attempt leads to, given the account's state before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in; the failure count starts again.
    Accepted,
    /// Wrong password: `failures` in a row now; locked until the given time if that reached
    /// the limit.
    Refused {
        failures: u32,
        locked_until: Option<DateTime<Utc>>,
    },
    /// The account is locked; the password was not even checked.
    Locked { until: DateTime<Utc> },
}

/// Decide a sign-in: `password_ok` is only consulted when the account is not locked.
pub fn decide_sign_in(
    failures: u32,
    locked_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    password_ok: impl FnOnce() -> bool,
) -> SignIn {
    if let Some(until) = locked_until.filter(|u| *u > now) {
        return SignIn::Locked { until };
    }
    // A lock that has run out starts a fresh count.
    let failures = if locked_until.is_some() { 0 } else { failures };
    if password_ok() {
        return SignIn::Accepted;
    }
    let failures = failures + 1;
    SignIn::Refused {
        failures,
        locked_until: (failures >= FAILURES_BEFORE_LOCK)
            .then(|| now + Duration::minutes(LOCK_MINUTES)),
    }
}

/// Who is signed in at a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub staff: String,
    pub role: Role,
    /// An administrator reset the password: a new one must be chosen now.
    pub must_change_password: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn each_role_does_its_own_work_only() {
        use Permission::*;
        assert!(Role::Reception.may(Register) && Role::Reception.may(SearchPreview));
        assert!(!Role::Reception.may(VisitorCard) && !Role::Reception.may(Reports));
        assert!(Role::Mediator.may(DeskWork) && Role::Mediator.may(VisitorCard));
        assert!(!Role::Mediator.may(Register) && !Role::Mediator.may(Erase));
        assert!(Role::Coordinator.may(Merge) && Role::Coordinator.may(Erase));
        assert!(!Role::Coordinator.may(ManageStaff));
        // The admin runs the system and sees no visitor.
        for p in [
            Register,
            SearchPreview,
            DeskWork,
            VisitorCard,
            Tally,
            Reports,
            Merge,
            AccessRequest,
            Erase,
        ] {
            assert!(!Role::Admin.may(p), "{p:?}");
        }
        assert!(Role::Admin.may(ManageStaff) && Role::Admin.may(Backup));
    }

    /// Every permission `role` has, of all there are.
    fn allowed_to(role: Role) -> Vec<Permission> {
        use Permission::*;
        [
            Register,
            SearchPreview,
            DeskWork,
            VisitorCard,
            Tally,
            Reports,
            Merge,
            AccessRequest,
            Erase,
            Purge,
            ReadAudit,
            ManageStaff,
            Backup,
            Settings,
            Import,
            Display,
            Book,
        ]
        .into_iter()
        .filter(|p| role.may(*p))
        .collect()
    }

    #[test]
    fn booking_sees_the_agenda_and_nothing_else() {
        use Permission::*;
        assert_eq!(allowed_to(Role::Booking), [Book]);
        // Reception books at the desk and checks in; desks, coordinators and admins do not book.
        assert!(Role::Reception.may(Book) && Role::Reception.may(Register));
        for role in [Role::Mediator, Role::Coordinator, Role::Admin] {
            assert!(!role.may(Book), "{role}");
        }
        assert_eq!("Booking".parse::<Role>(), Ok(Role::Booking));
        assert!(Role::ACCOUNTS.contains(&Role::Booking));
    }

    #[test]
    fn the_wall_screen_reads_the_board_and_nothing_else() {
        assert_eq!(allowed_to(Role::WallScreen), [Permission::Display]);
        // The command line's word, both ways, and an account the staff screen offers.
        assert_eq!("wall-screen".parse::<Role>(), Ok(Role::WallScreen));
        assert_eq!(Role::WallScreen.code(), "wall-screen");
        assert_eq!(
            serde_json::to_string(&Role::WallScreen).ok().as_deref(),
            Some("\"wall-screen\"")
        );
        assert!(Role::ACCOUNTS.contains(&Role::WallScreen));
    }

    #[test]
    fn password_policy() {
        assert!(validate_password("short").is_err());
        assert!(validate_password("        ").is_err());
        assert!(validate_password("correct horse").is_ok());
        assert!(validate_staff_name("Amina B.").is_ok());
        assert!(validate_staff_name("a").is_err());
        assert!(validate_staff_name("amina;drop").is_err());
    }

    #[test]
    fn six_failures_lock_for_thirty_minutes() {
        let now = t("2025-07-07T08:00:00Z");
        let mut failures = 0;
        let mut locked = None;
        for n in 1..=6 {
            match decide_sign_in(failures, locked, now, || false) {
                SignIn::Refused {
                    failures: f,
                    locked_until,
                } => {
                    assert_eq!(f, n);
                    assert_eq!(locked_until.is_some(), n == 6);
                    failures = f;
                    locked = locked_until;
                }
                other => panic!("{other:?}"),
            }
        }
        // Locked: even the right password is not accepted, nor checked.
        let later = now + Duration::minutes(29);
        assert!(matches!(
            decide_sign_in(failures, locked, later, || panic!("checked")),
            SignIn::Locked { .. }
        ));
        // After thirty minutes the right password works again.
        let after = now + Duration::minutes(30);
        assert_eq!(
            decide_sign_in(failures, locked, after, || true),
            SignIn::Accepted
        );
        // And a wrong one starts a fresh count.
        assert!(matches!(
            decide_sign_in(failures, locked, after, || false),
            SignIn::Refused {
                failures: 1,
                locked_until: None
            }
        ));
    }
}
