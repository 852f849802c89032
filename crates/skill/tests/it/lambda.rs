//! The real binary as Lambda runs it: behind cargo-lambda's Runtime API, with logs at their most
//! verbose, no token reaches a log line.

use devstack::lambda::LambdaFunction;

use crate::support::{LINKED_TOKEN, request};

#[tokio::test(flavor = "multi_thread")]
async fn even_trace_logs_carry_no_token() {
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_skill"));
    // lambda_runtime logs every raw event at trace level; the skill must hold it back.
    let function = LambdaFunction::start(
        binary,
        &[
            ("RUST_LOG", "trace"),
            ("GOOGLE_API_ROOT", "http://127.0.0.1:9"),
        ],
    )
    .expect("the skill starts behind the Lambda Runtime API (run `cargo xtask setup`?)");
    for name in ["help", "account-linked"] {
        let response = function
            .invoke(request(name))
            .await
            .expect("the skill answers");
        assert_eq!(response["version"], "1.0");
    }
    let logs = function.finish();
    assert!(logs.contains("TRACE"), "trace logging was not on:\n{logs}");
    assert!(logs.contains("account linked"), "{logs}");
    assert!(
        !logs.contains(LINKED_TOKEN),
        "a token reached the logs:\n{logs}"
    );
}
