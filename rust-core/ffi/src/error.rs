//! The one public error, and the one place the detailed internal errors are mapped to it.
//!
//! Its variants are what a screen can act on: show "not found", point at the field that is
//! wrong, tell the clerk a payment or a server refused, ask to check a device or the network.
//! The internal errors (`DomainError`, `StoreError`, `SyncError`) keep their detail in the
//! `reason` text; nothing here carries a token or a card number, because the internal errors
//! never hold one.

use kasir_domain::DomainError;
use kasir_escpos::EscposError;
use kasir_store::StoreError;
use kasir_sync::client::SyncError;

/// Why a call into the core failed. A failed call has changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum KasirError {
    /// Something looked up does not exist: an item for a barcode, a sale, a line.
    #[error("{what} `{key}` not found")]
    NotFound {
        /// What kind of thing was looked for (`item`, `sale`, `line`).
        what: String,
        /// The key that was looked up, as given.
        key: String,
    },
    /// An input was refused; `field` names it and `reason` says why, in words for the clerk.
    #[error("{field}: {reason}")]
    InvalidInput {
        /// The field, argument or setting at fault (`quantity`, `discount`, `last4`...).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The call does not fit the state things are in (paying an empty sale, completing an
    /// unpaid one, enrolling twice).
    #[error("{reason}")]
    NotAllowed {
        /// Why not, in words for the clerk.
        reason: String,
    },
    /// A payment, or the cloud account, refused for good: trying again unchanged cannot help
    /// (a spent enrolment code, a revoked device).
    #[error("declined: {reason}")]
    Declined {
        /// The other side's explanation.
        reason: String,
    },
    /// A device service of the phone or tablet failed (the secure storage, a printer).
    #[error("device unavailable: {reason}")]
    DeviceUnavailable {
        /// What failed.
        reason: String,
    },
    /// The store's file could not be read or written (disk full, damaged file, not set up).
    #[error("storage: {reason}")]
    Storage {
        /// What failed.
        reason: String,
    },
    /// The cloud could not be reached or did not answer well: try again later.
    #[error("network: {reason}")]
    Network {
        /// What failed.
        reason: String,
    },
    /// The device is not enrolled with a cloud account yet.
    #[error("this device is not enrolled with a cloud account")]
    NotEnrolled,
    /// The work was cancelled before it finished.
    #[error("cancelled")]
    Cancelled,
    /// A bug in Kasir or in the app's use of it; worth a report.
    #[error("internal error: {reason}")]
    Internal {
        /// What went wrong.
        reason: String,
    },
}

impl KasirError {
    /// An [`KasirError::InvalidInput`] for `field`.
    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> KasirError {
        KasirError::InvalidInput {
            field: field.to_string(),
            reason: reason.into(),
        }
    }
}

impl From<DomainError> for KasirError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid { field, reason } => KasirError::InvalidInput { field, reason },
            DomainError::NotAllowed(reason) => KasirError::NotAllowed { reason },
            DomainError::NotFound { what, key } => KasirError::NotFound {
                what: what.to_string(),
                key,
            },
        }
    }
}

impl From<StoreError> for KasirError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(e) => e.into(),
            StoreError::NotFound { what, key } => KasirError::NotFound {
                what: what.to_string(),
                key,
            },
            StoreError::ImportRejected(rows) => KasirError::InvalidInput {
                field: "catalog".into(),
                reason: format!(
                    "{} bad row(s), nothing was imported; first: line {}: {}",
                    rows.len(),
                    rows.first().map_or(0, |r| r.line),
                    rows.first()
                        .map(|r| r.reasons.join("; "))
                        .unwrap_or_default()
                ),
            },
            StoreError::ImportFile(reason) => KasirError::InvalidInput {
                field: "catalog".into(),
                reason,
            },
            e @ (StoreError::Sqlite(_)
            | StoreError::Migration(_)
            | StoreError::NotInitialised
            | StoreError::Corrupt(_)) => KasirError::Storage {
                reason: e.to_string(),
            },
        }
    }
}

impl From<SyncError> for KasirError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Store(e) => e.into(),
            SyncError::NotEnrolled => KasirError::NotEnrolled,
            e if e.is_transient() => KasirError::Network {
                reason: e.to_string(),
            },
            SyncError::Server { message, .. } => KasirError::Declined { reason: message },
            e => KasirError::Internal {
                reason: e.to_string(),
            },
        }
    }
}

impl From<EscposError> for KasirError {
    fn from(e: EscposError) -> Self {
        match e {
            EscposError::Domain(e) => e.into(),
            EscposError::UnknownProfile(name) => KasirError::NotFound {
                what: "printer profile".into(),
                key: name,
            },
            EscposError::BadOption { field, reason } => KasirError::invalid(field, reason),
            EscposError::Unsupported { .. } => KasirError::DeviceUnavailable {
                reason: e.to_string(),
            },
            e @ (EscposError::BadProfile { .. }
            | EscposError::Qr(_)
            | EscposError::Barcode { .. }
            | EscposError::Image(_)) => KasirError::invalid("receipt", e.to_string()),
        }
    }
}

impl From<kasir_render::RenderError> for KasirError {
    fn from(e: kasir_render::RenderError) -> Self {
        match e {
            kasir_render::RenderError::Layout(e) => e.into(),
            kasir_render::RenderError::BadOption { field, reason } => {
                KasirError::invalid(field, reason)
            }
            e @ kasir_render::RenderError::Encode { .. } => KasirError::Internal {
                reason: e.to_string(),
            },
        }
    }
}

// An exception thrown by the app's implementation of a foreign trait that the trait does not
// declare arrives here; it is a fault of the device service, not of the input.
impl From<uniffi::UnexpectedUniFFICallbackError> for KasirError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        KasirError::DeviceUnavailable { reason: e.reason }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_invalid_input_keeps_its_field_and_reason() {
        let e: KasirError = DomainError::invalid("quantity", "0 must be more than zero").into();
        assert_eq!(
            e,
            KasirError::InvalidInput {
                field: "quantity".into(),
                reason: "0 must be more than zero".into()
            }
        );
    }

    #[test]
    fn store_not_found_becomes_not_found() {
        let e: KasirError = StoreError::NotFound {
            what: "item",
            key: "123".into(),
        }
        .into();
        assert_eq!(
            e,
            KasirError::NotFound {
                what: "item".into(),
                key: "123".into()
            }
        );
    }

    #[test]
    fn network_trouble_is_a_network_error_and_refusals_are_declined() {
        let network: KasirError = SyncError::Network("connection refused".into()).into();
        assert!(matches!(network, KasirError::Network { .. }), "{network:?}");
        let overloaded: KasirError = SyncError::Server {
            status: 503,
            code: "unavailable".into(),
            message: "busy".into(),
        }
        .into();
        assert!(matches!(overloaded, KasirError::Network { .. }));
        let refused: KasirError = SyncError::Server {
            status: 401,
            code: "unauthorized".into(),
            message: "unknown device token".into(),
        }
        .into();
        assert_eq!(
            refused,
            KasirError::Declined {
                reason: "unknown device token".into()
            }
        );
    }
}
