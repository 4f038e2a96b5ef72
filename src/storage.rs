//! Where stored bytes live: uploaded files and data export archives, behind one interface
//! on the `object_store` crate, so API processes and workers on different machines share
//! them.
//!
//! - **Local disk** (the default, `VOXFLOW_STORAGE_URL` empty): `<data dir>/files/<tenant
//!   id>/<file id>` and the export archives beside them, the layout Voxflow always had. An
//!   upload is written to a staging file (`<key>#<n>`) and renamed into place when complete;
//!   nodes read the files in place.
//! - **S3-compatible** (`s3://bucket/prefix`): the same keys under `prefix/`, credentials
//!   and endpoint from the usual `AWS_*` settings (`AWS_ACCESS_KEY_ID`,
//!   `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT`, `AWS_ALLOW_HTTP`, …). Uploads
//!   are multipart uploads, invisible until complete; downloads are ranged GETs; a worker
//!   copies a job's input to its temp directory while the job runs.
//!
//! Both keys come from the server (the caller's verified tenant and a fresh UUIDv7), never
//! from a request, and every key is checked for its shape before use, so a corrupted row
//! cannot reach another object. Nothing here holds a whole file in memory: writes go out in
//! parts, reads come back as streams.

use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use uuid::Uuid;

/// The root that holds every tenant's files.
const FILES_DIR: &str = "files";
/// Where data export archives live: `files/<tenant>/exports/` and `exports/`.
const EXPORTS_DIR: &str = "exports";
/// Parts of a local upload: small, nothing waits for a network round trip.
const LOCAL_PART: usize = 256 * 1024;
/// Parts of an S3 multipart upload: S3's minimum for every part but the last.
const REMOTE_PART: usize = 5 * 1024 * 1024;
/// Parts of one upload in flight at once (memory per upload: about `(1 + this) × part`).
const PARTS_IN_FLIGHT: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("VOXFLOW_STORAGE_URL must be empty (the data directory) or s3://bucket[/prefix][?settings], not {0}")]
    BadUrl(String),
    #[error("cannot open the storage: {0}")]
    Open(String),
}

/// Where a deployment keeps its stored bytes (see the module docs). Cheap to clone.
#[derive(Debug, Clone)]
pub struct BlobStore {
    store: Arc<dyn ObjectStore>,
    /// The directory the keys are relative to when the bytes are on this machine's disk.
    local_root: Option<PathBuf>,
    /// Where remote objects are copied for the nodes that read them.
    tmp_dir: PathBuf,
    /// `local:<dir>` or `s3://bucket/prefix`, for logs and `/readyz`.
    describe: String,
}

impl BlobStore {
    /// Local storage under `data_dir` (created if missing).
    pub fn local(data_dir: &Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(data_dir).map_err(|e| StorageError::Open(e.to_string()))?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(data_dir)
            .map_err(|e| StorageError::Open(e.to_string()))?
            .with_fsync(true);
        Ok(Self {
            store: Arc::new(fs),
            local_root: Some(data_dir.to_path_buf()),
            tmp_dir: data_dir.join("tmp"),
            describe: format!("local:{}", data_dir.display()),
        })
    }

