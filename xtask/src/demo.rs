//! `cargo xtask demo`: the whole account-linking chain on this machine, with no cloud account.
//!
//! The real login page is rendered and uploaded to the local S3 with the upload code production
//! uses, served from it to headless Chromium, which follows it to the Google twin's consent; the
//! Alexa simulator exchanges the code and keeps the refresh token, as Alexa does; the real skill
//! binary runs unchanged behind cargo-lambda's Lambda Runtime API and receives every request
//! through it. The script then talks to the skill and checks every answer: a step that does not
//! behave as expected stops the demo with an error naming the step.

use std::{
    fmt::Write as _,
    io::Write as _,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

use anyhow::{Context, bail, ensure};
use devstack::{
    alexa::{
        self, AccessTokenScheme, AccountLinking, ChromiumBrowser, Link, LinkState, Simulator,
        requests::RequestContext,
    },
    google::{self, ClientSecret, Emulator, OAuthClient},
    lambda::LambdaFunction,
    s3::{S3Credentials, S3Server},
    voice::InteractionModel,
};
use login_page::{LoginPageConfig, VendorId};
use serde_json::Value;
use url::Url;

pub(crate) const VENDOR_ID: &str = "M2DEMOVENDOR01";
pub(crate) const SKILL_ID: &str = "amzn1.ask.skill.00000000-0000-4000-8000-0000000de770";
pub(crate) const USER_ID: &str = "amzn1.ask.account.DEMOUSER";
pub(crate) const ADA: &str = "ada@example.com";
pub(crate) const LOCALE: &str = "en-US";
const LOGIN_PAGE_BUCKET: &str = "demo-login-page";
pub(crate) const SCOPES: &[&str] = &[
    "openid",
    "email",
    "profile",
    "https://www.googleapis.com/auth/drive.metadata.readonly",
    "https://www.googleapis.com/auth/calendar.events.readonly",
    "https://www.googleapis.com/auth/drive.file",
];
/// Prefixes of every token, code and refresh token the Google twin issues, like Google's own, as
/// they are and percent-encoded (as in a logged URL); none may appear in any log.
const SECRET_PREFIXES: &[&str] = &["ya29.a0", "1//0", "4/0A", "1%2F%2F0", "4%2F0A"];

/// Every twin of the chain, running on 127.0.0.1.
pub(crate) struct Chain {
    pub(crate) google: Emulator,
    _s3: S3Server,
    pub(crate) simulator: Simulator,
    pub(crate) account_linking: AccountLinking,
    pub(crate) skill: LambdaFunction,
    pub(crate) model: InteractionModel,
    pub(crate) client_secret: alexa::ClientSecret,
    _scratch: TempDir,
}

/// Starts the twins, publishes the page and starts the skill. `auto_consent` approves at the
/// Google twin as Ada at once; without it the twin shows its consent page to a person.
pub(crate) async fn start_chain(
    root: &Path,
    skill_binary: &Path,
    auto_consent: bool,
) -> anyhow::Result<Chain> {
    progress("starting Alexa's redirect host (account-linking simulator)");
    let simulator = Simulator::start(VENDOR_ID)
        .await
        .context("starting the Alexa simulator")?;

    progress("starting the Google twin");
    // A fresh secret each run, so the log scan looks for a value that could really leak.
    let client_secret = format!("demo-secret-{}", random_suffix());
    let google_config = google::Config {
        clients: vec![OAuthClient {
            client_id: google::DEFAULT_CLIENT_ID.to_owned(),
            client_secret: ClientSecret::new(client_secret.clone()),
            redirect_uris: vec![simulator.redirect_uri().to_string()],
        }],
        auto_consent: auto_consent.then(|| ADA.to_owned()),
        ..google::Config::default()
    };
    let google = Emulator::start(google_config)
        .await
        .context("starting the Google twin")?;
    let google_root = Url::parse(&google.base_url())?;

    progress("starting the local S3 and publishing the login page to it");
    let scratch = TempDir::new("demo")?;
    let s3 = S3Server::start(scratch.path.join("s3"), S3Credentials::default())
        .await
        .context("starting the local S3")?;
    let page_config = LoginPageConfig::new(
        google_root.join("o/oauth2/v2/auth")?,
        vec![simulator.origin().clone()],
        Some(VendorId::new(VENDOR_ID)?),
    )
    .context("configuring the login page")?;
    let html = login_page::render(&page_config);
    let credentials = S3Credentials::default();
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
    let page = provision::login_page::publish(
        &s3_client,
        LOGIN_PAGE_BUCKET,
        login_page::OBJECT_KEY,
        &html,
    )
    .await
    .context("uploading the login page to the local S3")?;

    let account_linking = AccountLinking {
        authorization_url: page.url.clone(),
        client_id: google::DEFAULT_CLIENT_ID.to_owned(),
        client_secret: alexa::ClientSecret::new(client_secret.clone()),
        scopes: SCOPES.iter().map(|scope| scope.to_string()).collect(),
        access_token_url: google_root.join("token")?,
        scheme: AccessTokenScheme::HttpBasic,
        default_token_expiration: None,
    };

    progress("starting the skill binary behind cargo-lambda's Lambda Runtime API");
    let google_api_root = google.base_url();
    let skill = LambdaFunction::start(
        skill_binary,
        &[
            ("GOOGLE_API_ROOT", &google_api_root),
            ("SKILL_ID", SKILL_ID),
            ("RUST_LOG", "info"),
        ],
    )
    .context("starting the skill on the Lambda Runtime API (run `cargo xtask setup`?)")?;

    let model_path = root.join(format!(
        "infra/skill-package/interactionModels/custom/{LOCALE}.json"
    ));
    let model = InteractionModel::load(&model_path)?;
    Ok(Chain {
        google,
        _s3: s3,
        simulator,
        account_linking,
        skill,
        model,
        client_secret: alexa::ClientSecret::new(client_secret),
        _scratch: scratch,
    })
}

impl Chain {
    /// Sends `utterance` to the skill the way Alexa would: matched to an intent by the
    /// interaction model, with the link's current access token (none when not linked).
    pub(crate) async fn say(
        &self,
        utterance: &str,
        link: Option<&Link>,
        session: &mut Session,
    ) -> anyhow::Result<Value> {
        let found = self.model.match_utterance(utterance);
        let slots: Vec<(&str, &str)> = found
            .slots
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let access_token = link
            .and_then(Link::access_token)
            .map(|token| token.secret().to_owned());
        let context = session.context(access_token.as_deref());
        let request = if utterance.starts_with("open ") {
            alexa::requests::launch(&context)
        } else {
            alexa::requests::intent(&context, &found.intent, &slots)
        };
        session.new = false;
        let response = self
            .skill
            .invoke(request)
            .await
            .with_context(|| format!("the skill failed on \"{utterance}\""))?;
        if response["response"]["shouldEndSession"] != Value::Bool(false) {
            session.restart();
        }
        Ok(response)
    }

    /// Stops the skill and returns everything the skill and the Lambda emulator logged, complete
    /// to the last line, for the secret scan.
    pub(crate) fn finish(self) -> String {
        let emulator_logs = self.skill.emulator_logs();
        format!("{}\n{emulator_logs}", self.skill.finish())
    }
}

/// One Alexa session with the skill.
pub(crate) struct Session {
    id: String,
    new: bool,
}

impl Session {
    pub(crate) fn new() -> Session {
        Session {
            id: alexa::requests::new_session_id(),
            new: true,
        }
    }

    fn restart(&mut self) {
        *self = Session::new();
    }

    fn context<'a>(&'a self, access_token: Option<&'a str>) -> RequestContext<'a> {
        RequestContext {
            locale: LOCALE,
            skill_id: SKILL_ID,
            user_id: USER_ID,
            session_id: &self.id,
            access_token,
            new_session: self.new,
        }
    }
}

pub(crate) fn run(root: &Path) -> anyhow::Result<()> {
    crate::setup::run(root)?;
    let skill_binary = build_skill(root)?;
    let logs = LogBuffer::install();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut steps = Steps::default();
    let outcome = runtime.block_on(demo(root, &skill_binary, &logs, &mut steps));
    match outcome {
        Ok(()) => {
            println!("\n✓ every step behaved as expected");
            Ok(())
        }
        Err(error) if steps.number == 0 => Err(error.context("the demo could not start")),
        Err(error) => Err(error.context(format!("step {} failed: {}", steps.number, steps.title))),
    }
}

pub(crate) fn build_skill(root: &Path) -> anyhow::Result<PathBuf> {
    progress("building the skill (cargo build -p skill)");
    crate::cargo_build::build_binary(root, "skill", "skill", crate::cargo_build::Profile::Dev)
}

async fn demo(
    root: &Path,
    skill_binary: &Path,
    logs: &LogBuffer,
    steps: &mut Steps,
) -> anyhow::Result<()> {
    let chain = start_chain(root, skill_binary, true).await?;

    steps.start("Ada links her Google account in the Alexa app");
    println!("  login page   {}", chain.account_linking.authorization_url);
    let mut link = link_through_the_page(&chain).await?;
    let mut seen = SeenSecrets::default();
    seen.note(&link);
    ensure!(
        link.has_refresh_token(),
        "Google issued no refresh token: the link would die in an hour"
    );
    println!("  ✓ linked: Google issued an access token and a refresh token; Alexa keeps both");
    if let Some(scope) = link.granted_scope() {
        println!("  granted      {scope}");
    }

    steps.start("A conversation");
    let mut session = Session::new();
    let launch = talk(&chain, "open cloud companion", Some(&link), &mut session).await?;
    expect(
        &launch,
        speech(&launch).starts_with("Hi Ada!"),
        "a greeting by first name",
    )?;
    let who = talk(&chain, "who am i", Some(&link), &mut session).await?;
    expect(
        &who,
        speech(&who).contains("Ada Lovelace, signed in as ada@example.com"),
        "her name and email",
    )?;
    let files = talk(&chain, "list my files", Some(&link), &mut session).await?;
    expect(
        &files,
        speech(&files).contains("Sketch of the Analytical Engine"),
        "her recent files",
    )?;
    let next = talk(
        &chain,
        "what's next on my calendar",
        Some(&link),
        &mut session,
    )
    .await?;
    expect(
        &next,
        speech(&next).contains(" at ") && !has_card(&next),
        "her next event",
    )?;
    let note = talk(&chain, "add a note buy oat milk", Some(&link), &mut session).await?;
    expect(
        &note,
        speech(&note) == "I've added your note: buy oat milk.",
        "the note added",
    )?;
    let rows = chain
        .google
        .sheet_rows(ADA, "Alexa Notes")
        .context("no notes spreadsheet")?;
    let last = rows.last().context("the notes spreadsheet is empty")?;
    println!("  sheet        \"Alexa Notes\" now ends with {last:?}");
    ensure!(
        last.last().map(String::as_str) == Some("buy oat milk"),
        "the note is not in the sheet"
    );

    steps.start("An hour passes: the access token expires and Alexa refreshes it");
    let hour_later = SystemTime::now() + Duration::from_secs(3600);
    chain.google.advance_clock(Duration::from_secs(3600));
    let before = link.access_token().map(|token| token.secret().to_owned());
    let state = link
        .refresh_if_expired(hour_later)
        .await
        .context("refreshing the link")?
        .clone();
    ensure!(
        state == LinkState::Linked,
        "the link was dropped on refresh: {state:?}"
    );
    let after = link.access_token().map(|token| token.secret().to_owned());
    seen.note(&link);
    ensure!(
        before != after,
        "the access token did not change on refresh"
    );
    println!(
        "  ✓ Alexa used the refresh token; Google sent a new access token (and, as always, no new refresh token)"
    );
    let who = talk(&chain, "who am i", Some(&link), &mut session).await?;
    expect(
        &who,
        speech(&who).contains("Ada Lovelace"),
        "the conversation carries on",
    )?;

    steps.start("Ada removes the skill's access at myaccount.google.com");
    chain.google.revoke_all(ADA);
    let files = talk(&chain, "list my files", Some(&link), &mut session).await?;
    expect(
        &files,
        has_card(&files),
        "a request to link again, with a LinkAccount card",
    )?;
    let state = link
        .refresh(hour_later)
        .await
        .context("refreshing the revoked link")?
        .clone();
    ensure!(
        matches!(state, LinkState::Unlinked { .. }),
        "Alexa kept a revoked link: {state:?}"
    );
    println!("  ✓ Alexa's next refresh is refused (invalid_grant): Alexa drops the link");
    let mut session = Session::new();
    let launch = talk(&chain, "open cloud companion", None, &mut session).await?;
    expect(
        &launch,
        has_card(&launch),
        "no token now: asked to link, with a LinkAccount card",
    )?;

    steps.start("Ada links again");
    let link = link_through_the_page(&chain).await?;
    seen.note(&link);
    println!("  ✓ linked again");
    let mut session = Session::new();
    let who = talk(&chain, "who am i", Some(&link), &mut session).await?;
    expect(
        &who,
        speech(&who).contains("Ada Lovelace"),
        "her name again",
    )?;
    let bye = talk(&chain, "stop", Some(&link), &mut session).await?;
    expect(&bye, speech(&bye) == "Goodbye!", "goodbye")?;

    steps.start("No token, code or secret in any log");
    seen.values.push(chain.client_secret.secret().to_owned());
    let all_logs = format!("{}\n{}", chain.finish(), logs.contents());
    scan_for_secrets(&all_logs, &seen)?;
    println!(
        "  ✓ scanned {} lines of skill, Lambda emulator and twin logs",
        all_logs.lines().count()
    );
    Ok(())
}

async fn link_through_the_page(chain: &Chain) -> anyhow::Result<Link> {
    chain
        .simulator
        .link(&chain.account_linking, &ChromiumBrowser::new())
        .await
        .context("linking through the login page in headless Chromium")
}

async fn talk(
    chain: &Chain,
    utterance: &str,
    link: Option<&Link>,
    session: &mut Session,
) -> anyhow::Result<Value> {
    println!("  Ada    \"Alexa, {utterance}\"");
    let response = chain.say(utterance, link, session).await?;
    println!("{}", describe(&response));
    Ok(response)
}

/// "  Alexa  "…"" plus the card and whether the session stays open.
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

fn speech(response: &Value) -> &str {
    response["response"]["outputSpeech"]["text"]
        .as_str()
        .unwrap_or("")
}

fn has_card(response: &Value) -> bool {
    response["response"]["card"]["type"] == "LinkAccount"
}

fn expect(response: &Value, condition: bool, what: &str) -> anyhow::Result<()> {
    if !condition {
        bail!("expected {what}, got:\n{response:#}");
    }
    Ok(())
}

/// Every secret value the demo saw: access and refresh tokens, and the client secret.
#[derive(Default)]
struct SeenSecrets {
    values: Vec<String>,
}

impl SeenSecrets {
    fn note(&mut self, link: &Link) {
        let tokens = [
            link.access_token().map(|token| token.secret()),
            link.refresh_token().map(|token| token.secret()),
        ];
        self.values
            .extend(tokens.into_iter().flatten().map(str::to_owned));
    }
}

fn scan_for_secrets(logs: &str, seen: &SeenSecrets) -> anyhow::Result<()> {
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

/// Numbered steps; a failure is reported with the step it happened in.
#[derive(Default)]
struct Steps {
    number: usize,
    title: &'static str,
}

impl Steps {
    fn start(&mut self, title: &'static str) {
        self.number += 1;
        self.title = title;
        println!("\n{}. {title}", self.number);
    }
}

pub(crate) fn progress(message: &str) {
    eprintln!("· {message}");
    let _ = std::io::stderr().flush();
}

fn random_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    format!("{:x}{:x}", nanos.as_nanos(), std::process::id())
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
    pub(crate) fn install() -> LogBuffer {
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
