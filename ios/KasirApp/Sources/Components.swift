// What the screens share: a label and an amount on one row, the message of a refusal, a
// screen's header with its back button, and the sync bar that is always visible. Text uses
// the system's text styles only (Dynamic Type); every button is at least 44 points high.

import KasirViewModels
import SwiftUI

/// The smallest touch target (Apple's Human Interface Guidelines).
let minTouchTarget: CGFloat = 44

/// A label and an amount written by the core, read by VoiceOver as one element.
struct AmountRow: View {
    let label: String
    let amount: String
    var strong = false

    var body: some View {
        HStack(alignment: .firstTextBaseline) {
            Text(label)
            Spacer()
            Text(amount).monospacedDigit()
        }
        .font(strong ? Font.title2.bold() : Font.body)
        .accessibilityElement(children: .combine)
    }
}

/// A refusal of the core (or a notice): the title in the device's language and the detail.
struct MessageView: View {
    let message: UiMessage
    let language: Language
    var onDismiss: (() -> Void)?

    var body: some View {
        HStack(alignment: .top) {
            VStack(alignment: .leading, spacing: 2) {
                Text(message.title).font(.headline)
                if let detail = message.detail, !detail.isEmpty { Text(detail).font(.subheadline) }
            }
            Spacer()
            if let onDismiss {
                Button(action: onDismiss) { Image(systemName: "xmark") }
                    .frame(minWidth: minTouchTarget, minHeight: minTouchTarget)
                    .accessibilityLabel(Words.close.text(language))
            }
        }
        .padding(12)
        .foregroundStyle(.red)
        .background(Color.red.opacity(0.08), in: RoundedRectangle(cornerRadius: 8))
        .accessibilityElement(children: .combine)
        .accessibilityAddTraits(.isStaticText)
    }
}

/// A full-width button of at least 44 points for the screen's main action.
struct BigButton: View {
    let title: String
    var role: ButtonRole?
    var enabled = true
    let action: () -> Void

    var body: some View {
        Button(role: role, action: action) {
            Text(title).font(.headline).frame(maxWidth: .infinity, minHeight: minTouchTarget)
        }
        .buttonStyle(.borderedProminent)
        .disabled(!enabled)
    }
}

/// A setup screen's title with the way back to the register.
struct ScreenHeader: View {
    let title: String
    let language: Language
    let onBack: () -> Void

    var body: some View {
        HStack {
            Button(action: onBack) {
                SwiftUI.Label(Words.back.text(language), systemImage: "chevron.backward")
            }
            .frame(minHeight: minTouchTarget)
            Text(title).font(.title2.bold()).accessibilityAddTraits(.isHeader)
            Spacer()
        }
        .padding(.horizontal)
    }
}

/// The sync status, always visible: waiting count, age of the oldest, last sync. A tap opens
/// the details screen.
struct SyncBar: View {
    @ObservedObject var sync: Observed<SyncState, NoEvent>
    let language: Language
    let onOpen: () -> Void

    var body: some View {
        Button(action: onOpen) {
            HStack(spacing: 8) {
                Image(systemName: sync.state.enrolled ? (sync.state.waiting == 0 ? "checkmark.icloud" : "icloud.and.arrow.up") : "icloud.slash")
                    .accessibilityHidden(true)
                Text(sync.state.summary).font(.subheadline).lineLimit(2)
                if sync.state.syncing { ProgressView() }
            }
            .frame(minHeight: minTouchTarget)
        }
        .accessibilityLabel(Words.syncStatus.format(language, sync.state.summary))
        .accessibilityHint(Words.syncDetails.text(language))
    }
}

/// A language's own name in `language` (the settings' pickers).
func languageName(_ choice: Language, _ language: Language) -> String {
    switch choice {
    case .en: return Words.english.text(language)
    case .id: return Words.indonesian.text(language)
    }
}
