//! In-process simulated Bluetooth LE peripherals: a receipt printer, and the frame that the
//! simulated card reader ([`crate::reader::reference::SimulatedReader`]) plugs into.
//!
//! A simulated peripheral records every write it receives (bytes, size, kind, the moment in
//! tokio's clock) and misbehaves on request: a small MTU, a platform write limit, refused
//! connections, a connection that drops after so many bytes, slow writes, paper out or the
//! cover open. It refuses a write longer than the link allows, as a real stack does.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::Notify;
use tokio::time::Instant;
use uuid::Uuid;

use crate::DeviceError;
use crate::ble::{
    BleLink, CharacteristicInfo, DEFAULT_MTU, Discovered, PRINTER_SERVICES, Properties, WriteKind,
    chunk_size, uuid16,
};
use crate::status::PrinterStatus;

/// What a simulated peripheral does with the bytes written to it.
pub trait SimDevice: Send + 'static {
    /// Its advertised name.
    fn name(&self) -> String;

    /// Its characteristics (the first writable one takes jobs or commands).
    fn characteristics(&self) -> Vec<CharacteristicInfo>;

    /// Takes one write; returns the messages it answers with (each is sent as notifications of
    /// at most MTU - 3 bytes).
    fn on_write(&mut self, data: &[u8]) -> Vec<Vec<u8>>;

    /// Whether `data` is a real-time command the device answers rather than data it keeps
    /// (such writes are not counted in [`SimPeripheral::received`]).
    fn is_command(&self, _data: &[u8]) -> bool {
        false
    }
}

/// How the simulated link behaves.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The ATT MTU the peripheral agrees to.
    pub mtu: u16,
    /// The platform's largest write without response, if it reports one.
    pub platform_max: Option<usize>,
    /// How long each write takes (a slow printer, or a connection interval).
    pub write_latency: Duration,
    /// The connection drops once, at the first write that would take the bytes received past
    /// this count (that write is lost).
    pub drop_after: Option<usize>,
    /// The first N connection attempts fail.
    pub failed_connects: u32,
    /// The peripheral's address.
    pub address: String,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            mtu: DEFAULT_MTU,
            platform_max: None,
            write_latency: Duration::ZERO,
            drop_after: None,
            failed_connects: 0,
            address: "SIM-PRINTER".into(),
        }
    }
}

/// One write the peripheral received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteRecord {
    /// Its size in bytes.
    pub len: usize,
    /// With or without response.
    pub kind: WriteKind,
    /// When it arrived (tokio's clock, so paused-clock tests can check pacing exactly).
    pub at: Instant,
}

struct Inner<D> {
    device: D,
    config: SimConfig,
    connected: bool,
    connects: u32,
    connect_attempts: u32,
    received: Vec<u8>,
    writes: Vec<WriteRecord>,
    notifications: VecDeque<Vec<u8>>,
    subscribed: bool,
}

/// A simulated peripheral; clone the handle to inspect it while a transport owns its link.
pub struct SimPeripheral<D> {
    inner: Arc<Mutex<Inner<D>>>,
    notify: Arc<Notify>,
}

impl<D> Clone for SimPeripheral<D> {
    fn clone(&self) -> Self {
        SimPeripheral {
            inner: Arc::clone(&self.inner),
            notify: Arc::clone(&self.notify),
        }
    }
}

