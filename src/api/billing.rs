//! Billing (docs/billing.md): closing a period (`POST /v1/billing/periods`, platform
//! admins), invoices (`/v1/invoices`, each also as a printable HTML document), the upcoming
//! invoice of a tenant, commission statements (`/v1/commission-statements`) and the reseller
//! dashboard (`GET /v1/resellers/{id}/dashboard`).
//!
//! `billing:read` reads: tenant admins their tenant's invoices, reseller admins their
//! statements and the invoices issued under them, platform admins everything. Another
//! tenant's or reseller's invoice or statement answers exactly as a missing one.

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::Actor;
use crate::auth::{Action, Authed};
use crate::billing::close::{self, CloseRefusal};
use crate::billing::invoicing::{DraftInvoice, DraftLine, Period};
use crate::billing::money::{format_cents, format_millicents};
use crate::engine::admission::BILLED;
use crate::error::{ApiError, Code};
use crate::store::repo::{
    self,
    invoices::{BillingPeriodRow, InvoiceFilter, InvoiceLineRow, InvoiceRow, StatementRow},
};
use crate::store::{self, StoreError};
use crate::tenancy::{Role, Scope};
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Taxes are left out of every invoice; say so wherever an invoice is shown.
pub const TAX_NOTE: &str =
    "Taxes are not computed: amounts exclude VAT and sales tax, which are charged separately \
     where due.";

// ---- views

/// A closed billing period.
#[derive(Debug, Serialize, ToSchema)]
pub struct BillingPeriodView {
    /// `YYYY-MM`: a calendar month (UTC).
    #[schema(example = "2026-11")]
    pub period: String,
    pub period_start: DateTime<Utc>,
    /// The next month's first instant (excluded).
    pub period_end: DateTime<Utc>,
    pub closed_at: DateTime<Utc>,
    /// The platform admin who closed it (null: the `voxflow billing close` command).
    pub closed_by: Option<Uuid>,
    pub invoice_count: i32,
    pub statement_count: i32,
    /// On the answer to a close that wrote it: what could not be billed (a stretch of plan
    /// time whose plan was deleted). Empty otherwise.
    pub skipped: Vec<String>,
}

impl BillingPeriodView {
    fn of(r: BillingPeriodRow, skipped: Vec<String>) -> Self {
        BillingPeriodView {
            period: r.period,
            period_start: super::utc(r.period_start),
            period_end: super::utc(r.period_end),
            closed_at: super::utc(r.closed_at),
            closed_by: super::parse_uuid_opt(r.closed_by.as_deref()),
            invoice_count: r.invoice_count,
            statement_count: r.statement_count,
            skipped,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BillingPeriodList {
    /// Newest first.
    pub items: Vec<BillingPeriodView>,
}

/// One line of an invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceLineView {
    /// 1, 2, … in the invoice's order.
    pub position: i32,
    /// `plan` (plan time, prorated) or `overage` (billed audio beyond the included minutes).
    #[schema(example = "plan")]
    pub kind: String,
    #[schema(
        example = "Pro (monthly price, 11 of 30 days, 2026-11-01 00:00 – 2026-11-12 00:00 UTC)"
    )]
    pub description: String,
    pub plan_id: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Overage lines: billed milliseconds beyond the included ones.
    pub quantity_ms: Option<i64>,
    /// Overage lines: the price of a minute (exact decimal, up to five decimals).
    #[schema(example = "0.006")]
    pub unit_price_per_minute: Option<String>,
    /// Exact decimal string in the invoice's currency.
    #[schema(example = "7.33")]
    pub amount: String,
    /// The same in hundredths (cents).
    pub amount_cents: i64,
}

impl InvoiceLineView {
    fn of_row(l: InvoiceLineRow) -> Self {
        InvoiceLineView {
            position: l.position,
            kind: l.kind,
            description: l.description,
            plan_id: super::parse_uuid_opt(l.plan_id.as_deref()),
            starts_at: super::utc(l.starts_at),
            ends_at: super::utc(l.ends_at),
            quantity_ms: l.quantity_ms,
            unit_price_per_minute: l.unit_price_millicents.map(format_millicents),
            amount: format_cents(l.amount_cents),
            amount_cents: l.amount_cents,
        }
    }

