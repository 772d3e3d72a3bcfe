package id.kasir.app

import android.content.Context
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.runtime.remember
import id.kasir.app.bluetooth.AndroidBluetooth
import id.kasir.app.bluetooth.androidBlePrinter
import id.kasir.app.bluetooth.androidCardReader
import id.kasir.app.camera.CameraScanPreview
import id.kasir.app.ui.KasirRegisterApp
import id.kasir.app.ui.KasirTheme
import id.kasir.app.ui.Platform
import id.kasir.ui.DevicePreferences
import id.kasir.ui.Language

/**
 * The register: the shared Compose screens (id.kasir.app.ui) over the app's open store. The
 * device's language and receipt printer are kept in the app's shared preferences; Bluetooth is
 * [AndroidBluetooth], receipts print on `ble:` printers through [androidBlePrinter], cards are paid on the reader through [androidCardReader], and the register's scanner shows the CameraX preview ([CameraScanPreview]).
 */
class RegisterActivity : ComponentActivity() {
    private val kasir get() = (application as KasirApp).kasir

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val preferences = SharedDevicePreferences(this)
        val locale = resources.configuration.locales[0].toLanguageTag()
        // Made here, in onCreate: it registers the activity-result launchers of its permission flow.
        val bluetooth = AndroidBluetooth(this)
        setContent {
            KasirTheme {
                KasirRegisterApp(
                    kasir,
                    remember {
                        Platform(
                            preferences = preferences,
                            deviceLocale = locale,
                            bluetooth = bluetooth,
                            // ble: printers over BluetoothGatt; the core chunks the receipt.
                            printer = androidBlePrinter(this),
                            // The paired card reader over BluetoothGatt, connected on the first payment.
                            cardReader = androidCardReader(this),
                            cameraPreview = { register, modifier -> CameraScanPreview(register, modifier) },
                            share = AndroidReceiptShare(this),
                        )
                    },
                )
            }
        }
    }
}

/** The device's choices in Android's shared preferences. */
private class SharedDevicePreferences(context: Context) : DevicePreferences {
    private val prefs = context.getSharedPreferences("kasir", Context.MODE_PRIVATE)

    override var language: Language?
        get() = prefs.getString("language", null)?.let { code -> Language.entries.firstOrNull { it.code == code } }
        set(value) = prefs.edit().putString("language", value?.code).apply()

    override var printerName: String?
        get() = prefs.getString("printer", null)
        set(value) = prefs.edit().putString("printer", value).apply()
}
