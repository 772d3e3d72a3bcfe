package id.kasir.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.assertIsEnabled
import androidx.compose.ui.test.assertIsNotEnabled
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.isHeading
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.runDesktopComposeUiTest
import id.kasir.app.ui.KasirRegisterApp
import id.kasir.app.ui.KasirTheme
import id.kasir.app.ui.NoCameraPreview
import id.kasir.app.ui.Platform
import id.kasir.app.ui.RegisterScreen
import id.kasir.ui.BluetoothState
import id.kasir.ui.Language
import id.kasir.ui.MemoryPreferences
import id.kasir.ui.RegisterViewModel
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/** The register's camera scanner and the devices screen's Bluetooth actions, tapped as a clerk would. */
@OptIn(ExperimentalTestApi::class)
class ScannerAndDevicesTest {
    @Test
    fun the_scanner_opens_shows_each_scan_and_closes() {
        sampleStore().use { kasir ->
            val model = RegisterViewModel(kasir, Language.EN)
            val item = kasir.categoryItems(kasir.categories().first().name).first()
            val price = kasir.formatMoney(item.price, Language.EN.core)
            runDesktopComposeUiTest(width = Device.PHONE.widthDp, height = Device.PHONE.heightDp) {
                setContent {
                    KasirTheme(Screenshots.font) {
                        RegisterScreen(model, onPay = {}, cameraPreview = { register, modifier -> NoCameraPreview(register, modifier) })
                    }
                }
                onNodeWithContentDescription("Scan with camera").performClick()
                onNode(hasText("Camera scanner") and isHeading()).assertIsDisplayed()
                onNodeWithText("No camera here: scan with a barcode scanner or type the code").assertIsDisplayed()
                onNodeWithText("Hold the barcode inside the frame").assertIsDisplayed()
                assertTrue(model.state.value.scannerOpen)

                // What the camera would hand over: a code, scanned into the sale.
                runOnIdle { check(model.scan(item.gtin)) }
                onNodeWithText("${item.name} added").assertIsDisplayed()
                onNodeWithText("Total $price").assertIsDisplayed()
                runOnIdle { check(!model.scan("4006381333931")) }
                onNodeWithText("Not added: Not found").assertIsDisplayed()

                onNodeWithText("Close camera").performClick()
                onNode(hasSetTextAction()).assertIsDisplayed()
                assertFalse(model.state.value.scannerOpen)
            }
            assertEquals(1, model.state.value.lineCount)
            model.close()
        }
    }

    @Test
    fun the_devices_screen_turns_bluetooth_on_and_searches_only_when_ready() {
        sampleStore().use { kasir ->
            val bluetooth = ScriptedBluetooth(BluetoothState.OFF, enableTurnsOn = true)
            val platform = Platform(MemoryPreferences(language = Language.EN), bluetooth = bluetooth, syncRefreshMillis = 0)
            runDesktopComposeUiTest(width = Device.TABLET.widthDp, height = Device.TABLET.heightDp) {
                setContent { KasirTheme(Screenshots.font) { KasirRegisterApp(kasir, platform) } }
                onNodeWithText("Printers").performClick()
                onNodeWithText("Bluetooth is off: turn it on to find printers").assertIsDisplayed()
                onNodeWithText("Search for devices").assertIsNotEnabled()
                onNodeWithText("Turn on Bluetooth").performClick()
                assertEquals(listOf("enable"), bluetooth.asked)

                onNodeWithText("Search for devices").assertIsEnabled().performClick()
                onNodeWithText("Searching…").assertIsDisplayed()
                onNodeWithText("Stop searching").performClick()
                assertEquals(listOf("enable", "scan", "stop"), bluetooth.asked)
                onNodeWithText("Search for devices").assertIsEnabled()
                assertTrue(bluetooth.listening)

                // Leaving the screen closes its view model: it no longer listens to the port.
                onNodeWithText("Back").performClick()
                waitForIdle()
                assertFalse(bluetooth.listening)
            }
        }
    }
}
