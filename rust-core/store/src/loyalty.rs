//! Loyalty on the device: customers, the store's points rule, and the points ledger.
//!
//! Every change of points is a row of `loyalty_entries`, unique on `(reference_id, kind)`, and
//! an outbox event (`LoyaltyPoints`) written in the same transaction, so the cloud keeps the
//! same ledger under the same key. A sale's points (redeemed as its discount, earned by its
//! spend) are written in the sale's own transaction ([`record_sale_loyalty_in`], called by
//! [`Store::commit_checkout`]); a refund's reversal in the refund's
//! ([`reverse_sale_points_in`]). A customer added here goes to the cloud as a
//! `CustomerAdded` event. Personal data never reaches the logs: they name the customer's id.

use jiff::Timestamp;
use kasir_domain::DomainError;
use kasir_domain::loyalty::{
    Customer, Gender, LoyaltyRule, NewCustomer, PointsKind, Reversal, SalePoints, normalise_email,
    normalise_phone, refund_reversal,
};
use kasir_domain::sale::Sale;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::outbox::{EventKind, insert_event};
use crate::units::{from_minor, to_minor};
use crate::{Store, StoreError, write_setting};

/// The settings key of the store's loyalty rule.
const RULE_KEY: &str = "loyalty_rule";

/// The customer and the points redeemed for a sale being checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleLoyalty {
    /// The customer attached to the sale.
    pub customer_id: Uuid,
    /// Points redeemed as the sale's discount (0 for none).
    pub points_redeemed: i64,
}

/// A customer with their points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerPoints {
    /// The customer.
    pub customer: Customer,
    /// The balance: the sum of the ledger.
    pub points: i64,
    /// What the customer has spent in all (for tiers).
    pub lifetime_spend: Decimal,
    /// The tier reached, if the rule has tiers.
    pub tier: Option<String>,
}

/// One entry of a customer's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointsRow {
    /// What caused it: a sale or a refund.
    pub reference_id: String,
    /// The sale it belongs to.
    pub sale_id: String,
    /// The kind.
    pub kind: String,
    /// The change.
    pub points: i64,
    /// When.
    pub created_at: String,
}

/// The payload of a `LoyaltyPoints` event, as the cloud reads it.
#[derive(Debug, Clone, Serialize)]
struct PointsPayload {
    entry_id: Uuid,
    customer_id: Uuid,
    reference_id: Uuid,
    sale_id: Uuid,
    kind: PointsKind,
    points: i64,
    spend: Decimal,
    currency: String,
    occurred_at: Timestamp,
}

impl Store {
    /// The store's loyalty rule; none until set (no points are earned).
    pub fn loyalty_rule(&self) -> Result<Option<LoyaltyRule>, StoreError> {
        self.read_setting(RULE_KEY)
    }

    /// Sets the store's loyalty rule, checked against its currency.
    pub fn set_loyalty_rule(&mut self, rule: &LoyaltyRule) -> Result<(), StoreError> {
        rule.validate(self.settings()?.currency)?;
        let tx = self.write_tx()?;
        write_setting(&tx, RULE_KEY, rule)?;
        tx.commit()?;
        Ok(())
    }

