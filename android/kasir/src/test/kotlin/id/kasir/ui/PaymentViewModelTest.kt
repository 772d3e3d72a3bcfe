package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.PaymentReader
import id.kasir.core.SimulatedCard
import id.kasir.core.domain.CashRounding
import id.kasir.core.domain.Rounding
import java.math.BigDecimal
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/** The payment screen's view model: keypad, quick amounts, change, tips, split, QRIS and card. */
class PaymentViewModelTest {
    private lateinit var kasir: Kasir
    private lateinit var register: RegisterViewModel

    @BeforeEach
    fun open() {
        kasir = sampleStore()
        register = RegisterViewModel(kasir, Language.ID)
    }

    @AfterEach
    fun close() {
        register.close()
        kasir.close()
    }

    @Test
    fun `quick amounts are the core's, from the rupiah notes`() {
        register.scan(Catalog.COCO)
        val payment = register.payment()
        val state = payment.state.value
        assertEquals(kasir.quickCashAmounts(state.cashDue), state.quickAmounts.map { it.amount })
        assertEquals(
            listOf("Rp 11.500", "Rp 12.000", "Rp 15.000", "Rp 20.000", "Rp 50.000", "Rp 100.000"),
            state.quickAmounts.map { it.text },
        )
        assertTrue(state.quickAmounts.first().exact)

        assertTrue(payment.payQuickAmount(state.quickAmounts[3].amount))
        val paid = payment.state.value
        assertTrue(paid.isPaid)
        assertEquals("Rp 8.500", paid.changeText)
        assertEquals(kasir.formatMoney(register.register.view().payment.change), paid.changeText)
        assertTrue(paid.quickAmounts.isEmpty(), "nothing left to pay")
    }

    @Test
    fun `cash from the keypad, change and completion`() = runBlocking {
        register.scan(Catalog.COCO)
        register.scan(Catalog.CELERI)
        val payment = register.payment()
        assertEquals("Rp 48.500", payment.state.value.remainingText)
        payment.keypadDigit("5")
        payment.keypadDigit("0")
        payment.keypadDigit("000")
        assertEquals("Rp 50.000", payment.state.value.keypadAmountText)
        payment.keypadBackspace()
        assertEquals("Rp 5.000", payment.state.value.keypadAmountText)
        payment.keypadDigit("0")
        assertTrue(payment.payCashFromKeypad())

        val state = payment.state.value
        assertTrue(state.isPaid)
        assertEquals("Rp 1.500", state.changeText)
        assertEquals(1, state.tenders.size)
        assertEquals(Label.CASH.text(Language.ID), state.tenders[0].method)
        assertEquals("Rp 50.000", state.tenders[0].amountText)
        assertEquals("", state.keypadDigits)

        val sale = assertNotNull(payment.complete())
        assertEquals("D01-000001", sale.receiptNumber)
        assertEquals(BigDecimal("48500"), sale.total)
        val event = payment.completions.first() as PaymentEvent.Completed
        assertEquals("D01-000001", event.receiptNumber)
        assertEquals("Rp 1.500", event.changeText)
        assertTrue(register.state.value.isEmpty, "the register starts the next sale")
        assertEquals(1, kasir.sales().size)
    }

    @Test
    fun `a refused amount or an unpaid completion changes nothing`() {
        register.scan(Catalog.CELERI)
        val payment = register.payment()
        payment.keypadDigit("9999999999999999") // 16 digits: too large
        assertEquals("amount", payment.state.value.message?.field)
        assertEquals("", payment.state.value.keypadDigits)

        payment.keypadDigit("20000")
        assertTrue(payment.payCashFromKeypad())
        assertEquals("Rp 17.000", payment.state.value.remainingText)
        assertNull(payment.complete())
        assertEquals(Label.ERROR_NOT_ALLOWED.text(Language.ID), payment.state.value.message?.title)
        assertEquals(0, kasir.sales().size)

        assertFalse(payment.cardPaid("A1B2C3", "4111111111111111", "VISA"))
        val message = assertNotNull(payment.state.value.message)
        assertEquals("last4", message.field)
        assertFalse("4111111111111111" in message.text)
        assertTrue(payment.cardPaid("A1B2C3", "4242", "VISA"))
        assertTrue(payment.state.value.isPaid)
        assertEquals("VISA •••• 4242", payment.state.value.tenders[1].detail)
    }

