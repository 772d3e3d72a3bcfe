//! Tenders and the payment of a sale.
//!
//! A sale is paid by one or more tenders. Card and QR tenders are recorded at the amount the
//! terminal or the provider charged, which can never be more than what is still due; only cash
//! makes change. A tender exactly equal to what is due is always accepted (the comparison is
//! exact, on decimals). When the store rounds cash, the rounding applies to the cash that
//! settles the sale, and is recorded as an adjustment of its own.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::money::Currency;
use crate::rounding::{Rounding, round, round_to_increment};

/// How a tender was paid, with what the record needs and nothing more: never a full card
/// number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum TenderMethod {
    /// Notes and coins.
    Cash,
    /// A card charged on an external terminal.
    Card {
        /// The terminal's approval code.
        approval_code: String,
        /// The last four digits of the card, for the receipt and for matching.
        last4: String,
        /// The card scheme, for example `VISA` or `GPN`.
        brand: String,
    },
    /// A QR payment (QRIS and the like).
    Qr {
        /// The provider's or the acquirer's reference.
        reference: String,
    },
    /// A gift card of the store's merchant (see [`crate::giftcard`]).
    #[serde(rename = "giftcard")]
    GiftCard {
        /// The card number, `GC-XXXX-XXXX` (receipts print it masked).
        number: String,
    },
}

impl TenderMethod {
    /// A card tender, checked: `last4` must be exactly four digits (a longer number is refused
    /// rather than stored), the approval code one to twelve letters or digits.
    pub fn card(
        approval_code: &str,
        last4: &str,
        brand: &str,
    ) -> Result<TenderMethod, DomainError> {
        let approval_code = approval_code.trim();
        if approval_code.is_empty()
            || approval_code.len() > 12
            || !approval_code.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(DomainError::invalid(
                "approval",
                "must be 1 to 12 letters or digits",
            ));
        }
        let last4 = last4.trim();
        if last4.len() != 4 || !last4.bytes().all(|b| b.is_ascii_digit()) {
            // Say nothing about the value: it may be a full card number typed by mistake.
            return Err(DomainError::invalid(
                "last4",
                "must be exactly the last four digits of the card",
            ));
        }
        let brand = brand.trim().to_ascii_uppercase();
        if brand.is_empty()
            || brand.len() > 20
            || !brand
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b' ')
        {
            return Err(DomainError::invalid(
                "brand",
                "must be 1 to 20 letters or digits, for example VISA",
            ));
        }
        Ok(TenderMethod::Card {
            approval_code: approval_code.to_string(),
            last4: last4.to_string(),
            brand,
        })
    }

    /// A QR tender with the provider's `reference` (1 to 64 printable characters).
    pub fn qr(reference: &str) -> Result<TenderMethod, DomainError> {
        let reference = reference.trim();
        if reference.is_empty()
            || reference.len() > 64
            || !reference.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(DomainError::invalid(
                "reference",
                "must be 1 to 64 printable characters without spaces",
            ));
        }
        Ok(TenderMethod::Qr {
            reference: reference.to_string(),
        })
    }

    /// A gift card tender paid from `number`.
    pub fn gift_card(number: &crate::giftcard::CardNumber) -> TenderMethod {
        TenderMethod::GiftCard {
            number: number.as_str().to_string(),
        }
    }

    /// `cash`, `card`, `qr` or `giftcard`.
    pub fn name(&self) -> &'static str {
        match self {
            TenderMethod::Cash => "cash",
            TenderMethod::Card { .. } => "card",
            TenderMethod::Qr { .. } => "qr",
            TenderMethod::GiftCard { .. } => "giftcard",
        }
    }
}

/// One tender of a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Tender {
    /// How it was paid.
    #[serde(flatten)]
    pub method: TenderMethod,
    /// What was handed over or charged.
    pub amount: Decimal,
    /// Cash given back (zero for card and QR).
    pub change: Decimal,
}