    /// Adds a customer (consent required) and queues the `CustomerAdded` event, in one
    /// transaction. Refused: no consent, bad data, a phone or email another customer has.
    pub fn add_customer(&mut self, new: &NewCustomer<'_>) -> Result<Customer, StoreError> {
        let device_id = self.device()?.id.clone();
        let now = Timestamp::now();
        let customer = Customer::new(Uuid::now_v7(), new, now)?;
        let tx = self.write_tx()?;
        for (field, value, column) in [
            ("phone", customer.phone.as_deref(), "phone"),
            ("email", customer.email.as_deref(), "email"),
        ] {
            let Some(value) = value else { continue };
            let taken: bool = tx.query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM customers WHERE {column} = ?1)"),
                [value],
                |r| r.get(0),
            )?;
            if taken {
                return Err(DomainError::invalid(
                    field,
                    format!("another customer already has this {field}"),
                )
                .into());
            }
        }
        tx.execute(
            "INSERT INTO customers (id, name, phone, email, birth_year, gender, consent_at,
                created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![
                customer.id.to_string(),
                customer.name,
                customer.phone,
                customer.email,
                customer.birth_year,
                customer.gender.map(Gender::name),
                now.to_string()
            ],
        )?;
        insert_event(
            &tx,
            &device_id,
            EventKind::CustomerAdded,
            &now.to_string(),
            &serde_json::to_string(&customer)?,
        )?;
        tx.commit()?;
        tracing::info!(customer = %customer.id, "customer added");
        Ok(customer)
    }

    /// The customer whose id, phone number or email is `key`.
    pub fn find_customer(&self, key: &str) -> Result<Customer, StoreError> {
        let key = key.trim();
        let (column, value) = if let Ok(id) = Uuid::parse_str(key) {
            ("id", id.to_string())
        } else if key.contains('@') {
            ("email", normalise_email(key)?)
        } else {
            ("phone", normalise_phone(key)?)
        };
        let found = self
            .conn
            .query_row(
                &format!("{CUSTOMER_COLUMNS} AND {column} = ?1"),
                [&value],
                customer_row,
            )
            .optional()?;
        if found.is_none() && column == "id" {
            crate::erasure::refuse_erased(&self.conn, &value)?;
        }
        found.transpose()?.ok_or(StoreError::NotFound {
            what: "customer",
            // Never the phone number or the address itself.
            key: format!("with that {column}"),
        })
    }

    /// Every customer, by name.
    pub fn list_customers(&self) -> Result<Vec<CustomerPoints>, StoreError> {
        let mut statement = self
            .conn
            .prepare(&format!("{CUSTOMER_COLUMNS} ORDER BY name, id"))?;
        let customers: Vec<Customer> = statement
            .query_map([], customer_row)?
            .collect::<Result<Result<Vec<_>, _>, _>>()??;
        customers
            .into_iter()
            .map(|c| self.customer_points(c))
            .collect()
    }

    /// The customer with their balance, lifetime spend and tier.
    pub fn customer_points(&self, customer: Customer) -> Result<CustomerPoints, StoreError> {
        let currency = self.settings()?.currency;
        let (points, spend) = balance(&self.conn, customer.id)?;
        let lifetime_spend = from_minor(spend, currency);
        let tier = self
            .loyalty_rule()?
            .and_then(|r| r.tier_for(lifetime_spend).map(|t| t.name.clone()));
        Ok(CustomerPoints {
            customer,
            points,
            lifetime_spend,
            tier,
        })
    }

    /// A customer's ledger, oldest first.
    pub fn customer_entries(&self, customer_id: Uuid) -> Result<Vec<PointsRow>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT reference_id, sale_id, kind, points, created_at FROM loyalty_entries
             WHERE customer_id = ?1 ORDER BY created_at, rowid",
        )?;
        let rows = statement.query_map([customer_id.to_string()], |r| {
            Ok(PointsRow {
                reference_id: r.get(0)?,
                sale_id: r.get(1)?,
                kind: r.get(2)?,
                points: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What a sale did to its customer's points, and its refunds so far: `None` when no
    /// customer was attached.
    pub fn sale_points(&self, sale_id: Uuid) -> Result<Option<(Uuid, SalePoints)>, StoreError> {
        sale_points(&self.conn, sale_id)
    }

    /// The owner's correction of a customer's points, up or down (an `adjust` entry of its
    /// own, with its event). Refused: zero points. Returns the balance after it.
    pub fn adjust_points(&mut self, customer_id: Uuid, points: i64) -> Result<i64, StoreError> {
        let device_id = self.device()?.id.clone();
        let currency = self.settings()?.currency;
        let tx = self.write_tx()?;
        crate::erasure::refuse_erased(&tx, &customer_id.to_string())?;
        let known: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)",
            [customer_id.to_string()],
            |r| r.get(0),
        )?;
        if !known {
            return Err(StoreError::NotFound {
                what: "customer",
                key: customer_id.to_string(),
            });
        }
        let reference = Uuid::now_v7();
        insert_entry(
            &tx,
            &device_id,
            currency,
            customer_id,
            reference,
            reference,
            PointsKind::Adjust,
            points,
            Decimal::ZERO,
        )?;
        let (balance, _) = balance(&tx, customer_id)?;
        tx.commit()?;
        tracing::info!(customer = %customer_id, points, "loyalty points adjusted");
        Ok(balance)
    }

    /// [`reverse_sale_points_in`] in a transaction of its own.
    pub fn reverse_sale_points(
        &mut self,
        sale_id: Uuid,
        refund_id: Uuid,
        refund_fraction: Decimal,
    ) -> Result<Option<Reversal>, StoreError> {
        let device_id = self.device()?.id.clone();
        let rule = self.loyalty_rule()?;
        let currency = self.settings()?.currency;
        let tx = self.write_tx()?;
        let done = reverse_sale_points_in(
            &tx,
            &device_id,
            currency,
            rule.as_ref(),
            sale_id,
            refund_id,
            refund_fraction,
        )?;
        tx.commit()?;
        Ok(done)
    }
}

/// One entry of a customer's ledger as the cloud holds it, to merge into this device's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownEntry {
    /// The entry's id.
    pub entry_id: Uuid,
    /// What caused it.
    pub reference_id: Uuid,
    /// The sale it belongs to.
    pub sale_id: Uuid,
    /// The kind.
    pub kind: PointsKind,
    /// The change.
    pub points: i64,
    /// The spend it added.
    pub spend: Decimal,
    /// When it happened.
    pub occurred_at: Timestamp,
}