    @Test
    fun `tip presets show the core's amounts and a chosen tip joins the total`() {
        register.add(Catalog.COCO, "3") // 34.500
        val payment = register.payment()
        val choices = payment.state.value.tipChoices
        assertEquals(listOf(null, "Rp 1.725", "Rp 3.450", "Rp 5.175"), choices.map { it.amountText })
        assertTrue(choices[0].selected)

        assertFalse(payment.selectTip(BigDecimal(-5)))
        assertEquals("tip", payment.state.value.message?.field)
        assertEquals("Rp 34.500", payment.state.value.totalText)

        assertTrue(payment.selectTip(BigDecimal(10)))
        val state = payment.state.value
        assertTrue(state.tipChoices[2].selected)
        assertEquals("Rp 3.450", state.tipText)
        assertEquals("Rp 37.950", state.totalText)
        assertEquals("Rp 37.950", register.state.value.totalText)
        assertTrue(payment.payCashExact())
        assertFalse(payment.selectTip(null), "the tip is fixed once paid")
        assertEquals(BigDecimal("3450"), assertNotNull(payment.complete()).charges.single().amount)
    }

    @Test
    fun `a bill split three ways is paid part by part in cash, card and QRIS`() {
        val settings = kasir.settings
        kasir.updateSettings(settings.copy(qris = Catalog.QRIS_STICKER))
        RegisterViewModel(kasir, Language.ID).use { table ->
            table.scan(Catalog.COCO)
            table.scan(Catalog.CELERI) // 48.500
            val payment = table.payment()
            assertTrue(payment.splitEvenly(3))
            val parts = payment.state.value.splitParts
            assertEquals(listOf("Rp 16.167", "Rp 16.167", "Rp 16.166"), parts.map { it.totalText })
            assertEquals(BigDecimal("48500"), parts.sumOf { it.amount }, "the parts sum to the total")

            payment.selectPart(1)
            assertEquals("Rp 16.167", payment.state.value.keypadAmountText)
            assertTrue(payment.payCashFromKeypad())
            payment.selectPart(2)
            assertTrue(payment.cardPaid("OK1234", "4242", "GPN"))
            assertEquals(listOf(true, true, false), payment.state.value.splitParts.map { it.paid })
            assertFalse(payment.splitEvenly(2), "no new split once paying")

            payment.selectPart(3)
            assertTrue(payment.showQris())
            val qris = assertNotNull(payment.state.value.qris)
            assertEquals("Rp 16.166", qris.amountText)
            assertTrue(qris.payload.startsWith("000201010212"), qris.payload) // dynamic
            assertTrue("540516166" in qris.payload, "tag 54 carries the amount: ${qris.payload}")
            assertTrue(payment.qrisPaid("DANA-REF-77"))
            assertNull(payment.state.value.qris)
            assertTrue(payment.state.value.isPaid)
            assertEquals(listOf(true, true, true), payment.state.value.splitParts.map { it.paid })
            val sale = assertNotNull(payment.complete())
            assertEquals(3, sale.tenders.size)
            assertEquals(BigDecimal("48500"), sale.tendered)
        }
    }

    @Test
    fun `QRIS needs the store's sticker`() {
        register.scan(Catalog.COCO)
        val payment = register.payment()
        assertFalse(payment.showQris())
        assertEquals(Label.ERROR_NOT_ALLOWED.text(Language.ID), payment.state.value.message?.title)
        assertNull(payment.state.value.qris)
    }

    @Test
    fun `with cash rounding the keypad offers amounts from the rounded cash due`() {
        kasir.updateSettings(kasir.settings.copy(cashRounding = CashRounding(BigDecimal(100), Rounding.HALF_AWAY_FROM_ZERO)))
        RegisterViewModel(kasir, Language.ID).use { shop ->
            shop.scan(Catalog.COCO)
            assertTrue(shop.addOrderDiscount("7%")) // 11.500 - 805 = 10.695
            val payment = shop.payment()
            val state = payment.state.value
            assertEquals("Rp 10.695", state.totalText)
            assertEquals("Rp 10.700", state.cashDueText) // rounded to Rp 100
            assertEquals(
                listOf("Rp 10.700", "Rp 12.000", "Rp 15.000", "Rp 20.000", "Rp 50.000", "Rp 100.000"),
                state.quickAmounts.map { it.text },
            )
            assertTrue(payment.payQuickAmount(state.quickAmounts[1].amount))
            val paid = payment.state.value
            assertEquals("Rp 1.300", paid.changeText)
            assertEquals("Rp 5", paid.roundingText)
            assertEquals(BigDecimal("5"), assertNotNull(payment.complete()).cashRounding)
        }
    }

