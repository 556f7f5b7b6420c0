//! The watcher: a terminal learns that another one changed the register.

use std::time::Duration;

use super::app::Message;
use crate::store::{ChangeFeed, Location};

/// How long one wait on the feed lasts: also how soon a lost feed is opened again.
pub const WATCH_INTERVAL: Duration = Duration::from_secs(1);
/// A tick even without changes, for the minutes-waiting counters and midnight.
pub const MINUTE_TICKS: u32 = 60;

struct Watcher {
    location: Location,
    feed: Option<Box<dyn ChangeFeed>>,
    quiet: u32,
}

/// `Tick` when anything was committed (by this terminal or another PC) and once a minute
/// otherwise. The feed waits on a blocking thread; an idle terminal gets no message, so it
/// redraws nothing and sits near 0% CPU.
pub fn watch(location: &Location) -> impl iced::futures::Stream<Item = Message> + use<> {
    let start = Watcher {
        location: location.clone(),
        feed: None,
        quiet: 0,
    };
    iced::futures::stream::unfold(start, |mut w| async move {
        loop {
            let location = w.location.clone();
            let feed = w.feed.take();
            // Until the register can be reached (the app reports why), just keep trying.
            let (feed, changed) = tokio::task::spawn_blocking(move || {
                let mut feed = match feed {
                    Some(feed) => feed,
                    None => match crate::store::watch(&location) {
                        Ok(feed) => feed,
                        Err(_) => {
                            std::thread::sleep(WATCH_INTERVAL);
                            return (None, false);
                        }
                    },
                };
                match feed.wait(WATCH_INTERVAL) {
                    Ok(changed) => (Some(feed), changed),
                    Err(_) => (None, false),
                }
            })
            .await
            .unwrap_or((None, false));
            w.feed = feed;
            w.quiet += 1;
            if changed || w.quiet >= MINUTE_TICKS {
                w.quiet = 0;
                return Some((Message::Tick, w));
            }
        }
    })
}
