package id.kasir.app

import android.content.Context
import android.content.Intent
import id.kasir.ui.ReceiptLinkPort
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/** Android's share sheet for a receipt's public link: `Intent.ACTION_SEND` of the URL as text. */
class AndroidReceiptLink(private val context: Context) : ReceiptLinkPort {
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
