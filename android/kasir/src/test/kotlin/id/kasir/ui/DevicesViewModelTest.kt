package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.SavedPrinter
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/**
 * A Bluetooth port that does what the clerk would see on a phone: a permission prompt the test
 * answers, an adapter the test turns on and off, a scan the test feeds. It records what the
 * view model asked of it.
 */
private class PhoneBluetooth(override var availability: BluetoothState) : BluetoothPort {
    var listener: BluetoothListener? = null
    val asked = mutableListOf<String>()
    var scanning = false
    var refuseScan = false

    override fun observe(listener: BluetoothListener?) {
        this.listener = listener
    }

    override fun requestPermission() {
        asked += "permission"
    }

    override fun requestEnable() {
        asked += "enable"
    }

    override fun openSettings() {
        asked += "settings"
    }

    override fun startScan(): Boolean {
        asked += "scan"
        if (refuseScan) return false
        scanning = true
        return true
    }

    override fun stopScan() {
        asked += "stop"
        scanning = false
        listener!!.scanStopped(failed = false)
    }

    /** The system tells the app Bluetooth changed (permission answered, adapter switched). */
    fun change(to: BluetoothState) {
        availability = to
        listener!!.availabilityChanged(to)
    }
}

/** The devices view model's Bluetooth states, messages, actions, scan and pairing, over the real core. */
class DevicesViewModelTest {
    private lateinit var kasir: Kasir

    @BeforeEach
    fun open() {
        kasir = sampleStore()
    }

    @AfterEach
    fun close() = kasir.close()

    private val printer = FoundDevice("RPP02N", "66:22:B3:01:02:03")

    @Test
    fun `every state has its message and action in both languages`() {
        val expected = mapOf(
            BluetoothState.UNSUPPORTED to Triple("Kasir cannot use Bluetooth on this device", "Kasir tidak bisa memakai Bluetooth di perangkat ini", null),
            BluetoothState.OFF to Triple(
                "Bluetooth is off: turn it on to find printers",
                "Bluetooth mati: nyalakan untuk mencari printer",
                BluetoothAction.TURN_ON,
            ),
            BluetoothState.PERMISSION_NOT_ASKED to Triple(
                "Kasir needs your permission to find and connect to Bluetooth printers and card readers",
                "Kasir perlu izin Anda untuk mencari dan menghubungkan printer dan mesin kartu Bluetooth",
                BluetoothAction.ASK_PERMISSION,
            ),
            BluetoothState.DENIED to Triple(
                "Bluetooth permission was refused: Kasir cannot find printers without it",
                "Izin Bluetooth ditolak: Kasir tidak bisa mencari printer tanpanya",
                BluetoothAction.ASK_PERMISSION,
            ),
            BluetoothState.DENIED_PERMANENTLY to Triple(
                "Kasir may not use Bluetooth: allow it in the system settings",
                "Kasir tidak diizinkan memakai Bluetooth: izinkan di pengaturan sistem",
                BluetoothAction.OPEN_SETTINGS,
            ),
            BluetoothState.READY to Triple(null, null, null),
        )
        val actionTexts = mapOf(
            BluetoothAction.TURN_ON to ("Turn on Bluetooth" to "Nyalakan Bluetooth"),
            BluetoothAction.ASK_PERMISSION to ("Allow Bluetooth" to "Izinkan Bluetooth"),
            BluetoothAction.OPEN_SETTINGS to ("Open settings" to "Buka pengaturan"),
        )
        for ((state, texts) in expected) {
            for (language in Language.entries) {
                DevicesViewModel(kasir, language, PhoneBluetooth(state)).use { vm ->
                    val s = vm.state.value
                    val (en, id, action) = texts
                    assertEquals(state, s.bluetooth, "$state")
                    assertEquals(if (language == Language.ID) id else en, s.bluetoothMessage, "$state $language")
                    assertEquals(action, s.bluetoothAction, "$state")
                    val actionText = action?.let { actionTexts.getValue(it) }?.let { if (language == Language.ID) it.second else it.first }
                    assertEquals(actionText, s.bluetoothActionText, "$state $language")
                    assertEquals(state == BluetoothState.READY, s.canSearch, "$state")
                    assertEquals(state == BluetoothState.READY, s.canPair, "$state")
                }
            }
        }
    }

    @Test
    fun `without a port there is no Bluetooth and nothing to do`() {
        DevicesViewModel(kasir, Language.EN).use { vm ->
            assertEquals(BluetoothState.UNSUPPORTED, vm.state.value.bluetooth)
            assertEquals("Kasir cannot use Bluetooth on this device", vm.state.value.bluetoothMessage)
            assertFalse(vm.search())
            vm.bluetoothAction() // nothing to call: no crash, no change
            assertEquals(BluetoothState.UNSUPPORTED, vm.state.value.bluetooth)
            assertFalse(vm.pairPrinter(printer, "kasir", "generic-58"))
            assertTrue(kasir.printers().isEmpty())
        }
    }

