//! The customer's receipt: a stored sale laid out in the store's language, from the amounts
//! stored with the sale (never recomputed), for any number of columns.

use kasir_domain::Decimal;
use kasir_domain::cart::{ChargeKind, Discount};
use kasir_domain::catalog::Unit;
use kasir_domain::money::Locale;
use kasir_domain::payment::TenderMethod;
use kasir_domain::sale::Sale;
use kasir_domain::settings::StoreSettings;
use kasir_domain::tax::PriceMode;

use crate::barcode::{Barcode, Symbology};
use crate::doc::{Align, Block, Document, Style};
use crate::error::EscposError;
use crate::text::{two_columns, two_columns_wrapped};
use crate::{QrPayload, ReceiptOptions};

/// The printed words of a receipt in one language.
pub(crate) struct Labels {
    pub receipt: &'static str,
    pub subtotal: &'static str,
    pub discount: &'static str,
    pub service: &'static str,
    pub tip: &'static str,
    pub tax_added: &'static str,
    pub total: &'static str,
    pub rounding: &'static str,
    pub cash: &'static str,
    pub card: &'static str,
    pub qr: &'static str,
    pub unverified: &'static str,
    pub gift_card: &'static str,
    pub change: &'static str,
    pub base: &'static str,
    pub included: &'static str,
    pub items: &'static str,
    pub table: &'static str,
    pub kitchen: &'static str,
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
    unverified: "belum terverifikasi",
    gift_card: "Kartu hadiah",
    change: "Kembali",
    base: "DPP",
    included: "Harga sudah termasuk PPN",
    items: "item",
    table: "Meja",
    kitchen: "DAPUR",
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
    unverified: "unverified",
    gift_card: "Gift card",
    change: "Change",
    base: "Base",
    included: "Prices include tax",
    items: "items",
    table: "Table",
    kitchen: "KITCHEN",
};

/// The labels of `locale`.
pub(crate) fn labels(locale: Locale) -> &'static Labels {
    match locale {
        Locale::Id => &ID,
        Locale::En => &EN,
    }
}

