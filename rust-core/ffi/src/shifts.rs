//! The till's shifts for the register apps: open with a float, cash paid in and out with a
//! reason, close with the counted cash, and the Z report (the X report while a shift is open).
//!
//! Once the store has staff, each of these needs a staff sign-in (a name and a PIN), as at the
//! terminal register; before that the till asks for nobody. The amounts are checked by the
//! store (the currency's minor units, never negative) so that a screen refuses what the
//! terminal refuses, with the same field names.

use std::time::SystemTime;

use kasir_domain::Decimal;
use kasir_store::shifts::{self, CashMoveKind as StoreCashMoveKind};
use kasir_store::staff::{self, Role};
use kasir_store::{Store, StoreError};

use crate::error::KasirError;
use crate::kasir::Kasir;
use crate::views::{TenderTotal, timestamp};

/// Who does something at the till: a staff member's name and PIN.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StaffSignIn {
    /// The staff member's name, as added.
    pub name: String,
    /// Their PIN, 4 to 8 digits. Never stored or logged.
    pub pin: String,
}

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum StaffRole {
    /// Rings sales, opens and closes shifts, pays cash in and out.
    Cashier,
    /// Also approves refunds, voids, discounts over the limit and adding staff.
    Manager,
}

impl From<Role> for StaffRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Cashier => StaffRole::Cashier,
            Role::Manager => StaffRole::Manager,
        }
    }
}

impl From<StaffRole> for Role {
    fn from(role: StaffRole) -> Self {
        match role {
            StaffRole::Cashier => Role::Cashier,
            StaffRole::Manager => Role::Manager,
        }
    }
}

/// A staff member (never with the PIN).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StaffMember {
    /// The name, printed on receipts and reports.
    pub name: String,
    /// The role.
    pub role: StaffRole,
    /// Whether they may still sign in.
    pub active: bool,
}

impl From<staff::StaffMember> for StaffMember {
    fn from(m: staff::StaffMember) -> Self {
        StaffMember {
            name: m.name,
            role: m.role.into(),
            active: m.active,
        }
    }
}

/// Cash that moves in or out of the drawer besides sales and refunds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CashMoveKind {
    /// Cash put into the drawer (change brought from the safe).
    PayIn,
    /// Cash taken out (a supplier paid from the till).
    PayOut,
}

/// A recorded pay in or pay out.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CashMove {
    /// The shift's number.
    pub shift: u32,
    /// In or out.
    pub kind: CashMoveKind,
    /// The amount, above zero.
    pub amount: Decimal,
    /// Why, as the clerk typed it.
    pub reason: String,
    /// Who, once the store has staff.
    pub staff: Option<String>,
    /// When.
    pub created_at: Option<SystemTime>,
}

/// The tips of one staff member's sales in a shift.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StaffTipTotal {
    /// Who rang the sales; `None` for sales rung without a sign-in.
    pub staff: Option<String>,
    /// Sales with a tip.
    pub sales: u64,
    /// Tips taken.
    pub tips: Decimal,
    /// Tips given back by refunds.
    pub refunded: Decimal,
    /// `tips - refunded`.
    pub net: Decimal,
}

/// A shift's report: the X report while it is open, the Z report once it is closed.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ShiftReport {
    /// The shift's number on this device.
    pub shift: u32,
    /// Whether it is closed.
    pub closed: bool,
    /// When it opened.
    pub opened_at: Option<SystemTime>,
    /// Who opened it.
    pub opened_by: Option<String>,
    /// When it closed.
    pub closed_at: Option<SystemTime>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// The store's currency (`IDR`).
    pub currency: String,
    /// Number of sales in the shift.
    pub sales: u64,
    /// Their totals.
    pub sales_total: Decimal,
    /// The opening float.
    pub float: Decimal,
    /// Cash tendered for sales.
    pub cash_tendered: Decimal,
    /// Change given.
    pub cash_change: Decimal,
    /// Cash given back by refunds.
    pub cash_refunds: Decimal,
    /// Cash paid in.
    pub pay_ins: Decimal,
    /// Cash paid out.
    pub pay_outs: Decimal,
    /// `float + cash_tendered - cash_change - cash_refunds + pay_ins - pay_outs`.
    pub expected_cash: Decimal,
    /// What was counted at the close.
    pub counted_cash: Option<Decimal>,
    /// `counted - expected` (negative: cash is missing).
    pub difference: Option<Decimal>,
    /// Takings per tender method (amount less change).
    pub tenders: Vec<TenderTotal>,
    /// Number of refunds in the shift, voids included.
    pub refunds: u64,
    /// What they gave back.
    pub refunds_total: Decimal,
    /// Tips per staff member who rang the sales.
    pub tips_by_staff: Vec<StaffTipTotal>,
}

