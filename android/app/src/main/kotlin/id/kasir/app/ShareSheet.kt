package id.kasir.app

import android.content.ClipData
import android.content.Context
import android.content.Intent
import androidx.core.content.FileProvider
import id.kasir.ui.ReceiptSharePort
import id.kasir.ui.SharedFile
import java.io.File
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * Android's share sheet for a receipt. A file: the core's PNG or PDF is written under its own
 * name (`struk-D01-000042.pdf`) to `cache/shared/`, the app's FileProvider (see
 * AndroidManifest.xml and res/xml/share_paths.xml) gives the receiving app a `content://` URI it
 * may read, and `Intent.ACTION_SEND` opens the chooser. Only the latest shared receipt is kept.
 * A link: `Intent.ACTION_SEND` of the URL as text.
 */
class AndroidReceiptShare(private val context: Context) : ReceiptSharePort {
    override suspend fun shareFile(file: SharedFile): String? {
        val uri = withContext(Dispatchers.IO) {
            val dir = File(context.cacheDir, "shared").apply { mkdirs() }
            dir.listFiles()?.forEach { it.delete() }
            // Written whole, then renamed, so a receiving app never reads half a file.
            val part = File(dir, "${file.fileName}.part")
            part.writeBytes(file.bytes)
            val target = File(dir, file.fileName)
            check(part.renameTo(target)) { "could not write ${file.fileName}" }
            FileProvider.getUriForFile(context, "${context.packageName}.share", target)
        }
        val send = Intent(Intent.ACTION_SEND).apply {
            type = file.mimeType
            putExtra(Intent.EXTRA_STREAM, uri)
            putExtra(Intent.EXTRA_TITLE, file.fileName)
            // The clip data carries the read grant to the app the person picks in the chooser.
            clipData = ClipData.newRawUri(file.fileName, uri)
            addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
        }
        val chooser = Intent.createChooser(send, null).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
        withContext(Dispatchers.Main) { context.startActivity(chooser) }
        // The chooser shows where it goes.
        return null
    }

    override suspend fun shareLink(subject: String, url: String) {
        val send = Intent(Intent.ACTION_SEND).apply {
            type = "text/plain"
            putExtra(Intent.EXTRA_SUBJECT, subject)
            putExtra(Intent.EXTRA_TEXT, url)
        }
        val chooser = Intent.createChooser(send, subject).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
        withContext(Dispatchers.Main) { context.startActivity(chooser) }
    }
}
