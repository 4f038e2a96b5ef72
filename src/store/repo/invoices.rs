//! Closed billing periods, invoices (with their lines) and commission statements
//! (docs/billing.md). Every row is written once, by a period close, and never changed: the
//! database refuses updates and deletes (triggers on both backends).

use super::{Page, PageRequest};
use crate::store::schema::{
    billing_periods::dsl as bp, commission_statements::dsl as cs, invoice_lines::dsl as il,
    invoices::dsl as inv,
};
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::billing_periods)]
pub struct BillingPeriodRow {
    pub period: String,
    pub period_start: NaiveDateTime,
    pub period_end: NaiveDateTime,
    pub closed_at: NaiveDateTime,
    pub closed_by: Option<String>,
    pub invoice_count: i32,
    pub statement_count: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::invoices)]
pub struct InvoiceRow {
    pub id: String,
    pub number: String,
    pub period: String,
    pub tenant_id: String,
    pub reseller_id: Option<String>,
    pub tenant_name: String,
    pub currency: String,
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub period_start: NaiveDateTime,
    pub period_end: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::invoice_lines)]
pub struct InvoiceLineRow {
    pub id: String,
    pub invoice_id: String,
    pub position: i32,
    pub kind: String,
    pub description: String,
    pub plan_id: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub quantity_ms: Option<i64>,
    pub unit_price_millicents: Option<i64>,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::commission_statements)]
pub struct StatementRow {
    pub id: String,
    pub number: String,
    pub period: String,
    pub reseller_id: String,
    pub reseller_name: String,
    pub currency: String,
    pub invoice_count: i32,
    pub revenue_cents: i64,
    pub commission_rate_bp: i32,
    pub commission_cents: i64,
    pub created_at: NaiveDateTime,
}

pub fn insert_period(conn: &mut DbConn, row: &BillingPeriodRow) -> Result<(), StoreError> {
    diesel::insert_into(bp::billing_periods)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get_period(conn: &mut DbConn, period: &str) -> Result<Option<BillingPeriodRow>, StoreError> {
    Ok(bp::billing_periods
        .filter(bp::period.eq(period.to_string()))
        .select(BillingPeriodRow::as_select())
        .first(conn)
        .optional()?)
}

/// Closed periods, newest first.
pub fn list_periods(conn: &mut DbConn) -> Result<Vec<BillingPeriodRow>, StoreError> {
    Ok(bp::billing_periods
        .order(bp::period.desc())
        .select(BillingPeriodRow::as_select())
        .load(conn)?)
}

/// Writes an invoice and its lines.
pub fn insert_invoice(
    conn: &mut DbConn,
    row: &InvoiceRow,
    lines: &[InvoiceLineRow],
) -> Result<(), StoreError> {
    diesel::insert_into(inv::invoices)
        .values(row)
        .execute(conn)?;
    for line in lines {
        diesel::insert_into(il::invoice_lines)
            .values(line)
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_statement(conn: &mut DbConn, row: &StatementRow) -> Result<(), StoreError> {
    diesel::insert_into(cs::commission_statements)
        .values(row)
        .execute(conn)?;
    Ok(())
}

type InvoiceQuery<'a> = crate::store::schema::invoices::BoxedQuery<'a, MultiBackend>;

/// The invoices a scope may read: a tenant its own, a reseller those issued under it, the
/// platform every one (PostgreSQL's row-level security says the same).
fn visible_invoices(scope: &Scope) -> InvoiceQuery<'static> {
    let q = inv::invoices.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(inv::reseller_id.eq(reseller_id.to_string())),
        Scope::Tenant { tenant_id, .. } => q.filter(inv::tenant_id.eq(tenant_id.to_string())),
    }
}

#[derive(Debug, Default)]
pub struct InvoiceFilter {
    pub tenant_id: Option<String>,
    pub reseller_id: Option<String>,
    pub period: Option<String>,
}

/// Invoices, newest first (by id: ids are time-ordered).
pub fn list_invoices(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    filter: &InvoiceFilter,
) -> Result<Page<InvoiceRow>, StoreError> {
    let mut q = visible_invoices(scope);
    if let Some(after) = &page.after {
        q = q.filter(inv::id.lt(after.clone()));
    }
    if let Some(t) = &filter.tenant_id {
        q = q.filter(inv::tenant_id.eq(t.clone()));
    }
    if let Some(r) = &filter.reseller_id {
        q = q.filter(inv::reseller_id.eq(r.clone()));
    }
    if let Some(p) = &filter.period {
        q = q.filter(inv::period.eq(p.clone()));
    }
    let rows = q
        .order(inv::id.desc())
        .limit(page.limit + 1)
        .select(InvoiceRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |i| i.id.clone()))
}

