//! Gift cards on the device: the cards it has seen, the balance the cloud last told it for
//! each (and when), and every redemption it made, online or offline.
//!
//! Online, the cloud decides (one conditional statement there); the device records what the
//! cloud answered. Offline, the device may redeem only what
//! [`kasir_domain::giftcard::offline_allowance`] allows: the balance it last knew, less what it
//! spent offline since (redemptions the cloud had not received when it told that balance),
//! within the merchant's limits. An offline redemption is written with its `GiftCardRedeemed`
//! outbox event in one `IMMEDIATE` transaction that also reads what was spent, so two
//! registers (or two processes) sharing this file cannot both spend the same allowance.

use jiff::Timestamp;
use kasir_domain::DomainError;
use kasir_domain::giftcard::{
    CardNumber, EntryKind, OfflineLimits, check_offline_redemption, offline_allowance,
};
use kasir_domain::money::Currency;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::outbox::{EventKind, insert_event};
use crate::units::{from_minor, to_minor};
use crate::{Store, StoreError, write_setting};

/// The settings key of the merchant's offline gift card limits.
const LIMITS_KEY: &str = "gift_card_offline_limits";

/// A gift card as this device knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnownGiftCard {
    /// The card.
    pub number: CardNumber,
    /// Its currency.
    pub currency: Currency,
    /// The balance the cloud last told this device, plus `refunded_since`.
    pub known_balance: Decimal,
    /// When it did.
    pub known_at: Timestamp,
    /// What this device redeemed offline that the cloud had not received by then.
    pub spent_offline: Decimal,
    /// What refunds on this device paid back onto the card that the balance the cloud told
    /// does not include yet (their events not delivered by then); refunds the cloud refused
    /// are left out.
    pub refunded_since: Decimal,
    /// What this device may redeem from it now while offline, under the merchant's limits.
    pub available_offline: Decimal,
}

/// A redemption this device made offline, queued for the cloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfflineRedemption {
    /// The ledger entry's id (the cloud applies it once).
    pub entry_id: Uuid,
    /// The card.
    pub number: CardNumber,
    /// What was taken.
    pub amount: Decimal,
    /// What this device may still redeem offline from the card.
    pub available_offline: Decimal,
    /// The outbox event's sequence number.
    pub event_seq: i64,
}

/// The payload of a `GiftCardRedeemed` event, as the cloud reads it.
#[derive(Debug, Clone, Serialize)]
struct RedeemedPayload<'a> {
    entry_id: Uuid,
    number: &'a CardNumber,
    amount: Decimal,
    currency: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sale_id: Option<Uuid>,
    redeemed_at: Timestamp,
}

impl Store {
    /// The merchant's limits on offline gift card redemptions (none until set: a device then
    /// redeems gift cards only online).
    pub fn gift_card_offline_limits(&self) -> Result<OfflineLimits, StoreError> {
        Ok(self
            .read_setting(LIMITS_KEY)?
            .unwrap_or(OfflineLimits::NONE))
    }

    /// Sets the merchant's limits on offline gift card redemptions.
    pub fn set_gift_card_offline_limits(
        &mut self,
        limits: OfflineLimits,
    ) -> Result<(), StoreError> {
        limits.validate(self.settings()?.currency)?;
        let tx = self.write_tx()?;
        write_setting(&tx, LIMITS_KEY, &limits)?;
        tx.commit()?;
        Ok(())
    }

    /// Remembers the balance the cloud told at `as_of`. Every redemption the cloud had by then
    /// (the online ones, and the offline ones already delivered) is in that balance, so it no
    /// longer counts as spent offline.
    pub fn remember_gift_card_balance(
        &mut self,
        number: &CardNumber,
        currency: Currency,
        balance: Decimal,
        as_of: Timestamp,
    ) -> Result<(), StoreError> {
        let minor = to_minor(balance, currency)?;
        let tx = self.write_tx()?;
        remember(&tx, number, currency, minor, as_of)?;
        tx.commit()?;
        Ok(())
    }

