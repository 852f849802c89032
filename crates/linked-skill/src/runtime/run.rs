//! The one entry point every skill binary shares: Lambda mode, `invoke FILE|-`, `serve` (an HTTPS
//! endpoint that verifies Alexa's request signatures), `--help`, the same logging and the same
//! environment settings.

#[cfg(feature = "serve")]
use std::sync::Arc;
use std::{
    io::{self, Read},
    process::ExitCode,
};

use clap::{Parser, Subcommand};
use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::Value;
use tokio::time::Instant;

#[cfg(feature = "serve")]
use super::JsonHandler;
use crate::{Settings, Skill, SkillIdCheck, logging};

const ENVIRONMENT_HELP: &str = "\
Without a command it runs as the Lambda function (needs AWS_LAMBDA_RUNTIME_API).

Environment:
  SKILL_ID          refuse requests for any other skill (amzn1.ask.skill.…); required in
                    Lambda mode and by `serve`
  SKILL_ID_CHECK    `off` lets Lambda mode start without SKILL_ID and answer every skill
                    (testing only)
  GOOGLE_API_ROOT   send every Google call to this base URL (the offline twin), not Google
  RUST_LOG          log filter, e.g. `linked_skill=debug` (default `info`)";

/// The command line of every skill binary. A mode is one variant of [`Command`] and one arm in
/// [`run`]; `serve` hands the HTTPS endpoint [`Skill::into_json_handler`].
#[derive(Debug, Parser)]
#[command(about = "An Alexa skill that links the user's Google account", after_help = ENVIRONMENT_HELP)]
struct Arguments {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Handle one Alexa request from FILE (`-` for stdin) with the handlers and settings Lambda
    /// mode uses, and print the response JSON (a set `SKILL_ID` is checked, an unset one is
    /// allowed: this is a development tool, not an endpoint).
    Invoke {
        /// The request JSON, or `-` for stdin.
        file: String,
    },
    /// Serve Alexa's requests over HTTPS (or plain HTTP behind a TLS-terminating proxy): every
    /// request's signature is verified before the skill sees it (docs/request-signatures.md,
    /// README.md, "Host it yourself").
    #[cfg(feature = "serve")]
    Serve(alexa_https::ServeArgs),
    /// Not in this build: the Lambda zip (`cargo xtask build`) leaves the HTTPS endpoint out.
    #[cfg(not(feature = "serve"))]
    #[command(hide = true)]
    Serve {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        _arguments: Vec<std::ffi::OsString>,
    },
    /// Print the Google scopes the skill's handlers need, one per line: what account linking
    /// must ask for (`cargo xtask deploy` hands them to its in-process `provision::preflight::run`,
    /// what `provision preflight --needed-scopes` takes on the command line).
    Scopes,
}

/// Runs the skill `make_skill` builds, as the command line says: the whole `main` of a skill.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     linked_skill::run(|| linked_skill::Skill::builder().build())
/// }
/// ```
///
/// Errors print as one line, `error: …`, and exit with status 1.
pub fn run(make_skill: impl FnOnce() -> Skill) -> ExitCode {
    // Lambda starts the function without arguments: that mode needs no parser, and building
    // clap's description of every mode costs a cold start tens of microseconds.
    let arguments = if std::env::args_os().len() <= 1 {
        Arguments { command: None }
    } else {
        Arguments::parse()
    };
    let program = std::env::args()
        .next()
        .and_then(|path| {
            std::path::Path::new(&path)
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "skill".to_owned());
    let result = match arguments.command {
        None => run_lambda(make_skill, &program),
        Some(Command::Invoke { file }) => invoke(make_skill, &file),
        #[cfg(feature = "serve")]
        Some(Command::Serve(arguments)) => serve(make_skill, arguments),
        #[cfg(not(feature = "serve"))]
        Some(Command::Serve { .. }) => Err(format!(
            "this `{program}` was built without the `serve` feature (the Lambda zip of `cargo \
             xtask build` leaves the HTTPS endpoint out): build it with `cargo build --release \
             --package <your skill crate>` (the feature is on by default) to serve over HTTPS"
        )),
        Some(Command::Scopes) => {
            // Needs no settings: it reads only what the handlers declare.
            for scope in make_skill().needed_scopes() {
                println!("{scope}");
            }
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn configured(make_skill: impl FnOnce() -> Skill) -> Result<Skill, String> {
    let settings = Settings::from_env().map_err(|error| error.to_string())?;
    Ok(make_skill().configure(settings))
}

/// The runtime of a mode that handles one request at a time (Lambda, `invoke`): one thread.
/// A request's own concurrency (Google calls, the progressive response, timeouts) needs no
/// second one, and a multi-threaded runtime costs a cold start its worker threads and reading
/// the cgroup's CPU limits (measured: scripts/bench-cold-start.sh).
fn single_request_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("could not start the async runtime: {error}"))
}

/// The runtime of `serve`, which answers many requests at once: one worker per CPU.
#[cfg(feature = "serve")]
fn serving_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("could not start the async runtime: {error}"))
}

