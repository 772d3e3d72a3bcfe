//! Checking out a sale with what it carries besides its tenders: gift card redemptions made
//! offline, the gift cards it sold, and its loyalty points, all in the sale's transaction.
//!
//! An online gift card redemption has already happened in the cloud when the sale is stored
//! (it is recorded with [`Store::record_online_redemption`] as it is taken); an offline one is
//! only a promise until the sale commits, so it is written here, with the sale and its outbox
//! events, or not at all. If the allowance ran out in the meantime (another register sharing
//! the file spent it), the whole sale is refused and nothing is written.

use kasir_domain::giftcard::CardNumber;
use kasir_domain::sale::Sale;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::giftcards::{record_sold_cards, redeem_offline_in};
use crate::loyalty::{SaleLoyalty, record_sale_loyalty_in};
use crate::{Store, StoreError};

/// A gift card redemption the register took offline for the open sale, to commit with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRedemption {
    /// The card.
    pub number: CardNumber,
    /// What it pays.
    pub amount: Decimal,
    /// The entry's id (the same as the online attempt's, if there was one).
    pub entry_id: Uuid,
}

/// What a sale carries besides itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkout {
    /// Gift card redemptions taken offline, one per gift card tender paid offline.
    pub offline_redemptions: Vec<PendingRedemption>,
    /// The customer and the points redeemed, when a customer is attached.
    pub loyalty: Option<SaleLoyalty>,
}

impl Store {
    /// Stores `sale` (as [`Store::commit_sale`] does) with its offline gift card redemptions,
    /// the cards it sold or loaded, and its loyalty entries, in one transaction. Refused,
    /// writing nothing, when any part is refused (an offline allowance spent meanwhile, more
    /// points redeemed than the customer has).
    pub fn commit_checkout(&mut self, sale: Sale, checkout: &Checkout) -> Result<Sale, StoreError> {
        let device_id = self.device()?.id.clone();
        let currency = self.settings()?.currency;
        let limits = self.gift_card_offline_limits()?;
        let rule = self.loyalty_rule()?;
        let sale = self.commit_sale_with(sale, |tx, sale| {
            crate::qr_payments::record(tx, sale, &[])?;
            for pending in &checkout.offline_redemptions {
                redeem_offline_in(
                    tx,
                    &device_id,
                    currency,
                    limits,
                    &pending.number,
                    pending.amount,
                    pending.entry_id,
                    Some(sale.id),
                )?;
            }
            record_sold_cards(tx, sale)?;
            if let Some(loyalty) = &checkout.loyalty {
                record_sale_loyalty_in(tx, &device_id, &rule, sale, loyalty)?;
            }
            Ok(())
        })?;
        Ok(sale)
    }
}
