//! Passwords: argon2id PHC strings, hashed and verified on the blocking pool by the callers.

use argon2::Argon2;

use crate::web::error::AppError;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub const MIN_LEN: usize = 12;
/// Hashing cost grows with length: a ceiling keeps a huge "password" from tying up a thread.
pub const MAX_LEN: usize = 1024;

/// Checks a new password's length, in characters.
pub fn check_new(password: &str) -> Result<(), String> {
    let len = password.chars().count();
    if len < MIN_LEN {
        Err(format!("must be at least {MIN_LEN} characters"))
    } else if len > MAX_LEN {
        Err(format!("must be at most {MAX_LEN} characters"))
    } else {
        Ok(())
    }
}

/// An argon2id PHC string for `password`, with a fresh salt. Slow by design: call it on the
/// blocking pool.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))?;
    Ok(hash.to_string())
}

/// [`hash`] on the blocking pool, off the async workers.
pub async fn hash_blocking(password: String) -> Result<String, AppError> {
    actix_web::web::block(move || hash(&password))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::from)
}

/// Verified when there is no account, so that a wrong email costs as long as a wrong password.
/// A constant, made with [`hash`]'s parameters (a test checks they still agree): hashing it at
/// start-up would cost the process argon2's working memory before anyone signs in.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$JjqPhQZsQ4mT6IP9R5kR8w$saFGSBV0JyiicHsel1x2nU/cyASykVpiD6UBhJq8bfE";

/// Whether `password` matches `stored`. Without a stored hash (no such account) the answer is
/// no, after the same work as a real check.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let phc = stored.unwrap_or(DUMMY);
    let matches = PasswordHash::new(phc).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    });
    matches && stored.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_an_argon2id_phc_string_that_verifies() {
        let stored = hash("correct horse battery").expect("hashes");
        assert!(stored.starts_with("$argon2id$v=19$"), "{stored}");
        assert!(verify("correct horse battery", Some(&stored)));
        assert!(!verify("correct horse batterY", Some(&stored)));
    }

    #[test]
    fn salts_differ() {
        assert_ne!(
            hash("same password here").ok(),
            hash("same password here").ok()
        );
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let params = |phc: &str| phc.rsplitn(3, '$').nth(2).map(str::to_owned);
        let real = hash("any password at all").expect("hashes");
        assert_eq!(params(DUMMY), params(&real));
        assert!(verify("not anybody's password at all", Some(DUMMY)));
    }

    #[test]
    fn no_account_never_verifies() {
        assert!(!verify("not anybody's password at all", None));
        assert!(!verify("anything", Some("not a phc string")));
    }

    #[test]
    fn new_passwords_have_a_minimum_length() {
        assert!(check_new("short").is_err());
        assert!(check_new("exactly12chr").is_ok());
        assert!(check_new(&"x".repeat(MAX_LEN + 1)).is_err());
    }
}
