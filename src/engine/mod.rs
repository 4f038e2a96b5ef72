//! The workflow engine: graphs validated against the node registry (and, as it grows,
//! the job queue, workers and events).

pub mod admission;
pub mod graph;
pub mod queue;
pub mod worker;
