//! The per-process cache of resolved branding.
//!
//! Two maps: a subject (the platform, a reseller, a tenant) → its rendered resolution (the
//! JSON body and its strong ETag, so a `304` costs no database trip), and a public host → the
//! subject it resolves to. Any change to branding empties both ([`BrandingCache::invalidate`]):
//! the writing handler does after its commit, and on PostgreSQL every process does when it
//! hears `NOTIFY voxflow_branding` (see `realtime::listener`). Changes are rare and
//! resolutions cheap, so dropping everything is simpler than tracking what depends on what.
//!
//! A reader that started before a change must not put its stale result back after the
//! change emptied the cache: every entry is stored with the generation read before the
//! database was, and is dropped unless the generation is still current. Entries also expire
//! after [`TTL`] (for a change no notification announces), and each map holds at most
//! [`MAX_ENTRIES`] (the public lookup takes any host name; a flood of them starts over).

use super::Subject;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long an entry lives at most.
pub const TTL: Duration = Duration::from_secs(60);
/// Entries per map before it is emptied.
pub const MAX_ENTRIES: usize = 10_000;

/// A resolution as served: the JSON body and its strong ETag.
#[derive(Debug)]
pub struct Rendered {
    pub body: String,
    pub etag: String,
}

#[derive(Default)]
struct Maps {
    resolved: HashMap<Subject, (Instant, Arc<Rendered>)>,
    hosts: HashMap<String, (Instant, Subject)>,
}

#[derive(Default)]
pub struct BrandingCache {
    maps: Mutex<Maps>,
    generation: AtomicU64,
    /// Warnings already logged by this process.
    warned: Mutex<HashSet<String>>,
}

impl BrandingCache {
    pub fn new() -> Self {
        Self::default()
    }

    fn maps(&self) -> std::sync::MutexGuard<'_, Maps> {
        self.maps.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Read before the database; pass to [`Self::put`] / [`Self::put_host`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub fn get(&self, subject: &Subject) -> Option<Arc<Rendered>> {
        let maps = self.maps();
        maps.resolved
            .get(subject)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, r)| r.clone())
    }

    pub fn put(&self, subject: Subject, generation: u64, rendered: Arc<Rendered>) {
        let mut maps = self.maps();
        if self.generation() != generation {
            return;
        }
        if maps.resolved.len() >= MAX_ENTRIES {
            maps.resolved.clear();
        }
        maps.resolved.insert(subject, (Instant::now(), rendered));
    }

    pub fn host(&self, host: &str) -> Option<Subject> {
        let maps = self.maps();
        maps.hosts
            .get(host)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, s)| s.clone())
    }

    pub fn put_host(&self, host: String, generation: u64, subject: Subject) {
        let mut maps = self.maps();
        if self.generation() != generation {
            return;
        }
        if maps.hosts.len() >= MAX_ENTRIES {
            maps.hosts.clear();
        }
        maps.hosts.insert(host, (Instant::now(), subject));
    }

    /// Forgets everything (a configuration, an asset or a tenant changed).
    pub fn invalidate(&self) {
        let mut maps = self.maps();
        // Under the lock: a `put` either ran before (and is cleared) or sees the new value.
        self.generation.fetch_add(1, Ordering::SeqCst);
        maps.resolved.clear();
        maps.hosts.clear();
    }

    /// Whether `key` is logged for the first time in this process.
    pub fn first_warning(&self, key: String) -> bool {
        let mut warned = self.warned.lock().unwrap_or_else(|e| e.into_inner());
        if warned.len() >= MAX_ENTRIES {
            warned.clear();
        }
        warned.insert(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(tag: &str) -> Arc<Rendered> {
        Arc::new(Rendered {
            body: "{}".into(),
            etag: tag.into(),
        })
    }

    #[test]
    fn a_result_read_before_a_change_is_not_kept() {
        let cache = BrandingCache::new();
        let before = cache.generation();
        cache.invalidate();
        cache.put(Subject::Platform, before, rendered("old"));
        assert!(cache.get(&Subject::Platform).is_none());
        let now = cache.generation();
        cache.put(Subject::Platform, now, rendered("new"));
        assert_eq!(
            cache.get(&Subject::Platform).map(|r| r.etag.clone()),
            Some("new".into())
        );
        cache.put_host("a.example".into(), now, Subject::Reseller("r".into()));
        assert_eq!(cache.host("a.example"), Some(Subject::Reseller("r".into())));
        cache.invalidate();
        assert!(cache.get(&Subject::Platform).is_none());
        assert!(cache.host("a.example").is_none());
    }

    #[test]
    fn warnings_are_logged_once() {
        let cache = BrandingCache::new();
        assert!(cache.first_warning("x".into()));
        assert!(!cache.first_warning("x".into()));
        cache.invalidate();
        assert!(!cache.first_warning("x".into()));
    }
}
