// Sync status, always visible (waiting count, age of the oldest, last sync), with a details
// screen (the last error and the events the cloud refused).

import Foundation
import KasirKit

/// What the sync bar and its details screen draw.
public struct SyncState: Equatable, Sendable {
    public var enrolled = false
    /// Sales and other events waiting to be sent.
    public var waiting = 0
    /// `{n} waiting` or `All sent`.
    public var waitingText = ""
    /// How long the oldest waiting event has waited (`oldest 5 min ago`), when one waits.
    public var oldestWaitingText: String?
    /// When sync last succeeded (`last sync 2 min ago`, `never synced`).
    public var lastSyncText = ""
    public var lastError: String?
    /// The events the cloud refused, with its reasons.
    public var rejected: [RejectedEvent] = []
    /// A sync started from the screen is under way.
    public var busy = false
    public var message: UiMessage?
}

/// The sync bar and details (Kotlin `SyncViewModel`).
@MainActor
public final class SyncViewModel: ViewModel<SyncState, NoEvent> {
    private let kasir: KasirStore
    private let language: Language
    private var status: SyncStatus?

    public init(kasir: KasirStore, language: Language) {
        self.kasir = kasir
        self.language = language
        super.init(state: SyncState())
    }

    /// Reads the status again; ages are counted to `now` (the screen's clock ticks it).
    public func refresh(now: Date = Date()) async {
        do {
            show(try await kasir.syncStatus(), now: now)
        } catch {
            update { $0.message = UiMessage.of(error, language) }
        }
    }

    /// A background sync finished (``BackgroundSync/updates``): redraws from its status.
    public func received(_ syncUpdate: SyncUpdate, now: Date = Date()) {
        if let status = syncUpdate.status { show(status, now: now) }
    }

    /// Ages again at `now`, without asking the core (a timer on the screen).
    public func tick(now: Date) {
        if let status { show(status, now: now) }
    }

    /// Sends what waits and pulls the cloud's changes, now.
    public func syncNow(now: @escaping () -> Date = Date.init) async {
        guard !state.busy else { return }
        update {
            $0.busy = true
            $0.message = nil
        }
        do {
            _ = try await kasir.syncOnce()
            let status = try await kasir.syncStatus()
            update { $0.busy = false }
            show(status, now: now())
        } catch {
            let status = try? await kasir.syncStatus()
            update {
                $0.busy = false
                $0.message = UiMessage.of(error, language)
            }
            if let status { show(status, now: now()) }
        }
    }

    private func show(_ status: SyncStatus, now: Date) {
        self.status = status
        let waiting = Int(clamping: status.waiting)
        update {
            $0.enrolled = status.enrolled
            $0.waiting = waiting
            $0.waitingText = waiting == 0 ? Label.syncAllSent.text(language)
                : Label.syncWaiting.format(language, String(waiting))
            $0.oldestWaitingText = waiting == 0 ? nil : status.oldestWaiting.map {
                Label.syncOldest.format(language, age(from: $0, to: now, language))
            }
            $0.lastSyncText = status.lastSuccessAt.map {
                Label.syncLast.format(language, age(from: $0, to: now, language))
            } ?? Label.syncNever.text(language)
            $0.lastError = status.lastError
            $0.rejected = status.rejected
        }
    }
}

/// How long ago `then` was at `now`, in whole seconds, minutes, hours or days (`5 min ago`).
/// A time in the future (a clock set back) counts as now.
public func age(from then: Date, to now: Date, _ language: Language) -> String {
    let seconds = max(0, Int(now.timeIntervalSince(then).rounded(.down)))
    if seconds < 60 { return Label.ageSeconds.format(language, String(seconds)) }
    if seconds < 3600 { return Label.ageMinutes.format(language, String(seconds / 60)) }
    if seconds < 86400 { return Label.ageHours.format(language, String(seconds / 3600)) }
    return Label.ageDays.format(language, String(seconds / 86400))
}