    /// Records a redemption the cloud applied online (answered with the balance left), and
    /// that balance as the last known one. Recording the same entry again changes nothing.
    pub fn record_online_redemption(
        &mut self,
        number: &CardNumber,
        entry_id: Uuid,
        amount: Decimal,
        balance_after: Decimal,
        sale_id: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let currency = self.settings()?.currency;
        let delta = -to_minor(amount, currency)?;
        let now = Timestamp::now();
        let tx = self.write_tx()?;
        remember(
            &tx,
            number,
            currency,
            to_minor(balance_after, currency)?,
            now,
        )?;
        tx.execute(
            "INSERT INTO gift_card_entries (id, number, kind, delta_minor, mode, sale_id,
                created_at, in_known_balance)
             VALUES (?1, ?2, ?3, ?4, 'online', ?5, ?6, 1)
             ON CONFLICT (id) DO NOTHING",
            params![
                entry_id.to_string(),
                number.as_str(),
                EntryKind::Redeem.name(),
                delta,
                sale_id.map(|s| s.to_string()),
                now.to_string()
            ],
        )?;
        tx.commit()?;
        tracing::info!(card = %number.masked(), "gift card redeemed online");
        Ok(())
    }

    /// Redeems `amount` from a card while the cloud cannot be reached, if the merchant's
    /// limits and the balance this device last knew allow it, and queues the
    /// `GiftCardRedeemed` event, in one transaction. `entry_id` is the id of the redemption
    /// (reuse the id of an online attempt whose answer was lost: the cloud then applies it
    /// once, whichever arrives first).
    ///
    /// Refused, writing nothing: a card this device has never seen online, an amount beyond
    /// the allowance (the error says which bound and what may be redeemed).
    pub fn redeem_gift_card_offline(
        &mut self,
        number: &CardNumber,
        amount: Decimal,
        entry_id: Uuid,
        sale_id: Option<Uuid>,
    ) -> Result<OfflineRedemption, StoreError> {
        let currency = self.settings()?.currency;
        let device_id = self.device()?.id.clone();
        let limits = self.gift_card_offline_limits()?;
        // IMMEDIATE: the write lock is held from here, so what was spent cannot change
        // between reading it and adding to it.
        let tx = self.write_tx()?;
        let done = redeem_offline_in(
            &tx, &device_id, currency, limits, number, amount, entry_id, sale_id,
        )?;
        tx.commit()?;
        tracing::info!(card = %number.masked(), "gift card redeemed offline");
        Ok(done)
    }

    /// The card as this device knows it, if it has seen it.
    pub fn known_gift_card(
        &self,
        number: &CardNumber,
    ) -> Result<Option<KnownGiftCard>, StoreError> {
        let limits = self.gift_card_offline_limits()?;
        known_card(&self.conn, number, limits)
    }

    /// Queues a refund of `amount` onto a card (kind `refund`) with its `GiftCardRefunded`
    /// event, in one transaction: the cloud credits the card once, keyed by `entry_id`, when
    /// the event reaches it. Used to give back an online redemption of a sale that was
    /// dropped before it was recorded, and by refunds paid onto a card.
    pub fn queue_gift_card_refund(
        &mut self,
        number: &CardNumber,
        amount: Decimal,
        entry_id: Uuid,
        sale_id: Option<Uuid>,
    ) -> Result<i64, StoreError> {
        let currency = self.settings()?.currency;
        let device_id = self.device()?.id.clone();
        let tx = self.write_tx()?;
        let seq =
            refund_to_gift_card_in(&tx, &device_id, currency, number, amount, entry_id, sale_id)?;
        tx.commit()?;
        Ok(seq)
    }
}

