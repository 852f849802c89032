//! What each kind of Google failure becomes, and how retries and the deadline bound it.

use std::io;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use devstack::google::Fault;
use google_api::{Deadline, Error};
use tracing::Instrument;

use crate::{ADA, DRIVE_METADATA_SCOPE, Fixture, PROFILE_SCOPES, generous_deadline};

#[tokio::test]
async fn an_expired_token_means_relink() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, PROFILE_SCOPES);
    fixture
        .emulator
        .advance_clock(Duration::from_secs(2 * 60 * 60));
    let result = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .userinfo()
        .await;
    assert!(matches!(result, Err(Error::Relink)), "{result:?}");
}

#[tokio::test]
async fn a_revoked_token_means_relink() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_METADATA_SCOPE]);
    fixture.emulator.revoke_all(ADA);
    let result = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .recent_files(5)
        .await;
    assert!(matches!(result, Err(Error::Relink)), "{result:?}");
}

#[tokio::test]
async fn a_token_without_the_drive_scope_names_the_scopes_that_would_work() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, PROFILE_SCOPES);
    let result = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .recent_files(5)
        .await;
    let Err(Error::MissingScope { scopes }) = result else {
        panic!("expected MissingScope, got {result:?}");
    };
    assert!(
        scopes.iter().any(|scope| scope == DRIVE_METADATA_SCOPE),
        "{scopes:?}"
    );
}

#[tokio::test]
async fn rate_limited_twice_then_success_is_ok_after_retries() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_METADATA_SCOPE]);
    fixture
        .emulator
        .inject_fault("/drive/", Fault::RateLimit429, Some(2));
    let files = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .recent_files(5)
        .await;
    assert!(files.is_ok_and(|files| !files.is_empty()));
}

#[tokio::test]
async fn a_403_user_rate_limit_is_retried_not_reported_as_a_permission_problem() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, PROFILE_SCOPES);
    fixture
        .emulator
        .inject_fault("/v1/userinfo", Fault::RateLimit403, Some(1));
    let user = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .userinfo()
        .await;
    assert!(user.is_ok_and(|user| user.email.as_deref() == Some(ADA)));
}

#[tokio::test]
async fn a_rate_limit_that_outlasts_the_retries_is_rate_limited() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, PROFILE_SCOPES);
    fixture
        .emulator
        .inject_fault("/v1/userinfo", Fault::RateLimit403, None);
    let result = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .userinfo()
        .await;
    assert!(matches!(result, Err(Error::RateLimited)), "{result:?}");
}

#[tokio::test]
async fn a_server_error_once_is_retried() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, PROFILE_SCOPES);
    fixture
        .emulator
        .inject_fault("/v1/userinfo", Fault::ServerError500, Some(1));
    let user = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .userinfo()
        .await;
    assert!(user.is_ok(), "{user:?}");
}

#[tokio::test]
async fn unavailable_forever_is_unavailable_before_the_deadline() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_METADATA_SCOPE]);
    fixture
        .emulator
        .inject_fault("/drive/", Fault::Unavailable503, None);
    let deadline = generous_deadline();
    let result = fixture
        .client
        .for_user(&access_token, deadline)
        .recent_files(5)
        .await;
    let Err(error @ Error::Unavailable { .. }) = result else {
        panic!("expected Unavailable, got {result:?}");
    };
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_google_slower_than_the_deadline_yields_an_error_by_the_deadline() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, PROFILE_SCOPES);
    fixture
        .emulator
        .inject_fault("/v1/userinfo", Fault::Delay(Duration::from_secs(30)), None);
    let result = fixture
        .client
        .for_user(&access_token, Deadline::after(Duration::from_millis(300)))
        .userinfo()
        .await;
    assert!(matches!(result, Err(Error::DeadlineExceeded)), "{result:?}");
}

