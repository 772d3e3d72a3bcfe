//! Gift cards: card numbers, the ledger that is a card's balance, and the rule for spending a
//! card while the device cannot reach the cloud.
//!
//! A card's balance is never a number that is overwritten: it is the sum of its ledger, one
//! entry per issue, load, redemption, refund onto the card or adjustment, each keyed by an id
//! made where the entry was made, so that a retried request or a resent event is recognised
//! and applied once. Online, the cloud refuses a redemption larger than the balance, in one
//! conditional statement. Offline, a device may spend only what the merchant's limits allow
//! against the balance it last knew ([`offline_allowance`]); the cloud records what was taken
//! at the till anyway and flags a card that went below zero.
//!
//! A card number is `GC-XXXX-XXXX` in Crockford's base 32 (digits and upper-case letters
//! without I, L, O and U, so that nothing reads as something else), printed on the card as the
//! Kasir code `KASIR:GIFT:GC-XXXX-XXXX`. Its 40 bits come from a random source the caller owns:
//! the number is what a customer holds, so it must not be guessable from another card's.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::DomainError;
use crate::money::Currency;

/// The prefix of every card number.
pub const NUMBER_PREFIX: &str = "GC-";

/// The Kasir code prefix a printed gift card carries before its number.
pub const CODE_PREFIX: &str = "KASIR:GIFT:";

/// Crockford's base 32 alphabet: no I, L, O or U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// How many base-32 characters a card number has after its prefix (40 bits).
const NUMBER_CHARS: usize = 8;

/// A gift card's number, `GC-XXXX-XXXX`, always in its canonical upper-case form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardNumber(String);

impl CardNumber {
    /// Reads a card number as a clerk types it or a scanner reads it: `GC-7F3K-92QD`, in any
    /// case, with or without the dashes or spaces, or the printed code
    /// `KASIR:GIFT:GC-7F3K-92QD` (`KASIR:G:` too). Crockford's look-alikes are read as what
    /// they look like: `O` as `0`, `I` and `L` as `1`.
    pub fn parse(text: &str) -> Result<CardNumber, DomainError> {
        let trimmed = text.trim();
        let upper = trimmed.to_ascii_uppercase();
        let body = upper
            .strip_prefix(CODE_PREFIX)
            .or_else(|| upper.strip_prefix("KASIR:G:"))
            .unwrap_or(&upper);
        let body = body.strip_prefix("GC").ok_or_else(|| {
            DomainError::invalid(
                "gift card",
                format!(
                    "`{}` is not a gift card number (GC-XXXX-XXXX)",
                    shown(trimmed)
                ),
            )
        })?;
        let mut chars = String::with_capacity(NUMBER_CHARS);
        for c in body.chars().filter(|c| !matches!(c, '-' | ' ')) {
            let c = match c {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return Err(DomainError::invalid(
                    "gift card",
                    format!(
                        "`{}`: `{c}` is not a digit or a letter of a gift card number \
                         (letters A-Z without U)",
                        shown(trimmed)
                    ),
                ));
            }
            chars.push(c);
        }
        if chars.len() != NUMBER_CHARS {
            return Err(DomainError::invalid(
                "gift card",
                format!(
                    "`{}` has {} characters after GC-, a gift card number has {NUMBER_CHARS} \
                     (GC-XXXX-XXXX)",
                    shown(trimmed),
                    chars.len()
                ),
            ));
        }
        Ok(CardNumber(format!(
            "{NUMBER_PREFIX}{}-{}",
            &chars[..4],
            &chars[4..]
        )))
    }

    /// The card number made of 40 random bits. The caller supplies them (from the operating
    /// system's random source), so the domain stays free of I/O.
    pub fn from_random(bits: [u8; 5]) -> CardNumber {
        let mut value = bits.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let mut chars = [b'0'; NUMBER_CHARS];
        for slot in chars.iter_mut().rev() {
            // The index is below 32, so it is always in the alphabet.
            *slot = ALPHABET[usize::try_from(value & 31).unwrap_or(0)];
            value >>= 5;
        }
        let text: String = chars.iter().map(|&b| char::from(b)).collect();
        CardNumber(format!("{NUMBER_PREFIX}{}-{}", &text[..4], &text[4..]))
    }

