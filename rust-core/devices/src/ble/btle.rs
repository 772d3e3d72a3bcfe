//! The real Bluetooth LE link over `btleplug` (BlueZ on Linux, CoreBluetooth on iOS and macOS,
//! the Android Bluetooth API through JNI, WinRT).
//!
//! On Android the app must call `btleplug::platform::init(env)` from a thread Java created
//! before the first link is opened, and keep every calling thread attached to the JVM. iOS
//! chooses the MTU itself; `mtu()` reports what it chose.

use std::pin::Pin;
use std::time::Duration;

use async_trait::async_trait;
use btleplug::api::{
    Central, CharPropFlags, Characteristic, Manager as _, Peripheral as _, ScanFilter,
    ValueNotification, WriteType,
};
use btleplug::platform::{Adapter, Manager, Peripheral};
use futures_util::{Stream, StreamExt};
use uuid::Uuid;

use crate::DeviceError;
use crate::ble::{BleLink, CharacteristicInfo, DEFAULT_MTU, Discovered, Properties, WriteKind};

type Notifications = Pin<Box<dyn Stream<Item = ValueNotification> + Send>>;

/// A link through the machine's first Bluetooth adapter.
pub struct BtleplugLink {
    adapter: Adapter,
    peripheral: Option<Peripheral>,
    characteristics: Vec<Characteristic>,
    notifications: Option<Notifications>,
    subscribed: Option<Uuid>,
}

impl BtleplugLink {
    /// Opens the first Bluetooth adapter. A machine without a radio (or, on Linux, without
    /// BlueZ on the system bus) gets [`DeviceError::NoAdapter`] saying so.
    pub async fn open() -> Result<BtleplugLink, DeviceError> {
        let manager = Manager::new().await.map_err(|e| {
            DeviceError::NoAdapter(format!("the Bluetooth service is not reachable ({e})"))
        })?;
        let adapter = manager
            .adapters()
            .await
            .map_err(|e| DeviceError::NoAdapter(e.to_string()))?
            .into_iter()
            .next()
            .ok_or_else(|| {
                DeviceError::NoAdapter("this machine has no Bluetooth adapter".into())
            })?;
        Ok(BtleplugLink {
            adapter,
            peripheral: None,
            characteristics: Vec::new(),
            notifications: None,
            subscribed: None,
        })
    }

    fn find(&self, characteristic: &CharacteristicInfo) -> Result<&Characteristic, DeviceError> {
        self.characteristics
            .iter()
            .find(|c| c.uuid == characteristic.uuid && c.service_uuid == characteristic.service)
            .ok_or_else(|| {
                DeviceError::Bluetooth(format!(
                    "characteristic {} is not on the peripheral",
                    characteristic.uuid
                ))
            })
    }

    fn connected(&self) -> Result<&Peripheral, DeviceError> {
        self.peripheral
            .as_ref()
            .ok_or_else(|| DeviceError::Bluetooth("not connected".into()))
    }
}

/// The peripheral the adapter already knows as `address`, if any.
async fn known(adapter: &Adapter, address: &str) -> Result<Option<Peripheral>, DeviceError> {
    let peripherals = adapter.peripherals().await.map_err(bt)?;
    Ok(peripherals
        .into_iter()
        .find(|p| is_wanted(&p.address().to_string(), &p.id().to_string(), address)))
}

fn bt(e: btleplug::Error) -> DeviceError {
    DeviceError::Bluetooth(e.to_string())
}

/// Kasir's view of a btleplug characteristic.
pub fn characteristic_info(c: &Characteristic) -> CharacteristicInfo {
    CharacteristicInfo {
        service: c.service_uuid,
        uuid: c.uuid,
        properties: properties(c.properties),
    }
}