    fn of_draft(i: usize, l: &DraftLine) -> Self {
        InvoiceLineView {
            position: i as i32 + 1,
            kind: l.kind.to_string(),
            description: l.description.clone(),
            plan_id: super::parse_uuid_opt(l.plan_id.as_deref()),
            starts_at: super::utc(l.starts_at),
            ends_at: super::utc(l.ends_at),
            quantity_ms: l.quantity_ms,
            unit_price_per_minute: l.unit_price_millicents.map(format_millicents),
            amount: format_cents(l.amount_cents),
            amount_cents: l.amount_cents,
        }
    }
}

/// An invoice, as listed (its lines are on `GET /v1/invoices/{id}`).
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceSummaryView {
    pub id: Uuid,
    /// `INV-YYYY-MM-NNNNN`, unique.
    #[schema(example = "INV-2026-11-00001")]
    pub number: String,
    #[schema(example = "2026-11")]
    pub period: String,
    pub tenant_id: Uuid,
    /// The tenant's name when the invoice was issued.
    pub tenant_name: String,
    /// The reseller the tenant was sold by when the invoice was issued (null: the platform).
    pub reseller_id: Option<Uuid>,
    /// ISO 4217 code (the plan's).
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(example = "38.99")]
    pub subtotal: String,
    pub subtotal_cents: i64,
    /// Always `0.00`: see `tax_note`.
    #[schema(example = "0.00")]
    pub tax: String,
    pub tax_cents: i64,
    #[schema(example = "38.99")]
    pub total: String,
    pub total_cents: i64,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    pub issued_at: DateTime<Utc>,
}

impl From<InvoiceRow> for InvoiceSummaryView {
    fn from(r: InvoiceRow) -> Self {
        InvoiceSummaryView {
            id: super::parse_uuid(&r.id),
            number: r.number,
            period: r.period,
            tenant_id: super::parse_uuid(&r.tenant_id),
            tenant_name: r.tenant_name,
            reseller_id: super::parse_uuid_opt(r.reseller_id.as_deref()),
            currency: r.currency,
            subtotal: format_cents(r.subtotal_cents),
            subtotal_cents: r.subtotal_cents,
            tax: format_cents(r.tax_cents),
            tax_cents: r.tax_cents,
            total: format_cents(r.total_cents),
            total_cents: r.total_cents,
            period_start: super::utc(r.period_start),
            period_end: super::utc(r.period_end),
            issued_at: super::utc(r.created_at),
        }
    }
}

list_view!(InvoiceList, InvoiceSummaryView);

/// An invoice with its lines. Invoices never change once issued.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceView {
    #[serde(flatten)]
    pub invoice: InvoiceSummaryView,
    pub lines: Vec<InvoiceLineView>,
    pub tax_note: String,
    /// The printable document (HTML).
    #[schema(example = "/v1/invoices/0190…/document")]
    pub document_url: String,
}

/// What the current period would invoice if it closed now.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpcomingInvoiceView {
    pub currency: String,
    pub lines: Vec<InvoiceLineView>,
    #[schema(example = "12.40")]
    pub subtotal: String,
    pub subtotal_cents: i64,
    #[schema(example = "12.40")]
    pub total: String,
    pub total_cents: i64,
    /// Billed audio so far in the period's billable time, and how much of it is included.
    pub billed_ms: i64,
    pub included_ms: i64,
}

impl From<&DraftInvoice> for UpcomingInvoiceView {
    fn from(d: &DraftInvoice) -> Self {
        UpcomingInvoiceView {
            currency: d.currency.clone(),
            lines: d
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| InvoiceLineView::of_draft(i, l))
                .collect(),
            subtotal: format_cents(d.subtotal_cents),
            subtotal_cents: d.subtotal_cents,
            total: format_cents(d.total_cents),
            total_cents: d.total_cents,
            billed_ms: d.billed_ms,
            included_ms: d.included_ms,
        }
    }
}

