package id.kasir

import id.kasir.core.CameraFormat
import id.kasir.core.CameraOptions
import id.kasir.core.CameraRead
import id.kasir.core.FrameRegion
import id.kasir.core.defaultCameraOptions
import java.nio.ByteBuffer
import id.kasir.core.CameraScanner as CoreCameraScanner

/**
 * Decodes a camera's frames in the core: one per camera preview, fed every frame's luminance
 * (Y) plane. The core decodes and decides: a read is new ([CameraRead.isNew]: add it to the
 * sale, play the sound) or a repeat of a code still in view, to ignore. Nothing is decided here.
 *
 * Not thread-safe for [frame] with a [ByteBuffer] (it reuses one array); CameraX calls its
 * analyzer on one executor, which is what this expects.
 */
class CameraScanner(options: CameraOptions = defaultCameraOptions()) : AutoCloseable {
    private val core = CoreCameraScanner(options)
    private var copy = ByteArray(0)

    companion object {
        /** Options for [CameraScanner]; the defaults are a register's (retail codes, Code 128, QR; 1 s quiet time). */
        fun options(
            formats: List<CameraFormat> = defaultCameraOptions().formats,
            quietTimeMs: Int = defaultCameraOptions().quietTimeMs.toInt(),
            downscale: Int = 1,
        ): CameraOptions = CameraOptions(formats, quietTimeMs.toUInt(), downscale.toUInt())
    }

    /**
     * Decodes one frame: [pixels] holds `height` rows of [width] luminance bytes, [rowStride]
     * bytes apart; [region] limits the search; [timestampMs] is the camera's frame time. Null
     * when no code was read. Bad geometry throws [id.kasir.core.KasirException.InvalidInput].
     */
    fun frame(
        pixels: ByteArray,
        width: Int,
        height: Int,
        rowStride: Int,
        timestampMs: Long,
        region: FrameRegion? = null,
    ): CameraRead? = core.frame(pixels, width.toUInt(), height.toUInt(), rowStride.toUInt(), region, timestampMs.toULong())

    /**
     * The same for a camera's plane buffer (CameraX `ImageProxy.planes[0].buffer`), read from its
     * position without moving it; the bytes go through one reused array.
     */
    fun frame(
        plane: ByteBuffer,
        width: Int,
        height: Int,
        rowStride: Int,
        timestampMs: Long,
        region: FrameRegion? = null,
    ): CameraRead? {
        val size = plane.remaining()
        if (copy.size != size) copy = ByteArray(size)
        plane.duplicate().get(copy)
        return frame(copy, width, height, rowStride, timestampMs, region)
    }

    /** Forgets the codes in view, so the next read of any counts (after a completed sale). */
    fun reset() = core.reset()

    override fun close() = core.close()
}
