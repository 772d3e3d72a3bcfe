// Camera scanning for queue-busting: AVFoundation video frames into the core's decoder.
// Each frame's luminance plane (plane 0 of kCVPixelFormatType_420YpCbCr8BiPlanarFullRange) is
// handed to FrameScanner on the capture queue; a new read is scanned into the register's sale
// on the main actor, whose ScanEvent plays the sound or haptic. Repeats are the core's call.

import AVFoundation
import Foundation
import KasirKit
import KasirViewModels
import SwiftUI
import UIKit

/// The camera's picture while scanning: the capture session's own preview layer, so what the
/// clerk aims with is what the decoder is given.
struct CameraPreview: UIViewRepresentable {
    let session: AVCaptureSession

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        view.previewLayer.session = session
        view.previewLayer.videoGravity = .resizeAspectFill
        return view
    }

    func updateUIView(_ view: PreviewView, context: Context) {}

    final class PreviewView: UIView {
        override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }
        // The layer is of `layerClass` by UIKit's contract.
        var previewLayer: AVCaptureVideoPreviewLayer { layer as! AVCaptureVideoPreviewLayer }
    }
}

final class CameraScan: NSObject, AVCaptureVideoDataOutputSampleBufferDelegate, @unchecked Sendable {
    // @unchecked: `capture` is configured once in `start` and then only started and stopped;
    // the delegate runs on `queue` alone.
    let capture = AVCaptureSession()
    private let queue = DispatchQueue(label: "id.kasir.camera")
    private let scanner: FrameScanner
    private let onNewCode: @MainActor (String) -> Void

    init(onNewCode: @escaping @MainActor (String) -> Void) throws {
        scanner = try FrameScanner()
        self.onNewCode = onNewCode
    }

    /// Asks for the camera (the first time; NSCameraUsageDescription says why) and starts it.
    /// False when the camera is denied or missing: the register still scans and types codes.
    func start() async -> Bool {
        guard await AVCaptureDevice.requestAccess(for: .video),
              let camera = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back),
              let input = try? AVCaptureDeviceInput(device: camera)
        else { return false }
        let output = AVCaptureVideoDataOutput()
        output.videoSettings = [
            kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_420YpCbCr8BiPlanarFullRange,
        ]
        // Frames that arrive while one is being decoded are dropped, not queued.
        output.alwaysDiscardsLateVideoFrames = true
        output.setSampleBufferDelegate(self, queue: queue)
        capture.beginConfiguration()
        capture.sessionPreset = .hd1280x720
        guard capture.canAddInput(input), capture.canAddOutput(output) else {
            capture.commitConfiguration()
            return false
        }
        capture.addInput(input)
        capture.addOutput(output)
        capture.commitConfiguration()
        queue.async { self.capture.startRunning() }
        return true
    }

    func stop() {
        queue.async { self.capture.stopRunning() }
    }

    func captureOutput(_ output: AVCaptureOutput, didOutput sampleBuffer: CMSampleBuffer,
                       from connection: AVCaptureConnection) {
        guard let pixels = CMSampleBufferGetImageBuffer(sampleBuffer) else { return }
        CVPixelBufferLockBaseAddress(pixels, .readOnly)
        defer { CVPixelBufferUnlockBaseAddress(pixels, .readOnly) }
        guard let base = CVPixelBufferGetBaseAddressOfPlane(pixels, 0) else { return }
        let width = CVPixelBufferGetWidthOfPlane(pixels, 0)
        let height = CVPixelBufferGetHeightOfPlane(pixels, 0)
        let rowStride = CVPixelBufferGetBytesPerRowOfPlane(pixels, 0)
        // The one copy: the bindings pass the bytes to the core as one buffer.
        let luminance = Data(bytes: base, count: rowStride * height)
        let time = CMSampleBufferGetPresentationTimeStamp(sampleBuffer)
        let timestampMs = UInt64(max(0, CMTimeGetSeconds(time) * 1000))
        // A frame the core refuses is dropped; the next one follows in milliseconds.
        guard let read = try? scanner.frame(luminance, width: width, height: height, rowStride: rowStride,
                                            timestampMs: timestampMs),
              read.isNew
        else { return }
        let code = read.code
        let onNewCode = self.onNewCode
        Task { @MainActor in onNewCode(code) }
    }
}
