//! The Google Cloud Console checklist for the configured skill: what to enable, what to type and
//! where, with the exact values (APIs, consent screen, client type, Alexa's redirect URIs, scopes).

use std::fmt::Write as _;

use url::Url;

use crate::config::Config;
use crate::scopes::{self, Sensitivity};

/// Alexa's three redirect URIs for `vendor_id` (docs/account-linking.md), for the OAuth client.
pub fn alexa_redirect_uris(vendor_id: &login_page::VendorId) -> Vec<String> {
    login_page::ALEXA_REDIRECT_ORIGINS
        .iter()
        .map(|origin| format!("{origin}/api/skill/link/{vendor_id}"))
        .collect()
}

/// The checklist as text, one step per numbered section.
pub fn checklist(config: &Config, login_page_url: &Url) -> String {
    let mut text = String::new();
    let scopes = &config.google.scopes;
    let line = |text: &mut String, content: &str| {
        text.push_str(content);
        text.push('\n');
    };

    line(
        &mut text,
        &format!(
            "Google Cloud Console checklist for {} (vendor {}), from {}",
            config.google.client_id.as_str(),
            config.skill.vendor_id,
            config.path.display()
        ),
    );
    line(&mut text, "");
    line(
        &mut text,
        "1. APIs & Services > Library: enable these APIs in the project that owns the client",
    );
    let apis = scopes::apis_to_enable(scopes);
    if apis.is_empty() {
        line(
            &mut text,
            "   (none: the configured scopes are sign-in scopes only)",
        );
    }
    for (name, service) in apis {
        let _ = writeln!(text, "   - {name} ({service})");
    }
    line(&mut text, "");

    line(
        &mut text,
        "2. Google Auth Platform > Branding / Audience (OAuth consent screen)",
    );
    line(&mut text, "   - User type: External");
    line(&mut text, "   - Authorized domains:");
    let mut domains = vec!["amazon.com".to_owned(), "amazon.co.jp".to_owned()];
    if let Some(host) = login_page_url.host_str() {
        domains.push(host.to_owned());
    }
    for domain in &domains {
        let _ = writeln!(text, "     - {domain}");
    }
    line(
        &mut text,
        "     (amazon.com and amazon.co.jp cover the Alexa redirect URIs; the last one is the \
         login page's host. Hosts under amazonaws.com are public suffixes that Google may refuse \
         to verify [unverified]: if so, serve the page from a domain you own and set \
         [login_page] url)",
    );
    if scopes::testing_tokens_expire(scopes) {
        line(
            &mut text,
            "   - Publishing status: In production. In Testing, Google's refresh tokens die 7 days \
             after consent and Alexa then asks users to link again; tokens issued while in \
             Testing keep that limit, so users who linked then must link again",
        );
    } else {
        line(
            &mut text,
            "   - Publishing status: Testing works (only sign-in scopes, which are exempt from \
             the 7-day refresh-token limit); In production lets anyone link",
        );
    }
    let needs_verification: Vec<&str> = scopes
        .iter()
        .filter(|scope| {
            matches!(
                scope.sensitivity,
                Sensitivity::Sensitive | Sensitivity::Restricted
            )
        })
        .map(|scope| scope.name)
        .collect();
    if !needs_verification.is_empty() {
        let _ = writeln!(
            text,
            "   - Verification: {} need Google's app verification before more than 100 users \
             (unverified apps show a warning screen)",
            needs_verification.join(", ")
        );
    }
    line(&mut text, "");

    line(
        &mut text,
        "3. Google Auth Platform > Clients (APIs & Services > Credentials): create an OAuth client ID",
    );
    line(&mut text, "   - Application type: Web application");
    line(&mut text, "   - Authorized JavaScript origins: none");
    line(
        &mut text,
        "   - Authorized redirect URIs (all three, exactly):",
    );
    for uri in alexa_redirect_uris(&config.skill.vendor_id) {
        let _ = writeln!(text, "     - {uri}");
    }
    let _ = writeln!(
        text,
        "   - Then put the client ID in skill.toml ([google] client_id = \"{}\") and export the \
         secret as GOOGLE_CLIENT_SECRET (never in the file)",
        config.google.client_id.as_str()
    );
    line(&mut text, "");

    line(
        &mut text,
        "4. Google Auth Platform > Data access: add these scopes",
    );
    for scope in scopes {
        let _ = writeln!(
            text,
            "   - {} ({}; {})",
            scope.name,
            scope.description,
            scope.sensitivity.label()
        );
    }
    line(&mut text, "");

    line(
        &mut text,
        "5. Then run `provision check` to test the client ID and secret against Google",
    );
    text
}
