//! What the server does with clients that are not Alexa-like, over raw sockets: slow or silent
//! connections are closed, oversized headers refused, signature headers checked before the body
//! is waited for, a replayed request refused, and a slow body does not spend the fetch budget.
//!
//! The server's own timeouts are the defaults here; each read below has a generous guard so a
//! server that never closes makes the test fail instead of hang. No test asserts a duration.

use std::time::Duration;

use alexa_https::VERIFICATION_FAILED_BODY;
use axum::http::HeaderMap;
use devstack::alexa_signer::AlexaSigner;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::server::{post, start};
use crate::support::{launch_request, signed_headers};

/// Longer than any timeout of the server: reaching it means the server never closed.
const GUARD: Duration = Duration::from_secs(40);

async fn connect(url: &str) -> TcpStream {
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    TcpStream::connect(address).await.unwrap()
}

/// The request line and headers of a POST of `content_length` bytes with `headers`.
fn head(headers: &HeaderMap, content_length: usize, extra: &str) -> String {
    let mut head =
        format!("POST / HTTP/1.1\r\nHost: alexa\r\nContent-Length: {content_length}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    head.push_str(extra);
    head.push_str("\r\n");
    head
}

/// Everything the server sends until it closes the connection; fails if it never does.
async fn read_until_closed(stream: &mut TcpStream, what: &str) -> String {
    let mut answer = Vec::new();
    match tokio::time::timeout(GUARD, stream.read_to_end(&mut answer)).await {
        Ok(_) => String::from_utf8_lossy(&answer).into_owned(),
        Err(_) => panic!("{what}: the server kept the connection open"),
    }
}

fn status_of(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn silent_and_slow_header_connections_are_closed() {
    let signer = AlexaSigner::start().await.unwrap();
    let running = start(&signer, &[]).await;
    let mut silent = connect(&running.url).await;
    let mut partial = connect(&running.url).await;
    partial
        .write_all(b"POST / HTTP/1.1\r\nHost: alexa\r\n")
        .await
        .unwrap();
    let trickle = async {
        // One more header line now and then, never the end of the headers.
        for _ in 0..5 {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if partial.write_all(b"X-Slow: 1\r\n").await.is_err() {
                break;
            }
        }
        read_until_closed(&mut partial, "slow headers").await
    };
    let (silent_answer, partial_answer) =
        tokio::join!(read_until_closed(&mut silent, "silent"), trickle);
    assert_ne!(status_of(&silent_answer), 200, "{silent_answer}");
    assert_ne!(status_of(&partial_answer), 200, "{partial_answer}");
    assert_eq!(running.handler.calls(), 0);
    running.stop().await;
}

#[tokio::test]
async fn a_body_that_never_finishes_gets_408_and_the_connection_is_closed() {
    let signer = AlexaSigner::start().await.unwrap();
    let running = start(&signer, &[]).await;
    let body = launch_request(jiff::Timestamp::now());
    let mut stream = connect(&running.url).await;
    let half = body.len() / 2;
    stream
        .write_all(head(&signed_headers(&signer, &body), body.len(), "").as_bytes())
        .await
        .unwrap();
    stream.write_all(&body.as_bytes()[..half]).await.unwrap();
    let answer = read_until_closed(&mut stream, "half a body").await;
    assert_eq!(status_of(&answer), 408, "{answer}");
    assert_eq!(running.handler.calls(), 0);
    running.stop().await;
}

#[tokio::test]
async fn signature_headers_are_checked_before_the_body_is_waited_for() {
    let signer = AlexaSigner::start().await.unwrap();
    let running = start(&signer, &[]).await;
    let mut headers = signed_headers(&signer, "{}");
    headers.remove("Signature-256");
    let mut stream = connect(&running.url).await;
    // A body is announced and never sent.
    stream
        .write_all(head(&headers, 1000, "").as_bytes())
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, "no signature, no body").await;
    assert_eq!(status_of(&answer), 400, "{answer}");
    assert!(answer.ends_with(VERIFICATION_FAILED_BODY), "{answer}");
    assert_eq!(signer.fetch_count(), 0, "nothing fetched for it");
    running.stop().await;
}

#[tokio::test]
async fn oversized_headers_get_431() {
    let signer = AlexaSigner::start().await.unwrap();
    let running = start(&signer, &[]).await;
    let body = launch_request(jiff::Timestamp::now());
    let padding = format!("X-Padding: {}\r\n", "p".repeat(32 * 1024));
    let mut stream = connect(&running.url).await;
    let mut request = head(&signed_headers(&signer, &body), body.len(), &padding);
    request.push_str(&body);
    // The server may answer and close before reading everything: a failed write is fine.
    let _ = stream.write_all(request.as_bytes()).await;
    let answer = read_until_closed(&mut stream, "oversized headers").await;
    assert_eq!(status_of(&answer), 431, "{answer}");
    assert_eq!(running.handler.calls(), 0);
    running.stop().await;
}

#[tokio::test]
async fn a_replayed_signed_request_gets_400_with_the_fixed_body() {
    let signer = AlexaSigner::start().await.unwrap();
    let running = start(&signer, &[]).await;
    let client = reqwest::Client::new();
    let body = launch_request(jiff::Timestamp::now());
    let headers = signed_headers(&signer, &body);
    let (status, answer) = post(&client, &running.url, headers.clone(), body.clone()).await;
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = post(&client, &running.url, headers.clone(), body.clone()).await;
    assert_eq!((status, answer.as_str()), (400, VERIFICATION_FAILED_BODY));
    // On another connection too.
    let (status, answer) = post(&reqwest::Client::new(), &running.url, headers, body).await;
    assert_eq!((status, answer.as_str()), (400, VERIFICATION_FAILED_BODY));
    assert_eq!(
        running.handler.calls(),
        1,
        "the replays never reached the skill"
    );
    // A new request (its own ID, so its own signature) is answered.
    let fresh = launch_request(jiff::Timestamp::now());
    let (status, _) = post(
        &client,
        &running.url,
        signed_headers(&signer, &fresh),
        fresh,
    )
    .await;
    assert_eq!(status, 200);
    running.stop().await;
}

#[tokio::test]
async fn a_slow_body_does_not_spend_the_certificate_fetch_budget() {
    // The chain is not cached yet, and the body arrives after more than the fetch budget
    // (4 s) but within the body read timeout (5 s): the fetch must still be allowed.
    let signer = AlexaSigner::start().await.unwrap();
    let running = start(&signer, &[]).await;
    let body = launch_request(jiff::Timestamp::now());
    let mut stream = connect(&running.url).await;
    stream
        .write_all(
            head(
                &signed_headers(&signer, &body),
                body.len(),
                "Connection: close\r\n",
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(4300)).await;
    stream.write_all(body.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut stream, "slow body").await;
    assert_eq!(status_of(&answer), 200, "{answer}");
    assert_eq!(signer.fetch_count(), 1);
    running.stop().await;
}
