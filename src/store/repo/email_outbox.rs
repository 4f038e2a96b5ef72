//! `email_outbox`: mails waiting to be sent, sent, or given up on (docs/email.md).

use crate::store::schema::email_outbox::dsl as eo;
use crate::store::{DbConn, StoreError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::email_outbox)]
pub struct OutboxRow {
    pub id: String,
    pub tenant_id: Option<String>,
    pub reseller_id: Option<String>,
    /// `password_reset`, `email_verification`, …
    pub kind: String,
    pub to_address: String,
    /// The display name of the sender (the resolved branding's `email_sender_name`).
    pub from_name: String,
    pub subject: String,
    pub body_text: String,
    /// `pending`, `sent` or `failed` (given up after the last retry).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    /// A sender holds a claimed mail until then; past it, another may take it over.
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &OutboxRow) -> Result<(), StoreError> {
    diesel::insert_into(eo::email_outbox)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Claims up to `limit` due mails for `lease`: each claim is a conditional update, so two
/// senders (two processes on one PostgreSQL) never send the same mail at once.
pub fn claim_due(
    conn: &mut DbConn,
    now: NaiveDateTime,
    lease: chrono::TimeDelta,
    limit: i64,
) -> Result<Vec<OutboxRow>, StoreError> {
    let free = || eo::locked_until.is_null().or(eo::locked_until.lt(now));
    let due: Vec<String> = eo::email_outbox
        .filter(eo::status.eq("pending"))
        .filter(eo::next_attempt_at.le(now))
        .filter(free())
        .order(eo::next_attempt_at.asc())
        .limit(limit)
        .select(eo::id)
        .load(conn)?;
    let mut claimed = Vec::with_capacity(due.len());
    for id in due {
        let n = diesel::update(
            eo::email_outbox
                .filter(eo::id.eq(id.clone()))
                .filter(eo::status.eq("pending"))
                .filter(free()),
        )
        .set(eo::locked_until.eq(Some(now + lease)))
        .execute(conn)?;
        if n == 1 {
            claimed.push(
                eo::email_outbox
                    .filter(eo::id.eq(id))
                    .select(OutboxRow::as_select())
                    .first(conn)?,
            );
        }
    }
    Ok(claimed)
}

/// Records a delivery: sent, retried at `retry_at`, or given up (`retry_at` None).
pub fn record_attempt(
    conn: &mut DbConn,
    id: &str,
    now: NaiveDateTime,
    outcome: Result<(), String>,
    retry_at: Option<NaiveDateTime>,
) -> Result<(), StoreError> {
    let target = eo::email_outbox.filter(eo::id.eq(id.to_string()));
    match outcome {
        Ok(()) => diesel::update(target)
            .set((
                eo::status.eq("sent"),
                eo::attempts.eq(eo::attempts + 1),
                eo::sent_at.eq(Some(now)),
                eo::locked_until.eq(None::<NaiveDateTime>),
                eo::last_error.eq(None::<String>),
            ))
            .execute(conn)?,
        Err(e) => diesel::update(target)
            .set((
                eo::status.eq(if retry_at.is_some() {
                    "pending"
                } else {
                    "failed"
                }),
                eo::attempts.eq(eo::attempts + 1),
                eo::next_attempt_at.eq(retry_at.unwrap_or(now)),
                eo::locked_until.eq(None::<NaiveDateTime>),
                eo::last_error.eq(Some(e)),
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// How many mails wait (for the log line when no SMTP server is configured).
pub fn pending_count(conn: &mut DbConn) -> Result<i64, StoreError> {
    Ok(eo::email_outbox
        .filter(eo::status.eq("pending"))
        .count()
        .get_result(conn)?)
}

/// Erases the mails to `address`: recipient, subject and body replaced; those not sent yet
/// are given up (the person they were for is erased).
pub fn scrub_address(
    conn: &mut DbConn,
    address: &str,
    replacement: &str,
) -> Result<usize, StoreError> {
    diesel::update(
        eo::email_outbox
            .filter(eo::to_address.eq(address.to_string()))
            .filter(eo::status.eq("pending")),
    )
    .set((
        eo::status.eq("failed"),
        eo::last_error.eq(Some("the recipient was erased")),
    ))
    .execute(conn)?;
    Ok(
        diesel::update(eo::email_outbox.filter(eo::to_address.eq(address.to_string())))
            .set((
                eo::to_address.eq(replacement.to_string()),
                eo::subject.eq(super::ERASED),
                eo::body_text.eq(super::ERASED),
            ))
            .execute(conn)?,
    )
}
