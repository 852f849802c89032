//! Runs an unchanged Lambda function binary behind a local Lambda Runtime API and invokes it.
//!
//! The Runtime API is cargo-lambda's own emulator (PyPI `cargo-lambda` 1.9.2, pinned in
//! `xtask/src/setup.rs` and installed into `target/venv`), started as
//! `cargo lambda watch --only-lambda-apis`. We use it rather than writing our own because it is
//! the implementation Rust Lambda developers already run locally, so the skill binary is tested
//! against someone else's reading of the protocol (request ids, `Lambda-Runtime-*` headers,
//! deadlines, `/response` and `/error`), not ours. Measured on this machine: with
//! `--only-lambda-apis` it never runs `cargo build` and never needs Zig; it only runs
//! `cargo metadata` once at start-up, which is why each instance gets a throwaway one-package
//! manifest in a temporary directory.
//!
//! Two quirks shape the code below. The emulator cannot pick a free port itself (`--invoke-port 0`
//! means its default 9000), so we find one and retry on a collision. And with
//! `--only-lambda-apis` the Runtime API at `/.rt` serves the function named `_`, so invocations go
//! to `/2015-03-31/functions/_/invocations` whatever `AWS_LAMBDA_FUNCTION_NAME` the binary sees.
//! The protocol and these observations are written down in `docs/aws.md`, "The Lambda Runtime
//! API".

use std::{
    fmt,
    io::{self, BufRead as _, BufReader, Read},
    net::{Ipv4Addr, TcpListener},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
        mpsc,
    },
    thread,
    time::Duration,
};

/// Environment variable that overrides where the `cargo-lambda` executable is found.
pub const CARGO_LAMBDA_ENV: &str = "DEVSTACK_CARGO_LAMBDA";

/// The function name cargo-lambda's `--only-lambda-apis` Runtime API serves under `/.rt`.
const EMULATOR_FUNCTION_NAME: &str = "_";
/// How long cargo-lambda may take to print that its Runtime API listens.
const EMULATOR_START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one invocation may take, end to end. Alexa itself gives a skill 8 seconds; this is
/// longer so a slow debug build on a busy two-core machine fails with the function's own error.
const INVOKE_TIMEOUT: Duration = Duration::from_secs(60);

/// How long an invocation keeps retrying a refused connection.
const CONNECT_RETRY_WINDOW: Duration = Duration::from_secs(5);
/// Attempts at finding a port nobody else grabs between our probe and cargo-lambda's bind.
const PORT_ATTEMPTS: usize = 5;

/// A Lambda function binary running behind cargo-lambda's Runtime API on 127.0.0.1.
///
/// Both child processes are killed when this is dropped.
pub struct LambdaFunction {
    invoke_url: String,
    http: reqwest::Client,
    function: Mutex<Child>,
    emulator: Child,
    function_logs: Arc<Mutex<String>>,
    /// The threads copying the function's stdout and stderr; joined by [`LambdaFunction::finish`].
    function_log_readers: Vec<thread::JoinHandle<()>>,
    emulator_logs: Arc<Mutex<String>>,
    scratch_directory: PathBuf,
}

/// Why an invocation produced no result.
#[derive(Debug, thiserror::Error)]
pub enum InvokeError {
    /// The function ran and reported an error through the Runtime API's `/error`.
    #[error("the function failed with {error_type}: {error_message}")]
    Function {
        error_type: String,
        error_message: String,
    },
    /// The function process is gone; its logs say why.
    #[error("the function process exited ({status}); read LambdaFunction::logs for the cause")]
    Exited { status: String },
    /// The emulator answered something that is neither a result nor a function error.
    #[error("the Lambda emulator answered HTTP {status}: {body}")]
    Emulator { status: u16, body: String },
    /// The invocation request itself failed (connection refused, timeout).
    #[error("could not invoke the function through the Lambda emulator: {}", error_chain(.0))]
    Transport(#[from] reqwest::Error),
}

impl LambdaFunction {
    /// Starts cargo-lambda's Runtime API and then `binary` with the environment Lambda gives a
    /// `provided.al2023` function, plus `env` (which may override those defaults).
    ///
    /// cargo-lambda is found through [`CARGO_LAMBDA_ENV`] or in the workspace's `target/venv`
    /// (created by `cargo xtask setup`).
    ///
    /// Blocks the calling thread until cargo-lambda listens (well under a second here, at most
    /// 30 s); it does not wait for the function's first poll, which the emulator queues for.
    pub fn start(binary: &Path, env: &[(&str, &str)]) -> io::Result<LambdaFunction> {
        check_binary(binary)?;
        Self::start_with_emulator(&cargo_lambda_path()?, binary, env)
    }

