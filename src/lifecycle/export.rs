//! Data exports (docs/data-export.md): one ZIP archive of a tenant or of one person's data,
//! built by a background task in any process with workers and downloadable until it expires.
//!
//! A **tenant** archive holds every row of the tenant — each table that has a `tenant_id`
//! (found in the database's catalogue, so a table added later is exported without a change
//! here), the tenant's own row, its members' accounts, its branding images and its invoice
//! lines — as JSON lines in `tables/<table>.jsonl`; its uploaded files under
//! `files/<file id>/<name>` and its job artifacts under `artifacts/<job id>/<artifact id>-<name>`;
//! and `manifest.json`, which lists every other entry with its size and SHA-256.
//! A **personal** archive holds the person's account, memberships, keys, sessions, the audit
//! entries by or about them, the invitations and mails to their address and the rows they
//! created.
//!
//! Secrets never leave: password, key and token hashes, sealed third-party keys and webhook
//! signing secrets are dropped from the rows (the manifest names the columns dropped).
//! The rows are read in one read transaction: one snapshot on SQLite; on PostgreSQL (read
//! committed) each page sees what had committed when it ran.

use crate::storage::BlobStore;
use crate::store::repo::data_exports::{Built, ExportRow};
use crate::store::{repo, DbConn, Store, StoreError};
use crate::tenancy::Scope;
use chrono::TimeDelta;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::time::Duration;

/// The archive format, in its manifest.
pub const FORMAT: &str = "voxflow-export/1";

/// Columns that hold secrets (or digests of them): never exported.
const SECRET_COLUMNS: &[&str] = &[
    "password_hash",
    "key_hash",
    "token_hash",
    "secret",
    "webhook_secret",
    "api_key_sealed",
    "value_sealed",
    "authorization_sha256",
];

/// Columns naming the person who did or owns something, for personal exports.
const PERSON_COLUMNS: &[&str] = &["user_id", "created_by", "actor_user_id", "invited_by"];

/// Rows read per query (keyset pages by `id`), so no table is held in memory whole.
const PAGE: i64 = 2000;

/// How many times an export is tried before it is given up.
const MAX_ATTEMPTS: i32 = 3;

#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// How long a built archive stays downloadable.
    pub ttl: TimeDelta,
    /// How often a process looks for exports queued by another process.
    pub poll: Duration,
    /// A build not finished after this long is taken over (its process died).
    pub stale: TimeDelta,
}

impl ExportOptions {
    pub fn from_settings(settings: &crate::config::Settings) -> Self {
        ExportOptions {
            ttl: TimeDelta::seconds(settings.export_ttl_secs),
            poll: Duration::from_secs(5),
            stale: TimeDelta::minutes(30),
        }
    }
}

/// Builds queued exports until the process ends; `wake` is notified when one is queued here.
pub async fn run(
    store: Store,
    blobs: BlobStore,
    opts: ExportOptions,
    wake: Arc<tokio::sync::Notify>,
) {
    loop {
        match build_next(&store, &blobs, &opts).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "data export step failed; retrying"),
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(opts.poll) => {}
        }
    }
}

/// Claims and builds one export; `false` when none was waiting.
pub async fn build_next(
    store: &Store,
    blobs: &BlobStore,
    opts: &ExportOptions,
) -> Result<bool, StoreError> {
    let stale = opts.stale;
    let Some(row) = store
        .write(Scope::System, move |c| {
            repo::data_exports::claim_next(c, crate::store::now(), stale)
        })
        .await?
    else {
        return Ok(false);
    };
    let id = row.id.clone();
    let built = {
        let blobs = blobs.clone();
        let row = row.clone();
        // One read transaction: the archive is written from inside it, on the blocking pool.
        store
            .read(Scope::System, move |c| Ok(build(c, &blobs, &row)))
            .await?
    };
    let now = crate::store::now();
    match built {
        Ok(built) => {
            let expires_at = now + opts.ttl;
            let key = built.storage_key.clone();
            let recorded = store
                .write(Scope::System, move |c| {
                    repo::data_exports::succeed(c, &id, &built, now, expires_at)
                })
                .await?;
            if !recorded {
                // Purged or erased while it was being built.
                super::sweeper::remove_export_archives(blobs, vec![key]).await;
            }
            tracing::info!(export_id = %row.id, kind = %row.kind, "data export built");
        }
        Err(e) => {
            tracing::error!(export_id = %row.id, error = %e, attempt = row.attempts, "data export failed");
            let retry = row.attempts < MAX_ATTEMPTS;
            let message = if retry {
                "the archive could not be written; it will be tried again"
            } else {
                "the archive could not be written"
            };
            store
                .write(Scope::System, move |c| {
                    repo::data_exports::fail(c, &id, message, retry, now)
                })
                .await?;
        }
    }
    Ok(true)
}

