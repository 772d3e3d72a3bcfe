package id.kasir.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.BoxWithConstraints
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import id.kasir.ui.CashDifference
import id.kasir.ui.Label
import id.kasir.ui.Language
import id.kasir.ui.ShiftState
import id.kasir.ui.ShiftSummary
import id.kasir.ui.ShiftViewModel

/**
 * The till's shift: the staff sign-in once the store has staff, opening with the float, cash
 * paid in and out with a reason, the close with the counted cash, and the shift's report (the
 * Z report with the difference once closed). On a tablet the actions and the report side by
 * side, on a phone one above the other.
 */
@Composable
fun ShiftScreen(model: ShiftViewModel, onBack: () -> Unit) {
    val state by model.state.collectAsState()
    val language = model.language
    BoxWithConstraints(Modifier.fillMaxSize()) {
        if (isWide(maxWidth)) {
            Row(Modifier.fillMaxSize().padding(16.dp), horizontalArrangement = Arrangement.spacedBy(24.dp)) {
                Column(
                    Modifier.weight(1f).verticalScroll(rememberScrollState()),
                    verticalArrangement = Arrangement.spacedBy(8.dp),
                ) {
                    ShiftActions(state, model, onBack)
                }
                Column(Modifier.weight(1f).verticalScroll(rememberScrollState())) {
                    state.report?.let { ShiftReportPanel(it, language) }
                }
            }
        } else {
            Box(Modifier.fillMaxSize(), contentAlignment = Alignment.TopCenter) {
                Column(
                    Modifier.widthIn(max = 640.dp).fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp),
                    verticalArrangement = Arrangement.spacedBy(8.dp),
                ) {
                    ShiftActions(state, model, onBack)
                    state.report?.let { ShiftReportPanel(it, language) }
                }
            }
        }
    }
}

@Composable
private fun ShiftActions(state: ShiftState, model: ShiftViewModel, onBack: () -> Unit) {
    val language = model.language
    val open = state.openShift
    Heading(if (open == null) Label.NO_SHIFT.text(language) else "${Label.SHIFT.text(language)} $open")
    state.notice?.let {
        Text(
            it,
            style = MaterialTheme.typography.titleMedium,
            modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite },
        )
    }
    MessageBanner(state.message, language)
    if (state.staffRequired) SignInPanel(state, model)
    if (state.canAct) {
        OutlinedTextField(
            value = state.amount,
            onValueChange = model::setAmount,
            label = {
                Text(
                    when {
                        open == null -> Label.OPENING_FLOAT
                        else -> Label.CASH_AMOUNT
                    }.text(language),
                )
            },
            placeholder = { Text("0") },
            isError = state.message?.field in setOf("float", "amount", "counted"),
            singleLine = true,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
            modifier = Modifier.fillMaxWidth(),
        )
        if (open == null) {
            BigButton(Label.OPEN_SHIFT.text(language), { model.open() })
        } else {
            OutlinedTextField(
                value = state.reason,
                onValueChange = model::setReason,
                label = { Text(Label.CASH_REASON.text(language)) },
                isError = state.message?.field == "reason",
                singleLine = true,
                modifier = Modifier.fillMaxWidth(),
            )
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                SecondaryButton(Label.PAY_IN.text(language), { model.payIn() }, Modifier.weight(1f))
                SecondaryButton(Label.PAY_OUT.text(language), { model.payOut() }, Modifier.weight(1f))
            }
            BigButton(Label.CLOSE_SHIFT.text(language), { model.close() })
        }
    }
    SecondaryButton(Label.BACK.text(language), onBack, Modifier.fillMaxWidth())
}

@Composable
private fun SignInPanel(state: ShiftState, model: ShiftViewModel) {
    val language = model.language
    Panel(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            val signedIn = state.signedInAs
            if (signedIn != null) {
                Row(verticalAlignment = Alignment.CenterVertically) {
                    Text(Label.SIGNED_IN_AS.format(language, signedIn), Modifier.weight(1f), style = MaterialTheme.typography.titleMedium)
                    SecondaryButton(Label.SIGN_OUT.text(language), model::signOut)
                }
            } else {
                var name by remember { mutableStateOf("") }
                var pin by remember { mutableStateOf("") }
                Text(Label.SIGN_IN_FIRST.text(language), style = MaterialTheme.typography.bodyLarge)
                OutlinedTextField(
                    value = name,
                    onValueChange = { name = it },
                    label = { Text(Label.STAFF_NAME.text(language)) },
                    isError = state.message?.field == "staff",
                    singleLine = true,
                    modifier = Modifier.fillMaxWidth(),
                )
                OutlinedTextField(
                    value = pin,
                    onValueChange = { text -> pin = text.filter(Char::isDigit).take(8) },
                    label = { Text(Label.PIN.text(language)) },
                    isError = state.message?.field == "pin",
                    singleLine = true,
                    visualTransformation = PasswordVisualTransformation(),
                    keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
                    modifier = Modifier.fillMaxWidth(),
                )
                BigButton(Label.SIGN_IN.text(language), {
                    if (model.signIn(name, pin)) pin = ""
                })
            }
        }
    }
}

/** The X report of the open shift, or the Z report of the one just closed. */
@Composable
fun ShiftReportPanel(report: ShiftSummary, language: Language) {
    Panel(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(2.dp)) {
            Heading(report.title)
            report.openedBy?.let { AmountRow(Label.OPENED_BY.text(language), it) }
            report.closedBy?.let { AmountRow(Label.CLOSED_BY.text(language), it) }
            AmountRow(Label.SALES_COUNT.text(language), report.sales.toString())
            AmountRow(Label.SALES_TOTAL.text(language), report.salesTotalText)
            HorizontalDivider(Modifier.padding(vertical = 6.dp))
            AmountRow(Label.OPENING_FLOAT.text(language), report.floatText)
            AmountRow(Label.CASH_TENDERED.text(language), report.cashTenderedText)
            AmountRow(Label.CASH_CHANGE.text(language), report.changeText)
            AmountRow(Label.CASH_REFUNDS.text(language), report.cashRefundsText)
            AmountRow(Label.PAY_IN.text(language), report.payInsText)
            AmountRow(Label.PAY_OUT.text(language), report.payOutsText)
            AmountRow(Label.EXPECTED_CASH.text(language), report.expectedText)
            report.countedText?.let { AmountRow(Label.COUNTED_CASH.text(language), it) }
            report.differenceText?.let { AmountRow(Label.CASH_DIFFERENCE.text(language), it, strong = true) }
            report.differenceLabel?.let {
                val colour = when (report.difference) {
                    CashDifference.EVEN -> Color(0xFF2E7D32)
                    else -> MaterialTheme.colorScheme.error
                }
                Text(it, color = colour, style = MaterialTheme.typography.titleMedium)
            }
            if (report.tenders.isNotEmpty()) {
                HorizontalDivider(Modifier.padding(vertical = 6.dp))
                Text(Label.TAKINGS_BY_TENDER.text(language), style = MaterialTheme.typography.titleSmall)
                report.tenders.forEach { AmountRow("${it.method} (${it.count})", it.amountText) }
            }
            if (report.tips.isNotEmpty()) {
                HorizontalDivider(Modifier.padding(vertical = 6.dp))
                Text(Label.TIPS_BY_STAFF.text(language), style = MaterialTheme.typography.titleSmall)
                report.tips.forEach { AmountRow("${it.staff} (${it.sales})", it.netText) }
            }
        }
    }
}
