//! Billing (docs/billing.md): a period close writes prorated invoices with metered overage
//! and reseller commission statements, exactly and once; the command line closes the same
//! way; closed rows cannot be changed; who reads which invoice, statement, upcoming invoice
//! and dashboard.

use crate::api_test;
use crate::helpers::{Cred, TestApp, World};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use voxflow::store;
use voxflow::store::repo::{
    tenants::{self, PlanHistoryRow},
    usage::{self, UsageRow},
};
use voxflow::tenancy::Scope;

fn at(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("timestamp")
}

/// Writes a plan-history row for `tenant` as of `when` (what the tenants API writes on a
/// change, backdated so that a past month has something to bill).
pub async fn subscribed(
    app: &TestApp,
    tenant: &str,
    plan: Option<&str>,
    interval: &str,
    status: &str,
    when: &str,
) {
    subscribed_as(app, tenant, plan, interval, status, "active", when).await
}

async fn subscribed_as(
    app: &TestApp,
    tenant: &str,
    plan: Option<&str>,
    interval: &str,
    status: &str,
    tenant_status: &str,
    when: &str,
) {
    let row = PlanHistoryRow {
        id: store::new_id(),
        tenant_id: tenant.into(),
        plan_id: plan.map(str::to_string),
        billing_interval: interval.into(),
        subscription_status: status.into(),
        tenant_status: tenant_status.into(),
        effective_at: at(when),
    };
    app.store
        .write(Scope::System, move |c| tenants::record_history(c, &row))
        .await
        .expect("history row");
}

async fn metered(app: &TestApp, tenant: &str, resource: &str, when: &str, ms: i64) {
    let row = UsageRow {
        id: store::new_id(),
        tenant_id: tenant.to_string(),
        user_id: None,
        job_id: None,
        resource_type: resource.into(),
        amount_milli: ms,
        unit: "audio_seconds".into(),
        recorded_at: at(when),
        node_id: None,
        node_kind: None,
    };
    app.store
        .write(Scope::System, move |c| usage::insert(c, &row))
        .await
        .expect("usage row");
}

async fn plan(app: &TestApp, token: &str, body: Value) -> String {
    let r = app.post("/v1/plans", token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.id()
}

async fn ok(app: &TestApp, path: &str, token: &str) -> Value {
    let r = app.get(path, token).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    r.body
}

/// Closes `period` as the platform admin; returns (status, body).
pub async fn close(app: &TestApp, period: &str) -> (StatusCode, Value) {
    let r = app
        .post(
            "/v1/billing/periods",
            &app.admin_token,
            json!({ "period": period }),
        )
        .await;
    (r.status, r.body)
}

/// Gives `tenant` a November 2026 on `plan` and closes November; returns its invoice's id.
pub async fn november_invoice(app: &TestApp, tenant: &str, plan: &str) -> String {
    subscribed(
        app,
        tenant,
        Some(plan),
        "month",
        "active",
        "2026-10-01 00:00:00",
    )
    .await;
    let (status, body) = close(app, "2026-11").await;
    assert!(status.is_success(), "{body}");
    let list = ok(
        app,
        &format!("/v1/invoices?tenant_id={tenant}&period=2026-11"),
        &app.admin_token,
    )
    .await;
    list["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an invoice for {tenant}: {list}"))
        .to_string()
}