/// What goes wrong building an archive.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error(transparent)]
    Zip(#[from] zip::result::ZipError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl From<diesel::result::Error> for BuildError {
    fn from(e: diesel::result::Error) -> Self {
        BuildError::Store(e.into())
    }
}

/// Writes the archive of `row` next to where it belongs and moves it into place once
/// complete; a failed build leaves no file behind.
fn build(conn: &mut DbConn, blobs: &BlobStore, row: &ExportRow) -> Result<Built, BuildError> {
    let export_id = uuid::Uuid::parse_str(&row.id).map_err(io::Error::other)?;
    let tenant = row
        .tenant_id
        .as_deref()
        .map(uuid::Uuid::parse_str)
        .transpose()
        .map_err(io::Error::other)?;
    let storage_key = BlobStore::export_key(tenant, export_id);
    std::fs::create_dir_all(blobs.tmp_dir())?;
    let tmp = tempfile::Builder::new()
        .prefix(".export-")
        .tempfile_in(blobs.tmp_dir())?;
    let columns = catalogue(conn)?;
    let selections = match (row.kind.as_str(), &row.tenant_id, &row.subject_user_id) {
        ("tenant", Some(t), _) => tenant_selections(&columns, t),
        ("user", _, Some(u)) => user_selections(conn, &columns, u)?,
        _ => return Err(io::Error::other(format!("export {} names no subject", row.id)).into()),
    };
    let mut archive = Archive::new(tmp.reopen()?, columns);
    let mut tables = Vec::new();
    let mut redacted = BTreeMap::new();
    for sel in &selections {
        let (rows, dropped) = archive.table(conn, sel)?;
        if !dropped.is_empty() {
            redacted.insert(sel.table.clone(), dropped);
        }
        tables.push(serde_json::json!({
            "table": sel.table,
            "path": format!("tables/{}.jsonl", sel.table),
            "rows": rows,
        }));
    }
    if let Some(t) = &row.tenant_id {
        archive.tenant_files(conn, blobs, t)?;
        archive.tenant_artifacts(conn, t)?;
    }
    let manifest = serde_json::json!({
        "format": FORMAT,
        "export_id": row.id,
        "kind": row.kind,
        "tenant_id": row.tenant_id,
        "user_id": row.subject_user_id,
        "created_at": crate::api::utc(crate::store::now()),
        "tables": tables,
        "redacted_columns": redacted,
        "entries": archive.entries,
    });
    archive.entry(
        "manifest.json",
        Compression::Deflate,
        &mut serde_json::to_vec_pretty(&manifest)?.as_slice(),
        false,
    )?;
    archive.zip.finish()?.sync_all()?;
    // Stored only once complete (and the temp file removed when dropped): a `succeeded`
    // row never points at half an archive. The builder runs on the blocking pool.
    let stored =
        tokio::runtime::Handle::current().block_on(blobs.put_file(&storage_key, tmp.path()))?;
    let (size_bytes, sha256) = (stored.size, stored.sha256);
    Ok(Built {
        storage_key,
        size_bytes: i64::try_from(size_bytes).unwrap_or(i64::MAX),
        sha256,
    })
}

/// Which rows of a table go into the archive: `filter` is SQL over the table aliased `t`,
/// with `{1}`, `{2}`… standing for `binds`.
#[derive(Debug, Clone)]
struct Selection {
    table: String,
    filter: String,
    binds: Vec<String>,
}

impl Selection {
    fn new(table: &str, filter: &str, binds: &[&str]) -> Self {
        Selection {
            table: table.into(),
            filter: filter.into(),
            binds: binds.iter().map(|b| (*b).to_string()).collect(),
        }
    }
}

