//! OpenAI-compatible speech-to-text: `POST /v1/audio/transcriptions`,
//! `POST /v1/audio/translations` and `GET /v1/models`.
//!
//! The request and response shapes follow OpenAI's API so the official SDKs, Flowise's
//! "LocalAI STT" and Open WebUI work unchanged, authenticated with a Voxflow API key as the
//! bearer token. Errors on these routes use OpenAI's shape
//! (`{"error": {"message", "type", "param", "code"}}`); the rest of the API keeps
//! problem+json. Each request records its audio seconds in the tenant's usage.

use super::multipart::{Form as MultipartForm, FormError};
use crate::app::AppState;
use crate::auth::{Action, Authed};
use crate::engine::admission;
use crate::error::{ApiError, Code};
use crate::speech::TranscribeRequest;
use crate::store::{self, repo};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use std::io::Write;
use utoipa::ToSchema;
use voxflow_nodes::asr::whisper::{Task, WhisperParams};
use voxflow_nodes::export::{self, ExportParams, Format};
use voxflow_nodes::{NodeError, NodeErrorKind, Transcript};

/// OpenAI's error envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenAiErrorBody {
    pub error: OpenAiErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenAiErrorDetail {
    pub message: String,
    /// `invalid_request_error`, `authentication_error`, `permission_error`, `not_found_error`,
    /// `rate_limit_error` or `server_error`.
    #[serde(rename = "type")]
    pub type_: String,
    pub param: Option<String>,
    pub code: Option<String>,
}

#[derive(Debug)]
pub struct OpenAiError {
    status: StatusCode,
    body: OpenAiErrorBody,
}

impl OpenAiError {
    fn new(
        status: StatusCode,
        type_: &str,
        code: &str,
        param: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            body: OpenAiErrorBody {
                error: OpenAiErrorDetail {
                    message: message.into(),
                    type_: type_.into(),
                    param: param.map(str::to_string),
                    code: Some(code.into()),
                },
            },
        }
    }

    fn invalid(param: &str, message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "invalid_value",
            Some(param),
            message,
        )
    }
}

impl std::fmt::Display for OpenAiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.body.error.message)
    }
}

impl ResponseError for OpenAiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }
    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status).json(&self.body)
    }
}

/// The rest of the API's errors, translated into OpenAI's shape.
impl From<ApiError> for OpenAiError {
    fn from(e: ApiError) -> Self {
        let status = e.code.status();
        let type_ = match status.as_u16() {
            401 => "authentication_error",
            403 => "permission_error",
            404 => "not_found_error",
            429 => "rate_limit_error",
            s if s >= 500 => "server_error",
            _ => "invalid_request_error",
        };
        let param = e.errors.first().map(|f| f.field.clone());
        Self::new(status, type_, e.code.slug(), param.as_deref(), e.detail)
    }
}

impl From<crate::store::StoreError> for OpenAiError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError::from(e).into()
    }
}

