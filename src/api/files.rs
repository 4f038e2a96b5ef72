//! `/v1/files`: audio uploads that jobs take their input from.
//!
//! `POST /v1/files` streams a multipart `file` field to disk (never whole into memory),
//! accepting it only if its first bytes are a supported audio container (the name and the
//! client's content type are ignored) and it fits both the upload limit and the tenant's
//! remaining storage quota. Downloads stream the bytes back with `ETag` (the SHA-256) and
//! single `Range` requests. Files belong to the tenant: any tenant user with
//! `files:read` sees them, `files:write` uploads and deletes; another tenant's file answers
//! exactly like a missing one.

use super::multipart::{content_length, Form, FormError};
use super::{list_view, PageQuery, ReadErrors, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::error::{ApiError, Code, Problem};
use crate::files::quota::Reservation;
use crate::files::sanitize_name;
use crate::files::sniff::{sniff, SNIFF_LEN};
use crate::storage::{Blob, BlobStore, BlobWriter};
use crate::store;
use crate::store::repo::{self, files::FileRow};
use actix_multipart::MultipartError;
use actix_web::body::SizedStream;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse, ResponseError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

const MIB: u64 = 1024 * 1024;

#[derive(Debug, Serialize, ToSchema)]
pub struct FileView {
    pub id: Uuid,
    /// The uploaded file's name (last path component, control characters removed).
    #[schema(example = "interview.wav")]
    pub name: String,
    /// Detected from the file's first bytes, not from its name.
    #[schema(example = "audio/wav")]
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the bytes; also the download's `ETag`.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    /// When the sweeper deletes the file under the tenant's retention (`retention_days`;
    /// docs/data-lifecycle.md); null: kept until deleted.
    pub expires_at: Option<DateTime<Utc>>,
}

impl FileView {
    /// The view of a file of a tenant that keeps files `retention_days`.
    fn new(r: FileRow, retention_days: Option<i32>) -> Self {
        FileView {
            id: super::parse_uuid(&r.id),
            expires_at: crate::lifecycle::sweeper::expires_at(r.created_at, retention_days)
                .map(super::utc),
            name: r.name,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            sha256: r.sha256,
            created_at: super::utc(r.created_at),
        }
    }
}

list_view!(FileList, FileView);

/// Multipart schema for the OpenAPI document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FileUploadForm {
    /// The audio: WAV, MP3, FLAC, OGG, MP4/M4A, WebM/Matroska or AIFF.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// A file's bytes (the response carries the file's detected content type).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct FileContent(Vec<u8>);

/// Errors an upload can answer with, besides the usual ones.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum UploadErrors {
    /// Over the upload limit (`payload_too_large`), the plan's `max_upload_bytes`
    /// (`upload_too_large_for_plan`), the tenant's remaining storage quota
    /// (`storage_quota_exceeded`), or `max_form_fields` parts (`too_many_form_fields`).
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body is not multipart/form-data, or the file is not audio (`file_not_audio`).
    #[response(status = 415, content_type = "application/problem+json")]
    NotAudio(Problem),
    /// The server's storage is full (`storage_full`): nothing of the upload was kept;
    /// retry later.
    #[response(status = 507, content_type = "application/problem+json")]
    StorageFull(Problem),
}

/// The smaller of the server's upload limit and the tenant's plan's `max_upload_bytes`.
#[derive(Debug, Clone, Copy)]
pub struct UploadLimit {
    pub bytes: u64,
    /// The plan's limit is the smaller one (refusals say so: `upload_too_large_for_plan`).
    pub by_plan: bool,
}

impl UploadLimit {
    pub fn new(server: u64, features: &crate::plan_features::PlanFeatures) -> Self {
        match features.max_upload_bytes {
            Some(plan) if plan < server => UploadLimit {
                bytes: plan,
                by_plan: true,
            },
            _ => UploadLimit {
                bytes: server,
                by_plan: false,
            },
        }
    }

    pub fn refusal(self) -> ApiError {
        if self.by_plan {
            ApiError::new(
                Code::UploadTooLargeForPlan,
                format!(
                    "The file exceeds the tenant's plan limit of {} bytes per upload",
                    self.bytes
                ),
            )
        } else {
            ApiError::new(
                Code::PayloadTooLarge,
                format!("The file exceeds the upload limit of {} bytes", self.bytes),
            )
        }
    }
}

fn over_quota(remaining: u64) -> ApiError {
    ApiError::new(
        Code::StorageQuotaExceeded,
        format!(
            "The tenant has {remaining} bytes of storage left; delete files or upgrade the plan"
        ),
    )
}

fn multipart_error(e: MultipartError) -> ApiError {
    match e {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => ApiError::new(
            Code::UnsupportedMediaType,
            "Send the file as multipart/form-data in a field named `file`",
        ),
        MultipartError::Payload(p) => ApiError::new(
            Code::BadRequest,
            format!("The multipart body could not be read: {p}"),
        ),
        other => ApiError::new(
            Code::BadRequest,
            format!("The multipart body could not be read: {other}"),
        ),
    }
}

pub(crate) fn form_error(e: FormError) -> ApiError {
    match e {
        FormError::TooManyFields(_) => ApiError::new(Code::TooManyFormFields, e.detail()),
        FormError::TooLarge(_) => ApiError::new(Code::PayloadTooLarge, e.detail()),
        FormError::FieldTooLong(_) => ApiError::field("form", "a form field is too long"),
        FormError::Multipart(e) => multipart_error(e),
    }
}

/// A storage failure as the client sees it: `507 storage_full` when the disk or the store
/// is full (nothing was kept; retrying later can work), else an internal error.
pub(crate) fn storage_failed(e: std::io::Error) -> ApiError {
    if crate::storage::is_full(&e) {
        tracing::error!(error = %e, "file storage is full");
        return ApiError::of(Code::StorageFull);
    }
    ApiError::internal(format!("file storage: {e}"))
}

/// Reads the multipart body: the `file` field is stored as `storage_key` once its first
/// bytes show it is audio; other fields are ignored. The object exists only once this
/// returns `Ok`; an upload refused or broken off midway leaves nothing stored.
///
/// Every byte of the file is reserved against the tenant's quota before it is kept
/// (in memory or in storage); the upload is refused as soon as the reservation cannot grow.
async fn receive(
    form: Form,
    blobs: &BlobStore,
    storage_key: &str,
    limit: UploadLimit,
    reservation: &mut Reservation,
) -> Result<(Blob, String, &'static str), ApiError> {
    let mut writer = None;
    let received = receive_parts(form, blobs, storage_key, limit, reservation, &mut writer).await;
    if received.is_err() {
        // Abort before answering, so what was written is gone when the client hears why.
        if let Some(w) = writer.take() {
            let _ = w.abort().await;
        }
    }
    received
}

async fn receive_parts(
    mut form: Form,
    blobs: &BlobStore,
    storage_key: &str,
    limit: UploadLimit,
    reservation: &mut Reservation,
    writer: &mut Option<BlobWriter>,
) -> Result<(Blob, String, &'static str), ApiError> {
    let mut upload: Option<(Blob, String, &'static str)> = None;
    while let Some(field) = form.next_field().await {
        let mut field = field.map_err(form_error)?;
        if field.name() != Some("file") {
            form.text(&mut field).await.map_err(form_error)?;
            continue;
        }
        if upload.is_some() {
            return Err(ApiError::field("file", "send exactly one file"));
        }
        let name = sanitize_name(
            field
                .content_disposition()
                .and_then(|cd| cd.get_filename())
                .unwrap_or(""),
        );
        let mut head: Vec<u8> = Vec::with_capacity(SNIFF_LEN);
        let mut content_type = "";
        let mut total: u64 = 0;
        loop {
            let chunk = form
                .chunk(&mut field)
                .await
                .transpose()
                .map_err(form_error)?;
            let done = chunk.is_none();
            let chunk = chunk.unwrap_or_default();
            total += chunk.len() as u64;
            if total > reservation.bytes() {
                if let Err(available) = reservation.grow(total - reservation.bytes()) {
                    return Err(over_quota(reservation.bytes() + available));
                }
            }
            if total > limit.bytes {
                return Err(limit.refusal());
            }
            match writer.as_mut() {
                Some(w) => w.write(&chunk).await.map_err(storage_failed)?,
                // Nothing is stored until the first bytes show it is audio.
                None => {
                    head.extend_from_slice(&chunk);
                    if head.len() >= SNIFF_LEN || done {
                        if total == 0 {
                            return Err(ApiError::field("file", "the file is empty"));
                        }
                        content_type = sniff(&head).ok_or_else(|| {
                            ApiError::new(
                                Code::FileNotAudio,
                                "The file is not WAV, MP3, FLAC, OGG, MP4/M4A, WebM/Matroska or AIFF audio",
                            )
                        })?;
                        let w =
                            writer.insert(blobs.begin(storage_key).await.map_err(storage_failed)?);
                        w.write(&std::mem::take(&mut head))
                            .await
                            .map_err(storage_failed)?;
                    }
                }
            }
            if done {
                break;
            }
        }
        let w = writer
            .take()
            .ok_or_else(|| ApiError::field("file", "the file is empty"))?;
        let blob = w.finish().await.map_err(storage_failed)?;
        upload = Some((blob, name, content_type));
    }
    upload.ok_or_else(|| ApiError::field("file", "the `file` field is required"))
}

/// Uploads an audio file (tenant users).
///
/// The size limit is the smallest of the server's upload limit, the plan's
/// `max_upload_bytes` (`upload_too_large_for_plan`) and the tenant's remaining
/// storage quota (its plan's `storage_quota_mb`, or the tenant's own override, else
/// `default_storage_quota_mb`); files and job outputs both count against the quota, and so
/// do the tenant's uploads in progress.
#[utoipa::path(
    tag = "files",
    request_body(content = FileUploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = FileView, headers(("Location" = String, description = "The new file's URL"))),
        UploadErrors,
        WriteErrors
    )
)]
#[post("/files")]
pub async fn upload_file(
    state: web::Data<AppState>,
    authed: Authed,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::FilesWrite)?;
    let Some(tenant_id) = authed.principal.tenant_id else {
        return Err(ApiError::forbidden(
            "Files belong to tenants: upload as a tenant user",
        ));
    };
    let scope = authed.scope();
    let tenant = tenant_id.to_string();
    // Registered before the usage is read, so uploads that commit meanwhile stay counted.
    let mut reservation = state.uploads.begin(tenant_id);
    let (quota_mb, used, features, retention_days) = state
        .store
        .read(scope, move |c| {
            Ok((
                repo::files::storage_quota_mb(c, &scope, &tenant)?,
                repo::files::used_bytes(c, &scope, &tenant)?,
                crate::plan_features::for_tenant_id(c, &tenant)?,
                repo::tenants::retention_days(c, &tenant)?,
            ))
        })
        .await?;
    let limit = UploadLimit::new(state.settings.max_upload_bytes, &features);
    let max_upload = limit.bytes;
    let quota = match quota_mb {
        Some(mb) => u64::try_from(mb).unwrap_or(0).saturating_mul(MIB),
        None => state.settings.default_storage_quota_mb.saturating_mul(MIB),
    };
    reservation.set_usage(quota, u64::try_from(used).unwrap_or(0));
    // A body of known length reserves that much at once (see `crate::files::quota`).
    if let Some(len) = content_length(&req) {
        reservation.grow_up_to(len.min(max_upload));
    }
    if reservation.bytes() == 0 && reservation.available() == 0 {
        return Err(over_quota(0));
    }
    let form = Form::new(&req, payload, state.settings.max_form_fields, max_upload);
    let file_id = Uuid::now_v7();
    let storage_key = BlobStore::storage_key(tenant_id, file_id);
    let received = receive(form, &state.blobs, &storage_key, limit, &mut reservation).await;
    let (blob, name, content_type) = match received {
        Ok(r) => r,
        Err(e) => {
            // A file stored before the request went wrong (a second file, a bad field
            // after it) is removed: a refused upload keeps nothing.
            let _ = state.blobs.remove(&storage_key).await;
            return Err(e);
        }
    };
    let size = blob.size;
    let row = FileRow {
        id: file_id.to_string(),
        tenant_id: tenant_id.to_string(),
        user_id: Some(authed.principal.user_id.to_string()),
        name,
        content_type: content_type.to_string(),
        size_bytes: i64::try_from(blob.size).map_err(ApiError::internal)?,
        sha256: blob.sha256.clone(),
        storage_key: storage_key.clone(),
        status: "ready".into(),
        created_at: store::now(),
        deleted_at: None,
    };
    let actor = Actor::of(&authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let result = state
        .store
        .write(scope, move |c| {
            // Checked again under a per-tenant lock: concurrent uploads cannot overshoot.
            repo::files::lock_tenant_uploads(c, &row.tenant_id)?;
            let used = repo::files::used_bytes(c, &scope, &row.tenant_id)?;
            let used = u64::try_from(used).unwrap_or(0);
            if used + blob.size > quota {
                return Ok(Err(over_quota(quota.saturating_sub(used))));
            }
            repo::files::insert(c, &row)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "file.upload",
                    target_type: "file",
                    target_id: Some(row.id.clone()),
                    tenant_id: Some(row.tenant_id.clone()),
                    reseller_id: reseller,
                    details: serde_json::json!({
                        "name": row.name,
                        "content_type": row.content_type,
                        "size_bytes": row.size_bytes,
                        "sha256": row.sha256,
                    }),
                },
            )?;
            Ok(Ok(row))
        })
        .await;
    let row = match result {
        Ok(Ok(row)) => {
            reservation.committed(size);
            row
        }
        // The bytes are stored before the row commits: a refused or failed commit removes
        // them (and the sweeper's orphan pass catches a process killed in between).
        Ok(Err(refused)) => {
            let _ = state.blobs.remove(&storage_key).await;
            return Err(refused);
        }
        Err(e) => {
            let _ = state.blobs.remove(&storage_key).await;
            return Err(e.into());
        }
    };
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/files/{}", row.id)))
        .json(FileView::new(row, retention_days)))
}

