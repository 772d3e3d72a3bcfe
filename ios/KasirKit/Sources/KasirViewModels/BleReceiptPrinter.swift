// The phones' receipt printer for Bluetooth LE printers (Kotlin `BleReceiptPrinter`): the
// platform opens the GATT link, the core chunks and orders the bytes (`printOverBle`).

import Foundation
import KasirKit

/// One open connection to a Bluetooth LE printer: the `link` the core writes the receipt
/// through, closed (the peripheral let go) once the job is done or failed.
public protocol BlePrinterConnection: AnyObject, Sendable {
    var link: BlePrinterLink { get }
    func close()
}

/// A printer service and its write characteristic, as the core knows them
/// (`kasir_devices::ble::PRINTER_SERVICES`), most common first.
public struct PrinterService: Equatable, Sendable {
    public let service: String
    public let characteristic: String
}

/// The printer services the core drives, for a scan or a service lookup on a connected printer.
public func printerServices() -> [PrinterService] {
    blePrinterServices().map { PrinterService(service: $0.service, characteristic: $0.characteristic) }
}

/// The `ReceiptPrinter` for printers saved with a `ble:ADDRESS` target, or `bt:ADDRESS` as the
/// devices screen saves what its BLE scan finds (on iOS the address is the peripheral's
/// identifier): `connect` opens the platform's link (CoreBluetooth in the
/// app), and the core's `printOverBle` sends the receipt over it, in chunks of MTU - 3 bytes,
/// never more than the platform's write-without-response maximum, in order. Failures are thrown
/// as `KasirError.DeviceUnavailable` naming the printer and what reached it.
public final class BleReceiptPrinter: ReceiptPrinter {
    public typealias Connect = @Sendable (String) async throws -> BlePrinterConnection

    private let connect: Connect

    public init(connect: @escaping Connect) {
        self.connect = connect
    }

    public func send(_ printer: SavedPrinter, _ bytes: Data) async throws {
        guard let address = Self.bleAddress(printer.target) else {
            throw KasirError.DeviceUnavailable(
                reason: "printer \(printer.name) (`\(printer.target)`) is not a Bluetooth LE printer (ble:ADDRESS)")
        }
        let connection: BlePrinterConnection
        do {
            connection = try await connect(address)
        } catch let error as KasirError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw KasirError.DeviceUnavailable(reason: "printer \(printer.name): cannot connect (\(error))")
        }
        defer { connection.close() }
        do {
            _ = try await printOverBle(link: connection.link, job: bytes)
        } catch let error as BlePrintError {
            throw KasirError.DeviceUnavailable(reason: "printer \(printer.name): \(Self.describe(error))")
        }
    }

    /// The address of a `ble:ADDRESS` target (the core's name for a Bluetooth LE printer), or of
    /// a `bt:ADDRESS` one (what the devices screen saves for a printer its BLE scan found); nil
    /// for any other kind.
    public static func bleAddress(_ target: String) -> String? {
        guard let prefix = ["ble:", "bt:"].first(where: { target.hasPrefix($0) }) else { return nil }
        let address = target.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        return address.isEmpty ? nil : address
    }

    /// The core's error in words for the clerk.
    public static func describe(_ error: BlePrintError) -> String {
        switch error {
        case .EmptyJob:
            return "the receipt is empty"
        case .NotSent(let reason):
            return "nothing was printed (\(reason)); try again"
        case .Interrupted(let sent, let total, _, let reason):
            return "the connection broke after \(sent) of \(total) bytes (\(reason)); "
                + "the receipt may be partly printed, check the paper before printing again"
        case .Cancelled(let sent, let total):
            return "printing stopped after \(sent) of \(total) bytes"
        case .Internal(let reason):
            return reason
        }
    }
}
