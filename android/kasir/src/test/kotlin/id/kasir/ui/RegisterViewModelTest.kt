package id.kasir.ui

import id.kasir.Kasir
import java.math.BigDecimal
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/** The register screen's view model over the real core and the sample catalog. */
class RegisterViewModelTest {
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

    @Test
    fun `scans fill the cart with the core's amounts and an accept event each`() = runBlocking {
        assertTrue(vm.scan(Catalog.COCO))
        val first = vm.scanEvents.first()
        assertIs<ScanEvent.Accepted>(first)
        assertEquals(kasir.findItem(Catalog.COCO).name, first.name)
        assertEquals("Rp 11.500", first.totalText)

        vm.scan(Catalog.COCO)
        vm.scan("0" + Catalog.CELERI) // the same product keyed as GTIN-14
        val again = vm.scanEvents.first() as ScanEvent.Accepted
        assertEquals(1, again.line, "the second scan of coco adds to line 1")
        val third = vm.scanEvents.first() as ScanEvent.Accepted
        assertEquals(2, third.line)

        val state = vm.state.value
        val view = vm.register.view()
        assertEquals(2, state.lines.size)
        assertEquals("2", state.lines[0].quantityText)
        assertEquals("Rp 11.500", state.lines[0].unitPriceText)
        assertEquals(kasir.formatMoney(view.totals.lines[0].amount), state.lines[0].amountText)
        assertEquals("Rp 23.000", state.lines[0].amountText)
        // 23.000 + 37.000; PPN inside: 60.000 x 11/111 = 5.945,9 -> 5.946.
        assertEquals("Rp 60.000", state.totalText)
        assertEquals(kasir.formatMoney(view.totals.taxTotal), state.taxText)
        assertEquals("Rp 5.946", state.taxText)
        assertTrue(state.taxIncluded)
        assertEquals(BigDecimal("60000"), state.total)
    }

    @Test
    fun `a refused scan sends the core's reason and changes nothing`() = runBlocking {
        vm.scan(Catalog.COCO)
        vm.scanEvents.first()
        assertFalse(vm.scan(Catalog.BAD_CHECK_DIGIT))
        val rejected = vm.scanEvents.first()
        assertIs<ScanEvent.Rejected>(rejected)
        assertEquals("gtin", rejected.message.field)
        assertEquals("gtin", vm.state.value.message?.field)

        assertFalse(vm.scan(Catalog.UNKNOWN))
        val unknown = vm.scanEvents.first() as ScanEvent.Rejected
        assertEquals(Label.ERROR_NOT_FOUND.text(Language.ID), unknown.message.title)
        assertTrue(Catalog.UNKNOWN in unknown.message.text, unknown.message.text)
        assertEquals(1, vm.state.value.lines.size)
        assertEquals("Rp 11.500", vm.state.value.totalText)
    }

    @Test
    fun `the camera scanner shows the outcome of each scan, the same as its events`() = runBlocking {
        assertFalse(vm.state.value.scannerOpen)
        vm.scan(Catalog.COCO)
        vm.scanEvents.first()
        vm.openScanner()
        assertTrue(vm.state.value.scannerOpen)
        assertNull(vm.state.value.lastScan, "a scanner opens without an outcome")

        assertTrue(vm.scan(Catalog.CELERI))
        val accepted = vm.scanEvents.first()
        assertEquals(accepted, vm.state.value.lastScan)
        accepted as ScanEvent.Accepted
        assertEquals(kasir.findItem(Catalog.CELERI).name, accepted.name)
        assertEquals("Rp 48.500", accepted.totalText)
        assertEquals("Rp 48.500", vm.state.value.totalText)

        assertFalse(vm.scan(Catalog.UNKNOWN))
        val rejected = vm.scanEvents.first()
        assertEquals(rejected, vm.state.value.lastScan)
        assertEquals(Label.ERROR_NOT_FOUND.text(Language.ID), (rejected as ScanEvent.Rejected).message.title)
        assertEquals("Rp 48.500", vm.state.value.totalText, "a refused code changes nothing")

        vm.closeScanner()
        assertFalse(vm.state.value.scannerOpen)
        assertNull(vm.state.value.lastScan)
        assertEquals(2, vm.state.value.lines.size)
    }

