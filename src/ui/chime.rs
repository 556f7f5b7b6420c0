//! The optional chime on each call: a two-tone bell (assets/chime.wav, synthesised for this
//! project), played by the system's own player so the app needs no audio library. Without a
//! player or a sound card it stays silent; a chime is never worth an error.

use std::path::PathBuf;
use std::process::{Command, Stdio};

const CHIME_WAV: &[u8] = include_bytes!("../../assets/chime.wav");

fn chime_file() -> Option<PathBuf> {
    let path = std::env::temp_dir().join("welcome-desk-chime.wav");
    let fresh = std::fs::metadata(&path).is_ok_and(|m| m.len() == CHIME_WAV.len() as u64);
    if !fresh {
        std::fs::write(&path, CHIME_WAV).ok()?;
    }
    Some(path)
}

/// Play the chime once, without waiting for it.
pub fn play() {
    let Some(file) = chime_file() else { return };
    let file = file.display().to_string();
    let players: Vec<(&str, Vec<String>)> = if cfg!(target_os = "windows") {
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
    };
    for (program, args) in players {
        let started = Command::new(program)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if started.is_ok() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_chime_is_a_short_wav() {
        assert_eq!(&super::CHIME_WAV[..4], b"RIFF");
        assert_eq!(&super::CHIME_WAV[8..12], b"WAVE");
        assert!(super::CHIME_WAV.len() < 64 * 1024);
    }
}
