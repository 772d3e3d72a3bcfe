//! Gift cards and loyalty at the register: `pay gift NUMBER [AMOUNT]`, `giftcard sell AMOUNT
//! [NUMBER]`, `giftcard load NUMBER AMOUNT`, `customer PHONE|EMAIL`, `redeem points N`.
//!
//! A gift card tender is taken from the cloud at once when it answers (and given back onto
//! the card if the sale is then dropped); offline it is only checked against the allowance
//! and written with the sale, in its transaction. Cards sold or loaded are lines of their own
//! kind, outside tax and discounts, issued or loaded in the cloud when the sale syncs. Points
//! redeemed become an order discount; the points the sale earns are written with it.

use kasir_domain::cart::Discount;
use kasir_domain::giftcard::{CardNumber, CardSaleKind, GiftCardLine};
use kasir_domain::loyalty::Customer;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::Sale;
use kasir_domain::{Decimal, DomainError};
use kasir_store::checkout::{Checkout, PendingRedemption};
use kasir_store::loyalty::SaleLoyalty;
use uuid::Uuid;

use super::{Flow, Register, usage};
use crate::app::CliError;
use crate::giftcard_cmd::{self, Taken};
use crate::view::{money, two_columns};

/// What the open sale carries besides its cart and tenders.
#[derive(Debug, Default)]
pub(super) struct Pending {
    /// The open sale's id, made when something is tied to it before it is recorded.
    sale_id: Option<Uuid>,
    /// Gift cards sold or loaded.
    pub(super) cards: Vec<GiftCardLine>,
    /// Gift card tenders the cloud took: given back if the sale is dropped.
    online: Vec<(CardNumber, Decimal)>,
    /// Gift card tenders taken offline, written with the sale.
    offline: Vec<PendingRedemption>,
    /// The customer attached.
    customer: Option<Customer>,
    /// Points redeemed as the order discount.
    points: i64,
    /// The discount those points are worth.
    points_value: Decimal,
}

impl Pending {
    fn cards_total(&self) -> Decimal {
        self.cards.iter().map(|c| c.amount).sum()
    }
}

