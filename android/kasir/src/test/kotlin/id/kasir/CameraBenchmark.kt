package id.kasir

import id.kasir.core.FrameRegion
import id.kasir.ui.CameraFrame
import java.nio.ByteBuffer

/**
 * The camera benchmark (not a test): what one camera frame costs from Kotlin, on a 1280x720
 * frame (a real photo placed in a padded camera-sized buffer) with the default formats, against
 * the library JNA loads (target/debug unless told otherwise: an unoptimised build is much slower). Two
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
    // The 240x240 photo at twice its size, as a pack held close fills more of the frame.
    for (y in 0 until photo.height * 2) {
        for (x in 0 until photo.width * 2) {
            withCode[(y + 120) * stride + 400 + x] = photo.pixels[(y / 2) * photo.rowStride + x / 2]
        }
    }
    val empty = ByteArray(stride * height) { ((it * 7) % 31 + 180).toByte() }
    CameraScanner().use { camera ->
        fun run(pixels: ByteArray, region: FrameRegion? = null): Double {
            val plane = ByteBuffer.allocateDirect(pixels.size).put(pixels).flip()
            repeat(20) { camera.frame(plane, width, height, stride, it * 33L, region) }
            System.gc()
            val started = System.nanoTime()
            repeat(frames) { camera.frame(plane, width, height, stride, it * 33L, region) }
            return (System.nanoTime() - started).toDouble() / frames / 1_000_000
        }
        // The area where a scanning screen's viewfinder would sit.
        val viewfinder = FrameRegion(320u, 80u, 640u, 560u)
        val wholeRead = camera.frame(withCode, width, height, stride, 0)?.code
        val viewfinderRead = camera.frame(withCode, width, height, stride, 0, viewfinder)?.code
        println("1280x720 frame (stride $stride), default formats, $frames frames each")
        println("  whole frame, photo pasted in (read: $wholeRead)  %7.2f ms/frame".format(run(withCode)))
        println("  whole frame, no barcode                 %7.2f ms/frame".format(run(empty)))
        println("  viewfinder, photo pasted in (read: $viewfinderRead)  %7.2f ms/frame".format(run(withCode, viewfinder)))
        println("  viewfinder, no barcode                  %7.2f ms/frame".format(run(empty, viewfinder)))
    }
    // The photo alone as a padded 240x240 frame, which decodes: a read and its repeats.
    val small = CameraFrame.of("ean13/ean13-3/01", padding = 64)
    CameraScanner().use { camera ->
        val read = camera.frame(small.pixels, small.width, small.height, small.rowStride, 0)?.code
        repeat(20) { camera.frame(small.pixels, small.width, small.height, small.rowStride, it * 33L) }
        val started = System.nanoTime()
        repeat(frames) { camera.frame(small.pixels, small.width, small.height, small.rowStride, it * 33L) }
        val perFrame = (System.nanoTime() - started).toDouble() / frames / 1_000_000
        println("240x240 photo frame (stride ${small.rowStride}), read $read  %7.2f ms/frame".format(perFrame))
    }
}
