//! Spoken calls: what each says, the WAV the real binary writes, and the queue that keeps
//! calls from talking over each other.

mod common;

use std::path::Path;

use common::*;
use welcome_desk::domain::Ticket;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::voice::{self, Call, CallQueue, Language, Part, Sound};

const NOW: &str = "2025-12-01T10:30:00+01:00";

fn ticket(s: &str) -> Ticket {
    s.parse().expect("a ticket")
}

fn clips(parts: &[Part]) -> Vec<String> {
    parts
        .iter()
        .filter_map(|p| match p {
            Part::Clip { language, name } => Some(format!("{language}/{name}")),
            Part::Pause(_) => None,
        })
        .collect()
}

#[test]
fn several_calls_say_the_expected_clips() {
    let both = [Language::Italian, Language::English];
    for (t, desk, expected) in [
        (
            "G-012",
            "Sportello 3",
            vec![
                "it/number",
                "it/letter-g",
                "it/12",
                "it/desk",
                "it/3",
                "en/number",
                "en/letter-g",
                "en/12",
                "en/desk",
                "en/3",
            ],
        ),
        (
            "S-021",
            "Sportello 12",
            vec![
                "it/number",
                "it/letter-s",
                "it/20e",
                "it/1",
                "it/desk",
                "it/12",
                "en/number",
                "en/letter-s",
                "en/20",
                "en/1",
                "en/desk",
                "en/12",
            ],
        ),
        (
            "G-105",
            "Mediazione 7",
            vec![
                "it/number",
                "it/letter-g",
                "it/100",
                "it/5",
                "it/desk",
                "it/7",
                "en/number",
                "en/letter-g",
                "en/1",
                "en/hundred",
                "en/5",
                "en/desk",
                "en/7",
            ],
        ),
    ] {
        assert_eq!(
            clips(&voice::announcement(ticket(t), desk, &both)),
            expected,
            "{t}"
        );
    }
    let french = clips(&voice::announcement(
        ticket("G-071"),
        "Sportello 2",
        &[Language::French],
    ));
    assert_eq!(
        french,
        [
            "fr/number",
            "fr/letter-g",
            "fr/60",
            "fr/and",
            "fr/11",
            "fr/desk",
            "fr/2"
        ]
    );
}

fn announce(dir: &Path, name: &str, args: &[&str]) -> Vec<u8> {
    let out_file = dir.join(name);
    let mut all = vec!["announce"];
    all.extend(args);
    let out_arg = out_file.display().to_string();
    all.extend(["--out", &out_arg]);
    let out = welcome_desk_command(&dir.join("unused.db"), NOW)
        .args(&all)
        .env(
            welcome_desk::ui::this_pc::CONFIG_ENV,
            dir.join("terminal.json"),
        )
        .output()
        .expect("run welcome-desk");
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::read(&out_file).expect("the WAV")
}

#[test]
fn the_binary_writes_a_valid_wav_of_sane_length_the_same_for_a_recall() {
    let dir = tempfile::tempdir().expect("temp dir");
    let call = announce(dir.path(), "call.wav", &["G-012", "--desk", "Sportello 3"]);
    let recall = announce(
        dir.path(),
        "recall.wav",
        &["g-012", "--desk", "Sportello 3"],
    );
    assert_eq!(call, recall, "a recall says exactly the same");
    let reader = hound::WavReader::new(std::io::Cursor::new(&call)).expect("a WAV");
    let spec = reader.spec();
    assert_eq!(
        (spec.channels, spec.sample_rate, spec.bits_per_sample),
        (1, 16_000, 16)
    );
    let seconds = f64::from(reader.duration()) / 16_000.0;
    assert!(
        (3.0..10.0).contains(&seconds),
        "Italian and English: {seconds} s"
    );
    let samples: Vec<i16> = reader
        .into_samples::<i16>()
        .collect::<Result<_, _>>()
        .expect("samples");
    let loud = samples.iter().filter(|s| s.unsigned_abs() > 2000).count();
    assert!(
        loud as f64 > samples.len() as f64 * 0.1,
        "mostly speech, not silence"
    );

    let four = announce(
        dir.path(),
        "four.wav",
        &["S-001", "--desk", "Sportello 3", "--lang", "it,en,es,fr"],
    );
    let four_seconds = voice::wav::duration(&four).expect("a WAV").as_secs_f64();
    assert!(
        four_seconds > seconds * 1.6,
        "four languages: {four_seconds} s"
    );
    assert!(
        !dir.path().join("unused.db").exists(),
        "announce opens no register"
    );
}

#[test]
fn arabic_and_bengali_are_refused_as_not_shipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = welcome_desk_command(&dir.path().join("r.db"), NOW)
        .args([
            "announce",
            "G-001",
            "--desk",
            "Sportello 1",
            "--lang",
            "it,ar",
        ])
        .args(["--out", &dir.path().join("a.wav").display().to_string()])
        .output()
        .expect("run welcome-desk");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not spoken in 'ar'"));
}

