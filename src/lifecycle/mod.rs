//! The data lifecycle (docs/data-lifecycle.md): erasing people, and the sweeper that purges
//! deleted tenants and what outlived its retention.

pub mod erasure;
pub mod sweeper;
