//! Local-disk storage for uploaded files.
//!
//! A file's bytes live at `<data dir>/files/<tenant id>/<file id>`. Both ids come from the
//! server (the caller's verified tenant and a fresh UUIDv7), never from the request, so no
//! client input reaches a path. An upload is written to a hidden temp file in the same
//! directory, hashed (SHA-256) as it is written, synced, and renamed into place only once
//! its database row is being committed; a refused or failed upload leaves nothing behind
//! (the temp file is removed when dropped).
//!
//! Everything here is synchronous file I/O: callers run it on the blocking pool.

pub mod quota;
pub mod sniff;

use sha2::{Digest, Sha256};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The root under the data directory that holds every tenant's files.
const FILES_DIR: &str = "files";
/// Where data export archives live: `files/<tenant>/exports/` and `exports/`.
const EXPORTS_DIR: &str = "exports";

#[derive(Debug, Clone)]
pub struct BlobStore {
    data_dir: PathBuf,
}

impl BlobStore {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// The `storage_key` recorded for a file: its path relative to the data directory.
    pub fn storage_key(tenant_id: Uuid, file_id: Uuid) -> String {
        format!("{FILES_DIR}/{tenant_id}/{file_id}")
    }

    /// The directory holding a tenant's files.
    pub fn tenant_dir(&self, tenant_id: Uuid) -> PathBuf {
        self.data_dir.join(FILES_DIR).join(tenant_id.to_string())
    }

    /// The absolute path of a recorded `storage_key`. Refuses anything but
    /// `files/<uuid>/<uuid>`, so a corrupted row cannot point outside the files directory.
    pub fn path_of(&self, storage_key: &str) -> io::Result<PathBuf> {
        let mut parts = storage_key.split('/');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(FILES_DIR), Some(t), Some(f), None)
                if Uuid::parse_str(t).is_ok() && Uuid::parse_str(f).is_ok() =>
            {
                Ok(self.data_dir.join(FILES_DIR).join(t).join(f))
            }
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("invalid storage key {storage_key:?}"),
            )),
        }
    }

    /// The `storage_key` of a data export's archive (docs/data-export.md): a tenant's in its
    /// own directory (so purging the tenant removes them with its files), a person's under
    /// `exports/`.
    pub fn export_key(tenant_id: Option<Uuid>, export_id: Uuid) -> String {
        match tenant_id {
            Some(t) => format!("{FILES_DIR}/{t}/{EXPORTS_DIR}/{export_id}.zip"),
            None => format!("{EXPORTS_DIR}/{export_id}.zip"),
        }
    }

    /// The absolute path of an export's `storage_key`; refuses any other shape.
    pub fn export_path(&self, storage_key: &str) -> io::Result<PathBuf> {
        let uuid_zip = |name: &str| {
            name.strip_suffix(".zip")
                .is_some_and(|id| Uuid::parse_str(id).is_ok())
        };
        let parts: Vec<&str> = storage_key.split('/').collect();
        let valid = match parts.as_slice() {
            [FILES_DIR, t, EXPORTS_DIR, name] => Uuid::parse_str(t).is_ok() && uuid_zip(name),
            [EXPORTS_DIR, name] => uuid_zip(name),
            _ => false,
        };
        if !valid {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("invalid export storage key {storage_key:?}"),
            ));
        }
        Ok(self.data_dir.join(storage_key))
    }

    /// Removes an export's archive; one already gone is not an error.
    pub fn remove_export(&self, storage_key: &str) -> io::Result<()> {
        match std::fs::remove_file(self.export_path(storage_key)?) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    /// Starts an upload for `tenant_id`: a temp file in the tenant's directory.
    pub fn begin(&self, tenant_id: Uuid) -> io::Result<BlobWriter> {
        let dir = self.tenant_dir(tenant_id);
        std::fs::create_dir_all(&dir)?;
        let tmp = tempfile::Builder::new()
            .prefix(".upload-")
            .tempfile_in(&dir)?;
        Ok(BlobWriter {
            tmp,
            hasher: Sha256::new(),
            size: 0,
        })
    }

    /// Removes a file's bytes; a file already gone is not an error.
    pub fn remove(&self, storage_key: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path_of(storage_key)?) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

/// An upload being written: a temp file and the running SHA-256 of what went into it.
pub struct BlobWriter {
    tmp: tempfile::NamedTempFile,
    hasher: Sha256,
    size: u64,
}

impl BlobWriter {
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.hasher.update(bytes);
        self.size += bytes.len() as u64;
        self.tmp.write_all(bytes)
    }

    /// Flushes the bytes to disk; returns the finished (still temporary) blob.
    pub fn finish(self) -> io::Result<Blob> {
        self.tmp.as_file().sync_all()?;
        Ok(Blob {
            tmp: self.tmp,
            sha256: hex::encode(self.hasher.finalize()),
            size: self.size,
        })
    }
}

