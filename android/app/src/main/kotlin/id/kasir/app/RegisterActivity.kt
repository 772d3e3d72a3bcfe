package id.kasir.app

import android.app.Activity
import android.os.Bundle
import android.view.inputmethod.EditorInfo
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.TextView
import id.kasir.android.ConnectivityMonitor
import id.kasir.core.CartView
import id.kasir.core.KasirException
import id.kasir.core.Register
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.launchIn
import kotlinx.coroutines.flow.onEach

/**
 * The register screen, kept to the bone: a code field (a scanner types into it), the sale's
 * lines and total, a cash button, and the sync status. Every action is one call into the core,
 * whose answer the screen redraws from.
 */
class RegisterActivity : Activity() {
    private val scope = CoroutineScope(Dispatchers.Main + Job())
    private lateinit var register: Register
    private lateinit var lines: TextView
    private lateinit var status: TextView

    private val kasir get() = (application as KasirApp).kasir

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        register = kasir.newSale()
        val code = EditText(this).apply {
            hint = "Scan or type a barcode"
            imeOptions = EditorInfo.IME_ACTION_DONE
            isSingleLine = true
        }
        lines = TextView(this)
        status = TextView(this)
        val pay = Button(this).apply { text = "Cash (exact)" }
        setContentView(
            LinearLayout(this).apply {
                orientation = LinearLayout.VERTICAL
                addView(code)
                addView(lines)
                addView(pay)
                addView(status)
            },
        )

        code.setOnEditorActionListener { _, _, _ ->
            act { register.scan(code.text.toString()) }
            code.text.clear()
            true
        }
        pay.setOnClickListener {
            act { register.payCash(null) }
            if (register.view().payment.isPaid) {
                val sale = register.complete()
                status.text = kasir.receiptText(sale.receiptNumber, 32)
                show(register.view())
            }
        }

        kasir.syncStatusUpdates(monitor = ConnectivityMonitor(this))
            .onEach { status.text = "Waiting to sync: ${it.waiting}" + (it.lastError?.let { e -> " ($e)" } ?: "") }
            .launchIn(scope)
    }

    private fun act(call: () -> CartView) {
        try {
            show(call())
        } catch (e: KasirException) {
            status.text = when (e) {
                is KasirException.NotFound -> "Not in the catalog: ${e.key}"
                is KasirException.InvalidInput -> "${e.field}: ${e.reason}"
                else -> e.message
            }
        }
    }

    private fun show(view: CartView) {
        val rows = view.lines.filter { !it.voided }.joinToString("\n") { "${it.quantity} x ${it.name}  ${it.unitPrice}" }
        lines.text = "$rows\nTotal ${view.totals.total}"
    }

    override fun onDestroy() {
        scope.cancel()
        register.close()
        super.onDestroy()
    }
}