/// A node failure as the client should see it: user faults are 4xx with the node's message
/// (paths replaced), runtime faults and bugs are 5xx with a generic message.
fn node_error(
    e: NodeError,
    upload: &std::path::Path,
    resources: &voxflow_nodes::NodeResources,
) -> OpenAiError {
    let message = resources.scrub_paths(
        &e.message
            .replace(&upload.display().to_string(), "the uploaded file"),
    );
    if !matches!(
        e.kind,
        NodeErrorKind::ModelLoad
            | NodeErrorKind::RuntimeUnavailable
            | NodeErrorKind::Inference
            | NodeErrorKind::Internal
    ) {
        // The caller's input: theirs to fix. The request span names the request and tenant.
        tracing::info!(kind = ?e.kind, error = %message, "transcription refused (input)");
    }
    let (status, code, param) = match e.kind {
        NodeErrorKind::InvalidParams | NodeErrorKind::InvalidInput => {
            (StatusCode::BAD_REQUEST, "invalid_value", None)
        }
        NodeErrorKind::UnsupportedFormat => {
            (StatusCode::BAD_REQUEST, "unsupported_format", Some("file"))
        }
        NodeErrorKind::CorruptAudio => (StatusCode::BAD_REQUEST, "corrupt_audio", Some("file")),
        NodeErrorKind::EmptyAudio => (StatusCode::BAD_REQUEST, "empty_audio", Some("file")),
        NodeErrorKind::TooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "file_too_large",
            Some("file"),
        ),
        NodeErrorKind::TooLong => (StatusCode::BAD_REQUEST, "audio_too_long", Some("file")),
        NodeErrorKind::ModelNotFound => (StatusCode::NOT_FOUND, "model_not_found", Some("model")),
        NodeErrorKind::Cancelled => (StatusCode::SERVICE_UNAVAILABLE, "cancelled", None),
        NodeErrorKind::ModelLoad
        | NodeErrorKind::RuntimeUnavailable
        | NodeErrorKind::Inference
        | NodeErrorKind::Internal => {
            tracing::error!(error = %e, "transcription failed");
            return OpenAiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "internal",
                None,
                "Transcription failed; the error has been logged",
            );
        }
    };
    let type_ = if status == StatusCode::NOT_FOUND {
        "not_found_error"
    } else {
        "invalid_request_error"
    };
    OpenAiError::new(status, type_, code, param, message)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResponseFormat {
    Json,
    Text,
    Srt,
    VerboseJson,
    Vtt,
}

impl ResponseFormat {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "json" => Self::Json,
            "text" => Self::Text,
            "srt" => Self::Srt,
            "verbose_json" => Self::VerboseJson,
            "vtt" => Self::Vtt,
            _ => return None,
        })
    }
}

/// The multipart form, as OpenAI defines it (plus Voxflow's `vad`).
#[derive(Debug, Default)]
struct Form {
    file: Option<(tempfile::NamedTempFile, String)>,
    model: Option<String>,
    language: Option<String>,
    prompt: Option<String>,
    response_format: Option<String>,
    temperature: Option<String>,
    granularities: Vec<String>,
    vad: Option<String>,
}

/// A `timestamp_granularities[]` value.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum TimestampGranularity {
    Word,
    Segment,
}

/// Multipart schema for the OpenAPI document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TranscriptionForm {
    /// The audio file: WAV, MP3, FLAC, OGG (Vorbis, Opus), M4A/AAC or WebM (Opus, Vorbis), e.g. a browser recording.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// A catalog name (`tiny.en`, `base`, `base-q8_0`, …); `whisper-1` means the default model.
    model: String,
    /// ISO 639-1 code; omit to detect. Ignored by translations.
    #[schema(nullable = false)]
    language: Option<String>,
    /// Text to condition the model (names, spelling).
    #[schema(nullable = false)]
    prompt: Option<String>,
    /// `json` (default), `text`, `srt`, `verbose_json` or `vtt`.
    #[schema(nullable = false, pattern = "^(json|text|srt|verbose_json|vtt)?$")]
    response_format: Option<String>,
    /// 0 to 1; higher falls back more randomly.
    #[schema(nullable = false, minimum = 0, maximum = 1)]
    temperature: Option<f32>,
    /// `word` and/or `segment` (with `verbose_json`).
    #[schema(rename = "timestamp_granularities[]", nullable = false, value_type = Option<Vec<TimestampGranularity>>)]
    timestamp_granularities: Option<Vec<String>>,
    /// Voxflow extension: `true` (or `1`) runs Silero VAD first and transcribes only the
    /// speech; `false` (or `0`, the default) does not. A form field is text.
    #[schema(nullable = false, value_type = Option<String>, pattern = r"^\s*(true|false|1|0)?\s*$")]
    vad: Option<bool>,
}

