//! The store's settings (shared by the device and the cloud) and a device's identity.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::money::{Currency, Locale};
use crate::payment::CashRounding;
use crate::rounding::Rounding;
use crate::tax::TaxRules;

/// How the store trades: name and address for the receipt, currency, language, time zone,
/// tax rules and cash rounding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StoreSettings {
    /// The store's name, printed at the top of receipts.
    pub name: String,
    /// Address lines for the receipt.
    #[serde(default)]
    pub address: Vec<String>,
    /// The tax registration number (NPWP in Indonesia), printed when set.
    #[serde(default)]
    pub tax_id: Option<String>,
    /// The one currency of the catalog and every sale.
    pub currency: Currency,
    /// Language and number style of receipts and screens.
    pub locale: Locale,
    /// IANA time zone that decides a sale's business date, for example `Asia/Jakarta`.
    pub timezone: String,
    /// Tax rates, categories, price mode and rounding.
    pub tax: TaxRules,
    /// Rounding of cash payments, if the store rounds them.
    #[serde(default)]
    pub cash_rounding: Option<CashRounding>,
    /// The tax category of the service charge, if it is taxed (PB1 in Indonesian restaurants).
    #[serde(default)]
    pub service_charge_tax_category: Option<String>,
    /// The tax category of tips, if the store taxes them; tips are untaxed when unset.
    #[serde(default)]
    pub tip_tax_category: Option<String>,
    /// A line printed at the foot of every receipt.
    #[serde(default)]
    pub receipt_footer: String,
    /// The store's static QRIS payload (the sticker on the counter), from which the register
    /// makes the dynamic code of each payment; checked when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qris: Option<String>,
}

impl StoreSettings {
    /// An Indonesian shop: rupiah, Indonesian receipts, Jakarta time, PPN-inclusive prices with
    /// PPN 12% on an 11/12 base rounded half up per document, and no cash rounding.
    pub fn indonesian_shop(name: &str) -> StoreSettings {
        StoreSettings {
            name: name.to_string(),
            address: Vec::new(),
            tax_id: None,
            currency: Currency::IDR,
            locale: Locale::Id,
            timezone: "Asia/Jakarta".into(),
            tax: TaxRules::indonesia_retail(),
            cash_rounding: None,
            service_charge_tax_category: None,
            tip_tax_category: None,
            receipt_footer: "Terima kasih".into(),
            qris: None,
        }
    }

    /// Checks every setting; the error names the one at fault.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::invalid("name", "is empty"));
        }
        jiff::tz::TimeZone::get(&self.timezone).map_err(|_| {
            DomainError::invalid(
                "timezone",
                format!("`{}` is not a known time zone", self.timezone),
            )
        })?;
        self.tax.validate()?;
        if let Some(sticker) = &self.qris {
            let payload = crate::emvqr::Payload::parse(sticker)
                .map_err(|e| DomainError::invalid("qris", e.to_string()))?;
            if !crate::emvqr::qris::is_qris(&payload) {
                return Err(DomainError::invalid(
                    "qris",
                    "the payload is a valid EMV QR code but not a QRIS one (rupiah, Indonesia)",
                ));
            }
        }
        if let Some(code) = &self.service_charge_tax_category {
            self.tax.category(code)?;
        }
        if let Some(code) = &self.tip_tax_category {
            self.tax
                .category(code)
                .map_err(|e| DomainError::invalid("tip_tax_category", e.to_string()))?;
        }
        if let Some(CashRounding { increment, .. }) = self.cash_rounding {
            if increment <= Decimal::ZERO {
                return Err(DomainError::invalid(
                    "cash_rounding",
                    "increment must be more than zero",
                ));
            }
            self.currency.check_scale("cash_rounding", increment)?;
        }
        Ok(())
    }

    /// The store's time zone (checked by [`StoreSettings::validate`]).
    pub fn time_zone(&self) -> Result<jiff::tz::TimeZone, DomainError> {
        jiff::tz::TimeZone::get(&self.timezone).map_err(|_| {
            DomainError::invalid(
                "timezone",
                format!("`{}` is not a known time zone", self.timezone),
            )
        })
    }

    /// A cash rounding to `increment` with `rounding`.
    pub fn with_cash_rounding(mut self, increment: Decimal, rounding: Rounding) -> StoreSettings {
        self.cash_rounding = Some(CashRounding {
            increment,
            rounding,
        });
        self
    }
}