/// Lays out the receipt of `sale` for `columns` characters a line.
pub(crate) fn layout(
    sale: &Sale,
    store: &StoreSettings,
    options: &ReceiptOptions,
    columns: usize,
) -> Result<Document, EscposError> {
    let locale = options.language.unwrap_or(store.locale);
    let l = labels(locale);
    let m = |amount: Decimal| sale.currency.format(amount, locale);
    let total = |amount: Decimal| sale.currency.format_with_symbol(amount, locale);
    let width = columns;
    let mut doc = Document::new(options.font, columns);
    doc.cut = options.cut;
    doc.open_drawer = options.open_drawer;

    if let Some(logo) = &options.logo {
        doc.blocks.push(Block::Image(logo.clone()));
    }
    doc.wrapped(&store.name, Align::Centre, Style::LARGE);
    for line in &store.address {
        doc.wrapped(line, Align::Centre, Style::NORMAL);
    }
    if let Some(tax_id) = &store.tax_id {
        doc.wrapped(&format!("NPWP {tax_id}"), Align::Centre, Style::NORMAL);
    }
    for line in &options.header {
        doc.wrapped(line, Align::Centre, Style::NORMAL);
    }
    doc.rule();
    let local = sale.completed_at.to_zoned_datetime(store.time_zone()?);
    doc.line(two_columns(
        &format!("{} {}", l.receipt, sale.receipt_number),
        &local.strftime(crate::TIME_FORMAT).to_string(),
        width,
    ));
    doc.rule();

    for line in &sale.lines {
        doc.wrapped(&line.name, Align::Left, Style::NORMAL);
        let quantity = match line.unit {
            Unit::Each => format!("{} x {}", line.quantity, m(line.unit_price)),
            Unit::Kg => format!("{} kg x {}", line.quantity, m(line.unit_price)),
        };
        doc.line(two_columns(&format!("  {quantity}"), &m(line.gross), width));
        if !line.line_discount.is_zero() {
            let what = match line.discount {
                Some(Discount::Percent(p)) => format!("  {} {p}%", l.discount),
                _ => format!("  {}", l.discount),
            };
            doc.line(two_columns(&what, &m(-line.line_discount), width));
        }
    }
    doc.rule();

    let item_count: Decimal = sale
        .lines
        .iter()
        .filter(|x| x.unit == Unit::Each)
        .map(|x| x.quantity)
        .sum();
    // The lines above show each gross and its own discount, so the subtotal is after line
    // discounts: the column adds up, and so does subtotal - order discounts = total.
    let after_line_discounts =
        sale.subtotal - sale.lines.iter().map(|x| x.line_discount).sum::<Decimal>();
    doc.line(two_columns(
        &format!("{} ({item_count} {})", l.subtotal, l.items),
        &m(after_line_discounts),
        width,
    ));
    for (discount, amount) in sale.discounts.iter().zip(&sale.discount_amounts) {
        let what = match discount {
            Discount::Percent(p) => format!("{} {p}%", l.discount),
            Discount::Amount(_) => l.discount.to_string(),
        };
        doc.line(two_columns(&what, &m(-*amount), width));
    }
    for charge in &sale.charges {
        let what = match charge.kind {
            ChargeKind::ServiceCharge => l.service,
            ChargeKind::Tip => l.tip,
        };
        doc.line(two_columns(what, &m(charge.amount), width));
    }
    // Gift cards sold or loaded: outside tax and discounts, after the items and charges.
    for card in &sale.gift_cards {
        doc.line(two_columns(
            &format!("{} {}", l.gift_card, masked_card(&card.number)),
            &m(card.amount),
            width,
        ));
    }
    if sale.price_mode == PriceMode::TaxExcluded {
        for tax in &sale.taxes {
            doc.line(two_columns(
                &format!("{} {}", l.tax_added, tax.label),
                &m(tax.tax),
                width,
            ));
        }
    }
    // Bold and double height (not width, so the columns stay): the number the customer pays.
    let total_style = Style {
        height: 2,
        ..Style::BOLD
    };
    doc.styled(
        two_columns(l.total, &total(sale.total), width),
        Align::Left,
        total_style,
    );
    if !sale.cash_rounding.is_zero() {
        doc.line(two_columns(l.rounding, &m(sale.cash_rounding), width));
        doc.styled(
            two_columns("", &total(sale.amount_due), width),
            Align::Left,
            total_style,
        );
    }
    doc.rule();

    for (index, tender) in sale.tenders.iter().enumerate() {
        let unverified = u32::try_from(index + 1)
            .is_ok_and(|number| options.unverified_tenders.contains(&number));
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
            } => format!("{} {brand} **{last4} {approval_code}", l.card),
            // Marked until the provider's payment is matched to it: the clerk's word only.
            TenderMethod::Qr { reference } if unverified => {
                format!("{} ({}) {reference}", l.qr, l.unverified)
            }
            TenderMethod::Qr { reference } => format!("{} {reference}", l.qr),
            TenderMethod::GiftCard { number } => {
                format!("{} {}", l.gift_card, masked_card(number))
            }
        };
        // A long reference goes on to further lines: it is what finds the payment later.
        for line in two_columns_wrapped(&what, &m(tender.amount), width) {
            doc.line(line);
        }
    }
    if !sale.change.is_zero() {
        doc.line(two_columns(l.change, &m(sale.change), width));
    }

    if !sale.taxes.is_empty() {
        doc.rule();
        for tax in &sale.taxes {
            doc.line(two_columns(
                &format!("{} {}", l.base, tax.label),
                &m(tax.base),
                width,
            ));
            doc.line(two_columns(&tax.label, &m(tax.tax), width));
        }
        if sale.price_mode == PriceMode::TaxIncluded {
            doc.wrapped(&format!("({})", l.included), Align::Centre, Style::NORMAL);
        }
    }
    doc.rule();

    let qr = match &options.qr {
        QrPayload::None => None,
        QrPayload::Text(text) => Some(text.clone()),
        QrPayload::ReceiptLink { base } => Some(format!("{base}{}", sale.receipt_number)),
    };
    if let Some(data) = qr {
        doc.blocks.push(Block::Qr { data, module: 6 });
    }
    if options.receipt_barcode {
        let code = Barcode::new(Symbology::Code128, &sale.receipt_number)?;
        doc.blocks.push(Block::Barcode(code));
    }
    if !store.receipt_footer.is_empty() {
        doc.wrapped(&store.receipt_footer, Align::Centre, Style::NORMAL);
    }
    for line in &options.footer {
        doc.wrapped(line, Align::Centre, Style::NORMAL);
    }
    Ok(doc)
}

/// A gift card number with its middle hidden (`GC-****-92QD`): the number spends the card.
fn masked_card(number: &str) -> String {
    kasir_domain::giftcard::CardNumber::parse(number)
        .map(|n| n.masked())
        .unwrap_or_else(|_| "GC-****".to_string())
}
