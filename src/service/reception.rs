//! Reception: recognising a walk-in, registering the access, the ticket's slip.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::allowed;
use crate::domain::Ticket;
use crate::domain::audit::AuditAction;
use crate::domain::matching::BirthQuery;
use crate::domain::staff::Permission;
use crate::domain::visitor::Visitor;
use crate::print::TicketSlip;
use crate::store::{
    Candidate, Issued, Principal, Registered, Registration, Result, Store, VisitorChoice, write,
};

/// Candidates for a name (and birth date), best first. The trail records that a search
/// happened, never what was typed.
pub fn search(
    store: &mut dyn Store,
    by: &Principal,
    family_name: &str,
    given_name: &str,
    birth: BirthQuery,
    limit: usize,
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>> {
    allowed(by, Permission::SearchPreview)?;
    write(store, |tx| {
        tx.audit(by, AuditAction::Search, None, &[], now)
    })?;
    store.search(family_name, given_name, birth, limit)
}

/// A visitor as reception may see them: preview fields only (no phone).
pub fn preview(
    store: &mut dyn Store,
    by: &Principal,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Visitor> {
    allowed(by, Permission::SearchPreview)?;
    write(store, |tx| {
        tx.audit(
            by,
            AuditAction::OpenCard,
            Some(&id.to_string()),
            &["preview"],
            now,
        )
    })?;
    let mut visitor = store.visitor(id)?;
    visitor.details.phone = None;
    Ok(visitor)
}

/// Register an access and issue its ticket, as `by`: the access and the ticket's first
/// event carry `by`'s name whatever the registration said.
///
/// Sent again with the same access id (the reply to the first send was lost), it stores
/// nothing and gives the ticket already issued. The trail then gets no second `create`
/// entry: the first send's entry was committed with the access, and nothing new was
/// created nor shown (the same terminal gets back what it already sent).
pub fn register(
    store: &mut dyn Store,
    by: &Principal,
    registration: &Registration,
    now: DateTime<Utc>,
) -> Result<Registered> {
    allowed(by, Permission::Register)?;
    let registration = Registration {
        staff: by.staff.clone(),
        ..registration.clone()
    };
    let fields: &[&str] = match registration.visitor {
        VisitorChoice::New(_) => &["access", "visitor"],
        VisitorChoice::Existing(_) => &["access"],
    };
    write(store, |tx| match tx.register_once(&registration, now)? {
        Issued::New(done) => {
            tx.audit(
                by,
                AuditAction::Create,
                Some(&done.visitor_id.to_string()),
                fields,
                now,
            )?;
            Ok(done)
        }
        Issued::Again(done) => Ok(done),
    })
}

/// The slip of one of today's tickets, to print (again); `None` when it is not today's.
pub fn slip(
    store: &mut dyn Store,
    by: &Principal,
    ticket: Ticket,
    now: DateTime<Utc>,
) -> Result<Option<TicketSlip>> {
    allowed(by, Permission::Register)?;
    crate::print::slip_of_today(store, ticket, now)
}
