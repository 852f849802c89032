//! `cargo xtask dev` keeps the offline chain running for hands-on use; `cargo xtask say "…"` talks
//! to the skill through it.
//!
//! `dev` starts the same chain as the demo, prints the login URL to open in your own browser (the
//! login page on the local S3, forwarding to the Google twin's consent page), and serves a small
//! control endpoint on 127.0.0.1 whose address it writes to `target/devstack/dev.json`. `say`
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
use devstack::{
    alexa::{Browser, BrowserError},
    voice::InteractionModel,
};
use serde_json::{Value, json};
use tokio::sync::Mutex;
use url::Url;

use crate::{
    chain::{self, Chain, ChainOptions, Infra, LogBuffer, Transport},
    dialogs::{
        conversation::{Conversation, Understood},
        format::DEFAULT_USER,
        skill::SkillUnderTest,
    },
};

/// The sample skill's package and the folder describing it (`dialogs.toml`).
const PACKAGE: &str = "skill";
const SKILL_DIRECTORY: &str = "crates/skill/tests/dialogs";

struct Dev {
    chain: Arc<Chain>,
    conversation: Mutex<Conversation>,
}

fn state_file(root: &Path) -> PathBuf {
    root.join("target/devstack/dev.json")
}

pub(crate) fn run(
    root: &Path,
    auto_consent: bool,
    transport: Option<Transport>,
    locale: &str,
) -> anyhow::Result<()> {
    crate::setup::run(root)?;
    let skill = SkillUnderTest::load(root, PACKAGE, &root.join(SKILL_DIRECTORY), transport)?;
    crate::dialogs::conversation::check_locale_is_published(
        &skill.skill_package,
        locale,
        Path::new("cargo xtask dev"),
        "`--locale`",
    )?;
    // Read before the chain starts, so a model that cannot be read stops `dev` at once.
    let model = skill.model(locale)?;
    let skill_binary = chain::build_skill(root, &skill.package, &skill.binary)?;
    let _logs = LogBuffer::install();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(root, &skill, skill_binary, auto_consent, model))
}

async fn serve(
    root: &Path,
    skill: &SkillUnderTest,
    skill_binary: PathBuf,
    auto_consent: bool,
    model: InteractionModel,
) -> anyhow::Result<()> {
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
            auto_consent: auto_consent.then(|| DEFAULT_USER.to_owned()),
            users: devstack::google::Config::default().users,
        },
    )
    .await?;
    let chain = Arc::new(chain);
    let locale = model.locale().to_owned();
    let conversation = Conversation::new(Arc::clone(&chain), model, &locale);
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
    tokio::spawn(async move { axum::serve(listener, app).await });

    println!("\nThe offline chain is running. Link the test Google account:");
    println!("  open this URL in a browser on this machine (it is Alexa's authorization request):");
    let linking = dev
        .chain
        .simulator
        .link(&dev.chain.account_linking, &PrintingBrowser);
    let link = tokio::select! {
        link = linking => link.context("linking")?,
        _ = tokio::signal::ctrl_c() => return Ok(()),
    };
    println!("\n✓ linked. Talk to the skill from another terminal, for example:");
    println!("  cargo xtask say \"who am i\"");
    println!("  cargo xtask say \"add a note buy oat milk\"");
    println!("Ctrl-C stops everything.");
    dev.conversation.lock().await.set_link(link);
    tokio::signal::ctrl_c().await?;
    let _ = std::fs::remove_file(&state_path);
    Ok(())
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
                .closest_intents(heard, 3)
                .into_iter()
                .map(|miss| format!("{} (\"{}\")", miss.intent, miss.sample))
                .collect()
        }
        _ => Vec::new(),
    };
    match conversation.send(&understood).await {
        Ok(exchange) => Json(json!({
            "response": exchange.response,
            "notes": conversation.notes,
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
    println!("{}", chain::describe(&answer["response"]));
    Ok(())
}
