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

/// What a refund undoes of a sale's gift cards and points, inside the refund's transaction
/// (called from the refund path): the part of the refund that goes back to a gift card
/// tender is paid back onto that card ([`crate::giftcards::refund_to_gift_card_in`]), and the
/// sale's points are reversed in proportion to what the refund gives back
/// ([`crate::loyalty::reverse_sale_points_in`], rule P-03), once per refund.
pub(crate) fn undo_with_refund(
    tx: &rusqlite::Transaction<'_>,
    sale: &Sale,
    refund: &kasir_domain::refund::Refund,
) -> Result<(), StoreError> {
    use kasir_domain::payment::TenderMethod;
    let currency = sale.currency;
    for t in &refund.tenders {
        let Some(number) = t
            .tender_no
            .and_then(|n| sale.tenders.get(usize::try_from(n).ok()?.checked_sub(1)?))
            .and_then(|tender| match &tender.method {
                TenderMethod::GiftCard { number } => Some(number.clone()),
                _ => None,
            })
        else {
            continue;
        };
        if t.amount.is_zero() {
            continue;
        }
        let number = CardNumber::parse(&number)?;
        crate::giftcards::refund_to_gift_card_in(
            tx,
            &refund.device_id,
            currency,
            &number,
            t.amount,
            Uuid::now_v7(),
            Some(sale.id),
        )?;
    }
    let rule: Option<kasir_domain::loyalty::LoyaltyRule> = {
        use rusqlite::OptionalExtension;
        let text: Option<String> = tx
            .query_row(
                "SELECT value FROM settings WHERE key = 'loyalty_rule'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        text.map(|t| serde_json::from_str(&t)).transpose()?
    };
    crate::loyalty::reverse_sale_points_in(
        tx,
        &refund.device_id,
        currency,
        rule.as_ref(),
        sale.id,
        refund.id,
        refunded_share(sale, refund),
    )?;
    Ok(())
}

/// The share of the sale's spend a refund gives back (0 to 1): its total over the sale's total
/// less the gift cards sold, which are not refunded with the goods and earned no points.
fn refunded_share(sale: &Sale, refund: &kasir_domain::refund::Refund) -> Decimal {
    let spend = sale.total - sale.gift_cards_total();
    if spend <= Decimal::ZERO {
        return Decimal::ONE;
    }
    (refund.total / spend).min(Decimal::ONE)
}
