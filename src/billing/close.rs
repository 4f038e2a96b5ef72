//! Closing a billing period (docs/billing.md): every tenant's invoice and every reseller's
//! commission statement for a calendar month, written once in one transaction.
//!
//! Idempotent: the `billing_periods` row is written first, under its primary key, so a
//! second close of the same month — after the first, or racing it — writes nothing and
//! answers with the first close's record.

use super::invoicing::{self, DraftInvoice, Period, TenantTerms};
use crate::audit::{self, Actor, Event};
use crate::engine::admission::BILLED;
use crate::store::repo::{
    self,
    invoices::{BillingPeriodRow, InvoiceLineRow, InvoiceRow, StatementRow},
    plans::PlanRow,
    tenants::TenantRow,
};
use crate::store::{self, DbConn, Store, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use std::collections::BTreeMap;

/// Plans read once per close (tenants share few plans).
#[derive(Default)]
struct Plans(BTreeMap<String, PlanRow>);

impl Plans {
    fn load(
        &mut self,
        c: &mut DbConn,
        ids: impl Iterator<Item = String>,
    ) -> Result<(), StoreError> {
        for id in ids {
            if !self.0.contains_key(&id) {
                if let Some(p) = repo::plans::get(c, &Scope::System, &id)? {
                    self.0.insert(id, p);
                }
            }
        }
        Ok(())
    }
}

/// A tenant's draft invoices for `period` (one per currency; none when nothing of the
/// period was billable). Notes on what could not be billed go to `skipped`.
fn draft_tenant(
    c: &mut DbConn,
    period: &Period,
    tenant: &TenantRow,
    plans: &mut Plans,
    skipped: &mut Vec<String>,
) -> Result<Vec<DraftInvoice>, StoreError> {
    let history = repo::tenants::plan_history(c, &tenant.id, period.start, period.end)?;
    let stretches = invoicing::stretches(&history, period);
    if stretches.is_empty() {
        return Ok(Vec::new());
    }
    plans.load(c, stretches.iter().map(|s| s.plan_id.clone()))?;
    let billed = stretches
        .iter()
        .map(|s| repo::usage::total_between(c, &tenant.id, &BILLED, s.start, Some(s.end)))
        .collect::<Result<Vec<_>, _>>()?;
    let terms = TenantTerms {
        tenant_id: &tenant.id,
        reseller_id: tenant.reseller_id.as_deref(),
        tenant_name: &tenant.name,
        quota_override_minutes: tenant.processing_quota_minutes,
    };
    Ok(invoicing::draft(
        &terms, period, &stretches, &billed, &plans.0, skipped,
    ))
}

/// What `period` would invoice `tenant` if it were closed now (the upcoming invoice of the
/// current month: its plan time to the month's end, its usage so far).
pub fn preview_tenant(
    c: &mut DbConn,
    period: &Period,
    tenant: &TenantRow,
) -> Result<Vec<DraftInvoice>, StoreError> {
    draft_tenant(c, period, tenant, &mut Plans::default(), &mut Vec::new())
}

/// [`preview_tenant`] for several tenants, sharing the plan reads.
pub fn preview_tenants(
    c: &mut DbConn,
    period: &Period,
    tenants: &[TenantRow],
) -> Result<Vec<DraftInvoice>, StoreError> {
    let mut plans = Plans::default();
    let mut out = Vec::new();
    for t in tenants {
        out.extend(draft_tenant(c, period, t, &mut plans, &mut Vec::new())?);
    }
    Ok(out)
}

/// The outcome of a close.
#[derive(Debug, Clone)]
pub struct Closed {
    pub period: BillingPeriodRow,
    /// False: the period was closed before; nothing was written.
    pub created: bool,
    /// What could not be billed (a stretch whose plan is gone), for the log and the answer.
    pub skipped: Vec<String>,
}

/// Why a period cannot be closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseRefusal {
    /// The month is not over yet.
    NotEnded { ends: NaiveDateTime },
}

