//! The S3 twin driven over loopback by the client deploy uploads with (`provision::s3::client`)
//! and by a plain unsigned HTTP client standing in for a browser. Here rather than in devstack's
//! tests, so that devstack needs no crate of ours to test its twins.

use std::path::PathBuf;

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::primitives::ByteStream;
use devstack::s3::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_REGION, DEFAULT_SECRET_ACCESS_KEY, S3Credentials, S3Server,
};
use expect_test::expect;
use provision::s3::{SecretAccessKey, StaticCredentials};

const PAGE: &str = "<!doctype html><title>Link your Google account</title>";

/// An empty root folder per test and test process (two `cargo test` runs may share the target
/// directory), under Cargo's scratch space for integration tests.
fn fresh_root(test_name: &str) -> PathBuf {
    let folder = format!("s3-twin-{test_name}-{}", std::process::id());
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(folder);
    let _ = std::fs::remove_dir_all(&root);
    root
}

async fn start(test_name: &str) -> S3Server {
    S3Server::start(fresh_root(test_name), S3Credentials::default())
        .await
        .expect("s3 twin starts")
}

async fn sdk_client(server: &S3Server, secret_access_key: &str) -> aws_sdk_s3::Client {
    provision::s3::client(
        DEFAULT_REGION,
        Some(&server.endpoint_url()),
        Some(StaticCredentials::new(
            DEFAULT_ACCESS_KEY_ID,
            SecretAccessKey::new(secret_access_key.to_owned()),
        )),
    )
    .await
}

#[tokio::test]
async fn sdk_round_trip_keeps_content_type_and_cache_control() {
    let server = start("round-trip").await;
    let client = sdk_client(&server, DEFAULT_SECRET_ACCESS_KEY).await;

    client
        .create_bucket()
        .bucket("login")
        .send()
        .await
        .expect("create bucket");
    client
        .put_object()
        .bucket("login")
        .key("index.html")
        .content_type("text/html; charset=utf-8")
        .cache_control("no-cache")
        .metadata("sha256", "abc123")
        .body(ByteStream::from_static(PAGE.as_bytes()))
        .send()
        .await
        .expect("put object");

    let head = client
        .head_object()
        .bucket("login")
        .key("index.html")
        .send()
        .await
        .expect("head object");
    let got = client
        .get_object()
        .bucket("login")
        .key("index.html")
        .send()
        .await
        .expect("get object");
    let got_content_type = got.content_type().map(str::to_owned);
    let body = got.body.collect().await.expect("read body").into_bytes();
    let buckets = client.list_buckets().send().await.expect("list buckets");
    let bucket_names: Vec<&str> = buckets
        .buckets()
        .iter()
        .filter_map(|bucket| bucket.name())
        .collect();

    let summary = format!(
        "head: content-type={:?} cache-control={:?} length={:?} sha256={:?}\n\
         get: content-type={:?} body={:?}\n\
         buckets: {bucket_names:?}\n",
        head.content_type(),
        head.cache_control(),
        head.content_length(),
        head.metadata().and_then(|metadata| metadata.get("sha256")),
        got_content_type,
        String::from_utf8_lossy(&body),
    );
    expect![[r#"
        head: content-type=Some("text/html; charset=utf-8") cache-control=Some("no-cache") length=Some(54) sha256=Some("abc123")
        get: content-type=Some("text/html; charset=utf-8") body="<!doctype html><title>Link your Google account</title>"
        buckets: ["login"]
    "#]]
    .assert_eq(&summary);
    assert!(server.root_dir().join("login").join("index.html").is_file());
}

#[tokio::test]
async fn wrong_secret_key_is_rejected_as_a_signature_mismatch() {
    let server = start("wrong-secret").await;
    let impostor = sdk_client(&server, "not-the-secret").await;

    let error = impostor
        .create_bucket()
        .bucket("login")
        .send()
        .await
        .expect_err("a wrong secret must not create a bucket");
    let status = error
        .raw_response()
        .map(|response| response.status().as_u16());
    assert_eq!(
        (error.code(), status),
        (Some("SignatureDoesNotMatch"), Some(403))
    );

    let owner = sdk_client(&server, DEFAULT_SECRET_ACCESS_KEY).await;
    let head = owner.head_bucket().bucket("login").send().await;
    assert!(
        head.as_ref().is_err_and(|error| error
            .as_service_error()
            .is_some_and(|error| error.is_not_found())),
        "the bucket must not exist: {head:?}"
    );
}

#[tokio::test]
async fn anonymous_get_and_head_return_the_object_with_its_headers() {
    let server = start("anonymous-read").await;
    let client = sdk_client(&server, DEFAULT_SECRET_ACCESS_KEY).await;
    client
        .create_bucket()
        .bucket("login")
        .send()
        .await
        .expect("create bucket");
    client
        .put_object()
        .bucket("login")
        .key("index.html")
        .content_type("text/html; charset=utf-8")
        .cache_control("no-cache")
        .body(ByteStream::from_static(PAGE.as_bytes()))
        .send()
        .await
        .expect("put object");

    let browser = reqwest::Client::new();
    let url = server.object_url("login", "index.html");
    let get = browser.get(&url).send().await.expect("anonymous GET");
    let get_summary = format!(
        "{} content-type={:?} cache-control={:?}",
        get.status(),
        get.headers().get("content-type"),
        get.headers().get("cache-control"),
    );
    let body = get.text().await.expect("body");
    let head = browser.head(&url).send().await.expect("anonymous HEAD");
    let head_summary = format!(
        "{} content-type={:?} content-length={:?}",
        head.status(),
        head.headers().get("content-type"),
        head.headers().get("content-length"),
    );

    expect![[r#"
        GET 200 OK content-type=Some("text/html; charset=utf-8") cache-control=Some("no-cache")
        HEAD 200 OK content-type=Some("text/html; charset=utf-8") content-length=Some("54")
        body <!doctype html><title>Link your Google account</title>
    "#]]
    .assert_eq(&format!(
        "GET {get_summary}\nHEAD {head_summary}\nbody {body}\n"
    ));
}

#[tokio::test]
async fn anonymous_writes_and_listings_are_denied() {
    let server = start("anonymous-write").await;
    let client = sdk_client(&server, DEFAULT_SECRET_ACCESS_KEY).await;
    client
        .create_bucket()
        .bucket("login")
        .send()
        .await
        .expect("create bucket");

    let browser = reqwest::Client::new();
    let endpoint = server.endpoint_url();
    let put = browser
        .put(server.object_url("login", "index.html"))
        .body("defaced")
        .send()
        .await
        .expect("anonymous PUT");
    let list_objects = browser
        .get(format!("{endpoint}/login"))
        .send()
        .await
        .expect("anonymous list");
    let list_buckets = browser
        .get(format!("{endpoint}/"))
        .send()
        .await
        .expect("anonymous list buckets");
    let delete_bucket = browser
        .delete(format!("{endpoint}/login"))
        .send()
        .await
        .expect("anonymous delete bucket");

    let statuses = [
        put.status(),
        list_objects.status(),
        list_buckets.status(),
        delete_bucket.status(),
    ];
    expect![[r#"
        [
            403,
            403,
            403,
            403,
        ]
    "#]]
    .assert_debug_eq(&statuses.map(|status| status.as_u16()));
    let head = client
        .head_object()
        .bucket("login")
        .key("index.html")
        .send()
        .await;
    assert!(
        head.as_ref().is_err_and(|error| error
            .as_service_error()
            .is_some_and(|error| error.is_not_found())),
        "the anonymous PUT must not have stored anything: {head:?}"
    );
}
