//! Clips and silences joined into one WAV, so that one play of the system player says the
//! whole call and nothing can slip in between its words.

use std::io::Cursor;

use super::VoiceError;
use super::clips;
use super::words::Part;

/// The format of every clip (scripts/voices.sh): 16 kHz, mono, 16-bit.
pub const SAMPLE_RATE: u32 = 16_000;

fn spec() -> hound::WavSpec {
    hound::WavSpec {
        channels: 1,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

fn wav_error(e: hound::Error) -> VoiceError {
    VoiceError::Wav(e.to_string())
}

/// The samples of one clip, checked to be in the one format.
pub fn samples(wav: &[u8]) -> Result<Vec<i16>, VoiceError> {
    let reader = hound::WavReader::new(Cursor::new(wav)).map_err(wav_error)?;
    if reader.spec() != spec() {
        return Err(VoiceError::Wav(format!(
            "{:?} instead of 16 kHz mono 16-bit",
            reader.spec()
        )));
    }
    reader
        .into_samples::<i16>()
        .collect::<Result<_, _>>()
        .map_err(wav_error)
}

/// The parts, in order, as a WAV file's bytes.
pub fn join(parts: &[Part]) -> Result<Vec<u8>, VoiceError> {
    let mut all: Vec<i16> = Vec::new();
    for part in parts {
        match part {
            Part::Pause(ms) => {
                all.extend(std::iter::repeat_n(0, (SAMPLE_RATE * ms / 1000) as usize));
            }
            Part::Clip { language, name } => {
                let wav = clips::get(*language, name).ok_or_else(|| VoiceError::MissingClip {
                    language: *language,
                    clip: name.clone(),
                })?;
                all.extend(samples(wav)?);
            }
        }
    }
    let mut out = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut out, spec()).map_err(wav_error)?;
    for s in all {
        writer.write_sample(s).map_err(wav_error)?;
    }
    writer.finalize().map_err(wav_error)?;
    Ok(out.into_inner())
}

/// How long a WAV of ours plays.
pub fn duration(wav: &[u8]) -> Result<std::time::Duration, VoiceError> {
    let reader = hound::WavReader::new(Cursor::new(wav)).map_err(wav_error)?;
    let spec = reader.spec();
    let seconds = f64::from(reader.duration()) / f64::from(spec.sample_rate.max(1));
    Ok(std::time::Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Queue, Ticket};
    use crate::voice::{Language, announce};

    #[test]
    fn an_announcement_is_one_valid_wav_of_sane_length() {
        let ticket = Ticket {
            queue: Queue::General,
            number: 12,
        };
        let wav = announce(
            ticket,
            "Sportello 3",
            &[Language::Italian, Language::English],
        )
        .expect("joined");
        let seconds = duration(&wav).expect("a WAV").as_secs_f64();
        assert!((3.0..12.0).contains(&seconds), "{seconds} s");
        assert_eq!(
            samples(&wav).expect("our format").len() as f64,
            seconds * 16_000.0
        );
    }

    #[test]
    fn every_clip_is_in_the_one_format_and_short() {
        for language in Language::ALL {
            for (name, wav) in clips::table(language) {
                let s = samples(wav).unwrap_or_else(|e| panic!("{language}/{name}: {e}"));
                let seconds = s.len() as f64 / f64::from(SAMPLE_RATE);
                assert!(
                    (0.1..1.6).contains(&seconds),
                    "{language}/{name}: {seconds} s"
                );
                let peak = s.iter().map(|x| x.unsigned_abs()).max().unwrap_or(0);
                assert!(peak > 10_000, "{language}/{name} is audible: peak {peak}");
            }
        }
    }
}
