// The paired card reader over CoreBluetooth: the core's reference reader
// (`PaymentReader.overLink`) over `CoreBluetoothCardReaderLink`, which connects on the core's
// first call during a payment and hands every notification of the reader's events
// characteristic back to `PaymentReader.notify`. The core does the framing, the chunking and
// the reading of the result; this file only connects, subscribes and moves one chunk at a time.
//
// Written against CoreBluetooth but only parsed in this repository's checks (`swiftc -parse`
// in scripts/test-swift.sh); the framing it relies on is tested in the core.

import CoreBluetooth
import Foundation
import KasirKit
import KasirViewModels

/// The app's card reader: the reference reader over `CoreBluetoothCardReaderLink`.
func coreBluetoothCardReader() -> PaymentReader {
    let link = CoreBluetoothCardReaderLink()
    let reader = PaymentReader.overLink(link: link)
    link.reader = reader
    return reader
}

/// The connection to the card reader, as the core's `CardReaderLink`.
///
/// - Connects lazily, blocking the core's background thread: the peripheral remembered in the
///   user defaults (`card-reader`, its identifier; iOS hides addresses) if iOS still knows it,
///   else the first peripheral advertising the reader's service (`cardReaderService()`) within
///   `scanTimeout`. The identifier is remembered once the link is ready and forgotten when
///   connecting to it fails, so that the next payment scans again.
/// - Then discovers the service and its command and events characteristics and turns on the
///   events' notifications (`setNotifyValue`, awaited in `didUpdateNotificationStateFor`);
///   every `didUpdateValueFor` of the events characteristic goes to `reader.notify`.
/// - The MTU: iOS negotiates it by itself; the link reports
///   `maximumWriteValueLength(for: .withResponse) + 3`.
/// - Writes are with response and wait for `didWriteValueFor`. A disconnection ends a waiting
///   write at once; the next write connects again.
/// - The central and every delegate callback run on `queue`, never the main thread.
final class CoreBluetoothCardReaderLink: NSObject, CardReaderLink, CBCentralManagerDelegate,
    CBPeripheralDelegate, @unchecked Sendable
{
    // @unchecked: every mutable property is touched on `queue` only (`reader` is set once, before use).
    var reader: PaymentReader?
    private let queue = DispatchQueue(label: "id.kasir.card-reader-link")
    /// Serialises the core's calls (connect, then one write at a time).
    private let calls = NSLock()
    private let defaults = UserDefaults.standard
    private var central: CBCentralManager?
    private var peripheral: CBPeripheral?
    private var command: CBCharacteristic?
    private var events: CBCharacteristic?
    private var ready = false
    private var disconnected = false
    private var scanning = false
    /// Why connecting failed, once it did; nil while it goes on or when it succeeded.
    private var connectError: String?
    private var connecting: DispatchSemaphore?
    private let answered = DispatchSemaphore(value: 0)
    private var writeError: Error?

    private static let identifierKey = "card-reader"
    private static let scanTimeout: TimeInterval = 8
    private static let connectTimeout: TimeInterval = 15
    private static let writeTimeout: DispatchTimeInterval = .seconds(5)

    private let uuids = cardReaderService()

    // CardReaderLink: called by the core on its background thread.

    func mtu() -> UInt16 {
        calls.lock()
        defer { calls.unlock() }
        // The next write says why when the reader cannot be reached now.
        guard (try? connectIfNeeded()) != nil else { return 23 }
        let payload = queue.sync { peripheral?.maximumWriteValueLength(for: .withResponse) ?? 20 }
        return UInt16(clamping: payload + 3)
    }

    func write(chunk: Data) throws {
        calls.lock()
        defer { calls.unlock() }
        try connectIfNeeded()
        // An answer left from an earlier write must not stand for this one's.
        while answered.wait(timeout: .now()) == .success {}
        try queue.sync {
            guard let peripheral, let command, ready, !disconnected else {
                throw BleLinkError.WriteFailed(reason: "the card reader disconnected")
            }
            writeError = nil
            peripheral.writeValue(chunk, for: command, type: .withResponse)
        }
        if answered.wait(timeout: .now() + Self.writeTimeout) == .timedOut {
            throw BleLinkError.WriteFailed(reason: "the card reader did not answer a write within 5 s")
        }
        let (down, error) = queue.sync { (disconnected, writeError) }
        if down { throw BleLinkError.WriteFailed(reason: "the card reader disconnected") }
        if let error { throw BleLinkError.WriteFailed(reason: "the card reader refused a write: \(error.localizedDescription)") }
    }

    /// Connects when there is no ready connection; blocks until ready or failed.
    private func connectIfNeeded() throws {
        let done = DispatchSemaphore(value: 0)
        let alreadyReady: Bool = queue.sync {
            if ready && !disconnected { return true }
            drop()
            connectError = nil
            connecting = done
            // The manager reports its state first (centralManagerDidUpdateState).
            central = CBCentralManager(delegate: self, queue: queue)
            return false
        }
        if alreadyReady { return }
        if done.wait(timeout: .now() + Self.connectTimeout) == .timedOut {
            queue.sync { fail("the card reader did not answer within \(Int(Self.connectTimeout)) s") }
        }
        let reason: String? = queue.sync { ready ? nil : (connectError ?? "the card reader could not be reached") }
        if let reason {
            queue.sync { drop() }
            throw BleLinkError.WriteFailed(reason: reason)
        }
    }

    /// Ends the connection attempt with `reason` (once); on `queue`.
    private func fail(_ reason: String) {
        guard let connecting else { return }
        if peripheral != nil, defaults.string(forKey: Self.identifierKey) == peripheral?.identifier.uuidString {
            // A remembered reader that cannot be reached is forgotten: the next payment scans.
            defaults.removeObject(forKey: Self.identifierKey)
        }
        connectError = reason
        ready = false
        self.connecting = nil
        connecting.signal()
    }

    /// Drops the connection, if any; on `queue`.
    private func drop() {
        if scanning { central?.stopScan() }
        scanning = false
        if let peripheral { central?.cancelPeripheralConnection(peripheral) }
        peripheral = nil
        central = nil
        command = nil
        events = nil
        ready = false
        disconnected = false
    }

    private func connect(_ found: CBPeripheral, on central: CBCentralManager) {
        peripheral = found
        found.delegate = self
        central.connect(found)
    }

    // CBCentralManagerDelegate, on `queue`.

    func centralManagerDidUpdateState(_ central: CBCentralManager) {
        switch central.state {
        case .poweredOn:
            guard connecting != nil, peripheral == nil, !scanning else { return }
            if let remembered = defaults.string(forKey: Self.identifierKey).flatMap(UUID.init(uuidString:)),
               let known = central.retrievePeripherals(withIdentifiers: [remembered]).first
            {
                connect(known, on: central)
                return
            }
            scanning = true
            central.scanForPeripherals(withServices: [CBUUID(string: uuids.service)])
            let attempt = connecting
            queue.asyncAfter(deadline: .now() + Self.scanTimeout) { [weak self] in
                // Only this attempt's scan: a later attempt has its own timer.
                guard let self, self.scanning, self.connecting === attempt else { return }
                self.scanning = false
                central.stopScan()
                self.fail("no card reader found nearby within \(Int(Self.scanTimeout)) s: is it on?")
            }
        case .unauthorized:
            fail("Kasir may not use Bluetooth: allow it in the Settings app")
        case .poweredOff:
            fail("Bluetooth is off")
        case .unsupported:
            fail("this device has no Bluetooth LE")
        default:
            break // .unknown and .resetting: another update follows.
        }
    }

    func centralManager(_ central: CBCentralManager, didDiscover peripheral: CBPeripheral,
                        advertisementData: [String: Any], rssi RSSI: NSNumber)
    {
        guard scanning else { return }
        scanning = false
        central.stopScan()
        connect(peripheral, on: central)
    }

    func centralManager(_ central: CBCentralManager, didConnect peripheral: CBPeripheral) {
        peripheral.discoverServices([CBUUID(string: uuids.service)])
    }

    func centralManager(_ central: CBCentralManager, didFailToConnect peripheral: CBPeripheral, error: Error?) {
        fail("cannot connect to the card reader: \(error?.localizedDescription ?? "no reason given")")
    }

    func centralManager(_ central: CBCentralManager, didDisconnectPeripheral peripheral: CBPeripheral, error: Error?) {
        disconnected = true
        ready = false
        fail("the card reader disconnected")
        answered.signal() // A waiting write ends at once.
    }

    // CBPeripheralDelegate, on `queue`.

    func peripheral(_ peripheral: CBPeripheral, didDiscoverServices error: Error?) {
        guard let service = peripheral.services?.first(where: { $0.uuid == CBUUID(string: uuids.service) }) else {
            fail("the device found is not a card reader: it lacks the reader's service")
            return
        }
        peripheral.discoverCharacteristics([CBUUID(string: uuids.command), CBUUID(string: uuids.events)], for: service)
    }

    func peripheral(_ peripheral: CBPeripheral, didDiscoverCharacteristicsFor service: CBService, error: Error?) {
        let characteristics = service.characteristics ?? []
        guard let command = characteristics.first(where: { $0.uuid == CBUUID(string: uuids.command) }),
              let events = characteristics.first(where: { $0.uuid == CBUUID(string: uuids.events) })
        else {
            fail("the card reader's service lacks its command or events characteristic")
            return
        }
        self.command = command
        self.events = events
        peripheral.setNotifyValue(true, for: events)
    }

    func peripheral(_ peripheral: CBPeripheral, didUpdateNotificationStateFor characteristic: CBCharacteristic,
                    error: Error?)
    {
        guard characteristic.uuid == events?.uuid else { return }
        if let error {
            fail("the card reader refused its notifications: \(error.localizedDescription)")
            return
        }
        guard characteristic.isNotifying else {
            fail("notifications of the card reader's events could not be turned on")
            return
        }
        ready = true
        defaults.set(peripheral.identifier.uuidString, forKey: Self.identifierKey)
        let connecting = self.connecting
        self.connecting = nil
        connecting?.signal()
    }

    func peripheral(_ peripheral: CBPeripheral, didUpdateValueFor characteristic: CBCharacteristic, error: Error?) {
        guard characteristic.uuid == events?.uuid, error == nil, let value = characteristic.value else { return }
        // Only the simulated reader refuses notifications; this link's reader is never one.
        try? reader?.notify(bytes: value)
    }

    func peripheral(_ peripheral: CBPeripheral, didWriteValueFor characteristic: CBCharacteristic, error: Error?) {
        writeError = error
        answered.signal()
    }
}
