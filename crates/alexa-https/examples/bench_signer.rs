//! For `scripts/bench-serve.sh`: signs Alexa requests with devstack's test CA, writes what the
//! servers under test need into a directory, and serves the chain until killed.
//!
//! Usage: `bench_signer DIR` → `DIR/root.pem`, `DIR/chain.pem`, `DIR/body.json`,
//! `DIR/certificate_url`, `DIR/signature`, `DIR/cert_fetch_base`; then prints `ready`. Each line
//! `COUNT NAME` read from standard input then writes `DIR/NAME.tsv`: COUNT requests stamped now,
//! each with its own request ID (the endpoint refuses a replayed one), one `SIGNATURE<TAB>BODY`
//! per line; then prints `signed NAME`.

use std::io::{BufRead as _, Write as _};

use devstack::alexa_signer::AlexaSigner;

fn body(skill_id: &str, request_id: &str) -> String {
    serde_json::json!({
        "version": "1.0",
        "session": {"new": true, "sessionId": "amzn1.echo-api.session.bench",
                    "application": {"applicationId": skill_id}, "user": {"userId": "amzn1.ask.account.BENCH"}},
        "context": {"System": {"application": {"applicationId": skill_id},
                               "user": {"userId": "amzn1.ask.account.BENCH"},
                               "device": {"deviceId": "amzn1.ask.device.BENCH", "supportedInterfaces": {}},
                               "apiEndpoint": "https://api.amazonalexa.com"}},
        "request": {"type": "LaunchRequest", "requestId": request_id,
                    "timestamp": jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    "locale": "en-US"}
    })
    .to_string()
}

/// Signs `count` distinct requests on every core (RSA signing is the slow part).
fn signed_lines(signer: &AlexaSigner, skill_id: &str, name: &str, count: usize) -> String {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let parts: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|thread| {
                scope.spawn(move || {
                    let mut lines = String::new();
                    for index in (thread..count).step_by(threads) {
                        let body =
                            body(skill_id, &format!("amzn1.echo-api.request.{name}-{index}"));
                        let headers = signer.sign(body.as_bytes());
                        lines.push_str(&format!("{}\t{body}\n", headers.signature_256));
                    }
                    lines
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("a signing thread"))
            .collect()
    });
    parts.concat()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let directory = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or_else(|| anyhow::anyhow!("usage: bench_signer DIR"))?,
    );
    std::fs::create_dir_all(&directory)?;
    let signer = AlexaSigner::start().await?;
    let skill_id = std::env::var("SKILL_ID")?;
    let body = body(&skill_id, "amzn1.echo-api.request.bench");
    let headers = signer.sign(body.as_bytes());
    let write = |name: &str, contents: &str| std::fs::write(directory.join(name), contents);
    write("root.pem", signer.root_pem())?;
    write("chain.pem", signer.chain_pem())?;
    write("body.json", &body)?;
    write("certificate_url", &headers.certificate_chain_url)?;
    write("signature", &headers.signature_256)?;
    write("cert_fetch_base", signer.cert_fetch_base().as_str())?;
    println!("ready");
    let commands =
        tokio::task::spawn_blocking(move || -> anyhow::Result<std::convert::Infallible> {
            for line in std::io::stdin().lock().lines() {
                let line = line?;
                let Some((count, name)) = line.split_once(' ') else {
                    anyhow::bail!("expected `COUNT NAME`, got {line:?}");
                };
                let lines = signed_lines(&signer, &skill_id, name, count.parse()?);
                std::fs::write(directory.join(format!("{name}.tsv")), lines)?;
                println!("signed {name}");
                std::io::stdout().flush()?;
            }
            // Standard input closed: keep serving the chain until killed.
            loop {
                std::thread::park();
            }
        });
    commands.await??;
    Ok(())
}