fn form_error(e: FormError) -> OpenAiError {
    let detail = e.detail();
    match e {
        FormError::TooManyFields(_) => OpenAiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request_error",
            "too_many_fields",
            None,
            detail,
        ),
        FormError::TooLarge(_) => OpenAiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request_error",
            "request_too_large",
            None,
            detail,
        ),
        FormError::FieldTooLong(name) => OpenAiError::invalid(&name, "field is too long"),
        FormError::Multipart(e) => {
            OpenAiError::invalid("file", format!("malformed multipart body: {e}"))
        }
    }
}

/// Reads the form within the limits of [`MultipartForm`]: every field counts against
/// `max_form_fields`, so repeated fields (`timestamp_granularities[]`) cannot pile up.
async fn read_form(
    mut payload: MultipartForm,
    state: &AppState,
    upload_limit: super::files::UploadLimit,
) -> Result<Form, OpenAiError> {
    let mut form = Form::default();
    let limit = upload_limit.bytes;
    let tmp_dir = state.settings.data_dir.join("tmp");
    while let Some(field) = payload.next_field().await {
        let mut field = field.map_err(form_error)?;
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let filename = field
                .content_disposition()
                .and_then(|cd| cd.get_filename())
                .unwrap_or("upload")
                .to_string();
            let dir = tmp_dir.clone();
            let mut tmp = web::block(move || {
                std::fs::create_dir_all(&dir)?;
                tempfile::Builder::new().prefix("upload-").tempfile_in(&dir)
            })
            .await
            .map_err(|e| OpenAiError::from(ApiError::internal(e)))?
            .map_err(|e| OpenAiError::from(ApiError::internal(e)))?;
            let mut written: u64 = 0;
            while let Some(chunk) = payload.chunk(&mut field).await {
                let chunk = chunk.map_err(|e| match e {
                    FormError::Multipart(e) => {
                        OpenAiError::invalid("file", format!("upload interrupted: {e}"))
                    }
                    other => form_error(other),
                })?;
                written += chunk.len() as u64;
                if written > limit {
                    return Err(OpenAiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "invalid_request_error",
                        if upload_limit.by_plan {
                            Code::UploadTooLargeForPlan.slug()
                        } else {
                            "file_too_large"
                        },
                        Some("file"),
                        upload_limit.refusal().detail,
                    ));
                }
                // Small synchronous writes to a local temp file; buffered by the OS.
                tmp.write_all(&chunk)
                    .map_err(|e| OpenAiError::from(ApiError::internal(e)))?;
            }
            form.file = Some((tmp, filename));
        } else {
            let value = payload.text(&mut field).await.map_err(|e| match e {
                FormError::Multipart(e) => {
                    OpenAiError::invalid(&name, format!("malformed field: {e}"))
                }
                other => form_error(other),
            })?;
            let value = String::from_utf8(value)
                .map_err(|_| OpenAiError::invalid(&name, "must be UTF-8 text"))?;
            match name.as_str() {
                "model" => form.model = Some(value),
                "language" => form.language = Some(value),
                "prompt" => form.prompt = Some(value),
                "response_format" => form.response_format = Some(value),
                "temperature" => form.temperature = Some(value),
                "timestamp_granularities[]" | "timestamp_granularities" => {
                    form.granularities.push(value)
                }
                "vad" => form.vad = Some(value),
                // OpenAI accepts fields we do not use (e.g. `stream`, `include[]`); ignore them.
                _ => {}
            }
        }
    }
    Ok(form)
}

