//! The OpenID Connect relying party: discovery, JWKS with key rotation, the
//! authorization URL with PKCE, the code exchange and ID token verification.

use super::SsoError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// The parts of the discovery document Hubbub uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    /// Must equal the configured issuer.
    pub issuer: String,
    /// Where the browser is sent.
    pub authorization_endpoint: String,
    /// Where the code is exchanged.
    pub token_endpoint: String,
    /// The provider's signing keys.
    pub jwks_uri: String,
}

/// ID token signature algorithms accepted (asymmetric only: a shared-secret HS256
/// token would let anyone holding the client secret mint identities).
const ALGORITHMS: [Algorithm; 6] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::ES256,
    Algorithm::ES384,
];

/// Discovery is re-read this often (providers rarely move endpoints).
const DISCOVERY_TTL: Duration = Duration::from_secs(3600);

/// One OpenID provider, with its discovery document and keys cached.
#[derive(Debug)]
pub struct Provider {
    issuer: String,
    http: reqwest::Client,
    discovery: RwLock<Option<(Discovery, Instant)>>,
    keys: RwLock<Option<JwkSet>>,
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
}

#[derive(Deserialize)]
struct TokenErrorResponse {
    error: String,
    error_description: Option<String>,
}

impl Provider {
    /// A client for the provider at `issuer`.
    pub fn new(issuer: &str, timeout: Duration) -> Result<Self, SsoError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            // The token endpoint must answer directly; a redirect there is a misconfiguration.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SsoError::Internal(format!("building the HTTP client: {e}")))?;
        Ok(Self {
            issuer: issuer.trim_end_matches('/').to_owned(),
            http,
            discovery: RwLock::new(None),
            keys: RwLock::new(None),
        })
    }

    /// The discovery document, fetched on first use and cached.
    pub async fn discovery(&self) -> Result<Discovery, SsoError> {
        if let Some((doc, at)) = self.discovery.read().await.as_ref()
            && at.elapsed() < DISCOVERY_TTL
        {
            return Ok(doc.clone());
        }
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        let doc: Discovery = self.get_json(&url).await?;
        // OpenID Connect Discovery §4.3: the issuer in the document must be ours.
        if doc.issuer.trim_end_matches('/') != self.issuer {
            return Err(SsoError::ProviderUnavailable(format!(
                "the discovery document names issuer {} instead of {}",
                doc.issuer, self.issuer
            )));
        }
        *self.discovery.write().await = Some((doc.clone(), Instant::now()));
        Ok(doc)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, SsoError> {
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| SsoError::ProviderUnavailable(format!("GET {url}: {e}")))?;
        if !response.status().is_success() {
            return Err(SsoError::ProviderUnavailable(format!(
                "GET {url}: HTTP {}",
                response.status()
            )));
        }
        response
            .json()
            .await
            .map_err(|e| SsoError::ProviderUnavailable(format!("GET {url}: {e}")))
    }

    /// The URL the browser goes to: code flow, PKCE S256, `state` and `nonce`.
    pub async fn authorization_url(
        &self,
        client_id: &str,
        scopes: &str,
        redirect_uri: &str,
        state: &str,
        nonce: &str,
        code_verifier: &str,
    ) -> Result<String, SsoError> {
        let doc = self.discovery().await?;
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(code_verifier.as_bytes()));
        let query = serde_urlencoded::to_string([
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", redirect_uri),
            ("scope", scopes),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .map_err(|e| SsoError::Internal(e.to_string()))?;
        let separator = if doc.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(format!("{}{separator}{query}", doc.authorization_endpoint))
    }

    /// Exchanges an authorization code for the ID token (client_secret_basic).
    pub async fn exchange_code(
        &self,
        client_id: &str,
        client_secret: &str,
        code: &str,
        redirect_uri: &str,
        code_verifier: &str,
    ) -> Result<String, SsoError> {
        let doc = self.discovery().await?;
        let response = self
            .http
            .post(&doc.token_endpoint)
            .basic_auth(form_encode(client_id), Some(form_encode(client_secret)))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect_uri),
                ("code_verifier", code_verifier),
            ])
            .send()
            .await
            .map_err(|e| SsoError::ProviderUnavailable(format!("token endpoint: {e}")))?;
        let status = response.status();
        if status.is_server_error() {
            return Err(SsoError::ProviderUnavailable(format!(
                "token endpoint: HTTP {status}"
            )));
        }
        if !status.is_success() {
            let error: Option<TokenErrorResponse> = response.json().await.ok();
            return Err(SsoError::ProviderError(error.map_or_else(
                || format!("HTTP {status}"),
                |e| match e.error_description {
                    Some(description) => format!("{}: {description}", e.error),
                    None => e.error,
                },
            )));
        }
        let body: TokenResponse = response
            .json()
            .await
            .map_err(|e| SsoError::ProviderUnavailable(format!("token endpoint: {e}")))?;
        body.id_token
            .ok_or_else(|| SsoError::InvalidToken("the token response has no id_token".to_owned()))
    }

    /// The key for `kid` (or the only key, for providers that omit `kid`); an
    /// unknown `kid` refetches the JWKS, which is how key rotation shows up. ID tokens
    /// come from the token endpoint over Hubbub's own connection, never from the
    /// browser, so an unknown `kid` cannot be used to make Hubbub hammer the provider.
    async fn key(&self, kid: Option<&str>) -> Result<DecodingKey, SsoError> {
        if let Some(set) = self.keys.read().await.as_ref()
            && let Some(key) = pick(set, kid)?
        {
            return Ok(key);
        }
        let doc = self.discovery().await?;
        let set: JwkSet = self.get_json(&doc.jwks_uri).await?;
        let key = pick(&set, kid)?;
        *self.keys.write().await = Some(set);
        key.ok_or_else(|| {
            SsoError::InvalidToken(format!(
                "no signing key with kid {} at the provider",
                kid.unwrap_or("(none)")
            ))
        })
    }

    /// Verifies an ID token: signature with the provider's key, `iss`, `aud` (and
    /// `azp` when there are several audiences), `nonce`, then `iat` and `exp` against
    /// `now` with `skew` tolerance. Returns its claims.
    pub async fn verify_id_token(
        &self,
        token: &str,
        client_id: &str,
        nonce: &str,
        now: DateTime<Utc>,
        skew: Duration,
    ) -> Result<Map<String, Value>, SsoError> {
        let invalid = |e: jsonwebtoken::errors::Error| SsoError::InvalidToken(e.to_string());
        let header = jsonwebtoken::decode_header(token).map_err(invalid)?;
        if !ALGORITHMS.contains(&header.alg) {
            return Err(SsoError::InvalidToken(format!(
                "signature algorithm {:?} is not accepted",
                header.alg
            )));
        }
        let key = self.key(header.kid.as_deref()).await?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[client_id]);
        // Times are checked below against Hubbub's clock, to tell skew from expiry.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.required_spec_claims = ["iss", "aud", "sub", "exp", "iat"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        let data = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation)
            .map_err(invalid)?;
        let claims = data.claims;
        if let Some(Value::Array(audiences)) = claims.get("aud")
            && audiences.len() > 1
            && claims.get("azp").and_then(Value::as_str) != Some(client_id)
        {
            return Err(SsoError::InvalidToken("azp is not this client".to_owned()));
        }
        let token_nonce = claims
            .get("nonce")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !constant_time_eq(token_nonce, nonce) {
            return Err(SsoError::InvalidToken(
                "the nonce does not match".to_owned(),
            ));
        }
        let number = |name: &str| {
            claims
                .get(name)
                .and_then(Value::as_i64)
                .ok_or_else(|| SsoError::InvalidToken(format!("{name} is not a number")))
        };
        let (iat, exp) = (number("iat")?, number("exp")?);
        let now = now.timestamp();
        let skew = i64::try_from(skew.as_secs()).unwrap_or(i64::MAX);
        if iat > now.saturating_add(skew) {
            return Err(SsoError::ClockSkew(iat - now));
        }
        if exp < now.saturating_sub(skew) {
            return Err(SsoError::Expired(now - exp));
        }
        Ok(claims)
    }
}

fn pick(set: &JwkSet, kid: Option<&str>) -> Result<Option<DecodingKey>, SsoError> {
    let jwk = match kid {
        Some(kid) => set.find(kid),
        None if set.keys.len() == 1 => set.keys.first(),
        None => None,
    };
    jwk.map(|jwk| {
        DecodingKey::from_jwk(jwk)
            .map_err(|e| SsoError::InvalidToken(format!("unusable signing key: {e}")))
    })
    .transpose()
}

/// RFC 6749 §2.3.1: client credentials in Basic auth are form-encoded first.
fn form_encode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_else(|_| value.to_owned())
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A random URL-safe token of 32 bytes (state, nonce, PKCE verifier, codes).
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a secret, hex-encoded, as stored for one-time codes.
pub fn sha256_hex(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