/// Lists the tenant's files, newest first.
#[utoipa::path(tag = "files", params(PageQuery), responses((status = 200, body = FileList), ReadErrors))]
#[get("/files")]
pub async fn list_files(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<PageQuery>,
) -> Result<web::Json<FileList>, ApiError> {
    authed.require(Action::FilesRead)?;
    let page = query.to_request()?;
    let scope = authed.scope();
    let (rows, retention) = state
        .store
        .read(scope, move |c| {
            let rows = repo::files::list(c, &scope, &page)?;
            // One lookup per tenant on the page (a reseller's list spans several).
            let mut retention = std::collections::HashMap::new();
            for r in &rows.items {
                if !retention.contains_key(&r.tenant_id) {
                    let days = repo::tenants::retention_days(c, &r.tenant_id)?;
                    retention.insert(r.tenant_id.clone(), days);
                }
            }
            Ok((rows, retention))
        })
        .await?;
    Ok(web::Json(FileList::from_page(rows.map(|r| {
        let days = retention.get(&r.tenant_id).copied().flatten();
        FileView::new(r, days)
    }))))
}

async fn find(state: &AppState, authed: &Authed, id: Uuid) -> Result<FileRow, ApiError> {
    let scope = authed.scope();
    let id = id.to_string();
    state
        .store
        .read(scope, move |c| repo::files::get(c, &scope, &id))
        .await?
        .ok_or_else(|| ApiError::of(Code::FileNotFound))
}

