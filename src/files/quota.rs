//! Storage reserved by uploads in progress, per tenant (in this process).
//!
//! Without it every concurrent upload of a tenant saw the whole remaining quota and staged
//! up to that much on disk; only the final check (under a per-tenant database lock) kept
//! the *committed* total within the quota. Now an upload reserves bytes before it stages
//! them: the staged and committed total of a tenant never exceeds its quota.
//!
//! An upload's own view is `used` (the tenant's usage in the database, read once it has
//! registered) plus every byte reserved by the tenant's uploads in progress, plus the
//! uploads that committed after it registered (its `used` may predate them; counting one
//! twice only errs on the side of refusing). A reservation is released when it is dropped:
//! on failure, or after its row committed, when its bytes are in the database.
//!
//! A multipart file has no length of its own, so reservations grow chunk by chunk as bytes
//! arrive and the upload is refused as soon as its reservation cannot grow. When the
//! request has a `Content-Length`, the upload first reserves that much (or as much as is
//! left): of several concurrent uploads that cannot all fit, the first to start gets the
//! room and finishes, and the others are refused at their first bytes, instead of all of
//! them growing side by side until none fits. Reserving the whole remaining quota for an
//! upload of unknown length would instead block every other upload of the tenant for as
//! long as it runs, however small it turns out to be; growing it as it arrives is the
//! fair choice there, at the cost that concurrent unknown-length uploads which together
//! exceed the quota may each be refused.
//!
//! Per process: with several API processes each reserves its own uploads, and the check
//! under the database lock at commit still keeps the committed total within the quota.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

#[derive(Debug, Default, Clone)]
pub struct Reservations {
    inner: Arc<Mutex<HashMap<Uuid, Entry>>>,
}

#[derive(Debug, Default)]
struct Entry {
    /// Bytes reserved by the tenant's uploads in progress.
    reserved: u64,
    /// Uploads in progress (reservations alive).
    active: usize,
    /// Commits so far (while the entry lives).
    seq: u64,
    /// Committed uploads `(seq, bytes)`, kept until no upload that began before them is left.
    committed: Vec<(u64, u64)>,
}

/// One upload's share of its tenant's quota; released when dropped.
#[derive(Debug)]
pub struct Reservation {
    table: Reservations,
    tenant: Uuid,
    /// The entry's `seq` when this upload registered.
    since: u64,
    quota: u64,
    used: u64,
    bytes: u64,
}

impl Reservations {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Entry>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers an upload for `tenant`, with nothing reserved yet. Call it before reading
    /// the tenant's usage, then [`Reservation::set_usage`].
    pub fn begin(&self, tenant: Uuid) -> Reservation {
        let mut map = self.lock();
        let entry = map.entry(tenant).or_default();
        entry.active += 1;
        Reservation {
            table: self.clone(),
            tenant,
            since: entry.seq,
            quota: 0,
            used: 0,
            bytes: 0,
        }
    }

    /// Bytes reserved for `tenant` right now (for tests and metrics).
    pub fn reserved(&self, tenant: Uuid) -> u64 {
        self.lock().get(&tenant).map_or(0, |e| e.reserved)
    }
}

impl Reservation {
    /// The tenant's quota and its usage in the database, both in bytes.
    pub fn set_usage(&mut self, quota: u64, used: u64) {
        self.quota = quota;
        self.used = used;
    }

    fn available_in(&self, entry: &Entry) -> u64 {
        let committed_since: u64 = entry
            .committed
            .iter()
            .filter(|(seq, _)| *seq > self.since)
            .map(|(_, b)| b)
            .sum();
        self.quota
            .saturating_sub(self.used)
            .saturating_sub(entry.reserved)
            .saturating_sub(committed_since)
    }

    /// Bytes this upload could still add.
    pub fn available(&self) -> u64 {
        let map = self.table.lock();
        map.get(&self.tenant).map_or(0, |e| self.available_in(e))
    }

    /// Bytes reserved by this upload.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Reserves `n` more bytes; `Err(available)` if they do not fit (nothing changes).
    pub fn grow(&mut self, n: u64) -> Result<(), u64> {
        let mut map = self.table.lock();
        let Some(entry) = map.get_mut(&self.tenant) else {
            return Err(0);
        };
        let available = self.available_in(entry);
        if n > available {
            return Err(available);
        }
        entry.reserved += n;
        self.bytes += n;
        Ok(())
    }

    /// Reserves up to `n` more bytes, as many as fit; returns how many.
    pub fn grow_up_to(&mut self, n: u64) -> u64 {
        let mut map = self.table.lock();
        let Some(entry) = map.get_mut(&self.tenant) else {
            return 0;
        };
        let n = n.min(self.available_in(entry));
        entry.reserved += n;
        self.bytes += n;
        n
    }

    /// The upload committed `size` bytes: they are in the database now, and stay counted
    /// for the uploads that may have read the usage before this commit.
    pub fn committed(mut self, size: u64) {
        let mut map = self.table.lock();
        if let Some(entry) = map.get_mut(&self.tenant) {
            entry.reserved = entry.reserved.saturating_sub(self.bytes);
            entry.seq += 1;
            let seq = entry.seq;
            entry.committed.push((seq, size));
        }
        self.bytes = 0;
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let mut map = self.table.lock();
        if let Some(entry) = map.get_mut(&self.tenant) {
            entry.reserved = entry.reserved.saturating_sub(self.bytes);
            entry.active = entry.active.saturating_sub(1);
            if entry.active == 0 {
                map.remove(&self.tenant);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_reservations_share_the_quota_and_are_released() {
        let table = Reservations::default();
        let t = Uuid::now_v7();
        let mut a = table.begin(t);
        a.set_usage(10, 2);
        let mut b = table.begin(t);
        b.set_usage(10, 2);
        assert_eq!(a.grow_up_to(6), 6);
        assert_eq!(b.available(), 2);
        assert_eq!(b.grow(3), Err(2));
        b.grow(2).expect("fits");
        assert_eq!(table.reserved(t), 8);
        drop(b);
        assert_eq!(table.reserved(t), 6, "released on drop");
        // A commits 6 bytes; an upload that read the usage before stays within the quota.
        let mut c = table.begin(t);
        c.set_usage(10, 2);
        a.committed(6);
        assert_eq!(c.available(), 2, "10 - 2 used - 6 committed since c began");
        drop(c);
        assert_eq!(table.reserved(t), 0);
        assert!(table.lock().is_empty(), "entry gone with its last upload");
    }
}
