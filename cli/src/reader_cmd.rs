//! The register's card reader: `pay reader [AMOUNT]` takes the payment on the simulated reader
//! (through the reference adapter, as a real one would be) and returns the card tender; and
//! the merchant's limits for offline card payments.

use kasir_devices::DeviceError;
use kasir_devices::ble::sim::{SimConfig, SimPeripheral};
use kasir_devices::reader::offline::OfflineLimits;
use kasir_devices::reader::reference::{ReferenceReader, SimCard, SimulatedReader};
use kasir_devices::reader::{CardReader, Outcome, PaymentRequest, take_payment};
use kasir_domain::Decimal;
use kasir_store::StoreSettings;

use crate::app::CliError;
use crate::printer_cmd::runtime;

/// What a card payment on the reader gave: the fields of a card tender.
pub struct CardTender {
    /// The approval code.
    pub approval_code: String,
    /// The last four digits.
    pub last4: String,
    /// The brand.
    pub brand: String,
    /// Approved offline by the card: to be forwarded, and allowed only within the limits.
    pub offline: bool,
    /// The tip the customer chose on the reader, charged on top of the amount.
    pub tip: Decimal,
}

/// The tip choices offered on the reader and, for the simulated reader, which one the
/// customer picks (`tip=10,15 sim-tip=15|none` in `pay reader`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TipChoices {
    /// The percentages offered, at most four, each 1 to 50.
    pub percents: Vec<u8>,
    /// The percentage the simulated customer picks, one of `percents`; none for no tip.
    pub pick: Option<u8>,
}

/// Parses `tip=10,15` (the choices offered on the reader).
pub fn tip_percents(text: &str) -> Result<Vec<u8>, CliError> {
    let percents = text
        .split(',')
        .map(|p| {
            let p = p.trim().trim_end_matches('%');
            p.parse::<u8>()
                .ok()
                .filter(|p| (1..=50).contains(p))
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "`tip={text}`: `{p}` is not a tip choice (whole percents 1 to 50)"
                    ))
                })
        })
        .collect::<Result<Vec<u8>, CliError>>()?;
    if percents.len() > 4 {
        return Err(CliError::Usage(format!(
            "`tip={text}`: the reader offers at most 4 tip choices"
        )));
    }
    Ok(percents)
}

/// Which simulated card to present (`sim=` in `pay reader`).
pub fn sim_card(text: &str) -> Result<SimCard, CliError> {
    Ok(match text.to_ascii_lowercase().as_str() {
        "approve" => SimCard::Approve,
        "decline" => SimCard::Decline,
        "offline" => SimCard::ApproveOffline,
        other => {
            return Err(CliError::Usage(format!(
                "`sim={other}`: the simulated card is approve, decline or offline"
            )));
        }
    })
}

/// Takes `amount` on the simulated reader. A declined or cancelled payment is an error that
/// says nothing was charged.
pub fn pay(
    settings: &StoreSettings,
    amount: Decimal,
    reference: &str,
    card: SimCard,
    tips: &TipChoices,
    quiet: bool,
) -> Result<CardTender, CliError> {
    let mut device = SimulatedReader::default();
    device.card = card;
    device.tip_choice = match tips.pick {
        None => None,
        Some(pick) => Some(
            tips.percents
                .iter()
                .position(|p| *p == pick)
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "`sim-tip={pick}` is not one of the tip choices offered (`tip=`)"
                    ))
                })?,
        ),
    };
    let sim = SimPeripheral::new(
        device,
        SimConfig {
            mtu: 185,
            address: "SIM-READER".into(),
            ..SimConfig::default()
        },
    );
    let mut reader = ReferenceReader::new(sim.link(), "SIM-READER");
    let request = PaymentRequest {
        amount,
        currency: settings.currency,
        tip_percents: tips.percents.clone(),
        reference: reference.to_string(),
    };
    let failed = |e: DeviceError| CliError::Usage(format!("card reader: {e}"));
    let result = runtime()?.block_on(async {
        let info = reader.connect().await.map_err(failed)?;
        if !quiet {
            println!("Card reader connected (battery {}%).", info.battery_percent);
        }
        let result = take_payment(
            &mut reader,
            &request,
            std::time::Duration::from_secs(30),
            |p| {
                if !quiet {
                    println!("reader: {}", p.text());
                }
            },
        )
        .await
        .map_err(failed);
        let _ = reader.disconnect().await;
        result
    })?;
    match result.outcome {
        Outcome::Approved => {}
        Outcome::ApprovedOffline => {}
        Outcome::Declined => {
            return Err(CliError::Usage(format!(
                "card declined ({}): nothing was charged",
                result.message.as_deref().unwrap_or("no reason given")
            )));
        }
        Outcome::Cancelled => {
            return Err(CliError::Usage(
                "card payment cancelled: nothing was charged".into(),
            ));
        }
    }
    let missing = |field: &str| CliError::Usage(format!("the reader's approval has no {field}"));
    Ok(CardTender {
        approval_code: result
            .approval_code
            .ok_or_else(|| missing("approval code"))?,
        last4: result
            .last_four
            .ok_or_else(|| missing("last four digits"))?,
        brand: result.brand.unwrap_or_else(|| "CARD".into()),
        offline: result.outcome == Outcome::ApprovedOffline,
        tip: result.tip,
    })
}

/// The merchant's limits for offline card payments, from `KASIR_OFFLINE_CARD_LIMITS`
/// (`PER_PAYMENT,TOTAL,HOURS`, for example `500000,2000000,24`); none means they are off.
// TODO(issue 5): the limits belong in the store's settings, synced from the cloud account, once
// the settings document has a place for them; the environment keeps them per device until then.
pub fn offline_limits(settings: &StoreSettings) -> Result<Option<OfflineLimits>, CliError> {
    let Ok(text) = std::env::var("KASIR_OFFLINE_CARD_LIMITS") else {
        return Ok(None);
    };
    let bad = |why: &str| {
        CliError::Usage(format!(
            "KASIR_OFFLINE_CARD_LIMITS `{text}`: {why} (PER_PAYMENT,TOTAL,HOURS)"
        ))
    };
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [per, total, hours] = parts[..] else {
        return Err(bad("three values are needed"));
    };
    let per = settings
        .currency
        .parse_amount("per payment", per)
        .map_err(|e| bad(&e.to_string()))?;
    let total = settings
        .currency
        .parse_amount("total", total)
        .map_err(|e| bad(&e.to_string()))?;
    let hours: i64 = hours
        .parse()
        .ok()
        .filter(|h| (1..=720).contains(h))
        .ok_or_else(|| bad("hours must be a whole number from 1 to 720"))?;
    Ok(Some(OfflineLimits {
        per_payment: per,
        total,
        max_wait: jiff::SignedDuration::from_hours(hours),
    }))
}