/// The tenant's upcoming invoices (one per currency; usually one).
#[derive(Debug, Serialize, ToSchema)]
pub struct UpcomingInvoices {
    pub tenant_id: Uuid,
    #[schema(example = "2026-12")]
    pub period: String,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    /// The plan time to the period's end as subscribed now; the usage metered so far.
    pub invoices: Vec<UpcomingInvoiceView>,
    pub tax_note: String,
    pub generated_at: DateTime<Utc>,
}

/// A reseller's commission statement for a period and currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementSummaryView {
    pub id: Uuid,
    /// `COM-YYYY-MM-NNNNN`, unique.
    #[schema(example = "COM-2026-11-00001")]
    pub number: String,
    #[schema(example = "2026-11")]
    pub period: String,
    pub reseller_id: Uuid,
    pub reseller_name: String,
    #[schema(example = "USD")]
    pub currency: String,
    pub invoice_count: i32,
    /// The invoices' subtotals (taxes excluded) added up.
    #[schema(example = "1234.56")]
    pub revenue: String,
    pub revenue_cents: i64,
    /// The reseller's rate when the period closed, in basis points (1500 = 15 %).
    pub commission_rate_bp: i32,
    /// `revenue × commission_rate_bp / 10,000`, rounded half to even.
    #[schema(example = "185.18")]
    pub commission: String,
    pub commission_cents: i64,
    pub issued_at: DateTime<Utc>,
}

impl From<StatementRow> for StatementSummaryView {
    fn from(r: StatementRow) -> Self {
        StatementSummaryView {
            id: super::parse_uuid(&r.id),
            number: r.number,
            period: r.period,
            reseller_id: super::parse_uuid(&r.reseller_id),
            reseller_name: r.reseller_name,
            currency: r.currency,
            invoice_count: r.invoice_count,
            revenue: format_cents(r.revenue_cents),
            revenue_cents: r.revenue_cents,
            commission_rate_bp: r.commission_rate_bp,
            commission: format_cents(r.commission_cents),
            commission_cents: r.commission_cents,
            issued_at: super::utc(r.created_at),
        }
    }
}

list_view!(StatementList, StatementSummaryView);

/// A statement with the invoices it adds up.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementView {
    #[serde(flatten)]
    pub statement: StatementSummaryView,
    pub invoices: Vec<InvoiceSummaryView>,
}

// ---- closing a period

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosePeriodRequest {
    /// The calendar month to close, `YYYY-MM` (UTC); it must have ended.
    #[schema(
        example = "2026-11",
        pattern = r"^\s*(2[0-9]{3}|[3-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-(0[1-9]|1[0-2])\s*$"
    )]
    pub period: String,
}

/// Closes a billing period (platform admins, `billing:write`): writes every tenant's invoice
/// and every reseller's commission statement for the month, once. `201` when this call
/// closed it; `200` with the same record when it was already closed (nothing is written
/// again). A month that has not ended is `409 period_not_ended`.
#[utoipa::path(tag = "billing", request_body = ClosePeriodRequest, responses((status = 201, body = BillingPeriodView, description = "Closed now"), (status = 200, body = BillingPeriodView, description = "Already closed: nothing changed"), WriteErrors))]
#[post("/billing/periods")]
pub async fn close_period(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<ClosePeriodRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::BillingWrite)?;
    if authed.role() != Role::PlatformAdmin {
        return Err(ApiError::forbidden(
            "Only platform admins close billing periods",
        ));
    }
    let mut v = Validator::default();
    let period = Period::parse(body.period.trim());
    v.check(
        period.is_some(),
        "period",
        "must be a month as YYYY-MM (2000-01 to 9998-12)",
    );
    v.finish()?;
    let period = period.unwrap_or_else(|| Period::containing(store::now()));
    let closed = close::close_recorded(
        &state.store,
        &period,
        Some(authed.principal.user_id.to_string()),
        Actor::of(&authed),
    )
    .await?
    .map_err(|r| refusal(&period, r))?;
    Ok(if closed.created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(BillingPeriodView::of(closed.period, closed.skipped)))
}

