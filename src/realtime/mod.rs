//! Real-time job events: an in-process hub every WebSocket session subscribes to.
//!
//! Events reach the hub after their transaction commits — on SQLite straight from the
//! committing thread (one process), on PostgreSQL through `LISTEN voxflow_job_events`
//! (a trigger NOTIFYs on every insert), so a worker in any process reaches clients
//! connected to any API process. The hub is a bounded broadcast channel: publishing never
//! waits, and a session that falls behind is told so and catches up from the event table.

pub mod listener;
pub mod ws;

use crate::store::repo::jobs::JobEventRow;
use std::sync::Arc;
use tokio::sync::broadcast;

/// Events buffered for sessions that fall behind before they must resync (the default of
/// `VOXFLOW_WS_BUFFER_EVENTS`).
const HUB_CAPACITY: usize = 4096;

#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<Arc<JobEventRow>>,
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
        let (tx, _) = broadcast::channel(capacity.max(1));
        Self { tx }
    }

    /// Hands an event to every current subscriber; never blocks.
    pub fn publish(&self, event: JobEventRow) {
        let _ = self.tx.send(Arc::new(event));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<JobEventRow>> {
        self.tx.subscribe()
    }
}
