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
    let url = app.base.replace("http://", "ws://") + "/v1/ws";
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
