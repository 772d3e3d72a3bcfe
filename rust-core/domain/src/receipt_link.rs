//! The public link to a sale's receipt: `BASE/r/TOKEN`, where the token is a random secret
//! made on the device when the sale is stored, carried to the cloud in the sale's event.
//!
//! The token is the only thing that finds the receipt, so it must not be guessable from
//! anything else about the sale (its id is a UUIDv7 and its receipt number is counted): it
//! is [`TOKEN_BYTES`] bytes from the operating system's random source, written in the
//! URL-safe base 64 alphabet without padding. The random bytes are given by the caller,
//! since the domain has no I/O.

/// Random bytes in a token: 144 bits.
pub const TOKEN_BYTES: usize = 18;

/// Characters in a token (four for every three bytes).
pub const TOKEN_CHARS: usize = TOKEN_BYTES / 3 * 4;

/// The path under the cloud's base URL where receipts are served.
pub const PATH_PREFIX: &str = "/r/";

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The token written from `bytes`, which must come from a secure random source.
pub fn encode_token(bytes: &[u8; TOKEN_BYTES]) -> String {
    let mut out = String::with_capacity(TOKEN_CHARS);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8) | u32::from(chunk[2]);
        for shift in [18, 12, 6, 0] {
            out.push(char::from(ALPHABET[((n >> shift) & 0x3f) as usize]));
        }
    }
    out
}

/// Whether `text` has the form of a token: [`TOKEN_CHARS`] characters of the URL-safe base 64
/// alphabet. Anything else (a path, markup, a shorter guess) is refused before any look-up.
pub fn is_token(text: &str) -> bool {
    text.len() == TOKEN_CHARS && text.bytes().all(|b| ALPHABET.contains(&b))
}

/// The receipt's link under the cloud's base URL (`https://cloud.example.id` or with a path;
/// a trailing slash is dropped).
pub fn link(base_url: &str, token: &str) -> String {
    format!("{}{PATH_PREFIX}{token}", base_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_base64url_of_its_bytes() {
        // RFC 4648 test vector "foobar" twice over, then three bytes that use `-` and `_`.
        let mut bytes = [0u8; TOKEN_BYTES];
        bytes[..6].copy_from_slice(b"foobar");
        bytes[6..12].copy_from_slice(b"foobar");
        bytes[12..15].copy_from_slice(&[0xfb, 0xff, 0xbf]);
        bytes[15..].copy_from_slice(&[0, 0, 0]);
        let token = encode_token(&bytes);
        assert_eq!(token, "Zm9vYmFyZm9vYmFy-_-_AAAA");
        assert_eq!(token.len(), TOKEN_CHARS);
        assert!(is_token(&token));
    }

    #[test]
    fn only_the_token_form_is_accepted() {
        assert!(is_token("Zm9vYmFyZm9vYmFy-_-_AAAA"));
        assert!(!is_token("Zm9vYmFyZm9vYmFy-_-_AAA"), "too short");
        assert!(!is_token("Zm9vYmFyZm9vYmFy-_-_AAAAA"), "too long");
        assert!(!is_token("Zm9vYmFyZm9vYmFy-_-_AA=="), "padding");
        assert!(!is_token("Zm9vYmFyZm9vYmFy-_-/AAAA"), "standard alphabet");
        assert!(!is_token("<script>alert(1)</script>"));
    }

    #[test]
    fn the_link_joins_base_and_token_with_one_slash() {
        let token = "Zm9vYmFyZm9vYmFy-_-_AAAA";
        assert_eq!(
            link("https://cloud.example.id/", token),
            "https://cloud.example.id/r/Zm9vYmFyZm9vYmFy-_-_AAAA"
        );
        assert_eq!(
            link("http://127.0.0.1:8080/kasir", token),
            "http://127.0.0.1:8080/kasir/r/Zm9vYmFyZm9vYmFy-_-_AAAA"
        );
    }
}