/// Every row of a tenant: each table with a `tenant_id`, plus the rows that belong to it
/// through a parent.
fn tenant_selections(catalogue: &BTreeMap<String, Vec<String>>, tenant_id: &str) -> Vec<Selection> {
    let t = [tenant_id];
    let mut out = vec![
        Selection::new("tenants", "t.id = {1}", &t),
        Selection::new(
            "users",
            "t.tenant_id = {1} OR t.id IN (SELECT m.user_id FROM tenant_users m WHERE m.tenant_id = {1})",
            &t,
        ),
        Selection::new(
            "branding_assets",
            "t.configuration_id IN (SELECT b.id FROM branding_configurations b WHERE b.tenant_id = {1})",
            &t,
        ),
        Selection::new(
            "invoice_lines",
            "t.invoice_id IN (SELECT i.id FROM invoices i WHERE i.tenant_id = {1})",
            &t,
        ),
    ];
    for (table, columns) in catalogue {
        if columns.iter().any(|c| c == "tenant_id") && !out.iter().any(|s| &s.table == table) {
            out.push(Selection::new(table, "t.tenant_id = {1}", &t));
        }
    }
    out
}

/// One person's data: their account, and every row naming them.
fn user_selections(
    conn: &mut DbConn,
    catalogue: &BTreeMap<String, Vec<String>>,
    user_id: &str,
) -> Result<Vec<Selection>, StoreError> {
    use crate::store::schema::users::dsl as u;
    let email: String = u::users
        .filter(u::id.eq(user_id.to_string()))
        .select(u::email)
        .first(conn)?;
    let mut out = vec![
        Selection::new("users", "t.id = {1}", &[user_id]),
        Selection::new(
            "audit_log",
            "t.actor_user_id = {1} OR (t.target_type = 'user' AND t.target_id = {1})",
            &[user_id],
        ),
        Selection::new("invitations", "lower(t.email) = lower({1})", &[&email]),
        Selection::new(
            "email_outbox",
            "lower(t.to_address) = lower({1})",
            &[&email],
        ),
    ];
    for (table, columns) in catalogue {
        if table == "data_exports" || out.iter().any(|s| &s.table == table) {
            continue;
        }
        let naming: Vec<String> = columns
            .iter()
            .filter(|c| PERSON_COLUMNS.contains(&c.as_str()))
            .map(|c| format!("t.{c} = {{1}}"))
            .collect();
        if !naming.is_empty() {
            out.push(Selection::new(table, &naming.join(" OR "), &[user_id]));
        }
    }
    Ok(out)
}

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    row: String,
}

/// Every table of the database with its columns in order, sorted by table name.
fn catalogue(conn: &mut DbConn) -> Result<BTreeMap<String, Vec<String>>, StoreError> {
    let rows: Vec<NameRow> = match conn {
        DbConn::Postgres(pg) => diesel::sql_query(
            "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name \
             FROM information_schema.columns c JOIN information_schema.tables tb \
               ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND tb.table_type = 'BASE TABLE' \
             ORDER BY c.table_name, c.ordinal_position",
        )
        .load(pg)?,
        DbConn::Sqlite(lite) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name \
             FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             ORDER BY m.name, p.cid",
        )
        .load(lite)?,
    };
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows {
        if r.table_name.starts_with("__diesel") {
            continue;
        }
        out.entry(r.table_name).or_default().push(r.column_name);
    }
    Ok(out)
}

