//! Secrets: owner and device tokens, one-time enrolment codes, and the hashes the database
//! keeps instead of them.
//!
//! A token is 32 random bytes from the operating system, written as hex after a prefix that
//! says what it is for (`kco_` owner, `kcd_` device). The server stores only the SHA-256 of a
//! token or code, so a copy of the database does not let anyone act as a device or an owner.

pub use kasir_sync::protocol::normalise_enrolment_code as normalise_code;
use kasir_sync::protocol::{
    ENROLMENT_CODE_ALPHABET as CODE_ALPHABET, ENROLMENT_CODE_CHARS as CODE_CHARS,
};
use sha2::{Digest, Sha256};

/// The prefix of an owner token.
pub const OWNER_PREFIX: &str = "kco_";

/// The prefix of a device token.
pub const DEVICE_PREFIX: &str = "kcd_";

/// Why a secret could not be made.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random source failed: {0}")]
pub struct RandomError(String);

fn random_bytes<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| RandomError(e.to_string()))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// A new random token with `prefix`.
pub fn new_token(prefix: &str) -> Result<String, RandomError> {
    Ok(format!("{prefix}{}", hex(&random_bytes::<32>()?)))
}

/// The hash the database keeps for a token or a normalised enrolment code (SHA-256, hex).
pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// A new enrolment code, for example `7K2M-QX9D-4HTR-B8WZ`.
pub fn new_enrolment_code() -> Result<String, RandomError> {
    let bytes = random_bytes::<CODE_CHARS>()?;
    let mut code = String::with_capacity(CODE_CHARS + 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(CODE_ALPHABET[usize::from(b & 0x1f)]));
    }
    Ok(code)
}

/// A SHA-256 of arbitrary bytes, hex, for telling a retried event from a reused id.
pub fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_and_carry_256_random_bits() {
        let a = new_token(DEVICE_PREFIX).unwrap();
        let b = new_token(DEVICE_PREFIX).unwrap();

        assert!(a.starts_with("kcd_"));
        assert_eq!(a.len(), 4 + 64);
        assert_ne!(a, b);
    }

    #[test]
    fn the_hash_is_sha256_in_hex() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1.
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn enrolment_codes_read_the_same_however_they_are_typed() {
        let code = new_enrolment_code().unwrap();
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);

        assert_eq!(normalise_code("7k2m-qx9d 4hto-b8wz"), "7K2MQX9D4HT0B8WZ");
        assert_eq!(normalise_code("ilo"), "110");
        assert_eq!(
            normalise_code(&code),
            code.replace('-', ""),
            "a fresh code is already canonical"
        );
    }
}
