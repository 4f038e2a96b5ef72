//! The data lifecycle (docs/data-lifecycle.md, docs/data-export.md): exporting a tenant or a
//! person, erasing people, and the sweeper that purges deleted tenants, expired exports and
//! what outlived its retention.

pub mod erasure;
pub mod export;
pub mod sweeper;