    /// The number, `GC-XXXX-XXXX`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the card carries as a QR code or Code 128: `KASIR:GIFT:GC-XXXX-XXXX`.
    pub fn kasir_code(&self) -> String {
        format!("{CODE_PREFIX}{}", self.0)
    }

    /// The number with its middle hidden, `GC-****-92QD`, for logs and for anything a person
    /// other than the card's holder sees: the number is what spends the card.
    pub fn masked(&self) -> String {
        format!("{NUMBER_PREFIX}****-{}", &self.0[self.0.len() - 4..])
    }
}

/// At most 24 characters of what was typed, so that an error never repeats a long paste.
fn shown(text: &str) -> String {
    text.chars().take(24).collect()
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CardNumber {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CardNumber::parse(s)
    }
}

impl Serialize for CardNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CardNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CardNumber::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// What a ledger entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// The card was sold or given out with its first value.
    Issue,
    /// Value was added to the card.
    Load,
    /// The card paid (part of) a sale.
    Redeem,
    /// A refund was paid onto the card.
    Refund,
    /// The merchant corrected the balance, up or down.
    Adjust,
}

impl EntryKind {
    /// The name stored and sent.
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::Issue => "issue",
            EntryKind::Load => "load",
            EntryKind::Redeem => "redeem",
            EntryKind::Refund => "refund",
            EntryKind::Adjust => "adjust",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Result<EntryKind, DomainError> {
        match name.trim() {
            "issue" => Ok(EntryKind::Issue),
            "load" => Ok(EntryKind::Load),
            "redeem" => Ok(EntryKind::Redeem),
            "refund" => Ok(EntryKind::Refund),
            "adjust" => Ok(EntryKind::Adjust),
            other => Err(DomainError::invalid(
                "kind",
                format!("`{other}` is not issue, load, redeem, refund or adjust"),
            )),
        }
    }
}

/// How much an entry of `kind` for `amount` changes the balance: issue, load and refund add
/// the amount, a redemption takes it off, an adjustment adds it with its sign.
///
/// Refused: an amount with a finer fraction than the currency, an amount that is zero, and a
/// negative amount for anything but an adjustment.
pub fn entry_delta(
    kind: EntryKind,
    amount: Decimal,
    currency: Currency,
) -> Result<Decimal, DomainError> {
    currency.check_scale("amount", amount)?;
    if amount.is_zero() {
        return Err(DomainError::invalid("amount", "is zero"));
    }
    match kind {
        EntryKind::Adjust => Ok(amount),
        _ if amount.is_sign_negative() => Err(DomainError::invalid(
            "amount",
            format!(
                "{} is negative; a {} is a positive amount",
                currency.display(amount),
                kind.name()
            ),
        )),
        EntryKind::Issue | EntryKind::Load | EntryKind::Refund => Ok(amount),
        EntryKind::Redeem => Ok(-amount),
    }
}

/// A card's balance: the sum of the deltas of its ledger.
pub fn balance<I: IntoIterator<Item = Decimal>>(deltas: I) -> Decimal {
    deltas.into_iter().sum()
}

/// Checks a redemption of `amount` against a card whose balance is `balance`: the amount is
/// positive, whole minor units of `currency`, and no more than the balance.
pub fn check_redemption(
    balance: Decimal,
    amount: Decimal,
    currency: Currency,
) -> Result<(), DomainError> {
    entry_delta(EntryKind::Redeem, amount, currency)?;
    if amount > balance {
        return Err(DomainError::not_allowed(format!(
            "the gift card has {} left, less than {}; pay the rest with another tender",
            currency.display(balance.max(Decimal::ZERO)),
            currency.display(amount)
        )));
    }
    Ok(())
}

/// What a gift card line of a sale does to its card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CardSaleKind {
    /// A new card sold with its first value.
    Issue,
    /// Value added to a card the customer already has.
    Load,
}