/// A file's row with its tenant's retention.
async fn find_view(state: &AppState, authed: &Authed, id: Uuid) -> Result<FileView, ApiError> {
    let scope = authed.scope();
    let id = id.to_string();
    let (row, days) = state
        .store
        .read(scope, move |c| {
            let Some(row) = repo::files::get(c, &scope, &id)? else {
                return Ok(None);
            };
            let days = repo::tenants::retention_days(c, &row.tenant_id)?;
            Ok(Some((row, days)))
        })
        .await?
        .ok_or_else(|| ApiError::of(Code::FileNotFound))?;
    Ok(FileView::new(row, days))
}

/// Reads a file's metadata.
#[utoipa::path(tag = "files", params(("id" = Uuid, Path)), responses((status = 200, body = FileView), ReadErrors))]
#[get("/files/{id}")]
pub async fn get_file(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<FileView>, ApiError> {
    authed.require(Action::FilesRead)?;
    Ok(web::Json(
        find_view(&state, &authed, id.into_inner()).await?,
    ))
}

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
enum RangeRequest {
    /// No range, or one this server ignores (several ranges, other units, bad syntax).
    Whole,
    /// Bytes `start..=end`.
    Part {
        start: u64,
        end: u64,
    },
    Unsatisfiable,
}

fn parse_range(value: &str, size: u64) -> RangeRequest {
    let Some((unit, spec)) = value.trim().split_once('=') else {
        return RangeRequest::Whole;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return RangeRequest::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeRequest::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    if first.is_empty() {
        // `-n`: the last n bytes.
        return match number(last) {
            None => RangeRequest::Whole,
            Some(0) => RangeRequest::Unsatisfiable,
            Some(_) if size == 0 => RangeRequest::Unsatisfiable,
            Some(n) => RangeRequest::Part {
                start: size.saturating_sub(n),
                end: size - 1,
            },
        };
    }
    let Some(start) = number(first) else {
        return RangeRequest::Whole;
    };
    let end = if last.is_empty() {
        u64::MAX
    } else {
        match number(last) {
            Some(end) if end >= start => end,
            _ => return RangeRequest::Whole,
        }
    };
    if start >= size {
        return RangeRequest::Unsatisfiable;
    }
    RangeRequest::Part {
        start,
        end: end.min(size - 1),
    }
}

/// `Content-Disposition` for stored bytes named `name` (a file's upload name, an
/// artifact's node id): quotes, backslashes and control characters never reach the header
/// (ASCII names have them replaced; others go percent-encoded in `filename*`).
pub(crate) fn disposition_as(kind: DispositionType, name: &str) -> ContentDisposition {
    let param = if name.is_ascii() {
        DispositionParam::Filename(
            name.chars()
                .map(|c| {
                    if c.is_ascii_control() || c == '"' || c == '\\' {
                        '_'
                    } else {
                        c
                    }
                })
                .collect(),
        )
    } else {
        DispositionParam::FilenameExt(header::ExtendedValue {
            charset: header::Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: name.as_bytes().to_vec(),
        })
    };
    ContentDisposition {
        disposition: kind,
        parameters: vec![param],
    }
}

fn disposition(name: &str) -> ContentDisposition {
    disposition_as(DispositionType::Attachment, name)
}

/// Stored bytes are served as the type they were stored with, never sniffed into another.
pub(crate) const NOSNIFF: (&str, &str) = ("x-content-type-options", "nosniff");

/// Downloads a file's bytes.
///
/// Supports one `Range` (`bytes=a-b`, `bytes=a-`, `bytes=-n`; answered 206, or 416 with
/// `Content-Range: bytes */SIZE` when it starts past the end), `If-Range` and
/// `If-None-Match` with the `ETag` (the file's SHA-256).
#[utoipa::path(
    tag = "files",
    params(
        ("id" = Uuid, Path),
        ("Range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`, `bytes=1024-` or `bytes=-1024`"),
        ("If-Range" = Option<String>, Header, description = "Honour `Range` only if the ETag still matches"),
        ("If-None-Match" = Option<String>, Header, description = "ETag of a cached copy"),
    ),
    responses(
        (status = 200, description = "The whole file, with its detected content type", content((FileContent = "audio/*"), (FileContent = "application/octet-stream")),
         headers(("ETag" = String, description = "The SHA-256 in quotes"), ("Accept-Ranges" = String), ("Content-Length" = u64))),
        (status = 206, description = "The requested range", content((FileContent = "audio/*"), (FileContent = "application/octet-stream")),
         headers(("Content-Range" = String, description = "`bytes START-END/SIZE`"), ("ETag" = String), ("Content-Length" = u64))),
        (status = 304, description = "The cached copy (If-None-Match) is current"),
        (status = 416, description = "The range starts past the end; `Content-Range: bytes */SIZE`", body = Problem, content_type = "application/problem+json"),
        ReadErrors
    )
)]
#[get("/files/{id}/content")]
pub async fn download_file(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::FilesRead)?;
    let row = find(&state, &authed, id.into_inner()).await?;
    serve_stored(
        &req,
        &state.blobs,
        &row.storage_key,
        &row.sha256,
        &row.content_type,
        &row.name,
    )
    .await
}

