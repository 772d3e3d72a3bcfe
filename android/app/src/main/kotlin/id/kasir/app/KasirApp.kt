package id.kasir.app

import android.app.Application
import id.kasir.Kasir
import id.kasir.android.KeystoreSecureStorage
import id.kasir.android.LogcatSink
import id.kasir.core.LogLevel
import id.kasir.core.installLogSink

/** Opens the device's store once for the whole app, with the Android platform services. */
class KasirApp : Application() {
    lateinit var kasir: Kasir
        private set

    override fun onCreate() {
        super.onCreate()
        installLogSink(LogcatSink(), LogLevel.INFO)
        kasir = Kasir.openOrCreate(
            path = filesDir.resolve("kasir.db").path,
            name = "Toko Contoh Kasir",
            deviceCode = "D01",
            sampleCatalog = true,
            secureStorage = KeystoreSecureStorage(this),
        )
    }
}
