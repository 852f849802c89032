//! Validation of the file and the overrides into a [`Config`]: every problem is collected with
//! its origin and fix, and the config is built only from values that passed.

use std::path::{Path, PathBuf};

use alexa_model::SkillId;
use login_page::VendorId;
use url::Url;

use super::file::{FileConfig, OVERRIDE_ORIGINS};
use super::*;
use crate::scopes::{self, KnownScope, ScopeDeclaration};
pub(in crate::config) struct Validator {
    pub(super) file_name: String,
    pub(super) problems: Vec<ConfigProblem>,
}

/// A value and where it came from.
struct Sourced<T> {
    value: T,
    origin: String,
}

impl Validator {
    pub(super) fn validate(
        mut self,
        file: FileConfig,
        overrides: &Overrides,
    ) -> Result<Config, ConfigError> {
        let skill_id = self.pick("skill.skill_id", &overrides.skill_id, file.skill.skill_id);
        let skill_id = skill_id.and_then(|sourced| {
            self.check(sourced, "skill.skill_id", "", |text| {
                SkillId::parse(text).map_err(|error| error.to_string())
            })
        });
        let vendor_id = self.required(
            "skill.vendor_id",
            &overrides.vendor_id,
            file.skill.vendor_id,
            "",
            |text: &String| VendorId::new(text.as_str()).map_err(|error| error.to_string()),
        );
        let stage = self
            .pick("skill.stage", &overrides.stage, file.skill.stage)
            .map_or(Some(Stage::Development), |sourced| {
                self.check(
                    sourced,
                    "skill.stage",
                    "use \"development\" or \"live\"",
                    |text: &String| match text.as_str() {
                        "development" => Ok(Stage::Development),
                        "live" => Ok(Stage::Live),
                        other => Err(format!("{other:?} is not a stage")),
                    },
                )
            });
        let package = self.defaulted(
            "skill.package",
            file.skill.package,
            DEFAULT_LAMBDA_PACKAGE,
            "name the cargo package of the skill's Lambda binary",
            CargoName::parse,
        );
        let binary = self.defaulted(
            "skill.binary",
            file.skill.binary,
            DEFAULT_LAMBDA_PACKAGE,
            "name the binary target of that package",
            CargoName::parse,
        );
        let config_folder = Path::new(&self.file_name)
            .parent()
            .map(Path::to_owned)
            .unwrap_or_default();
        let skill_package = config_folder.join(
            file.skill
                .skill_package
                .as_deref()
                .unwrap_or(DEFAULT_SKILL_PACKAGE),
        );

        let client_id = self.required(
            "google.client_id",
            &overrides.google_client_id,
            file.google.client_id,
            "copy the Web application client ID from Google Cloud Console, APIs & Services, \
             Credentials",
            |text: &String| GoogleClientId::parse(text),
        );
        let declared_scopes = file.google.declared_scopes;
        let scopes = self.required(
            "google.scopes",
            &overrides.scopes,
            file.google.scopes,
            "list the scopes the skill needs: the table's, or ones the file declares under \
             [[google.declared_scopes]]; `provision google-setup` prints them",
            |names: &Vec<String>| parse_scopes(names, &declared_scopes),
        );
        let authorization_endpoint = self
            .pick(
                "google.authorization_endpoint",
                &overrides.authorization_endpoint,
                file.google.authorization_endpoint,
            )
            .map_or_else(
                || Some(Url::parse(login_page::GOOGLE_AUTHORIZATION_ENDPOINT).expect("valid")),
                |sourced| {
                    self.check(
                        sourced,
                        "google.authorization_endpoint",
                        "use https://accounts.google.com/o/oauth2/v2/auth (or remove the key)",
                        |text: &String| parse_authorization_endpoint(text),
                    )
                },
            );
        let token_url = self
            .pick(
                "google.token_url",
                &overrides.token_url,
                file.google.token_url,
            )
            .map_or_else(
                || Some(Url::parse(GOOGLE_TOKEN_URL).expect("valid")),
                |sourced| {
                    self.check(
                        sourced,
                        "google.token_url",
                        "use https://oauth2.googleapis.com/token (or remove the key)",
                        |text| parse_web_url(text),
                    )
                },
            );

        let login_page_bucket = self.required(
            "login_page.bucket",
            &overrides.login_page_bucket,
            file.login_page.bucket,
            "name the S3 bucket that serves the login page, e.g. my-skill-login-page-<account id>",
            |text: &String| BucketName::parse(text),
        );
        let login_page_key = self
            .pick(
                "login_page.key",
                &overrides.login_page_key,
                file.login_page.key,
            )
            .map_or_else(
                || crate::login_page::ObjectKey::parse(login_page::OBJECT_KEY).ok(),
                |sourced| {
                    self.check(
                        sourced,
                        "login_page.key",
                        "use an object key like index.html or link/index.html",
                        |text| {
                            crate::login_page::ObjectKey::parse(text)
                                .map_err(|error| error.to_string())
                        },
                    )
                },
            );
        let login_page_url = self
            .pick(
                "login_page.url",
                &overrides.login_page_url,
                file.login_page.url,
            )
            .map(|sourced| {
                self.check(
                    sourced,
                    "login_page.url",
                    "give the page's public https URL (CloudFront or your domain), or remove \
                     the key to use the S3 object URL",
                    |text| parse_web_url(text),
                )
            });

        let login_page_domain_keys = (file.login_page.domain, file.login_page.hosted_zone_id);
        let region_sourced = self.pick("aws.region", &overrides.region, file.aws.region);
        let regions = match file.aws.regions {
            Some(list) => {
                let sourced = Sourced {
                    value: list,
                    origin: self.file_name.clone(),
                };
                let regions = self.check(
                    sourced,
                    "aws.regions",
                    "list AWS regions, the main one (login page, default endpoint) first, e.g. \
                     [\"us-east-1\", \"eu-west-1\"]",
                    |list: &Vec<String>| AwsRegions::parse(list),
                );
                // `region` may repeat the list's first entry (AWS_REGION is often set).
                match (&regions, region_sourced) {
                    (Some(regions), Some(sourced)) if sourced.value != regions.main().as_str() => {
                        self.problems.push(ConfigProblem {
                            origin: sourced.origin,
                            key: "aws.region".to_owned(),
                            problem: format!(
                                "is {:?}, but the first of aws.regions is {:?}",
                                sourced.value,
                                regions.main().as_str()
                            ),
                            fix: "remove region (aws.regions names the main region first) or \
                                  make them agree"
                                .to_owned(),
                        });
                        None
                    }
                    _ => regions,
                }
            }
            None => match region_sourced {
                Some(sourced) => self
                    .check(
                        sourced,
                        "aws.region",
                        "use the region of the stack and buckets, e.g. us-east-1 (Alexa's North \
                         America endpoint region)",
                        |text: &String| AwsRegion::parse(text),
                    )
                    .map(AwsRegions::single),
                None => {
                    self.required(
                        "aws.region",
                        &None::<String>,
                        None,
                        "use the region of the stack and buckets, e.g. us-east-1 (Alexa's North \
                         America endpoint region)",
                        |text: &String| AwsRegion::parse(text),
                    );
                    None
                }
            },
        };
        let stack_name = self.required(
            "aws.stack_name",
            &overrides.stack_name,
            file.aws.stack_name,
            "name the CloudFormation stack, e.g. alexa-google-skill",
            |text: &String| StackName::parse(text),
        );
        let artifacts_bucket = self.required(
            "aws.artifacts_bucket",
            &overrides.artifacts_bucket,
            file.aws.artifacts_bucket,
            "name the S3 bucket for the Lambda zip, e.g. my-skill-artifacts-<account id>",
            |text: &String| BucketName::parse(text),
        );
        let reserved_concurrent_executions = file.aws.reserved_concurrent_executions.map(|cap| {
            let sourced = Sourced {
                value: cap,
                origin: self.file_name.clone(),
            };
            self.check(
                sourced,
                "aws.reserved_concurrent_executions",
                "use a number of at least 1, or remove the key for no cap",
                |cap: &u32| {
                    if *cap >= 1 {
                        Ok(*cap)
                    } else {
                        Err("0 would stop the function from running at all".to_owned())
                    }
                },
            )
        });

        let access_token_scheme = self
            .pick(
                "account_linking.access_token_scheme",
                &overrides.access_token_scheme,
                file.account_linking.access_token_scheme,
            )
            .map_or(Some(AccessTokenScheme::HttpBasic), |sourced| {
                self.check(
                    sourced,
                    "account_linking.access_token_scheme",
                    "use \"HTTP_BASIC\" or \"REQUEST_BODY_CREDENTIALS\" (Google accepts both)",
                    |text: &String| match text.as_str() {
                        "HTTP_BASIC" => Ok(AccessTokenScheme::HttpBasic),
                        "REQUEST_BODY_CREDENTIALS" => Ok(AccessTokenScheme::RequestBodyCredentials),
                        other => Err(format!("{other:?} is not a scheme")),
                    },
                )
            });
        let domains = self
            .pick(
                "account_linking.domains",
                &overrides.domains,
                file.account_linking.domains,
            )
            .map_or_else(
                || {
                    Some(
                        DEFAULT_DOMAINS
                            .iter()
                            .map(|domain| (*domain).to_owned())
                            .collect(),
                    )
                },
                |sourced| {
                    self.check(
                        sourced,
                        "account_linking.domains",
                        "list bare host names like accounts.google.com, at most 15",
                        |domains: &Vec<String>| parse_domains(domains),
                    )
                },
            );
        let default_token_expiration_seconds = self
            .pick(
                "account_linking.default_token_expiration_seconds",
                &overrides.default_token_expiration_seconds,
                file.account_linking.default_token_expiration_seconds,
            )
            .map_or(Some(DEFAULT_TOKEN_EXPIRATION_SECONDS), |sourced| {
                self.check(
                    sourced,
                    "account_linking.default_token_expiration_seconds",
                    "use 3600 (Google's access tokens live about an hour)",
                    |seconds: &u32| {
                        if *seconds >= MIN_TOKEN_EXPIRATION_SECONDS {
                            Ok(*seconds)
                        } else {
                            Err(format!(
                                "{seconds} is below Alexa's minimum of {MIN_TOKEN_EXPIRATION_SECONDS}"
                            ))
                        }
                    },
                )
            });

        let login_page_domain = self.login_page_domain(
            login_page_domain_keys.0,
            login_page_domain_keys.1,
            matches!(login_page_url, Some(Some(_))),
            regions.as_ref().map(|regions| regions.main().as_str()),
        );

        // The other regions' buckets carry the region in their name; it must still be a name.
        if let (Some(regions), Some(artifacts), Some(login)) =
            (&regions, &artifacts_bucket, &login_page_bucket)
        {
            for (region, _) in regions.others() {
                for (key, bucket) in [
                    ("aws.artifacts_bucket", artifacts),
                    ("login_page.bucket", login),
                ] {
                    let name = regional_bucket_name(bucket, regions, region);
                    if let Err(problem) = BucketName::parse(&name) {
                        self.problems.push(ConfigProblem {
                            origin: self.file_name.clone(),
                            key: key.to_owned(),
                            problem: format!(
                                "gives the bucket {name:?} in {}, which is invalid: {problem}",
                                region.as_str()
                            ),
                            fix: "shorten the bucket name (at most 63 characters with the region)"
                                .to_owned(),
                        });
                    }
                }
            }
        }

        // Each value is `None` exactly when a problem was recorded for it, so the `else` branch
        // returns those problems; no value is unwrapped on the strength of that reasoning.
        let (
            Some(vendor_id),
            Some(stage),
            Some(package),
            Some(binary),
            Some(client_id),
            Some(scopes),
            Some(authorization_endpoint),
            Some(token_url),
            Some(login_page_bucket),
            Some(login_page_key),
            Some(regions),
            Some(stack_name),
            Some(artifacts_bucket),
            Some(access_token_scheme),
            Some(domains),
            Some(default_token_expiration_seconds),
            true,
        ) = (
            vendor_id,
            stage,
            package,
            binary,
            client_id,
            scopes,
            authorization_endpoint,
            token_url,
            login_page_bucket,
            login_page_key,
            regions,
            stack_name,
            artifacts_bucket,
            access_token_scheme,
            domains,
            default_token_expiration_seconds,
            self.problems.is_empty(),
        )
        else {
            if self.problems.is_empty() {
                // A default that does not pass its own check: a bug here, reported, not a panic.
                self.problems.push(ConfigProblem {
                    origin: self.file_name.clone(),
                    key: "(defaults)".to_owned(),
                    problem: "a built-in default failed validation".to_owned(),
                    fix: "report this as a bug of provision".to_owned(),
                });
            }
            return Err(ConfigError::Invalid {
                problems: self.problems,
            });
        };
        // The login page crate checks the same values by its own rules; a disagreement is a
        // problem reported like any other.
        let login_page_config =
            login_page::OAuthClient::new(client_id.as_str(), scopes.iter().map(|scope| scope.name))
                .and_then(|client| {
                    login_page::LoginPageConfig::new(
                        authorization_endpoint.clone(),
                        login_page::alexa_redirect_origins(),
                        Some(vendor_id.clone()),
                        client,
                    )
                });
        let login_page_config = match login_page_config {
            Ok(login_page_config) => login_page_config,
            Err(error) => {
                return Err(ConfigError::Invalid {
                    problems: vec![ConfigProblem {
                        origin: self.file_name.clone(),
                        key: "google".to_owned(),
                        problem: format!("does not make a login page: {error}"),
                        fix: "check client_id, scopes and authorization_endpoint under [google]"
                            .to_owned(),
                    }],
                });
            }
        };
        Ok(Config {
            login_page_config,
            path: PathBuf::from(&self.file_name),
            skill: SkillConfig {
                skill_id,
                vendor_id,
                stage,
                package,
                binary,
                skill_package,
            },
            google: GoogleConfig {
                client_id,
                scopes,
                authorization_endpoint,
                token_url,
            },
            login_page: LoginPageLocation {
                bucket: login_page_bucket,
                key: login_page_key,
                url: login_page_url.flatten(),
                domain: login_page_domain,
            },
            aws: AwsConfig {
                region: regions.main().clone(),
                regions,
                stack_name,
                artifacts_bucket,
                reserved_concurrent_executions: reserved_concurrent_executions.flatten(),
            },
            account_linking: AccountLinkingConfig {
                access_token_scheme,
                domains,
                default_token_expiration_seconds,
            },
        })
    }

