//! `pay reader [AMOUNT] [sim=approve|decline|offline]`: a card payment on the card reader,
//! recorded as a card tender with the reader's approval code, brand and last four digits; and
//! the register's word about receipts that did not print.

use kasir_domain::DomainError;

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
    /// Takes the payment on the reader first, then records it exactly as `pay card` would.
    pub(super) fn pay_by_reader(&mut self, args: &[&str]) -> Result<Flow, CliError> {
        if self.cart.is_empty() {
            return Err(DomainError::not_allowed("the sale has no items").into());
        }
        let mut amount = None;
        let mut card = kasir_devices::reader::reference::SimCard::Approve;
        for word in args {
            match word.split_once('=') {
                Some((key, value)) if key.eq_ignore_ascii_case("sim") => {
                    card = reader_cmd::sim_card(value)?
                }
                Some((key, _)) => {
                    return Err(CliError::Usage(format!(
                        "`{key}=` is not a field of a reader payment"
                    )));
                }
                None if amount.is_none() => {
                    amount = Some(self.settings.currency.parse_amount("amount", word)?)
                }
                None => return Err(usage("pay reader [AMOUNT] [sim=approve|decline|offline]")),
            }
        }
        let due = match &self.payment {
            Some(p) => p.remaining(),
            None => self.cart.totals(&self.settings.tax)?.total,
        };
        if due.is_zero() {
            return Err(DomainError::not_allowed(
                "nothing is due: `pay cash` without an amount records the sale",
            )
            .into());
        }
        let amount = amount.unwrap_or(due);
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
        let tender = reader_cmd::pay(&self.settings, amount, &reference, card, self.json)?;
        let amount = amount.normalize().to_string();
        let approval = format!("approval={}", tender.approval_code);
        let last4 = format!("last4={}", tender.last4);
        let brand = format!("brand={}", tender.brand);
        self.pay(&["card", &amount, &approval, &last4, &brand])
    }
}
