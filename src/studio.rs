//! Voxflow Studio, the web editor (`studio/`), served at `/studio/` from assets embedded in the
//! binary at build time, so `voxflow serve` needs no Node and no files beside it.
//!
//! `studio/dist` is committed (built by `npm run build` in `studio/`): the README's run command
//! then works on a machine without Node, and the build stays reproducible from the lockfile.
//! `dist/build-stamp.txt` records a hash of the sources it was built from; a test recomputes it
//! ([`source_stamp`]) and fails when the embedded build is stale.
//!
//! Caching: Vite names every asset after its content (`assets/index-<hash>.js`), so those are
//! `immutable` for a year; `index.html` (and every client-side route, which answers with it) is
//! `no-cache` with a strong ETag, so a new release is picked up on the next load.

use crate::error::{ApiError, Code};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use include_dir::{include_dir, Dir, File};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::OnceLock;

static DIST: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/studio/dist");

/// Where Studio lives; the Vite build's `base` must match.
pub const MOUNT: &str = "/studio";

/// The stamp file inside `dist/` (written by `studio/scripts/stamp.mjs`).
const STAMP: &str = "build-stamp.txt";

/// What the HTML page may load: only this origin (and the WebSocket back to it); inline
/// styles because React Flow positions nodes with `style` attributes; media and images from
/// `blob:` for the audio player and downloaded logos.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' ws: wss:; \
    font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/// Registers `/studio` (redirect) and everything under `/studio/`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::redirect(MOUNT, format!("{MOUNT}/")))
        .route(&format!("{MOUNT}/{{path:.*}}"), web::get().to(serve))
        .route(&format!("{MOUNT}/{{path:.*}}"), web::head().to(serve));
}

/// The stamp the embedded build carries (the hash of the sources it was built from).
pub fn embedded_stamp() -> Option<&'static str> {
    DIST.get_file(STAMP)
        .and_then(File::contents_utf8)
        .map(str::trim)
}

async fn serve(req: HttpRequest, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let path = path.into_inner();
    let Some((name, file)) = resolve(&path) else {
        return Err(ApiError::new(
            Code::NotFound,
            format!("No Studio asset {MOUNT}/{path}"),
        ));
    };
    let etag = etags().get(name).cloned().unwrap_or_else(|| etag_of(file));
    let not_modified = if_none_match(&req, &etag);
    let mut res = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    let cache = if name.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if name.ends_with(".html") {
        res.insert_header((header::CONTENT_SECURITY_POLICY, CSP))
            .insert_header((header::REFERRER_POLICY, "no-referrer"))
            .insert_header((header::X_FRAME_OPTIONS, "DENY"));
    }
    if not_modified {
        return Ok(res.finish());
    }
    Ok(res
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(name)),
        ))
        .body(file.contents()))
}

fn etag_of(file: &File<'_>) -> String {
    format!("\"{}\"", hex::encode(Sha256::digest(file.contents())))
}

/// The embedded file for a request path: the file itself, or — for a client-side route (no
/// file extension, outside `assets/`) — the app's `index.html`. A missing asset is a 404, so
/// a stale page asking for an old bundle fails loudly instead of receiving HTML as script.
fn resolve(path: &str) -> Option<(&'static str, &'static File<'static>)> {
    let path = path.trim_start_matches('/');
    let wanted = if path.is_empty() { "index.html" } else { path };
    if let Some(file) = DIST.get_file(wanted).filter(|_| wanted != STAMP) {
        return Some((file_name(file), file));
    }
    let last = wanted.rsplit('/').next().unwrap_or(wanted);
    if wanted.starts_with("assets/") || last.contains('.') {
        return None;
    }
    DIST.get_file("index.html").map(|f| ("index.html", f))
}

fn file_name(file: &'static File<'static>) -> &'static str {
    file.path().to_str().unwrap_or_default()
}

/// Strong ETags of every embedded file, computed once.
fn etags() -> &'static HashMap<&'static str, String> {
    static ETAGS: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    ETAGS.get_or_init(|| {
        let mut map = HashMap::new();
        let mut stack = vec![&DIST];
        while let Some(dir) = stack.pop() {
            for file in dir.files() {
                map.insert(file_name(file), etag_of(file));
            }
            stack.extend(dir.dirs());
        }
        map
    })
}

fn if_none_match(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The hash of Studio's build inputs, as `studio/scripts/stamp.mjs` writes it into
/// `dist/build-stamp.txt`: SHA-256 over, for each file in byte order of its repo-relative
/// path, `path "\n" length "\n" bytes`. The files: everything under `studio/src/`, the build
/// configuration and lockfile, and the TypeScript SDK's schema the app is typed against.
pub fn source_stamp(repo: &std::path::Path) -> std::io::Result<String> {
    let mut files = vec![
        "studio/index.html".to_string(),
        "studio/package.json".to_string(),
        "studio/package-lock.json".to_string(),
        "studio/vite.config.ts".to_string(),
        "studio/tsconfig.json".to_string(),
        "sdks/typescript/src/schema.ts".to_string(),
    ];
    let mut dirs = vec![repo.join("studio/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(rel) = path.strip_prefix(repo) {
                let rel: Vec<_> = rel.iter().map(|c| c.to_string_lossy()).collect();
                files.push(rel.join("/"));
            }
        }
    }
    files.sort();
    let mut hash = Sha256::new();
    for rel in &files {
        let bytes = std::fs::read(repo.join(rel))?;
        hash.update(format!("{rel}\n{}\n", bytes.len()).as_bytes());
        hash.update(&bytes);
    }
    Ok(hex::encode(hash.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `studio/dist` is committed; this fails when a source changed without a rebuild
    /// (`cd studio && npm ci && npm run build`, then commit `studio/dist`).
    #[test]
    fn the_embedded_studio_build_is_not_stale() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let want = source_stamp(repo).expect("studio sources");
        assert_eq!(
            embedded_stamp(),
            Some(want.as_str()),
            "studio/dist is stale: run `cd studio && npm ci && npm run build` and commit studio/dist"
        );
    }

    #[test]
    fn client_routes_get_the_app_and_missing_assets_do_not() {
        assert_eq!(resolve("").map(|f| f.0), Some("index.html"));
        assert_eq!(resolve("workflows/123").map(|f| f.0), Some("index.html"));
        assert!(resolve("assets/gone-1234.js").is_none());
        assert!(resolve("favicon-missing.png").is_none());
        assert!(resolve(STAMP).is_none());
        let index = DIST.get_file("index.html").expect("index.html");
        let html = index.contents_utf8().expect("utf-8");
        // Every asset the page names is embedded.
        for asset in html.split("/studio/").skip(1) {
            let name: String = asset
                .chars()
                .take_while(|c| !matches!(c, '"' | '\'' | ' ' | '>'))
                .collect();
            if !name.is_empty() {
                assert!(
                    DIST.get_file(&name).is_some(),
                    "{name} is referenced but not embedded"
                );
            }
        }
    }
}
