package id.kasir.ui

import id.kasir.core.FrameRegion
import kotlin.test.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The viewfinder drawn upright over the preview, found in camera buffers stored turned. */
class ViewfinderTest {
    @Test
    fun `an upright buffer holds the viewfinder where it is drawn`() {
        // 10%..90% across, 30%..70% down of a 1280x720 picture.
        assertEquals(FrameRegion(128u, 216u, 1024u, 288u), Viewfinder.region(0, 0, 1280, 720, 0))
    }

    @Test
    fun `a phone held upright gets a landscape buffer turned a quarter`() {
        // The sensor's 1280x720 buffer is upright once turned 90 degrees clockwise: the
        // picture is 720 wide and 1280 tall. Upright rows 30%..70% are buffer columns 30%..70%;
        // upright columns 10%..90% are buffer rows 90%..10% (the upright left is the buffer's bottom).
        assertEquals(FrameRegion(384u, 72u, 512u, 576u), Viewfinder.region(0, 0, 1280, 720, 90))
        // The frame is centred, so half a turn and three quarters give the same rows and columns.
        assertEquals(FrameRegion(128u, 216u, 1024u, 288u), Viewfinder.region(0, 0, 1280, 720, 180))
        assertEquals(FrameRegion(384u, 72u, 512u, 576u), Viewfinder.region(0, 0, 1280, 720, 270))
    }

    @Test
    fun `the visible crop places and scales the viewfinder`() {
        // Only the preview's visible part is the crop; a 400x400 buffer shows its left half,
        // 200x400. Upright the frame is at 10%..90% across, 30%..70% down of that half.
        assertEquals(FrameRegion(20u, 120u, 160u, 160u), Viewfinder.region(0, 0, 200, 400, 0))
        // Turned 90: columns 30%..70% of 200 (60..140), rows (100%-90%)..(100%-10%) of 400 (40..360).
        assertEquals(FrameRegion(60u, 40u, 80u, 320u), Viewfinder.region(0, 0, 200, 400, 90))
        // Turned 270: columns 30%..70% (60..140), rows 10%..90% (40..360), measured from the crop's corner.
        assertEquals(FrameRegion(110u, 45u, 80u, 320u), Viewfinder.region(50, 5, 200, 400, 270))
        // Turned 180: columns 10%..90% of 200 and rows 30%..70% of 400, from the far corner.
        assertEquals(FrameRegion(20u, 120u, 160u, 160u), Viewfinder.region(0, 0, 200, 400, 180))
    }

    @Test
    fun `only quarter turns and real crops`() {
        assertThrows<IllegalArgumentException> { Viewfinder.region(0, 0, 1280, 720, 45) }
        assertThrows<IllegalArgumentException> { Viewfinder.region(0, 0, 0, 720, 0) }
    }
}
