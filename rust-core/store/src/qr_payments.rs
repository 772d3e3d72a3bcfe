//! QR tenders and their verification.
//!
//! Every QR tender of a sale gets a row here, written in the sale's own transaction. A tender
//! is `verified` when the payment provider confirmed it (at the register, before the sale was
//! recorded; or later, when the cloud matched it to a payment the provider knows), or when the
//! owner matched it by hand; it is `unverified` when only the clerk confirmed it (a static
//! QR, or a register that could not reach the provider). The cloud decides verification from
//! the provider's records, never from the device's word; the device learns what it decided
//! through [`Store::apply_qr_verifications`] after a sync.

use jiff::Timestamp;
use kasir_domain::DomainError;
use kasir_domain::payment::TenderMethod;
use kasir_domain::sale::Sale;
use rusqlite::{Transaction, params};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::units::{from_minor, to_minor};
use crate::{Store, StoreError};

/// Who verified a QR tender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VerifiedBy {
    /// The provider confirmed the payment while the register waited for it.
    Register,
    /// The cloud matched it afterwards to a payment the provider received.
    Provider,
    /// The owner matched it by hand.
    Owner,
}

impl VerifiedBy {
    /// The name stored and sent.
    pub fn name(self) -> &'static str {
        match self {
            VerifiedBy::Register => "register",
            VerifiedBy::Provider => "provider",
            VerifiedBy::Owner => "owner",
        }
    }

    /// The value of a stored or sent name.
    pub fn from_name(name: &str) -> Option<VerifiedBy> {
        [
            VerifiedBy::Register,
            VerifiedBy::Provider,
            VerifiedBy::Owner,
        ]
        .into_iter()
        .find(|v| v.name() == name)
    }
}

/// A QR tender confirmed by the provider at the register: the sale's tender whose reference
/// is `provider_id` and whose amount is `amount`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderConfirmation {
    /// The provider's id of the payment (the tender's reference).
    pub provider_id: String,
    /// What the provider says was paid.
    pub amount: Decimal,
}

/// A QR tender as this device records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QrTender {
    /// The sale.
    pub sale_id: String,
    /// Its receipt number.
    pub receipt_number: String,
    /// The tender's number within the sale, from 1.
    pub tender_no: u32,
    /// The tender's reference (the provider's id, or what the clerk typed).
    pub reference: String,
    /// What it paid.
    pub amount: Decimal,
    /// Whether a provider or the owner confirmed it.
    pub verified: bool,
    /// Who did.
    pub verified_by: Option<VerifiedBy>,
    /// The provider's payment it was matched to.
    pub provider_id: Option<String>,
    /// When the sale was recorded.
    pub recorded_at: String,
    /// When it was verified.
    pub verified_at: Option<String>,
}

/// What the cloud decided about one of this device's QR tenders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrVerificationUpdate {
    /// The sale.
    pub sale_id: String,
    /// The tender's number within the sale.
    pub tender_no: u32,
    /// Who verified it.
    pub verified_by: VerifiedBy,
    /// The provider's payment it was matched to, if any.
    pub provider_id: Option<String>,
    /// When.
    pub verified_at: Timestamp,
}

/// Writes a row for every QR tender of `sale` inside the sale's transaction: verified when
/// `confirmed` has the tender's reference with its exact amount, else unverified. A
/// confirmation that matches no tender of the sale is refused (the whole sale with it).
pub(crate) fn record(
    tx: &Transaction<'_>,
    sale: &Sale,
    confirmed: &[ProviderConfirmation],
) -> Result<(), StoreError> {
    let currency = sale.currency;
    let recorded_at = sale.completed_at.to_string();
    let mut used = vec![false; confirmed.len()];
    let mut insert = tx.prepare_cached(
        "INSERT INTO qr_tenders (sale_id, tender_no, reference, amount_minor, status,
            verified_by, provider_id, recorded_at, verified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (index, tender) in sale.tenders.iter().enumerate() {
        let TenderMethod::Qr { reference } = &tender.method else {
            continue;
        };
        let confirmation = confirmed
            .iter()
            .enumerate()
            .find(|(i, c)| !used[*i] && c.provider_id == *reference && c.amount == tender.amount);
        let verified = confirmation.map(|(i, c)| {
            used[i] = true;
            c.provider_id.clone()
        });
        insert.execute(params![
            sale.id.to_string(),
            index + 1,
            reference,
            to_minor(tender.amount, currency)?,
            if verified.is_some() {
                "verified"
            } else {
                "unverified"
            },
            verified.as_ref().map(|_| VerifiedBy::Register.name()),
            verified,
            recorded_at,
            verified.as_ref().map(|_| &recorded_at),
        ])?;
    }
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(DomainError::invalid(
            "qr",
            format!(
                "the provider confirmed payment {} of {}, but no QR tender of the sale has that \
                 reference and amount",
                confirmed[i].provider_id,
                currency.display(confirmed[i].amount)
            ),
        )
        .into());
    }
    Ok(())
}

