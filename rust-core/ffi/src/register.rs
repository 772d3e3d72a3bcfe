//! The open sale on the register: its cart, discounts and tenders, until it is completed.
//!
//! Every call returns the sale's [`CartView`], so a screen redraws from one answer. Once a
//! tender is taken the cart is fixed (the tenders were for its total); voiding the tenders
//! opens it again. Completing writes the sale with its outbox event in one transaction.

use std::sync::{Arc, Mutex, MutexGuard};

use kasir_domain::Decimal;
use kasir_domain::cart::{Cart, Discount};
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_store::StoreSettings;

use crate::error::KasirError;
use crate::kasir::Shared;
use crate::views::{CartView, PaymentState};

struct OpenSale {
    settings: StoreSettings,
    cart: Cart,
    payment: Option<Payment>,
}

/// One sale being rung up.
#[derive(uniffi::Object)]
pub struct Register {
    shared: Arc<Shared>,
    sale: Mutex<OpenSale>,
}

impl Register {
    pub(crate) fn new(shared: Arc<Shared>) -> Result<Register, KasirError> {
        let settings = shared.store()?.settings()?.clone();
        Ok(Register {
            shared,
            sale: Mutex::new(OpenSale {
                cart: Cart::new(settings.currency),
                settings,
                payment: None,
            }),
        })
    }

    fn open(&self) -> Result<MutexGuard<'_, OpenSale>, KasirError> {
        self.sale.lock().map_err(|_| KasirError::Internal {
            reason: "an earlier call panicked while changing the sale".into(),
        })
    }

    /// Runs `change` on the cart when no tender has been taken yet.
    fn edit(
        &self,
        change: impl FnOnce(&mut Cart) -> Result<(), KasirError>,
    ) -> Result<CartView, KasirError> {
        let mut sale = self.open()?;
        if sale.payment.is_some() {
            return Err(KasirError::NotAllowed {
                reason: "a payment has started: void the payments before changing the sale".into(),
            });
        }
        change(&mut sale.cart)?;
        view(&sale)
    }

    fn tender(
        &self,
        method: impl FnOnce() -> Result<TenderMethod, KasirError>,
        amount: Option<Decimal>,
    ) -> Result<CartView, KasirError> {
        let mut sale = self.open()?;
        if sale.cart.is_empty() {
            return Err(KasirError::NotAllowed {
                reason: "the sale has no items".into(),
            });
        }
        let method = method()?;
        let mut payment = match sale.payment.take() {
            Some(payment) => payment,
            None => new_payment(&sale)?,
        };
        let amount = match amount {
            Some(a) => a,
            None if matches!(method, TenderMethod::Cash) => payment.cash_due(),
            None => payment.remaining(),
        };
        // The payment is put back whatever happens, so a refused tender changes nothing.
        let added = payment.add(method, amount).map(|_| ());
        sale.payment = Some(payment);
        added?;
        view(&sale)
    }
}

fn new_payment(sale: &OpenSale) -> Result<Payment, KasirError> {
    let totals = sale.cart.totals(&sale.settings.tax)?;
    Ok(Payment::new(
        sale.settings.currency,
        totals.total,
        sale.settings.cash_rounding,
    ))
}

fn view(sale: &OpenSale) -> Result<CartView, KasirError> {
    let totals = sale.cart.totals(&sale.settings.tax)?;
    let payment = match &sale.payment {
        Some(p) => PaymentState::of(p),
        None => PaymentState::of(&Payment::new(
            sale.settings.currency,
            totals.total,
            sale.settings.cash_rounding,
        )),
    };
    Ok(CartView {
        lines: sale.cart.lines().to_vec(),
        order_discounts: sale.cart.discounts().to_vec(),
        totals,
        payment,
    })
}

#[uniffi::export]
impl Register {
    /// Adds one of the item a scanner or a clerk gave the code of (any GTIN form or a SKU).
    /// The same item scanned again adds to its line.
    pub fn scan(&self, code: String) -> Result<CartView, KasirError> {
        self.add_item(code, Decimal::ONE)
    }

    /// Adds `quantity` of the item with `code` (kilograms, up to three decimals, for weighed
    /// items).
    pub fn add_item(&self, code: String, quantity: Decimal) -> Result<CartView, KasirError> {
        let item = self.shared.store()?.find_item(&code)?;
        self.edit(|cart| {
            cart.add(&item, quantity)?;
            Ok(())
        })
    }

    /// Sets the quantity of line `line`.
    pub fn set_quantity(&self, line: u32, quantity: Decimal) -> Result<CartView, KasirError> {
        self.edit(|cart| Ok(cart.set_quantity(line, quantity)?))
    }

    /// Sets the discount of line `line`, or removes it with `None`.
    pub fn set_line_discount(
        &self,
        line: u32,
        discount: Option<Discount>,
    ) -> Result<CartView, KasirError> {
        self.edit(|cart| Ok(cart.set_line_discount(line, discount)?))
    }

    /// Adds a discount on the whole order, applied after the ones already given.
    pub fn add_order_discount(&self, discount: Discount) -> Result<CartView, KasirError> {
        self.edit(|cart| Ok(cart.add_discount(discount)?))
    }

    /// Removes every order discount.
    pub fn clear_order_discounts(&self) -> Result<CartView, KasirError> {
        self.edit(|cart| {
            cart.clear_discounts();
            Ok(())
        })
    }

    /// Voids line `line`: it stays on record and leaves every total.
    pub fn void_line(&self, line: u32) -> Result<CartView, KasirError> {
        self.edit(|cart| Ok(cart.void_line(line)?))
    }