impl CardSaleKind {
    /// The ledger entry the line makes.
    pub fn entry_kind(self) -> EntryKind {
        match self {
            CardSaleKind::Issue => EntryKind::Issue,
            CardSaleKind::Load => EntryKind::Load,
        }
    }
}

/// A sale line of its own kind: a gift card sold or loaded at the till. It is money held for
/// the customer, not a sale of goods, so it is never taxed and never discounted; the cloud
/// issues or loads the card when the sale reaches it, once, keyed by `entry_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GiftCardLine {
    /// The ledger entry's id, made on the device.
    pub entry_id: uuid::Uuid,
    /// The card number, `GC-XXXX-XXXX`.
    pub number: String,
    /// Issue or load.
    pub kind: CardSaleKind,
    /// The value put on the card (what the customer pays for the line).
    pub amount: Decimal,
}

impl GiftCardLine {
    /// A line putting `amount` on `number`, checked: positive, whole minor units.
    pub fn new(
        entry_id: uuid::Uuid,
        number: &CardNumber,
        kind: CardSaleKind,
        amount: Decimal,
        currency: Currency,
    ) -> Result<GiftCardLine, DomainError> {
        entry_delta(kind.entry_kind(), amount, currency)?;
        let mut amount = amount;
        amount.rescale(currency.minor_units());
        Ok(GiftCardLine {
            entry_id,
            number: number.as_str().to_string(),
            kind,
            amount,
        })
    }

    /// The line's card number, checked.
    pub fn card_number(&self) -> Result<CardNumber, DomainError> {
        CardNumber::parse(&self.number)
    }

    /// Checks the line as received: a valid number and a positive amount in `currency`.
    pub fn check(&self, currency: Currency) -> Result<(), DomainError> {
        self.card_number()?;
        entry_delta(self.kind.entry_kind(), self.amount, currency).map(|_| ())
    }
}

/// The limits a merchant sets on spending a gift card while the device cannot reach the cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflineLimits {
    /// The most one offline redemption may take.
    pub per_redemption: Decimal,
    /// The most a device may take from one card, in all, until it reaches the cloud again.
    pub per_card: Decimal,
}

impl OfflineLimits {
    /// No gift card spending while offline.
    pub const NONE: OfflineLimits = OfflineLimits {
        per_redemption: Decimal::ZERO,
        per_card: Decimal::ZERO,
    };

    /// Checks that both limits are not negative and whole minor units of `currency`.
    pub fn validate(&self, currency: Currency) -> Result<(), DomainError> {
        for (field, value) in [
            ("per_redemption", self.per_redemption),
            ("per_card", self.per_card),
        ] {
            currency.check_scale(field, value)?;
            if value.is_sign_negative() && !value.is_zero() {
                return Err(DomainError::invalid(
                    field,
                    format!("{} is negative", currency.display(value)),
                ));
            }
        }
        Ok(())
    }
}

/// The most a device that cannot reach the cloud may redeem now from a card: the balance it
/// last knew less what it already spent offline from the card, and no more than the
/// merchant's limits per redemption and per card (less what was spent), never below zero.
pub fn offline_allowance(
    last_known_balance: Decimal,
    spent_offline: Decimal,
    limits: OfflineLimits,
) -> Decimal {
    (last_known_balance - spent_offline)
        .min(limits.per_card - spent_offline)
        .min(limits.per_redemption)
        .max(Decimal::ZERO)
}

