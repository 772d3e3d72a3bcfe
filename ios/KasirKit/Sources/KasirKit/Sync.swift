import Foundation

/// One background sync as a screen shows it: what the sync did and where sync stands after it.
public struct SyncUpdate: Sendable {
    /// The sync that finished: its report, or the error it will be retried after.
    public let event: SyncEvent
    /// The sync status right after it (waiting events, last success, rejected events), or
    /// nil if the store could not be read.
    public let status: SyncStatus?
}

extension KasirStore {
    /// Enrols this device with a cloud account: trades the owner's one-time `code` for a
    /// device token at `server`, then fetches the cloud's catalog and settings. Returns each
    /// setting the cloud's changed (old -> new) for the screen to show; the device keeps its own
    /// value where the cloud has none. Refused when the device is already enrolled.
    @discardableResult
    public func enrol(server: URL, code: String) async throws -> [SettingChange] {
        try await core.enrol(serverUrl: server.absoluteString, code: code)
    }

    /// Sends every sale waiting in the outbox and applies the cloud's changes, once.
    ///
    /// uniffi's Swift bindings do not pass a task's cancellation on to the core: a cancelled
    /// task still waits for this sync to end. To stop syncing at any moment, run it in the
    /// background with ``startSync(every:batchSize:network:)`` and cancel that.
    public func syncOnce() async throws -> SyncReport {
        // TODO(issue 4): a cancellable one-off sync needs a handle from the core (as background
        // sync has) or cancellation support in uniffi's Swift futures.
        try await core.syncOnce()
    }

    /// What the sync screen shows: enrolment, events waiting, last success and error.
    public func syncStatus() async throws -> SyncStatus {
        try core.syncStatus()
    }

    /// Starts syncing in the background: now, then every `interval`, sooner when `network`
    /// reports the network is back, with a growing delay after failures.
    ///
    /// Iterate the returned ``BackgroundSync/updates`` for each outcome. Sync stops when the
    /// ``BackgroundSync`` is cancelled or released, or when the task iterating its stream is
    /// cancelled; keep it for as long as the app should sync.
    public func startSync(
        every interval: Duration = .seconds(300),
        batchSize: Int = 200,
        network: (any NetworkMonitor)? = nil
    ) throws -> BackgroundSync {
        let (updates, continuation) = AsyncStream.makeStream(
            of: SyncUpdate.self, bufferingPolicy: .bufferingNewest(32))
        let options = SyncOptions(
            intervalSecs: UInt64(max(interval.components.seconds, 1)),
            batchSize: UInt32(clamping: batchSize))
        let listener = StreamingSyncListener(core: core, continuation: continuation)
        let handle = try core.startSync(options: options, listener: listener, monitor: network)
        continuation.onTermination = { _ in handle.cancel() }
        return BackgroundSync(handle: handle, updates: updates, continuation: continuation)
    }
}

/// Background sync started by ``KasirStore/startSync(every:batchSize:network:)``.
public final class BackgroundSync: Sendable {
    /// Every sync's outcome, in order; finishes when sync is cancelled.
    public let updates: AsyncStream<SyncUpdate>
    private let handle: SyncHandle
    private let continuation: AsyncStream<SyncUpdate>.Continuation

    init(handle: SyncHandle, updates: AsyncStream<SyncUpdate>,
         continuation: AsyncStream<SyncUpdate>.Continuation)
    {
        self.handle = handle
        self.updates = updates
        self.continuation = continuation
    }

    /// Syncs now instead of at the next turn (a "sync now" button, or a sale just completed).
    public func syncNow() {
        handle.syncNow()
    }

    /// Whether sync is still running.
    public var isRunning: Bool { handle.isRunning() }

    /// Stops syncing and finishes ``updates``. A sync in flight is abandoned; its events are
    /// sent again by the next sync and the cloud stores each once.
    public func cancel() {
        handle.cancel()
        continuation.finish()
    }

    deinit {
        cancel()
    }
}

/// Turns the core's sync callbacks into stream elements.
private final class StreamingSyncListener: SyncListener {
    private let core: Kasir
    private let continuation: AsyncStream<SyncUpdate>.Continuation

    init(core: Kasir, continuation: AsyncStream<SyncUpdate>.Continuation) {
        self.core = core
        self.continuation = continuation
    }

    func onSync(event: SyncEvent) {
        // Called on the core's sync thread, which does not hold the register's connection, so
        // reading the status here cannot wait on the sync that called.
        continuation.yield(SyncUpdate(event: event, status: try? core.syncStatus()))
    }
}
