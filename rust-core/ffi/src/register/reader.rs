//! A card payment of the open sale taken on the paired card reader, with tip choices on the
//! reader for table service.
//!
//! A [`PaymentReader`] is either the simulated reader (the desktop app and tests; the caller
//! chooses what the card does and which tip the customer picks) or the reference reader over
//! the phone's GATT link to it. The app owns that link (Android's `BluetoothGatt`, iOS's
//! `CBPeripheral`): it connects, finds the reader's service ([`card_reader_service`]),
//! subscribes to the event characteristic and hands the core a [`CardReaderLink`] that writes
//! to the command characteristic; every notification of the event characteristic goes back in
//! through [`PaymentReader::notify`]. The core does the framing, the chunking and the reading
//! of the result with the same adapter the CLI uses (`kasir_devices::reader::reference`), so
//! no card number ever leaves it: the result holds the approval code, the brand and the last
//! four digits.
//!
//! [`Register::pay_with_reader`] blocks its caller until the payment ends (run it off the UI
//! thread); the reader's prompts reach the app through a [`CardReaderListener`]. An approval is
//! recorded as the sale's card tender for the amount and the tip, and a tip chosen on the
//! reader becomes the sale's tip, taken as including its tax under a tip tax (the reader adds
//! the tip to what it charges and cannot add tax on top). Declined or cancelled: nothing is
//! recorded and the error says so.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use kasir_devices::DeviceError;
use kasir_devices::ble::sim::{SimConfig, SimLink, SimPeripheral};
use kasir_devices::ble::{BleLink, CharacteristicInfo, Discovered, WriteKind};
use kasir_devices::reader::reference::{
    COMMAND, EVENTS, ReferenceReader, SERVICE, SimCard, SimulatedReader, characteristics,
};
use kasir_devices::reader::{CardReader, CardResult, Outcome, PaymentRequest, Prompt, ReaderEvent};
use kasir_domain::Decimal;
use kasir_domain::cart::ChargeKind;
use kasir_domain::payment::TenderMethod;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::{Register, new_payment, view};
use crate::ble_print::BleLinkError;
use crate::error::KasirError;
use crate::runtime::runtime;
use crate::views::CartView;

/// How long the reader may stay silent during a payment before the payment is cancelled.
const SILENCE: Duration = Duration::from_secs(90);
/// How often a payment under way looks for a cancellation asked by the app.
const POLL: Duration = Duration::from_millis(200);
/// The simulated reader's address.
const SIM_ADDRESS: &str = "SIM-READER";

/// What the reader asks of the customer or says, for the payment screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ReaderPrompt {
    /// Tap, insert or swipe the card.
    PresentCard,
    /// The customer is choosing a tip.
    ChooseTip,
    /// The customer is entering the PIN.
    EnterPin,
    /// The reader is talking to the card or the bank.
    Processing,
    /// Take the card out.
    RemoveCard,
    /// The payment was approved (it is being recorded).
    Approved,
    /// The card was declined.
    Declined,
    /// The payment was cancelled.
    Cancelled,
}

impl From<Prompt> for ReaderPrompt {
    fn from(p: Prompt) -> Self {
        match p {
            Prompt::PresentCard => ReaderPrompt::PresentCard,
            Prompt::ChooseTip => ReaderPrompt::ChooseTip,
            Prompt::EnterPin => ReaderPrompt::EnterPin,
            Prompt::Processing => ReaderPrompt::Processing,
            Prompt::RemoveCard => ReaderPrompt::RemoveCard,
        }
    }
}

/// Told each step of a card payment on the reader, on the thread that called
/// [`Register::pay_with_reader`].
#[uniffi::export(with_foreign)]
pub trait CardReaderListener: Send + Sync {
    /// The reader's latest prompt.
    fn on_prompt(&self, prompt: ReaderPrompt);
}

