import Foundation

// The till's shifts (the same calls as the Kotlin `Kasir` wrapper): the staff sign-in once the
// store has staff, opening with a float, cash paid in and out with a reason, the close with the
// counted cash and its Z report. Short, synchronous calls into the local store.
extension KasirStore {
    /// Whether the till asks for a staff sign-in: true once a staff member is active.
    public func staffRequired() throws -> Bool {
        try core.staffRequired()
    }

    /// Signs `name` in with `pin`; a wrong PIN is `InvalidInput` naming `pin`.
    public func signIn(name: String, pin: String) throws -> StaffMember {
        try core.signIn(name: name, pin: pin)
    }

    /// Adds a staff member with a new `pin`; the first must be a manager, later ones need a
    /// manager as `by`.
    @discardableResult
    public func addStaff(name: String, role: StaffRole, pin: String, by: StaffSignIn? = nil) throws -> StaffMember {
        try core.addStaff(name: name, role: role, pin: pin, by: by)
    }

    /// The open shift's report (its X report), or nil when no shift is open.
    public func currentShift() throws -> ShiftReport? {
        try core.currentShift()
    }

    /// The report of shift `number`, or of the open (else the last) shift.
    public func shiftReport(number: Int? = nil) throws -> ShiftReport {
        try core.shiftReport(number: number.map { UInt32(clamping: $0) })
    }

    /// Opens a shift with `float` in the drawer; `by` signs in once the store has staff.
    public func openShift(float: Decimal, by: StaffSignIn? = nil) throws -> ShiftReport {
        try core.openShift(openingFloat: float, by: by)
    }

    /// Cash put into the open shift's drawer, with the `reason`.
    @discardableResult
    public func payIn(_ amount: Decimal, reason: String, by: StaffSignIn? = nil) throws -> CashMove {
        try core.moveCash(kind: .payIn, amount: amount, reason: reason, by: by)
    }

    /// Cash taken out of the open shift's drawer, with the `reason`.
    @discardableResult
    public func payOut(_ amount: Decimal, reason: String, by: StaffSignIn? = nil) throws -> CashMove {
        try core.moveCash(kind: .payOut, amount: amount, reason: reason, by: by)
    }

    /// Closes the open shift with the `counted` cash; returns its Z report.
    public func closeShift(counted: Decimal, by: StaffSignIn? = nil) throws -> ShiftReport {
        try core.closeShift(counted: counted, by: by)
    }
}