    @Test
    fun `from a first start to a paired printer`() {
        val bluetooth = PhoneBluetooth(BluetoothState.PERMISSION_NOT_ASKED)
        val vm = DevicesViewModel(kasir, Language.EN, bluetooth)
        assertTrue(bluetooth.listener != null, "the view model listens to the port")

        // Not asked yet: the action asks; no scan until Bluetooth is ready.
        assertFalse(vm.search())
        vm.bluetoothAction()
        assertEquals(listOf("permission"), bluetooth.asked)

        // Refused once: asking again is still offered.
        bluetooth.change(BluetoothState.DENIED)
        assertEquals(BluetoothAction.ASK_PERMISSION, vm.state.value.bluetoothAction)
        vm.bluetoothAction()
        // Refused for good: only the settings help.
        bluetooth.change(BluetoothState.DENIED_PERMANENTLY)
        vm.bluetoothAction()
        assertEquals(listOf("permission", "permission", "settings"), bluetooth.asked)

        // Allowed in the settings, the adapter off: the action turns it on.
        bluetooth.change(BluetoothState.OFF)
        assertFalse(vm.search())
        assertFalse(vm.pairPrinter(printer, "kasir", "generic-58"), "no pairing while Bluetooth is off")
        assertEquals(Label.ERROR_NOT_ALLOWED.text(Language.EN), vm.state.value.message?.title)
        assertEquals(Label.BLUETOOTH_OFF.text(Language.EN), vm.state.value.message?.detail)
        assertTrue(kasir.printers().isEmpty())
        vm.bluetoothAction()
        assertEquals("enable", bluetooth.asked.last())
        assertFalse("scan" in bluetooth.asked, "no scan was started before Bluetooth was ready")

        bluetooth.change(BluetoothState.READY)
        assertNull(vm.state.value.bluetoothMessage)
        assertNull(vm.state.value.bluetoothAction)
        vm.dismissMessage()

        // The scan: devices seen again are kept once, under their latest name.
        assertTrue(vm.search())
        assertTrue(bluetooth.scanning)
        assertEquals(BluetoothState.SCANNING, vm.state.value.bluetooth)
        assertTrue(vm.state.value.searching)
        assertFalse(vm.search(), "one scan at a time")
        bluetooth.listener!!.deviceFound(printer)
        bluetooth.listener!!.deviceFound(FoundDevice("Reader", "00:11:22:33:44:55", DeviceKind.CARD_READER))
        bluetooth.listener!!.deviceFound(printer.copy(name = "RPP02N-BLE"))
        assertEquals(listOf("Reader", "RPP02N-BLE"), vm.state.value.found.map { it.name })
        // The port saying Bluetooth is still ready does not end the scan.
        bluetooth.listener!!.availabilityChanged(BluetoothState.READY)
        assertEquals(BluetoothState.SCANNING, vm.state.value.bluetooth)
        vm.stopSearch()
        assertEquals("stop", bluetooth.asked.last())
        assertEquals(BluetoothState.READY, vm.state.value.bluetooth)
        assertFalse(vm.state.value.searching)
        // A late result of the ended scan is dropped.
        bluetooth.listener!!.deviceFound(FoundDevice("Late", "AA:BB:CC:DD:EE:FF"))
        assertEquals(2, vm.state.value.found.size)

        // Pairing: the core checks the profile and the name, and saves the printer.
        val found = vm.state.value.found.last()
        assertFalse(vm.pairPrinter(found, "kasir", "no-such-profile"))
        assertNotNull(vm.state.value.message)
        assertTrue(kasir.printers().isEmpty())
        assertFalse(vm.pairPrinter(found, "ka:sir", "generic-58"))
        assertEquals("name", vm.state.value.message?.field)
        assertTrue(vm.pairPrinter(found, "kasir", "generic-58"))
        assertNull(vm.state.value.message)
        assertEquals(listOf(SavedPrinter("kasir", "bt:66:22:B3:01:02:03", "generic-58")), vm.state.value.printers)
        assertEquals(vm.state.value.printers, kasir.printers())

        vm.close()
        assertNull(bluetooth.listener, "closed: the view model no longer listens")
    }

    @Test
    fun `bluetooth going away ends the scan and drops what it found`() {
        val bluetooth = PhoneBluetooth(BluetoothState.READY)
        val vm = DevicesViewModel(kasir, Language.ID, bluetooth)
        assertTrue(vm.search())
        bluetooth.listener!!.deviceFound(printer)
        bluetooth.change(BluetoothState.OFF)
        assertEquals(BluetoothState.OFF, vm.state.value.bluetooth)
        assertFalse(vm.state.value.searching)
        assertTrue(vm.state.value.found.isEmpty())
        assertEquals("Bluetooth mati: nyalakan untuk mencari printer", vm.state.value.bluetoothMessage)
        assertEquals("Nyalakan Bluetooth", vm.state.value.bluetoothActionText)

        // The permission taken away in the settings while scanning.
        bluetooth.change(BluetoothState.READY)
        assertTrue(vm.search())
        bluetooth.change(BluetoothState.DENIED_PERMANENTLY)
        assertEquals(BluetoothState.DENIED_PERMANENTLY, vm.state.value.bluetooth)
        assertFalse(vm.state.value.canPair)
        vm.close()
    }

    @Test
    fun `a scan that fails or does not start says so`() {
        val bluetooth = PhoneBluetooth(BluetoothState.READY)
        val vm = DevicesViewModel(kasir, Language.EN, bluetooth)
        assertTrue(vm.search())
        bluetooth.listener!!.scanStopped(failed = true)
        assertEquals(BluetoothState.READY, vm.state.value.bluetooth)
        assertEquals("The Bluetooth search stopped with an error: try again", vm.state.value.message?.title)

        bluetooth.refuseScan = true
        assertFalse(vm.search())
        assertEquals(BluetoothState.READY, vm.state.value.bluetooth)
        assertEquals(Label.BLUETOOTH_SCAN_FAILED.text(Language.EN), vm.state.value.message?.title)

        // Closing while a scan runs stops it.
        bluetooth.refuseScan = false
        assertTrue(vm.search())
        vm.close()
        assertFalse(bluetooth.scanning)
        assertNull(bluetooth.listener)
    }
}
