//! The `provision` command line: one subcommand per provisioning step; the logic is in the
//! library so `cargo xtask` can share it. See `provision --help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use provision::check::{self, Severity};
use provision::config::{ClientSecret, Config, ConfigArgs, ConfigError};
use provision::lwa::LwaEnvironment;
use provision::smapi::{self, ClientSecretField, SmapiArgs, SmapiClient};
use url::Url;

#[derive(Debug, Parser)]
#[command(
    name = "provision",
    about = "Set up Google and Alexa account linking for the skill from skill.toml",
    long_about = "Set up Google and Alexa account linking for the skill from skill.toml.\n\n\
        Every subcommand reads the configuration file (--config, default skill.toml; start with \
        `cp skill.example.toml skill.toml`). Every value in it can be overridden by the flag or \
        environment variable listed below. The Google client secret never lives in the file: \
        export GOOGLE_CLIENT_SECRET or pass --client-secret-file.\n\n\
        Typical order: google-setup, check, login-page publish, account-linking apply, check.",
    version
)]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    /// Read the Google client secret from this file instead of GOOGLE_CLIENT_SECRET.
    #[arg(
        long,
        global = true,
        env = "GOOGLE_CLIENT_SECRET_FILE",
        value_name = "PATH"
    )]
    client_secret_file: Option<PathBuf>,
    /// An S3-compatible endpoint instead of AWS (e.g. the local S3 twin); path-style URLs.
    #[arg(long, global = true, env = "AWS_ENDPOINT_URL_S3", value_name = "URL")]
    endpoint_url: Option<Url>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the Google Cloud Console checklist with this skill's exact values.
    #[command(
        long_about = "Print the Google Cloud Console checklist with this skill's exact values.\n\n\
        Lists the APIs to enable for the configured scopes, the OAuth consent screen settings \
        (External, authorized domains, publishing status: in Testing Google's refresh tokens die \
        after 7 days unless only openid/email/profile are requested), the client type (Web \
        application), the three Alexa redirect URIs for the vendor ID, and the scopes to add.\n\n\
        Needs: skill.toml. Sends nothing.\n\n\
        Example:\n  provision google-setup --config skill.toml"
    )]
    GoogleSetup,
    /// Validate the configuration, then test the Google client and the published login page.
    #[command(
        long_about = "Validate the configuration, then test the Google client and the published login page.\n\n\
        Offline: every value in skill.toml and its overrides, and the client secret; one line per \
        finding saying what is wrong and how to fix it. Online (skipped with --offline, or with a \
        warning when unreachable): POSTs a dummy authorization code to the token URL with the \
        client ID and secret, where invalid_grant means the credentials are right and \
        invalid_client means they are wrong; then GETs the published login page and checks that \
        it forwards to the configured authorization endpoint with \
        access_type=offline&prompt=consent.\n\n\
        Needs: skill.toml, GOOGLE_CLIENT_SECRET (or --client-secret-file). Exits non-zero when \
        a problem is found.\n\n\
        Example:\n  GOOGLE_CLIENT_SECRET=… provision check\n  provision check --offline"
    )]
    Check {
        /// Only check the configuration; send nothing.
        #[arg(long)]
        offline: bool,
    },
    /// Check offline what Amazon's certification and Google's verification would refuse.
    #[command(
        long_about = "Check offline what Amazon's certification and Google's verification would refuse.\n\n\
        Every locale of the skill package ([skill] skill_package): invocation names, sample \
        utterances, privacy policy and terms URLs; and the account-linking settings of the \
        config: the login page and token URL, the domain list, Alexa's redirect URIs, each \
        scope's Google verification class and the Testing status's 7-day refresh tokens. One \
        line per finding: severity, rule, file, locale, the offending text, the fix and the \
        public rule (docs/preflight.md).\n\n\
        Needs: skill.toml. Sends nothing. Exits non-zero when an error is found; warnings and \
        notes do not fail it.\n\n\
        Example:\n  provision preflight\n  provision preflight --format json --needed-scopes openid,email"
    )]
    Preflight {
        /// `text` (one line per finding) or `json` (for CI).
        #[arg(long, value_enum, default_value = "text")]
        format: PreflightFormat,
        /// The scopes the skill's handlers need, to compare with [google] scopes.
        #[arg(long, value_delimiter = ',', value_name = "SCOPE,…")]
        needed_scopes: Option<Vec<String>>,
    },
    /// Render or publish the login page Alexa opens as its Authorization URI.
    #[command(subcommand)]
    LoginPage(LoginPageCommand),
    /// Show, apply or read the skill's account-linking configuration (SMAPI).
    #[command(subcommand)]
    AccountLinking(AccountLinkingCommand),
}

