//! The storage contract (tests/contract) on SQLite: every case on a new register file in
//! its own temporary folder; a second terminal is a second connection to the same file.
//!
//! Everything SQLite-specific of the contract suite lives in this file, so that a change to
//! how a register is opened is made here once.

mod common;
#[macro_use]
mod contract;

use std::path::{Path, PathBuf};

use contract::{BookingEngine, Engine, Register};
use welcome_desk::store::{SqliteStore, Store};

struct SqliteEngine;

impl SqliteEngine {
    /// A folder that lives as long as the register, and the path of the register in it.
    fn folder() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("register.db");
        (dir, path)
    }

    fn open(path: &Path) -> SqliteStore {
        SqliteStore::open(path).expect("open the register")
    }
}

impl Engine for SqliteEngine {
    fn fresh(&self) -> Register {
        let (dir, path) = Self::folder();
        let store: Box<dyn Store> = Box::new(Self::open(&path));
        Register::new(
            store,
            move || Box::new(Self::open(&path)) as Box<dyn Store>,
            dir,
        )
    }
}

impl BookingEngine for SqliteEngine {
    fn fresh_with_appointments(&self) -> Register<dyn Store> {
        let (dir, path) = Self::folder();
        let store: Box<dyn Store> = Box::new(Self::open(&path));
        Register::new(
            store,
            move || Box::new(Self::open(&path)) as Box<dyn Store>,
            dir,
        )
    }
}

contract_suite!(sqlite: SqliteEngine, with appointments);
