//! `GET /v1/ws`: job events pushed over a WebSocket, with resume.
//!
//! Protocol (JSON text frames; every server message uses one envelope
//! `{type, job_id, seq, time, data}`, with `job_id`/`seq` null on control messages):
//! 1. Authenticate with the subprotocol header
//!    (`Sec-WebSocket-Protocol: voxflow.v1, bearer.<token or vf_ key>`) or, within 10 s, a
//!    first message `{"type": "auth", "token": "…"}`. Tokens never go in the URL.
//!    The server answers `welcome`.
//! 2. `{"type": "subscribe", "job_ids": ["…"], "since": 12}` replays each job's events
//!    after `since` from the event log, then streams live ones, in `seq` order without
//!    gaps or repeats. `{"type": "subscribe", "tenant": true}` streams every live event of
//!    the caller's tenant. `unsubscribe` takes the same fields. Unknown or foreign job ids
//!    answer an `error` with code `job_not_found`.
//! 3. The server pings every 20 s and closes a connection silent for 60 s; `{"type":"ping"}`
//!    is answered with `pong`.
//! 4. The credential is checked again every `VOXFLOW_WS_RECHECK_SECS` (30 s) and an access
//!    token also when it expires. A session whose credential no longer holds gets an `error`
//!    message, then a close frame: `4401` when the credential is no longer valid (access token
//!    expired, API key revoked or expired, account deleted: reconnect with a fresh one),
//!    `4403` when access was withdrawn (account suspended, tenant or reseller deleted, `jobs:read`
//!    lost). The close reason is the problem code (`invalid_api_key`, `reseller_suspended`, …).
//! 5. A tenant may hold `VOXFLOW_WS_MAX_SESSIONS_PER_TENANT` (100) sessions per process; one
//!    more gets `error` `too_many_sessions` and close code `4429`. Its sessions together may
//!    follow `VOXFLOW_WS_MAX_SUBSCRIPTIONS_PER_TENANT` (10 000) job ids; ids past that answer
//!    `error` `too_many_subscriptions` and are not followed.
//!
//! When the PostgreSQL listener reconnects (the database restarted, say), events committed
//! meanwhile never reached the hub: every session catches its followed jobs up from the
//! log, so a client sees no gap and every job's final event.
//! A session that falls behind the hub (a slow client) gets `resync` and is caught up from
//! the event log for the jobs it follows; it never slows the workers. Sessions only ever
//! see events of their own tenant: the hub keeps one channel per tenant, so another
//! tenant's events never enter a session's queue.

use super::{envelope, HubEvent};
use crate::app::AppState;
use crate::auth::extractor::{authenticate, Presented};
use crate::auth::Action;
use crate::error::{ApiError, Code};
use crate::store::repo::jobs as jobs_repo;
use crate::tenancy::{Principal, Scope};
use actix_web::{get, web, HttpRequest, HttpResponse};
use actix_ws::{CloseCode, CloseReason, Message, MessageStream, Session};
use futures_util::StreamExt;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

const PROTOCOL: &str = "voxflow.v1";
const AUTH_TIMEOUT: Duration = Duration::from_secs(10);
const PING_EVERY: Duration = Duration::from_secs(20);
const IDLE_LIMIT: Duration = Duration::from_secs(60);
/// Events replayed per query while catching a job up.
const REPLAY_BATCH: i64 = 500;

/// Close code: the credential is no longer valid (expired, revoked, account deleted).
pub const CLOSE_CREDENTIAL_INVALID: u16 = 4401;
/// Close code: access was withdrawn (account, tenant or reseller suspended; permission lost).
pub const CLOSE_ACCESS_WITHDRAWN: u16 = 4403;
/// Close code: the tenant already has its maximum of sessions open.
pub const CLOSE_TOO_MANY_SESSIONS: u16 = 4429;