    /// The override if given, else the file's value, with its origin.
    fn pick<T: Clone>(
        &self,
        key: &str,
        override_value: &Option<T>,
        file_value: Option<T>,
    ) -> Option<Sourced<T>> {
        if let Some(value) = override_value {
            let origin = OVERRIDE_ORIGINS
                .iter()
                .find(|(known, _)| *known == key)
                .map_or("a command-line override", |(_, origin)| origin);
            return Some(Sourced {
                value: value.clone(),
                origin: (*origin).to_owned(),
            });
        }
        file_value.map(|value| Sourced {
            value,
            origin: self.file_name.clone(),
        })
    }

    /// Parses a present value; records a problem and returns `None` when it is bad.
    fn check<T, U>(
        &mut self,
        sourced: Sourced<T>,
        key: &str,
        fix: &str,
        parse: impl FnOnce(&T) -> Result<U, String>,
    ) -> Option<U> {
        match parse(&sourced.value) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.problems.push(ConfigProblem {
                    origin: sourced.origin,
                    key: key.to_owned(),
                    problem: format!("is invalid: {problem}"),
                    fix: fix.to_owned(),
                });
                None
            }
        }
    }

    /// A file-only value with a default, checked by `parse`.
    fn defaulted<U>(
        &mut self,
        key: &str,
        file_value: Option<String>,
        default: &str,
        fix: &str,
        parse: impl FnOnce(&str) -> Result<U, String>,
    ) -> Option<U> {
        match file_value {
            Some(value) => {
                let sourced = Sourced {
                    value,
                    origin: self.file_name.clone(),
                };
                self.check(sourced, key, fix, |text: &String| parse(text))
            }
            None => parse(default).ok(),
        }
    }

    /// Like [`Self::check`], recording a problem when the value is absent too.
    fn required<T: Clone, U>(
        &mut self,
        key: &str,
        override_value: &Option<T>,
        file_value: Option<T>,
        fix: &str,
        parse: impl FnOnce(&T) -> Result<U, String>,
    ) -> Option<U> {
        match self.pick(key, override_value, file_value) {
            Some(sourced) => self.check(sourced, key, fix, parse),
            None => {
                let (section, name) = key.split_once('.').expect("keys are section.name");
                let environment = OVERRIDE_ORIGINS
                    .iter()
                    .find(|(known, _)| *known == key)
                    .map_or(String::new(), |(_, origin)| format!(" or pass {origin}"));
                self.problems.push(ConfigProblem {
                    origin: self.file_name.clone(),
                    key: key.to_owned(),
                    problem: "is missing".to_owned(),
                    fix: if fix.is_empty() {
                        format!("add {name} under [{section}]{environment}")
                    } else {
                        format!("add {name} under [{section}]{environment}; {fix}")
                    },
                });
                None
            }
        }
    }
}

