//! The token store: authorization codes, access tokens, refresh tokens and the authorization
//! requests waiting for consent, with their shapes, records and lifetimes.
//!
//! Values look like Google's (`4/0A…` codes, `ya29.a0…` access tokens, `1//0…` refresh tokens)
//! and stay within Google's documented size limits (256, 2048 and 512 bytes), so a client that
//! sizes a database column or validates a prefix sees what production would send.

use std::{
    borrow::Borrow,
    collections::{BTreeSet, HashMap},
    hash::{Hash, Hasher},
};

use jiff::{SignedDuration, Timestamp};
use rand::{Rng, SeedableRng, rngs::StdRng};

use super::clock::ClockArithmetic;

/// Google's base scopes that `email` and `profile` stand for in token responses ([obs]).
pub(crate) const USERINFO_EMAIL: &str = "https://www.googleapis.com/auth/userinfo.email";
pub(crate) const USERINFO_PROFILE: &str = "https://www.googleapis.com/auth/userinfo.profile";

/// Characters of Google's tokens after the prefix: URL-safe base64.
const TOKEN_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// How many refresh tokens one (user, client) pair may hold; the next one evicts the oldest.
/// "There is currently a limit of 100 refresh tokens per Google Account per OAuth 2.0 client ID."
const REFRESH_TOKENS_PER_USER_AND_CLIENT: usize = 100;

/// Refresh tokens minted while the app's publishing status is "Testing" die this long after
/// consent, unless only sign-in scopes were granted (docs/google-oauth.md, refresh tokens).
const TESTING_REFRESH_TOKEN_LIFETIME: SignedDuration = SignedDuration::from_hours(7 * 24);

secrets::new_secret_type!(
    /// An issued authorization code, access token or refresh token.
    pub(crate) TokenValue
);

// The twin is the token issuer: like Google's server it finds a presented token by value, so the
// values key its maps. These impls serve that lookup only; nothing else compares tokens.
impl PartialEq for TokenValue {
    fn eq(&self, other: &Self) -> bool {
        self.secret() == other.secret()
    }
}

impl Eq for TokenValue {}

impl Hash for TokenValue {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.secret().hash(state);
    }
}

/// Lets the token maps be searched with the `&str` a request carried (hashes like the `str`).
impl Borrow<str> for TokenValue {
    fn borrow(&self) -> &str {
        self.secret()
    }
}

/// Every token the twin issued, by value, and what it needs to issue more.
pub(crate) struct TokenStore {
    rng: StdRng,
    pub(crate) codes: HashMap<TokenValue, CodeRecord>,
    pub(crate) access_tokens: HashMap<TokenValue, AccessTokenRecord>,
    pub(crate) refresh_tokens: HashMap<TokenValue, RefreshTokenRecord>,
    /// Authorization requests waiting on the consent page, by their unguessable request ID.
    pub(crate) pending_authorizations: HashMap<String, PendingAuthorization>,
    /// Whether the OAuth app is in "Testing" publishing status (7-day refresh tokens).
    pub(crate) testing_publishing_status: bool,
    next_family: u64,
    next_sequence: u64,
}

/// An authorization request that passed validation and waits for the user's decision.
pub(crate) struct PendingAuthorization {
    pub(crate) request: AuthorizationRequest,
    pub(crate) created_at: Timestamp,
}

/// A validated authorization request (`/o/oauth2/v2/auth`).
#[derive(Clone)]
pub(crate) struct AuthorizationRequest {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) scopes: BTreeSet<String>,
    pub(crate) state: Option<String>,
    pub(crate) offline: bool,
    pub(crate) prompt: Vec<String>,
    pub(crate) include_granted_scopes: bool,
    pub(crate) login_hint: Option<String>,
    pub(crate) pkce: Option<Pkce>,
}

