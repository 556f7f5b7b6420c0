//! Who is at the terminal, and the screens that exist only while they are: the state that
//! holds personal data is made at sign-in and dropped with the person.

use chrono::{DateTime, Utc};

use super::{App, Effect, Job, Screen};
use crate::domain::audit::AuditAction;
use crate::domain::staff::{Permission, Role, Session};
use crate::store::Principal;
use crate::ui::{Ctx, appointments, desk, gate, reception, records, staff, tally};

/// A person's turn at this terminal: from sign-in to sign-out. The screens that hold
/// personal data live only inside it, so signing out (or "someone else") drops them whole,
/// and no code path can reach them while nobody is signed in.
pub enum Shift {
    /// Nobody is signed in: the gate shows, and no screen exists.
    Gate,
    /// Someone is signed in; the lock keeps them and their screens, for their own password
    /// to unlock where they left off.
    SignedIn(Box<OnShift>),
}

/// Who is signed in, whether they stepped away, and their screens.
pub struct OnShift {
    /// Which shift of this terminal this is (counted from its start): a job's answer carries
    /// the serial of the shift that sent it, and lands only on that shift's screens.
    pub serial: u64,
    pub who: Session,
    pub locked: bool,
    pub screens: Screens,
}

/// The screens' state: what a person typed and what the register showed them.
pub struct Screens {
    pub reception: reception::State,
    pub appointments: appointments::State,
    pub desk: desk::State,
    pub tally: tally::State,
    pub staff: staff::State,
    pub records: records::State,
}

impl Shift {
    pub fn who(&self) -> Option<&Session> {
        match self {
            Shift::Gate => None,
            Shift::SignedIn(on) => Some(&on.who),
        }
    }

    pub fn locked(&self) -> bool {
        matches!(self, Shift::SignedIn(on) if on.locked)
    }

    /// The screens of whoever is signed in, locked or not.
    /// The serial of the shift signed in, if any.
    pub fn serial(&self) -> Option<u64> {
        match self {
            Shift::Gate => None,
            Shift::SignedIn(on) => Some(on.serial),
        }
    }

    pub fn screens(&self) -> Option<&Screens> {
        match self {
            Shift::Gate => None,
            Shift::SignedIn(on) => Some(&on.screens),
        }
    }

    pub(super) fn screens_mut(&mut self) -> Option<&mut Screens> {
        match self {
            Shift::Gate => None,
            Shift::SignedIn(on) => Some(&mut on.screens),
        }
    }
}

