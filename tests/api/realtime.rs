//! WebSocket push: every event of a job, in order, with resume; isolation between tenants.

use crate::api_test;
use crate::helpers::TestApp;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Connects with the token in the subprotocol header (or none).
pub async fn connect(
    app: &TestApp,
    token: Option<&str>,
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    connect_to(&app.base, token).await
}

/// Opens `/v1/ws` on the API at `base` (another process's, say).
pub async fn connect_to(
    base: &str,
    token: Option<&str>,
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    let url = base.replace("http://", "ws://") + "/v1/ws";
    let mut req = url.into_client_request().expect("request");
    let protocols = match token {
        Some(t) => format!("voxflow.v1, bearer.{t}"),
        None => "voxflow.v1".to_string(),
    };
    req.headers_mut()
        .insert("Sec-WebSocket-Protocol", protocols.parse().expect("header"));
    tokio_tungstenite::connect_async(req).await.map(|(s, _)| s)
}

pub async fn next_json(ws: &mut Socket) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(90), ws.next())
            .await
            .expect("a message in time")
            .expect("open")
            .expect("frame");
        if let Message::Text(t) = msg {
            return serde_json::from_str(&t).expect("json");
        }
    }
}

pub async fn send(ws: &mut Socket, v: Value) {
    ws.send(Message::Text(v.to_string().into()))
        .await
        .expect("send");
}

/// Reads until `job_id` reaches a final event; returns the job's events.
pub async fn collect_job(ws: &mut Socket, job_id: &str) -> Vec<Value> {
    let mut events = Vec::new();
    loop {
        let m = next_json(ws).await;
        if m["job_id"] == job_id {
            let done = ["job.succeeded", "job.failed", "job.cancelled"]
                .contains(&m["type"].as_str().unwrap_or(""));
            events.push(m);
            if done {
                return events;
            }
        }
    }
}

pub fn assert_contiguous(events: &[Value], from: i64) {
    let seqs: Vec<i64> = events.iter().filter_map(|e| e["seq"].as_i64()).collect();
    assert_eq!(
        seqs,
        (from..from + seqs.len() as i64).collect::<Vec<_>>(),
        "in order, no gap, no repeat"
    );
}

api_test!(websocket_streams_every_event_in_order_and_resumes, |app| {
    let w = app.world().await;
    let file = crate::jobs::upload_speech(
        &app,
        &w.a_member.1,
        "Testing the websocket stream of job events",
    )
    .await;
    let id = crate::jobs::submit(
        &app,
        &w.a_member.1,
        crate::jobs::vad_whisper_srt("tiny.en"),
        &file,
    )
    .await;

    // Subprotocol auth (an API key), subscribe from the beginning.
    let mut ws = connect(&app, Some(&w.a_key.1)).await.expect("connect");
    assert_eq!(next_json(&mut ws).await["type"], "welcome");
    send(
        &mut ws,
        json!({"type": "subscribe", "job_ids": [id], "since": 0}),
    )
    .await;
    let mut events = Vec::new();
    let mut subscribed = false;
    while !subscribed
        || !events
            .last()
            .is_some_and(|e: &Value| e["type"] == "job.succeeded")
    {
        let m = next_json(&mut ws).await;
        if m["type"] == "subscribed" {
            assert_eq!(m["data"]["job_ids"][0], id.as_str());
            subscribed = true;
        } else if m["job_id"] == id.as_str() {
            events.push(m);
        }
    }
    assert_eq!(events[0]["type"], "job.queued");
    assert_contiguous(&events, 1);
    assert!(events.iter().any(|e| e["type"] == "node.progress"));
    let last = events.last().expect("last")["seq"].as_i64().expect("seq");
    // The same numbers as the event log and the ETag.
    let log = app
        .get(&format!("/v1/jobs/{id}/events"), &w.a_member.1)
        .await;
    assert_eq!(log.body["last_seq"], last);

    // Resume: a new connection asking `since` a midpoint gets exactly the rest.
    let mid = last / 2;
    let mut again = connect(&app, None).await.expect("connect");
    send(&mut again, json!({"type": "auth", "token": w.a_member.1})).await;
    assert_eq!(next_json(&mut again).await["type"], "welcome");
    send(
        &mut again,
        json!({"type": "subscribe", "job_ids": [id], "since": mid}),
    )
    .await;
    let mut rest = Vec::new();
    while rest.len() < (last - mid) as usize {
        let m = next_json(&mut again).await;
        if m["job_id"] == id.as_str() {
            rest.push(m);
        }
    }
    assert_contiguous(&rest, mid + 1);
    send(&mut again, json!({"type": "ping"})).await;
    loop {
        let m = next_json(&mut again).await;
        if m["type"] == "pong" {
            break;
        }
    }
});