pub(crate) struct CodeRecord {
    pub(crate) email: String,
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) scopes: BTreeSet<String>,
    pub(crate) expires_at: Timestamp,
    pub(crate) pkce: Option<Pkce>,
    pub(crate) issue_refresh_token: bool,
    pub(crate) offline: bool,
    /// Set on first exchange; a second exchange revokes what the first one minted.
    pub(crate) used: bool,
    pub(crate) family: u64,
}

#[derive(Clone)]
pub(crate) struct Pkce {
    pub(crate) method: PkceMethod,
    pub(crate) challenge: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum PkceMethod {
    Plain,
    S256,
}

pub(crate) struct AccessTokenRecord {
    pub(crate) email: String,
    pub(crate) client_id: String,
    pub(crate) scopes: BTreeSet<String>,
    pub(crate) expires_at: Timestamp,
    pub(crate) family: u64,
    /// Whether the grant was `access_type=offline`; tokeninfo reports it.
    pub(crate) offline: bool,
}

pub(crate) struct RefreshTokenRecord {
    pub(crate) email: String,
    pub(crate) client_id: String,
    pub(crate) scopes: BTreeSet<String>,
    pub(crate) family: u64,
    /// Set for tokens minted in "Testing" publishing status.
    pub(crate) expires_at: Option<Timestamp>,
    /// Issue order, for evicting the oldest token over the per-client limit.
    issued_sequence: u64,
}

/// Expands the `email` and `profile` shorthands to the userinfo URLs, as Google's `scope`
/// responses do; `openid` and full URLs stay unchanged.
pub(crate) fn expand_scopes<S: AsRef<str>>(scopes: &[S]) -> BTreeSet<String> {
    scopes
        .iter()
        .map(|scope| match scope.as_ref() {
            "email" => USERINFO_EMAIL.to_string(),
            "profile" => USERINFO_PROFILE.to_string(),
            other => other.to_string(),
        })
        .collect()
}

/// Splits a space-delimited `scope` parameter and expands it.
pub(crate) fn parse_scope_parameter(scope: &str) -> BTreeSet<String> {
    let scopes: Vec<&str> = scope.split_whitespace().collect();
    expand_scopes(&scopes)
}

pub(crate) fn join_scopes(scopes: &BTreeSet<String>) -> String {
    scopes.iter().cloned().collect::<Vec<_>>().join(" ")
}

/// Whether `scope` only signs the user in (`openid`, `email`, `profile`), which Google treats
/// differently on the consent page and for Testing apps' refresh tokens.
pub(crate) fn is_sign_in_scope(scope: &str) -> bool {
    matches!(scope, "openid" | USERINFO_EMAIL | USERINFO_PROFILE)
}

impl TokenStore {
    pub(crate) fn new() -> Self {
        TokenStore {
            rng: StdRng::from_os_rng(),
            codes: HashMap::new(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            pending_authorizations: HashMap::new(),
            testing_publishing_status: false,
            next_family: 1,
            next_sequence: 1,
        }
    }

    /// A new token family: the tokens descending from one grant, revoked together.
    pub(crate) fn new_family(&mut self) -> u64 {
        let family = self.next_family;
        self.next_family += 1;
        family
    }

    /// A fresh number from a counter that orders issued tokens.
    fn next_sequence(&mut self) -> u64 {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        sequence
    }

    /// Revokes every access token and refresh token of `family`.
    pub(crate) fn revoke_family(&mut self, family: u64) {
        self.access_tokens
            .retain(|_, record| record.family != family);
        self.refresh_tokens
            .retain(|_, record| record.family != family);
    }

    /// Revokes every token and code of `email`.
    pub(crate) fn revoke_user(&mut self, email: &str) {
        self.access_tokens.retain(|_, record| record.email != email);
        self.refresh_tokens
            .retain(|_, record| record.email != email);
        self.codes.retain(|_, record| record.email != email);
    }

    fn random_token(&mut self, prefix: &str, length: usize) -> TokenValue {
        let mut token = String::with_capacity(prefix.len() + length);
        token.push_str(prefix);
        for _ in 0..length {
            let index = self.rng.random_range(0..TOKEN_ALPHABET.len());
            token.push(char::from(TOKEN_ALPHABET[index]));
        }
        TokenValue::new(token)
    }

    pub(crate) fn new_authorization_code(&mut self) -> TokenValue {
        // Real codes look like `4/0AX4XfWh…`, 73 characters [obs].
        self.random_token("4/0A", 69)
    }

    pub(crate) fn issue_access_token(
        &mut self,
        email: &str,
        client_id: &str,
        scopes: BTreeSet<String>,
        expires_at: Timestamp,
        family: u64,
        offline: bool,
    ) -> TokenValue {
        // Real access tokens are `ya29.a0…` and 150–250 characters [obs].
        let token = self.random_token("ya29.a0", 180);
        self.access_tokens.insert(
            token.clone(),
            AccessTokenRecord {
                email: email.to_string(),
                client_id: client_id.to_string(),
                scopes,
                expires_at,
                family,
                offline,
            },
        );
        token
    }

    pub(crate) fn issue_refresh_token(
        &mut self,
        email: &str,
        client_id: &str,
        scopes: BTreeSet<String>,
        family: u64,
        now: Timestamp,
    ) -> TokenValue {
        // Real refresh tokens are `1//0…` and about 103 characters [obs].
        let token = self.random_token("1//0", 99);
        let only_sign_in_scopes = scopes.iter().all(|scope| is_sign_in_scope(scope));
        let expires_at = (self.testing_publishing_status && !only_sign_in_scopes)
            .then(|| now.plus(TESTING_REFRESH_TOKEN_LIFETIME));
        self.evict_refresh_tokens_over_limit(email, client_id);
        let issued_sequence = self.next_sequence();
        self.refresh_tokens.insert(
            token.clone(),
            RefreshTokenRecord {
                email: email.to_string(),
                client_id: client_id.to_string(),
                scopes,
                family,
                expires_at,
                issued_sequence,
            },
        );
        token
    }

    /// Makes room for one more refresh token of (email, client): Google silently invalidates the
    /// oldest once the limit is reached.
    fn evict_refresh_tokens_over_limit(&mut self, email: &str, client_id: &str) {
        loop {
            let mut held: Vec<(&TokenValue, u64)> = self
                .refresh_tokens
                .iter()
                .filter(|(_, record)| record.email == email && record.client_id == client_id)
                .map(|(token, record)| (token, record.issued_sequence))
                .collect();
            if held.len() < REFRESH_TOKENS_PER_USER_AND_CLIENT {
                return;
            }
            held.sort_by_key(|(_, sequence)| *sequence);
            let oldest = held[0].0.clone();
            self.refresh_tokens.remove(&oldest);
        }
    }

    /// A refresh token that is known and, if it was minted in Testing status, not yet expired.
    pub(crate) fn live_refresh_token(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Option<&RefreshTokenRecord> {
        let record = self.refresh_tokens.get(token)?;
        record
            .expires_at
            .is_none_or(|expires_at| expires_at > now)
            .then_some(record)
    }

    /// A live (known, unexpired) access token's record.
    pub(crate) fn live_access_token(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Option<&AccessTokenRecord> {
        let record = self.access_tokens.get(token)?;
        (record.expires_at > now).then_some(record)
    }

    pub(crate) fn new_request_id(&mut self) -> String {
        self.random_token("", 32).into_secret()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_value_debug_is_redacted() {
        let token = TokenValue::new("ya29.a0secret".to_string());
        assert_eq!(format!("{token:?}"), "TokenValue([redacted])");
        assert_eq!(token.secret(), "ya29.a0secret");
    }

    #[test]
    fn email_and_profile_expand_to_userinfo_urls() {
        let scopes = parse_scope_parameter(
            "openid email profile https://www.googleapis.com/auth/drive.file",
        );
        assert_eq!(
            join_scopes(&scopes),
            "https://www.googleapis.com/auth/drive.file https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile openid"
        );
    }
}
