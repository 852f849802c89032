//! The account-linking rules: privacy and terms URLs per locale, the login page and token URL
//! Alexa will open and call, the domain list, the scopes, and what Google's verification means
//! for the scopes asked for.

use serde_json::Value;
use url::Url;

use super::package::Package;
use super::rules::{self, Source};
use super::{Finding, Severity};
use crate::config::Config;
use crate::scopes::Sensitivity;

/// Account linking makes a privacy policy mandatory; this skill always links.
pub(super) fn check_privacy(package: &Package, findings: &mut Vec<Finding>) {
    let Some(manifest) = &package.manifest else {
        return;
    };
    let file = package.manifest_path.display().to_string();
    for locale in &package.locales {
        let entry = manifest.pointer(&format!("/privacyAndCompliance/locales/{locale}"));
        for (key, what) in [
            ("privacyPolicyUrl", "privacy policy"),
            ("termsOfUseUrl", "terms of use"),
        ] {
            let finding = |severity, rule, text: &str, problem: String, fix: String| Finding {
                severity,
                rule,
                file: file.clone(),
                locale: Some(locale.clone()),
                text: text.to_owned(),
                problem,
                fix,
                source: Some(&rules::PRIVACY_URLS),
            };
            let Some(text) = entry
                .and_then(|entry| entry.get(key))
                .and_then(Value::as_str)
            else {
                findings.push(finding(
                    Severity::Error,
                    "privacy.missing-url",
                    "",
                    format!("has no {key}: a skill with account linking needs a {what} URL"),
                    format!(
                        "add privacyAndCompliance.locales.{locale}.{key} with the https URL of \
                         your {what}, in the locale's language"
                    ),
                ));
                continue;
            };
            let Ok(url) = Url::parse(text) else {
                findings.push(finding(
                    Severity::Error,
                    "privacy.not-https",
                    text,
                    format!("{key} is not a URL"),
                    format!("give the full https URL of your {what}"),
                ));
                continue;
            };
            if url.scheme() != "https" {
                findings.push(finding(
                    Severity::Error,
                    "privacy.not-https",
                    text,
                    format!("{key} is not https"),
                    format!("serve the {what} over https"),
                ));
            }
            let host = url.host_str().unwrap_or_default();
            if let Some(mark) = amazon_mark(host) {
                findings.push(finding(
                    Severity::Error,
                    "privacy.amazon-domain",
                    text,
                    format!("{key}'s host names {mark:?}, which Amazon refuses in a domain"),
                    format!("host the {what} on your own domain (Amazon marks may be in the path)"),
                ));
            }
            if is_placeholder(host) {
                findings.push(finding(
                    Severity::Warning,
                    "privacy.placeholder",
                    text,
                    format!("{key} is on a reserved example domain"),
                    format!("publish your real {what} and put its URL here before submitting"),
                ));
            }
        }
    }
}

pub(super) fn check_account_linking(config: &Config, findings: &mut Vec<Finding>) {
    let file = config.path.display().to_string();
    let finding = |severity, rule, text: &str, problem: String, fix: String, source| Finding {
        severity,
        rule,
        file: file.clone(),
        locale: None,
        text: text.to_owned(),
        problem,
        fix,
        source: Some(source),
    };

    // Google insists on an exact match with a registered redirect URI; Alexa uses one per
    // region, so all three must be on the OAuth client. Only the console shows what is there.
    let redirect_uris = crate::google_setup::alexa_redirect_uris(&config.skill.vendor_id);
    findings.push(finding(
        Severity::Note,
        "account-linking.redirect-uris",
        &redirect_uris.join(" "),
        "Google must know all three of Alexa's redirect URIs for this vendor; with one missing, \
         users Alexa serves from that region get redirect_uri_mismatch"
            .to_owned(),
        "add all three under Authorized redirect URIs of the OAuth client (`provision \
         google-setup` prints them), then `provision check`"
            .to_owned(),
        &rules::ACCOUNT_LINKING,
    ));

    let login_page_url = config.login_page_url(None);
    let domains = config.account_linking_domains();
    for (what, url) in [
        ("login page (authorizationUrl)", &login_page_url),
        ("token URL (accessTokenUrl)", &config.google.token_url),
    ] {
        if url.scheme() != "https" || url.port().is_some_and(|port| port != 443) {
            findings.push(finding(
                Severity::Error,
                "account-linking.https",
                url.as_str(),
                format!("the {what} is not https on port 443"),
                "Alexa opens and calls only https URLs on port 443: use the deployed page and \
                 Google's token URL (the twins' http URLs are for offline runs)"
                    .to_owned(),
                &rules::ACCOUNT_LINKING,
            ));
        }
    }
    let login_host = login_page_url.host_str().unwrap_or_default();
    if login_host.contains(".s3-website") || login_host.starts_with("s3-website") {
        findings.push(finding(
            Severity::Error,
            "account-linking.certificate",
            login_page_url.as_str(),
            "is an S3 website endpoint, which has no HTTPS".to_owned(),
            "remove [login_page] url to use the S3 REST URL, or set [login_page] domain".to_owned(),
            &rules::ACCOUNT_LINKING,
        ));
    } else if config.login_page.domain.is_none() && login_host.ends_with(".amazonaws.com") {
        findings.push(finding(
            Severity::Warning,
            "account-linking.login-page-domain",
            login_page_url.as_str(),
            "the login page is on amazonaws.com, a domain you do not own and whose name carries \
             an Amazon mark, which certification reviewers may refuse"
                .to_owned(),
            "set [login_page] domain = \"login.<your domain>\" (CloudFront with an ACM \
             certificate, docs/login-page-domain.md)"
                .to_owned(),
            &rules::CERTIFICATION,
        ));
    } else if config.login_page.url.is_some() {
        findings.push(finding(
            Severity::Warning,
            "account-linking.certificate",
            login_page_url.as_str(),
            "the certificate of this host cannot be checked offline; Alexa accepts only \
             certificates from Amazon-approved authorities and refuses Let's Encrypt"
                .to_owned(),
            format!(
                "check the issuer with `openssl s_client -connect {login_host}:443`, or set \
                 [login_page] domain to serve the page with an ACM certificate"
            ),
            &rules::ACCOUNT_LINKING,
        ));
    }

    // The Alexa app's browser only follows the login page to domains on the list.
    let authorization_host = config
        .google
        .authorization_endpoint
        .host_str()
        .unwrap_or_default();
    let mut must_cover = vec![authorization_host];
    if let Some(domain) = &config.login_page.domain {
        must_cover.push(domain.name.as_str());
    }
    for host in must_cover {
        if !domains.iter().any(|domain| covers(domain, host)) {
            findings.push(finding(
                Severity::Error,
                "account-linking.domains",
                host,
                format!(
                    "is not covered by [account_linking] domains ({})",
                    domains.join(", ")
                ),
                format!("add {host:?} (or its parent domain) to [account_linking] domains"),
                &rules::ACCOUNT_LINKING_SCHEMAS,
            ));
        }
    }
    if domains.len() > crate::config::MAX_SMAPI_LIST_LENGTH {
        findings.push(finding(
            Severity::Error,
            "account-linking.domains",
            &domains.join(" "),
            format!(
                "{} domains with the login page's, but Alexa accepts at most {}",
                domains.len(),
                crate::config::MAX_SMAPI_LIST_LENGTH
            ),
            "remove a domain from [account_linking] domains".to_owned(),
            &rules::ACCOUNT_LINKING_SCHEMAS,
        ));
    }
}

