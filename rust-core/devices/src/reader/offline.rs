//! Offline card payments (store and forward): allowed only within the merchant's limits.
//!
//! When the reader cannot reach the acquirer it may approve a card offline; the merchant then
//! carries the risk until the payment is forwarded. So an offline payment is taken only if it
//! is within the per-payment limit, if the payments already waiting plus this one stay within
//! the total limit, and if none of the waiting ones has waited longer than allowed (a device
//! that has been offline that long must get online before it takes more risk). Pure: the
//! caller passes the waiting payments and the time.

use jiff::{SignedDuration, Timestamp};
use kasir_domain::Decimal;
use thiserror::Error;

/// The merchant's limits. All zero means offline card payments are off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfflineLimits {
    /// The largest single offline payment.
    pub per_payment: Decimal,
    /// The most that may wait to be forwarded, in all.
    pub total: Decimal,
    /// How long a payment may wait to be forwarded.
    pub max_wait: SignedDuration,
}

/// A payment waiting to be forwarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// Its amount.
    pub amount: Decimal,
    /// When it was taken.
    pub taken_at: Timestamp,
}

/// Why an offline payment is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OfflineRefusal {
    /// The merchant allows no offline card payments.
    #[error("offline card payments are turned off")]
    Off,
    /// The amount is not positive.
    #[error("amount: must be more than zero")]
    NotPositive,
    /// Over the per-payment limit.
    #[error("amount: {amount} is over the offline limit of {limit} per payment")]
    OverPerPayment {
        /// The payment.
        amount: Decimal,
        /// The limit.
        limit: Decimal,
    },
    /// Over the total limit.
    #[error(
        "amount: {waiting} already waits offline; with {amount} it would pass the limit of {limit}"
    )]
    OverTotal {
        /// What already waits.
        waiting: Decimal,
        /// The payment.
        amount: Decimal,
        /// The limit.
        limit: Decimal,
    },
    /// A waiting payment is older than allowed.
    #[error(
        "a card payment has waited offline since {since}, longer than allowed: get online first"
    )]
    WaitedTooLong {
        /// When the oldest one was taken.
        since: Timestamp,
    },
}

/// Whether an offline payment of `amount` may be taken at `now`.
pub fn check(
    limits: &OfflineLimits,
    waiting: &[Waiting],
    amount: Decimal,
    now: Timestamp,
) -> Result<(), OfflineRefusal> {
    if limits.per_payment <= Decimal::ZERO || limits.total <= Decimal::ZERO {
        return Err(OfflineRefusal::Off);
    }
    if amount <= Decimal::ZERO {
        return Err(OfflineRefusal::NotPositive);
    }
    if let Some(oldest) = overdue(limits, waiting, now).first() {
        return Err(OfflineRefusal::WaitedTooLong {
            since: oldest.taken_at,
        });
    }
    if amount > limits.per_payment {
        return Err(OfflineRefusal::OverPerPayment {
            amount,
            limit: limits.per_payment,
        });
    }
    let already: Decimal = waiting.iter().map(|w| w.amount).sum();
    if already + amount > limits.total {
        return Err(OfflineRefusal::OverTotal {
            waiting: already,
            amount,
            limit: limits.total,
        });
    }
    Ok(())
}

/// The waiting payments that have waited longer than allowed, oldest first.
pub fn overdue<'a>(
    limits: &OfflineLimits,
    waiting: &'a [Waiting],
    now: Timestamp,
) -> Vec<&'a Waiting> {
    let mut late: Vec<&Waiting> = waiting
        .iter()
        .filter(|w| now.duration_since(w.taken_at) > limits.max_wait)
        .collect();
    late.sort_by_key(|w| w.taken_at);
    late
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn limits() -> OfflineLimits {
        OfflineLimits {
            per_payment: dec!(500000),
            total: dec!(1000000),
            max_wait: SignedDuration::from_hours(24),
        }
    }

    fn at(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    fn waiting(amount: Decimal, taken_at: &str) -> Waiting {
        Waiting {
            amount,
            taken_at: at(taken_at),
        }
    }

    #[test]
    fn payment_within_every_limit_is_allowed() {
        let now = at("2026-12-03T12:00:00Z");
        let w = [waiting(dec!(300000), "2026-12-03T09:00:00Z")];
        assert_eq!(check(&limits(), &w, dec!(500000), now), Ok(()));
    }

    #[test]
    fn payment_equal_to_the_per_payment_limit_is_allowed_and_one_rupiah_more_is_not() {
        let now = at("2026-12-03T12:00:00Z");
        assert_eq!(check(&limits(), &[], dec!(500000), now), Ok(()));
        assert_eq!(
            check(&limits(), &[], dec!(500001), now),
            Err(OfflineRefusal::OverPerPayment {
                amount: dec!(500001),
                limit: dec!(500000)
            })
        );
    }

    #[test]
    fn total_counts_what_already_waits() {
        // 400,000 + 450,000 wait; 150,000 more reaches exactly 1,000,000 (allowed), 150,001
        // passes it.
        let now = at("2026-12-03T12:00:00Z");
        let w = [
            waiting(dec!(400000), "2026-12-03T08:00:00Z"),
            waiting(dec!(450000), "2026-12-03T10:00:00Z"),
        ];
        assert_eq!(check(&limits(), &w, dec!(150000), now), Ok(()));
        assert_eq!(
            check(&limits(), &w, dec!(150001), now),
            Err(OfflineRefusal::OverTotal {
                waiting: dec!(850000),
                amount: dec!(150001),
                limit: dec!(1000000)
            })
        );
    }

    #[test]
    fn a_payment_waiting_longer_than_allowed_stops_new_offline_payments() {
        let now = at("2026-12-03T12:00:00Z");
        let w = [
            waiting(dec!(1000), "2026-12-03T11:00:00Z"),
            waiting(dec!(1000), "2026-12-02T11:59:59Z"),
        ];
        assert_eq!(
            check(&limits(), &w, dec!(1000), now),
            Err(OfflineRefusal::WaitedTooLong {
                since: at("2026-12-02T11:59:59Z")
            })
        );
        assert_eq!(overdue(&limits(), &w, now).len(), 1);
    }

    #[test]
    fn waiting_exactly_the_maximum_is_still_allowed() {
        let now = at("2026-12-03T12:00:00Z");
        let w = [waiting(dec!(1000), "2026-12-02T12:00:00Z")];
        assert_eq!(check(&limits(), &w, dec!(1000), now), Ok(()));
    }

    #[test]
    fn zero_limits_turn_offline_payments_off() {
        let off = OfflineLimits {
            per_payment: Decimal::ZERO,
            total: Decimal::ZERO,
            max_wait: SignedDuration::ZERO,
        };
        assert_eq!(
            check(&off, &[], dec!(1), at("2026-12-03T12:00:00Z")),
            Err(OfflineRefusal::Off)
        );
    }
}