/// Checks an offline redemption of `amount` against [`offline_allowance`], saying which bound
/// refused it.
pub fn check_offline_redemption(
    amount: Decimal,
    last_known_balance: Decimal,
    spent_offline: Decimal,
    limits: OfflineLimits,
    currency: Currency,
) -> Result<(), DomainError> {
    entry_delta(EntryKind::Redeem, amount, currency)?;
    let allowed = offline_allowance(last_known_balance, spent_offline, limits);
    if amount <= allowed {
        return Ok(());
    }
    let left = (last_known_balance - spent_offline).max(Decimal::ZERO);
    let m = |a: Decimal| currency.display(a);
    let reason = if amount > left {
        format!(
            "offline, the gift card has {} left as this device last knew it (less what it \
             spent offline), less than {}",
            m(left),
            m(amount)
        )
    } else if amount > limits.per_redemption {
        format!(
            "offline, one gift card redemption may take at most {}; {} is more",
            m(limits.per_redemption),
            m(amount)
        )
    } else {
        format!(
            "offline, this device may take at most {} from one card until it reaches the \
             cloud again, and has taken {}",
            m(limits.per_card),
            m(spent_offline)
        )
    };
    Err(DomainError::not_allowed(format!(
        "{reason}; {} may be redeemed now, pay the rest with another tender",
        m(allowed)
    )))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;

    fn usd() -> Currency {
        Currency::from_code("USD").unwrap()
    }

    const LIMITS: OfflineLimits = OfflineLimits {
        per_redemption: dec!(5.00),
        per_card: dec!(8.00),
    };

    #[test]
    fn a_typed_number_in_any_case_without_dashes_is_read_canonically() {
        let number = CardNumber::parse(" gc 7f3k92qd ").unwrap();

        assert_eq!(number.as_str(), "GC-7F3K-92QD");
    }

    #[test]
    fn the_printed_kasir_code_reads_as_its_number() {
        assert_eq!(
            CardNumber::parse("KASIR:GIFT:GC-7F3K-92QD")
                .unwrap()
                .as_str(),
            "GC-7F3K-92QD"
        );
        assert_eq!(
            CardNumber::parse("kasir:g:GC-7F3K-92QD").unwrap().as_str(),
            "GC-7F3K-92QD"
        );
        assert_eq!(
            CardNumber::parse("GC-7F3K-92QD").unwrap().kasir_code(),
            "KASIR:GIFT:GC-7F3K-92QD"
        );
    }

    #[test]
    fn look_alike_letters_are_read_as_digits() {
        assert_eq!(
            CardNumber::parse("GC-OIL0-0000").unwrap().as_str(),
            "GC-0110-0000"
        );
    }

    #[test]
    fn a_u_a_short_number_and_a_missing_prefix_are_refused() {
        let u = CardNumber::parse("GC-7F3K-92QU").unwrap_err().to_string();
        assert!(u.contains("`U` is not"), "{u}");
        let short = CardNumber::parse("GC-7F3K-92Q").unwrap_err().to_string();
        assert!(short.contains("has 7 characters"), "{short}");
        let prefix = CardNumber::parse("7F3K-92QD").unwrap_err().to_string();
        assert!(prefix.contains("is not a gift card number"), "{prefix}");
    }

    #[test]
    fn random_bits_map_to_base32_characters_in_order() {
        // 0x00 0x00 0x00 0x00 0x00 is all zeros; 0xFF... is all `Z` (31).
        assert_eq!(CardNumber::from_random([0; 5]).as_str(), "GC-0000-0000");
        assert_eq!(CardNumber::from_random([0xFF; 5]).as_str(), "GC-ZZZZ-ZZZZ");
        // 0x00000000_21 = 0b1_00001: the last two groups of 5 bits are 1 and 1.
        assert_eq!(
            CardNumber::from_random([0, 0, 0, 0, 0x21]).as_str(),
            "GC-0000-0011"
        );
    }

    #[test]
    fn a_masked_number_keeps_only_the_last_four() {
        assert_eq!(
            CardNumber::parse("GC-7F3K-92QD").unwrap().masked(),
            "GC-****-92QD"
        );
    }

    #[test]
    fn redemptions_take_off_and_loads_add() {
        let c = usd();
        assert_eq!(
            entry_delta(EntryKind::Issue, dec!(10), c).unwrap(),
            dec!(10)
        );
        assert_eq!(
            entry_delta(EntryKind::Load, dec!(2.5), c).unwrap(),
            dec!(2.5)
        );
        assert_eq!(
            entry_delta(EntryKind::Redeem, dec!(3), c).unwrap(),
            dec!(-3)
        );
        assert_eq!(entry_delta(EntryKind::Refund, dec!(1), c).unwrap(), dec!(1));
        assert_eq!(
            entry_delta(EntryKind::Adjust, dec!(-0.5), c).unwrap(),
            dec!(-0.5)
        );
    }

    #[test]
    fn zero_negative_and_too_fine_amounts_are_refused() {
        let c = usd();
        assert!(entry_delta(EntryKind::Load, dec!(0), c).is_err());
        assert!(entry_delta(EntryKind::Redeem, dec!(-1), c).is_err());
        let fine = entry_delta(EntryKind::Load, dec!(1.005), c)
            .unwrap_err()
            .to_string();
        assert!(fine.contains("more than 2 decimal places"), "{fine}");
        assert!(entry_delta(EntryKind::Issue, dec!(10.5), Currency::IDR).is_err());
    }

    #[test]
    fn the_balance_is_the_sum_of_the_ledger() {
        // Issue 10.00, redeem 3.00, load 5.00, refund 1.25, adjust -0.25: 13.00.
        let deltas = [
            dec!(10.00),
            dec!(-3.00),
            dec!(5.00),
            dec!(1.25),
            dec!(-0.25),
        ];

        assert_eq!(balance(deltas), dec!(13.00));
    }

    #[test]
    fn redeeming_the_whole_balance_is_allowed_and_a_cent_more_is_not() {
        assert!(check_redemption(dec!(10.00), dec!(10.00), usd()).is_ok());
        let refused = check_redemption(dec!(10.00), dec!(10.01), usd())
            .unwrap_err()
            .to_string();
        assert!(
            refused.contains("has $ 10.00 left, less than $ 10.01"),
            "{refused}"
        );
        assert!(refused.contains("another tender"), "{refused}");
    }

    #[test]
    fn offline_the_per_redemption_limit_caps_a_full_card() {
        // Known 10.00, nothing spent: min(10, 8, 5) = 5.
        assert_eq!(offline_allowance(dec!(10.00), dec!(0), LIMITS), dec!(5.00));
    }

    #[test]
    fn offline_the_per_card_limit_counts_what_was_spent() {
        // Known 10.00, 5.00 spent: min(5, 3, 5) = 3.
        assert_eq!(
            offline_allowance(dec!(10.00), dec!(5.00), LIMITS),
            dec!(3.00)
        );
    }

    #[test]
    fn offline_the_last_known_balance_bounds_the_allowance() {
        // Known 4.00, 1.50 spent: min(2.50, 6.50, 5) = 2.50.
        assert_eq!(
            offline_allowance(dec!(4.00), dec!(1.50), LIMITS),
            dec!(2.50)
        );
        // Spent beyond what was known: nothing, not a negative allowance.
        assert_eq!(offline_allowance(dec!(4.00), dec!(6.00), LIMITS), dec!(0));
    }

    #[test]
    fn an_offline_refusal_says_which_bound_refused() {
        let c = usd();
        let per = check_offline_redemption(dec!(6), dec!(10), dec!(0), LIMITS, c)
            .unwrap_err()
            .to_string();
        assert!(
            per.contains("one gift card redemption may take at most $ 5.00; $ 6.00 is more"),
            "{per}"
        );
        let card = check_offline_redemption(dec!(4), dec!(10), dec!(5), LIMITS, c)
            .unwrap_err()
            .to_string();
        assert!(card.contains("at most $ 8.00 from one card"), "{card}");
        assert!(card.contains("has taken $ 5.00"), "{card}");
        assert!(card.contains("$ 3.00 may be redeemed now"), "{card}");
        let known = check_offline_redemption(dec!(3), dec!(2), dec!(0), LIMITS, c)
            .unwrap_err()
            .to_string();
        assert!(known.contains("has $ 2.00 left"), "{known}");
        assert!(check_offline_redemption(dec!(5), dec!(10), dec!(0), LIMITS, c).is_ok());
    }

    #[test]
    fn no_limits_means_no_offline_spending() {
        assert_eq!(
            offline_allowance(dec!(10), dec!(0), OfflineLimits::NONE),
            dec!(0)
        );
    }

    #[test]
    fn negative_limits_are_refused() {
        let bad = OfflineLimits {
            per_redemption: dec!(-1),
            per_card: dec!(5),
        };
        assert!(bad.validate(usd()).is_err());
        assert!(LIMITS.validate(usd()).is_ok());
    }

    fn cents() -> impl Strategy<Value = Decimal> {
        (0i64..100_000).prop_map(|c| Decimal::new(c, 2))
    }

    fn sale_with_cards(
        items: &[Decimal],
        cards: &[GiftCardLine],
        discount: Option<crate::cart::Discount>,
        pay: &[(crate::payment::TenderMethod, Decimal)],
    ) -> Result<crate::sale::Sale, DomainError> {
        use crate::cart::Cart;
        use crate::catalog::{Item, Unit};
        use crate::payment::Payment;
        use crate::sale::{Sale, SaleContext};
        let rules = crate::tax::TaxRules::indonesia_retail();
        let mut cart = Cart::new(Currency::IDR);
        for (i, price) in items.iter().enumerate() {
            let gtins = ["8992388101016", "8990121011028", "8999999195649"];
            cart.add(
                &Item {
                    gtin: crate::gtin::Gtin::parse(gtins[i]).unwrap(),
                    sku: None,
                    name: format!("item {i}"),
                    price: *price,
                    tax_category: "ppn".into(),
                    unit: Unit::Each,
                    category: None,
                    stock: dec!(0),
                },
                dec!(1),
            )?;
        }
        if let Some(d) = discount {
            cart.add_discount(d)?;
        }
        let total = cart.totals(&rules)?.total + cards.iter().map(|c| c.amount).sum::<Decimal>();
        let mut payment = Payment::new(Currency::IDR, total, None);
        for (method, amount) in pay {
            payment.add(method.clone(), *amount)?;
        }
        let context = SaleContext {
            id: uuid::Uuid::nil(),
            device_id: "d".into(),
            completed_at: jiff::Timestamp::UNIX_EPOCH,
            business_date: jiff::civil::Date::constant(2026, 12, 4),
        };
        Sale::complete_with_gift_cards(context, &cart, &rules, &payment, cards)
    }

    fn card_line(kind: CardSaleKind, amount: Decimal) -> GiftCardLine {
        GiftCardLine::new(
            uuid::Uuid::from_u128(7),
            &CardNumber::parse("GC-7F3K-92QD").unwrap(),
            kind,
            amount,
            Currency::IDR,
        )
        .unwrap()
    }

    #[test]
    fn a_gift_card_sold_alone_is_a_sale_without_tax_or_discount() {
        use crate::payment::TenderMethod;
        let line = card_line(CardSaleKind::Issue, dec!(100000));
        let sale =
            sale_with_cards(&[], &[line], None, &[(TenderMethod::Cash, dec!(100000))]).unwrap();
        assert_eq!(sale.total, dec!(100000));
        assert_eq!(sale.tax_total, dec!(0));
        assert_eq!(sale.discount_total, dec!(0));
        assert!(sale.lines.is_empty());
        sale.verify().unwrap();
        let back: crate::sale::Sale =
            serde_json::from_str(&serde_json::to_string(&sale).unwrap()).unwrap();
        assert_eq!(back, sale);
    }

    #[test]
    fn a_gift_card_beside_items_is_outside_their_tax_and_discount() {
        use crate::cart::Discount;
        use crate::payment::TenderMethod;
        let line = card_line(CardSaleKind::Load, dec!(50000));
        let sale = sale_with_cards(
            &[dec!(11100)],
            &[line],
            Some(Discount::Percent(dec!(10))),
            &[(TenderMethod::Cash, dec!(100000))],
        )
        .unwrap();
        // The item: 11,100 less 10% = 9,990 with its PPN inside; the card adds 50,000.
        assert_eq!(sale.items_total, dec!(9990));
        assert_eq!(sale.discount_total, dec!(1110));
        assert_eq!(sale.total, dec!(59990));
        assert_eq!(sale.gift_cards_total(), dec!(50000));
        assert_eq!(sale.change, dec!(40010));
        sale.verify().unwrap();
        // Tampering with a card line's amount breaks the sum.
        let mut tampered = sale.clone();
        tampered.gift_cards[0].amount = dec!(40000);
        assert!(tampered.verify().is_err());
    }

    #[test]
    fn a_gift_card_tender_pays_part_and_never_makes_change() {
        use crate::payment::TenderMethod;
        let card = TenderMethod::gift_card(&CardNumber::parse("GC-7F3K-92QD").unwrap());
        let sale = sale_with_cards(
            &[dec!(30000)],
            &[],
            None,
            &[
                (card.clone(), dec!(20000)),
                (TenderMethod::Cash, dec!(10000)),
            ],
        )
        .unwrap();
        assert_eq!(sale.tenders[0].method.name(), "giftcard");
        assert_eq!(sale.tenders[0].applied(), dec!(20000));
        let err = sale_with_cards(&[dec!(30000)], &[], None, &[(card, dec!(30001))]).unwrap_err();
        assert!(err.to_string().contains("only cash makes change"), "{err}");
        let json = serde_json::to_value(&sale.tenders[0]).unwrap();
        assert_eq!(json["method"], "giftcard");
        assert_eq!(json["number"], "GC-7F3K-92QD");
    }

    #[test]
    fn a_card_line_must_be_a_positive_amount_on_a_valid_number() {
        let number = CardNumber::parse("GC-7F3K-92QD").unwrap();
        let id = uuid::Uuid::nil();
        assert!(
            GiftCardLine::new(id, &number, CardSaleKind::Issue, dec!(0), Currency::IDR).is_err()
        );
        assert!(
            GiftCardLine::new(id, &number, CardSaleKind::Load, dec!(-5), Currency::IDR).is_err()
        );
        assert!(
            GiftCardLine::new(id, &number, CardSaleKind::Load, dec!(0.5), Currency::IDR).is_err()
        );
        let mut line = card_line(CardSaleKind::Issue, dec!(1000));
        line.number = "nonsense".into();
        assert!(line.check(Currency::IDR).is_err());
    }

    proptest! {
        #[test]
        fn offline_redemptions_never_exceed_the_known_balance_or_the_card_limit(
            known in cents(),
            per_redemption in cents(),
            per_card in cents(),
            wanted in proptest::collection::vec(1i64..5_000, 1..40),
        ) {
            let limits = OfflineLimits { per_redemption, per_card };
            let mut spent = Decimal::ZERO;
            for cents in wanted {
                let amount = Decimal::new(cents, 2);
                if check_offline_redemption(amount, known, spent, limits, usd()).is_ok() {
                    prop_assert!(amount <= per_redemption);
                    spent += amount;
                }
            }
            prop_assert!(spent <= known);
            prop_assert!(spent <= per_card);
        }

        #[test]
        fn redemptions_checked_against_the_ledger_never_overdraw_it(
            issued in 1i64..100_000,
            wanted in proptest::collection::vec(1i64..10_000, 1..60),
        ) {
            let c = usd();
            let mut ledger = vec![entry_delta(EntryKind::Issue, Decimal::new(issued, 2), c)
                .unwrap()];
            for cents in wanted {
                let amount = Decimal::new(cents, 2);
                if check_redemption(balance(ledger.iter().copied()), amount, c).is_ok() {
                    ledger.push(entry_delta(EntryKind::Redeem, amount, c).unwrap());
                }
            }
            prop_assert!(balance(ledger.iter().copied()) >= Decimal::ZERO);
        }

        #[test]
        fn every_generated_number_parses_back_to_itself(bits in any::<[u8; 5]>()) {
            let number = CardNumber::from_random(bits);
            prop_assert_eq!(CardNumber::parse(number.as_str()).unwrap(), number.clone());
            prop_assert_eq!(CardNumber::parse(&number.kasir_code()).unwrap(), number);
        }
    }
}
