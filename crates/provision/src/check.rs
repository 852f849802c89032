//! `provision check`: offline validation of the configuration and secret, then, when the network
//! allows, whether Google accepts the client credentials and whether the published login page is
//! the one this configuration renders. Every finding is one line: what is wrong and the fix.

use std::fmt;

use url::Url;

use crate::config::{AccessTokenScheme, ClientSecret, Config, ConfigError};

/// The marker the login page's script carries: it forwards with these parameters added.
pub const FORWARDED_PARAMETERS: &str = "access_type=offline&prompt=consent";
/// The dummy authorization code sent to the token URL. Google answers `invalid_grant` for it when
/// the client credentials are right and `invalid_client` when they are not.
pub const DUMMY_CODE: &str = "provision-check-dummy-code";

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Ok,
    /// Worth knowing, does not fail the check (e.g. an endpoint that could not be reached).
    Warning,
    /// Must be fixed; the check exits non-zero.
    Problem,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
}

impl Finding {
    pub fn ok(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Ok,
            message: message.into(),
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    pub fn problem(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Problem,
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Ok => "ok",
            Severity::Warning => "warning",
            Severity::Problem => "problem",
        };
        write!(formatter, "{label}: {}", self.message)
    }
}

/// The findings a configuration that failed to load produces: one problem per bad value.
pub fn config_error_findings(error: &ConfigError) -> Vec<Finding> {
    error.findings().into_iter().map(Finding::problem).collect()
}

/// What can be said without the network about a configuration that loaded.
pub fn offline_findings(
    config: &Config,
    client_secret: &Result<ClientSecret, ConfigError>,
    login_page_url: &Url,
) -> Vec<Finding> {
    let mut findings = vec![Finding::ok(format!(
        "{} is valid ({} scopes, vendor {})",
        config.path.display(),
        config.google.scopes.len(),
        config.skill.vendor_id
    ))];
    match client_secret {
        Ok(_) => findings.push(Finding::ok("the Google client secret is set")),
        Err(error) => findings.extend(config_error_findings(error)),
    }
    if config.skill.skill_id.is_none() {
        findings.push(Finding::warning(
            "skill.skill_id is not set: `account-linking apply` needs it; add it under [skill] \
             once the skill exists, or pass --skill-id / SKILL_ID",
        ));
    }
    if login_page_url.scheme() != "https" {
        findings.push(Finding::warning(format!(
            "the login page URL {login_page_url} is not https: fine for the offline twin, but \
             Alexa requires https on port 443"
        )));
    }
    findings
}

/// Sends a dummy authorization code to the token URL with the configured client credentials.
pub async fn token_endpoint_finding(
    http: &reqwest::Client,
    config: &Config,
    client_secret: &ClientSecret,
) -> Finding {
    let token_url = &config.google.token_url;
    let client_id = config.google.client_id.as_str();
    let redirect_uri = crate::google_setup::alexa_redirect_uris(&config.skill.vendor_id)
        .into_iter()
        .next()
        .expect("there are three Alexa redirect URIs");
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", DUMMY_CODE),
        ("redirect_uri", redirect_uri.as_str()),
    ];
    // The same scheme Alexa will use, so a scheme the server refuses shows up here.
    let mut request = http.post(token_url.clone());
    match config.account_linking.access_token_scheme {
        AccessTokenScheme::HttpBasic => {
            request = request.basic_auth(client_id, Some(client_secret.secret()));
        }
        AccessTokenScheme::RequestBodyCredentials => {
            form.push(("client_id", client_id));
            form.push(("client_secret", client_secret.secret()));
        }
    }
    let response = match request.form(&form).send().await {
        Ok(response) => response,
        Err(error) => {
            return Finding::warning(format!(
                "cannot reach the token URL {token_url} ({}): client credentials not checked; \
                 run again with network access, or pass --offline",
                crate::http::innermost_message(&error)
            ));
        }
    };
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    let error = body.get("error").and_then(serde_json::Value::as_str);
    let description = body
        .get("error_description")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("no description");
    match error {
        Some("invalid_grant") => Finding::ok(format!(
            "{token_url} accepted the client ID and secret (a dummy code got invalid_grant, as \
             expected)"
        )),
        Some("invalid_client") => Finding::problem(format!(
            "{token_url} rejected the client (HTTP {status} invalid_client: {description}): the \
             client ID or GOOGLE_CLIENT_SECRET is wrong; copy both again from Google Cloud \
             Console, Credentials, for the Web application client"
        )),
        Some("unauthorized_client") => Finding::problem(format!(
            "{token_url} refused this client for the authorization-code grant (HTTP {status} \
             unauthorized_client: {description}): use a client of type Web application"
        )),
        Some(other) => Finding::problem(format!(
            "{token_url} answered HTTP {status} {other}: {description}; check \
             google.token_url (Google's is https://oauth2.googleapis.com/token) and \
             account_linking.access_token_scheme"
        )),
        None => Finding::problem(format!(
            "{token_url} answered HTTP {status} without an OAuth error: it does not look like a \
             token endpoint; set google.token_url to https://oauth2.googleapis.com/token"
        )),
    }
}