fn run_lambda(make_skill: impl FnOnce() -> Skill, program: &str) -> Result<(), String> {
    // lambda_runtime panics without this; say what is wrong instead.
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_none() {
        return Err(format!(
            "AWS_LAMBDA_RUNTIME_API is not set: this mode runs inside Lambda (or a Lambda \
             emulator); to handle one request locally, run `{program} invoke FILE` \
             (`{program} --help` says more)"
        ));
    }
    logging::init_for_lambda();
    let settings = Settings::from_env().map_err(|error| error.to_string())?;
    match settings
        .skill_id_check()
        .map_err(|error| error.to_string())?
    {
        SkillIdCheck::Enforced(skill_id) => {
            tracing::info!(skill_id = skill_id.as_str(), "answering only this skill");
        }
        SkillIdCheck::Off => tracing::warn!(
            "SKILL_ID_CHECK=off: the skill ID is not checked, requests of every skill are answered"
        ),
    }
    warn_if_not_google(&settings.endpoints);
    let skill = make_skill().configure(settings);
    let skill = &skill;
    single_request_runtime()?.block_on(async move {
        let handler = service_fn(move |event: LambdaEvent<Value>| async move {
            let arrived = Instant::now();
            skill
                .handle_json(event.payload, arrived)
                .await
                .map_err(lambda_runtime::Error::from)
        });
        lambda_runtime::run(handler)
            .await
            .map_err(|error| format!("Lambda runtime failed: {error}"))
    })
}

fn invoke(make_skill: impl FnOnce() -> Skill, path: &str) -> Result<(), String> {
    logging::init_for_terminal();
    let input = if path == "-" {
        let mut input = String::new();
        io::stdin()
            .read_to_string(&mut input)
            .map_err(|error| format!("could not read the request from stdin: {error}"))?;
        input
    } else {
        std::fs::read_to_string(path)
            .map_err(|error| format!("could not read the request file `{path}`: {error}"))?
    };
    let event: Value = serde_json::from_str(&input)
        .map_err(|error| format!("`{path}` is not valid JSON: {error}"))?;
    let skill = configured(make_skill)?;
    let response = single_request_runtime()?
        .block_on(skill.handle_json(event, Instant::now()))
        .map_err(|error| format!("`{path}`: {error}"))?;
    let output = serde_json::to_string_pretty(&response)
        .map_err(|error| format!("could not print the response: {error}"))?;
    println!("{output}");
    Ok(())
}

/// [`Skill::into_json_handler`] as the endpoint's handler.
#[cfg(feature = "serve")]
struct ServeHandler(JsonHandler);

#[cfg(feature = "serve")]
#[async_trait::async_trait]
impl alexa_https::Handler for ServeHandler {
    async fn handle_json(
        &self,
        event: Value,
        arrived: Instant,
    ) -> Result<Value, alexa_https::HandlerError> {
        (self.0)(event, arrived).await.map_err(Into::into)
    }
}

#[cfg(feature = "serve")]
fn serve(
    make_skill: impl FnOnce() -> Skill,
    arguments: alexa_https::ServeArgs,
) -> Result<(), String> {
    logging::init_for_terminal();
    let settings = Settings::from_env().map_err(|error| error.to_string())?;
    warn_if_not_google(&settings.endpoints);
    let skill = make_skill().configure(settings);
    let handler = Arc::new(ServeHandler(skill.into_json_handler()));
    serving_runtime()?
        .block_on(alexa_https::serve(arguments.into(), handler))
        .map_err(|error| error.to_string())
}

/// Lambda and `serve` face real users: `GOOGLE_API_ROOT` there sends their tokens to a stand-in
/// instead of Google, which is worth a line in the log at every start (`invoke` is local testing,
/// where the twin is the point).
fn warn_if_not_google(endpoints: &google_api::Endpoints) {
    if let Some(warning) = api_root_warning(endpoints) {
        tracing::warn!("{warning}");
    }
}

/// The warning for a set `GOOGLE_API_ROOT`, naming only its origin: a user part or query of the
/// URL is left out, and no token is ever in it.
fn api_root_warning(endpoints: &google_api::Endpoints) -> Option<String> {
    let root = endpoints.api_root()?;
    Some(format!(
        "GOOGLE_API_ROOT is set: every Google call, with the user's access token, goes to {} \
         instead of Google; unset it unless this deployment is meant to talk to a Google stand-in",
        root.origin().ascii_serialization()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_google_api_root_is_warned_about_by_origin_only() {
        assert_eq!(api_root_warning(&google_api::Endpoints::google()), None);
        let endpoints = google_api::Endpoints::from_api_root_value(Some(
            "https://twin-user:twin-password@google-twin.example.com:8443/google/?key=abc",
        ))
        .unwrap();
        let warning = api_root_warning(&endpoints).unwrap();
        assert_eq!(
            warning,
            "GOOGLE_API_ROOT is set: every Google call, with the user's access token, goes to \
             https://google-twin.example.com:8443 instead of Google; unset it unless this \
             deployment is meant to talk to a Google stand-in"
        );
        for hidden in ["twin-password", "twin-user", "key=abc"] {
            assert!(!warning.contains(hidden), "{hidden}");
        }
    }
}
