//! `kasir customer`: loyalty customers (added only with their consent), their points, and the
//! store's points rule.

use std::process::ExitCode;

use clap::Subcommand;
use kasir_domain::Decimal;
use kasir_domain::loyalty::{Gender, LoyaltyRule, NewCustomer, Tier};
use kasir_store::Store;

use crate::app::CliError;
use crate::view::money;

/// `kasir customer ...`
#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Add a customer. Their data is kept only with their consent (`--consent`).
    Add {
        /// The customer's name.
        name: String,
        /// A phone number.
        #[arg(long)]
        phone: Option<String>,
        /// An email address.
        #[arg(long)]
        email: Option<String>,
        /// Year of birth, for the owner's reports (optional).
        #[arg(long)]
        birth_year: Option<i32>,
        /// female, male or other, for the owner's reports (optional).
        #[arg(long)]
        gender: Option<String>,
        /// The customer agreed to their data being kept for the loyalty programme.
        #[arg(long)]
        consent: bool,
    },
    /// A customer's points, tier and ledger, by phone, email or id.
    Show {
        /// Phone number, email address or customer id.
        key: String,
    },
    /// Every customer with their points.
    List,
    /// Show or set the points rule.
    Rule {
        /// One point per this much spent (for example 10000).
        #[arg(long, requires = "point_value")]
        spend_per_point: Option<String>,
        /// What a redeemed point takes off an order (for example 100).
        #[arg(long, requires = "spend_per_point")]
        point_value: Option<String>,
        /// A tier as NAME:MIN_LIFETIME_SPEND:MULTIPLIER (for example Gold:5000000:2); repeat
        /// for more.
        #[arg(long)]
        tier: Vec<String>,
        /// Give redeemed points back when their sale is refunded (in proportion).
        #[arg(long)]
        restore_redeemed: bool,
    },
}

