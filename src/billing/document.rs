//! An invoice as a printable, self-contained HTML page wearing the tenant's resolved
//! branding (product name, logo, colours, support contact). HTML rather than PDF: every
//! browser prints it to PDF as laid out (an `@page` rule sets A4 margins), it needs no font
//! files or PDF crate in the binary, and its text stays selectable and searchable.

use super::money::{format_cents, format_millicents};
use crate::branding::ResolvedBrandingView;
use crate::store::repo::invoices::{InvoiceLineRow, InvoiceRow};

/// Escapes text for HTML element content and quoted attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page. Every value from the database is escaped; colours are `#rrggbb` by
/// construction of the branding resolver.
pub fn invoice_html(
    inv: &InvoiceRow,
    lines: &[InvoiceLineRow],
    brand: &ResolvedBrandingView,
    tax_note: &str,
) -> String {
    let c = &brand.colors;
    let logo = brand
        .logo_url
        .as_deref()
        .map(|u| {
            format!(
                r#"<img class="logo" src="{}" alt="{}">"#,
                esc(u),
                esc(&brand.product_name)
            )
        })
        .unwrap_or_default();
    let support = match (&brand.support_email, &brand.support_url) {
        (Some(e), _) => format!("Questions: {}", esc(e)),
        (None, Some(u)) => format!("Questions: {}", esc(u)),
        _ => String::new(),
    };
    let mut rows = String::new();
    for l in lines {
        let detail = match (l.quantity_ms, l.unit_price_millicents) {
            (Some(ms), Some(rate)) => format!(
                "<br><small>{} ms at {} {} a minute</small>",
                ms,
                esc(&format_millicents(rate)),
                esc(&inv.currency)
            ),
            _ => String::new(),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}{}</td><td class=\"num\">{}</td></tr>\n",
            l.position,
            esc(&l.description),
            detail,
            esc(&format_cents(l.amount_cents))
        ));
    }
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Invoice {number} — {product}</title>
<style>
@page {{ size: A4; margin: 18mm; }}
body {{ font-family: system-ui, sans-serif; color: {text}; background: {background}; margin: 2rem; }}
header {{ display: flex; justify-content: space-between; align-items: center; border-bottom: 3px solid {primary}; padding-bottom: 1rem; }}
.logo {{ max-height: 48px; }}
h1 {{ color: {primary}; margin: 0; font-size: 1.6rem; }}
table {{ width: 100%; border-collapse: collapse; margin-top: 1.5rem; }}
th {{ text-align: left; border-bottom: 1px solid {secondary}; padding: .4rem; }}
td {{ padding: .4rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; }}
.num {{ text-align: right; white-space: nowrap; }}
tfoot td {{ font-weight: 600; border-bottom: none; }}
.note {{ margin-top: 2rem; font-size: .85rem; color: {secondary}; }}
</style>
</head>
<body>
<header>
<div>{logo}<h1>{product}</h1></div>
<div class="num"><strong>Invoice {number}</strong><br>Period {period}<br>Issued {issued}</div>
</header>
<p>Billed to <strong>{tenant}</strong> (tenant {tenant_id})<br>
From {start} to {end} (UTC)</p>
<table>
<thead><tr><th>#</th><th>Description</th><th class="num">Amount ({currency})</th></tr></thead>
<tbody>
{rows}</tbody>
<tfoot>
<tr><td></td><td>Subtotal</td><td class="num">{subtotal}</td></tr>
<tr><td></td><td>Tax</td><td class="num">{tax}</td></tr>
<tr><td></td><td>Total</td><td class="num">{total} {currency}</td></tr>
</tfoot>
</table>
<p class="note">{tax_note}<br>{support}</p>
</body>
</html>
"#,
        number = esc(&inv.number),
        product = esc(&brand.product_name),
        text = c.text,
        background = c.background,
        primary = c.primary,
        secondary = c.secondary,
        logo = logo,
        period = esc(&inv.period),
        issued = inv.created_at.format("%Y-%m-%d"),
        tenant = esc(&inv.tenant_name),
        tenant_id = esc(&inv.tenant_id),
        start = inv.period_start.format("%Y-%m-%d %H:%M"),
        end = inv.period_end.format("%Y-%m-%d %H:%M"),
        currency = esc(&inv.currency),
        rows = rows,
        subtotal = format_cents(inv.subtotal_cents),
        tax = format_cents(inv.tax_cents),
        total = format_cents(inv.total_cents),
        tax_note = esc(tax_note),
        support = support,
    )
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            esc(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