/// The phone's connected GATT link to the reader: connected, service discovered, MTU
/// negotiated and notifications of the event characteristic turned on before it is handed over.
#[uniffi::export(with_foreign)]
pub trait CardReaderLink: Send + Sync {
    /// The negotiated ATT MTU (23 when none was negotiated).
    fn mtu(&self) -> u16;
    /// Writes `chunk` to the command characteristic, with response; returns once the reader
    /// acknowledged it. Called one chunk at a time, in order, off the UI thread.
    fn write(&self, chunk: Vec<u8>) -> Result<(), BleLinkError>;
}

/// The reader's GATT service and its two characteristics, as lower-case UUID strings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CardReaderService {
    /// The service to scan for and discover.
    pub service: String,
    /// The characteristic commands are written to.
    pub command: String,
    /// The characteristic whose notifications go to [`PaymentReader::notify`].
    pub events: String,
}

/// The reference card reader's service, for the app's scan and discovery.
#[uniffi::export]
pub fn card_reader_service() -> CardReaderService {
    CardReaderService {
        service: SERVICE.to_string(),
        command: COMMAND.to_string(),
        events: EVENTS.to_string(),
    }
}

/// What the simulated reader's card does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SimulatedCard {
    /// Approved.
    Approve,
    /// Declined by the bank.
    Decline,
    /// The customer cancels on the reader instead of presenting the card.
    CustomerCancels,
}

/// The app's link as the devices crate's Bluetooth LE link: already connected and subscribed,
/// with the reader's two characteristics; notifications come in through a channel.
struct ForeignReaderLink {
    link: Arc<dyn CardReaderLink>,
    notifications: mpsc::UnboundedReceiver<Vec<u8>>,
}

#[async_trait]
impl BleLink for ForeignReaderLink {
    async fn scan(
        &mut self,
        _services: &[Uuid],
        _timeout: Duration,
    ) -> Result<Vec<Discovered>, DeviceError> {
        // The app scans and connects; the core only gets the connected link.
        Ok(Vec::new())
    }

    async fn connect(&mut self, _address: &str) -> Result<(), DeviceError> {
        // Bytes of an earlier payment that the app pushed late are not this payment's.
        while self.notifications.try_recv().is_ok() {}
        Ok(())
    }

    async fn is_connected(&mut self) -> bool {
        true
    }

    fn characteristics(&self) -> Vec<CharacteristicInfo> {
        characteristics()
    }

    fn mtu(&self) -> u16 {
        self.link.mtu()
    }

    fn max_write_without_response(&self) -> Option<usize> {
        None
    }

    async fn write(
        &mut self,
        _characteristic: &CharacteristicInfo,
        data: &[u8],
        _kind: WriteKind,
    ) -> Result<(), DeviceError> {
        self.link
            .write(data.to_vec())
            .map_err(|BleLinkError::WriteFailed { reason }| DeviceError::Bluetooth(reason))
    }

    async fn subscribe(&mut self, _characteristic: &CharacteristicInfo) -> Result<(), DeviceError> {
        Ok(())
    }

    async fn next_notification(
        &mut self,
        timeout: Duration,
    ) -> Result<Option<Vec<u8>>, DeviceError> {
        match tokio::time::timeout(timeout, self.notifications.recv()).await {
            Ok(Some(bytes)) => Ok(Some(bytes)),
            Ok(None) => Err(DeviceError::Bluetooth(
                "the reader's link was closed".into(),
            )),
            Err(_) => Ok(None),
        }
    }

    async fn disconnect(&mut self) -> Result<(), DeviceError> {
        // The app keeps its connection to the paired reader for the next payment.
        Ok(())
    }
}

enum Device {
    Simulated {
        reader: Box<ReferenceReader<SimLink<SimulatedReader>>>,
        sim: SimPeripheral<SimulatedReader>,
        tip_percent: Option<u32>,
        customer_cancels: bool,
    },
    Linked(Box<ReferenceReader<ForeignReaderLink>>),
}

