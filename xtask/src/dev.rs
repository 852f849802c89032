//! `cargo xtask dev` keeps the offline chain running for hands-on use; `cargo xtask say "…"` talks
//! to the skill through it.
//!
//! `dev` starts the same chain as the demo for one skill (`--skill`, else the configuration's
//! `[skill] package`), prints the login URL to open in your own browser (the login page on the
//! local S3, forwarding to the Google twin's consent page) and waits for it as long as it runs, or
//! with `--link` links in headless Chromium itself as the demo does (for a machine without a
//! desktop, over SSH). It serves a small control endpoint on 127.0.0.1 whose address it writes to
//! `target/devstack/dev.json`, and stops on Ctrl-C or SIGTERM (or SIGHUP) with every process it
//! started. `say`
//! reads that file and sends the utterance there; `dev` matches it to an intent with the
//! interaction model, refreshes the link if it expired (as Alexa does), and invokes the skill on the
//! Lambda Runtime API, or through signed HTTPS requests to `skill serve` with `--transport serve`.

use std::{
    future::Future,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use anyhow::{Context, bail};
use axum::{Json, Router, extract::State, routing::post};
use devstack::alexa::{Browser, BrowserError, Link};
use serde_json::{Value, json};
use tokio::sync::Mutex;
use url::Url;

use crate::{
    chain::{self, Chain, ChainOptions, Infra, LogBuffer, Transport},
    dialogs::{format::DEFAULT_USER, skill::SkillUnderTest},
};
use devstack::alexa::conversation::{Conversation, Understood};

/// How `cargo xtask dev` runs.
#[derive(Debug)]
pub(crate) struct DevOptions {
    /// The skill's cargo package; `None`: the configuration's `[skill] package`.
    pub(crate) skill: Option<String>,
    /// Link in headless Chromium at once instead of waiting for a person at a browser.
    pub(crate) link: bool,
    /// Approve at the Google twin at once, without its consent page.
    pub(crate) auto_consent: bool,
    pub(crate) transport: Option<Transport>,
    /// The locale the user speaks (`fr-FR`); one the skill publishes.
    pub(crate) locale: String,
}

struct Dev {
    chain: Arc<Chain>,
    conversation: Mutex<Conversation>,
}

fn state_file(root: &Path) -> PathBuf {
    root.join("target/devstack/dev.json")
}

pub(crate) fn run(root: &Path, options: DevOptions) -> anyhow::Result<()> {
    crate::setup::run(root)?;
    let package = crate::skills::package_or_default(root, options.skill.as_deref())?;
    let skill = crate::skills::with_dialogs(root, &package, options.transport)?;
    crate::dialogs::skill::check_locale_is_published(
        &skill.skill_package,
        &options.locale,
        Path::new("cargo xtask dev"),
        "`--locale`",
    )?;
    // Read before the chain starts, so a model that cannot be read stops `dev` at once.
    skill.model(&options.locale)?;
    let skill_binary = chain::build_skill(root, &skill.package, &skill.binary)?;
    let _logs = LogBuffer::install();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // Ending `serve` drops the runtime here, and with it every process the chain started.
    runtime.block_on(serve(root, &skill, skill_binary, &options))
}

async fn serve(
    root: &Path,
    skill: &SkillUnderTest,
    skill_binary: PathBuf,
    options: &DevOptions,
) -> anyhow::Result<()> {
    // Installed first, so a SIGTERM while the chain starts stops it cleanly too.
    let mut stop = StopSignals::install()?;
    let infra = Infra::start().await?;
    chain::progress(&format!(
        "starting the Google twin, Alexa's redirect host and the skill ({})",
        skill.transport.label()
    ));
    let chain = Chain::start(
        &infra,
        ChainOptions {
            binary: skill_binary,
            transport: skill.transport,
            scopes: skill.scopes.clone(),
            // Chromium cannot click the twin's consent page: `--link` approves at once.
            auto_consent: (options.auto_consent || options.link).then(|| DEFAULT_USER.to_owned()),
            users: devstack::google::Config::default().users,
        },
    )
    .await?;
    let mut chain = chain;
    // A person may open the URL much later: wait for the callback as long as `dev` runs.
    chain.simulator = chain.simulator.with_link_timeout(Duration::MAX);
    let chain = Arc::new(chain);
    let conversation = chain::conversation(&chain, skill.model(&options.locale)?);
    let dev = Arc::new(Dev {
        chain,
        conversation: Mutex::new(conversation),
    });

    let app = Router::new()
        .route("/say", post(say_handler))
        .with_state(dev.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let control_url = format!("http://{}", listener.local_addr()?);
    let state_path = state_file(root);
    std::fs::create_dir_all(state_path.parent().expect("has a parent"))?;
    std::fs::write(
        &state_path,
        json!({ "control_url": control_url }).to_string(),
    )
    .with_context(|| format!("could not write {}", state_path.display()))?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let linked = tokio::select! {
        link = link(&dev.chain, options.link) => Some(link?),
        signal = stop.next() => {
            chain::progress(&format!("{signal}: stopping before the link"));
            None
        }
    };
    if let Some(link) = linked {
        let model = skill.model(&options.locale)?;
        let model = model.voice();
        let intents: Vec<&str> = model
            .intent_names()
            .filter(|intent| !intent.starts_with("AMAZON."))
            .collect();
        println!("\n✓ linked. Talk to the skill from another terminal:");
        println!(
            "  cargo xtask say \"…\"   (what you would say after \"Alexa, ask {} …\")",
            model.invocation_name()
        );
        println!("  its intents: {}", intents.join(", "));
        println!("Ctrl-C (or SIGTERM) stops everything.");
        dev.conversation.lock().await.set_link(link);
        let signal = stop.next().await;
        chain::progress(&format!("{signal}: stopping"));
    }
    let _ = std::fs::remove_file(&state_path);
    // The server task holds the other handle on the chain; once it is gone the chain can stop the
    // skill (and its Lambda emulator) now rather than when the runtime drops its tasks.
    server.abort();
    let _ = server.await;
    if let Some(Dev {
        chain,
        conversation,
    }) = Arc::into_inner(dev)
    {
        drop(conversation);
        if let Some(chain) = Arc::into_inner(chain) {
            chain.finish();
        }
    }
    Ok(())
}

/// Links the test account: in headless Chromium with `in_chromium`, else by printing Alexa's
/// authorization request for a person to open.
async fn link(chain: &Chain, in_chromium: bool) -> anyhow::Result<Link> {
    if in_chromium {
        chain::progress("linking the test Google account in headless Chromium");
        return chain.link_in_chromium().await;
    }
    println!("\nThe offline chain is running. Link the test Google account:");
    println!("  open this URL in a browser on this machine (it is Alexa's authorization request);");
    println!("  it waits as long as `cargo xtask dev` runs (on a machine without one: --link):");
    chain
        .simulator
        .link(&chain.account_linking, &PrintingBrowser)
        .await
        .context("linking")
}

/// The signals that stop `dev`: Ctrl-C (SIGINT), SIGTERM (`kill`, a process manager) and SIGHUP
/// (the terminal or SSH session closed). Without handling the last two the process would die at
/// once and leave the Lambda emulator and the skill running.
struct StopSignals {
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn install() -> anyhow::Result<StopSignals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(StopSignals {
            terminate: signal(SignalKind::terminate()).context("could not handle SIGTERM")?,
            hangup: signal(SignalKind::hangup()).context("could not handle SIGHUP")?,
        })
    }

    /// Waits for the next stop signal and names it.
    async fn next(&mut self) -> &'static str {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => "Ctrl-C",
            _ = self.terminate.recv() => "SIGTERM",
            _ = self.hangup.recv() => "SIGHUP",
        }
    }
}