/// One page of `sel`'s rows as JSON objects (text), ordered by `id`, after `after`.
fn json_rows(
    conn: &mut DbConn,
    sel: &Selection,
    columns: &[String],
    after: Option<&str>,
) -> Result<Vec<String>, StoreError> {
    let keyed = columns.iter().any(|c| c == "id");
    let placeholder = |n: usize, pg: bool| if pg { format!("${n}") } else { format!("?{n}") };
    let sql = |pg: bool| {
        let mut filter = sel.filter.clone();
        for n in 1..=sel.binds.len() {
            filter = filter.replace(&format!("{{{n}}}"), &placeholder(n, pg));
        }
        let select = if pg {
            "row_to_json(t)::text".to_string()
        } else {
            // Binary columns as `\x` + hex, as PostgreSQL's row_to_json writes bytea.
            let pairs: Vec<String> = columns
                .iter()
                .map(|c| {
                    format!(
                        "'{c}', CASE WHEN typeof(t.\"{c}\") = 'blob' \
                         THEN '\\x' || lower(hex(t.\"{c}\")) ELSE t.\"{c}\" END"
                    )
                })
                .collect();
            format!("json_object({})", pairs.join(", "))
        };
        let mut q = format!(
            "SELECT {select} AS row FROM {} t WHERE ({filter})",
            sel.table
        );
        if keyed {
            if after.is_some() {
                q.push_str(&format!(
                    " AND t.id > {}",
                    placeholder(sel.binds.len() + 1, pg)
                ));
            }
            q.push_str(&format!(" ORDER BY t.id LIMIT {PAGE}"));
        }
        q
    };
    let binds: Vec<String> = sel
        .binds
        .iter()
        .cloned()
        .chain(after.filter(|_| keyed).map(String::from))
        .collect();
    use diesel::sql_types::Text;
    let rows: Vec<JsonRow> = match conn {
        DbConn::Postgres(pg) => {
            let mut q = diesel::sql_query(sql(true)).into_boxed::<diesel::pg::Pg>();
            for b in binds {
                q = q.bind::<Text, _>(b);
            }
            q.load(pg)?
        }
        DbConn::Sqlite(lite) => {
            let mut q = diesel::sql_query(sql(false)).into_boxed::<diesel::sqlite::Sqlite>();
            for b in binds {
                q = q.bind::<Text, _>(b);
            }
            q.load(lite)?
        }
    };
    Ok(rows.into_iter().map(|r| r.row).collect())
}

#[derive(Debug, Clone, Copy)]
enum Compression {
    Deflate,
    /// Audio and other compressed bytes gain nothing from deflate.
    Store,
}

/// A ZIP archive being written, with the manifest's list of entries and the database's
/// catalogue (table → columns).
struct Archive {
    zip: zip::ZipWriter<std::fs::File>,
    entries: Vec<serde_json::Value>,
    columns: BTreeMap<String, Vec<String>>,
}

impl Archive {
    fn new(file: std::fs::File, columns: BTreeMap<String, Vec<String>>) -> Self {
        Archive {
            zip: zip::ZipWriter::new(file),
            entries: Vec::new(),
            columns,
        }
    }

    /// Starts entry `name`, lets `write` fill it through a hashing writer, and (when
    /// `listed`) records its size and SHA-256 for the manifest.
    fn write_entry<R>(
        &mut self,
        name: &str,
        compression: Compression,
        listed: bool,
        write: impl FnOnce(
            &mut HashingWriter<'_, zip::ZipWriter<std::fs::File>>,
        ) -> Result<R, BuildError>,
    ) -> Result<R, BuildError> {
        let method = match compression {
            Compression::Deflate => zip::CompressionMethod::Deflated,
            Compression::Store => zip::CompressionMethod::Stored,
        };
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(true);
        self.zip.start_file(name, options)?;
        let mut out = HashingWriter {
            inner: &mut self.zip,
            hasher: Sha256::new(),
            size: 0,
        };
        let result = write(&mut out)?;
        let (size, sha256) = (out.size, hex::encode(out.hasher.finalize()));
        if listed {
            self.entries.push(serde_json::json!({
                "path": name, "size_bytes": size, "sha256": sha256,
            }));
        }
        Ok(result)
    }

    /// Adds an entry read from `body`; `listed` puts it in the manifest (with its SHA-256).
    fn entry(
        &mut self,
        name: &str,
        compression: Compression,
        body: &mut dyn Read,
        listed: bool,
    ) -> Result<(), BuildError> {
        self.write_entry(name, compression, listed, |out| {
            io::copy(body, out)?;
            Ok(())
        })
    }