    @Test
    fun `quantity, discounts and void come back from the core`() {
        vm.scan(Catalog.COCO)
        vm.scan(Catalog.CELERI)
        assertTrue(vm.setQuantity(1, "3"))
        assertTrue(vm.setLineDiscount(2, "10%"))
        var state = vm.state.value
        assertEquals("10%", state.lines[1].discountText)
        assertEquals("Rp 33.300", state.lines[1].amountText) // 37.000 - 3.700
        assertEquals(kasir.formatMoney(BigDecimal("-3700")), state.lines[1].discountAmountText)
        assertEquals("Rp -3.700", state.lines[1].discountAmountText)
        assertEquals("Rp 67.800", state.totalText) // 34.500 + 33.300

        assertTrue(vm.addOrderDiscount("5000"))
        state = vm.state.value
        assertEquals(listOf("Rp 5.000"), state.orderDiscounts)
        // The 5.000 split by largest remainder over 34.500 and 33.300 (of 67.800):
        // 2.544,2 -> 2.544 and 2.455,8 -> 2.456.
        assertEquals(listOf("Rp -2.544", "Rp -2.456"), state.lines.map { it.orderDiscountText })
        assertEquals(
            vm.register.view().totals.lines.map { kasir.formatMoney(it.orderDiscount.negate()) },
            state.lines.map { it.orderDiscountText },
        )
        assertEquals("Rp 62.800", state.totalText)
        assertEquals(kasir.formatMoney(vm.register.view().totals.total), state.totalText)

        assertFalse(vm.setQuantity(1, "tiga"))
        assertEquals("quantity", vm.state.value.message?.field)
        assertFalse(vm.setLineDiscount(1, "150%"))
        assertEquals("Rp 62.800", vm.state.value.totalText, "a refused discount changes nothing")

        assertTrue(vm.clearOrderDiscounts())
        assertTrue(vm.voidLine(2))
        state = vm.state.value
        assertTrue(state.lines[1].voided)
        assertNull(state.lines[1].amountText)
        assertEquals(1, state.lineCount)
        assertEquals("Rp 34.500", state.totalText)
    }

    @Test
    fun `search, categories and favourites come from the catalog and the sales`() {
        vm.search("coco")
        assertTrue(vm.state.value.results.any { it.code == "0" + Catalog.COCO }, "${vm.state.value.results}")
        vm.search(" ")
        assertTrue(vm.state.value.results.isEmpty())

        val categories = vm.state.value.categories
        assertEquals(kasir.categories().map { it.name }, categories.map { it.name })
        vm.selectCategory(categories.first().name)
        val items = vm.state.value.categoryItems
        assertEquals(categories.first().itemCount, items.size)
        assertTrue(items.all { it.category == categories.first().name })
        assertTrue(items.all { it.priceText.startsWith("Rp ") })

        assertTrue(vm.state.value.favourites.isEmpty())
        vm.add(Catalog.CELERI)
        val payment = vm.payment()
        assertTrue(payment.payCashExact())
        assertTrue(payment.complete() != null)
        assertEquals(listOf("0" + Catalog.CELERI), vm.state.value.favourites.map { it.code })
        assertTrue(vm.state.value.isEmpty, "the next sale starts empty")
    }

    @Test
    fun `the cart is fixed once a payment starts`() {
        vm.scan(Catalog.CELERI)
        val payment = vm.payment()
        payment.keypadDigit("20")
        payment.keypadDigit("000")
        assertTrue(payment.payCashFromKeypad())
        assertFalse(vm.state.value.canEdit)
        assertFalse(vm.scan(Catalog.COCO))
        assertEquals(1, vm.state.value.lines.size)
        assertTrue(payment.voidPayments())
        assertTrue(vm.state.value.canEdit)
        assertTrue(vm.scan(Catalog.COCO))
    }

    @Test
    fun `english labels and english number style`() {
        RegisterViewModel(kasir, Language.EN).use { en ->
            en.scan(Catalog.COCO)
            en.scan(Catalog.CELERI)
            assertEquals("Rp 48,500", en.state.value.totalText)
            en.add(Catalog.COCO, "0.5")
            assertEquals("quantity", en.state.value.message?.field, "coco is sold by the piece")
        }
    }

    @Test
    fun `a weighed item takes a quantity with an Indonesian decimal comma`() {
        // "Asperges blanches", Rp 38.000 per kg: 0,75 kg = Rp 28.500.
        assertTrue(vm.add(ASPARAGUS, "0,75"))
        val line = vm.state.value.lines.single()
        assertEquals("0,75", line.quantityText)
        assertEquals("Rp 38.000", line.unitPriceText)
        assertEquals("Rp 28.500", line.amountText)
        assertTrue(vm.state.value.categoryItems.isEmpty())
        vm.selectCategory("Buah & Sayur")
        assertTrue(vm.state.value.categoryItems.first { it.code == "0$ASPARAGUS" }.weighed)
        assertFalse(vm.setQuantity(1, "0,7505"), "kilograms have three decimals at most")
        assertEquals("Rp 28.500", vm.state.value.totalText)
    }

    private companion object {
        const val ASPARAGUS = "3560070503018"
    }
}
