//! Log setup: JSON lines in Lambda (CloudWatch parses them), readable text on a terminal.
//!
//! Nothing the toolkit logs carries a token: it logs request types, intent names and Google's
//! status and reason, never the request envelope or an Authorization header.

use tracing::{Level, Metadata};
use tracing_subscriber::{
    EnvFilter, Layer,
    filter::{FilterExt, filter_fn},
    fmt,
    layer::SubscriberExt,
    util::SubscriberInitExt,
};

/// Where lambda_runtime's traces come from (`lambda_runtime`, `lambda_runtime::layers::…`,
/// `lambda_runtime_api_client`).
const LAMBDA_RUNTIME_TARGET: &str = "lambda_runtime";

/// `RUST_LOG` (default `info`), for everything but lambda_runtime's trace level.
fn environment_filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

/// Whether a callsite may log at all, whatever `RUST_LOG` says: lambda_runtime's TRACE events
/// print every raw event (`layers::api_response`), and an Alexa event carries the user's access
/// token. A directive in `RUST_LOG` can only narrow what this allows, because the two filters
/// are ANDed; a more specific directive (`lambda_runtime::layers=trace`) wins inside
/// [`EnvFilter`] but not against this.
fn never_leaks(metadata: &Metadata<'_>) -> bool {
    !(metadata.target().starts_with(LAMBDA_RUNTIME_TARGET) && *metadata.level() > Level::DEBUG)
}

/// JSON logs to stdout, without ANSI colors or timestamps (Lambda adds its own).
pub(crate) fn init_for_lambda() {
    let layer = fmt::layer()
        .json()
        .with_current_span(false)
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .with_filter(environment_filter().and(filter_fn(never_leaks)));
    tracing_subscriber::registry().with(layer).init();
}

/// Readable logs on stderr, so stdout holds only the response JSON.
pub(crate) fn init_for_terminal() {
    let layer = fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(environment_filter().and(filter_fn(never_leaks)));
    tracing_subscriber::registry().with(layer).init();
}

#[cfg(test)]
mod tests {
    use tracing::{Level, callsite::Identifier, field::FieldSet, metadata::Kind};

    use super::never_leaks;

    fn allowed(target: &'static str, level: Level) -> bool {
        // Metadata needs a callsite identity; the filter never looks at it.
        struct Callsite;
        impl tracing::Callsite for Callsite {
            fn set_interest(&self, _: tracing::subscriber::Interest) {}
            fn metadata(&self) -> &tracing::Metadata<'_> {
                unreachable!("never asked")
            }
        }
        static CALLSITE: Callsite = Callsite;
        let metadata = tracing::Metadata::new(
            "event",
            target,
            level,
            None,
            None,
            None,
            FieldSet::new(&[], Identifier(&CALLSITE)),
            Kind::EVENT,
        );
        never_leaks(&metadata)
    }

    #[test]
    fn lambda_runtime_traces_are_dropped_and_everything_else_passes() {
        let cases = [
            ("lambda_runtime", Level::TRACE, false),
            ("lambda_runtime::layers::api_response", Level::TRACE, false),
            ("lambda_runtime_api_client", Level::TRACE, false),
            ("lambda_runtime::layers::api_response", Level::DEBUG, true),
            ("lambda_runtime", Level::ERROR, true),
            ("linked_skill::skill", Level::TRACE, true),
            ("google_api::client", Level::TRACE, true),
        ];
        for (target, level, expected) in cases {
            assert_eq!(allowed(target, level), expected, "{target} at {level}");
        }
    }
}
