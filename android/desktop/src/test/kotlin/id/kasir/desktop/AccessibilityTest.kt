package id.kasir.desktop

import androidx.compose.runtime.Composable
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.runDesktopComposeUiTest
import id.kasir.Kasir
import id.kasir.app.ui.KasirRegisterApp
import id.kasir.app.ui.KasirTheme
import id.kasir.app.ui.NoCameraPreview
import id.kasir.app.ui.PaymentScreen
import id.kasir.app.ui.Platform
import id.kasir.app.ui.ReceiptScreen
import id.kasir.app.ui.RegisterScreen
import id.kasir.ui.Language
import id.kasir.ui.MemoryPreferences
import id.kasir.ui.ReceiptViewModel
import id.kasir.ui.RegisterViewModel
import java.nio.file.Files
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

/**
 * What a screen reader and a thumb need, checked on the semantics tree of the main screens at
 * both sizes: every control that can be tapped is at least 48 dp by 48 dp and has a name to
 * read out (its text or a content description).
 */
@OptIn(ExperimentalTestApi::class)
class AccessibilityTest {
    private class Screen(val name: String, val content: (Kasir) -> @Composable () -> Unit)

    private fun cart(kasir: Kasir): RegisterViewModel {
        val model = RegisterViewModel(kasir, Language.EN)
        val category = kasir.categories().first().name
        kasir.categoryItems(category).take(3).forEach { check(model.add(it.gtin)) }
        model.selectCategory(category)
        return model
    }

    private val screens = listOf(
        Screen("app") { kasir ->
            val platform = Platform(MemoryPreferences(language = Language.EN), syncRefreshMillis = 0)
            ({ KasirRegisterApp(kasir, platform) })
        },
        Screen("register") { kasir ->
            val model = cart(kasir)
            ({ RegisterScreen(model, onPay = {}) })
        },
        Screen("register-cart") { kasir ->
            val model = cart(kasir)
            ({ RegisterScreen(model, onPay = {}, startWithCart = true) })
        },
        Screen("register-camera") { kasir ->
            val model = cart(kasir)
            ({ RegisterScreen(model, onPay = {}, cameraPreview = { register, modifier -> NoCameraPreview(register, modifier) }) })
        },
        Screen("register-scanner") { kasir ->
            val model = cart(kasir)
            model.openScanner()
            ({ RegisterScreen(model, onPay = {}, cameraPreview = { register, modifier -> NoCameraPreview(register, modifier) }) })
        },
        Screen("payment") { kasir ->
            val model = cart(kasir)
            val payment = model.payment()
            ({ PaymentScreen(model, payment, onBack = {}) })
        },
        Screen("receipt") { kasir ->
            val model = cart(kasir)
            val payment = model.payment()
            check(payment.payCashExact()) { "${payment.state.value.message}" }
            val sale = payment.complete() ?: error("${payment.state.value.message}")
            val receipt = ReceiptViewModel(kasir, sale.receiptNumber, Language.EN, sharePort = DesktopShare(Files.createTempDirectory("kasir-shared").toFile()))
            ({ ReceiptScreen(receipt, onNewSale = {}) })
        },
    )

    @TestFactory
    fun controls(): List<DynamicTest> = screens.flatMap { screen ->
        Device.entries.map { device ->
            DynamicTest.dynamicTest("${screen.name}-${device.name.lowercase()}") {
                sampleStore().use { kasir ->
                    val content = screen.content(kasir)
                    runDesktopComposeUiTest(width = device.widthDp, height = device.heightDp) {
                        setContent { KasirTheme(Screenshots.font) { content() } }
                        val problems = mutableListOf<String>()
                        val root = onRoot(useUnmergedTree = false).fetchSemanticsNode()
                        val clickable = root.descendants().filter { SemanticsActions.OnClick in it.config }
                        check(clickable.isNotEmpty()) { "no control found on ${screen.name}" }
                        for (node in clickable) {
                            val name = label(node)
                            val widthDp = node.size.width / density.density
                            val heightDp = node.size.height / density.density
                            if (widthDp < 47.5f || heightDp < 47.5f) {
                                problems += "`${name ?: "?"}` is ${widthDp}x$heightDp dp"
                            }
                            if (name.isNullOrBlank()) problems += "a control at ${node.boundsInRoot} has no text or content description"
                        }
                        check(problems.isEmpty()) { "${screen.name} on a ${device.name.lowercase()}:\n" + problems.joinToString("\n") }
                    }
                }
            }
        }
    }

    private fun SemanticsNode.descendants(): List<SemanticsNode> = children.flatMap { listOf(it) + it.descendants() }

    /** What a screen reader reads for [node]: its content description, else its text. */
    private fun label(node: SemanticsNode): String? {
        val description = node.config.getOrNull(SemanticsProperties.ContentDescription)?.joinToString(" ")
        val text = node.config.getOrNull(SemanticsProperties.Text)?.joinToString(" ") { it.text }
        val editable = node.config.getOrNull(SemanticsProperties.EditableText)?.text
        return listOfNotNull(description, text, editable).joinToString(" ").ifBlank { null }
    }
}