fn refusal(period: &Period, r: CloseRefusal) -> ApiError {
    match r {
        CloseRefusal::NotEnded { ends } => ApiError::new(
            Code::PeriodNotEnded,
            format!(
                "{} ends at {}: close it from then on",
                period.label,
                super::utc(ends).to_rfc3339()
            ),
        ),
    }
}

/// The closed billing periods, newest first (`billing:read`).
#[utoipa::path(tag = "billing", responses((status = 200, body = BillingPeriodList), ReadErrors))]
#[get("/billing/periods")]
pub async fn list_periods(
    state: web::Data<AppState>,
    authed: Authed,
) -> Result<web::Json<BillingPeriodList>, ApiError> {
    authed.require(Action::BillingRead)?;
    let rows = state
        .store
        .read(authed.scope(), repo::invoices::list_periods)
        .await?;
    Ok(web::Json(BillingPeriodList {
        items: rows
            .into_iter()
            .map(|r| BillingPeriodView::of(r, Vec::new()))
            .collect(),
    }))
}

// ---- invoices

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InvoiceListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    pub tenant_id: Option<Uuid>,
    pub reseller_id: Option<Uuid>,
    /// `YYYY-MM`.
    #[param(
        pattern = r"^(2[0-9]{3}|[3-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-(0[1-9]|1[0-2])$"
    )]
    pub period: Option<String>,
}

/// Invoices the caller may read, newest first (`billing:read`): a tenant admin its
/// tenant's, a reseller admin those issued under its reseller, a platform admin all.
#[utoipa::path(tag = "billing", params(InvoiceListQuery), responses((status = 200, body = InvoiceList), ReadErrors))]
#[get("/invoices")]
pub async fn list_invoices(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<InvoiceListQuery>,
) -> Result<web::Json<InvoiceList>, ApiError> {
    authed.require(Action::BillingRead)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    if let Some(p) = &q.period {
        if Period::parse(p).is_none() {
            return Err(ApiError::new(
                Code::InvalidQuery,
                "period must be a month as YYYY-MM",
            ));
        }
    }
    let filter = InvoiceFilter {
        tenant_id: q.tenant_id.map(|t| t.to_string()),
        reseller_id: q.reseller_id.map(|r| r.to_string()),
        period: q.period,
    };
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| {
            repo::invoices::list_invoices(c, &scope, &page, &filter)
        })
        .await?;
    Ok(web::Json(InvoiceList::from_page(
        rows.map(InvoiceSummaryView::from),
    )))
}

async fn invoice_with_lines(
    state: &AppState,
    authed: &Authed,
    id: Uuid,
) -> Result<(InvoiceRow, Vec<InvoiceLineRow>), ApiError> {
    authed.require(Action::BillingRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    state
        .store
        .read(scope, move |c| {
            let Some(inv) = repo::invoices::get_invoice(c, &scope, &id)? else {
                return Ok(None);
            };
            let lines = repo::invoices::lines_of(c, &inv.id)?;
            Ok(Some((inv, lines)))
        })
        .await?
        .ok_or_else(|| ApiError::of(Code::InvoiceNotFound))
}

/// One invoice with its lines (`billing:read`).
#[utoipa::path(tag = "billing", params(("id" = Uuid, Path)), responses((status = 200, body = InvoiceView), ReadErrors))]
#[get("/invoices/{id}")]
pub async fn get_invoice(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<InvoiceView>, ApiError> {
    let (inv, lines) = invoice_with_lines(&state, &authed, id.into_inner()).await?;
    let document_url = format!("/v1/invoices/{}/document", inv.id);
    Ok(web::Json(InvoiceView {
        invoice: inv.into(),
        lines: lines.into_iter().map(InvoiceLineView::of_row).collect(),
        tax_note: TAX_NOTE.into(),
        document_url,
    }))
}

/// The invoice as a printable HTML document wearing the tenant's resolved branding
/// (`billing:read`). Print it to PDF from any browser.
#[utoipa::path(tag = "billing", params(("id" = Uuid, Path)), responses((status = 200, description = "The invoice as a self-contained HTML page", content_type = "text/html"), ReadErrors))]
#[get("/invoices/{id}/document")]
pub async fn get_invoice_document(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (inv, lines) = invoice_with_lines(&state, &authed, id.into_inner()).await?;
    let subject = crate::branding::Subject::Tenant(inv.tenant_id.clone());
    let brand = state
        .store
        .read(Scope::System, move |c| {
            crate::branding::resolve(c, &subject)
        })
        .await?;
    let html = crate::billing::document::invoice_html(&inv, &lines, &brand, TAX_NOTE);
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        ))
        .insert_header(("Cache-Control", "private, max-age=300"))
        .body(html))
}

