//! How far a long operation got (a demo load, an import, a backup, a restore, a purge), for
//! whoever watches: the command line draws a bar when stderr is a terminal. The store
//! reports; it never knows who listens, and nothing here knows of iced or of a terminal.

/// Someone told how far a long operation got.
pub trait Progress {
    /// A stage of the work begins: `total` steps, or `None` when they cannot be counted.
    fn stage(&mut self, name: &'static str, total: Option<u64>);
    /// `done` steps of the current stage are done.
    fn set(&mut self, done: u64);
}

/// Nobody is watching.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn stage(&mut self, _name: &'static str, _total: Option<u64>) {}
    fn set(&mut self, _done: u64) {}
}

/// Steps between two reports in a loop over many rows: often enough for a bar to move,
/// rarely enough to cost nothing.
pub const EVERY: u64 = 256;
