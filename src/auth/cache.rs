//! Authenticated credentials, remembered for a few seconds per process, so that a client
//! polling with the same token or API key is not re-checked against the database on every
//! request (the account, its membership, its tenant and reseller, the plan: several
//! queries).
//!
//! An entry is used only while **nothing that decides who is let in has changed**: the
//! `auth_changes` triggers count every change to an account's status, role or session
//! epoch, a membership, a tenant's or reseller's standing or plan, a plan, an API key
//! (revoked, expired, rescoped, deleted); the store's epoch moves with that count
//! ([`crate::store::Store::auth_epoch`]) — at once in the process that made the change, and
//! in every other process when the PostgreSQL listener hears `voxflow_auth` — and an entry
//! from an older epoch is never used. [`TTL`] bounds the rest (an API key's own
//! `expires_at` is checked on every hit; a SQLite database shared with another process,
//! e.g. the CLI, is seen within it).
//!
//! Only successes are kept; a refused credential is checked again every time.

use crate::plan_features::PlanFeatures;
use crate::tenancy::Principal;
use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The longest an entry is used, whatever else happens.
pub const TTL: Duration = Duration::from_secs(10);
/// Entries kept; past this the cache starts over (each credential is checked once again).
const CAPACITY: usize = 100_000;

/// What identifies a verified credential: an access token by everything its standing check
/// depends on, an API key by its digest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CredentialKey {
    Token {
        sub: Uuid,
        tenant: Option<Uuid>,
        session_epoch: i64,
        iat: i64,
    },
    ApiKey(String),
}

/// A cached credential: who it is and what its tenant's plan allows (for the rate limits).
#[derive(Debug, Clone)]
pub struct Verified {
    pub principal: Principal,
    pub features: Option<PlanFeatures>,
    /// An API key's own expiry.
    pub expires_at: Option<NaiveDateTime>,
}

#[derive(Debug)]
struct Entry {
    verified: Verified,
    epoch: u64,
    at: Instant,
}

#[derive(Debug, Default)]
pub struct CredentialCache {
    entries: Mutex<HashMap<CredentialKey, Entry>>,
}

impl CredentialCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The credential as verified under `epoch` (the store's current one), if still valid.
    pub fn get(&self, key: &CredentialKey, epoch: u64) -> Option<Verified> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(key)?;
        let expired = entry
            .verified
            .expires_at
            .is_some_and(|exp| exp <= crate::store::now());
        if entry.epoch != epoch || entry.at.elapsed() >= TTL || expired {
            entries.remove(key);
            return None;
        }
        Some(entry.verified.clone())
    }

    /// Remembers a credential verified by reads that began under `epoch` (read before
    /// them: a change during the reads moves the epoch and voids the entry).
    pub fn put(&self, key: CredentialKey, epoch: u64, verified: Verified) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                verified,
                epoch,
                at: Instant::now(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenancy::{Credential, Role};

    fn verified(expires_at: Option<NaiveDateTime>) -> Verified {
        Verified {
            principal: Principal {
                user_id: Uuid::now_v7(),
                role: Role::Member,
                tenant_id: Some(Uuid::now_v7()),
                reseller_id: None,
                credential: Credential::AccessToken,
                read_only: None,
            },
            features: None,
            expires_at,
        }
    }

    #[test]
    fn entries_last_only_within_their_epoch_and_expiry() {
        let cache = CredentialCache::new();
        let key = CredentialKey::ApiKey("digest".into());
        cache.put(key.clone(), 3, verified(None));
        assert!(cache.get(&key, 3).is_some());
        assert!(cache.get(&key, 4).is_none(), "a change voids it");
        assert!(cache.get(&key, 3).is_none(), "and it is gone");
        let past = crate::store::now() - chrono::TimeDelta::seconds(1);
        cache.put(key.clone(), 3, verified(Some(past)));
        assert!(cache.get(&key, 3).is_none(), "an expired key is not let in");
        let other = CredentialKey::Token {
            sub: Uuid::now_v7(),
            tenant: None,
            session_epoch: 1,
            iat: 2,
        };
        assert!(cache.get(&other, 3).is_none());
    }
}