/// What the tenant's current period would invoice if it closed now (`billing:read`): its
/// plan time to the month's end as subscribed now, the billed audio metered so far.
#[utoipa::path(tag = "billing", params(("id" = Uuid, Path)), responses((status = 200, body = UpcomingInvoices), ReadErrors))]
#[get("/tenants/{id}/invoices/upcoming")]
pub async fn get_upcoming_invoice(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<UpcomingInvoices>, ApiError> {
    authed.require(Action::BillingRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let now = store::now();
    let period = Period::containing(now);
    let p = period.clone();
    let (tenant, drafts) = state
        .store
        .read(scope, move |c| {
            let Some(tenant) = repo::tenants::get(c, &scope, &id)? else {
                return Ok(None);
            };
            let drafts = close::preview_tenant(c, &p, &tenant)?;
            Ok(Some((tenant, drafts)))
        })
        .await?
        .ok_or_else(|| ApiError::of(Code::TenantNotFound))?;
    Ok(web::Json(UpcomingInvoices {
        tenant_id: super::parse_uuid(&tenant.id),
        period: period.label.clone(),
        period_start: super::utc(period.start),
        period_end: super::utc(period.end),
        invoices: drafts.iter().map(UpcomingInvoiceView::from).collect(),
        tax_note: TAX_NOTE.into(),
        generated_at: super::utc(now),
    }))
}

// ---- commission statements

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatementListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    pub reseller_id: Option<Uuid>,
    /// `YYYY-MM`.
    #[param(
        pattern = r"^(2[0-9]{3}|[3-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-(0[1-9]|1[0-2])$"
    )]
    pub period: Option<String>,
}

fn require_statement_reader(authed: &Authed) -> Result<(), ApiError> {
    authed.require(Action::BillingRead)?;
    if !matches!(authed.role(), Role::PlatformAdmin | Role::ResellerAdmin) {
        return Err(ApiError::forbidden(
            "Only reseller and platform admins read commission statements",
        ));
    }
    Ok(())
}

/// Commission statements, newest first: a reseller admin its reseller's, a platform admin
/// all (`billing:read`).
#[utoipa::path(tag = "billing", params(StatementListQuery), responses((status = 200, body = StatementList), ReadErrors))]
#[get("/commission-statements")]
pub async fn list_statements(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<StatementListQuery>,
) -> Result<web::Json<StatementList>, ApiError> {
    require_statement_reader(&authed)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let scope = authed.scope();
    let reseller = q.reseller_id.map(|r| r.to_string());
    let period = q.period;
    let rows = state
        .store
        .read(scope, move |c| {
            repo::invoices::list_statements(
                c,
                &scope,
                &page,
                reseller.as_deref(),
                period.as_deref(),
            )
        })
        .await?;
    Ok(web::Json(StatementList::from_page(
        rows.map(StatementSummaryView::from),
    )))
}

