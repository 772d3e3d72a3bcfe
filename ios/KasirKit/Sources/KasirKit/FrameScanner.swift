import Foundation

/// Decodes a camera's frames in the core: one per camera preview, fed each frame's luminance
/// (Y) plane. The core decodes and decides: a read is new (``CameraRead/isNew``: add it to the
/// sale, play the sound) or a repeat of a code still in view, to ignore. Nothing is decided here.
public final class FrameScanner: Sendable {
    /// The generated object, for anything this wrapper does not cover.
    public let core: CameraScanner

    /// A scanner with `options` (the retail codes, Code 128 and QR Code, a 1 s quiet time
    /// without); options without a format are refused with ``KasirError/InvalidInput(field:reason:)``.
    public init(options: CameraOptions = defaultCameraOptions()) throws {
        core = try CameraScanner(options: options)
    }

    /// Decodes one frame: `pixels` holds `height` rows of `width` luminance bytes, `rowStride`
    /// bytes apart (a camera's bytes-per-row); `region` limits the search; `timestampMs` is the
    /// frame's presentation time. `nil` when no code was read.
    public func frame(_ pixels: Data, width: Int, height: Int, rowStride: Int, timestampMs: UInt64,
                      region: FrameRegion? = nil) throws -> CameraRead? {
        try core.frame(pixels: pixels, width: UInt32(clamping: width), height: UInt32(clamping: height),
                       rowStride: UInt32(clamping: rowStride), region: region, timestampMs: timestampMs)
    }

    /// Forgets the codes in view, so the next read of any counts (after a completed sale).
    public func reset() throws {
        try core.reset()
    }
}

extension KasirStore {
    /// Imports catalog rows in Kasir's CSV layout (`gtin,sku,name,price,tax_category,unit,category,stock`),
    /// adding or updating items by GTIN; one bad row refuses all of them. Returns the items written.
    @discardableResult
    public func importCatalog(_ csv: String) throws -> Int {
        Int(try core.importCatalog(csv: csv))
    }
}