/// Google's side: what each scope's class means for publishing, the Testing status, and the
/// scopes the handlers need against the ones linking asks for.
pub(super) fn check_google(
    config: &Config,
    needed_scopes: Option<&[String]>,
    findings: &mut Vec<Finding>,
) {
    let file = config.path.display().to_string();
    let finding = |severity, rule, text: &str, problem: String, fix: String, source| Finding {
        severity,
        rule,
        file: file.clone(),
        locale: None,
        text: text.to_owned(),
        problem,
        fix,
        source: Some(source),
    };
    for scope in &config.google.scopes {
        let (problem, fix, source): (&str, &str, &'static Source) = match scope.sensitivity {
            Sensitivity::Sensitive => (
                "is a sensitive scope: until Google verifies the app, users see the unverified-app \
                 screen and at most 100 users can ever link",
                "submit the app for verification (OAuth consent screen, Verification Center) \
                 before publishing the skill",
                &rules::GOOGLE_VERIFICATION,
            ),
            Sensitivity::Restricted => (
                "is a restricted scope: Google's verification plus a security assessment by an \
                 approved assessor, repeated every year, before more than 100 users can link",
                "plan the assessment, or use a narrower scope (drive.file instead of drive, \
                 gmail.send instead of gmail.readonly) if the skill can",
                &rules::GOOGLE_RESTRICTED,
            ),
            _ => continue,
        };
        findings.push(finding(
            Severity::Warning,
            "google.scope-verification",
            scope.name,
            problem.to_owned(),
            fix.to_owned(),
            source,
        ));
    }
    if crate::scopes::testing_tokens_expire(&config.google.scopes) {
        findings.push(finding(
            Severity::Warning,
            "google.testing-status",
            &config.scope_names().join(" "),
            "while the Google app's publishing status is Testing, its refresh tokens expire 7 \
             days after consent for these scopes: every user's link dies after a week"
                .to_owned(),
            "set the publishing status to In production (OAuth consent screen, Audience) before \
             certification"
                .to_owned(),
            &rules::GOOGLE_TESTING_EXPIRY,
        ));
    }
    let Some(needed) = needed_scopes else {
        return;
    };
    let asked = config.scope_names();
    for scope in needed {
        if !asked.contains(&scope.as_str()) {
            findings.push(finding(
                Severity::Error,
                "account-linking.scopes",
                scope,
                "a handler needs this scope, but linking does not ask for it: every call that \
                 needs it fails until users relink"
                    .to_owned(),
                format!("add {scope:?} to [google] scopes"),
                &rules::ACCOUNT_LINKING,
            ));
        }
    }
    for scope in asked {
        if !needed.iter().any(|needed| needed == scope) {
            findings.push(finding(
                Severity::Warning,
                "account-linking.scopes",
                scope,
                "linking asks for this scope, but no handler needs it: users grant more than the \
                 skill uses and Google's verification asks why"
                    .to_owned(),
                format!("remove {scope:?} from [google] scopes"),
                &rules::GOOGLE_VERIFICATION,
            ));
        }
    }
}

/// Whether domain-list entry `domain` covers `host` (the host itself or a subdomain of it).
fn covers(domain: &str, host: &str) -> bool {
    host == domain || host.ends_with(&format!(".{domain}"))
}

fn amazon_mark(host: &str) -> Option<&'static str> {
    // Whole words of the host: "alexa-login.example" names Alexa, "laws.example" does not.
    let words: Vec<&str> = host.split(['.', '-']).collect();
    rules::AMAZON_MARKS
        .iter()
        .copied()
        .find(|mark| words.contains(mark))
}

fn is_placeholder(host: &str) -> bool {
    rules::PLACEHOLDER_DOMAINS
        .iter()
        .any(|domain| covers(domain, host))
}
