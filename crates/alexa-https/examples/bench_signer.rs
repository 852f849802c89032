//! For `scripts/bench-serve.sh`: signs one Alexa request with devstack's test CA, writes what
//! both servers under test need into a directory, and serves the chain until killed.
//!
//! Usage: `bench_signer DIR` → `DIR/root.pem`, `DIR/chain.pem`, `DIR/body.json`,
//! `DIR/certificate_url`, `DIR/signature`, `DIR/cert_fetch_base`; then prints `ready`.

use devstack::alexa_signer::AlexaSigner;

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
    let body = serde_json::json!({
        "version": "1.0",
        "session": {"new": true, "sessionId": "amzn1.echo-api.session.bench",
                    "application": {"applicationId": skill_id}, "user": {"userId": "amzn1.ask.account.BENCH"}},
        "context": {"System": {"application": {"applicationId": skill_id},
                               "user": {"userId": "amzn1.ask.account.BENCH"},
                               "device": {"deviceId": "amzn1.ask.device.BENCH", "supportedInterfaces": {}},
                               "apiEndpoint": "https://api.amazonalexa.com"}},
        "request": {"type": "LaunchRequest", "requestId": "amzn1.echo-api.request.bench",
                    "timestamp": jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    "locale": "en-US"}
    })
    .to_string();
    let headers = signer.sign(body.as_bytes());
    let write = |name: &str, contents: &str| std::fs::write(directory.join(name), contents);
    write("root.pem", signer.root_pem())?;
    write("chain.pem", signer.chain_pem())?;
    write("body.json", &body)?;
    write("certificate_url", &headers.certificate_chain_url)?;
    write("signature", &headers.signature_256)?;
    write("cert_fetch_base", signer.cert_fetch_base().as_str())?;
    println!("ready");
    std::future::pending::<()>().await;
    Ok(())
}