/// One commission statement with the invoices it adds up (`billing:read`).
#[utoipa::path(tag = "billing", params(("id" = Uuid, Path)), responses((status = 200, body = StatementView), ReadErrors))]
#[get("/commission-statements/{id}")]
pub async fn get_statement(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<StatementView>, ApiError> {
    require_statement_reader(&authed)?;
    let scope = authed.scope();
    let id = id.to_string();
    let (st, invoices) = state
        .store
        .read(scope, move |c| {
            let Some(st) = repo::invoices::get_statement(c, &scope, &id)? else {
                return Ok(None);
            };
            let invoices = repo::invoices::invoices_of_statement(c, &st)?;
            Ok(Some((st, invoices)))
        })
        .await?
        .ok_or_else(|| ApiError::of(Code::StatementNotFound))?;
    Ok(web::Json(StatementView {
        statement: st.into(),
        invoices: invoices.into_iter().map(Into::into).collect(),
    }))
}

// ---- the reseller dashboard

/// A reseller's customers by subscription status (deleted tenants left out).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct CustomerCounts {
    pub total: i64,
    pub active: i64,
    pub trial: i64,
    pub past_due: i64,
    pub cancelled: i64,
    pub expired: i64,
    /// Tenants suspended (whatever their subscription), also counted above.
    pub suspended: i64,
}

/// Revenue and commission in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevenueView {
    #[schema(example = "USD")]
    pub currency: String,
    pub invoice_count: i64,
    #[schema(example = "1234.56")]
    pub revenue: String,
    pub revenue_cents: i64,
    #[schema(example = "185.18")]
    pub commission: String,
    pub commission_cents: i64,
}

/// One period's revenue.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodRevenue {
    #[schema(example = "2026-11")]
    pub period: String,
    /// True: from the period's closed statements. False: estimated now, as the upcoming
    /// invoices are.
    pub closed: bool,
    pub revenue: Vec<RevenueView>,
}

/// A tenant among the reseller's top tenants.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopTenant {
    pub tenant_id: Uuid,
    pub name: String,
    pub subscription_status: String,
    /// Billed audio this month (job audio and OpenAI-route transcription), milliseconds.
    pub billed_ms_this_month: i64,
    /// The current period's estimated revenue from this tenant, per currency.
    pub revenue_this_period: Vec<TenantRevenue>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantRevenue {
    pub currency: String,
    pub amount: String,
    pub amount_cents: i64,
}

/// A reseller's business at a glance.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResellerDashboard {
    pub reseller_id: Uuid,
    pub name: String,
    pub commission_rate_bp: i32,
    pub customers: CustomerCounts,
    pub current_period: PeriodRevenue,
    pub last_period: PeriodRevenue,
    /// Billed audio of all its tenants this month, milliseconds.
    pub billed_ms_this_month: i64,
    /// Up to ten tenants, by this period's estimated revenue, then by this month's usage.
    pub top_tenants: Vec<TopTenant>,
    pub tax_note: String,
    pub generated_at: DateTime<Utc>,
}

fn revenue_of(
    drafts: &[DraftInvoice],
    rate_bp: i32,
    period: &Period,
    closed: bool,
) -> PeriodRevenue {
    let mut by_currency: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for d in drafts {
        let e = by_currency.entry(d.currency.as_str()).or_default();
        e.0 += 1;
        e.1 += d.subtotal_cents;
    }
    PeriodRevenue {
        period: period.label.clone(),
        closed,
        revenue: by_currency
            .into_iter()
            .map(|(currency, (n, cents))| {
                let commission = crate::billing::invoicing::commission(cents, rate_bp);
                RevenueView {
                    currency: currency.to_string(),
                    invoice_count: n,
                    revenue: format_cents(cents),
                    revenue_cents: cents,
                    commission: format_cents(commission),
                    commission_cents: commission,
                }
            })
            .collect(),
    }
}

