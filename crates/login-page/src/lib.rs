//! Renders the Alexa account-linking login page that forwards to Google.
//!
//! The page is one static HTML object (hosted on S3) that the Alexa app opens as the skill's
//! "Authorization URI". Its inline script checks the Alexa parameters (the skill's own client ID,
//! only the skill's scopes, an Alexa redirect URL) and forwards them unchanged to Google's
//! authorization endpoint, adding `access_type=offline&prompt=consent` so Google issues a refresh
//! token (`docs/account-linking.md`, "The forwarding login page"). This crate only fills the configuration and the
//! Content-Security-Policy into the template `login-page/index.html`; it does no I/O.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest as _, Sha256};
use url::Url;

/// The `Content-Type` the page must be served with (S3 serves other types as a download).
pub const CONTENT_TYPE: &str = "text/html; charset=utf-8";

/// The object key (file name) the uploader stores the rendered page under.
pub const OBJECT_KEY: &str = "index.html";

/// Google's OAuth 2.0 authorization endpoint.
pub const GOOGLE_AUTHORIZATION_ENDPOINT: &str = "https://accounts.google.com/o/oauth2/v2/auth";

/// The origins of Alexa's three regional redirect URLs (North America, Europe/India, Far East).
pub const ALEXA_REDIRECT_ORIGINS: [&str; 3] = [
    "https://pitangui.amazon.com",
    "https://layla.amazon.com",
    "https://alexa.amazon.co.jp",
];

/// Query parameters the page owns: Alexa sends the first seven, the page adds the last two. The
/// configured endpoint must not carry them, or Google would receive them twice.
const PAGE_OWNED_PARAMETERS: [&str; 9] = [
    "client_id",
    "response_type",
    "scope",
    "state",
    "redirect_uri",
    "code_challenge",
    "code_challenge_method",
    "access_type",
    "prompt",
];

const TEMPLATE: &str = include_str!("../../../login-page/index.html");
const CONTENT_SECURITY_POLICY_PLACEHOLDER: &str = "{{content_security_policy}}";
const LOGIN_CONFIG_PLACEHOLDER: &str = "{{login_config_json}}";

/// Why a login-page configuration was refused; each message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "vendor id {given:?} is not valid: it must be 13 or 14 uppercase ASCII letters and digits, \
         like MFERJAF7R6NLZ; copy it from the Alexa developer console (Settings, My IDs) or \
         `vendor_id` in ~/.ask/cli_config"
    )]
    InvalidVendorId { given: String },
    #[error(
        "authorization endpoint {endpoint} must use https; plain http is allowed only for \
         127.0.0.1 or localhost (the offline twin)"
    )]
    InsecureAuthorizationEndpoint { endpoint: Url },
    #[error(
        "authorization endpoint {endpoint} must not contain user information or a fragment; \
         use a plain URL like {GOOGLE_AUTHORIZATION_ENDPOINT}"
    )]
    MalformedAuthorizationEndpoint { endpoint: Url },
    #[error(
        "authorization endpoint {endpoint} must not carry the `{parameter}` parameter: the page \
         forwards Alexa's parameters and adds access_type=offline&prompt=consent itself; remove it \
         from the endpoint's query"
    )]
    PageOwnedParameterInEndpoint { endpoint: Url, parameter: String },
    #[error(
        "the list of allowed redirect origins is empty; use the Alexa origins {ALEXA_REDIRECT_ORIGINS:?}"
    )]
    NoAllowedRedirectOrigins,
    #[error(
        "allowed redirect origin {origin} must use https; plain http is allowed only for \
         127.0.0.1 or localhost (the offline twin)"
    )]
    InsecureRedirectOrigin { origin: Url },
    #[error(
        "allowed redirect origin {origin} must be an origin only (scheme, host and port, no \
         user information, path, query or fragment), like https://pitangui.amazon.com"
    )]
    NotAnOrigin { origin: Url },
    #[error(
        "client id {given:?} is not valid: it must be non-empty, without spaces or control \
         characters; copy the Google OAuth client ID (like \
         123-abc.apps.googleusercontent.com) from the Google Cloud console, APIs & Services, \
         Credentials"
    )]
    InvalidClientId { given: String },
    #[error(
        "the list of configured scopes is empty; list the scopes the skill's account linking \
         requests, like [\"openid\", \"email\"]"
    )]
    NoScopes,
    #[error(
        "scope {given:?} is not valid: each scope must be non-empty, without spaces, commas or \
         control characters; list each scope separately, like [\"openid\", \"email\"]"
    )]
    InvalidScope { given: String },
}

/// An Alexa developer's vendor ID: the last path segment of Alexa's redirect URLs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VendorId(String);

