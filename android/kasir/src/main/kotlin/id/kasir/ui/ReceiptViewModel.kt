package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.KasirException
import id.kasir.core.ReceiptFile
import id.kasir.core.SavedPrinter
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/**
 * The platform's way to a paired printer (Bluetooth on a phone, a socket on a desktop). The
 * bytes are the core's ESC/POS receipt for the printer's profile; a failure is thrown as
 * [KasirException.DeviceUnavailable] (or any exception, whose message is shown).
 */
fun interface ReceiptPrinter {
    suspend fun send(printer: SavedPrinter, bytes: ByteArray)
}

/** What the share sheet gets: the receipt as text. */
data class ShareContent(val subject: String, val text: String)

/** A file to share: [bytes] under [fileName] (`struk-D01-000042.png`), of type [mimeType]. */
class SharedFile(val fileName: String, val mimeType: String, val bytes: ByteArray) {
    override fun equals(other: Any?): Boolean =
        other is SharedFile && other.fileName == fileName && other.mimeType == mimeType && other.bytes.contentEquals(bytes)

    override fun hashCode(): Int = (fileName.hashCode() * 31 + mimeType.hashCode()) * 31 + bytes.contentHashCode()

    override fun toString(): String = "SharedFile($fileName, $mimeType, ${bytes.size} bytes)"
}

/**
 * The platform's way to share a receipt: the share sheet on a phone (a FileProvider and
 * `Intent.ACTION_SEND` on Android, `UIActivityViewController` on iOS), a folder and the
 * clipboard on the desktop, a recording in tests. A failure is thrown; its message is shown.
 */
interface ReceiptSharePort {
    /**
     * Offers [file] (the core's PNG or PDF of the receipt) to be sent or saved. Returns where
     * the file went when the platform itself does not show it (the desktop's saved path, shown
     * on the screen), else null (a share sheet shows its own).
     */
    suspend fun shareFile(file: SharedFile): String?

    /** Offers [url] (the receipt's public link) under [subject] (`Struk D01-000042`). */
    suspend fun shareLink(subject: String, url: String)
}

/** The receipt screen. */
data class ReceiptState(
    val receiptNumber: String,
    /** The receipt as the core lays it out, in the store's language. */
    val text: String = "",
    val totalText: String = "",
    val changeText: String? = null,
    /** The printer it prints on (the device's choice, else the first saved one). */
    val printer: SavedPrinter? = null,
    val printing: Boolean = false,
    val printed: Boolean = false,
    /** The receipt's public link once [ReceiptViewModel.sendLink] asked for it (shown as text and a QR code). */
    val link: String? = null,
    /** A picture or PDF of the receipt is being made or handed to the share sheet. */
    val sharing: Boolean = false,
    /** Where the last shared file was saved, when the platform says (the desktop's folder). */
    val savedTo: String? = null,
    val message: UiMessage? = null,
)

