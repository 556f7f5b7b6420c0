//! Thin: parse the command line, then run a command or open the window.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use welcome_desk::cli::{self, Cli};
use welcome_desk::crash;
use welcome_desk::store::Location;

/// This PC's data folder: the default register, and the logs and exports of a terminal
/// whose register is on a server.
fn data_folder() -> Result<PathBuf, String> {
    welcome_desk::machine::data_folder()
        .ok_or_else(|| "no home folder to keep the register in; give --db PATH".to_string())
}

fn main() -> ExitCode {
    let args = Cli::parse();
    let location = match &args.db {
        Some(db) => Location::from_arg(db),
        None => match data_folder() {
            Ok(folder) => Location::file(folder.join("welcome-desk.db")),
            Err(message) => {
                eprintln!("welcome-desk: {message}");
                return ExitCode::from(cli::exit::FAILURE);
            }
        },
    };
    // Where logs and exports go: beside a register file; this PC's data folder for a server.
    let db = match location.path() {
        Some(path) => path.to_path_buf(),
        None => match data_folder() {
            Ok(folder) => folder.join("server"),
            Err(message) => {
                eprintln!("welcome-desk: {message}");
                return ExitCode::from(cli::exit::FAILURE);
            }
        },
    };
    let clock = match welcome_desk::clock::from_env() {
        Ok(clock) => clock,
        Err(message) => {
            eprintln!("welcome-desk: {message}");
            return ExitCode::from(cli::exit::BAD_INPUT);
        }
    };
    let gui = args.command.is_none();
    let log_problem = welcome_desk::diagnostics::init(&db).err();
    if gui && let Some(problem) = &log_problem {
        eprintln!("welcome-desk: warning: {problem}");
    }
    let what = args.command.as_ref().map_or("window", |c| c.name());
    tracing::info!(version = env!("CARGO_PKG_VERSION"), what, "start");
    let started = std::time::Instant::now();
    crash::install(db.clone(), gui);
    // The clock is only read; a panic leaves nothing of it half-changed.
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || match args.command {
            Some(command) => cli::run(command, &location, clock.now())
                .map_err(|failure| (failure.message, failure.code)),
            None => {
                let crash_log = std::env::var_os(crash::AFTER_CRASH_ENV).map(PathBuf::from);
                let home = db
                    .parent()
                    .map_or_else(PathBuf::new, std::path::Path::to_path_buf);
                welcome_desk::ui::run(
                    location,
                    home,
                    std::sync::Arc::from(clock),
                    crash_log,
                    args.desk,
                )
                .map_err(|m| (m, cli::exit::FAILURE))
            }
        }));
    let ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok(Ok(())) => {
            tracing::info!(what, ms, outcome = "ok", "end");
            if let (false, Some(problem)) = (gui, &log_problem) {
                eprintln!("welcome-desk: warning: {problem}");
            }
            ExitCode::SUCCESS
        }
        Ok(Err((message, code))) => {
            // The message may quote what was typed: the log keeps the exit code only.
            tracing::info!(what, ms, outcome = "failed", exit = code, "end");
            eprintln!("welcome-desk: {message}");
            ExitCode::from(code)
        }
        // The hook has written the crash log and said where.
        Err(_) => {
            tracing::error!(what, ms, outcome = "crashed", "end");
            ExitCode::from(cli::exit::FAILURE)
        }
    }
}
