// Enrolling the device with the cloud account: scan the owner's enrolment QR or type the code.

import Foundation
import KasirKit

/// What the enrolment screen draws.
public struct EnrolmentState: Equatable, Sendable {
    /// The server address as typed (or read from the QR code).
    public var serverUrl = ""
    /// The enrolment code as typed (or read from the QR code).
    public var code = ""
    /// Whether the enrolment call is under way.
    public var busy = false
    /// Whether this device is enrolled.
    public var enrolled = false
    /// Why the last attempt failed, or a confirmation.
    public var message: UiMessage?
}

/// The enrolment screen (Kotlin `EnrolmentViewModel`).
@MainActor
public final class EnrolmentViewModel: ViewModel<EnrolmentState, NoEvent> {
    private let kasir: KasirStore
    private let language: Language

    public init(kasir: KasirStore, language: Language) {
        self.kasir = kasir
        self.language = language
        super.init(state: EnrolmentState())
    }

    /// Reads whether the device is enrolled already (the screen is then skipped).
    public func refresh() async {
        guard let status = try? await kasir.syncStatus() else { return }
        update {
            $0.enrolled = status.enrolled
            if let server = status.serverUrl { $0.serverUrl = server }
        }
    }

    public func setServerUrl(_ text: String) {
        update {
            $0.serverUrl = text
            $0.message = nil
        }
    }

    public func setCode(_ text: String) {
        update {
            $0.code = text
            $0.message = nil
        }
    }

    /// A QR code read by the camera: the owner's enrolment link (`SERVER/enrol?code=CODE`)
    /// fills in both fields and enrols at once; a bare code fills in the code.
    public func scanned(_ payload: String) async {
        do {
            let request = try parseEnrolment(text: payload, serverUrl: nil)
            update {
                $0.serverUrl = request.serverUrl
                $0.code = request.code
                $0.message = nil
            }
            await enrol()
        } catch {
            // Not a link: a code alone, checked when the clerk presses Connect.
            update {
                $0.code = payload.trimmingCharacters(in: .whitespacesAndNewlines)
                $0.message = nil
            }
        }
    }

    /// Enrols with the server and code on screen. The core checks both first; the message
    /// names the field at fault.
    public func enrol() async {
        guard !state.busy else { return }
        let request: EnrolmentRequest
        do {
            request = try parseEnrolment(text: state.code, serverUrl: state.serverUrl)
        } catch {
            update { $0.message = UiMessage.of(error, language) }
            return
        }
        update {
            $0.busy = true
            $0.message = nil
        }
        do {
            guard let url = URL(string: request.serverUrl) else {
                throw KasirError.InvalidInput(field: "server_url", reason: "`\(request.serverUrl)` is not a URL")
            }
            try await kasir.enrol(server: url, code: request.code)
            update {
                $0.busy = false
                $0.enrolled = true
                $0.serverUrl = request.serverUrl
                $0.code = request.code
                $0.message = UiMessage.of(.enrolled, language)
            }
        } catch {
            update {
                $0.busy = false
                $0.message = UiMessage.of(error, language)
            }
        }
    }
}
