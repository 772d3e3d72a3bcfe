// SwiftUI's side of the view models: KasirViewModels are plain Swift classes (tested on Linux),
// observed with a closure; this wraps one in an ObservableObject so a view redraws on change.

import Combine
import KasirViewModels

/// The app's string table (SwiftUI has a `Label` view of its own).
typealias Words = KasirViewModels.Label

/// A view model's state as a published property.
@MainActor
final class Observed<State: Equatable, Event>: ObservableObject {
    @Published private(set) var state: State
    let model: ViewModel<State, Event>
    private var observation: Observation?

    init(_ model: ViewModel<State, Event>) {
        self.model = model
        state = model.state
        observation = model.observe { [weak self] in self?.state = $0 }
    }
}
