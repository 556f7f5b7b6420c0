//! Each connection's prepared statements, kept for the life of the connection.
//!
//! A statement sent as text costs two round trips (the server parses and describes it, then
//! binds and runs it) and a fresh plan every time; a registration is about a dozen
//! statements, so on a loopback server most of its time was waiting for replies to parse
//! requests. Prepared once per connection, each later use is one round trip, and the
//! server reuses its parse (and, once it finds one as good, a generic plan).
//!
//! Only statements written in the program (`&'static str`) are kept: the set is bounded by
//! the source. A statement built at run time goes through `unprepared()`, sent as text.
//! Prepared statements belong to the server session, so the store empties the cache when it
//! replaces a lost connection.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};

use postgres::types::ToSql;
use postgres::{Client, Error, GenericClient, Row, Statement, Transaction};

/// The statements prepared on one connection, by their text.
#[derive(Default)]
pub struct Statements {
    by_text: HashMap<&'static str, Statement>,
}

impl Statements {
    /// Forget every statement: the connection they were prepared on is gone.
    pub fn clear(&mut self) {
        self.by_text.clear();
    }
}

/// What a cached connection runs its statements on: a transaction, or the client itself for
/// the reads that need none.
pub trait Connection {
    fn generic(&mut self) -> &mut impl GenericClient;
}

impl Connection for Transaction<'_> {
    fn generic(&mut self) -> &mut impl GenericClient {
        self
    }
}

impl Connection for &mut Client {
    fn generic(&mut self) -> &mut impl GenericClient {
        &mut **self
    }
}

/// A connection (or a transaction on it) whose program statements are prepared once.
///
/// `query`, `query_one`, `query_opt` and `execute` take the program's statement text and
/// use its prepared statement; a statement built at run time goes through `unprepared`, and
/// the rest (`batch_execute`, `copy_in`) reaches the connection through `Deref`.
pub struct Cached<'s, C: Connection> {
    conn: C,
    statements: &'s mut Statements,
}

/// A transaction with the connection's prepared statements: what the server engine's
/// writes run in.
pub type Tx<'t, 's> = Cached<'s, Transaction<'t>>;

/// The client outside a transaction, with its prepared statements: what the reads run on.
pub type Reader<'c, 's> = Cached<'s, &'c mut Client>;

impl<'s, C: Connection> Cached<'s, C> {
    pub fn new(conn: C, statements: &'s mut Statements) -> Self {
        Cached { conn, statements }
    }

    /// The connection itself, for a statement built at run time (a table's name, a
    /// clause chosen by the caller): sent as text, not kept.
    pub fn unprepared(&mut self) -> &mut impl GenericClient {
        self.conn.generic()
    }

    /// The prepared statement of `sql`, preparing it on first use.
    pub fn prepared(&mut self, sql: &'static str) -> Result<Statement, Error> {
        if let Some(statement) = self.statements.by_text.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.conn.generic().prepare(sql)?;
        self.statements.by_text.insert(sql, statement.clone());
        Ok(statement)
    }

    pub fn query(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, Error> {
        let statement = self.prepared(sql)?;
        self.conn.generic().query(&statement, params)
    }

    pub fn query_one(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Row, Error> {
        let statement = self.prepared(sql)?;
        self.conn.generic().query_one(&statement, params)
    }

    pub fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, Error> {
        let statement = self.prepared(sql)?;
        self.conn.generic().query_opt(&statement, params)
    }

    pub fn execute(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, Error> {
        let statement = self.prepared(sql)?;
        self.conn.generic().execute(&statement, params)
    }
}

impl Cached<'_, Transaction<'_>> {
    pub fn commit(self) -> Result<(), Error> {
        self.conn.commit()
    }
}

impl<C: Connection> Deref for Cached<'_, C> {
    type Target = C;

    fn deref(&self) -> &C {
        &self.conn
    }
}

impl<C: Connection> DerefMut for Cached<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        &mut self.conn
    }
}
