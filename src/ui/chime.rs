//! The optional chime on each call: a two-tone bell (assets/chime.wav, synthesised for this
//! project). The wall screen's queue plays it before each spoken call, through the system's
//! own player (`voice::player`); without a player or a sound card it stays silent.

/// The bell, as the wall screen's queue plays it before each spoken call.
pub const CHIME_WAV: &[u8] = include_bytes!("../../assets/chime.wav");

#[cfg(test)]
mod tests {
    #[test]
    fn the_chime_is_a_short_wav() {
        assert_eq!(&super::CHIME_WAV[..4], b"RIFF");
        assert_eq!(&super::CHIME_WAV[8..12], b"WAVE");
        assert!(super::CHIME_WAV.len() < 64 * 1024);
    }
}