/// Transcribes audio into its own language.
#[utoipa::path(
    tag = "openai",
    request_body(content = TranscriptionForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "`json`: `{text}`; `verbose_json`: language, duration, segments, words; `text`, `srt`, `vtt`: plain text", body = Object),
        (status = 400, description = "Invalid field, unsupported or corrupt audio", body = OpenAiErrorBody),
        (status = 401, description = "Missing or invalid API key", body = OpenAiErrorBody),
        (status = 404, description = "Model not installed", body = OpenAiErrorBody),
        (status = 413, description = "File over the upload limit (`file_too_large`), more than `max_form_fields` fields (`too_many_fields`) or a body over its limit (`request_too_large`)", body = OpenAiErrorBody),
        (status = 403, description = "The credential lacks the `jobs:write` scope, or its tenant or reseller is suspended (`tenant_suspended`, `reseller_suspended`)", body = OpenAiErrorBody),
        (status = 402, description = "The tenant's processing quota is used up or the audio does not fit in it (`quota_exceeded`), or its subscription is inactive (`subscription_inactive`)", body = OpenAiErrorBody),
        (status = 429, description = "The tenant already runs as many jobs and requests as its limit allows (`too_many_concurrent_requests`); retry with backoff", body = OpenAiErrorBody),
    )
)]
#[post("/audio/transcriptions")]
pub async fn create_transcription(
    state: web::Data<AppState>,
    authed: Result<Authed, ApiError>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, OpenAiError> {
    speech_to_text(state, authed, req, payload, Task::Transcribe).await
}

/// Translates speech in any language into English text.
#[utoipa::path(
    tag = "openai",
    request_body(content = TranscriptionForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "As for transcriptions, in English", body = Object),
        (status = 400, description = "Invalid field, unsupported or corrupt audio", body = OpenAiErrorBody),
        (status = 401, description = "Missing or invalid API key", body = OpenAiErrorBody),
        (status = 404, description = "Model not installed", body = OpenAiErrorBody),
        (status = 413, description = "File over the upload limit (`file_too_large`), more than `max_form_fields` fields (`too_many_fields`) or a body over its limit (`request_too_large`)", body = OpenAiErrorBody),
        (status = 403, description = "The credential lacks the `jobs:write` scope, or its tenant or reseller is suspended (`tenant_suspended`, `reseller_suspended`)", body = OpenAiErrorBody),
        (status = 402, description = "The tenant's processing quota is used up or the audio does not fit in it (`quota_exceeded`), or its subscription is inactive (`subscription_inactive`)", body = OpenAiErrorBody),
        (status = 429, description = "The tenant already runs as many jobs and requests as its limit allows (`too_many_concurrent_requests`); retry with backoff", body = OpenAiErrorBody),
    )
)]
#[post("/audio/translations")]
pub async fn create_translation(
    state: web::Data<AppState>,
    authed: Result<Authed, ApiError>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, OpenAiError> {
    speech_to_text(state, authed, req, payload, Task::Translate).await
}

async fn speech_to_text(
    state: web::Data<AppState>,
    authed: Result<Authed, ApiError>,
    req: HttpRequest,
    payload: web::Payload,
    task: Task,
) -> Result<HttpResponse, OpenAiError> {
    let authed = authed?;
    authed.require(Action::JobsWrite)?;
    let Some(tenant_id) = authed.principal.tenant_id else {
        return Err(ApiError::forbidden(
            "Transcription is billed to a tenant: use a tenant user's API key",
        )
        .into());
    };
    let features = crate::plan_features::of_caller(&state.store, &authed)
        .await
        .map_err(ApiError::from)?;
    let upload_limit = super::files::UploadLimit::new(state.settings.max_upload_bytes, &features);
    let payload = MultipartForm::new(
        &req,
        payload,
        state.settings.max_form_fields,
        upload_limit.bytes,
    );
    let form = read_form(payload, &state, upload_limit).await?;
    let Some((upload, _filename)) = form.file else {
        return Err(OpenAiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "missing_file",
            Some("file"),
            "The `file` field is required",
        ));
    };
    let format = match form.response_format.as_deref() {
        None | Some("") => ResponseFormat::Json,
        Some(f) => ResponseFormat::parse(f).ok_or_else(|| {
            OpenAiError::invalid(
                "response_format",
                format!("`{f}` is not one of json, text, srt, verbose_json, vtt"),
            )
        })?,
    };
    let temperature = match form.temperature.as_deref().map(str::trim) {
        None | Some("") => 0.0,
        Some(t) => t
            .parse::<f32>()
            .ok()
            .filter(|t| (0.0..=1.0).contains(t))
            .ok_or_else(|| OpenAiError::invalid("temperature", "must be a number from 0 to 1"))?,
    };
    let mut words = false;
    for g in &form.granularities {
        match g.as_str() {
            "word" => words = true,
            "segment" => {}
            other => {
                return Err(OpenAiError::invalid(
                    "timestamp_granularities[]",
                    format!("`{other}` is not word or segment"),
                ))
            }
        }
    }
    let vad = match form.vad.as_deref().map(str::trim) {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(_) => return Err(OpenAiError::invalid("vad", "must be true or false")),
    };
    let language = match (task, form.language.as_deref().map(str::trim)) {
        (Task::Translate, _) | (_, None) | (_, Some("")) => "auto".to_string(),
        (_, Some(l)) => l.to_lowercase(),
    };
    let model = state.speech.model_name(form.model.as_deref().unwrap_or(""));
    let upload_path = upload.path().to_path_buf();
    let resources = state.speech.resources();
    state
        .speech
        .resolve_model(&model)
        .map_err(|e| node_error(e, &upload_path, &resources))?;
    // Admission (`engine::admission`): standing, the model's availability, the upload's
    // audio reserved against the quota, and one of the tenant's concurrency slots — held
    // (its lease renewed) until the answer is ready, freed if the client goes away.
    let audio_milli = {
        let (resources, path) = (resources.clone(), upload_path.clone());
        web::block(move || admission::probe_milli(&resources, &path).unwrap_or(0))
            .await
            .map_err(|e| OpenAiError::from(ApiError::internal(e)))?
    };
    let mut nodes = vec![(
        "whisper".to_string(),
        "whisper.transcribe".to_string(),
        serde_json::json!({ "model": model }),
    )];
    if vad {
        nodes.insert(
            0,
            ("vad".into(), "vad.silero".into(), serde_json::json!({})),
        );
    }
    let submission = admission::Submission {
        tenant_id: tenant_id.to_string(),
        nodes,
        audio_milli,
        work: admission::Work::Transcription,
    };
    let ((), ticket) = state
        .admission()
        .admit(authed.scope(), submission, |_| Ok(Ok(())))
        .await?;
    let slot = admission::Slot::start(state.store.clone(), authed.scope(), ticket);

    let request = TranscribeRequest {
        path: upload_path.clone(),
        whisper: WhisperParams {
            model: model.clone(),
            language,
            task,
            temperature,
            initial_prompt: form.prompt.filter(|p| !p.trim().is_empty()),
            // SRT and WebVTT cues are cut and timed from words (`verbose_json` shows them
            // only when `timestamp_granularities[]=word` asked).
            word_timestamps: words || matches!(format, ResponseFormat::Srt | ResponseFormat::Vtt),
            ..WhisperParams::default()
        },
        vad,
    };
    let started = std::time::Instant::now();
    // actix-web would keep transcribing for a client that hung up: stop when it does
    // (dropping the work trips its cancel token; the slot is freed when `slot` drops).
    let transcript = super::peer::until_peer_leaves(&req, state.speech.transcribe(request))
        .await
        .map_err(|super::peer::PeerLeft| {
            tracing::info!(model = %model, "client went away; transcription stopped");
            OpenAiError::new(
                StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
                "invalid_request_error",
                "client_closed_request",
                None,
                "The client closed the connection before the transcription was ready",
            )
        })?
        .map_err(|e| node_error(e, &upload_path, &resources))?;
    drop(upload);
    tracing::info!(
        model = %model,
        audio_secs = transcript.duration,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "transcribed"
    );
    slot.settle(usage_row(&authed, tenant_id, transcript.duration))
        .await?;
    render(format, &transcript, task, words)
}