impl From<shifts::ShiftReport> for ShiftReport {
    fn from(r: shifts::ShiftReport) -> Self {
        ShiftReport {
            shift: r.shift,
            closed: r.closed,
            opened_at: timestamp(Some(r.opened_at)),
            opened_by: r.opened_by,
            closed_at: timestamp(r.closed_at),
            closed_by: r.closed_by,
            currency: r.currency,
            sales: r.sales,
            sales_total: r.sales_total,
            float: r.float,
            cash_tendered: r.cash_tendered,
            cash_change: r.cash_change,
            cash_refunds: r.cash_refunds,
            pay_ins: r.pay_ins,
            pay_outs: r.pay_outs,
            expected_cash: r.expected_cash,
            counted_cash: r.counted_cash,
            difference: r.difference,
            tenders: r
                .tenders
                .into_iter()
                .map(|t| TenderTotal {
                    method: t.method,
                    count: t.count,
                    amount: t.amount,
                })
                .collect(),
            refunds: r.refunds.count,
            refunds_total: r.refunds.total,
            tips_by_staff: r
                .tips_by_staff
                .into_iter()
                .map(|t| StaffTipTotal {
                    staff: t.staff,
                    sales: t.sales,
                    tips: t.tips,
                    refunded: t.refunded,
                    net: t.net,
                })
                .collect(),
        }
    }
}

/// The staff member signed in for `action` once the store has staff (`None` before). Without a
/// sign-in then, `InvalidInput` names `staff`; a wrong PIN names `pin`.
fn signed_in(
    store: &Store,
    by: Option<&StaffSignIn>,
    action: &str,
) -> Result<Option<String>, KasirError> {
    if !store.staff_required()? {
        return Ok(None);
    }
    let by = by.ok_or_else(|| {
        KasirError::invalid(
            "staff",
            format!("to {action} needs a staff sign-in: a name and a PIN"),
        )
    })?;
    Ok(Some(store.sign_in(&by.name, &by.pin)?.name))
}

/// The manager approving `action` once the store has staff (`None` before).
fn approved(
    store: &Store,
    by: Option<&StaffSignIn>,
    action: &str,
) -> Result<Option<String>, KasirError> {
    if !store.staff_required()? {
        return Ok(None);
    }
    let by = by.ok_or_else(|| {
        KasirError::invalid(
            "staff",
            format!("to {action} needs a manager's sign-in: a name and a PIN"),
        )
    })?;
    Ok(Some(store.approve(&by.name, &by.pin, action)?.name))
}

#[uniffi::export]
impl Kasir {
    /// Whether the till asks for a staff sign-in: true once a staff member is active.
    pub fn staff_required(&self) -> Result<bool, KasirError> {
        Ok(self.shared.store()?.staff_required()?)
    }

    /// Signs `name` in with `pin`. A wrong PIN is `InvalidInput` naming `pin`; an unknown name
    /// is `NotFound`; a disabled one is `NotAllowed`.
    pub fn sign_in(&self, name: String, pin: String) -> Result<StaffMember, KasirError> {
        Ok(self.shared.store()?.sign_in(&name, &pin)?.into())
    }

    /// Adds a staff member with a new `pin`. The first must be a manager; after that a manager
    /// signs in as `by`.
    pub fn add_staff(
        &self,
        name: String,
        role: StaffRole,
        pin: String,
        by: Option<StaffSignIn>,
    ) -> Result<StaffMember, KasirError> {
        let mut store = self.shared.store()?;
        approved(&store, by.as_ref(), "add staff")?;
        Ok(store.add_staff(&name, role.into(), &pin)?.into())
    }