/// Understands the utterance as Alexa would (refreshing an expired link first) and answers with
/// the skill's response; an utterance the model does not match goes out as Fallback, as on a
/// real device, with the closest intents alongside.
async fn say_handler(State(dev): State<Arc<Dev>>, Json(body): Json<Value>) -> Json<Value> {
    let utterance = body["utterance"].as_str().unwrap_or_default().to_owned();
    let mut conversation = dev.conversation.lock().await;
    let understood = conversation.understand(&utterance);
    let closest = match &understood {
        Understood::Intent { found, one_shot }
            if found.intent == devstack::voice::FALLBACK_INTENT =>
        {
            // A one-shot's request is what the model saw, not the words that opened the skill.
            let heard = one_shot.as_deref().unwrap_or(&utterance);
            conversation
                .model()
                .voice()
                .closest_intents(heard, 3)
                .into_iter()
                .map(|miss| format!("{} (\"{}\")", miss.intent, miss.sample))
                .collect()
        }
        _ => Vec::new(),
    };
    match conversation.send_understood(&understood, &utterance).await {
        Ok(turn) => Json(json!({
            // Each answer with what Alexa played while the skill worked on it, before it.
            "exchanges": turn.exchanges.iter().map(|exchange| json!({
                "progressive": crate::dialogs::progressive_lines(&dev.chain, &exchange.request),
                "response": exchange.response,
            })).collect::<Vec<_>>(),
            "alexa_prompt": turn.alexa_prompt,
            "notes": turn.notes,
            "closest_intents": closest,
        })),
        Err(error) => Json(json!({ "error": format!("{error:#}") })),
    }
}

