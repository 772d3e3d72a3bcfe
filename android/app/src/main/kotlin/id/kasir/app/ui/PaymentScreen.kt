package id.kasir.app.ui

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import com.google.zxing.BarcodeFormat
import com.google.zxing.EncodeHintType
import com.google.zxing.qrcode.QRCodeWriter
import id.kasir.ui.Label
import id.kasir.ui.Language
import id.kasir.ui.PaymentState
import id.kasir.ui.PaymentViewModel
import id.kasir.ui.RegisterState
import id.kasir.ui.RegisterViewModel
import kotlinx.coroutines.launch

/**
 * Payment: the cash keypad with quick amounts and change, card and QRIS, tips and split bills.
 * On a tablet the cart stays beside it.
 */
@Composable
fun PaymentScreen(register: RegisterViewModel, model: PaymentViewModel, onBack: () -> Unit) {
    val state by model.state.collectAsState()
    val cart by register.state.collectAsState()
    val language = model.language
    var cardDialog by remember { mutableStateOf(false) }
    TwoPane(
        showSecond = true,
        firstWeight = 0.45f,
        first = { CartSummary(cart, language) },
        second = { wide ->
            PaymentPane(state, language, model, onBack, wide, onCard = { cardDialog = true })
        },
    )
    state.qris?.let { qris ->
        QrisFullScreen(qris.payload, qris.prompt, qris.amountText, language, onPaid = { model.qrisPaid(it) }, onClose = model::dismissQris)
    }
    if (cardDialog) {
        CardDialog(state, language, onDone = { approval, last4, brand ->
            if (model.cardPaid(approval, last4, brand)) cardDialog = false
        }, onClose = { cardDialog = false })
    }
}

/** The sale being paid, read only. */
@Composable
private fun CartSummary(cart: RegisterState, language: Language) {
    Column(Modifier.fillMaxSize().padding(12.dp).verticalScroll(rememberScrollState())) {
        Heading(Label.CART.text(language))
        cart.lines.filter { !it.voided }.forEach { line ->
            AmountRow("${line.quantityText} × ${line.name}", line.amountText.orEmpty())
        }
        HorizontalDivider(Modifier.padding(vertical = 8.dp))
        AmountRow(Label.SUBTOTAL.text(language), cart.subtotalText)
        cart.discountText?.let { AmountRow(Label.DISCOUNT.text(language), it) }
        cart.chargesText?.let { AmountRow(Label.CHARGES.text(language), it) }
        AmountRow(Label.TOTAL.text(language), cart.totalText, strong = true)
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun PaymentPane(
    state: PaymentState,
    language: Language,
    model: PaymentViewModel,
    onBack: () -> Unit,
    wide: Boolean,
    onCard: () -> Unit,
) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(12.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        Row(verticalAlignment = Alignment.CenterVertically) {
            Heading(Label.PAYMENT.text(language), Modifier.weight(1f))
            if (state.canChangeBill) {
                TextButton(onClick = onBack, modifier = Modifier.heightIn(min = MinTouchTarget)) {
                    Text(Label.BACK.text(language))
                }
            }
        }
        MessageBanner(state.message, language)
        Panel(Modifier.fillMaxWidth()) {
            Column(Modifier.padding(12.dp).semantics(mergeDescendants = true) { liveRegion = LiveRegionMode.Polite }) {
                if (!wide) AmountRow(Label.TOTAL.text(language), state.totalText)
                state.tipText?.let { AmountRow(Label.TIP.text(language), it) }
                state.roundingText?.let { AmountRow(Label.CASH.text(language), state.cashDueText) }
                if (state.isPaid) {
                    AmountRow(Label.PAID.text(language), state.amountDueText)
                    AmountRow(Label.CHANGE.text(language), state.changeText, strong = true)
                } else {
                    val label = if (state.tenders.isEmpty()) Label.AMOUNT_DUE else Label.REMAINING
                    AmountRow(label.text(language), state.remainingText, strong = true)
                }
                if (state.tenders.isNotEmpty()) HorizontalDivider(Modifier.padding(vertical = 6.dp))
                // The payments taken so far.
                state.tenders.forEach { tender ->
                    val detail = listOfNotNull(tender.method, tender.detail).joinToString(" · ")
                    AmountRow(detail, tender.amountText + (tender.changeText?.let { " (${Label.CHANGE.text(language)} $it)" } ?: ""))
                }
            }
        }
        if (state.isPaid) {
            BigButton(Label.COMPLETE.text(language), { model.complete() })
            SecondaryButton(Label.VOID_PAYMENTS.text(language), { model.voidPayments() }, Modifier.fillMaxWidth())
            return@Column
        }
        if (state.tenders.isNotEmpty()) {
            // Taking the payments back makes the cart and the bill changeable again.
            SecondaryButton(Label.VOID_PAYMENTS.text(language), { model.voidPayments() }, Modifier.fillMaxWidth())
        }
        if (wide) {
            Row(horizontalArrangement = Arrangement.spacedBy(16.dp)) {
                Column(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Keypad(state, language, model)
                    TenderButtons(state, language, model, onCard)
                }
                Column(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    QuickAmounts(state, language, model)
                    BillOptions(state, language, model)
                }
            }
        } else {
            QuickAmounts(state, language, model)
            Keypad(state, language, model)
            TenderButtons(state, language, model, onCard)
            BillOptions(state, language, model)
        }
    }
}

/** Cash, card and QRIS for the keypad's amount (what is due when nothing is typed). */
@Composable
private fun TenderButtons(state: PaymentState, language: Language, model: PaymentViewModel, onCard: () -> Unit) {
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        BigButton(Label.CASH.text(language), { model.payCashFromKeypad() }, Modifier.weight(1f))
        BigButton(Label.CARD.text(language), onCard, Modifier.weight(1f))
        BigButton(Label.QRIS.text(language), { model.showQris() }, Modifier.weight(1f))
    }
    if (state.hasCardReader) CardReaderButton(state, language, model)
}