/// Closes `period` in the caller's (write) transaction: one invoice per tenant and currency
/// with billable time in the period, numbered `INV-YYYY-MM-NNNNN` in tenant order, and one
/// statement per reseller and currency with invoices, numbered `COM-YYYY-MM-NNNNN`.
pub fn close(
    c: &mut DbConn,
    period: &Period,
    now: NaiveDateTime,
    closed_by: Option<String>,
) -> Result<Result<Closed, CloseRefusal>, StoreError> {
    if let Some(existing) = repo::invoices::get_period(c, &period.label)? {
        return Ok(Ok(Closed {
            period: existing,
            created: false,
            skipped: Vec::new(),
        }));
    }
    if period.end > now {
        return Ok(Err(CloseRefusal::NotEnded { ends: period.end }));
    }
    let mut skipped = Vec::new();
    let mut plans = Plans::default();
    let mut drafts = Vec::new();
    for tenant in repo::tenants::with_history_before(c, period.end)? {
        drafts.extend(draft_tenant(c, period, &tenant, &mut plans, &mut skipped)?);
    }
    // Commission statements: per reseller and currency, over its invoices' revenue.
    let mut revenue: BTreeMap<(String, String), (i64, i32)> = BTreeMap::new();
    for d in &drafts {
        if let Some(r) = &d.reseller_id {
            let e = revenue.entry((r.clone(), d.currency.clone())).or_default();
            e.0 += d.subtotal_cents;
            e.1 += 1;
        }
    }
    let mut statements = Vec::new();
    for ((reseller_id, currency), (revenue_cents, invoice_count)) in revenue {
        let Some(reseller) = repo::resellers::get(c, &Scope::System, &reseller_id)? else {
            skipped.push(format!(
                "reseller {reseller_id} is gone: no commission statement"
            ));
            continue;
        };
        statements.push(StatementRow {
            id: store::new_id(),
            number: format!("COM-{}-{:05}", period.label, statements.len() + 1),
            period: period.label.clone(),
            reseller_id,
            reseller_name: reseller.name,
            currency,
            invoice_count,
            revenue_cents,
            commission_rate_bp: reseller.commission_rate_bp,
            commission_cents: invoicing::commission(revenue_cents, reseller.commission_rate_bp),
            created_at: now,
        });
    }
    let record = BillingPeriodRow {
        period: period.label.clone(),
        period_start: period.start,
        period_end: period.end,
        closed_at: now,
        closed_by,
        invoice_count: drafts.len() as i32,
        statement_count: statements.len() as i32,
    };
    // First, so that a racing close of the same month fails here (unique key) before
    // writing anything else.
    repo::invoices::insert_period(c, &record)?;
    for (n, d) in drafts.iter().enumerate() {
        let id = store::new_id();
        let lines: Vec<InvoiceLineRow> = d
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| InvoiceLineRow {
                id: store::new_id(),
                invoice_id: id.clone(),
                position: i as i32 + 1,
                kind: l.kind.to_string(),
                description: l.description.clone(),
                plan_id: l.plan_id.clone(),
                starts_at: l.starts_at,
                ends_at: l.ends_at,
                quantity_ms: l.quantity_ms,
                unit_price_millicents: l.unit_price_millicents,
                amount_cents: l.amount_cents,
            })
            .collect();
        let row = InvoiceRow {
            id,
            number: format!("INV-{}-{:05}", period.label, n + 1),
            period: period.label.clone(),
            tenant_id: d.tenant_id.clone(),
            reseller_id: d.reseller_id.clone(),
            tenant_name: d.tenant_name.clone(),
            currency: d.currency.clone(),
            subtotal_cents: d.subtotal_cents,
            tax_cents: d.tax_cents,
            total_cents: d.total_cents,
            period_start: period.start,
            period_end: period.end,
            created_at: now,
        };
        repo::invoices::insert_invoice(c, &row, &lines)?;
    }
    for st in &statements {
        repo::invoices::insert_statement(c, st)?;
    }
    Ok(Ok(Closed {
        period: record,
        created: true,
        skipped,
    }))
}

/// [`close`] in its own transaction, audited when it wrote something (the API and
/// `voxflow billing close` alike). A close that loses a race with another one of the same
/// month answers with the winner's record.
pub async fn close_recorded(
    store: &Store,
    period: &Period,
    closed_by: Option<String>,
    actor: Actor,
) -> Result<Result<Closed, CloseRefusal>, StoreError> {
    let p = period.clone();
    let written = store
        .write(Scope::System, move |c| {
            let out = close(c, &p, store::now(), closed_by)?;
            if let Ok(closed) = &out {
                if closed.created {
                    audit::record(
                        c,
                        &actor,
                        Event {
                            action: "billing.period_close",
                            target_type: "billing_period",
                            target_id: Some(closed.period.period.clone()),
                            tenant_id: None,
                            reseller_id: None,
                            details: serde_json::json!({
                                "invoices": closed.period.invoice_count,
                                "statements": closed.period.statement_count,
                                "skipped": closed.skipped,
                            }),
                        },
                    )?;
                }
            }
            Ok(out)
        })
        .await;
    match written {
        Err(StoreError::UniqueViolation(_)) => {
            let label = period.label.clone();
            let existing = store
                .read(Scope::System, move |c| {
                    repo::invoices::get_period(c, &label)
                })
                .await?
                .ok_or_else(|| StoreError::Query("a billing period vanished".into()))?;
            Ok(Ok(Closed {
                period: existing,
                created: false,
                skipped: Vec::new(),
            }))
        }
        Ok(Ok(closed)) => {
            for s in &closed.skipped {
                tracing::warn!(period = %period.label, "billing close: {s}");
            }
            Ok(Ok(closed))
        }
        other => other,
    }
}