impl Tender {
    /// What the tender paid toward the sale: `amount - change`.
    pub fn applied(&self) -> Decimal {
        self.amount - self.change
    }
}

/// Rounding of the cash that settles a sale, for example to Rp 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CashRounding {
    /// The smallest cash amount handled, for example 100.
    pub increment: Decimal,
    /// How an amount between two increments is rounded.
    pub rounding: Rounding,
}

/// The payment of one sale, tender by tender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    currency: Currency,
    total: Decimal,
    cash_rounding: Option<CashRounding>,
    rounding_adjustment: Decimal,
    tenders: Vec<Tender>,
}

impl Payment {
    /// Starts paying `total` in `currency`.
    pub fn new(currency: Currency, total: Decimal, cash_rounding: Option<CashRounding>) -> Payment {
        let zero = round(Decimal::ZERO, currency.minor_units(), Rounding::Down);
        Payment {
            currency,
            total,
            cash_rounding,
            rounding_adjustment: zero,
            tenders: Vec::new(),
        }
    }

    /// The sale total being paid, before cash rounding.
    pub fn total(&self) -> Decimal {
        self.total
    }

    /// The cash rounding applied (positive when the customer paid more than the total).
    pub fn rounding_adjustment(&self) -> Decimal {
        self.rounding_adjustment
    }

    /// What the tenders must cover: the total plus the cash rounding.
    pub fn amount_due(&self) -> Decimal {
        self.total + self.rounding_adjustment
    }

    /// The tenders so far.
    pub fn tenders(&self) -> &[Tender] {
        &self.tenders
    }

    /// What is still to pay.
    pub fn remaining(&self) -> Decimal {
        self.amount_due() - self.tenders.iter().map(Tender::applied).sum::<Decimal>()
    }

    /// Whether the tenders cover the sale.
    pub fn is_paid(&self) -> bool {
        self.remaining() <= Decimal::ZERO
    }

    /// Cash given back over all tenders.
    pub fn change(&self) -> Decimal {
        self.tenders.iter().map(|t| t.change).sum::<Decimal>() + self.zero()
    }

    /// What the cash to settle the sale now would be, after cash rounding.
    pub fn cash_due(&self) -> Decimal {
        let remaining = self.remaining();
        match self.cash_rounding {
            Some(r) => round_to_increment(
                remaining,
                r.increment,
                self.currency.minor_units(),
                r.rounding,
            ),
            None => remaining,
        }
    }

    fn zero(&self) -> Decimal {
        round(Decimal::ZERO, self.currency.minor_units(), Rounding::Down)
    }

