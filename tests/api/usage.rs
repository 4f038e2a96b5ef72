//! Usage reports (docs/usage.md): totals by day, month and range with rows on the
//! boundaries, by resource and node kind, the quota left as admission counts it, CSV,
//! a reseller's tenants, the platform, and who may read what.

use crate::api_test;
use crate::helpers::{Cred, TestApp, World};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use voxflow::store::repo::reservations::{self, ReservationRow};
use voxflow::store::repo::usage::{self, UsageRow};
use voxflow::store::{self, StoreError};
use voxflow::tenancy::Scope;

fn at(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").expect("timestamp")
}

/// Records `ms` of `resource` (a node's kind for `node_audio`) for `tenant` at `when`.
async fn record(
    app: &TestApp,
    tenant: &str,
    resource: &str,
    kind: Option<&str>,
    when: &str,
    ms: i64,
) {
    let row = UsageRow {
        id: store::new_id(),
        tenant_id: tenant.to_string(),
        user_id: None,
        job_id: None,
        resource_type: resource.into(),
        amount_milli: ms,
        unit: "audio_seconds".into(),
        recorded_at: at(when),
        node_id: kind.map(|_| "n1".to_string()),
        node_kind: kind.map(str::to_string),
    };
    app.store
        .write(Scope::System, move |c| usage::insert(c, &row))
        .await
        .expect("insert usage");
}

/// `(period_start, resource, node_kind, audio_ms)` of each item, in order.
fn items(body: &Value) -> Vec<(String, String, String, i64)> {
    body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items in {body}"))
        .iter()
        .map(|i| {
            (
                i["period_start"].as_str().unwrap_or("").to_string(),
                i["resource"].as_str().unwrap_or("").to_string(),
                i["node_kind"].as_str().unwrap_or("").to_string(),
                i["audio_ms"].as_i64().expect("integer audio_ms"),
            )
        })
        .collect()
}

fn row(start: &str, resource: &str, kind: &str, ms: i64) -> (String, String, String, i64) {
    (start.into(), resource.into(), kind.into(), ms)
}

async fn ok(app: &TestApp, path: &str, token: &str) -> Value {
    let r = app.get(path, token).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    r.body
}

/// Raw GET: (status, content type, body text).
async fn get_text(
    app: &TestApp,
    path: &str,
    token: &str,
    accept: Option<&str>,
) -> (StatusCode, String, String) {
    let mut req = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(token);
    if let Some(a) = accept {
        req = req.header("Accept", a);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, ct, res.text().await.expect("body"))
}

/// Tenant A's awkward rows (and one of tenant B at the same instants, never A's).
async fn boundary_rows(app: &TestApp, w: &World) {
    let a = &w.tenant_a;
    record(app, a, "node_audio", None, "2026-01-15 12:00:00", 700).await;
    record(app, a, "job_audio", None, "2026-01-31 23:59:59.999", 1_000).await;
    record(app, a, "job_audio", None, "2026-02-01 00:00:00", 2_000).await;
    record(
        app,
        a,
        "transcription",
        None,
        "2026-02-28 23:59:59.999999",
        500,
    )
    .await;
    record(
        app,
        a,
        "node_audio",
        Some("whisper.transcribe"),
        "2026-03-01 00:00:00",
        3_000,
    )
    .await;
    record(
        app,
        a,
        "node_audio",
        Some("audio.decode"),
        "2026-03-01 00:00:00",
        4_000,
    )
    .await;
    record(
        app,
        &w.tenant_b,
        "job_audio",
        None,
        "2026-02-01 00:00:00",
        99_000,
    )
    .await;
}

