//! Loyalty: customers, the points they earn by spending and redeem as discounts, tiers, and
//! the ledger that is a customer's balance.
//!
//! A balance is never a number that is overwritten: it is the sum of a ledger of entries, each
//! keyed by what caused it (a sale, a refund) and its kind (earned, redeemed, reversed,
//! restored), so that a retried sync, a resent event or a refund replayed can never apply the
//! same change twice: the second copy of a key is recognised and changes nothing
//! ([`PointsLedger::apply`]). The device and the cloud both hold the ledger this way, with a
//! unique constraint on the key.
//!
//! Points are whole numbers. Earning is `amount / spend_per_point x tier multiplier`, rounded
//! with the rule's named strategy; a refund reverses `earned x refunded fraction` (rule P-03),
//! computed on the cumulative fraction so that partial refunds add up to exactly what was
//! earned, and restores redeemed points only when the store's policy says so.

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::DomainError;
use crate::money::Currency;
use crate::rounding::{Rounding, round};

/// `n` points in words: `1 point`, `12 points`, `-3 points`.
pub fn points_text(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} point")
    } else {
        format!("{n} points")
    }
}

/// A customer's gender, for the owner's reports, only if the customer gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Another answer.
    Other,
}

impl Gender {
    /// Reads `female`, `male` or `other` (or `f`, `m`, `o`; `p`/`l` in Indonesian).
    pub fn parse(text: &str) -> Result<Gender, DomainError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "female" | "f" | "p" | "perempuan" => Ok(Gender::Female),
            "male" | "m" | "l" | "laki-laki" => Ok(Gender::Male),
            "other" | "o" => Ok(Gender::Other),
            _ => Err(DomainError::invalid(
                "gender",
                "must be female, male or other (or left out)",
            )),
        }
    }

    /// The name stored and sent.
    pub fn name(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Other => "other",
        }
    }
}

/// A loyalty customer. Name, phone, email, birth year and gender are personal data: they are
/// stored because the customer consented (when is recorded), and never written to logs (the
/// `Debug` form shows only the id).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// A UUIDv7 made where the customer was added.
    pub id: Uuid,
    /// The name the customer gave.
    pub name: String,
    /// A phone number: digits, with an optional leading `+`.
    #[serde(default)]
    pub phone: Option<String>,
    /// An email address, in lower case.
    #[serde(default)]
    pub email: Option<String>,
    /// The year of birth, for the owner's reports, if given.
    #[serde(default)]
    pub birth_year: Option<i32>,
    /// Gender, for the owner's reports, if given.
    #[serde(default)]
    pub gender: Option<Gender>,
    /// When the customer agreed to their data being kept for the loyalty programme.
    pub consent_at: Timestamp,
}

impl fmt::Debug for Customer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Customer")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// What a customer is made from, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCustomer<'a> {
    /// The name.
    pub name: &'a str,
    /// A phone number.
    pub phone: Option<&'a str>,
    /// An email address.
    pub email: Option<&'a str>,
    /// A year of birth.
    pub birth_year: Option<i32>,
    /// A gender.
    pub gender: Option<Gender>,
    /// Whether the customer consented to their data being kept.
    pub consent: bool,
}

/// Normalises a phone number: spaces, dashes, dots and brackets dropped; digits with an
/// optional leading `+`, 6 to 15 digits. The error never repeats the number.
pub fn normalise_phone(text: &str) -> Result<String, DomainError> {
    let kept: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let digits = kept.strip_prefix('+').unwrap_or(&kept);
    if !(6..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DomainError::invalid(
            "phone",
            "must be 6 to 15 digits, with an optional leading +",
        ));
    }
    Ok(kept)
}

/// Normalises an email address to lower case, checking its shape (`name@domain.tld`).
pub fn normalise_email(text: &str) -> Result<String, DomainError> {
    let email = text.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if !valid {
        return Err(DomainError::invalid(
            "email",
            "is not an email address (name@domain.tld)",
        ));
    }
    Ok(email)
}

