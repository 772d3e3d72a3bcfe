package id.kasir.ui

import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

class StringsTest {
    private val placeholder = Regex("\\{[0-9]+\\}")

    @Test
    fun `every label has both languages with the same placeholders`() {
        for (label in Label.entries) {
            val en = label.text(Language.EN)
            val id = label.text(Language.ID)
            assertTrue(en.isNotBlank() && id.isNotBlank(), label.name)
            assertEquals(
                placeholder.findAll(en).map { it.value }.toSet(),
                placeholder.findAll(id).map { it.value }.toSet(),
                label.name,
            )
        }
    }

    @Test
    fun `the language follows the device locale, the old Android code for Indonesian included`() {
        assertEquals(Language.ID, Language.forDevice("id-ID"))
        assertEquals(Language.ID, Language.forDevice("in_ID"))
        assertEquals(Language.EN, Language.forDevice("en-US"))
        assertEquals(Language.EN, Language.forDevice("ms-MY"))
        assertEquals("3 menunggu", Label.SYNC_WAITING.format(Language.ID, 3))
    }
}
