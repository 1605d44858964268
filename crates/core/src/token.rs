//! JWT access tokens. The API issues them; the API and the gateway verify them.
//! A token's `jti` is also stored, so revocation takes effect at once; the
//! signature check here only proves the token is ours and unexpired.

use crate::ids::{AccountId, AppId};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The claims inside a Hubbub access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenClaims {
    /// The account, as a decimal string; absent for app-only tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Token id, stored for revocation.
    pub jti: String,
    /// The app it was issued to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<i64>,
    /// Space-separated scopes.
    pub scope: String,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
}

impl TokenClaims {
    /// The account the token acts for, if it is a user token.
    pub fn account_id(&self) -> Option<AccountId> {
        self.sub.as_deref().and_then(|s| s.parse().ok())
    }

    /// The app the token was issued to.
    pub fn app_id(&self) -> Option<AppId> {
        self.app.map(AppId)
    }

    /// Whether the token grants `wanted` (e.g. `read`, `write:statuses`);
    /// a top-level scope covers its sub-scopes.
    pub fn has_scope(&self, wanted: &str) -> bool {
        let parent = wanted.split(':').next().unwrap_or(wanted);
        self.scope
            .split(' ')
            .any(|granted| granted == wanted || granted == parent)
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The token has expired.
    #[error("the access token has expired")]
    Expired,
    /// Bad signature, malformed, or not ours.
    #[error("the access token is invalid")]
    Invalid,
    /// Signing failed (should not happen with an HMAC key).
    #[error("could not sign the access token")]
    Signing,
}

/// Signs and verifies tokens with one HMAC-SHA256 key.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(<redacted>)")
    }
}

impl TokenKeys {
    /// Keys from a shared secret (at least 32 bytes is advised).
    pub fn from_secret(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    /// Signs claims into a compact JWT.
    pub fn sign(&self, claims: &TokenClaims) -> Result<String, TokenError> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|_| TokenError::Signing)
    }

    /// Verifies signature, algorithm and expiry (no leeway) and returns the claims.
    pub fn verify(&self, token: &str) -> Result<TokenClaims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "iat"]);
        jsonwebtoken::decode::<TokenClaims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|err| match err.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> TokenClaims {
        TokenClaims {
            sub: Some("42".into()),
            jti: "abc".into(),
            app: Some(3),
            scope: "read write follow".into(),
            iat: 1,
            exp,
        }
    }

    #[test]
    fn a_signed_token_verifies_and_names_its_account() {
        let keys = TokenKeys::from_secret(b"0123456789abcdef0123456789abcdef");
        let token = keys.sign(&claims(i64::MAX / 2)).unwrap();
        let back = keys.verify(&token).unwrap();
        assert_eq!(back.account_id(), Some(AccountId(42)));
        assert!(back.has_scope("write:statuses"));
        assert!(!back.has_scope("admin:read"));
    }

    #[test]
    fn tampered_foreign_and_expired_tokens_are_refused() {
        let keys = TokenKeys::from_secret(b"0123456789abcdef0123456789abcdef");
        let other = TokenKeys::from_secret(b"another secret entirely, 32 bytes");
        let token = keys.sign(&claims(i64::MAX / 2)).unwrap();
        let mut tampered = token.clone();
        tampered.pop();
        tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(keys.verify(&tampered), Err(TokenError::Invalid));
        assert_eq!(other.verify(&token), Err(TokenError::Invalid));
        assert_eq!(keys.verify("not.a.jwt"), Err(TokenError::Invalid));
        let expired = keys.sign(&claims(1000)).unwrap();
        assert_eq!(keys.verify(&expired), Err(TokenError::Expired));
    }
}