/// Serves the stored object `storage_key` as a download named `name`, with `sha256` as the
/// `ETag`: one `Range` (206, or 416 past the end), `If-Range` and `If-None-Match` (304).
pub(crate) async fn serve_stored(
    req: &HttpRequest,
    blobs: &BlobStore,
    storage_key: &str,
    sha256: &str,
    content_type: &str,
    name: &str,
) -> Result<HttpResponse, ApiError> {
    let etag = format!("\"{sha256}\"");
    let header_str = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
    if header_str(header::IF_NONE_MATCH)
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header(NOSNIFF)
            .finish());
    }
    let size = blobs
        .size(storage_key)
        .await
        .map_err(storage_failed)?
        .ok_or_else(|| ApiError::internal(format!("no stored object {storage_key}")))?;
    let range_applies = header_str(header::IF_RANGE).is_none_or(|v| v.trim() == etag);
    let range = match header_str(header::RANGE) {
        Some(v) if range_applies => parse_range(v, size),
        _ => RangeRequest::Whole,
    };
    let (status, start, len) = match range {
        RangeRequest::Whole => (StatusCode::OK, 0, size),
        RangeRequest::Part { start, end } => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        RangeRequest::Unsatisfiable => {
            let mut res = ApiError::new(
                Code::RangeNotSatisfiable,
                format!("The file has {size} bytes"),
            )
            .error_response();
            if let Ok(v) = header::HeaderValue::from_str(&format!("bytes */{size}")) {
                res.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return Ok(res);
        }
    };
    let mut res = HttpResponse::build(status);
    res.insert_header((header::CONTENT_TYPE, content_type.to_string()))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header(NOSNIFF)
        .insert_header(disposition(name));
    if status == StatusCode::PARTIAL_CONTENT {
        res.insert_header((
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{size}", start + len - 1),
        ));
    }
    let body = blobs
        .read_range(storage_key, start..start + len)
        .await
        .map_err(storage_failed)?;
    Ok(res.body(SizedStream::new(len, body)))
}

