package id.kasir.ui

import id.kasir.Kasir
import java.math.BigDecimal
import java.nio.ByteBuffer
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/**
 * A share port that keeps what it is given (files, and links as subject to URL), or fails with
 * [failure]; a file is "saved" to [savedTo] when that is given.
 */
class RecordingShare(private val failure: String? = null, private val savedTo: String? = null) : ReceiptSharePort {
    val files = mutableListOf<SharedFile>()
    val links = mutableListOf<Pair<String, String>>()

    override suspend fun shareFile(file: SharedFile): String? {
        failure?.let { error(it) }
        files += file
        return savedTo
    }

    override suspend fun shareLink(subject: String, url: String) {
        failure?.let { error(it) }
        links += subject to url
    }
}

/** Sharing the receipt as the core's PNG and PDF through the platform's share port. */
class ReceiptShareTest {
    private lateinit var kasir: Kasir

    @BeforeEach
    fun open() {
        kasir = sampleStore()
    }

    @AfterEach
    fun close() = kasir.close()

    private fun sellCoco(): String = kasir.sale { register ->
        register.scan(Catalog.COCO)
        register.payCash(BigDecimal("20000"))
        register.complete().receiptNumber
    }

    /** Width and height from a PNG's IHDR chunk, after the 8-byte signature and the chunk's length and type. */
    private fun pngSize(png: ByteArray): Pair<Int, Int> {
        assertContentEquals(byteArrayOf(0x89.toByte(), 'P'.code.toByte(), 'N'.code.toByte(), 'G'.code.toByte()), png.copyOfRange(0, 4))
        val header = ByteBuffer.wrap(png, 16, 8)
        return header.int to header.int
    }

    /** The PDF's text as poppler's pdftotext reads it; the test fails without the tool. */
    private fun pdfText(pdf: ByteArray): String {
        val file = Files.createTempFile("receipt", ".pdf")
        try {
            Files.write(file, pdf)
            val process = ProcessBuilder("pdftotext", "-layout", "-enc", "UTF-8", file.toString(), "-")
                .redirectErrorStream(true)
                .start()
            val text = process.inputStream.readBytes().toString(Charsets.UTF_8)
            assertTrue(process.waitFor(60, TimeUnit.SECONDS))
            assertEquals(0, process.exitValue(), text)
            return text
        } finally {
            Files.deleteIfExists(file)
        }
    }

    @Test
    fun `shareImage hands the core's PNG to the share port with its name and type`() = runBlocking {
        val receipt = sellCoco()
        val port = RecordingShare()
        val vm = ReceiptViewModel(kasir, receipt, Language.ID, sharePort = port)

        val shared = vm.shareImage()

        assertTrue(shared)
        val file = port.files.single()
        assertEquals("struk-$receipt.png", file.fileName)
        assertEquals("image/png", file.mimeType)
        assertContentEquals(kasir.receiptPng(receipt, 32).bytes, file.bytes)
        // 80 mm at 203 dots to the inch; 32 columns of 18 dots, lines of 36.
        val (width, height) = pngSize(file.bytes)
        assertEquals(640, width)
        assertTrue(height > 20 * 36, "height $height")
        assertFalse(vm.state.value.sharing)
        assertNull(vm.state.value.message)
        assertNull(vm.state.value.savedTo, "a share sheet shows where the file goes itself")
        assertTrue(port.links.isEmpty())
    }

    @Test
    fun `where the port saved the file is kept for the screen and cleared by the next share`() = runBlocking {
        val receipt = sellCoco()
        val saving = RecordingShare(savedTo = "/home/kasir/Downloads/struk-$receipt.pdf")
        val vm = ReceiptViewModel(kasir, receipt, Language.EN, sharePort = saving)

        assertTrue(vm.sharePdf())
        assertEquals("/home/kasir/Downloads/struk-$receipt.pdf", vm.state.value.savedTo)

        val failing = ReceiptViewModel(kasir, receipt, Language.EN, sharePort = RecordingShare("disk full", savedTo = "/nowhere"))
        assertFalse(failing.shareImage())
        assertNull(failing.state.value.savedTo)
        assertEquals("disk full", failing.state.value.message?.detail)
    }

    @Test
    fun `sharePdf hands a PDF whose text is the receipt's`() = runBlocking {
        val receipt = sellCoco()
        val port = RecordingShare()
        val vm = ReceiptViewModel(kasir, receipt, Language.ID, sharePort = port)

        val shared = vm.sharePdf()

        assertTrue(shared)
        val file = port.files.single()
        assertEquals("struk-$receipt.pdf", file.fileName)
        assertEquals("application/pdf", file.mimeType)
        val lines = pdfText(file.bytes).lines().map { it.trim().replace(Regex("\\s+"), " ") }.filter { it.isNotEmpty() }
        val expected = vm.state.value.text.lines().map { it.trim().replace(Regex("\\s+"), " ") }.filter { it.isNotEmpty() }
        assertEquals(expected, lines)
        assertTrue("TOTAL Rp 11.500" in lines, lines.toString())
        assertTrue("Kembali 8.500" in lines, lines.toString())
    }

    @Test
    fun `a share port that fails, a missing sale and no port are said and share nothing`() = runBlocking {
        val receipt = sellCoco()
        val failing = ReceiptViewModel(kasir, receipt, Language.EN, sharePort = RecordingShare("no app can take it"))
        val recording = RecordingShare()
        val missing = ReceiptViewModel(kasir, "D01-999999", Language.EN, sharePort = recording)
        val noPort = ReceiptViewModel(kasir, receipt, Language.EN)

        assertFalse(failing.sharePdf())
        assertFalse(missing.shareImage())
        assertFalse(noPort.shareImage())

        assertEquals(Label.ERROR_DEVICE.text(Language.EN), failing.state.value.message?.title)
        assertEquals("no app can take it", failing.state.value.message?.detail)
        assertFalse(failing.state.value.sharing)
        assertEquals(Label.ERROR_NOT_FOUND.text(Language.EN), missing.state.value.message?.title)
        assertTrue(recording.files.isEmpty())
        assertNull(noPort.state.value.message)
    }
}