    @Test
    fun `a service charge and a tip both join the total, the split divides them`() {
        register.scan(Catalog.CELERI) // 37.000
        val payment = register.payment()
        assertTrue(payment.setServiceCharge(BigDecimal(5))) // 1.850, outside tax in a shop
        assertTrue(payment.selectTip(BigDecimal(10))) // 3.700 of the items
        val state = payment.state.value
        assertEquals("Rp 1.850", state.serviceChargeText)
        assertEquals("Rp 3.700", state.tipText)
        assertEquals("Rp 42.550", state.totalText)
        assertTrue(payment.splitEvenly(2))
        assertEquals(listOf("Rp 21.275", "Rp 21.275"), payment.state.value.splitParts.map { it.totalText })
        assertTrue(payment.setServiceCharge(null))
        assertTrue(payment.state.value.splitParts.isEmpty(), "a split of the old total is dropped")
        assertEquals("Rp 40.700", payment.state.value.totalText)
    }

    // The card reader (the core's simulated reader, speaking the reader protocol).

    @Test
    fun `a card payment on the reader with a tip is the sale's card tender and tip`() = runBlocking {
        register.add(Catalog.COCO, "3") // 34.500
        val reader = PaymentReader.simulated(SimulatedCard.APPROVE, 15u)
        val payment = register.payment(reader)
        assertTrue(payment.state.value.hasCardReader)
        assertTrue(payment.payWithReader(listOf(10, 15)))
        val state = payment.state.value
        assertEquals(ReaderOutcome.APPROVED, state.readerOutcome)
        assertEquals(Label.READER_APPROVED.text(Language.ID), state.readerPrompt)
        assertFalse(state.readerBusy)
        assertNull(state.message)
        assertTrue(state.isPaid)
        assertEquals("Rp 5.175", state.tipText, "15% chosen on the reader")
        assertEquals("Rp 39.675", state.totalText)
        assertEquals(listOf("VISA •••• 1111"), state.tenders.map { it.detail })
        assertEquals(listOf("Rp 39.675"), state.tenders.map { it.amountText })
        val sale = assertNotNull(payment.complete())
        assertEquals(0, BigDecimal(39675).compareTo(sale.total), "${sale.total}")
    }

    @Test
    fun `a declined card on the reader records nothing and says why`() = runBlocking {
        register.scan(Catalog.COCO)
        val payment = register.payment(PaymentReader.simulated(SimulatedCard.DECLINE, null))
        assertFalse(payment.payWithReader())
        val state = payment.state.value
        assertEquals(ReaderOutcome.DECLINED, state.readerOutcome)
        assertEquals(Label.READER_DECLINED.text(Language.ID), state.readerPrompt)
        val message = assertNotNull(state.message)
        assertTrue("DO NOT HONOUR" in message.text, message.text)
        assertTrue(state.tenders.isEmpty())
        assertFalse(state.isPaid)
        assertNull(payment.complete(), "nothing was paid")
        assertEquals(0, kasir.sales().size)
    }

    @Test
    fun `a payment cancelled on the reader records nothing`() = runBlocking {
        register.scan(Catalog.COCO)
        val payment = register.payment(PaymentReader.simulated(SimulatedCard.CUSTOMER_CANCELS, null))
        assertFalse(payment.payWithReader())
        val state = payment.state.value
        assertEquals(ReaderOutcome.CANCELLED, state.readerOutcome)
        assertEquals(Label.READER_CANCELLED.text(Language.ID), state.readerPrompt)
        assertNull(state.message)
        assertTrue(state.tenders.isEmpty())
        assertEquals("Rp 11.500", state.remainingText)
    }

    @Test
    fun `tip choices on the reader are refused after another payment, and without a reader nothing happens`() = runBlocking {
        register.scan(Catalog.COCO)
        val none = register.payment()
        assertFalse(none.state.value.hasCardReader)
        assertFalse(none.payWithReader())
        assertEquals(Label.NO_CARD_READER.text(Language.ID), none.state.value.message?.title)

        val payment = register.payment(PaymentReader.simulated(SimulatedCard.APPROVE, null))
        payment.keypadDigit("1000")
        assertTrue(payment.payCashFromKeypad())
        assertFalse(payment.payWithReader(listOf(10)))
        assertEquals(ReaderOutcome.FAILED, payment.state.value.readerOutcome)
        assertEquals("tip", payment.state.value.message?.field)
        assertEquals(1, payment.state.value.tenders.size)
        // Without tip choices the card pays the rest.
        assertTrue(payment.payWithReader())
        assertTrue(payment.state.value.isPaid)
        assertEquals(listOf("Rp 1.000", "Rp 10.500"), payment.state.value.tenders.map { it.amountText })
    }
}
