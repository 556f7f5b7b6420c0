//! Thin: parse the command line, then run a command or open the window.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use welcome_desk::cli::{self, Cli};

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
    match args.command {
        Some(command) => {
            let now = welcome_desk::clock::from_env().now();
            match cli::run(command, &db, now) {
                Ok(()) => ExitCode::SUCCESS,
                Err(failure) => {
                    eprintln!("welcome-desk: {}", failure.message);
                    ExitCode::from(failure.code)
                }
            }
        }
        None => {
            match welcome_desk::ui::run(db, std::sync::Arc::from(welcome_desk::clock::from_env())) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("welcome-desk: {message}");
                    ExitCode::from(cli::exit::FAILURE)
                }
            }
        }
    }
}
