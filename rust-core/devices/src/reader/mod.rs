//! Card readers: the protocol layer the register talks to, whatever the vendor.
//!
//! A vendor adapter is one module implementing [`CardReader`] over a [`crate::ble::BleLink`];
//! [`reference`] is the reference adapter (Kasir's own framing) with a simulated reader that
//! speaks it. A reader's result is read through [`tlv::EmvData::parse`], which drops the card
//! number, so nothing past the adapter ever holds one: the core keeps the approval code, the
//! brand and the last four digits.

pub mod offline;
pub mod reference;
pub mod tlv;

use std::time::Duration;

use async_trait::async_trait;
use kasir_domain::Decimal;
use kasir_domain::money::Currency;
use rust_decimal::prelude::ToPrimitive;

use crate::DeviceError;
use tlv::EmvData;

/// What the reader is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderState {
    /// Ready for a payment.
    Idle,
    /// Busy with a payment.
    Busy,
    /// Updating itself; cannot take payments.
    Updating,
}

/// A reader's state and battery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderInfo {
    /// What it is doing.
    pub state: ReaderState,
    /// Battery charge in percent.
    pub battery_percent: u8,
    /// Whether it is on its charger.
    pub charging: bool,
}

/// A payment to take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    /// The amount, without tip.
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
    /// Tip percentages the reader offers the customer (table service); empty for none.
    pub tip_percents: Vec<u8>,
    /// The sale's reference, echoed in the reader's records.
    pub reference: String,
}

impl PaymentRequest {
    /// Checks the request before anything is sent; returns the amount in minor units.
    pub fn validate(&self) -> Result<u64, DeviceError> {
        if self.amount <= Decimal::ZERO {
            return Err(DeviceError::invalid("amount", "must be more than zero"));
        }
        self.currency
            .check_scale("amount", self.amount)
            .map_err(|e| DeviceError::invalid("amount", e.to_string()))?;
        if self.tip_percents.len() > 4 {
            return Err(DeviceError::invalid("tip", "at most 4 tip choices"));
        }
        if let Some(p) = self.tip_percents.iter().find(|p| **p == 0 || **p > 50) {
            return Err(DeviceError::invalid(
                "tip",
                format!("{p}% is not a tip choice (1 to 50)"),
            ));
        }
        if self.reference.len() > 64 || !self.reference.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(DeviceError::invalid(
                "reference",
                "at most 64 printable ASCII characters",
            ));
        }
        to_minor(self.amount, self.currency)
    }
}

/// A refund of an earlier card payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// The amount to give back.
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
    /// The approval code of the payment refunded.
    pub approval_code: String,
}

/// An amount as a whole number of minor units (refused if it is not one).
pub fn to_minor(amount: Decimal, currency: Currency) -> Result<u64, DeviceError> {
    currency
        .check_scale("amount", amount)
        .map_err(|e| DeviceError::invalid("amount", e.to_string()))?;
    let scale = Decimal::from(10u64.pow(currency.minor_units()));
    (amount * scale)
        .to_u64()
        .ok_or_else(|| DeviceError::invalid("amount", "out of range for a card payment"))
}

/// Minor units back to an amount.
pub fn from_minor(minor: u64, currency: Currency) -> Decimal {
    Decimal::from_i128_with_scale(i128::from(minor), currency.minor_units())
}

/// What the reader asks of the customer or says it is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Tap, insert or swipe the card.
    PresentCard,
    /// Choose a tip.
    ChooseTip,
    /// Enter the PIN.
    EnterPin,
    /// Talking to the card or the acquirer.
    Processing,
    /// Take the card out.
    RemoveCard,
}

impl Prompt {
    /// What the register shows.
    pub fn text(self) -> &'static str {
        match self {
            Prompt::PresentCard => "present the card",
            Prompt::ChooseTip => "customer is choosing a tip",
            Prompt::EnterPin => "customer is entering the PIN",
            Prompt::Processing => "processing",
            Prompt::RemoveCard => "remove the card",
        }
    }
}