impl VendorId {
    /// Checks the shape Amazon uses: 13 or 14 uppercase ASCII letters and digits.
    pub fn new(vendor_id: impl Into<String>) -> Result<Self, Error> {
        let vendor_id = vendor_id.into();
        let valid_length = (13..=14).contains(&vendor_id.len());
        let valid_characters = vendor_id
            .bytes()
            .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit());
        if valid_length && valid_characters {
            Ok(Self(vendor_id))
        } else {
            Err(Error::InvalidVendorId { given: vendor_id })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for VendorId {
    type Err = Error;

    fn from_str(vendor_id: &str) -> Result<Self, Error> {
        Self::new(vendor_id)
    }
}

impl fmt::Display for VendorId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// The OAuth client the page forwards for: the `client_id` Alexa sends must equal this client ID,
/// and every scope Alexa asks for must be one of these scopes. Both are what the skill's account
/// linking is configured with, so a request that differs was not made for this skill.
///
/// A client ID is public (Alexa and Google pass it in URLs), so it may appear in the page and in
/// `Debug`; the client secret never reaches this crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthClient {
    client_id: String,
    scopes: Vec<String>,
}

impl OAuthClient {
    /// Checks that the client ID is non-empty and that there is at least one scope, each a single
    /// token: the page splits Alexa's `scope` value at spaces and commas, so a configured scope
    /// containing either could never match.
    pub fn new<Scope: Into<String>>(
        client_id: impl Into<String>,
        scopes: impl IntoIterator<Item = Scope>,
    ) -> Result<Self, Error> {
        let client_id = client_id.into();
        if client_id.is_empty() || client_id.chars().any(is_space_or_control) {
            return Err(Error::InvalidClientId { given: client_id });
        }
        let scopes: Vec<String> = scopes.into_iter().map(Into::into).collect();
        if scopes.is_empty() {
            return Err(Error::NoScopes);
        }
        if let Some(invalid) = scopes.iter().find(|scope| {
            scope.is_empty()
                || scope
                    .chars()
                    .any(|character| character == ',' || is_space_or_control(character))
        }) {
            return Err(Error::InvalidScope {
                given: invalid.clone(),
            });
        }
        Ok(Self { client_id, scopes })
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
}

/// What the rendered page forwards to, for which client, and which `redirect_uri` values it
/// accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginPageConfig {
    authorization_endpoint: Url,
    allowed_redirect_origins: Vec<Url>,
    vendor_id: Option<VendorId>,
    client: OAuthClient,
}

impl LoginPageConfig {
    /// Checks the configuration. Both the endpoint and the allowed origins must be https, except
    /// on 127.0.0.1 or localhost so the page can be tested against the offline twin.
    ///
    /// Without a vendor ID the page accepts any vendor's link path (`/api/skill/link/` followed by
    /// 13 or 14 uppercase letters and digits); Google still insists on an exact match with the
    /// redirect URLs registered on the OAuth client.
    ///
    /// The page refuses any request whose `client_id` is not `client`'s, or that asks for a scope
    /// `client` does not list.
    pub fn new(
        authorization_endpoint: Url,
        allowed_redirect_origins: Vec<Url>,
        vendor_id: Option<VendorId>,
        client: OAuthClient,
    ) -> Result<Self, Error> {
        check_authorization_endpoint(&authorization_endpoint)?;
        if allowed_redirect_origins.is_empty() {
            return Err(Error::NoAllowedRedirectOrigins);
        }
        for origin in &allowed_redirect_origins {
            check_redirect_origin(origin)?;
        }
        Ok(Self {
            authorization_endpoint,
            allowed_redirect_origins,
            vendor_id,
            client,
        })
    }

    /// Google's authorization endpoint and Alexa's three redirect origins.
    pub fn google(vendor_id: Option<VendorId>, client: OAuthClient) -> Self {
        let authorization_endpoint =
            Url::parse(GOOGLE_AUTHORIZATION_ENDPOINT).expect("the Google endpoint is a valid URL");
        Self::new(
            authorization_endpoint,
            alexa_redirect_origins(),
            vendor_id,
            client,
        )
        .expect("Google's endpoint and Alexa's origins pass the checks")
    }

    pub fn authorization_endpoint(&self) -> &Url {
        &self.authorization_endpoint
    }

    pub fn allowed_redirect_origins(&self) -> &[Url] {
        &self.allowed_redirect_origins
    }

    pub fn vendor_id(&self) -> Option<&VendorId> {
        self.vendor_id.as_ref()
    }

