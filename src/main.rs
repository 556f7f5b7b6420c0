//! Thin: parse the command line, then run a command or open the window.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use welcome_desk::cli::{self, Cli};
use welcome_desk::crash;

fn default_db() -> Result<PathBuf, String> {
    let dirs = directories::ProjectDirs::from("it", "Comune di Milano", "welcome-desk")
        .ok_or("no home folder to keep the register in; give --db PATH")?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir.join("welcome-desk.db"))
}

fn main() -> ExitCode {
    let args = Cli::parse();
    let db = match args.db.map_or_else(default_db, Ok) {
        Ok(db) => db,
        Err(message) => {
            eprintln!("welcome-desk: {message}");
            return ExitCode::from(cli::exit::FAILURE);
        }
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
            Some(command) => cli::run(command, &db, clock.now())
                .map_err(|failure| (failure.message, failure.code)),
            None => {
                let crash_log = std::env::var_os(crash::AFTER_CRASH_ENV).map(PathBuf::from);
                welcome_desk::ui::run(db, std::sync::Arc::from(clock), crash_log, args.desk)
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
