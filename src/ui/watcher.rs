//! The watcher: a terminal learns that another one changed the register.

use std::time::Duration;

use super::app::Message;
use crate::store::{ChangeFeed, Location, StoreError};

/// How long one wait on the feed lasts: also how soon a lost feed is opened again.
pub const WATCH_INTERVAL: Duration = Duration::from_secs(1);
/// A tick even without changes, for the minutes-waiting counters and midnight.
pub const MINUTE_TICKS: u32 = 60;

struct Watcher {
    location: Location,
    feed: Option<Box<dyn ChangeFeed>>,
    quiet: u32,
    /// The server could not be reached (the feed's connection dropped, or could not be
    /// made): said once, as `ServerLost`, and its return once, as `ServerBack`.
    lost: bool,
}

/// What one round of watching saw.
enum Seen {
    Change,
    Nothing,
    /// The server is not reachable (never a file: a register file that cannot be opened
    /// is the app's to report, as it always was).
    Unreachable,
    /// A feed was opened (again).
    Opened,
}

/// `Tick` when anything was committed (by this terminal or another PC) and once a minute
/// otherwise; on a server, `ServerLost` as soon as the feed's connection drops (within
/// [`WATCH_INTERVAL`] and a connect timeout) and `ServerBack` when a feed is open again,
/// after which the app reloads everything (notifications sent meanwhile were lost). The
/// feed waits on a blocking thread; an idle terminal gets no message, so it redraws
/// nothing and sits near 0% CPU.
pub fn watch(location: &Location) -> impl iced::futures::Stream<Item = Message> + use<> {
    let start = Watcher {
        location: location.clone(),
        feed: None,
        quiet: 0,
        lost: false,
    };
    iced::futures::stream::unfold(start, |mut w| async move {
        loop {
            let location = w.location.clone();
            let feed = w.feed.take();
            let (feed, seen) = tokio::task::spawn_blocking(move || look(&location, feed))
                .await
                .unwrap_or((None, Seen::Nothing));
            w.feed = feed;
            w.quiet += 1;
            match seen {
                Seen::Unreachable if !w.lost => {
                    w.lost = true;
                    return Some((Message::ServerLost, w));
                }
                Seen::Opened if w.lost => {
                    w.lost = false;
                    w.quiet = 0;
                    return Some((Message::ServerBack, w));
                }
                Seen::Change => {
                    w.quiet = 0;
                    return Some((Message::Tick, w));
                }
                _ if w.quiet >= MINUTE_TICKS => {
                    w.quiet = 0;
                    return Some((Message::Tick, w));
                }
                _ => {}
            }
        }
    })
}

/// One round, on a blocking thread: open the feed if there is none (a failure waits
/// [`WATCH_INTERVAL`] before the next try), else wait on it for up to [`WATCH_INTERVAL`].
fn look(
    location: &Location,
    feed: Option<Box<dyn ChangeFeed>>,
) -> (Option<Box<dyn ChangeFeed>>, Seen) {
    let unreachable = |e: &StoreError| matches!(e, StoreError::Unreachable { .. });
    let mut feed = match feed {
        Some(feed) => feed,
        None => match crate::store::watch(location) {
            // Reported at once: changes may have been missed while there was no feed.
            Ok(feed) => return (Some(feed), Seen::Opened),
            Err(e) => {
                std::thread::sleep(WATCH_INTERVAL);
                let seen = if unreachable(&e) {
                    Seen::Unreachable
                } else {
                    Seen::Nothing
                };
                return (None, seen);
            }
        },
    };
    match feed.wait(WATCH_INTERVAL) {
        Ok(true) => (Some(feed), Seen::Change),
        Ok(false) => (Some(feed), Seen::Nothing),
        Err(e) if unreachable(&e) => (None, Seen::Unreachable),
        Err(_) => (None, Seen::Nothing),
    }
}
