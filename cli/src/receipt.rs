//! The plain-text receipt of a stored sale, in the store's language, from the amounts stored
//! with the sale (never recomputed).

use kasir_domain::DomainError;
use kasir_domain::cart::{ChargeKind, Discount};
use kasir_domain::catalog::Unit;
use kasir_domain::money::Locale;
use kasir_domain::payment::TenderMethod;
use kasir_domain::sale::Sale;
use kasir_domain::tax::PriceMode;
use kasir_store::StoreSettings;

use crate::view::{centre, money, money_with_symbol, two_columns, wrap};

struct Labels {
    receipt: &'static str,
    subtotal: &'static str,
    discount: &'static str,
    service: &'static str,
    tip: &'static str,
    tax_added: &'static str,
    total: &'static str,
    rounding: &'static str,
    cash: &'static str,
    card: &'static str,
    qr: &'static str,
    change: &'static str,
    base: &'static str,
    included: &'static str,
    items: &'static str,
}

const ID: Labels = Labels {
    receipt: "No",
    subtotal: "Subtotal",
    discount: "Diskon",
    service: "Biaya layanan",
    tip: "Tip",
    tax_added: "Pajak",
    total: "TOTAL",
    rounding: "Pembulatan",
    cash: "Tunai",
    card: "Kartu",
    qr: "QRIS",
    change: "Kembali",
    base: "DPP",
    included: "Harga sudah termasuk PPN",
    items: "item",
};

const EN: Labels = Labels {
    receipt: "No",
    subtotal: "Subtotal",
    discount: "Discount",
    service: "Service charge",
    tip: "Tip",
    tax_added: "Tax",
    total: "TOTAL",
    rounding: "Rounding",
    cash: "Cash",
    card: "Card",
    qr: "QR",
    change: "Change",
    base: "Base",
    included: "Prices include tax",
    items: "items",
};

/// Renders `sale` as a receipt `width` columns wide.
pub fn render(sale: &Sale, settings: &StoreSettings, width: usize) -> Result<String, DomainError> {
    let l = match settings.locale {
        Locale::Id => &ID,
        Locale::En => &EN,
    };
    let m = |amount| money(settings, amount);
    let rule = "-".repeat(width);
    let mut out: Vec<String> = Vec::new();

    out.push(centre(&settings.name, width));
    for line in &settings.address {
        out.extend(wrap(line, width).iter().map(|w| centre(w, width)));
    }
    if let Some(tax_id) = &settings.tax_id {
        out.push(centre(&format!("NPWP {tax_id}"), width));
    }
    out.push(rule.clone());
    let local = sale.completed_at.to_zoned_datetime(settings.time_zone()?);
    out.push(two_columns(
        &format!("{} {}", l.receipt, sale.receipt_number),
        &local.strftime("%d/%m/%Y %H:%M").to_string(),
        width,
    ));
    out.push(rule.clone());

    for line in &sale.lines {
        out.extend(wrap(&line.name, width));
        let quantity = match line.unit {
            Unit::Each => format!("{} x {}", line.quantity, m(line.unit_price)),
            Unit::Kg => format!("{} kg x {}", line.quantity, m(line.unit_price)),
        };
        out.push(two_columns(&format!("  {quantity}"), &m(line.gross), width));
        if !line.line_discount.is_zero() {
            let what = match line.discount {
                Some(Discount::Percent(p)) => format!("  {} {p}%", l.discount),
                _ => format!("  {}", l.discount),
            };
            out.push(two_columns(&what, &m(-line.line_discount), width));
        }
    }
    out.push(rule.clone());

    let item_count: rust_decimal::Decimal = sale
        .lines
        .iter()
        .filter(|x| x.unit == Unit::Each)
        .map(|x| x.quantity)
        .sum();
    // The lines above show each gross and its own discount, so the subtotal is after line
    // discounts: the column adds up, and so does subtotal - order discounts = total.
    let after_line_discounts = sale.subtotal
        - sale
            .lines
            .iter()
            .map(|x| x.line_discount)
            .sum::<rust_decimal::Decimal>();
    out.push(two_columns(
        &format!("{} ({item_count} {})", l.subtotal, l.items),
        &m(after_line_discounts),
        width,
    ));
    for (discount, amount) in sale.discounts.iter().zip(&sale.discount_amounts) {
        let what = match discount {
            Discount::Percent(p) => format!("{} {p}%", l.discount),
            Discount::Amount(_) => l.discount.to_string(),
        };
        out.push(two_columns(&what, &m(-*amount), width));
    }
    for charge in &sale.charges {
        let what = match charge.kind {
            ChargeKind::ServiceCharge => l.service,
            ChargeKind::Tip => l.tip,
        };
        out.push(two_columns(what, &m(charge.amount), width));
    }
    if sale.price_mode == PriceMode::TaxExcluded {
        for tax in &sale.taxes {
            out.push(two_columns(
                &format!("{} {}", l.tax_added, tax.label),
                &m(tax.tax),
                width,
            ));
        }
    }
    out.push(two_columns(
        l.total,
        &money_with_symbol(settings, sale.total),
        width,
    ));
    if !sale.cash_rounding.is_zero() {
        out.push(two_columns(l.rounding, &m(sale.cash_rounding), width));
        out.push(two_columns(
            "",
            &money_with_symbol(settings, sale.amount_due),
            width,
        ));
    }
    out.push(rule.clone());

    for tender in &sale.tenders {
        let what = match &tender.method {
            TenderMethod::Cash => l.cash.to_string(),
            TenderMethod::Card {
                brand,
                last4,
                approval_code,
            } if brand == "CARD" => format!("{} **{last4} {approval_code}", l.card),
            TenderMethod::Card {
                brand,
                last4,
                approval_code,
            } => {
                format!("{} {brand} **{last4} {approval_code}", l.card)
            }
            TenderMethod::Qr { reference } => format!("{} {reference}", l.qr),
        };
        out.push(two_columns(&what, &m(tender.amount), width));
    }
    if !sale.change.is_zero() {
        out.push(two_columns(l.change, &m(sale.change), width));
    }

    if !sale.taxes.is_empty() {
        out.push(rule.clone());
        for tax in &sale.taxes {
            out.push(two_columns(
                &format!("{} {}", l.base, tax.label),
                &m(tax.base),
                width,
            ));
            out.push(two_columns(&tax.label, &m(tax.tax), width));
        }
        if sale.price_mode == PriceMode::TaxIncluded {
            out.push(centre(&format!("({})", l.included), width));
        }
    }
    out.push(rule);
    if !settings.receipt_footer.is_empty() {
        out.extend(
            wrap(&settings.receipt_footer, width)
                .iter()
                .map(|w| centre(w, width)),
        );
    }

    let mut text = out
        .into_iter()
        .map(|line| line.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    Ok(text)
}
