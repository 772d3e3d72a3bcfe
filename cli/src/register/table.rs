//! Table service at the register: `split` shows how a bill divides between payers, and `qris`
//! shows the dynamic QRIS code of a payment for the customer to scan.

use kasir_domain::DomainError;
use kasir_domain::emvqr::qris;
use kasir_domain::split::{BillPart, ItemShare, SplitRule, split_with_cash_rounding};

use super::{Register, usage};
use crate::app::CliError;
use crate::qr_cmd;
use crate::view::{money, two_columns};

const SPLIT_USAGE: &str = "split N | split amount AMT [AMT...] | split items 1,2 3,4";

impl Register<'_> {
    /// `split N`, `split amount AMT...` or `split items LINES LINES...` (a line in several
    /// groups is shared equally between them): prints each part with its share of service
    /// charge and tax. Each part is then paid with `pay`, one tender after another.
    pub(super) fn show_split(&mut self, args: &[&str]) -> Result<(), CliError> {
        if self.cart.is_empty() {
            return Err(DomainError::not_allowed("the sale has no items to split").into());
        }
        if self
            .payment
            .as_ref()
            .is_some_and(|p| !p.tenders().is_empty())
        {
            return Err(DomainError::not_allowed(
                "payments are already taken: split the bill before the first payment \
                 (`void payments` gives them back)",
            )
            .into());
        }
        let rule = match args {
            [n] => SplitRule::Evenly {
                parts: n
                    .parse()
                    .map_err(|_| DomainError::invalid("parts", format!("`{n}` is not a number")))?,
            },
            ["amount", amounts @ ..] if !amounts.is_empty() => SplitRule::ByAmount {
                amounts: amounts
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        self.settings
                            .currency
                            .parse_amount(&format!("amount {}", i + 1), a)
                    })
                    .collect::<Result<_, _>>()?,
            },
            ["items", groups @ ..] if !groups.is_empty() => SplitRule::ByItem {
                parts: groups
                    .iter()
                    .map(|group| {
                        group
                            .split(',')
                            .map(|n| {
                                n.trim().parse().map(ItemShare::whole).map_err(|_| {
                                    DomainError::invalid(
                                        "line",
                                        format!("`{n}` is not a line number"),
                                    )
                                })
                            })
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .collect::<Result<_, _>>()?,
            },
            _ => return Err(usage(SPLIT_USAGE)),
        };
        let totals = self.cart.totals(&self.settings.tax)?;
        // Under the store's cash rounding the parts are whole increments but the last, whose
        // cash settles the sale with the rounding a single cash tender would record.
        let parts = split_with_cash_rounding(&totals, &rule, self.settings.cash_rounding)?;
        if self.json {
            let parts: Vec<serde_json::Value> = parts.iter().map(part_json).collect();
            println!("{}", serde_json::json!({ "split": parts }));
            return Ok(());
        }
        let width = self.width;
        for part in &parts {
            println!(
                "{}",
                two_columns(
                    &format!("Part {}", part.number),
                    &money(&self.settings, part.total),
                    width
                )
            );
            if part.cash != part.total {
                println!(
                    "{}",
                    two_columns("  in cash", &money(&self.settings, part.cash), width)
                );
            }
            if !part.lines.is_empty() {
                let lines: Vec<String> = part.lines.iter().map(|l| l.line.to_string()).collect();
                println!("  lines {}", lines.join(", "));
            }
            if !part.charges_total.is_zero() {
                println!(
                    "{}",
                    two_columns(
                        "  charges",
                        &money(&self.settings, part.charges_total),
                        width
                    )
                );
            }
            if !part.tax.is_zero() {
                println!(
                    "{}",
                    two_columns("  tax", &money(&self.settings, part.tax), width)
                );
            }
        }
        println!("Pay each part with `pay`, one after another.");
        Ok(())
    }

    /// `qris [AMOUNT]`: the dynamic QRIS code of a payment of AMOUNT (default: what is still
    /// due), made from the store's static QRIS payload. After the customer's app confirms,
    /// record it with `pay qr AMOUNT ref=REFERENCE`.
    pub(super) fn show_qris(&mut self, args: &[&str]) -> Result<(), CliError> {
        let sticker = self.settings.qris.clone().ok_or_else(|| {
            CliError::Usage(
                "this store has no QRIS payload: set it with `kasir settings set qris PAYLOAD`"
                    .into(),
            )
        })?;
        if self.sale_is_empty() {
            return Err(self.no_items());
        }
        let amount = match args {
            [] => match &self.payment {
                Some(payment) => payment.remaining(),
                None => self.sale_total()?,
            },
            [amount] => self.settings.currency.parse_amount("amount", amount)?,
            _ => return Err(usage("qris [AMOUNT]")),
        };
        let payload = qris::to_dynamic(&sticker, amount)
            .map_err(|e| DomainError::invalid("qris", e.to_string()))?;
        if self.json {
            println!(
                "{}",
                serde_json::json!({ "qris": payload, "amount": amount.to_string() })
            );
        } else {
            print!("{}", qr_cmd::draw(&payload)?);
            println!("QRIS {}", money(&self.settings, amount));
            println!("When the customer's app shows it paid: pay qr {amount} ref=REFERENCE");
        }
        Ok(())
    }
}

fn part_json(part: &BillPart) -> serde_json::Value {
    serde_json::json!({
        "part": part.number,
        "lines": part.lines.iter().map(|l| l.line).collect::<Vec<_>>(),
        "items": part.items.to_string(),
        "discount": part.discount.to_string(),
        "charges": part.charges_total.to_string(),
        "tax": part.tax.to_string(),
        "total": part.total.to_string(),
        "cash": part.cash.to_string(),
        "cash_rounding": part.cash_rounding.to_string(),
    })
}