    /// Lifts `name`'s PIN lockout (after too many wrong PINs in a row); a manager signs in as
    /// `by`.
    pub fn unlock_staff(
        &self,
        name: String,
        by: Option<StaffSignIn>,
    ) -> Result<StaffMember, KasirError> {
        let mut store = self.shared.store()?;
        approved(&store, by.as_ref(), "lift a PIN lockout")?;
        Ok(store.unlock_staff(&name)?.into())
    }

    /// The open shift's report (its X report), or `None` when no shift is open.
    pub fn current_shift(&self) -> Result<Option<ShiftReport>, KasirError> {
        match self.shared.store()?.shift_report(None) {
            Ok(report) if !report.closed => Ok(Some(report.into())),
            Ok(_) | Err(StoreError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The report of shift `number`, or of the open (else the last) shift without one.
    pub fn shift_report(&self, number: Option<u32>) -> Result<ShiftReport, KasirError> {
        Ok(self.shared.store()?.shift_report(number)?.into())
    }

    /// Opens a shift with `opening_float` counted into the drawer; returns its report. Refused
    /// while another shift is open; a negative float, or one finer than the currency's minor
    /// units, is `InvalidInput` naming `float`. (Not `float`, a keyword of the C header.)
    pub fn open_shift(
        &self,
        opening_float: Decimal,
        by: Option<StaffSignIn>,
    ) -> Result<ShiftReport, KasirError> {
        let mut store = self.shared.store()?;
        let staff = signed_in(&store, by.as_ref(), "open a shift")?;
        let number = store.open_shift(opening_float, staff.as_deref())?;
        Ok(store.shift_report(Some(number))?.into())
    }

    /// Records cash paid into or out of the open shift's drawer, with the `reason`. The amount
    /// must be above zero (`InvalidInput` naming `amount`), the reason not blank (naming
    /// `reason`); without an open shift it is `NotAllowed`.
    pub fn move_cash(
        &self,
        kind: CashMoveKind,
        amount: Decimal,
        reason: String,
        by: Option<StaffSignIn>,
    ) -> Result<CashMove, KasirError> {
        let (store_kind, action) = match kind {
            CashMoveKind::PayIn => (StoreCashMoveKind::PayIn, "pay in"),
            CashMoveKind::PayOut => (StoreCashMoveKind::PayOut, "pay out"),
        };
        let mut store = self.shared.store()?;
        let staff = signed_in(&store, by.as_ref(), action)?;
        let moved = store.record_cash_move(store_kind, amount, &reason, staff.as_deref())?;
        Ok(CashMove {
            shift: moved.shift.ok_or_else(|| KasirError::Internal {
                reason: "a pay in or out was recorded without its shift".into(),
            })?,
            kind,
            amount: moved.amount,
            reason: moved.reason,
            staff: moved.staff,
            created_at: timestamp(Some(moved.created_at)),
        })
    }

    /// Closes the open shift with the `counted` cash; returns its Z report (expected, counted,
    /// difference, takings per tender, tips per staff). `NotAllowed` when no shift is open.
    pub fn close_shift(
        &self,
        counted: Decimal,
        by: Option<StaffSignIn>,
    ) -> Result<ShiftReport, KasirError> {
        let mut store = self.shared.store()?;
        let staff = signed_in(&store, by.as_ref(), "close a shift")?;
        Ok(store.close_shift(counted, staff.as_deref())?.into())
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::test_support::kasir;

    fn by(name: &str, pin: &str) -> Option<StaffSignIn> {
        Some(StaffSignIn {
            name: name.into(),
            pin: pin.into(),
        })
    }

    #[test]
    fn a_shift_opens_moves_cash_and_closes_with_the_difference() {
        let dir = tempfile::tempdir().unwrap();
        let kasir = kasir(&dir);
        assert_eq!(kasir.current_shift().unwrap(), None);

        let opened = kasir.open_shift(dec!(200000), None).unwrap();
        assert_eq!(opened.shift, 1);
        assert!(!opened.closed);
        assert_eq!(opened.float, dec!(200000));
        assert_eq!(opened.expected_cash, dec!(200000));
        assert!(opened.opened_at.is_some());

        // A sale paid in cash with change: "100% coco", Rp 11.500, paid with Rp 20.000.
        let sale = kasir.new_sale().unwrap();
        sale.scan("8858652601388".into()).unwrap();
        let tendered = dec!(20000);
        let change = sale.pay_cash(Some(tendered)).unwrap().payment.change;
        assert!(change > dec!(0));
        let total = sale.complete().unwrap().total;
        assert_eq!(tendered - change, total);

        let paid_in = kasir
            .move_cash(
                CashMoveKind::PayIn,
                dec!(50000),
                "change from the safe".into(),
                None,
            )
            .unwrap();
        assert_eq!(paid_in.shift, 1);
        assert_eq!(paid_in.kind, CashMoveKind::PayIn);
        assert_eq!(paid_in.reason, "change from the safe");
        kasir
            .move_cash(CashMoveKind::PayOut, dec!(30000), " ice ".into(), None)
            .unwrap();

        let open = kasir.current_shift().unwrap().expect("a shift is open");
        let expected = dec!(200000) + total + dec!(50000) - dec!(30000);
        assert_eq!(open.sales, 1);
        assert_eq!(open.cash_tendered, tendered);
        assert_eq!(open.cash_change, change);
        assert_eq!(open.pay_ins, dec!(50000));
        assert_eq!(open.pay_outs, dec!(30000));
        assert_eq!(open.expected_cash, expected);
        assert_eq!(open.counted_cash, None);

        let z = kasir.close_shift(expected - dec!(1500), None).unwrap();
        assert!(z.closed);
        assert!(z.closed_at.is_some());
        assert_eq!(z.expected_cash, expected);
        assert_eq!(z.counted_cash, Some(expected - dec!(1500)));
        assert_eq!(z.difference, Some(dec!(-1500)));
        assert_eq!(z.tenders.len(), 1);
        assert_eq!(z.tenders[0].method, "cash");
        assert_eq!(z.tenders[0].amount, total);
        assert_eq!(z.sales_total, total);
        assert_eq!(kasir.current_shift().unwrap(), None);
        assert_eq!(kasir.shift_report(None).unwrap(), z);
        assert_eq!(kasir.shift_report(Some(1)).unwrap(), z);
    }

    #[test]
    fn the_z_report_carries_the_tips_and_card_takings_of_the_shift() {
        let dir = tempfile::tempdir().unwrap();
        let kasir = kasir(&dir);
        kasir.open_shift(dec!(100000), None).unwrap();
        let sale = kasir.new_sale().unwrap();
        sale.scan("8858652601388".into()).unwrap();
        let view = sale
            .set_tip(Some(kasir_domain::cart::ChargeBasis::Amount(dec!(2000))))
            .unwrap();
        let total = view.totals.total;
        sale.pay_card(Some(total), "A1B2C3".into(), "4242".into(), "VISA".into())
            .unwrap();
        sale.complete().unwrap();

        let z = kasir.close_shift(dec!(100000), None).unwrap();
        assert_eq!(z.difference, Some(dec!(0)));
        assert_eq!(z.cash_tendered, dec!(0));
        assert_eq!(z.tenders.len(), 1);
        assert_eq!(z.tenders[0].method, "card");
        assert_eq!(z.tenders[0].amount, total);
        assert_eq!(z.tips_by_staff.len(), 1, "{:?}", z.tips_by_staff);
        let tips = &z.tips_by_staff[0];
        assert_eq!(tips.staff, None);
        assert_eq!(tips.sales, 1);
        assert!(tips.tips >= dec!(2000), "{tips:?}");
        assert_eq!(tips.net, tips.tips - tips.refunded);
    }

    #[test]
    fn bad_amounts_and_states_are_refused_naming_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let kasir = kasir(&dir);
        let no_shift = kasir.move_cash(CashMoveKind::PayOut, dec!(1000), "ice".into(), None);
        assert!(
            matches!(no_shift, Err(KasirError::NotAllowed { .. })),
            "{no_shift:?}"
        );
        assert!(matches!(
            kasir.close_shift(dec!(0), None),
            Err(KasirError::NotAllowed { .. })
        ));
        let negative = kasir.open_shift(dec!(-1), None).unwrap_err();
        assert!(
            matches!(&negative, KasirError::InvalidInput { field, .. } if field == "float"),
            "{negative:?}"
        );
        let fraction = kasir.open_shift(dec!(0.5), None).unwrap_err();
        assert!(
            matches!(&fraction, KasirError::InvalidInput { field, .. } if field == "float"),
            "{fraction:?}"
        );
        assert_eq!(kasir.current_shift().unwrap(), None);

        kasir.open_shift(dec!(0), None).unwrap();
        let twice = kasir.open_shift(dec!(0), None);
        assert!(matches!(twice, Err(KasirError::NotAllowed { .. })));
        let zero = kasir
            .move_cash(CashMoveKind::PayIn, dec!(0), "x".into(), None)
            .unwrap_err();
        assert!(
            matches!(&zero, KasirError::InvalidInput { field, .. } if field == "amount"),
            "{zero:?}"
        );
        let blank = kasir
            .move_cash(CashMoveKind::PayIn, dec!(1000), "  ".into(), None)
            .unwrap_err();
        assert!(
            matches!(&blank, KasirError::InvalidInput { field, .. } if field == "reason"),
            "{blank:?}"
        );
        let counted = kasir.close_shift(dec!(-5), None).unwrap_err();
        assert!(
            matches!(&counted, KasirError::InvalidInput { field, .. } if field == "counted"),
            "{counted:?}"
        );
        // Nothing refused was recorded.
        let open = kasir.current_shift().unwrap().unwrap();
        assert_eq!(open.pay_ins, dec!(0));
        assert!(!open.closed);
    }

    #[test]
    fn once_the_store_has_staff_a_shift_needs_a_sign_in() {
        let dir = tempfile::tempdir().unwrap();
        let kasir = kasir(&dir);
        assert!(!kasir.staff_required().unwrap());
        let first = kasir.add_staff("Sari".into(), StaffRole::Cashier, "1234".into(), None);
        assert!(matches!(first, Err(KasirError::NotAllowed { .. })));
        let manager = kasir
            .add_staff("Sari".into(), StaffRole::Manager, "1234".into(), None)
            .unwrap();
        assert_eq!(manager.role, StaffRole::Manager);
        assert!(kasir.staff_required().unwrap());
        let unapproved = kasir
            .add_staff("Budi".into(), StaffRole::Cashier, "5678".into(), None)
            .unwrap_err();
        assert!(
            matches!(&unapproved, KasirError::InvalidInput { field, .. } if field == "staff"),
            "{unapproved:?}"
        );
        kasir
            .add_staff(
                "Budi".into(),
                StaffRole::Cashier,
                "5678".into(),
                by("Sari", "1234"),
            )
            .unwrap();
        assert_eq!(
            kasir.sign_in("Budi".into(), "5678".into()).unwrap().role,
            StaffRole::Cashier
        );

        let nobody = kasir.open_shift(dec!(100000), None).unwrap_err();
        assert!(
            matches!(&nobody, KasirError::InvalidInput { field, .. } if field == "staff"),
            "{nobody:?}"
        );
        let wrong = kasir
            .open_shift(dec!(100000), by("Budi", "0000"))
            .unwrap_err();
        assert!(
            matches!(&wrong, KasirError::InvalidInput { field, .. } if field == "pin"),
            "{wrong:?}"
        );
        assert_eq!(kasir.current_shift().unwrap(), None);

        let opened = kasir.open_shift(dec!(100000), by("Budi", "5678")).unwrap();
        assert_eq!(opened.opened_by.as_deref(), Some("Budi"));
        let moved = kasir
            .move_cash(
                CashMoveKind::PayOut,
                dec!(20000),
                "gas".into(),
                by("Budi", "5678"),
            )
            .unwrap();
        assert_eq!(moved.staff.as_deref(), Some("Budi"));
        let z = kasir.close_shift(dec!(80000), by("Sari", "1234")).unwrap();
        assert_eq!(z.closed_by.as_deref(), Some("Sari"));
        assert_eq!(z.difference, Some(dec!(0)));
    }
}
