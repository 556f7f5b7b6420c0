//! The server store as the program sees it: a `Store` whose writes are `PgTx`s.

use super::{PgStore, PgTx};
use crate::store::{Result, Store, Tx};

impl Store for PgStore {
    fn begin(&mut self) -> Result<Box<dyn Tx + '_>> {
        Ok(Box::new(self.begin_tx()?))
    }

    fn after_commit(&mut self) -> Result<()> {
        self.rewrite_erased();
        Ok(())
    }
}

impl Tx for PgTx<'_> {
    fn commit(self: Box<Self>) -> Result<()> {
        PgTx::commit(*self)
    }
}