#[test]
fn calls_queued_during_a_play_are_played_after_it_with_the_real_lengths() {
    let chime = welcome_desk::ui::chime::CHIME_WAV;
    let length = |sound: &Sound| -> f64 {
        let wav = match sound {
            Sound::Chime => chime.to_vec(),
            Sound::Voice(c) => voice::announce(c.ticket, &c.desk, &voice::DEFAULT_LANGUAGES)
                .expect("an announcement"),
        };
        voice::wav::duration(&wav).expect("a WAV").as_secs_f64()
    };
    let mut queue = CallQueue::new(true, true);
    let call = |t: &str, d: &str| Call {
        ticket: ticket(t),
        desk: d.into(),
    };
    // Three desks call within two seconds of each other.
    let arrivals = [
        (0.0, call("G-001", "Sportello 1")),
        (0.5, call("S-001", "Sportello 2")),
        (2.0, call("G-002", "Sportello 3")),
    ];
    let mut played: Vec<(Sound, f64, f64)> = Vec::new();
    let mut current: Option<(Sound, f64)> = None;
    let mut next = 0;
    while next < arrivals.len() || current.is_some() {
        let ends = current.as_ref().map(|(s, start)| start + length(s));
        let arrives = arrivals.get(next).map(|(t, _)| *t);
        match (ends, arrives) {
            (Some(e), Some(a)) if a < e => {
                assert_eq!(
                    queue.push(arrivals[next].1.clone()),
                    None,
                    "nothing starts over a sound"
                );
                next += 1;
            }
            (Some(e), _) => {
                if let Some((s, start)) = current.take() {
                    played.push((s, start, e));
                }
                current = queue.finished().map(|s| (s, e));
            }
            (None, Some(a)) => {
                current = queue.push(arrivals[next].1.clone()).map(|s| (s, a));
                next += 1;
            }
            (None, None) => break,
        }
    }
    let order: Vec<String> = played
        .iter()
        .map(|(s, _, _)| match s {
            Sound::Chime => "chime".to_string(),
            Sound::Voice(c) => c.ticket.to_string(),
        })
        .collect();
    assert_eq!(
        order,
        ["chime", "G-001", "chime", "S-001", "chime", "G-002"]
    );
    for pair in played.windows(2) {
        assert!(pair[1].1 >= pair[0].2, "overlap: {pair:?}");
    }
}

/// The wall screen of a terminal: calls made at two desks (another connection, as another
/// PC) are announced one after the other, chime first, and a recall again.
#[test]
fn the_wall_screen_queues_every_call_and_recall() {
    use welcome_desk::clock::FixedClock;
    use welcome_desk::domain::TicketEvent;
    use welcome_desk::domain::hours::rome_day;
    use welcome_desk::store::{Actor, SqliteStore, Store};
    use welcome_desk::ui::app::{App, Message};

    let (dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).expect("a register");
    for (f, g) in [("Diallo", "Mamadou"), ("Okafor", "Ngozi"), ("Chen", "Wei")] {
        store
            .register(&new_walk_in(f, g, false), rome("2025-07-07 09:30"))
            .expect("registered");
    }
    let now = rome("2025-07-07 10:00");
    let mut app = App::new(path.clone(), std::sync::Arc::new(FixedClock(now)))
        .with_settings(Some(dir.path().join("terminal.json")), None);
    app.start_headless(&mut store);
    app.run_headless(&mut store, Message::OpenDisplay);
    app.run_headless(&mut store, Message::ToggleChime);

    let mut other_pc = SqliteStore::open(&path).expect("a second connection");
    for desk in ["Sportello 1", "Sportello 2"] {
        other_pc
            .call_next(desk, &[], "mediator", now)
            .expect("called")
            .expect("someone waits");
    }
    app.run_headless(&mut store, Message::Tick);
    let voice_of = |t: &str, d: &str| {
        Sound::Voice(Call {
            ticket: ticket(t),
            desk: d.into(),
        })
    };
    let mut heard = vec![app.calls.playing().cloned()];
    assert_eq!(
        app.calls.waiting(),
        3,
        "both calls queued behind the first chime"
    );
    for _ in 0..4 {
        app.run_headless(&mut store, Message::SoundEnded);
        heard.push(app.calls.playing().cloned());
    }
    assert_eq!(
        heard,
        [
            Some(Sound::Chime),
            Some(voice_of("G-001", "Sportello 1")),
            Some(Sound::Chime),
            Some(voice_of("G-002", "Sportello 2")),
            None,
        ]
    );
    assert_eq!(app.chimes, 2);

    other_pc
        .transition(
            rome_day(now),
            ticket("G-001"),
            TicketEvent::Recall,
            Actor {
                staff: "mediator",
                desk: Some("Sportello 1"),
            },
            now,
        )
        .expect("recalled");
    app.run_headless(&mut store, Message::Tick);
    app.run_headless(&mut store, Message::SoundEnded);
    assert_eq!(
        app.calls.playing(),
        Some(&voice_of("G-001", "Sportello 1")),
        "a recall is announced again"
    );

    // Voice off (saved for this PC): the chime alone.
    app.run_headless(&mut store, Message::SoundEnded);
    app.run_headless(&mut store, Message::ToggleVoice);
    assert!(app.settings.voice_off);
    other_pc
        .call_next("Sportello 2", &[], "mediator", now)
        .expect("called")
        .expect("someone waits");
    app.run_headless(&mut store, Message::Tick);
    assert_eq!(app.calls.playing(), Some(&Sound::Chime));
    assert_eq!(app.calls.waiting(), 0);
    let saved = welcome_desk::ui::this_pc::Settings::load(&dir.path().join("terminal.json"))
        .expect("saved settings");
    assert!(saved.voice_off);
}
