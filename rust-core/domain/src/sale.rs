//! A completed sale: the immutable record that is stored, printed, reported and synced.
//!
//! Its amounts are computed once, when the sale completes, and never again: the receipt, the
//! day report and the cloud all read these stored values.

use jiff::Timestamp;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::cart::{Cart, ChargeTotal, Discount, LineTotal, Totals};
use crate::catalog::Unit;
use crate::error::DomainError;
use crate::giftcard::GiftCardLine;
use crate::gtin::Gtin;
use crate::money::Currency;
use crate::payment::{Payment, Tender};
use crate::rounding::{Rounding, round};
use crate::tax::{LineTax, PriceMode, RateTotal, TaxRules};

/// One sold line, with the item as it was and the amounts as computed at sale time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SaleLine {
    /// The line's number in the cart.
    pub number: u32,
    /// The item's key.
    pub gtin: Gtin,
    /// The item's SKU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// The item's name.
    pub name: String,
    /// The item's category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// How the item is counted.
    pub unit: Unit,
    /// How many.
    pub quantity: Decimal,
    /// Price per unit.
    pub unit_price: Decimal,
    /// The tax category applied.
    pub tax_category: String,
    /// The line's own discount as given (percentage or amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Discount>,
    /// Quantity x unit price, rounded.
    pub gross: Decimal,
    /// The line's own discount.
    pub line_discount: Decimal,
    /// The line's share of the order discounts.
    pub order_discount: Decimal,
    /// After discounts, as priced.
    pub amount: Decimal,
    /// Tax per rate.
    pub taxes: Vec<LineTax>,
    /// Sum of `taxes`.
    pub tax: Decimal,
}

/// A line voided before payment, kept for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VoidedLine {
    /// The item's key.
    pub gtin: Gtin,
    /// The item's name.
    pub name: String,
    /// The quantity that was on the line.
    pub quantity: Decimal,
}

/// Where and when a sale happened; given by the caller, since the domain has no clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleContext {
    /// The sale's id, a UUIDv7 made on the device.
    pub id: Uuid,
    /// The device that made the sale.
    pub device_id: String,
    /// When the sale completed.
    pub completed_at: Timestamp,
    /// The store's local date of the sale: the day whose report it belongs to.
    pub business_date: Date,
}

/// A completed, paid sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Sale {
    /// UUIDv7 made on the device.
    pub id: Uuid,
    /// The receipt number, per device, gapless (`D01-000042`); given when the sale is stored.
    pub receipt_number: String,
    /// The device that made the sale.
    pub device_id: String,
    /// When the sale completed.
    pub completed_at: Timestamp,
    /// The store's local date of the sale.
    pub business_date: Date,
    /// The currency of every amount.
    pub currency: Currency,
    /// Whether prices included tax.
    pub price_mode: PriceMode,
    /// The sold lines.
    pub lines: Vec<SaleLine>,
    /// Lines voided before payment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voided_lines: Vec<VoidedLine>,
    /// The order discounts as given, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discounts: Vec<Discount>,
    /// The amount of each order discount.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discount_amounts: Vec<Decimal>,
    /// Service charge and tip.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub charges: Vec<ChargeTotal>,
    /// Gift cards sold or loaded: lines of their own kind, never taxed or discounted, added to
    /// the total after the items and charges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gift_cards: Vec<GiftCardLine>,
    /// Tax per rate.
    pub taxes: Vec<RateTotal>,
    /// Sum of the lines' gross amounts.
    pub subtotal: Decimal,
    /// All discounts.
    pub discount_total: Decimal,
    /// Items after discounts.
    pub items_total: Decimal,
    /// Charges.
    pub charges_total: Decimal,
    /// Tax (contained in `total` when prices include tax).
    pub tax_total: Decimal,
    /// The sale's total before cash rounding: items and charges (and tax when prices exclude
    /// it), plus the gift cards sold.
    pub total: Decimal,
    /// Cash rounding (positive when the customer paid more than the total).
    pub cash_rounding: Decimal,
    /// What the tenders covered: `total + cash_rounding`.
    pub amount_due: Decimal,
    /// The tenders, in the order given.
    pub tenders: Vec<Tender>,
    /// Sum of tendered amounts.
    pub tendered: Decimal,
    /// Cash given back.
    pub change: Decimal,
    /// Who rang the sale (a staff member's name), when the store has staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
}

impl Sale {
    /// What the customer paid as tip: the tip charges, with their tax when prices exclude
    /// tax (under a tip tax, a tax-included tip already holds it).
    pub fn tip_paid(&self) -> Decimal {
        self.charges
            .iter()
            .filter(|c| c.kind == crate::cart::ChargeKind::Tip)
            .map(|c| match self.price_mode {
                PriceMode::TaxIncluded => c.amount,
                PriceMode::TaxExcluded => c.amount + c.tax,
            })
            .sum()
    }

