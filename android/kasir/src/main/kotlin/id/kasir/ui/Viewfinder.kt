package id.kasir.ui

import id.kasir.core.FrameRegion

/**
 * The part of the camera picture the register decodes, drawn as a frame over the preview. Its
 * edges are thousandths of the picture as the clerk sees it (upright, the part the preview shows);
 * [region] turns them into the rows and columns of a camera buffer, so that what is inside the
 * drawn frame is what the core reads, and a code elsewhere in the picture is not scanned.
 */
object Viewfinder {
    /** Thousandths of the picture's width or height (whole numbers, so every platform rounds alike). */
    const val LEFT = 100
    const val TOP = 300
    const val RIGHT = 900
    const val BOTTOM = 700
    private const val WHOLE = 1000

    /**
     * The viewfinder in a buffer whose visible part is the crop rectangle ([cropLeft],
     * [cropTop], [cropWidth] x [cropHeight], the whole buffer when the preview shows it all),
     * stored turned: the picture is upright once the buffer is rotated clockwise by
     * [rotationDegrees] (0, 90, 180 or 270; CameraX's `ImageInfo.rotationDegrees`).
     */
    fun region(cropLeft: Int, cropTop: Int, cropWidth: Int, cropHeight: Int, rotationDegrees: Int): FrameRegion {
        require(cropWidth > 0 && cropHeight > 0) { "the crop is ${cropWidth}x$cropHeight" }
        // The upright edges as thousandths of the buffer: x0..x1 across, y0..y1 down.
        val (x0, x1, y0, y1) = when (Math.floorMod(rotationDegrees, 360)) {
            0 -> listOf(LEFT, RIGHT, TOP, BOTTOM)
            90 -> listOf(TOP, BOTTOM, WHOLE - RIGHT, WHOLE - LEFT)
            180 -> listOf(WHOLE - RIGHT, WHOLE - LEFT, WHOLE - BOTTOM, WHOLE - TOP)
            270 -> listOf(WHOLE - BOTTOM, WHOLE - TOP, LEFT, RIGHT)
            else -> throw IllegalArgumentException("rotation $rotationDegrees is not a quarter turn")
        }
        val left = cropLeft + x0 * cropWidth / WHOLE
        val right = cropLeft + x1 * cropWidth / WHOLE
        val top = cropTop + y0 * cropHeight / WHOLE
        val bottom = cropTop + y1 * cropHeight / WHOLE
        return FrameRegion(left.toUInt(), top.toUInt(), (right - left).toUInt(), (bottom - top).toUInt())
    }
}
