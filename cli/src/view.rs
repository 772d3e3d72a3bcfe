//! Text layout helpers: amounts in the store's style, and columns measured in display cells
//! (the cell measures are the receipt layout's, from `kasir-escpos`).

use kasir_domain::Decimal;
use kasir_store::StoreSettings;

pub use kasir_escpos::text::{pad_left, pad_right, two_columns, two_columns_wrapped, wrap};

/// `amount` grouped in the store's style, without the currency symbol.
pub fn money(settings: &StoreSettings, amount: Decimal) -> String {
    settings.currency.format(amount, settings.locale)
}

/// A line of a report: `label` and `amount` (grouped) on 44 columns, the amount on the right;
/// a label too long for its room goes on to a further line, never cut.
pub fn report_row(settings: &StoreSettings, label: &str, amount: Decimal) -> String {
    two_columns_wrapped(label, &money(settings, amount), REPORT_WIDTH).join("\n")
}

/// The width of the lines of reports.
const REPORT_WIDTH: usize = 44;

/// `amount` with the currency symbol, for example `Rp 35.000`.
pub fn money_with_symbol(settings: &StoreSettings, amount: Decimal) -> String {
    settings
        .currency
        .format_with_symbol(amount, settings.locale)
}
