//! A completed sale's public receipt link, for a customer who wants the receipt on their
//! phone instead of on paper: the cloud's base URL from enrolment, `/r/` and the sale's
//! token. Known offline; the link opens once the sale has synced.

use kasir_store::receipt_links::ReceiptLink as StoreLink;

use crate::error::KasirError;
use crate::kasir::Kasir;

/// The link to a sale's receipt.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReceiptLink {
    /// `https://cloud.example.id/r/TOKEN`.
    pub url: String,
    /// Whether the sale has reached the cloud; until then the link answers "not found".
    pub synced: bool,
}

#[uniffi::export]
impl Kasir {
    /// The public link to the receipt of a completed sale. `NotEnrolled` when the device has
    /// no cloud account (so no address to link to); `NotFound` for an unknown receipt number;
    /// `NotAllowed` for a sale stored before receipt links existed.
    pub fn receipt_link(&self, receipt_number: String) -> Result<ReceiptLink, KasirError> {
        match self.shared.store()?.receipt_link(&receipt_number)? {
            StoreLink::Ready { url, synced } => Ok(ReceiptLink { url, synced }),
            StoreLink::NotEnrolled => Err(KasirError::NotEnrolled),
            StoreLink::NoToken => Err(KasirError::NotAllowed {
                reason: format!(
                    "receipt {}: the sale was stored before receipt links existed",
                    receipt_number.trim()
                ),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use kasir_store::sync::CloudLink;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::test_support::{COCO, kasir};

    #[test]
    fn the_link_is_the_enrolled_address_and_the_token_and_needs_enrolment() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kasir = kasir(&dir);
        let register = kasir.new_sale().expect("a sale");
        register.scan(COCO.into()).expect("scans");
        register.pay_cash(Some(dec!(20000))).expect("paid");
        let sale = register.complete().expect("completes");

        let refused = kasir.receipt_link(sale.receipt_number.clone());
        assert_eq!(refused, Err(KasirError::NotEnrolled));

        kasir
            .shared
            .store()
            .expect("the store")
            .set_cloud_link(&CloudLink {
                server_url: "https://cloud.example.id/".into(),
                merchant_id: "m".into(),
                store_id: "s".into(),
                token: "secret".into(),
            })
            .expect("linked");
        let link = kasir
            .receipt_link(sale.receipt_number.clone())
            .expect("a link");
        let token = link
            .url
            .strip_prefix("https://cloud.example.id/r/")
            .expect("the enrolled address, then /r/");
        assert!(kasir_domain::receipt_link::is_token(token), "{token}");
        assert!(!link.synced);

        let unknown = kasir.receipt_link("D01-999999".into());
        assert!(
            matches!(unknown, Err(KasirError::NotFound { .. })),
            "{unknown:?}"
        );
    }
}
