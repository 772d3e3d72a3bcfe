//! Bluetooth LE: the link trait, the services printers and readers use, chunk sizing, and the
//! printer transport over a link.
//!
//! A job goes out as writes of `min(MTU - 3, platform maximum)` bytes (3 bytes of every ATT
//! packet are the opcode and handle), strictly in order, each write finished before the next
//! starts. Writes without response have no flow control on several platforms, so they are
//! paced. When the link breaks before the first byte of a job, the transport reconnects and
//! starts again; when it breaks after, the job is reported uncertain and is **not resumed**:
//! the last write may or may not have arrived, and printers differ on what they do with a
//! half-received buffer (print it, drop it), so resuming could print a receipt with a hole or
//! a repeated block in the middle of a raster image. A person looks at the paper and reprints.

#[cfg(feature = "btleplug")]
pub mod btle;
pub mod sim;

use std::time::Duration;

use async_trait::async_trait;
use uuid::Uuid;

use crate::DeviceError;
use crate::status::{PrinterStatus, REQUEST_OFFLINE, REQUEST_PAPER};
use crate::transport::Transport;

/// The smallest ATT MTU (Bluetooth Core, Vol 3, Part F, 3.2.8); every link has at least this.
pub const DEFAULT_MTU: u16 = 23;

/// A 16-bit UUID in the Bluetooth base UUID (`0000xxxx-0000-1000-8000-00805F9B34FB`).
pub const fn uuid16(short: u16) -> Uuid {
    Uuid::from_u128(((short as u128) << 96) | 0x0000_0000_0000_1000_8000_0080_5F9B_34FB)
}

/// Services that cheap Bluetooth receipt printers expose, with the characteristic they take
/// jobs on: `18F0`/`2AF1` (many Chinese 58 mm printers), `FF00`/`FF02`, `FFE0`/`FFE1` (HM-10
/// style serial bridges), and `E7810A71-...`/`BEF8D6C9-...` (a common vendor serial service).
pub const PRINTER_SERVICES: [(Uuid, Uuid); 4] = [
    (uuid16(0x18F0), uuid16(0x2AF1)),
    (uuid16(0xFF00), uuid16(0xFF02)),
    (uuid16(0xFFE0), uuid16(0xFFE1)),
    (
        Uuid::from_u128(0xE781_0A71_73AE_499D_8C15_FAA9_AEF0_C3F2),
        Uuid::from_u128(0xBEF8_D6C9_9C21_4C9E_B632_BD58_C100_9F9F),
    ),
];

/// The service UUIDs to scan for printers.
pub fn printer_service_uuids() -> Vec<Uuid> {
    PRINTER_SERVICES.iter().map(|(s, _)| *s).collect()
}

/// Whether a peripheral advertising `services` looks like a printer Kasir can drive.
pub fn is_printer(services: &[Uuid]) -> bool {
    services
        .iter()
        .any(|s| PRINTER_SERVICES.iter().any(|(known, _)| known == s))
}

/// A peripheral found by a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// Its address (or the platform's identifier where addresses are hidden, as on iOS).
    pub address: String,
    /// Its advertised name.
    pub name: Option<String>,
    /// The services it advertises.
    pub services: Vec<Uuid>,
    /// Signal strength in dBm.
    pub rssi: Option<i16>,
}

/// What a characteristic allows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Properties {
    /// Write with response (acknowledged).
    pub write: bool,
    /// Write without response (faster, not acknowledged).
    pub write_without_response: bool,
    /// Notify.
    pub notify: bool,
    /// Indicate (acknowledged notify).
    pub indicate: bool,
}

/// A characteristic found on a connected peripheral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharacteristicInfo {
    /// The service it belongs to.
    pub service: Uuid,
    /// The characteristic.
    pub uuid: Uuid,
    /// What it allows.
    pub properties: Properties,
}

/// How one write goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// Acknowledged by the peripheral before the write returns.
    WithResponse,
    /// Queued by the platform; paced by the transport.
    WithoutResponse,
}

