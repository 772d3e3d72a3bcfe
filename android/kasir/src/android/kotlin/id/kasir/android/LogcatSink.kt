package id.kasir.android

import android.util.Log
import id.kasir.core.LogLevel
import id.kasir.core.LogRecord
import id.kasir.core.LogSink

/** The core's logs in Logcat, under the tag `kasir` (the core logs no personal data). */
class LogcatSink : LogSink {
    override fun log(record: LogRecord) {
        val text = "${record.target}: ${record.message}"
        when (record.level) {
            LogLevel.ERROR -> Log.e(TAG, text)
            LogLevel.WARN -> Log.w(TAG, text)
            LogLevel.INFO -> Log.i(TAG, text)
            LogLevel.DEBUG -> Log.d(TAG, text)
            LogLevel.TRACE -> Log.v(TAG, text)
        }
    }

    private companion object {
        const val TAG = "kasir"
    }
}
