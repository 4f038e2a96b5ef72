//! What a tenant owes for a billing period (docs/billing.md), computed without the database:
//! the period's billable stretches of plan time from the tenant's plan history, each priced
//! by prorating the plan's price over its share of the interval, and the metered audio
//! beyond the included minutes priced at the plan's overage rate.
//!
//! * Billing periods are calendar months (UTC), named `YYYY-MM`.
//! * A stretch is billable while the tenant exists (not deleted), has a plan, and its
//!   subscription is `active` or `past_due`. `trial`, `cancelled` and `expired` time is not
//!   billed, and neither is the audio metered in it.
//! * Monthly interval: the monthly price × the stretch's seconds / the month's seconds.
//!   Yearly interval: the yearly price × the stretch's seconds / the calendar year's seconds
//!   (the yearly price spread evenly over the year, so twelve months add up to it).
//! * Included minutes: the tenant's own `processing_quota_minutes`, else each stretch's
//!   plan's, prorated over the stretch's share of the month. Overage is the billed audio
//!   (job audio and OpenAI-route transcription) metered in billable stretches beyond that,
//!   priced per millisecond at the rate of the period's last billable plan.
//! * Every amount is rounded once, half to even ([`money`]). Taxes are not computed: the
//!   invoices carry `tax = 0` and say so.

use super::money::{self, prorate};
use crate::store::repo::{plans::PlanRow, tenants::PlanHistoryRow};
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;

/// Milliseconds in a minute.
const MINUTE_MS: i64 = 60_000;

/// A billing period: a calendar month (UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// `YYYY-MM`.
    pub label: String,
    pub start: NaiveDateTime,
    /// The next month's first instant (excluded).
    pub end: NaiveDateTime,
}

impl Period {
    /// The month named `YYYY-MM` (years 2000–9998).
    pub fn parse(label: &str) -> Option<Period> {
        let (y, m) = label.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
        if !(2000..=9998).contains(&y) {
            return None;
        }
        Some(Period::starting(NaiveDate::from_ymd_opt(y, m, 1)?))
    }

    /// The month holding `at`.
    pub fn containing(at: NaiveDateTime) -> Period {
        Period::starting(at.date().with_day(1).unwrap_or(at.date()))
    }

    /// The month before this one.
    pub fn previous(&self) -> Period {
        let first = self.start.date();
        Period::starting(first.checked_sub_months(Months::new(1)).unwrap_or(first))
    }

    fn starting(first: NaiveDate) -> Period {
        let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
        Period {
            label: format!("{:04}-{:02}", first.year(), first.month()),
            start: first.and_time(chrono::NaiveTime::MIN),
            end: next.and_time(chrono::NaiveTime::MIN),
        }
    }

    pub fn seconds(&self) -> i64 {
        (self.end - self.start).num_seconds()
    }
}

/// Seconds in the calendar year holding `at` (365 or 366 days).
fn year_seconds(at: NaiveDateTime) -> i64 {
    let y = at.year();
    let days = if NaiveDate::from_ymd_opt(y, 2, 29).is_some() {
        366
    } else {
        365
    };
    days * 86_400
}

/// A stretch of the period billed under one plan and interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stretch {
    pub plan_id: String,
    /// `month` or `year`.
    pub interval: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

/// Is a history row's state billed?
fn billable(row: &PlanHistoryRow) -> bool {
    row.plan_id.is_some()
        && row.tenant_status != "deleted"
        && matches!(row.subscription_status.as_str(), "active" | "past_due")
}

/// The billable stretches of `period` from a tenant's plan history (oldest first, as
/// `repo::tenants::plan_history` reads it: the row in force at the start, then the later
/// ones). Adjacent stretches of the same plan and interval are one (a suspension, say,
/// changes neither).
pub fn stretches(history: &[PlanHistoryRow], period: &Period) -> Vec<Stretch> {
    let mut out: Vec<Stretch> = Vec::new();
    for (i, row) in history.iter().enumerate() {
        let start = row.effective_at.max(period.start);
        let end = history
            .get(i + 1)
            .map_or(period.end, |next| next.effective_at.min(period.end));
        if end <= start || !billable(row) {
            continue;
        }
        let plan_id = row.plan_id.clone().unwrap_or_default();
        match out.last_mut() {
            Some(last)
                if last.end == start
                    && last.plan_id == plan_id
                    && last.interval == row.billing_interval =>
            {
                last.end = end;
            }
            _ => out.push(Stretch {
                plan_id,
                interval: row.billing_interval.clone(),
                start,
                end,
            }),
        }
    }
    out
}