/// How `preflight` prints its report.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum PreflightFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum LoginPageCommand {
    /// Write the rendered login page to DIR/index.html.
    #[command(long_about = "Write the rendered login page to DIR/index.html.\n\n\
        The page forwards Alexa's parameters unchanged to google.authorization_endpoint, adding \
        access_type=offline&prompt=consent, and accepts only Alexa's redirect URIs for the \
        configured vendor ID.\n\n\
        Needs: skill.toml. Sends nothing.\n\n\
        Example:\n  provision login-page render --out target/login-page")]
    Render {
        /// The directory to write index.html into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Render the login page and upload it to the [login_page] bucket if it changed.
    #[command(
        long_about = "Render the login page and upload it to the [login_page] bucket if it changed.\n\n\
        Creates the bucket if missing, uploads with Content-Type text/html and Cache-Control \
        no-cache unless the stored page is identical, then prints the HTTPS object URL to paste as \
        Alexa's Authorization URI (account-linking apply uses it too). Making the object public is \
        the CloudFormation stack's job (bucket policy).\n\n\
        Needs: skill.toml; AWS credentials from the standard variables (AWS_ACCESS_KEY_ID, \
        AWS_SECRET_ACCESS_KEY) or profile; --endpoint-url for an S3-compatible server.\n\n\
        Example:\n  provision login-page publish\n  provision login-page publish --endpoint-url http://127.0.0.1:8014"
    )]
    Publish,
}