/// One Bluetooth LE connection to one peripheral, as the platform offers it. Implemented over
/// `btleplug` ([`btle::BtleplugLink`]) and by the in-process simulated peripherals
/// ([`sim::SimLink`]).
#[async_trait]
pub trait BleLink: Send {
    /// Scans for `timeout` and returns the peripherals advertising one of `services`.
    async fn scan(
        &mut self,
        services: &[Uuid],
        timeout: Duration,
    ) -> Result<Vec<Discovered>, DeviceError>;

    /// Connects to the peripheral at `address` and discovers its services.
    async fn connect(&mut self, address: &str) -> Result<(), DeviceError>;

    /// Whether the link is up.
    async fn is_connected(&mut self) -> bool;

    /// The characteristics of the connected peripheral.
    fn characteristics(&self) -> Vec<CharacteristicInfo>;

    /// The negotiated ATT MTU ([`DEFAULT_MTU`] until the platform says otherwise).
    fn mtu(&self) -> u16;

    /// The platform's largest write without response, where it reports one (Android 14+ and
    /// iOS's `maximumWriteValueLength`).
    fn max_write_without_response(&self) -> Option<usize>;

    /// Writes one chunk; returns when the platform has taken it (with response: when the
    /// peripheral acknowledged it).
    async fn write(
        &mut self,
        characteristic: &CharacteristicInfo,
        data: &[u8],
        kind: WriteKind,
    ) -> Result<(), DeviceError>;

    /// Turns on notifications (or indications) of `characteristic`.
    async fn subscribe(&mut self, characteristic: &CharacteristicInfo) -> Result<(), DeviceError>;

    /// The next notification, or `None` when none came within `timeout`.
    async fn next_notification(
        &mut self,
        timeout: Duration,
    ) -> Result<Option<Vec<u8>>, DeviceError>;

    /// Closes the connection.
    async fn disconnect(&mut self) -> Result<(), DeviceError>;
}

/// Bytes per write: `min(MTU - 3, platform maximum)`; an MTU under 23 is read as 23.
pub fn chunk_size(mtu: u16, platform_max: Option<usize>) -> usize {
    let att_payload = usize::from(mtu.max(DEFAULT_MTU)) - 3;
    match platform_max {
        Some(max) if max > 0 => att_payload.min(max),
        _ => att_payload,
    }
}

/// How many writes a job of `len` bytes takes at `chunk` bytes a write.
pub fn write_count(len: usize, chunk: usize) -> usize {
    len.div_ceil(chunk.max(1))
}

/// The write characteristic (and a notify one for status answers) on a peripheral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// Where jobs are written.
    pub write: CharacteristicInfo,
    /// Where the peripheral answers, when it can.
    pub notify: Option<CharacteristicInfo>,
}

/// Picks the characteristic to write jobs to: the known one of a known printer service first,
/// then any writable characteristic of a known service, then any writable one at all. Among
/// equals, one with write without response wins (it is several times faster).
pub fn select_channel(characteristics: &[CharacteristicInfo]) -> Option<Channel> {
    let writable =
        |c: &&CharacteristicInfo| c.properties.write || c.properties.write_without_response;
    let rank = |c: &CharacteristicInfo| {
        let known_pair = PRINTER_SERVICES
            .iter()
            .any(|(s, ch)| *s == c.service && *ch == c.uuid);
        let known_service = PRINTER_SERVICES.iter().any(|(s, _)| *s == c.service);
        let place = if known_pair {
            0
        } else if known_service {
            1
        } else {
            2
        };
        (place, !c.properties.write_without_response)
    };
    let write = characteristics
        .iter()
        .filter(writable)
        .min_by_key(|c| rank(c))?
        .clone();
    let notify = characteristics
        .iter()
        .filter(|c| c.properties.notify || c.properties.indicate)
        .min_by_key(|c| (c.service != write.service, c.uuid != write.uuid))
        .cloned();
    Some(Channel { write, notify })
}

/// How a [`BlePrinter`] paces and retries.
#[derive(Debug, Clone, Copy)]
pub struct BleSettings {
    /// Pause after each write without response, so the platform's queue and the printer's
    /// buffer do not overflow (about one connection interval).
    pub pace: Duration,
    /// Use writes with response even where writes without response are offered (slow, but
    /// every chunk is acknowledged).
    pub always_with_response: bool,
    /// Connection attempts before a job is given up (only while nothing has been sent).
    pub connect_attempts: u32,
    /// Waiting for a status answer.
    pub status_timeout: Duration,
}

