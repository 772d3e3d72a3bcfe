//! `kasir qr`: check an EMV QR payload (a printed QRIS sticker, a code from a provider) and make
//! one, with the code drawn in the terminal.

use std::process::ExitCode;

use clap::Subcommand;
use kasir_domain::Decimal;
use kasir_domain::emvqr::{Field, Initiation, Payload, TipRule, numeric_code, qris};
use kasir_domain::money::Currency;
use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;
use serde_json::{Value, json};

use crate::app::CliError;

/// `kasir qr ...`
#[derive(Debug, Subcommand)]
pub enum QrCommand {
    /// Check a payload: its checksum and structure, and what it asks the payer for.
    Parse {
        /// The payload text, as a QR reader gives it.
        payload: String,
    },
    /// Make a payload: the dynamic QRIS code of one payment from a static sticker's payload
    /// (`--from`), or a new code from its fields.
    Make(Box<MakeArgs>),
    /// QR tenders nothing has verified yet: the store's, as the cloud has them (every
    /// device's), or with --local (or when the cloud cannot be reached) this device's own.
    Unmatched {
        /// Only this device's own unverified QR tenders, without asking the cloud.
        #[arg(long)]
        local: bool,
    },
}

impl QrCommand {
    /// Whether the command reads the device's store (the others work without one).
    pub fn needs_store(&self) -> bool {
        matches!(self, QrCommand::Unmatched { .. })
    }
}

/// The fields of a code to make.
#[derive(Debug, clap::Args)]
pub struct MakeArgs {
    /// A static QRIS payload to turn into the code of one payment (needs --amount).
    #[arg(long, value_name = "PAYLOAD", conflicts_with_all = ["guid", "account", "name", "city"])]
    from: Option<String>,
    /// The amount of the payment, in plain digits (`25000`, never `25.000`).
    #[arg(long)]
    amount: Option<String>,
    /// The scheme's identifier for the merchant account template (e.g. ID.CO.QRIS.WWW).
    #[arg(long, required_unless_present = "from")]
    guid: Option<String>,
    /// The merchant's id within the scheme (sub-tag 01 of the template).
    #[arg(long, required_unless_present = "from")]
    account: Option<String>,
    /// The merchant account template's tag (26 to 51).
    #[arg(long, default_value_t = 26, value_parser = clap::value_parser!(u8).range(26..=51))]
    template: u8,
    /// Merchant name (at most 25 characters).
    #[arg(long, required_unless_present = "from")]
    name: Option<String>,
    /// Merchant city (at most 15 characters).
    #[arg(long, required_unless_present = "from")]
    city: Option<String>,
    /// Country, ISO 3166-1 alpha-2.
    #[arg(long, default_value = "ID")]
    country: String,
    /// Currency, ISO 4217.
    #[arg(long, default_value = "IDR")]
    currency: String,
    /// Merchant category code (4 digits).
    #[arg(long, default_value = "5499")]
    mcc: String,
    /// A reference printed in the additional data (sub-tag 05), e.g. the receipt number.
    #[arg(long)]
    reference: Option<String>,
    /// Print only the payload, without drawing the code.
    #[arg(long)]
    no_draw: bool,
}

/// Runs a `kasir qr` command; it needs no store.
pub fn run(command: QrCommand, json: bool) -> Result<ExitCode, CliError> {
    match command {
        QrCommand::Parse { payload } => parse(&payload, json),
        QrCommand::Make(args) => make(&args, json),
        QrCommand::Unmatched { .. } => Err(CliError::Usage(
            "qr unmatched: needs the device's store".into(),
        )),
    }
}

/// Runs a `kasir qr` command that reads the device's store.
pub fn run_with_store(
    store: &kasir_store::Store,
    command: QrCommand,
    json: bool,
) -> Result<ExitCode, CliError> {
    match command {
        QrCommand::Unmatched { local } => unmatched(store, local, json),
        other => run(other, json),
    }
}

/// One unverified tender, as listed.
struct Unmatched {
    receipt: String,
    tender_no: u32,
    device: String,
    date: String,
    reference: String,
    amount: Decimal,
}

