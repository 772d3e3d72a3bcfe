package id.kasir.desktop

import id.kasir.ui.ReceiptLinkPort
import java.awt.Toolkit
import java.awt.datatransfer.StringSelection

/**
 * The desktop's way to send a receipt's link: it is put on the clipboard (to paste into a chat
 * or an email) and kept in [links], newest last; the screen shows it with its QR code.
 */
class DesktopLinks : ReceiptLinkPort {
    private val sent = mutableListOf<String>()

    /** The links sent so far in this window. */
    val links: List<String> get() = sent.toList()

    override suspend fun shareLink(subject: String, url: String) {
        Toolkit.getDefaultToolkit().systemClipboard.setContents(StringSelection(url), null)
        sent += url
    }
}