    /// Records a tender of `amount` by `method` and returns it as recorded (with its change).
    /// Refused, changing nothing: a sale already paid, an amount not positive or with too many
    /// decimals, or a card or QR amount above what is still due.
    pub fn add(&mut self, method: TenderMethod, amount: Decimal) -> Result<&Tender, DomainError> {
        if self.is_paid() {
            return Err(DomainError::not_allowed("the sale is already paid"));
        }
        self.currency.check_scale("amount", amount)?;
        if amount <= Decimal::ZERO {
            return Err(DomainError::invalid("amount", "must be more than zero"));
        }
        let mut amount = amount;
        amount.rescale(self.currency.minor_units());
        let remaining = self.remaining();

        let tender = match method {
            TenderMethod::Cash => {
                let cash_due = self.cash_due();
                if amount >= cash_due {
                    self.rounding_adjustment += cash_due - remaining;
                    Tender {
                        method,
                        amount,
                        change: amount - cash_due,
                    }
                } else {
                    Tender {
                        method,
                        amount,
                        change: self.zero(),
                    }
                }
            }
            TenderMethod::Card { .. } | TenderMethod::Qr { .. } | TenderMethod::GiftCard { .. } => {
                if amount > remaining {
                    return Err(DomainError::invalid(
                        "amount",
                        format!(
                            "{} of {} is more than the {} still due; only cash makes change",
                            method.name(),
                            self.currency.display(amount),
                            self.currency.display(remaining)
                        ),
                    ));
                }
                Tender {
                    method,
                    amount,
                    change: self.zero(),
                }
            }
        };
        self.tenders.push(tender);
        Ok(self.tenders.last().expect("just pushed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn card() -> TenderMethod {
        TenderMethod::card("A1B2C3", "4242", "visa").unwrap()
    }

    #[test]
    fn a_tender_equal_to_the_total_is_always_accepted() {
        // Case M-05: 2.25 + 1.45 + tax 0.08 = 3.78; a card of 3.78 settles it exactly.
        let total = dec!(2.25) + dec!(1.45) + dec!(0.08);
        let mut payment = Payment::new(Currency::USD, total, None);
        payment.add(card(), dec!(3.78)).unwrap();
        assert!(payment.is_paid());
        assert_eq!(payment.remaining(), dec!(0.00));
        assert_eq!(payment.change(), dec!(0.00));
    }

    #[test]
    fn split_tender_is_judged_on_the_sum() {
        // Case M-06: 10,000 = cash 4,000 + card 6,000.
        let mut payment = Payment::new(Currency::IDR, dec!(10000), None);
        payment.add(TenderMethod::Cash, dec!(4000)).unwrap();
        assert!(!payment.is_paid());
        assert_eq!(payment.remaining(), dec!(6000));
        payment.add(card(), dec!(6000)).unwrap();
        assert!(payment.is_paid());
        assert_eq!(payment.change(), dec!(0));
        let paid: Decimal = payment.tenders().iter().map(Tender::applied).sum();
        assert_eq!(paid, dec!(10000));
    }

    #[test]
    fn only_cash_makes_change() {
        let mut payment = Payment::new(Currency::IDR, dec!(10000), None);
        let err = payment.add(card(), dec!(12000)).unwrap_err();
        assert!(err.to_string().contains("only cash makes change"), "{err}");
        assert!(payment.tenders().is_empty());
        let tender = payment.add(TenderMethod::Cash, dec!(50000)).unwrap();
        assert_eq!(tender.change, dec!(40000));
        assert!(payment.add(TenderMethod::Cash, dec!(1)).is_err());
    }

    #[test]
    fn cash_rounding_applies_to_the_cash_that_settles() {
        let rounding = Some(CashRounding {
            increment: dec!(100),
            rounding: Rounding::HalfAwayFromZero,
        });
        let mut payment = Payment::new(Currency::IDR, dec!(35050), rounding);
        assert_eq!(payment.cash_due(), dec!(35100));
        payment.add(TenderMethod::Cash, dec!(50000)).unwrap();
        assert_eq!(payment.rounding_adjustment(), dec!(50));
        assert_eq!(payment.change(), dec!(14900));
        assert_eq!(payment.amount_due(), dec!(35100));

        // A card pays the exact amount; no rounding.
        let mut payment = Payment::new(Currency::IDR, dec!(35050), rounding);
        payment.add(card(), dec!(35050)).unwrap();
        assert_eq!(payment.rounding_adjustment(), dec!(0));
    }

    #[test]
    fn a_full_card_number_is_never_accepted() {
        let err = TenderMethod::card("123456", "4111111111111111", "VISA").unwrap_err();
        assert!(!err.to_string().contains("4111"), "{err}");
        assert!(TenderMethod::card("", "4242", "VISA").is_err());
        assert!(TenderMethod::qr("has space").is_err());
    }

    #[test]
    fn bad_amounts_change_nothing() {
        let mut payment = Payment::new(Currency::IDR, dec!(10000), None);
        assert!(payment.add(TenderMethod::Cash, dec!(0)).is_err());
        assert!(payment.add(TenderMethod::Cash, dec!(100.5)).is_err());
        assert!(payment.tenders().is_empty());
        assert_eq!(payment.remaining(), dec!(10000));
    }
}
