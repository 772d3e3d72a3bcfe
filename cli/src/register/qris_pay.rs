//! `pay qris [AMOUNT] [polls=N]`: a dynamic QRIS payment through the payment provider (the
//! simulated one of the store's cloud account), shown in the terminal and polled until it is
//! paid, expired or called off; recorded as a QR tender verified by the provider. When the
//! cloud cannot be reached, the device is not enrolled or the store takes no dynamic payments,
//! the register shows the code made from the store's static sticker instead, and the clerk
//! records what the customer's app shows with `pay qr AMOUNT ref=REFERENCE`: a QR tender the
//! provider has not confirmed, kept unverified until the cloud matches it.

use std::time::Duration;

use kasir_domain::emvqr::qris;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::{Decimal, DomainError};
use kasir_store::qr_payments::ProviderConfirmation;
use kasir_sync::qr::cloud::CloudQris;
use kasir_sync::qr::{
    PaymentRequest, PollOptions, ProviderError, QrPaymentProvider, QrPaymentTracker, WaitOutcome,
    wait_for_payment,
};

use super::{Flow, Register, usage};
use crate::app::CliError;
use crate::qr_cmd;
use crate::view::money;

/// The pause between two status requests, in milliseconds (`KASIR_QR_POLL_MS`; default 2000).
fn poll_interval() -> Duration {
    let millis = std::env::var("KASIR_QR_POLL_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(2000);
    Duration::from_millis(millis)
}

const USAGE: &str = "pay qris [AMOUNT] [polls=N]";

impl Register<'_> {
    /// `pay qris [AMOUNT] [polls=N]`.
    pub(super) fn pay_qris(&mut self, args: &[&str]) -> Result<Flow, CliError> {
        if self.cart.is_empty() {
            return Err(DomainError::not_allowed("the sale has no items").into());
        }
        let mut amount: Option<Decimal> = None;
        let mut max_polls: Option<u32> = None;
        for word in args {
            match word.split_once('=') {
                Some((k, v)) if k.eq_ignore_ascii_case("polls") => {
                    max_polls = Some(v.parse().map_err(|_| {
                        DomainError::invalid("polls", format!("`{v}` is not a number of polls"))
                    })?);
                }
                Some((k, _)) => {
                    return Err(CliError::Usage(format!(
                        "`{k}=` is not a field of a qris payment; {USAGE}"
                    )));
                }
                None if amount.is_none() => {
                    amount = Some(self.settings.currency.parse_amount("amount", word)?)
                }
                None => return Err(usage(USAGE)),
            }
        }
        let totals = self.cart.totals(&self.settings.tax)?;
        let mut payment = self.payment.clone().unwrap_or_else(|| {
            Payment::new(
                self.settings.currency,
                totals.total,
                self.settings.cash_rounding,
            )
        });
        let remaining = payment.remaining();
        if remaining <= Decimal::ZERO {
            return Err(DomainError::not_allowed("nothing is due").into());
        }
        let amount = amount.unwrap_or(remaining);
        if amount > remaining {
            return Err(DomainError::invalid(
                "amount",
                format!(
                    "a qris payment of {} is more than the {} still due; only cash makes change",
                    money(&self.settings, amount),
                    money(&self.settings, remaining)
                ),
            )
            .into());
        }
        qris::check_amount(amount).map_err(|e| DomainError::invalid("amount", e.to_string()))?;

        let client = match kasir_sync::worker::client_for(self.store) {
            Ok(client) => client,
            Err(e) => return self.static_fallback(amount, &e.to_string()),
        };
        let provider = CloudQris::new(client);
        let device_code = self.store.device()?.code.clone();
        let request = PaymentRequest {
            reference: format!(
                "{device_code}-{}",
                &uuid::Uuid::now_v7().simple().to_string()[16..]
            ),
            amount,
        };
        let runtime = crate::printer_cmd::runtime()?;
        let created = match runtime.block_on(provider.create(&request)) {
            Ok(created) => created,
            Err(e @ (ProviderError::Unavailable(_) | ProviderError::NotOffered(_))) => {
                return self.static_fallback(amount, &e.to_string());
            }
            Err(e) => return Err(CliError::Usage(e.to_string())),
        };
        let mut tracker =
            QrPaymentTracker::new(&request, created).map_err(|e| CliError::Usage(e.to_string()))?;
        let shown = tracker.payment().clone();
        if self.json {
            println!(
                "{}",
                serde_json::json!({
                    "qris": shown.payload, "amount": amount.to_string(),
                    "provider_id": shown.provider_id, "expires_at": shown.expires_at.to_string(),
                })
            );
        } else {
            print!("{}", qr_cmd::draw(&shown.payload)?);
            println!(
                "QRIS {}: waiting for the customer's payment ({}, until {})",
                money(&self.settings, amount),
                shown.provider_id,
                shown.expires_at
            );
        }
        let options = PollOptions {
            interval: poll_interval(),
            max_polls,
        };
        if self.interactive {
            println!("(Ctrl-C calls it off)");
        }
        let interactive = self.interactive;
        let waited = runtime.block_on(async {
            tokio::select! {
                outcome = wait_for_payment(
                    &provider,
                    &mut tracker,
                    options,
                    jiff::Timestamp::now,
                    tokio::time::sleep,
                ) => Some(outcome),
                _ = tokio::signal::ctrl_c(), if interactive => None,
            }
        });
        let waited = match waited {
            Some(outcome) => outcome,
            // The clerk called it off: cancel at the provider, which may say it was paid.
            None => runtime
                .block_on(provider.cancel(&shown.provider_id))
                .and_then(|answer| tracker.observe(&answer).map(|_| ()))
                .map(|()| match tracker.status() {
                    kasir_sync::qr::QrPaymentStatus::Paid => {
                        WaitOutcome::Paid(tracker.payment().clone())
                    }
                    _ => WaitOutcome::NotPaid(tracker.payment().clone()),
                }),
        };
        let outcome = waited.map_err(|e| {
            CliError::Usage(format!(
                "{e}; nothing was recorded: check the payment {} before taking it again",
                shown.provider_id
            ))
        })?;
        let paid = match outcome {
            WaitOutcome::Paid(paid) => paid,
            WaitOutcome::NotPaid(not) => {
                if !self.json {
                    println!(
                        "QRIS payment {} {}: nothing was recorded.",
                        not.provider_id,
                        not.status.name()
                    );
                }
                return Ok(Flow::Continue);
            }
        };
        tracing::info!("qris payment confirmed by the provider");
        let recorded = payment
            .add(TenderMethod::qr(&paid.provider_id)?, paid.amount)?
            .clone();
        self.qr_confirmed.push(ProviderConfirmation {
            provider_id: paid.provider_id.clone(),
            amount: paid.amount,
        });
        if !self.json {
            println!(
                "QRIS {} paid and verified ({}).",
                money(&self.settings, recorded.amount),
                paid.provider_id
            );
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

    /// Without the provider: the code of the store's static sticker for `amount`, and what the
    /// clerk does next. Records nothing.
    fn static_fallback(&mut self, amount: Decimal, why: &str) -> Result<Flow, CliError> {
        let Some(sticker) = self.settings.qris.clone() else {
            return Err(CliError::Usage(format!(
                "{why}; and this store has no static QRIS payload either: set it with `kasir \
                 settings set qris PAYLOAD`"
            )));
        };
        let payload = qris::to_dynamic(&sticker, amount)
            .map_err(|e| DomainError::invalid("qris", e.to_string()))?;
        if self.json {
            println!(
                "{}",
                serde_json::json!({
                    "qris": payload, "amount": amount.to_string(), "verified": false,
                    "reason": why,
                })
            );
        } else {
            print!("{}", qr_cmd::draw(&payload)?);
            println!(
                "QRIS {} from the store's sticker ({why}).",
                money(&self.settings, amount)
            );
            println!(
                "When the customer's app shows it paid: pay qr {amount} ref=REFERENCE (recorded \
                 unverified until the cloud matches it)"
            );
        }
        Ok(Flow::Continue)
    }

    /// After a sale is stored: the QR tenders the provider confirmed at the register become
    /// verified.
    pub(super) fn confirm_qr(&mut self, sale: &kasir_domain::sale::Sale) -> Result<(), CliError> {
        let confirmed = std::mem::take(&mut self.qr_confirmed);
        if !confirmed.is_empty() {
            self.store
                .confirm_qr_tenders(&sale.id.to_string(), &confirmed)?;
        }
        Ok(())
    }
}