impl Store {
    /// Takes in a customer another device added (as the cloud has them) and the entries of
    /// their ledger, in one transaction, queueing nothing (the cloud has them already). An
    /// entry whose key `(reference, kind)` this device already holds is left as it is, so
    /// merging again, or merging entries this device made, changes nothing. Returns the
    /// customer's balance here afterwards.
    pub fn merge_customer(
        &mut self,
        customer: &Customer,
        entries: &[KnownEntry],
    ) -> Result<i64, StoreError> {
        let currency = self.settings()?.currency;
        let tx = self.write_tx()?;
        crate::erasure::refuse_erased(&tx, &customer.id.to_string())?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)",
            [customer.id.to_string()],
            |r| r.get(0),
        )?;
        if !exists {
            tx.execute(
                "INSERT INTO customers (id, name, phone, email, birth_year, gender, consent_at,
                    created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    customer.id.to_string(),
                    customer.name,
                    customer.phone,
                    customer.email,
                    customer.birth_year,
                    customer.gender.map(Gender::name),
                    customer.consent_at.to_string(),
                    Timestamp::now().to_string()
                ],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::Domain(DomainError::not_allowed(
                        "another customer on this device has the same phone or email",
                    ))
                }
                other => other.into(),
            })?;
        }
        for e in entries {
            e.kind.check_entry(e.points, e.spend)?;
            tx.execute(
                "INSERT INTO loyalty_entries (id, customer_id, reference_id, sale_id, kind,
                    points, spend_minor, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT DO NOTHING",
                params![
                    e.entry_id.to_string(),
                    customer.id.to_string(),
                    e.reference_id.to_string(),
                    e.sale_id.to_string(),
                    e.kind.name(),
                    e.points,
                    to_minor(e.spend, currency)?,
                    e.occurred_at.to_string()
                ],
            )?;
        }
        let (points, _) = balance(&tx, customer.id)?;
        tx.commit()?;
        tracing::info!(customer = %customer.id, entries = entries.len(), "customer merged from the cloud");
        Ok(points)
    }
}

/// The customers not erased (an erased one has no name, phone or email to read).
const CUSTOMER_COLUMNS: &str = "SELECT id, name, phone, email, birth_year, gender, consent_at
     FROM customers WHERE erased_at IS NULL";

type Row = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i32>,
    Option<String>,
    String,
);

fn customer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Customer, StoreError>> {
    let row: Row = (
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    );
    Ok(parse_customer(row))
}

fn parse_customer(row: Row) -> Result<Customer, StoreError> {
    let (id, name, phone, email, birth_year, gender, consent_at) = row;
    Ok(Customer {
        id: Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(format!("customer id: {e}")))?,
        name,
        phone,
        email,
        birth_year,
        gender: gender.map(|g| Gender::parse(&g)).transpose()?,
        consent_at: consent_at
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("customer consent_at: {e}")))?,
    })
}