/// A card reader a sale can be paid on: the simulated one or the paired one over the phone's
/// link. One payment at a time.
#[derive(uniffi::Object)]
pub struct PaymentReader {
    device: Mutex<Device>,
    notifications: Option<mpsc::UnboundedSender<Vec<u8>>>,
    cancel: AtomicBool,
}

#[uniffi::export]
impl PaymentReader {
    /// The simulated reader: its card does `card` and the customer picks the tip choice
    /// `tip_percent` (one of those offered; `None` for no tip).
    #[uniffi::constructor]
    pub fn simulated(card: SimulatedCard, tip_percent: Option<u32>) -> Arc<PaymentReader> {
        let mut device = SimulatedReader::default();
        device.card = match card {
            SimulatedCard::Approve => SimCard::Approve,
            SimulatedCard::Decline => SimCard::Decline,
            SimulatedCard::CustomerCancels => SimCard::NeverPresented,
        };
        let sim = SimPeripheral::new(
            device,
            SimConfig {
                mtu: 185,
                address: SIM_ADDRESS.into(),
                ..SimConfig::default()
            },
        );
        let reader = ReferenceReader::new(sim.link(), SIM_ADDRESS);
        Arc::new(PaymentReader {
            device: Mutex::new(Device::Simulated {
                reader: Box::new(reader),
                sim,
                tip_percent,
                customer_cancels: card == SimulatedCard::CustomerCancels,
            }),
            notifications: None,
            cancel: AtomicBool::new(false),
        })
    }

    /// The paired reference reader behind the app's connected `link`.
    #[uniffi::constructor]
    pub fn over_link(link: Arc<dyn CardReaderLink>) -> Arc<PaymentReader> {
        let (sender, receiver) = mpsc::unbounded_channel();
        let link = ForeignReaderLink {
            link,
            notifications: receiver,
        };
        Arc::new(PaymentReader {
            device: Mutex::new(Device::Linked(Box::new(ReferenceReader::new(
                link, "reader",
            )))),
            notifications: Some(sender),
            cancel: AtomicBool::new(false),
        })
    }

    /// One notification of the reader's event characteristic, as the platform received it.
    /// Refused for the simulated reader, which has no link.
    pub fn notify(&self, bytes: Vec<u8>) -> Result<(), KasirError> {
        let sender = self
            .notifications
            .as_ref()
            .ok_or_else(|| KasirError::NotAllowed {
                reason: "the simulated card reader takes no notifications".into(),
            })?;
        // A closed channel means the reader object is going away; the bytes have no payment.
        let _ = sender.send(bytes);
        Ok(())
    }

    /// Asks the reader to cancel the payment under way (the clerk's Cancel button); the
    /// payment then ends with [`KasirError::Cancelled`] unless the card was already charged.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }
}

/// Drives one payment on `reader`, telling `listener` each prompt. A cancellation asked through
/// `cancel` (by the clerk, or by the simulated customer at the first prompt) goes to the
/// reader, whose result then ends the payment; a reader silent for [`SILENCE`] is cancelled and
/// the error says so.
async fn drive(
    reader: &mut dyn CardReader,
    request: &PaymentRequest,
    listener: &dyn CardReaderListener,
    cancel: &AtomicBool,
    customer_cancels: bool,
) -> Result<CardResult, DeviceError> {
    reader.connect().await?;
    reader.start_payment(request).await?;
    let mut silent = Duration::ZERO;
    let mut cancel_sent = false;
    let result = loop {
        if !cancel_sent && cancel.load(Ordering::SeqCst) {
            reader.cancel().await?;
            cancel_sent = true;
        }
        match reader.next_event(POLL).await? {
            Some(ReaderEvent::Prompt(prompt)) => {
                silent = Duration::ZERO;
                listener.on_prompt(prompt.into());
                if customer_cancels && prompt == Prompt::PresentCard {
                    cancel.store(true, Ordering::SeqCst);
                }
            }
            Some(ReaderEvent::Finished(result)) => break result,
            None => {
                silent += POLL;
                if silent >= SILENCE {
                    if !cancel_sent {
                        let _ = reader.cancel().await;
                    }
                    let _ = reader.disconnect().await;
                    return Err(DeviceError::Timeout {
                        target: "card reader".into(),
                        during: "waiting for the payment",
                        after: SILENCE,
                    });
                }
            }
        }
    };
    let _ = reader.disconnect().await;
    tracing::info!(outcome = ?result.outcome, "card payment on the reader finished");
    Ok(result)
}

