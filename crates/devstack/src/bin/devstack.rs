//! `devstack`: runs the offline twins as a standalone process for manual and cross-process tests.

use std::{net::SocketAddr, time::Duration};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use devstack::google::{ClientSecret, Config, Emulator, OAuthClient};
use tracing_subscriber::EnvFilter;

/// Offline twins of the services the Alexa skill talks to.
#[derive(Debug, Parser)]
#[command(name = "devstack", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Google's OAuth 2.0 server and the Drive, Sheets, Calendar and Gmail APIs, all under one
    /// base URL.
    ///
    /// Prints the base URL as the first line on stdout, then serves until Ctrl-C or SIGTERM. Test
    /// controls live under /__twin/ (clock/advance, faults, revoke-all, sheets, spreadsheets,
    /// tokens, publishing-status, gmail/messages, connections, connections/close-idle,
    /// redirects); the faults are listed in the devstack::google module documentation.
    Google(GoogleArgs),
    /// The Alexa Skill Management API (SMAPI) endpoints `cargo xtask deploy` uses.
    ///
    /// Prints the base URL (for --smapi-url) as the first line on stdout, then serves until
    /// Ctrl-C or SIGTERM. GET /__twin/skills shows what it holds (secrets removed).
    Smapi(SmapiArgs),
}

#[derive(Debug, Args)]
struct SmapiArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// The LWA access token SMAPI accepts (pass the same as ASK_ACCESS_TOKEN to deploy).
    #[arg(
        long,
        env = "DEVSTACK_SMAPI_ACCESS_TOKEN",
        default_value = devstack::smapi::DEFAULT_ACCESS_TOKEN,
        hide_env_values = true
    )]
    access_token: String,
    /// The vendor ID skills may be created for.
    #[arg(long, default_value = devstack::smapi::DEFAULT_VENDOR_ID)]
    vendor_id: String,
    /// Check Lambda endpoints against this Lambda API (e.g. moto's http://127.0.0.1:5000).
    #[arg(long, value_name = "URL")]
    lambda_api: Option<String>,
}

#[derive(Debug, Args)]
struct GoogleArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// OAuth client ID to register instead of the default test client.
    #[arg(long, default_value = devstack::google::DEFAULT_CLIENT_ID)]
    client_id: String,
    /// Secret of that client.
    #[arg(
        long,
        env = "DEVSTACK_GOOGLE_CLIENT_SECRET",
        default_value = devstack::google::DEFAULT_CLIENT_SECRET,
        hide_env_values = true,
        value_parser = |secret: &str| Ok::<_, std::convert::Infallible>(ClientSecret::new(secret.to_string()))
    )]
    client_secret: ClientSecret,
    /// Redirect URI the client registered (repeatable); default: Alexa's three for vendor M2AAAAAAAAAAAA.
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    /// Approve every authorization request as this test user without showing the consent page.
    #[arg(long, value_name = "EMAIL")]
    auto_consent: Option<String>,
    /// Lifetime of issued access tokens, in seconds of emulator clock.
    #[arg(long, value_name = "SECONDS", default_value_t = 3599)]
    access_token_ttl: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Google(arguments) => run_google(arguments).await,
        Command::Smapi(arguments) => run_smapi(arguments).await,
    }
}

async fn run_google(arguments: GoogleArgs) -> anyhow::Result<()> {
    let mut config = Config::default();
    let mut client = OAuthClient {
        client_id: arguments.client_id,
        client_secret: arguments.client_secret,
        redirect_uris: config.clients[0].redirect_uris.clone(),
    };
    if !arguments.redirect_uris.is_empty() {
        client.redirect_uris = arguments.redirect_uris;
    }
    config.clients = vec![client];
    if let Some(email) = &arguments.auto_consent
        && !config.users.iter().any(|user| user.email == *email)
    {
        anyhow::bail!(
            "--auto-consent {email} is not a test user: use ada@example.com or grace@example.com"
        );
    }
    config.auto_consent = arguments.auto_consent;
    config.access_token_ttl = Duration::from_secs(arguments.access_token_ttl);
    let emulator = Emulator::start_on(arguments.listen, config)
        .await
        .with_context(|| format!("could not listen on {}", arguments.listen))?;
    // The first stdout line is the contract with scripts that start this binary.
    println!("{}", emulator.base_url());
    wait_for_shutdown_signal().await?;
    tracing::info!("shutting down");
    drop(emulator);
    Ok(())
}

async fn run_smapi(arguments: SmapiArgs) -> anyhow::Result<()> {
    let config = devstack::smapi::Config {
        access_token: arguments.access_token,
        vendor_id: arguments.vendor_id,
        lambda_api: arguments.lambda_api,
        ..devstack::smapi::Config::default()
    };
    let twin = devstack::smapi::SmapiTwin::start_on(arguments.listen, config)
        .await
        .with_context(|| format!("could not listen on {}", arguments.listen))?;
    // The first stdout line is the contract with scripts that start this binary.
    println!("{}", twin.base_url());
    wait_for_shutdown_signal().await?;
    tracing::info!("shutting down");
    drop(twin);
    Ok(())
}

async fn wait_for_shutdown_signal() -> anyhow::Result<()> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("could not install the SIGTERM handler")?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result.context("could not listen for Ctrl-C"),
        _ = terminate.recv() => Ok(()),
    }
}
