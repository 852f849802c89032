//! `provision::login_page::publish` against the devstack S3 twin on 127.0.0.1, plus the URL shapes
//! it reports for AWS (computed locally, nothing is sent).

use std::path::PathBuf;

use devstack::s3::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_REGION, DEFAULT_SECRET_ACCESS_KEY, S3Credentials, S3Server,
};
use expect_test::expect;
use provision::S3Error;
use provision::login_page::{object_url, publish};
use provision::s3::{SecretAccessKey, StaticCredentials};

const BUCKET: &str = "skill-login-page";
const FIRST_PAGE: &str = "<!doctype html><title>Link your Google account</title>";
const CHANGED_PAGE: &str = "<!doctype html><title>Link your Google account, again</title>";

fn fresh_root(test_name: &str) -> PathBuf {
    // The process ID keeps concurrent runs of the suite (a shared target directory) apart.
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("provision-{}-{test_name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    root
}

async fn start(test_name: &str) -> S3Server {
    S3Server::start(fresh_root(test_name), S3Credentials::default())
        .await
        .expect("s3 twin starts")
}

fn credentials(secret_access_key: &str) -> Option<StaticCredentials> {
    Some(StaticCredentials::new(
        DEFAULT_ACCESS_KEY_ID,
        SecretAccessKey::new(secret_access_key.to_owned()),
    ))
}

async fn twin_client(server: &S3Server) -> aws_sdk_s3::Client {
    provision::s3::client(
        DEFAULT_REGION,
        Some(&server.endpoint_url()),
        credentials(DEFAULT_SECRET_ACCESS_KEY),
    )
    .await
}

/// `status content-type cache-control sha256 body` of the stored object, as the SDK reads it back.
async fn stored(client: &aws_sdk_s3::Client) -> String {
    let object = client
        .get_object()
        .bucket(BUCKET)
        .key(login_page::OBJECT_KEY)
        .send()
        .await
        .expect("get object");
    let summary = format!(
        "content-type={:?} cache-control={:?} sha256={:?}",
        object.content_type(),
        object.cache_control(),
        object
            .metadata()
            .and_then(|metadata| metadata.get("sha256")),
    );
    let body = object.body.collect().await.expect("read body").into_bytes();
    format!("{summary} body={:?}", String::from_utf8_lossy(&body))
}

fn modified(path: &std::path::Path) -> std::time::SystemTime {
    std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .expect("object file exists")
}

#[tokio::test]
async fn publish_uploads_once_and_again_only_when_the_page_changes() {
    let server = start("idempotent").await;
    let client = twin_client(&server).await;
    let expected_url = format!("{}/{BUCKET}/index.html", server.endpoint_url());

    let first = publish(&client, BUCKET, login_page::OBJECT_KEY, FIRST_PAGE)
        .await
        .expect("first publish");
    let after_first = stored(&client).await;
    let object_file = server.root_dir().join(BUCKET).join(login_page::OBJECT_KEY);
    let modified_after_first = modified(&object_file);
    let second = publish(&client, BUCKET, login_page::OBJECT_KEY, FIRST_PAGE)
        .await
        .expect("second publish");
    // The twin keeps objects as files: an untouched file proves no PUT reached it.
    assert_eq!(modified(&object_file), modified_after_first);
    let changed = publish(&client, BUCKET, login_page::OBJECT_KEY, CHANGED_PAGE)
        .await
        .expect("publish of a changed page");
    let after_change = stored(&client).await;

    for published in [&first, &second, &changed] {
        assert_eq!(published.url.as_str(), expected_url);
    }
    let uploads = [first.uploaded, second.uploaded, changed.uploaded];
    expect![[r#"
        uploaded: [true, false, true]
        after first: content-type=Some("text/html; charset=utf-8") cache-control=Some("no-cache") sha256=Some("3d1b0d7547b0388de97965f048cec821efdc45d4064a0ff640a634fbd33e0665") body="<!doctype html><title>Link your Google account</title>"
        after change: content-type=Some("text/html; charset=utf-8") cache-control=Some("no-cache") sha256=Some("7aab42b82faa45be704fdd71f3d9fbc6e436353a2b61b5f1a1dd1a07c16ebca8") body="<!doctype html><title>Link your Google account, again</title>"
    "#]]
    .assert_eq(&format!(
        "uploaded: {uploads:?}\nafter first: {after_first}\nafter change: {after_change}\n"
    ));
}

#[tokio::test]
async fn publish_reuploads_when_the_stored_headers_differ() {
    let server = start("headers-differ").await;
    let client = twin_client(&server).await;
    client
        .create_bucket()
        .bucket(BUCKET)
        .send()
        .await
        .expect("create bucket");
    // Someone uploaded the same bytes by hand, without our content type and hash.
    client
        .put_object()
        .bucket(BUCKET)
        .key(login_page::OBJECT_KEY)
        .content_type("application/octet-stream")
        .body(FIRST_PAGE.as_bytes().to_vec().into())
        .send()
        .await
        .expect("manual upload");

    let published = publish(&client, BUCKET, login_page::OBJECT_KEY, FIRST_PAGE)
        .await
        .expect("publish into an existing bucket");

    assert!(published.uploaded, "{published:?}");
    assert!(
        stored(&client)
            .await
            .starts_with(r#"content-type=Some("text/html; charset=utf-8")"#),
        "the page must now be served as HTML"
    );
}

#[tokio::test]
async fn object_urls_use_the_https_rest_endpoint_on_aws_and_path_style_elsewhere() {
    let aws_eu = provision::s3::client("eu-west-1", None, credentials("unused")).await;
    let aws_us = provision::s3::client("us-east-1", None, credentials("unused")).await;
    let custom = provision::s3::client(
        DEFAULT_REGION,
        Some("http://127.0.0.1:4566"),
        credentials("unused"),
    )
    .await;

    let mut urls = Vec::new();
    for client in [&aws_eu, &aws_us, &custom] {
        let url = object_url(client, BUCKET, login_page::OBJECT_KEY)
            .await
            .expect("object url");
        urls.push(url.to_string());
    }
    expect![[r#"
        [
            "https://skill-login-page.s3.eu-west-1.amazonaws.com/index.html",
            "https://skill-login-page.s3.us-east-1.amazonaws.com/index.html",
            "http://127.0.0.1:4566/skill-login-page/index.html",
        ]
    "#]]
    .assert_debug_eq(&urls);
}

#[tokio::test]
async fn wrong_credentials_give_access_denied_naming_the_fix() {
    let server = start("access-denied").await;
    let impostor = provision::s3::client(
        DEFAULT_REGION,
        Some(&server.endpoint_url()),
        credentials("wrong-secret"),
    )
    .await;

    let error = publish(&impostor, BUCKET, login_page::OBJECT_KEY, FIRST_PAGE)
        .await
        .expect_err("wrong credentials must fail");

    assert!(matches!(error, S3Error::AccessDenied { .. }), "{error:?}");
    let message = error.to_string();
    expect![[r#"S3 denied HeadBucket on bucket skill-login-page (no error body, HTTP 403): check the AWS credentials/profile can s3:PutObject on skill-login-page (publishing also uses s3:ListBucket, s3:GetObject and s3:CreateBucket on it)"#]]
        .assert_eq(&message);
    assert!(!message.contains("wrong-secret") && !format!("{error:?}").contains("wrong-secret"));
}

#[tokio::test]
async fn closed_port_gives_endpoint_unreachable_naming_the_fix() {
    // Bind, note the port, close it: nothing listens there while the test runs (barring a race
    // with another process grabbing the same ephemeral port, which the OS makes unlikely).
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("ephemeral port")
        .port();
    let endpoint = format!("http://127.0.0.1:{closed_port}");
    let client = provision::s3::client(
        DEFAULT_REGION,
        Some(&endpoint),
        credentials(DEFAULT_SECRET_ACCESS_KEY),
    )
    .await;

    let error = publish(&client, BUCKET, login_page::OBJECT_KEY, FIRST_PAGE)
        .await
        .expect_err("nothing listens there");

    match &error {
        S3Error::EndpointUnreachable {
            endpoint: reported, ..
        } => assert_eq!(reported, &endpoint),
        other => panic!("expected EndpointUnreachable, got {other:?}"),
    }
    expect![[r#"cannot reach the S3 endpoint http://127.0.0.1:PORT (Connection refused (os error 111)): is the endpoint URL right / is the server running?"#]]
        .assert_eq(&error.to_string().replace(&closed_port.to_string(), "PORT"));
}

#[tokio::test]
async fn invalid_bucket_name_fails_before_any_request() {
    // The endpoint is never contacted: validation happens first, so even a closed port is fine.
    let client = provision::s3::client(
        DEFAULT_REGION,
        Some("http://127.0.0.1:9"),
        credentials("unused"),
    )
    .await;

    let error = publish(&client, "Login_Page", login_page::OBJECT_KEY, FIRST_PAGE)
        .await
        .expect_err("invalid bucket name");

    assert!(
        matches!(error, S3Error::InvalidBucketName { .. }),
        "{error:?}"
    );
}
