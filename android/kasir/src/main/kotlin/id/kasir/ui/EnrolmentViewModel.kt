package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.EnrolmentRequest
import id.kasir.core.KasirException
import id.kasir.core.parseEnrolment
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/** The enrolment screen: the server and the one-time code, typed or scanned. */
data class EnrolmentState(
    val serverUrl: String = "",
    val code: String = "",
    val enrolling: Boolean = false,
    val enrolled: Boolean = false,
    /** What is wrong; its `field` is `code` or `server_url` for the screen to mark. */
    val message: UiMessage? = null,
)

/**
 * Enrols the device with the cloud account. The core reads and checks the code (16 letters and
 * digits, dashes and case ignored, `O`/`I`/`L` read as `0`/`1`) and the enrolment QR code
 * (`SERVER/enrol?code=CODE`), and trades the code for the device token.
 */
class EnrolmentViewModel(private val kasir: Kasir, val language: Language, serverUrl: String = "") {
    private val mutableState = MutableStateFlow(
        EnrolmentState(serverUrl = serverUrl, enrolled = runCatching { kasir.syncStatus().enrolled }.getOrDefault(false)),
    )

    /** The screen's state. */
    val state: StateFlow<EnrolmentState> = mutableState.asStateFlow()

    fun setServerUrl(text: String) = mutableState.update { it.copy(serverUrl = text, message = null) }

    fun setCode(text: String) = mutableState.update { it.copy(code = text, message = null) }

    private fun checked(read: () -> EnrolmentRequest): EnrolmentRequest? = try {
        read()
    } catch (e: KasirException) {
        mutableState.update { it.copy(message = UiMessage.of(e, language)) }
        null
    }

    /** A scanned enrolment QR code: fills in the server and the code and enrols. */
    suspend fun scanned(payload: String): Boolean {
        val request = checked { parseEnrolment(payload, null) } ?: return false
        mutableState.update { it.copy(serverUrl = request.serverUrl, code = request.code) }
        return enrol(request)
    }

    /** Enrols with the typed server and code; a refused field is named in the message. */
    suspend fun enrol(): Boolean {
        val s = mutableState.value
        val request = checked { parseEnrolment(s.code, s.serverUrl) } ?: return false
        return enrol(request)
    }

    private suspend fun enrol(request: EnrolmentRequest): Boolean {
        mutableState.update { it.copy(enrolling = true, message = null, code = request.code, serverUrl = request.serverUrl) }
        return try {
            kasir.enrol(request.serverUrl, request.code)
            mutableState.update { it.copy(enrolling = false, enrolled = true) }
            true
        } catch (e: KasirException) {
            mutableState.update { it.copy(enrolling = false, message = UiMessage.of(e, language)) }
            false
        }
    }
}
