import Foundation

extension KasirError {
    /// The field at fault, for an `InvalidInput` error (to point the clerk at it).
    public var field: String? {
        if case .InvalidInput(let field, _) = self { return field }
        return nil
    }

    /// Whether trying again later, unchanged, may succeed (the network, a busy device).
    public var isTransient: Bool {
        switch self {
        case .Network, .DeviceUnavailable: return true
        default: return false
        }
    }

    /// What to tell the clerk, in a sentence.
    public var message: String {
        switch self {
        case .NotFound(let what, let key): return "\(what) \(key) not found"
        case .InvalidInput(let field, let reason): return "\(field): \(reason)"
        case .NotAllowed(let reason): return reason
        case .Declined(let reason): return "declined: \(reason)"
        case .DeviceUnavailable(let reason): return "device unavailable: \(reason)"
        case .Storage(let reason): return "storage: \(reason)"
        case .Network(let reason): return "network: \(reason)"
        case .NotEnrolled: return "this device is not enrolled with a cloud account"
        case .Cancelled: return "cancelled"
        case .Internal(let reason): return "internal error: \(reason)"
        }
    }
}
