//! Invitation events: where the invitation mail is queued.
//!
//! [`created`] runs inside the transaction that stores a new invitation, with the plain token
//! (which is stored nowhere: the row keeps only its SHA-256), and writes the invitation mail
//! to the email outbox (docs/email.md) in that same transaction, so an invitation and its
//! mail are committed together or not at all. The inviting admin also receives the token
//! once in the `201` answer, for when mail cannot reach the invitee.

use crate::store::repo::invitations::InvitationRow;
use crate::store::{DbConn, StoreError};

/// A new invitation, as the outbox will need it.
pub struct Created<'a> {
    pub invitation: &'a InvitationRow,
    /// The plain token (`vfi_…`): what the mail's accept link carries.
    pub token: &'a str,
    pub tenant_name: &'a str,
    /// The reseller of the tenant, if any.
    pub reseller_id: Option<&'a str>,
    /// `VOXFLOW_PUBLIC_URL`: the mail's link is `<public_url>/accept-invitation?token=…`.
    pub public_url: &'a str,
}

/// Called in the transaction that stores `event.invitation`: queues the invitation mail,
/// wearing the tenant's resolved branding.
pub fn created(conn: &mut DbConn, event: &Created<'_>) -> Result<(), StoreError> {
    let inv = event.invitation;
    let brand = crate::branding::resolve(
        conn,
        &crate::branding::Subject::Tenant(inv.tenant_id.clone()),
    )?;
    let link = format!(
        "{}/accept-invitation?token={}",
        event.public_url.trim_end_matches('/'),
        event.token
    );
    let expires = inv.expires_at.format("%Y-%m-%d %H:%M UTC").to_string();
    let mail = crate::email::templates::invitation(
        &brand,
        &inv.email,
        event.tenant_name,
        &inv.role,
        &link,
        &expires,
    );
    crate::email::enqueue_for(
        conn,
        Some(&inv.tenant_id),
        event.reseller_id,
        &brand.email_sender_name,
        mail,
    )?;
    Ok(())
}