impl App {
    /// Where the keyboard starts on what is shown now: the gate's first field, or the
    /// screen's.
    pub fn first_field(&self) -> &'static str {
        let (Some(who), Some(screens)) = (self.shift.who(), self.unlocked_screens()) else {
            return self.gate.first_field();
        };
        match self.screen {
            Screen::Reception => reception::FIRST_FIELD,
            Screen::Appointments => appointments::FIRST_FIELD,
            Screen::Desk => screens.desk.first_field(),
            Screen::Tally => tally::FIRST_FIELD,
            Screen::Records => records::State::first_field(who.role),
            Screen::Staff => staff::FIRST_FIELD,
        }
    }

    pub(super) fn focus_first(&self) -> Effect {
        Effect::Focus(self.first_field())
    }

    /// Who acts from this terminal now, for the store's role checks and the audit trail.
    pub fn principal(&self) -> Option<Principal> {
        self.session_principal().filter(|_| !self.shift.locked())
    }

    /// Whether someone is at the screens and their role may do `what`.
    pub(super) fn may(&self, what: Permission) -> bool {
        self.unlocked() && self.shift.who().is_some_and(|s| s.role.may(what))
    }

    /// Whether the screens may show: someone signed in, not locked, no password to change.
    pub fn unlocked(&self) -> bool {
        self.unlocked_screens().is_some()
    }

    /// The screens, only while they may show.
    pub(super) fn unlocked_screens(&self) -> Option<&Screens> {
        match &self.shift {
            Shift::SignedIn(on) if !on.locked && !on.who.must_change_password => Some(&on.screens),
            _ => None,
        }
    }

    /// The screens, with what their `update` reads, only while they may take input: behind
    /// the gate they take none (a late debounce, a stray key).
    pub(super) fn at_screens(&mut self, now: DateTime<Utc>) -> Option<(&mut Screens, Ctx<'_>)> {
        let ctx = Ctx {
            lang: self.lang,
            today: &self.today,
            now,
        };
        match &mut self.shift {
            Shift::SignedIn(on) if !on.locked && !on.who.must_change_password => {
                Some((&mut on.screens, ctx))
            }
            _ => None,
        }
    }

    /// Who is at this terminal, and their screens.
    pub fn shift(&self) -> &Shift {
        &self.shift
    }

    /// Who is signed in (locked or not).
    pub fn session(&self) -> Option<&Session> {
        self.shift.who()
    }

    /// Whether the terminal is locked: someone is signed in, and only they may unlock it.
    pub fn locked(&self) -> bool {
        self.shift.locked()
    }

    /// Reception's form and candidates, while someone is signed in (kept behind the lock).
    pub fn reception(&self) -> Option<&reception::State> {
        self.shift.screens().map(|s| &s.reception)
    }

    /// The agenda and the booking half, while someone is signed in.
    pub fn appointments(&self) -> Option<&appointments::State> {
        self.shift.screens().map(|s| &s.appointments)
    }

    /// The desk's call and visitor card, while someone is signed in.
    pub fn desk(&self) -> Option<&desk::State> {
        self.shift.screens().map(|s| &s.desk)
    }

    /// The tally's figures, while someone is signed in.
    pub fn tally(&self) -> Option<&tally::State> {
        self.shift.screens().map(|s| &s.tally)
    }

    /// The staff screen's accounts, while someone is signed in.
    pub fn staff(&self) -> Option<&staff::State> {
        self.shift.screens().map(|s| &s.staff)
    }

    /// The records screen's trail and visitor, while someone is signed in.
    pub fn records(&self) -> Option<&records::State> {
        self.shift.screens().map(|s| &s.records)
    }

    /// The screens the signed-in role may open.
    pub fn screens(&self) -> Vec<Screen> {
        match self.shift.who() {
            Some(s) => Screen::ALL
                .into_iter()
                .filter(|screen| s.role.may(screen.permission()))
                .collect(),
            None => Vec::new(),
        }
    }

    /// Where a role starts.
    pub(super) fn home(&self) -> Screen {
        match self.shift.who().map(|s| s.role) {
            Some(Role::Mediator) => Screen::Desk,
            Some(Role::Coordinator) => Screen::Tally,
            Some(Role::Admin) => Screen::Staff,
            // The back office and the contact center have the agenda and nothing else.
            Some(Role::Booking) => Screen::Appointments,
            _ => Screen::Reception,
        }
    }

    pub(super) fn lock(&mut self) -> Vec<Effect> {
        let by = self.session_principal();
        let Shift::SignedIn(on) = &mut self.shift else {
            return vec![];
        };
        if on.locked {
            return vec![];
        }
        self.gate.show(gate::Mode::Locked {
            staff: on.who.staff.clone(),
        });
        // The screens stay as they were: the same person unlocks and carries on.
        on.locked = true;
        // Recorded as the person who stepped away.
        vec![
            Effect::JobAs(Box::new(Job::Audit(AuditAction::Lock)), by),
            Effect::Focus(gate::PASSWORD),
        ]
    }

    pub(super) fn session_principal(&self) -> Option<Principal> {
        self.shift.who().map(|s| Principal {
            staff: s.staff.clone(),
            role: s.role,
            terminal: self.terminal.clone(),
        })
    }

    /// Fresh screens for someone who just signed in: nothing of whoever came before.
    pub(super) fn fresh_screens(&self, role: Role) -> Screens {
        let today = self.today.day;
        Screens {
            reception: reception::State::new(self.lang),
            // Reception checks people in and finds them in the register; the booking role
            // books names as said.
            appointments: appointments::State::new(
                today,
                role.may(Permission::Register),
                self.lang,
            ),
            // The desk is the PC's, not the person's: its label comes from this PC.
            desk: self.desk_of_this_pc(),
            tally: tally::State::new(today),
            staff: staff::State::new(self.idle_minutes),
            records: records::State::new(today),
        }
    }
}
