//! `kasir settings`: show and change the store's settings, tax rates and tax categories.

use std::process::ExitCode;

use clap::Subcommand;
use kasir_domain::DomainError;
use kasir_domain::money::Locale;
use kasir_domain::payment::CashRounding;
use kasir_domain::rounding::Rounding;
use kasir_domain::tax::{PriceMode, TaxCategory, TaxRate, TaxRoundingLevel};
use kasir_store::Store;

use crate::app::CliError;

/// What `kasir settings` can do.
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show every setting.
    Show,
    /// Change one setting.
    ///
    /// Keys: name, address (lines separated by |), tax-id, locale (id|en), timezone,
    /// price-mode (tax-included|tax-excluded), tax-level (line|group|document),
    /// tax-rounding (half-up|half-even|down|up), cash-rounding (AMOUNT[:half-up|down|up] or
    /// none), service-tax (a tax category or none), tip-tax (a tax category or none; tips
    /// are untaxed by default), footer, qris (the static QRIS payload of the counter sticker,
    /// or none).
    Set {
        /// The setting.
        key: String,
        /// Its new value.
        value: String,
    },
    /// Add or replace a tax rate.
    Rate {
        /// Its code, for example pb1.
        code: String,
        /// The label printed on receipts, for example "PB1 10%".
        #[arg(long)]
        label: String,
        /// The percentage, for example 10.
        #[arg(long)]
        percent: String,
        /// The share of the price that is taxed, for example 11/12 (default 1/1).
        #[arg(long, default_value = "1/1")]
        base: String,
    },
    /// Add or replace a tax category (what items and charges carry).
    Category {
        /// Its code, for example pb1.
        code: String,
        /// A name for people.
        #[arg(long)]
        label: String,
        /// The codes of the rates it applies, comma separated; none for untaxed.
        #[arg(long, value_delimiter = ',')]
        rates: Vec<String>,
    },
}

/// Runs a settings command.
pub fn run(store: &mut Store, command: SettingsCommand, json: bool) -> Result<ExitCode, CliError> {
    let mut settings = store.settings()?.clone();
    match command {
        SettingsCommand::Show => {}
        SettingsCommand::Set { key, value } => {
            let v = value.trim();
            let none = v.eq_ignore_ascii_case("none") || v.is_empty();
            match key.as_str() {
                "name" => settings.name = v.to_string(),
                "address" => {
                    settings.address = v
                        .split('|')
                        .map(|l| l.trim().to_string())
                        .filter(|l| !l.is_empty())
                        .collect()
                }
                "tax-id" => settings.tax_id = (!none).then(|| v.to_string()),
                "locale" => settings.locale = Locale::parse(v)?,
                "timezone" => settings.timezone = v.to_string(),
                "price-mode" => {
                    settings.tax.price_mode = match v {
                        "tax-included" => PriceMode::TaxIncluded,
                        "tax-excluded" => PriceMode::TaxExcluded,
                        _ => {
                            return Err(DomainError::invalid(
                                "price-mode",
                                "must be tax-included or tax-excluded",
                            )
                            .into());
                        }
                    }
                }
                "tax-level" => settings.tax.level = TaxRoundingLevel::parse(v)?,
                "tax-rounding" => settings.tax.rounding = Rounding::parse(v)?,
                "cash-rounding" => {
                    settings.cash_rounding = if none {
                        None
                    } else {
                        let (amount, strategy) = v.split_once(':').unwrap_or((v, "half-up"));
                        Some(CashRounding {
                            increment: settings.currency.parse_amount("cash-rounding", amount)?,
                            rounding: Rounding::parse(strategy)?,
                        })
                    }
                }
                "service-tax" => {
                    settings.service_charge_tax_category = (!none).then(|| v.to_string())
                }
                "tip-tax" => settings.tip_tax_category = (!none).then(|| v.to_string()),
                "footer" => settings.receipt_footer = v.to_string(),
                "qris" => settings.qris = (!none).then(|| v.trim().to_string()),
                other => {
                    return Err(CliError::Usage(format!(
                        "`{other}` is not a setting; see `kasir settings set --help`"
                    )));
                }
            }
        }
        SettingsCommand::Rate {
            code,
            label,
            percent,
            base,
        } => {
            let (n, d) = base
                .split_once('/')
                .and_then(|(n, d)| {
                    Some((n.trim().parse::<u32>().ok()?, d.trim().parse::<u32>().ok()?))
                })
                .ok_or_else(|| {
                    DomainError::invalid("base", format!("`{base}` is not a fraction like 11/12"))
                })?;
            let percent = percent.trim().parse().map_err(|_| {
                DomainError::invalid("percent", format!("`{percent}` is not a number"))
            })?;
            let rate = TaxRate {
                code: code.clone(),
                label,
                percent,
                base_numerator: n,
                base_denominator: d,
            };
            settings.tax.rates.retain(|r| r.code != code);
            settings.tax.rates.push(rate);
        }
        SettingsCommand::Category { code, label, rates } => {
            let rates = rates
                .into_iter()
                .filter(|r| !r.trim().is_empty() && r != "none")
                .collect();
            settings.tax.categories.retain(|c| c.code != code);
            settings
                .tax
                .categories
                .push(TaxCategory { code, label, rates });
        }
    }
    store.update_settings(settings.clone())?;

    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&settings).map_err(std::io::Error::other)?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("name            {}", settings.name);
    println!("address         {}", settings.address.join(" | "));
    println!(
        "tax-id          {}",
        settings.tax_id.as_deref().unwrap_or("-")
    );
    println!("currency        {}", settings.currency);
    println!("locale          {}", kebab(&settings.locale));
    println!("timezone        {}", settings.timezone);
    println!("price-mode      {}", kebab(&settings.tax.price_mode));
    println!("tax-level       {}", kebab(&settings.tax.level));
    println!("tax-rounding    {}", settings.tax.rounding.name());
    match settings.cash_rounding {
        Some(r) => println!("cash-rounding   {}:{}", r.increment, r.rounding.name()),
        None => println!("cash-rounding   none"),
    }
    println!(
        "service-tax     {}",
        settings
            .service_charge_tax_category
            .as_deref()
            .unwrap_or("none")
    );
    println!(
        "tip-tax         {}",
        settings.tip_tax_category.as_deref().unwrap_or("none")
    );
    println!("footer          {}", settings.receipt_footer);
    println!(
        "qris            {}",
        settings.qris.as_deref().map_or("none".into(), |q| {
            let name = kasir_domain::emvqr::Payload::parse(q)
                .ok()
                .and_then(|p| p.merchant_name().map(str::to_string))
                .unwrap_or_default();
            format!("set ({name})")
        })
    );
    println!(
        "device          {} ({})",
        store.device()?.code,
        store.device()?.id
    );
    for rate in &settings.tax.rates {
        println!(
            "rate            {}: {} = {}% on {}/{}",
            rate.code, rate.label, rate.percent, rate.base_numerator, rate.base_denominator
        );
    }
    for category in &settings.tax.categories {
        println!(
            "category        {}: {} [{}]",
            category.code,
            category.label,
            category.rates.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A setting's value as it is typed (`tax-included`, `document`, `id`): its serde name.
fn kebab<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
