//! The real binary as Lambda runs it: behind cargo-lambda's Runtime API, with logs at their most
//! verbose no token reaches a log line, and without `SKILL_ID` it refuses to start.

use devstack::lambda::{InvokeError, LambdaFunction};

use linked_skill::testing::{LINKED_TOKEN, SKILL_ID};

use crate::support::request;

fn binary() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_BIN_EXE_skill"))
}

#[tokio::test(flavor = "multi_thread")]
async fn no_rust_log_value_lets_a_token_into_the_logs() {
    // lambda_runtime logs every raw event at trace level, and a more specific directive wins
    // inside an EnvFilter: each of these would re-enable that trace unless something else holds it.
    for rust_log in [
        "trace",
        "lambda_runtime=trace",
        "lambda_runtime::layers=trace",
        "lambda_runtime::layers::api_response=trace",
    ] {
        let function = LambdaFunction::start(
            binary(),
            &[
                ("RUST_LOG", rust_log),
                ("SKILL_ID", SKILL_ID),
                ("GOOGLE_API_ROOT", "http://127.0.0.1:9"),
            ],
        )
        .expect("the skill starts behind the Lambda Runtime API (run `cargo xtask setup`?)");
        for name in ["help", "account-linked"] {
            let response = function
                .invoke(request(name))
                .await
                .unwrap_or_else(|error| panic!("RUST_LOG={rust_log}: {error}"));
            assert_eq!(response["version"], "1.0");
        }
        let logs = function.finish();
        if rust_log == "trace" {
            assert!(logs.contains("TRACE"), "trace logging was not on:\n{logs}");
            assert!(logs.contains("account linked"), "{logs}");
        }
        // Every byte: the token as it is, and as it would appear JSON-escaped or in a Debug dump.
        assert!(
            !logs.contains(LINKED_TOKEN) && !logs.contains("test-linked-access-token"),
            "RUST_LOG={rust_log}: a token reached the logs:\n{logs}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_mode_without_skill_id_refuses_to_start() {
    let function = LambdaFunction::start(binary(), &[("GOOGLE_API_ROOT", "http://127.0.0.1:9")])
        .expect("the process starts; it exits once it reads its configuration");
    let error = function
        .invoke(request("help"))
        .await
        .expect_err("nobody answers the invocation");
    assert!(matches!(error, InvokeError::Exited { .. }), "{error:?}");
    let logs = function.finish();
    assert!(
        logs.contains("SKILL_ID is not set") && logs.contains("SKILL_ID_CHECK=off"),
        "the refusal names the fix:\n{logs}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_mode_says_which_skill_id_it_enforces_or_warns_that_the_check_is_off() {
    let cases: [(&[(&str, &str)], &str); 2] = [
        (&[("SKILL_ID", SKILL_ID)], SKILL_ID),
        (&[("SKILL_ID_CHECK", "off")], "SKILL_ID_CHECK=off"),
    ];
    for (env, expected) in cases {
        let mut env = env.to_vec();
        env.push(("GOOGLE_API_ROOT", "http://127.0.0.1:9"));
        let function = LambdaFunction::start(binary(), &env).expect("the skill starts");
        let response = function
            .invoke(request("help"))
            .await
            .expect("the skill answers");
        assert_eq!(response["version"], "1.0");
        let logs = function.finish();
        let startup = logs
            .lines()
            .find(|line| line.contains(expected))
            .unwrap_or_else(|| panic!("{env:?}: no start-up line naming {expected}:\n{logs}"));
        let level = if expected == SKILL_ID { "INFO" } else { "WARN" };
        assert!(startup.contains(level), "{startup}");
    }
}
