// Sync status, always visible (waiting count, age of the oldest, last sync), with a details
// screen (Kotlin `SyncViewModel`).

import Foundation
import KasirKit

/// An event the cloud refused, for the details screen.
public struct RejectedRow: Equatable, Sendable {
    public let seq: Int64
    public let kind: String
    public let reason: String
}

/// The sync bar (always visible) and its details screen.
public struct SyncState: Equatable, Sendable {
    public var enrolled = false
    public var serverUrl: String?
    public var waiting: Int64 = 0
    /// How long the oldest waiting sale has waited, in seconds, when one waits.
    public var oldestWaitingAge: TimeInterval?
    public var lastSyncAt: Date?
    public var lastAttemptAt: Date?
    public var lastError: String?
    public var synced: Int64 = 0
    public var rejected: [RejectedRow] = []
    /// `2 waiting` or `All sent`.
    public var waitingText = ""
    /// `oldest 5 min ago`, when a sale waits.
    public var oldestWaitingText: String?
    /// `last sync 1 h ago` or `never synced`.
    public var lastSyncText = ""
    /// The bar's one line: `2 waiting · oldest 5 min ago · last sync 1 h ago`.
    public var summary = ""
    public var syncing = false
    public var message: UiMessage?
}

/// Sync status from the core: waiting count, age of the oldest, last sync, the details. Ages
/// are counted to `clock()` (the tests and screenshots give a fixed one).
@MainActor
public final class SyncViewModel: ViewModel<SyncState, NoEvent> {
    private let kasir: KasirStore
    public let language: Language
    private let clock: () -> Date
    private var background: BackgroundSync?

    public init(kasir: KasirStore, language: Language, clock: @escaping () -> Date = Date.init) {
        self.kasir = kasir
        self.language = language
        self.clock = clock
        super.init(state: SyncState())
        refresh()
    }

    /// An age as the bar shows it (`5 min ago`): whole seconds, minutes, hours or days.
    public func ageText(_ age: TimeInterval) -> String {
        let seconds = max(0, Int64(age.rounded(.down)))
        if seconds < 60 { return Label.ageSeconds.format(language, String(seconds)) }
        if seconds < 3600 { return Label.ageMinutes.format(language, String(seconds / 60)) }
        if seconds < 86400 { return Label.ageHours.format(language, String(seconds / 3600)) }
        return Label.ageDays.format(language, String(seconds / 86400))
    }

    private func show(_ status: SyncStatus) {
        let now = clock()
        let oldest = status.oldestWaiting.map { now.timeIntervalSince($0) }
        let last = status.lastSuccessAt
        let waitingText = status.waiting == 0 ? Label.syncAllSent.text(language)
            : Label.syncWaiting.format(language, String(status.waiting))
        let oldestText = oldest.map { Label.syncOldest.format(language, ageText($0)) }
        let lastText = last.map { Label.syncLast.format(language, ageText(now.timeIntervalSince($0))) }
            ?? Label.syncNever.text(language)
        let summary: String
        if !status.enrolled {
            summary = Label.syncNotEnrolled.text(language) + (status.waiting > 0 ? " · \(waitingText)" : "")
        } else {
            summary = [
                waitingText, oldestText, lastText,
                status.rejected.isEmpty ? nil : Label.syncRejected.format(language, String(status.rejected.count)),
            ].compactMap { $0 }.joined(separator: " · ")
        }
        update {
            $0.enrolled = status.enrolled
            $0.serverUrl = status.serverUrl
            $0.waiting = Int64(clamping: status.waiting)
            $0.oldestWaitingAge = oldest
            $0.lastSyncAt = last
            $0.lastAttemptAt = status.lastAttemptAt
            $0.lastError = status.lastError
            $0.synced = Int64(clamping: status.synced)
            $0.rejected = status.rejected.map { RejectedRow(seq: $0.seq, kind: $0.kind, reason: $0.reason) }
            $0.waitingText = waitingText
            $0.oldestWaitingText = oldestText
            $0.lastSyncText = lastText
            $0.summary = summary
        }
    }

    /// Reads the status again (after a sale, and on a timer so the ages move on).
    public func refresh() {
        if let status = attempt(language, { message in update { $0.message = message } }, { try kasir.core.syncStatus() }) {
            show(status)
        }
    }

    /// Syncs once now (the details screen's button).
    @discardableResult
    public func syncNow() async -> Bool {
        update {
            $0.syncing = true
            $0.message = nil
        }
        var synced = true
        do {
            _ = try await kasir.syncOnce()
        } catch {
            let message = UiMessage.of(error, language)
            update { $0.message = message }
            synced = false
        }
        update { $0.syncing = false }
        refresh()
        return synced
    }

    /// Syncs in the background (now, then every `interval`, sooner when `network` is back)
    /// and refreshes after every outcome, until ``stopBackgroundSync()``.
    public func syncInBackground(every interval: Duration = .seconds(300), network: (any NetworkMonitor)? = nil) throws {
        stopBackgroundSync()
        let sync = try kasir.startSync(every: interval, network: network)
        background = sync
        Task { [weak self] in
            for await _ in sync.updates {
                self?.refresh()
            }
        }
    }

    /// Asks background sync to send now (a sale was just completed).
    public func syncSoon() {
        background?.syncNow()
    }

    /// Stops background sync.
    public func stopBackgroundSync() {
        background?.cancel()
        background = nil
    }
}