/// A line of a draft invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftLine {
    /// `plan` or `overage`.
    pub kind: &'static str,
    pub description: String,
    pub plan_id: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    /// Overage lines: the billed milliseconds beyond the included ones.
    pub quantity_ms: Option<i64>,
    /// Overage lines: the rate, thousandths of a cent per minute.
    pub unit_price_millicents: Option<i64>,
    pub amount_cents: i64,
}

/// An invoice before it is written: one per tenant, period and currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftInvoice {
    pub tenant_id: String,
    pub reseller_id: Option<String>,
    pub tenant_name: String,
    pub currency: String,
    pub lines: Vec<DraftLine>,
    pub subtotal_cents: i64,
    /// Always 0: taxes are not computed (docs/billing.md).
    pub tax_cents: i64,
    pub total_cents: i64,
    /// Billed audio metered in billable time, and the part of it that was included.
    pub billed_ms: i64,
    pub included_ms: i64,
}

/// What a tenant's invoice is made of.
pub struct TenantTerms<'a> {
    pub tenant_id: &'a str,
    pub reseller_id: Option<&'a str>,
    pub tenant_name: &'a str,
    /// The tenant's own `processing_quota_minutes` (overrides its plans').
    pub quota_override_minutes: Option<i32>,
}

/// The stretch's days, for a line's description ("15 of 30 days", "12.5 of 31 days").
fn days(seconds: i64) -> String {
    let hundredths = money::div_round_half_even(seconds as i128 * 100, 86_400);
    let s = money::format_decimal(hundredths, 2);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Prices a tenant's period. `stretches` are its billable stretches, `billed_ms[i]` the
/// billed audio metered in `stretches[i]`, `plans` the plans they name. A stretch whose
/// plan is gone is left out (`repo` keeps plans that tenants are on, so only a plan deleted
/// after its tenants left it can be missing) and reported in `skipped`.
pub fn draft(
    terms: &TenantTerms<'_>,
    period: &Period,
    stretches: &[Stretch],
    billed_ms: &[i64],
    plans: &BTreeMap<String, PlanRow>,
    skipped: &mut Vec<String>,
) -> Vec<DraftInvoice> {
    // Per currency: lines, included ms, billed ms, the last stretch's plan (for the rate).
    struct Acc<'p> {
        lines: Vec<DraftLine>,
        included_ms: i64,
        billed_ms: i64,
        last_plan: &'p PlanRow,
        first_start: NaiveDateTime,
        last_end: NaiveDateTime,
    }
    let mut by_currency: BTreeMap<&str, Acc<'_>> = BTreeMap::new();
    let period_secs = period.seconds();
    for (i, s) in stretches.iter().enumerate() {
        let Some(plan) = plans.get(&s.plan_id) else {
            skipped.push(format!(
                "tenant {}: plan {} is gone; {} – {} not billed",
                terms.tenant_id, s.plan_id, s.start, s.end
            ));
            continue;
        };
        let secs = (s.end - s.start).num_seconds();
        let (price, whole, interval_word) = if s.interval == "year" {
            (plan.price_yearly_cents, year_seconds(s.start), "yearly")
        } else {
            (plan.price_monthly_cents, period_secs, "monthly")
        };
        let amount = prorate(price, secs, whole);
        let share = if secs == whole {
            String::new()
        } else if s.interval == "year" {
            format!(", {} of {} days of the year", days(secs), days(whole))
        } else {
            format!(", {} of {} days", days(secs), days(whole))
        };
        let included_minutes = terms
            .quota_override_minutes
            .map_or(plan.processing_quota_minutes as i64, i64::from);
        let included = prorate(included_minutes * MINUTE_MS, secs, period_secs);
        let acc = by_currency
            .entry(plan.currency.as_str())
            .or_insert_with(|| Acc {
                lines: Vec::new(),
                included_ms: 0,
                billed_ms: 0,
                last_plan: plan,
                first_start: s.start,
                last_end: s.end,
            });
        acc.lines.push(DraftLine {
            kind: "plan",
            description: format!(
                "{} ({interval_word} price{share}, {} – {})",
                plan.name,
                s.start.format("%Y-%m-%d %H:%M"),
                s.end.format("%Y-%m-%d %H:%M UTC")
            ),
            plan_id: Some(plan.id.clone()),
            starts_at: s.start,
            ends_at: s.end,
            quantity_ms: None,
            unit_price_millicents: None,
            amount_cents: amount,
        });
        acc.included_ms += included;
        acc.billed_ms += billed_ms.get(i).copied().unwrap_or(0);
        acc.last_plan = plan;
        acc.last_end = s.end;
    }
    by_currency
        .into_iter()
        .map(|(currency, mut acc)| {
            let over_ms = (acc.billed_ms - acc.included_ms).max(0);
            if over_ms > 0 {
                let rate = acc.last_plan.overage_millicents_per_minute;
                acc.lines.push(DraftLine {
                    kind: "overage",
                    description: format!(
                        "Audio beyond the {} included minutes: {} minutes at {} a minute",
                        money::format_decimal(
                            money::div_round_half_even(acc.included_ms as i128 * 100, 60_000),
                            2
                        ),
                        money::format_decimal(
                            money::div_round_half_even(over_ms as i128 * 100, 60_000),
                            2
                        ),
                        money::format_millicents(rate)
                    ),
                    plan_id: Some(acc.last_plan.id.clone()),
                    starts_at: acc.first_start,
                    ends_at: acc.last_end,
                    quantity_ms: Some(over_ms),
                    unit_price_millicents: Some(rate),
                    // ms × millicents/min ÷ (60,000 ms/min × 1,000 millicents/cent).
                    amount_cents: money::div_round_half_even(
                        over_ms as i128 * rate as i128,
                        MINUTE_MS as i128 * 1000,
                    ),
                });
            }
            let subtotal: i64 = acc.lines.iter().map(|l| l.amount_cents).sum();
            DraftInvoice {
                tenant_id: terms.tenant_id.to_string(),
                reseller_id: terms.reseller_id.map(str::to_string),
                tenant_name: terms.tenant_name.to_string(),
                currency: currency.to_string(),
                lines: acc.lines,
                subtotal_cents: subtotal,
                tax_cents: 0,
                total_cents: subtotal,
                billed_ms: acc.billed_ms,
                included_ms: acc.included_ms,
            }
        })
        .collect()
}

