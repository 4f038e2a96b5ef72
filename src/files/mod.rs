//! Uploaded files: names, content sniffing, the storage quota and job inputs. Their bytes
//! live in the deployment's `crate::storage::BlobStore` under `files/<tenant id>/<file id>`.

pub mod quota;
pub mod sniff;

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

/// A job input: the row of the uploaded file `file_id`, if the scope can see it.
pub fn resolve_input(
    conn: &mut crate::store::DbConn,
    scope: &crate::tenancy::Scope,
    file_id: &str,
) -> Result<Option<crate::store::repo::files::FileRow>, crate::store::StoreError> {
    crate::store::repo::files::get(conn, scope, file_id)
}

/// A job input as its node sees it: the file's bytes at `copy` (see
/// `crate::storage::BlobStore::local_copy`), which must outlive the node's run.
pub fn input_value(
    row: crate::store::repo::files::FileRow,
    copy: &crate::storage::LocalCopy,
) -> voxflow_nodes::FileValue {
    voxflow_nodes::FileValue {
        name: row.name,
        mime: Some(row.content_type),
        content: voxflow_nodes::FileContent::Path {
            path: copy.path.clone(),
        },
    }
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
}