    pub fn client(&self) -> &OAuthClient {
        &self.client
    }
}

/// [`ALEXA_REDIRECT_ORIGINS`] as URLs, for building a [`LoginPageConfig`] with another endpoint
/// (the offline Google twin).
pub fn alexa_redirect_origins() -> Vec<Url> {
    ALEXA_REDIRECT_ORIGINS
        .iter()
        .map(|origin| Url::parse(origin).expect("the Alexa origins are valid URLs"))
        .collect()
}

/// Renders the whole login page: the template with its configuration and a Content-Security-Policy
/// that allows exactly the page's own inline script and style.
pub fn render(config: &LoginPageConfig) -> String {
    let allowed_redirect_origins: Vec<String> = config
        .allowed_redirect_origins
        .iter()
        .map(|origin| origin.origin().ascii_serialization())
        .collect();
    let login_config = serde_json::json!({
        "authorizationEndpoint": config.authorization_endpoint.as_str(),
        "allowedRedirectOrigins": allowed_redirect_origins,
        "vendorId": config.vendor_id.as_ref().map(VendorId::as_str),
        "clientId": config.client.client_id,
        "scopes": config.client.scopes,
    });
    let login_config_json = escape_json_for_script_element(&login_config.to_string());
    TEMPLATE
        .replacen(
            CONTENT_SECURITY_POLICY_PLACEHOLDER,
            &content_security_policy(TEMPLATE),
            1,
        )
        .replacen(LOGIN_CONFIG_PLACEHOLDER, &login_config_json, 1)
}

/// The checks [`LoginPageConfig::new`] applies to the authorization endpoint, for validating a
/// configuration file before a whole page configuration exists: https (or loopback http), no user
/// information or fragment, and none of the parameters the page forwards or adds.
pub fn check_authorization_endpoint(endpoint: &Url) -> Result<(), Error> {
    if !is_https_or_loopback_http(endpoint) {
        return Err(Error::InsecureAuthorizationEndpoint {
            endpoint: endpoint.clone(),
        });
    }
    if has_user_information(endpoint) || endpoint.fragment().is_some() {
        return Err(Error::MalformedAuthorizationEndpoint {
            endpoint: endpoint.clone(),
        });
    }
    if let Some((parameter, _)) = endpoint
        .query_pairs()
        .find(|(name, _)| PAGE_OWNED_PARAMETERS.contains(&name.as_ref()))
    {
        return Err(Error::PageOwnedParameterInEndpoint {
            endpoint: endpoint.clone(),
            parameter: parameter.into_owned(),
        });
    }
    Ok(())
}

fn check_redirect_origin(origin: &Url) -> Result<(), Error> {
    if !is_https_or_loopback_http(origin) {
        return Err(Error::InsecureRedirectOrigin {
            origin: origin.clone(),
        });
    }
    let origin_only = !has_user_information(origin)
        && origin.path() == "/"
        && origin.query().is_none()
        && origin.fragment().is_none();
    if !origin_only {
        return Err(Error::NotAnOrigin {
            origin: origin.clone(),
        });
    }
    Ok(())
}

fn is_https_or_loopback_http(url: &Url) -> bool {
    match url.scheme() {
        "https" => url.host().is_some(),
        "http" => matches!(url.host_str(), Some("127.0.0.1" | "localhost")),
        _ => false,
    }
}

fn has_user_information(url: &Url) -> bool {
    !url.username().is_empty() || url.password().is_some()
}

fn is_space_or_control(character: char) -> bool {
    character.is_whitespace() || character.is_control()
}

/// Makes JSON safe inside `<script type="application/json">`: `<` and `>` could close the element
/// (`</script>`) or open a comment (`<!--`), `&` is escaped for good measure, and U+2028/U+2029
/// break older JavaScript parsers. These characters only occur inside JSON strings, where the
/// `\uXXXX` escapes mean the same thing, so `JSON.parse` reads the same value.
fn escape_json_for_script_element(json: &str) -> String {
    let mut escaped = String::with_capacity(json.len());
    for character in json.chars() {
        match character {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
            '\u{2028}' => escaped.push_str("\\u2028"),
            '\u{2029}' => escaped.push_str("\\u2029"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Allows nothing but the template's one inline script and one inline style, by hash. The
/// configuration block is inert JSON (`type="application/json"`), so CSP does not govern it.
/// Trusted Types are required so that no script can assign HTML strings to the DOM.
fn content_security_policy(template: &str) -> String {
    let script_hash = sha256_source(element_text(template, "<script>", "</script>"));
    let style_hash = sha256_source(element_text(template, "<style>", "</style>"));
    format!(
        "default-src 'none'; script-src '{script_hash}'; style-src '{style_hash}'; \
         base-uri 'none'; form-action 'none'; require-trusted-types-for 'script'; \
         trusted-types 'none'"
    )
}

fn sha256_source(text: &str) -> String {
    format!("sha256-{}", BASE64.encode(Sha256::digest(text.as_bytes())))
}

/// The exact text between the first `open_tag` and the following `close_tag`, which is what the
/// browser hashes for CSP.
fn element_text<'template>(
    template: &'template str,
    open_tag: &str,
    close_tag: &str,
) -> &'template str {
    let start = template
        .find(open_tag)
        .map(|index| index + open_tag.len())
        .unwrap_or_else(|| panic!("the login-page template has no {open_tag}"));
    let length = template[start..]
        .find(close_tag)
        .unwrap_or_else(|| panic!("the login-page template does not close {open_tag}"));
    &template[start..start + length]
}

#[cfg(test)]
mod tests;