api_test!(websocket_clients_see_only_their_tenant, |app| {
    let w = app.world().await;
    // Tenant B listens to everything of its tenant, and tries to follow A's job.
    let mut b = connect(&app, Some(&w.b_admin.1)).await.expect("connect");
    assert_eq!(next_json(&mut b).await["type"], "welcome");
    let file =
        crate::jobs::upload_speech(&app, &w.a_member.1, "Only tenant A may hear about this").await;
    let a_job = crate::jobs::submit(
        &app,
        &w.a_member.1,
        crate::jobs::vad_whisper_srt("tiny.en"),
        &file,
    )
    .await;
    send(
        &mut b,
        json!({"type": "subscribe", "tenant": true, "job_ids": [a_job], "since": 0}),
    )
    .await;
    let err = next_json(&mut b).await;
    assert_eq!(err["type"], "error", "{err}");
    assert_eq!(err["data"]["code"], "job_not_found");
    let sub = next_json(&mut b).await;
    assert_eq!(sub["type"], "subscribed");
    assert_eq!(sub["data"]["job_ids"], json!([]));
    // Tenant A's own tenant-wide subscriber sees the job finish.
    let mut a = connect(&app, Some(&w.a_admin.1)).await.expect("connect");
    assert_eq!(next_json(&mut a).await["type"], "welcome");
    send(&mut a, json!({"type": "subscribe", "tenant": true})).await;
    let events = collect_job(&mut a, &a_job).await;
    assert_eq!(events.last().expect("final")["type"], "job.succeeded");
    // Meanwhile B received nothing of A's job: a B job's events arrive, A's never did.
    let b_file = crate::jobs::upload_speech(&app, &w.b_member.1, "tenant B").await;
    let b_job = crate::jobs::submit(
        &app,
        &w.b_member.1,
        crate::jobs::vad_whisper_srt("tiny.en"),
        &b_file,
    )
    .await;
    loop {
        let m = next_json(&mut b).await;
        assert_ne!(
            m["job_id"],
            a_job.as_str(),
            "tenant B saw tenant A's event: {m}"
        );
        if m["job_id"] == b_job.as_str() && m["type"] == "job.succeeded" {
            break;
        }
    }
    // Bad credentials: refused before the upgrade, or told and closed.
    assert!(connect(&app, Some("not-a-token")).await.is_err());
    let mut anon = connect(&app, None).await.expect("connect");
    send(&mut anon, json!({"type": "subscribe", "tenant": true})).await;
    assert_eq!(
        next_json(&mut anon).await["data"]["code"],
        "unauthenticated"
    );
});

/// Connects like [`connect`], but with a 4 KiB receive buffer, so a client that stops
/// reading pushes back on the server after a few megabytes instead of tens.
async fn connect_small_buffer(app: &TestApp, token: &str) -> Socket {
    let addr: std::net::SocketAddr = app
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("address");
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(4096).expect("SO_RCVBUF");
    let tcp = socket.connect(addr).await.expect("tcp connect");
    let url = app.base.replace("http://", "ws://") + "/v1/ws";
    let mut req = url.into_client_request().expect("request");
    req.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        format!("voxflow.v1, bearer.{token}")
            .parse()
            .expect("header"),
    );
    tokio_tungstenite::client_async(req, tokio_tungstenite::MaybeTlsStream::Plain(tcp))
        .await
        .expect("upgrade")
        .0
}

/// A decode + VAD graph: a real job that needs no Whisper.
pub fn decode_vad() -> Value {
    json!({
        "nodes": [
            {"id": "src", "type": "audio.decode", "data": {"params": {}}},
            {"id": "vad", "type": "vad.silero", "data": {"params": {}}}
        ],
        "edges": [
            {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "vad", "targetHandle": "audio"}
        ]
    })
}

/// Events appended while the client does not read (each carries this much filler, so the
/// socket buffers fill after a few hundred).
const FILLER_EVENTS: usize = 320;
const FILLER_BYTES: usize = 48 * 1024;

