//! Exact money. Amounts are integers in hundredths of the currency unit ("cents", as plan
//! prices have always been stored); per-minute rates in thousandths of a cent
//! ("millicents", so 0.006 a minute is exact). The API shows both as decimal strings.
//!
//! **Rounding rule** (docs/billing.md): every computed amount is a fraction
//! `numerator / denominator` of integers, computed in 128 bits, and rounded once to the
//! nearest cent, halves to even (banker's rounding) — for each invoice line, and once for a
//! commission. Nothing is rounded twice and no float is involved.

/// Decimal places of a cent amount.
pub const CENT_DECIMALS: u32 = 2;
/// Decimal places of a millicent rate (per currency unit: cents × 1000).
pub const MILLICENT_DECIMALS: u32 = 5;

/// `numerator / denominator` rounded to the nearest integer, halves to even.
/// `denominator` must be positive; the result saturates at `i64`'s bounds.
pub fn div_round_half_even(numerator: i128, denominator: i128) -> i64 {
    assert!(denominator > 0, "denominator must be positive");
    let q = numerator.div_euclid(denominator);
    let r = numerator.rem_euclid(denominator);
    let twice = r * 2;
    let q = if twice > denominator || (twice == denominator && q % 2 != 0) {
        q + 1
    } else {
        q
    };
    q.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// `amount × part / whole`, rounded half to even: a price prorated over a share of time.
pub fn prorate(amount: i64, part: i64, whole: i64) -> i64 {
    div_round_half_even(amount as i128 * part as i128, whole as i128)
}

/// Parses a non-negative decimal string with at most `decimals` decimals ("19.9", "7",
/// "0.006") into an integer of that many decimal places; `None` for anything else.
pub fn parse_decimal(s: &str, decimals: u32) -> Option<i64> {
    let s = s.trim();
    let (whole, frac) = match s.split_once('.') {
        Some((_, "")) => return None,
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    if whole.is_empty()
        || whole.len() > 12
        || frac.len() > decimals as usize
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = if decimals == 0 {
        0
    } else {
        format!("{frac:0<width$}", width = decimals as usize)
            .parse()
            .ok()?
    };
    whole.checked_mul(10i64.pow(decimals))?.checked_add(frac)
}

/// Formats an integer of `decimals` decimal places as an exact decimal string ("19.90",
/// "-0.05"); rates drop trailing zeros past the cents ("0.006", "0.50").
pub fn format_decimal(v: i64, decimals: u32) -> String {
    let unit = 10i128.pow(decimals);
    let v = v as i128;
    let sign = if v < 0 { "-" } else { "" };
    let (whole, frac) = (v.abs() / unit, v.abs() % unit);
    if decimals == 0 {
        return format!("{sign}{whole}");
    }
    let mut frac = format!("{frac:0width$}", width = decimals as usize);
    while frac.len() > CENT_DECIMALS as usize && frac.ends_with('0') {
        frac.pop();
    }
    format!("{sign}{whole}.{frac}")
}

/// Cents as a decimal string ("19.90").
pub fn format_cents(cents: i64) -> String {
    format_decimal(cents, CENT_DECIMALS)
}

/// A millicent rate as a decimal string in currency units ("0.006").
pub fn format_millicents(millicents: i64) -> String {
    format_decimal(millicents, MILLICENT_DECIMALS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_go_to_even_and_the_rest_to_nearest() {
        assert_eq!(div_round_half_even(5, 2), 2); // 2.5 → 2
        assert_eq!(div_round_half_even(7, 2), 4); // 3.5 → 4
        assert_eq!(div_round_half_even(-5, 2), -2);
        assert_eq!(div_round_half_even(-7, 2), -4);
        assert_eq!(div_round_half_even(10, 3), 3);
        assert_eq!(div_round_half_even(11, 3), 4);
        assert_eq!(div_round_half_even(-11, 3), -4);
        assert_eq!(div_round_half_even(0, 7), 0);
    }

    #[test]
    fn proration_is_exact_for_awkward_amounts() {
        // 19.99 for 11 of 30 days: 7.32966… → 7.33.
        assert_eq!(prorate(1999, 11 * 86_400, 30 * 86_400), 733);
        // 0.01 for half the time: 0.005 → 0.00 (half to even), 0.03 → 0.015 → 0.02.
        assert_eq!(prorate(1, 1, 2), 0);
        assert_eq!(prorate(3, 1, 2), 2);
        // Large amounts do not overflow: 9e15 cents × a year of seconds.
        assert_eq!(
            prorate(9_000_000_000_000_000, 31_536_000, 31_536_000),
            9_000_000_000_000_000
        );
    }

    #[test]
    fn decimals_round_trip() {
        assert_eq!(parse_decimal("19.99", 2), Some(1999));
        assert_eq!(parse_decimal("19.9", 2), Some(1990));
        assert_eq!(parse_decimal("0.006", 5), Some(600));
        assert_eq!(parse_decimal("0.00001", 5), Some(1));
        assert_eq!(parse_decimal("3", 5), Some(300_000));
        for bad in ["", "1.234", "-1", "1e3", "abc", ".5", "1.", "1,00"] {
            assert_eq!(parse_decimal(bad, 2), None, "{bad}");
        }
        assert_eq!(parse_decimal("0.000001", 5), None);
        assert_eq!(format_cents(1999), "19.99");
        assert_eq!(format_cents(5), "0.05");
        assert_eq!(format_cents(-5), "-0.05");
        assert_eq!(format_cents(0), "0.00");
        assert_eq!(format_millicents(600), "0.006");
        assert_eq!(format_millicents(50_000), "0.50");
        assert_eq!(format_millicents(1), "0.00001");
        assert_eq!(format_millicents(300_000), "3.00");
    }
}
