//! `kasir staff`: staff members, their PINs and roles, and the discount limit; the sign-in
//! that other commands take (`--staff NAME --pin PIN`, or `KASIR_STAFF` and `KASIR_PIN`).

use std::process::ExitCode;

use clap::{Args, Subcommand};
use kasir_domain::{Decimal, DomainError};
use kasir_store::Store;
use kasir_store::staff::{Role, StaffPolicy};

use crate::app::CliError;

/// Who runs a command, once the store has staff.
#[derive(Debug, Clone, Default, Args)]
pub struct SignIn {
    /// The staff member running the command (required once the store has staff).
    #[arg(long, env = "KASIR_STAFF", value_name = "NAME")]
    pub staff: Option<String>,
    /// Their PIN.
    #[arg(long, env = "KASIR_PIN", hide_env_values = true, value_name = "PIN")]
    pub pin: Option<String>,
}

fn given(sign_in: &SignIn, action: &str) -> Result<(String, String), CliError> {
    match (&sign_in.staff, &sign_in.pin) {
        (Some(name), Some(pin)) => Ok((name.clone(), pin.clone())),
        (Some(_), None) => Err(CliError::Usage(format!(
            "to {action}: give the PIN too (--pin, or KASIR_PIN)"
        ))),
        _ => Err(CliError::Usage(format!(
            "to {action} needs a staff sign-in: --staff NAME --pin PIN (or KASIR_STAFF and KASIR_PIN)"
        ))),
    }
}

/// The staff member signed in for `action`, once the store has staff (`None` before).
pub fn sign_in(store: &Store, sign_in: &SignIn, action: &str) -> Result<Option<String>, CliError> {
    if !store.staff_required()? {
        return Ok(None);
    }
    let (name, pin) = given(sign_in, action)?;
    Ok(Some(store.sign_in(&name, &pin)?.name))
}

/// The manager approving `action`, once the store has staff (`None` before).
pub fn authorise(
    store: &Store,
    sign_in: &SignIn,
    action: &str,
) -> Result<Option<String>, CliError> {
    if !store.staff_required()? {
        return Ok(None);
    }
    let (name, pin) = given(sign_in, &format!("{action} (a manager)"))?;
    Ok(Some(store.approve(&name, &pin, action)?.name))
}

/// `kasir staff ...`.
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a staff member. The first must be a manager; after that a manager signs in.
    Add {
        /// Their name, as receipts and reports show it.
        name: String,
        /// cashier or manager.
        #[arg(long, default_value = "cashier")]
        role: String,
        /// Their new PIN, 4 to 8 digits (or KASIR_NEW_PIN).
        #[arg(long = "new-pin", env = "KASIR_NEW_PIN", hide_env_values = true)]
        new_pin: String,
        #[command(flatten)]
        by: SignIn,
    },
    /// List the staff.
    List,
    /// Stop a staff member signing in (the record stays).
    Disable {
        /// Their name.
        name: String,
        #[command(flatten)]
        by: SignIn,
    },
    /// Lift a PIN lockout (after 5 wrong PINs in a row) at once.
    Unlock {
        /// Their name.
        name: String,
        #[command(flatten)]
        by: SignIn,
    },
    /// Discounts over this percentage need a manager's PIN (`none`: no limit).
    DiscountLimit {
        /// For example 20%, or none.
        limit: String,
        #[command(flatten)]
        by: SignIn,
    },
}

/// Runs `kasir staff ...`.
pub fn run(store: &mut Store, command: StaffCommand, json: bool) -> Result<ExitCode, CliError> {
    match command {
        StaffCommand::Add {
            name,
            role,
            new_pin,
            by,
        } => {
            authorise(store, &by, "add staff")?;
            let member = store.add_staff(&name, Role::parse(&role)?, &new_pin)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&member).map_err(std::io::Error::other)?
                );
            } else {
                println!("Added {} as {}.", member.name, member.role.name());
            }
        }
        StaffCommand::List => {
            let staff = store.list_staff()?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&staff).map_err(std::io::Error::other)?
                );
            } else if staff.is_empty() {
                println!("No staff: the till asks for no PIN (add a manager first).");
            } else {
                for m in &staff {
                    println!(
                        "{:<24} {:<8} {}",
                        m.name,
                        m.role.name(),
                        if m.active { "active" } else { "disabled" }
                    );
                }
            }
        }
        StaffCommand::Disable { name, by } => {
            authorise(store, &by, "disable staff")?;
            let member = store.disable_staff(&name)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&member).map_err(std::io::Error::other)?
                );
            } else {
                println!("{} can no longer sign in.", member.name);
            }
        }
        StaffCommand::Unlock { name, by } => {
            authorise(store, &by, "lift a PIN lockout")?;
            let member = store.unlock_staff(&name)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&member).map_err(std::io::Error::other)?
                );
            } else {
                println!("{} may sign in again.", member.name);
            }
        }
        StaffCommand::DiscountLimit { limit, by } => {
            authorise(store, &by, "change the discount limit")?;
            let limit = parse_limit(&limit)?;
            store.set_staff_policy(StaffPolicy {
                discount_limit_percent: limit,
            })?;
            if json {
                println!("{}", serde_json::json!({ "discount_limit_percent": limit }));
            } else {
                match limit {
                    Some(l) => println!("Discounts over {l}% now need a manager's PIN."),
                    None => println!("Discounts need no manager's PIN."),
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_limit(text: &str) -> Result<Option<Decimal>, CliError> {
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let number = text.trim().trim_end_matches('%');
    let limit = number
        .parse::<Decimal>()
        .ok()
        .filter(|l| !l.is_sign_negative() && *l <= Decimal::ONE_HUNDRED)
        .ok_or_else(|| {
            DomainError::invalid(
                "discount limit",
                format!("`{text}` is not a percentage from 0 to 100, like 20%"),
            )
        })?;
    Ok(Some(limit))
}