api_test!(
    totals_by_day_month_and_range_split_exactly_at_midnight,
    |app| {
        let w = app.world().await;
        boundary_rows(&app, &w).await;
        let member = &w.a_member.1;
        // By day around the month edge: 23:59:59.999 is the 31st, 00:00:00 the 1st.
        let b = ok(
            &app,
            "/v1/usage?period=day&from=2026-01-31&to=2026-02-02",
            member,
        )
        .await;
        assert_eq!(
            items(&b),
            vec![
                row("2026-01-31", "job_audio", "", 1_000),
                row("2026-02-01", "job_audio", "", 2_000)
            ]
        );
        assert_eq!(b["items"][0]["period_end"], "2026-02-01");
        assert_eq!(b["items"][0]["records"], 1);
        assert_eq!(b["scope"], "tenant");
        assert_eq!(b["tenant_id"], w.tenant_a.as_str());
        assert!(b["items"][0].get("tenant_id").is_none());
        // By month: node_audio stays one resource without group_by=node_kind.
        let b = ok(
            &app,
            "/v1/usage?period=month&from=2026-01-01&to=2026-04-01",
            member,
        )
        .await;
        assert_eq!(
            items(&b),
            vec![
                row("2026-01-01", "job_audio", "", 1_000),
                row("2026-01-01", "node_audio", "", 700),
                row("2026-02-01", "job_audio", "", 2_000),
                row("2026-02-01", "transcription", "", 500),
                row("2026-03-01", "node_audio", "", 7_000),
            ]
        );
        assert_eq!(b["items"][4]["records"], 2);
        assert_eq!(b["items"][4]["period_end"], "2026-04-01");
        let totals: Vec<(String, i64)> = b["totals"]
            .as_array()
            .expect("totals")
            .iter()
            .map(|t| {
                (
                    t["resource"].as_str().unwrap_or("").into(),
                    t["audio_ms"].as_i64().unwrap_or(-1),
                )
            })
            .collect();
        assert_eq!(
            totals,
            vec![
                ("job_audio".into(), 3_000),
                ("node_audio".into(), 7_700),
                ("transcription".into(), 500)
            ]
        );
        // By node kind; a row from before kinds were kept is `unknown`.
        let b = ok(
            &app,
            "/v1/usage?period=month&from=2026-01-01&to=2026-04-01&group_by=resource,node_kind",
            member,
        )
        .await;
        assert_eq!(
            items(&b),
            vec![
                row("2026-01-01", "job_audio", "", 1_000),
                row("2026-01-01", "node_audio", "unknown", 700),
                row("2026-02-01", "job_audio", "", 2_000),
                row("2026-02-01", "transcription", "", 500),
                row("2026-03-01", "node_audio", "audio.decode", 4_000),
                row("2026-03-01", "node_audio", "whisper.transcribe", 3_000),
            ]
        );
        assert_eq!(b["group_by"], json!(["resource", "node_kind"]));
        // A custom range is half-open: February only, whatever sits on either edge.
        let b = ok(
            &app,
            "/v1/usage?period=range&from=2026-02-01&to=2026-03-01",
            member,
        )
        .await;
        assert_eq!(
            items(&b),
            vec![
                row("2026-02-01", "job_audio", "", 2_000),
                row("2026-02-01", "transcription", "", 500)
            ]
        );
        assert_eq!(b["items"][0]["period_end"], "2026-03-01");
        // Months cut by the range are clipped to it.
        let b = ok(&app, "/v1/usage?from=2026-01-20&to=2026-02-15", member).await;
        assert_eq!(b["period"], "month");
        assert_eq!(b["items"][0]["period_start"], "2026-01-20");
        assert_eq!(b["items"][0]["period_end"], "2026-02-01");
        assert_eq!(b["items"][1]["period_end"], "2026-02-15");
        // The same tenant through /v1/tenants/{id}/usage, as its reseller's admin.
        let b = ok(
            &app,
            &format!(
                "/v1/tenants/{}/usage?period=range&from=2026-02-01&to=2026-03-01",
                w.tenant_a
            ),
            &w.reseller1_admin,
        )
        .await;
        assert_eq!(items(&b).len(), 2);
        // Parameters that make no report.
        for bad in [
            "period=week",
            "from=2026-02-01&to=2026-02-01",
            "from=2026-03-01&to=2026-02-01",
            "from=2026-02-30",
            "from=01/02/2026",
            "period=day&from=2025-01-01&to=2026-03-01",
            "group_by=tenant",
            "group_by=colour",
            "format=xml",
            "colour=blue",
        ] {
            let r = app.get(&format!("/v1/usage?{bad}"), member).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.body);
            assert_eq!(r.code(), "invalid_query", "{bad}");
        }
    }
);