/// Fetches the published login page and compares it with what `config` renders.
pub async fn login_page_findings(
    http: &reqwest::Client,
    config: &Config,
    login_page_url: &Url,
) -> Vec<Finding> {
    let response = match http.get(login_page_url.clone()).send().await {
        Ok(response) => response,
        Err(error) => {
            return vec![Finding::warning(format!(
                "cannot reach the login page {login_page_url} ({}): page not checked; run again \
                 with network access, or pass --offline",
                crate::http::innermost_message(&error)
            ))];
        }
    };
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let page = response.text().await.unwrap_or_default();
    match status {
        200 => {}
        404 => {
            return vec![Finding::problem(format!(
                "the login page is not published at {login_page_url} (HTTP 404): run `provision \
                 login-page publish`"
            ))];
        }
        403 => {
            return vec![Finding::problem(format!(
                "the login page at {login_page_url} is not public (HTTP 403): the bucket policy \
                 must allow s3:GetObject to everyone (the CloudFormation stack sets it), or run \
                 `provision login-page publish` if it was never uploaded"
            ))];
        }
        other => {
            return vec![Finding::problem(format!(
                "the login page at {login_page_url} answered HTTP {other}: check [login_page] \
                 and that the bucket serves it"
            ))];
        }
    }
    let mut findings = Vec::new();
    if !content_type.starts_with("text/html") {
        findings.push(Finding::problem(format!(
            "the login page is served as {content_type:?}, so browsers download it instead of \
             showing it: run `provision login-page publish`, which uploads it as {}",
            login_page::CONTENT_TYPE
        )));
    }
    let Some(embedded) = embedded_login_config(&page) else {
        findings.push(Finding::problem(format!(
            "{login_page_url} is not this tool's login page (no login-config block): run \
             `provision login-page publish`"
        )));
        return findings;
    };
    let expected_endpoint = config.google.authorization_endpoint.as_str();
    let embedded_endpoint = embedded
        .get("authorizationEndpoint")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    if embedded_endpoint != expected_endpoint {
        findings.push(Finding::problem(format!(
            "the login page forwards to {embedded_endpoint:?}, but google.authorization_endpoint \
             is {expected_endpoint}: run `provision login-page publish`"
        )));
    }
    let embedded_vendor = embedded
        .get("vendorId")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    if embedded_vendor != config.skill.vendor_id.as_str() {
        findings.push(Finding::problem(format!(
            "the login page accepts vendor {embedded_vendor:?}, but skill.vendor_id is {}: run \
             `provision login-page publish`",
            config.skill.vendor_id
        )));
    }
    if !page.contains(FORWARDED_PARAMETERS) {
        findings.push(Finding::problem(format!(
            "the login page does not add {FORWARDED_PARAMETERS}, so Google would issue no \
             refresh token and links would die after an hour: run `provision login-page publish`"
        )));
    }
    if findings.is_empty() {
        if page == login_page::render(&config.login_page_config()) {
            findings.push(Finding::ok(format!(
                "the login page at {login_page_url} forwards to {expected_endpoint} with \
                 {FORWARDED_PARAMETERS}"
            )));
        } else {
            findings.push(Finding::warning(format!(
                "the login page at {login_page_url} forwards correctly but differs from what \
                 this version renders: run `provision login-page publish` to update it"
            )));
        }
    }
    findings
}

/// The JSON in `<script type="application/json" id="login-config">…</script>`, which the
/// login-page crate fills with the page's configuration.
pub fn embedded_login_config(page: &str) -> Option<serde_json::Value> {
    let opening = r#"<script type="application/json" id="login-config">"#;
    let start = page.find(opening)? + opening.len();
    let length = page[start..].find("</script>")?;
    serde_json::from_str(&page[start..start + length]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rendered_page_embeds_its_config_and_the_forwarded_parameters() {
        let vendor_id = login_page::VendorId::new("M2AAAAAAAAAAAA").unwrap();
        let client = login_page::OAuthClient::new("1-a.apps.googleusercontent.com", ["openid"]);
        let page = login_page::render(&login_page::LoginPageConfig::google(
            Some(vendor_id),
            client.unwrap(),
        ));
        let embedded = embedded_login_config(&page).expect("config block");
        assert_eq!(
            embedded["authorizationEndpoint"],
            login_page::GOOGLE_AUTHORIZATION_ENDPOINT
        );
        assert_eq!(embedded["vendorId"], "M2AAAAAAAAAAAA");
        assert!(page.contains(FORWARDED_PARAMETERS));
    }
}
