package id.kasir

import kotlin.test.assertEquals
import org.junit.jupiter.api.Test

/**
 * The shipped bindings omit uniffi's API checksums (they crash on 32-bit ARM Android, uniffi
 * issue 2740). scripts/bindings.sh therefore also generates a copy with checksums on, in the
 * `id.kasir.checked` packages, from the same library. Loading that copy compares the checksum of
 * every exported function, method and constructor, and the uniffi contract version, against
 * the library JNA loads; a library rebuilt with a different surface than the bindings were
 * generated from makes the first call throw ("UniFFI API checksum mismatch").
 */
class BindingsMatchTest {
    @Test
    fun `the bindings and the loaded library agree on every checksum`() {
        // The first call initialises the checked bindings, which verifies all checksums.
        val checked = id.kasir.checked.libraryVersion()
        assertEquals(id.kasir.core.libraryVersion(), checked)
    }
}