impl<D: SimDevice> SimPeripheral<D> {
    /// A peripheral running `device` with `config`.
    pub fn new(device: D, config: SimConfig) -> SimPeripheral<D> {
        SimPeripheral {
            inner: Arc::new(Mutex::new(Inner {
                device,
                config,
                connected: false,
                connects: 0,
                connect_attempts: 0,
                received: Vec::new(),
                writes: Vec::new(),
                notifications: VecDeque::new(),
                subscribed: false,
            })),
            notify: Arc::new(Notify::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<D>> {
        // A panicking test thread poisons the lock; the data is still what was recorded.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A link to this peripheral, as a central would open one.
    pub fn link(&self) -> SimLink<D> {
        SimLink {
            peripheral: self.clone(),
        }
    }

    /// Every byte written to the peripheral, in the order received.
    pub fn received(&self) -> Vec<u8> {
        self.lock().received.clone()
    }

    /// Every write, in order.
    pub fn writes(&self) -> Vec<WriteRecord> {
        self.lock().writes.clone()
    }

    /// Successful connections so far.
    pub fn connects(&self) -> u32 {
        self.lock().connects
    }

    /// Forgets what was received (between jobs of a test).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.received.clear();
        inner.writes.clear();
    }

    /// Changes the link's behaviour from now on.
    pub fn configure(&self, change: impl FnOnce(&mut SimConfig)) {
        change(&mut self.lock().config);
    }

    /// Looks at or changes the simulated device.
    pub fn with_device<T>(&self, f: impl FnOnce(&mut D) -> T) -> T {
        f(&mut self.lock().device)
    }

    /// Drops the connection now, as a peripheral walking out of range does.
    pub fn drop_connection(&self) {
        self.lock().connected = false;
        self.notify.notify_waiters();
    }
}

/// The central's side of a link to a [`SimPeripheral`].
pub struct SimLink<D> {
    peripheral: SimPeripheral<D>,
}

#[async_trait]
impl<D: SimDevice> BleLink for SimLink<D> {
    async fn scan(
        &mut self,
        services: &[Uuid],
        _timeout: Duration,
    ) -> Result<Vec<Discovered>, DeviceError> {
        let inner = self.peripheral.lock();
        let advertised: Vec<Uuid> = inner
            .device
            .characteristics()
            .iter()
            .map(|c| c.service)
            .fold(Vec::new(), |mut all, s| {
                if !all.contains(&s) {
                    all.push(s);
                }
                all
            });
        if !services.is_empty() && !advertised.iter().any(|s| services.contains(s)) {
            return Ok(Vec::new());
        }
        Ok(vec![Discovered {
            address: inner.config.address.clone(),
            name: Some(inner.device.name()),
            services: advertised,
            rssi: Some(-50),
        }])
    }

    async fn connect(&mut self, address: &str) -> Result<(), DeviceError> {
        let mut inner = self.peripheral.lock();
        if address != inner.config.address {
            return Err(DeviceError::Connect {
                target: format!("ble:{address}"),
                reason: "no such peripheral in range".into(),
            });
        }
        inner.connect_attempts += 1;
        if inner.connect_attempts <= inner.config.failed_connects {
            return Err(DeviceError::Connect {
                target: format!("ble:{address}"),
                reason: "the peripheral did not answer (simulated)".into(),
            });
        }
        inner.connected = true;
        inner.connects += 1;
        inner.subscribed = false;
        inner.notifications.clear();
        Ok(())
    }

    async fn is_connected(&mut self) -> bool {
        self.peripheral.lock().connected
    }

    fn characteristics(&self) -> Vec<CharacteristicInfo> {
        let inner = self.peripheral.lock();
        if inner.connected {
            inner.device.characteristics()
        } else {
            Vec::new()
        }
    }

    fn mtu(&self) -> u16 {
        self.peripheral.lock().config.mtu
    }

    fn max_write_without_response(&self) -> Option<usize> {
        self.peripheral.lock().config.platform_max
    }

    async fn write(
        &mut self,
        characteristic: &CharacteristicInfo,
        data: &[u8],
        kind: WriteKind,
    ) -> Result<(), DeviceError> {
        let latency = self.peripheral.lock().config.write_latency;
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let mut inner = self.peripheral.lock();
        if !inner.connected {
            return Err(DeviceError::Bluetooth("not connected".into()));
        }
        let limit = match kind {
            WriteKind::WithResponse => chunk_size(inner.config.mtu, None),
            WriteKind::WithoutResponse => chunk_size(inner.config.mtu, inner.config.platform_max),
        };
        if data.len() > limit {
            return Err(DeviceError::Bluetooth(format!(
                "write of {} bytes is longer than the link's {limit}",
                data.len()
            )));
        }
        let allowed = match characteristic.properties {
            p if kind == WriteKind::WithResponse => p.write,
            p => p.write_without_response,
        };
        if !allowed || !inner.device.characteristics().contains(characteristic) {
            return Err(DeviceError::Bluetooth(format!(
                "characteristic {} does not take this write",
                characteristic.uuid
            )));
        }
        let command = inner.device.is_command(data);
        if let Some(limit) = inner.config.drop_after
            && !command
            && inner.received.len() + data.len() > limit
        {
            inner.config.drop_after = None;
            inner.connected = false;
            return Err(DeviceError::Bluetooth(
                "connection lost (simulated drop)".into(),
            ));
        }
        if !command {
            inner.received.extend_from_slice(data);
            let at = Instant::now();
            inner.writes.push(WriteRecord {
                len: data.len(),
                kind,
                at,
            });
        }
        let answers = inner.device.on_write(data);
        let notify_chunk = chunk_size(inner.config.mtu, None);
        if inner.subscribed {
            for answer in answers {
                for piece in answer.chunks(notify_chunk) {
                    inner.notifications.push_back(piece.to_vec());
                }
            }
            drop(inner);
            self.peripheral.notify.notify_one();
        }
        Ok(())
    }

    async fn subscribe(&mut self, characteristic: &CharacteristicInfo) -> Result<(), DeviceError> {
        let mut inner = self.peripheral.lock();
        if !inner.connected {
            return Err(DeviceError::Bluetooth("not connected".into()));
        }
        if !(characteristic.properties.notify || characteristic.properties.indicate) {
            return Err(DeviceError::Bluetooth(format!(
                "characteristic {} does not notify",
                characteristic.uuid
            )));
        }
        inner.subscribed = true;
        Ok(())
    }

    async fn next_notification(
        &mut self,
        timeout: Duration,
    ) -> Result<Option<Vec<u8>>, DeviceError> {
        let deadline = Instant::now() + timeout;
        loop {
            {
                let mut inner = self.peripheral.lock();
                if let Some(n) = inner.notifications.pop_front() {
                    return Ok(Some(n));
                }
                if !inner.connected {
                    return Err(DeviceError::Bluetooth("not connected".into()));
                }
            }
            let wait = self.peripheral.notify.notified();
            if tokio::time::timeout_at(deadline, wait).await.is_err() {
                return Ok(None);
            }
        }
    }

    async fn disconnect(&mut self) -> Result<(), DeviceError> {
        let mut inner = self.peripheral.lock();
        inner.connected = false;
        inner.subscribed = false;
        Ok(())
    }
}

/// A simulated receipt printer on the `18F0` service: jobs on `2AF1`, status answers on
/// `2AF0`. It answers `DLE EOT 2` and `DLE EOT 4` written on their own.
#[derive(Debug, Default)]
pub struct SimPrinter {
    /// What it says about itself.
    pub status: PrinterStatus,
    /// Status requests it answered.
    pub status_requests: u32,
}

impl SimPrinter {
    /// A simulated printer peripheral with `config`.
    pub fn peripheral(config: SimConfig) -> SimPeripheral<SimPrinter> {
        SimPeripheral::new(SimPrinter::default(), config)
    }
}

impl SimDevice for SimPrinter {
    fn name(&self) -> String {
        "Kasir simulated printer".into()
    }

    fn characteristics(&self) -> Vec<CharacteristicInfo> {
        let (service, write) = PRINTER_SERVICES[0];
        vec![
            CharacteristicInfo {
                service,
                uuid: write,
                properties: Properties {
                    write: true,
                    write_without_response: true,
                    notify: false,
                    indicate: false,
                },
            },
            CharacteristicInfo {
                service,
                uuid: uuid16(0x2AF0),
                properties: Properties {
                    notify: true,
                    ..Properties::default()
                },
            },
        ]
    }

    fn is_command(&self, data: &[u8]) -> bool {
        matches!(data, [0x10, 0x04, 0x02 | 0x04])
    }

    fn on_write(&mut self, data: &[u8]) -> Vec<Vec<u8>> {
        let (offline, paper) = self.status.answers();
        match data {
            [0x10, 0x04, 0x02] => {
                self.status_requests += 1;
                vec![vec![offline]]
            }
            [0x10, 0x04, 0x04] => {
                self.status_requests += 1;
                vec![vec![paper]]
            }
            _ => Vec::new(),
        }
    }
}
