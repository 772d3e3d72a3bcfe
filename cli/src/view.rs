//! Text layout helpers: amounts in the store's style, and columns measured in display cells
//! (the cell measures are the receipt layout's, from `kasir-escpos`).

use kasir_domain::Decimal;
use kasir_store::StoreSettings;

pub use kasir_escpos::text::{pad_left, pad_right, two_columns};

/// `amount` grouped in the store's style, without the currency symbol.
pub fn money(settings: &StoreSettings, amount: Decimal) -> String {
    settings.currency.format(amount, settings.locale)
}

/// `amount` with the currency symbol, for example `Rp 35.000`.
pub fn money_with_symbol(settings: &StoreSettings, amount: Decimal) -> String {
    settings
        .currency
        .format_with_symbol(amount, settings.locale)
}
