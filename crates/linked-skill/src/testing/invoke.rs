//! A skill's real binary run on one request, as `BINARY invoke -` (the mode [`run`](crate::run)
//! gives every skill), for integration tests against a Google twin.
//!
//! It lives in the toolkit because it drives the toolkit's own command line (`invoke -`,
//! `GOOGLE_API_ROOT`, logs on stderr): the twins do not know our binaries.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use super::{OFFLINE_API_ENDPOINT, TestResponse};

/// A skill binary to run with `invoke -`:
///
/// ```no_run
/// use linked_skill::testing::{LINKED_TOKEN, SkillBinary, TestRequest};
///
/// # async fn example(gmail_skill: &str, google_base_url: &str) {
/// // In gmail-skill's integration tests `gmail_skill` is `env!("CARGO_BIN_EXE_gmail-skill")`.
/// let skill = SkillBinary::new(gmail_skill).google_api_root(google_base_url);
/// let response = skill
///     .invoke(TestRequest::intent("UnreadCountIntent").linked(LINKED_TOKEN))
///     .await;
/// assert_eq!(response.speech(), "You have 2 unread emails in your inbox.");
/// # }
/// ```
///
/// It runs without `SKILL_ID` (so any skill ID is accepted) and, unless told otherwise, with
/// `GOOGLE_API_ROOT` at a loopback port nothing listens on, so that a stray Google call fails
/// at once instead of reaching Google.
#[derive(Debug, Clone)]
pub struct SkillBinary {
    path: PathBuf,
    set: Vec<(OsString, OsString)>,
    removed: Vec<OsString>,
}

impl SkillBinary {
    /// The binary at `path`: in a skill's integration tests, `env!("CARGO_BIN_EXE_<name>")`.
    pub fn new(path: impl Into<PathBuf>) -> SkillBinary {
        SkillBinary {
            path: path.into(),
            set: vec![("GOOGLE_API_ROOT".into(), OFFLINE_API_ENDPOINT.into())],
            removed: vec!["SKILL_ID".into()],
        }
    }

    /// Sends every Google call to `base_url` (a twin's), through `GOOGLE_API_ROOT`.
    pub fn google_api_root(self, base_url: &str) -> SkillBinary {
        self.env("GOOGLE_API_ROOT", base_url)
    }

    /// Sets the environment variable `name` for the binary.
    pub fn env(mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> SkillBinary {
        let name = name.into();
        self.removed.retain(|removed| *removed != name);
        self.set.retain(|(set, _)| *set != name);
        self.set.push((name, value.into()));
        self
    }

    /// Runs the binary without the environment variable `name`, whatever the test's own
    /// environment holds.
    pub fn env_remove(mut self, name: impl Into<OsString>) -> SkillBinary {
        let name = name.into();
        self.set.retain(|(set, _)| *set != name);
        self.removed.push(name);
        self
    }

    /// The binary's answer to `request`, judged the way every test needs: the binary exits with
    /// success, prints a response, and its logs never hold the request's access token. Panics
    /// with the logs otherwise. Runs on a blocking thread, so a twin on the test's runtime
    /// keeps serving meanwhile.
    pub async fn invoke(&self, request: impl Into<Value>) -> TestResponse {
        let binary = self.clone();
        let request = request.into();
        tokio::task::spawn_blocking(move || binary.invoke_blocking(request))
            .await
            .unwrap_or_else(|error| match error.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(error) => panic!("the invoke thread was cancelled: {error}"),
            })
    }

    /// [`SkillBinary::invoke`] for a test without an async runtime.
    pub fn invoke_blocking(&self, request: impl Into<Value>) -> TestResponse {
        let request = request.into();
        let output = self.output(request.to_string().as_bytes());
        let name = self.path.display();
        let logs = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "`{name} invoke -` failed ({}):\n{logs}",
            output.status
        );
        for pointer in [
            "/context/System/user/accessToken",
            "/request/body/accessToken",
        ] {
            if let Some(token) = request.pointer(pointer).and_then(Value::as_str) {
                assert!(
                    !logs.contains(token),
                    "`{name} invoke -` logged the access token:\n{logs}"
                );
            }
        }
        let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!(
                "`{name} invoke -` printed no JSON ({error}):\n{}\nlogs:\n{logs}",
                String::from_utf8_lossy(&output.stdout)
            )
        });
        TestResponse::new(json)
    }

    /// Runs `BINARY invoke -` with `stdin` as its input and returns what it did, whatever it
    /// did: for tests of how the binary fails.
    pub fn output(&self, stdin: &[u8]) -> Output {
        let mut command = Command::new(&self.path);
        command.args(["invoke", "-"]);
        for name in &self.removed {
            command.env_remove(name);
        }
        for (name, value) in &self.set {
            command.env(name, value);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", self.path.display()));
        let mut input = child.stdin.take().expect("stdin is piped");
        // A binary that exits before reading all of it is judged by its output, not here.
        let _ = input.write_all(stdin);
        drop(input);
        child
            .wait_with_output()
            .unwrap_or_else(|error| panic!("{} did not finish: {error}", self.path.display()))
    }
}