/// What the cloud took from a card online for a sale that was never recorded (the register
/// stopped before it was paid and did not give it back), less what was given back since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnrecordedRedemption {
    /// The sale that was never recorded.
    pub sale_id: Uuid,
    /// The card.
    pub number: CardNumber,
    /// What is still owed to the card.
    pub amount: Decimal,
    /// When the first redemption was made.
    pub redeemed_at: String,
}

impl Store {
    /// Online gift card redemptions of sales this device never recorded and never gave back:
    /// what a register that was killed mid-sale leaves. Another register sharing this file
    /// may have such a sale open right now, so nothing is given back without being asked.
    pub fn unrecorded_gift_redemptions(&self) -> Result<Vec<UnrecordedRedemption>, StoreError> {
        unrecorded(&self.conn, self.settings()?.currency)
    }

    /// Gives back onto their cards the redemptions of [`Store::unrecorded_gift_redemptions`],
    /// each with its `GiftCardRefunded` event, in one transaction; giving back again finds
    /// nothing left to give. Returns what was given back.
    pub fn give_back_unrecorded_gift_redemptions(
        &mut self,
    ) -> Result<Vec<UnrecordedRedemption>, StoreError> {
        let currency = self.settings()?.currency;
        let device_id = self.device()?.id.clone();
        // Read under the write lock, so two callers cannot both give the same back.
        let tx = self.write_tx()?;
        let found = unrecorded(&tx, currency)?;
        for r in &found {
            refund_to_gift_card_in(
                &tx,
                &device_id,
                currency,
                &r.number,
                r.amount,
                Uuid::now_v7(),
                Some(r.sale_id),
            )?;
        }
        tx.commit()?;
        Ok(found)
    }
}

fn unrecorded(
    conn: &Connection,
    currency: Currency,
) -> Result<Vec<UnrecordedRedemption>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT e.sale_id, e.number, -sum(e.delta_minor) AS owed, min(e.created_at)
             FROM gift_card_entries e
             WHERE e.sale_id IS NOT NULL AND e.kind IN ('redeem', 'refund')
               AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.id = e.sale_id)
             GROUP BY e.sale_id, e.number
             HAVING owed > 0
             ORDER BY min(e.created_at)",
    )?;
    let rows = statement.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let (sale_id, number, owed, at) = row?;
        found.push(UnrecordedRedemption {
            sale_id: Uuid::parse_str(&sale_id)
                .map_err(|e| StoreError::Corrupt(format!("gift card entry sale id: {e}")))?,
            number: CardNumber::parse(&number)?,
            amount: from_minor(owed, currency),
            redeemed_at: at,
        });
    }
    Ok(found)
}

/// Redeems offline inside `tx` (which must hold the write lock): the body of
/// [`Store::redeem_gift_card_offline`], for callers that commit the redemption with something
/// else, such as the sale it pays.
#[allow(
    clippy::too_many_arguments,
    reason = "the parts of one redemption, each named"
)]
pub(crate) fn redeem_offline_in(
    tx: &Transaction<'_>,
    device_id: &str,
    currency: Currency,
    limits: OfflineLimits,
    number: &CardNumber,
    amount: Decimal,
    entry_id: Uuid,
    sale_id: Option<Uuid>,
) -> Result<OfflineRedemption, StoreError> {
    let minor = to_minor(amount, currency)?;
    let now = Timestamp::now();
    {
        let known = known_card(tx, number, limits)?.ok_or_else(|| {
            DomainError::not_allowed(format!(
                "gift card {number} has not been seen online by this device, so it cannot be \
                 redeemed offline; pay with another tender"
            ))
        })?;
        if known.currency != currency {
            return Err(DomainError::invalid(
                "gift card",
                format!("{number} is in {}, the store in {currency}", known.currency),
            )
            .into());
        }
        check_offline_redemption(
            amount,
            known.known_balance,
            known.spent_offline,
            limits,
            currency,
        )?;
        let payload = serde_json::to_string(&RedeemedPayload {
            entry_id,
            number,
            amount,
            currency: currency.code(),
            sale_id,
            redeemed_at: now,
        })?;
        let event_seq = insert_event(
            tx,
            device_id,
            EventKind::GiftCardRedeemed,
            &now.to_string(),
            &payload,
        )?;
        let inserted = tx.execute(
            "INSERT INTO gift_card_entries (id, number, kind, delta_minor, mode, sale_id,
                created_at, event_seq, in_known_balance)
             VALUES (?1, ?2, ?3, ?4, 'offline', ?5, ?6, ?7, 0)
             ON CONFLICT (id) DO NOTHING",
            params![
                entry_id.to_string(),
                number.as_str(),
                EntryKind::Redeem.name(),
                -minor,
                sale_id.map(|s| s.to_string()),
                now.to_string(),
                event_seq
            ],
        )?;
        if inserted == 0 {
            // Dropping the transaction rolls the event back too.
            return Err(DomainError::not_allowed(format!(
                "gift card entry {entry_id} is already recorded on this device"
            ))
            .into());
        }
        Ok(OfflineRedemption {
            entry_id,
            number: number.clone(),
            amount,
            available_offline: offline_allowance(
                known.known_balance,
                known.spent_offline + amount,
                limits,
            ),
            event_seq,
        })
    }
}