impl Customer {
    /// A customer made from `new`, checked. Refused: no consent, an empty or over-long name,
    /// neither a phone number nor an email, a malformed one, a birth year out of 1900-2100.
    pub fn new(id: Uuid, new: &NewCustomer<'_>, now: Timestamp) -> Result<Customer, DomainError> {
        if !new.consent {
            return Err(DomainError::not_allowed(
                "the customer must agree to their data being kept (consent) before it is stored",
            ));
        }
        let name = new.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(DomainError::invalid("name", "must be 1 to 100 characters"));
        }
        let phone = new.phone.map(normalise_phone).transpose()?;
        let email = new.email.map(normalise_email).transpose()?;
        if phone.is_none() && email.is_none() {
            return Err(DomainError::invalid(
                "contact",
                "give a phone number or an email address",
            ));
        }
        if let Some(year) = new.birth_year
            && !(1900..=2100).contains(&year)
        {
            return Err(DomainError::invalid(
                "birth year",
                format!("{year} is not a year between 1900 and 2100"),
            ));
        }
        Ok(Customer {
            id,
            name: name.to_string(),
            phone,
            email,
            birth_year: new.birth_year,
            gender: new.gender,
            consent_at: now,
        })
    }
}

/// A tier: customers whose lifetime spend reached `min_lifetime_spend` earn `multiplier` times
/// the points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    /// The tier's name, for the receipt (`Gold`).
    pub name: String,
    /// The lifetime spend from which it applies.
    pub min_lifetime_spend: Decimal,
    /// How many times the base points it earns (`1.5`).
    pub multiplier: Decimal,
}

/// The store's loyalty rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoyaltyRule {
    /// One point per this much spent (`10000`: one point per Rp 10,000).
    pub spend_per_point: Decimal,
    /// What one redeemed point takes off an order (`100`: Rp 100 a point).
    pub point_value: Decimal,
    /// How a fraction of a point earned is rounded (down by default: a point is earned only
    /// when the whole amount was spent).
    #[serde(default = "rounding_down")]
    pub rounding: Rounding,
    /// Tiers, if the store has them.
    #[serde(default)]
    pub tiers: Vec<Tier>,
    /// Whether a refund gives back the points a sale redeemed (in proportion to what is
    /// refunded). Off by default: redeemed points are not restored.
    #[serde(default)]
    pub restore_redeemed_on_refund: bool,
}

fn rounding_down() -> Rounding {
    Rounding::Down
}

impl LoyaltyRule {
    /// One point per `spend_per_point`, each worth `point_value`, rounded down, no tiers, no
    /// restoring of redeemed points.
    pub fn new(spend_per_point: Decimal, point_value: Decimal) -> LoyaltyRule {
        LoyaltyRule {
            spend_per_point,
            point_value,
            rounding: Rounding::Down,
            tiers: Vec::new(),
            restore_redeemed_on_refund: false,
        }
    }

    /// Checks the rule for `currency`; the error names the setting at fault.
    pub fn validate(&self, currency: Currency) -> Result<(), DomainError> {
        if self.spend_per_point <= Decimal::ZERO {
            return Err(DomainError::invalid(
                "spend_per_point",
                "must be more than zero",
            ));
        }
        currency.check_scale("spend_per_point", self.spend_per_point)?;
        if self.point_value <= Decimal::ZERO {
            return Err(DomainError::invalid(
                "point_value",
                "must be more than zero",
            ));
        }
        currency.check_scale("point_value", self.point_value)?;
        for (i, tier) in self.tiers.iter().enumerate() {
            let field = format!("tier {} ({})", i + 1, tier.name);
            if tier.name.trim().is_empty() {
                return Err(DomainError::invalid(field, "has no name"));
            }
            if tier.multiplier <= Decimal::ZERO || tier.multiplier > Decimal::from(10) {
                return Err(DomainError::invalid(
                    field,
                    "multiplier must be more than 0 and at most 10",
                ));
            }
            if tier.min_lifetime_spend.is_sign_negative() {
                return Err(DomainError::invalid(field, "minimum spend is negative"));
            }
            currency.check_scale(&field, tier.min_lifetime_spend)?;
        }
        Ok(())
    }

    /// The tier of a customer who has spent `lifetime_spend`: the one with the highest minimum
    /// reached, if any.
    pub fn tier_for(&self, lifetime_spend: Decimal) -> Option<&Tier> {
        self.tiers
            .iter()
            .filter(|t| t.min_lifetime_spend <= lifetime_spend)
            .max_by_key(|t| t.min_lifetime_spend)
    }

