//! Log setup: JSON lines in Lambda (CloudWatch parses them), readable text on a terminal.
//!
//! Nothing the toolkit logs carries a token: it logs request types, intent names and Google's
//! status and reason, never the request envelope or an Authorization header.

use tracing_subscriber::{EnvFilter, fmt};

/// `RUST_LOG` (default `info`), with lambda_runtime held at `debug` whatever `RUST_LOG` says: at
/// `trace` it logs every raw event, and an Alexa event carries the user's access token.
fn filter() -> EnvFilter {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    filter.add_directive("lambda_runtime=debug".parse().expect("a valid directive"))
}

/// JSON logs to stdout, without ANSI colors or timestamps (Lambda adds its own).
pub(crate) fn init_for_lambda() {
    fmt()
        .json()
        .with_env_filter(filter())
        .with_current_span(false)
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .init();
}

/// Readable logs on stderr, so stdout holds only the response JSON.
pub(crate) fn init_for_terminal() {
    fmt()
        .with_env_filter(filter())
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