/** The receipt of a completed sale: shown, printed on the paired printer, shared. */
class ReceiptViewModel(
    private val kasir: Kasir,
    receiptNumber: String,
    val language: Language,
    private val printerPort: ReceiptPrinter? = null,
    /** The printer chosen in the settings (by name); the first saved one without it. */
    printerName: String? = null,
    private val columns: Int = 32,
    /** Where [shareImage] and [sharePdf] hand the receipt's file and [sendLink] its link. */
    private val sharePort: ReceiptSharePort? = null,
) {
    private val mutableState = MutableStateFlow(ReceiptState(receiptNumber))

    /** The screen's state. */
    val state: StateFlow<ReceiptState> = mutableState.asStateFlow()

    init {
        try {
            val sale = kasir.completedSale(receiptNumber)
            val printers = kasir.printers()
            mutableState.update {
                it.copy(
                    text = kasir.receiptText(receiptNumber, columns),
                    totalText = kasir.formatMoney(sale.total, language.core),
                    changeText = sale.change.takeIf { c -> c.signum() != 0 }?.let { c -> kasir.formatMoney(c, language.core) },
                    printer = printers.firstOrNull { p -> p.name == printerName } ?: printers.firstOrNull(),
                )
            }
        } catch (e: KasirException) {
            mutableState.update { it.copy(message = UiMessage.of(e, language)) }
        }
    }

    /** Prints the receipt on the printer: the core's bytes for its profile, sent by the platform. */
    suspend fun print(): Boolean {
        val printer = mutableState.value.printer
        if (printer == null || printerPort == null) {
            mutableState.update { it.copy(message = UiMessage.of(Label.NO_PRINTER, language)) }
            return false
        }
        mutableState.update { it.copy(printing = true, printed = false, message = null) }
        return try {
            val bytes = kasir.receiptBytes(mutableState.value.receiptNumber, printer.profile)
            printerPort.send(printer, bytes)
            mutableState.update { it.copy(printing = false, printed = true) }
            true
        } catch (e: KasirException) {
            mutableState.update { it.copy(printing = false, message = UiMessage.of(e, language)) }
            false
        } catch (e: kotlinx.coroutines.CancellationException) {
            mutableState.update { it.copy(printing = false) }
            throw e
        } catch (e: Exception) {
            mutableState.update { it.copy(printing = false, message = UiMessage(Label.ERROR_DEVICE.text(language), e.message)) }
            false
        }
    }

    /** Shares the receipt as a PNG picture: the core draws the printed layout, the platform sends it. */
    suspend fun shareImage(): Boolean = shareFile { kasir.receiptPng(it, columns) }

    /** Shares the receipt as a one-page PDF whose text can be selected and searched. */
    suspend fun sharePdf(): Boolean = shareFile { kasir.receiptPdf(it, columns) }

    /** Hands the core's file to the share port; false (and a message) when that fails, false without a port. */
    private suspend fun shareFile(make: (String) -> ReceiptFile): Boolean {
        val port = sharePort ?: return false
        mutableState.update { it.copy(sharing = true, savedTo = null, message = null) }
        return try {
            val file = make(mutableState.value.receiptNumber)
            val savedTo = port.shareFile(SharedFile(file.fileName, file.mimeType, file.bytes))
            mutableState.update { it.copy(sharing = false, savedTo = savedTo) }
            true
        } catch (e: KasirException) {
            mutableState.update { it.copy(sharing = false, message = UiMessage.of(e, language)) }
            false
        } catch (e: kotlinx.coroutines.CancellationException) {
            mutableState.update { it.copy(sharing = false) }
            throw e
        } catch (e: Exception) {
            mutableState.update { it.copy(sharing = false, message = UiMessage(Label.ERROR_DEVICE.text(language), e.message)) }
            false
        }
    }

    /**
     * Puts the receipt's public link in the state and hands it to the share port: true once the
     * port took it. Without a port the link is only shown. Not enrolled, or the port failing,
     * is false with a message; a sale not synced yet gets a note that the link opens after sync.
     */
    suspend fun sendLink(): Boolean {
        val receipt = mutableState.value.receiptNumber
        return try {
            val link = kasir.receiptLink(receipt)
            val note = if (link.synced) null else UiMessage(Label.LINK_AFTER_SYNC.text(language), null)
            mutableState.update { it.copy(link = link.url, message = note) }
            val port = sharePort ?: return false
            port.shareLink("${Label.RECEIPT.text(language)} $receipt", link.url)
            true
        } catch (e: KasirException.NotEnrolled) {
            mutableState.update { it.copy(link = null, message = UiMessage(Label.LINK_NEEDS_CLOUD.text(language), null)) }
            false
        } catch (e: KasirException) {
            mutableState.update { it.copy(message = UiMessage.of(e, language)) }
            false
        } catch (e: kotlinx.coroutines.CancellationException) {
            throw e
        } catch (e: Exception) {
            mutableState.update { it.copy(message = UiMessage(Label.ERROR_DEVICE.text(language), e.message)) }
            false
        }
    }

    /** Whether the platform gave a share port, so that the screen offers [shareImage], [sharePdf] and [sendLink]. */
    val canShare: Boolean get() = sharePort != null

    /** The receipt for the share sheet. */
    fun share(): ShareContent {
        val s = mutableState.value
        return ShareContent("${Label.RECEIPT.text(language)} ${s.receiptNumber}", s.text)
    }
}