    /// The points earned by spending `amount`, for a customer whose lifetime spend before it
    /// was `lifetime_spend`. Never negative.
    pub fn points_for(&self, amount: Decimal, lifetime_spend: Decimal) -> i64 {
        if amount <= Decimal::ZERO || self.spend_per_point <= Decimal::ZERO {
            return 0;
        }
        let multiplier = self
            .tier_for(lifetime_spend)
            .map_or(Decimal::ONE, |t| t.multiplier);
        let points = round(amount / self.spend_per_point * multiplier, 0, self.rounding);
        points.to_i64().unwrap_or(0).max(0)
    }

    /// What redeeming `points` takes off an order, in `currency`.
    pub fn value_of(&self, points: i64, currency: Currency) -> Decimal {
        round(
            Decimal::from(points) * self.point_value,
            currency.minor_units(),
            Rounding::HalfAwayFromZero,
        )
    }
}

/// What an entry of the points ledger records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointsKind {
    /// Points earned by a sale (positive).
    Earn,
    /// Points redeemed as a sale's discount (negative).
    Redeem,
    /// Earned points taken back by a refund (negative).
    ReverseEarn,
    /// Redeemed points given back by a refund (positive), when the policy says so.
    RestoreRedeem,
    /// A correction by the owner (either sign).
    Adjust,
}

impl PointsKind {
    /// The name stored and sent.
    pub fn name(self) -> &'static str {
        match self {
            PointsKind::Earn => "earn",
            PointsKind::Redeem => "redeem",
            PointsKind::ReverseEarn => "reverse_earn",
            PointsKind::RestoreRedeem => "restore_redeem",
            PointsKind::Adjust => "adjust",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Result<PointsKind, DomainError> {
        [
            PointsKind::Earn,
            PointsKind::Redeem,
            PointsKind::ReverseEarn,
            PointsKind::RestoreRedeem,
            PointsKind::Adjust,
        ]
        .into_iter()
        .find(|k| k.name() == name.trim())
        .ok_or_else(|| {
            DomainError::invalid(
                "kind",
                format!("`{name}` is not earn, redeem, reverse_earn, restore_redeem or adjust"),
            )
        })
    }

    /// Checks the sign of `points` for this kind: not zero, positive for earning and
    /// restoring, negative for redeeming and reversing.
    pub fn check(self, points: i64) -> Result<(), DomainError> {
        let ok = match self {
            PointsKind::Earn | PointsKind::RestoreRedeem => points > 0,
            PointsKind::Redeem | PointsKind::ReverseEarn => points < 0,
            PointsKind::Adjust => points != 0,
        };
        if ok {
            Ok(())
        } else {
            Err(DomainError::invalid(
                "points",
                format!(
                    "{points} is not a valid change for a `{}` entry",
                    self.name()
                ),
            ))
        }
    }

    /// Checks a ledger entry that also carries the spend it adds to the customer's lifetime
    /// spend (tiers). A sale's spend counts whatever it earned, so an `earn` entry may earn
    /// no points (a small amount, or a rule that gives none) and a `reverse_earn` entry may
    /// reverse none, as long as it carries spend: `earn` has points and spend of zero or more,
    /// `reverse_earn` of zero or less, not both zero. The other kinds carry no spend and
    /// points of the sign [`PointsKind::check`] gives.
    pub fn check_entry(self, points: i64, spend: Decimal) -> Result<(), DomainError> {
        let ok = match self {
            PointsKind::Earn => {
                points >= 0 && !spend.is_sign_negative() && (points > 0 || !spend.is_zero())
            }
            PointsKind::ReverseEarn => {
                points <= 0
                    && (spend.is_sign_negative() || spend.is_zero())
                    && (points < 0 || !spend.is_zero())
            }
            _ => {
                return self.check(points).and_then(|()| {
                    if spend.is_zero() {
                        Ok(())
                    } else {
                        Err(DomainError::invalid(
                            "spend",
                            format!("a `{}` entry carries no spend, not {spend}", self.name()),
                        ))
                    }
                });
            }
        };
        if ok {
            Ok(())
        } else {
            Err(DomainError::invalid(
                "points",
                format!(
                    "{points} points with a spend of {spend} is not a valid `{}` entry",
                    self.name()
                ),
            ))
        }
    }
}

/// One change of a customer's points, keyed by `(reference, kind)`: the sale (or refund) that
/// caused it and what it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsEntry {
    /// The sale or refund that caused it.
    pub reference: Uuid,
    /// What it records.
    pub kind: PointsKind,
    /// The change (see [`PointsKind::check`] for its sign).
    pub points: i64,
}

