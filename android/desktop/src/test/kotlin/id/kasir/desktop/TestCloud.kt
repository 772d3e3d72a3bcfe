package id.kasir.desktop

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A real `kasir-cloud serve` on a free loopback port with its own SQLite database, started from
 * the workspace's debug build (scripts/test-desktop.sh builds it), and the owner's calls a
 * desktop test needs to enrol a register: a merchant, a store and a one-time enrolment code.
 */
class TestCloud : AutoCloseable {
    private val dir: Path = Files.createTempDirectory("kasir-cloud")
    private val binary: Path = Path.of(System.getProperty("kasir.target", "../../target"), "debug", "kasir-cloud")
    private val database = "sqlite://${dir.resolve("cloud.db")}"
    private val process: Process
    private val http = HttpClient.newHttpClient()

    /** The server's base URL. */
    val url: String

    init {
        check(Files.isExecutable(binary)) { "$binary is missing: run scripts/test-desktop.sh (it builds kasir-cloud)" }
        process = command("serve", "--listen", "127.0.0.1:0").redirectError(ProcessBuilder.Redirect.INHERIT).start()
        val line = process.inputStream.bufferedReader().readLine() ?: error("kasir-cloud exited before listening")
        url = line.trim().removePrefix("listening on ")
    }

    private fun command(vararg args: String): ProcessBuilder =
        ProcessBuilder(listOf(binary.toString(), "--database", database) + args).also {
            it.environment()["KASIR_CLOUD_LOG"] = "warn"
        }

    /** Creates a merchant with the operator command and returns its owner token. */
    fun merchant(name: String): String {
        val run = command("merchant", "create", name, "--json").start()
        val out = run.inputStream.bufferedReader().readText()
        check(run.waitFor(60, TimeUnit.SECONDS) && run.exitValue() == 0) { "merchant create failed: $out" }
        return field(out, "owner_token")
    }

    /** Creates a store with the default Indonesian settings; returns its id. */
    fun createStore(ownerToken: String, name: String): String =
        field(post(ownerToken, "/v1/owner/stores", """{"name":"$name"}"""), "store_id")

    /** A one-time enrolment code for the store. */
    fun enrolmentCode(ownerToken: String, storeId: String): String =
        field(post(ownerToken, "/v1/owner/stores/$storeId/enrolments", "{}"), "code")

    private fun post(token: String, path: String, body: String): String {
        val request = HttpRequest.newBuilder(URI.create(url + path))
            .header("kasir-protocol", "1")
            .header("content-type", "application/json")
            .header("authorization", "Bearer $token")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() in 200..299) { "${response.statusCode()}: ${response.body()}" }
        return response.body()
    }

    override fun close() {
        process.destroyForcibly()
        process.waitFor(10, TimeUnit.SECONDS)
    }

    private companion object {
        /** The string or number value of [name] in a flat JSON object. */
        fun field(json: String, name: String): String {
            val match = Regex("\"${Regex.escape(name)}\"\\s*:\\s*(\"([^\"]*)\"|(-?[0-9.]+))").find(json)
                ?: error("no `$name` in $json")
            return match.groupValues[2].ifEmpty { match.groupValues[3] }
        }
    }
}
