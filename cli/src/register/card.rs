//! `pay reader [AMOUNT] [tip=10,15] [sim=approve|decline|offline] [sim-tip=15|none]`: a card
//! payment on the card reader, recorded as a card tender with the reader's approval code, brand
//! and last four digits, and the tip chosen on the reader added to the sale as its tip; and the
//! register's word about receipts that did not print.

use kasir_devices::reader::offline::{self, Waiting};
use kasir_devices::reader::{from_minor, to_minor};
use kasir_domain::DomainError;
use kasir_domain::cart::ChargeKind;
use kasir_store::devices::OfflineCardPayment;

use super::{Flow, Register, usage};
use crate::app::CliError;
use crate::reader_cmd;
use crate::view::money;

/// Tells the cashier about print jobs that failed or may not have printed (a restart in the
/// middle of a job included), and how to reprint them.
pub(super) fn warn_print_jobs(store: &mut kasir_store::Store) {
    let _ = store.recover_print_jobs();
    let Ok(jobs) = store.print_jobs_needing_attention() else {
        return;
    };
    for job in jobs {
        let what = job
            .receipt_number
            .as_ref()
            .map_or_else(|| job.kind.clone(), |n| format!("receipt {n}"));
        let state = match job.status {
            kasir_store::devices::JobStatus::Uncertain => "may not have printed",
            _ => "did not print",
        };
        eprintln!(
            "note: {what} {state} on {}: `kasir printer reprint {}`",
            job.printer, job.id
        );
    }
}