/// A reseller's commission on a revenue: `revenue × rate_bp / 10,000`, rounded half to even.
pub fn commission(revenue_cents: i64, rate_bp: i32) -> i64 {
    money::div_round_half_even(revenue_cents as i128 * rate_bp as i128, 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn hist(plan: Option<&str>, interval: &str, status: &str, since: &str) -> PlanHistoryRow {
        PlanHistoryRow {
            id: since.into(),
            tenant_id: "t".into(),
            plan_id: plan.map(str::to_string),
            billing_interval: interval.into(),
            subscription_status: status.into(),
            tenant_status: "active".into(),
            effective_at: at(since),
        }
    }

    fn plan(id: &str, monthly: i64, yearly: i64, minutes: i32, rate: i64) -> PlanRow {
        PlanRow {
            id: id.into(),
            reseller_id: None,
            name: id.to_uppercase(),
            description: None,
            currency: "USD".into(),
            price_monthly_cents: monthly,
            price_yearly_cents: yearly,
            storage_quota_mb: 0,
            processing_quota_minutes: minutes,
            max_users: 1,
            max_concurrent_jobs: 1,
            features: "{}".into(),
            created_at: at("2026-01-01 00:00:00"),
            updated_at: at("2026-01-01 00:00:00"),
            overage_millicents_per_minute: rate,
            retention_days: None,
        }
    }

    fn terms() -> TenantTerms<'static> {
        TenantTerms {
            tenant_id: "t",
            reseller_id: Some("r"),
            tenant_name: "T",
            quota_override_minutes: None,
        }
    }

    fn plans(list: Vec<PlanRow>) -> BTreeMap<String, PlanRow> {
        list.into_iter().map(|p| (p.id.clone(), p)).collect()
    }

    #[test]
    fn periods_are_calendar_months() {
        let p = Period::parse("2026-02").unwrap();
        assert_eq!(p.start, at("2026-02-01 00:00:00"));
        assert_eq!(p.end, at("2026-03-01 00:00:00"));
        assert_eq!(p.seconds(), 28 * 86_400);
        assert_eq!(p.previous().label, "2026-01");
        assert_eq!(
            Period::parse("2026-12").unwrap().end,
            at("2027-01-01 00:00:00")
        );
        assert_eq!(
            Period::containing(at("2026-11-30 23:59:59")).label,
            "2026-11"
        );
        for bad in [
            "2026-13", "2026-00", "2026-1", "26-01", "2026/01", "", "1999-12", "x-01",
        ] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn history_becomes_billable_stretches() {
        let p = Period::parse("2026-11").unwrap();
        let h = vec![
            hist(Some("a"), "month", "trial", "2026-10-20 00:00:00"),
            hist(Some("a"), "month", "active", "2026-11-05 00:00:00"),
            // A suspension (same plan) does not split the stretch.
            PlanHistoryRow {
                tenant_status: "suspended".into(),
                ..hist(Some("a"), "month", "active", "2026-11-10 00:00:00")
            },
            hist(Some("b"), "month", "active", "2026-11-20 12:00:00"),
            hist(Some("b"), "month", "cancelled", "2026-11-25 00:00:00"),
        ];
        let s = stretches(&h, &p);
        assert_eq!(
            s,
            vec![
                Stretch {
                    plan_id: "a".into(),
                    interval: "month".into(),
                    start: at("2026-11-05 00:00:00"),
                    end: at("2026-11-20 12:00:00"),
                },
                Stretch {
                    plan_id: "b".into(),
                    interval: "month".into(),
                    start: at("2026-11-20 12:00:00"),
                    end: at("2026-11-25 00:00:00"),
                },
            ]
        );
        // A deleted tenant stops at its deletion; a tenant created after the period has none.
        let h = vec![
            hist(Some("a"), "month", "active", "2026-01-01 00:00:00"),
            PlanHistoryRow {
                tenant_status: "deleted".into(),
                ..hist(Some("a"), "month", "active", "2026-11-03 00:00:00")
            },
        ];
        assert_eq!(stretches(&h, &p)[0].end, at("2026-11-03 00:00:00"));
        assert!(stretches(
            &[hist(Some("a"), "month", "active", "2026-12-01 00:00:00")],
            &p
        )
        .is_empty());
    }

    #[test]
    fn a_whole_month_costs_the_monthly_price_and_a_change_is_prorated() {
        let p = Period::parse("2026-11").unwrap(); // 30 days
        let ps = plans(vec![plan("a", 1999, 0, 100, 0), plan("b", 4999, 0, 500, 0)]);
        let whole = stretches(
            &[hist(Some("a"), "month", "active", "2026-10-01 00:00:00")],
            &p,
        );
        let inv = draft(&terms(), &p, &whole, &[0], &ps, &mut vec![]);
        assert_eq!(inv.len(), 1);
        assert_eq!(inv[0].total_cents, 1999);
        assert_eq!(inv[0].lines.len(), 1);
        assert_eq!(
            inv[0].lines[0].description,
            "A (monthly price, 2026-11-01 00:00 – 2026-12-01 00:00 UTC)"
        );
        // a for 11 days (19.99 × 11/30 = 7.3296… → 7.33), b for 19 (49.99 × 19/30 =
        // 31.6603… → 31.66): 38.99.
        let h = vec![
            hist(Some("a"), "month", "active", "2026-10-01 00:00:00"),
            hist(Some("b"), "month", "active", "2026-11-12 00:00:00"),
        ];
        let inv = draft(&terms(), &p, &stretches(&h, &p), &[0, 0], &ps, &mut vec![]);
        let amounts: Vec<i64> = inv[0].lines.iter().map(|l| l.amount_cents).collect();
        assert_eq!(amounts, vec![733, 3166]);
        assert_eq!(inv[0].total_cents, 3899);
        assert!(
            inv[0].lines[0].description.contains("11 of 30 days"),
            "{:?}",
            inv[0].lines[0]
        );
    }

    #[test]
    fn a_yearly_price_is_spread_over_the_year() {
        let p = Period::parse("2026-11").unwrap();
        let ps = plans(vec![plan("y", 0, 19_000, 100, 0)]);
        let s = stretches(
            &[hist(Some("y"), "year", "active", "2026-01-01 00:00:00")],
            &p,
        );
        let inv = draft(&terms(), &p, &s, &[0], &ps, &mut vec![]);
        // 190.00 × 30/365 = 15.6164… → 15.62.
        assert_eq!(inv[0].total_cents, 1562);
        // The twelve months of 2026 add up to the yearly price within the rounding of each.
        let total: i64 = (1..=12)
            .map(|m| {
                let p = Period::parse(&format!("2026-{m:02}")).unwrap();
                let s = stretches(
                    &[hist(Some("y"), "year", "active", "2026-01-01 00:00:00")],
                    &p,
                );
                draft(&terms(), &p, &s, &[0], &ps, &mut vec![])[0].total_cents
            })
            .sum();
        assert!((total - 19_000).abs() <= 6, "{total}");
    }

    #[test]
    fn overage_is_metered_by_the_millisecond_at_an_exact_rate() {
        let p = Period::parse("2026-11").unwrap();
        // 100 included minutes, 0.006 a minute beyond.
        let ps = plans(vec![plan("a", 1000, 0, 100, 600)]);
        let s = stretches(
            &[hist(Some("a"), "month", "active", "2026-10-01 00:00:00")],
            &p,
        );
        // 100 min + 1,234,567 ms billed: 1,234,567 ms × 600 / 60,000,000 = 12.345… → 12 cents.
        let billed = 100 * MINUTE_MS + 1_234_567;
        let inv = draft(&terms(), &p, &s, &[billed], &ps, &mut vec![]);
        let over = &inv[0].lines[1];
        assert_eq!(over.kind, "overage");
        assert_eq!(over.quantity_ms, Some(1_234_567));
        assert_eq!(over.amount_cents, 12);
        assert_eq!(inv[0].total_cents, 1012);
        assert!(
            over.description.contains("20.58 minutes at 0.006"),
            "{}",
            over.description
        );
        // Exactly half a cent rounds to even: 50,000 ms at 0.006 = 0.5 cent → 0.
        let inv = draft(
            &terms(),
            &p,
            &s,
            &[100 * MINUTE_MS + 50_000],
            &ps,
            &mut vec![],
        );
        assert_eq!(inv[0].lines[1].amount_cents, 0);
        // …and 150,000 ms = 1.5 cents → 2.
        let inv = draft(
            &terms(),
            &p,
            &s,
            &[100 * MINUTE_MS + 150_000],
            &ps,
            &mut vec![],
        );
        assert_eq!(inv[0].lines[1].amount_cents, 2);
        // Within the included minutes there is no overage line.
        let inv = draft(&terms(), &p, &s, &[100 * MINUTE_MS], &ps, &mut vec![]);
        assert_eq!(inv[0].lines.len(), 1);
        // A tenant's own quota overrides the plan's.
        let t = TenantTerms {
            quota_override_minutes: Some(10),
            ..terms()
        };
        let inv = draft(&t, &p, &s, &[11 * MINUTE_MS], &ps, &mut vec![]);
        assert_eq!(inv[0].lines[1].quantity_ms, Some(MINUTE_MS));
    }

    #[test]
    fn included_minutes_are_prorated_with_the_plan() {
        let p = Period::parse("2026-11").unwrap();
        let ps = plans(vec![plan("a", 3000, 0, 300, 1000)]);
        // Active for the last 10 of 30 days: 100 included minutes.
        let s = stretches(
            &[hist(Some("a"), "month", "active", "2026-11-21 00:00:00")],
            &p,
        );
        let inv = draft(&terms(), &p, &s, &[150 * MINUTE_MS], &ps, &mut vec![]);
        assert_eq!(inv[0].included_ms, 100 * MINUTE_MS);
        assert_eq!(inv[0].lines[0].amount_cents, 1000);
        // 50 minutes at 0.01 = 50 cents.
        assert_eq!(inv[0].lines[1].amount_cents, 50);
    }

    #[test]
    fn a_missing_plan_is_reported_not_billed() {
        let p = Period::parse("2026-11").unwrap();
        let s = stretches(
            &[hist(Some("gone"), "month", "active", "2026-10-01 00:00:00")],
            &p,
        );
        let mut skipped = vec![];
        assert!(draft(&terms(), &p, &s, &[0], &plans(vec![]), &mut skipped).is_empty());
        assert_eq!(skipped.len(), 1);
    }

    #[test]
    fn commission_rounds_half_to_even() {
        assert_eq!(commission(10_000, 1500), 1500);
        // 33.33 × 12.5 % = 4.16625 → 4.17.
        assert_eq!(commission(3333, 1250), 417);
        // 0.25 × 10 % = 0.025 → 0.02; 0.35 × 10 % = 0.035 → 0.04.
        assert_eq!(commission(25, 1000), 2);
        assert_eq!(commission(35, 1000), 4);
        assert_eq!(commission(0, 2000), 0);
    }
}
