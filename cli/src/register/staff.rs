//! Staff at the register: signing in and out, a manager's approval for a discount over the
//! store's limit, and opening the drawer. Once the store has staff, nothing is rung up until
//! someone signs in, and each sale records who rang it.

use kasir_domain::cart::Discount;
use kasir_domain::sale::Sale;
use kasir_domain::{Decimal, DomainError};
use kasir_store::shifts::CashMoveKind;

use super::{Register, usage};
use crate::app::CliError;
use crate::staff_cmd::SignIn;

/// Commands that need nobody signed in.
const OPEN_COMMANDS: &[&str] = &["help", "?", "quit", "exit", "q", "login"];

impl Register<'_> {
    /// Signs in whoever `--staff` and `--pin` name, if given.
    pub(super) fn start_signed_in(&mut self, sign_in: &SignIn) -> Result<(), CliError> {
        match (&sign_in.staff, &sign_in.pin) {
            (Some(name), Some(pin)) => self.login(&[name.as_str(), pin.as_str()]),
            (Some(_), None) => Err(CliError::Usage(
                "--staff: give the PIN too (--pin, or KASIR_PIN)".into(),
            )),
            _ => Ok(()),
        }
    }

    /// Refuses `command` when the store has staff and nobody is signed in.
    pub(super) fn require_sign_in(&self, command: &str) -> Result<(), CliError> {
        if self.signed_in.is_some() || OPEN_COMMANDS.contains(&command) {
            return Ok(());
        }
        if self.store.staff_required()? {
            return Err(DomainError::not_allowed(
                "sign in first: `login NAME PIN` (or start with --staff NAME --pin PIN)",
            )
            .into());
        }
        Ok(())
    }

    /// `login NAME PIN`.
    pub(super) fn login(&mut self, args: &[&str]) -> Result<(), CliError> {
        let [name, pin] = args else {
            return Err(usage("login NAME PIN"));
        };
        let member = self.store.sign_in(name, pin)?;
        if !self.json {
            println!("Signed in: {} ({}).", member.name, member.role.name());
        }
        self.signed_in = Some(member.name);
        Ok(())
    }

    /// `logout`: refused while a sale is open.
    pub(super) fn logout(&mut self) -> Result<(), CliError> {
        if !self.cart.is_empty() {
            return Err(DomainError::not_allowed(
                "finish or void the open sale before signing out",
            )
            .into());
        }
        if let Some(name) = self.signed_in.take()
            && !self.json
        {
            println!("Signed out: {name}.");
        }
        self.approval = None;
        Ok(())
    }

    /// `manager NAME PIN`: a manager approves the next action that needs one.
    pub(super) fn approve(&mut self, args: &[&str]) -> Result<(), CliError> {
        let [name, pin] = args else {
            return Err(usage(
                "manager NAME PIN (approves the next discount over the limit or drawer opening)",
            ));
        };
        let manager = self.store.approve(name, pin, "approve")?;
        if !self.json {
            println!(
                "Approved by {}: the next discount or drawer opening.",
                manager.name
            );
        }
        self.approval = Some(manager.name);
        Ok(())
    }

    /// Takes the manager approval for `action`, or says how to get one.
    fn take_approval(&mut self, action: &str) -> Result<Option<String>, CliError> {
        if !self.store.staff_required()? {
            return Ok(None);
        }
        match self.approval.take() {
            Some(manager) => Ok(Some(manager)),
            None => Err(DomainError::not_allowed(format!(
                "{action} needs a manager: `manager NAME PIN` first"
            ))
            .into()),
        }
    }

    /// Checks `discount` (of line `line`, or of the order) against the store's limit.
    pub(super) fn check_discount(
        &mut self,
        line: Option<u32>,
        discount: &Discount,
    ) -> Result<(), CliError> {
        let Some(limit) = self.store.staff_policy()?.discount_limit_percent else {
            return Ok(());
        };
        let percent = match discount {
            Discount::Percent(p) => *p,
            Discount::Amount(amount) => {
                let totals = self.cart.totals(&self.settings.tax)?;
                let base = match line {
                    Some(n) => totals
                        .lines
                        .iter()
                        .find(|l| l.number == n)
                        .map(|l| l.gross)
                        .unwrap_or_default(),
                    None => totals.subtotal - totals.discount_total,
                };
                if base.is_zero() {
                    return Ok(());
                }
                *amount * Decimal::ONE_HUNDRED / base
            }
        };
        if percent <= limit {
            return Ok(());
        }
        self.take_approval(&format!("a discount over {limit}%"))
            .map(|_| ())
    }

    /// `drawer [REASON]`: opens the drawer without a sale, with a manager's approval.
    pub(super) fn drawer(&mut self, args: &[&str]) -> Result<(), CliError> {
        let manager = self.take_approval("opening the drawer")?;
        let reason = args.join(" ");
        let by = manager.or_else(|| self.signed_in.clone());
        self.store
            .record_cash_move(CashMoveKind::Drawer, Decimal::ZERO, &reason, by.as_deref())?;
        if !self.json {
            println!("Drawer opened (recorded).");
        }
        Ok(())
    }

    /// The sale, with who rang it.
    pub(super) fn with_staff(&self, mut sale: Sale) -> Sale {
        sale.staff = self.signed_in.clone();
        sale
    }
}
