//! A reference endpoint: verifies every request like a real skill would and answers each verified
//! one with the same short speech. For the bench script and the end-to-end tests; a real skill
//! flattens `alexa_https::ServeArgs` into its own `serve` subcommand instead.

use std::io::IsTerminal as _;
use std::sync::Arc;

use alexa_https::{Handler, HandlerError, ServeArgs};
use clap::Parser;
use serde_json::{Value, json};

/// Serve an Alexa endpoint that answers every verified request with "ok".
#[derive(Debug, Parser)]
struct Command {
    #[command(flatten)]
    serve: ServeArgs,
}

struct FixedAnswer;

#[async_trait::async_trait]
impl Handler for FixedAnswer {
    async fn handle_json(
        &self,
        _event: Value,
        _arrived: tokio::time::Instant,
    ) -> Result<Value, HandlerError> {
        Ok(json!({
            "version": "1.0",
            "response": {
                "outputSpeech": {"type": "PlainText", "text": "ok"},
                "shouldEndSession": true
            }
        }))
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let command = Command::parse();
    alexa_https::serve(command.serve.into(), Arc::new(FixedAnswer)).await?;
    Ok(())
}
