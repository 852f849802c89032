//! The offline chain a conversation runs through: the login page on the local S3, Alexa's side
//! of account linking, the Google twin, and the skill binary behind a transport.
//!
//! What is safe to share is started once ([`Infra`]: the local S3, into which every chain
//! publishes its own login page under its own bucket); everything that holds per-user state is
//! started per chain ([`Chain`]: its own Google twin, its own Alexa redirect host and link, its own
//! skill process pointed at that twin). The login page is uploaded with the code production uses
//! (`provision::login_page::publish`) and the skill binary is the one Lambda runs.
//!
//! Alexa's skill-facing APIs and DynamoDB are part of every chain too: [`Infra`] starts moto's
//! DynamoDB once per run, and each chain gets its own state table (created as the stack creates
//! it) behind its own gate, and its own twin of the Progressive Response and settings APIs, which
//! every request names as its `apiEndpoint` with a token of its own ([`SkillApi`]).

use std::{
    fmt::Write as _,
    future::Future,
    io::Write as _,
    path::{Path, PathBuf},
    pin::Pin,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::SystemTime,
};

use anyhow::{Context, bail};
use devstack::{
    alexa::{
        self, AccessTokenScheme, AccountLinking, Link, Simulator,
        conversation::{self, Conversation, SkillModel},
        skill_api::SkillApiTwin,
    },
    alexa_signer::AlexaSigner,
    dynamodb::{DynamoDbGate, LocalDynamoDb},
    google::{self, ClientSecret, Emulator, OAuthClient, TestUser},
    lambda::LambdaFunction,
    s3::{S3Credentials, S3Server},
};
use login_page::{LoginPageConfig, VendorId};
use serde_json::Value;
use url::Url;

pub(crate) const VENDOR_ID: &str = "M2DEMOVENDOR01";
pub(crate) const SKILL_ID: &str = "amzn1.ask.skill.00000000-0000-4000-8000-0000000de770";
pub(crate) const USER_ID: &str = "amzn1.ask.account.DEMOUSER";
/// Prefixes of every token, code and refresh token the Google twin issues, like Google's own, as
/// they are and percent-encoded (as in a logged URL); none may appear in any log.
const SECRET_PREFIXES: &[&str] = &["ya29.a0", "1//0", "4/0A", "1%2F%2F0", "4%2F0A"];

/// How requests reach the skill binary: the seam where an HTTPS endpoint with signed requests
/// (`skill serve`) joins the Lambda Runtime API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Transport {
    /// The unchanged binary behind cargo-lambda's Lambda Runtime API emulator.
    Lambda,
    /// `skill serve` on loopback, every request signed as Alexa signs it by
    /// `devstack::alexa_signer` (a test CA, trusted through the binary's test hooks).
    Serve,
}

impl Transport {
    /// How a transcript names the transport.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Transport::Lambda => "on the Lambda Runtime API",
            Transport::Serve => "on `skill serve`, requests signed as Alexa signs them",
        }
    }
}

/// A running skill that answers Alexa requests.
pub(crate) trait Endpoint: Send + Sync {
    /// Sends one request envelope and returns the response envelope.
    fn invoke(
        &self,
        request: Value,
    ) -> Pin<Box<dyn Future<Output = anyhow::Result<Value>> + Send + '_>>;

    /// Stops the skill and returns everything it (and its host) logged, complete.
    fn finish(self: Box<Self>) -> String;
}

struct LambdaEndpoint(LambdaFunction);

impl Endpoint for LambdaEndpoint {
    fn invoke(
        &self,
        request: Value,
    ) -> Pin<Box<dyn Future<Output = anyhow::Result<Value>> + Send + '_>> {
        Box::pin(async move { Ok(self.0.invoke(request).await?) })
    }

    fn finish(self: Box<Self>) -> String {
        let emulator_logs = self.0.emulator_logs();
        format!("{}\n{emulator_logs}", self.0.finish())
    }
}

/// `skill serve` on 127.0.0.1 with its own test CA; the process, its collected stderr and the
/// signer.
struct ServeEndpoint {
    child: std::process::Child,
    url: String,
    signer: AlexaSigner,
    client: reqwest::Client,
    stderr: std::thread::JoinHandle<String>,
    _scratch: TempDir,
}

