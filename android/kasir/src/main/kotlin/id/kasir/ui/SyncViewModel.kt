package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.KasirException
import id.kasir.core.NetworkMonitor
import id.kasir.core.SyncStatus
import java.time.Duration
import java.time.Instant
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** An event the cloud refused, for the details screen. */
data class RejectedRow(val seq: Long, val kind: String, val reason: String)

/** The sync bar (always visible) and its details screen. */
data class SyncState(
    val enrolled: Boolean = false,
    val serverUrl: String? = null,
    val waiting: Long = 0,
    /** How long the oldest waiting sale has waited, when one waits. */
    val oldestWaitingAge: Duration? = null,
    val lastSyncAt: Instant? = null,
    val lastAttemptAt: Instant? = null,
    val lastError: String? = null,
    val synced: Long = 0,
    val rejected: List<RejectedRow> = emptyList(),
    /** `2 waiting` or `All sent`. */
    val waitingText: String = "",
    /** `oldest 5 min ago`, when a sale waits. */
    val oldestWaitingText: String? = null,
    /** `last sync 1 h ago` or `never synced`. */
    val lastSyncText: String = "",
    /** The bar's one line: `2 waiting · oldest 5 min ago · last sync 1 h ago`. */
    val summary: String = "",
    val syncing: Boolean = false,
    val message: UiMessage? = null,
)

/** Sync status from the core: waiting count, age of the oldest, last sync, the details. */
class SyncViewModel(
    private val kasir: Kasir,
    val language: Language,
    private val clock: () -> Instant = Instant::now,
) {
    private val mutableState = MutableStateFlow(SyncState())

    /** The state of the bar and of the details screen. */
    val state: StateFlow<SyncState> = mutableState.asStateFlow()

    init {
        refresh()
    }

    /** An age as the bar shows it (`5 min ago`). */
    fun ageText(age: Duration): String {
        val seconds = age.seconds.coerceAtLeast(0)
        return when {
            seconds < 60 -> Label.AGE_SECONDS.format(language, seconds)
            seconds < 3600 -> Label.AGE_MINUTES.format(language, seconds / 60)
            seconds < 86400 -> Label.AGE_HOURS.format(language, seconds / 3600)
            else -> Label.AGE_DAYS.format(language, seconds / 86400)
        }
    }

    private fun show(status: SyncStatus) {
        val now = clock()
        val oldest = status.oldestWaiting?.let { Duration.between(it, now) }
        val last = status.lastSuccessAt
        val waitingText =
            if (status.waiting == 0uL) Label.SYNC_ALL_SENT.text(language) else Label.SYNC_WAITING.format(language, status.waiting)
        val oldestText = oldest?.let { Label.SYNC_OLDEST.format(language, ageText(it)) }
        val lastText = if (last == null) Label.SYNC_NEVER.text(language) else Label.SYNC_LAST.format(language, ageText(Duration.between(last, now)))
        val summary = if (!status.enrolled) {
            Label.SYNC_NOT_ENROLLED.text(language) + if (status.waiting > 0uL) " · $waitingText" else ""
        } else {
            listOfNotNull(
                waitingText,
                oldestText,
                lastText,
                status.rejected.size.takeIf { it > 0 }?.let { Label.SYNC_REJECTED.format(language, it) },
            ).joinToString(" · ")
        }
        mutableState.update {
            it.copy(
                enrolled = status.enrolled,
                serverUrl = status.serverUrl,
                waiting = status.waiting.toLong(),
                oldestWaitingAge = oldest,
                lastSyncAt = last,
                lastAttemptAt = status.lastAttemptAt,
                lastError = status.lastError,
                synced = status.synced.toLong(),
                rejected = status.rejected.map { r -> RejectedRow(r.seq, r.kind, r.reason) },
                waitingText = waitingText,
                oldestWaitingText = oldestText,
                lastSyncText = lastText,
                summary = summary,
            )
        }
    }

    /** Reads the status again (after a sale, and on a timer so the ages move on). */
    fun refresh() {
        attempt(language, { m -> mutableState.update { it.copy(message = m) } }) { kasir.syncStatus() }?.let(::show)
    }

    /** Syncs once now (the details screen's button). */
    suspend fun syncNow(): Boolean {
        mutableState.update { it.copy(syncing = true, message = null) }
        return try {
            kasir.syncOnce()
            true
        } catch (e: KasirException) {
            mutableState.update { it.copy(message = UiMessage.of(e, language)) }
            false
        } finally {
            mutableState.update { it.copy(syncing = false) }
            refresh()
        }
    }

    /** Syncs in the background in [scope] and refreshes after every outcome; cancel the job to stop. */
    fun syncInBackground(scope: CoroutineScope, intervalSecs: Long = 300, monitor: NetworkMonitor? = null): Job =
        scope.launch { kasir.syncEvents(intervalSecs, monitor = monitor).collect { refresh() } }
}