impl Register<'_> {
    /// Whether nothing is being sold: no item and no gift card.
    pub(super) fn sale_is_empty(&self) -> bool {
        self.cart.is_empty() && self.pending.cards.is_empty()
    }

    /// What the sale totals: the cart and the gift cards sold.
    pub(super) fn sale_total(&self) -> Result<Decimal, CliError> {
        Ok(self.cart.totals(&self.settings.tax)?.total + self.pending.cards_total())
    }

    fn sale_id(&mut self) -> Uuid {
        *self.pending.sale_id.get_or_insert_with(Uuid::now_v7)
    }

    /// `giftcard sell AMOUNT [NUMBER]` / `giftcard load NUMBER AMOUNT` / `giftcard NUMBER`.
    pub(super) fn giftcard(&mut self, args: &[&str]) -> Result<(), CliError> {
        let currency = self.settings.currency;
        let (kind, number, amount) = match args {
            ["sell", amount] => (CardSaleKind::Issue, new_number(), *amount),
            ["sell", amount, number] => (CardSaleKind::Issue, CardNumber::parse(number)?, *amount),
            ["load", number, amount] => (CardSaleKind::Load, CardNumber::parse(number)?, *amount),
            [number] => {
                let number = CardNumber::parse(number)?;
                return giftcard_cmd::show_balance(self.store, &number, self.json).map(|_| ());
            }
            _ => {
                return Err(usage(
                    "giftcard sell AMOUNT [NUMBER] | giftcard load NUMBER AMOUNT | giftcard NUMBER",
                ));
            }
        };
        self.editable()?;
        let amount = currency.parse_amount("amount", amount)?;
        if kind == CardSaleKind::Issue && self.store.known_gift_card(&number)?.is_some() {
            return Err(DomainError::not_allowed(format!(
                "gift card {number} is already known to this device: `giftcard load {number} \
                 AMOUNT` adds to it"
            ))
            .into());
        }
        if self
            .pending
            .cards
            .iter()
            .any(|c| c.number == number.as_str())
        {
            return Err(DomainError::not_allowed(format!(
                "gift card {number} is already on this sale"
            ))
            .into());
        }
        let line = GiftCardLine::new(Uuid::now_v7(), &number, kind, amount, currency)?;
        self.pending.cards.push(line);
        let what = match kind {
            CardSaleKind::Issue => "sold",
            CardSaleKind::Load => "loaded",
        };
        if !self.json {
            println!(
                "gift card {number} {what} with {}; total {}",
                money(&self.settings, amount),
                money(&self.settings, self.sale_total()?)
            );
        }
        Ok(())
    }

    /// `pay gift NUMBER [AMOUNT]`.
    pub(super) fn pay_gift(&mut self, args: &[&str]) -> Result<Flow, CliError> {
        let (number, amount) = match args {
            [number] => (*number, None),
            [number, amount] => (
                *number,
                Some(self.settings.currency.parse_amount("amount", amount)?),
            ),
            _ => return Err(usage("pay gift NUMBER [AMOUNT]")),
        };
        let number = CardNumber::parse(number)?;
        if self.sale_is_empty() {
            return Err(self.no_items());
        }
        if self
            .pending
            .cards
            .iter()
            .any(|c| c.number == number.as_str())
        {
            return Err(DomainError::not_allowed(format!(
                "gift card {number} is sold or loaded in this sale: pay with another tender"
            ))
            .into());
        }
        let mut payment = match self.payment.clone() {
            Some(p) => p,
            None => Payment::new(
                self.settings.currency,
                self.sale_total()?,
                self.settings.cash_rounding,
            ),
        };
        if payment.is_paid() {
            return Err(DomainError::not_allowed("nothing is due").into());
        }
        let pending: Decimal = self
            .pending
            .offline
            .iter()
            .filter(|p| p.number == number)
            .map(|p| p.amount)
            .sum();
        let sale_id = self.sale_id();
        let taken = giftcard_cmd::take_for_sale(
            self.store,
            &number,
            amount,
            payment.remaining(),
            pending,
            sale_id,
        )?;
        let amount = match &taken {
            Taken::Online { amount, .. } | Taken::Offline { amount, .. } => *amount,
        };
        if let Err(e) = payment.add(TenderMethod::gift_card(&number), amount) {
            if let Taken::Online { amount, .. } = taken {
                self.give_back(&number, amount);
            }
            return Err(e.into());
        }
        match taken {
            Taken::Online { amount, left, .. } => {
                self.pending.online.push((number.clone(), amount));
                if !self.json {
                    println!(
                        "Gift card {} paid {}; {} left on the card.",
                        number.masked(),
                        money(&self.settings, amount),
                        money(&self.settings, left)
                    );
                }
            }
            Taken::Offline {
                entry_id,
                amount,
                because,
            } => {
                self.pending.offline.push(PendingRedemption {
                    number: number.clone(),
                    amount,
                    entry_id,
                });
                if !self.json {
                    println!(
                        "Gift card {} pays {} offline ({because}); it is taken when the sale \
                         is recorded.",
                        number.masked(),
                        money(&self.settings, amount)
                    );
                }
            }
        }
        if !payment.is_paid() {
            if !self.json {
                println!("{} still due", money(&self.settings, payment.remaining()));
            }
            self.payment = Some(payment);
            return Ok(Flow::Continue);
        }
        self.complete(payment)
    }

    /// Queues the give-back of an online gift card tender onto its card.
    fn give_back(&mut self, number: &CardNumber, amount: Decimal) {
        let sale_id = self.pending.sale_id;
        match self
            .store
            .queue_gift_card_refund(number, amount, Uuid::now_v7(), sale_id)
        {
            Ok(_) => eprintln!(
                "note: gift card {}: {} goes back onto the card (with the next sync)",
                number.masked(),
                money(&self.settings, amount)
            ),
            Err(e) => eprintln!(
                "warning: gift card {}: {} could not be given back ({e}); credit it by hand",
                number.masked(),
                money(&self.settings, amount)
            ),
        }
    }

    /// When the payments or the sale are dropped: gives the online gift card tenders back and
    /// forgets the offline ones (never written).
    pub(super) fn drop_gift_tenders(&mut self) {
        for (number, amount) in std::mem::take(&mut self.pending.online) {
            self.give_back(&number, amount);
        }
        self.pending.offline.clear();
    }

    /// Forgets everything the open sale carried (after `void sale` or a recorded sale).
    pub(super) fn clear_pending(&mut self) {
        self.pending = Pending::default();
    }

    /// `customer PHONE|EMAIL|ID` (or `customer none`): attaches a customer to the sale.
    pub(super) fn attach_customer(&mut self, args: &[&str]) -> Result<(), CliError> {
        let key = args.join(" ");
        if key.trim().is_empty() {
            return Err(usage("customer PHONE|EMAIL|ID | customer none"));
        }
        if key.eq_ignore_ascii_case("none") {
            self.editable()?;
            self.remove_points();
            self.pending.customer = None;
            if !self.json {
                println!("no customer on this sale");
            }
            return Ok(());
        }
        let customer = crate::customer_cmd::lookup(self.store, &key)?;
        let points = self.store.customer_points(customer.clone())?;
        if !self.json {
            let tier = points
                .tier
                .as_ref()
                .map(|t| format!(", tier {t}"))
                .unwrap_or_default();
            println!("customer {}: {} points{tier}", customer.name, points.points);
        }
        self.pending.customer = Some(customer);
        Ok(())
    }

    /// `redeem points N` (or `redeem points none`): N points off the order, at the rule's
    /// value a point.
    pub(super) fn redeem_points(&mut self, args: &[&str]) -> Result<(), CliError> {
        let ["points", n] = args else {
            return Err(usage("redeem points N | redeem points none"));
        };
        self.editable()?;
        if n.eq_ignore_ascii_case("none") {
            self.remove_points();
            return self.changed("points redemption removed");
        }
        let customer = self.pending.customer.clone().ok_or_else(|| {
            DomainError::not_allowed("attach the customer first: `customer PHONE`")
        })?;
        let rule = self.store.loyalty_rule()?.ok_or_else(|| {
            DomainError::not_allowed(
                "the store has no loyalty rule: set it with `kasir customer rule`",
            )
        })?;
        let points: i64 = n.parse().ok().filter(|p: &i64| *p > 0).ok_or_else(|| {
            DomainError::invalid("points", format!("`{n}` is not a number of points"))
        })?;
        let held = self.store.customer_points(customer)?.points;
        if points > held {
            return Err(DomainError::not_allowed(format!(
                "the customer has {}, fewer than {points}",
                kasir_domain::loyalty::points_text(held)
            ))
            .into());
        }
        self.remove_points();
        let value = rule.value_of(points, self.settings.currency);
        self.cart.add_discount(Discount::Amount(value))?;
        self.pending.points = points;
        self.pending.points_value = value;
        self.changed(&format!(
            "{points} points redeemed for {} off",
            money(&self.settings, value)
        ))
    }

    /// Takes a points discount off the cart.
    fn remove_points(&mut self) {
        if self.pending.points == 0 {
            return;
        }
        let value = self.pending.points_value;
        let kept: Vec<Discount> = self
            .cart
            .discounts()
            .iter()
            .copied()
            .filter(|d| *d != Discount::Amount(value))
            .collect();
        self.cart.clear_discounts();
        for d in kept {
            // These were valid before, on a larger base.
            let _ = self.cart.add_discount(d);
        }
        self.pending.points = 0;
        self.pending.points_value = Decimal::ZERO;
    }

    /// After the `discount` command replaced the order discounts: the points discount went
    /// with them.
    pub(super) fn order_discounts_replaced(&mut self) {
        if self.pending.points > 0 {
            self.pending.points = 0;
            self.pending.points_value = Decimal::ZERO;
            eprintln!("note: the points redemption was removed with the discount; redeem again");
        }
    }

    /// The sale's id when something was tied to it already, else a new one.
    pub(super) fn next_sale_id(&mut self) -> Uuid {
        self.sale_id()
    }

    /// Stores the sale with what it carries, in one transaction.
    pub(super) fn commit(&mut self, sale: Sale) -> Result<Sale, CliError> {
        let checkout = Checkout {
            offline_redemptions: self.pending.offline.clone(),
            loyalty: self.pending.customer.as_ref().map(|c| SaleLoyalty {
                customer_id: c.id,
                points_redeemed: self.pending.points,
            }),
        };
        Ok(self.store.commit_checkout(sale, &checkout)?)
    }

    /// The receipt's loyalty lines: points earned and redeemed, and the balance now.
    pub(super) fn points_lines(&self, sale: &Sale) -> Result<Vec<String>, CliError> {
        let Some(customer) = &self.pending.customer else {
            return Ok(Vec::new());
        };
        let w = self.width;
        let mut lines = Vec::new();
        let (earned, redeemed) = match self.store.sale_points(sale.id)? {
            Some((_, p)) => (p.earned, p.redeemed),
            None => (0, 0),
        };
        let balance = self.store.customer_points(customer.clone())?.points;
        let (used, got, left) = match self.settings.locale {
            kasir_domain::money::Locale::Id => ("Poin ditukar", "Poin didapat", "Saldo poin"),
            kasir_domain::money::Locale::En => {
                ("Points redeemed", "Points earned", "Points balance")
            }
        };
        if redeemed > 0 {
            lines.push(two_columns(used, &format!("-{redeemed}"), w));
        }
        lines.push(two_columns(got, &format!("+{earned}"), w));
        lines.push(two_columns(left, &balance.to_string(), w));
        Ok(lines)
    }
}

/// Tells the cashier about gift card payments left by a register that stopped mid-sale.
pub(super) fn warn_unrecorded(store: &kasir_store::Store) {
    if let Ok(found) = store.unrecorded_gift_redemptions()
        && !found.is_empty()
    {
        eprintln!(
            "note: {} gift card payment(s) were taken for sales never recorded: \
             `kasir giftcard unrecorded --give-back` pays them back onto their cards",
            found.len()
        );
    }
}

/// A new card number from 40 random bits (the random part of a UUIDv7, from the operating
/// system's source).
fn new_number() -> CardNumber {
    let id = Uuid::now_v7();
    let bytes = id.as_bytes();
    CardNumber::from_random([bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]])
}