impl ServeEndpoint {
    /// Blocks while the binary starts: call it from a blocking thread inside the runtime.
    fn start(binary: &Path, env: &[(&str, &str)]) -> anyhow::Result<ServeEndpoint> {
        use std::io::{BufRead as _, Read as _};
        let signer = tokio::runtime::Handle::current()
            .block_on(AlexaSigner::start())
            .context("starting the Alexa request signer")?;
        let scratch = TempDir::new("serve")?;
        let anchor = scratch.path.join("alexa-test-root.pem");
        signer.write_trust_anchor(&anchor)?;
        let mut child = std::process::Command::new(binary)
            .args(["serve", "--listen", "127.0.0.1:0", "--extra-trust-anchor"])
            .arg(&anchor)
            .args(["--cert-fetch-base", signer.cert_fetch_base().as_str()])
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .with_context(|| format!("starting `{} serve`", binary.display()))?;
        let mut stderr = child.stderr.take().context("stderr is piped")?;
        let stderr = std::thread::spawn(move || {
            let mut logs = String::new();
            let _ = stderr.read_to_string(&mut logs);
            logs
        });
        let mut first_line = String::new();
        std::io::BufReader::new(child.stdout.take().context("stdout is piped")?)
            .read_line(&mut first_line)
            .context("reading the address `skill serve` prints")?;
        let Some(url) = first_line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            let logs = stderr.join().unwrap_or_default();
            bail!("`{} serve` did not start:\n{logs}", binary.display());
        };
        Ok(ServeEndpoint {
            url: url.to_owned(),
            child,
            signer,
            client: reqwest::Client::new(),
            stderr,
            _scratch: scratch,
        })
    }
}

impl Endpoint for ServeEndpoint {
    fn invoke(
        &self,
        request: Value,
    ) -> Pin<Box<dyn Future<Output = anyhow::Result<Value>> + Send + '_>> {
        Box::pin(async move {
            let body = serde_json::to_vec(&request)?;
            let headers = self.signer.sign(&body);
            let mut post = self
                .client
                .post(&self.url)
                .header("Content-Type", "application/json");
            for (name, value) in headers.pairs() {
                post = post.header(name, value);
            }
            let response = post
                .body(body)
                .send()
                .await
                .context("sending a signed request to `skill serve`")?;
            let status = response.status();
            let text = response.text().await?;
            if !status.is_success() {
                bail!("`skill serve` answered {status}: {text}");
            }
            serde_json::from_str(&text)
                .with_context(|| format!("`skill serve` answered something not JSON: {text}"))
        })
    }

    fn finish(mut self: Box<Self>) -> String {
        // SIGTERM, as a container platform stops it: it finishes what is in flight and exits.
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let status = self.child.wait();
        let logs = self.stderr.join().unwrap_or_default();
        match status {
            Ok(status) if status.success() => logs,
            Ok(status) => format!("{logs}\n`skill serve` exited with {status} after SIGTERM"),
            Err(error) => format!("{logs}\ncould not wait for `skill serve`: {error}"),
        }
    }
}

/// Starts `binary` behind `transport` with `env`. Blocks while the host starts (a second or so):
/// call it from a blocking thread.
fn start_endpoint(
    transport: Transport,
    binary: &Path,
    env: &[(&str, &str)],
) -> anyhow::Result<Box<dyn Endpoint>> {
    match transport {
        Transport::Lambda => {
            let function = LambdaFunction::start(binary, env).context(
                "starting the skill on the Lambda Runtime API (run `cargo xtask setup`?)",
            )?;
            Ok(Box::new(LambdaEndpoint(function)))
        }
        Transport::Serve => Ok(Box::new(ServeEndpoint::start(binary, env)?)),
    }
}

/// What every chain may share: the local S3 the login pages are published to, and moto's
/// DynamoDB, which holds a state table per chain.
pub(crate) struct Infra {
    s3: S3Server,
    s3_client: aws_sdk_s3::Client,
    buckets_made: AtomicUsize,
    dynamodb: Arc<LocalDynamoDb>,
    tables_made: AtomicUsize,
    _scratch: TempDir,
}

impl Infra {
    pub(crate) async fn start() -> anyhow::Result<Infra> {
        progress("starting the local S3 for the login pages and moto's DynamoDB");
        // moto takes a second or two to import; it starts while the S3 does.
        let dynamodb = tokio::spawn(LocalDynamoDb::start_server(STATE_TABLE));
        let scratch = TempDir::new("chain")?;
        let credentials = S3Credentials::default();
        let s3 = S3Server::start(scratch.path.join("s3"), credentials.clone())
            .await
            .context("starting the local S3")?;
        let s3_client = provision::s3::client(
            devstack::s3::DEFAULT_REGION,
            Some(&s3.endpoint_url()),
            Some(provision::s3::StaticCredentials::new(
                credentials.access_key_id(),
                provision::s3::SecretAccessKey::new(
                    credentials.secret_access_key().secret().to_owned(),
                ),
            )),
        )
        .await;
        let dynamodb = dynamodb
            .await
            .context("the task starting moto panicked")?
            .map_err(|problem| anyhow::anyhow!("starting moto's DynamoDB: {problem}"))
            .context("run `cargo xtask setup` if moto_server is missing")?;
        Ok(Infra {
            s3,
            s3_client,
            buckets_made: AtomicUsize::new(0),
            dynamodb: Arc::new(dynamodb),
            tables_made: AtomicUsize::new(0),
            _scratch: scratch,
        })
    }

