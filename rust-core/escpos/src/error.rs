//! What can go wrong between a sale and its bytes.

use kasir_domain::DomainError;

/// Why a receipt, ticket or command could not be made. Nothing is half-printed: the bytes are
/// returned whole or not at all.
#[derive(Debug, thiserror::Error)]
pub enum EscposError {
    /// The sale or the store's settings are not usable (for example an unknown time zone).
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// No built-in profile has this name.
    #[error("no printer profile called `{0}`")]
    UnknownProfile(String),
    /// A profile's data does not make sense.
    #[error("printer profile `{name}`: {reason}")]
    BadProfile {
        /// The profile's name.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// An option is out of range.
    #[error("receipt option `{field}`: {reason}")]
    BadOption {
        /// The option.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The QR data cannot be encoded (too long for any QR version).
    #[error("QR code: {0}")]
    Qr(String),
    /// The barcode data does not fit the symbology.
    #[error("barcode {symbology}: {reason}")]
    Barcode {
        /// The symbology, for example `EAN-13`.
        symbology: &'static str,
        /// What is wrong with the data.
        reason: String,
    },
    /// An image could not be read or is too large.
    #[error("image: {0}")]
    Image(String),
    /// The printer cannot print what was asked (for example an image on a text-only printer).
    #[error("printer `{printer}` cannot print {what}")]
    Unsupported {
        /// The profile's name.
        printer: String,
        /// What it lacks.
        what: &'static str,
    },
}