impl Default for BleSettings {
    fn default() -> Self {
        BleSettings {
            pace: Duration::from_millis(15),
            always_with_response: false,
            connect_attempts: 3,
            status_timeout: Duration::from_millis(500),
        }
    }
}

/// A Bluetooth LE printer over a [`BleLink`].
pub struct BlePrinter<L: BleLink> {
    link: L,
    address: String,
    settings: BleSettings,
    channel: Option<Channel>,
}

impl<L: BleLink> BlePrinter<L> {
    /// A printer at `address` over `link`.
    pub fn new(link: L, address: impl Into<String>, settings: BleSettings) -> BlePrinter<L> {
        BlePrinter {
            link,
            address: address.into(),
            settings,
            channel: None,
        }
    }

    /// The link, for inspection.
    pub fn link(&self) -> &L {
        &self.link
    }

    /// Connects (retrying) and finds the write characteristic, unless already connected.
    async fn ensure_connected(&mut self) -> Result<Channel, DeviceError> {
        if let Some(channel) = &self.channel
            && self.link.is_connected().await
        {
            return Ok(channel.clone());
        }
        self.channel = None;
        let mut last = None;
        for attempt in 1..=self.settings.connect_attempts.max(1) {
            match self.link.connect(&self.address).await {
                Ok(()) => {
                    let channel = select_channel(&self.link.characteristics())
                        .ok_or_else(|| DeviceError::NoWriteCharacteristic(self.describe()))?;
                    if let Some(notify) = &channel.notify {
                        // Status answers are optional: a printer that cannot notify still prints.
                        if let Err(e) = self.link.subscribe(notify).await {
                            tracing::debug!(error = %e, "printer notifications unavailable");
                        }
                    }
                    tracing::info!(printer = %self.describe(), mtu = self.link.mtu(), "printer connected");
                    self.channel = Some(channel.clone());
                    return Ok(channel);
                }
                Err(e) => {
                    tracing::warn!(printer = %self.describe(), attempt, error = %e, "printer connection failed");
                    last = Some(e);
                }
            }
        }
        Err(last.unwrap_or_else(|| DeviceError::Connect {
            target: self.describe(),
            reason: "no attempt made".into(),
        }))
    }

    async fn write_all(&mut self, channel: &Channel, job: &[u8]) -> Result<(), PartialWrite> {
        let plan = WritePlan::for_link(
            channel.write.properties,
            self.link.mtu(),
            self.link.max_write_without_response(),
            self.settings.always_with_response,
        );
        let mut sink = LinkSink {
            link: &mut self.link,
            characteristic: &channel.write,
        };
        write_chunks(&mut sink, job, plan, self.settings.pace).await
    }
}

/// Where a job's chunks go: one write characteristic of one connected link. [`BlePrinter`]
/// writes through its [`BleLink`]; the apps' own GATT links (Android's `BluetoothGatt`, iOS's
/// `CBPeripheral`) come in through the FFI crate.
#[async_trait]
pub trait ChunkSink: Send {
    /// Writes one chunk; returns when the platform has taken it (with response: when the
    /// peripheral acknowledged it). An error means this chunk may not have arrived.
    async fn write_chunk(&mut self, data: &[u8], kind: WriteKind) -> Result<(), DeviceError>;
}

struct LinkSink<'a, L: BleLink> {
    link: &'a mut L,
    characteristic: &'a CharacteristicInfo,
}

#[async_trait]
impl<L: BleLink> ChunkSink for LinkSink<'_, L> {
    async fn write_chunk(&mut self, data: &[u8], kind: WriteKind) -> Result<(), DeviceError> {
        self.link.write(self.characteristic, data, kind).await
    }
}

/// How a job goes out over one characteristic: the kind of write and the bytes per write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WritePlan {
    /// With or without response.
    pub kind: WriteKind,
    /// Bytes per write (R-06: `MTU - 3`; R-07: the platform's write-without-response maximum
    /// when that is smaller).
    pub chunk: usize,
}