/// What applying an entry to a ledger did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// It was new and changed the balance.
    New,
    /// The same entry was already there: nothing changed.
    AlreadyApplied,
}

/// A customer's points: the entries, keyed by `(reference, kind)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PointsLedger {
    entries: BTreeMap<(Uuid, PointsKind), i64>,
}

impl PointsLedger {
    /// An empty ledger.
    pub fn new() -> PointsLedger {
        PointsLedger::default()
    }

    /// Applies `entry` once: a second copy of its key changes nothing; a different change
    /// under a key already used is refused. A redemption beyond the balance is refused.
    pub fn apply(&mut self, entry: PointsEntry) -> Result<Applied, DomainError> {
        entry.kind.check(entry.points)?;
        let key = (entry.reference, entry.kind);
        if let Some(&points) = self.entries.get(&key) {
            if points == entry.points {
                return Ok(Applied::AlreadyApplied);
            }
            return Err(DomainError::not_allowed(format!(
                "a `{}` entry for {} is already recorded with {points} points, not {}",
                entry.kind.name(),
                entry.reference,
                entry.points
            )));
        }
        if entry.kind == PointsKind::Redeem && self.balance() + entry.points < 0 {
            return Err(DomainError::not_allowed(format!(
                "the customer has {}, fewer than the {} asked for",
                points_text(self.balance()),
                -entry.points
            )));
        }
        self.entries.insert(key, entry.points);
        Ok(Applied::New)
    }

    /// The balance: the sum of the entries.
    pub fn balance(&self) -> i64 {
        self.entries.values().sum()
    }

    /// The change recorded for `(reference, kind)`, if any.
    pub fn get(&self, reference: Uuid, kind: PointsKind) -> Option<i64> {
        self.entries.get(&(reference, kind)).copied()
    }
}

/// What a sale did to a customer's points, and what its refunds already undid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SalePoints {
    /// Points the sale earned.
    pub earned: i64,
    /// Points the sale redeemed (a positive count).
    pub redeemed: i64,
    /// Earned points that earlier refunds took back (a positive count).
    pub reversed: i64,
    /// Redeemed points that earlier refunds gave back (a positive count).
    pub restored: i64,
}

/// What one refund does to the points of its sale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reversal {
    /// Earned points to take back (a positive count; the entry is its negative).
    pub reverse_earned: i64,
    /// Redeemed points to give back (a positive count), zero unless the policy restores.
    pub restore_redeemed: i64,
}

