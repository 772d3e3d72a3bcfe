package id.kasir.ui

import java.math.BigDecimal
import kotlin.test.assertEquals
import org.junit.jupiter.api.Test

class MoneyTextTest {
    @Test
    fun `kept texts are the core's, in the view model's language, and the oldest go first`() {
        sampleStore().use { kasir ->
            val amounts = listOf(BigDecimal(0), BigDecimal(2000), BigDecimal(-3700), BigDecimal(1234567))
            val id = MoneyText(kasir, Language.ID, capacity = 3)
            id.prepare(amounts)
            assertEquals(amounts.map { kasir.formatMoney(it, Language.ID.core) }, amounts.map(id::text))
            assertEquals(listOf("Rp 0", "Rp 2.000", "Rp -3.700", "Rp 1.234.567"), amounts.map(id::text))
            val en = MoneyText(kasir, Language.EN)
            assertEquals("Rp 1,234,567", en.text(BigDecimal(1234567)))
            assertEquals(kasir.formatAmounts(amounts, Language.EN.core), amounts.map(en::text))
        }
    }
}
