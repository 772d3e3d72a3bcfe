package id.kasir.desktop

import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.ImageComposeScene
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.platform.Font
import androidx.compose.ui.unit.Density
import id.kasir.app.ui.KasirTheme
import java.awt.image.BufferedImage
import java.io.ByteArrayInputStream
import java.io.File
import javax.imageio.ImageIO
import org.jetbrains.skia.EncodedImageFormat

/** A screen size the screenshots are taken at, in dp. */
enum class Device(val widthDp: Int, val heightDp: Int) {
    PHONE(411, 891),
    TABLET(1280, 800),
}

/**
 * Renders composables to PNG and compares them with the reviewed reference images under
 * src/test/resources/screenshots. A comparison that fails writes the rendered image and a
 * difference image (the reference faded, the changed pixels red) under target/screenshots and
 * names them; `-Dkasir.record=true` writes the rendered images as the new references instead.
 */
object Screenshots {
    /** Pixels per dp of the images: modest, so the references stay small. */
    const val DENSITY = 1f

    /** A pixel counts as changed when a channel moves by more than this (0..255). */
    private const val CHANNEL_TOLERANCE = 24

    /** A comparison fails when more than this share of the pixels changed. */
    private const val CHANGED_SHARE = 0.001

    private fun property(name: String): String =
        System.getProperty(name) ?: error("system property $name is not set (run through Maven: scripts/test-desktop.sh)")

    val recording: Boolean get() = System.getProperty("kasir.record") == "true"
    private val references: File get() = File(property("kasir.screenshots"))
    private val output: File get() = File(property("kasir.screenshots.out"))

    /** The fixed font every screenshot is drawn with (DejaVu Sans, from fonts-dejavu-core). */
    val font: FontFamily by lazy {
        val regular = File(property("kasir.screenshot.font"))
        val bold = File(property("kasir.screenshot.font.bold"))
        for (file in listOf(regular, bold)) {
            check(file.isFile) { "the screenshot font $file is missing: apt-get install fonts-dejavu-core" }
        }
        FontFamily(
            Font(regular, FontWeight.Normal),
            Font(bold, FontWeight.Medium),
            Font(bold, FontWeight.SemiBold),
            Font(bold, FontWeight.Bold),
        )
    }

    /** The fixed monospaced font of the receipts (DejaVu Sans Mono). */
    val monospace: FontFamily by lazy {
        val file = File(property("kasir.screenshot.font.mono"))
        check(file.isFile) { "the screenshot font $file is missing: apt-get install fonts-dejavu-core" }
        FontFamily(Font(file, FontWeight.Normal))
    }

    /** Draws [content] at [device]'s size with the fixed font, after letting it settle. */
    fun render(device: Device, fontScale: Float = 1f, content: @Composable () -> Unit): BufferedImage {
        val density = Density(DENSITY, fontScale)
        val scene = ImageComposeScene(
            width = (device.widthDp * DENSITY).toInt(),
            height = (device.heightDp * DENSITY).toInt(),
            density = density,
        ) {
            KasirTheme(fontFamily = font, monospace = monospace) {
                Surface(Modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background) { content() }
            }
        }
        try {
            // The first frames run the effects (state collection, layout of lazy lists); a frame
            // long after ends every animation, so the picture does not depend on timing.
            scene.render(0)
            scene.render(1_000_000_000)
            val image = scene.render(10_000_000_000)
            val png = image.encodeToData(EncodedImageFormat.PNG) ?: error("could not encode the screenshot")
            return ImageIO.read(ByteArrayInputStream(png.bytes))
        } finally {
            scene.close()
        }
    }

    /**
     * Compares [image] with the reference [name].png; throws an [AssertionError] naming the
     * rendered and the difference images when they differ.
     */
    fun verify(name: String, image: BufferedImage) {
        val reference = File(references, "$name.png")
        if (recording) {
            reference.parentFile.mkdirs()
            ImageIO.write(image, "png", reference)
            println("screenshot recorded: $reference")
            return
        }
        output.mkdirs()
        val actual = File(output, "$name.png")
        ImageIO.write(image, "png", actual)
        if (!reference.isFile) {
            throw AssertionError(
                "no reference image $reference; the screen was rendered to $actual. " +
                    "Review it and record the references with scripts/test-desktop.sh -Dkasir.record=true",
            )
        }
        val expected = ImageIO.read(reference)
        if (expected.width != image.width || expected.height != image.height) {
            throw AssertionError(
                "$name: the screen is ${image.width}x${image.height} px, its reference $reference is " +
                    "${expected.width}x${expected.height}; rendered: $actual",
            )
        }
        val diff = BufferedImage(image.width, image.height, BufferedImage.TYPE_INT_RGB)
        var changed = 0
        for (y in 0 until image.height) {
            for (x in 0 until image.width) {
                val a = image.getRGB(x, y)
                val e = expected.getRGB(x, y)
                if (differs(a, e)) {
                    changed++
                    diff.setRGB(x, y, 0xFF0000)
                } else {
                    diff.setRGB(x, y, faded(e))
                }
            }
        }
        val total = image.width * image.height
        if (changed > total * CHANGED_SHARE) {
            val diffFile = File(output, "$name.diff.png")
            ImageIO.write(diff, "png", diffFile)
            throw AssertionError(
                "$name: $changed of $total pixels differ from $reference; rendered: $actual, " +
                    "difference (changed pixels in red): $diffFile",
            )
        }
    }

    private fun differs(a: Int, b: Int): Boolean {
        for (shift in intArrayOf(0, 8, 16, 24)) {
            val ca = (a ushr shift) and 0xFF
            val cb = (b ushr shift) and 0xFF
            if (kotlin.math.abs(ca - cb) > CHANNEL_TOLERANCE) return true
        }
        return false
    }

    /** The reference pixel, lightened so that the red changes stand out. */
    private fun faded(rgb: Int): Int {
        fun ch(shift: Int) = 255 - (255 - ((rgb ushr shift) and 0xFF)) / 4
        return (ch(16) shl 16) or (ch(8) shl 8) or ch(0)
    }
}