#[tokio::test]
async fn an_attempt_that_hangs_is_abandoned_and_retried_within_the_deadline() {
    let fixture = Fixture::start().await;
    let client = fixture
        .client
        .clone()
        .with_retry_policy(google_api::RetryPolicy {
            attempt_timeout: Duration::from_millis(200),
            ..crate::fast_retry_policy()
        });
    let access_token = fixture.token(ADA, PROFILE_SCOPES);
    fixture.emulator.inject_fault(
        "/v1/userinfo",
        Fault::Delay(Duration::from_secs(30)),
        Some(1),
    );
    let user = client
        .for_user(&access_token, generous_deadline())
        .userinfo()
        .await;
    assert!(user.is_ok(), "{user:?}");
}

#[tokio::test]
async fn garbage_json_is_a_bad_response() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_METADATA_SCOPE]);
    fixture
        .emulator
        .inject_fault("/drive/", Fault::GarbageJson, Some(1));
    let result = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .recent_files(5)
        .await;
    let Err(Error::BadResponse { status, body, .. }) = result else {
        panic!("expected BadResponse, got {result:?}");
    };
    assert_eq!(status, 200);
    assert!(
        body.contains("drive#fileList"),
        "the body is kept for diagnosis: {body}"
    );
}

#[tokio::test]
async fn an_unreachable_google_is_unavailable() {
    // Bind and drop a listener so the port is very likely closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port();
    let root = format!("http://127.0.0.1:{port}")
        .parse()
        .expect("valid url");
    let client =
        google_api::Client::new(google_api::Endpoints::all_at(root), reqwest::Client::new())
            .with_retry_policy(crate::fast_retry_policy());
    let access_token = google_api::AccessToken::new("ya29.unused".to_owned());
    let result = client
        .for_user(&access_token, generous_deadline())
        .userinfo()
        .await;
    assert!(
        matches!(result, Err(Error::Unavailable { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn tracing_output_never_contains_the_token() {
    let captured = global_capture();
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, PROFILE_SCOPES);
    fixture
        .emulator
        .inject_fault("/v1/userinfo", Fault::RateLimit429, Some(1));
    // Lines of this test carry this span's name; other tests of the binary log into the same
    // capture, which the token check then covers too.
    let span = tracing::info_span!("token_check_test");
    let user = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .userinfo()
        .instrument(span)
        .await;
    assert!(user.is_ok(), "{user:?}");
    let output = captured.text();
    let ours: Vec<&str> = output
        .lines()
        .filter(|line| line.contains("token_check_test"))
        .collect();
    assert!(
        ours.iter()
            .any(|line| line.contains("retrying google call")),
        "the retry was traced: {output}"
    );
    assert!(
        ours.iter().any(|line| line.contains("oauth2.userinfo.get")),
        "the operation was traced: {output}"
    );
    assert!(!output.contains(access_token.secret()), "{output}");
    assert!(!output.contains("Bearer"), "{output}");
}

/// One global TRACE subscriber for this whole test binary, writing into one capture.
///
/// A per-future subscriber (`with_subscriber`) raced with the other tests: a callsite first hit
/// on another thread without a subscriber could keep the "never" interest it got then, and the
/// retry line went missing under load. With a global subscriber, installed before this test's
/// first event (installing it rebuilds every callsite's interest), every callsite is always
/// enabled, so the check is deterministic.
fn global_capture() -> CapturedOutput {
    static CAPTURE: OnceLock<CapturedOutput> = OnceLock::new();
    CAPTURE
        .get_or_init(|| {
            let captured = CapturedOutput::default();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(captured.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in this test binary");
            captured
        })
        .clone()
}

#[derive(Clone, Default)]
struct CapturedOutput(Arc<Mutex<Vec<u8>>>);

impl CapturedOutput {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("capture lock")).into_owned()
    }
}

impl io::Write for CapturedOutput {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .expect("capture lock")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'writer> tracing_subscriber::fmt::MakeWriter<'writer> for CapturedOutput {
    type Writer = CapturedOutput;

    fn make_writer(&'writer self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn a_spent_quota_is_not_retried() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_METADATA_SCOPE]);
    for fault in [Fault::DailyLimitExceeded, Fault::QuotaExceeded] {
        // Once only: a retry would succeed, so success would mean it was retried.
        fixture.emulator.inject_fault("/drive/", fault, Some(1));
        let result = fixture
            .client
            .for_user(&access_token, generous_deadline())
            .recent_files(5)
            .await;
        assert!(
            matches!(result, Err(Error::QuotaExhausted { .. })),
            "{fault:?}: {result:?}"
        );
    }
}

#[tokio::test]
async fn an_answer_past_the_size_limit_is_too_large_and_not_retried() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_METADATA_SCOPE]);
    fixture.emulator.inject_fault(
        "/drive/",
        Fault::OversizedBody(google_api::RESPONSE_SIZE_LIMIT + 1),
        Some(1),
    );
    let result = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .recent_files(5)
        .await;
    assert!(
        matches!(result, Err(Error::ResponseTooLarge { limit }) if limit == google_api::RESPONSE_SIZE_LIMIT),
        "{result:?}"
    );
    // Just under the limit is read as usual.
    fixture.emulator.inject_fault(
        "/drive/",
        Fault::OversizedBody(google_api::RESPONSE_SIZE_LIMIT - 64),
        Some(1),
    );
    let files = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .recent_files(5)
        .await;
    assert!(files.is_ok_and(|files| !files.is_empty()));
}

/// A Google stand-in on loopback whose userinfo answers 429 with `retry_after` the first time and
/// succeeds after; returns the client and a count of the requests it received.
async fn rate_limited_once_with_retry_after(
    retry_after: String,
) -> (google_api::Client, Arc<std::sync::atomic::AtomicUsize>) {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    let app = axum::Router::new().route(
        "/v1/userinfo",
        axum::routing::get(move || {
            let counter = counter.clone();
            let retry_after = retry_after.clone();
            async move {
                if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        [(header::RETRY_AFTER, retry_after)],
                        r#"{"error":{"code":429,"message":"Rate Limit Exceeded","status":"RESOURCE_EXHAUSTED"}}"#,
                    )
                        .into_response()
                } else {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        r#"{"sub":"1","email":"ada@example.com"}"#,
                    )
                        .into_response()
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = google_api::Client::new(
        google_api::Endpoints::all_at(root.parse().unwrap()),
        reqwest::Client::new(),
    )
    .with_retry_policy(crate::fast_retry_policy());
    (client, requests)
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_is_the_apology_without_a_doomed_retry() {
    use std::sync::atomic::Ordering;
    for retry_after in [
        "120".to_owned(),
        // An HTTP date an hour from now.
        jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(
                &(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)),
            )
            .unwrap(),
    ] {
        let (client, requests) = rate_limited_once_with_retry_after(retry_after.clone()).await;
        let token = google_api::AccessToken::new("ya29.token".to_owned());
        let result = client
            .for_user(&token, Deadline::after(Duration::from_secs(10)))
            .userinfo()
            .await;
        assert!(
            matches!(result, Err(Error::RateLimited)),
            "{retry_after}: {result:?}"
        );
        assert_eq!(
            requests.load(Ordering::SeqCst),
            1,
            "{retry_after}: Google asked for a wait longer than the deadline allows"
        );
    }
}

#[tokio::test]
async fn a_retry_after_that_fits_the_deadline_is_honoured() {
    use std::sync::atomic::Ordering;
    // A date in the past means "now"; "0" too.
    for retry_after in ["0", "Sun, 06 Nov 1994 08:49:37 GMT"] {
        let (client, requests) = rate_limited_once_with_retry_after(retry_after.to_owned()).await;
        let token = google_api::AccessToken::new("ya29.token".to_owned());
        let result = client
            .for_user(&token, generous_deadline())
            .userinfo()
            .await;
        assert!(result.is_ok(), "{retry_after}: {result:?}");
        assert_eq!(requests.load(Ordering::SeqCst), 2, "{retry_after}");
    }
}
