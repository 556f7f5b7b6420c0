//! The order of the wall screen's sounds: each call is a chime and then its announcement,
//! and nothing starts before the sound playing has ended. Pure: the screen tells it when a
//! sound ends, and it says what to start.

use std::collections::VecDeque;

use crate::domain::Ticket;

/// A call or a recall shown on the wall screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub ticket: Ticket,
    pub desk: String,
}

/// One sound to play.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sound {
    Chime,
    Voice(Call),
}

/// The sounds waiting and the one playing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallQueue {
    /// Chime before each call.
    pub chime: bool,
    /// Speak each call.
    pub voice: bool,
    playing: Option<Sound>,
    waiting: VecDeque<Sound>,
}

impl CallQueue {
    pub fn new(chime: bool, voice: bool) -> CallQueue {
        CallQueue {
            chime,
            voice,
            ..CallQueue::default()
        }
    }

    /// A call reached the wall screen: its sounds join the end of the queue. Returns the
    /// sound to start now, when nothing was playing.
    pub fn push(&mut self, call: Call) -> Option<Sound> {
        if self.chime {
            self.waiting.push_back(Sound::Chime);
        }
        if self.voice {
            self.waiting.push_back(Sound::Voice(call));
        }
        if self.playing.is_none() {
            self.start_next()
        } else {
            None
        }
    }

    /// The sound playing has ended: the next one to start, if any.
    pub fn finished(&mut self) -> Option<Sound> {
        self.playing = None;
        self.start_next()
    }

    fn start_next(&mut self) -> Option<Sound> {
        self.playing = self.waiting.pop_front();
        self.playing.clone()
    }

    pub fn playing(&self) -> Option<&Sound> {
        self.playing.as_ref()
    }

    /// Sounds waiting behind the one playing.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Queue;

    fn call(n: u32, desk: &str) -> Call {
        Call {
            ticket: Ticket {
                queue: Queue::General,
                number: n,
            },
            desk: desk.into(),
        }
    }

    /// Play the calls arriving at `arrivals` (seconds) with a chime of 1 s and a voice of
    /// 4 s; each sound with its start and end.
    fn simulate(queue: &mut CallQueue, arrivals: &[(u32, Call)]) -> Vec<(Sound, u32, u32)> {
        let length = |s: &Sound| if *s == Sound::Chime { 1 } else { 4 };
        let mut log: Vec<(Sound, u32, u32)> = Vec::new();
        let mut current: Option<(Sound, u32)> = None;
        let mut arrivals = arrivals.iter().peekable();
        let mut t = 0;
        while t < 1000 {
            if let Some((sound, started)) = &current
                && t >= started + length(sound)
            {
                log.push((sound.clone(), *started, t));
                current = queue.finished().map(|s| (s, t));
            }
            while let Some((at, c)) = arrivals.peek() {
                if *at > t {
                    break;
                }
                if let Some(s) = queue.push(c.clone()) {
                    assert!(current.is_none(), "started over another sound");
                    current = Some((s, t));
                }
                arrivals.next();
            }
            if current.is_none() && arrivals.peek().is_none() {
                break;
            }
            t += 1;
        }
        log
    }

    #[test]
    fn calls_during_a_play_come_after_it_chime_first() {
        let mut queue = CallQueue::new(true, true);
        let log = simulate(
            &mut queue,
            &[
                (0, call(1, "Sportello 1")),
                (2, call(2, "Sportello 2")),
                (3, call(1, "Sportello 1")),
            ],
        );
        let order: Vec<&Sound> = log.iter().map(|(s, _, _)| s).collect();
        assert_eq!(
            order,
            [
                &Sound::Chime,
                &Sound::Voice(call(1, "Sportello 1")),
                &Sound::Chime,
                &Sound::Voice(call(2, "Sportello 2")),
                &Sound::Chime,
                &Sound::Voice(call(1, "Sportello 1")),
            ]
        );
        for pair in log.windows(2) {
            assert!(pair[1].1 >= pair[0].2, "{pair:?} overlap");
        }
        assert_eq!(log.last().map(|l| l.2), Some(15));
        assert_eq!(queue.playing(), None);
    }

    #[test]
    fn voice_off_leaves_the_chime_and_both_off_leave_silence() {
        let mut queue = CallQueue::new(true, false);
        assert_eq!(queue.push(call(1, "S 1")), Some(Sound::Chime));
        assert_eq!(queue.push(call(2, "S 2")), None);
        assert_eq!(queue.finished(), Some(Sound::Chime));
        assert_eq!(queue.finished(), None);
        let mut silent = CallQueue::new(false, false);
        assert_eq!(silent.push(call(1, "S 1")), None);
        assert_eq!(silent.waiting(), 0);
    }
}
