//! Google error classification through the public client: whatever status, `WWW-Authenticate`
//! and body Google answers with, the call never panics, it ends in an `Ok` or a classified
//! `Error`, and neither the error's text nor its `Debug` carries the user's token.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use google_api::{
    AccessToken, BoxFuture, Client, Deadline, Endpoints, Exchange, Reply, RetryPolicy, Transport,
    TransportError,
};
use libfuzzer_sys::fuzz_target;

const TOKEN: &str = "ya29.fuzz-classification-token";

/// Answers every exchange with the fuzzed reply.
#[derive(Debug)]
struct Fixed(Reply);

impl Transport for Fixed {
    fn send<'a>(&'a self, _: Exchange<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
        let reply = self.0.clone();
        Box::pin(async move { Ok(reply) })
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime")
    })
}

fuzz_target!(|input: &[u8]| {
    if input.len() < 3 {
        return;
    }
    // Two bytes of status (100..=599), one byte of header length, the header, then the body.
    let status = 100 + u16::from_be_bytes([input[0], input[1]]) % 500;
    let header_length = usize::from(input[2]).min(input.len() - 3);
    let header = &input[3..3 + header_length];
    let body = input[3 + header_length..].to_vec();
    let www_authenticate = (!header.is_empty()).then(|| String::from_utf8_lossy(header).into_owned());
    let reply = Reply {
        status,
        www_authenticate,
        body,
    };
    // One attempt: classification is what is fuzzed, not the retry sleeps.
    let policy = RetryPolicy {
        max_attempts: 1,
        attempt_timeout: Duration::from_secs(1),
        ..RetryPolicy::default()
    };
    let client = Client::with_transport(Endpoints::google(), Fixed(reply)).with_retry_policy(policy);
    let token = AccessToken::new(TOKEN.to_owned());
    runtime().block_on(async {
        let user = client.for_user(&token, Deadline::after(Duration::from_secs(8)));
        if let Err(error) = user.userinfo().await {
            let _ = error.is_retryable();
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(TOKEN), "the token reached an error: {shown}");
        }
    });
});
