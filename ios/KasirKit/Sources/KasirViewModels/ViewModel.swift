// KasirViewModels: the register app's screens as plain Swift classes over KasirKit.
//
// Nothing here imports SwiftUI, Combine or UIKit, so every view model compiles and is tested on
// Linux against the real core library. The view models mirror the Kotlin ones in
// android/kasir/src/main/kotlin/id/kasir/ui/ name for name, so both apps behave the same: each
// has an immutable `state` (a struct the screen draws) and plain methods for the clerk's
// actions; one-time happenings (a scan to beep for, a completed sale) are `events`. A screen
// observes both with closures; on Apple platforms the app wraps them in an `ObservableObject`
// (ios/KasirApp/Sources/Observed.swift).
//
// The view models hold no business logic: every amount, total and state is what the core
// answered last, and every amount on screen is written by the core (`formatMoney`).

import Foundation
import KasirKit

/// What every view model shares: its state, the observers of the state and of its events.
@MainActor
public class ViewModel<State: Equatable, Event> {
    /// What the screen draws, as the core last described it.
    public private(set) var state: State

    private var stateObservers: [Int: (State) -> Void] = [:]
    private var eventObservers: [Int: (Event) -> Void] = [:]
    private var pending: [Event] = []
    private var nextId = 0

    init(state: State) {
        self.state = state
    }

    /// Calls `onState` with the state now, then after every change, until the returned
    /// observation is cancelled (like collecting a Kotlin `StateFlow`).
    @discardableResult
    public func observe(_ onState: @escaping (State) -> Void) -> Observation {
        let id = take()
        stateObservers[id] = onState
        onState(state)
        return Observation { [weak self] in self?.stateObservers[id] = nil }
    }

    /// Calls `onEvent` for every event, starting with those sent while no one listened.
    @discardableResult
    public func events(_ onEvent: @escaping (Event) -> Void) -> Observation {
        let id = take()
        eventObservers[id] = onEvent
        let waiting = pending
        pending = []
        waiting.forEach(onEvent)
        return Observation { [weak self] in self?.eventObservers[id] = nil }
    }

    /// Changes the state and tells the observers when it differs.
    func update(_ change: (inout State) -> Void) {
        var next = state
        change(&next)
        guard next != state else { return }
        state = next
        for observer in stateObservers.values { observer(next) }
    }

    /// Sends `event` to its observers, or keeps it until one listens.
    func send(_ event: Event) {
        if eventObservers.isEmpty {
            pending.append(event)
        } else {
            for observer in eventObservers.values { observer(event) }
        }
    }

    private func take() -> Int {
        nextId += 1
        return nextId
    }
}

/// A view model without one-time events.
public enum NoEvent: Sendable {}

/// An observer's registration; `cancel()` stops the calls.
@MainActor
public final class Observation {
    private var stop: (() -> Void)?

    init(stop: @escaping () -> Void) {
        self.stop = stop
    }

    /// Stops calling the observer. Calling it again does nothing.
    public func cancel() {
        stop?()
        stop = nil
    }
}