#[derive(Debug, Subcommand)]
enum AccountLinkingCommand {
    /// Print the SMAPI account-linking body for this configuration.
    #[command(
        long_about = "Print the SMAPI account-linking body for this configuration.\n\n\
        Prints {\"accountLinkingRequest\": {…}} as `account-linking apply` sends it and as \
        `ask smapi update-account-linking-info --account-linking-request` takes it: AUTH_CODE, the \
        login page URL as authorizationUrl, the token URL, client ID, scheme, scopes, domains. The \
        client secret is shown only with --show-secret; otherwise a placeholder.\n\n\
        Needs: skill.toml (and GOOGLE_CLIENT_SECRET with --show-secret). Sends nothing.\n\n\
        Example:\n  provision account-linking show > account-linking.json"
    )]
    Show {
        /// Put the real client secret in the output instead of a placeholder.
        #[arg(long)]
        show_secret: bool,
    },
    /// Configure the skill's account linking through SMAPI (PUT accountLinkingClient).
    #[command(
        long_about = "Configure the skill's account linking through SMAPI (PUT accountLinkingClient).\n\n\
        Sends the body `account-linking show --show-secret` prints to \
        PUT {smapi}/v1/skills/{skillId}/stages/{stage}/accountLinkingClient.\n\n\
        Needs: skill.toml with skill_id (or --skill-id / SKILL_ID), GOOGLE_CLIENT_SECRET, and \
        Amazon credentials, looked up like the ASK CLI does: ASK_ACCESS_TOKEN; or \
        ASK_REFRESH_TOKEN with ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_CONFIRMATION (refreshed at \
        ASK_LWA_TOKEN_HOST, default https://api.amazon.com); or the --ask-profile profile of \
        ~/.ask/cli_config (refreshed and saved when expired, with ASK_LWA_CLIENT_ID and \
        ASK_LWA_CLIENT_CONFIRMATION).\n\n\
        Example:\n  provision account-linking apply --skill-id amzn1.ask.skill.… --stage development"
    )]
    Apply {
        #[command(flatten)]
        smapi: SmapiArgs,
    },
    /// Read the skill's account-linking configuration back from SMAPI (GET accountLinkingClient).
    #[command(
        long_about = "Read the skill's account-linking configuration back from SMAPI (GET accountLinkingClient).\n\n\
        Prints SMAPI's {\"accountLinkingResponse\": {…}} (it never contains the secret).\n\n\
        Needs: skill_id and Amazon credentials, as for `account-linking apply`.\n\n\
        Example:\n  provision account-linking get --ask-profile default"
    )]
    Get {
        #[command(flatten)]
        smapi: SmapiArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            // `{:#}` puts the context chain on one line: "doing X: because Y".
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Check { offline } => return check(&cli, *offline).await,
        Command::Preflight {
            format,
            needed_scopes,
        } => {
            let report = provision::preflight::run(&provision::preflight::PreflightInput {
                config_path: cli.config.config.clone(),
                overrides: cli.config.overrides(),
                needed_scopes: needed_scopes.clone(),
            });
            match format {
                PreflightFormat::Text => print!("{}", report.to_text()),
                PreflightFormat::Json => println!("{}", report.to_json()),
            }
            return Ok(if report.error_count() == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        Command::GoogleSetup => {
            let config = load(&cli)?;
            print!(
                "{}",
                provision::google_setup::checklist(&config, &login_page_url(&cli, &config))
            );
        }
        Command::LoginPage(LoginPageCommand::Render { out }) => {
            let config = load(&cli)?;
            render(&config, out)?;
        }
        Command::LoginPage(LoginPageCommand::Publish) => {
            let config = load(&cli)?;
            publish(&cli, &config).await?;
        }
        Command::AccountLinking(AccountLinkingCommand::Show { show_secret }) => {
            let config = load(&cli)?;
            let secret = if *show_secret {
                ClientSecretField::Secret(client_secret(&cli)?)
            } else {
                eprintln!(
                    "note: clientSecret is a placeholder; `account-linking apply` sends the real \
                     one from GOOGLE_CLIENT_SECRET (or --show-secret prints it)"
                );
                ClientSecretField::Placeholder
            };
            let body = smapi::account_linking_body(&config, &login_page_url(&cli, &config), secret);
            println!(
                "{}",
                serde_json::to_string_pretty(&body).context("could not serialize the body")?
            );
        }
        Command::AccountLinking(AccountLinkingCommand::Apply { smapi }) => {
            let config = load(&cli)?;
            let skill_id = config.require_skill_id()?.clone();
            let secret = client_secret(&cli)?;
            let body = smapi::account_linking_body(
                &config,
                &login_page_url(&cli, &config),
                ClientSecretField::Secret(secret),
            );
            let client = smapi_client(smapi).await?;
            client
                .put_account_linking(&skill_id, config.skill.stage, &body)
                .await
                .with_context(|| {
                    format!(
                        "could not configure account linking of {} ({})",
                        skill_id.as_str(),
                        config.skill.stage.as_str()
                    )
                })?;
            println!(
                "account linking of {} ({}) now uses {} with client {}",
                skill_id.as_str(),
                config.skill.stage.as_str(),
                body.account_linking_request.authorization_url,
                config.google.client_id.as_str()
            );
        }
        Command::AccountLinking(AccountLinkingCommand::Get { smapi }) => {
            let config = load(&cli)?;
            let skill_id = config.require_skill_id()?.clone();
            let client = smapi_client(smapi).await?;
            let stored = client
                .get_account_linking(&skill_id, config.skill.stage)
                .await
                .with_context(|| {
                    format!(
                        "could not read account linking of {} ({})",
                        skill_id.as_str(),
                        config.skill.stage.as_str()
                    )
                })?;
            println!(
                "{}",
                serde_json::to_string_pretty(&stored).context("could not print SMAPI's answer")?
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the config; its error already names the file, the key and the fix.
fn load(cli: &Cli) -> Result<Config, ConfigError> {
    cli.config.load()
}

fn client_secret(cli: &Cli) -> Result<ClientSecret, ConfigError> {
    provision::config::load_client_secret(
        cli.client_secret_file.as_deref(),
        std::env::var(provision::config::CLIENT_SECRET_ENV).ok(),
    )
}

fn login_page_url(cli: &Cli, config: &Config) -> Url {
    config.login_page_url(cli.endpoint_url.as_ref())
}

async fn check(cli: &Cli, offline: bool) -> anyhow::Result<ExitCode> {
    let findings = match load(cli) {
        Err(error) => check::config_error_findings(&error),
        Ok(config) => {
            let secret = client_secret(cli);
            let page_url = login_page_url(cli, &config);
            let mut findings = check::offline_findings(&config, &secret, &page_url);
            if !offline {
                let http = provision::http::client();
                if let Ok(secret) = &secret {
                    findings.push(check::token_endpoint_finding(&http, &config, secret).await);
                }
                findings.extend(check::login_page_findings(&http, &config, &page_url).await);
            }
            findings
        }
    };
    for finding in &findings {
        println!("{finding}");
    }
    let problems = findings
        .iter()
        .filter(|finding| finding.severity == Severity::Problem)
        .count();
    if problems == 0 {
        println!("check passed");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("check found {problems} problem(s)");
        Ok(ExitCode::FAILURE)
    }
}

fn render(config: &Config, out: &Path) -> anyhow::Result<()> {
    let html = login_page::render(&config.login_page_config());
    std::fs::create_dir_all(out)
        .with_context(|| format!("could not create the directory {}", out.display()))?;
    let file = out.join(login_page::OBJECT_KEY);
    std::fs::write(&file, html).with_context(|| format!("could not write {}", file.display()))?;
    println!("wrote {}", file.display());
    Ok(())
}

async fn publish(cli: &Cli, config: &Config) -> anyhow::Result<()> {
    let html = login_page::render(&config.login_page_config());
    let endpoint = cli.endpoint_url.as_ref().map(Url::as_str);
    let bucket = config.login_page.bucket.as_str();
    let key = config.login_page.key.as_str();
    let published = match endpoint {
        // On AWS the bucket must be the caller's own (ExpectedBucketOwner on every call).
        None => {
            let clients = provision::stack::clients(&provision::stack::AwsTarget {
                region: config.aws.region.as_str().to_owned(),
                endpoint_url: None,
                profile: None,
                credentials: None,
            })
            .await;
            let account = clients.account_id().await?;
            provision::login_page::publish_to_own_bucket(&clients.s3, bucket, key, &html, &account)
                .await
        }
        // An S3 stand-in, which has no STS to ask for the account.
        Some(endpoint) => {
            let client =
                provision::s3::client(config.aws.region.as_str(), Some(endpoint), None).await;
            provision::login_page::publish(&client, bucket, key, &html).await
        }
    }
    .context("could not publish the login page")?;
    let action = if published.uploaded {
        "uploaded"
    } else {
        "unchanged, not uploaded"
    };
    println!("login page {action}: {}", published.url);
    println!(
        "paste this URL as the Authorization URI in the Alexa developer console (Account \
         Linking), or run `provision account-linking apply`"
    );
    if let Some(public_url) = &config.login_page.url {
        println!("login_page.url is set: Alexa should use {public_url}");
    }
    Ok(())
}

async fn smapi_client(arguments: &SmapiArgs) -> anyhow::Result<SmapiClient> {
    let (client, source) = arguments
        .client(provision::http::client(), &LwaEnvironment::from_process())
        .await?;
    eprintln!("using Amazon credentials from {source}");
    Ok(client)
}
