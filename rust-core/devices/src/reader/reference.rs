//! The reference reader adapter: Kasir's own framing over a Bluetooth LE link, and a
//! simulated reader that speaks it.
//!
//! A frame is `4B TYPE LEN_HI LEN_LO PAYLOAD... CHECK`, where `CHECK` is the XOR of TYPE, the
//! length bytes and the payload. The host writes frames to the reader's command
//! characteristic (in chunks of MTU - 3, with response); the reader answers with frames on its
//! event characteristic, split over as many notifications as they need.
//!
//! | type | direction | payload |
//! |---|---|---|
//! | `01` info | host to reader | none |
//! | `02` pay | host to reader | amount (u64, minor units), currency (3 ASCII), tip count, tip percents, reference length, reference |
//! | `03` cancel | host to reader | none |
//! | `04` refund | host to reader | amount (u64), currency, approval code length, approval code |
//! | `81` info | reader to host | state (0 idle, 1 busy, 2 updating), battery %, charging (0/1) |
//! | `82` event | reader to host | 1 present card, 2 choose tip, 3 enter PIN, 4 processing, 5 remove card |
//! | `83` result | reader to host | BER-TLV: `DF8101` outcome (1 approved, 2 approved offline, 3 declined, 4 cancelled), `DF8102` approval code, `DF8103` brand, `DF8104` last four, `DF8105` tip (u64 minor units), `DF8106` message, and the EMV data objects |
//! | `84` error | reader to host | message (ASCII) |

use std::time::Duration;

use async_trait::async_trait;
use kasir_domain::money::Currency;
use uuid::Uuid;

use crate::DeviceError;
use crate::ble::sim::SimDevice;
use crate::ble::{BleLink, CharacteristicInfo, Properties, WriteKind, chunk_size};
use crate::reader::tlv::{EmvData, primitive};
use crate::reader::{
    CardReader, CardResult, Outcome, PaymentRequest, Prompt, ReaderEvent, ReaderInfo, ReaderState,
    RefundRequest, from_minor, to_minor,
};

/// The reference reader's service.
pub const SERVICE: Uuid = Uuid::from_u128(0x4B41_5349_0001_4000_8000_0000_0000_0001);
/// Commands from the host.
pub const COMMAND: Uuid = Uuid::from_u128(0x4B41_5349_0002_4000_8000_0000_0000_0001);
/// Events from the reader.
pub const EVENTS: Uuid = Uuid::from_u128(0x4B41_5349_0003_4000_8000_0000_0000_0001);

/// The reference reader's two characteristics: commands written to [`COMMAND`], events
/// notified on [`EVENTS`], both in [`SERVICE`]. What a link to a reader (simulated or a
/// phone's) reports after discovery.
pub fn characteristics() -> Vec<CharacteristicInfo> {
    vec![
        CharacteristicInfo {
            service: SERVICE,
            uuid: COMMAND,
            properties: Properties {
                write: true,
                ..Properties::default()
            },
        },
        CharacteristicInfo {
            service: SERVICE,
            uuid: EVENTS,
            properties: Properties {
                notify: true,
                ..Properties::default()
            },
        },
    ]
}

const MAGIC: u8 = 0x4B;
const INFO: u8 = 0x01;
const PAY: u8 = 0x02;
const CANCEL: u8 = 0x03;
const REFUND: u8 = 0x04;
const INFO_REPLY: u8 = 0x81;
const EVENT: u8 = 0x82;
const RESULT: u8 = 0x83;
const ERROR: u8 = 0x84;

/// Builds one frame.
pub fn frame(kind: u8, payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(payload.len()).unwrap_or(u16::MAX);
    let mut out = vec![MAGIC, kind, (len >> 8) as u8, len as u8];
    out.extend_from_slice(&payload[..usize::from(len)]);
    let check = out[1..].iter().fold(0u8, |acc, b| acc ^ b);
    out.push(check);
    out
}

/// Collects bytes from notifications and yields whole frames.
#[derive(Debug, Default)]
pub struct FrameDecoder {
    buffer: Vec<u8>,
}

