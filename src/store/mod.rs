//! Persistence: one diesel connection type over SQLite and PostgreSQL, an r2d2 pool,
//! embedded migrations and the repositories.
//!
//! Every database call goes through [`Store::read`] or [`Store::write`], which:
//! 1. run the closure on tokio's blocking pool (diesel is synchronous; the async
//!    executor threads never wait on the database),
//! 2. open a transaction and, on PostgreSQL, set the caller's [`Scope`] as
//!    transaction-local settings that the row-level security policies read,
//! 3. map diesel errors onto [`StoreError`].
//!
//! SQLite allows one writer at a time, so writes go through a single dedicated
//! connection and never race each other for the lock; reads use the pool (WAL mode).

pub mod repo;
pub mod schema;

use crate::tenancy::Scope;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::sync::Arc;
use std::time::Duration;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection type for both backends; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("{0}")]
    UniqueViolation(String),
    #[error("{0}")]
    ForeignKeyViolation(String),
    #[error("query failed: {0}")]
    Query(String),
}

impl From<diesel::result::Error> for StoreError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StoreError::UniqueViolation(format!("already exists ({})", info.message()))
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                StoreError::ForeignKeyViolation("a referenced object does not exist".into())
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                StoreError::Unavailable(info.message().to_string())
            }
            other => StoreError::Query(other.to_string()),
        }
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

/// Opens connections for the pool and prepares each one (SQLite pragmas).
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
    /// Set while the last attempt to connect failed (the database is down or unreachable).
    failing: Arc<std::sync::atomic::AtomicBool>,
}

/// How long a request waits for a connection while the database is known to be down, so
/// it answers `503 database_unavailable` at once instead of after the pool's full timeout
/// (which is for a busy pool, not a dead server).
const DOWN_CHECKOUT_TIMEOUT: Duration = Duration::from_millis(500);

impl ConnectionManager {
    pub fn new(url: &str) -> Self {
        let backend = if url.starts_with("sqlite://") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        Self {
            url: url.to_string(),
            backend,
            failing: Arc::default(),
        }
    }