api_test!(quota_left_is_what_admission_counts, |app| {
    let w = app.world().await;
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"subscription_plan_id": w.plan1, "processing_quota_minutes": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let now = store::now();
    let this_month = voxflow::engine::admission::month_start(now);
    let fmt = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S%.f").to_string();
    // Billed this month: 20 s; last month's last instant does not count.
    record(&app, &w.tenant_a, "job_audio", None, &fmt(now), 15_000).await;
    record(
        &app,
        &w.tenant_a,
        "transcription",
        None,
        &fmt(this_month),
        5_000,
    )
    .await;
    record(
        &app,
        &w.tenant_a,
        "job_audio",
        None,
        &fmt(this_month - chrono::TimeDelta::microseconds(1)),
        30_000,
    )
    .await;
    // Not billed: what nodes processed.
    record(
        &app,
        &w.tenant_a,
        "node_audio",
        Some("audio.decode"),
        &fmt(now),
        50_000,
    )
    .await;
    // 10 s held by a transcription in flight.
    let tenant = w.tenant_a.clone();
    app.store
        .write(Scope::System, move |c| -> Result<(), StoreError> {
            reservations::insert(
                c,
                &ReservationRow {
                    id: store::new_id(),
                    tenant_id: tenant,
                    job_id: None,
                    kind: "transcription".into(),
                    amount_milli: 10_000,
                    held_milli: 10_000,
                    created_at: store::now(),
                    expires_at: Some(store::now() + chrono::TimeDelta::minutes(5)),
                    settled_at: None,
                },
            )
        })
        .await
        .expect("reservation");
    let up = app
        .upload(
            Cred::Bearer(&w.a_member.1),
            "q.wav",
            crate::helpers::wav(1000),
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let b = ok(&app, "/v1/usage", &w.a_admin.1).await;
    assert_eq!(b["quota"]["month"], this_month.format("%Y-%m").to_string());
    assert_eq!(
        b["quota"]["processing"],
        json!({"quota_minutes": 1, "quota_ms": 60_000, "billed_ms": 20_000,
               "reserved_ms": 10_000, "used_ms": 30_000, "left_ms": 30_000})
    );
    // The plan's 1000 MB of storage, 1044 bytes of it used by the upload.
    assert_eq!(
        b["quota"]["storage"],
        json!({"quota_bytes": 1000_i64 * 1024 * 1024, "used_bytes": 1044,
               "left_bytes": 1000_i64 * 1024 * 1024 - 1044})
    );
    // Admission agrees: 40 s of audio does not fit in the 30 s left.
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(crate::helpers::wav(16_000 * 2 * 40))
                .file_name("long.wav"),
        )
        .text("model", "whisper-1");
    let res = app
        .client
        .post(format!("{}/v1/audio/transcriptions", app.base))
        .bearer_auth(&w.a_key.1)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::PAYMENT_REQUIRED);
    // Past the quota, nothing is left (never negative).
    record(&app, &w.tenant_a, "job_audio", None, &fmt(now), 45_000).await;
    let b = ok(&app, "/v1/usage", &w.a_admin.1).await;
    assert_eq!(b["quota"]["processing"]["used_ms"], 75_000);
    assert_eq!(b["quota"]["processing"]["left_ms"], 0);
    // Without a plan or an override the quota is unlimited.
    let b = ok(&app, "/v1/usage", &w.b_admin.1).await;
    assert!(b["quota"]["processing"]["quota_minutes"].is_null());
    assert!(b["quota"]["processing"]["left_ms"].is_null());
    assert_eq!(b["quota"]["processing"]["billed_ms"], 0);
});

