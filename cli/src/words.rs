//! The words of the slips and reports the register prints (refund and void slips, X and Z
//! reports, the day report) in the store's language, and their times in the store's local time, written as
//! the receipt writes them.

use kasir_domain::money::Locale;
use kasir_store::StoreSettings;

/// The printed words of refund slips and shift reports in one language.
pub struct Words {
    /// The title of a refund slip.
    pub refund_title: &'static str,
    /// The title of a void slip.
    pub void_title: &'static str,
    /// Beside a refund's number.
    pub refund: &'static str,
    /// Beside a void's number.
    pub void: &'static str,
    /// Beside the receipt number of the sale refunded.
    pub of_sale: &'static str,
    /// Beside the date.
    pub date: &'static str,
    /// Beside the staff member.
    pub by: &'static str,
    /// After a returned quantity.
    pub returned: &'static str,
    /// Service charges and tips given back.
    pub charges: &'static str,
    /// The amount given back.
    pub refunded: &'static str,
    /// The tax within it.
    pub tax_in_refund: &'static str,
    /// Before a tender method the money went back to.
    pub to: &'static str,
    /// The items went back into stock.
    pub restocked: &'static str,
    /// Before the reason.
    pub reason: &'static str,
    /// An X report's title, before the shift's number.
    pub x_report: &'static str,
    /// A Z report's title, before the shift's number.
    pub z_report: &'static str,
    /// After the number of sales.
    pub sales_count: &'static str,
    /// When the shift opened.
    pub opened: &'static str,
    /// When it closed.
    pub closed: &'static str,
    /// Before who opened or closed it.
    pub by_lower: &'static str,
    /// The shift's sales.
    pub sales: &'static str,
    /// Its refunds.
    pub refunds: &'static str,
    /// Sales less refunds.
    pub net_sales: &'static str,
    /// The cash section.
    pub cash_section: &'static str,
    /// The opening float.
    pub float: &'static str,
    /// Cash received for sales.
    pub cash_sales: &'static str,
    /// Change given.
    pub change: &'static str,
    /// Cash given back by refunds.
    pub cash_refunds: &'static str,
    /// Cash paid in.
    pub pay_ins: &'static str,
    /// Cash paid out.
    pub pay_outs: &'static str,
    /// What the drawer should hold.
    pub expected: &'static str,
    /// What was counted.
    pub counted: &'static str,
    /// Counted less expected.
    pub difference: &'static str,
    /// Before how often the drawer opened without a sale.
    pub drawer_openings: &'static str,
    /// The tender section.
    pub by_tender: &'static str,
    /// Before a tender method's refunds.
    pub refunds_of: &'static str,
    /// QR tenders a provider or the owner confirmed.
    pub qr_verified: &'static str,
    /// QR tenders only the clerk confirmed.
    pub qr_unverified: &'static str,
    /// The tips section.
    pub tips_by_staff: &'static str,
    /// Sales rung without a sign-in.
    pub no_sign_in: &'static str,
    /// A day report's title, before the date.
    pub day_report: &'static str,
    /// Item sales before discounts.
    pub gross_sales: &'static str,
    /// Discounts given.
    pub discounts: &'static str,
    /// Service charges and tips.
    pub charges_total: &'static str,
    /// Sale totals.
    pub total: &'static str,
    /// Of the total, gift cards sold or loaded.
    pub of_which_gift_cards: &'static str,
    /// Cash rounding.
    pub cash_rounding: &'static str,
    /// The tax within the total.
    pub tax_in_total: &'static str,
    /// After the number of voids among the refunds.
    pub voids: &'static str,
    /// The total less refunds.
    pub net_of_refunds: &'static str,
    /// The tax less refunded tax.
    pub tax_net_of_refunds: &'static str,
    /// The tax rate section.
    pub by_tax_rate: &'static str,
    /// After a rate's label: its sales before tax.
    pub net: &'static str,
    /// After a rate's label: its tax.
    pub tax: &'static str,
    /// The best sellers section.
    pub best_sellers: &'static str,
    /// Cash.
    pub cash: &'static str,
    /// A card.
    pub card: &'static str,
    /// A QR payment.
    pub qr: &'static str,
    /// A gift card.
    pub gift_card: &'static str,
}

const ID: Words = Words {
    refund_title: "PENGEMBALIAN",
    void_title: "PEMBATALAN",
    refund: "Pengembalian",
    void: "Pembatalan",
    of_sale: "Struk asal",
    date: "Tanggal",
    by: "Oleh",
    returned: "dikembalikan",
    charges: "Biaya layanan dan tip",
    refunded: "DIKEMBALIKAN",
    tax_in_refund: "Pajak dalam pengembalian",
    to: "Ke",
    restocked: "Barang dikembalikan ke stok.",
    reason: "Alasan",
    x_report: "Laporan X, shift",
    z_report: "Laporan Z, shift",
    sales_count: "penjualan",
    opened: "Dibuka",
    closed: "Ditutup",
    by_lower: "oleh",
    sales: "Penjualan",
    refunds: "Pengembalian",
    net_sales: "Penjualan bersih",
    cash_section: "Kas",
    float: "Modal awal laci",
    cash_sales: "Tunai diterima",
    change: "Kembalian diberikan",
    cash_refunds: "Pengembalian tunai",
    pay_ins: "Kas masuk",
    pay_outs: "Kas keluar",
    expected: "Seharusnya di laci",
    counted: "Uang dihitung",
    difference: "Selisih",
    drawer_openings: "Laci dibuka tanpa penjualan",
    by_tender: "Per pembayaran",
    refunds_of: "Pengembalian",
    qr_verified: "terverifikasi",
    qr_unverified: "belum terverifikasi",
    tips_by_staff: "Tip per staf",
    no_sign_in: "(tanpa staf)",
    day_report: "Laporan harian",
    gross_sales: "Penjualan kotor",
    discounts: "Diskon",
    charges_total: "Biaya layanan dan tip",
    total: "Total",
    of_which_gift_cards: "termasuk kartu hadiah",
    cash_rounding: "Pembulatan tunai",
    tax_in_total: "Pajak (dalam total)",
    voids: "pembatalan",
    net_of_refunds: "Bersih setelah pengembalian",
    tax_net_of_refunds: "Pajak bersih setelah pengembalian",
    by_tax_rate: "Per tarif pajak",
    net: "sebelum pajak",
    tax: "pajak",
    best_sellers: "Terlaris",
    cash: "Tunai",
    card: "Kartu",
    qr: "QRIS",
    gift_card: "Kartu hadiah",
};

