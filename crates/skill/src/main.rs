//! The Alexa skill's AWS Lambda function, and a local entry that handles one event as Lambda would.
//!
//! Without arguments it runs on the Lambda Runtime API (`AWS_LAMBDA_RUNTIME_API`), as `bootstrap`
//! does in Lambda. `skill invoke FILE` (or `-` for stdin) handles one event and prints the
//! response JSON.

use std::{
    io::{self, Read},
    process::ExitCode,
};

use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::Value;
use skill::{Config, Skill};
use tokio::time::Instant;

const USAGE: &str = "\
usage: skill                 run as the Lambda function (needs AWS_LAMBDA_RUNTIME_API)
       skill invoke FILE     handle one Alexa request from FILE (`-` for stdin) exactly as Lambda
                             would, and print the response JSON

environment:
  SKILL_ID          refuse requests for any other skill (amzn1.ask.skill.…)
  GOOGLE_API_ROOT   send every Google call to this base URL (the offline twin), not Google
  RUST_LOG          log filter, e.g. `skill=debug` (default `info`)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        [] => run_lambda(),
        ["invoke", path] => invoke(path),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown arguments `{}`\n{USAGE}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("could not start the async runtime: {error}"))
}

fn run_lambda() -> Result<(), String> {
    // lambda_runtime panics without these; say what is wrong instead.
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_none() {
        return Err(format!(
            "AWS_LAMBDA_RUNTIME_API is not set: this mode runs inside Lambda (or a Lambda \
             emulator); to handle one request locally, run `skill invoke FILE`\n{USAGE}"
        ));
    }
    skill::logging::init_for_lambda();
    let skill = Skill::new(Config::from_env().map_err(|error| error.to_string())?);
    let skill = &skill;
    runtime()?.block_on(async move {
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

fn invoke(path: &str) -> Result<(), String> {
    skill::logging::init_for_terminal();
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
    let skill = Skill::new(Config::from_env().map_err(|error| error.to_string())?);
    let response = runtime()?
        .block_on(skill.handle_json(event, Instant::now()))
        .map_err(|error| format!("`{path}`: {error}"))?;
    let output = serde_json::to_string_pretty(&response)
        .map_err(|error| format!("could not print the response: {error}"))?;
    println!("{output}");
    Ok(())
}
