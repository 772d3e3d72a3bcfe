package id.kasir.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.runDesktopComposeUiTest
import id.kasir.Kasir
import id.kasir.app.ui.KasirRegisterApp
import id.kasir.app.ui.KasirTheme
import id.kasir.app.ui.Platform
import id.kasir.ui.Language
import id.kasir.ui.MemoryPreferences
import java.awt.Toolkit
import java.awt.datatransfer.DataFlavor
import java.io.File
import java.nio.file.Files
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test

/**
 * The receipt screen's sharing in the desktop window, tapped as a clerk does: Share PDF and
 * Share image save the core's file in the folder the window was given and say where; Send link
 * puts the receipt's public link on the clipboard and shows it.
 */
@OptIn(ExperimentalTestApi::class)
class ReceiptSharingTest {
    /** Rings up one item and pays the exact amount, on screen, up to the receipt. */
    private fun androidx.compose.ui.test.ComposeUiTest.sellOneItem(kasir: Kasir) {
        val category = kasir.categories().first().name
        val item = kasir.categoryItems(category).first()
        val price = kasir.formatMoney(item.price, Language.EN.core)
        onNodeWithText(category).performClick()
        onNodeWithContentDescription("Add ${item.name}, $price").performClick()
        onNodeWithText("Pay $price").performClick()
        onNodeWithText("Exact $price").performClick()
        onNodeWithText("Complete sale").performClick()
        onNodeWithText("Receipt D01-000001").assertIsDisplayed()
    }

    @Test
    fun share_pdf_and_share_image_save_the_cores_files_in_the_folder_and_say_where() {
        val folder = Files.createTempDirectory("kasir-shared").toFile().resolve("receipts")
        sampleStore().use { kasir ->
            val share = DesktopShare(folder)
            runDesktopComposeUiTest(width = Device.TABLET.widthDp, height = Device.TABLET.heightDp) {
                setContent {
                    KasirTheme(Screenshots.font) {
                        KasirRegisterApp(kasir, Platform(MemoryPreferences(language = Language.EN), share = share, syncRefreshMillis = 0))
                    }
                }
                sellOneItem(kasir)
                onNodeWithText("Share image").assertIsDisplayed()
                onNodeWithText("Send link").assertIsDisplayed()
                onNodeWithContentDescription("Share receipt D01-000001 as a PDF").assertIsDisplayed().performClick()

                val pdf = File(folder, "struk-D01-000001.pdf")
                waitUntil(timeoutMillis = 30_000) { onAllNodes(hasText("Saved to ${pdf.absolutePath}")).fetchSemanticsNodes().isNotEmpty() }
                val bytes = pdf.readBytes()
                assertEquals("%PDF", String(bytes, 0, 4, Charsets.US_ASCII))
                assertContentEquals(kasir.receiptPdf("D01-000001", 32).bytes, bytes)

                onNodeWithText("Share image").performClick()
                val png = File(folder, "struk-D01-000001.png")
                waitUntil(timeoutMillis = 30_000) { onAllNodes(hasText("Saved to ${png.absolutePath}")).fetchSemanticsNodes().isNotEmpty() }
                assertContentEquals(byteArrayOf(0x89.toByte(), 'P'.code.toByte(), 'N'.code.toByte(), 'G'.code.toByte()), png.readBytes().copyOfRange(0, 4))
            }
            // Only the two receipts: no half-written file left behind.
            assertEquals(listOf("struk-D01-000001.pdf", "struk-D01-000001.png"), folder.list()!!.sorted())
        }
    }

    @Test
    fun send_link_without_a_cloud_account_says_to_connect_one_and_copies_nothing() {
        sampleStore().use { kasir ->
            val share = DesktopShare(Files.createTempDirectory("kasir-shared").toFile())
            runDesktopComposeUiTest(width = Device.TABLET.widthDp, height = Device.TABLET.heightDp) {
                setContent {
                    KasirTheme(Screenshots.font) {
                        KasirRegisterApp(kasir, Platform(MemoryPreferences(language = Language.EN), share = share, syncRefreshMillis = 0))
                    }
                }
                sellOneItem(kasir)
                onNodeWithText("Send link").performClick()
                waitUntil(timeoutMillis = 30_000) {
                    onAllNodes(hasText("Connect this device to a cloud account to send receipt links", substring = true))
                        .fetchSemanticsNodes().isNotEmpty()
                }
            }
            assertTrue(share.links.isEmpty())
        }
    }

    @Test
    fun send_link_puts_the_enrolled_clouds_link_on_the_clipboard_and_shows_it() {
        TestCloud().use { cloud ->
            sampleStore().use { kasir ->
                val owner = cloud.merchant("Toko Tautan")
                val code = cloud.enrolmentCode(owner, cloud.createStore(owner, "Toko Tautan"))
                runBlocking { kasir.enrol(cloud.url, code) }
                val share = DesktopShare(Files.createTempDirectory("kasir-shared").toFile())
                runDesktopComposeUiTest(width = Device.TABLET.widthDp, height = Device.TABLET.heightDp) {
                    setContent {
                        KasirTheme(Screenshots.font) {
                            KasirRegisterApp(kasir, Platform(MemoryPreferences(language = Language.EN), share = share, syncRefreshMillis = 0))
                        }
                    }
                    sellOneItem(kasir)
                    onNodeWithContentDescription("Send the link to receipt D01-000001").performClick()
                    waitUntil(timeoutMillis = 30_000) { share.links.isNotEmpty() }
                    val link = share.links.single()
                    assertTrue(link.startsWith("${cloud.url}/r/"), link)
                    // The link as text, and its QR code read out as the link.
                    onAllNodes(hasText(link)).fetchSemanticsNodes().let { assertTrue(it.isNotEmpty(), "the link is not shown") }
                    onNodeWithContentDescription(link).assertExists()
                    onNodeWithText("The link opens once this sale has synced").assertExists()
                    val clip = Toolkit.getDefaultToolkit().systemClipboard.getData(DataFlavor.stringFlavor)
                    assertEquals(link, clip)
                }
            }
        }
    }
}