    /// Like [`LambdaFunction::start`] with an explicit `cargo-lambda` executable.
    pub fn start_with_emulator(
        cargo_lambda: &Path,
        binary: &Path,
        env: &[(&str, &str)],
    ) -> io::Result<LambdaFunction> {
        check_binary(binary)?;
        let scratch_directory = create_scratch_manifest()?;
        let emulator_logs = Arc::new(Mutex::new(String::new()));
        let mut last_failure = None;
        for _ in 0..PORT_ATTEMPTS {
            let port = free_port()?;
            match start_emulator(cargo_lambda, &scratch_directory, port, &emulator_logs) {
                Ok(emulator) => {
                    return Self::start_function(
                        binary,
                        env,
                        port,
                        emulator,
                        emulator_logs,
                        scratch_directory,
                    );
                }
                Err(error) => last_failure = Some(error),
            }
        }
        let _ = std::fs::remove_dir_all(&scratch_directory);
        Err(last_failure.unwrap_or_else(|| io::Error::other("no attempt to start cargo-lambda")))
    }

    fn start_function(
        binary: &Path,
        env: &[(&str, &str)],
        port: u16,
        emulator: Child,
        emulator_logs: Arc<Mutex<String>>,
        scratch_directory: PathBuf,
    ) -> io::Result<LambdaFunction> {
        let function_name = binary
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or("function");
        let runtime_api = format!("http://127.0.0.1:{port}/.rt");
        let http = reqwest::Client::builder()
            .timeout(INVOKE_TIMEOUT)
            .build()
            .map_err(io::Error::other)?;
        let mut command = Command::new(binary);
        command
            .env("AWS_LAMBDA_RUNTIME_API", &runtime_api)
            .env("AWS_LAMBDA_FUNCTION_NAME", function_name)
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_REGION", "us-east-1")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Wrap the emulator first so an early return below still kills it (Drop).
        let mut partial = PartialStart {
            emulator: Some(emulator),
            scratch_directory: Some(scratch_directory),
        };
        let mut function = command.spawn().map_err(|error| {
            io::Error::new(
                error.kind(),
                format!("could not start {}: {error}", binary.display()),
            )
        })?;
        let function_logs = Arc::new(Mutex::new(String::new()));
        let function_log_readers = [
            capture_lines(function.stdout.take(), &function_logs, None),
            capture_lines(function.stderr.take(), &function_logs, None),
        ]
        .into_iter()
        .flatten()
        .collect();
        let (emulator, scratch_directory) = partial.take();
        Ok(LambdaFunction {
            invoke_url: format!(
                "http://127.0.0.1:{port}/2015-03-31/functions/{EMULATOR_FUNCTION_NAME}/invocations"
            ),
            http,
            function: Mutex::new(function),
            emulator,
            function_logs,
            function_log_readers,
            emulator_logs,
            scratch_directory,
        })
    }

    /// POSTs the invocation. A refused connection never reached the emulator, so it is retried
    /// for a short while (a busy machine can be slow to start accepting); anything else is not.
    async fn send_invocation(
        &self,
        event: &serde_json::Value,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let give_up = tokio::time::Instant::now() + CONNECT_RETRY_WINDOW;
        loop {
            match self.http.post(&self.invoke_url).json(event).send().await {
                Err(error) if error.is_connect() && tokio::time::Instant::now() < give_up => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                result => return result,
            }
        }
    }

