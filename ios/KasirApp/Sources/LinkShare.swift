// The iOS share sheet for a receipt's public link (the view models' `ReceiptLinkPort`).

import KasirViewModels
import UIKit

/// Shares a receipt's link through `UIActivityViewController` (Messages, WhatsApp, Mail, Copy),
/// presented over the topmost screen (as a popover from its centre on iPad).
final class ActivityLinkSheet: ReceiptLinkPort, @unchecked Sendable {
    // @unchecked: no stored state; the sheet is presented on the main actor.
    struct NoWindow: Error, CustomStringConvertible {
        var description: String { "no window to show the share sheet on" }
    }

    func shareLink(subject: String, url: String) async throws {
        let item: Any = URL(string: url) ?? url
        try await MainActor.run {
            let scene = UIApplication.shared.connectedScenes
                .compactMap { $0 as? UIWindowScene }
                .first { $0.activationState == .foregroundActive }
            guard var top = scene?.keyWindow?.rootViewController else { throw NoWindow() }
            while let presented = top.presentedViewController { top = presented }
            let sheet = UIActivityViewController(activityItems: [item], applicationActivities: nil)
            if let popover = sheet.popoverPresentationController {
                popover.sourceView = top.view
                popover.sourceRect = CGRect(x: top.view.bounds.midX, y: top.view.bounds.midY, width: 0, height: 0)
                popover.permittedArrowDirections = []
            }
            top.present(sheet, animated: true)
        }
    }
}
