//! Amazon's side of Alexa account linking (Auth Code Grant), simulated on 127.0.0.1.
//!
//! [`Simulator`] stands in for Alexa's redirect host (`https://pitangui.amazon.com/api/skill/link/
//! {vendor_id}` and its regional siblings) and does what Alexa does around it, as described in
//! `docs/account-linking.md`: it opens the skill's authorization URL with `client_id`,
//! `response_type=code`, `scope`, `state` and `redirect_uri` in a [`Browser`], receives the
//! callback, checks `state`, exchanges the code at the access-token URL and then keeps the tokens
//! in a [`Link`], refreshing them when they expire and dropping the link when a refresh is
//! refused. No token, code or secret is ever logged.
//!
//! The parts: `config` is the skill's account-linking configuration (what SMAPI holds),
//! `simulator` the redirect host and the authorization request, `link` the token lifecycle
//! (code exchange and refresh), `browser` what plays the Alexa app's browser, and [`requests`]
//! the request envelopes Alexa sends the skill, [`skill_api`] the APIs a skill calls back
//! (progressive responses, device settings), and [`conversation`] Alexa's side of a conversation
//! with a skill (understanding, the session, the link and the dialog manager).

mod browser;
mod config;
pub mod conversation;
mod link;
pub mod requests;
mod simulator;
pub mod skill_api;

use std::time::Duration;

pub use browser::{Browser, BrowserError, ChromiumBrowser, HttpBrowser};
pub use config::{AccessTokenScheme, AccountLinking, ClientSecret};
pub use link::{AccessToken, Link, LinkState, RefreshToken, UnlinkReason};
pub use simulator::Simulator;

/// How long Alexa waits for the access-token URL before the link (or refresh) fails: "respond
/// within 4.5 seconds" (docs/account-linking.md, "Token exchange").
pub const TOKEN_URL_DEADLINE: Duration = Duration::from_millis(4500);

/// What linking failed on. Messages name the step and never contain a token, code or secret.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not start Alexa's redirect host: {0}")]
    Io(#[from] std::io::Error),
    #[error(
        "vendor id {0:?} is not valid: it must be 13 or 14 uppercase ASCII letters and digits, \
         like MFERJAF7R6NLZ"
    )]
    InvalidVendorId(String),
    #[error("the browser failed: {0}")]
    Browser(#[from] BrowserError),
    #[error(
        "the browser stopped at {last_url} without reaching the Alexa redirect URL: the login \
         page or the OAuth server did not redirect back"
    )]
    BrowserStopped { last_url: String },
    #[error(
        "no callback reached the Alexa redirect URL within {timeout:?} after opening \
         {authorization_url}"
    )]
    Timeout {
        timeout: Duration,
        authorization_url: String,
    },
    #[error(
        "the callback's state does not match the state Alexa sent: the login page must pass \
         `state` through unchanged"
    )]
    StateMismatch,
    #[error("the authorization server refused the link: {error} ({description})")]
    AuthorizationDenied { error: String, description: String },
    #[error("the callback to the Alexa redirect URL carried neither `code` nor `error`")]
    MissingCode,
    #[error("the token URL refused the request: HTTP {status} {error} ({description})")]
    TokenRejected {
        status: u16,
        error: String,
        description: String,
    },
    #[error("the token URL answered HTTP {status} without an OAuth error: {body}")]
    TokenEndpoint { status: u16, body: String },
    #[error("the token URL's answer is not a usable token response: {0}")]
    BadTokenResponse(String),
    #[error("could not reach the token URL")]
    Transport(#[source] reqwest::Error),
    #[error(
        "the token URL did not answer within {} s, Alexa's limit: Alexa gives up and the link \
         fails (the user only sees that linking failed)",
        waited.as_secs_f32()
    )]
    TokenUrlTooSlow { waited: Duration },
    #[error(
        "cannot refresh: the token response had no refresh_token (Google sends one only for \
         access_type=offline with prompt=consent)"
    )]
    NoRefreshToken,
}

#[cfg(test)]
mod tests {
    use super::link::AuthorizationCode;
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        assert_eq!(
            format!("{:?}", ClientSecret::new("client-secret".to_owned())),
            "ClientSecret([redacted])"
        );
        assert_eq!(
            format!("{:?}", AccessToken::new("ya29.token".to_owned())),
            "AccessToken([redacted])"
        );
        assert_eq!(
            format!("{:?}", RefreshToken::new("1//refresh".to_owned())),
            "RefreshToken([redacted])"
        );
        assert_eq!(
            format!("{:?}", AuthorizationCode::new("4/code".to_owned())),
            "AuthorizationCode([redacted])"
        );
        assert_eq!(
            AccessToken::new("ya29.token".to_owned()).secret(),
            "ya29.token"
        );
    }
}