    /// Invokes the function once with `event`, as the Lambda Invoke API does, and returns its
    /// result, or [`InvokeError::Function`] when it answered through `/error`.
    pub async fn invoke(&self, event: serde_json::Value) -> Result<serde_json::Value, InvokeError> {
        self.check_function_alive()?;
        // A function that dies (a panic, a bad configuration at start-up) never answers, and the
        // emulator would wait for it until the timeout; watching the process ends that early.
        let response = tokio::select! {
            response = self.send_invocation(&event) => response?,
            exited = self.wait_for_exit() => return Err(exited),
        };
        let status = response.status();
        // Real Lambda flags a function error with this header on a 200; cargo-lambda answers 500
        // with the same `{errorType, errorMessage}` body. Accept both.
        let flagged_error = response.headers().contains_key("x-amz-function-error");
        let body = response.text().await?;
        if status.is_success() && !flagged_error {
            return serde_json::from_str(&body).map_err(|_| InvokeError::Emulator {
                status: status.as_u16(),
                body: format!("the result is not JSON: {body}"),
            });
        }
        if let Ok(function_error) = serde_json::from_str::<FunctionErrorBody>(&body) {
            return Err(InvokeError::Function {
                error_type: function_error.error_type,
                error_message: function_error.error_message,
            });
        }
        self.check_function_alive()?;
        Err(InvokeError::Emulator {
            status: status.as_u16(),
            body,
        })
    }

    /// Everything the function printed to stdout and stderr so far, in arrival order per stream.
    ///
    /// Lines are copied by background threads, so the last line or two printed just before an
    /// invocation returned may not be here yet. To scan for secrets, use
    /// [`LambdaFunction::finish`], which waits for every line.
    pub fn logs(&self) -> String {
        lock(&self.function_logs).clone()
    }

    /// Stops the function and returns everything it printed, complete: the process is killed and
    /// both output streams are read to their end.
    pub fn finish(mut self) -> String {
        kill(
            self.function
                .get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        for reader in self.function_log_readers.drain(..) {
            let _ = reader.join();
        }
        self.logs()
    }

    /// Everything cargo-lambda printed so far, for diagnosing the emulator itself.
    pub fn emulator_logs(&self) -> String {
        lock(&self.emulator_logs).clone()
    }

    /// The `AWS_LAMBDA_RUNTIME_API`-style base URL of the Runtime API the function polls.
    pub fn runtime_api_url(&self) -> String {
        self.invoke_url
            .split("/2015-03-31/")
            .next()
            .map(|base| format!("{base}/.rt"))
            .unwrap_or_default()
    }

    async fn wait_for_exit(&self) -> InvokeError {
        loop {
            if let Err(exited) = self.check_function_alive() {
                return exited;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn check_function_alive(&self) -> Result<(), InvokeError> {
        let mut function = lock(&self.function);
        match function.try_wait() {
            Ok(Some(status)) => Err(InvokeError::Exited {
                status: status.to_string(),
            }),
            Ok(None) => Ok(()),
            Err(error) => Err(InvokeError::Exited {
                status: format!("unknown: {error}"),
            }),
        }
    }
}

impl fmt::Debug for LambdaFunction {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("LambdaFunction")
            .field("invoke_url", &self.invoke_url)
            .finish_non_exhaustive()
    }
}

impl Drop for LambdaFunction {
    fn drop(&mut self) {
        let function = self
            .function
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        kill(function);
        kill(&mut self.emulator);
        let _ = std::fs::remove_dir_all(&self.scratch_directory);
    }
}

/// The body of a function error, from the Runtime API's `/error` (and Lambda's Invoke API).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct FunctionErrorBody {
    error_type: String,
    error_message: String,
}

/// Kills the emulator and removes the scratch directory if starting the function fails halfway.
struct PartialStart {
    emulator: Option<Child>,
    scratch_directory: Option<PathBuf>,
}

impl PartialStart {
    fn take(&mut self) -> (Child, PathBuf) {
        match (self.emulator.take(), self.scratch_directory.take()) {
            (Some(emulator), Some(directory)) => (emulator, directory),
            _ => unreachable!("PartialStart::take is called once"),
        }
    }
}

impl Drop for PartialStart {
    fn drop(&mut self) {
        if let Some(emulator) = &mut self.emulator {
            kill(emulator);
        }
        if let Some(directory) = &self.scratch_directory {
            let _ = std::fs::remove_dir_all(directory);
        }
    }
}

fn check_binary(binary: &Path) -> io::Result<()> {
    if binary.is_file() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "the function binary {} does not exist: build it first",
                binary.display()
            ),
        ))
    }
}