/**
 * The paired card reader: charges the keypad's amount (or what is due) on it, offering the tip
 * presets on the reader while the card can pay the whole bill; the reader's prompts show while
 * it works, with Cancel.
 */
@Composable
private fun CardReaderButton(state: PaymentState, language: Language, model: PaymentViewModel) {
    val scope = rememberCoroutineScope()
    val tips = if (state.tenders.isEmpty() && state.tipText == null && state.keypadDigits.isEmpty()) {
        state.tipChoices.mapNotNull { it.percent?.toInt() }
    } else {
        emptyList()
    }
    if (state.readerBusy) {
        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(state.readerPrompt.orEmpty(), Modifier.weight(1f).semantics { liveRegion = LiveRegionMode.Polite })
            SecondaryButton(Label.CANCEL.text(language), { model.cancelReader() })
        }
    } else {
        SecondaryButton(Label.CARD_READER.text(language), { scope.launch { model.payWithReader(tips) } }, Modifier.fillMaxWidth())
        state.readerPrompt?.let { Text(it, Modifier.semantics { liveRegion = LiveRegionMode.Polite }) }
    }
}

/** The quick cash amounts: exactly what is due, then the notes a customer is likely to hand over. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun QuickAmounts(state: PaymentState, language: Language, model: PaymentViewModel) {
    Text(Label.CASH.text(language), style = MaterialTheme.typography.titleSmall)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        state.quickAmounts.forEach { quick ->
            FilledTonalButton(
                onClick = { model.payQuickAmount(quick.amount) },
                modifier = Modifier.heightIn(min = MinTouchTarget),
            ) { Text(if (quick.exact) "${Label.EXACT.text(language)} ${quick.text}" else quick.text) }
        }
    }
}

/** Tips (table service) and split bills, set before the first payment. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun BillOptions(state: PaymentState, language: Language, model: PaymentViewModel) {
    if (state.tipChoices.isNotEmpty() && state.canChangeBill) {
        Text(Label.TIP.text(language), style = MaterialTheme.typography.titleSmall)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            state.tipChoices.forEach { tip ->
                FilterChip(
                    selected = tip.selected,
                    onClick = { model.selectTip(tip.percent) },
                    label = { Text(listOfNotNull(tip.label, tip.amountText).joinToString(" · ")) },
                    modifier = Modifier.heightIn(min = MinTouchTarget),
                )
            }
        }
    }
    if (state.canChangeBill || state.splitParts.isNotEmpty()) {
        Text(Label.SPLIT.text(language), style = MaterialTheme.typography.titleSmall)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            if (state.canChangeBill) {
                for (n in 2..4) {
                    FilterChip(
                        selected = state.splitParts.size == n,
                        onClick = { if (state.splitParts.size == n) model.clearSplit() else model.splitEvenly(n) },
                        // Read out as the description alone, not "÷ 2" after it.
                        label = { Text("÷ $n", Modifier.clearAndSetSemantics {}) },
                        modifier = Modifier
                            .heightIn(min = MinTouchTarget)
                            .semantics { contentDescription = "${Label.SPLIT.text(language)} ÷ $n" },
                    )
                }
            }
            state.splitParts.forEach { part ->
                FilterChip(
                    selected = state.selectedPart == part.number,
                    enabled = !part.paid,
                    onClick = { model.selectPart(part.number) },
                    label = {
                        Text(Label.SPLIT_PART.format(language, part.number) + " · " + part.totalText + if (part.paid) " ✓" else "")
                    },
                    modifier = Modifier.heightIn(min = MinTouchTarget),
                )
            }
        }
    }
}

/** The cash keypad: what was typed, the digits, `000` and delete. */
@Composable
private fun Keypad(state: PaymentState, language: Language, model: PaymentViewModel) {
    Column(Modifier.widthIn(max = 480.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        Surface(
            color = MaterialTheme.colorScheme.surface,
            border = androidx.compose.foundation.BorderStroke(1.dp, MaterialTheme.colorScheme.outline),
            shape = MaterialTheme.shapes.small,
            modifier = Modifier.fillMaxWidth(),
        ) {
            Row(Modifier.padding(12.dp), verticalAlignment = Alignment.CenterVertically) {
                Text(Label.KEYPAD.text(language), style = MaterialTheme.typography.bodyMedium, modifier = Modifier.weight(1f))
                Text(
                    state.keypadAmountText ?: state.cashDueText,
                    style = MaterialTheme.typography.headlineSmall,
                    fontWeight = FontWeight.Bold,
                    color = if (state.keypadAmountText == null) MaterialTheme.colorScheme.outline else MaterialTheme.colorScheme.onSurface,
                )
            }
        }
        val rows = listOf(listOf("1", "2", "3"), listOf("4", "5", "6"), listOf("7", "8", "9"), listOf("000", "0", "⌫"))
        rows.forEach { keys ->
            Row(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                keys.forEach { key ->
                    val isDelete = key == "⌫"
                    FilledTonalButton(
                        onClick = { if (isDelete) model.keypadBackspace() else model.keypadDigit(key) },
                        modifier = Modifier
                            .weight(1f)
                            .heightIn(min = 56.dp)
                            .then(if (isDelete) Modifier.semantics { contentDescription = Label.BACKSPACE.text(language) } else Modifier),
                    ) {
                        Text(key, style = MaterialTheme.typography.titleLarge, modifier = if (isDelete) Modifier.clearAndSetSemantics {} else Modifier)
                    }
                }
            }
        }
    }
}

/** The QRIS code full screen, for the customer to scan, with the amount. */
@Composable
private fun QrisFullScreen(payload: String, prompt: String, amountText: String, language: Language, onPaid: (String) -> Unit, onClose: () -> Unit) {
    var reference by remember { mutableStateOf("") }
    Box(Modifier.fillMaxSize().background(Color.White), contentAlignment = Alignment.Center) {
        Column(
            Modifier.widthIn(max = 520.dp).padding(16.dp).verticalScroll(rememberScrollState()),
            horizontalAlignment = Alignment.CenterHorizontally,
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            Text(Label.QRIS.text(language), style = MaterialTheme.typography.headlineMedium, fontWeight = FontWeight.Bold)
            Text(amountText, style = MaterialTheme.typography.displaySmall, fontWeight = FontWeight.Bold)
            QrCode(payload, prompt, Modifier.fillMaxWidth().aspectRatio(1f))
            Text(prompt, style = MaterialTheme.typography.titleMedium, textAlign = TextAlign.Center)
            OutlinedTextField(
                value = reference,
                onValueChange = { reference = it },
                label = { Text(Label.QRIS_REFERENCE.text(language)) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth(),
            )
            BigButton(Label.QRIS_CONFIRM.text(language), { onPaid(reference.trim()) }, enabled = reference.isNotBlank())
            SecondaryButton(Label.CLOSE.text(language), onClose, Modifier.fillMaxWidth())
        }
    }
}

/** A QR code drawn from [payload] (ZXing's encoder), described for screen readers by [description]. */
@Composable
fun QrCode(payload: String, description: String, modifier: Modifier = Modifier) {
    val matrix = remember(payload) {
        QRCodeWriter().encode(payload, BarcodeFormat.QR_CODE, 0, 0, mapOf(EncodeHintType.MARGIN to 2))
    }
    Canvas(modifier.semantics { contentDescription = description }) {
        val cell = minOf(size.width / matrix.width, size.height / matrix.height)
        val left = (size.width - cell * matrix.width) / 2
        val top = (size.height - cell * matrix.height) / 2
        drawRect(Color.White)
        for (y in 0 until matrix.height) {
            for (x in 0 until matrix.width) {
                if (matrix[x, y]) {
                    drawRect(Color.Black, Offset(left + x * cell, top + y * cell), Size(cell + 0.5f, cell + 0.5f))
                }
            }
        }
    }
}

/** What the card reader approved, typed from its slip when the reader is not paired. */
@Composable
private fun CardDialog(state: PaymentState, language: Language, onDone: (String, String, String) -> Unit, onClose: () -> Unit) {
    var approval by remember { mutableStateOf("") }
    var last4 by remember { mutableStateOf("") }
    var brand by remember { mutableStateOf("visa") }
    AlertDialog(
        onDismissRequest = onClose,
        title = { Text(Label.CARD_ON_READER.format(language, state.keypadAmountText ?: state.remainingText)) },
        text = {
            Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                MessageBanner(state.message, language)
                OutlinedTextField(approval, { approval = it }, label = { Text(Label.APPROVAL_CODE.text(language)) }, singleLine = true)
                OutlinedTextField(last4, { last4 = it }, label = { Text(Label.LAST4.text(language)) }, singleLine = true)
                OutlinedTextField(brand, { brand = it }, label = { Text(Label.CARD_BRAND.text(language)) }, singleLine = true)
            }
        },
        confirmButton = {
            TextButton(onClick = { onDone(approval.trim(), last4.trim(), brand.trim()) }, modifier = Modifier.heightIn(min = MinTouchTarget)) {
                Text(Label.OK.text(language))
            }
        },
        dismissButton = {
            TextButton(onClick = onClose, modifier = Modifier.heightIn(min = MinTouchTarget)) { Text(Label.CANCEL.text(language)) }
        },
    )
}
