//! The command line's progress bar: drawn on stderr, and only when stderr is a terminal, so
//! a pipe, a log file, a test's captured output and `--format json` never see it.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::{Progress, Silent};

/// A bar for `command` when stderr is a terminal; otherwise nobody watches.
pub fn on_stderr(command: &'static str) -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bar::new(command, ProgressDrawTarget::stderr()))
    } else {
        Box::new(Silent)
    }
}

/// A bar (counted stages) or a spinner (stages that cannot be counted).
pub struct Bar {
    bar: ProgressBar,
}

const COUNTED: &str = "{prefix}: {msg} [{bar:30}] {pos}/{len} ({eta})";
const UNCOUNTED: &str = "{prefix}: {msg} {spinner} {elapsed}";

fn style(template: &str) -> ProgressStyle {
    // The templates are constants, checked by a test.
    ProgressStyle::with_template(template)
        .expect("a valid progress template")
        .progress_chars("=> ")
}

impl Bar {
    fn new(command: &'static str, target: ProgressDrawTarget) -> Bar {
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_prefix(command);
        Bar { bar }
    }
}

impl Progress for Bar {
    fn stage(&mut self, name: &'static str, total: Option<u64>) {
        self.bar.set_message(name);
        match total {
            Some(n) => {
                self.bar.disable_steady_tick();
                self.bar.set_style(style(COUNTED));
                self.bar.set_length(n);
            }
            None => {
                self.bar.set_style(style(UNCOUNTED));
                self.bar.unset_length();
                self.bar.enable_steady_tick(Duration::from_millis(120));
            }
        }
        self.bar.set_position(0);
        self.bar.reset_eta();
    }

    fn set(&mut self, done: u64) {
        self.bar.set_position(done);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_templates_are_valid_and_a_bar_takes_any_stage() {
        for t in [COUNTED, UNCOUNTED] {
            assert!(ProgressStyle::with_template(t).is_ok(), "{t}");
        }
        let mut bar = Bar::new("demo", ProgressDrawTarget::hidden());
        bar.stage("days", Some(10));
        bar.set(4);
        bar.stage("writing", None);
        bar.set(0);
    }
}