impl FrameDecoder {
    /// Adds received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole frame as (type, payload), if one has arrived.
    pub fn next_frame(&mut self) -> Result<Option<(u8, Vec<u8>)>, DeviceError> {
        if self.buffer.is_empty() {
            return Ok(None);
        }
        if self.buffer[0] != MAGIC {
            let bad = self.buffer[0];
            self.buffer.clear();
            return Err(DeviceError::Reader(format!(
                "frame starts with {bad:#04x}, not {MAGIC:#04x}"
            )));
        }
        if self.buffer.len() < 5 {
            return Ok(None);
        }
        let len = usize::from(u16::from_be_bytes([self.buffer[2], self.buffer[3]]));
        if self.buffer.len() < 5 + len {
            return Ok(None);
        }
        let frame: Vec<u8> = self.buffer.drain(..5 + len).collect();
        let check = frame[1..4 + len].iter().fold(0u8, |acc, b| acc ^ b);
        if check != frame[4 + len] {
            return Err(DeviceError::Reader(
                "frame check byte does not match".into(),
            ));
        }
        Ok(Some((frame[1], frame[4..4 + len].to_vec())))
    }
}

fn protocol(what: &str) -> DeviceError {
    DeviceError::Reader(format!("reference reader: {what}"))
}

fn read_result(payload: &[u8], currency: Currency) -> Result<CardResult, DeviceError> {
    // Everything the reader sent is read through the redacting parser first.
    let data = EmvData::parse(payload)?;
    let text = |tag| {
        data.bytes(tag)
            .map(|b| String::from_utf8_lossy(b).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let outcome = match data.bytes(0xDF8101) {
        Some([1]) => Outcome::Approved,
        Some([2]) => Outcome::ApprovedOffline,
        Some([3]) => Outcome::Declined,
        Some([4]) => Outcome::Cancelled,
        _ => return Err(protocol("result without a known outcome")),
    };
    let tip = match data.bytes(0xDF8105) {
        None => 0,
        Some(b) if b.len() == 8 => u64::from_be_bytes(b.try_into().unwrap_or_default()),
        Some(_) => return Err(protocol("tip is not 8 bytes")),
    };
    let last_four = text(0xDF8104)
        .filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .or_else(|| data.pan_last_four.clone());
    let mut emv = data.clone();
    emv.objects
        .retain(|o| !(0xDF8101..=0xDF8106).contains(&o.tag));
    Ok(CardResult {
        outcome,
        approval_code: text(0xDF8102),
        brand: text(0xDF8103).map(|b| b.to_ascii_uppercase()),
        last_four,
        tip: from_minor(tip, currency),
        message: text(0xDF8106),
        emv,
    })
}

/// The reference adapter over any Bluetooth LE link.
pub struct ReferenceReader<L: BleLink> {
    link: L,
    address: String,
    command: Option<CharacteristicInfo>,
    decoder: FrameDecoder,
    currency: Currency,
}

impl<L: BleLink> ReferenceReader<L> {
    /// A reader at `address` over `link`.
    pub fn new(link: L, address: impl Into<String>) -> ReferenceReader<L> {
        ReferenceReader {
            link,
            address: address.into(),
            command: None,
            decoder: FrameDecoder::default(),
            currency: Currency::IDR,
        }
    }

    async fn send(&mut self, kind: u8, payload: &[u8]) -> Result<(), DeviceError> {
        let command = self
            .command
            .clone()
            .ok_or_else(|| protocol("not connected"))?;
        let chunk = chunk_size(self.link.mtu(), None);
        for piece in frame(kind, payload).chunks(chunk) {
            self.link
                .write(&command, piece, WriteKind::WithResponse)
                .await?;
        }
        Ok(())
    }

    async fn receive(&mut self, timeout: Duration) -> Result<Option<(u8, Vec<u8>)>, DeviceError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(frame) = self.decoder.next_frame()? {
                return Ok(Some(frame));
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.link.next_notification(left).await? {
                Some(bytes) => self.decoder.push(&bytes),
                None => return Ok(None),
            }
        }
    }

    async fn expect(&mut self, wanted: u8) -> Result<Vec<u8>, DeviceError> {
        match self.receive(Duration::from_secs(5)).await? {
            Some((kind, payload)) if kind == wanted => Ok(payload),
            Some((ERROR, message)) => Err(protocol(&String::from_utf8_lossy(&message))),
            Some((kind, _)) => Err(protocol(&format!("unexpected frame {kind:#04x}"))),
            None => Err(DeviceError::Timeout {
                target: format!("ble:{}", self.address),
                during: "waiting for the reader",
                after: Duration::from_secs(5),
            }),
        }
    }
}

fn read_info(payload: &[u8]) -> Result<ReaderInfo, DeviceError> {
    let [state, battery, charging] = payload else {
        return Err(protocol("info is not 3 bytes"));
    };
    Ok(ReaderInfo {
        state: match state {
            0 => ReaderState::Idle,
            1 => ReaderState::Busy,
            2 => ReaderState::Updating,
            _ => return Err(protocol("unknown state")),
        },
        battery_percent: (*battery).min(100),
        charging: *charging == 1,
    })
}

#[async_trait]
impl<L: BleLink> CardReader for ReferenceReader<L> {
    async fn connect(&mut self) -> Result<ReaderInfo, DeviceError> {
        self.link.connect(&self.address).await?;
        let chars = self.link.characteristics();
        let command = chars
            .iter()
            .find(|c| c.service == SERVICE && c.uuid == COMMAND)
            .cloned()
            .ok_or_else(|| DeviceError::NoWriteCharacteristic(format!("ble:{}", self.address)))?;
        let events = chars
            .iter()
            .find(|c| c.service == SERVICE && c.uuid == EVENTS)
            .cloned()
            .ok_or_else(|| protocol("no event characteristic"))?;
        self.link.subscribe(&events).await?;
        self.command = Some(command);
        self.decoder = FrameDecoder::default();
        let info = self.info().await?;
        tracing::info!(battery = info.battery_percent, "card reader connected");
        Ok(info)
    }

    async fn info(&mut self) -> Result<ReaderInfo, DeviceError> {
        self.send(INFO, &[]).await?;
        let payload = self.expect(INFO_REPLY).await?;
        read_info(&payload)
    }

    async fn start_payment(&mut self, request: &PaymentRequest) -> Result<(), DeviceError> {
        let minor = request.validate()?;
        let mut payload = minor.to_be_bytes().to_vec();
        payload.extend_from_slice(request.currency.code().as_bytes());
        payload.push(request.tip_percents.len() as u8);
        payload.extend_from_slice(&request.tip_percents);
        payload.push(request.reference.len() as u8);
        payload.extend_from_slice(request.reference.as_bytes());
        self.currency = request.currency;
        self.send(PAY, &payload).await
    }

    async fn next_event(&mut self, timeout: Duration) -> Result<Option<ReaderEvent>, DeviceError> {
        let Some((kind, payload)) = self.receive(timeout).await? else {
            return Ok(None);
        };
        match (kind, payload.as_slice()) {
            (EVENT, [code]) => Ok(Some(ReaderEvent::Prompt(match code {
                1 => Prompt::PresentCard,
                2 => Prompt::ChooseTip,
                3 => Prompt::EnterPin,
                4 => Prompt::Processing,
                5 => Prompt::RemoveCard,
                _ => return Err(protocol("unknown event")),
            }))),
            (RESULT, _) => Ok(Some(ReaderEvent::Finished(read_result(
                &payload,
                self.currency,
            )?))),
            (ERROR, message) => Err(protocol(&String::from_utf8_lossy(message))),
            _ => Err(protocol(&format!("unexpected frame {kind:#04x}"))),
        }
    }

    async fn cancel(&mut self) -> Result<(), DeviceError> {
        self.send(CANCEL, &[]).await
    }

    async fn refund(&mut self, request: &RefundRequest) -> Result<CardResult, DeviceError> {
        let minor = to_minor(request.amount, request.currency)?;
        if minor == 0 {
            return Err(DeviceError::invalid("amount", "must be more than zero"));
        }
        let code = request.approval_code.trim();
        if code.is_empty() || code.len() > 12 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(DeviceError::invalid(
                "approval",
                "must be 1 to 12 letters or digits",
            ));
        }
        let mut payload = minor.to_be_bytes().to_vec();
        payload.extend_from_slice(request.currency.code().as_bytes());
        payload.push(code.len() as u8);
        payload.extend_from_slice(code.as_bytes());
        self.send(REFUND, &payload).await?;
        let result = self.expect(RESULT).await?;
        read_result(&result, request.currency)
    }

    async fn disconnect(&mut self) -> Result<(), DeviceError> {
        self.command = None;
        self.link.disconnect().await
    }
}

