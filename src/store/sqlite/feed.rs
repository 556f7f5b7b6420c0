//! The change feed of a register file: `PRAGMA data_version` on a connection of its own.

use super::*;

/// How often the feed looks at the file: a read of a counter in the shared memory of the
/// WAL, no disk access.
const POLL: Duration = Duration::from_millis(200);

pub(super) struct SqliteFeed {
    conn: Connection,
    /// The version last reported; `None` before the first look.
    seen: Option<i64>,
}

impl SqliteFeed {
    pub(super) fn open(path: &Path, passphrase: Option<&str>) -> Result<SqliteFeed> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify_open_error(path, e))?;
        key(&conn, passphrase).map_err(|e| classify_open_error(path, e))?;
        let mut feed = SqliteFeed { conn, seen: None };
        feed.seen = Some(feed.version()?);
        Ok(feed)
    }

    fn version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }
}

impl ChangeFeed for SqliteFeed {
    fn wait(&mut self, timeout: Duration) -> Result<bool> {
        let until = std::time::Instant::now() + timeout;
        loop {
            let now = self.version()?;
            if self.seen != Some(now) {
                self.seen = Some(now);
                return Ok(true);
            }
            let left = until.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Ok(false);
            }
            std::thread::sleep(left.min(POLL));
        }
    }
}
