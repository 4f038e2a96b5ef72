//! Writing the audit log. Every mutation records who did what to which object, in the
//! same transaction as the change itself, so the log never disagrees with the data.

use crate::auth::Authed;
use crate::store::repo::audit::AuditRow;
use crate::store::{self, DbConn, StoreError};

/// Who acted, captured from the request before entering the database closure.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<String>,
    pub api_key_id: Option<String>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

impl Actor {
    pub fn of(authed: &Authed) -> Self {
        Actor {
            user_id: Some(authed.principal.user_id.to_string()),
            api_key_id: authed.principal.api_key_id().map(|u| u.to_string()),
            request_id: authed.meta.request_id.clone(),
            ip: authed.meta.ip.clone(),
        }
    }
}

/// What was changed: the target and the tenant/reseller it belongs to (for scoped reads).
pub struct Event<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    pub tenant_id: Option<String>,
    pub reseller_id: Option<String>,
    pub details: serde_json::Value,
}

pub fn record(conn: &mut DbConn, actor: &Actor, event: Event<'_>) -> Result<(), StoreError> {
    crate::store::repo::audit::insert(
        conn,
        &AuditRow {
            id: store::new_id(),
            actor_user_id: actor.user_id.clone(),
            actor_api_key_id: actor.api_key_id.clone(),
            tenant_id: event.tenant_id,
            reseller_id: event.reseller_id,
            action: event.action.to_string(),
            target_type: event.target_type.to_string(),
            target_id: event.target_id,
            request_id: actor.request_id.clone(),
            ip: actor.ip.clone(),
            details: event.details.to_string(),
            at: store::now(),
        },
    )
}
