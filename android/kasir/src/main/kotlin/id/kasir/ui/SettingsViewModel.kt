package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.SavedPrinter
import id.kasir.core.domain.StoreSettings
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/**
 * What this device keeps for itself, outside the store: its language and its receipt printer
 * (SharedPreferences on Android, UserDefaults on iOS; [MemoryPreferences] in tests).
 */
interface DevicePreferences {
    var language: Language?
    var printerName: String?
}

/** Preferences in memory. */
class MemoryPreferences(override var language: Language? = null, override var printerName: String? = null) : DevicePreferences

/** The settings screen. */
data class SettingsState(
    val storeName: String = "",
    /** The store's language: receipts are printed in it. */
    val receiptLanguage: Language = Language.ID,
    /** The app's labels on this device. */
    val deviceLanguage: Language = Language.EN,
    val currency: String = "",
    val printers: List<SavedPrinter> = emptyList(),
    val printerName: String? = null,
    val saved: Boolean = false,
    val message: UiMessage? = null,
)

/** The store's name and receipt language (in the store), the device's language and printer. */
class SettingsViewModel(
    private val kasir: Kasir,
    private val preferences: DevicePreferences,
    /** The device's locale tag (`id-ID`), for the language when none was chosen. */
    deviceLocale: String,
) {
    private val mutableState = MutableStateFlow(
        SettingsState(deviceLanguage = preferences.language ?: Language.forDevice(deviceLocale), printerName = preferences.printerName),
    )

    /** The screen's state. */
    val state: StateFlow<SettingsState> = mutableState.asStateFlow()

    /** The labels' language now. */
    val language: Language get() = mutableState.value.deviceLanguage

    init {
        refresh()
    }

    /** Reads the store's settings and printers again. */
    fun refresh() {
        attempt(language, ::fail) {
            val settings = kasir.settings
            val printers = kasir.printers()
            mutableState.update {
                it.copy(
                    storeName = settings.name,
                    receiptLanguage = Language.of(settings.locale),
                    currency = settings.currency,
                    printers = printers,
                )
            }
        }
    }

    private fun fail(message: UiMessage) = mutableState.update { it.copy(message = message, saved = false) }

    private fun save(change: (StoreSettings) -> StoreSettings): Boolean {
        val done = attempt(language, ::fail) { kasir.updateSettings(change(kasir.settings)) } != null
        if (done) {
            mutableState.update { it.copy(saved = true, message = null) }
            refresh()
        }
        return done
    }

    /** Renames the store (printed at the top of receipts); the core refuses a blank name. */
    fun setStoreName(name: String): Boolean = save { it.copy(name = name.trim()) }

    /** Sets the language receipts are printed in. */
    fun setReceiptLanguage(language: Language): Boolean = save { it.copy(locale = language.core) }

    /** Sets the language of this device's labels. */
    fun setDeviceLanguage(language: Language) {
        preferences.language = language
        mutableState.update { it.copy(deviceLanguage = language, saved = true, message = null) }
    }

    /** Chooses the receipt printer among the saved ones. */
    fun setPrinter(name: String?): Boolean {
        if (name != null && mutableState.value.printers.none { it.name == name }) {
            fail(UiMessage(Label.ERROR_NOT_FOUND.text(language), "printer `$name`", "printer"))
            return false
        }
        preferences.printerName = name
        mutableState.update { it.copy(printerName = name, saved = true, message = null) }
        return true
    }
}
