package id.kasir.desktop

import androidx.compose.runtime.remember
import androidx.compose.ui.unit.DpSize
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.Window
import androidx.compose.ui.window.application
import androidx.compose.ui.window.rememberWindowState
import id.kasir.Kasir
import id.kasir.app.ui.KasirRegisterApp
import id.kasir.app.ui.KasirTheme
import id.kasir.app.ui.NoCameraPreview
import id.kasir.app.ui.Platform
import id.kasir.core.PaymentReader
import id.kasir.core.SimulatedCard
import id.kasir.ui.Language
import id.kasir.ui.MemoryPreferences
import id.kasir.ui.ScanEvent
import java.awt.Toolkit
import java.io.File
import java.util.Locale
import kotlin.system.exitProcess

private const val USAGE = """usage: run-desktop.sh [--store PATH] [--language en|id] [--share-dir PATH]

  --store PATH       the store file (default: KASIR_STORE, else the kasir command's own store,
                     e.g. ~/.local/share/kasir/kasir.db); a new one gets the sample catalog
  --language en|id   the language of the screens (default: the computer's)
  --share-dir PATH   where the receipt screen's Share image and Share PDF save the file
                     (default: ~/Downloads)"""

/** The `kasir` command's store, so that the window and the terminal register share one. */
private fun defaultStore(): File {
    System.getenv("KASIR_STORE")?.takeIf { it.isNotBlank() }?.let { return File(it) }
    val home = File(System.getProperty("user.home"))
    val os = System.getProperty("os.name").lowercase()
    val dir = when {
        os.startsWith("mac") -> home.resolve("Library/Application Support/kasir")
        os.startsWith("windows") -> File(System.getenv("APPDATA") ?: home.path).resolve("kasir/data")
        else -> System.getenv("XDG_DATA_HOME")?.takeIf { it.isNotBlank() }?.let { File(it, "kasir") }
            ?: home.resolve(".local/share/kasir")
    }
    return dir.resolve("kasir.db")
}

private class Options(val store: File, val language: Language, val shareDir: File)

private fun parse(args: Array<String>): Options {
    var store = defaultStore()
    var language = Language.forDevice(Locale.getDefault().toLanguageTag())
    var shareDir = DesktopShare.defaultFolder()
    var i = 0
    fun value(flag: String): String = args.getOrNull(++i) ?: fail("$flag needs a value")
    while (i < args.size) {
        when (val arg = args[i]) {
            "--store" -> store = File(value(arg))
            "--language" -> language = when (val code = value(arg)) {
                "en" -> Language.EN
                "id" -> Language.ID
                else -> fail("--language: `$code` is not en or id")
            }
            "--share-dir" -> shareDir = File(value(arg)).also {
                if (it.exists() && !it.isDirectory) fail("--share-dir: `$it` is not a folder")
            }
            "-h", "--help" -> {
                println(USAGE)
                exitProcess(0)
            }
            else -> fail("unknown argument `$arg`")
        }
        i++
    }
    return Options(store, language, shareDir)
}

private fun fail(reason: String): Nothing {
    System.err.println("kasir-desktop: $reason\n$USAGE")
    exitProcess(2)
}

/** The register in a desktop window, on the same core and the same screens as the Android app. */
fun main(args: Array<String>) {
    val options = parse(args)
    options.store.parentFile?.mkdirs()
    val kasir = Kasir.openOrCreate(
        path = options.store.path,
        name = "Toko Contoh Kasir",
        deviceCode = "D01",
        sampleCatalog = true,
    )
    println("kasir-desktop: store ${options.store} (${kasir.itemCount} items); shared receipts saved in ${options.shareDir}")
    application {
        Window(
            onCloseRequest = {
                kasir.close()
                exitApplication()
            },
            title = "Kasir — ${kasir.settings.name}",
            state = rememberWindowState(size = DpSize(1280.dp, 800.dp)),
        ) {
            window.minimumSize = java.awt.Dimension(360, 560)
            KasirTheme {
                KasirRegisterApp(
                    kasir,
                    remember {
                        Platform(
                            preferences = MemoryPreferences(language = options.language),
                            deviceLocale = Locale.getDefault().toLanguageTag(),
                            focusScanField = true,
                            printer = DesktopPrinter(),
                            share = DesktopShare(options.shareDir),
                            // No camera on a desktop: the scanner says so (a USB scanner types into the search field).
                            cameraPreview = { register, modifier -> NoCameraPreview(register, modifier) },
                            // The computer's bell for a refused scan; an accepted one is silent.
                            scanFeedback = { if (it is ScanEvent.Rejected) Toolkit.getDefaultToolkit().beep() },
                            // No Bluetooth reader on a desktop: the core's simulated reader approves every card.
                            cardReader = PaymentReader.simulated(SimulatedCard.APPROVE, null),
                        )
                    },
                )
            }
        }
    }
    // Run through `mvn exec:java`, the window is Maven's thread: end the JVM with it.
    exitProcess(0)
}