/// A customer's points and lifetime spend (minor units).
fn balance(conn: &Connection, customer_id: Uuid) -> Result<(i64, i64), StoreError> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(points), 0), coalesce(sum(spend_minor), 0)
         FROM loyalty_entries WHERE customer_id = ?1",
        [customer_id.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

fn sale_points(conn: &Connection, sale_id: Uuid) -> Result<Option<(Uuid, SalePoints)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT customer_id, kind, sum(points) FROM loyalty_entries WHERE sale_id = ?1
         GROUP BY customer_id, kind",
    )?;
    let rows = statement.query_map([sale_id.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut customer = None;
    let mut points = SalePoints::default();
    for row in rows {
        let (customer_id, kind, sum) = row?;
        customer = Some(customer_id);
        match PointsKind::parse(&kind)? {
            PointsKind::Earn => points.earned += sum,
            PointsKind::Redeem => points.redeemed += -sum,
            PointsKind::ReverseEarn => points.reversed += -sum,
            PointsKind::RestoreRedeem => points.restored += sum,
            PointsKind::Adjust => {}
        }
    }
    // A customer attached to a sale that neither earned nor redeemed has no entries.
    customer
        .map(|c| {
            Uuid::parse_str(&c)
                .map(|id| (id, points))
                .map_err(|e| StoreError::Corrupt(format!("loyalty customer id: {e}")))
        })
        .transpose()
}

/// Writes one entry and its `LoyaltyPoints` event inside `tx`. The UNIQUE key
/// `(reference_id, kind)` refuses a second copy.
#[allow(
    clippy::too_many_arguments,
    reason = "the columns of one entry, each named"
)]
fn insert_entry(
    tx: &Transaction<'_>,
    device_id: &str,
    currency: kasir_domain::money::Currency,
    customer_id: Uuid,
    reference_id: Uuid,
    sale_id: Uuid,
    kind: PointsKind,
    points: i64,
    spend: Decimal,
) -> Result<(), StoreError> {
    kind.check_entry(points, spend)?;
    let now = Timestamp::now();
    let entry_id = Uuid::now_v7();
    let payload = serde_json::to_string(&PointsPayload {
        entry_id,
        customer_id,
        reference_id,
        sale_id,
        kind,
        points,
        spend,
        currency: currency.code().to_string(),
        occurred_at: now,
    })?;
    let seq = insert_event(
        tx,
        device_id,
        EventKind::LoyaltyPoints,
        &now.to_string(),
        &payload,
    )?;
    let inserted = tx.execute(
        "INSERT INTO loyalty_entries (id, customer_id, reference_id, sale_id, kind, points,
            spend_minor, created_at, event_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (reference_id, kind) DO NOTHING",
        params![
            entry_id.to_string(),
            customer_id.to_string(),
            reference_id.to_string(),
            sale_id.to_string(),
            kind.name(),
            points,
            to_minor(spend, currency)?,
            now.to_string(),
            seq
        ],
    )?;
    if inserted == 0 {
        // Dropping the transaction takes the event back with it.
        return Err(DomainError::not_allowed(format!(
            "the `{}` points of {reference_id} are already recorded",
            kind.name()
        ))
        .into());
    }
    Ok(())
}

/// Records a sale's points inside its transaction: the points redeemed (checked against the
/// customer's balance, and against the sale's discounts: one of them must be their value),
/// then the points its spend earns under `rule`. The spend is the sale's total less the gift
/// cards it sold. Returns what the sale earned.
pub(crate) fn record_sale_loyalty_in(
    tx: &Transaction<'_>,
    device_id: &str,
    rule: &Option<LoyaltyRule>,
    sale: &Sale,
    loyalty: &SaleLoyalty,
) -> Result<i64, StoreError> {
    let currency = sale.currency;
    let customer_id = loyalty.customer_id;
    crate::erasure::refuse_erased(tx, &customer_id.to_string())?;
    let known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)",
        [customer_id.to_string()],
        |r| r.get(0),
    )?;
    if !known {
        return Err(StoreError::NotFound {
            what: "customer",
            key: customer_id.to_string(),
        });
    }
    let (points, spend_minor) = balance(tx, customer_id)?;
    if loyalty.points_redeemed < 0 {
        return Err(DomainError::invalid("points", "cannot redeem fewer than zero").into());
    }
    if loyalty.points_redeemed > 0 {
        let rule = rule.as_ref().ok_or_else(|| {
            DomainError::not_allowed("the store has no loyalty rule: points cannot be redeemed")
        })?;
        if loyalty.points_redeemed > points {
            return Err(DomainError::not_allowed(format!(
                "the customer has {}, fewer than the {} redeemed",
                kasir_domain::loyalty::points_text(points),
                loyalty.points_redeemed
            ))
            .into());
        }
        let value = rule.value_of(loyalty.points_redeemed, currency);
        if !sale.discount_amounts.contains(&value) {
            return Err(DomainError::invalid(
                "points",
                format!(
                    "{} points are worth {value}, and no discount of the sale is that amount",
                    loyalty.points_redeemed
                ),
            )
            .into());
        }
        insert_entry(
            tx,
            device_id,
            currency,
            customer_id,
            sale.id,
            sale.id,
            PointsKind::Redeem,
            -loyalty.points_redeemed,
            Decimal::ZERO,
        )?;
    }
    let spend = sale.total - sale.gift_cards_total();
    let earned = rule.as_ref().map_or(0, |r| {
        r.points_for(spend, from_minor(spend_minor, currency))
    });
    // The spend counts toward the customer's tier whatever it earned: a sale that earns no
    // points still has its `earn` entry, with 0 points and its spend.
    if earned > 0 || spend > Decimal::ZERO {
        insert_entry(
            tx,
            device_id,
            currency,
            customer_id,
            sale.id,
            sale.id,
            PointsKind::Earn,
            earned,
            spend,
        )?;
    }
    tracing::info!(customer = %customer_id, earned, redeemed = loyalty.points_redeemed,
        "loyalty points recorded");
    Ok(earned)
}