/// The tip choices offered on the reader, checked as the reader checks them.
fn tip_choices(percents: &[u32]) -> Result<Vec<u8>, KasirError> {
    percents
        .iter()
        .map(|p| {
            u8::try_from(*p)
                .ok()
                .filter(|p| (1..=50).contains(p))
                .ok_or_else(|| {
                    KasirError::invalid("tip", format!("{p}% is not a tip choice (1 to 50)"))
                })
        })
        .collect()
}

/// The sale's due amount as it stands, and whether no tender has been taken yet.
fn due_now(sale: &super::OpenSale) -> Result<(Decimal, bool), KasirError> {
    Ok(match &sale.payment {
        Some(p) => (p.remaining(), false),
        None => (new_payment(sale)?.remaining(), true),
    })
}

#[uniffi::export]
impl Register {
    /// Takes a card payment of `amount` (what is still due without one) on `reader`, offering
    /// the customer the tip choices `tip_percents` (at most four, 1 to 50; empty for none),
    /// and tells `listener` each prompt of the reader. Blocks until the payment ends: call it
    /// off the UI thread. An approval is recorded as a card tender of the amount and the tip
    /// with the reader's approval code, brand and last four digits, and the tip becomes the
    /// sale's tip (including its tax, under a tip tax). Tip choices need the card to pay the
    /// whole sale as its first payment, on a sale without a tip. A declined card is
    /// [`KasirError::Declined`], a cancelled payment [`KasirError::Cancelled`]; neither records
    /// anything, and neither does a refusal before the reader was asked.
    pub fn pay_with_reader(
        &self,
        reader: Arc<PaymentReader>,
        amount: Option<Decimal>,
        tip_percents: Vec<u32>,
        listener: Arc<dyn CardReaderListener>,
    ) -> Result<CartView, KasirError> {
        let tips = tip_choices(&tip_percents)?;
        let (request, due, fresh) = {
            let sale = self.open()?;
            if sale.cart.is_empty() {
                return Err(KasirError::NotAllowed {
                    reason: "the sale has no items".into(),
                });
            }
            let (due, fresh) = due_now(&sale)?;
            if due <= Decimal::ZERO {
                return Err(KasirError::NotAllowed {
                    reason: "nothing is due: complete the sale".into(),
                });
            }
            let amount = amount.unwrap_or(due);
            if amount <= Decimal::ZERO || amount > due {
                return Err(KasirError::invalid(
                    "amount",
                    format!("a card payment must be more than zero and at most the {due} due"),
                ));
            }
            if !tips.is_empty() {
                if !fresh || amount != due {
                    return Err(KasirError::invalid(
                        "tip",
                        "tip choices on the reader need the card to pay the whole sale as its \
                         only payment",
                    ));
                }
                if sale
                    .cart
                    .charges()
                    .iter()
                    .any(|c| c.kind == ChargeKind::Tip)
                {
                    return Err(KasirError::invalid(
                        "tip",
                        "tip choices on the reader are not offered when the sale already has a \
                         tip",
                    ));
                }
            }
            let reference = self.shared.store()?.device()?.code.clone();
            let request = PaymentRequest {
                amount,
                currency: sale.settings.currency,
                tip_percents: tips,
                reference,
            };
            (request, due, fresh)
        };
        request
            .validate()
            .map_err(|e| KasirError::invalid("card payment", e.to_string()))?;
        let mut device = reader.device.lock().map_err(|_| KasirError::Internal {
            reason: "an earlier payment on this reader panicked".into(),
        })?;
        reader.cancel.store(false, Ordering::SeqCst);
        let outcome = match &mut *device {
            Device::Simulated {
                reader: sim_reader,
                sim,
                tip_percent,
                customer_cancels,
            } => {
                let choice = match tip_percent {
                    None => None,
                    Some(pick) => Some(
                        request
                            .tip_percents
                            .iter()
                            .position(|p| u32::from(*p) == *pick)
                            .ok_or_else(|| {
                                KasirError::invalid(
                                    "tip",
                                    format!(
                                        "the simulated customer's {pick}% is not one of the tip \
                                         choices offered"
                                    ),
                                )
                            })?,
                    ),
                };
                sim.with_device(|d| d.tip_choice = choice);
                let customer_cancels = *customer_cancels;
                runtime().block_on(drive(
                    sim_reader.as_mut(),
                    &request,
                    listener.as_ref(),
                    &reader.cancel,
                    customer_cancels,
                ))
            }
            Device::Linked(linked) => runtime().block_on(drive(
                linked.as_mut(),
                &request,
                listener.as_ref(),
                &reader.cancel,
                false,
            )),
        };
        drop(device);
        let result = outcome.map_err(|e| KasirError::DeviceUnavailable {
            reason: format!("card reader: {e}"),
        })?;
        match result.outcome {
            Outcome::Approved => {}
            Outcome::ApprovedOffline => {
                listener.on_prompt(ReaderPrompt::Approved);
                return Err(charged(
                    result.approval_code.as_deref(),
                    "it was approved offline, which this app does not keep",
                ));
            }
            Outcome::Declined => {
                listener.on_prompt(ReaderPrompt::Declined);
                return Err(KasirError::Declined {
                    reason: format!(
                        "the card was declined ({}): nothing was charged",
                        result.message.as_deref().unwrap_or("no reason given")
                    ),
                });
            }
            Outcome::Cancelled => {
                listener.on_prompt(ReaderPrompt::Cancelled);
                return Err(KasirError::Cancelled);
            }
        }
        listener.on_prompt(ReaderPrompt::Approved);
        self.record_reader_payment(request.amount, due, fresh, &result)
    }
}

