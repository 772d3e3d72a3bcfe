package id.kasir

import id.kasir.core.KasirException
import java.math.BigDecimal
import java.nio.file.Files
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/**
 * A sale rung up from Kotlin against the sample catalog (data/catalog/sample-catalog.csv).
 * Expected amounts are worked out by hand from the catalog's prices and the Indonesian rules:
 * PPN-inclusive prices, PPN 12% on an 11/12 base (11% effective), rounded half up per receipt.
 */
class SaleTest {
    private lateinit var kasir: Kasir

    @BeforeEach
    fun openStore() {
        val dir = Files.createTempDirectory("kasir-sale")
        kasir = Kasir.openOrCreate(dir.resolve("store.db").toString(), "Toko Uji", "D01", sampleCatalog = true)
    }

    @AfterEach
    fun closeStore() = kasir.close()

    @Test
    fun `discounted sale with a split tender totals to the last rupiah`() {
        kasir.sale { register ->
            // "100% coco" at Rp 11.500, scanned twice; "72CL Coeur De Celeri" at Rp 37.000.
            register.scan(COCO)
            register.scan(COCO)
            register.scan(CELERI)
            register.setLineDiscount(2u, percentOff(10)) // 37.000 - 3.700 = 33.300
            val view = register.addOrderDiscount(amountOff("5000"))

            // Items 23.000 + 33.300 = 56.300; less 5.000 = 51.300. The 5.000 is split by largest
            // remainder: 5.000 x 23.000/56.300 = 2.042,6 -> 2.043 and 5.000 x 33.300/56.300 =
            // 2.957,4 -> 2.957.
            val totals = view.totals
            assertEquals(BigDecimal("60000"), totals.subtotal)
            assertEquals(BigDecimal("8700"), totals.discountTotal)
            assertEquals(BigDecimal("51300"), totals.itemsTotal)
            assertEquals(BigDecimal("51300"), totals.total)
            assertEquals(listOf(BigDecimal("2043"), BigDecimal("2957")), totals.lines.map { it.orderDiscount })
            assertEquals(listOf(BigDecimal("20957"), BigDecimal("30343")), totals.lines.map { it.amount })
            // PPN inside 51.300: 51.300 x 11/111 = 5.083,78 -> 5.084.
            assertEquals(BigDecimal("5084"), totals.taxTotal)

            // Card for Rp 20.000 on the terminal, the rest in cash from a Rp 40.000 note.
            val afterCard = register.payCard(money("20000"), "A1B2C3", "4242", "VISA")
            assertEquals(BigDecimal("31300"), afterCard.payment.remaining)
            val paid = register.payCash(money("40000"))
            assertTrue(paid.payment.isPaid)
            assertEquals(BigDecimal("8700"), paid.payment.change)

            val sale = register.complete()
            assertEquals("D01-000001", sale.receiptNumber)
            assertEquals(BigDecimal("51300"), sale.total)
            assertEquals(BigDecimal("60000"), sale.tendered)
            assertEquals(BigDecimal("8700"), sale.change)
            assertEquals(listOf("card", "cash"), sale.tenders.map { it.method.javaClass.simpleName.lowercase() })
        }

        val report = kasir.dayReport()
        assertEquals(1uL, report.sales)
        assertEquals(BigDecimal("51300"), report.total)
        assertEquals(BigDecimal("5084"), report.tax)
    }

    @Test
    fun `the receipt of a completed sale shows its number and total`() {
        val receipt = kasir.sale { register ->
            register.scan(COCO)
            register.payCash(money("20000"))
            register.complete().receiptNumber
        }
        val text = kasir.receiptText(receipt, 32)
        assertTrue(receipt in text, text)
        assertTrue("11.500" in text, text)
        assertTrue("8.500" in text, "the change of Rp 20.000 for Rp 11.500: $text")
        assertTrue(text.lines().all { it.length <= 32 }, text)
        // ESC @ (initialise) opens every ESC/POS job.
        val bytes = kasir.receiptBytes(receipt, "generic-58")
        assertEquals(listOf<Byte>(0x1B, 0x40), bytes.take(2))
        assertFailsWith<KasirException.NotFound> { kasir.receiptBytes(receipt, "no-such-printer") }
    }

    @Test
    fun `a bad check digit is invalid input naming the gtin`() {
        kasir.sale { register ->
            val error = assertFailsWith<KasirException.InvalidInput> { register.scan("8858652601389") }
            assertEquals("gtin", error.field)
            assertTrue(register.view().lines.isEmpty(), "a refused scan adds nothing")
        }
    }

    @Test
    fun `a valid barcode that is not in the catalog is not found`() {
        // 4006381333931 is a valid EAN-13 (its check digit holds) that the sample catalog lacks.
        val error = assertFailsWith<KasirException.NotFound> { kasir.findItem("4006381333931") }
        assertEquals("4006381333931", error.key)
    }

    @Test
    fun `a card tender above what is due is refused and changes nothing`() {
        kasir.sale { register ->
            register.scan(COCO)
            val error = assertFailsWith<KasirException.InvalidInput> {
                register.payCard(money("12000"), "A1B2C3", "4242", "VISA")
            }
            assertEquals("amount", error.field)
            assertEquals(BigDecimal("11500"), register.view().payment.remaining)
        }
    }

    @Test
    fun `a full card number is refused without being repeated`() {
        kasir.sale { register ->
            register.scan(COCO)
            val error = assertFailsWith<KasirException.InvalidInput> {
                register.payCard(null, "A1B2C3", "4111111111111111", "VISA")
            }
            assertEquals("last4", error.field)
            assertTrue("4111" !in error.reason)
        }
    }

    @Test
    fun `completing an unpaid sale is not allowed and stores nothing`() {
        kasir.sale { register ->
            register.scan(CELERI)
            register.payQr(money("30000"), "QRIS-REF-1")
            assertFailsWith<KasirException.NotAllowed> { register.complete() }
        }
        assertEquals(0, kasir.sales().size)
    }

    @Test
    fun `a code in another gtin form finds the same item`() {
        // The same product keyed as GTIN-14 with a leading zero.
        assertEquals(kasir.findItem(COCO).name, kasir.findItem("0$COCO").name)
    }

    companion object {
        const val COCO = "8858652601388"
        const val CELERI = "3245413119520"
    }
}