/// Runs `kasir customer ...`.
pub fn run(store: &mut Store, command: CustomerCommand, json: bool) -> Result<ExitCode, CliError> {
    match command {
        CustomerCommand::Add {
            name,
            phone,
            email,
            birth_year,
            gender,
            consent,
        } => {
            let gender = gender.as_deref().map(Gender::parse).transpose()?;
            let customer = store.add_customer(&NewCustomer {
                name: &name,
                phone: phone.as_deref(),
                email: email.as_deref(),
                birth_year,
                gender,
                consent,
            })?;
            if json {
                print_json(&customer)?;
            } else {
                println!(
                    "Customer {} added (consent recorded {}); id {}.",
                    customer.name, customer.consent_at, customer.id
                );
            }
        }
        CustomerCommand::Show { key } => {
            let customer = store.find_customer(&key)?;
            let entries = store.customer_entries(customer.id)?;
            let cloud = cloud_points(store, customer.id)?;
            let points = store.customer_points(customer)?;
            if json {
                let body = serde_json::json!({
                    "customer": points,
                    "entries": entries,
                    "cloud_points": cloud.as_ref().ok().map(|c| c.points),
                });
                print_json(&body)?;
                return Ok(ExitCode::SUCCESS);
            }
            let settings = store.settings()?;
            let c = &points.customer;
            println!("{} ({})", c.name, c.id);
            for (label, value) in [("phone", &c.phone), ("email", &c.email)] {
                if let Some(v) = value {
                    println!("  {label}: {v}");
                }
            }
            println!("  consent: {}", c.consent_at);
            println!(
                "  points: {}; lifetime spend {}{}",
                points.points,
                money(settings, points.lifetime_spend),
                points
                    .tier
                    .as_ref()
                    .map(|t| format!("; tier {t}"))
                    .unwrap_or_default()
            );
            match &cloud {
                Ok(c) => println!("  in the cloud: {} points (what has synced)", c.points),
                Err(why) => println!("  in the cloud: not read ({why})"),
            }
            for e in &entries {
                println!(
                    "  {}  {:>15}  {:+}  (sale {})",
                    e.created_at, e.kind, e.points, e.sale_id
                );
            }
        }
        CustomerCommand::List => {
            let customers = store.list_customers()?;
            if json {
                print_json(&customers)?;
                return Ok(ExitCode::SUCCESS);
            }
            if customers.is_empty() {
                println!("No customers yet: `kasir customer add NAME --phone ... --consent`.");
            }
            for c in &customers {
                println!(
                    "{}  {:<30} {:>8} points{}",
                    c.customer.id,
                    c.customer.name,
                    c.points,
                    c.tier
                        .as_ref()
                        .map(|t| format!("  {t}"))
                        .unwrap_or_default()
                );
            }
        }
        CustomerCommand::Rule {
            spend_per_point,
            point_value,
            tier,
            restore_redeemed,
        } => {
            let currency = store.settings()?.currency;
            if let (Some(spend), Some(value)) = (spend_per_point, point_value) {
                let mut rule = LoyaltyRule::new(
                    currency.parse_amount("spend-per-point", &spend)?,
                    currency.parse_amount("point-value", &value)?,
                );
                rule.restore_redeemed_on_refund = restore_redeemed;
                rule.tiers = tier
                    .iter()
                    .map(|t| parse_tier(t, currency))
                    .collect::<Result<_, _>>()?;
                store.set_loyalty_rule(&rule)?;
            } else if !tier.is_empty() || restore_redeemed {
                return Err(CliError::Usage(
                    "give --spend-per-point and --point-value with the tiers and the policy".into(),
                ));
            }
            let rule = store.loyalty_rule()?;
            if json {
                print_json(&rule)?;
                return Ok(ExitCode::SUCCESS);
            }
            let settings = store.settings()?;
            match rule {
                None => println!(
                    "No points rule: customers earn nothing. Set one with `kasir customer rule \
                     --spend-per-point 10000 --point-value 100`."
                ),
                Some(rule) => {
                    println!(
                        "One point per {} spent; a point takes {} off an order; redeemed points \
                         are {} when their sale is refunded.",
                        money(settings, rule.spend_per_point),
                        money(settings, rule.point_value),
                        if rule.restore_redeemed_on_refund {
                            "given back"
                        } else {
                            "not given back"
                        }
                    );
                    for t in &rule.tiers {
                        println!(
                            "  tier {}: from {} spent, {}x points",
                            t.name,
                            money(settings, t.min_lifetime_spend),
                            t.multiplier
                        );
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_tier(text: &str, currency: kasir_domain::money::Currency) -> Result<Tier, CliError> {
    let parts: Vec<&str> = text.split(':').collect();
    let [name, min, multiplier] = parts[..] else {
        return Err(CliError::Usage(format!(
            "tier `{text}`: write NAME:MIN_LIFETIME_SPEND:MULTIPLIER, for example Gold:5000000:2"
        )));
    };
    let multiplier: Decimal = multiplier.trim().parse().map_err(|_| {
        CliError::Usage(format!(
            "tier `{text}`: `{multiplier}` is not a multiplier such as 1.5"
        ))
    })?;
    Ok(Tier {
        name: name.trim().to_string(),
        min_lifetime_spend: currency.parse_amount("tier minimum spend", min)?,
        multiplier,
    })
}

/// The customer's points as the cloud keeps them, or why they could not be read.
fn cloud_points(
    store: &Store,
    customer_id: uuid::Uuid,
) -> Result<Result<kasir_sync::protocol::CustomerPoints, String>, CliError> {
    use kasir_sync::client::SyncError;
    let client = match kasir_sync::worker::client_for(store) {
        Ok(client) => client,
        Err(SyncError::NotEnrolled) => return Ok(Err("this device is not enrolled".into())),
        Err(e) => return Err(e.into()),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(runtime
        .block_on(client.customer_points(customer_id))
        .map_err(|e| e.to_string()))
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string(value).map_err(std::io::Error::other)?;
    println!("{text}");
    Ok(())
}
