package id.kasir.desktop

import id.kasir.ui.ReceiptSharePort
import id.kasir.ui.SharedFile
import java.awt.Toolkit
import java.awt.datatransfer.StringSelection
import java.io.File
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * The desktop's way to share a receipt. A file (the core's PNG or PDF) is saved under its own
 * name (`struk-D01-000042.pdf`) in [folder] (the user's Downloads unless the command line names
 * another) and its path is returned for the screen to show; a second share of the same receipt
 * replaces the file. A link is put on the clipboard (to paste into a chat or an email) and kept
 * in [links], newest last; the screen shows it with its QR code.
 */
class DesktopShare(val folder: File = defaultFolder()) : ReceiptSharePort {
    private val sent = mutableListOf<String>()

    /** The links sent so far in this window. */
    val links: List<String> get() = synchronized(sent) { sent.toList() }

    override suspend fun shareFile(file: SharedFile): String = withContext(Dispatchers.IO) {
        // The name comes from the core; a path in it would leave the folder.
        require(file.fileName.isNotBlank() && File(file.fileName).name == file.fileName) { "`${file.fileName}` is not a file name" }
        Files.createDirectories(folder.toPath())
        val target = File(folder, file.fileName)
        // Written whole, then moved over the target, so the folder never holds half a receipt.
        val part = File(folder, "${file.fileName}.part")
        part.writeBytes(file.bytes)
        Files.move(part.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
        target.absolutePath
    }

    override suspend fun shareLink(subject: String, url: String) {
        Toolkit.getDefaultToolkit().systemClipboard.setContents(StringSelection(url), null)
        synchronized(sent) { sent += url }
    }

    companion object {
        /** The user's Downloads folder (`~/Downloads`, made when missing). */
        fun defaultFolder(): File = File(System.getProperty("user.home"), "Downloads")
    }
}
