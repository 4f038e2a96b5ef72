//! Storage-level checks: migrations round-trip, and PostgreSQL row-level security.

use crate::helpers::pg_count as count;
use crate::helpers::{self, Backend};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use voxflow::store::Store;

fn round_trip(url: &str, backend: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let count = std::fs::read_dir(dir).expect("migrations dir").count();
    let store = Store::open(url, 1).expect("open + migrate");
    store.revert_all().expect("down migrations undo up");
    assert_eq!(
        store.migrate().expect("re-apply"),
        count,
        "every migration re-applies after down"
    );
}

#[test]
fn sqlite_migrations_round_trip() {
    let dir = tempfile::tempdir().expect("dir");
    round_trip(
        &format!("sqlite://{}", dir.path().join("m.db").display()),
        "sqlite",
    );
}

#[test]
fn postgres_migrations_round_trip() {
    let Some(admin) = helpers::pg_admin_url() else {
        eprintln!("skipped: VOXFLOW_TEST_PG_URL is not set");
        return;
    };
    round_trip(&helpers::create_pg_database(&admin), "postgres");
}

crate::api_test!(
    postgres_rls_hides_other_tenants_rows_from_the_service_role,
    |app| {
        if app.backend != Backend::Postgres {
            return; // RLS is a PostgreSQL feature; SQLite relies on the repositories alone.
        }
        let w = app.world().await;
        for token in [&w.a_member.1, &w.b_member.1] {
            let r = app
                .upload(
                    crate::helpers::Cred::Bearer(token),
                    "x.wav",
                    helpers::wav(100),
                )
                .await;
            assert_eq!(r.status, reqwest::StatusCode::CREATED, "{}", r.body);
        }
        let url = app.database_url.clone();
        let (a, b) = (w.tenant_a.clone(), w.tenant_b.clone());
        tokio::task::spawn_blocking(move || {
        let mut c = PgConnection::establish(&url).expect("connect as the service role");
        let bypass = count(&mut c, "SELECT count(*) AS n FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolbypassrls)");
        assert_eq!(bypass, 0, "the service role must not bypass RLS");
        // No scope set: nothing is visible, even to the tables' owner.
        assert_eq!(count(&mut c, "SELECT count(*) AS n FROM users"), 0);
        assert_eq!(count(&mut c, "SELECT count(*) AS n FROM tenants"), 0);
        c.transaction::<_, diesel::result::Error, _>(|c| {
            c.batch_execute(&format!(
                "SELECT set_config('voxflow.scope', 'tenant', true), set_config('voxflow.tenant_id', '{a}', true)"
            ))?;
            assert_eq!(count(c, &format!("SELECT count(*) AS n FROM users WHERE tenant_id = '{b}'")), 0);
            assert_eq!(count(c, &format!("SELECT count(*) AS n FROM api_keys WHERE tenant_id = '{b}'")), 0);
            assert!(count(c, &format!("SELECT count(*) AS n FROM users WHERE tenant_id = '{a}'")) >= 3);
            assert_eq!(count(c, "SELECT count(*) AS n FROM tenants"), 1);
            // Writing into another tenant is refused by the policy's WITH CHECK.
            let err = c.batch_execute(&format!(
                "UPDATE users SET first_name = 'x' WHERE tenant_id = '{b}'"
            ));
            assert!(err.is_ok(), "the update matches no visible row");
            let insert = c.batch_execute(&format!(
                "INSERT INTO workflows (id, tenant_id, name, config, is_template, is_public, created_at, updated_at) \
                 VALUES ('{}', '{b}', 'x', '{{}}', false, false, now(), now())",
                uuid::Uuid::now_v7()
            ));
            assert!(insert.is_err(), "insert into another tenant must violate RLS");
            Ok(())
        })
        .ok();
        c.transaction::<_, diesel::result::Error, _>(|c| {
            let r1 = w.reseller1.clone();
            c.batch_execute(&format!(
                "SELECT set_config('voxflow.scope', 'reseller', true), set_config('voxflow.reseller_id', '{r1}', true)"
            ))?;
            assert_eq!(count(c, &format!("SELECT count(*) AS n FROM tenants WHERE id = '{b}'")), 0);
            assert_eq!(count(c, &format!("SELECT count(*) AS n FROM tenants WHERE id = '{a}'")), 1);
            assert_eq!(count(c, &format!("SELECT count(*) AS n FROM users WHERE tenant_id = '{b}'")), 0);
            Ok(())
        })
        .expect("reseller scope");
        assert_eq!(count(&mut c, "SELECT count(*) AS n FROM files"), 0);
        c.transaction::<_, diesel::result::Error, _>(|c| {
            c.batch_execute(&format!(
                "SELECT set_config('voxflow.scope', 'tenant', true), set_config('voxflow.tenant_id', '{a}', true)"
            ))?;
            assert_eq!(count(c, "SELECT count(*) AS n FROM files"), 1);
            assert_eq!(count(c, &format!("SELECT count(*) AS n FROM files WHERE tenant_id = '{b}'")), 0);
            let insert = c.batch_execute(&format!(
                "INSERT INTO files (id, tenant_id, name, content_type, size_bytes, sha256, storage_key, status, created_at) \
                 VALUES ('{}', '{b}', 'x', 'audio/wav', 1, 'x', 'files/x/y', 'ready', now())",
                uuid::Uuid::now_v7()
            ));
            assert!(insert.is_err(), "a file for another tenant must violate RLS");
            Ok(())
        })
        .ok();
    })
    .await
    .expect("rls checks");
    }
);

