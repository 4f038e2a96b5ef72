//! Real-time job events: an in-process hub every WebSocket session subscribes to.
//!
//! Events reach the hub after their transaction commits — on SQLite straight from the
//! committing thread (one process), on PostgreSQL through `LISTEN voxflow_job_events`
//! (a trigger NOTIFYs on every insert), so a worker in any process reaches clients
//! connected to any API process. The hub is one bounded broadcast channel per tenant with
//! listeners: an event enters only its own tenant's sessions' queues, publishing never waits,
//! and a session that falls behind is told so and catches up from the event table. The hub
//! also counts each tenant's sessions and job subscriptions, which are bounded.
//!
//! Each event is serialised once, when it is published ([`HubEvent::json`]); every session
//! that forwards it sends the same shared bytes (with 1,000 sessions of a tenant that is one
//! JSON encoding instead of 1,000).

pub mod latest;
pub mod listener;
pub mod ws;

use crate::store::repo::jobs::JobEventRow;
use bytestring::ByteString;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// Events buffered per tenant for sessions that fall behind before they must resync (the
/// default of `VOXFLOW_WS_BUFFER_EVENTS`).
const HUB_CAPACITY: usize = 4096;

/// An event as the hub hands it to sessions: the row (for routing and gap checks) and its
/// wire form, encoded once.
#[derive(Debug)]
pub struct HubEvent {
    pub row: JobEventRow,
    pub json: ByteString,
}

/// The wire form of a job event (a `JobEventView`): `{type, job_id, seq, time, data}`.
pub fn envelope(e: &JobEventRow) -> String {
    serde_json::json!({
        "type": e.event_type,
        "job_id": e.job_id,
        "seq": e.seq,
        "time": e.at.and_utc(),
        "data": serde_json::from_str::<serde_json::Value>(&e.data).unwrap_or_default(),
    })
    .to_string()
}

/// One broadcast channel per tenant with listeners: an event reaches only the sessions of
/// its own tenant (never another tenant's queue), and one tenant's burst cannot make
/// another tenant's sessions lag.
#[derive(Clone)]
pub struct Hub {
    capacity: usize,
    channels: Arc<Mutex<HashMap<String, broadcast::Sender<Arc<HubEvent>>>>>,
    sessions: Arc<Mutex<HashMap<String, TenantSessions>>>,
    /// Each job's latest event, for `304`s from memory (`latest`).
    latest: Arc<latest::LatestEvents>,
    /// Counts the times the hub may have missed events (the listener reconnected); every
    /// session then catches up from the event log.
    resyncs: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    pub fn new() -> Self {
        Self::with_capacity(HUB_CAPACITY)
    }

    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            channels: Arc::default(),
            sessions: Arc::default(),
            latest: Arc::default(),
            resyncs: Arc::new(tokio::sync::watch::channel(0).0),
        }
    }

    /// Tells every session that events may have been missed (see `resyncs`).
    pub fn resync_all(&self) {
        self.resyncs.send_modify(|n| *n += 1);
    }

    /// Changes whenever [`Hub::resync_all`] is called.
    pub fn resyncs(&self) -> tokio::sync::watch::Receiver<u64> {
        self.resyncs.subscribe()
    }

    /// Each job's latest event as this process heard it (see `latest`).
    pub fn latest(&self) -> &latest::LatestEvents {
        &self.latest
    }

    /// Hands an event to every current subscriber of its tenant; never blocks. A tenant
    /// with no sessions in this process costs a map lookup (no encoding).
    pub fn publish(&self, event: JobEventRow) {
        self.latest.record(
            &event.job_id,
            latest::Latest {
                tenant_id: event.tenant_id.clone(),
                seq: event.seq,
                at: event.at,
            },
        );
        let tx = {
            let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
            match channels.get(&event.tenant_id) {
                Some(tx) => tx.clone(),
                None => return,
            }
        };
        let json = ByteString::from(envelope(&event));
        let tenant = event.tenant_id.clone();
        if tx.send(Arc::new(HubEvent { row: event, json })).is_err() {
            // Nobody listens any more: forget the channel (unless a session just opened one).
            let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
            if channels
                .get(&tenant)
                .is_some_and(|tx| tx.receiver_count() == 0)
            {
                channels.remove(&tenant);
            }
        }
    }

    /// The live events of `tenant_id` only.
    pub fn subscribe(&self, tenant_id: &str) -> broadcast::Receiver<Arc<HubEvent>> {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        channels
            .entry(tenant_id.to_string())
            .or_insert_with(|| broadcast::channel(self.capacity).0)
            .subscribe()
    }

    /// Registers a WebSocket session of `tenant_id`, unless the tenant already has
    /// `max_sessions` open. The session is counted until the guard is dropped.
    pub fn open_session(&self, tenant_id: &str, max_sessions: usize) -> Option<SessionGuard> {
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let entry = sessions.entry(tenant_id.to_string()).or_default();
        if entry.sessions >= max_sessions {
            return None;
        }
        entry.sessions += 1;
        Some(SessionGuard {
            registry: self.sessions.clone(),
            tenant_id: tenant_id.to_string(),
            subscriptions: 0,
        })
    }
}

