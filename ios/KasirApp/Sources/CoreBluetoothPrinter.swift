// The receipt printer over CoreBluetooth: one connection per print to a printer saved as
// `ble:IDENTIFIER` (iOS hides Bluetooth addresses; the identifier is the peripheral's UUID, as
// the devices screen's scan saves it). The core (`printOverBle`) chunks and orders the bytes;
// this file only connects, finds the printer's characteristic and moves one chunk at a time.
//
// Written against CoreBluetooth but only parsed in this repository's checks (`swiftc -parse`
// in scripts/test-swift.sh); the chunking it relies on is tested in the core and in KasirKit's
// BlePrintTests.

import CoreBluetooth
import Foundation
import KasirKit
import KasirViewModels

/// The app's receipt printer: `ble:` printers over `CoreBluetoothPrinterLink`.
func coreBluetoothReceiptPrinter() -> BleReceiptPrinter {
    BleReceiptPrinter { identifier in try await CoreBluetoothPrinterLink.connect(identifier: identifier) }
}

/// One connection to a receipt printer's write characteristic, as the core's `BlePrinterLink`.
///
/// - The central and every delegate callback run on `queue`, never the main thread: the core
///   calls `write` on its own background thread and that call waits for the callbacks.
/// - The MTU: iOS negotiates it by itself and does not tell it; what it tells is
///   `maximumWriteValueLength(for: .withoutResponse)`, which is the ATT MTU - 3. The link reports
///   that plus 3 as the MTU and the same value as the platform's limit (R-07), so chunks are
///   exactly what iOS takes in one packet.
/// - Writes with response wait for `peripheral(_:didWriteValueFor:error:)`; writes without
///   response wait until `canSendWriteWithoutResponse` (signalled by
///   `peripheralIsReady(toSendWriteWithoutResponse:)`), iOS's flow control, so its queue never
///   drops a chunk.
final class CoreBluetoothPrinterLink: NSObject, BlePrinterLink, BlePrinterConnection,
    CBCentralManagerDelegate, CBPeripheralDelegate, @unchecked Sendable
{
    // @unchecked: every mutable property is touched on `queue` only.
    private let queue = DispatchQueue(label: "id.kasir.printer-link")
    private let identifier: UUID
    private var central: CBCentralManager?
    private var peripheral: CBPeripheral?
    private var characteristic: CBCharacteristic?
    private var connected: CheckedContinuation<Void, Error>?
    private var disconnected = false
    /// Signalled by a write's answer (with response) or by the peripheral being ready again.
    private let answered = DispatchSemaphore(value: 0)
    private var writeError: Error?

    private static let connectTimeout: TimeInterval = 15
    private static let writeTimeout: DispatchTimeInterval = .seconds(5)

    /// What failed, in words for the clerk.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private init(identifier: UUID) {
        self.identifier = identifier
    }

    var link: BlePrinterLink { self }

    /// Connects to the printer with `identifier` and finds its write characteristic.
    static func connect(identifier: String) async throws -> CoreBluetoothPrinterLink {
        guard let uuid = UUID(uuidString: identifier) else {
            throw KasirError.DeviceUnavailable(reason: "`\(identifier)` is not a Bluetooth peripheral identifier")
        }
        let link = CoreBluetoothPrinterLink(identifier: uuid)
        let timeout = Task { [weak link] in
            try await Task.sleep(nanoseconds: UInt64(connectTimeout * 1_000_000_000))
            link?.fail(Failure(description: "the printer did not answer within \(Int(connectTimeout)) s"))
        }
        defer { timeout.cancel() }
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                link.queue.async {
                    link.connected = continuation
                    // The manager reports its state first (centralManagerDidUpdateState).
                    link.central = CBCentralManager(delegate: link, queue: link.queue)
                }
            }
        } catch {
            link.close()
            throw KasirError.DeviceUnavailable(reason: "\(error)")
        }
        return link
    }

    /// Ends the connection attempt with `error` (once).
    private func fail(_ error: Error) {
        queue.async {
            self.connected?.resume(throwing: error)
            self.connected = nil
        }
    }

    // BlePrinterLink: called by the core on its background thread.

    func mtu() -> UInt16 {
        let payload = queue.sync { peripheral?.maximumWriteValueLength(for: .withoutResponse) ?? 20 }
        return UInt16(clamping: payload + 3)
    }

    func maxWriteWithoutResponse() -> UInt32? {
        queue.sync { peripheral.map { UInt32(clamping: $0.maximumWriteValueLength(for: .withoutResponse)) } }
    }

    func supportsWriteWithoutResponse() -> Bool {
        queue.sync { characteristic?.properties.contains(.writeWithoutResponse) ?? false }
    }

    func write(chunk: Data, withResponse: Bool) throws {
        // A readiness signal left from an earlier chunk must not stand for this one's answer.
        while answered.wait(timeout: .now()) == .success {}
        if withResponse {
            try queue.sync {
                guard let peripheral, let characteristic, !disconnected else { throw BleLinkError.WriteFailed(reason: "the printer disconnected") }
                writeError = nil
                peripheral.writeValue(chunk, for: characteristic, type: .withResponse)
            }
            try awaitAnswer()
            if let error = queue.sync(execute: { writeError }) {
                throw BleLinkError.WriteFailed(reason: error.localizedDescription)
            }
            return
        }
        while true {
            let sent: Bool = try queue.sync {
                guard let peripheral, let characteristic, !disconnected else { throw BleLinkError.WriteFailed(reason: "the printer disconnected") }
                guard peripheral.canSendWriteWithoutResponse else { return false }
                peripheral.writeValue(chunk, for: characteristic, type: .withoutResponse)
                return true
            }
            if sent { return }
            // iOS's queue is full: wait for peripheralIsReady(toSendWriteWithoutResponse:).
            try awaitAnswer()
        }
    }

    private func awaitAnswer() throws {
        if answered.wait(timeout: .now() + Self.writeTimeout) == .timedOut {
            throw BleLinkError.WriteFailed(reason: "the printer did not take a write within 5 s")
        }
        if queue.sync(execute: { disconnected }) {
            throw BleLinkError.WriteFailed(reason: "the printer disconnected")
        }
    }

    func close() {
        queue.async {
            if let peripheral = self.peripheral { self.central?.cancelPeripheralConnection(peripheral) }
            self.peripheral = nil
            self.central = nil
        }
    }

    // CBCentralManagerDelegate, on `queue`.

    func centralManagerDidUpdateState(_ central: CBCentralManager) {
        switch central.state {
        case .poweredOn:
            guard connected != nil else { return }
            guard let found = central.retrievePeripherals(withIdentifiers: [identifier]).first else {
                fail(Failure(description: "the printer is not known to this iPhone: search for it again in the devices screen"))
                return
            }
            peripheral = found
            found.delegate = self
            central.connect(found)
        case .unauthorized:
            fail(Failure(description: "Kasir may not use Bluetooth: allow it in the Settings app"))
        case .poweredOff:
            fail(Failure(description: "Bluetooth is off"))
        case .unsupported:
            fail(Failure(description: "this device has no Bluetooth LE"))
        default:
            break // .unknown and .resetting: another update follows.
        }
    }

    func centralManager(_ central: CBCentralManager, didConnect peripheral: CBPeripheral) {
        peripheral.discoverServices(printerServices().map { CBUUID(string: $0.service) })
    }

    func centralManager(_ central: CBCentralManager, didFailToConnect peripheral: CBPeripheral, error: Error?) {
        fail(Failure(description: "cannot connect to the printer: \(error?.localizedDescription ?? "no reason given")"))
    }

    func centralManager(_ central: CBCentralManager, didDisconnectPeripheral peripheral: CBPeripheral, error: Error?) {
        disconnected = true
        fail(Failure(description: "the printer disconnected"))
        answered.signal() // A waiting write ends at once.
    }

    // CBPeripheralDelegate, on `queue`.

    func peripheral(_ peripheral: CBPeripheral, didDiscoverServices error: Error?) {
        let known = printerServices()
        // The core's order: the first known service the printer has.
        guard let service = known.lazy.compactMap({ wanted in
            peripheral.services?.first { $0.uuid == CBUUID(string: wanted.service) }
        }).first else {
            fail(Failure(description: "the printer has no known printer service"))
            return
        }
        peripheral.discoverCharacteristics(nil, for: service)
    }

    func peripheral(_ peripheral: CBPeripheral, didDiscoverCharacteristicsFor service: CBService, error: Error?) {
        let writable: CBCharacteristicProperties = [.write, .writeWithoutResponse]
        let knownCharacteristic = printerServices().first { CBUUID(string: $0.service) == service.uuid }
            .map { CBUUID(string: $0.characteristic) }
        let characteristics = service.characteristics ?? []
        let chosen = characteristics.first { $0.uuid == knownCharacteristic && !$0.properties.isDisjoint(with: writable) }
            ?? characteristics.first { !$0.properties.isDisjoint(with: writable) }
        guard let chosen else {
            fail(Failure(description: "the printer has no writable characteristic"))
            return
        }
        characteristic = chosen
        connected?.resume()
        connected = nil
    }

    func peripheral(_ peripheral: CBPeripheral, didWriteValueFor characteristic: CBCharacteristic, error: Error?) {
        writeError = error
        answered.signal()
    }

    func peripheralIsReady(toSendWriteWithoutResponse peripheral: CBPeripheral) {
        answered.signal()
    }
}
