package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.KasirException
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/** The core's errors in the screen's language: real refusals through the core, in Indonesian. */
class ErrorTextTest {
    private lateinit var kasir: Kasir
    private lateinit var vm: RegisterViewModel

    @BeforeEach
    fun open() {
        kasir = sampleStore()
        vm = RegisterViewModel(kasir, Language.ID)
    }

    @AfterEach
    fun close() {
        vm.close()
        kasir.close()
    }

    private fun message(): UiMessage = vm.state.value.message ?: error("no message on screen")

    @Test
    fun `an Indonesian register shows the core's refusals in Indonesian`() {
        assertFalse(vm.scan(Catalog.BAD_CHECK_DIGIT))
        assertEquals("Periksa isian ini", message().title)
        assertEquals("barcode: EAN-13 `8858652601389` berdigit periksa 9, seharusnya 8", message().detail)
        assertEquals("gtin", message().field, "the field the screen marks stays the core's name")

        assertFalse(vm.scan(Catalog.UNKNOWN))
        assertEquals("Tidak ditemukan", message().title)
        assertEquals("produk `${Catalog.UNKNOWN}`", message().detail)

        assertTrue(vm.scan(Catalog.COCO))
        assertFalse(vm.setQuantity(1, "0"))
        assertEquals("jumlah: 0 harus lebih dari nol", message().detail)

        assertFalse(vm.setLineDiscount(1, "150%"))
        assertEquals("diskon: 150% harus lebih dari 0 dan paling banyak 100", message().detail)

        // An amount in the reason is written again by the core, in Indonesian style.
        assertFalse(vm.setLineDiscount(1, "20000"))
        assertEquals("diskon baris 1: Rp 20.000 lebih dari Rp 11.500 yang didiskon", message().detail)

        val payment = vm.payment()
        payment.keypadDigit("20")
        payment.keypadDigit("000")
        assertTrue(payment.payCashFromKeypad())
        assertFalse(vm.scan(Catalog.CELERI))
        assertEquals("Tidak bisa sekarang", message().title)
        assertEquals("pembayaran sudah dimulai: batalkan pembayaran sebelum mengubah penjualan", message().detail)
    }

    @Test
    fun `an English register shows the core's own words`() {
        RegisterViewModel(kasir, Language.EN).use { en ->
            en.scan(Catalog.COCO)
            assertFalse(en.setLineDiscount(1, "20000"))
            val refused = runCatching { en.register.setLineDiscount(1u, kasir.parseDiscount("20000")) }
                .exceptionOrNull() as KasirException.InvalidInput
            // The core's amounts are plain digits; the screen's are the core's formatMoney.
            assertEquals("20000 is more than the 11500 it applies to", refused.reason)
            assertEquals("line 1 discount: Rp 20,000 is more than the Rp 11,500 it applies to", en.state.value.message?.detail)
            assertFalse(en.scan(Catalog.BAD_CHECK_DIGIT))
            assertEquals("gtin: EAN-13 `8858652601389` has check digit 9, but it must be 8", en.state.value.message?.detail)
        }
    }

    @Test
    fun `a payment refused on an empty sale and the parse of a dotted amount, in Indonesian`() {
        val payment = vm.payment()
        assertFalse(payment.showQris())
        assertEquals("toko ini belum punya kode QRIS: atur di pengaturan toko", payment.state.value.message?.detail)
        val refused = runCatching { kasir.parseAmount("amount", "20.000") }.exceptionOrNull() as KasirException
        assertEquals(
            "jumlah uang: `20.000`: jumlah IDR adalah bilangan bulat; ketik tanpa titik atau koma, misalnya 20000",
            UiMessage.of(refused, Language.ID).detail,
        )
    }

    @Test
    fun `a card refused by the core, in Indonesian with the core's amounts`() {
        vm.scan(Catalog.COCO)
        val payment = vm.payment()
        assertFalse(payment.cardPaid("A1B2C3", "12", "VISA"))
        assertEquals("4 angka terakhir kartu: harus tepat empat angka terakhir kartu", payment.state.value.message?.detail)
        payment.keypadDigit("50")
        payment.keypadDigit("000")
        assertFalse(payment.cardPaid("A1B2C3", "4242", "VISA"))
        assertEquals(
            "jumlah uang: kartu sebesar Rp 50.000 lebih dari sisa tagihan Rp 11.500; hanya tunai yang memberi kembalian",
            payment.state.value.message?.detail,
        )
    }

    @Test
    fun `a reason without a template stays the core's English`() {
        val message = UiMessage.of(KasirException.NotAllowed("a reason no template knows"), Language.ID)
        assertEquals("Tidak bisa sekarang", message.title)
        assertEquals("a reason no template knows", message.detail)
    }

    @Test
    fun `every variant of the core's error has a template in both languages`() {
        val variants = KasirException::class.java.declaredClasses
            .filter { KasirException::class.java.isAssignableFrom(it) && it != KasirException::class.java }
        assertEquals(10, variants.size, variants.map { it.simpleName }.toString())
        for (variant in variants) {
            val constructor = variant.constructors.single()
            val error = constructor.newInstance(*Array(constructor.parameterCount) { "x" }) as KasirException
            val (title, detail) = ErrorTemplates.of(error)
            for (language in Language.entries) {
                assertTrue(title.text(language).isNotBlank(), "${variant.simpleName} $language")
                assertTrue(detail.text(language).isNotBlank(), "${variant.simpleName} $language")
            }
            assertNotEquals(title.text(Language.EN), title.text(Language.ID), variant.simpleName)
            val message = UiMessage.of(error, Language.ID)
            assertEquals(title.text(Language.ID), message.title)
            assertTrue(!message.detail.isNullOrBlank(), variant.simpleName)
        }
        // Every word of the error groups has an Indonesian text of its own.
        val groups = listOf("WHAT_", "FIELD_", "REASON_")
        for (label in Label.entries.filter { l -> groups.any { l.name.startsWith(it) } }) {
            assertTrue(label.text(Language.ID).isNotBlank(), label.name)
        }
    }
}
