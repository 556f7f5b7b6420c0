//! What the program knows of the machine it runs on, for the audit trail.

/// This PC's folder for the program's own files (the default register, logs, copies):
/// the platform's data directory, created if missing.
pub fn data_folder() -> Option<std::path::PathBuf> {
    let dirs = directories::ProjectDirs::from("it", "Comune di Milano", "welcome-desk")?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir).ok()?;
    Some(dir.to_path_buf())
}

/// The name of this machine, for the audit trail's terminal.
pub fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
        })
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".into())
}