    fn sqlite_path(&self) -> &str {
        self.url.trim_start_matches("sqlite://")
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = diesel::ConnectionError;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        let conn = self.open();
        self.failing
            .store(conn.is_err(), std::sync::atomic::Ordering::Relaxed);
        conn
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

impl ConnectionManager {
    fn open(&self) -> Result<DbConn, diesel::ConnectionError> {
        match self.backend {
            Backend::Postgres => Ok(DbConn::Postgres(diesel::PgConnection::establish(
                &self.url,
            )?)),
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(self.sqlite_path())?;
                // WAL lets readers proceed during a write; the busy timeout makes a second
                // process (e.g. `voxflow admin bootstrap` beside `serve`) wait instead of failing.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                )
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;
type PooledConn = r2d2::PooledConnection<ConnectionManager>;

/// Pool statistics for `/metrics` and `/readyz`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub connections: u32,
    pub idle: u32,
    pub max: u32,
}

#[derive(Clone)]
pub struct Store {
    backend: Backend,
    readers: Pool,
    writer: Pool,
    /// Committed job events go here (see `crate::realtime`).
    hub: crate::realtime::Hub,
    /// Moves whenever what authenticates a request may have changed (`crate::auth::cache`).
    auth: Arc<AuthChanges>,
    /// Whether the last connection attempt failed (see [`DOWN_CHECKOUT_TIMEOUT`]).
    failing: Arc<std::sync::atomic::AtomicBool>,
}

/// The `auth_changes` counter as this process last read it, and the epoch of this
/// process's credential cache, which moves with it.
#[derive(Debug, Default)]
struct AuthChanges {
    last_seen: std::sync::atomic::AtomicI64,
    epoch: std::sync::atomic::AtomicU64,
}

#[derive(diesel::QueryableByName)]
struct AuthCounter {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

thread_local! {
    /// Job events appended by the transaction running on this thread; published to the
    /// hub only once it commits (SQLite; PostgreSQL publishes through LISTEN/NOTIFY).
    static OUTBOX: std::cell::RefCell<Vec<repo::jobs::JobEventRow>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Records an event to publish when the current transaction commits.
pub fn publish_after_commit(event: &repo::jobs::JobEventRow) {
    OUTBOX.with(|o| o.borrow_mut().push(event.clone()));
}

impl Store {
    /// Connects (creating the SQLite file and its directory if needed) and runs migrations.
    pub fn open(url: &str, pool_size: u32) -> Result<Self, StoreError> {
        let manager = ConnectionManager::new(url);
        if manager.backend == Backend::Sqlite {
            let path = std::path::Path::new(manager.sqlite_path());
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Unavailable(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
        }
        let build = |size: u32| {
            r2d2::Pool::builder()
                .max_size(size)
                .min_idle(Some(0))
                .connection_timeout(Duration::from_secs(10))
                .build(manager.clone())
        };
        let readers = build(pool_size)?;
        let writer = match manager.backend {
            Backend::Sqlite => build(1)?,
            Backend::Postgres => readers.clone(),
        };
        let store = Store {
            backend: manager.backend,
            readers,
            writer,
            hub: crate::realtime::Hub::new(),
            auth: Arc::default(),
            failing: manager.failing.clone(),
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Replaces the hub with one buffering `capacity` events (before anyone subscribes).
    pub fn with_hub_capacity(mut self, capacity: usize) -> Self {
        self.hub = crate::realtime::Hub::with_capacity(capacity);
        self
    }

    /// The hub committed job events are published to.
    pub fn hub(&self) -> &crate::realtime::Hub {
        &self.hub
    }

    /// The credential cache's epoch: it moves (and every cached credential is forgotten)
    /// when a write of this process changes an account, membership, tenant, reseller, plan
    /// or API key, and when the listener hears another process did (`voxflow_auth`).
    pub fn auth_epoch(&self) -> u64 {
        self.auth.epoch.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Moves the credential cache's epoch (see [`Store::auth_epoch`]).
    pub fn auth_changed(&self) {
        self.auth
            .epoch
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Called with the `auth_changes` counter a write transaction saw before committing.
    fn saw_auth_counter(&self, n: i64) {
        let before = self
            .auth
            .last_seen
            .swap(n, std::sync::atomic::Ordering::AcqRel);
        if before != n {
            self.auth_changed();
        }
    }

    /// Applies pending migrations; returns how many ran.
    pub fn migrate(&self) -> Result<usize, StoreError> {
        let mut conn = self.writer.get()?;
        let applied = match &mut *conn {
            DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConn::Postgres(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        }
        .map_err(|e| StoreError::Query(format!("migration failed: {e}")))?;
        Ok(applied)
    }

    /// Reverts every migration (used by the migration round-trip test).
    pub fn revert_all(&self) -> Result<(), StoreError> {
        let mut conn = self.writer.get()?;
        match &mut *conn {
            DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
            DbConn::Postgres(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        }
        .map_err(|e| StoreError::Query(format!("revert failed: {e}")))
    }

    pub fn pool_stats(&self) -> PoolStats {
        let state = self.readers.state();
        PoolStats {
            connections: state.connections,
            idle: state.idle_connections,
            max: self.readers.max_size(),
        }
    }

    /// Runs `f` in a read transaction under `scope`.
    pub async fn read<T, F>(&self, scope: Scope, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(self.readers.clone(), scope, false, f).await
    }

    /// Runs `f` in a write transaction under `scope`.
    pub async fn write<T, F>(&self, scope: Scope, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(self.writer.clone(), scope, true, f).await
    }

    async fn run<T, F>(&self, pool: Pool, scope: Scope, writes: bool, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let span = tracing::Span::current();
        let store = self.clone();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let mut conn = Store::checkout(&pool, &store.failing)?;
            store.in_transaction(&mut conn, scope, writes, f)
        })
        .await
        .map_err(|e| StoreError::Query(format!("database task failed: {e}")))?
    }

    /// A connection from `pool`: waiting as long as the pool allows, unless the database
    /// is known to be down.
    fn checkout(
        pool: &Pool,
        failing: &std::sync::atomic::AtomicBool,
    ) -> Result<PooledConn, StoreError> {
        if failing.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(pool.get_timeout(DOWN_CHECKOUT_TIMEOUT)?);
        }
        Ok(pool.get()?)
    }

    /// Synchronous variant for the CLI and tests that hold no runtime.
    pub fn write_blocking<T>(
        &self,
        scope: Scope,
        f: impl FnOnce(&mut DbConn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = Store::checkout(&self.writer, &self.failing)?;
        self.in_transaction(&mut conn, scope, true, f)
    }

    /// Synchronous read, for code already on a blocking thread (a running node).
    pub fn read_blocking<T>(
        &self,
        scope: Scope,
        f: impl FnOnce(&mut DbConn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = Store::checkout(&self.readers, &self.failing)?;
        self.in_transaction(&mut conn, scope, false, f)
    }

    fn in_transaction<T>(
        &self,
        conn: &mut DbConn,
        scope: Scope,
        writes: bool,
        f: impl FnOnce(&mut DbConn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        OUTBOX.with(|o| o.borrow_mut().clear());
        let mut auth_counter = None;
        let result = conn
            .transaction::<T, TxError, _>(|conn| {
                set_scope(conn, scope)?;
                let out = f(conn).map_err(TxError::Store)?;
                // A write may have changed who is let in: the triggers of migration
                // `auth_changes` count such changes; read the count before committing.
                if writes {
                    auth_counter = diesel::sql_query("SELECT n FROM auth_changes WHERE id = 1")
                        .get_result::<AuthCounter>(conn)
                        .ok()
                        .map(|c| c.n);
                }
                Ok(out)
            })
            .map_err(|e| match e {
                TxError::Store(e) => e,
                TxError::Diesel(e) => e.into(),
            });
        if let (Ok(_), Some(n)) = (&result, auth_counter) {
            self.saw_auth_counter(n);
        }
        let events = OUTBOX.with(|o| std::mem::take(&mut *o.borrow_mut()));
        if result.is_ok() && self.backend == Backend::Sqlite {
            for event in events {
                self.hub.publish(event);
            }
        }
        result
    }

    /// Is the database answering? For `/readyz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.read(Scope::System, |conn| {
            conn.batch_execute("SELECT 1")?;
            Ok(())
        })
        .await
    }

    /// On PostgreSQL: does the service's role bypass row-level security (superuser or BYPASSRLS)?
    pub fn role_bypasses_rls(&self) -> Result<bool, StoreError> {
        #[derive(QueryableByName)]
        struct Bypass {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            bypass: bool,
        }
        let mut conn = self.readers.get()?;
        match &mut *conn {
            DbConn::Sqlite(_) => Ok(false),
            DbConn::Postgres(c) => {
                let row: Bypass = diesel::sql_query(
                    "SELECT (rolsuper OR rolbypassrls) AS bypass FROM pg_roles WHERE rolname = current_user",
                )
                .get_result(c)?;
                Ok(row.bypass)
            }
        }
    }
}

/// Lets a transaction closure return either kind of error.
enum TxError {
    Store(StoreError),
    Diesel(diesel::result::Error),
}

impl From<diesel::result::Error> for TxError {
    fn from(e: diesel::result::Error) -> Self {
        TxError::Diesel(e)
    }
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        TxError::Store(e)
    }
}

/// Publishes the scope to PostgreSQL's RLS policies for the current transaction only.
fn set_scope(conn: &mut DbConn, scope: Scope) -> Result<(), diesel::result::Error> {
    use diesel::sql_types::Text;
    if let DbConn::Postgres(pg) = conn {
        let text = |v: Option<uuid::Uuid>| v.map(|u| u.to_string()).unwrap_or_default();
        diesel::sql_query(
            "SELECT set_config('voxflow.scope', $1, true), set_config('voxflow.reseller_id', $2, true), \
             set_config('voxflow.tenant_id', $3, true)",
        )
        .bind::<Text, _>(scope.name())
        .bind::<Text, _>(text(scope.reseller_id()))
        .bind::<Text, _>(text(scope.tenant_id()))
        .execute(pg)?;
    }
    Ok(())
}

/// Switches the open transaction to `scope` for the statements after it (PostgreSQL's
/// row-level security reads it; SQLite has none). For a change the caller's own scope has
/// already authorised that must reach rows that scope does not see — erasing a person's
/// traces, cancelling a deleted tenant's jobs — in the same transaction as the checks.
pub fn switch_scope(conn: &mut DbConn, scope: Scope) -> Result<(), StoreError> {
    Ok(set_scope(conn, scope)?)
}

/// Current UTC time, truncated to microseconds so both backends store the same value.
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::microseconds(1)).unwrap_or(now)
}

/// A new time-ordered id: lists sort by id, and ids make stable pagination cursors.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod migration_tests {
    /// Diesel knows a migration by the timestamp before its name: two folders with the same
    /// one (made on two branches) would leave the second unrun as "already applied". Both
    /// backends also need the same list.
    #[test]
    fn migration_versions_are_unique_and_alike_on_both_backends() {
        let versions = |backend: &str| {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(backend);
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .expect("migrations dir")
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| !n.starts_with('.'))
                .collect();
            names.sort();
            names
        };
        let (sqlite, postgres) = (versions("sqlite"), versions("postgres"));
        assert_eq!(sqlite, postgres, "the same migrations on both backends");
        let mut seen = std::collections::HashSet::new();
        for name in &sqlite {
            let version = name.split('_').next().unwrap_or(name);
            assert!(
                seen.insert(version.to_owned()),
                "two migrations are version {version}: rename one ({name})"
            );
        }
    }
}