/// Runs `sql` as the service role inside one transaction with the scope `settings` sets
/// (`scope`, `tenant_id`, `reseller_id`); the rows it touched, or the error.
fn in_scope(
    conn: &mut PgConnection,
    settings: &[(&str, &str)],
    sql: &str,
) -> Result<usize, String> {
    conn.transaction::<_, diesel::result::Error, _>(|c| {
        for (k, v) in settings {
            c.batch_execute(&format!("SELECT set_config('voxflow.{k}', '{v}', true)"))?;
        }
        diesel::sql_query(sql).execute(c)
    })
    .map_err(|e| e.to_string())
}

// Defence in depth: even a query that forgets its scope filter cannot move rows out of the
// scope. Tried as the service role with raw SQL.
crate::api_test!(
    postgres_rls_write_checks_keep_tenants_users_and_resellers_in_scope,
    |app| {
        if app.backend != Backend::Postgres {
            return; // RLS is a PostgreSQL feature.
        }
        let w = app.world().await;
        let url = app.database_url.clone();
        let (a, r1, r2) = (w.tenant_a.clone(), w.reseller1.clone(), w.reseller2.clone());
        let a_member = w.a_member.0.clone();
        let a_admin_tenant = w.tenant_a.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = PgConnection::establish(&url).expect("connect as the service role");
            let tenant: Vec<(&str, &str)> = vec![("scope", "tenant"), ("tenant_id", a.as_str()), ("reseller_id", r1.as_str())];
            let reseller: Vec<(&str, &str)> = vec![("scope", "reseller"), ("reseller_id", r1.as_str())];
            let system: Vec<(&str, &str)> = vec![("scope", "system")];

            // Tenants: the tenant scope may rename itself, not move to another reseller or
            // out from under its own.
            assert_eq!(in_scope(&mut c, &tenant, &format!("UPDATE tenants SET name = 'Tenant A' WHERE id = '{a}'")), Ok(1));
            for sql in [
                format!("UPDATE tenants SET reseller_id = '{r2}' WHERE id = '{a}'"),
                format!("UPDATE tenants SET reseller_id = NULL WHERE id = '{a}'"),
            ] {
                let e = in_scope(&mut c, &tenant, &sql).expect_err(&sql);
                assert!(e.contains("row-level security"), "{sql}: {e}");
            }
            // Resellers: the tenant scope reads its own and writes nothing.
            assert_eq!(count_in(&mut c, &tenant, "SELECT count(*) AS n FROM resellers"), 1);
            assert_eq!(in_scope(&mut c, &tenant, &format!("UPDATE resellers SET name = 'pwned' WHERE id = '{r1}'")), Ok(0));
            assert_eq!(in_scope(&mut c, &tenant, &format!("DELETE FROM resellers WHERE id = '{r1}'")), Ok(0));
            assert_eq!(count_in(&mut c, &system, &format!("SELECT count(*) AS n FROM resellers WHERE id = '{r1}' AND name = 'Reseller One'")), 1);
            // The reseller scope still manages its own row.
            assert_eq!(in_scope(&mut c, &reseller, &format!("UPDATE resellers SET name = 'Reseller One' WHERE id = '{r1}'")), Ok(1));
            // Users: a tenant's users get no reseller (that would make them reseller staff),
            // from the tenant or the reseller scope.
            for scope in [&tenant, &reseller] {
                let sql = format!("UPDATE users SET reseller_id = '{r1}' WHERE id = '{a_member}'");
                let e = in_scope(&mut c, scope, &sql).expect_err(&sql);
                assert!(e.contains("row-level security"), "{sql}: {e}");
                let sql = format!("UPDATE users SET tenant_id = NULL, reseller_id = '{r2}' WHERE id = '{a_member}'");
                assert!(in_scope(&mut c, scope, &sql).is_err(), "{sql}");
            }
            assert_eq!(in_scope(&mut c, &tenant, &format!("UPDATE users SET first_name = 'ok' WHERE id = '{a_member}' AND tenant_id = '{a_admin_tenant}'")), Ok(1));
            // Plans: a system plan is visible within a scope, not without one.
            let plan = uuid::Uuid::now_v7();
            assert_eq!(in_scope(&mut c, &system, &format!(
                "INSERT INTO subscription_plans (id, name, storage_quota_mb, processing_quota_minutes, max_users, created_at, updated_at) \
                 VALUES ('{plan}', 'System basic', 10, 10, 1, now(), now())")), Ok(1));
            assert_eq!(count(&mut c, "SELECT count(*) AS n FROM subscription_plans"), 0, "no scope, no plans");
            assert_eq!(count_in(&mut c, &tenant, &format!("SELECT count(*) AS n FROM subscription_plans WHERE id = '{plan}'")), 1);
            assert_eq!(count_in(&mut c, &[("scope", "bogus")], "SELECT count(*) AS n FROM subscription_plans"), 0);
        })
        .await
        .expect("rls write checks");
    }
);

fn count_in(conn: &mut PgConnection, settings: &[(&str, &str)], sql: &str) -> i64 {
    conn.transaction::<_, diesel::result::Error, _>(|c| {
        for (k, v) in settings {
            c.batch_execute(&format!("SELECT set_config('voxflow.{k}', '{v}', true)"))?;
        }
        Ok(count(c, sql))
    })
    .expect(sql)
}