mod a_slow_websocket_client_is_resynced_from_the_log {
    use super::*;
    use voxflow::engine::queue;
    use voxflow::tenancy::Scope;

    /// A client stops reading while hundreds of large events are committed for a job it
    /// follows. The server's per-process buffer is set to 16 events, so the client's
    /// session falls behind it: the producers must not wait for the client, another job
    /// must still run to completion meanwhile, and once the client reads again it must get
    /// `resync` and then every event of the job exactly once, in order, from the log.
    async fn run(app: TestApp) {
        let w = app.world().await;
        let file =
            crate::jobs::upload_speech(&app, &w.a_member.1, "A slow reader falls behind").await;
        let job = crate::jobs::submit(&app, &w.a_member.1, decode_vad(), &file).await;
        let done = crate::jobs::wait_for(&app, &w.a_member.1, &job, |_| false).await;
        assert_eq!(done["status"], "succeeded", "{done}");
        let start = done["seq"].as_i64().expect("seq");

        let mut ws = connect_small_buffer(&app, &w.a_member.1).await;
        assert_eq!(next_json(&mut ws).await["type"], "welcome");
        send(
            &mut ws,
            json!({"type": "subscribe", "job_ids": [job], "since": start}),
        )
        .await;
        assert_eq!(next_json(&mut ws).await["type"], "subscribed");

        // The client now reads nothing. Commit the filler events through the engine's own
        // event log, ten per transaction.
        let tenant = w.tenant_a.clone();
        let began = std::time::Instant::now();
        for batch in 0..FILLER_EVENTS / 10 {
            let (job, tenant) = (job.clone(), tenant.clone());
            let appended = tokio::time::timeout(
                Duration::from_secs(60),
                app.store.write(Scope::System, move |c| {
                    for i in 0..10 {
                        let filler = "x".repeat(FILLER_BYTES);
                        queue::append_event(
                            c,
                            &job,
                            &tenant,
                            "test.filler",
                            json!({"n": batch * 10 + i, "filler": filler}),
                        )?;
                    }
                    Ok(())
                }),
            )
            .await
            .expect("appending events never waits for a slow client");
            appended.expect("append");
        }
        let appending = began.elapsed();
        // A worker still runs another job to the end while the client is stuck.
        let other = crate::jobs::submit(&app, &w.a_member.1, decode_vad(), &file).await;
        let other_done = crate::jobs::wait_for(&app, &w.a_member.1, &other, |_| false).await;
        assert_eq!(other_done["status"], "succeeded", "{other_done}");
        eprintln!(
            "{FILLER_EVENTS} events appended in {appending:?} and another job done in {:?} \
             while the client was not reading",
            began.elapsed()
        );
        let last = start + FILLER_EVENTS as i64;

        // Read again: `resync`, then the job's events without gap or repeat.
        let mut events = Vec::new();
        let mut resyncs = 0;
        while events
            .last()
            .and_then(|e: &Value| e["seq"].as_i64())
            .is_none_or(|s| s < last)
        {
            let m = next_json(&mut ws).await;
            if m["type"] == "resync" {
                assert!(m["data"]["missed"].as_u64().unwrap_or(0) > 0, "{m}");
                resyncs += 1;
            } else if m["job_id"] == job.as_str() {
                events.push(m);
            }
        }
        assert!(resyncs >= 1, "the lagging client was told to resync");
        assert_contiguous(&events, start + 1);
        assert!(events.iter().all(|e| e["type"] == "test.filler"));
        // Nothing more for this job arrives afterwards (no repeats of the live backlog).
        send(&mut ws, json!({"type": "ping"})).await;
        loop {
            let m = next_json(&mut ws).await;
            assert_ne!(m["job_id"], job.as_str(), "a repeated event: {m}");
            if m["type"] == "pong" {
                break;
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = crate::helpers::spawn_app_with(crate::helpers::Backend::Sqlite, |s| {
            s.ws_buffer_events = 16
        })
        .await
        .expect("sqlite app");
        run(app).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(app) = crate::helpers::spawn_app_with(crate::helpers::Backend::Postgres, |s| {
            s.ws_buffer_events = 16
        })
        .await
        else {
            eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
            return;
        };
        run(app).await;
    }
}
