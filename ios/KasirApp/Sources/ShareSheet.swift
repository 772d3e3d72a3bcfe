// The iOS share sheet for a receipt's file and its public link (the view models'
// `ReceiptSharePort`).

import KasirViewModels
import UIKit

/// Shares a receipt through `UIActivityViewController`, presented over the topmost screen (as a
/// popover from its centre on iPad). A PNG or PDF is written under its own name
/// (`struk-D01-000042.pdf`) to a folder of the app's temporary directory, so the receiving app
/// sees that name and type; only the latest shared receipt is kept. A link is offered as its
/// URL (Messages, WhatsApp, Mail, Copy).
final class ActivityShareSheet: ReceiptSharePort, @unchecked Sendable {
    // @unchecked: no stored state; the sheet is presented on the main actor.
    struct NoWindow: Error, CustomStringConvertible {
        var description: String { "no window to show the share sheet on" }
    }

    func shareFile(_ file: SharedFile) async throws -> String? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shared", isDirectory: true)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(file.fileName)
        try file.data.write(to: url, options: .atomic)
        try await present([url])
        // The sheet shows where it goes.
        return nil
    }

    func shareLink(subject: String, url: String) async throws {
        let item: Any = URL(string: url) ?? url
        try await present([item])
    }

    private func present(_ items: [Any]) async throws {
        try await MainActor.run {
            let scene = UIApplication.shared.connectedScenes
                .compactMap { $0 as? UIWindowScene }
                .first { $0.activationState == .foregroundActive }
            guard var top = scene?.keyWindow?.rootViewController else { throw NoWindow() }
            while let presented = top.presentedViewController { top = presented }
            let sheet = UIActivityViewController(activityItems: items, applicationActivities: nil)
            if let popover = sheet.popoverPresentationController {
                popover.sourceView = top.view
                popover.sourceRect = CGRect(x: top.view.bounds.midX, y: top.view.bounds.midY, width: 0, height: 0)
                popover.permittedArrowDirections = []
            }
            top.present(sheet, animated: true)
        }
    }
}
