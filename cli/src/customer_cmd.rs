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
    /// Correct a customer's points, up (`25`) or down (`-- -25`).
    Adjust {
        /// Phone number, email address or customer id.
        key: String,
        /// The change of points.
        #[arg(allow_hyphen_values = true)]
        points: i64,
    },
    /// Erase a customer's personal data (their right to be forgotten): name, phone, email,
    /// birth year and gender go; the points ledger and the sales stay, under an opaque id. A
    /// manager approves, once the store has staff.
    Erase {
        /// Phone number, email address or customer id.
        key: String,
        #[command(flatten)]
        by: crate::staff_cmd::SignIn,
    },
    /// Show the points rule, or change the options given and keep the others (a first rule
    /// needs --spend-per-point and --point-value).
    Rule {
        /// One point per this much spent (for example 10000).
        #[arg(long)]
        spend_per_point: Option<String>,
        /// What a redeemed point takes off an order (for example 100).
        #[arg(long)]
        point_value: Option<String>,
        /// A tier as NAME:MIN_LIFETIME_SPEND:MULTIPLIER (for example Gold:5000000:2); repeat
        /// for more. The tiers given replace all the rule's tiers.
        #[arg(long, conflicts_with = "no_tiers")]
        tier: Vec<String>,
        /// Remove every tier.
        #[arg(long)]
        no_tiers: bool,
        /// Give redeemed points back when their sale is refunded (in proportion);
        /// `--restore-redeemed=false` stops it.
        #[arg(
            long,
            num_args = 0..=1,
            require_equals = true,
            default_missing_value = "true",
            value_name = "true|false"
        )]
        restore_redeemed: Option<bool>,
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
            let customer = lookup(store, &key)?;
            let entries = store.customer_entries(customer.id)?;
            let cloud = cloud_points(store, customer.id)?;
            let points = store.customer_points(customer)?;
            if json {
                let body = serde_json::json!({
                    "customer": points,
                    "entries": entries,
                    "cloud_points": cloud.as_ref().ok().map(|c| c.points),
                    "cloud_lifetime_spend": cloud.as_ref().ok().map(|c| c.lifetime_spend),
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
                "  member code: KASIR:MEMBER:{}",
                c.id.to_string().to_ascii_uppercase()
            );
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
        CustomerCommand::Adjust { key, points } => {
            let customer = lookup(store, &key)?;
            let balance = store.adjust_points(customer.id, points)?;
            if json {
                print_json(&serde_json::json!({ "customer_id": customer.id, "points": balance }))?;
            } else {
                println!("{} now has {balance} points ({points:+}).", customer.name);
            }
        }
        CustomerCommand::Erase { key, by } => {
            crate::staff_cmd::authorise(store, &by, "erase a customer")?;
            // Only what this device holds: a customer on another device is erased there, or
            // by the owner in the cloud.
            let customer = store.find_customer(&key)?;
            let erasure = store.erase_customer(customer.id)?;
            if json {
                print_json(&erasure)?;
            } else {
                println!(
                    "Customer {} erased: their name, phone, email, birth year and gender are \
                     gone; {} points and their sales stay under the id. The cloud is told at \
                     the next sync.",
                    erasure.customer_id, erasure.points
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
            no_tiers,
            restore_redeemed,
        } => {
            let change = RuleChange {
                spend_per_point,
                point_value,
                tiers: if no_tiers {
                    Some(Vec::new())
                } else {
                    Some(tier).filter(|t| !t.is_empty())
                },
                restore_redeemed,
            };
            if !change.is_empty() {
                let currency = store.settings()?.currency;
                let rule = change.apply(store.loyalty_rule()?, currency)?;
                store.set_loyalty_rule(&rule)?;
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

/// The options of `kasir customer rule` that were given; the others keep their values.
struct RuleChange {
    spend_per_point: Option<String>,
    point_value: Option<String>,
    /// `Some` replaces every tier (an empty list removes them).
    tiers: Option<Vec<String>>,
    restore_redeemed: Option<bool>,
}

impl RuleChange {
    fn is_empty(&self) -> bool {
        self.spend_per_point.is_none()
            && self.point_value.is_none()
            && self.tiers.is_none()
            && self.restore_redeemed.is_none()
    }

    /// The rule `current` with these options changed. Without a rule yet, the spend per point
    /// and the point value are required (the error names the ones missing). Every option is
    /// read before anything changes, so a bad one changes nothing.
    fn apply(
        self,
        current: Option<LoyaltyRule>,
        currency: kasir_domain::money::Currency,
    ) -> Result<LoyaltyRule, CliError> {
        let spend = self
            .spend_per_point
            .map(|s| currency.parse_amount("spend-per-point", &s))
            .transpose()?;
        let value = self
            .point_value
            .map(|v| currency.parse_amount("point-value", &v))
            .transpose()?;
        let tiers = self
            .tiers
            .map(|tiers| {
                tiers
                    .iter()
                    .map(|t| parse_tier(t, currency))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let mut rule = match (current, spend, value) {
            (Some(rule), _, _) => rule,
            (None, Some(spend), Some(value)) => LoyaltyRule::new(spend, value),
            (None, spend, value) => {
                let missing: Vec<&str> = [
                    spend.is_none().then_some("--spend-per-point"),
                    value.is_none().then_some("--point-value"),
                ]
                .into_iter()
                .flatten()
                .collect();
                return Err(CliError::Usage(format!(
                    "the store has no points rule yet: give {} to make one",
                    missing.join(" and ")
                )));
            }
        };
        if let Some(spend) = spend {
            rule.spend_per_point = spend;
        }
        if let Some(value) = value {
            rule.point_value = value;
        }
        if let Some(tiers) = tiers {
            rule.tiers = tiers;
        }
        if let Some(restore) = self.restore_redeemed {
            rule.restore_redeemed_on_refund = restore;
        }
        Ok(rule)
    }
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

/// The customer whose phone, email or id is `key`: on this device, or else (when it is
/// enrolled and the cloud answers) as another device added them, taken in with their ledger.
/// A customer found here also gets the entries other devices made, so their points here
/// are what the whole merchant knows plus what this device has not synced yet. When the cloud
/// does not answer, this device's own view is used.
pub fn lookup(store: &mut Store, key: &str) -> Result<kasir_domain::loyalty::Customer, CliError> {
    use kasir_sync::client::SyncError;
    let local = store.find_customer(key);
    let client = match kasir_sync::worker::client_for(store) {
        Ok(client) => client,
        Err(SyncError::NotEnrolled) => return Ok(local?),
        Err(e) => return Err(e.into()),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (customer, points) = match local {
        Ok(customer) => match runtime.block_on(client.customer_points(customer.id)) {
            Ok(points) => (customer, points),
            // Not synced yet, or the cloud is away: what this device knows.
            Err(_) => return Ok(customer),
        },
        Err(kasir_store::StoreError::NotFound { .. }) if !key.trim().is_empty() => {
            match runtime.block_on(client.find_customer(key.trim())) {
                Ok(found) => (found.customer, found.points),
                Err(SyncError::Server { status: 404, .. }) => return Ok(local?),
                Err(e) if e.is_transient() => {
                    return Err(CliError::Usage(format!(
                        "no such customer on this device, and the cloud did not answer ({e})"
                    )));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => return Err(e.into()),
    };
    let entries: Vec<kasir_store::loyalty::KnownEntry> = points
        .entries
        .iter()
        .map(|e| kasir_store::loyalty::KnownEntry {
            entry_id: e.entry_id,
            reference_id: e.reference_id,
            sale_id: e.sale_id,
            kind: e.kind,
            points: e.points,
            spend: e.spend,
            occurred_at: e.occurred_at,
        })
        .collect();
    store.merge_customer(&customer, &entries)?;
    Ok(customer)
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