/// Rule P-03: the points a refund reverses. `refunded_fraction` is the share of the sale
/// refunded so far, this refund included (0 to 1; more is read as 1). Earned points reversed
/// in all are `earned x fraction` (rounded half away from zero), less what earlier refunds
/// reversed; redeemed points are restored the same way only when `restore_redeemed` is set.
/// A full refund therefore reverses exactly what was earned, and redeemed points are never
/// taken a second time: 100 points, 10 redeemed, full refund: 90 (not restored) or 100
/// (restored), never 80.
pub fn refund_reversal(
    sale: &SalePoints,
    refunded_fraction: Decimal,
    restore_redeemed: bool,
) -> Result<Reversal, DomainError> {
    if refunded_fraction.is_sign_negative() && !refunded_fraction.is_zero() {
        return Err(DomainError::invalid("refunded fraction", "is negative"));
    }
    let fraction = refunded_fraction.min(Decimal::ONE);
    let share = |points: i64| {
        round(
            Decimal::from(points) * fraction,
            0,
            Rounding::HalfAwayFromZero,
        )
        .to_i64()
        .unwrap_or(points)
        .clamp(0, points)
    };
    let reverse_earned = (share(sale.earned.max(0)) - sale.reversed).max(0);
    let restore_redeemed = if restore_redeemed {
        (share(sale.redeemed.max(0)) - sale.restored).max(0)
    } else {
        0
    };
    Ok(Reversal {
        reverse_earned,
        restore_redeemed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_point_is_a_point_and_others_are_points() {
        assert_eq!(points_text(1), "1 point");
        assert_eq!(points_text(-1), "-1 point");
        assert_eq!(points_text(0), "0 points");
        assert_eq!(points_text(12), "12 points");
    }
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn rule() -> LoyaltyRule {
        LoyaltyRule::new(dec!(10000), dec!(100))
    }

    #[test]
    fn one_point_per_ten_thousand_rounded_down() {
        let rule = rule();
        assert_eq!(rule.points_for(dec!(9999), dec!(0)), 0);
        assert_eq!(rule.points_for(dec!(10000), dec!(0)), 1);
        assert_eq!(rule.points_for(dec!(129500), dec!(0)), 12);
        assert_eq!(rule.points_for(dec!(-5000), dec!(0)), 0);
        let mut half_up = rule.clone();
        half_up.rounding = Rounding::HalfAwayFromZero;
        assert_eq!(half_up.points_for(dec!(125000), dec!(0)), 13);
    }

    #[test]
    fn an_entry_may_carry_spend_without_points_only_when_earning_or_reversing() {
        use PointsKind::*;
        assert!(Earn.check_entry(0, dec!(5000)).is_ok());
        assert!(Earn.check_entry(3, dec!(30000)).is_ok());
        assert!(Earn.check_entry(0, dec!(0)).is_err());
        assert!(Earn.check_entry(-1, dec!(5000)).is_err());
        assert!(Earn.check_entry(1, dec!(-5000)).is_err());
        assert!(ReverseEarn.check_entry(0, dec!(-5000)).is_ok());
        assert!(ReverseEarn.check_entry(-3, dec!(-30000)).is_ok());
        assert!(ReverseEarn.check_entry(0, dec!(0)).is_err());
        assert!(ReverseEarn.check_entry(0, dec!(5000)).is_err());
        assert!(Redeem.check_entry(-10, dec!(0)).is_ok());
        assert!(Redeem.check_entry(0, dec!(0)).is_err());
        assert!(Redeem.check_entry(-10, dec!(100)).is_err());
        assert!(Adjust.check_entry(0, dec!(0)).is_err());
        assert!(RestoreRedeem.check_entry(5, dec!(0)).is_ok());
    }

    #[test]
    fn tiers_multiply_by_lifetime_spend() {
        let mut rule = rule();
        rule.tiers = vec![
            Tier {
                name: "Silver".into(),
                min_lifetime_spend: dec!(1000000),
                multiplier: dec!(1.5),
            },
            Tier {
                name: "Gold".into(),
                min_lifetime_spend: dec!(5000000),
                multiplier: dec!(2),
            },
        ];
        rule.validate(Currency::IDR).unwrap();
        assert_eq!(rule.points_for(dec!(100000), dec!(999999)), 10);
        assert_eq!(rule.points_for(dec!(100000), dec!(1000000)), 15);
        assert_eq!(rule.tier_for(dec!(7000000)).unwrap().name, "Gold");
        assert_eq!(rule.points_for(dec!(100000), dec!(7000000)), 20);
    }

    #[test]
    fn bad_rules_name_the_setting() {
        let mut bad = rule();
        bad.spend_per_point = dec!(0);
        assert!(
            bad.validate(Currency::IDR)
                .unwrap_err()
                .to_string()
                .contains("spend_per_point")
        );
        let mut bad = rule();
        bad.point_value = dec!(0.5);
        assert!(
            bad.validate(Currency::IDR)
                .unwrap_err()
                .to_string()
                .contains("point_value")
        );
        let mut bad = rule();
        bad.tiers.push(Tier {
            name: "Gold".into(),
            min_lifetime_spend: dec!(1),
            multiplier: dec!(0),
        });
        assert!(
            bad.validate(Currency::IDR)
                .unwrap_err()
                .to_string()
                .contains("Gold")
        );
    }

    #[test]
    fn a_point_is_worth_its_value() {
        assert_eq!(rule().value_of(25, Currency::IDR), dec!(2500));
        let usd = LoyaltyRule::new(dec!(1), dec!(1.00));
        assert_eq!(usd.value_of(10, Currency::USD), dec!(10.00));
    }

    #[test]
    fn p03_redeemed_points_are_not_taken_twice() {
        // Balance 100 points (1 point = 1.00). A 10.00 order is paid with 10 points, then
        // fully refunded: 90 without restoring, 100 with, never 80.
        for (restore, expected) in [(false, 90), (true, 100)] {
            let sale_id = id(1);
            let refund_id = id(2);
            let mut ledger = PointsLedger::new();
            ledger
                .apply(PointsEntry {
                    reference: id(99),
                    kind: PointsKind::Adjust,
                    points: 100,
                })
                .unwrap();
            ledger
                .apply(PointsEntry {
                    reference: sale_id,
                    kind: PointsKind::Redeem,
                    points: -10,
                })
                .unwrap();
            let sale = SalePoints {
                earned: 0,
                redeemed: 10,
                ..SalePoints::default()
            };
            let reversal = refund_reversal(&sale, dec!(1), restore).unwrap();
            assert_eq!(reversal.reverse_earned, 0);
            if reversal.restore_redeemed > 0 {
                ledger
                    .apply(PointsEntry {
                        reference: refund_id,
                        kind: PointsKind::RestoreRedeem,
                        points: reversal.restore_redeemed,
                    })
                    .unwrap();
            }
            assert_eq!(ledger.balance(), expected);
            assert_ne!(ledger.balance(), 80);
        }
    }

    #[test]
    fn p03_earned_points_are_reversed_once() {
        // A sale that earned 10 points and is fully refunded: +10 then -10.
        let sale_id = id(1);
        let refund_id = id(2);
        let mut ledger = PointsLedger::new();
        let earn = PointsEntry {
            reference: sale_id,
            kind: PointsKind::Earn,
            points: 10,
        };
        assert_eq!(ledger.apply(earn).unwrap(), Applied::New);
        assert_eq!(ledger.balance(), 10);
        let sale = SalePoints {
            earned: 10,
            ..SalePoints::default()
        };
        let reversal = refund_reversal(&sale, dec!(1), false).unwrap();
        assert_eq!(reversal.reverse_earned, 10);
        let reverse = PointsEntry {
            reference: refund_id,
            kind: PointsKind::ReverseEarn,
            points: -reversal.reverse_earned,
        };
        assert_eq!(ledger.apply(reverse).unwrap(), Applied::New);
        assert_eq!(ledger.balance(), 0);
        // The refund replayed (a retried sync) changes nothing.
        assert_eq!(ledger.apply(reverse).unwrap(), Applied::AlreadyApplied);
        assert_eq!(ledger.apply(earn).unwrap(), Applied::AlreadyApplied);
        assert_eq!(ledger.balance(), 0);
    }

    #[test]
    fn partial_refunds_reverse_in_proportion_and_add_up_to_what_was_earned() {
        let mut sale = SalePoints {
            earned: 7,
            ..SalePoints::default()
        };
        // A third, then the rest.
        let first = refund_reversal(&sale, dec!(1) / dec!(3), false).unwrap();
        assert_eq!(first.reverse_earned, 2);
        sale.reversed += first.reverse_earned;
        let second = refund_reversal(&sale, dec!(1), false).unwrap();
        assert_eq!(second.reverse_earned, 5);
        sale.reversed += second.reverse_earned;
        assert_eq!(sale.reversed, sale.earned);
        // Anything more reverses nothing.
        assert_eq!(
            refund_reversal(&sale, dec!(1.2), false).unwrap(),
            Reversal::default()
        );
        assert!(refund_reversal(&sale, dec!(-0.1), false).is_err());
    }

    #[test]
    fn a_key_reused_with_other_points_and_an_overdraft_are_refused() {
        let mut ledger = PointsLedger::new();
        let earn = PointsEntry {
            reference: id(1),
            kind: PointsKind::Earn,
            points: 5,
        };
        ledger.apply(earn).unwrap();
        assert!(ledger.apply(PointsEntry { points: 6, ..earn }).is_err());
        let err = ledger
            .apply(PointsEntry {
                reference: id(2),
                kind: PointsKind::Redeem,
                points: -6,
            })
            .unwrap_err();
        assert!(err.to_string().contains("has 5 points"), "{err}");
        assert!(
            ledger
                .apply(PointsEntry {
                    reference: id(3),
                    kind: PointsKind::Earn,
                    points: -1,
                })
                .is_err()
        );
        assert_eq!(ledger.balance(), 5);
    }

    #[test]
    fn customers_need_consent_and_a_way_to_reach_them() {
        let now = Timestamp::UNIX_EPOCH;
        let base = NewCustomer {
            name: "Siti",
            phone: Some("+62 812-3456-7890"),
            consent: true,
            ..NewCustomer::default()
        };
        let c = Customer::new(id(1), &base, now).unwrap();
        assert_eq!(c.phone.as_deref(), Some("+6281234567890"));
        assert_eq!(c.consent_at, now);
        // Debug never shows personal data.
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("Siti") && !debug.contains("6281"),
            "{debug}"
        );

        let no_consent = NewCustomer {
            consent: false,
            ..base.clone()
        };
        assert!(Customer::new(id(1), &no_consent, now).is_err());
        let no_contact = NewCustomer {
            phone: None,
            ..base.clone()
        };
        assert!(
            Customer::new(id(1), &no_contact, now)
                .unwrap_err()
                .to_string()
                .contains("contact")
        );
        let bad_email = NewCustomer {
            email: Some("siti@"),
            ..base.clone()
        };
        assert!(
            Customer::new(id(1), &bad_email, now)
                .unwrap_err()
                .to_string()
                .contains("email")
        );
        let bad_year = NewCustomer {
            birth_year: Some(1800),
            ..base.clone()
        };
        assert!(Customer::new(id(1), &bad_year, now).is_err());
        let err = Customer::new(
            id(1),
            &NewCustomer {
                phone: Some("0812-34x"),
                ..base
            },
            now,
        )
        .unwrap_err();
        assert!(!err.to_string().contains("0812"), "{err}");
        assert_eq!(Gender::parse("P").unwrap(), Gender::Female);
        assert!(Gender::parse("x").is_err());
    }

    fn entry_strategy() -> impl Strategy<Value = PointsEntry> {
        (0u128..6, 0usize..4, 1i64..50).prop_map(|(reference, kind, points)| {
            let kind = [
                PointsKind::Earn,
                PointsKind::Redeem,
                PointsKind::ReverseEarn,
                PointsKind::RestoreRedeem,
            ][kind];
            let points = match kind {
                PointsKind::Redeem | PointsKind::ReverseEarn => -points,
                _ => points,
            };
            PointsEntry {
                reference: id(reference),
                kind,
                points,
            }
        })
    }

    proptest! {
        /// Delivering every entry any number of times, in any order, gives the balance of
        /// applying each key once.
        #[test]
        fn the_ledger_never_applies_an_entry_twice(
            entries in proptest::collection::vec(entry_strategy(), 1..30),
            repeats in proptest::collection::vec(0usize..30, 0..60),
        ) {
            let mut once = PointsLedger::new();
            let mut applied: Vec<PointsEntry> = Vec::new();
            for e in &entries {
                if once.apply(*e) == Ok(Applied::New) {
                    applied.push(*e);
                }
            }
            let expected: i64 = applied.iter().map(|e| e.points).sum();
            prop_assert_eq!(once.balance(), expected);
            // Replays of anything already applied change nothing.
            let mut replayed = once.clone();
            for i in repeats {
                let e = applied.get(i % applied.len().max(1)).copied();
                if let Some(e) = e {
                    prop_assert_eq!(replayed.apply(e), Ok(Applied::AlreadyApplied));
                }
            }
            prop_assert_eq!(replayed.balance(), expected);
        }

        /// However a sale is refunded in parts, the reversals never exceed what was earned and
        /// the last one (the whole sale) brings the total to exactly what was earned.
        #[test]
        fn partial_refunds_never_reverse_more_than_was_earned(
            earned in 0i64..500,
            redeemed in 0i64..500,
            cuts in proptest::collection::vec(1u32..100, 1..8),
            restore in any::<bool>(),
        ) {
            let total: u32 = cuts.iter().sum();
            let mut sale = SalePoints { earned, redeemed, ..SalePoints::default() };
            let mut so_far = 0u32;
            for cut in &cuts {
                so_far += cut;
                let fraction = Decimal::from(so_far) / Decimal::from(total);
                let r = refund_reversal(&sale, fraction, restore).unwrap();
                prop_assert!(r.reverse_earned >= 0 && r.restore_redeemed >= 0);
                sale.reversed += r.reverse_earned;
                sale.restored += r.restore_redeemed;
                prop_assert!(sale.reversed <= earned);
                prop_assert!(sale.restored <= redeemed);
            }
            prop_assert_eq!(sale.reversed, earned);
            prop_assert_eq!(sale.restored, if restore { redeemed } else { 0 });
        }
    }
}