    /// The storage `url` names (`""`: local under `data_dir`): `s3://bucket[/prefix]`,
    /// optionally with `?key=value&…` of the S3 client's settings (`endpoint`, `region`,
    /// `allow_http`, `access_key_id`, … — the names of the `AWS_*` variables without the
    /// prefix, lower case), which override the environment's.
    pub fn open(data_dir: &Path, url: &str) -> Result<Self, StorageError> {
        use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
        let url = url.trim();
        if url.is_empty() {
            return Self::local(data_dir);
        }
        let bad = || StorageError::BadUrl(redacted(url));
        let rest = url.strip_prefix("s3://").ok_or_else(bad)?;
        let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
        if bucket.is_empty() {
            return Err(bad());
        }
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let config: AmazonS3ConfigKey = key
                .parse()
                .or_else(|_| format!("aws_{key}").parse())
                .map_err(|_| {
                StorageError::BadUrl(format!("{}: unknown setting {key:?}", redacted(url)))
            })?;
            builder = builder.with_config(config, value.into_owned());
        }
        // HTTPS to a real S3 goes through rustls with the same provider (ring) as SMTP and
        // model downloads; installing it twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let s3 = builder
            .build()
            .map_err(|e| StorageError::Open(e.to_string()))?;
        let prefix = prefix.trim_matches('/');
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
        };
        Ok(Self {
            store,
            local_root: None,
            tmp_dir: data_dir.join("tmp"),
            describe: format!("s3://{bucket}/{prefix}"),
        })
    }

    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// This machine's directory for temporary files (copies of remote objects, archives
    /// being built).
    pub fn tmp_dir(&self) -> &Path {
        &self.tmp_dir
    }

    /// The `storage_key` recorded for a file.
    pub fn storage_key(tenant_id: Uuid, file_id: Uuid) -> String {
        format!("{FILES_DIR}/{tenant_id}/{file_id}")
    }

    /// The `storage_key` of a data export's archive (docs/data-export.md): a tenant's among
    /// its files (so purging the tenant removes them too), a person's under `exports/`.
    pub fn export_key(tenant_id: Option<Uuid>, export_id: Uuid) -> String {
        match tenant_id {
            Some(t) => format!("{FILES_DIR}/{t}/{EXPORTS_DIR}/{export_id}.zip"),
            None => format!("{EXPORTS_DIR}/{export_id}.zip"),
        }
    }

    /// The object a recorded key names. Refuses anything but `files/<uuid>/<uuid>`,
    /// `files/<uuid>/exports/<uuid>.zip` and `exports/<uuid>.zip`.
    fn location(storage_key: &str) -> io::Result<ObjectPath> {
        let uuid = |s: &str| Uuid::parse_str(s).is_ok();
        let uuid_zip = |s: &str| s.strip_suffix(".zip").is_some_and(uuid);
        let parts: Vec<&str> = storage_key.split('/').collect();
        let valid = match parts.as_slice() {
            [FILES_DIR, t, f] => uuid(t) && uuid(f),
            [FILES_DIR, t, EXPORTS_DIR, name] => uuid(t) && uuid_zip(name),
            [EXPORTS_DIR, name] => uuid_zip(name),
            _ => false,
        };
        if !valid {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("invalid storage key {storage_key:?}"),
            ));
        }
        Ok(ObjectPath::from(storage_key))
    }

    /// Starts writing the object `storage_key`; it appears only when [`BlobWriter::finish`]
    /// completes, and a writer dropped before that leaves nothing behind.
    pub async fn begin(&self, storage_key: &str) -> io::Result<BlobWriter> {
        let location = Self::location(storage_key)?;
        let upload = self.store.put_multipart(&location).await.map_err(into_io)?;
        let part = if self.local_root.is_some() {
            LOCAL_PART
        } else {
            REMOTE_PART
        };
        Ok(BlobWriter {
            upload: Some(WriteMultipart::new_with_chunk_size(upload, part)),
            hasher: Sha256::new(),
            size: 0,
        })
    }

    /// Stores the local file at `path` as `storage_key`, streamed in parts.
    pub async fn put_file(&self, storage_key: &str, path: &Path) -> io::Result<Blob> {
        use tokio::io::AsyncReadExt;
        let mut file = tokio::fs::File::open(path).await?;
        let mut writer = self.begin(storage_key).await?;
        let mut buf = vec![0u8; LOCAL_PART];
        loop {
            let n = file.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            writer.write(&buf[..n]).await?;
        }
        writer.finish().await
    }

    /// The size of a stored object; `None` when there is none.
    pub async fn size(&self, storage_key: &str) -> io::Result<Option<u64>> {
        match self.store.head(&Self::location(storage_key)?).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(into_io(e)),
        }
    }

    /// Streams bytes `range` of a stored object.
    pub async fn read_range(
        &self,
        storage_key: &str,
        range: Range<u64>,
    ) -> io::Result<BoxStream<'static, io::Result<bytes::Bytes>>> {
        let location = Self::location(storage_key)?;
        if range.is_empty() {
            return Ok(futures_util::stream::empty().boxed());
        }
        let got = self
            .store
            .get_opts(
                &location,
                GetOptions {
                    range: Some(GetRange::Bounded(range)),
                    ..Default::default()
                },
            )
            .await
            .map_err(into_io)?;
        Ok(got.into_stream().map_err(into_io).boxed())
    }

    /// A blocking reader over a whole stored object, for code on the blocking pool (the
    /// export builder); `None` when there is no such object.
    pub fn open_blocking(&self, storage_key: &str) -> io::Result<Option<BlockingReader>> {
        let location = Self::location(storage_key)?;
        let handle = tokio::runtime::Handle::current();
        match handle.block_on(self.store.get(&location)) {
            Ok(got) => Ok(Some(BlockingReader {
                handle,
                stream: got.into_stream().map_err(into_io).boxed(),
                chunk: bytes::Bytes::new(),
            })),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(into_io(e)),
        }
    }

    /// A path on this machine holding the object's bytes, for the nodes (which decode from
    /// files): the file itself on local storage, else a copy in the temp directory that is
    /// removed when the returned value is dropped.
    pub async fn local_copy(&self, storage_key: &str) -> io::Result<LocalCopy> {
        let location = Self::location(storage_key)?;
        if let Some(root) = &self.local_root {
            return Ok(LocalCopy {
                path: root.join(location.as_ref()),
                _temp: None,
            });
        }
        tokio::fs::create_dir_all(&self.tmp_dir).await?;
        let temp = tempfile::Builder::new()
            .prefix(".input-")
            .tempfile_in(&self.tmp_dir)?
            .into_temp_path();
        let got = self.store.get(&location).await.map_err(into_io)?;
        let mut stream = got.into_stream();
        let mut out = tokio::fs::File::create(&temp).await?;
        while let Some(chunk) = stream.next().await {
            tokio::io::AsyncWriteExt::write_all(&mut out, &chunk.map_err(into_io)?).await?;
        }
        tokio::io::AsyncWriteExt::flush(&mut out).await?;
        Ok(LocalCopy {
            path: temp.to_path_buf(),
            _temp: Some(temp),
        })
    }

    /// Removes a stored object; one already gone is not an error.
    pub async fn remove(&self, storage_key: &str) -> io::Result<()> {
        match self.store.delete(&Self::location(storage_key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(into_io(e)),
        }
    }

    /// Removes every object of a tenant (its files and its export archives); returns how
    /// many there were.
    pub async fn remove_tenant(&self, tenant_id: Uuid) -> io::Result<u64> {
        let prefix = ObjectPath::from(format!("{FILES_DIR}/{tenant_id}"));
        let locations = self
            .store
            .list(Some(&prefix))
            .map_ok(|m| m.location)
            .boxed();
        let removed: Vec<ObjectPath> = self
            .store
            .delete_stream(locations)
            .try_collect()
            .await
            .map_err(into_io)?;
        if let Some(root) = &self.local_root {
            // The emptied directory (and any staging file a killed upload left) goes too.
            let dir = root.join(FILES_DIR).join(tenant_id.to_string());
            match tokio::fs::remove_dir_all(&dir).await {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(removed.len() as u64)
    }

    /// Every stored key under `files/` and `exports/` last written before `before`, for
    /// the sweeper's orphan pass.
    pub async fn keys_older_than(
        &self,
        before: chrono::DateTime<chrono::Utc>,
    ) -> io::Result<Vec<String>> {
        let mut keys = Vec::new();
        for root in [FILES_DIR, EXPORTS_DIR] {
            let prefix = ObjectPath::from(root);
            let mut list = self.store.list(Some(&prefix));
            while let Some(meta) = list.next().await {
                let meta = match meta {
                    Ok(m) => m,
                    Err(object_store::Error::NotFound { .. }) => break,
                    Err(e) => return Err(into_io(e)),
                };
                let key = meta.location.to_string();
                if meta.last_modified < before && Self::location(&key).is_ok() {
                    keys.push(key);
                }
            }
        }
        Ok(keys)
    }

    /// Local storage only: removes the staging files (`<key>#<n>`) of uploads that stopped
    /// before `before` (their process was killed); returns how many. S3 keeps an
    /// unfinished multipart upload out of sight; a bucket lifecycle rule
    /// (`AbortIncompleteMultipartUpload`) reclaims its parts.
    pub async fn remove_stale_staging(&self, before: std::time::SystemTime) -> io::Result<u64> {
        let Some(root) = self.local_root.clone() else {
            return Ok(0);
        };
        tokio::task::spawn_blocking(move || {
            let mut removed = 0;
            let mut dirs = vec![root.join(FILES_DIR), root.join(EXPORTS_DIR)];
            while let Some(dir) = dirs.pop() {
                let entries = match std::fs::read_dir(&dir) {
                    Ok(e) => e,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                    Err(e) => return Err(e),
                };
                for entry in entries.flatten() {
                    let path = entry.path();
                    let Ok(meta) = entry.metadata() else { continue };
                    if meta.is_dir() {
                        dirs.push(path);
                    } else if is_staging_name(&entry.file_name().to_string_lossy())
                        && meta.modified().is_ok_and(|m| m < before)
                        && std::fs::remove_file(&path).is_ok()
                    {
                        removed += 1;
                    }
                }
            }
            Ok(removed)
        })
        .await
        .map_err(io::Error::other)?
    }
}

/// `<name>#<digits>`: a local upload still being written (object_store's staging file).
fn is_staging_name(name: &str) -> bool {
    name.rsplit_once('#').is_some_and(|(base, n)| {
        !base.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Whether `e`, or what caused it, is a full disk or store (`ENOSPC`, a quota).
pub fn is_full(e: &io::Error) -> bool {
    let full = |io: &io::Error| {
        matches!(
            io.kind(),
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
        ) || io.raw_os_error() == Some(28)
    };
    if full(e) {
        return true;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> =
        e.get_ref().map(|c| c as &(dyn std::error::Error + 'static));
    while let Some(c) = cause {
        if c.downcast_ref::<io::Error>().is_some_and(full) {
            return true;
        }
        cause = c.source();
    }
    false
}

/// A storage URL without its settings (they may hold a secret key), for messages.
fn redacted(url: &str) -> String {
    url.split('?').next().unwrap_or("").to_string()
}

fn into_io(e: object_store::Error) -> io::Error {
    match e {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, e),
        other => io::Error::other(other),
    }
}

/// An object being written, and the running SHA-256 of what went into it.
pub struct BlobWriter {
    upload: Option<WriteMultipart>,
    hasher: Sha256,
    size: u64,
}

impl BlobWriter {
    pub async fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let upload = self
            .upload
            .as_mut()
            .ok_or_else(|| io::Error::other("the upload has ended"))?;
        self.hasher.update(bytes);
        self.size += bytes.len() as u64;
        upload
            .wait_for_capacity(PARTS_IN_FLIGHT)
            .await
            .map_err(into_io)?;
        upload.write(bytes);
        Ok(())
    }

    /// Gives the upload up and removes what was written, before returning.
    pub async fn abort(mut self) -> io::Result<()> {
        match self.upload.take() {
            Some(upload) => upload.abort().await.map_err(into_io),
            None => Ok(()),
        }
    }

    /// Completes the object: from here it is stored under its key.
    pub async fn finish(mut self) -> io::Result<Blob> {
        let upload = self
            .upload
            .take()
            .ok_or_else(|| io::Error::other("the upload has ended"))?;
        upload.finish().await.map_err(into_io)?;
        Ok(Blob {
            sha256: hex::encode(std::mem::take(&mut self.hasher).finalize()),
            size: self.size,
        })
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        // Unfinished: abort it, so no part of it stays (locally the staging file is removed
        // when the upload is dropped; S3 deletes the uploaded parts).
        if let Some(upload) = self.upload.take() {
            if let Ok(handle) = tokio::runtime::Handle::try_current() {
                handle.spawn(async move {
                    let _ = upload.abort().await;
                });
            }
        }
    }
}

/// A completed object's digest and size.
#[derive(Debug, Clone)]
pub struct Blob {
    pub sha256: String,
    pub size: u64,
}

/// A path holding a stored object's bytes (see [`BlobStore::local_copy`]).
#[derive(Debug)]
pub struct LocalCopy {
    pub path: PathBuf,
    _temp: Option<tempfile::TempPath>,
}

/// `std::io::Read` over a stored object's stream, for the blocking pool.
pub struct BlockingReader {
    handle: tokio::runtime::Handle,
    stream: BoxStream<'static, io::Result<bytes::Bytes>>,
    chunk: bytes::Bytes,
}

impl io::Read for BlockingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.chunk.is_empty() {
            match self.handle.block_on(self.stream.next()) {
                Some(chunk) => self.chunk = chunk?,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn keys_cannot_escape() {
        let (t, f) = (Uuid::now_v7(), Uuid::now_v7());
        for good in [
            BlobStore::storage_key(t, f),
            BlobStore::export_key(Some(t), f),
            BlobStore::export_key(None, f),
        ] {
            assert!(BlobStore::location(&good).is_ok(), "{good}");
        }
        for bad in [
            "files/../../etc/passwd",
            "/etc/passwd",
            "files/x/y",
            "other/a/b",
            "exports/x.zip",
            &format!("files/{t}/exports/{f}"),
            &format!("files/{t}/{f}/x"),
            "",
        ] {
            assert!(BlobStore::location(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn staging_names() {
        assert!(is_staging_name("0193-abc#1"));
        assert!(is_staging_name("x.zip#12"));
        assert!(!is_staging_name("0193-abc"));
        assert!(!is_staging_name("#1"));
        assert!(!is_staging_name("a#"));
        assert!(!is_staging_name("a#1b"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn local_objects_hash_while_writing_and_vanish_unless_finished() {
        let dir = tempfile::tempdir().expect("dir");
        let store = BlobStore::local(dir.path()).expect("store");
        let tenant = Uuid::now_v7();
        let key = BlobStore::storage_key(tenant, Uuid::now_v7());
        // Dropped unfinished: nothing stays, not even the staging file.
        let mut w = store.begin(&key).await.expect("begin");
        w.write(b"half").await.expect("write");
        drop(w);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert_eq!(store.size(&key).await.expect("head"), None);
        let tenant_dir = dir.path().join("files").join(tenant.to_string());
        let left = std::fs::read_dir(&tenant_dir)
            .map(|d| d.count())
            .unwrap_or(0);
        assert_eq!(left, 0, "an aborted upload leaves nothing");

        let mut w = store.begin(&key).await.expect("begin");
        w.write(b"hello ").await.expect("write");
        w.write(b"world").await.expect("write");
        let blob = w.finish().await.expect("finish");
        assert_eq!(blob.size, 11);
        assert_eq!(
            blob.sha256,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        // The layout Voxflow always had: the bytes at <data>/files/<tenant>/<file>.
        assert_eq!(
            std::fs::read(dir.path().join(&key)).expect("on disk"),
            b"hello world"
        );
        assert_eq!(store.size(&key).await.expect("head"), Some(11));
        let part: Vec<bytes::Bytes> = store
            .read_range(&key, 6..11)
            .await
            .expect("range")
            .try_collect()
            .await
            .expect("read");
        assert_eq!(part.concat(), b"world");
        let copy = store.local_copy(&key).await.expect("copy");
        assert_eq!(copy.path, dir.path().join(&key), "read in place");
        let key2 = key.clone();
        let store2 = store.clone();
        let all = tokio::task::spawn_blocking(move || {
            let mut s = String::new();
            store2
                .open_blocking(&key2)
                .expect("open")
                .expect("exists")
                .read_to_string(&mut s)
                .expect("read");
            s
        })
        .await
        .expect("join");
        assert_eq!(all, "hello world");
        store.remove(&key).await.expect("remove");
        store.remove(&key).await.expect("removing twice is fine");
        assert_eq!(store.size(&key).await.expect("head"), None);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_killed_uploads_staging_file_is_swept_and_a_tenant_removed_whole() {
        let dir = tempfile::tempdir().expect("dir");
        let store = BlobStore::local(dir.path()).expect("store");
        let tenant = Uuid::now_v7();
        let key = BlobStore::storage_key(tenant, Uuid::now_v7());
        let mut w = store.begin(&key).await.expect("begin");
        w.write(b"kept").await.expect("write");
        w.finish().await.expect("finish");
        // What a process killed mid-upload leaves: a staging file beside the objects.
        let staging = dir.path().join(format!("{key}#7"));
        std::fs::write(&staging, b"partial").expect("staging");
        let earlier = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        assert_eq!(store.remove_stale_staging(earlier).await.expect("sweep"), 0);
        assert!(
            staging.exists(),
            "a fresh staging file may be a live upload"
        );
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(1);
        assert_eq!(store.remove_stale_staging(later).await.expect("sweep"), 1);
        assert!(!staging.exists());
        assert!(
            dir.path().join(&key).exists(),
            "objects are not staging files"
        );
        let soon = chrono::Utc::now() + chrono::Duration::seconds(5);
        assert_eq!(
            store.keys_older_than(soon).await.expect("list"),
            vec![key.clone()]
        );
        assert_eq!(store.remove_tenant(tenant).await.expect("purge"), 1);
        assert!(!dir.path().join("files").join(tenant.to_string()).exists());
        assert_eq!(store.remove_tenant(tenant).await.expect("again"), 0);
    }

    #[test]
    fn urls() {
        let dir = tempfile::tempdir().expect("dir");
        assert!(BlobStore::open(dir.path(), "")
            .expect("local")
            .local_root
            .is_some());
        let opened = BlobStore::open(
            dir.path(),
            "s3://bucket/some/prefix?endpoint=http%3A%2F%2F127.0.0.1%3A9&allow_http=true&region=x&access_key_id=a&secret_access_key=s",
        )
        .expect("s3");
        assert_eq!(
            opened.describe(),
            "s3://bucket/some/prefix",
            "no settings in logs"
        );
        assert!(opened.local_root.is_none());
        match BlobStore::open(dir.path(), "s3://b?secret_access_key=hush&colour=red") {
            Err(StorageError::BadUrl(m)) => {
                assert!(m.contains("colour") && !m.contains("hush"), "{m}")
            }
            other => panic!("{other:?}"),
        }
        for bad in ["gs://b", "s3://", "/data", "file:///x"] {
            assert!(
                matches!(
                    BlobStore::open(dir.path(), bad),
                    Err(StorageError::BadUrl(_))
                ),
                "{bad}"
            );
        }
    }
}
