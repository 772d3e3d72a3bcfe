package id.kasir.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import id.kasir.ui.BluetoothState
import id.kasir.ui.DevicesViewModel
import id.kasir.ui.EnrolmentViewModel
import id.kasir.ui.Label
import id.kasir.ui.Language
import id.kasir.ui.SettingsViewModel
import kotlinx.coroutines.launch

/** A centred column for the forms below, as wide as a phone at most. */
@Composable
private fun FormColumn(content: @Composable () -> Unit) {
    Box(Modifier.fillMaxSize(), contentAlignment = Alignment.TopCenter) {
        Column(
            Modifier.widthIn(max = 640.dp).fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(10.dp),
        ) { content() }
    }
}

/**
 * Enrols the device with the cloud account: the enrolment QR code scanned ([onScanQr], the
 * platform's camera, when there is one) or the server and code typed.
 */
@Composable
fun EnrolmentScreen(model: EnrolmentViewModel, onBack: () -> Unit, onScanQr: (() -> Unit)? = null) {
    val state by model.state.collectAsState()
    val scope = rememberCoroutineScope()
    val language = model.language
    FormColumn {
        Heading(Label.ENROL_TITLE.text(language))
        if (state.enrolled) {
            Text(Label.ENROLLED.text(language), style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.primary)
        }
        MessageBanner(state.message, language)
        if (onScanQr != null) {
            BigButton(Label.SCAN_ENROLMENT_QR.text(language), onScanQr, enabled = !state.enrolling)
        }
        OutlinedTextField(
            value = state.serverUrl,
            onValueChange = model::setServerUrl,
            label = { Text(Label.SERVER_URL.text(language)) },
            placeholder = { Text("https://cloud.example.id") },
            isError = state.message?.field == "server_url",
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        OutlinedTextField(
            value = state.code,
            onValueChange = model::setCode,
            label = { Text(Label.ENROLMENT_CODE.text(language)) },
            placeholder = { Text("XXXX-XXXX-XXXX-XXXX") },
            isError = state.message?.field == "code",
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        BigButton(
            (if (state.enrolling) Label.ENROLLING else Label.ENROL).text(language),
            { scope.launch { model.enrol() } },
            enabled = !state.enrolling,
        )
        SecondaryButton(Label.BACK.text(language), onBack, Modifier.fillMaxWidth())
    }
}

/**
 * Printers and card readers: what Bluetooth allows (missing, off, not allowed) with the action
 * that helps (turn it on, ask for the permission, open the settings), the search for devices
 * (only when Bluetooth is ready), the devices it found and the printers saved in the store.
 */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun DevicesScreen(model: DevicesViewModel, onBack: () -> Unit) {
    val state by model.state.collectAsState()
    val language = model.language
    var profile by remember(state.profiles) { mutableStateOf(state.profiles.firstOrNull().orEmpty()) }
    FormColumn {
        Heading(Label.DEVICES.text(language))
        state.bluetoothMessage?.let { text ->
            Panel(Modifier.fillMaxWidth().semantics { liveRegion = LiveRegionMode.Polite }) {
                Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Text(text, style = MaterialTheme.typography.bodyLarge)
                    state.bluetoothActionText?.let { BigButton(it, model::bluetoothAction) }
                }
            }
        }
        MessageBanner(state.message, language, onDismiss = model::dismissMessage)
        if (state.bluetooth != BluetoothState.UNSUPPORTED) {
            if (state.searching) {
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
                    BigButton(Label.SEARCHING.text(language), {}, Modifier.weight(1f), enabled = false)
                    SecondaryButton(Label.STOP_SEARCH.text(language), model::stopSearch)
                }
            } else {
                BigButton(Label.SCAN_DEVICES.text(language), { model.search() }, enabled = state.canSearch)
            }
        }
        if (state.found.isNotEmpty()) {
            Text(Label.PROFILE.text(language), style = MaterialTheme.typography.titleSmall)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                state.profiles.forEach { p ->
                    FilterChip(selected = p == profile, onClick = { profile = p }, label = { Text(p) }, modifier = Modifier.heightIn(min = MinTouchTarget))
                }
            }
            state.found.forEach { device ->
                Row(Modifier.fillMaxWidth().heightIn(min = 56.dp), verticalAlignment = Alignment.CenterVertically) {
                    Column(Modifier.weight(1f)) {
                        Text(device.name, style = MaterialTheme.typography.bodyLarge)
                        Text(device.address, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.outline)
                    }
                    val paired = state.printers.any { it.target.endsWith(device.address) }
                    SecondaryButton(
                        (if (paired) Label.PAIRED else Label.PAIR).text(language),
                        { model.pairPrinter(device, device.name, profile) },
                        enabled = !paired && profile.isNotEmpty() && state.canPair,
                    )
                }
                HorizontalDivider()
            }
        }
        Text(Label.PRINTERS.text(language), style = MaterialTheme.typography.titleMedium)
        if (state.printers.isEmpty()) {
            Text(Label.NO_PRINTER.text(language), style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.outline)
        }
        state.printers.forEach { printer ->
            AmountRow("${printer.name} · ${printer.target}", printer.profile)
        }
        SecondaryButton(Label.BACK.text(language), onBack, Modifier.fillMaxWidth())
    }
}

/** The store's name and receipt language, this device's language and receipt printer. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun SettingsScreen(model: SettingsViewModel, onBack: () -> Unit) {
    val state by model.state.collectAsState()
    val language = state.deviceLanguage
    var name by remember(state.storeName) { mutableStateOf(state.storeName) }
    FormColumn {
        Heading(Label.SETTINGS.text(language))
        MessageBanner(state.message, language)
        if (state.saved) Text(Label.SAVED.text(language), color = MaterialTheme.colorScheme.primary)
        OutlinedTextField(
            value = name,
            onValueChange = { name = it },
            label = { Text(Label.STORE_NAME.text(language)) },
            isError = state.message?.field == "name",
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        SecondaryButton(Label.SAVE.text(language), { model.setStoreName(name) }, enabled = name != state.storeName)
        LanguageChoice(Label.LANGUAGE.text(language), state.deviceLanguage, language) { model.setDeviceLanguage(it) }
        LanguageChoice(Label.RECEIPT_LANGUAGE.text(language), state.receiptLanguage, language) { model.setReceiptLanguage(it) }
        Text(Label.DEFAULT_PRINTER.text(language), style = MaterialTheme.typography.titleSmall)
        if (state.printers.isEmpty()) {
            Text(Label.NO_PRINTER.text(language), color = MaterialTheme.colorScheme.outline)
        }
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            state.printers.forEach { printer ->
                FilterChip(
                    selected = state.printerName == printer.name,
                    onClick = { model.setPrinter(printer.name) },
                    label = { Text(printer.name) },
                    modifier = Modifier.heightIn(min = MinTouchTarget),
                )
            }
        }
        SecondaryButton(Label.BACK.text(language), onBack, Modifier.fillMaxWidth())
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun LanguageChoice(title: String, selected: Language, language: Language, onSelect: (Language) -> Unit) {
    Text(title, style = MaterialTheme.typography.titleSmall)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        Language.entries.forEach { option ->
            val name = (if (option == Language.ID) Label.INDONESIAN else Label.ENGLISH).text(language)
            FilterChip(
                selected = option == selected,
                onClick = { onSelect(option) },
                label = { Text(name, Modifier.clearAndSetSemantics {}) },
                // Two groups of the same two words: say which group for the screen reader.
                modifier = Modifier.heightIn(min = MinTouchTarget).semantics { contentDescription = "$title: $name" },
            )
        }
    }
}