/// The error for an approval that cannot be recorded: the card was charged, so the clerk must
/// reverse it on the reader.
fn charged(approval_code: Option<&str>, why: &str) -> KasirError {
    KasirError::NotAllowed {
        reason: format!(
            "the card was charged (approval {}) but {why}: nothing was recorded; reverse it on \
             the reader",
            approval_code.unwrap_or("unknown")
        ),
    }
}

impl Register {
    /// Records an approved reader payment of `amount` plus its tip, if the sale still stands
    /// as it did when the payment started (`due`, `fresh`); otherwise changes nothing.
    fn record_reader_payment(
        &self,
        amount: Decimal,
        due: Decimal,
        fresh: bool,
        result: &CardResult,
    ) -> Result<CartView, KasirError> {
        let code = result.approval_code.as_deref();
        let (Some(approval), Some(last4)) = (code, result.last_four.as_deref()) else {
            return Err(charged(
                code,
                "the reader's approval has no approval code or last four digits",
            ));
        };
        let brand = result.brand.as_deref().unwrap_or("CARD");
        let method = TenderMethod::card(approval, last4, brand)
            .map_err(|e| charged(code, &e.to_string()))?;
        let mut sale = self.open()?;
        if due_now(&sale)? != (due, fresh) {
            return Err(charged(code, "the sale changed during the payment"));
        }
        let before = sale.cart.clone();
        if !result.tip.is_zero() {
            if !fresh {
                return Err(charged(code, "a tip was added after another payment"));
            }
            let category = sale.settings.tip_tax_category.clone();
            if let Err(e) = sale
                .cart
                .set_charge_with_tax(ChargeKind::Tip, result.tip, category)
            {
                sale.cart = before;
                return Err(charged(code, &e.to_string()));
            }
        }
        let mut payment = match sale.payment.take() {
            Some(p) => p,
            None => match new_payment(&sale) {
                Ok(p) => p,
                Err(e) => {
                    sale.cart = before;
                    return Err(charged(code, &e.to_string()));
                }
            },
        };
        let added = payment.add(method, amount + result.tip).map(|_| ());
        if let Err(e) = added {
            sale.cart = before;
            sale.payment = if fresh { None } else { Some(payment) };
            return Err(charged(code, &e.to_string()));
        }
        sale.payment = Some(payment);
        tracing::info!(
            tip = !result.tip.is_zero(),
            "card payment on the reader recorded"
        );
        view(&sale)
    }
}