    /// A state table no other chain of this run uses, created as the stack creates it.
    async fn new_state_table(&self) -> anyhow::Result<String> {
        let number = self.tables_made.fetch_add(1, Ordering::Relaxed) + 1;
        let table = format!("{STATE_TABLE}-{number}");
        self.dynamodb
            .create_table(&table)
            .await
            .map_err(|problem| anyhow::anyhow!("creating the state table {table}: {problem}"))?;
        Ok(table)
    }

    /// A bucket name no other chain of this run uses.
    fn new_bucket(&self) -> String {
        let number = self.buckets_made.fetch_add(1, Ordering::Relaxed) + 1;
        format!("login-page-{number}")
    }
}

/// What a chain is started with.
pub(crate) struct ChainOptions {
    /// The skill binary and how to reach it.
    pub(crate) binary: PathBuf,
    pub(crate) transport: Transport,
    /// The scopes Alexa's account-linking configuration asks for.
    pub(crate) scopes: Vec<String>,
    /// Approve at the Google twin at once as this user; `None` shows the consent page.
    pub(crate) auto_consent: Option<String>,
    /// The twin's Google accounts with their data.
    pub(crate) users: Vec<TestUser>,
}

/// The name the stack's state table has offline (each chain adds a number).
const STATE_TABLE: &str = "skill-state";

/// The user's item in this chain's state table, and the gate the skill reaches it through.
pub(crate) struct StateStore {
    dynamodb: Arc<LocalDynamoDb>,
    pub(crate) table: String,
    pub(crate) gate: DynamoDbGate,
}

impl StateStore {
    /// The item of [`USER_ID`] in DynamoDB's JSON; `None` when there is none.
    pub(crate) async fn item(&self) -> anyhow::Result<Option<Value>> {
        self.dynamodb
            .get_item(&self.table, USER_ID)
            .await
            .map_err(|problem| anyhow::anyhow!("reading the user's item from moto: {problem}"))
    }

    /// Replaces the item of [`USER_ID`] with `item` (DynamoDB's JSON, without `id`).
    pub(crate) async fn put(&self, mut item: Value) -> anyhow::Result<()> {
        item["id"] = serde_json::json!({"S": USER_ID});
        self.dynamodb
            .put_item_in(&self.table, &item)
            .await
            .map_err(|problem| anyhow::anyhow!("seeding the user's item in moto: {problem}"))
    }
}

/// Alexa's skill-facing APIs for one chain: every request is sent with this twin as its
/// `apiEndpoint` and a token of its own, and closed when the answer is back.
struct SkillApi {
    twin: Arc<SkillApiTwin>,
    inner: Box<dyn Endpoint>,
}

impl Endpoint for SkillApi {
    fn invoke(
        &self,
        mut request: Value,
    ) -> Pin<Box<dyn Future<Output = anyhow::Result<Value>> + Send + '_>> {
        Box::pin(async move {
            let request_id = self.twin.prepare(&mut request);
            let answer = self.inner.invoke(request).await;
            // Alexa plays nothing the skill sends after its answer.
            self.twin.close_request(&request_id);
            answer
        })
    }

    fn finish(self: Box<Self>) -> String {
        self.inner.finish()
    }
}

/// Every twin of one conversation, running on 127.0.0.1.
pub(crate) struct Chain {
    pub(crate) google: Emulator,
    /// Alexa's Progressive Response and settings APIs.
    pub(crate) skill_api: Arc<SkillApiTwin>,
    /// The user's stored state.
    pub(crate) state: StateStore,
    pub(crate) simulator: Simulator,
    pub(crate) account_linking: AccountLinking,
    pub(crate) endpoint: Box<dyn Endpoint>,
    pub(crate) client_secret: alexa::ClientSecret,
}