/// The amounts of an invoice's lines, as decimal strings.
fn line_amounts(invoice: &Value) -> Vec<String> {
    invoice["lines"]
        .as_array()
        .unwrap_or_else(|| panic!("lines in {invoice}"))
        .iter()
        .map(|l| l["amount"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Reseller 1 at 12.5 % with Basic (19.99, 100 min, 0.006/min) and Pro (49.99, 500 min,
/// 0.004/min); a yearly system plan (190.00) for tenant B of reseller 2 at 10 %.
struct Books {
    w: World,
    basic: String,
    pro: String,
    yearly: String,
    trial_tenant: String,
    gone_tenant: String,
}

async fn november_books(app: &TestApp) -> Books {
    let w = app.world().await;
    let r = app
        .patch(
            &format!("/v1/resellers/{}", w.reseller1),
            &app.admin_token,
            json!({"commission_rate": "12.5"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let basic = plan(
        app,
        &w.reseller1_admin,
        json!({"name": "Basic", "price_monthly": "19.99", "price_yearly": "199.00",
               "storage_quota_mb": 100, "processing_quota_minutes": 100, "max_users": 5,
               "overage_price_per_minute": "0.006"}),
    )
    .await;
    let pro = plan(
        app,
        &w.reseller1_admin,
        json!({"name": "Pro", "price_monthly": "49.99", "price_yearly": "499.00",
               "storage_quota_mb": 100, "processing_quota_minutes": 500, "max_users": 5,
               "overage_price_per_minute": "0.004"}),
    )
    .await;
    let yearly = plan(
        app,
        &app.admin_token,
        json!({"name": "Global", "price_monthly": "19.00", "price_yearly": "190.00",
               "storage_quota_mb": 100, "processing_quota_minutes": 1000, "max_users": 5}),
    )
    .await;
    // Tenant A: Basic from October, Pro from 12 November (11 and 19 days of 30).
    subscribed(
        app,
        &w.tenant_a,
        Some(&basic),
        "month",
        "active",
        "2026-10-01 00:00:00",
    )
    .await;
    subscribed(
        app,
        &w.tenant_a,
        Some(&pro),
        "month",
        "active",
        "2026-11-12 00:00:00",
    )
    .await;
    // 600 minutes and 1,234,567 ms of billed audio in November; October's and December's,
    // and node audio (not billed itself), do not count.
    metered(
        app,
        &w.tenant_a,
        "job_audio",
        "2026-11-05 10:00:00",
        300 * 60_000,
    )
    .await;
    metered(
        app,
        &w.tenant_a,
        "transcription",
        "2026-11-20 10:00:00",
        300 * 60_000 + 1_234_567,
    )
    .await;
    metered(
        app,
        &w.tenant_a,
        "job_audio",
        "2026-10-31 23:59:59",
        999 * 60_000,
    )
    .await;
    metered(
        app,
        &w.tenant_a,
        "job_audio",
        "2026-12-01 00:00:00",
        999 * 60_000,
    )
    .await;
    metered(
        app,
        &w.tenant_a,
        "node_audio",
        "2026-11-06 10:00:00",
        999 * 60_000,
    )
    .await;
    // Tenant B (reseller 2): the yearly plan all year.
    subscribed(
        app,
        &w.tenant_b,
        Some(&yearly),
        "year",
        "active",
        "2026-01-01 00:00:00",
    )
    .await;
    // A trial all November is not billed, nor is its usage.
    let trial_tenant = app
        .create_tenant(&w.reseller1_admin, "Trial Co", None)
        .await;
    subscribed(
        app,
        &trial_tenant,
        Some(&basic),
        "month",
        "trial",
        "2026-10-20 00:00:00",
    )
    .await;
    metered(
        app,
        &trial_tenant,
        "job_audio",
        "2026-11-10 00:00:00",
        500 * 60_000,
    )
    .await;
    // Deleted on 10 November: 9 days of Basic.
    let gone_tenant = app.create_tenant(&w.reseller1_admin, "Gone Co", None).await;
    subscribed(
        app,
        &gone_tenant,
        Some(&basic),
        "month",
        "active",
        "2026-09-01 00:00:00",
    )
    .await;
    subscribed_as(
        app,
        &gone_tenant,
        Some(&basic),
        "month",
        "active",
        "deleted",
        "2026-11-10 00:00:00",
    )
    .await;
    Books {
        w,
        basic,
        pro,
        yearly,
        trial_tenant,
        gone_tenant,
    }
}

api_test!(
    closing_a_month_writes_prorated_invoices_and_commissions_once,
    |app| {
        let b = november_books(&app).await;
        let w = &b.w;
        let (status, period) = close(&app, "2026-11").await;
        assert_eq!(status, StatusCode::CREATED, "{period}");
        assert_eq!(period["period"], "2026-11");
        assert_eq!(period["invoice_count"], 3, "{period}");
        assert_eq!(period["statement_count"], 2, "{period}");
        assert_eq!(period["period_start"], "2026-11-01T00:00:00Z");
        assert_eq!(period["period_end"], "2026-12-01T00:00:00Z");

        let list = ok(&app, "/v1/invoices?period=2026-11", &app.admin_token).await;
        let invoices = list["items"].as_array().expect("items").clone();
        assert_eq!(invoices.len(), 3, "{list}");
        let of = |tenant: &str| -> Value {
            invoices
                .iter()
                .find(|i| i["tenant_id"] == tenant)
                .unwrap_or_else(|| panic!("no invoice for {tenant}: {list}"))
                .clone()
        };
        assert!(invoices
            .iter()
            .all(|i| i["tenant_id"] != b.trial_tenant.as_str()));

        // Tenant A: Basic 19.99 × 11/30 = 7.3296… → 7.33; Pro 49.99 × 19/30 = 31.6603… →
        // 31.66; included 100 × 11/30 + 500 × 19/30 minutes = 21,200,000 ms; billed 37,234,567
        // ms; 16,034,567 ms over at 0.004 a minute = 1.0689… → 1.07. Total 40.06.
        let a = ok(
            &app,
            &format!("/v1/invoices/{}", of(&w.tenant_a)["id"].as_str().unwrap()),
            &w.a_admin.1,
        )
        .await;
        assert_eq!(line_amounts(&a), ["7.33", "31.66", "1.07"], "{a}");
        assert_eq!(a["lines"][0]["plan_id"], b.basic.as_str());
        assert_eq!(a["lines"][1]["plan_id"], b.pro.as_str());
        assert_eq!(a["lines"][2]["kind"], "overage");
        assert_eq!(a["lines"][2]["quantity_ms"], 16_034_567);
        assert_eq!(a["lines"][2]["unit_price_per_minute"], "0.004");
        assert_eq!(a["subtotal"], "40.06");
        assert_eq!(a["tax"], "0.00");
        assert_eq!(a["total"], "40.06");
        assert_eq!(a["total_cents"], 4006);
        assert_eq!(a["currency"], "USD");
        assert_eq!(a["reseller_id"], w.reseller1.as_str());
        assert_eq!(a["tenant_name"], "Tenant A");
        assert!(
            a["number"].as_str().unwrap().starts_with("INV-2026-11-"),
            "{a}"
        );
        assert!(a["tax_note"].as_str().unwrap().contains("not computed"));
        assert!(
            a["lines"][0]["description"]
                .as_str()
                .unwrap()
                .contains("11 of 30 days"),
            "{a}"
        );
        // Tenant B: 190.00 × 30/365 = 15.6164… → 15.62.
        let bi = of(&w.tenant_b);
        assert_eq!(bi["total"], "15.62", "{bi}");
        assert!(bi["reseller_id"] == w.reseller2.as_str());
        // Deleted on the 10th: 19.99 × 9/30 = 5.997 → 6.00.
        assert_eq!(of(&b.gone_tenant)["total"], "6.00");

        // Statements: reseller 1 has 40.06 + 6.00 = 46.06 at 12.5 % = 5.7575 → 5.76;
        // reseller 2 has 15.62 at 10 % = 1.562 → 1.56.
        let st = ok(
            &app,
            "/v1/commission-statements?period=2026-11",
            &app.admin_token,
        )
        .await;
        let items = st["items"].as_array().expect("items");
        assert_eq!(items.len(), 2, "{st}");
        let r1 = items
            .iter()
            .find(|s| s["reseller_id"] == w.reseller1.as_str())
            .expect("reseller 1's statement");
        assert_eq!(r1["revenue"], "46.06");
        assert_eq!(r1["commission_rate_bp"], 1250);
        assert_eq!(r1["commission"], "5.76");
        assert_eq!(r1["commission_cents"], 576);
        assert_eq!(r1["invoice_count"], 2);
        let r2 = items
            .iter()
            .find(|s| s["reseller_id"] == w.reseller2.as_str())
            .expect("reseller 2's statement");
        assert_eq!(
            (r2["revenue"].as_str(), r2["commission"].as_str()),
            (Some("15.62"), Some("1.56"))
        );
        // A statement lists the invoices it adds up.
        let detail = ok(
            &app,
            &format!("/v1/commission-statements/{}", r1["id"].as_str().unwrap()),
            &w.reseller1_admin,
        )
        .await;
        let mut tenants_in: Vec<&str> = detail["invoices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["tenant_id"].as_str().unwrap())
            .collect();
        tenants_in.sort();
        let mut want = vec![w.tenant_a.as_str(), b.gone_tenant.as_str()];
        want.sort();
        assert_eq!(tenants_in, want);

        // Closing again changes nothing: the same record, no new rows.
        let (status, again) = close(&app, "2026-11").await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["closed_at"], period["closed_at"]);
        assert_eq!(again["invoice_count"], 3);
        let list2 = ok(&app, "/v1/invoices?period=2026-11", &app.admin_token).await;
        assert_eq!(list2["items"], list["items"]);
        let st2 = ok(&app, "/v1/commission-statements", &app.admin_token).await;
        assert_eq!(st2["items"].as_array().unwrap().len(), 2);
        // Even a plan price change after the close leaves the issued invoices as they were.
        let r = app
            .patch(
                &format!("/v1/plans/{}", b.basic),
                &w.reseller1_admin,
                json!({"price_monthly": "99.00"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let a2 = ok(
            &app,
            &format!("/v1/invoices/{}", a["id"].as_str().unwrap()),
            &w.a_admin.1,
        )
        .await;
        assert_eq!(a2, a);
        let periods = ok(&app, "/v1/billing/periods", &w.a_admin.1).await;
        assert_eq!(periods["items"][0]["period"], "2026-11");
        assert_eq!(periods["items"].as_array().unwrap().len(), 1);
        let _ = b.yearly;
    }
);

api_test!(
    closed_rows_cannot_be_changed_even_by_the_database_user,
    |app| {
        let w = app.world().await;
        november_invoice(&app, &w.tenant_a, &w.plan1).await;
        for sql in [
            "UPDATE invoices SET total_cents = 0",
            "DELETE FROM invoice_lines",
            "UPDATE commission_statements SET commission_cents = 0",
            "DELETE FROM billing_periods",
        ] {
            let r = app
                .store
                .write(Scope::System, move |c| {
                    use diesel::RunQueryDsl;
                    Ok(diesel::sql_query(sql).execute(c)?)
                })
                .await;
            assert!(r.is_err(), "{sql} was allowed");
        }
        let list = ok(&app, "/v1/invoices", &app.admin_token).await;
        assert_eq!(list["items"][0]["total"], "19.99", "{list}");
    }
);

api_test!(a_month_must_be_over_and_well_formed_to_close, |app| {
    let w = app.world().await;
    let this_month = chrono::Utc::now().format("%Y-%m").to_string();
    let r = app
        .post(
            "/v1/billing/periods",
            &app.admin_token,
            json!({"period": this_month}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.code(), "period_not_ended");
    for bad in ["2026-13", "2026-1", "november", "1999-12", ""] {
        let r = app
            .post(
                "/v1/billing/periods",
                &app.admin_token,
                json!({"period": bad}),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
        assert_eq!(r.code(), "validation_failed");
    }
    let r = app.get("/v1/invoices?period=nov", &app.admin_token).await;
    assert_eq!(r.code(), "invalid_query");
    // Only platform admins close; nothing was written by the refusals.
    for token in [&w.reseller1_admin, &w.a_admin.1] {
        let r = app
            .post("/v1/billing/periods", token, json!({"period": "2026-11"}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    let periods = ok(&app, "/v1/billing/periods", &app.admin_token).await;
    assert_eq!(periods["items"].as_array().unwrap().len(), 0);
});

api_test!(the_command_line_closes_the_same_way_once, |app| {
    let w = app.world().await;
    subscribed(
        &app,
        &w.tenant_a,
        Some(&w.plan1),
        "month",
        "active",
        "2026-09-15 00:00:00",
    )
    .await;
    let run = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_voxflow"))
            .args(["billing", "close", "--period", "2026-10"])
            .env_remove("VOXFLOW_CONFIG")
            .env("DATABASE_URL", &app.database_url)
            .env("VOXFLOW_DATA_DIR", app.data_dir())
            .env("VOXFLOW_JWT_SECRET", crate::helpers::JWT_SECRET)
            .env("VOXFLOW_LOG_FORMAT", "json")
            .output()
            .expect("voxflow runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The result is the last line (the log goes to standard output too).
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let last = stdout
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        serde_json::from_str::<Value>(last).unwrap_or_else(|e| panic!("{e}: {stdout}"))
    };
    let first = run();
    assert_eq!(first["created"], true, "{first}");
    assert_eq!(first["invoice_count"], 1);
    let second = run();
    assert_eq!(second["created"], false, "{second}");
    assert_eq!(second["closed_at"], first["closed_at"]);
    let periods = ok(&app, "/v1/billing/periods", &app.admin_token).await;
    assert_eq!(periods["items"][0]["period"], "2026-10");
    assert!(periods["items"][0]["closed_by"].is_null());
    // The API agrees it is closed.
    let (status, _) = close(&app, "2026-10").await;
    assert_eq!(status, StatusCode::OK);
    // Full month of R1 Pro (19.99).
    let list = ok(&app, "/v1/invoices?period=2026-10", &w.a_admin.1).await;
    assert_eq!(list["items"][0]["total"], "19.99", "{list}");
});

api_test!(who_reads_invoices_statements_and_dashboards, |app| {
    let b = november_books(&app).await;
    let w = &b.w;
    let (status, _) = close(&app, "2026-11").await;
    assert_eq!(status, StatusCode::CREATED);
    let ids = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|i| i["tenant_id"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    // Lists: each sees its own.
    let all = ok(&app, "/v1/invoices", &app.admin_token).await;
    assert_eq!(ids(&all).len(), 3);
    let mut r1 = ids(&ok(&app, "/v1/invoices", &w.reseller1_admin).await);
    r1.sort();
    let mut want = vec![w.tenant_a.clone(), b.gone_tenant.clone()];
    want.sort();
    assert_eq!(r1, want);
    assert_eq!(
        ids(&ok(&app, "/v1/invoices", &w.reseller2_admin).await),
        vec![w.tenant_b.clone()]
    );
    assert_eq!(
        ids(&ok(&app, "/v1/invoices", &w.a_admin.1).await),
        vec![w.tenant_a.clone()]
    );
    assert_eq!(
        ids(&ok(&app, "/v1/invoices", &w.b_admin.1).await),
        vec![w.tenant_b.clone()]
    );
    // Filters cannot widen a list.
    let r = ok(
        &app,
        &format!("/v1/invoices?tenant_id={}", w.tenant_a),
        &w.b_admin.1,
    )
    .await;
    assert!(ids(&r).is_empty());
    let r = ok(
        &app,
        &format!("/v1/invoices?reseller_id={}", w.reseller1),
        &w.reseller2_admin,
    )
    .await;
    assert!(ids(&r).is_empty());

    let a_invoice = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["tenant_id"] == w.tenant_a.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let st = ok(&app, "/v1/commission-statements", &app.admin_token).await;
    let r1_statement = st["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["reseller_id"] == w.reseller1.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let missing = uuid::Uuid::now_v7().to_string();
    let invoice = format!("/v1/invoices/{a_invoice}");
    let document = format!("{invoice}/document");
    let statement = format!("/v1/commission-statements/{r1_statement}");
    let upcoming_a = format!("/v1/tenants/{}/invoices/upcoming", w.tenant_a);
    let dashboard_r1 = format!("/v1/resellers/{}/dashboard", w.reseller1);
    // (who, credential, [(path, expected status)]).
    let cases: Vec<(&str, Cred, Vec<(&str, u16)>)> = vec![
        (
            "platform admin",
            Cred::Bearer(&app.admin_token),
            vec![
                (&invoice, 200),
                (&document, 200),
                (&statement, 200),
                (&upcoming_a, 200),
                (&dashboard_r1, 200),
                ("/v1/commission-statements", 200),
            ],
        ),
        (
            "reseller 1 admin",
            Cred::Bearer(&w.reseller1_admin),
            vec![
                (&invoice, 200),
                (&document, 200),
                (&statement, 200),
                (&upcoming_a, 200),
                (&dashboard_r1, 200),
            ],
        ),
        (
            "reseller 2 admin",
            Cred::Bearer(&w.reseller2_admin),
            vec![
                (&invoice, 404),
                (&document, 404),
                (&statement, 404),
                (&upcoming_a, 404),
                (&dashboard_r1, 404),
            ],
        ),
        (
            "A admin",
            Cred::Bearer(&w.a_admin.1),
            vec![
                (&invoice, 200),
                (&document, 200),
                (&statement, 403),
                (&upcoming_a, 200),
                (&dashboard_r1, 403),
                ("/v1/commission-statements", 403),
            ],
        ),
        (
            "B admin",
            Cred::Bearer(&w.b_admin.1),
            vec![
                (&invoice, 404),
                (&document, 404),
                (&statement, 403),
                (&upcoming_a, 404),
                (&dashboard_r1, 403),
            ],
        ),
        // Members and viewers follow the work, not the bill.
        (
            "A member",
            Cred::Bearer(&w.a_member.1),
            vec![
                (&invoice, 403),
                ("/v1/invoices", 403),
                (&upcoming_a, 403),
                ("/v1/billing/periods", 403),
            ],
        ),
        (
            "A viewer",
            Cred::Bearer(&w.a_viewer.1),
            vec![(&invoice, 403), ("/v1/invoices", 403)],
        ),
        (
            "A member's API key",
            Cred::Bearer(&w.a_key.1),
            vec![(&invoice, 403), ("/v1/invoices", 403)],
        ),
    ];
    for (who, cred, paths) in cases {
        for (path, want) in paths {
            let r = app.call(Method::GET, path, cred, None).await;
            assert_eq!(r.status.as_u16(), want, "{who}: GET {path}: {}", r.body);
            if want == 404 {
                // As missing as an id that does not exist.
                let other = path
                    .replace(&a_invoice, &missing)
                    .replace(&r1_statement, &missing)
                    .replace(&w.tenant_a, &missing)
                    .replace(&w.reseller1, &missing);
                let m = app.call(Method::GET, &other, cred, None).await;
                assert_eq!(
                    (m.status, m.code().to_string()),
                    (r.status, r.code().to_string()),
                    "{who}: {path}"
                );
            }
        }
    }
    // An API key of a tenant admin carries billing:read only when given it.
    let (_, with) = app
        .create_api_key(
            &w.a_admin.1,
            json!({"name": "books", "permissions": ["billing:read"]}),
        )
        .await;
    let (_, without) = app
        .create_api_key(
            &w.a_admin.1,
            json!({"name": "jobs", "permissions": ["jobs:read"]}),
        )
        .await;
    assert_eq!(
        app.call(Method::GET, &invoice, Cred::Bearer(&with), None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.call(Method::GET, &invoice, Cred::XApiKey(&without), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The document wears the tenant's resolved branding and escapes what it prints.
    crate::branding::create(&app, &w.a_admin.1, json!({"product_name": "Acme <Speech>"})).await;
    let r = app
        .client
        .get(format!("{}{document}", app.base))
        .bearer_auth(&w.a_admin.1)
        .send()
        .await
        .unwrap();
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = r.text().await.unwrap();
    assert!(html.contains("Acme &lt;Speech&gt;"), "{html}");
    assert!(!html.contains("<Speech>"));
    assert!(html.contains("INV-2026-11-") && html.contains("40.06") && html.contains("Tenant A"));
});

api_test!(the_dashboard_and_upcoming_invoice_add_up, |app| {
    let b = november_books(&app).await;
    let w = &b.w;
    // Before November is closed its revenue is an estimate; after, its statements.
    let d = ok(
        &app,
        &format!("/v1/resellers/{}/dashboard", w.reseller1),
        &w.reseller1_admin,
    )
    .await;
    let now = chrono::Utc::now().naive_utc();
    let last = voxflow::billing::invoicing::Period::containing(now).previous();
    assert_eq!(d["last_period"]["period"], last.label.as_str());
    assert_eq!(d["last_period"]["closed"], false);
    if last.label == "2026-11" {
        assert_eq!(d["last_period"]["revenue"][0]["revenue"], "46.06", "{d}");
        assert_eq!(d["last_period"]["revenue"][0]["commission"], "5.76", "{d}");
    }
    // Customers: A, Trial Co and Gone Co (deleted only in its backdated history, so its
    // tenant row still counts), all `active` as the tenant rows say.
    let customers = &d["customers"];
    assert_eq!(customers["total"], 3, "{d}");
    assert_eq!(customers["active"], 3, "{d}");
    // Move A to past due: the count follows.
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"subscription_status": "past_due"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = ok(
        &app,
        &format!("/v1/resellers/{}/dashboard", w.reseller1),
        &w.reseller1_admin,
    )
    .await;
    assert_eq!(d["customers"]["past_due"], 1, "{d}");
    assert_eq!(d["customers"]["active"], 2, "{d}");
    if last.label == "2026-11" {
        let (status, _) = close(&app, "2026-11").await;
        assert_eq!(status, StatusCode::CREATED);
        let d = ok(
            &app,
            &format!("/v1/resellers/{}/dashboard", w.reseller1),
            &app.admin_token,
        )
        .await;
        assert_eq!(d["last_period"]["closed"], true);
        assert_eq!(d["last_period"]["revenue"][0]["revenue"], "46.06", "{d}");
        assert_eq!(d["last_period"]["revenue"][0]["invoice_count"], 2);
    }
    // The upcoming invoice: give A Basic from now and see its prorated line (the backdated
    // Pro of November also runs into December until A's own creation row, so look it up).
    let r = app
        .patch(
            &format!("/v1/tenants/{}", w.tenant_a),
            &w.reseller1_admin,
            json!({"subscription_plan_id": b.basic, "subscription_status": "active"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let up = ok(
        &app,
        &format!("/v1/tenants/{}/invoices/upcoming", w.tenant_a),
        &w.a_admin.1,
    )
    .await;
    assert_eq!(
        up["period"],
        voxflow::billing::invoicing::Period::containing(now)
            .label
            .as_str()
    );
    let inv = &up["invoices"][0];
    let lines = inv["lines"].as_array().unwrap();
    let basic_line = lines
        .iter()
        .find(|l| l["plan_id"] == b.basic.as_str())
        .unwrap_or_else(|| panic!("a Basic line: {up}"));
    let basic_cents = basic_line["amount_cents"].as_i64().unwrap();
    assert!(basic_cents > 0 && basic_cents <= 1999, "{up}");
    let cents = inv["total_cents"].as_i64().unwrap();
    let sum: i64 = lines
        .iter()
        .map(|l| l["amount_cents"].as_i64().unwrap())
        .sum();
    assert_eq!(cents, sum, "{up}");
    // The dashboard's current period shows the same estimate among its top tenants.
    let d = ok(
        &app,
        &format!("/v1/resellers/{}/dashboard", w.reseller1),
        &w.reseller1_admin,
    )
    .await;
    let top = d["top_tenants"].as_array().unwrap();
    assert_eq!(top[0]["tenant_id"], w.tenant_a.as_str(), "{d}");
    assert_eq!(top[0]["revenue_this_period"][0]["amount_cents"], cents);
    let _ = (b.pro, b.yearly, b.trial_tenant, b.gone_tenant);
});