#[cfg(test)]
mod tests {
    use kasir_devices::ble::sim::SimDevice;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::test_support::{COCO, kasir};

    /// Records every prompt; with `cancel_on`, asks `reader` to cancel at the first prompt (the
    /// clerk's Cancel button).
    #[derive(Default)]
    struct Prompts {
        seen: Mutex<Vec<ReaderPrompt>>,
        cancel_on: Mutex<Option<Arc<PaymentReader>>>,
    }

    impl CardReaderListener for Prompts {
        fn on_prompt(&self, prompt: ReaderPrompt) {
            self.seen.lock().unwrap().push(prompt);
            if let Some(reader) = self.cancel_on.lock().unwrap().take() {
                reader.cancel();
            }
        }
    }

    impl Prompts {
        fn seen(&self) -> Vec<ReaderPrompt> {
            self.seen.lock().unwrap().clone()
        }
    }

    /// The phone's link to a reader, in memory: writes go to the devices crate's simulated
    /// reference reader, and what it answers comes back through `PaymentReader::notify` in
    /// pieces of `piece` bytes, as notifications do.
    struct FakeLink {
        mtu: u16,
        piece: usize,
        device: Mutex<SimulatedReader>,
        writes: Mutex<Vec<Vec<u8>>>,
        reader: Mutex<Option<Arc<PaymentReader>>>,
    }

    impl FakeLink {
        fn new(device: SimulatedReader) -> Arc<FakeLink> {
            Arc::new(FakeLink {
                mtu: 23,
                piece: 7,
                device: Mutex::new(device),
                writes: Mutex::new(Vec::new()),
                reader: Mutex::new(None),
            })
        }

        /// The reader over this link.
        fn reader(self: &Arc<Self>) -> Arc<PaymentReader> {
            let reader = PaymentReader::over_link(self.clone());
            *self.reader.lock().unwrap() = Some(reader.clone());
            reader
        }
    }

    impl CardReaderLink for FakeLink {
        fn mtu(&self) -> u16 {
            self.mtu
        }

        fn write(&self, chunk: Vec<u8>) -> Result<(), BleLinkError> {
            self.writes.lock().unwrap().push(chunk.clone());
            let answers = self.device.lock().unwrap().on_write(&chunk);
            let reader = self.reader.lock().unwrap().clone().expect("a reader");
            for answer in answers {
                for piece in answer.chunks(self.piece) {
                    reader
                        .notify(piece.to_vec())
                        .expect("a linked reader takes bytes");
                }
            }
            Ok(())
        }
    }

    fn sale(dir: &tempfile::TempDir) -> Arc<Register> {
        let register = kasir(dir).new_sale().expect("a sale");
        register.scan(COCO.into()).expect("scans");
        register
    }

    fn card(view: &CartView) -> Vec<(String, String, String, Decimal)> {
        view.payment
            .tenders
            .iter()
            .filter_map(|t| match &t.method {
                TenderMethod::Card {
                    approval_code,
                    last4,
                    brand,
                } => Some((
                    approval_code.clone(),
                    last4.clone(),
                    brand.clone(),
                    t.amount,
                )),
                _ => None,
            })
            .collect()
    }