/// The request's measured audio, billed when its slot is settled.
fn usage_row(authed: &Authed, tenant_id: uuid::Uuid, seconds: f64) -> repo::usage::UsageRow {
    repo::usage::UsageRow {
        id: store::new_id(),
        tenant_id: tenant_id.to_string(),
        user_id: Some(authed.principal.user_id.to_string()),
        job_id: None,
        resource_type: "transcription".into(),
        amount_milli: (seconds * 1000.0).round() as i64,
        unit: "audio_seconds".into(),
        recorded_at: store::now(),
        node_id: None,
        node_kind: None,
    }
}

fn render(
    format: ResponseFormat,
    t: &Transcript,
    task: Task,
    words: bool,
) -> Result<HttpResponse, OpenAiError> {
    let text = t.text();
    let plain = |ct: &str, body: String| HttpResponse::Ok().content_type(ct).body(body);
    let subtitles = |f: Format| {
        export::render(
            t,
            &ExportParams {
                format: f,
                ..ExportParams::default()
            },
        )
        .map_err(|e| OpenAiError::from(ApiError::internal(e)))
    };
    Ok(match format {
        ResponseFormat::Json => HttpResponse::Ok().json(serde_json::json!({ "text": text })),
        ResponseFormat::Text => plain("text/plain; charset=utf-8", text),
        ResponseFormat::Srt => plain(
            "application/x-subrip; charset=utf-8",
            subtitles(Format::Srt)?,
        ),
        ResponseFormat::Vtt => plain("text/vtt; charset=utf-8", subtitles(Format::Vtt)?),
        ResponseFormat::VerboseJson => {
            let segments: Vec<_> = t
                .segments
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "id": s.id, "seek": 0, "start": s.start, "end": s.end, "text": s.text,
                        "tokens": [], "temperature": 0.0, "avg_logprob": s.avg_logprob,
                        "compression_ratio": 0.0, "no_speech_prob": s.no_speech_prob,
                    })
                })
                .collect();
            let mut body = serde_json::json!({
                "task": match task { Task::Transcribe => "transcribe", Task::Translate => "translate" },
                "language": voxflow_nodes::asr::language_full_name(&t.language).unwrap_or(&t.language),
                "duration": t.duration,
                "text": text,
                "segments": segments,
            });
            if words {
                let w: Vec<_> = t
                    .segments
                    .iter()
                    .flat_map(|s| s.words.iter().flatten())
                    .map(|w| serde_json::json!({"word": w.text.trim(), "start": w.start, "end": w.end}))
                    .collect();
                body["words"] = serde_json::json!(w);
            }
            HttpResponse::Ok().json(body)
        }
    })
}