/// A complete upload, not yet in place. Dropping it deletes it.
pub struct Blob {
    tmp: tempfile::NamedTempFile,
    pub sha256: String,
    pub size: u64,
}

impl Blob {
    /// Renames the blob to `path` (in the same directory, so the rename is atomic).
    pub fn persist(self, path: &Path) -> io::Result<()> {
        self.tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// A client's file name made safe to store and echo: the last path component only, no
/// control characters, at most 255 characters; `upload` when nothing is left.
pub fn sanitize_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(255).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        "upload".to_string()
    } else {
        cleaned.to_string()
    }
}

/// A job input: the uploaded file `file_id`, as a node input, if the scope can see it.
pub fn resolve_input(
    conn: &mut crate::store::DbConn,
    scope: &crate::tenancy::Scope,
    blobs: &BlobStore,
    file_id: &str,
) -> Result<Option<voxflow_nodes::FileValue>, crate::store::StoreError> {
    let Some(row) = crate::store::repo::files::get(conn, scope, file_id)? else {
        return Ok(None);
    };
    let Ok(path) = blobs.path_of(&row.storage_key) else {
        return Ok(None);
    };
    Ok(Some(voxflow_nodes::FileValue {
        name: row.name,
        mime: Some(row.content_type),
        content: voxflow_nodes::FileContent::Path { path },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_paths_and_control_characters() {
        assert_eq!(sanitize_name("talk.wav"), "talk.wav");
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_name("C:\\Users\\me\\rec.mp3"), "rec.mp3");
        assert_eq!(sanitize_name("a\u{0}b\r\n.wav"), "ab.wav");
        assert_eq!(sanitize_name(".."), "upload");
        assert_eq!(sanitize_name(""), "upload");
        assert_eq!(sanitize_name(&"x".repeat(400)).len(), 255);
    }

    #[test]
    fn storage_keys_cannot_escape() {
        let store = BlobStore::new(Path::new("/data"));
        let (t, f) = (Uuid::now_v7(), Uuid::now_v7());
        let key = BlobStore::storage_key(t, f);
        assert_eq!(
            store.path_of(&key).expect("valid"),
            Path::new("/data/files")
                .join(t.to_string())
                .join(f.to_string())
        );
        for bad in [
            "files/../../etc/passwd",
            "/etc/passwd",
            "files/x/y",
            "other/a/b",
            "",
        ] {
            assert!(store.path_of(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn blobs_hash_while_writing_and_vanish_unless_persisted() {
        let dir = tempfile::tempdir().expect("dir");
        let store = BlobStore::new(dir.path());
        let tenant = Uuid::now_v7();
        let mut w = store.begin(tenant).expect("begin");
        w.write(b"hello ").expect("write");
        w.write(b"world").expect("write");
        let blob = w.finish().expect("finish");
        assert_eq!(blob.size, 11);
        assert_eq!(
            blob.sha256,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        drop(blob);
        assert_eq!(
            std::fs::read_dir(store.tenant_dir(tenant))
                .expect("dir")
                .count(),
            0
        );
        let mut w = store.begin(tenant).expect("begin");
        w.write(b"x").expect("write");
        let key = BlobStore::storage_key(tenant, Uuid::now_v7());
        let path = store.path_of(&key).expect("path");
        w.finish().expect("finish").persist(&path).expect("persist");
        assert_eq!(std::fs::read(&path).expect("read"), b"x");
        store.remove(&key).expect("remove");
        store.remove(&key).expect("removing twice is fine");
        assert!(!path.exists());
    }
}
