package id.kasir.desktop

import androidx.compose.ui.awt.ComposeWindow
import id.kasir.app.ui.KasirRegisterApp
import id.kasir.app.ui.KasirTheme
import id.kasir.app.ui.Platform
import id.kasir.ui.Language
import id.kasir.ui.MemoryPreferences
import java.awt.GraphicsEnvironment
import java.awt.Rectangle
import java.awt.Robot
import java.awt.image.BufferedImage
import java.io.File
import javax.imageio.ImageIO
import javax.swing.SwingUtilities
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/**
 * The desktop build as a user runs it: the register in a real window on the X display (Xvfb
 * under scripts/test-desktop.sh), read back from the screen.
 */
class WindowTest {
    /** The selected category chip's fill (the theme's secondaryContainer). */
    private val chipColour = 0xCCE8E2

    @Test
    fun the_register_opens_in_a_window_on_the_display() {
        check(!GraphicsEnvironment.isHeadless()) {
            "this test needs an X display: run it through scripts/test-desktop.sh, which starts Xvfb"
        }
        sampleStore().use { kasir ->
            lateinit var window: ComposeWindow
            SwingUtilities.invokeAndWait {
                window = ComposeWindow()
                window.title = "Kasir"
                window.setSize(1024, 700)
                window.setLocation(0, 0)
                window.setContent {
                    KasirTheme {
                        KasirRegisterApp(kasir, Platform(MemoryPreferences(language = Language.ID), syncRefreshMillis = 0))
                    }
                }
                window.isVisible = true
            }
            try {
                val robot = Robot()
                var shot: BufferedImage
                var filled: Int
                var tries = 0
                // The first frames take a moment on a software renderer: look again until the window is drawn.
                do {
                    robot.delay(250)
                    robot.waitForIdle()
                    val bounds = window.contentPane.let { Rectangle(it.locationOnScreen, it.size) }
                    shot = robot.createScreenCapture(bounds)
                    filled = count(shot, chipColour)
                } while (filled < 500 && ++tries < 80)
                val out = File(System.getProperty("kasir.screenshots.out") ?: "target/screenshots").apply { mkdirs() }
                ImageIO.write(shot, "png", File(out, "window.png"))
                assertTrue(window.isShowing, "the window is not showing")
                assertTrue(filled >= 500, "the register was not drawn in the window (see ${File(out, "window.png")})")
            } finally {
                SwingUtilities.invokeAndWait { window.dispose() }
            }
        }
    }

    private fun count(image: BufferedImage, rgb: Int): Int {
        var n = 0
        for (y in 0 until image.height) for (x in 0 until image.width) if (image.getRGB(x, y) and 0xFFFFFF == rgb) n++
        return n
    }
}