/// One setting that a change of the store's settings alters, for the merchant to read: the
/// setting's name as `kasir settings set` spells it, and its value before and after (`none`
/// when unset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SettingChange {
    /// The setting, for example `name`, `qris` or `cash-rounding`.
    pub setting: String,
    /// Its value before.
    pub old: String,
    /// Its value after.
    pub new: String,
}

impl std::fmt::Display for SettingChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} -> {}", self.setting, self.old, self.new)
    }
}

impl StoreSettings {
    /// The settings a device takes when it first receives its cloud account's (at
    /// enrolment): the cloud's value wherever it has one, and the device's own where the cloud
    /// has none (an unset tax id, QRIS payload, cash rounding or charge tax category, an empty
    /// address or footer). The name, currency, language, time zone and tax rules always come
    /// from the cloud, which always has them. A device's charge tax category is kept only if
    /// the cloud's tax rules have that category.
    pub fn merged_over(&self, cloud: &StoreSettings) -> StoreSettings {
        let mut merged = cloud.clone();
        if merged.address.is_empty() {
            merged.address = self.address.clone();
        }
        if merged.tax_id.is_none() {
            merged.tax_id = self.tax_id.clone();
        }
        if merged.cash_rounding.is_none() {
            merged.cash_rounding = self.cash_rounding;
        }
        let known = |code: &Option<String>| {
            code.as_ref()
                .filter(|c| merged.tax.category(c).is_ok())
                .cloned()
        };
        if merged.service_charge_tax_category.is_none() {
            merged.service_charge_tax_category = known(&self.service_charge_tax_category);
        }
        if merged.tip_tax_category.is_none() {
            merged.tip_tax_category = known(&self.tip_tax_category);
        }
        if merged.receipt_footer.trim().is_empty() {
            merged.receipt_footer = self.receipt_footer.clone();
        }
        if merged.qris.is_none() {
            merged.qris = self.qris.clone();
        }
        merged
    }

    /// What changes, setting by setting, when these settings become `new`.
    pub fn changes_to(&self, new: &StoreSettings) -> Vec<SettingChange> {
        fn text(value: Option<&str>) -> String {
            match value {
                Some(v) if !v.trim().is_empty() => v.to_string(),
                _ => "none".into(),
            }
        }
        fn rounding(r: Option<CashRounding>) -> String {
            r.map_or_else(
                || "none".into(),
                |r| format!("{} {}", r.increment, r.rounding.name()),
            )
        }
        fn tax(t: &TaxRules) -> String {
            let rates: Vec<String> = t
                .rates
                .iter()
                .map(|r| format!("{} {}%", r.code, r.percent))
                .collect();
            let mode = match t.price_mode {
                crate::tax::PriceMode::TaxIncluded => "tax-included",
                crate::tax::PriceMode::TaxExcluded => "tax-excluded",
            };
            let level = match t.level {
                crate::tax::TaxRoundingLevel::Line => "line",
                crate::tax::TaxRoundingLevel::Group => "group",
                crate::tax::TaxRoundingLevel::Document => "document",
            };
            format!(
                "{} ({mode}, rounded per {level} {})",
                rates.join(", "),
                t.rounding.name()
            )
        }
        let pairs: [(&str, String, String); 12] = [
            ("name", self.name.clone(), new.name.clone()),
            (
                "address",
                text(Some(&self.address.join(" / "))),
                text(Some(&new.address.join(" / "))),
            ),
            (
                "tax-id",
                text(self.tax_id.as_deref()),
                text(new.tax_id.as_deref()),
            ),
            (
                "currency",
                self.currency.code().into(),
                new.currency.code().into(),
            ),
            (
                "locale",
                format!("{:?}", self.locale).to_lowercase(),
                format!("{:?}", new.locale).to_lowercase(),
            ),
            ("timezone", self.timezone.clone(), new.timezone.clone()),
            ("tax", tax(&self.tax), tax(&new.tax)),
            (
                "cash-rounding",
                rounding(self.cash_rounding),
                rounding(new.cash_rounding),
            ),
            (
                "service-tax",
                text(self.service_charge_tax_category.as_deref()),
                text(new.service_charge_tax_category.as_deref()),
            ),
            (
                "tip-tax",
                text(self.tip_tax_category.as_deref()),
                text(new.tip_tax_category.as_deref()),
            ),
            (
                "footer",
                text(Some(&self.receipt_footer)),
                text(Some(&new.receipt_footer)),
            ),
            (
                "qris",
                text(self.qris.as_deref()),
                text(new.qris.as_deref()),
            ),
        ];
        pairs
            .into_iter()
            .filter(|(_, old, new)| old != new)
            .map(|(setting, old, new)| SettingChange {
                setting: setting.into(),
                old,
                new,
            })
            .collect()
    }
}

