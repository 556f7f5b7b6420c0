//! Password hashes: Argon2id, in the PHC string format that carries its own salt and
//! parameters. The policy (length, lockout) is the domain's (`domain::staff`).

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Hash a password with Argon2id (the crate's default parameters: 19 MiB, 2 passes), in the
/// PHC string format that carries its own salt and parameters.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("could not hash the password: {e}"))
}

/// A new password, checked against the policy (`domain::staff::validate_password`) and
/// hashed for storing: done before a transaction begins, as hashing takes about 50 ms.
pub fn hash_new(password: &str) -> super::Result<super::PasswordHash> {
    crate::domain::staff::validate_password(password)?;
    hash_password(password)
        .map(super::PasswordHash)
        .map_err(|e| crate::domain::visitor::FieldError::new("password", e).into())
}

/// Whether `password` matches the stored hash. A damaged hash matches nothing.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// `n` random bytes from the operating system (keys).
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hashed_with_argon2id_and_checked() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsE", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        // Two hashes of one password differ (each has its own salt).
        assert_ne!(hash, hash_password("correct horse").unwrap());
    }
}