impl Chain {
    /// Starts the Google twin and Alexa's redirect host, publishes the login page for them to
    /// the shared S3 and starts the skill pointed at this twin.
    pub(crate) async fn start(infra: &Infra, options: ChainOptions) -> anyhow::Result<Chain> {
        let simulator = Simulator::start(VENDOR_ID)
            .await
            .context("starting the Alexa simulator")?;

        // A fresh secret each chain, so the log scan looks for a value that could really leak.
        let client_secret = format!("chain-secret-{}", random_suffix());
        let google_config = google::Config {
            clients: vec![OAuthClient {
                client_id: google::DEFAULT_CLIENT_ID.to_owned(),
                client_secret: ClientSecret::new(client_secret.clone()),
                redirect_uris: vec![simulator.redirect_uri().to_string()],
            }],
            users: options.users,
            auto_consent: options.auto_consent,
            ..google::Config::default()
        };
        let google = Emulator::start(google_config)
            .await
            .context("starting the Google twin")?;
        let google_root = Url::parse(&google.base_url())?;

        let page_config = LoginPageConfig::new(
            google_root.join("o/oauth2/v2/auth")?,
            vec![simulator.origin().clone()],
            Some(VendorId::new(VENDOR_ID)?),
            login_page::OAuthClient::new(
                google::DEFAULT_CLIENT_ID,
                options.scopes.iter().cloned(),
            )?,
        )
        .context("configuring the login page")?;
        let html = login_page::render(&page_config);
        let page = provision::login_page::publish(
            &infra.s3_client,
            &infra.new_bucket(),
            login_page::OBJECT_KEY,
            &html,
        )
        .await
        .context("uploading the login page to the local S3")?;
        // The page's URL must be the local S3's; a mismatch would mean linking runs elsewhere.
        if !page.url.as_str().starts_with(&infra.s3.endpoint_url()) {
            bail!(
                "the login page was published to {}, not the local S3",
                page.url
            );
        }

        let account_linking = AccountLinking {
            authorization_url: page.url.clone(),
            client_id: google::DEFAULT_CLIENT_ID.to_owned(),
            client_secret: alexa::ClientSecret::new(client_secret.clone()),
            scopes: options.scopes,
            access_token_url: google_root.join("token")?,
            scheme: AccessTokenScheme::HttpBasic,
            default_token_expiration: None,
        };

        let skill_api = Arc::new(
            SkillApiTwin::start()
                .await
                .context("starting the twin of Alexa's skill APIs")?,
        );
        let table = infra.new_state_table().await?;
        let gate = infra
            .dynamodb
            .gate()
            .await
            .context("starting the DynamoDB gate")?;
        let mut environment: Vec<(&'static str, String)> = vec![
            ("GOOGLE_API_ROOT", google.base_url()),
            ("SKILL_ID", SKILL_ID.to_owned()),
            ("RUST_LOG", "info".to_owned()),
        ];
        environment.extend(devstack::dynamodb::environment(
            &table,
            &gate.endpoint_url(),
        ));
        let binary = options.binary;
        let transport = options.transport;
        let endpoint = tokio::task::spawn_blocking(move || {
            let environment: Vec<(&str, &str)> = environment
                .iter()
                .map(|(name, value)| (*name, value.as_str()))
                .collect();
            start_endpoint(transport, &binary, &environment)
        })
        .await
        .context("the thread starting the skill panicked")??;
        let endpoint = Box::new(SkillApi {
            twin: Arc::clone(&skill_api),
            inner: endpoint,
        });
        Ok(Chain {
            google,
            skill_api,
            state: StateStore {
                dynamodb: Arc::clone(&infra.dynamodb),
                table,
                gate,
            },
            simulator,
            account_linking,
            endpoint,
            client_secret: alexa::ClientSecret::new(client_secret),
        })
    }

    /// Links through the login page in headless Chromium, as the Alexa app's browser would.
    pub(crate) async fn link_in_chromium(&self) -> anyhow::Result<Link> {
        self.simulator
            .link(&self.account_linking, &alexa::ChromiumBrowser::new())
            .await
            .context("linking through the login page in headless Chromium")
    }

    /// Stops the skill and returns everything it logged, complete to the last line.
    pub(crate) fn finish(self) -> String {
        self.endpoint.finish()
    }
}

/// Alexa's side of a conversation with the chain's skill (`devstack::alexa::conversation`), as
/// this chain's Alexa user and skill ID.
pub(crate) fn conversation(chain: &Arc<Chain>, model: SkillModel) -> Conversation {
    let chain = Arc::clone(chain);
    let skill = conversation::skill_fn(move |request| {
        let chain = Arc::clone(&chain);
        async move {
            chain
                .endpoint
                .invoke(request)
                .await
                .map_err(conversation::BoxError::from)
        }
    });
    Conversation::new(skill, model)
        .with_skill_id(SKILL_ID)
        .with_user_id(USER_ID)
}

