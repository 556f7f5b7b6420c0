//! The system's own player (PulseAudio's paplay or ALSA's aplay on Linux, afplay on macOS,
//! PowerShell's SoundPlayer on Windows), so the app needs no audio library. Without a player
//! or a sound card the sound is skipped: a chime or a voice is never worth an error.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The players to try, in order, for `file`.
fn players(file: &Path) -> Vec<(&'static str, Vec<String>)> {
    let file = file.display().to_string();
    if cfg!(target_os = "windows") {
        vec![(
            "powershell",
            vec![
                "-NoProfile".into(),
                "-Command".into(),
                format!("(New-Object Media.SoundPlayer '{file}').PlaySync()"),
            ],
        )]
    } else if cfg!(target_os = "macos") {
        vec![("afplay", vec![file])]
    } else {
        vec![
            ("paplay", vec![file.clone()]),
            ("aplay", vec!["-q".into(), file]),
        ]
    }
}

/// Write `wav` where the player can read it: a file per `name`, rewritten only when it
/// changed (the chime is written once per boot, each call's voice each time).
pub fn wav_file(name: &str, wav: &[u8]) -> Option<PathBuf> {
    let path = std::env::temp_dir().join(format!("welcome-desk-{name}.wav"));
    let same = std::fs::read(&path).is_ok_and(|old| old == wav);
    if !same {
        std::fs::write(&path, wav).ok()?;
    }
    Some(path)
}

/// Start playing `file`; the player's process, or `None` when no player could start.
pub fn start(file: &Path) -> Option<Child> {
    players(file).into_iter().find_map(|(program, args)| {
        Command::new(program)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()
    })
}

/// Play `wav` and return when it has ended, or after `limit` (a stuck player is stopped):
/// the queue starts the next sound only then.
pub fn play_to_end(name: &str, wav: &[u8], limit: Duration) {
    let Some(file) = wav_file(name, wav) else {
        return;
    };
    let Some(mut child) = start(&file) else {
        return;
    };
    let until = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(_)) | Err(_) => return,
            Ok(None) if Instant::now() >= until => {
                let _ = child.kill();
                let _ = child.wait();
                return;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}