/// The reseller dashboard (`billing:read`; its reseller admins and platform admins):
/// customers by status, revenue and commission for the current period (estimated) and the
/// last (from its statements once closed), this month's usage and the top tenants.
/// Another reseller is `reseller_not_found`.
#[utoipa::path(tag = "billing", params(("id" = Uuid, Path)), responses((status = 200, body = ResellerDashboard), ReadErrors))]
#[get("/resellers/{id}/dashboard")]
pub async fn get_reseller_dashboard(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<ResellerDashboard>, ApiError> {
    authed.require(Action::BillingRead)?;
    if !matches!(authed.role(), Role::PlatformAdmin | Role::ResellerAdmin) {
        return Err(ApiError::forbidden(
            "Only reseller and platform admins read a reseller's dashboard",
        ));
    }
    let scope = authed.scope();
    let id = id.to_string();
    let now = store::now();
    state
        .store
        .read(scope, move |c| dashboard(c, &scope, &id, now))
        .await?
        .map(web::Json)
        .ok_or_else(|| ApiError::of(Code::ResellerNotFound))
}

fn dashboard(
    c: &mut store::DbConn,
    scope: &Scope,
    id: &str,
    now: NaiveDateTime,
) -> Result<Option<ResellerDashboard>, StoreError> {
    let Some(reseller) = repo::resellers::get(c, scope, id)? else {
        return Ok(None);
    };
    let tenants: Vec<_> = repo::tenants::all_of_reseller(c, id)?
        .into_iter()
        .filter(|t| t.status != "deleted")
        .collect();
    let mut customers = CustomerCounts::default();
    for t in &tenants {
        customers.total += 1;
        match t.subscription_status.as_str() {
            "active" => customers.active += 1,
            "trial" => customers.trial += 1,
            "past_due" => customers.past_due += 1,
            "cancelled" => customers.cancelled += 1,
            "expired" => customers.expired += 1,
            _ => {}
        }
        if t.status == "suspended" {
            customers.suspended += 1;
        }
    }
    let current = Period::containing(now);
    let last = current.previous();
    let current_drafts = close::preview_tenants(c, &current, &tenants)?;
    let rate = reseller.commission_rate_bp;
    let last_period = if repo::invoices::get_period(c, &last.label)?.is_some() {
        let statements = repo::invoices::statements_of(c, id, &last.label)?;
        PeriodRevenue {
            period: last.label.clone(),
            closed: true,
            revenue: statements
                .into_iter()
                .map(|s| RevenueView {
                    currency: s.currency,
                    invoice_count: s.invoice_count as i64,
                    revenue: format_cents(s.revenue_cents),
                    revenue_cents: s.revenue_cents,
                    commission: format_cents(s.commission_cents),
                    commission_cents: s.commission_cents,
                })
                .collect(),
        }
    } else {
        let tenants_then = repo::tenants::all_of_reseller(c, id)?;
        revenue_of(
            &close::preview_tenants(c, &last, &tenants_then)?,
            rate,
            &last,
            false,
        )
    };
    let month_start = current.start;
    let usage: BTreeMap<String, i64> = repo::usage::totals_by_tenant(
        c,
        &repo::usage::Owner::Reseller(id.to_string()),
        &BILLED,
        month_start,
    )?
    .into_iter()
    .map(|t| (t.tenant_id, t.total))
    .collect();
    let mut top: Vec<TopTenant> = tenants
        .iter()
        .map(|t| TopTenant {
            tenant_id: super::parse_uuid(&t.id),
            name: t.name.clone(),
            subscription_status: t.subscription_status.clone(),
            billed_ms_this_month: usage.get(&t.id).copied().unwrap_or(0),
            revenue_this_period: current_drafts
                .iter()
                .filter(|d| d.tenant_id == t.id)
                .map(|d| TenantRevenue {
                    currency: d.currency.clone(),
                    amount: format_cents(d.subtotal_cents),
                    amount_cents: d.subtotal_cents,
                })
                .collect(),
        })
        .collect();
    let revenue_key =
        |t: &TopTenant| -> i64 { t.revenue_this_period.iter().map(|r| r.amount_cents).sum() };
    top.sort_by(|a, b| {
        (revenue_key(b), b.billed_ms_this_month, &a.name).cmp(&(
            revenue_key(a),
            a.billed_ms_this_month,
            &b.name,
        ))
    });
    top.truncate(10);
    Ok(Some(ResellerDashboard {
        reseller_id: super::parse_uuid(&reseller.id),
        name: reseller.name,
        commission_rate_bp: rate,
        customers,
        current_period: revenue_of(&current_drafts, rate, &current, false),
        last_period,
        billed_ms_this_month: usage.values().sum(),
        top_tenants: top,
        tax_note: TAX_NOTE.into(),
        generated_at: super::utc(now),
    }))
}