/// "  Alexa  "…"" plus the card, directives and whether the session stays open.
pub(crate) fn describe(response: &Value) -> String {
    let mut text = format!("  Alexa  \"{}\"", speech(response));
    if let Some(card) = response["response"]["card"]["type"].as_str() {
        let _ = write!(text, "\n         [{card} card in the Alexa app]");
    }
    for directive in response["response"]["directives"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let _ = write!(
            text,
            "\n         [{}]",
            directive["type"].as_str().unwrap_or("directive")
        );
    }
    if response["response"]["shouldEndSession"] == Value::Bool(false) {
        text.push_str("\n         (listening)");
    }
    text
}

/// The output speech as plain text: the text of PlainText, the markup of SSML.
pub(crate) fn speech(response: &Value) -> &str {
    conversation::output_speech_text(&response["response"]["outputSpeech"])
}

/// Every secret value a run saw: access and refresh tokens, and the OAuth client secrets.
#[derive(Debug, Default, Clone)]
pub(crate) struct SeenSecrets {
    values: Vec<String>,
}

impl SeenSecrets {
    pub(crate) fn note_link(&mut self, link: &Link) {
        let tokens = [
            link.access_token().map(|token| token.secret()),
            link.refresh_token().map(|token| token.secret()),
        ];
        self.values
            .extend(tokens.into_iter().flatten().map(str::to_owned));
    }

    pub(crate) fn note(&mut self, secret: &str) {
        self.values.push(secret.to_owned());
    }

    pub(crate) fn extend(&mut self, other: SeenSecrets) {
        self.values.extend(other.values);
    }
}

/// Fails on the first log line that carries a Google token, a code, or any secret seen.
pub(crate) fn scan_for_secrets(logs: &str, seen: &SeenSecrets) -> anyhow::Result<()> {
    for (number, line) in logs.lines().enumerate() {
        let leaked = SECRET_PREFIXES.iter().find(|prefix| line.contains(*prefix));
        if let Some(prefix) = leaked {
            bail!(
                "log line {} carries a Google token or code (`{prefix}…`)",
                number + 1
            );
        }
        if seen
            .values
            .iter()
            .any(|secret| line.contains(secret.as_str()))
        {
            bail!(
                "log line {} carries a token or the OAuth client secret",
                number + 1
            );
        }
    }
    Ok(())
}

pub(crate) fn build_skill(root: &Path, package: &str, binary: &str) -> anyhow::Result<PathBuf> {
    progress(&format!(
        "building the skill (cargo build -p {package} --bin {binary})"
    ));
    crate::cargo_build::build_binary(root, package, binary, crate::cargo_build::Profile::Dev)
}

pub(crate) fn progress(message: &str) {
    eprintln!("· {message}");
    let _ = std::io::stderr().flush();
}

fn random_suffix() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{:x}{:x}{count:x}", nanos.as_nanos(), std::process::id())
}

/// A temporary directory removed on drop.
pub(crate) struct TempDir {
    pub(crate) path: PathBuf,
}

impl TempDir {
    pub(crate) fn new(name: &str) -> anyhow::Result<TempDir> {
        let path = std::env::temp_dir().join(format!("xtask-{name}-{}", random_suffix()));
        std::fs::create_dir_all(&path)
            .with_context(|| format!("could not create {}", path.display()))?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The twins' own tracing output, kept for the secret scan (and shown with `RUST_LOG`).
#[derive(Clone, Default)]
pub(crate) struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    /// The process's one buffer, emptied: the global subscriber is installed by the first call,
    /// so a process may run the chain more than once (`cargo xtask ci` runs the dialogs twice).
    pub(crate) fn install() -> LogBuffer {
        static BUFFER: std::sync::OnceLock<LogBuffer> = std::sync::OnceLock::new();
        let buffer = BUFFER.get_or_init(|| {
            let buffer = LogBuffer::default();
            let writer = buffer.clone();
            let filter = tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
            tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .init();
            buffer
        });
        buffer.0.lock().expect("log buffer lock").clear();
        buffer.clone()
    }

    pub(crate) fn contents(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer lock")).into_owned()
    }
}

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("log buffer lock")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::LogBuffer;

    #[test]
    fn the_log_buffer_can_be_installed_again_and_starts_empty_each_time() {
        let first = LogBuffer::install();
        tracing::info!("first run");
        assert!(
            first.contents().contains("first run"),
            "{}",
            first.contents()
        );
        let second = LogBuffer::install();
        assert!(
            !second.contents().contains("first run"),
            "{}",
            second.contents()
        );
        tracing::info!("second run");
        assert!(
            second.contents().contains("second run"),
            "{}",
            second.contents()
        );
    }
}
