// A real kasir-cloud for the sync tests of KasirKit and of the view models (a target of its
// own, so that both test targets share it): the workspace's build of the server on a free loopback
// port with its own SQLite file, a merchant made with its operator command, and the owner's
// side of the HTTP API (stores, enrolment codes, catalog changes, day reports).

import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running `kasir-cloud serve`, stopped by ``stop()`` or when released.
public final class Cloud: @unchecked Sendable {
    // @unchecked: every property is set once in `init` and only read afterwards.
    public let url: URL
    private let ownerToken: String
    private let server: Process
    private let folder: URL

    /// The server binary: `KASIR_CLOUD_BIN`, or the workspace's debug build.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["KASIR_CLOUD_BIN"] {
            return URL(fileURLWithPath: path)
        }
        // ios/KasirKit/Tests/KasirTestSupport/Cloud.swift: the repository root is five components up.
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { root.deleteLastPathComponent() }
        return root.appendingPathComponent("target/debug/kasir-cloud")
    }

    /// Starts a server and creates a merchant account on it.
    public init() throws {
        guard FileManager.default.isExecutableFile(atPath: Cloud.binary.path) else {
            throw CloudSetupError("no kasir-cloud at \(Cloud.binary.path): run `cargo build -p kasir-cloud`")
        }
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("kasir-cloud-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = "sqlite://\(folder.appendingPathComponent("cloud.db").path)"

        server = Process()
        server.executableURL = Cloud.binary
        server.arguments = ["--database", database, "serve", "--listen", "127.0.0.1:0"]
        server.environment = ["KASIR_CLOUD_LOG": "warn"]
        let output = Pipe()
        server.standardOutput = output
        try server.run()
        // The parent's copy of the write end must go, or reading would never see the end.
        try output.fileHandleForWriting.close()
        let line = Cloud.firstLine(of: output.fileHandleForReading)
        guard let address = line.split(separator: " ").last, line.hasPrefix("listening on "),
              let url = URL(string: String(address))
        else {
            kill(server.processIdentifier, SIGKILL)
            throw CloudSetupError("kasir-cloud did not say where it listens: \(line)")
        }
        self.url = url

        let create = Process()
        create.executableURL = Cloud.binary
        create.arguments = ["--database", database, "merchant", "create", "Warung Swift", "--json"]
        create.environment = ["KASIR_CLOUD_LOG": "warn"]
        let answer = Pipe()
        create.standardOutput = answer
        try create.run()
        try answer.fileHandleForWriting.close()
        let data = answer.fileHandleForReading.readDataToEndOfFile()
        create.waitUntilExit()
        let merchant = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let token = merchant?["owner_token"] as? String else {
            kill(server.processIdentifier, SIGKILL)
            throw CloudSetupError("merchant create gave no owner token")
        }
        ownerToken = token
    }

    private static func firstLine(of handle: FileHandle) -> String {
        var bytes = Data()
        while true {
            let chunk = handle.readData(ofLength: 1)
            if chunk.isEmpty || chunk == Data("\n".utf8) { break }
            bytes.append(chunk)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Stops the server (SIGKILL: it shuts down gracefully only on Ctrl-C).
    public func stop() {
        if server.isRunning {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit {
        stop()
    }

    /// Calls an owner endpoint and returns its JSON answer; fails on a non-2xx status.
    public func owner(_ method: String, _ path: String, body: Any? = nil) async throws -> [String: Any] {
        var request = URLRequest(url: url.appendingPathComponent(path))
        request.httpMethod = method
        request.setValue("1", forHTTPHeaderField: "kasir-protocol")
        request.setValue("Bearer \(ownerToken)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let (data, status) = try await Cloud.send(request)
        guard (200..<300).contains(status) else {
            throw CloudSetupError("\(method) \(path): \(status) \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    private static func send(_ request: URLRequest) async throws -> (Data, Int) {
        try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                } else {
                    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                    continuation.resume(returning: (data ?? Data(), status))
                }
            }.resume()
        }
    }

    /// Opens a store in the merchant's account; returns its id.
    public func createStore(name: String) async throws -> String {
        let store = try await owner("POST", "v1/owner/stores", body: ["name": name])
        return try XCTUnwrap(store["store_id"] as? String)
    }

    /// A one-time enrolment code for `store`.
    public func enrolmentCode(store: String) async throws -> String {
        let code = try await owner("POST", "v1/owner/stores/\(store)/enrolments", body: [String: Any]())
        return try XCTUnwrap(code["code"] as? String)
    }
}

/// Why the cloud for a test could not be set up (the test fails with it).
public struct CloudSetupError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
