//! The domain's error type: every rejection names the field and the reason.

use thiserror::Error;

/// Why the domain refused an input or an operation. Nothing is changed when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A value is malformed or out of range.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field, setting or argument at fault (for example `price` or `quantity`).
        field: String,
        /// What is wrong with it, in words a clerk or an integrator can act on.
        reason: String,
    },
    /// The operation does not fit the state the cart or sale is in.
    #[error("{0}")]
    NotAllowed(String),
    /// A referenced thing (line, tax category, item) does not exist.
    #[error("{what} `{key}` not found")]
    NotFound {
        /// What kind of thing was looked for.
        what: &'static str,
        /// The key that was looked up.
        key: String,
    },
}

impl DomainError {
    /// An [`DomainError::Invalid`] for `field` with `reason`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        DomainError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A [`DomainError::NotAllowed`] with `reason`.
    pub fn not_allowed(reason: impl Into<String>) -> Self {
        DomainError::NotAllowed(reason.into())
    }

    /// A [`DomainError::NotFound`] for `what` with `key`.
    pub fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        DomainError::NotFound {
            what,
            key: key.into(),
        }
    }
}