pub fn get_invoice(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Option<InvoiceRow>, StoreError> {
    Ok(visible_invoices(scope)
        .filter(inv::id.eq(id.to_string()))
        .select(InvoiceRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn lines_of(conn: &mut DbConn, invoice_id: &str) -> Result<Vec<InvoiceLineRow>, StoreError> {
    Ok(il::invoice_lines
        .filter(il::invoice_id.eq(invoice_id.to_string()))
        .order(il::position.asc())
        .select(InvoiceLineRow::as_select())
        .load(conn)?)
}

/// The invoices a statement adds up: its reseller's, for its period and currency.
pub fn invoices_of_statement(
    conn: &mut DbConn,
    st: &StatementRow,
) -> Result<Vec<InvoiceRow>, StoreError> {
    Ok(inv::invoices
        .filter(inv::reseller_id.eq(st.reseller_id.clone()))
        .filter(inv::period.eq(st.period.clone()))
        .filter(inv::currency.eq(st.currency.clone()))
        .order(inv::number.asc())
        .select(InvoiceRow::as_select())
        .load(conn)?)
}

type StatementQuery<'a> = crate::store::schema::commission_statements::BoxedQuery<'a, MultiBackend>;

/// Statements a scope may read: a reseller its own, the platform every one, a tenant none.
fn visible_statements(scope: &Scope) -> Option<StatementQuery<'static>> {
    let q = cs::commission_statements.into_boxed();
    match scope {
        Scope::System | Scope::Platform => Some(q),
        Scope::Reseller { reseller_id } => {
            Some(q.filter(cs::reseller_id.eq(reseller_id.to_string())))
        }
        Scope::Tenant { .. } => None,
    }
}

/// Statements, newest first.
pub fn list_statements(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    reseller_id: Option<&str>,
    period: Option<&str>,
) -> Result<Page<StatementRow>, StoreError> {
    let Some(mut q) = visible_statements(scope) else {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    };
    if let Some(after) = &page.after {
        q = q.filter(cs::id.lt(after.clone()));
    }
    if let Some(r) = reseller_id {
        q = q.filter(cs::reseller_id.eq(r.to_string()));
    }
    if let Some(p) = period {
        q = q.filter(cs::period.eq(p.to_string()));
    }
    let rows = q
        .order(cs::id.desc())
        .limit(page.limit + 1)
        .select(StatementRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |s| s.id.clone()))
}

pub fn get_statement(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Option<StatementRow>, StoreError> {
    let Some(q) = visible_statements(scope) else {
        return Ok(None);
    };
    Ok(q.filter(cs::id.eq(id.to_string()))
        .select(StatementRow::as_select())
        .first(conn)
        .optional()?)
}

/// A reseller's statements of one period (one per currency).
pub fn statements_of(
    conn: &mut DbConn,
    reseller_id: &str,
    period: &str,
) -> Result<Vec<StatementRow>, StoreError> {
    Ok(cs::commission_statements
        .filter(cs::reseller_id.eq(reseller_id.to_string()))
        .filter(cs::period.eq(period.to_string()))
        .order(cs::currency.asc())
        .select(StatementRow::as_select())
        .load(conn)?)
}

/// A reseller's invoices of one period.
pub fn invoices_of_reseller(
    conn: &mut DbConn,
    reseller_id: &str,
    period: &str,
) -> Result<Vec<InvoiceRow>, StoreError> {
    Ok(inv::invoices
        .filter(inv::reseller_id.eq(reseller_id.to_string()))
        .filter(inv::period.eq(period.to_string()))
        .order(inv::number.asc())
        .select(InvoiceRow::as_select())
        .load(conn)?)
}