    /// Completes a sale from its cart and its payment, computing the totals under `rules`.
    /// Refused when the cart is empty, the payment is for another amount, or it is not paid.
    pub fn complete(
        context: SaleContext,
        cart: &Cart,
        rules: &TaxRules,
        payment: &Payment,
    ) -> Result<Sale, DomainError> {
        Sale::complete_with_gift_cards(context, cart, rules, payment, &[])
    }

    /// Completes a sale whose cart comes with gift cards sold or loaded (`gift_cards`); the
    /// cart may then be empty. The payment covers the cart's total plus the cards.
    pub fn complete_with_gift_cards(
        context: SaleContext,
        cart: &Cart,
        rules: &TaxRules,
        payment: &Payment,
        gift_cards: &[GiftCardLine],
    ) -> Result<Sale, DomainError> {
        if cart.is_empty() && gift_cards.is_empty() {
            return Err(DomainError::not_allowed("the sale has no items"));
        }
        for card in gift_cards {
            card.check(cart.currency())?;
        }
        let totals = cart.totals(rules)?;
        let cards_total: Decimal = gift_cards.iter().map(|c| c.amount).sum();
        if payment.total() != totals.total + cards_total {
            return Err(DomainError::not_allowed(format!(
                "the payment is for {}, but the sale totals {}",
                cart.currency().display(payment.total()),
                cart.currency().display(totals.total + cards_total)
            )));
        }
        if !payment.is_paid() {
            return Err(DomainError::not_allowed(format!(
                "{} is still to pay",
                cart.currency().display(payment.remaining())
            )));
        }

        let lines = cart
            .lines()
            .iter()
            .filter(|l| !l.voided)
            .zip(&totals.lines)
            .map(|(line, t)| SaleLine {
                number: line.number,
                gtin: line.gtin.clone(),
                sku: line.sku.clone(),
                name: line.name.clone(),
                category: line.category.clone(),
                unit: line.unit,
                quantity: line.quantity,
                unit_price: line.unit_price,
                tax_category: line.tax_category.clone(),
                discount: line.discount,
                gross: t.gross,
                line_discount: t.line_discount,
                order_discount: t.order_discount,
                amount: t.amount,
                taxes: t.taxes.clone(),
                tax: t.tax,
            })
            .collect();
        let voided_lines = cart
            .lines()
            .iter()
            .filter(|l| l.voided)
            .map(|l| VoidedLine {
                gtin: l.gtin.clone(),
                name: l.name.clone(),
                quantity: l.quantity,
            })
            .collect();
        let tenders = payment.tenders().to_vec();
        let sale = Sale {
            id: context.id,
            receipt_number: String::new(),
            device_id: context.device_id,
            completed_at: context.completed_at,
            business_date: context.business_date,
            currency: totals.currency,
            price_mode: totals.price_mode,
            lines,
            voided_lines,
            discounts: cart.discounts().to_vec(),
            discount_amounts: totals.order_discounts.clone(),
            charges: totals.charges.clone(),
            gift_cards: gift_cards.to_vec(),
            taxes: totals.taxes.clone(),
            subtotal: totals.subtotal,
            discount_total: totals.discount_total,
            items_total: totals.items_total,
            charges_total: totals.charges_total,
            tax_total: totals.tax_total,
            total: totals.total + cards_total,
            cash_rounding: payment.rounding_adjustment(),
            amount_due: payment.amount_due(),
            tendered: tenders.iter().map(|t| t.amount).sum(),
            change: payment.change(),
            tenders,
            staff: None,
        };
        sale.verify()?;
        Ok(sale)
    }

    /// What the gift card lines add to the total.
    pub fn gift_cards_total(&self) -> Decimal {
        self.gift_cards.iter().map(|c| c.amount).sum()
    }

    /// The sale's totals in the cart's shape (the items and charges: without the gift cards
    /// sold, which are outside the cart).
    pub fn totals(&self) -> Totals {
        Totals {
            currency: self.currency,
            price_mode: self.price_mode,
            lines: self
                .lines
                .iter()
                .map(|l| LineTotal {
                    number: l.number,
                    gross: l.gross,
                    line_discount: l.line_discount,
                    order_discount: l.order_discount,
                    amount: l.amount,
                    taxes: l.taxes.clone(),
                    tax: l.tax,
                })
                .collect(),
            charges: self.charges.clone(),
            order_discounts: self.discount_amounts.clone(),
            taxes: self.taxes.clone(),
            subtotal: self.subtotal,
            discount_total: self.discount_total,
            items_total: self.items_total,
            charges_total: self.charges_total,
            tax_total: self.tax_total,
            total: self.total - self.gift_cards_total(),
        }
    }