/// What the simulated reader's next card does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimCard {
    /// Approved online.
    Approve,
    /// Approved offline by the card (store and forward).
    ApproveOffline,
    /// Declined by the issuer.
    Decline,
    /// Never presented: the payment waits until it is cancelled.
    NeverPresented,
}

/// A simulated reader that speaks the reference protocol. Its test card is the well-known test
/// number 4111 1111 1111 1111 (VISA), which it sends in tags `5A` and `57` as a real reader
/// would.
#[derive(Debug)]
pub struct SimulatedReader {
    /// What the next card does.
    pub card: SimCard,
    /// Whether the card asks for a PIN.
    pub pin: bool,
    /// Which tip choice the customer picks (index into the offered percents).
    pub tip_choice: Option<usize>,
    /// Battery charge.
    pub battery_percent: u8,
    /// Payments asked for: (minor units, currency).
    pub payments: Vec<(u64, String)>,
    /// Refunds asked for: (minor units, approval code).
    pub refunds: Vec<(u64, String)>,
    decoder: FrameDecoder,
    waiting: bool,
    approvals: u32,
}

/// The simulated card's number (a standard test number, never a real card).
pub const SIM_PAN: &str = "4111111111111111";

impl Default for SimulatedReader {
    fn default() -> Self {
        SimulatedReader {
            card: SimCard::Approve,
            pin: false,
            tip_choice: None,
            battery_percent: 87,
            payments: Vec::new(),
            refunds: Vec::new(),
            decoder: FrameDecoder::default(),
            waiting: false,
            approvals: 0,
        }
    }
}

