//! Benchmark: the skill's own overhead per warm request, with Google on loopback.
//!
//! Run with `cargo bench -p skill`. It reports p50 and p99 of:
//! - the whole handler (parse, route, call the Google twin over loopback, build, serialize),
//! - the same Google call made directly with the client, and
//! - the handler with a Google that answers instantly (the skill's own work alone),
//!
//! and, once, how long the answer takes when Google hangs (the 7.5 s answer budget).

use std::time::Duration;

use devstack::google::{Config as GoogleConfig, DEFAULT_CLIENT_ID, Emulator, Fault};
use linked_skill::google_api::{self, AccessToken, Deadline, Endpoints, Method};
use linked_skill::runtime::Settings;
use linked_skill::testing::{FakeGoogle, GoogleState};
use serde_json::{Value, json};
use tokio::time::Instant;
use url::Url;

const WARM_UP: usize = 50;
const SAMPLES: usize = 1_000;
const LINKED_TOKEN: &str = "ya29.test-linked-access-token";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let google = Emulator::start(GoogleConfig::default())
        .await
        .expect("the Google twin starts");
    let token = google.mint_access_token(
        "ada@example.com",
        DEFAULT_CLIENT_ID,
        &["openid", "email", "profile"],
    );
    let request = who_am_i_request(&token);
    let endpoints = Endpoints::all_at(Url::parse(&google.base_url()).unwrap());
    let skill = skill::skill().build().configure(Settings {
        skill_id: None,
        endpoints: endpoints.clone(),
        state_store: None,
    });

    let handler = measure(|| async {
        let response = skill
            .handle_json(request.clone(), Instant::now())
            .await
            .unwrap();
        assert!(response.to_string().contains("Ada Lovelace"), "{response}");
    })
    .await;
    report("handler, Google twin on loopback", &handler);

    let client = google_api::Client::new(endpoints, reqwest::Client::new());
    let access_token = AccessToken::new(token.clone());
    let direct = measure(|| async {
        let deadline = Deadline::after(Duration::from_secs(5));
        client
            .for_user(&access_token, deadline)
            .userinfo()
            .await
            .unwrap();
    })
    .await;
    report("userinfo call alone, same client", &direct);

    let instant = skill::skill()
        .google(instant_google(&token).client())
        .build();
    let own = measure(|| async {
        instant
            .handle_json(request.clone(), Instant::now())
            .await
            .unwrap();
    })
    .await;
    report("handler, Google answering instantly", &own);

    println!(
        "skill overhead over the Google call: p50 {:?}, p99 {:?}",
        percentile(&handler, 50.0).saturating_sub(percentile(&direct, 50.0)),
        percentile(&handler, 99.0).saturating_sub(percentile(&direct, 99.0)),
    );

    google.inject_fault("/v1/userinfo", Fault::Delay(Duration::from_secs(60)), None);
    let started = Instant::now();
    let response = skill
        .handle_json(request.clone(), Instant::now())
        .await
        .unwrap();
    println!(
        "answer when Google hangs: {:?} (budget 7.5 s): {}",
        started.elapsed(),
        response["response"]["outputSpeech"]["text"]
    );
}

async fn measure<F, Fut>(mut call: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    for _ in 0..WARM_UP {
        call().await;
    }
    let mut samples = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let started = Instant::now();
        call().await;
        samples.push(started.elapsed());
    }
    samples.sort();
    samples
}

fn percentile(sorted: &[Duration], percent: f64) -> Duration {
    let rank = ((percent / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank]
}

fn report(what: &str, sorted: &[Duration]) {
    println!(
        "{what:<40} n={} p50 {:>10?} p99 {:>10?} max {:>10?}",
        sorted.len(),
        percentile(sorted, 50.0),
        percentile(sorted, 99.0),
        sorted[sorted.len() - 1]
    );
}

fn who_am_i_request(token: &str) -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/requests/who-am-i.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap()
        .replace(LINKED_TOKEN, token);
    serde_json::from_str(&text).unwrap()
}

/// A Google that answers at once, without sockets, to isolate what the skill itself costs.
fn instant_google(token: &str) -> FakeGoogle {
    FakeGoogle::new(GoogleState::Linked, token).route(
        Method::GET,
        "/v1/userinfo",
        &["openid"],
        json!({"sub": "1", "name": "Ada Lovelace", "given_name": "Ada",
               "email": "ada@example.com", "email_verified": true}),
    )
}