    fn tip(view: &CartView) -> Decimal {
        view.totals
            .charges
            .iter()
            .filter(|c| c.kind == ChargeKind::Tip)
            .map(|c| c.amount)
            .sum()
    }

    #[test]
    fn an_approval_with_a_tip_on_the_simulated_reader_is_the_sales_card_tender_and_tip() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = sale(&dir);
        let before = register.view().unwrap().totals.total;
        let prompts = Arc::new(Prompts::default());
        let reader = PaymentReader::simulated(SimulatedCard::Approve, Some(15));
        let view = register
            .pay_with_reader(reader, None, vec![10, 15], prompts.clone())
            .expect("approved");
        // 15% of the amount, whole rupiah rounded down by the reader.
        let expected_tip = (before * dec!(0.15)).floor();
        assert_eq!(tip(&view), expected_tip);
        assert_eq!(view.totals.total, before + expected_tip);
        let tenders = card(&view);
        assert_eq!(tenders.len(), 1);
        let (approval, last4, brand, amount) = &tenders[0];
        assert!(!approval.is_empty());
        assert_eq!((last4.as_str(), brand.as_str()), ("1111", "VISA"));
        assert_eq!(*amount, before + expected_tip);
        assert!(view.payment.is_paid);
        assert_eq!(
            prompts.seen(),
            vec![
                ReaderPrompt::PresentCard,
                ReaderPrompt::ChooseTip,
                ReaderPrompt::Processing,
                ReaderPrompt::RemoveCard,
                ReaderPrompt::Approved,
            ]
        );
        let stored = register.complete().expect("completes");
        assert_eq!(stored.total, before + expected_tip);
    }

    #[test]
    fn a_tip_chosen_on_the_reader_includes_its_tax_under_a_tip_tax() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kasir = kasir(&dir);
        let mut settings = kasir.settings().unwrap();
        // Prices without tax, so a tip taxed on top would make the sale more than the card paid.
        settings.tax.price_mode = kasir_domain::tax::PriceMode::TaxExcluded;
        settings.tip_tax_category = Some("ppn".into());
        kasir.update_settings(settings).expect("tip tax");
        let register = kasir.new_sale().expect("a sale");
        register.scan(COCO.into()).expect("scans");
        let before = register.view().unwrap().totals;
        let reader = PaymentReader::simulated(SimulatedCard::Approve, Some(10));
        let view = register
            .pay_with_reader(reader, None, vec![10], Arc::new(Prompts::default()))
            .expect("approved");
        let charged = card(&view)[0].3;
        let reader_tip = (before.total * dec!(0.10)).floor();
        // The card paid the amount and the tip; the tip's tax is inside the tip.
        assert_eq!(charged, before.total + reader_tip);
        assert_eq!(view.totals.total, charged);
        assert!(view.totals.tax_total > before.tax_total, "{view:?}");
        assert!(view.payment.is_paid);
        assert_eq!(view.payment.remaining, Decimal::ZERO);
    }

    #[test]
    fn a_declined_card_records_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = sale(&dir);
        let prompts = Arc::new(Prompts::default());
        let reader = PaymentReader::simulated(SimulatedCard::Decline, Some(10));
        let error = register
            .pay_with_reader(reader, None, vec![10], prompts.clone())
            .expect_err("declined");
        assert!(
            matches!(&error, KasirError::Declined { reason } if reason.contains("DO NOT HONOUR")),
            "{error:?}"
        );
        let view = register.view().unwrap();
        assert!(view.payment.tenders.is_empty());
        assert_eq!(tip(&view), Decimal::ZERO);
        assert_eq!(prompts.seen().last(), Some(&ReaderPrompt::Declined));
    }

    #[test]
    fn a_payment_the_customer_cancels_records_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = sale(&dir);
        let prompts = Arc::new(Prompts::default());
        let reader = PaymentReader::simulated(SimulatedCard::CustomerCancels, None);
        let error = register
            .pay_with_reader(reader, None, vec![], prompts.clone())
            .expect_err("cancelled");
        assert_eq!(error, KasirError::Cancelled);
        assert!(register.view().unwrap().payment.tenders.is_empty());
        assert_eq!(
            prompts.seen(),
            vec![ReaderPrompt::PresentCard, ReaderPrompt::Cancelled]
        );
    }

    #[test]
    fn the_reference_reader_over_the_phones_link_takes_a_payment() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = sale(&dir);
        let due = register.view().unwrap().payment.remaining;
        let link = FakeLink::new(SimulatedReader::default());
        let reader = link.reader();
        let prompts = Arc::new(Prompts::default());
        let view = register
            .pay_with_reader(reader, None, vec![], prompts.clone())
            .expect("approved");
        assert_eq!(card(&view)[0].3, due);
        assert_eq!(card(&view)[0].1, "1111");
        assert!(view.payment.is_paid);
        assert_eq!(prompts.seen().last(), Some(&ReaderPrompt::Approved));
        // Chunks of MTU - 3 at most, and the reader was asked for the due amount.
        let writes = link.writes.lock().unwrap().clone();
        assert!(writes.iter().all(|w| w.len() <= 20), "{writes:?}");
        assert!(writes.len() > 2);
        let payments = link.device.lock().unwrap().payments.clone();
        assert_eq!(payments.len(), 1);
        assert_eq!(payments[0].1, "IDR");
    }

    #[test]
    fn the_clerk_cancels_a_payment_on_the_linked_reader() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = sale(&dir);
        let mut device = SimulatedReader::default();
        device.card = SimCard::NeverPresented;
        let link = FakeLink::new(device);
        let reader = link.reader();
        let prompts = Arc::new(Prompts::default());
        *prompts.cancel_on.lock().unwrap() = Some(reader.clone());
        let error = register
            .pay_with_reader(reader, None, vec![], prompts.clone())
            .expect_err("cancelled");
        assert_eq!(error, KasirError::Cancelled);
        assert!(register.view().unwrap().payment.tenders.is_empty());
        assert_eq!(
            prompts.seen(),
            vec![ReaderPrompt::PresentCard, ReaderPrompt::Cancelled]
        );
    }

    #[test]
    fn tip_choices_are_refused_once_another_payment_was_taken_and_the_reader_is_not_asked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = sale(&dir);
        register.pay_cash(Some(dec!(1000))).expect("part in cash");
        let link = FakeLink::new(SimulatedReader::default());
        let error = register
            .pay_with_reader(link.reader(), None, vec![10], Arc::new(Prompts::default()))
            .expect_err("tips need the whole sale");
        assert!(
            matches!(&error, KasirError::InvalidInput { field, .. } if field == "tip"),
            "{error:?}"
        );
        assert!(link.writes.lock().unwrap().is_empty());
        assert_eq!(register.view().unwrap().payment.tenders.len(), 1);
    }

    #[test]
    fn bad_tip_choices_and_an_unoffered_simulated_tip_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = sale(&dir);
        let listener = Arc::new(Prompts::default());
        let error = register
            .pay_with_reader(
                PaymentReader::simulated(SimulatedCard::Approve, None),
                None,
                vec![80],
                listener.clone(),
            )
            .expect_err("80%");
        assert!(error.to_string().contains("80%"), "{error}");
        let error = register
            .pay_with_reader(
                PaymentReader::simulated(SimulatedCard::Approve, Some(20)),
                None,
                vec![10, 15],
                listener.clone(),
            )
            .expect_err("20% is not offered");
        assert!(error.to_string().contains("20%"), "{error}");
        assert!(listener.seen().is_empty());
        assert!(register.view().unwrap().payment.tenders.is_empty());
    }

    #[test]
    fn the_simulated_reader_takes_no_notifications() {
        let reader = PaymentReader::simulated(SimulatedCard::Approve, None);
        assert!(matches!(
            reader.notify(vec![1]),
            Err(KasirError::NotAllowed { .. })
        ));
    }
}
