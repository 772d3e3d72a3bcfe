// The part of the camera picture the register decodes (Kotlin `Viewfinder`), drawn as a frame
// over the preview and given to the core as the frame's region.

import KasirKit

/// The viewfinder's edges are thousandths of the picture as the clerk sees it (upright, the part
/// the preview shows); `region` turns them into the rows and columns of a camera buffer, so that
/// what is inside the drawn frame is what the core reads.
public enum Viewfinder {
    /// Thousandths of the picture's width or height (whole numbers, so every platform rounds alike).
    public static let left = 100
    public static let top = 300
    public static let right = 900
    public static let bottom = 700
    private static let whole = 1000

    /// The viewfinder in a buffer whose visible part is the crop rectangle (the whole buffer when
    /// the preview shows it all), stored turned: the picture is upright once the buffer is rotated
    /// clockwise by `rotationDegrees` (0, 90, 180 or 270). Nil for another angle or an empty crop.
    public static func region(cropLeft: Int, cropTop: Int, cropWidth: Int, cropHeight: Int,
                              rotationDegrees: Int) -> FrameRegion? {
        guard cropWidth > 0, cropHeight > 0 else { return nil }
        let edges: (x0: Int, x1: Int, y0: Int, y1: Int)
        switch ((rotationDegrees % 360) + 360) % 360 {
        case 0: edges = (left, right, top, bottom)
        case 90: edges = (top, bottom, whole - right, whole - left)
        case 180: edges = (whole - right, whole - left, whole - bottom, whole - top)
        case 270: edges = (whole - bottom, whole - top, left, right)
        default: return nil
        }
        let x0 = cropLeft + edges.x0 * cropWidth / whole
        let x1 = cropLeft + edges.x1 * cropWidth / whole
        let y0 = cropTop + edges.y0 * cropHeight / whole
        let y1 = cropTop + edges.y1 * cropHeight / whole
        return FrameRegion(left: UInt32(x0), top: UInt32(y0), width: UInt32(x1 - x0), height: UInt32(y1 - y0))
    }
}
