//! The storage contract (tests/contract) on PostgreSQL: every case on a new database of one
//! throwaway cluster for this test process (tests/common/pg.rs); a second terminal is a
//! second connection to the same database, with the same audit key file, as a second PC of
//! the site would have.

mod common;
#[macro_use]
mod contract;
#[path = "common/pg.rs"]
mod pg;

use contract::{BookingEngine, Engine, Register};
use welcome_desk::store::postgres::PgStore;
use welcome_desk::store::{KeyFile, Store};

struct ServerEngine;

impl ServerEngine {
    fn register(&self) -> Register<dyn Store> {
        let url = pg::Cluster::shared().fresh_database();
        let dir = tempfile::tempdir().expect("a folder for the site's audit key");
        let key = dir.path().join("site.audit-key");
        let open = move || {
            Box::new(
                PgStore::connect_with(&url, None, KeyFile::installed(&key))
                    .unwrap_or_else(|e| panic!("connect: {e}")),
            ) as Box<dyn Store>
        };
        Register::new(open(), open, dir)
    }
}

impl Engine for ServerEngine {
    fn fresh(&self) -> Register {
        self.register()
    }
}

impl BookingEngine for ServerEngine {
    fn fresh_with_appointments(&self) -> Register<dyn Store> {
        self.register()
    }
}

contract_suite!(postgres: ServerEngine, with appointments);
