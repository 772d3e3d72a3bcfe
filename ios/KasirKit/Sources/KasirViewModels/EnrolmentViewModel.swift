// Enrolling the device with the cloud account: scan the owner's enrolment QR or type the code
// (Kotlin `EnrolmentViewModel`).

import Foundation
import KasirKit

/// The enrolment screen.
public struct EnrolmentState: Equatable, Sendable {
    public var serverUrl = ""
    public var code = ""
    public var enrolling = false
    public var enrolled = false
    /// What is wrong; its `field` is `code` or `server_url` for the screen to mark.
    public var message: UiMessage?
}

/// Enrols the device with the cloud account. The core reads and checks the code (16 letters
/// and digits, dashes and case ignored, `O`/`I`/`L` read as `0`/`1`) and the enrolment QR code
/// (`SERVER/enrol?code=CODE`), and trades the code for the device token.
@MainActor
public final class EnrolmentViewModel: ViewModel<EnrolmentState, NoEvent> {
    private let kasir: KasirStore
    public let language: Language

    public init(kasir: KasirStore, language: Language, serverUrl: String = "") {
        self.kasir = kasir
        self.language = language
        let enrolled = (try? kasir.core.syncStatus().enrolled) ?? false
        super.init(state: EnrolmentState(serverUrl: serverUrl, enrolled: enrolled))
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

    private func checked(_ read: () throws -> EnrolmentRequest) -> EnrolmentRequest? {
        attempt(language, { message in update { $0.message = message } }, read)
    }

    /// A scanned enrolment QR code: fills in the server and the code and enrols.
    @discardableResult
    public func scanned(_ payload: String) async -> Bool {
        guard let request = checked({ try parseEnrolment(text: payload, serverUrl: nil) }) else { return false }
        update {
            $0.serverUrl = request.serverUrl
            $0.code = request.code
        }
        return await enrol(request)
    }

    /// Enrols with the typed server and code; a refused field is named in the message.
    @discardableResult
    public func enrol() async -> Bool {
        let typed = state
        guard let request = checked({ try parseEnrolment(text: typed.code, serverUrl: typed.serverUrl) }) else {
            return false
        }
        return await enrol(request)
    }

    private func enrol(_ request: EnrolmentRequest) async -> Bool {
        update {
            $0.enrolling = true
            $0.message = nil
            $0.code = request.code
            $0.serverUrl = request.serverUrl
        }
        do {
            _ = try await kasir.core.enrol(serverUrl: request.serverUrl, code: request.code)
            update {
                $0.enrolling = false
                $0.enrolled = true
            }
            return true
        } catch {
            let message = UiMessage.of(error, language)
            update {
                $0.enrolling = false
                $0.message = message
            }
            return false
        }
    }
}