impl Store {
    /// Stores a completed sale like [`Store::commit_sale`], with the QR tenders the provider
    /// confirmed at the register recorded as verified (in the same transaction); its other
    /// QR tenders are unverified.
    pub fn commit_sale_with_qr(
        &mut self,
        sale: Sale,
        confirmed: &[ProviderConfirmation],
    ) -> Result<Sale, StoreError> {
        self.commit_sale_with(sale, |tx, sale| record(tx, sale, confirmed))
    }

    /// Records, right after a sale was stored (by a path that could not take them in its
    /// transaction, such as [`Store::commit_checkout`]), the QR tenders the provider confirmed
    /// at the register: each confirmation verifies the first unverified tender of the sale with
    /// its reference and amount. Returns how many it verified. A crash before this leaves the
    /// tenders unverified until the cloud matches them, never verified wrongly.
    pub fn confirm_qr_tenders(
        &mut self,
        sale_id: &str,
        confirmed: &[ProviderConfirmation],
    ) -> Result<usize, StoreError> {
        let currency = self.settings()?.currency;
        let tx = self.write_tx()?;
        let mut changed = 0;
        for c in confirmed {
            changed += tx.execute(
                "UPDATE qr_tenders SET status = 'verified', verified_by = 'register',
                    provider_id = ?2, verified_at = recorded_at
                 WHERE sale_id = ?1 AND tender_no = (
                    SELECT min(tender_no) FROM qr_tenders WHERE sale_id = ?1 AND reference = ?2
                        AND amount_minor = ?3 AND status = 'unverified')",
                params![sale_id, c.provider_id, to_minor(c.amount, currency)?],
            )?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// The QR tenders of this device, oldest first: only the unverified ones when
    /// `unverified_only`.
    pub fn qr_tenders(&self, unverified_only: bool) -> Result<Vec<QrTender>, StoreError> {
        let currency = self.settings()?.currency;
        let mut statement = self.conn.prepare(
            "SELECT q.sale_id, s.receipt_number, q.tender_no, q.reference, q.amount_minor,
                    q.status, q.verified_by, q.provider_id, q.recorded_at, q.verified_at
             FROM qr_tenders q JOIN sales s ON s.id = q.sale_id
             WHERE ?1 = 0 OR q.status = 'unverified'
             ORDER BY s.receipt_seq, q.tender_no",
        )?;
        let rows = statement.query_map([i64::from(unverified_only)], |r| {
            Ok((
                QrTender {
                    sale_id: r.get(0)?,
                    receipt_number: r.get(1)?,
                    tender_no: r.get(2)?,
                    reference: r.get(3)?,
                    amount: from_minor(r.get(4)?, currency),
                    verified: r.get::<_, String>(5)? == "verified",
                    verified_by: None,
                    provider_id: r.get(7)?,
                    recorded_at: r.get(8)?,
                    verified_at: r.get(9)?,
                },
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (mut tender, by) = row?;
            tender.verified_by = match by {
                None => None,
                Some(name) => Some(VerifiedBy::from_name(&name).ok_or_else(|| {
                    StoreError::Corrupt(format!("qr tender verified by `{name}`"))
                })?),
            };
            Ok(tender)
        })
        .collect()
    }

    /// The numbers (from 1, in the sale's order) of the QR tenders of sale `sale_id` that are
    /// still unverified: what its receipt marks.
    pub fn unverified_tender_numbers(&self, sale_id: &str) -> Result<Vec<u32>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT tender_no FROM qr_tenders WHERE sale_id = ?1 AND status = 'unverified'
             ORDER BY tender_no",
        )?;
        let numbers = statement
            .query_map([sale_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(numbers)
    }

    /// Records what the cloud decided about unverified QR tenders, in one transaction;
    /// returns how many became verified. A tender already verified, or unknown here, is left
    /// as it is.
    pub fn apply_qr_verifications(
        &mut self,
        updates: &[QrVerificationUpdate],
    ) -> Result<usize, StoreError> {
        let tx = self.write_tx()?;
        let mut changed = 0;
        {
            let mut update = tx.prepare_cached(
                "UPDATE qr_tenders SET status = 'verified', verified_by = ?3, provider_id = ?4,
                    verified_at = ?5
                 WHERE sale_id = ?1 AND tender_no = ?2 AND status = 'unverified'",
            )?;
            for u in updates {
                changed += update.execute(params![
                    u.sale_id,
                    u.tender_no,
                    u.verified_by.name(),
                    u.provider_id,
                    u.verified_at.to_string(),
                ])?;
            }
        }
        tx.commit()?;
        if changed > 0 {
            tracing::info!(tenders = changed, "qr tenders verified by the cloud");
        }
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kasir_domain::cart::Cart;
    use kasir_domain::catalog::{Item, Unit};
    use kasir_domain::gtin::Gtin;
    use kasir_domain::payment::Payment;
    use kasir_domain::sale::SaleContext;
    use kasir_domain::settings::{Device, StoreSettings};
    use rust_decimal_macros::dec;

    fn store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let device = Device {
            id: uuid::Uuid::now_v7().to_string(),
            code: "D01".into(),
        };
        store
            .initialise(StoreSettings::indonesian_shop("Toko"), device)
            .unwrap();
        store
    }

    fn sale(store: &Store, tenders: &[(TenderMethod, Decimal)]) -> Sale {
        let settings = store.settings().unwrap().clone();
        let item = Item {
            gtin: Gtin::parse("8990121011028").unwrap(),
            sku: None,
            name: "Kecap Manis".into(),
            price: dec!(30000),
            tax_category: "ppn".into(),
            unit: Unit::Each,
            category: None,
            stock: dec!(0),
        };
        let mut cart = Cart::new(settings.currency);
        cart.add(&item, Decimal::ONE).unwrap();
        let total = cart.totals(&settings.tax).unwrap().total;
        let mut payment = Payment::new(settings.currency, total, None);
        for (method, amount) in tenders {
            payment.add(method.clone(), *amount).unwrap();
        }
        let now = Timestamp::now();
        let context = SaleContext {
            id: uuid::Uuid::now_v7(),
            device_id: store.device().unwrap().id.clone(),
            completed_at: now,
            business_date: now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date(),
        };
        Sale::complete(context, &cart, &settings.tax, &payment).unwrap()
    }

    fn qr(reference: &str) -> TenderMethod {
        TenderMethod::qr(reference).unwrap()
    }

    #[test]
    fn a_confirmed_tender_is_verified_and_the_others_are_not() {
        let mut store = store();
        let sale = sale(
            &store,
            &[
                (TenderMethod::Cash, dec!(5000)),
                (qr("SIMQ-1"), dec!(10000)),
                (qr("DANA-88812"), dec!(15000)),
            ],
        );
        let confirmed = [ProviderConfirmation {
            provider_id: "SIMQ-1".into(),
            amount: dec!(10000),
        }];
        let sale = store.commit_sale_with_qr(sale, &confirmed).unwrap();
        let tenders = store.qr_tenders(false).unwrap();
        assert_eq!(tenders.len(), 2);
        assert_eq!(tenders[0].tender_no, 2);
        assert!(tenders[0].verified);
        assert_eq!(tenders[0].verified_by, Some(VerifiedBy::Register));
        assert_eq!(tenders[0].provider_id.as_deref(), Some("SIMQ-1"));
        assert_eq!(tenders[1].tender_no, 3);
        assert!(!tenders[1].verified);
        assert_eq!(tenders[1].amount, dec!(15000));
        assert_eq!(tenders[1].receipt_number, sale.receipt_number);
        let unverified = store.qr_tenders(true).unwrap();
        assert_eq!(unverified.len(), 1);
        assert_eq!(unverified[0].reference, "DANA-88812");
        let id = sale.id.to_string();
        assert_eq!(store.unverified_tender_numbers(&id).unwrap(), vec![3]);
    }

    #[test]
    fn a_plain_commit_records_qr_tenders_as_unverified() {
        let mut store = store();
        let sale = sale(&store, &[(qr("SIMQ-1"), dec!(30000))]);
        let sale = store.commit_sale(sale).unwrap();
        let tenders = store.qr_tenders(true).unwrap();
        assert_eq!(tenders.len(), 1);
        assert_eq!(tenders[0].verified_by, None);

        // Confirmed afterwards: only with the same reference and amount.
        let id = sale.id.to_string();
        let wrong = ProviderConfirmation {
            provider_id: "SIMQ-1".into(),
            amount: dec!(20000),
        };
        assert_eq!(store.confirm_qr_tenders(&id, &[wrong]).unwrap(), 0);
        let right = ProviderConfirmation {
            provider_id: "SIMQ-1".into(),
            amount: dec!(30000),
        };
        assert_eq!(
            store
                .confirm_qr_tenders(&id, std::slice::from_ref(&right))
                .unwrap(),
            1
        );
        assert_eq!(store.confirm_qr_tenders(&id, &[right]).unwrap(), 0);
        let tenders = store.qr_tenders(false).unwrap();
        assert_eq!(tenders[0].verified_by, Some(VerifiedBy::Register));
        assert_eq!(
            tenders[0].verified_at.as_deref(),
            Some(tenders[0].recorded_at.as_str())
        );
    }

    #[test]
    fn a_confirmation_of_another_amount_rolls_the_sale_back() {
        let mut store = store();
        let sale = sale(&store, &[(qr("SIMQ-1"), dec!(30000))]);
        let confirmed = [ProviderConfirmation {
            provider_id: "SIMQ-1".into(),
            amount: dec!(29000),
        }];
        let err = store.commit_sale_with_qr(sale, &confirmed).unwrap_err();
        assert!(err.to_string().contains("SIMQ-1"), "{err}");
        assert_eq!(store.sale_count().unwrap(), 0);
        assert!(store.qr_tenders(false).unwrap().is_empty());
        assert_eq!(store.outbox_summary().unwrap().pending, 0);
    }

    #[test]
    fn reports_show_unverified_qr_takings_apart_from_verified_ones() {
        let mut store = store();
        store.open_shift(dec!(0), None).unwrap();
        let sale = sale(
            &store,
            &[(qr("SIMQ-1"), dec!(10000)), (qr("DANA-88812"), dec!(20000))],
        );
        let date = sale.business_date;
        let confirmed = [ProviderConfirmation {
            provider_id: "SIMQ-1".into(),
            amount: dec!(10000),
        }];
        let sale = store.commit_sale_with_qr(sale, &confirmed).unwrap();
        let expected = crate::report::QrTotals {
            verified_count: 1,
            verified: dec!(10000),
            unverified_count: 1,
            unverified: dec!(20000),
        };
        let day = store.day_report(date).unwrap();
        assert_eq!(day.qr, expected);
        let qr_tendered = day.tenders.iter().find(|t| t.method == "qr").unwrap();
        assert_eq!(qr_tendered.amount, day.qr.verified + day.qr.unverified);
        assert_eq!(store.shift_report(None).unwrap().qr, expected);

        // Once the cloud matches the second one, it counts as verified.
        let update = QrVerificationUpdate {
            sale_id: sale.id.to_string(),
            tender_no: 2,
            verified_by: VerifiedBy::Provider,
            provider_id: Some("PAY-9".into()),
            verified_at: Timestamp::now(),
        };
        store.apply_qr_verifications(&[update]).unwrap();
        let day = store.day_report(date).unwrap();
        assert_eq!(day.qr.verified_count, 2);
        assert_eq!(day.qr.verified, dec!(30000));
        assert_eq!(day.qr.unverified_count, 0);
        assert_eq!(day.qr.unverified, dec!(0));
    }

    #[test]
    fn the_cloud_verifies_only_what_is_unverified() {
        let mut store = store();
        let first = sale(&store, &[(qr("DANA-1"), dec!(30000))]);
        let first = store.commit_sale(first).unwrap();
        let second = sale(&store, &[(qr("SIMQ-2"), dec!(30000))]);
        let confirmed = [ProviderConfirmation {
            provider_id: "SIMQ-2".into(),
            amount: dec!(30000),
        }];
        let second = store.commit_sale_with_qr(second, &confirmed).unwrap();
        let now = Timestamp::now();
        let updates = [
            QrVerificationUpdate {
                sale_id: first.id.to_string(),
                tender_no: 1,
                verified_by: VerifiedBy::Owner,
                provider_id: None,
                verified_at: now,
            },
            // Already verified at the register: stays as it was.
            QrVerificationUpdate {
                sale_id: second.id.to_string(),
                tender_no: 1,
                verified_by: VerifiedBy::Provider,
                provider_id: Some("OTHER".into()),
                verified_at: now,
            },
            // Unknown here.
            QrVerificationUpdate {
                sale_id: uuid::Uuid::now_v7().to_string(),
                tender_no: 1,
                verified_by: VerifiedBy::Provider,
                provider_id: None,
                verified_at: now,
            },
        ];
        assert_eq!(store.apply_qr_verifications(&updates).unwrap(), 1);
        let tenders = store.qr_tenders(false).unwrap();
        assert!(tenders.iter().all(|t| t.verified));
        assert_eq!(tenders[0].verified_by, Some(VerifiedBy::Owner));
        assert_eq!(tenders[1].verified_by, Some(VerifiedBy::Register));
        assert_eq!(tenders[1].provider_id.as_deref(), Some("SIMQ-2"));
        assert!(store.qr_tenders(true).unwrap().is_empty());
    }
}
