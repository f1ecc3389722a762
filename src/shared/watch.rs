//! Keeping a long-running front end's slice current: poll the collection's
//! version (one small query), say when to reload, and when the database does
//! not answer, say how old the slice is and back off.
//!
//! Polling, not `LISTEN`: a version query every half minute from each of 500
//! editors is under 20 queries a second, needs no session held open through
//! a pooler, and notices a database that went away.

use std::time::{Duration, Instant};

use super::{offline_message, SharedStore};

/// How often a healthy database is asked; `REFNOTES_SHARED_POLL_SECS` changes it.
const DEFAULT_POLL: Duration = Duration::from_secs(30);
/// The first retry after a failure; doubled each time, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(5);
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// What a poll found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WatchEvent {
    /// The slice is the visible version.
    Current,
    /// A new version is visible (or the database is back): reload the slice.
    Changed { version: i64 },
    /// The database did not answer; the status line to show.
    Offline { message: String },
}

/// The state of one watched collection.
pub struct Watch {
    collection: String,
    version: Option<i64>,
    /// When the database last confirmed the slice's version.
    confirmed: Instant,
    failures: u32,
    poll: Duration,
}

impl Watch {
    /// Watches `collection`, whose slice is at `version` (`None`: no slice
    /// yet) and was confirmed `age` ago.
    pub fn new(collection: &str, version: Option<i64>, age: Duration) -> Watch {
        let poll = std::env::var("REFNOTES_SHARED_POLL_SECS")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| *s > 0.0)
            .map_or(DEFAULT_POLL, Duration::from_secs_f64);
        Watch {
            collection: collection.to_string(),
            version,
            confirmed: Instant::now().checked_sub(age).unwrap_or_else(Instant::now),
            failures: 0,
            poll,
        }
    }

    /// Asks `store` for the version (blocking: call it off the async
    /// workers); returns what it found and how long to wait before the next poll.
    pub fn poll(&mut self, store: &dyn SharedStore) -> (WatchEvent, Duration) {
        self.observe(store.version(&self.collection))
    }

    /// [`Watch::poll`] with the store's answer given.
    pub fn observe(&mut self, answer: anyhow::Result<Option<i64>>) -> (WatchEvent, Duration) {
        match answer {
            Ok(Some(version)) => {
                let was_offline = self.failures > 0;
                self.failures = 0;
                self.confirmed = Instant::now();
                let event = if Some(version) != self.version || was_offline {
                    WatchEvent::Changed { version }
                } else {
                    WatchEvent::Current
                };
                (event, self.poll)
            }
            Ok(None) => self.failed(format!(
                "there is no collection {} (or this user's role may not read it)",
                self.collection
            )),
            Err(error) => self.failed(format!("{error:#}")),
        }
    }

    /// How long to wait between polls of a healthy database.
    pub fn interval(&self) -> Duration {
        self.poll
    }

    /// The reload after [`WatchEvent::Changed`] brought the slice to `version`.
    pub fn reloaded(&mut self, version: i64) {
        self.version = Some(version);
    }

    fn failed(&mut self, error: String) -> (WatchEvent, Duration) {
        let backoff = FIRST_BACKOFF
            .saturating_mul(1 << self.failures.min(10))
            .min(MAX_BACKOFF);
        self.failures += 1;
        let message = offline_message(self.confirmed.elapsed(), &error);
        (WatchEvent::Offline { message }, backoff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused() -> anyhow::Result<Option<i64>> {
        Err(anyhow::anyhow!("connection refused"))
    }

    #[test]
    fn changes_are_reported_once_and_failures_back_off() {
        let mut watch = Watch::new("desk", Some(1), Duration::from_secs(180));
        watch.poll = Duration::from_secs(600);
        assert_eq!(
            watch.observe(Ok(Some(1))),
            (WatchEvent::Current, Duration::from_secs(600))
        );
        assert_eq!(
            watch.observe(Ok(Some(2))).0,
            WatchEvent::Changed { version: 2 }
        );
        watch.reloaded(2);
        assert_eq!(watch.observe(Ok(Some(2))).0, WatchEvent::Current);
        let (event, first) = watch.observe(refused());
        assert_eq!(
            event,
            WatchEvent::Offline {
                message: "refnotes: shared index offline, 0 min old (connection refused)".into()
            }
        );
        let (_, second) = watch.observe(refused());
        assert_eq!(
            (first, second),
            (Duration::from_secs(5), Duration::from_secs(10))
        );
        for _ in 0..10 {
            watch.observe(refused());
        }
        assert_eq!(watch.observe(refused()).1, MAX_BACKOFF);
        // Back: reload, whatever the version, since the slice may be stale.
        assert_eq!(
            watch.observe(Ok(Some(2))).0,
            WatchEvent::Changed { version: 2 }
        );
        assert_eq!(watch.observe(Ok(Some(2))).0, WatchEvent::Current);
    }

    #[test]
    fn the_age_is_the_slices() {
        let mut watch = Watch::new("desk", Some(1), Duration::from_secs(3 * 60 + 5));
        let (event, _) = watch.observe(Err(anyhow::anyhow!("timed out")));
        assert_eq!(
            event,
            WatchEvent::Offline {
                message: "refnotes: shared index offline, 3 min old (timed out)".into()
            }
        );
        let mut gone = Watch::new("desk", Some(1), Duration::ZERO);
        let (event, _) = gone.observe(Ok(None));
        assert!(
            matches!(&event, WatchEvent::Offline { message } if message.contains("no collection desk")),
            "{event:?}"
        );
    }
}
