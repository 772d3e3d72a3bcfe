package id.kasir

import id.kasir.ui.CameraFrame
import java.nio.ByteBuffer

/**
 * The camera benchmark (not a test): what one camera frame costs from Kotlin, on a 1280x720
 * frame (a real photo placed in a padded camera-sized buffer) with the default formats. Two
 * numbers: a frame with the barcode (decoded, then repeats the debouncer swallows), and a frame
 * of the empty background (the decoder finds nothing, the common case between packs). Run with
 * `mvn -q test-compile exec:java -Dbench.main=id.kasir.CameraBenchmarkKt` in android/kasir
 * after scripts/bindings.sh.
 */
fun main(args: Array<String>) {
    val frames = args.firstOrNull()?.toInt() ?: 200
    val photo = CameraFrame.of("ean13/ean13-3/01", padding = 0)
    val width = 1280
    val height = 720
    val stride = 1344
    val withCode = ByteArray(stride * height) { 0xC8.toByte() }
    for (y in 0 until photo.height) {
        System.arraycopy(photo.pixels, y * photo.rowStride, withCode, (y + 240) * stride + 520, photo.width)
    }
    val empty = ByteArray(stride * height) { ((it * 7) % 31 + 180).toByte() }
    CameraScanner().use { camera ->
        fun run(pixels: ByteArray): Double {
            val plane = ByteBuffer.allocateDirect(pixels.size).put(pixels).flip()
            repeat(20) { camera.frame(plane, width, height, stride, it * 33L) }
            System.gc()
            val started = System.nanoTime()
            repeat(frames) { camera.frame(plane, width, height, stride, it * 33L) }
            return (System.nanoTime() - started).toDouble() / frames / 1_000_000
        }
        val read = camera.frame(withCode, width, height, stride, 0)
        println("1280x720 frame (stride $stride), default formats, $frames frames each; the code: ${read?.code}")
        println("  with the barcode   %7.2f ms/frame".format(run(withCode)))
        println("  without a barcode  %7.2f ms/frame".format(run(empty)))
    }
}