/// Kasir's view of btleplug's property flags.
pub fn properties(flags: CharPropFlags) -> Properties {
    Properties {
        write: flags.contains(CharPropFlags::WRITE),
        write_without_response: flags.contains(CharPropFlags::WRITE_WITHOUT_RESPONSE),
        notify: flags.contains(CharPropFlags::NOTIFY),
        indicate: flags.contains(CharPropFlags::INDICATE),
    }
}

/// Whether a peripheral known by `address` (a MAC address) and `id` (the platform's identifier,
/// the only one on iOS) is the one asked for; MAC addresses compare without case.
pub fn is_wanted(address: &str, id: &str, wanted: &str) -> bool {
    let wanted = wanted.trim();
    address.eq_ignore_ascii_case(wanted) || id == wanted || id.eq_ignore_ascii_case(wanted)
}

/// btleplug's write type for a Kasir write.
pub fn write_type(kind: WriteKind) -> WriteType {
    match kind {
        WriteKind::WithResponse => WriteType::WithResponse,
        WriteKind::WithoutResponse => WriteType::WithoutResponse,
    }
}

#[async_trait]
impl BleLink for BtleplugLink {
    async fn scan(
        &mut self,
        services: &[Uuid],
        timeout: Duration,
    ) -> Result<Vec<Discovered>, DeviceError> {
        let filter = ScanFilter {
            services: services.to_vec(),
        };
        self.adapter.start_scan(filter).await.map_err(bt)?;
        tokio::time::sleep(timeout).await;
        let _ = self.adapter.stop_scan().await;
        let mut found = Vec::new();
        for p in self.adapter.peripherals().await.map_err(bt)? {
            let Some(props) = p.properties().await.map_err(bt)? else {
                continue;
            };
            // Some platforms ignore the filter; apply it here too.
            if !services.is_empty() && !props.services.iter().any(|s| services.contains(s)) {
                continue;
            }
            found.push(Discovered {
                address: if props.address.to_string() == "00:00:00:00:00:00" {
                    p.id().to_string()
                } else {
                    props.address.to_string()
                },
                name: props.local_name.or(props.advertisement_name),
                services: props.services,
                rssi: props.rssi,
            });
        }
        Ok(found)
    }

    async fn connect(&mut self, address: &str) -> Result<(), DeviceError> {
        let mut peripheral = known(&self.adapter, address).await?;
        if peripheral.is_none() {
            // A peripheral not seen since the adapter started must be scanned for first.
            self.scan(&[], Duration::from_secs(5)).await?;
            peripheral = known(&self.adapter, address).await?;
        }
        let peripheral = peripheral.ok_or_else(|| DeviceError::Connect {
            target: format!("ble:{address}"),
            reason: "not found in a 5 s scan: is it switched on and in range?".into(),
        })?;
        peripheral
            .connect_with_timeout(Duration::from_secs(10))
            .await
            .map_err(|e| DeviceError::Connect {
                target: format!("ble:{address}"),
                reason: e.to_string(),
            })?;
        peripheral
            .discover_services_with_timeout(Duration::from_secs(10))
            .await
            .map_err(bt)?;
        self.characteristics = peripheral.characteristics().into_iter().collect();
        self.notifications = Some(peripheral.notifications().await.map_err(bt)?);
        self.subscribed = None;
        self.peripheral = Some(peripheral);
        Ok(())
    }

    async fn is_connected(&mut self) -> bool {
        match &self.peripheral {
            Some(p) => p.is_connected().await.unwrap_or(false),
            None => false,
        }
    }

    fn characteristics(&self) -> Vec<CharacteristicInfo> {
        self.characteristics
            .iter()
            .map(characteristic_info)
            .collect()
    }

    fn mtu(&self) -> u16 {
        self.peripheral.as_ref().map_or(DEFAULT_MTU, |p| p.mtu())
    }

    fn max_write_without_response(&self) -> Option<usize> {
        // btleplug does not expose the platform's limit; BlueZ and CoreBluetooth size writes
        // without response by the MTU, which `chunk_size` already applies.
        None
    }