/// How a payment or refund ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Approved by the issuer, online.
    Approved,
    /// Approved by the card and reader offline; to be forwarded (store and forward).
    ApprovedOffline,
    /// Declined.
    Declined,
    /// Cancelled before the card was charged.
    Cancelled,
}

/// A reader's result, with no card number in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardResult {
    /// How it ended.
    pub outcome: Outcome,
    /// The approval code (approved payments and refunds).
    pub approval_code: Option<String>,
    /// The card's brand (`VISA`, `MASTERCARD`, `GPN`).
    pub brand: Option<String>,
    /// The card's last four digits.
    pub last_four: Option<String>,
    /// The tip the customer chose, in the payment's currency.
    pub tip: Decimal,
    /// The reader's message (why it was declined).
    pub message: Option<String>,
    /// The EMV data, card number removed.
    pub emv: EmvData,
}

/// What following a payment yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderEvent {
    /// A step of the payment.
    Prompt(Prompt),
    /// The end of the payment.
    Finished(CardResult),
}

/// A card reader, as a vendor adapter drives it.
#[async_trait]
pub trait CardReader: Send {
    /// Connects and reads the reader's state.
    async fn connect(&mut self) -> Result<ReaderInfo, DeviceError>;

    /// The reader's state and battery.
    async fn info(&mut self) -> Result<ReaderInfo, DeviceError>;

    /// Starts a payment; follow it with [`CardReader::next_event`].
    async fn start_payment(&mut self, request: &PaymentRequest) -> Result<(), DeviceError>;

    /// The next event of the payment under way, or `None` if none came within `timeout`.
    async fn next_event(&mut self, timeout: Duration) -> Result<Option<ReaderEvent>, DeviceError>;

    /// Asks the reader to cancel the payment under way; its result follows as an event.
    async fn cancel(&mut self) -> Result<(), DeviceError>;

    /// Refunds an earlier payment.
    async fn refund(&mut self, request: &RefundRequest) -> Result<CardResult, DeviceError>;

    /// Disconnects.
    async fn disconnect(&mut self) -> Result<(), DeviceError>;
}

/// Takes a payment from start to result, telling `on_prompt` each step. A reader silent for
/// `timeout` is asked to cancel, and the error says so.
pub async fn take_payment(
    reader: &mut dyn CardReader,
    request: &PaymentRequest,
    timeout: Duration,
    mut on_prompt: impl FnMut(Prompt) + Send,
) -> Result<CardResult, DeviceError> {
    reader.start_payment(request).await?;
    loop {
        match reader.next_event(timeout).await? {
            Some(ReaderEvent::Prompt(p)) => on_prompt(p),
            Some(ReaderEvent::Finished(result)) => {
                tracing::info!(outcome = ?result.outcome, "card payment finished");
                return Ok(result);
            }
            None => {
                let _ = reader.cancel().await;
                return Err(DeviceError::Timeout {
                    target: "card reader".into(),
                    during: "waiting for the payment",
                    after: timeout,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn request(amount: Decimal) -> PaymentRequest {
        PaymentRequest {
            amount,
            currency: Currency::USD,
            tip_percents: vec![10, 15],
            reference: "D01-000001".into(),
        }
    }

    #[test]
    fn amount_goes_to_the_reader_in_minor_units() {
        assert_eq!(request(dec!(12.34)).validate().expect("valid"), 1234);
        assert_eq!(to_minor(dec!(35000), Currency::IDR).expect("valid"), 35000);
    }

    #[test]
    fn amount_with_more_decimals_than_the_currency_is_refused() {
        let e = request(dec!(1.005)).validate().expect_err("three decimals");
        assert!(e.to_string().starts_with("amount"), "{e}");
    }

    #[test]
    fn zero_amount_and_silly_tips_are_refused() {
        assert!(request(dec!(0)).validate().is_err());
        let mut r = request(dec!(10));
        r.tip_percents = vec![80];
        assert!(r.validate().expect_err("80%").to_string().contains("80%"));
    }

    #[test]
    fn minor_units_come_back_exactly() {
        assert_eq!(from_minor(1234, Currency::USD), dec!(12.34));
        assert_eq!(from_minor(35000, Currency::IDR), dec!(35000));
    }
}