fn close_reason(code: u16, reason: &str) -> CloseReason {
    // A close frame carries at most 123 bytes of reason.
    let mut reason = reason.to_string();
    while reason.len() > 123 {
        reason.pop();
    }
    CloseReason {
        code: CloseCode::Other(code),
        description: Some(reason),
    }
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    Auth {
        token: String,
    },
    Subscribe {
        #[serde(default)]
        job_ids: Vec<String>,
        #[serde(default)]
        tenant: bool,
        #[serde(default)]
        since: i64,
    },
    Unsubscribe {
        #[serde(default)]
        job_ids: Vec<String>,
        #[serde(default)]
        tenant: bool,
    },
    Ping,
}

fn control(kind: &str, data: serde_json::Value) -> String {
    serde_json::json!({"type": kind, "job_id": null, "seq": null, "time": chrono::Utc::now(), "data": data}).to_string()
}

/// Opens a WebSocket for job events (see the module docs for the protocol).
#[utoipa::path(
    tag = "jobs",
    security(),
    description = "Upgrade to a WebSocket for job events. Authenticate with `Sec-WebSocket-Protocol: voxflow.v1, bearer.<token>` or a first message `{\"type\":\"auth\",\"token\":\"…\"}`; then `{\"type\":\"subscribe\",\"job_ids\":[…],\"since\":N}` or `{\"type\":\"subscribe\",\"tenant\":true}`. Every server message is a `JobEventView` envelope `{type, job_id, seq, time, data}`; control messages (`welcome`, `subscribed`, `error`, `resync`, `pong`) have null `job_id` and `seq`. The credential is checked again every `VOXFLOW_WS_RECHECK_SECS` and an access token at its expiry: a lapsed one gets `error`, then close code 4401 (expired or revoked credential) or 4403 (account suspended, tenant or reseller deleted; a suspended tenant or reseller is read-only and stays connected), with the problem code as the reason. A tenant over its session limit gets close code 4429.",
    responses(
        (status = 101, description = "Switching protocols", body = crate::api::jobs::JobEventView),
        (status = 401, description = "Invalid credential in the subprotocol header", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The credential's account, tenant or reseller is suspended", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/ws")]
pub async fn websocket(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, actix_web::Error> {
    // A credential in the subprotocol header is checked before upgrading.
    let offered = req
        .headers()
        .get(actix_web::http::header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .map(str::trim)
                .find_map(|p| p.strip_prefix("bearer."))
                .map(str::to_string)
        });
    let principal = match offered {
        Some(token) => Some((
            authenticate(&state, Presented::bearer(&token)).await?,
            token,
        )),
        None => None,
    };
    let (response, session, stream) = actix_ws::handle_with_protocols(&req, body, &[PROTOCOL])?;
    let state = state.into_inner();
    actix_web::rt::spawn(async move {
        run_session(state, principal, session, stream).await;
    });
    Ok(response)
}

struct Subscriptions {
    /// Job id → last seq delivered.
    jobs: HashMap<String, i64>,
    tenant: bool,
}

async fn run_session(
    state: Arc<AppState>,
    principal: Option<(Principal, String)>,
    mut session: Session,
    mut stream: MessageStream,
) {
    let (principal, token) = match principal {
        Some(p) => p,
        None => match first_message_auth(&state, &mut session, &mut stream).await {
            Some(p) => p,
            None => {
                let _ = session.close(None).await;
                return;
            }
        },
    };
    let Some(tenant_id) = principal.tenant_id.map(|t| t.to_string()) else {
        let _ = session.text(control("error", serde_json::json!({"code": "forbidden", "message": "job events belong to tenant users"}))).await;
        let _ = session.close(None).await;
        return;
    };
    if may_read_jobs(&principal).is_err() {
        let _ = session.text(control("error", serde_json::json!({"code": "forbidden", "message": "this credential may not read jobs"}))).await;
        let _ = session.close(None).await;
        return;
    }
    let settings = &state.settings;
    let max_sessions = settings.ws_max_sessions_per_tenant;
    let Some(mut guard) = state.store.hub().open_session(&tenant_id, max_sessions) else {
        let message = format!("the tenant already has {max_sessions} WebSocket sessions open");
        let _ = session
            .text(control(
                "error",
                serde_json::json!({"code": "too_many_sessions", "message": message}),
            ))
            .await;
        let _ = session
            .close(Some(close_reason(
                CLOSE_TOO_MANY_SESSIONS,
                "too_many_sessions",
            )))
            .await;
        return;
    };
    let max_subscriptions = settings.ws_max_subscriptions_per_tenant;
    let scope = principal.scope();
    if session
        .text(control(
            "welcome",
            serde_json::json!({"tenant_id": tenant_id, "protocol": PROTOCOL}),
        ))
        .await
        .is_err()
    {
        return;
    }
    // Subscribe to the hub before any replay, so nothing falls between the two.
    let mut live = state.store.hub().subscribe(&tenant_id);
    // Moves when the hub may have missed events (the listener reconnected).
    let mut missed = state.store.hub().resyncs();
    let mut subs = Subscriptions {
        jobs: HashMap::new(),
        tenant: false,
    };
    let mut last_heard = Instant::now();
    let mut ping = tokio::time::interval(PING_EVERY);
    let recheck_every = Duration::from_secs(settings.ws_recheck_secs.max(1));
    let mut recheck =
        tokio::time::interval_at(tokio::time::Instant::now() + recheck_every, recheck_every);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // An access token ends the session when it expires, re-check or not.
    let deadline = token_deadline(&state, &token);
    let expiry = async move {
        match deadline {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(expiry);
    let mut close_with = None;
    loop {
        tokio::select! {
            msg = stream.next() => {
                let Some(Ok(msg)) = msg else { break };
                last_heard = Instant::now();
                let ok = match msg {
                    Message::Text(text) => {
                        let mut client = Client { scope, subs: &mut subs, guard: &mut guard, max_subscriptions };
                        handle_client(&state, &mut session, &mut client, &text).await.is_ok()
                    }
                    Message::Ping(bytes) => session.pong(&bytes).await.is_ok(),
                    Message::Close(_) => false,
                    _ => true,
                };
                if !ok {
                    break;
                }
            }
            event = live.recv() => {
                match event {
                    Ok(event) => {
                        // A followed job whose next event is not the one expected is caught
                        // up from the log instead, so clients never see a gap.
                        let row = &event.row;
                        let gap = row.tenant_id == tenant_id
                            && subs.jobs.get(&row.job_id).is_some_and(|last| row.seq > last + 1);
                        let sent = if gap {
                            let since = subs.jobs.get(&row.job_id).copied().unwrap_or(0);
                            replay(&state, scope, &mut session, &mut subs, &row.job_id, since).await.map(|_| ())
                        } else {
                            deliver(&mut session, &mut subs, &tenant_id, &event).await
                        };
                        if sent.is_err() { break; }
                    }
                    Err(RecvError::Lagged(missed)) => {
                        // Too slow for the live stream: say so, then catch up from the log.
                        if session.text(control("resync", serde_json::json!({"missed": missed}))).await.is_err() { break; }
                        let jobs: Vec<(String, i64)> = subs.jobs.iter().map(|(k, v)| (k.clone(), *v)).collect();
                        for (job, since) in jobs {
                            if replay(&state, scope, &mut session, &mut subs, &job, since).await.is_err() { break; }
                        }
                    }
                    Err(RecvError::Closed) => break,
                }
            }
            changed = missed.changed() => {
                if changed.is_err() { break; }
                // Events committed while the listener was away never reached the hub: catch
                // every followed job up from the log (a job's final event included).
                let jobs: Vec<(String, i64)> = subs.jobs.iter().map(|(k, v)| (k.clone(), *v)).collect();
                for (job, since) in jobs {
                    if replay(&state, scope, &mut session, &mut subs, &job, since).await.is_err() { break; }
                }
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > IDLE_LIMIT || session.ping(b"voxflow").await.is_err() {
                    break;
                }
            }
            _ = &mut expiry => {
                let _ = session.text(control("error", serde_json::json!({"code": "invalid_token", "message": "the access token expired; reconnect with a fresh one"}))).await;
                close_with = Some(close_reason(CLOSE_CREDENTIAL_INVALID, "invalid_token: access token expired"));
                break;
            }
            _ = recheck.tick() => {
                match recheck_credential(&state, &token, &tenant_id).await {
                    Ok(()) => {}
                    Err(e) if e.code.status().is_server_error() => {
                        // The database is briefly unavailable: keep the session, ask again later.
                        tracing::warn!(error = %e, "WebSocket credential re-check failed; keeping the session");
                    }
                    Err(e) => {
                        let code = if e.code.status() == actix_web::http::StatusCode::UNAUTHORIZED {
                            CLOSE_CREDENTIAL_INVALID
                        } else {
                            CLOSE_ACCESS_WITHDRAWN
                        };
                        tracing::info!(tenant = %tenant_id, reason = %e, "closing a WebSocket whose credential no longer holds");
                        let _ = session.text(control("error", serde_json::json!({"code": e.code.slug(), "message": e.detail}))).await;
                        close_with = Some(close_reason(code, e.code.slug()));
                        break;
                    }
                }
            }
        }
    }
    let _ = session.close(close_with).await;
}

fn may_read_jobs(principal: &Principal) -> Result<(), ApiError> {
    crate::auth::Authed {
        principal: principal.clone(),
        meta: Default::default(),
    }
    .require(Action::JobsRead)
}

/// When an access token stops being accepted (`None` for API keys, which the re-check covers).
fn token_deadline(state: &AppState, token: &str) -> Option<tokio::time::Instant> {
    let Presented::Jwt(jwt) = Presented::bearer(token) else {
        return None;
    };
    let exp = state.jwt.verify(&jwt).ok()?.exp;
    let left = (exp - chrono::Utc::now().timestamp()).max(0);
    Some(tokio::time::Instant::now() + Duration::from_secs(left.unsigned_abs()))
}

/// The session's credential, verified again as on a new request: still valid, its account,
/// tenant and reseller still active, still allowed to read the same tenant's jobs.
async fn recheck_credential(
    state: &AppState,
    token: &str,
    tenant_id: &str,
) -> Result<(), ApiError> {
    let principal = authenticate(state, Presented::bearer(token)).await?;
    if principal.tenant_id.map(|t| t.to_string()).as_deref() != Some(tenant_id) {
        return Err(ApiError::forbidden(
            "the credential no longer belongs to this tenant",
        ));
    }
    may_read_jobs(&principal)
}

async fn first_message_auth(
    state: &AppState,
    session: &mut Session,
    stream: &mut MessageStream,
) -> Option<(Principal, String)> {
    let first = tokio::time::timeout(AUTH_TIMEOUT, async {
        while let Some(Ok(msg)) = stream.next().await {
            if let Message::Text(text) = msg {
                return Some(text.to_string());
            }
        }
        None
    })
    .await
    .ok()
    .flatten();
    let token = match first.as_deref().map(serde_json::from_str::<ClientMessage>) {
        Some(Ok(ClientMessage::Auth { token })) => token,
        _ => {
            let _ = session.text(control("error", serde_json::json!({"code": "unauthenticated", "message": "send {\"type\":\"auth\",\"token\":\"…\"} first, within 10 seconds"}))).await;
            return None;
        }
    };
    match authenticate(state, Presented::bearer(&token)).await {
        Ok(p) => Some((p, token)),
        Err(e) => {
            let _ = session
                .text(control(
                    "error",
                    serde_json::json!({"code": e.code.slug(), "message": e.detail}),
                ))
                .await;
            None
        }
    }
}

/// What a client message may change: the session's subscriptions, within its tenant's bound.
struct Client<'a> {
    scope: Scope,
    subs: &'a mut Subscriptions,
    guard: &'a mut crate::realtime::SessionGuard,
    max_subscriptions: usize,
}

async fn handle_client(
    state: &AppState,
    session: &mut Session,
    client: &mut Client<'_>,
    text: &str,
) -> Result<(), actix_ws::Closed> {
    let msg = match serde_json::from_str::<ClientMessage>(text) {
        Ok(m) => m,
        Err(e) => {
            return session.text(control("error", serde_json::json!({"code": "bad_request", "message": format!("unreadable message: {e}")}))).await;
        }
    };
    match msg {
        ClientMessage::Ping => session.text(control("pong", serde_json::json!({}))).await,
        ClientMessage::Auth { .. } => {
            session
                .text(control(
                    "error",
                    serde_json::json!({"code": "bad_request", "message": "already authenticated"}),
                ))
                .await
        }
        ClientMessage::Unsubscribe { job_ids, tenant } => {
            for id in job_ids {
                if client.subs.jobs.remove(&id).is_some() {
                    client.guard.remove_subscriptions(1);
                }
            }
            if tenant {
                client.subs.tenant = false;
            }
            session
                .text(control("unsubscribed", serde_json::json!({})))
                .await
        }
        ClientMessage::Subscribe {
            job_ids,
            tenant,
            since,
        } => {
            if tenant {
                client.subs.tenant = true;
            }
            let mut accepted = Vec::new();
            for id in job_ids {
                let new = !client.subs.jobs.contains_key(&id);
                if new && !client.guard.add_subscription(client.max_subscriptions) {
                    let message = format!(
                        "the tenant's sessions already follow {} jobs",
                        client.max_subscriptions
                    );
                    session.text(control("error", serde_json::json!({"code": "too_many_subscriptions", "message": message, "job_id": id}))).await?;
                    continue;
                }
                if replay(state, client.scope, session, client.subs, &id, since.max(0)).await? {
                    accepted.push(id);
                } else if new {
                    client.guard.remove_subscriptions(1);
                }
            }
            session
                .text(control(
                    "subscribed",
                    serde_json::json!({"job_ids": accepted, "tenant": client.subs.tenant}),
                ))
                .await
        }
    }
}

/// Sends a job's logged events after `since` and marks the job followed. Returns false
/// (after telling the client) if the caller cannot see the job.
async fn replay(
    state: &AppState,
    scope: Scope,
    session: &mut Session,
    subs: &mut Subscriptions,
    job_id: &str,
    since: i64,
) -> Result<bool, actix_ws::Closed> {
    let mut after = subs.jobs.get(job_id).copied().unwrap_or(since).max(since);
    loop {
        let id = job_id.to_string();
        let batch = state
            .store
            .read(scope, move |c| {
                if jobs_repo::last_seq(c, &scope, &id)?.is_none() {
                    return Ok(None);
                }
                jobs_repo::events_since(c, &id, after, REPLAY_BATCH).map(Some)
            })
            .await;
        let batch = match batch {
            Ok(Some(b)) => b,
            Ok(None) => {
                let e = ApiError::of(Code::JobNotFound);
                session.text(control("error", serde_json::json!({"code": e.code.slug(), "message": e.detail, "job_id": job_id}))).await?;
                return Ok(false);
            }
            Err(e) => {
                tracing::warn!(error = %e, "replay failed");
                session.text(control("error", serde_json::json!({"code": "internal", "message": "could not read the event log", "job_id": job_id}))).await?;
                return Ok(false);
            }
        };
        let n = batch.len() as i64;
        for event in &batch {
            session.text(envelope(event)).await?;
            after = event.seq;
        }
        subs.jobs.insert(job_id.to_string(), after);
        if n < REPLAY_BATCH {
            return Ok(true);
        }
    }
}

/// Forwards a live event if the session follows it and has not seen it yet (its encoding is
/// shared by every session, see [`HubEvent`]).
async fn deliver(
    session: &mut Session,
    subs: &mut Subscriptions,
    tenant_id: &str,
    event: &HubEvent,
) -> Result<(), actix_ws::Closed> {
    let row = &event.row;
    if row.tenant_id != tenant_id {
        return Ok(());
    }
    let followed = subs.jobs.get(&row.job_id).copied();
    match followed {
        Some(last) if row.seq <= last => Ok(()),
        Some(_) => {
            subs.jobs.insert(row.job_id.clone(), row.seq);
            session.text(event.json.clone()).await
        }
        None if subs.tenant => session.text(event.json.clone()).await,
        None => Ok(()),
    }
}
