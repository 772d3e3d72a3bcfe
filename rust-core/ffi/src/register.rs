//! The open sale on the register: its cart, discounts and tenders, until it is completed.
//!
//! Every call returns the sale's [`CartView`], so a screen redraws from one answer. Once a
//! tender is taken the cart is fixed (the tenders were for its total); voiding the tenders
//! opens it again. Completing writes the sale with its outbox event in one transaction.

use std::sync::{Arc, Mutex, MutexGuard};

use kasir_domain::Decimal;
use kasir_domain::cart::{Cart, ChargeBasis, ChargeKind, Discount};
use kasir_domain::emvqr::qris;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_domain::split::{self, ItemShare, SplitRule};
use kasir_store::StoreSettings;

use crate::error::KasirError;
use crate::kasir::Shared;
use crate::views::{BillShare, BillSplit, CartView, PaymentState, QrisPayment, TipOption};

pub(crate) mod reader;

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

    fn set_charge(
        &self,
        kind: ChargeKind,
        basis: Option<ChargeBasis>,
    ) -> Result<CartView, KasirError> {
        let (tax_category, currency) = {
            let sale = self.open()?;
            let category = match kind {
                ChargeKind::Tip => sale.settings.tip_tax_category.clone(),
                ChargeKind::ServiceCharge => sale.settings.service_charge_tax_category.clone(),
            };
            (category, sale.settings.currency)
        };
        if let Some(basis) = basis {
            check_charge(kind, basis, currency)?;
        }
        self.edit(|cart| {
            if basis.is_some() && cart.is_empty() {
                return Err(KasirError::NotAllowed {
                    reason: "add items before a charge".into(),
                });
            }
            Ok(cart.set_charge(kind, basis, tax_category)?)
        })
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

/// Checks a charge as the domain checks one typed by the clerk (`10%`, `5000`): a percentage
/// more than 0 and at most 100, an amount more than zero in whole minor units.
fn check_charge(
    kind: ChargeKind,
    basis: ChargeBasis,
    currency: kasir_domain::money::Currency,
) -> Result<(), KasirError> {
    let field = match kind {
        ChargeKind::Tip => "tip",
        ChargeKind::ServiceCharge => "service_charge",
    };
    let text = match basis {
        ChargeBasis::Percent(p) => format!("{p}%"),
        ChargeBasis::Amount(a) => a.to_string(),
    };
    ChargeBasis::parse(field, &text, currency)?;
    Ok(())
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

    /// Sets the tip (never discounted, outside tax) as a percentage of the items or an amount,
    /// or removes it with `None`. Refused on an empty sale and once a payment has started.
    pub fn set_tip(&self, basis: Option<ChargeBasis>) -> Result<CartView, KasirError> {
        self.set_charge(ChargeKind::Tip, basis)
    }

    /// Sets the service charge (taxed in the store's service-charge tax category, if any), or
    /// removes it with `None`.
    pub fn set_service_charge(&self, basis: Option<ChargeBasis>) -> Result<CartView, KasirError> {
        self.set_charge(ChargeKind::ServiceCharge, basis)
    }

    /// What a tip of each of `percents` would come to on the sale as it stands, for the tip
    /// buttons of table service. Nothing changes.
    pub fn tip_options(&self, percents: Vec<Decimal>) -> Result<Vec<TipOption>, KasirError> {
        let sale = self.open()?;
        percents
            .into_iter()
            .map(|percent| {
                check_charge(
                    ChargeKind::Tip,
                    ChargeBasis::Percent(percent),
                    sale.settings.currency,
                )?;
                let mut cart = sale.cart.clone();
                cart.set_charge(ChargeKind::Tip, Some(ChargeBasis::Percent(percent)), None)?;
                let totals = cart.totals(&sale.settings.tax)?;
                let amount = totals
                    .charges
                    .iter()
                    .filter(|c| c.kind == ChargeKind::Tip)
                    .map(|c| c.amount)
                    .sum();
                Ok(TipOption { percent, amount })
            })
            .collect()
    }

    /// How the bill divides between payers under `rule`; each part is then paid as a tender of
    /// its total (in cash: its `cash`). The parts sum to the sale's total (largest remainder);
    /// when the store rounds cash, every part but the last is whole increments and the last
    /// carries the rounding a single cash tender would record. Refused once a payment has
    /// started, and on an empty sale.
    pub fn split_bill(&self, rule: BillSplit) -> Result<Vec<BillShare>, KasirError> {
        let sale = self.open()?;
        if sale.cart.is_empty() {
            return Err(KasirError::NotAllowed {
                reason: "the sale has no items to split".into(),
            });
        }
        if sale.payment.is_some() {
            return Err(KasirError::NotAllowed {
                reason: "payments are already taken: split the bill before the first payment \
                         (or void the payments)"
                    .into(),
            });
        }
        let rule = match rule {
            BillSplit::Evenly { parts } => SplitRule::Evenly { parts },
            BillSplit::ByAmount { amounts } => SplitRule::ByAmount { amounts },
            BillSplit::ByItem { parts } => SplitRule::ByItem {
                parts: parts
                    .into_iter()
                    .map(|lines| lines.into_iter().map(ItemShare::whole).collect())
                    .collect(),
            },
        };
        let totals = sale.cart.totals(&sale.settings.tax)?;
        Ok(
            split::split_with_cash_rounding(&totals, &rule, sale.settings.cash_rounding)?
                .into_iter()
                .map(BillShare::from)
                .collect(),
        )
    }

    /// The dynamic QRIS code for the customer to scan, for `amount` (what is still due without
    /// one), made from the store's static QRIS payload. Once the customer's app shows it paid,
    /// record it with [`Register::pay_qr`]. Refused when the store has no QRIS payload.
    pub fn qris_payload(&self, amount: Option<Decimal>) -> Result<QrisPayment, KasirError> {
        let sale = self.open()?;
        let sticker = sale
            .settings
            .qris
            .clone()
            .ok_or_else(|| KasirError::NotAllowed {
                reason: "this store has no QRIS payload: set it in the store's settings".into(),
            })?;
        if sale.cart.is_empty() {
            return Err(KasirError::NotAllowed {
                reason: "the sale has no items".into(),
            });
        }
        let amount = match amount {
            Some(a) => a,
            None => match &sale.payment {
                Some(p) => p.remaining(),
                None => sale.cart.totals(&sale.settings.tax)?.total,
            },
        };
        let payload = qris::to_dynamic(&sticker, amount)
            .map_err(|e| KasirError::invalid("amount", e.to_string()))?;
        Ok(QrisPayment { payload, amount })
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
    use crate::kasir::Kasir;
    use crate::test_support::{COCO, kasir};

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

    /// A static QRIS sticker (DANA, published test data; see rust-core/domain/tests/data/emvqr).
    const STICKER: &str = "00020101021126570011ID.DANA.WWW011893600915300060605702090006060570303UMI\
                           51440014ID.CO.QRIS.WWW0215ID10190046990790303UMI5204481453033605802ID5912\
                           Saifullah.id6014Kota Pontianak61057812463045F72";

    #[test]
    fn tip_options_preview_without_changing_the_sale() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = kasir(&dir).new_sale().expect("a sale");
        register.add_item(COCO.into(), dec!(3)).expect("adds");
        let options = register
            .tip_options(vec![dec!(5), dec!(10)])
            .expect("options");
        // 5% of 34.500 = 1.725; 10% = 3.450.
        assert_eq!(
            options.iter().map(|o| o.amount).collect::<Vec<_>>(),
            vec![dec!(1725), dec!(3450)]
        );
        assert_eq!(register.view().unwrap().totals.total, dec!(34500));

        let view = register
            .set_tip(Some(ChargeBasis::Percent(dec!(10))))
            .expect("tip");
        assert_eq!(view.totals.charges_total, dec!(3450));
        assert_eq!(view.totals.total, dec!(37950));
        let view = register.set_tip(None).expect("no tip");
        assert_eq!(view.totals.total, dec!(34500));
    }

    #[test]
    fn a_negative_or_oversized_charge_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = kasir(&dir).new_sale().expect("a sale");
        register.scan(COCO.into()).expect("scans");
        let field = |r: Result<CartView, KasirError>| match r {
            Err(KasirError::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(register.set_tip(Some(ChargeBasis::Percent(dec!(-5))))),
            "tip"
        );
        assert_eq!(
            field(register.set_tip(Some(ChargeBasis::Percent(dec!(150))))),
            "tip"
        );
        assert_eq!(
            field(register.set_service_charge(Some(ChargeBasis::Amount(dec!(-1000))))),
            "service_charge"
        );
        assert_eq!(
            field(register.set_tip(Some(ChargeBasis::Amount(dec!(0.5))))),
            "tip"
        );
        assert!(register.tip_options(vec![dec!(10), dec!(0)]).is_err());
        assert_eq!(register.view().unwrap().totals.total, dec!(11500));
    }

    #[test]
    fn a_tip_on_an_empty_sale_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = kasir(&dir).new_sale().expect("a sale");
        let refused = register.set_tip(Some(ChargeBasis::Amount(dec!(5000))));
        assert!(
            matches!(refused, Err(KasirError::NotAllowed { .. })),
            "{refused:?}"
        );
    }

    #[test]
    fn a_split_bill_under_cash_rounding_is_payable_in_cash_part_by_part() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kasir = kasir(&dir);
        let settings = kasir.settings().expect("settings").with_cash_rounding(
            dec!(100),
            kasir_domain::rounding::Rounding::HalfAwayFromZero,
        );
        kasir.update_settings(settings).expect("cash rounding");
        let register = kasir.new_sale().expect("a sale");
        register.scan(COCO.into()).expect("scans");
        register.scan("3245413119520".into()).expect("scans");
        // 48.500 in three: whole hundreds 16.200 + 16.200, and the last 16.100 (no rounding,
        // the bill being whole hundreds).
        let parts = register
            .split_bill(BillSplit::Evenly { parts: 3 })
            .expect("split");
        assert_eq!(
            parts.iter().map(|p| p.cash).collect::<Vec<_>>(),
            vec![dec!(16200), dec!(16200), dec!(16100)]
        );
        assert_eq!(parts.iter().map(|p| p.total).sum::<Decimal>(), dec!(48500));
        // 48.500 less 15.050 by amount is refused: not whole hundreds.
        assert!(
            register
                .split_bill(BillSplit::ByAmount {
                    amounts: vec![dec!(15050)],
                })
                .is_err()
        );
        for part in &parts {
            register.pay_cash(Some(part.cash)).expect("part paid");
        }
    }

    #[test]
    fn a_split_bill_sums_to_the_total_and_is_refused_once_paying() {
        let dir = tempfile::tempdir().expect("temp dir");
        let register = kasir(&dir).new_sale().expect("a sale");
        register.scan(COCO.into()).expect("scans");
        register.scan("3245413119520".into()).expect("scans");
        // 11.500 + 37.000 = 48.500 in three parts: 16.167 + 16.167 + 16.166.
        let parts = register
            .split_bill(BillSplit::Evenly { parts: 3 })
            .expect("split");
        assert_eq!(
            parts.iter().map(|p| p.total).collect::<Vec<_>>(),
            vec![dec!(16167), dec!(16167), dec!(16166)]
        );
        let by_item = register
            .split_bill(BillSplit::ByItem {
                parts: vec![vec![1], vec![2]],
            })
            .expect("split by item");
        assert_eq!(
            by_item.iter().map(|p| p.total).collect::<Vec<_>>(),
            vec![dec!(11500), dec!(37000)]
        );
        assert_eq!(by_item[1].lines, vec![2]);

        register.pay_cash(Some(parts[0].total)).expect("first part");
        let refused = register.split_bill(BillSplit::Evenly { parts: 2 });
        assert!(
            matches!(refused, Err(KasirError::NotAllowed { .. })),
            "{refused:?}"
        );
    }

    #[test]
    fn the_qris_code_asks_for_what_is_still_due() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kasir = kasir(&dir);
        let register = kasir.new_sale().expect("a sale");
        register.scan(COCO.into()).expect("scans");
        let refused = register.qris_payload(None);
        assert!(
            matches!(refused, Err(KasirError::NotAllowed { .. })),
            "{refused:?}"
        );

        let mut settings = kasir.settings().unwrap();
        settings.qris = Some(STICKER.into());
        kasir.update_settings(settings).unwrap();
        let register = kasir.new_sale().expect("a sale");
        register.add_item(COCO.into(), dec!(2)).expect("adds");
        register.pay_cash(Some(dec!(3000))).expect("part in cash");
        let qr = register.qris_payload(None).expect("payload");
        assert_eq!(qr.amount, dec!(20000));
        let payload = kasir_domain::emvqr::Payload::parse(&qr.payload).expect("parses");
        assert_eq!(payload.amount(), Some(dec!(20000)));
        assert_eq!(
            payload.initiation(),
            Some(kasir_domain::emvqr::Initiation::Dynamic)
        );
        let too_much = register.qris_payload(Some(dec!(20000000)));
        assert!(
            matches!(&too_much, Err(KasirError::InvalidInput { field, .. }) if field == "amount"),
            "{too_much:?}"
        );
    }
}
