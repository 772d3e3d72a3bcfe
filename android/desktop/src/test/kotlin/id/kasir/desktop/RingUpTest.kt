package id.kasir.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.isHeading
import androidx.compose.ui.test.assertIsNotEnabled
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performImeAction
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.runDesktopComposeUiTest
import id.kasir.app.ui.KasirRegisterApp
import id.kasir.app.ui.KasirTheme
import id.kasir.app.ui.Platform
import id.kasir.core.PaymentReader
import id.kasir.core.SimulatedCard
import id.kasir.core.domain.TenderMethod
import id.kasir.ui.Language
import id.kasir.ui.MemoryPreferences
import kotlin.test.assertEquals
import org.junit.jupiter.api.Test

/**
 * A sale rung up on screen, by the controls a clerk (or a screen reader) finds: a tap on an
 * item of a category, the same item scanned, pay with the exact quick amount, complete; the
 * core then holds the sale the screens showed.
 */
@OptIn(ExperimentalTestApi::class)
class RingUpTest {
    @Test
    fun a_sale_is_rung_up_and_completed_on_screen() {
        sampleStore().use { kasir ->
            val category = kasir.categories().first().name
            val item = kasir.categoryItems(category).first()
            val price = kasir.formatMoney(item.price, Language.EN.core)
            val total = kasir.formatMoney(item.price.multiply(java.math.BigDecimal(2)), Language.EN.core)
            runDesktopComposeUiTest(width = Device.TABLET.widthDp, height = Device.TABLET.heightDp) {
                setContent {
                    KasirTheme(Screenshots.font) {
                        KasirRegisterApp(kasir, Platform(MemoryPreferences(language = Language.EN), syncRefreshMillis = 0))
                    }
                }
                onNodeWithText("Pay Rp 0").assertIsNotEnabled()
                onNodeWithText(category).performClick()
                onNodeWithContentDescription("Add ${item.name}, $price").performClick()
                // A scanner types the barcode and Enter into the search field.
                onNode(hasSetTextAction()).performClick().performTextInput(item.gtin)
                onNode(hasSetTextAction()).performImeAction()
                onNodeWithContentDescription("2 × ${item.name}, $total").assertIsDisplayed()
                onNodeWithText("Pay $total").performClick()
                onNodeWithText("Exact $total").performClick()
                onNodeWithText("Complete sale").performClick()
                onNodeWithText("Receipt D01-000001").assertIsDisplayed()
                onNodeWithText("New sale").performClick()
                onNodeWithText("Pay Rp 0").assertIsNotEnabled()
            }
            val sale = kasir.completedSale("D01-000001")
            assertEquals(2, sale.lines.single().quantity.toInt())
            assertEquals(0, item.price.multiply(java.math.BigDecimal(2)).compareTo(sale.total))
        }
    }

    /** The Card reader button charges the sale on the core's simulated reader and shows how it ended. */
    @Test
    fun a_sale_is_paid_on_the_simulated_card_reader() {
        sampleStore().use { kasir ->
            val category = kasir.categories().first().name
            val item = kasir.categoryItems(category).first()
            val price = kasir.formatMoney(item.price, Language.EN.core)
            val reader = PaymentReader.simulated(SimulatedCard.APPROVE, null)
            runDesktopComposeUiTest(width = Device.TABLET.widthDp, height = Device.TABLET.heightDp) {
                setContent {
                    KasirTheme(Screenshots.font) {
                        KasirRegisterApp(kasir, Platform(MemoryPreferences(language = Language.EN), syncRefreshMillis = 0, cardReader = reader))
                    }
                }
                onNodeWithText(category).performClick()
                onNodeWithContentDescription("Add ${item.name}, $price").performClick()
                onNodeWithText("Pay $price").performClick()
                onNodeWithText("Card reader").performClick()
                // The payment runs off the UI thread; once approved, the sale is paid and can be completed.
                waitUntil(timeoutMillis = 10_000) { onAllNodesWithText("Complete sale").fetchSemanticsNodes().isNotEmpty() }
                onNodeWithText("Complete sale").performClick()
                onNodeWithText("Receipt D01-000001").assertIsDisplayed()
            }
            val sale = kasir.completedSale("D01-000001")
            assertEquals(0, item.price.compareTo(sale.total))
            val card = sale.tenders.single().method as TenderMethod.Card
            assertEquals("1111", card.last4)
            assertEquals("VISA", card.brand)
        }
    }

    /** The labels follow the language picked for this device, and the choice is kept in its preferences. */
    @Test
    fun the_device_language_is_chosen_in_the_settings_and_kept() {
        sampleStore().use { kasir ->
            val preferences = MemoryPreferences(language = Language.EN)
            runDesktopComposeUiTest(width = Device.TABLET.widthDp, height = Device.TABLET.heightDp) {
                setContent {
                    KasirTheme(Screenshots.font) { KasirRegisterApp(kasir, Platform(preferences, syncRefreshMillis = 0)) }
                }
                onNodeWithText("Cart").assertIsDisplayed()
                onNodeWithText("Settings").performClick()
                onNodeWithContentDescription("Language: Indonesian").performClick()
                onNode(hasText("Pengaturan") and isHeading()).assertIsDisplayed()
                onNodeWithText("Kembali").performClick()
                onNodeWithText("Keranjang").assertIsDisplayed()
            }
            assertEquals(Language.ID, preferences.language)
        }
    }
}
