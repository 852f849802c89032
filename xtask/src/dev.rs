//! `cargo xtask dev` keeps the offline chain running for hands-on use; `cargo xtask say "…"` talks
//! to the skill through it.
//!
//! `dev` starts the same chain as the demo, prints the login URL to open in your own browser (the
//! login page on the local S3, forwarding to the Google twin's consent page), and serves a small
//! control endpoint on 127.0.0.1 whose address it writes to `target/devstack/dev.json`. `say`
//! reads that file and sends the utterance there; `dev` matches it to an intent with the
//! interaction model, refreshes the link if it expired (as Alexa does), and invokes the skill on the
//! Lambda Runtime API.

use std::{
    future::Future,
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, SystemTime},
};

use anyhow::{Context, bail};
use axum::{Json, Router, extract::State, routing::post};
use devstack::alexa::{Browser, BrowserError, Link};
use serde_json::{Value, json};
use tokio::sync::Mutex;
use url::Url;

use crate::demo::{self, Chain, LogBuffer, Session};

struct Dev {
    chain: Chain,
    link: Mutex<Option<Link>>,
    session: Mutex<Session>,
}

fn state_file(root: &Path) -> PathBuf {
    root.join("target/devstack/dev.json")
}

pub(crate) fn run(root: &Path, auto_consent: bool) -> anyhow::Result<()> {
    crate::setup::run(root)?;
    let skill_binary = demo::build_skill(root)?;
    let _logs = LogBuffer::install();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(root, &skill_binary, auto_consent))
}

async fn serve(root: &Path, skill_binary: &Path, auto_consent: bool) -> anyhow::Result<()> {
    let chain = demo::start_chain(root, skill_binary, auto_consent).await?;
    let dev = Arc::new(Dev {
        chain,
        link: Mutex::new(None),
        session: Mutex::new(Session::new()),
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
    *dev.link.lock().await = Some(link);
    tokio::signal::ctrl_c().await?;
    let _ = std::fs::remove_file(&state_path);
    Ok(())
}

async fn say_handler(State(dev): State<Arc<Dev>>, Json(body): Json<Value>) -> Json<Value> {
    let utterance = body["utterance"].as_str().unwrap_or_default().to_owned();
    let mut link = dev.link.lock().await;
    if let Some(link) = link.as_mut()
        && let Err(error) = link.refresh_if_expired(SystemTime::now()).await
    {
        return Json(json!({ "error": format!("refreshing the link failed: {error}") }));
    }
    let linked = link.as_ref().filter(|link| link.is_linked());
    let mut session = dev.session.lock().await;
    match dev.chain.say(&utterance, linked, &mut session).await {
        Ok(response) => Json(json!({ "response": response })),
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
    println!("{}", demo::describe(&answer["response"]));
    Ok(())
}
