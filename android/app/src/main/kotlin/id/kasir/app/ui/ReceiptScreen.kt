package id.kasir.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalClipboardManager
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.AnnotatedString
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import id.kasir.ui.Label
import id.kasir.ui.Language
import id.kasir.ui.ReceiptState
import id.kasir.ui.ReceiptViewModel
import kotlinx.coroutines.launch

/** The receipt of the sale just completed: change due, print, share, next sale. */
@Composable
fun ReceiptScreen(model: ReceiptViewModel, onNewSale: () -> Unit) {
    val state by model.state.collectAsState()
    val scope = rememberCoroutineScope()
    @Suppress("DEPRECATION")
    val clipboard = LocalClipboardManager.current
    ReceiptContent(
        state,
        model.language,
        onPrint = { scope.launch { model.print() } },
        onShare = { clipboard.setText(AnnotatedString(model.share().text)) },
        onNewSale = onNewSale,
        onShareImage = if (model.canShare) ({ scope.launch { model.shareImage() } }) else null,
        onSharePdf = if (model.canShare) ({ scope.launch { model.sharePdf() } }) else null,
        onSendLink = if (model.canShare) ({ scope.launch { model.sendLink() } }) else null,
    )
}

/** The receipt screen drawn from [state]. */
@Composable
fun ReceiptContent(
    state: ReceiptState,
    language: Language,
    onPrint: () -> Unit,
    onShare: () -> Unit,
    onNewSale: () -> Unit,
    /** Shares the core's PNG of the receipt; no button without it. */
    onShareImage: (() -> Unit)? = null,
    /** Shares the core's PDF of the receipt; no button without it. */
    onSharePdf: (() -> Unit)? = null,
    /** Sends the receipt's public link; no button without it. */
    onSendLink: (() -> Unit)? = null,
) {
    TwoPane(
        showSecond = false,
        firstWeight = 0.5f,
        first = { wide ->
            Column(
                Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
                verticalArrangement = Arrangement.spacedBy(12.dp),
            ) {
                Heading("${Label.RECEIPT.text(language)} ${state.receiptNumber}")
                Panel(Modifier.fillMaxWidth()) {
                    Column(Modifier.padding(12.dp)) {
                        AmountRow(Label.TOTAL.text(language), state.totalText)
                        state.changeText?.let { AmountRow(Label.CHANGE.text(language), it, strong = true) }
                    }
                }
                MessageBanner(state.message, language)
                state.printer?.let {
                    Text("${Label.DEFAULT_PRINTER.text(language)}: ${it.name} (${it.profile})", style = MaterialTheme.typography.bodyMedium)
                }
                val printLabel = when {
                    state.printing -> Label.PRINTING
                    state.printed -> Label.PRINTED
                    else -> Label.PRINT
                }
                BigButton(printLabel.text(language), onPrint, enabled = !state.printing)
                SecondaryButton(Label.SHARE.text(language), onShare, Modifier.fillMaxWidth())
                ShareButtons(state, language, onShareImage, onSharePdf, onSendLink)
                state.savedTo?.let { Text(Label.SAVED_TO.format(language, it), style = MaterialTheme.typography.bodyMedium) }
                state.link?.let { link ->
                    QrCode(link, link, Modifier.widthIn(max = 240.dp).fillMaxWidth().aspectRatio(1f))
                    Text(link, style = MaterialTheme.typography.bodySmall)
                }
                BigButton(Label.NEW_SALE.text(language), onNewSale)
                if (!wide) ReceiptPaper(state.text, scroll = false)
            }
        },
        second = { ReceiptPaper(state.text, Modifier.padding(16.dp), scroll = true) },
    )
}

/**
 * Share image, Share PDF and Send link side by side (those the platform offers), each at least
 * 48 dp, read out with the receipt they share; the files wait while one is being made.
 */
@Composable
private fun ShareButtons(
    state: ReceiptState,
    language: Language,
    onShareImage: (() -> Unit)?,
    onSharePdf: (() -> Unit)?,
    onSendLink: (() -> Unit)?,
) {
    val buttons = listOfNotNull(
        onShareImage?.let { Triple(Label.SHARE_IMAGE, Label.SHARE_IMAGE_FOR, it) },
        onSharePdf?.let { Triple(Label.SHARE_PDF, Label.SHARE_PDF_FOR, it) },
        onSendLink?.let { Triple(Label.SEND_LINK, Label.SEND_LINK_FOR, it) },
    )
    if (buttons.isEmpty()) return
    Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        for ((label, description, action) in buttons) {
            val spoken = description.format(language, state.receiptNumber)
            // Narrow padding and centred text: three fit side by side on a phone, a long label on two lines.
            OutlinedButton(
                onClick = action,
                enabled = label == Label.SEND_LINK || !state.sharing,
                contentPadding = PaddingValues(horizontal = 8.dp, vertical = 8.dp),
                modifier = Modifier.weight(1f).heightIn(min = MinTouchTarget).semantics { contentDescription = spoken },
            ) {
                Text(label.text(language), maxLines = 2, overflow = TextOverflow.Ellipsis, textAlign = TextAlign.Center)
            }
        }
    }
}

/** The receipt as printed, on a paper-coloured strip, in a monospaced font. */
@Composable
private fun ReceiptPaper(text: String, modifier: Modifier = Modifier, scroll: Boolean) {
    Row(modifier.fillMaxWidth(), horizontalArrangement = Arrangement.Center, verticalAlignment = Alignment.Top) {
        Surface(
            color = MaterialTheme.colorScheme.surface,
            shadowElevation = 2.dp,
            modifier = Modifier.widthIn(max = 420.dp).then(if (scroll) Modifier.verticalScroll(rememberScrollState()) else Modifier),
        ) {
            Text(
                text,
                fontFamily = LocalMonospace.current,
                fontSize = 13.sp,
                lineHeight = 17.sp,
                modifier = Modifier.padding(16.dp).semantics { contentDescription = text },
            )
        }
    }
}
