//! welcome-desk: the check-in terminal of the Milano Welcome Center.
//!
//! Layers point one way: `ui` -> `report`/`store` -> `domain`. The domain is pure; the
//! store knows nothing of iced; the UI never holds a SQL string.

pub mod cli;
pub mod clock;
pub mod crash;
pub mod demo;
pub mod diagnostics;
pub mod domain;
pub mod import;
pub mod machine;
pub mod print;
pub mod private_files;
pub mod progress;
pub mod report;
pub mod service;
pub mod store;
pub mod ui;
pub mod voice;
