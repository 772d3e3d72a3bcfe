package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.StaffRole
import id.kasir.core.StaffSignIn
import java.math.BigDecimal
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

class ShiftViewModelTest {
    private val kasir: Kasir = sampleStore()

    @AfterEach
    fun close() = kasir.close()

    private fun rp(amount: Long) = kasir.formatMoney(BigDecimal(amount), Language.EN.core)

    /** Sells "100% coco" (Rp 11.500) for Rp 20.000 cash; returns the change. */
    private fun cashSale(): BigDecimal = kasir.sale { register ->
        register.scan(Catalog.COCO)
        val change = register.payCash(BigDecimal(20000)).payment.change
        register.complete()
        change
    }

    @Test
    fun `a shift opens with a float, moves cash and closes with the difference from the core`() {
        val vm = ShiftViewModel(kasir, Language.EN)
        assertNull(vm.state.value.openShift)
        assertNull(vm.state.value.report)
        assertTrue(vm.state.value.canAct)

        vm.setAmount("200000")
        assertTrue(vm.open(), "${vm.state.value.message}")
        assertEquals(1, vm.state.value.openShift)
        assertEquals("", vm.state.value.amount)
        assertEquals(rp(200000), vm.state.value.report?.floatText)
        assertEquals("Shift 1 opened with ${rp(200000)}", vm.state.value.notice)

        val change = cashSale()
        vm.setAmount("50000")
        vm.setReason("change from the safe")
        assertTrue(vm.payIn(), "${vm.state.value.message}")
        assertEquals("Paid in ${rp(50000)}: change from the safe", vm.state.value.notice)
        vm.setAmount("30000")
        vm.setReason("ice")
        assertTrue(vm.payOut(), "${vm.state.value.message}")
        vm.refresh()

        val open = assertNotNull(vm.state.value.report)
        assertFalse(open.closed)
        assertEquals("Shift 1 so far", open.title)
        assertEquals(1L, open.sales)
        assertEquals(kasir.formatMoney(change, Language.EN.core), open.changeText)
        assertEquals(rp(50000), open.payInsText)
        assertEquals(rp(30000), open.payOutsText)
        val expected = BigDecimal(200000 + 20000 + 50000 - 30000) - change
        assertEquals(kasir.formatMoney(expected, Language.EN.core), open.expectedText)
        assertNull(open.countedText)

        // Rp 1.000 missing from the drawer.
        vm.setAmount((expected - BigDecimal(1000)).toPlainString())
        assertTrue(vm.close(), "${vm.state.value.message}")
        val z = assertNotNull(vm.state.value.report)
        assertTrue(z.closed)
        assertNull(vm.state.value.openShift)
        assertEquals("Z report, shift 1", z.title)
        assertEquals(CashDifference.SHORT, z.difference)
        assertEquals("Short by ${rp(1000)}", z.differenceLabel)
        assertEquals(kasir.formatMoney(BigDecimal(-1000), Language.EN.core), z.differenceText)
        assertEquals(listOf(ShiftTenderRow("Cash", 1, rp(11500))), z.tenders)
        assertNull(kasir.currentShift())

        // The Z report stays on screen until the next shift opens.
        vm.refresh()
        assertEquals(z, vm.state.value.report)
        vm.setAmount("0")
        assertTrue(vm.open())
        assertEquals(2, vm.state.value.openShift)
        assertFalse(vm.state.value.report!!.closed)
    }

    @Test
    fun `typed amounts and reasons the core refuses are named and change nothing`() {
        val vm = ShiftViewModel(kasir, Language.ID)
        vm.setAmount("20.000")
        assertFalse(vm.open())
        assertEquals("float", vm.state.value.message?.field)
        assertEquals(Label.ERROR_INVALID.text(Language.ID), vm.state.value.message?.title)
        assertNull(kasir.currentShift())

        // Paying out with no shift open is not possible now.
        vm.setAmount("1000")
        vm.setReason("es")
        assertFalse(vm.payOut())
        assertEquals(Label.ERROR_NOT_ALLOWED.text(Language.ID), vm.state.value.message?.title)

        vm.setAmount("100000")
        assertTrue(vm.open())
        vm.setAmount("5000")
        vm.setReason("  ")
        assertFalse(vm.payOut())
        assertEquals("reason", vm.state.value.message?.field)
        vm.setAmount("0")
        vm.setReason("es")
        assertFalse(vm.payIn())
        assertEquals("amount", vm.state.value.message?.field)
        vm.setAmount("")
        assertFalse(vm.close())
        assertEquals("counted", vm.state.value.message?.field)
        val report = kasir.currentShift()!!
        assertEquals(0, report.payIns.signum())
        assertEquals(0, report.payOuts.signum())
        assertFalse(report.closed)

        // Counting exactly what the drawer should hold.
        vm.setAmount(report.expectedCash.toPlainString())
        assertTrue(vm.close())
        assertEquals(CashDifference.EVEN, vm.state.value.report?.difference)
        assertEquals(Label.CASH_MATCHES.text(Language.ID), vm.state.value.report?.differenceLabel)
        assertEquals("Laporan Z, shift 1", vm.state.value.report?.title)
    }

    @Test
    fun `once the store has staff the shift is signed by whoever signed in`() {
        kasir.addStaff("Sari", StaffRole.MANAGER, "1234")
        kasir.addStaff("Budi", StaffRole.CASHIER, "5678", StaffSignIn("Sari", "1234"))
        val vm = ShiftViewModel(kasir, Language.EN)
        assertTrue(vm.state.value.staffRequired)
        assertFalse(vm.state.value.canAct)

        vm.setAmount("100000")
        assertFalse(vm.open())
        assertEquals("staff", vm.state.value.message?.field)
        assertFalse(vm.signIn("Budi", "0000"))
        assertEquals("pin", vm.state.value.message?.field)
        assertNull(vm.state.value.signedInAs)
        assertNull(kasir.currentShift())

        assertTrue(vm.signIn("Budi", "5678"))
        assertEquals("Budi", vm.state.value.signedInAs)
        assertTrue(vm.state.value.canAct)
        vm.setAmount("100000")
        assertTrue(vm.open(), "${vm.state.value.message}")
        assertEquals("Budi", vm.state.value.report?.openedBy)

        vm.signOut()
        vm.setAmount("100000")
        assertFalse(vm.close())
        assertEquals("staff", vm.state.value.message?.field)
        assertTrue(vm.signIn("Sari", "1234"))
        assertTrue(vm.close(), "${vm.state.value.message}")
        assertEquals("Sari", vm.state.value.report?.closedBy)
        assertEquals(CashDifference.EVEN, vm.state.value.report?.difference)
    }
}