impl WritePlan {
    /// Writes without response when the characteristic offers them (and they are not turned
    /// off), at `min(MTU - 3, platform maximum)`; otherwise writes with response at `MTU - 3`
    /// (the platform's maximum is about writes without response only).
    pub fn for_link(
        properties: Properties,
        mtu: u16,
        max_write_without_response: Option<usize>,
        always_with_response: bool,
    ) -> WritePlan {
        if properties.write_without_response && !(always_with_response && properties.write) {
            WritePlan {
                kind: WriteKind::WithoutResponse,
                chunk: chunk_size(mtu, max_write_without_response),
            }
        } else {
            WritePlan {
                kind: WriteKind::WithResponse,
                chunk: chunk_size(mtu, None),
            }
        }
    }
}

/// A job that stopped part way: `sent` bytes (whole chunks, in order) were taken by the link
/// before `error`.
#[derive(Debug)]
pub struct PartialWrite {
    /// Bytes the link took before it failed.
    pub sent: usize,
    /// Writes the link took before it failed.
    pub writes: usize,
    /// Why the next write failed.
    pub error: DeviceError,
}

/// Writes `job` through `sink` as chunks of `plan.chunk` bytes, strictly in order, each write
/// finished before the next starts, pausing `pace` after each write without response (zero
/// where the platform does its own flow control). Stops at the first failure, saying how much
/// went out before it.
pub async fn write_chunks<S: ChunkSink + ?Sized>(
    sink: &mut S,
    job: &[u8],
    plan: WritePlan,
    pace: Duration,
) -> Result<(), PartialWrite> {
    let mut sent = 0;
    for (writes, piece) in job.chunks(plan.chunk.max(1)).enumerate() {
        sink.write_chunk(piece, plan.kind)
            .await
            .map_err(|error| PartialWrite {
                sent,
                writes,
                error,
            })?;
        sent += piece.len();
        if plan.kind == WriteKind::WithoutResponse && !pace.is_zero() {
            tokio::time::sleep(pace).await;
        }
    }
    Ok(())
}

#[async_trait]
impl<L: BleLink> Transport for BlePrinter<L> {
    fn describe(&self) -> String {
        format!("ble:{}", self.address)
    }

