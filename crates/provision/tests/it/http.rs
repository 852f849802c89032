//! `provision::http::client` and the SMAPI client over loopback: a redirect is not followed
//! (it would re-send a body holding the client secret or a refresh token to wherever the
//! `Location` points), and a presigned upload URL's credential and signature stay out of errors.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{any, put};
use provision::lwa::LwaAccessToken;
use provision::smapi::SmapiClient;

/// A server whose `/start` redirects to `/elsewhere`; returns its base URL and what `/elsewhere`
/// received.
async fn redirecting_server() -> (String, Arc<Mutex<Vec<Bytes>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let recorder = received.clone();
    let app = Router::new()
        .route(
            "/start",
            any(|| async {
                (
                    StatusCode::TEMPORARY_REDIRECT,
                    [(header::LOCATION, "/elsewhere")],
                )
            }),
        )
        .route(
            "/elsewhere",
            any(move |body: Bytes| {
                let recorder = recorder.clone();
                async move {
                    recorder.lock().unwrap().push(body);
                    StatusCode::OK.into_response()
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base_url, received)
}

#[tokio::test]
async fn the_provision_client_does_not_follow_redirects_with_a_secret_body() {
    let (base_url, received) = redirecting_server().await;
    let response = provision::http::client()
        .post(format!("{base_url}/start"))
        .body("client_secret=GOCSPX-must-not-travel&refresh_token=Atzr|x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT);
    assert!(
        received.lock().unwrap().is_empty(),
        "the body was sent on to the redirect target"
    );

    // SMAPI's PUT of account linking (the client secret) is not followed either.
    let smapi = SmapiClient::new(
        provision::http::client(),
        &format!("{base_url}/start/"),
        LwaAccessToken::new("Atza|token".to_owned()),
    )
    .unwrap();
    assert!(smapi.has_vendor("M2AAAAAAAAAAAA").await.is_err());
    assert!(received.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_presigned_upload_urls_signature_is_not_in_the_error() {
    // A port nothing listens on: the PUT fails to connect.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let upload_url = format!(
        "http://127.0.0.1:{port}/bucket/upload.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIASECRETCREDENTIAL%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE&X-Amz-Signature=0123456789abcdef"
    );
    let smapi = SmapiClient::new(
        provision::http::client(),
        "http://127.0.0.1:9",
        LwaAccessToken::new("Atza|token".to_owned()),
    )
    .unwrap();
    let message = smapi
        .upload_package(&upload_url, b"zip".to_vec())
        .await
        .unwrap_err()
        .to_string();
    for secret in [
        "AKIASECRETCREDENTIAL",
        "FwoGZXIvYXdzEXAMPLE",
        "0123456789abcdef",
        "X-Amz",
    ] {
        assert!(!message.contains(secret), "{secret} in {message}");
    }
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");

    // An S3 refusal of the PUT names neither.
    let app = Router::new().route(
        "/bucket/upload.zip",
        put(|| async {
            (
                StatusCode::FORBIDDEN,
                "<Error><Code>SignatureDoesNotMatch</Code><StringToSign>AWS4-HMAC-SHA256 0123456789abcdef</StringToSign></Error>",
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let upload_url = upload_url.replace(&format!("127.0.0.1:{port}"), &address.to_string());
    let message = smapi
        .upload_package(&upload_url, b"zip".to_vec())
        .await
        .unwrap_err()
        .to_string();
    for secret in [
        "AKIASECRETCREDENTIAL",
        "FwoGZXIvYXdzEXAMPLE",
        "0123456789abcdef",
    ] {
        assert!(!message.contains(secret), "{secret} in {message}");
    }
}