api_test!(csv_has_a_header_row_and_quotes_per_rfc_4180, |app| {
    let w = app.world().await;
    let odd = app
        .create_tenant(&w.reseller1_admin, "=Acme, \"Best\" Co", None)
        .await;
    record(
        &app,
        &w.tenant_a,
        "job_audio",
        None,
        "2026-05-10 08:00:00",
        1_500,
    )
    .await;
    record(&app, &odd, "job_audio", None, "2026-05-11 08:00:00", 2_500).await;
    record(
        &app,
        &odd,
        "node_audio",
        Some("whisper.transcribe"),
        "2026-05-11 08:00:00",
        2_400,
    )
    .await;
    let path = format!(
        "/v1/resellers/{}/usage?period=month&from=2026-05-01&to=2026-06-01&group_by=tenant,node_kind",
        w.reseller1
    );
    let (status, ct, text) = get_text(&app, &path, &w.reseller1_admin, Some("text/csv")).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(ct.starts_with("text/csv"), "{ct}");
    let mut want = vec![
        "period_start,period_end,tenant_id,tenant_name,resource,node_kind,audio_ms,records"
            .to_string(),
    ];
    // Sorted by tenant name: the quoted one ("'=Acme…", defused) sorts before "Tenant A".
    want.push(format!(
        "2026-05-01,2026-06-01,{odd},\"'=Acme, \"\"Best\"\" Co\",job_audio,,2500,1"
    ));
    want.push(format!("2026-05-01,2026-06-01,{odd},\"'=Acme, \"\"Best\"\" Co\",node_audio,whisper.transcribe,2400,1"));
    want.push(format!(
        "2026-05-01,2026-06-01,{},Tenant A,job_audio,,1500,1",
        w.tenant_a
    ));
    assert_eq!(text, format!("{}\r\n", want.join("\r\n")));
    // format=csv does the same whatever Accept says; a tie or no preference is JSON.
    let (_, ct, same) = get_text(
        &app,
        &format!("{path}&format=csv"),
        &w.reseller1_admin,
        Some("application/json"),
    )
    .await;
    assert!(ct.starts_with("text/csv"));
    assert_eq!(same, text);
    let (_, ct, _) = get_text(&app, &path, &w.reseller1_admin, Some("*/*")).await;
    assert!(ct.starts_with("application/json"), "{ct}");
    let (_, ct, json_text) = get_text(
        &app,
        &format!("{path}&format=json"),
        &w.reseller1_admin,
        Some("text/csv"),
    )
    .await;
    assert!(ct.starts_with("application/json"), "{ct}");
    assert!(
        json_text.contains("\"tenant_name\":\"=Acme, \\\"Best\\\" Co\""),
        "{json_text}"
    );
    // A tenant report's CSV: tenant columns empty.
    let (status, _, text) = get_text(
        &app,
        "/v1/usage?from=2026-05-01&to=2026-06-01&format=csv",
        &w.a_member.1,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        text,
        "period_start,period_end,tenant_id,tenant_name,resource,node_kind,audio_ms,records\r\n\
         2026-05-01,2026-06-01,,,job_audio,,1500,1\r\n"
    );
    // No usage: the header alone.
    let (_, _, text) = get_text(
        &app,
        "/v1/usage?from=2020-05-01&to=2020-06-01&format=csv",
        &w.a_member.1,
        None,
    )
    .await;
    assert_eq!(text.lines().count(), 1);
});

