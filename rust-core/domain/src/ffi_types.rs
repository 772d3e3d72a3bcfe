//! How the domain's values cross the uniffi boundary (only with the `uniffi` feature).
//!
//! The domain's records and enums derive their FFI types where they are defined; this module
//! holds the custom types those records use. Money is a decimal string on the wire, which the
//! bindings turn into `java.math.BigDecimal` (Kotlin) and `Foundation.Decimal` (Swift); times
//! are timestamps; ids and dates are their canonical strings. A value that does not parse is
//! refused when it is lifted, so a malformed amount never reaches the domain.

use std::str::FromStr;
use std::time::SystemTime;

use rust_decimal::Decimal;

use crate::gtin::Gtin;
use crate::money::Currency;

/// A UUID (a sale's id), as its hyphenated string.
pub type Uuid = uuid::Uuid;

/// An instant (when a sale completed), as a timestamp.
pub type Timestamp = jiff::Timestamp;

/// A calendar day (a sale's business date), as `YYYY-MM-DD`. Not called `Date`, which would
/// shadow Foundation's `Date` in the Swift bindings.
pub type CalendarDate = jiff::civil::Date;

uniffi::custom_type!(Decimal, String, {
    remote,
    lower: |amount| amount.to_string(),
    try_lift: |text| Ok(Decimal::from_str(&text)?),
});

uniffi::custom_type!(Uuid, String, {
    remote,
    lower: |id| id.to_string(),
    try_lift: |text| Ok(Uuid::parse_str(&text)?),
});

uniffi::custom_type!(Timestamp, SystemTime, {
    remote,
    // Every jiff timestamp (years -9999 to 9999) fits the 64-bit seconds of the platforms
    // Kasir runs on, so the fallback is never taken.
    lower: |at| SystemTime::try_from(at).unwrap_or(SystemTime::UNIX_EPOCH),
    try_lift: |at| Ok(Timestamp::try_from(at)?),
});

uniffi::custom_type!(CalendarDate, String, {
    remote,
    lower: |date| date.to_string(),
    try_lift: |text| Ok(CalendarDate::from_str(&text)?),
});

uniffi::custom_type!(Gtin, String, {
    lower: |gtin| gtin.as_str().to_string(),
    try_lift: |text| Ok(Gtin::parse(&text)?),
});

uniffi::custom_type!(Currency, String, {
    lower: |currency| currency.code().to_string(),
    try_lift: |code| Ok(Currency::from_code(&code)?),
});