/// Open sessions and job subscriptions of one tenant, across its sessions in this process.
#[derive(Debug, Default)]
struct TenantSessions {
    sessions: usize,
    subscriptions: usize,
}

/// One open session, counted against its tenant's limits until dropped.
pub struct SessionGuard {
    registry: Arc<Mutex<HashMap<String, TenantSessions>>>,
    tenant_id: String,
    subscriptions: usize,
}

impl SessionGuard {
    /// Takes one more job subscription for this session, unless the tenant's sessions
    /// already hold `max` together.
    pub fn add_subscription(&mut self, max: usize) -> bool {
        let mut map = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        let Some(entry) = map.get_mut(&self.tenant_id) else {
            return false;
        };
        if entry.subscriptions >= max {
            return false;
        }
        entry.subscriptions += 1;
        self.subscriptions += 1;
        true
    }

    /// Gives back `n` of this session's job subscriptions.
    pub fn remove_subscriptions(&mut self, n: usize) {
        let n = n.min(self.subscriptions);
        let mut map = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = map.get_mut(&self.tenant_id) {
            entry.subscriptions = entry.subscriptions.saturating_sub(n);
        }
        self.subscriptions -= n;
    }
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        let mut map = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = map.get_mut(&self.tenant_id) {
            entry.sessions = entry.sessions.saturating_sub(1);
            entry.subscriptions = entry.subscriptions.saturating_sub(self.subscriptions);
            if entry.sessions == 0 {
                map.remove(&self.tenant_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(tenant: &str, seq: i64) -> JobEventRow {
        JobEventRow {
            job_id: "j".into(),
            seq,
            tenant_id: tenant.into(),
            event_type: "test".into(),
            data: "{}".into(),
            at: chrono::Utc::now().naive_utc(),
        }
    }

    #[test]
    fn events_reach_only_their_tenants_receivers() {
        let hub = Hub::with_capacity(2);
        let mut a = hub.subscribe("a");
        let mut b = hub.subscribe("b");
        // Tenant b's burst overflows b's buffer only.
        for i in 0..5 {
            hub.publish(event("b", i));
        }
        hub.publish(event("a", 1));
        let got = a.try_recv().expect("a's event");
        assert_eq!(got.row.tenant_id, "a");
        // Encoded once, at publishing, as the wire envelope.
        let wire: serde_json::Value = serde_json::from_str(&got.json).expect("json");
        assert_eq!(
            (wire["type"].as_str(), wire["seq"].as_i64()),
            (Some("test"), Some(1))
        );
        assert!(a.try_recv().is_err(), "nothing of b in a's queue");
        assert!(matches!(
            b.try_recv(),
            Err(broadcast::error::TryRecvError::Lagged(_))
        ));
        // A tenant nobody listens to gets no channel; one whose listeners left loses it.
        hub.publish(event("c", 1));
        drop(a);
        hub.publish(event("a", 2));
        let channels = hub.channels.lock().expect("lock");
        assert!(!channels.contains_key("c") && !channels.contains_key("a"));
    }

    #[test]
    fn sessions_and_subscriptions_are_bounded_per_tenant() {
        let hub = Hub::new();
        let mut one = hub.open_session("a", 2).expect("first");
        let two = hub.open_session("a", 2).expect("second");
        assert!(hub.open_session("a", 2).is_none(), "third over the limit");
        assert!(
            hub.open_session("b", 2).is_some(),
            "other tenants unaffected"
        );
        drop(two);
        let mut three = hub.open_session("a", 2).expect("a slot was freed");
        assert!(one.add_subscription(3) && one.add_subscription(3));
        assert!(three.add_subscription(3));
        assert!(!three.add_subscription(3), "the tenant's sessions hold 3");
        one.remove_subscriptions(1);
        assert!(three.add_subscription(3));
        drop(one);
        assert!(three.add_subscription(3), "a closed session gives its back");
    }
}
