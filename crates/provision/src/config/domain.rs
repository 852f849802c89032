//! `[login_page] domain` and `hosted_zone_id`: the login page on the developer's own domain,
//! served by CloudFront with an ACM certificate (docs/login-page-domain.md).

use super::validate::Validator;
use super::{ConfigProblem, LoginPageDomain};

/// CloudFront takes its viewer certificate only from ACM in us-east-1, and the stack creates the
/// certificate in its own region (docs/login-page-domain.md).
pub const CLOUDFRONT_CERTIFICATE_REGION: &str = "us-east-1";

impl Validator {
    /// Parses the two keys; `None` when `domain` is absent or a problem was recorded.
    pub(super) fn login_page_domain(
        &mut self,
        domain: Option<String>,
        hosted_zone_id: Option<String>,
        has_url: bool,
        main_region: Option<&str>,
    ) -> Option<LoginPageDomain> {
        let Some(domain) = domain else {
            if hosted_zone_id.is_some() {
                self.problem(
                    "login_page.hosted_zone_id",
                    "is set without login_page.domain".to_owned(),
                    "add domain = \"login.example.com\" under [login_page], or remove hosted_zone_id",
                );
            }
            return None;
        };
        let mut valid = true;
        if let Err(problem) = super::validate::parse_domains(std::slice::from_ref(&domain)) {
            valid = false;
            self.problem(
                "login_page.domain",
                format!("is invalid: {problem}"),
                "give the host name the page is served on, like login.example.com",
            );
        }
        if has_url {
            valid = false;
            self.problem(
                "login_page.domain",
                "and login_page.url are both set".to_owned(),
                "keep domain (the stack serves the page on it) and remove url",
            );
        }
        if let Some(region) = main_region
            && region != CLOUDFRONT_CERTIFICATE_REGION
        {
            valid = false;
            self.problem(
                "login_page.domain",
                format!("needs the main AWS region {CLOUDFRONT_CERTIFICATE_REGION}, not {region}"),
                "put \"us-east-1\" first in [aws] regions (CloudFront takes certificates only \
                 from us-east-1), or remove domain to serve the page from S3",
            );
        }
        let hosted_zone_id = match hosted_zone_id {
            Some(zone) if is_hosted_zone_id(&zone) => Some(zone),
            Some(zone) => {
                valid = false;
                self.problem(
                    "login_page.hosted_zone_id",
                    format!("is invalid: {zone:?} is not a Route 53 hosted zone ID"),
                    "copy the ID (Z followed by letters and digits) from Route 53, Hosted zones",
                );
                None
            }
            None => None,
        };
        valid.then_some(LoginPageDomain {
            name: domain,
            hosted_zone_id,
        })
    }

    fn problem(&mut self, key: &str, problem: String, fix: &str) {
        self.problems.push(ConfigProblem {
            origin: self.file_name.clone(),
            key: key.to_owned(),
            problem,
            fix: fix.to_owned(),
        });
    }
}

/// Route 53 zone IDs are upper-case letters and digits, at most 32 characters.
fn is_hosted_zone_id(text: &str) -> bool {
    (2..=32).contains(&text.len())
        && text.starts_with('Z')
        && text
            .bytes()
            .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit())
}

impl super::Config {
    /// The account-linking domain list: `[account_linking] domains`, plus the login page's own
    /// domain when it has one that the list does not cover.
    pub fn account_linking_domains(&self) -> Vec<String> {
        let mut domains = self.account_linking.domains.clone();
        if let Some(domain) = &self.login_page.domain
            && !domains.iter().any(|listed| {
                domain.name == *listed || domain.name.ends_with(&format!(".{listed}"))
            })
        {
            domains.push(domain.name.clone());
        }
        domains
    }
}