/// Deletes a file: its metadata stays for the record, its bytes are removed.
#[utoipa::path(tag = "files", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/files/{id}")]
pub async fn delete_file(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::FilesWrite)?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let id = id.to_string();
    let row = state
        .store
        .write(scope, move |c| {
            let Some(row) = repo::files::get(c, &scope, &id)? else {
                return Ok(Err(ApiError::of(Code::FileNotFound)));
            };
            repo::files::mark_deleted(c, &id, store::now())?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "file.delete",
                    target_type: "file",
                    target_id: Some(id.clone()),
                    tenant_id: Some(row.tenant_id.clone()),
                    reseller_id: reseller,
                    details: serde_json::json!({"name": row.name, "size_bytes": row.size_bytes}),
                },
            )?;
            Ok(Ok(row))
        })
        .await??;
    // After the commit: a failed removal leaves an unreferenced blob, never a dangling row.
    if let Err(e) = state.blobs.remove(&row.storage_key).await {
        tracing::error!(error = %e, file_id = %row.id, "cannot remove a deleted file's bytes");
    }
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        use RangeRequest::*;
        let r = |s| parse_range(s, 100);
        assert_eq!(r("bytes=0-9"), Part { start: 0, end: 9 });
        assert_eq!(r("bytes=90-"), Part { start: 90, end: 99 });
        assert_eq!(r("bytes=-10"), Part { start: 90, end: 99 });
        assert_eq!(r("bytes=-500"), Part { start: 0, end: 99 });
        assert_eq!(r("bytes=50-1000"), Part { start: 50, end: 99 });
        assert_eq!(r("bytes=99-99"), Part { start: 99, end: 99 });
        assert_eq!(r("bytes=100-"), Unsatisfiable);
        assert_eq!(r("bytes=100-200"), Unsatisfiable);
        assert_eq!(r("bytes=-0"), Unsatisfiable);
        assert_eq!(r("bytes=5-2"), Whole);
        assert_eq!(r("bytes=0-1,5-6"), Whole);
        assert_eq!(r("items=0-1"), Whole);
        assert_eq!(r("bytes=a-b"), Whole);
        assert_eq!(r("bytes=+1-2"), Whole);
        assert_eq!(r("garbage"), Whole);
        assert_eq!(parse_range("bytes=-5", 0), Unsatisfiable);
        assert_eq!(parse_range("bytes=0-", 0), Unsatisfiable);
    }
}
