// Settings: the store's name and receipt language (saved in the store), this device's language
// and receipt printer (DevicePreferences). A change of the device's language draws every
// screen again in it.

import KasirKit
import KasirViewModels
import SwiftUI

struct SettingsView: View {
    @ObservedObject var settings: Observed<SettingsState, NoEvent>
    let onBack: () -> Void
    let onLanguageChanged: () -> Void
    @State private var name = ""

    private var model: SettingsViewModel? { settings.model as? SettingsViewModel }
    private var state: SettingsState { settings.state }
    private var language: Language { state.deviceLanguage }

    var body: some View {
        VStack(alignment: .leading, spacing: 0) {
            ScreenHeader(title: Words.settings.text(language), language: language, onBack: onBack)
            Form {
                if state.saved { Text(Words.saved.text(language)).foregroundStyle(.green) }
                if let message = state.message { MessageView(message: message, language: language) }
                Section(Words.storeName.text(language)) {
                    TextField(Words.storeName.text(language), text: $name)
                        .frame(minHeight: minTouchTarget)
                    Button(Words.save.text(language)) { _ = model?.setStoreName(name) }
                        .frame(minHeight: minTouchTarget)
                        .disabled(name == state.storeName)
                }
                Section {
                    Picker(Words.language.text(language), selection: Binding(get: { state.deviceLanguage }, set: {
                        model?.setDeviceLanguage($0)
                        onLanguageChanged()
                    })) {
                        ForEach(Language.allCases, id: \.self) { Text(languageName($0, language)).tag($0) }
                    }
                    .frame(minHeight: minTouchTarget)
                    Picker(Words.receiptLanguage.text(language), selection: Binding(get: { state.receiptLanguage }, set: {
                        _ = model?.setReceiptLanguage($0)
                    })) {
                        ForEach(Language.allCases, id: \.self) { Text(languageName($0, language)).tag($0) }
                    }
                    .frame(minHeight: minTouchTarget)
                }
                Section(Words.defaultPrinter.text(language)) {
                    if state.printers.isEmpty {
                        Text(Words.noPrinter.text(language)).foregroundStyle(.secondary)
                    } else {
                        Picker(Words.defaultPrinter.text(language), selection: Binding(get: { state.printerName }, set: {
                            _ = model?.setPrinter($0)
                        })) {
                            ForEach(state.printers, id: \.name) { Text($0.name).tag(Optional($0.name)) }
                        }
                        .frame(minHeight: minTouchTarget)
                    }
                }
            }
        }
        .onAppear { name = state.storeName }
    }
}
