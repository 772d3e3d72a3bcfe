//! `kasir giftcard`: read a gift card's balance, redeem from it, and set the merchant's limits
//! on redeeming while offline.
//!
//! A redemption asks the cloud first when the device is enrolled: the cloud takes the amount
//! only if the card holds it. When the cloud cannot be reached (no network, a server failure),
//! the device redeems within the offline limits, against the balance it last knew, and queues
//! the redemption for the cloud with the same entry id, so that a request whose answer was
//! lost is still applied once. A refusal from the cloud (not enough left, an unknown card) is
//! final: the rest is paid with another tender.

use std::process::ExitCode;

use clap::Subcommand;
use kasir_domain::Decimal;
use kasir_domain::giftcard::{CardNumber, OfflineLimits};
use kasir_store::Store;
use kasir_sync::client::SyncError;
use kasir_sync::protocol::RedeemRequest;
use kasir_sync::worker;
use serde::Serialize;
use uuid::Uuid;

use crate::app::CliError;
use crate::view::money;

/// `kasir giftcard ...`
#[derive(Debug, Subcommand)]
pub enum GiftcardCommand {
    /// A card's balance: from the cloud when it answers, else as this device last knew it.
    Balance {
        /// The card number (GC-XXXX-XXXX) or its printed code (KASIR:GIFT:...).
        number: String,
    },
    /// Redeem from a card: online when the cloud answers, else within the offline limits.
    Redeem {
        /// The card number (GC-XXXX-XXXX) or its printed code (KASIR:GIFT:...).
        number: String,
        /// How much to take, in plain digits.
        amount: String,
    },
    /// Show or set the limits on redeeming gift cards while the cloud cannot be reached.
    Limits {
        /// The most one offline redemption may take.
        #[arg(long, requires = "per_card")]
        per_redemption: Option<String>,
        /// The most this device may take from one card until it reaches the cloud again.
        #[arg(long, requires = "per_redemption")]
        per_card: Option<String>,
    },
}

/// How a redemption was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The cloud applied it.
    Online,
    /// The device applied it within its offline limits; the cloud gets it with the next sync.
    Offline,
}