/// This device: a UUID that names it everywhere, and a short code for its receipt numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Device {
    /// A UUID made when the store was created.
    pub id: String,
    /// Two to eight letters or digits that prefix receipt numbers (`D01` in `D01-000042`).
    pub code: String,
}

impl Device {
    /// A device named `id` (a UUID made when its store was created) with `code`.
    pub fn new(id: uuid::Uuid, code: &str) -> Result<Device, DomainError> {
        let device = Device {
            id: id.to_string(),
            code: code.trim().to_ascii_uppercase(),
        };
        device.validate()?;
        Ok(device)
    }

    /// Checks the code's shape.
    pub fn validate(&self) -> Result<(), DomainError> {
        let ok = (2..=8).contains(&self.code.len())
            && self.code.bytes().all(|b| b.is_ascii_alphanumeric());
        if !ok {
            return Err(DomainError::invalid(
                "device code",
                format!("`{}` must be 2 to 8 letters or digits", self.code),
            ));
        }
        uuid::Uuid::parse_str(&self.id)
            .map_err(|_| DomainError::invalid("device id", "is not a UUID"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tip_tax_category_defaults_to_none_and_must_name_a_known_category() {
        let shop = StoreSettings::indonesian_shop("Warung");
        let mut json = serde_json::to_value(&shop).unwrap();
        json.as_object_mut().unwrap().remove("tip_tax_category");
        let read: StoreSettings = serde_json::from_value(json).unwrap();
        assert_eq!(read.tip_tax_category, None);

        let mut taxed = shop.clone();
        taxed.tip_tax_category = Some("ppn".into());
        assert!(taxed.validate().is_ok());

        taxed.tip_tax_category = Some("nope".into());
        let err = taxed.validate().unwrap_err();
        assert!(err.to_string().starts_with("tip_tax_category:"), "{err}");
        assert!(err.to_string().contains("nope"), "{err}");
    }

    #[test]
    fn the_cloud_wins_where_it_has_a_value_and_the_device_keeps_the_rest() {
        let mut device = StoreSettings::indonesian_shop("Toko Contoh");
        device.address = vec!["Jl. Contoh 1".into()];
        device.receipt_footer = "Sampai jumpa".into();
        device.cash_rounding = Some(CashRounding {
            increment: Decimal::ONE_HUNDRED,
            rounding: Rounding::HalfAwayFromZero,
        });
        device.tip_tax_category = Some("ppn".into());
        let mut cloud = StoreSettings::indonesian_shop("Warung Bu Sri");
        cloud.receipt_footer = String::new();
        cloud.tax_id = Some("01.234.567.8-901.000".into());
        cloud.tax.categories.retain(|c| c.code != "ppn");

        let merged = device.merged_over(&cloud);
        assert_eq!(merged.name, "Warung Bu Sri");
        assert_eq!(merged.tax_id.as_deref(), Some("01.234.567.8-901.000"));
        assert_eq!(merged.address, device.address);
        assert_eq!(merged.receipt_footer, "Sampai jumpa");
        assert_eq!(merged.cash_rounding, device.cash_rounding);
        // The cloud's tax rules have no such category: the device's tip tax cannot stay.
        assert_eq!(merged.tip_tax_category, None);
        assert!(merged.validate().is_ok());

        let changes: Vec<String> = device
            .changes_to(&merged)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            changes.contains(&"name: Toko Contoh -> Warung Bu Sri".to_string()),
            "{changes:?}"
        );
        assert!(
            changes.contains(&"tax-id: none -> 01.234.567.8-901.000".to_string()),
            "{changes:?}"
        );
        assert!(
            changes.contains(&"tip-tax: ppn -> none".to_string()),
            "{changes:?}"
        );
        assert!(
            !changes
                .iter()
                .any(|c| c.starts_with("footer") || c.starts_with("address")),
            "{changes:?}"
        );
        assert!(device.changes_to(&device).is_empty());
    }
}
