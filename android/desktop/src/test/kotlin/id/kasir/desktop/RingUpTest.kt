package id.kasir.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.assertIsNotEnabled
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.runDesktopComposeUiTest
import id.kasir.app.ui.KasirRegisterApp
import id.kasir.app.ui.KasirTheme
import id.kasir.app.ui.Platform
import id.kasir.ui.Language
import id.kasir.ui.MemoryPreferences
import kotlin.test.assertEquals
import org.junit.jupiter.api.Test

/**
 * A sale rung up on screen, by the controls a clerk (or a screen reader) finds: two taps on an
 * item of a category, pay with the exact quick amount, complete; the core then holds the sale
 * the screens showed.
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
                val tile = onNodeWithContentDescription("Add ${item.name}, $price")
                tile.performClick()
                tile.performClick()
                onNodeWithContentDescription("2 × ${item.name}, $total").assertIsDisplayed()
                onNodeWithText("Pay $total").performClick()
                onNodeWithText("Exact $total").performClick()
                onNodeWithText("Complete sale").performClick()
                onNodeWithText("Receipt D01-000001").assertIsDisplayed()
                onNodeWithText("New sale").performClick()
                onNodeWithText("Pay Rp 0").assertIsNotEnabled()
            }
            val sale = kasir.completedSale("D01-000001")
            assertEquals(1, sale.lines.size)
            assertEquals(0, item.price.multiply(java.math.BigDecimal(2)).compareTo(sale.total))
        }
    }
}
