//! Visitors: search and recognition, the card, merges and imports.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Candidate, ImportSummary, LegacyAccess, Result};
use crate::domain::matching::BirthQuery;
use crate::domain::visitor::Visitor;
use crate::progress::Progress;

/// Reading visitors. Plain reads.
pub trait Visitors {
    fn visitor(&self, id: Uuid) -> Result<Visitor>;

    /// A visitor by the code on their card (`V-000123`) or by id.
    fn visitor_by_reference(&self, reference: &str) -> Result<Visitor>;

    /// The visitor an access belongs to, with how many accesses they have made in all: the
    /// card a desk opens for the person it serves.
    fn visitor_of_access(&self, access_id: Uuid) -> Result<(Visitor, u32)>;

    /// Candidates for a name (and birth date), at most `limit`, best first. The store finds
    /// who could be meant through its name keys; the scoring and the order are the domain's
    /// (`domain::matching::rank`).
    fn search(
        &self,
        family_name: &str,
        given_name: &str,
        birth: BirthQuery,
        limit: usize,
    ) -> Result<Vec<Candidate>>;
}

/// The writing half, inside a [`super::Tx`].
pub trait VisitorWork {
    /// Record that two visitor records are one person: `from` joins `into` (which must be a
    /// surviving record). No access is deleted or moved; reports and first-time flags follow
    /// the person. Returns the merge's number, for the undo.
    ///
    /// Concurrency: both records are read in the transaction; of two coordinators merging
    /// the same record, the second finds it merged and gets `StoreError::Input`.
    fn merge_visitors(
        &mut self,
        from: Uuid,
        into: Uuid,
        staff: &str,
        at: DateTime<Utc>,
    ) -> Result<i64>;

    /// Undo a merge (the latest one involving its records), restoring both records. Of two
    /// undoing at once, the second finds it undone and gets `StoreError::Input`.
    fn undo_merge(&mut self, merge: i64, staff: &str, at: DateTime<Utc>) -> Result<()>;

    /// Import a legacy register: all or nothing, idempotent, first-time flags recomputed.
    /// Two imports of one file at once: the second adds nothing (each row has its key).
    fn import_accesses(
        &mut self,
        rows: &[LegacyAccess],
        at: DateTime<Utc>,
        progress: &mut dyn Progress,
    ) -> Result<ImportSummary>;
}