/// The payload of a `GiftCardRefunded` event, as the cloud reads it.
#[derive(Debug, Clone, Serialize)]
struct RefundedPayload<'a> {
    entry_id: Uuid,
    number: &'a CardNumber,
    amount: Decimal,
    currency: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sale_id: Option<Uuid>,
    refunded_at: Timestamp,
}

/// Pays `amount` back onto a card inside `tx`: a `refund` entry on this device and its
/// `GiftCardRefunded` event for the cloud, which credits the card once (keyed by `entry_id`).
/// The card need not be known to this device. Returns the event's sequence number.
///
/// This is the function a refund paid onto a gift card calls, in the refund's transaction.
/// Refused: an amount that is not positive or not whole minor units, an entry id already used.
pub fn refund_to_gift_card_in(
    tx: &Transaction<'_>,
    device_id: &str,
    currency: Currency,
    number: &CardNumber,
    amount: Decimal,
    entry_id: Uuid,
    sale_id: Option<Uuid>,
) -> Result<i64, StoreError> {
    kasir_domain::giftcard::entry_delta(EntryKind::Refund, amount, currency)?;
    let minor = to_minor(amount, currency)?;
    let now = Timestamp::now();
    let payload = serde_json::to_string(&RefundedPayload {
        entry_id,
        number,
        amount,
        currency: currency.code(),
        sale_id,
        refunded_at: now,
    })?;
    let event_seq = insert_event(
        tx,
        device_id,
        EventKind::GiftCardRefunded,
        &now.to_string(),
        &payload,
    )?;
    // The entry hangs off the card's row; a card this device never saw gets one with no
    // known balance to spend offline (zero, as of the epoch) until the cloud tells it one.
    tx.execute(
        "INSERT INTO gift_cards (number, currency, known_balance_minor, known_at)
         VALUES (?1, ?2, 0, ?3) ON CONFLICT (number) DO NOTHING",
        params![
            number.as_str(),
            currency.code(),
            Timestamp::UNIX_EPOCH.to_string()
        ],
    )?;
    let inserted = tx.execute(
        "INSERT INTO gift_card_entries (id, number, kind, delta_minor, mode, sale_id,
            created_at, event_seq, in_known_balance)
         VALUES (?1, ?2, 'refund', ?3, 'offline', ?4, ?5, ?6, 0)
         ON CONFLICT (id) DO NOTHING",
        params![
            entry_id.to_string(),
            number.as_str(),
            minor,
            sale_id.map(|s| s.to_string()),
            now.to_string(),
            event_seq
        ],
    )?;
    if inserted == 0 {
        return Err(DomainError::not_allowed(format!(
            "gift card entry {entry_id} is already recorded on this device"
        ))
        .into());
    }
    tracing::info!(card = %number.masked(), "gift card refund queued");
    Ok(event_seq)
}

