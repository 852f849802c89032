//! The cap on connections served at once: a client over it waits until one closes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use devstack::alexa_signer::AlexaSigner;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::server::{post, start_with};
use crate::support::{launch_request, signed_headers};

#[tokio::test]
async fn over_the_connection_cap_a_client_waits_until_a_connection_closes() {
    let signer = AlexaSigner::start().await.unwrap();
    let running = start_with(&signer, &[], |options| {
        options.limits.max_connections = 2;
        options.limits.header_read_timeout = Duration::from_secs(1);
    })
    .await;
    let events = Arc::new(Mutex::new(Vec::new()));
    let address = running
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut slow = Vec::new();
    for _ in 0..2 {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        stream
            .write_all(b"POST / HTTP/1.1\r\nHost: alexa\r\n")
            .await
            .unwrap();
        let events = events.clone();
        slow.push(tokio::spawn(async move {
            let mut rest = Vec::new();
            let _ = stream.read_to_end(&mut rest).await;
            events.lock().unwrap().push("a slow connection was closed");
        }));
    }
    let body = launch_request(jiff::Timestamp::now());
    let (status, answer) = post(
        &reqwest::Client::new(),
        &running.url,
        signed_headers(&signer, &body),
        body,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    events
        .lock()
        .unwrap()
        .push("the third connection was answered");
    for task in slow {
        tokio::time::timeout(Duration::from_secs(30), task)
            .await
            .expect("the slow connections are closed")
            .unwrap();
    }
    assert_eq!(
        events.lock().unwrap()[0],
        "a slow connection was closed",
        "{:?}",
        events.lock().unwrap()
    );
    running.stop().await;
}
