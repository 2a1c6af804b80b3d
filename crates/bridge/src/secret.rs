//! Random tokens, identifiers and codes, and how tokens are hashed for storage.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// The operating system's random source failed (practically never).
#[derive(Debug, thiserror::Error)]
#[error("the system's random number generator failed")]
pub struct RandomError;

fn random_bytes<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| RandomError)?;
    Ok(bytes)
}

/// A bearer token: 256 random bits, URL-safe base64 (43 characters).
pub(crate) fn new_token() -> Result<String, RandomError> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// An identifier for a pairing or a pairing request: 96 random bits, hex. Unguessable, so a
/// page cannot poll another origin's request.
pub(crate) fn new_id() -> Result<String, RandomError> {
    Ok(hex(&random_bytes::<12>()?))
}

/// Six digits for the user to compare, uniform over 000000–999999.
pub(crate) fn new_code() -> Result<String, RandomError> {
    loop {
        let n = u32::from_le_bytes(random_bytes::<4>()?);
        // Rejecting the top of the range keeps every code equally likely.
        if n < 4_294_000_000 {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

/// What is stored instead of a token: its SHA-256, hex. A token has 256 random bits, so a
/// plain hash (no salt, no slow hash) is enough: there is no dictionary to try.
pub(crate) fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Compares two hashes in a time that does not depend on where they differ.
pub(crate) fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_codes_and_ids_have_their_shapes() {
        let token = new_token().unwrap();
        assert_eq!(token.len(), 43);
        assert_ne!(token, new_token().unwrap());
        let code = new_code().unwrap();
        assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(new_id().unwrap().len(), 24);
    }

    #[test]
    fn a_token_is_stored_as_its_sha256() {
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(same_hash(&hash_token("abc"), &hash_token("abc")));
        assert!(!same_hash(&hash_token("abc"), &hash_token("abd")));
    }
}
