package id.kasir.app.ui

import androidx.compose.foundation.background
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.role
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import id.kasir.ui.Label
import id.kasir.ui.SyncState
import id.kasir.ui.SyncViewModel
import kotlinx.coroutines.launch

/** The sync status, always on screen: waiting count, age of the oldest, last sync. Opens the details. */
@Composable
fun SyncBar(model: SyncViewModel, onOpen: () -> Unit, modifier: Modifier = Modifier) {
    val state by model.state.collectAsState()
    val language = model.language
    val healthy = state.enrolled && state.lastError == null && state.rejected.isEmpty()
    Surface(
        color = if (healthy) MaterialTheme.colorScheme.secondaryContainer else MaterialTheme.colorScheme.tertiaryContainer,
        shape = MaterialTheme.shapes.small,
        modifier = modifier
            .heightIn(min = MinTouchTarget)
            .clickable(onClick = onOpen)
            .semantics(mergeDescendants = true) {
                role = Role.Button
                contentDescription = Label.SYNC_STATUS.format(language, state.summary)
            },
    ) {
        Row(Modifier.padding(horizontal = 10.dp, vertical = 6.dp), verticalAlignment = Alignment.CenterVertically) {
            val colour = when {
                !state.enrolled -> Color(0xFF9E9E9E)
                state.waiting == 0L && healthy -> Color(0xFF2E7D32)
                else -> Color(0xFFEF6C00)
            }
            Box(Modifier.size(10.dp).background(colour, CircleShape))
            Text(
                state.summary,
                style = MaterialTheme.typography.labelLarge,
                maxLines = 2,
                overflow = TextOverflow.Ellipsis,
                modifier = Modifier.padding(start = 8.dp),
            )
        }
    }
}

/** The sync details: the account, what waits, the last sync, the cloud's refusals. */
@Composable
fun SyncScreen(model: SyncViewModel, onBack: () -> Unit) {
    val state by model.state.collectAsState()
    val scope = rememberCoroutineScope()
    SyncDetails(state, model, onSyncNow = { scope.launch { model.syncNow() } }, onBack = onBack)
}

@Composable
private fun SyncDetails(state: SyncState, model: SyncViewModel, onSyncNow: () -> Unit, onBack: () -> Unit) {
    val language = model.language
    Box(Modifier.fillMaxSize(), contentAlignment = Alignment.TopCenter) {
        Column(
            Modifier.widthIn(max = 640.dp).fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            Heading(Label.SYNC_DETAILS.text(language))
            if (state.enrolled) Text(state.summary, style = MaterialTheme.typography.titleMedium)
            MessageBanner(state.message, language)
            Panel(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(12.dp)) {
                    if (state.enrolled) {
                        AmountRow(Label.SERVER_URL.text(language), state.serverUrl.orEmpty())
                    } else {
                        Text(Label.SYNC_NOT_ENROLLED.text(language), style = MaterialTheme.typography.bodyLarge)
                    }
                    AmountRow(ScreenLabel.SYNC_WAITING_COUNT.text(language), state.waiting.toString())
                    state.oldestWaitingAge?.let { AmountRow(ScreenLabel.SYNC_OLDEST_AGE.text(language), model.ageText(it)) }
                    AmountRow(ScreenLabel.SYNC_SENT.text(language), state.synced.toString())
                    state.lastError?.let { AmountRow(ScreenLabel.SYNC_LAST_ERROR.text(language), it) }
                }
            }
            if (state.rejected.isNotEmpty()) {
                Text(Label.SYNC_REJECTED.format(language, state.rejected.size), style = MaterialTheme.typography.titleSmall)
                state.rejected.forEach { row ->
                    Text("#${row.seq} ${row.kind}: ${row.reason}", style = MaterialTheme.typography.bodyMedium)
                }
            }
            BigButton(Label.SYNC_NOW.text(language), onSyncNow, enabled = state.enrolled && !state.syncing)
            SecondaryButton(Label.BACK.text(language), onBack, Modifier.fillMaxWidth())
        }
    }
}