fn parse_scopes(
    names: &[String],
    declared: &[ScopeDeclaration],
) -> Result<Vec<&'static KnownScope>, String> {
    if names.is_empty() {
        return Err("the list is empty".to_owned());
    }
    if names.len() > MAX_SMAPI_LIST_LENGTH {
        return Err(format!(
            "{} scopes, but Alexa accepts at most {MAX_SMAPI_LIST_LENGTH}",
            names.len()
        ));
    }
    scopes::resolve(names, declared)
}

pub(super) fn parse_domains(domains: &[String]) -> Result<Vec<String>, String> {
    if domains.len() > MAX_SMAPI_LIST_LENGTH {
        return Err(format!(
            "{} domains, but Alexa accepts at most {MAX_SMAPI_LIST_LENGTH}",
            domains.len()
        ));
    }
    for domain in domains {
        let valid = !domain.is_empty()
            && domain.split('.').count() >= 2
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.bytes().all(|byte| {
                        byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'
                    })
            });
        if !valid {
            return Err(format!(
                "{domain:?} is not a bare lowercase host name (no scheme, path or port)"
            ));
        }
    }
    Ok(domains.to_vec())
}

/// https, or http on a loopback host so the offline twins can stand in (the shared rule of
/// [`crate::http::may_carry_secrets`]: Alexa sends the client secret to the token URL); no
/// credentials or fragment in the URL.
fn parse_web_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|error| format!("{text:?} is not a URL ({error})"))?;
    if !crate::http::may_carry_secrets(&url) || url.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "{text:?} must be an https URL (plain http only for 127.0.0.0/8, localhost or [::1])"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(format!(
            "{text:?} must not contain a user name, password or fragment"
        ));
    }
    Ok(url)
}

/// The login page's own rules apply: it refuses endpoints that carry the parameters it adds.
fn parse_authorization_endpoint(text: &str) -> Result<Url, String> {
    let url = parse_web_url(text)?;
    login_page::check_authorization_endpoint(&url).map_err(|error| error.to_string())?;
    Ok(url)
}