    /// The sale as it stands.
    pub fn view(&self) -> Result<CartView, KasirError> {
        view(&*self.open()?)
    }

    /// Takes cash: `amount` handed over, or exactly what is due (after the store's cash
    /// rounding) without one. Cash above what is due makes change.
    pub fn pay_cash(&self, amount: Option<Decimal>) -> Result<CartView, KasirError> {
        self.tender(|| Ok(TenderMethod::Cash), amount)
    }

    /// Records a card payment made on an external terminal: `amount` charged (what is still
    /// due without one), the terminal's `approval_code`, the card's `last4` digits and its
    /// `brand`. Never give a full card number: anything but four digits is refused.
    pub fn pay_card(
        &self,
        amount: Option<Decimal>,
        approval_code: String,
        last4: String,
        brand: String,
    ) -> Result<CartView, KasirError> {
        self.tender(
            || Ok(TenderMethod::card(&approval_code, &last4, &brand)?),
            amount,
        )
    }

    /// Records a QR payment (QRIS) of `amount` (what is still due without one) with the
    /// provider's `reference`.
    pub fn pay_qr(
        &self,
        amount: Option<Decimal>,
        reference: String,
    ) -> Result<CartView, KasirError> {
        self.tender(|| Ok(TenderMethod::qr(&reference)?), amount)
    }

    /// Voids every tender taken so far, so the sale can be changed again.
    pub fn void_payments(&self) -> Result<CartView, KasirError> {
        let mut sale = self.open()?;
        sale.payment = None;
        view(&sale)
    }

    /// Completes the paid sale: gives it its receipt number and writes it, its stock movements
    /// and its outbox event in one transaction. The register is then empty for the next sale.
    /// Refused, changing nothing, while something is still due.
    pub fn complete(&self) -> Result<Sale, KasirError> {
        let mut sale = self.open()?;
        let payment = match &sale.payment {
            Some(p) => p.clone(),
            // A sale discounted to nothing needs no tender.
            None => new_payment(&sale)?,
        };
        let zone = sale.settings.time_zone()?;
        let now = jiff::Timestamp::now();
        let mut store = self.shared.store()?;
        let context = SaleContext {
            id: uuid::Uuid::now_v7(),
            device_id: store.device()?.id.clone(),
            completed_at: now,
            business_date: now.to_zoned_datetime(zone).date(),
        };
        let completed = Sale::complete(context, &sale.cart, &sale.settings.tax, &payment)?;
        let stored = store.commit_sale(completed)?;
        tracing::info!(lines = stored.lines.len(), "sale completed");
        sale.cart = Cart::new(sale.settings.currency);
        sale.payment = None;
        Ok(stored)
    }

    /// Drops the open sale (nothing was stored) and starts a new one.
    pub fn clear(&self) -> Result<CartView, KasirError> {
        let mut sale = self.open()?;
        sale.cart = Cart::new(sale.settings.currency);
        sale.payment = None;
        view(&sale)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::kasir::{Kasir, NewStore};

    /// "100% coco" in the sample catalog, Rp 11.500.
    const COCO: &str = "8858652601388";

    fn kasir(dir: &tempfile::TempDir) -> Arc<Kasir> {
        let new = NewStore {
            name: "Toko Uji".into(),
            device_code: "D01".into(),
            sample_catalog: true,
        };
        let path = dir.path().join("store.db").display().to_string();
        Kasir::open(path, Some(new), None).expect("store opens")
    }

    #[test]
    fn a_store_that_is_not_set_up_is_refused_without_setup_details() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("new.db").display().to_string();
        let error = Kasir::open(path, None, None).err();
        assert!(
            matches!(error, Some(KasirError::NotAllowed { .. })),
            "{error:?}"
        );
    }

    #[test]
    fn the_cart_is_fixed_once_a_tender_is_taken_until_the_tenders_are_voided() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = kasir(&dir).new_sale().expect("a sale");
        register.scan(COCO.into()).expect("scans");
        register.pay_cash(Some(dec!(5000))).expect("part paid");

        let refused = register.scan(COCO.into());
        assert!(
            matches!(refused, Err(KasirError::NotAllowed { .. })),
            "{refused:?}"
        );

        register.void_payments().expect("voids");
        let view = register.scan(COCO.into()).expect("scans again");
        assert_eq!(view.lines[0].quantity, dec!(2));
        assert_eq!(view.totals.total, dec!(23000));
        assert_eq!(view.payment.remaining, dec!(23000));
    }

    #[test]
    fn a_sale_discounted_to_nothing_completes_without_a_tender() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = kasir(&dir).new_sale().expect("a sale");
        register.scan(COCO.into()).expect("scans");
        let view = register
            .add_order_discount(Discount::Percent(dec!(100)))
            .expect("discounted");
        assert_eq!(view.totals.total, dec!(0));

        let sale = register.complete().expect("completes");
        assert_eq!(sale.receipt_number, "D01-000001");
        assert!(sale.tenders.is_empty());
        assert!(
            register.view().expect("view").lines.is_empty(),
            "a new sale starts"
        );
    }

    #[test]
    fn cash_without_an_amount_pays_exactly_what_is_due() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = kasir(&dir).new_sale().expect("a sale");
        register.add_item(COCO.into(), dec!(3)).expect("adds");
        let view = register.pay_cash(None).expect("pays");
        assert!(view.payment.is_paid);
        assert_eq!(view.payment.tenders[0].amount, dec!(34500));
        assert_eq!(view.payment.change, dec!(0));
    }
}