fn cargo_lambda_path() -> io::Result<PathBuf> {
    if let Some(path) = std::env::var_os(CARGO_LAMBDA_ENV) {
        return Ok(PathBuf::from(path));
    }
    let path = crate::venv::venv_dir()
        .map_err(|message| io::Error::new(io::ErrorKind::NotFound, message))?
        .join("bin/cargo-lambda");
    if path.is_file() {
        Ok(path)
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "cargo-lambda is not installed at {}: run `cargo xtask setup`, or set \
                 {CARGO_LAMBDA_ENV} to a cargo-lambda executable",
                path.display()
            ),
        ))
    }
}

/// cargo-lambda runs `cargo metadata` at start-up and refuses a project without a binary
/// package; this one-file package satisfies it without touching the real workspace (and its
/// Cargo lock, which other builds hold).
fn create_scratch_manifest() -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let directory = std::env::temp_dir().join(format!(
        "devstack-lambda-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(directory.join("src"))?;
    std::fs::write(
        directory.join("Cargo.toml"),
        "[package]\nname = \"function\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )?;
    std::fs::write(directory.join("src/main.rs"), "fn main() {}\n")?;
    Ok(directory)
}

/// A port that was free a moment ago. Another process may take it before cargo-lambda binds it;
/// the caller retries when the emulator fails to start.
fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// Polls until something accepts TCP connections on 127.0.0.1:`port`, or `deadline` passes.
fn wait_until_accepting(port: u16, deadline: std::time::Instant) -> io::Result<()> {
    let address = std::net::SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    loop {
        match std::net::TcpStream::connect_timeout(&address, Duration::from_millis(200)) {
            Ok(_) => return Ok(()),
            Err(error) if std::time::Instant::now() >= deadline => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("cargo-lambda announced port {port} but never accepted on it: {error}"),
                ));
            }
            Err(_) => thread::sleep(Duration::from_millis(20)),
        }
    }
}

fn start_emulator(
    cargo_lambda: &Path,
    scratch_directory: &Path,
    port: u16,
    logs: &Arc<Mutex<String>>,
) -> io::Result<Child> {
    let port_argument = port.to_string();
    let mut emulator = Command::new(cargo_lambda)
        .args([
            "lambda",
            "watch",
            "--only-lambda-apis",
            "--invoke-address",
            "127.0.0.1",
            "--invoke-port",
            &port_argument,
            "--color",
            "never",
        ])
        .current_dir(scratch_directory)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| {
            io::Error::new(
                error.kind(),
                format!("could not run {}: {error}", cargo_lambda.display()),
            )
        })?;
    let (ready_sender, ready_receiver) = mpsc::channel();
    capture_lines(emulator.stdout.take(), logs, Some(ready_sender.clone()));
    capture_lines(emulator.stderr.take(), logs, Some(ready_sender));
    let ready_line = format!("starting Runtime server runtime_addr=127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + EMULATOR_START_TIMEOUT;
    loop {
        let remaining = deadline.saturating_duration_since(std::time::Instant::now());
        match ready_receiver.recv_timeout(remaining) {
            // The line is printed as the server starts, not once it accepts: wait for that too,
            // or the first invocation can race the listener.
            Ok(line) if line.contains(&ready_line) => {
                return match wait_until_accepting(port, deadline) {
                    Ok(()) => Ok(emulator),
                    Err(error) => {
                        kill(&mut emulator);
                        Err(error)
                    }
                };
            }
            Ok(_) => continue,
            // Both streams closed: the emulator exited (most likely the port was taken).
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                kill(&mut emulator);
                return Err(io::Error::other(format!(
                    "cargo-lambda exited before listening on port {port}: {}",
                    lock(logs)
                )));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                kill(&mut emulator);
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "cargo-lambda did not listen on port {port} within \
                         {EMULATOR_START_TIMEOUT:?}: {}",
                        lock(logs)
                    ),
                ));
            }
        }
    }
}

/// Copies `stream` line by line into `logs` on a background thread, forwarding each line to
/// `lines` while anyone listens.
fn capture_lines(
    stream: Option<impl Read + Send + 'static>,
    logs: &Arc<Mutex<String>>,
    lines: Option<mpsc::Sender<String>>,
) -> Option<thread::JoinHandle<()>> {
    let stream = stream?;
    let logs = Arc::clone(logs);
    Some(thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    lock(&logs).push_str(&line);
                    if let Some(sender) = &lines {
                        let _ = sender.send(line.clone());
                    }
                }
            }
        }
    }))
}

fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `error: cause: cause…`, since reqwest's own message leaves out why sending failed.
fn error_chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}