    async fn send(&mut self, job: &[u8]) -> Result<(), DeviceError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let channel = self.ensure_connected().await?;
            if channel.notify.is_some()
                && let Some(status) = self.status().await?
            {
                status.ready()?;
            }
            match self.write_all(&channel, job).await {
                Ok(()) => {
                    tracing::info!(printer = %self.describe(), bytes = job.len(), "job sent");
                    return Ok(());
                }
                Err(PartialWrite {
                    sent: 0, error: e, ..
                }) if attempts < self.settings.connect_attempts.max(1) => {
                    // Nothing reached the printer: starting again cannot print twice.
                    tracing::warn!(printer = %self.describe(), error = %e, "first write failed; reconnecting");
                    self.channel = None;
                    let _ = self.link.disconnect().await;
                }
                Err(PartialWrite { sent, error: e, .. }) => {
                    tracing::warn!(printer = %self.describe(), sent, total = job.len(), "printer disconnected during a job");
                    self.channel = None;
                    let _ = self.link.disconnect().await;
                    return Err(DeviceError::Interrupted {
                        target: self.describe(),
                        sent,
                        total: job.len(),
                        reason: e.to_string(),
                    });
                }
            }
        }
    }

    async fn status(&mut self) -> Result<Option<PrinterStatus>, DeviceError> {
        let channel = self.ensure_connected().await?;
        if channel.notify.is_none() {
            return Ok(None);
        }
        let kind = if channel.write.properties.write {
            WriteKind::WithResponse
        } else {
            WriteKind::WithoutResponse
        };
        let mut answers = [0u8; 2];
        for (i, request) in [REQUEST_OFFLINE, REQUEST_PAPER].into_iter().enumerate() {
            self.link.write(&channel.write, &request, kind).await?;
            match self
                .link
                .next_notification(self.settings.status_timeout)
                .await?
            {
                Some(answer) if answer.len() == 1 => answers[i] = answer[0],
                _ => return Ok(None),
            }
        }
        PrinterStatus::from_answers(answers[0], answers[1]).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn characteristic(
        service: Uuid,
        uuid: Uuid,
        wwr: bool,
        write: bool,
        notify: bool,
    ) -> CharacteristicInfo {
        CharacteristicInfo {
            service,
            uuid,
            properties: Properties {
                write,
                write_without_response: wwr,
                notify,
                indicate: false,
            },
        }
    }

    #[test]
    fn chunk_is_mtu_minus_three() {
        // MTU 185 -> 182 bytes, MTU 23 -> 20 bytes.
        assert_eq!(chunk_size(185, None), 182);
        assert_eq!(chunk_size(23, None), 20);
    }

    #[test]
    fn platform_limit_wins_when_smaller() {
        // the platform allows 237 bytes without response on an MTU of 247.
        assert_eq!(chunk_size(247, Some(237)), 237);
        assert_eq!(chunk_size(185, Some(237)), 182);
    }

    #[test]
    fn mtu_below_the_att_minimum_is_read_as_23() {
        assert_eq!(chunk_size(0, None), 20);
        assert_eq!(chunk_size(10, None), 20);
    }

    #[test]
    fn thousand_bytes_take_6_writes_at_185_and_50_at_23_and_5_at_237() {
        assert_eq!(write_count(1000, chunk_size(185, None)), 6);
        assert_eq!(write_count(1000, chunk_size(23, None)), 50);
        assert_eq!(write_count(1000, chunk_size(247, Some(237))), 5);
    }

    fn props(write: bool, write_without_response: bool) -> Properties {
        Properties {
            write,
            write_without_response,
            ..Properties::default()
        }
    }

    #[test]
    fn write_plan_uses_the_platform_limit_only_without_response() {
        let fast = WritePlan::for_link(props(true, true), 517, Some(237), false);
        assert_eq!(fast.kind, WriteKind::WithoutResponse);
        assert_eq!(fast.chunk, 237);
        // Writes with response are not bound by the write-without-response maximum.
        let acked = WritePlan::for_link(props(true, false), 185, Some(100), false);
        assert_eq!(acked.kind, WriteKind::WithResponse);
        assert_eq!(acked.chunk, 182);
        let forced = WritePlan::for_link(props(true, true), 185, Some(100), true);
        assert_eq!(forced.kind, WriteKind::WithResponse);
        // A characteristic that only takes writes without response keeps them.
        let only = WritePlan::for_link(props(false, true), 185, None, true);
        assert_eq!(only.kind, WriteKind::WithoutResponse);
    }

    #[test]
    fn sixteen_bit_uuids_sit_in_the_bluetooth_base_uuid() {
        assert_eq!(
            uuid16(0x18F0).to_string(),
            "000018f0-0000-1000-8000-00805f9b34fb"
        );
        assert_eq!(
            PRINTER_SERVICES[3].0.to_string(),
            "e7810a71-73ae-499d-8c15-faa9aef0c3f2"
        );
    }

    #[test]
    fn printer_is_recognised_by_any_known_service() {
        assert!(is_printer(&[uuid16(0x180A), uuid16(0xFFE0)]));
        assert!(!is_printer(&[uuid16(0x180A), uuid16(0x180F)]));
    }

    #[test]
    fn known_write_characteristic_of_a_known_service_is_chosen() {
        let chars = [
            characteristic(uuid16(0x180A), uuid16(0x2A29), false, true, false),
            characteristic(uuid16(0x18F0), uuid16(0x2AF0), false, false, true),
            characteristic(uuid16(0x18F0), uuid16(0x2AF1), true, true, false),
        ];
        let channel = select_channel(&chars).expect("a channel");
        assert_eq!(channel.write.uuid, uuid16(0x2AF1));
        assert_eq!(channel.notify.expect("notify").uuid, uuid16(0x2AF0));
    }

    #[test]
    fn write_without_response_is_preferred_within_a_known_service() {
        let chars = [
            characteristic(uuid16(0xFF00), uuid16(0xFF03), false, true, false),
            characteristic(uuid16(0xFF00), uuid16(0xFF04), true, false, false),
        ];
        assert_eq!(
            select_channel(&chars).expect("a channel").write.uuid,
            uuid16(0xFF04)
        );
    }

    #[test]
    fn peripheral_without_writable_characteristic_has_no_channel() {
        let chars = [characteristic(
            uuid16(0x18F0),
            uuid16(0x2AF0),
            false,
            false,
            true,
        )];
        assert!(select_channel(&chars).is_none());
    }
}