api_test!(
    resellers_see_all_their_tenants_and_the_platform_sees_everyone,
    |app| {
        let w = app.world().await;
        let tenant_c = app
            .create_tenant(&w.reseller1_admin, "Tenant C", None)
            .await;
        let gone = app
            .create_tenant(&w.reseller1_admin, "Tenant Gone", None)
            .await;
        let r = app
            .patch(
                &format!("/v1/tenants/{tenant_c}"),
                &w.reseller1_admin,
                json!({"subscription_plan_id": w.plan1}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let day = "2026-06-03 10:00:00";
        record(&app, &w.tenant_a, "job_audio", None, day, 1_000).await;
        record(&app, &tenant_c, "job_audio", None, day, 2_000).await;
        record(&app, &tenant_c, "transcription", None, day, 300).await;
        record(&app, &gone, "job_audio", None, day, 4_000).await;
        record(&app, &w.tenant_b, "job_audio", None, day, 8_000).await;
        let r = app
            .delete(&format!("/v1/tenants/{gone}"), &w.reseller1_admin)
            .await;
        assert!(r.status.is_success(), "{}", r.body);
        let q = "from=2026-06-01&to=2026-07-01";
        // The reseller's total counts every tenant of its own, the deleted one's usage too.
        let b = ok(
            &app,
            &format!("/v1/resellers/{}/usage?{q}", w.reseller1),
            &w.reseller1_admin,
        )
        .await;
        assert_eq!(b["scope"], "reseller");
        assert_eq!(b["reseller_id"], w.reseller1.as_str());
        assert_eq!(
            items(&b),
            vec![
                row("2026-06-01", "job_audio", "", 7_000),
                row("2026-06-01", "transcription", "", 300)
            ]
        );
        // Per tenant, with names.
        let b = ok(
            &app,
            &format!("/v1/resellers/{}/usage?{q}&group_by=tenant", w.reseller1),
            &w.reseller1_admin,
        )
        .await;
        let per: Vec<(String, String, i64)> = b["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| {
                (
                    i["tenant_name"].as_str().unwrap_or("").into(),
                    i["resource"].as_str().unwrap_or("").into(),
                    i["audio_ms"].as_i64().unwrap_or(-1),
                )
            })
            .collect();
        assert_eq!(
            per,
            vec![
                ("Tenant A".into(), "job_audio".into(), 1_000),
                ("Tenant C".into(), "job_audio".into(), 2_000),
                ("Tenant C".into(), "transcription".into(), 300),
                ("Tenant Gone".into(), "job_audio".into(), 4_000),
            ]
        );
        // Each live tenant's quota: C on the plan (600 minutes), A unlimited.
        let tenants = b["tenants"].as_array().expect("tenants");
        let names: Vec<&str> = tenants
            .iter()
            .map(|t| t["name"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(names, vec!["Tenant A", "Tenant C"]);
        let c = &tenants[1]["quota"]["processing"];
        assert_eq!(c["quota_minutes"], 600);
        assert!(tenants[0]["quota"]["processing"]["quota_minutes"].is_null());
        assert!(b.get("quota").is_none());
        // The platform sees every reseller's tenants.
        let b = ok(&app, &format!("/v1/platform/usage?{q}"), &app.admin_token).await;
        assert_eq!(b["scope"], "platform");
        assert_eq!(
            items(&b),
            vec![
                row("2026-06-01", "job_audio", "", 15_000),
                row("2026-06-01", "transcription", "", 300)
            ]
        );
        let b = ok(
            &app,
            &format!("/v1/platform/usage?{q}&group_by=tenant&period=day"),
            &app.admin_token,
        )
        .await;
        let ids: std::collections::BTreeSet<String> = b["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["tenant_id"].as_str().unwrap_or("").to_string())
            .collect();
        assert_eq!(ids.len(), 4);
        assert!(ids.contains(&w.tenant_b) && ids.contains(&gone));
        assert_eq!(b["items"][0]["period_start"], "2026-06-03");
        // Platform admins read any reseller's report; reseller 2's is tenant B's alone.
        let b = ok(
            &app,
            &format!("/v1/resellers/{}/usage?{q}", w.reseller2),
            &app.admin_token,
        )
        .await;
        assert_eq!(items(&b), vec![row("2026-06-01", "job_audio", "", 8_000)]);
        let b = ok(
            &app,
            &format!("/v1/resellers/{}/usage?{q}", w.reseller2),
            &w.reseller2_admin,
        )
        .await;
        assert_eq!(items(&b), vec![row("2026-06-01", "job_audio", "", 8_000)]);
    }
);

api_test!(
    usage_routes_isolate_resellers_tenants_roles_and_scopes,
    |app| {
        let w = app.world().await;
        let day = "2026-07-01 00:00:00";
        record(&app, &w.tenant_a, "job_audio", None, day, 1_000).await;
        record(&app, &w.tenant_b, "job_audio", None, day, 2_000).await;
        let q = "?from=2026-07-01&to=2026-08-01";
        let missing = uuid::Uuid::now_v7().to_string();
        let a_tenant = format!("/v1/tenants/{}/usage{q}", w.tenant_a);
        let a_reseller = format!("/v1/resellers/{}/usage{q}", w.reseller1);
        let no_tenant = format!("/v1/tenants/{missing}/usage{q}");
        let no_reseller = format!("/v1/resellers/{missing}/usage{q}");
        let own = format!("/v1/usage{q}");
        let platform = format!("/v1/platform/usage{q}");
        let call = |path: String, cred: Cred<'static>| {
            let app = &app;
            async move {
                let r = app.call(Method::GET, &path, cred, None).await;
                let code = if r.status.is_success() {
                    "SUCCESS".to_string()
                } else {
                    r.code().to_string()
                };
                (r.status, code, r.body)
            }
        };
        // Leak the tokens for the 'static credentials the closure takes (the test ends soon).
        let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
        let (_, no_scope) = app
            .create_api_key(
                &w.a_admin.1,
                json!({"name": "no usage", "permissions": ["jobs:read", "tenants:read"]}),
            )
            .await;
        let (_, only_usage) = app
            .create_api_key(
                &w.a_admin.1,
                json!({"name": "usage", "permissions": ["usage:read"]}),
            )
            .await;
        let r2 = Cred::Bearer(leak(&w.reseller2_admin));
        let b_admin = Cred::Bearer(leak(&w.b_admin.1));
        let b_key = Cred::XApiKey(leak(&w.b_key.1));
        let viewer = Cred::Bearer(leak(&w.a_viewer.1));
        let no_scope = Cred::XApiKey(leak(&no_scope));
        let only_usage = Cred::XApiKey(leak(&only_usage));
        // Another reseller's id, or another reseller's tenant: exactly a missing one.
        for (who, cred) in [
            ("reseller 2 admin", r2),
            ("B admin", b_admin),
            ("B member key", b_key),
        ] {
            let target = call(a_tenant.clone(), cred).await;
            let absent = call(no_tenant.clone(), cred).await;
            assert_eq!(
                (target.0, &target.1),
                (absent.0, &absent.1),
                "{who}: tenant A"
            );
            assert_eq!(target.0, StatusCode::NOT_FOUND, "{who}");
            assert_eq!(target.1, "tenant_not_found");
            let target = call(a_reseller.clone(), cred).await;
            let absent = call(no_reseller.clone(), cred).await;
            assert_eq!(
                (target.0, &target.1),
                (absent.0, &absent.1),
                "{who}: reseller 1"
            );
            assert!(!target.0.is_success());
            // Their own report never holds A's usage.
            if who != "reseller 2 admin" {
                let mine = call(own.clone(), cred).await;
                assert_eq!(mine.0, StatusCode::OK, "{who}");
                assert_eq!(
                    items(&mine.2),
                    vec![row("2026-07-01", "job_audio", "", 2_000)]
                );
            }
        }
        let r = call(a_reseller.clone(), r2).await;
        assert_eq!(r.1, "reseller_not_found");
        // Tenant roles never read reseller or platform reports, their own reseller's included.
        for cred in [
            Cred::Bearer(leak(&w.a_admin.1)),
            Cred::Bearer(leak(&w.a_member.1)),
        ] {
            for path in [&a_reseller, &platform] {
                let r = call(path.clone(), cred).await;
                assert_eq!(
                    (r.0, r.1.as_str()),
                    (StatusCode::FORBIDDEN, "forbidden"),
                    "{path}"
                );
            }
            assert_eq!(call(own.clone(), cred).await.0, StatusCode::OK);
        }
        // Reseller admins have no tenant of their own, nor the platform.
        let r1 = Cred::Bearer(leak(&w.reseller1_admin));
        for path in [&own, &platform] {
            let r = call(path.clone(), r1).await;
            assert_eq!(
                (r.0, r.1.as_str()),
                (StatusCode::FORBIDDEN, "forbidden"),
                "{path}"
            );
        }
        assert_eq!(call(a_tenant.clone(), r1).await.0, StatusCode::OK);
        assert_eq!(call(a_reseller.clone(), r1).await.0, StatusCode::OK);
        // Viewers and keys without `usage:read`: 403 on every route.
        for (who, cred) in [("viewer", viewer), ("key without usage:read", no_scope)] {
            for path in [&own, &a_tenant, &a_reseller, &platform] {
                let r = call(path.clone(), cred).await;
                assert_eq!(
                    (r.0, r.1.as_str()),
                    (StatusCode::FORBIDDEN, "forbidden"),
                    "{who}: {path}"
                );
            }
        }
        // A key with `usage:read` alone reads its tenant's report, and nothing wider.
        let r = call(own.clone(), only_usage).await;
        assert_eq!(r.0, StatusCode::OK, "{}", r.2);
        assert_eq!(items(&r.2), vec![row("2026-07-01", "job_audio", "", 1_000)]);
        assert_eq!(call(a_tenant.clone(), only_usage).await.0, StatusCode::OK);
        // No credential: 401 everywhere.
        for path in [&own, &a_tenant, &a_reseller, &platform] {
            assert_eq!(
                call(path.clone(), Cred::None).await.0,
                StatusCode::UNAUTHORIZED,
                "{path}"
            );
        }
    }
);

api_test!(postgres_rls_shows_each_scope_only_its_usage_rows, |app| {
    use diesel::{Connection, RunQueryDsl};
    if app.backend != crate::helpers::Backend::Postgres {
        return; // RLS is PostgreSQL's; SQLite relies on the repositories alone.
    }
    let w = app.world().await;
    let tenant_c = app
        .create_tenant(&w.reseller1_admin, "Tenant C", None)
        .await;
    for t in [&w.tenant_a, &w.tenant_b, &tenant_c] {
        record(&app, t, "job_audio", None, "2026-08-01 00:00:00", 1_000).await;
    }
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let url = app.database_url.clone();
    let (a, r1) = (w.tenant_a.clone(), w.reseller1.clone());
    tokio::task::spawn_blocking(move || {
        let mut c = diesel::PgConnection::establish(&url).expect("connect as the service role");
        let mut visible = |settings: &str| -> i64 {
            c.transaction::<_, diesel::result::Error, _>(|c| {
                diesel::sql_query(format!("SELECT {settings}")).execute(c)?;
                Ok(diesel::sql_query("SELECT count(*) AS n FROM usage_records")
                    .get_result::<Count>(c)?
                    .n)
            })
            .expect("count")
        };
        assert_eq!(visible("1"), 0, "no scope: nothing");
        assert_eq!(
            visible(&format!("set_config('voxflow.scope', 'tenant', true), set_config('voxflow.tenant_id', '{a}', true)")),
            1
        );
        assert_eq!(
            visible(&format!("set_config('voxflow.scope', 'reseller', true), set_config('voxflow.reseller_id', '{r1}', true)")),
            2,
            "reseller 1: tenants A and C"
        );
        assert_eq!(visible("set_config('voxflow.scope', 'platform', true)"), 3);
    })
    .await
    .expect("join");
});