    async fn write(
        &mut self,
        characteristic: &CharacteristicInfo,
        data: &[u8],
        kind: WriteKind,
    ) -> Result<(), DeviceError> {
        let c = self.find(characteristic)?.clone();
        self.connected()?
            .write(&c, data, write_type(kind))
            .await
            .map_err(bt)
    }

    async fn subscribe(&mut self, characteristic: &CharacteristicInfo) -> Result<(), DeviceError> {
        let c = self.find(characteristic)?.clone();
        self.connected()?.subscribe(&c).await.map_err(bt)?;
        self.subscribed = Some(c.uuid);
        Ok(())
    }

    async fn next_notification(
        &mut self,
        timeout: Duration,
    ) -> Result<Option<Vec<u8>>, DeviceError> {
        let subscribed = self.subscribed;
        let Some(stream) = self.notifications.as_mut() else {
            return Err(DeviceError::Bluetooth("not connected".into()));
        };
        let next = async {
            while let Some(n) = stream.next().await {
                if Some(n.uuid) == subscribed {
                    return Some(n.value);
                }
            }
            None
        };
        match tokio::time::timeout(timeout, next).await {
            Ok(Some(value)) => Ok(Some(value)),
            Ok(None) => Err(DeviceError::Bluetooth("the peripheral disconnected".into())),
            Err(_) => Ok(None),
        }
    }

    async fn disconnect(&mut self) -> Result<(), DeviceError> {
        self.notifications = None;
        self.subscribed = None;
        if let Some(p) = self.peripheral.take() {
            p.disconnect().await.map_err(bt)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::ble::{PRINTER_SERVICES, select_channel, uuid16};

    fn btleplug_characteristic(service: Uuid, uuid: Uuid, flags: CharPropFlags) -> Characteristic {
        Characteristic {
            uuid,
            service_uuid: service,
            properties: flags,
            descriptors: BTreeSet::new(),
        }
    }

    #[test]
    fn btleplug_flags_map_to_kasir_properties() {
        let p = properties(CharPropFlags::WRITE_WITHOUT_RESPONSE | CharPropFlags::NOTIFY);
        assert_eq!(
            p,
            Properties {
                write: false,
                write_without_response: true,
                notify: true,
                indicate: false
            }
        );
    }

    #[test]
    fn printer_channel_is_chosen_from_btleplug_characteristics() {
        let (service, write) = PRINTER_SERVICES[3];
        let found = [
            btleplug_characteristic(uuid16(0x1800), uuid16(0x2A00), CharPropFlags::READ),
            btleplug_characteristic(
                service,
                write,
                CharPropFlags::WRITE | CharPropFlags::WRITE_WITHOUT_RESPONSE,
            ),
            btleplug_characteristic(service, write, CharPropFlags::NOTIFY),
        ];
        let infos: Vec<_> = found.iter().map(characteristic_info).collect();
        let channel = select_channel(&infos).expect("a channel");
        assert_eq!(channel.write.uuid, write);
        assert!(channel.write.properties.write_without_response);
    }

    #[test]
    fn addresses_match_without_case_and_platform_ids_exactly() {
        assert!(is_wanted(
            "AA:BB:CC:DD:EE:FF",
            "hci0/dev_AA",
            "aa:bb:cc:dd:ee:ff"
        ));
        assert!(is_wanted(
            "00:00:00:00:00:00",
            "5C1A6D2E-0000",
            "5C1A6D2E-0000"
        ));
        assert!(!is_wanted("AA:BB:CC:DD:EE:FF", "x", "AA:BB:CC:DD:EE:00"));
    }

    #[test]
    fn write_kinds_map_to_btleplug_write_types() {
        assert_eq!(write_type(WriteKind::WithResponse), WriteType::WithResponse);
        assert_eq!(
            write_type(WriteKind::WithoutResponse),
            WriteType::WithoutResponse
        );
    }
}