/// Records on this device the gift cards a sale sold or loaded, inside the sale's `tx`: a
/// card sold here is known with the value put on it (so it can be spent offline before the
/// cloud has issued it), a load adds to what this device knows of the card. The cloud issues
/// and loads the cards from the sale itself when it arrives.
pub(crate) fn record_sold_cards(
    tx: &Transaction<'_>,
    sale: &kasir_domain::sale::Sale,
) -> Result<(), StoreError> {
    let currency = sale.currency;
    for line in &sale.gift_cards {
        let number = line.card_number()?;
        let minor = to_minor(line.amount, currency)?;
        tx.execute(
            "INSERT INTO gift_cards (number, currency, known_balance_minor, known_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (number) DO UPDATE SET
                known_balance_minor = known_balance_minor + excluded.known_balance_minor",
            params![
                number.as_str(),
                currency.code(),
                minor,
                sale.completed_at.to_string()
            ],
        )?;
    }
    Ok(())
}

/// Sets the card's known balance and counts every entry the cloud had by then as included.
fn remember(
    tx: &Transaction<'_>,
    number: &CardNumber,
    currency: Currency,
    balance_minor: i64,
    as_of: Timestamp,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO gift_cards (number, currency, known_balance_minor, known_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (number) DO UPDATE SET
            currency = excluded.currency,
            known_balance_minor = excluded.known_balance_minor,
            known_at = excluded.known_at",
        params![
            number.as_str(),
            currency.code(),
            balance_minor,
            as_of.to_string()
        ],
    )?;
    // Offline redemptions the cloud has stored are in the balance it just told.
    tx.execute(
        "UPDATE gift_card_entries SET in_known_balance = 1
         WHERE number = ?1 AND in_known_balance = 0
           AND (mode = 'online'
                OR event_seq IN (SELECT seq FROM outbox WHERE status = 'synced'))",
        [number.as_str()],
    )?;
    Ok(())
}

fn known_card(
    tx: &Connection,
    number: &CardNumber,
    limits: OfflineLimits,
) -> Result<Option<KnownGiftCard>, StoreError> {
    // Refunds onto the card this device made count at once, until the cloud tells a balance
    // that has them (their events delivered), unless the cloud refused them: a refund's value
    // is spendable here from the moment it was given, and is never counted twice.
    let row: Option<(String, i64, String, i64, i64)> = tx
        .query_row(
            "SELECT c.currency, c.known_balance_minor, c.known_at,
                coalesce((SELECT -sum(e.delta_minor) FROM gift_card_entries e
                          WHERE e.number = c.number AND e.in_known_balance = 0
                            AND e.kind = 'redeem'), 0),
                coalesce((SELECT sum(e.delta_minor) FROM gift_card_entries e
                          WHERE e.number = c.number AND e.in_known_balance = 0
                            AND e.kind = 'refund'
                            AND NOT EXISTS (SELECT 1 FROM outbox o
                                            WHERE o.seq = e.event_seq
                                              AND o.status = 'rejected')), 0)
             FROM gift_cards c WHERE c.number = ?1",
            [number.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((currency, told_minor, known_at, spent_minor, refunded_minor)) = row else {
        return Ok(None);
    };
    let currency = Currency::from_code(&currency)?;
    let refunded_since = from_minor(refunded_minor, currency);
    let known_balance = from_minor(told_minor, currency) + refunded_since;
    let spent_offline = from_minor(spent_minor, currency);
    Ok(Some(KnownGiftCard {
        number: number.clone(),
        currency,
        known_balance,
        known_at: known_at
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("gift card known_at `{known_at}`: {e}")))?,
        spent_offline,
        refunded_since,
        available_offline: offline_allowance(known_balance, spent_offline, limits),
    }))
}
