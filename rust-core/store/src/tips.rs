//! Tips per staff member: the tips of the sales each one rang, less the tips given back by
//! refunds of those sales.

use std::collections::BTreeMap;

use jiff::civil::Date;
use kasir_domain::sale::Sale;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::units::from_minor;
use crate::{Store, StoreError};

/// One staff member's tips.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffTips {
    /// The staff member who rang the sales; `None` for sales rung without a sign-in.
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

impl Store {
    /// Tips per staff member on business day `date`, staff in name order.
    pub fn day_tips(&self, date: Date) -> Result<Vec<StaffTips>, StoreError> {
        let day = date.to_string();
        let currency = self.settings()?.currency;
        tips_where(
            &self.conn,
            currency,
            ("s.business_date = ?1", &[&day]),
            ("r.business_date = ?1", &[&day]),
        )
    }
}

/// An SQL condition and its parameters.
pub(crate) type Filter<'a> = (&'a str, &'a [&'a dyn rusqlite::ToSql]);

/// Tips per staff member, over the sales matching `sales` (a condition on `sales s`) and the
/// refunds matching `refunds` (on `refunds r`).
pub(crate) fn tips_where(
    conn: &rusqlite::Connection,
    currency: kasir_domain::money::Currency,
    (sales, sales_keys): Filter<'_>,
    (refunds, refund_keys): Filter<'_>,
) -> Result<Vec<StaffTips>, StoreError> {
    {
        let mut by_staff: BTreeMap<Option<String>, StaffTips> = BTreeMap::new();
        let mut rows: Vec<(Option<String>, Decimal, bool)> = Vec::new();
        {
            let mut statement = conn.prepare(&format!(
                "SELECT s.body FROM sales s WHERE s.charges_minor <> 0 AND {sales}"
            ))?;
            let bodies = statement.query_map(sales_keys, |r| r.get::<_, String>(0))?;
            for body in bodies {
                let sale: Sale = serde_json::from_str(&body?)?;
                let tip = sale.tip_paid();
                if !tip.is_zero() {
                    rows.push((sale.staff, tip, true));
                }
            }
            let mut statement = conn.prepare(&format!(
                "SELECT s.body, r.tips_minor FROM refunds r JOIN sales s ON s.id = r.sale_id
                 WHERE r.tips_minor <> 0 AND {refunds}"
            ))?;
            let refunded = statement.query_map(refund_keys, |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?;
            for row in refunded {
                let (body, tips) = row?;
                let sale: Sale = serde_json::from_str(&body)?;
                rows.push((sale.staff, from_minor(tips, currency), false));
            }
        }
        for (staff, amount, taken) in rows {
            let tips = by_staff.entry(staff.clone()).or_insert(StaffTips {
                staff,
                sales: 0,
                tips: Decimal::ZERO,
                refunded: Decimal::ZERO,
                net: Decimal::ZERO,
            });
            if taken {
                tips.sales += 1;
                tips.tips += amount;
            } else {
                tips.refunded += amount;
            }
            tips.net = tips.tips - tips.refunded;
        }
        Ok(by_staff.into_values().collect())
    }
}
