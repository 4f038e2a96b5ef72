//! Email (docs/email.md). Mails are written to the `email_outbox` table in the same
//! transaction as what they are about (a reset token, an invitation), so a mail is never
//! sent for a change that rolled back nor lost for one that committed; [`sender`] delivers
//! them over SMTP with retries. The sender's display name is the recipient's resolved
//! branding's `email_sender_name`.

pub mod sender;
pub mod templates;

use crate::branding::{self, Subject};
use crate::store::repo::{email_outbox::OutboxRow, users::UserRow};
use crate::store::{self, DbConn, StoreError};

/// A mail to queue.
pub struct Mail {
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub body_text: String,
}

/// The branding a user's mail wears: their tenant's, else their reseller's, else the
/// platform's.
pub fn subject_of(user: &UserRow) -> Subject {
    match (&user.tenant_id, &user.reseller_id) {
        (Some(t), _) => Subject::Tenant(t.clone()),
        (None, Some(r)) => Subject::Reseller(r.clone()),
        _ => Subject::Platform,
    }
}

/// The resolved branding of a user's mail (call in the caller's transaction).
pub fn branding_for(
    conn: &mut DbConn,
    user: &UserRow,
) -> Result<branding::ResolvedBrandingView, StoreError> {
    branding::resolve(conn, &subject_of(user))
}

/// Queues `mail` to `user` in the caller's transaction, from `sender_name`.
pub fn enqueue(
    conn: &mut DbConn,
    user: &UserRow,
    sender_name: &str,
    mail: Mail,
) -> Result<String, StoreError> {
    enqueue_for(
        conn,
        user.tenant_id.as_deref(),
        user.reseller_id.as_deref(),
        sender_name,
        mail,
    )
}

/// Queues `mail` in the caller's transaction for someone who may have no account yet (an
/// invitee), recording the tenant or reseller it is sent for.
pub fn enqueue_for(
    conn: &mut DbConn,
    tenant_id: Option<&str>,
    reseller_id: Option<&str>,
    sender_name: &str,
    mail: Mail,
) -> Result<String, StoreError> {
    let now = store::now();
    let id = store::new_id();
    crate::store::repo::email_outbox::insert(
        conn,
        &OutboxRow {
            id: id.clone(),
            tenant_id: tenant_id.map(str::to_string),
            reseller_id: reseller_id.map(str::to_string),
            kind: mail.kind.to_string(),
            to_address: mail.to,
            from_name: sender_name.to_string(),
            subject: mail.subject,
            body_text: mail.body_text,
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: now,
            locked_until: None,
            last_error: None,
            created_at: now,
            sent_at: None,
        },
    )?;
    Ok(id)
}