/// Rule P-03 for a refund, inside the refund's transaction: takes back `earned x fraction` of
/// the points the sale earned and, when the rule restores redeemed points, gives back the same
/// share of those it redeemed, where the fraction is what the refunds of the sale gave back so
/// far (this one's `refund_fraction`, 0 to 1, see `Refund::fraction_of`, added to the earlier
/// ones'). Each refund is settled once: a second call with the same `refund_id` changes
/// nothing and returns `None`, as does a sale without a customer.
///
/// The refund path calls this with its transaction; the entries and their `LoyaltyPoints`
/// events commit or roll back with the refund.
pub fn reverse_sale_points_in(
    tx: &Transaction<'_>,
    device_id: &str,
    currency: kasir_domain::money::Currency,
    rule: Option<&LoyaltyRule>,
    sale_id: Uuid,
    refund_id: Uuid,
    refund_fraction: Decimal,
) -> Result<Option<Reversal>, StoreError> {
    if refund_fraction.is_sign_negative() || refund_fraction > Decimal::ONE {
        return Err(DomainError::invalid(
            "refund fraction",
            format!("{refund_fraction} is not between 0 and 1"),
        )
        .into());
    }
    let settled: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM loyalty_refunds WHERE refund_id = ?1)",
        [refund_id.to_string()],
        |r| r.get(0),
    )?;
    if settled {
        return Ok(None);
    }
    let Some((customer_id, points)) = sale_points(tx, sale_id)? else {
        return Ok(None);
    };
    let mut earlier = Decimal::ZERO;
    {
        let mut statement =
            tx.prepare_cached("SELECT fraction FROM loyalty_refunds WHERE sale_id = ?1")?;
        let rows = statement.query_map([sale_id.to_string()], |r| r.get::<_, String>(0))?;
        for row in rows {
            let text = row?;
            earlier += text
                .parse::<Decimal>()
                .map_err(|e| StoreError::Corrupt(format!("loyalty refund fraction: {e}")))?;
        }
    }
    let restore = rule.is_some_and(|r| r.restore_redeemed_on_refund);
    let reversal = refund_reversal(&points, earlier + refund_fraction, restore)?;
    tx.execute(
        "INSERT INTO loyalty_refunds (refund_id, sale_id, fraction, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            refund_id.to_string(),
            sale_id.to_string(),
            refund_fraction.to_string(),
            Timestamp::now().to_string()
        ],
    )?;
    // The spend the sale added goes back in the same share, by the same cumulative method as
    // the points: what the refunds so far take back in all, less what earlier ones took, so
    // the refunds of the whole sale take back exactly its spend.
    let (sale_spend_minor, taken_minor): (i64, i64) = tx.query_row(
        "SELECT coalesce(sum(spend_minor) FILTER (WHERE kind = 'earn'), 0),
                coalesce(-sum(spend_minor) FILTER (WHERE kind = 'reverse_earn'), 0)
         FROM loyalty_entries WHERE sale_id = ?1",
        [sale_id.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let sale_spend = from_minor(sale_spend_minor, currency);
    let taken = from_minor(taken_minor, currency);
    let spend = (kasir_domain::rounding::round(
        sale_spend * (earlier + refund_fraction).min(Decimal::ONE),
        currency.minor_units(),
        kasir_domain::rounding::Rounding::HalfAwayFromZero,
    ) - taken)
        .max(Decimal::ZERO)
        .min((sale_spend - taken).max(Decimal::ZERO));
    if reversal.reverse_earned > 0 || spend > Decimal::ZERO {
        insert_entry(
            tx,
            device_id,
            currency,
            customer_id,
            refund_id,
            sale_id,
            PointsKind::ReverseEarn,
            -reversal.reverse_earned,
            -spend,
        )?;
    }
    if reversal.restore_redeemed > 0 {
        insert_entry(
            tx,
            device_id,
            currency,
            customer_id,
            refund_id,
            sale_id,
            PointsKind::RestoreRedeem,
            reversal.restore_redeemed,
            Decimal::ZERO,
        )?;
    }
    tracing::info!(customer = %customer_id, reversed = reversal.reverse_earned,
        restored = reversal.restore_redeemed, "loyalty points of a refund settled");
    Ok(Some(reversal))
}