const EN: Words = Words {
    refund_title: "REFUND",
    void_title: "VOID",
    refund: "Refund",
    void: "Void",
    of_sale: "Of sale",
    date: "Date",
    by: "By",
    returned: "returned",
    charges: "Service charge and tip",
    refunded: "REFUNDED",
    tax_in_refund: "Tax in refund",
    to: "To",
    restocked: "Items returned to stock.",
    reason: "Reason",
    x_report: "X report, shift",
    z_report: "Z report, shift",
    sales_count: "sales",
    opened: "Opened",
    closed: "Closed",
    by_lower: "by",
    sales: "Sales",
    refunds: "Refunds",
    net_sales: "Net sales",
    cash_section: "Cash",
    float: "Opening float",
    cash_sales: "Cash sales",
    change: "Change given",
    cash_refunds: "Cash refunds",
    pay_ins: "Pay ins",
    pay_outs: "Pay outs",
    expected: "Expected in drawer",
    counted: "Counted",
    difference: "Difference",
    drawer_openings: "Drawer opened without a sale",
    by_tender: "By tender",
    refunds_of: "Refunds",
    qr_verified: "verified",
    qr_unverified: "unverified",
    tips_by_staff: "Tips by staff",
    no_sign_in: "(no sign-in)",
    day_report: "Day report",
    gross_sales: "Gross sales",
    discounts: "Discounts",
    charges_total: "Charges",
    total: "Total",
    of_which_gift_cards: "of which gift cards",
    cash_rounding: "Cash rounding",
    tax_in_total: "Tax (in total)",
    voids: "voids",
    net_of_refunds: "Net of refunds",
    tax_net_of_refunds: "Tax net of refunds",
    by_tax_rate: "By tax rate",
    net: "net",
    tax: "tax",
    best_sellers: "Best sellers",
    cash: "Cash",
    card: "Card",
    qr: "QR",
    gift_card: "Gift card",
};

/// The words of the store's language.
pub fn words(settings: &StoreSettings) -> &'static Words {
    match settings.locale {
        Locale::Id => &ID,
        Locale::En => &EN,
    }
}

impl Words {
    /// A tender method's printed name (`cash`, `card`, `qr`, `giftcard`); another name as it
    /// is.
    pub fn method<'a>(&self, name: &'a str) -> &'a str {
        match name {
            "cash" => self.cash,
            "card" => self.card,
            "qr" => self.qr,
            "giftcard" => self.gift_card,
            other => other,
        }
    }
}

/// A stored time (RFC 3339, UTC) in the store's time zone, written as receipts write it
/// (`04/12/2026 13:05`); a time that does not parse is shown as stored.
pub fn local_time(settings: &StoreSettings, stored: &str) -> String {
    match stored.parse::<jiff::Timestamp>() {
        Ok(at) => local_at(settings, at),
        Err(_) => stored.to_string(),
    }
}

/// `at` in the store's time zone, written as receipts write it; in UTC (marked so) if the
/// store's zone is unknown.
pub fn local_at(settings: &StoreSettings, at: jiff::Timestamp) -> String {
    match settings.time_zone() {
        Ok(zone) => at
            .to_zoned_datetime(zone)
            .strftime(kasir_escpos::TIME_FORMAT)
            .to_string(),
        Err(_) => format!(
            "{} UTC",
            at.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .strftime(kasir_escpos::TIME_FORMAT)
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_stored_utc_time_is_shown_in_the_stores_zone_as_on_receipts() {
        let mut settings = StoreSettings::indonesian_shop("Toko");
        settings.timezone = "Asia/Jakarta".into();
        assert_eq!(
            local_time(&settings, "2026-12-03T23:30:00Z"),
            "04/12/2026 06:30"
        );
        settings.timezone = "Asia/Jayapura".into();
        assert_eq!(
            local_time(&settings, "2026-12-03T23:30:00.123456Z"),
            "04/12/2026 08:30"
        );
        assert_eq!(local_time(&settings, "not a time"), "not a time");
    }

    #[test]
    fn both_languages_name_the_tender_methods() {
        let mut settings = StoreSettings::indonesian_shop("Toko");
        assert_eq!(words(&settings).method("cash"), "Tunai");
        assert_eq!(words(&settings).method("giftcard"), "Kartu hadiah");
        settings.locale = Locale::En;
        assert_eq!(words(&settings).method("cash"), "Cash");
        assert_eq!(words(&settings).method("other"), "other");
    }
}
