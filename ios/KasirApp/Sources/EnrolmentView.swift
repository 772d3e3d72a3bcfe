// Enrolment: connect this device to the merchant's cloud account, by scanning the owner's QR
// link (`SERVER/enrol?code=CODE`) with the camera or by typing the server and the code. The
// core checks both (EnrolmentViewModel, `parseEnrolment`); a refused field is named.

import AVFoundation
import KasirKit
import KasirViewModels
import SwiftUI

struct EnrolmentView: View {
    @ObservedObject var enrolment: Observed<EnrolmentState, NoEvent>
    let language: Language
    let onBack: () -> Void
    @State private var scanning = false

    private var model: EnrolmentViewModel? { enrolment.model as? EnrolmentViewModel }
    private var state: EnrolmentState { enrolment.state }

    var body: some View {
        VStack(alignment: .leading, spacing: 0) {
            ScreenHeader(title: Words.enrolTitle.text(language), language: language, onBack: onBack)
            Form {
                if state.enrolled {
                    Text(Words.enrolled.text(language)).font(.headline).foregroundStyle(.green)
                }
                if let message = state.message { MessageView(message: message, language: language) }
                Section {
                    BigButton(title: Words.scanEnrolmentQr.text(language), enabled: !state.enrolling) { scanning = true }
                }
                Section {
                    TextField(Words.serverUrl.text(language), text: Binding(get: { state.serverUrl }, set: { model?.setServerUrl($0) }),
                              prompt: Text("https://"))
                        .keyboardType(.URL)
                        .textInputAutocapitalization(.never)
                        .autocorrectionDisabled()
                        .frame(minHeight: minTouchTarget)
                        .accessibilityLabel(Words.serverUrl.text(language))
                    TextField(Words.enrolmentCode.text(language), text: Binding(get: { state.code }, set: { model?.setCode($0) }),
                              prompt: Text("XXXX-XXXX-XXXX-XXXX"))
                        .textInputAutocapitalization(.characters)
                        .autocorrectionDisabled()
                        .font(.body.monospaced())
                        .frame(minHeight: minTouchTarget)
                        .accessibilityLabel(Words.enrolmentCode.text(language))
                    BigButton(title: (state.enrolling ? Words.enrolling : Words.enrol).text(language), enabled: !state.enrolling) {
                        Task { await model?.enrol() }
                    }
                }
            }
        }
        .sheet(isPresented: $scanning) {
            NavigationStack {
                QrScannerView { payload in
                    scanning = false
                    Task { await model?.scanned(payload) }
                }
                .ignoresSafeArea()
                .navigationTitle(Words.scanEnrolmentQr.text(language))
                .navigationBarTitleDisplayMode(.inline)
                .toolbar {
                    ToolbarItem(placement: .cancellationAction) {
                        Button(Words.cancel.text(language)) { scanning = false }
                    }
                }
            }
        }
    }
}

/// The camera looking for one QR code; the first one read is handed over as text.
struct QrScannerView: UIViewControllerRepresentable {
    let onRead: (String) -> Void

    func makeUIViewController(context: Context) -> QrScannerController {
        QrScannerController(onRead: onRead)
    }

    func updateUIViewController(_ controller: QrScannerController, context: Context) {}
}

final class QrScannerController: UIViewController, AVCaptureMetadataOutputObjectsDelegate {
    private let capture = AVCaptureSession()
    private let onRead: (String) -> Void
    private var done = false

    init(onRead: @escaping (String) -> Void) {
        self.onRead = onRead
        super.init(nibName: nil, bundle: nil)
    }

    @available(*, unavailable)
    required init?(coder: NSCoder) { fatalError("not used from a storyboard") }

    override func viewDidLoad() {
        super.viewDidLoad()
        view.backgroundColor = .black
        guard let camera = AVCaptureDevice.default(for: .video),
              let input = try? AVCaptureDeviceInput(device: camera),
              capture.canAddInput(input)
        else { return }
        capture.addInput(input)
        let output = AVCaptureMetadataOutput()
        guard capture.canAddOutput(output) else { return }
        capture.addOutput(output)
        output.setMetadataObjectsDelegate(self, queue: .main)
        output.metadataObjectTypes = [.qr]
        let preview = AVCaptureVideoPreviewLayer(session: capture)
        preview.videoGravity = .resizeAspectFill
        preview.frame = view.layer.bounds
        view.layer.addSublayer(preview)
    }

    override func viewDidLayoutSubviews() {
        super.viewDidLayoutSubviews()
        view.layer.sublayers?.first?.frame = view.layer.bounds
    }

    override func viewWillAppear(_ animated: Bool) {
        super.viewWillAppear(animated)
        let capture = self.capture
        DispatchQueue.global(qos: .userInitiated).async { capture.startRunning() }
    }

    override func viewWillDisappear(_ animated: Bool) {
        super.viewWillDisappear(animated)
        capture.stopRunning()
    }

    func metadataOutput(_ output: AVCaptureMetadataOutput, didOutput objects: [AVMetadataObject],
                        from connection: AVCaptureConnection) {
        guard !done, let code = objects.compactMap({ $0 as? AVMetadataMachineReadableCodeObject }).first?.stringValue
        else { return }
        done = true
        onRead(code)
    }
}