impl Register<'_> {
    /// Keeps an offline approval if the merchant's limits allow it; otherwise says to reverse
    /// it, and records nothing.
    fn keep_offline(
        &mut self,
        amount: kasir_domain::Decimal,
        tender: &reader_cmd::CardTender,
    ) -> Result<(), CliError> {
        let refused = |why: String| {
            CliError::Usage(format!(
                "the card was approved offline, but {why}: nothing was recorded; reverse it on \
                 the reader"
            ))
        };
        let Some(limits) = reader_cmd::offline_limits(&self.settings)? else {
            return Err(refused("offline card payments are turned off".into()));
        };
        let currency = self.settings.currency;
        let waiting = self.store.waiting_offline_card_payments()?;
        let pending: Vec<Waiting> = waiting
            .iter()
            .map(|w| {
                Ok(Waiting {
                    amount: from_minor(u64::try_from(w.amount_minor).unwrap_or(0), currency),
                    taken_at: w.taken_at.parse().map_err(|e: jiff::Error| {
                        kasir_store::StoreError::Corrupt(format!("offline payment time: {e}"))
                    })?,
                })
            })
            .collect::<Result<_, kasir_store::StoreError>>()?;
        let now = jiff::Timestamp::now();
        offline::check(&limits, &pending, amount, now).map_err(|e| refused(e.to_string()))?;
        let minor = to_minor(amount, currency).map_err(|e| CliError::Usage(e.to_string()))?;
        self.store
            .record_offline_card_payment(&OfflineCardPayment {
                id: uuid::Uuid::now_v7().to_string(),
                receipt_number: None,
                amount_minor: i64::try_from(minor).unwrap_or(i64::MAX),
                currency: currency.code().to_string(),
                brand: tender.brand.clone(),
                last4: tender.last4.clone(),
                taken_at: now.to_string(),
            })?;
        if !self.json {
            let total: kasir_domain::Decimal = pending
                .iter()
                .map(|w| w.amount)
                .sum::<kasir_domain::Decimal>()
                + amount;
            println!(
                "Approved offline: {} card payment(s), {} in all, wait to be forwarded (`offline`).",
                pending.len() + 1,
                money(&self.settings, total)
            );
        }
        Ok(())
    }

    /// `offline`: the card payments waiting to be forwarded, oldest first.
    pub(super) fn show_offline(&self) -> Result<(), CliError> {
        let waiting = self.store.waiting_offline_card_payments()?;
        if waiting.is_empty() {
            println!("No card payment waits to be forwarded.");
        }
        for w in waiting {
            let amount = from_minor(
                u64::try_from(w.amount_minor).unwrap_or(0),
                self.settings.currency,
            );
            println!(
                "{}  {} **{}  {}",
                w.taken_at,
                w.brand,
                w.last4,
                money(&self.settings, amount)
            );
        }
        Ok(())
    }

    /// Tip choices on the reader are allowed only when the card pays the whole sale before any
    /// other payment and the sale has no tip yet. A taxed tip is taken as including its tax:
    /// the reader adds the tip to what it charges and cannot add tax on top of it.
    fn check_reader_tip(
        &self,
        amount: kasir_domain::Decimal,
        due: kasir_domain::Decimal,
    ) -> Result<(), CliError> {
        let refused = |why: &str| -> CliError {
            DomainError::invalid("tip", format!("tip choices on the reader {why}")).into()
        };
        if self.payment.is_some() || amount != due {
            return Err(refused(
                "need the card to pay the whole sale as its only payment",
            ));
        }
        if self
            .cart
            .charges()
            .iter()
            .any(|c| c.kind == ChargeKind::Tip)
        {
            return Err(refused("are not offered when the sale already has a tip"));
        }
        Ok(())
    }

    /// Takes the payment on the reader first, then records it exactly as `pay card` would.
    pub(super) fn pay_by_reader(&mut self, args: &[&str]) -> Result<Flow, CliError> {
        if self.sale_is_empty() {
            return Err(self.no_items());
        }
        let mut amount = None;
        let mut card = kasir_devices::reader::reference::SimCard::Approve;
        let mut tips = reader_cmd::TipChoices::default();
        let mut sim_tip = None;
        for word in args {
            match word.split_once('=') {
                Some((key, value)) if key.eq_ignore_ascii_case("sim") => {
                    card = reader_cmd::sim_card(value)?
                }
                Some((key, value)) if key.eq_ignore_ascii_case("tip") => {
                    tips.percents = reader_cmd::tip_percents(value)?
                }
                Some((key, value)) if key.eq_ignore_ascii_case("sim-tip") => {
                    sim_tip = Some(value.to_string())
                }
                Some((key, _)) => {
                    return Err(CliError::Usage(format!(
                        "`{key}=` is not a field of a reader payment"
                    )));
                }
                None if amount.is_none() => {
                    amount = Some(self.settings.currency.parse_amount("amount", word)?)
                }
                None => {
                    return Err(usage(
                        "pay reader [AMOUNT] [tip=10,15] [sim=approve|decline|offline] \
                         [sim-tip=15|none]",
                    ));
                }
            }
        }
        if let Some(pick) = sim_tip.filter(|p| !p.eq_ignore_ascii_case("none")) {
            tips.pick = Some(
                pick.trim_end_matches('%')
                    .parse::<u8>()
                    .ok()
                    .filter(|p| tips.percents.contains(p))
                    .ok_or_else(|| {
                        CliError::Usage(format!(
                            "`sim-tip={pick}` is not one of the tip choices offered (`tip=`)"
                        ))
                    })?,
            );
        }
        let due = match &self.payment {
            Some(p) => p.remaining(),
            None => self.sale_total()?,
        };
        if due.is_zero() {
            return Err(DomainError::not_allowed(
                "nothing is due: `pay cash` without an amount records the sale",
            )
            .into());
        }
        let amount = amount.unwrap_or(due);
        if !tips.percents.is_empty() {
            self.check_reader_tip(amount, due)?;
        }
        // Checked before the card is charged, not after.
        if amount > due {
            return Err(DomainError::invalid(
                "amount",
                format!(
                    "a card payment of {} is more than the {} still due",
                    money(&self.settings, amount),
                    money(&self.settings, due)
                ),
            )
            .into());
        }
        let reference = self.store.device()?.code.clone();
        let tender = reader_cmd::pay(&self.settings, amount, &reference, card, &tips, self.json)?;
        let charged = amount + tender.tip;
        if tender.offline {
            self.keep_offline(charged, &tender)?;
        }
        if !tender.tip.is_zero() {
            // The sale is not locked yet (no payment has started), so the tip joins it as its
            // tip charge and the card tender covers the amount and the tip. What the card paid
            // for the tip is the whole of it: a taxed tip's tax is inside it.
            self.cart.set_charge_with_tax(
                ChargeKind::Tip,
                tender.tip,
                self.settings.tip_tax_category.clone(),
            )?;
            if !self.json {
                println!("Tip on the reader: {}", money(&self.settings, tender.tip));
            }
        }
        let amount = charged.normalize().to_string();
        let approval = format!("approval={}", tender.approval_code);
        let last4 = format!("last4={}", tender.last4);
        let brand = format!("brand={}", tender.brand);
        self.pay(&["card", &amount, &approval, &last4, &brand])
    }
}
