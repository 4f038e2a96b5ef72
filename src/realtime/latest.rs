//! The latest event of each job this process has heard of, so that a poll whose ETag is
//! still current is answered `304` from memory (`GET /v1/jobs/{id}`).
//!
//! Only while the PostgreSQL listener is connected: every committed event of every process
//! then reaches [`super::Hub::publish`], which records it here, so what is here is at most
//! one notification (tens of milliseconds) behind the database — the same lag as the
//! WebSocket push. When the listener loses its connection the map is emptied and unused
//! until it is back (events meanwhile went unheard). On SQLite it is never used: a worker
//! process beside the API would write events this process never hears of; there the poll
//! reads the job's sequence number from the database (one in-process read).
//!
//! A job unknown here is answered from the database, which then records what it read
//! ([`LatestEvents::remember`]), unless the map was emptied meanwhile.

use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

/// Jobs remembered; past this the map starts over (polls of the others read the database
/// once each).
const CAPACITY: usize = 200_000;

/// A job's latest event as this process knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latest {
    pub tenant_id: String,
    pub seq: i64,
    pub at: NaiveDateTime,
}

#[derive(Debug, Default)]
pub struct LatestEvents {
    jobs: Mutex<HashMap<String, Latest>>,
    /// Whether every committed event reaches this process (the listener is connected).
    live: AtomicBool,
    /// Moves whenever the map is emptied, so a database read from before cannot refill it.
    generation: AtomicU64,
}

impl LatestEvents {
    /// A job's latest event, when this process can vouch for it.
    pub fn get(&self, job_id: &str) -> Option<Latest> {
        if !self.live.load(Ordering::Acquire) {
            return None;
        }
        self.lock().get(job_id).cloned()
    }

    /// The generation to hand back to [`LatestEvents::remember`] (read it before the
    /// database read).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Records an event just published (the newest of its job wins).
    pub fn record(&self, job_id: &str, latest: Latest) {
        let mut jobs = self.lock();
        if jobs.len() >= CAPACITY && !jobs.contains_key(job_id) {
            jobs.clear();
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
        match jobs.get_mut(job_id) {
            Some(known) if known.seq >= latest.seq => {}
            Some(known) => *known = latest,
            None => {
                jobs.insert(job_id.to_string(), latest);
            }
        }
    }

    /// Records what a database read found, read under `generation`: ignored if the map
    /// was emptied since (or is not live), never older than what is known.
    pub fn remember(&self, job_id: &str, latest: Latest, generation: u64) {
        if !self.live.load(Ordering::Acquire) {
            return;
        }
        let jobs = self.lock();
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        drop(jobs);
        self.record(job_id, latest);
    }

    /// The listener connected (`true`: from here on every event is heard) or lost its
    /// connection (`false`). Either way what was known is forgotten.
    pub fn set_live(&self, live: bool) {
        let mut jobs = self.lock();
        jobs.clear();
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.live.store(live, Ordering::Release);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Latest>> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seq: i64, tenant: &str) -> Latest {
        Latest {
            tenant_id: tenant.into(),
            seq,
            at: chrono::DateTime::from_timestamp(seq, 0)
                .expect("time")
                .naive_utc(),
        }
    }

    #[test]
    fn only_live_and_only_forward() {
        let latest = LatestEvents::default();
        latest.record("j", at(3, "t"));
        assert_eq!(latest.get("j"), None, "not live: never vouched for");
        latest.set_live(true);
        assert_eq!(latest.get("j"), None, "going live forgets");
        latest.record("j", at(3, "t"));
        latest.record("j", at(2, "t"));
        assert_eq!(
            latest.get("j").map(|l| l.seq),
            Some(3),
            "an older event never wins"
        );
        // A database read from before the connection dropped does not refill the map.
        let generation = latest.generation();
        latest.set_live(false);
        latest.set_live(true);
        latest.remember("k", at(1, "t"), generation);
        assert_eq!(latest.get("k"), None);
        let generation = latest.generation();
        latest.remember("k", at(1, "t"), generation);
        assert_eq!(latest.get("k").map(|l| l.seq), Some(1));
        latest.set_live(false);
        assert_eq!(latest.get("k"), None);
    }
}
