//! Everything a tenant owns, across tables: what purging a deleted tenant removes
//! (docs/data-lifecycle.md). Billing records stay — usage, invoices, plan history, the
//! RevenueCat subscription — and so do the tenant's row and its audit log, so the purge
//! itself can be shown later.

use crate::store::{DbConn, StoreError};
use diesel::prelude::*;

/// Jobs of the tenant that have not ended (queued, retrying or running).
pub fn unfinished_jobs(
    conn: &mut DbConn,
    tenant_id: &str,
) -> Result<Vec<super::jobs::JobRow>, StoreError> {
    use crate::store::schema::jobs::dsl as j;
    Ok(j::jobs
        .filter(j::tenant_id.eq(tenant_id.to_string()))
        .filter(j::status.ne_all(["succeeded", "failed", "cancelled"]))
        .select(super::jobs::JobRow::as_select())
        .load(conn)?)
}

/// Deletes the tenant's data, children before parents; returns (table, rows deleted) for
/// the audit record.
pub fn purge(conn: &mut DbConn, tenant_id: &str) -> Result<Vec<(&'static str, usize)>, StoreError> {
    use crate::store::schema::*;
    let t = tenant_id.to_string();
    let mut counts = Vec::new();
    macro_rules! delete_where_tenant {
        ($table:ident) => {
            counts.push((
                stringify!($table),
                diesel::delete($table::table.filter($table::tenant_id.eq(t.clone())))
                    .execute(conn)?,
            ));
        };
    }
    // Usage outlives the jobs it metered (billing needs it), detached from them.
    diesel::update(
        usage_records::table
            .filter(usage_records::tenant_id.eq(t.clone()))
            .filter(usage_records::job_id.is_not_null()),
    )
    .set(usage_records::job_id.eq(None::<String>))
    .execute(conn)?;
    // Its exports' archives live in its files directory, removed before this.
    delete_where_tenant!(data_exports);
    delete_where_tenant!(webhook_deliveries);
    delete_where_tenant!(webhook_endpoints);
    delete_where_tenant!(quota_reservations);
    delete_where_tenant!(job_artifacts);
    delete_where_tenant!(job_events);
    delete_where_tenant!(job_nodes);
    delete_where_tenant!(jobs);
    delete_where_tenant!(workflow_versions);
    delete_where_tenant!(workflows);
    delete_where_tenant!(files);
    delete_where_tenant!(translation_engines);
    // After the engines that use them.
    delete_where_tenant!(workspace_credentials);
    delete_where_tenant!(workflow_template_shares);
    // Presets shared with the tenant, then the tenant's own with whatever shares they have.
    delete_where_tenant!(node_preset_shares);
    let own_presets = node_presets::table
        .filter(node_presets::tenant_id.eq(t.clone()))
        .select(node_presets::id);
    diesel::delete(
        node_preset_shares::table.filter(node_preset_shares::preset_id.eq_any(own_presets)),
    )
    .execute(conn)?;
    counts.push((
        "node_presets",
        diesel::delete(node_presets::table.filter(node_presets::tenant_id.eq(t.clone())))
            .execute(conn)?,
    ));
    // Its own branding (images included); the tenant row stops pointing at it first.
    diesel::update(tenants::table.filter(tenants::id.eq(t.clone())))
        .set(tenants::branding_configuration_id.eq(None::<String>))
        .execute(conn)?;
    let own_branding = branding_configurations::table
        .filter(branding_configurations::tenant_id.eq(t.clone()))
        .select(branding_configurations::id);
    counts.push((
        "branding_assets",
        diesel::delete(
            branding_assets::table.filter(branding_assets::configuration_id.eq_any(own_branding)),
        )
        .execute(conn)?,
    ));
    counts.push((
        "branding_configurations",
        diesel::delete(
            branding_configurations::table.filter(branding_configurations::tenant_id.eq(t.clone())),
        )
        .execute(conn)?,
    ));
    delete_where_tenant!(invitations);
    delete_where_tenant!(refresh_tokens);
    delete_where_tenant!(api_keys);
    delete_where_tenant!(tenant_users);
    delete_where_tenant!(email_outbox);
    Ok(counts)
}
