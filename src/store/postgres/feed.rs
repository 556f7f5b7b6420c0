//! The server's change feed: `LISTEN` on a connection of its own. Every writing
//! transaction sends `NOTIFY` as it commits (`PgTx::commit`), so a terminal wakes within
//! the network's latency, and an idle terminal sends no query at all.

use std::time::Duration;

use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;

use super::connect::Target;
use super::{CHANNEL, classify, open_client};
use crate::store::{ChangeFeed, Result};

pub struct PgFeed {
    client: Client,
    server: String,
}

impl PgFeed {
    /// A connection of its own to `target`, listening. Notifications sent while no feed
    /// was listening (a dropped connection) are lost by design: the terminal reloads its
    /// whole state when it gets a feed again.
    pub fn open(target: &Target) -> Result<PgFeed> {
        let server = target.describe();
        let mut client = open_client(target, None)?;
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(|e| classify(&e, &server))?;
        Ok(PgFeed { client, server })
    }
}

impl ChangeFeed for PgFeed {
    fn wait(&mut self, timeout: Duration) -> Result<bool> {
        let first = {
            let mut notifications = self.client.notifications();
            let mut waiting = notifications.timeout_iter(timeout);
            waiting.next().map_err(|e| classify(&e, &self.server))?
        };
        if first.is_none() {
            // A timeout, or a connection lost meanwhile: a closed connection is only seen
            // by using it, and the watcher must learn of it to reconnect.
            if self.client.is_closed() {
                return Err(crate::store::StoreError::Unreachable {
                    server: self.server.clone(),
                    detail: "the connection was closed".into(),
                });
            }
            return Ok(false);
        }
        // Many commits may have arrived together: one wake-up for all of them.
        let mut pending = self.client.notifications();
        let mut rest = pending.iter();
        while rest
            .next()
            .map_err(|e| classify(&e, &self.server))?
            .is_some()
        {}
        Ok(true)
    }
}