    /// Checks that the record is whole and consistent: every total the sum of its parts, each
    /// line's gross its quantity times its price, every amount in the currency's units, and
    /// the tenders covering exactly what was due. Used before storing a sale and on receipt of
    /// one from a device.
    pub fn verify(&self) -> Result<(), DomainError> {
        let decimals = self.currency.minor_units();
        let fail = |what: String| {
            Err(DomainError::invalid(
                "sale",
                format!("{what} does not add up"),
            ))
        };
        if self.lines.is_empty() && self.gift_cards.is_empty() {
            return Err(DomainError::invalid("sale", "has no lines"));
        }
        for card in &self.gift_cards {
            card.check(self.currency)
                .map_err(|e| DomainError::invalid("sale gift card line", e.to_string()))?;
        }
        for line in &self.lines {
            line.unit.check_quantity(line.quantity)?;
            if round(
                line.quantity * line.unit_price,
                decimals,
                Rounding::HalfAwayFromZero,
            ) != line.gross
            {
                return fail(format!("line {} gross", line.number));
            }
        }
        for amount in [
            self.subtotal,
            self.discount_total,
            self.items_total,
            self.charges_total,
            self.tax_total,
            self.total,
            self.cash_rounding,
            self.amount_due,
            self.tendered,
            self.change,
        ] {
            self.currency.check_scale("sale amount", amount)?;
        }
        self.totals().verify()?;
        if self.total + self.cash_rounding != self.amount_due {
            return fail("amount_due".into());
        }
        if self.tenders.iter().map(|t| t.amount).sum::<Decimal>() != self.tendered {
            return fail("tendered".into());
        }
        if self.tenders.iter().map(|t| t.change).sum::<Decimal>() != self.change {
            return fail("change".into());
        }
        if self.tenders.iter().any(|t| {
            t.amount <= Decimal::ZERO || t.change.is_sign_negative() && !t.change.is_zero()
        }) {
            return Err(DomainError::invalid("sale", "a tender is not positive"));
        }
        if self.tendered - self.change != self.amount_due {
            return fail("tenders minus change".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Item;
    use crate::payment::TenderMethod;
    use rust_decimal_macros::dec;

    fn context() -> SaleContext {
        SaleContext {
            id: Uuid::nil(),
            device_id: "dev".into(),
            completed_at: Timestamp::UNIX_EPOCH,
            business_date: Date::constant(2026, 12, 3),
        }
    }

    fn indomie() -> Item {
        Item {
            gtin: Gtin::parse("8992388101016").unwrap(),
            sku: None,
            name: "Indomie Goreng".into(),
            price: dec!(3500),
            tax_category: "ppn".into(),
            unit: Unit::Each,
            category: None,
            stock: dec!(10),
        }
    }

    #[test]
    fn a_paid_sale_completes_and_verifies() {
        let rules = TaxRules::indonesia_retail();
        let mut cart = Cart::new(Currency::IDR);
        cart.add(&indomie(), dec!(3)).unwrap();
        let totals = cart.totals(&rules).unwrap();
        let mut payment = Payment::new(Currency::IDR, totals.total, None);
        payment.add(TenderMethod::Cash, dec!(20000)).unwrap();

        let sale = Sale::complete(context(), &cart, &rules, &payment).unwrap();

        assert_eq!(sale.total, dec!(10500));
        assert_eq!(sale.tax_total, dec!(1041));
        assert_eq!(sale.change, dec!(9500));
        let json = serde_json::to_string(&sale).unwrap();
        let back: Sale = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sale);
    }

    #[test]
    fn an_unpaid_sale_does_not_complete() {
        let rules = TaxRules::indonesia_retail();
        let mut cart = Cart::new(Currency::IDR);
        cart.add(&indomie(), dec!(1)).unwrap();
        let mut payment = Payment::new(Currency::IDR, dec!(3500), None);
        payment.add(TenderMethod::Cash, dec!(3000)).unwrap();
        let err = Sale::complete(context(), &cart, &rules, &payment).unwrap_err();
        assert_eq!(err.to_string(), "Rp 500 is still to pay");
    }

    #[test]
    fn a_tampered_record_fails_verification() {
        let rules = TaxRules::indonesia_retail();
        let mut cart = Cart::new(Currency::IDR);
        cart.add(&indomie(), dec!(2)).unwrap();
        let mut payment = Payment::new(Currency::IDR, dec!(7000), None);
        payment.add(TenderMethod::Cash, dec!(7000)).unwrap();
        let sale = Sale::complete(context(), &cart, &rules, &payment).unwrap();

        let mut tampered = sale.clone();
        tampered.lines[0].quantity = dec!(1);
        assert!(tampered.verify().is_err());
        let mut tampered = sale.clone();
        tampered.tax_total += dec!(1);
        assert!(tampered.verify().is_err());
        let mut tampered = sale;
        tampered.change = dec!(1);
        assert!(tampered.verify().is_err());
    }
}
