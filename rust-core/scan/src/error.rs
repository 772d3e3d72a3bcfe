//! The scan crate's error type: every rejection names the field and the reason.

use serde::Serialize;
use thiserror::Error;

/// Why a code, a rule or a frame was refused. Parsing never changes anything, so an error
/// only says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[serde(tag = "error", content = "detail", rename_all = "kebab-case")]
pub enum ScanError {
    /// A check digit does not hold (a GTIN, a scale label, a GS1 field with `csum`).
    #[error("{field}: {reason}")]
    CheckDigit {
        /// What was checked, for example `gtin` or `AI (01)`.
        field: String,
        /// The digit found and the digit it must be.
        reason: String,
    },
    /// A code has the wrong shape for what it claims to be (length, characters).
    #[error("{field}: {reason}")]
    Malformed {
        /// What was read, for example `gtin` or `EAN-13`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// GS1 element string data breaks the GS1 syntax dictionary.
    #[error("GS1 {field}: {reason}")]
    Gs1 {
        /// The Application Identifier at fault, as `AI (10)`, or `data` for the whole string.
        field: String,
        /// What is wrong, for example a missing separator or an unknown AI.
        reason: String,
    },
    /// A GS1 Digital Link URI is malformed.
    #[error("GS1 Digital Link {field}: {reason}")]
    DigitalLink {
        /// The part of the URI at fault: `scheme`, `domain`, `path`, `query` or an AI.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A symbology identifier (`]C1`, `]E0`, ...) is unknown or carries a symbology Kasir
    /// does not sell from.
    #[error("symbology: {0}")]
    Symbology(String),
    /// A Kasir code (`KASIR:...`) is malformed.
    #[error("Kasir code {field}: {reason}")]
    KasirCode {
        /// The part at fault: `kind` or `id`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A scale-label rule in the settings is unusable.
    #[error("scale rule {field}: {reason}")]
    ScaleRule {
        /// The setting at fault, for example `layout` or `decimals`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A camera frame or decoder option is unusable.
    #[error("frame {field}: {reason}")]
    Frame {
        /// The frame field at fault, for example `row_stride` or `region`.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// An image file could not be read.
    #[error("image {path}: {reason}")]
    Image {
        /// The file.
        path: String,
        /// Why it could not be read or decoded.
        reason: String,
    },
}

impl ScanError {
    /// A [`ScanError::Gs1`] error for `field`.
    pub fn gs1(field: impl Into<String>, reason: impl Into<String>) -> ScanError {
        ScanError::Gs1 {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A [`ScanError::Malformed`] error for `field`.
    pub fn malformed(field: impl Into<String>, reason: impl Into<String>) -> ScanError {
        ScanError::Malformed {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A [`ScanError::DigitalLink`] error for `field`.
    pub fn digital_link(field: impl Into<String>, reason: impl Into<String>) -> ScanError {
        ScanError::DigitalLink {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A [`ScanError::Frame`] error for `field`.
    pub fn frame(field: &'static str, reason: impl Into<String>) -> ScanError {
        ScanError::Frame {
            field,
            reason: reason.into(),
        }
    }

    /// A [`ScanError::CheckDigit`] error for `field` from the domain's GTIN error, keeping only
    /// its reason (the domain names its own field).
    pub fn check_digit(field: impl Into<String>, error: kasir_domain::DomainError) -> ScanError {
        let reason = match error {
            kasir_domain::DomainError::Invalid { reason, .. } => reason,
            other => other.to_string(),
        };
        ScanError::CheckDigit {
            field: field.into(),
            reason,
        }
    }

    /// A [`ScanError::ScaleRule`] error for `field`.
    pub fn rule(field: impl Into<String>, reason: impl Into<String>) -> ScanError {
        ScanError::ScaleRule {
            field: field.into(),
            reason: reason.into(),
        }
    }
}