    /// Writes `tables/<table>.jsonl`; returns the row count and the secret columns dropped.
    fn table(
        &mut self,
        conn: &mut DbConn,
        sel: &Selection,
    ) -> Result<(usize, Vec<String>), BuildError> {
        let columns = self.columns.get(&sel.table).cloned().unwrap_or_default();
        let dropped: Vec<String> = columns
            .iter()
            .filter(|c| SECRET_COLUMNS.contains(&c.as_str()) || moved_out(&sel.table, c))
            .cloned()
            .collect();
        let name = format!("tables/{}.jsonl", sel.table);
        let count = self.write_entry(&name, Compression::Deflate, true, |out| {
            let mut count = 0;
            let mut after: Option<String> = None;
            loop {
                let page = json_rows(conn, sel, &columns, after.as_deref())?;
                let full = columns.iter().any(|c| c == "id") && page.len() as i64 == PAGE;
                for text in &page {
                    let mut row: serde_json::Map<String, serde_json::Value> =
                        serde_json::from_str(text)?;
                    after = row.get("id").and_then(|v| v.as_str()).map(String::from);
                    for c in &dropped {
                        row.remove(c);
                    }
                    serde_json::to_writer(&mut *out, &row)?;
                    out.write_all(b"\n")?;
                    count += 1;
                }
                if !full {
                    return Ok(count);
                }
            }
        })?;
        let secrets = dropped
            .into_iter()
            .filter(|c| SECRET_COLUMNS.contains(&c.as_str()))
            .collect();
        Ok((count, secrets))
    }

    /// The tenant's stored files (not deleted), under `files/<id>/<name>`.
    fn tenant_files(
        &mut self,
        conn: &mut DbConn,
        blobs: &BlobStore,
        tenant_id: &str,
    ) -> Result<(), BuildError> {
        use crate::store::schema::files::dsl as f;
        let files: Vec<(String, String, String)> = f::files
            .filter(f::tenant_id.eq(tenant_id.to_string()))
            .filter(f::deleted_at.is_null())
            .order(f::id.asc())
            .select((f::id, f::name, f::storage_key))
            .load(conn)?;
        for (id, name, key) in files {
            // Removed between the row and now (retention, deletion): not exported.
            let Some(mut file) = blobs.open_blocking(&key)? else {
                continue;
            };
            let entry = format!("files/{id}/{}", entry_name(&name));
            self.entry(&entry, Compression::Store, &mut file, true)?;
        }
        Ok(())
    }

    /// The tenant's job artifacts, under `artifacts/<job id>/<artifact id>-<name>` (their
    /// rows in `tables/job_artifacts.jsonl` leave the body out).
    fn tenant_artifacts(&mut self, conn: &mut DbConn, tenant_id: &str) -> Result<(), BuildError> {
        use crate::store::schema::job_artifacts::dsl as a;
        let mut after = String::new();
        loop {
            let page: Vec<(String, String, String, String)> = a::job_artifacts
                .filter(a::tenant_id.eq(tenant_id.to_string()))
                .filter(a::id.gt(after.clone()))
                .order(a::id.asc())
                .limit(PAGE)
                .select((a::id, a::job_id, a::name, a::body))
                .load(conn)?;
            let full = page.len() as i64 == PAGE;
            for (id, job_id, name, body) in page {
                let entry = format!("artifacts/{job_id}/{id}-{}", entry_name(&name));
                self.entry(&entry, Compression::Deflate, &mut body.as_bytes(), true)?;
                after = id;
            }
            if !full {
                return Ok(());
            }
        }
    }
}

/// Columns written as entries of their own rather than inside the rows.
fn moved_out(table: &str, column: &str) -> bool {
    matches!((table, column), ("job_artifacts", "body"))
}

/// A stored name as one path segment of an entry: no separators, no `..`, no control
/// characters, at most 120 characters.
fn entry_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(120)
        .collect();
    match cleaned.trim_matches('.') {
        "" => "file".into(),
        _ => cleaned,
    }
}

/// Hashes and counts what passes through to the archive.
struct HashingWriter<'a, W: Write> {
    inner: &'a mut W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Write for HashingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_are_one_safe_segment() {
        assert_eq!(entry_name("talk.wav"), "talk.wav");
        assert_eq!(entry_name("../../etc/passwd"), ".._.._etc_passwd");
        assert_eq!(entry_name(".."), "file");
        assert_eq!(entry_name("a\u{0}b\nc"), "a_b_c");
        assert_eq!(entry_name(&"x".repeat(300)).len(), 120);
    }
}