/// A redemption that was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GiftRedemption {
    /// The entry's id.
    pub entry_id: Uuid,
    /// The card.
    pub number: CardNumber,
    /// What was taken.
    pub amount: Decimal,
    /// Online or offline.
    pub mode: Mode,
    /// Online: what the card has left. Offline: what may still be redeemed offline.
    pub left: Decimal,
    /// Why the cloud was not used, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offline_because: Option<String>,
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// Redeems `amount` from `number` for the sale `sale_id` (if any): online when the device is
/// enrolled and the cloud answers, else offline within the merchant's limits. A refusal
/// says what is left, so the rest can be paid with another tender.
pub fn redeem(
    store: &mut Store,
    number: &CardNumber,
    amount: Decimal,
    sale_id: Option<Uuid>,
) -> Result<GiftRedemption, CliError> {
    let entry_id = Uuid::now_v7();
    let offline_because = match worker::client_for(store) {
        Err(SyncError::NotEnrolled) => "this device is not enrolled with a cloud account".into(),
        Err(e) => return Err(e.into()),
        Ok(client) => {
            let request = RedeemRequest {
                entry_id,
                amount,
                sale_id,
            };
            match runtime()?.block_on(client.redeem_gift_card(number, &request)) {
                Ok(done) => {
                    store.record_online_redemption(
                        number,
                        entry_id,
                        done.amount,
                        done.balance,
                        sale_id,
                    )?;
                    return Ok(GiftRedemption {
                        entry_id,
                        number: number.clone(),
                        amount: done.amount,
                        mode: Mode::Online,
                        left: done.balance,
                        offline_because: None,
                    });
                }
                Err(e) if e.is_transient() => format!("the cloud did not answer ({e})"),
                Err(SyncError::Server { message, .. }) => {
                    return Err(CliError::Usage(format!("gift card refused: {message}")));
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    // The same entry id as the online attempt: if that request reached the cloud after all,
    // the event is recognised there and nothing is taken twice.
    let done = store
        .redeem_gift_card_offline(number, amount, entry_id, sale_id)
        .map_err(|e| {
            CliError::Usage(format!(
                "gift card refused offline ({offline_because}): {e}"
            ))
        })?;
    Ok(GiftRedemption {
        entry_id,
        number: number.clone(),
        amount,
        mode: Mode::Offline,
        left: done.available_offline,
        offline_because: Some(offline_because),
    })
}

/// A gift card tender taken at the register for an open sale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The cloud took it (and this device recorded it): to give back if the sale is dropped.
    Online {
        /// The entry's id.
        entry_id: Uuid,
        /// What was taken.
        amount: Decimal,
        /// What the card has left.
        left: Decimal,
    },
    /// Within the offline limits: written with the sale when it is recorded, or never.
    Offline {
        /// The entry's id (the same as the online attempt's, if there was one).
        entry_id: Uuid,
        /// What it pays.
        amount: Decimal,
        /// Why the cloud was not used.
        because: String,
    },
}

/// Takes a gift card tender for the open sale `sale_id`: `amount`, or when `None` all that
/// `due` needs or the card holds, whichever is less. Online when the cloud answers; else
/// checked against the offline allowance (less `pending`, what this sale already takes from
/// the card offline) and left for the sale's transaction to write. Refused, taking nothing:
/// a card without enough, an amount above `due`.
pub fn take_for_sale(
    store: &mut Store,
    number: &CardNumber,
    amount: Option<Decimal>,
    due: Decimal,
    pending: Decimal,
    sale_id: Uuid,
) -> Result<Taken, CliError> {
    let settings = store.settings()?.clone();
    if let Some(a) = amount
        && a > due
    {
        return Err(CliError::Usage(format!(
            "a gift card payment of {} is more than the {} still due; a gift card makes no \
             change",
            money(&settings, a),
            money(&settings, due)
        )));
    }
    let entry_id = Uuid::now_v7();
    let because = match worker::client_for(store) {
        Err(SyncError::NotEnrolled) => "this device is not enrolled with a cloud account".into(),
        Err(e) => return Err(e.into()),
        Ok(client) => {
            let rt = runtime()?;
            let wanted = match amount {
                Some(a) => Ok(a),
                None => rt
                    .block_on(client.gift_card_balance(number))
                    .map(|b| b.balance.min(due)),
            };
            let answer = wanted.and_then(|wanted| {
                if wanted <= Decimal::ZERO {
                    return Err(SyncError::Server {
                        status: 409,
                        code: "insufficient_balance".into(),
                        message: format!("gift card {number} has nothing left"),
                    });
                }
                let request = RedeemRequest {
                    entry_id,
                    amount: wanted,
                    sale_id: Some(sale_id),
                };
                rt.block_on(client.redeem_gift_card(number, &request))
            });
            match answer {
                Ok(done) => {
                    store.record_online_redemption(
                        number,
                        entry_id,
                        done.amount,
                        done.balance,
                        Some(sale_id),
                    )?;
                    return Ok(Taken::Online {
                        entry_id,
                        amount: done.amount,
                        left: done.balance,
                    });
                }
                Err(e) if e.is_transient() => format!("the cloud did not answer ({e})"),
                // A card sold at this till whose sale has not synced yet: the cloud does not
                // know it, this device does.
                Err(SyncError::Server { status: 404, .. })
                    if store.known_gift_card(number)?.is_some() =>
                {
                    "the cloud does not know the card yet (its sale has not synced)".into()
                }
                Err(SyncError::Server { message, .. }) => {
                    return Err(CliError::Usage(format!("gift card refused: {message}")));
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let known = store.known_gift_card(number)?.ok_or_else(|| {
        CliError::Usage(format!(
            "gift card refused offline ({because}): this device has never seen {number} \
             online; pay with another tender"
        ))
    })?;
    let limits = store.gift_card_offline_limits()?;
    let allowed = kasir_domain::giftcard::offline_allowance(
        known.known_balance,
        known.spent_offline + pending,
        limits,
    );
    let amount = amount.unwrap_or_else(|| allowed.min(due));
    if amount.is_zero() {
        return Err(CliError::Usage(format!(
            "gift card refused offline ({because}): nothing more may be taken from {number} \
             offline; pay with another tender"
        )));
    }
    kasir_domain::giftcard::check_offline_redemption(
        amount,
        known.known_balance,
        known.spent_offline + pending,
        limits,
        settings.currency,
    )
    .map_err(|e| CliError::Usage(format!("gift card refused offline ({because}): {e}")))?;
    Ok(Taken::Offline {
        entry_id,
        amount,
        because,
    })
}

/// Runs `kasir giftcard ...`.
pub fn run(store: &mut Store, command: GiftcardCommand, json: bool) -> Result<ExitCode, CliError> {
    match command {
        GiftcardCommand::Balance { number } => {
            show_balance(store, &CardNumber::parse(&number)?, json)
        }
        GiftcardCommand::Redeem { number, amount } => {
            let currency = store.settings()?.currency;
            let amount = currency.parse_amount("amount", &amount)?;
            let done = redeem(store, &CardNumber::parse(&number)?, amount, None)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&done).map_err(std::io::Error::other)?
                );
            } else {
                println!("{}", describe(store, &done)?);
            }
            Ok(ExitCode::SUCCESS)
        }
        GiftcardCommand::Limits {
            per_redemption,
            per_card,
        } => {
            let currency = store.settings()?.currency;
            if let (Some(per_redemption), Some(per_card)) = (per_redemption, per_card) {
                store.set_gift_card_offline_limits(OfflineLimits {
                    per_redemption: currency.parse_amount("per-redemption", &per_redemption)?,
                    per_card: currency.parse_amount("per-card", &per_card)?,
                })?;
            }
            let limits = store.gift_card_offline_limits()?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&limits).map_err(std::io::Error::other)?
                );
            } else {
                let settings = store.settings()?;
                println!(
                    "Offline, one redemption may take at most {}, and a card at most {} until \
                     the device reaches the cloud again.",
                    money(settings, limits.per_redemption),
                    money(settings, limits.per_card)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One line for the cashier about a redemption.
pub fn describe(store: &Store, done: &GiftRedemption) -> Result<String, CliError> {
    let settings = store.settings()?;
    Ok(match done.mode {
        Mode::Online => format!(
            "Gift card {} paid {}; {} left on the card.",
            done.number.masked(),
            money(settings, done.amount),
            money(settings, done.left)
        ),
        Mode::Offline => format!(
            "Gift card {} paid {} offline ({}); {} more may be redeemed from it offline.",
            done.number.masked(),
            money(settings, done.amount),
            done.offline_because.as_deref().unwrap_or("offline"),
            money(settings, done.left)
        ),
    })
}

/// Shows a card's balance: from the cloud when it answers (remembered for offline use), else
/// as this device last knew it, with what may be redeemed offline.
pub fn show_balance(
    store: &mut Store,
    number: &CardNumber,
    json: bool,
) -> Result<ExitCode, CliError> {
    let mut offline_because = None;
    match worker::client_for(store) {
        Err(SyncError::NotEnrolled) => {
            offline_because = Some("this device is not enrolled with a cloud account".into());
        }
        Err(e) => return Err(e.into()),
        Ok(client) => match runtime()?.block_on(client.gift_card_balance(number)) {
            Ok(answer) => {
                let currency = kasir_domain::money::Currency::from_code(&answer.currency)?;
                store.remember_gift_card_balance(number, currency, answer.balance, answer.as_of)?;
            }
            Err(e) if e.is_transient() => {
                offline_because = Some(format!("the cloud did not answer ({e})"));
            }
            Err(e) => return Err(e.into()),
        },
    }
    let known = store.known_gift_card(number)?.ok_or_else(|| {
        CliError::Usage(format!(
            "gift card {number}: this device has never seen it online ({})",
            offline_because.as_deref().unwrap_or("")
        ))
    })?;
    if json {
        let body = serde_json::json!({
            "number": known.number,
            "currency": known.currency.code(),
            "balance": known.known_balance,
            "as_of": known.known_at,
            "online": offline_because.is_none(),
            "spent_offline": known.spent_offline,
            "available_offline": known.available_offline,
        });
        println!("{body}");
        return Ok(ExitCode::SUCCESS);
    }
    let settings = store.settings()?;
    match offline_because {
        None => println!(
            "Gift card {}: {} left.",
            known.number,
            money(settings, known.known_balance)
        ),
        Some(why) => println!(
            "Gift card {}: {} as last known on {} ({why}); {} spent offline since; {} may be \
             redeemed offline.",
            known.number,
            money(settings, known.known_balance),
            known.known_at,
            money(settings, known.spent_offline),
            money(settings, known.available_offline)
        ),
    }
    Ok(ExitCode::SUCCESS)
}
