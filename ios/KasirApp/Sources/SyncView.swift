// The sync details (the sync bar itself is in Components.swift and always on screen): the
// cloud account, what waits and for how long, what was sent, the last error, the cloud's
// refusals, and "sync now".

import KasirKit
import KasirViewModels
import SwiftUI

struct SyncDetailsView: View {
    @ObservedObject var sync: Observed<SyncState, NoEvent>
    let language: Language
    let onBack: () -> Void

    private var model: SyncViewModel? { sync.model as? SyncViewModel }
    private var state: SyncState { sync.state }

    var body: some View {
        VStack(alignment: .leading, spacing: 0) {
            ScreenHeader(title: Words.syncDetails.text(language), language: language, onBack: onBack)
            Form {
                if let message = state.message { MessageView(message: message, language: language) }
                Section {
                    if state.enrolled {
                        Text(state.summary).font(.headline)
                        AmountRow(label: Words.serverUrl.text(language), amount: state.serverUrl ?? "")
                    } else {
                        Text(Words.syncNotEnrolled.text(language))
                    }
                    AmountRow(label: Words.syncWaitingCount.text(language), amount: String(state.waiting))
                    if let age = state.oldestWaitingAge, let model {
                        AmountRow(label: Words.syncOldestAge.text(language), amount: model.ageText(age))
                    }
                    AmountRow(label: Words.syncSent.text(language), amount: String(state.synced))
                    if let error = state.lastError {
                        AmountRow(label: Words.syncLastError.text(language), amount: error)
                    }
                }
                if !state.rejected.isEmpty {
                    Section(Words.syncRejected.format(language, String(state.rejected.count))) {
                        ForEach(state.rejected, id: \.seq) { row in
                            Text("#\(row.seq) \(row.kind): \(row.reason)")
                        }
                    }
                }
                Section {
                    BigButton(title: state.syncing ? Words.sync.text(language) + "…" : Words.syncNow.text(language),
                              enabled: state.enrolled && !state.syncing) {
                        Task { await model?.syncNow() }
                    }
                }
            }
        }
        .refreshable { model?.refresh() }
    }
}
