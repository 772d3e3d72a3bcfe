package id.kasir.ui

import id.kasir.CameraScanner
import id.kasir.Kasir
import id.kasir.core.FrameRegion
import id.kasir.core.KasirException
import java.io.File
import java.math.BigDecimal
import java.nio.ByteBuffer
import javax.imageio.ImageIO
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/** A photo as a camera's luminance plane: rows padded past the width, as camera buffers are. */
class CameraFrame(val pixels: ByteArray, val width: Int, val height: Int, val rowStride: Int) {
    companion object {
        /** The real barcode photos of rust-core/scan/tests/data/barcodes (ZXing blackbox, Apache-2.0). */
        val photos: File = File(System.getProperty("user.dir")).resolve("../../rust-core/scan/tests/data/barcodes")

        /** Photo [name] (`ean13/ean13-3/01`) converted to luminance, each row [padding] bytes longer than the width. */
        fun of(name: String, padding: Int = 64): CameraFrame {
            val image = ImageIO.read(photos.resolve("$name.png"))
            val stride = image.width + padding
            val pixels = ByteArray(stride * image.height) { 0x55 }
            for (y in 0 until image.height) {
                for (x in 0 until image.width) {
                    val rgb = image.getRGB(x, y)
                    val r = (rgb shr 16) and 0xff
                    val g = (rgb shr 8) and 0xff
                    val b = rgb and 0xff
                    // Rec. 709 luma, as the core's image reader converts.
                    pixels[y * stride + x] = ((2126 * r + 7152 * g + 722 * b) / 10000).toByte()
                }
            }
            return CameraFrame(pixels, image.width, image.height, stride)
        }

        /** The expected text of photo [name]. */
        fun code(name: String): String = photos.resolve("$name.txt").readText().trim()
    }
}

/** Camera frames from real photos through the core's decoder into the register's sale. */
class CameraScanTest {
    private lateinit var kasir: Kasir
    private lateinit var vm: RegisterViewModel
    private lateinit var camera: CameraScanner

    @BeforeEach
    fun open() {
        kasir = sampleStore()
        // The photographed books, added to the catalog (the sample catalog has neither).
        kasir.importCatalog(
            "gtin,sku,name,price,tax_category,unit,category,stock\n" +
                "${CameraFrame.code(BOOK)},BK-1,Buku foto,85000,ppn,each,Buku,3\n" +
                "${CameraFrame.code(OTHER_BOOK)},BK-2,Buku lain,42000,ppn,each,Buku,3\n",
        )
        vm = RegisterViewModel(kasir, Language.ID)
        camera = CameraScanner()
    }

    @AfterEach
    fun close() {
        camera.close()
        vm.close()
        kasir.close()
    }

    @Test
    fun `a padded frame of a real photo reads its code and symbology`() {
        val frame = CameraFrame.of(BOOK, padding = 96)
        val read = assertNotNull(camera.frame(frame.pixels, frame.width, frame.height, frame.rowStride, 0))
        assertEquals(CameraFrame.code(BOOK), read.code)
        assertEquals("EAN-13", read.symbology)
        assertTrue(read.isNew)
    }

    @Test
    fun `the same frame several times adds the item once, with one accept event`() = runBlocking {
        val frame = CameraFrame.of(BOOK)
        val added = (0 until 5).map { i ->
            vm.frame(camera, frame.pixels, frame.width, frame.height, frame.rowStride, timestampMs = i * 33L)
        }
        assertEquals(listOf(true, false, false, false, false), added)
        val event = vm.scanEvents.first()
        assertIs<ScanEvent.Accepted>(event)
        assertEquals("Buku foto", event.name)
        assertEquals("Rp 85.000", event.totalText)
        val state = vm.state.value
        assertEquals(1, state.lines.size)
        assertEquals(CameraFrame.code(BOOK), state.lines[0].code.takeLast(13))
        assertEquals("1", state.lines[0].quantityText)
        assertEquals(BigDecimal("85000"), state.total)
    }

    @Test
    fun `a code back in view after the quiet time counts again and a second code counts at once`() {
        val book = CameraFrame.of(BOOK)
        val other = CameraFrame.of(OTHER_BOOK, padding = 16)
        fun show(frame: CameraFrame, at: Long) =
            vm.frame(camera, ByteBuffer.wrap(frame.pixels), frame.width, frame.height, frame.rowStride, at)
        assertTrue(show(book, 0))
        assertFalse(show(book, 500))
        assertTrue(show(other, 600))
        // The book out of view for longer than the quiet time (1 s): scanning it again adds one.
        assertTrue(show(book, 2_000))
        val lines = vm.state.value.lines
        assertEquals(listOf("Buku foto", "Buku lain"), lines.map { it.name })
        assertEquals(listOf("2", "1"), lines.map { it.quantityText })
        assertEquals(BigDecimal("212000"), vm.state.value.total)
    }

    @Test
    fun `a frame without a code changes nothing and bad geometry is refused by the core`() {
        val frame = CameraFrame.of(BOOK)
        val corner = FrameRegion(0u, 0u, 8u, 8u)
        assertFalse(vm.frame(camera, frame.pixels, frame.width, frame.height, frame.rowStride, 0, corner))
        assertTrue(vm.state.value.isEmpty)
        assertNull(vm.state.value.message)

        val refused = assertFailsWith<KasirException.InvalidInput> {
            camera.frame(frame.pixels, frame.width, frame.height, frame.width - 1, 0)
        }
        assertEquals("row_stride", refused.field)
        assertFalse(vm.frame(camera, frame.pixels.copyOf(100), frame.width, frame.height, frame.rowStride, 0))
        assertEquals("pixels", vm.state.value.message?.field)
        assertTrue(vm.state.value.isEmpty)
    }

    companion object {
        /** A phone photo of a book's EAN-13, 9780764544200. */
        const val BOOK = "ean13/ean13-3/01"

        /** Another book, 9780804816632. */
        const val OTHER_BOOK = "ean13/ean13-2/05"
    }
}