fn bcd12(minor: u64) -> Vec<u8> {
    let digits = format!("{:012}", minor % 1_000_000_000_000);
    digits
        .as_bytes()
        .chunks(2)
        .map(|p| ((p[0] - b'0') << 4) | (p[1] - b'0'))
        .collect()
}

fn numeric_currency(code: &str) -> [u8; 2] {
    // ISO 4217 numeric codes as two BCD bytes.
    match code {
        "IDR" => [0x03, 0x60],
        "USD" => [0x08, 0x40],
        "EUR" => [0x09, 0x78],
        _ => [0x09, 0x99],
    }
}

impl SimulatedReader {
    fn result(&mut self, outcome: u8, minor: u64, currency: &str, tip: u64) -> Vec<u8> {
        let mut tlv = primitive(0xDF8101, &[outcome]);
        if outcome <= 2 {
            self.approvals += 1;
            tlv.extend(primitive(
                0xDF8102,
                format!("A{:05}", self.approvals).as_bytes(),
            ));
        }
        if outcome <= 3 {
            tlv.extend(primitive(0xDF8103, b"VISA"));
            tlv.extend(primitive(0xDF8104, &SIM_PAN.as_bytes()[12..]));
            // The EMV data a real reader returns, card number and track 2 included.
            tlv.extend(primitive(
                0x5A,
                &[0x41, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11],
            ));
            tlv.extend(primitive(
                0x57,
                &[
                    0x41, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0xD2, 0x81, 0x22, 0x01, 0x00,
                    0x00, 0x00, 0x0F,
                ],
            ));
            tlv.extend(primitive(0x5F20, b"CARDHOLDER/TEST"));
            tlv.extend(primitive(0x84, &[0xA0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10]));
            tlv.extend(primitive(0x9F02, &bcd12(minor + tip)));
            tlv.extend(primitive(0x5F2A, &numeric_currency(currency)));
            let cid = if outcome == 3 { 0x00 } else { 0x40 };
            tlv.extend(primitive(0x9F27, &[cid]));
            tlv.extend(primitive(
                0x9F26,
                &[0x1A, 0x2B, 0x3C, 0x4D, 0x5E, 0x6F, 0x70, 0x81],
            ));
            tlv.extend(primitive(0x95, &[0x00, 0x00, 0x00, 0x80, 0x00]));
        }
        if tip > 0 {
            tlv.extend(primitive(0xDF8105, &tip.to_be_bytes()));
        }
        if outcome == 3 {
            tlv.extend(primitive(0xDF8106, b"DO NOT HONOUR"));
        }
        frame(RESULT, &tlv)
    }

