// The till's shift: a staff sign-in with a PIN once the store has staff, open with a float,
// pay in and out with a reason, close with the counted cash, and the X or Z report with the
// difference (ShiftViewModel; every amount written by the core).

import KasirKit
import KasirViewModels
import SwiftUI

struct ShiftView: View {
    @ObservedObject var shift: Observed<ShiftState, NoEvent>
    let language: Language
    let onBack: () -> Void
    @State private var name = ""
    @State private var pin = ""

    private var model: ShiftViewModel? { shift.model as? ShiftViewModel }
    private var state: ShiftState { shift.state }

    var body: some View {
        VStack(alignment: .leading, spacing: 0) {
            ScreenHeader(title: Words.shift.text(language), language: language, onBack: onBack)
            Form {
                Section {
                    Text(state.openShift.map { "\(Words.shift.text(language)) \($0)" } ?? Words.noShift.text(language))
                        .font(.headline)
                    if let notice = state.notice {
                        Text(notice).accessibilityAddTraits(.updatesFrequently)
                    }
                    if let message = state.message { MessageView(message: message, language: language) }
                }
                if state.staffRequired { signIn }
                if state.canAct { cash }
                if let report = state.report { ReportSection(report: report, language: language) }
            }
        }
    }

    @ViewBuilder
    private var signIn: some View {
        Section {
            if let signedIn = state.signedInAs {
                HStack {
                    Text(Words.signedInAs.format(language, signedIn))
                    Spacer()
                    Button(Words.signOut.text(language)) { model?.signOut() }.frame(minHeight: minTouchTarget)
                }
            } else {
                Text(Words.signInFirst.text(language))
                TextField(Words.staffName.text(language), text: $name)
                    .textContentType(.username)
                    .frame(minHeight: minTouchTarget)
                SecureField(Words.pin.text(language), text: $pin)
                    .keyboardType(.numberPad)
                    .frame(minHeight: minTouchTarget)
                BigButton(title: Words.signIn.text(language)) {
                    if model?.signIn(name: name, pin: pin) == true { pin = "" }
                }
            }
        }
    }

    @ViewBuilder
    private var cash: some View {
        Section {
            let label = (state.openShift == nil ? Words.openingFloat : Words.cashAmount).text(language)
            TextField(label, text: Binding(get: { state.amount }, set: { model?.setAmount($0) }), prompt: Text("0"))
                .keyboardType(.numberPad)
                .frame(minHeight: minTouchTarget)
                .accessibilityLabel(label)
            if state.openShift == nil {
                BigButton(title: Words.openShift.text(language)) { _ = model?.open() }
            } else {
                TextField(Words.cashReason.text(language), text: Binding(get: { state.reason }, set: { model?.setReason($0) }))
                    .frame(minHeight: minTouchTarget)
                HStack {
                    Button(Words.payIn.text(language)) { _ = model?.payIn() }
                        .buttonStyle(.bordered).frame(maxWidth: .infinity, minHeight: minTouchTarget)
                    Button(Words.payOut.text(language)) { _ = model?.payOut() }
                        .buttonStyle(.bordered).frame(maxWidth: .infinity, minHeight: minTouchTarget)
                }
                BigButton(title: Words.closeShift.text(language)) { _ = model?.close() }
            }
        }
    }
}

/// The shift's report so far (X) or at its close (Z), with the counted cash and the difference.
private struct ReportSection: View {
    let report: ShiftSummary
    let language: Language

    var body: some View {
        Section(report.title) {
            if let openedBy = report.openedBy { AmountRow(label: Words.openedBy.text(language), amount: openedBy) }
            if let closedBy = report.closedBy { AmountRow(label: Words.closedBy.text(language), amount: closedBy) }
            AmountRow(label: Words.salesCount.text(language), amount: String(report.sales))
            AmountRow(label: Words.salesTotal.text(language), amount: report.salesTotalText)
            AmountRow(label: Words.openingFloat.text(language), amount: report.floatText)
            AmountRow(label: Words.cashTendered.text(language), amount: report.cashTenderedText)
            AmountRow(label: Words.cashChange.text(language), amount: report.changeText)
            AmountRow(label: Words.cashRefunds.text(language), amount: report.cashRefundsText)
            AmountRow(label: Words.payIn.text(language), amount: report.payInsText)
            AmountRow(label: Words.payOut.text(language), amount: report.payOutsText)
            AmountRow(label: Words.expectedCash.text(language), amount: report.expectedText)
            if let counted = report.countedText { AmountRow(label: Words.countedCash.text(language), amount: counted) }
            if let difference = report.differenceText {
                AmountRow(label: Words.cashDifference.text(language), amount: difference, strong: true)
            }
            if let label = report.differenceLabel {
                Text(label).font(.headline).foregroundStyle(report.difference == .even ? .green : .red)
            }
        }
        if !report.tenders.isEmpty {
            Section(Words.takingsByTender.text(language)) {
                ForEach(report.tenders, id: \.method) { row in
                    AmountRow(label: "\(row.method) (\(row.count))", amount: row.amountText)
                }
            }
        }
        if !report.tips.isEmpty {
            Section(Words.tipsByStaff.text(language)) {
                ForEach(report.tips, id: \.staff) { row in
                    AmountRow(label: "\(row.staff) (\(row.sales))", amount: row.netText)
                }
            }
        }
    }
}