/// OpenAI's model list entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenAiModel {
    pub id: String,
    /// Always `model`.
    pub object: &'static str,
    pub created: i64,
    pub owned_by: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenAiModelList {
    /// Always `list`.
    pub object: &'static str,
    pub data: Vec<OpenAiModel>,
}

/// Lists the installed Whisper models (and `whisper-1`, the default) that the caller's plan
/// allows, OpenAI style.
#[utoipa::path(
    tag = "openai",
    responses((status = 200, body = OpenAiModelList), (status = 401, body = OpenAiErrorBody))
)]
#[get("/models")]
pub async fn list_models(
    state: web::Data<AppState>,
    authed: Result<Authed, ApiError>,
) -> Result<web::Json<OpenAiModelList>, OpenAiError> {
    let authed = authed?;
    authed.require(Action::JobsRead)?;
    let created = chrono::Utc::now().timestamp();
    let model = |id: String| OpenAiModel {
        id,
        object: "model",
        created,
        owned_by: "voxflow",
    };
    // A tenant sees only the models its plan allows (`whisper-1` is the default model).
    let features = crate::plan_features::of_caller(&state.store, &authed)
        .await
        .map_err(ApiError::from)?;
    let default_model = state.speech.model_name("");
    let mut data = Vec::new();
    if features.allows_model(&default_model) {
        data.push(model("whisper-1".into()));
    }
    data.extend(
        state
            .speech
            .installed_whisper_models()
            .into_iter()
            .filter(|m| features.allows_model(m))
            .map(model),
    );
    Ok(web::Json(OpenAiModelList {
        object: "list",
        data,
    }))
}