    fn handle(&mut self, kind: u8, payload: &[u8]) -> Vec<Vec<u8>> {
        match kind {
            INFO => vec![frame(
                INFO_REPLY,
                &[u8::from(self.waiting), self.battery_percent, 0],
            )],
            PAY if self.waiting => vec![frame(ERROR, b"busy with another payment")],
            PAY => {
                let Some((amount, rest)) = payload.split_first_chunk::<8>() else {
                    return vec![frame(ERROR, b"bad pay command")];
                };
                let minor = u64::from_be_bytes(*amount);
                let currency =
                    String::from_utf8_lossy(rest.get(..3).unwrap_or_default()).to_string();
                let tips: Vec<u8> = rest
                    .get(3)
                    .and_then(|n| rest.get(4..4 + usize::from(*n)))
                    .unwrap_or_default()
                    .to_vec();
                self.payments.push((minor, currency.clone()));
                let mut out = vec![frame(EVENT, &[1])];
                if self.card == SimCard::NeverPresented {
                    self.waiting = true;
                    return out;
                }
                let mut tip = 0;
                if let Some(percent) = self.tip_choice.and_then(|i| tips.get(i)) {
                    out.push(frame(EVENT, &[2]));
                    // Whole minor units, rounded down: the reader's rule, shown to the customer.
                    tip = minor * u64::from(*percent) / 100;
                }
                if self.pin {
                    out.push(frame(EVENT, &[3]));
                }
                out.push(frame(EVENT, &[4]));
                out.push(frame(EVENT, &[5]));
                let outcome = match self.card {
                    SimCard::Approve => 1,
                    SimCard::ApproveOffline => 2,
                    _ => 3,
                };
                let tip = if outcome == 3 { 0 } else { tip };
                out.push(self.result(outcome, minor, &currency, tip));
                out
            }
            CANCEL if self.waiting => {
                self.waiting = false;
                vec![self.result(4, 0, "", 0)]
            }
            CANCEL => vec![frame(ERROR, b"no payment to cancel")],
            REFUND => {
                let Some((amount, rest)) = payload.split_first_chunk::<8>() else {
                    return vec![frame(ERROR, b"bad refund command")];
                };
                let minor = u64::from_be_bytes(*amount);
                let currency =
                    String::from_utf8_lossy(rest.get(..3).unwrap_or_default()).to_string();
                let code = rest
                    .get(3)
                    .and_then(|n| rest.get(4..4 + usize::from(*n)))
                    .map(|c| String::from_utf8_lossy(c).to_string())
                    .unwrap_or_default();
                self.refunds.push((minor, code));
                vec![self.result(1, minor, &currency, 0)]
            }
            _ => vec![frame(ERROR, b"unknown command")],
        }
    }
}

impl SimDevice for SimulatedReader {
    fn name(&self) -> String {
        "Kasir simulated card reader".into()
    }

    fn characteristics(&self) -> Vec<CharacteristicInfo> {
        characteristics()
    }

    fn on_write(&mut self, data: &[u8]) -> Vec<Vec<u8>> {
        self.decoder.push(data);
        let mut out = Vec::new();
        loop {
            match self.decoder.next_frame() {
                Ok(Some((kind, payload))) => out.extend(self.handle(kind, &payload)),
                Ok(None) => break,
                Err(_) => {
                    out.push(frame(ERROR, b"bad frame"));
                    break;
                }
            }
        }
        out
    }
}