fn unmatched(store: &kasir_store::Store, local: bool, json: bool) -> Result<ExitCode, CliError> {
    let settings = store.settings()?;
    let mut source = "device";
    let mut note = None;
    let mut list: Option<Vec<Unmatched>> = None;
    if !local {
        match kasir_sync::worker::client_for(store) {
            Ok(client) => {
                let answer = crate::printer_cmd::runtime()?.block_on(client.unmatched_qr_tenders());
                match answer {
                    Ok(answer) => {
                        source = "cloud";
                        list = Some(
                            answer
                                .tenders
                                .into_iter()
                                .map(|t| Unmatched {
                                    receipt: t.receipt_number,
                                    tender_no: t.tender_no,
                                    device: t.device_code,
                                    date: t.business_date.to_string(),
                                    reference: t.reference,
                                    amount: t.amount,
                                })
                                .collect(),
                        );
                    }
                    Err(e) => note = Some(format!("the cloud did not answer ({e})")),
                }
            }
            Err(e) => note = Some(e.to_string()),
        }
    }
    let list = match list {
        Some(list) => list,
        None => {
            let device = store.device()?.code.clone();
            store
                .qr_tenders(true)?
                .into_iter()
                .map(|t| Unmatched {
                    receipt: t.receipt_number,
                    tender_no: t.tender_no,
                    device: device.clone(),
                    date: t.recorded_at.chars().take(10).collect(),
                    reference: t.reference,
                    amount: t.amount,
                })
                .collect()
        }
    };
    if json {
        let tenders: Vec<Value> = list
            .iter()
            .map(|t| {
                json!({
                    "receipt_number": t.receipt, "tender_no": t.tender_no, "device_code": t.device,
                    "date": t.date, "reference": t.reference, "amount": t.amount.to_string(),
                })
            })
            .collect();
        println!("{}", json!({ "source": source, "tenders": tenders }));
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(note) = note {
        println!("This device's own QR tenders only: {note}.");
    }
    if list.is_empty() {
        println!("Every QR tender is verified.");
    }
    let total: Decimal = list.iter().map(|t| t.amount).sum();
    for t in &list {
        println!(
            "{}  {} #{}  {}  {:>12}  {}",
            t.date,
            t.receipt,
            t.tender_no,
            t.device,
            crate::view::money(settings, t.amount),
            t.reference
        );
    }
    if !list.is_empty() {
        println!(
            "{} unverified QR tender(s), {} in all ({}).",
            list.len(),
            crate::view::money(settings, total),
            if source == "cloud" {
                "as the cloud has them; match them in the cloud"
            } else {
                "this device's, not yet matched by the cloud"
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn parse(text: &str, json: bool) -> Result<ExitCode, CliError> {
    let payload = Payload::parse(text.trim()).map_err(|e| CliError::Usage(format!("qr: {e}")))?;
    let summary = describe(&payload);
    if json {
        println!("{summary}");
    } else {
        print_summary(&summary);
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(payload: &Payload) -> Value {
    let accounts: Vec<Value> = payload
        .merchant_accounts()
        .iter()
        .map(|a| json!({ "tag": format!("{:02}", a.tag), "guid": a.guid }))
        .collect();
    let tip = payload.tip_rule().map(|rule| match rule {
        TipRule::Prompt => json!({ "kind": "prompt" }),
        TipRule::Fixed(amount) => json!({ "kind": "fixed", "amount": amount.to_string() }),
        TipRule::Percentage(p) => json!({ "kind": "percentage", "percent": p.to_string() }),
    });
    json!({
        "valid": true,
        "qris": qris::is_qris(payload),
        "initiation": match payload.initiation() {
            Some(Initiation::Static) => Some("static"),
            Some(Initiation::Dynamic) => Some("dynamic"),
            None => None,
        },
        "merchant_accounts": accounts,
        "merchant_category": payload.merchant_category(),
        "currency": payload.currency().map(|c| c.code()).or(payload.text(53)),
        "amount": payload.amount().map(|a| a.to_string()),
        "tip": tip,
        "country": payload.country(),
        "merchant_name": payload.merchant_name(),
        "merchant_city": payload.merchant_city(),
        "postal_code": payload.postal_code(),
        "reference": payload.additional(5),
        "rule_issues": payload.rule_issues(),
    })
}

fn print_summary(summary: &Value) {
    let text = |key: &str| summary[key].as_str().unwrap_or("-").to_string();
    println!("Valid EMV QR payload (checksum correct).");
    if summary["qris"].as_bool() == Some(true) {
        println!("Scheme:    QRIS");
    }
    println!(
        "Merchant:  {} ({})",
        text("merchant_name"),
        text("merchant_city")
    );
    println!(
        "Country:   {}   Currency: {}",
        text("country"),
        text("currency")
    );
    println!("Type:      {}", text("initiation"));
    match summary["amount"].as_str() {
        Some(amount) => println!("Amount:    {amount}"),
        None => println!("Amount:    typed by the payer"),
    }
    for account in summary["merchant_accounts"]
        .as_array()
        .into_iter()
        .flatten()
    {
        println!(
            "Account:   tag {} {}",
            account["tag"].as_str().unwrap_or("?"),
            account["guid"].as_str().unwrap_or("(no identifier)")
        );
    }
    for issue in summary["rule_issues"].as_array().into_iter().flatten() {
        println!("Note:      {}", issue.as_str().unwrap_or_default());
    }
}

fn make(args: &MakeArgs, json: bool) -> Result<ExitCode, CliError> {
    let usage = |e: String| CliError::Usage(format!("qr: {e}"));
    let currency = Currency::from_code(&args.currency)?;
    let amount = args
        .amount
        .as_deref()
        .map(|text| currency.parse_amount("--amount", text))
        .transpose()?;
    let payload = match &args.from {
        Some(sticker) => {
            let amount = amount.ok_or_else(|| {
                usage("--amount is needed to make the code of one payment from a sticker".into())
            })?;
            qris::to_dynamic(sticker.trim(), amount).map_err(|e| usage(e.to_string()))?
        }
        None => build(args, currency, amount).map_err(usage)?,
    };
    // What is printed must read back: the same strict parser checks it.
    let parsed = Payload::parse(&payload).map_err(|e| usage(e.to_string()))?;
    if json {
        let mut summary = describe(&parsed);
        summary["payload"] = json!(payload);
        println!("{summary}");
    } else {
        if !args.no_draw {
            print!("{}", draw(&payload)?);
        }
        println!("{payload}");
    }
    Ok(ExitCode::SUCCESS)
}

fn build(args: &MakeArgs, currency: Currency, amount: Option<Decimal>) -> Result<String, String> {
    let required = |value: &Option<String>, flag: &str| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .ok_or_else(|| format!("{flag} is needed"))
    };
    let name = required(&args.name, "--name")?;
    let city = required(&args.city, "--city")?;
    for (flag, value, max) in [("--name", &name, 25), ("--city", &city, 15)] {
        if value.chars().count() > max {
            return Err(format!("{flag} has more than {max} characters"));
        }
    }
    if args.mcc.len() != 4 || !args.mcc.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("--mcc `{}` is not four digits", args.mcc));
    }
    let country = args.country.trim().to_ascii_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "--country `{}` is not a two-letter code",
            args.country
        ));
    }
    let numeric = numeric_code(currency)
        .ok_or_else(|| format!("no ISO 4217 numeric code is known for {}", currency.code()))?;
    let mut fields = vec![
        Field::text(0, "01"),
        Field::text(1, if amount.is_some() { "12" } else { "11" }),
        Field::template(
            args.template,
            vec![
                Field::text(0, required(&args.guid, "--guid")?),
                Field::text(1, required(&args.account, "--account")?),
            ],
        ),
        Field::text(52, args.mcc.clone()),
        Field::text(53, numeric),
    ];
    if let Some(amount) = amount {
        let text = if currency == Currency::IDR {
            qris::check_amount(amount)
        } else {
            kasir_domain::emvqr::amount_text(amount, currency)
        };
        fields.push(Field::text(54, text.map_err(|e| e.to_string())?));
    }
    fields.push(Field::text(58, country));
    fields.push(Field::text(59, name));
    fields.push(Field::text(60, city));
    if let Some(reference) = &args.reference {
        fields.push(Field::template(62, vec![Field::text(5, reference.clone())]));
    }
    for field in &fields {
        if field.value_text().chars().count() > 99 {
            return Err(format!(
                "field {:02} is longer than 99 characters",
                field.tag
            ));
        }
    }
    Ok(Payload::new(fields).encode())
}

/// The code drawn with half-block characters, two rows of modules a line.
pub fn draw(payload: &str) -> Result<String, CliError> {
    let code = QrCode::new(payload.as_bytes())
        .map_err(|e| CliError::Usage(format!("qr: the payload does not fit a QR code: {e}")))?;
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build()
        + "\n")
}