/// A "browser" that is a person: prints the URL and waits for the callback to arrive.
struct PrintingBrowser;

impl Browser for PrintingBrowser {
    fn visit(&self, url: &Url) -> impl Future<Output = Result<Url, BrowserError>> + Send {
        println!("\n  {url}\n");
        std::future::pending()
    }
}

pub(crate) fn say(root: &Path, utterance: &str) -> anyhow::Result<()> {
    let state_path = state_file(root);
    let state: Value = std::fs::read_to_string(&state_path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .with_context(|| {
            format!(
                "no `cargo xtask dev` is running ({} is missing): start it first",
                state_path.display()
            )
        })?;
    let control_url = state["control_url"]
        .as_str()
        .context("dev.json has no control_url")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let answer: Value = runtime.block_on(async {
        reqwest::Client::new()
            .post(format!("{control_url}/say"))
            .json(&json!({ "utterance": utterance }))
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .with_context(|| {
                format!("could not reach `cargo xtask dev` at {control_url}: is it still running?")
            })?
            .json()
            .await
            .context("`cargo xtask dev` answered something that is not JSON")
    })?;
    if let Some(error) = answer["error"].as_str() {
        bail!("{error}");
    }
    println!("  You    \"Alexa, {utterance}\"");
    for note in answer["notes"].as_array().into_iter().flatten() {
        println!("  · {}", note.as_str().unwrap_or_default());
    }
    let closest: Vec<&str> = answer["closest_intents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !closest.is_empty() {
        println!(
            "  · no sample of the interaction model matches: Alexa sends AMAZON.FallbackIntent \
             (closest: {})",
            closest.join(", ")
        );
    }
    for exchange in answer["exchanges"].as_array().into_iter().flatten() {
        for line in exchange["progressive"].as_array().into_iter().flatten() {
            println!("{}", line.as_str().unwrap_or_default());
        }
        println!("{}", chain::describe(&exchange["response"]));
    }
    if let Some(prompt) = answer["alexa_prompt"].as_str() {
        println!(
            "  Alexa  \"{prompt}\"\n         (a prompt of the dialog model)\n         (listening)"
        );
    }
    Ok(())
}
