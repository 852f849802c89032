//! Log setup: JSON lines in Lambda (CloudWatch parses them), readable text on a terminal.
//!
//! Nothing the toolkit logs carries a token: it logs request types, intent names and Google's
//! status and reason, never the request envelope or an Authorization header.

use tracing::{Level, Metadata};
use tracing_subscriber::{
    Layer,
    filter::{FilterExt, LevelFilter, Targets, filter_fn},
    fmt,
    layer::SubscriberExt,
    util::SubscriberInitExt,
};

/// Where lambda_runtime's traces come from (`lambda_runtime`, `lambda_runtime::layers::…`,
/// `lambda_runtime_api_client`).
const LAMBDA_RUNTIME_TARGET: &str = "lambda_runtime";

/// `RUST_LOG` (default `info`), for everything but lambda_runtime's trace level: comma-separated
/// `target=level`, `target` and `level` directives, as `env_logger` and tracing's `EnvFilter`
/// read them, the longest matching target winning. Span and field filters (`[span]`,
/// `{field=value}`) are not read: `EnvFilter`'s regex engine would cost the Lambda binary about
/// 250 KiB, and a skill's logs have no spans to filter by. A value that does not parse logs at
/// `info`, with one warning saying so.
fn environment_filter() -> (Targets, Option<String>) {
    parse_filter(std::env::var("RUST_LOG").ok().as_deref())
}

/// [`environment_filter`] for a given value of `RUST_LOG`; the second half is the warning for a
/// value that does not parse.
fn parse_filter(value: Option<&str>) -> (Targets, Option<String>) {
    let info = || Targets::new().with_default(LevelFilter::INFO);
    match value.map(str::trim) {
        None | Some("") => (info(), None),
        // `Targets` would read `[span]=debug` as a target named `[span]`, which nothing has.
        Some(value) if value.contains(['[', '{']) => (
            info(),
            Some(format!(
                "RUST_LOG `{value}` has a span or field filter, which this skill does not read; \
                 logging at `info`. Use `target=level` directives, e.g. `linked_skill=debug`"
            )),
        ),
        Some(value) => match value.parse::<Targets>() {
            Ok(targets) => (targets, None),
            Err(error) => (
                info(),
                Some(format!(
                    "RUST_LOG `{value}` is not a list of `target=level` directives ({error}); \
                     logging at `info`. Use e.g. `linked_skill=debug`"
                )),
            ),
        },
    }
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
    let (filter, warning) = environment_filter();
    let layer = fmt::layer()
        .json()
        .with_current_span(false)
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .with_filter(filter.and(filter_fn(never_leaks)));
    tracing_subscriber::registry().with(layer).init();
    if let Some(warning) = warning {
        tracing::warn!("{warning}");
    }
}

/// Readable logs on stderr, so stdout holds only the response JSON.
pub(crate) fn init_for_terminal() {
    let (filter, warning) = environment_filter();
    let layer = fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(filter.and(filter_fn(never_leaks)));
    tracing_subscriber::registry().with(layer).init();
    if let Some(warning) = warning {
        tracing::warn!("{warning}");
    }
}

#[cfg(test)]
mod tests {
    use tracing::{Level, callsite::Identifier, field::FieldSet, metadata::Kind};

    use super::{never_leaks, parse_filter};

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

    #[test]
    fn rust_log_directives_are_read_by_target_and_level() {
        let cases: [(Option<&str>, &str, Level, bool); 12] = [
            (None, "linked_skill::skill", Level::INFO, true),
            (None, "linked_skill::skill", Level::DEBUG, false),
            (Some(""), "google_api", Level::INFO, true),
            (Some("warn"), "google_api::client", Level::INFO, false),
            (Some("warn"), "google_api::client", Level::WARN, true),
            (
                Some("linked_skill=debug"),
                "linked_skill::skill",
                Level::DEBUG,
                true,
            ),
            (
                Some("linked_skill=debug"),
                "google_api::client",
                Level::ERROR,
                false,
            ),
            (
                Some("info,google_api=trace"),
                "google_api::client",
                Level::TRACE,
                true,
            ),
            (
                Some("info,google_api=trace"),
                "user_state",
                Level::DEBUG,
                false,
            ),
            (
                Some("debug,google_api::client=error"),
                "google_api::client",
                Level::WARN,
                false,
            ),
            (
                Some("debug,google_api::client=error"),
                "google_api::tokens",
                Level::DEBUG,
                true,
            ),
            (
                Some("LINKED_SKILL=Debug"),
                "LINKED_SKILL",
                Level::DEBUG,
                true,
            ),
        ];
        for (value, target, level, expected) in cases {
            let (filter, warning) = parse_filter(value);
            assert_eq!(warning, None, "{value:?}");
            assert_eq!(
                filter.would_enable(target, &level),
                expected,
                "RUST_LOG={value:?}: {target} at {level}"
            );
        }
    }

    #[test]
    fn a_rust_log_that_does_not_parse_logs_at_info_and_says_so() {
        for value in [
            "linked_skill=loud",
            "[request]=debug",
            "info,[request{user=x}]=debug",
            "google_api[{status}]=debug",
        ] {
            let (filter, warning) = parse_filter(Some(value));
            let warning = warning.unwrap_or_else(|| panic!("{value} parsed"));
            assert!(warning.contains(value), "{warning}");
            assert!(filter.would_enable("linked_skill", &Level::INFO), "{value}");
            assert!(
                !filter.would_enable("linked_skill", &Level::DEBUG),
                "{value}"
            );
        }
    }
}
