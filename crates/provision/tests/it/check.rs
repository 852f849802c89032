//! `provision check` and `provision login-page publish` against the Google emulator and the local
//! S3 twin: client credentials right and wrong, a published page checked over HTTP, and S3 errors.

use std::path::Path;

use devstack::google::{DEFAULT_CLIENT_SECRET, Emulator};
use devstack::s3::{DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, S3Credentials, S3Server};
use expect_test::expect;

use crate::support::{Output, config_text, fresh_dir, provision, run, write_config};

/// A loopback URL nothing listens on.
fn closed_port_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("ephemeral port")
        .port();
    format!("http://127.0.0.1:{port}/index.html")
}

async fn check_with_secret(dir: &Path, secret: &str, extra: &[(&str, &str)]) -> Output {
    let mut command = provision(dir, &["check"]);
    command.env("GOOGLE_CLIENT_SECRET", secret);
    for (name, value) in extra {
        command.env(name, value);
    }
    run(&mut command).await
}

#[tokio::test]
async fn check_tells_a_wrong_client_secret_from_a_right_one() {
    let google = Emulator::start(devstack::google::Config::default())
        .await
        .expect("emulator");
    let dir = fresh_dir("check-secret");
    write_config(&dir, &config_text(Some(&google.base_url()), ""));
    let page_url = closed_port_url();
    let base = google.base_url();

    let mut reports = Vec::new();
    for (secret, scheme) in [
        ("wrong-secret", "HTTP_BASIC"),
        (DEFAULT_CLIENT_SECRET, "HTTP_BASIC"),
        ("wrong-secret", "REQUEST_BODY_CREDENTIALS"),
        (DEFAULT_CLIENT_SECRET, "REQUEST_BODY_CREDENTIALS"),
    ] {
        let output = check_with_secret(
            &dir,
            secret,
            &[
                ("LOGIN_PAGE_URL", &page_url),
                ("ACCESS_TOKEN_SCHEME", scheme),
            ],
        )
        .await;
        assert!(!output.stdout.contains("wrong-secret"), "{output:?}");
        assert!(!output.stdout.contains(DEFAULT_CLIENT_SECRET), "{output:?}");
        // The token finding, the unreachable page and the verdict; the rest is the same each time.
        let interesting: Vec<String> = output
            .stdout
            .lines()
            .filter(|line| !line.starts_with("ok: skill.toml") && !line.contains("skill_id"))
            .map(|line| {
                line.replace(&base, "GOOGLE")
                    .replace(&page_url, "CLOSED_PAGE_URL")
            })
            .collect();
        reports.push(format!(
            "{scheme} {} secret, success={}\n{}\n",
            if secret == DEFAULT_CLIENT_SECRET {
                "right"
            } else {
                "wrong"
            },
            output.success,
            interesting.join("\n"),
        ));
    }
    // The OS error text of a refused connection is stable on Linux, where these tests run.
    expect![[r#"
        HTTP_BASIC wrong secret, success=false
        ok: the Google client secret is set
        warning: the login page URL CLOSED_PAGE_URL is not https: fine for the offline twin, but Alexa requires https on port 443
        problem: GOOGLE/token rejected the client (HTTP 401 invalid_client: Unauthorized): the client ID or GOOGLE_CLIENT_SECRET is wrong; copy both again from Google Cloud Console, Credentials, for the Web application client
        warning: cannot reach the login page CLOSED_PAGE_URL (Connection refused (os error 111)): page not checked; run again with network access, or pass --offline
        check found 1 problem(s)

        HTTP_BASIC right secret, success=true
        ok: the Google client secret is set
        warning: the login page URL CLOSED_PAGE_URL is not https: fine for the offline twin, but Alexa requires https on port 443
        ok: GOOGLE/token accepted the client ID and secret (a dummy code got invalid_grant, as expected)
        warning: cannot reach the login page CLOSED_PAGE_URL (Connection refused (os error 111)): page not checked; run again with network access, or pass --offline
        check passed

        REQUEST_BODY_CREDENTIALS wrong secret, success=false
        ok: the Google client secret is set
        warning: the login page URL CLOSED_PAGE_URL is not https: fine for the offline twin, but Alexa requires https on port 443
        problem: GOOGLE/token rejected the client (HTTP 401 invalid_client: Unauthorized): the client ID or GOOGLE_CLIENT_SECRET is wrong; copy both again from Google Cloud Console, Credentials, for the Web application client
        warning: cannot reach the login page CLOSED_PAGE_URL (Connection refused (os error 111)): page not checked; run again with network access, or pass --offline
        check found 1 problem(s)

        REQUEST_BODY_CREDENTIALS right secret, success=true
        ok: the Google client secret is set
        warning: the login page URL CLOSED_PAGE_URL is not https: fine for the offline twin, but Alexa requires https on port 443
        ok: GOOGLE/token accepted the client ID and secret (a dummy code got invalid_grant, as expected)
        warning: cannot reach the login page CLOSED_PAGE_URL (Connection refused (os error 111)): page not checked; run again with network access, or pass --offline
        check passed
    "#]].assert_eq(&reports.join("\n"));
}

#[tokio::test]
async fn check_offline_sends_nothing_and_reports_every_config_problem() {
    let dir = fresh_dir("check-offline");
    write_config(
        &dir,
        &config_text(None, "").replace("vendor_id = \"M2AAAAAAAAAAAA\"", "vendor_id = \"nope\""),
    );

    let output =
        run(provision(&dir, &["check", "--offline"]).env("GOOGLE_TOKEN_URL", "ftp://x")).await;

    assert!(!output.success);
    expect![[r#"
        problem: skill.toml: skill.vendor_id is invalid: vendor id "nope" is not valid: it must be 13 or 14 uppercase ASCII letters and digits, like MFERJAF7R6NLZ; copy it from the Alexa developer console (Settings, My IDs) or `vendor_id` in ~/.ask/cli_config
        problem: --token-url / GOOGLE_TOKEN_URL: google.token_url is invalid: "ftp://x" must be an https URL (plain http only for 127.0.0.0/8, localhost or [::1]): use https://oauth2.googleapis.com/token (or remove the key)
        check found 2 problem(s)
    "#]].assert_eq(&output.stdout);
}

async fn start_s3(test_name: &str) -> S3Server {
    S3Server::start(
        fresh_dir(&format!("{test_name}-s3")),
        S3Credentials::default(),
    )
    .await
    .expect("s3 twin")
}

fn with_aws_credentials<'command>(
    command: &'command mut tokio::process::Command,
    s3: &S3Server,
    secret_access_key: &str,
) -> &'command mut tokio::process::Command {
    command
        .env("AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", secret_access_key)
        .env("AWS_ENDPOINT_URL_S3", s3.endpoint_url())
}

#[tokio::test]
async fn publish_uploads_once_and_check_then_verifies_the_served_page() {
    let google = Emulator::start(devstack::google::Config::default())
        .await
        .expect("emulator");
    let s3 = start_s3("publish-check").await;
    let dir = fresh_dir("publish-check");
    write_config(&dir, &config_text(Some(&google.base_url()), ""));

    let first = run(with_aws_credentials(
        &mut provision(&dir, &["login-page", "publish"]),
        &s3,
        DEFAULT_SECRET_ACCESS_KEY,
    ))
    .await;
    let second = run(with_aws_credentials(
        &mut provision(&dir, &["login-page", "publish"]),
        &s3,
        DEFAULT_SECRET_ACCESS_KEY,
    ))
    .await;
    let mut check = provision(&dir, &["check"]);
    check.env("GOOGLE_CLIENT_SECRET", DEFAULT_CLIENT_SECRET);
    let checked = run(with_aws_credentials(
        &mut check,
        &s3,
        DEFAULT_SECRET_ACCESS_KEY,
    ))
    .await;

    assert!(first.success && second.success, "{first:?} {second:?}");
    assert!(checked.success, "{checked:?}");
    let transcript = format!("{}{}{}", first.stdout, second.stdout, checked.stdout)
        .replace(&s3.endpoint_url(), "S3")
        .replace(&google.base_url(), "GOOGLE");
    expect![[r#"
        login page uploaded: S3/skill-login-page/index.html
        paste this URL as the Authorization URI in the Alexa developer console (Account Linking), or run `provision account-linking apply`
        login page unchanged, not uploaded: S3/skill-login-page/index.html
        paste this URL as the Authorization URI in the Alexa developer console (Account Linking), or run `provision account-linking apply`
        ok: skill.toml is valid (4 scopes, vendor M2AAAAAAAAAAAA)
        ok: the Google client secret is set
        warning: skill.skill_id is not set: `account-linking apply` needs it; add it under [skill] once the skill exists, or pass --skill-id / SKILL_ID
        warning: the login page URL S3/skill-login-page/index.html is not https: fine for the offline twin, but Alexa requires https on port 443
        ok: GOOGLE/token accepted the client ID and secret (a dummy code got invalid_grant, as expected)
        ok: the login page at S3/skill-login-page/index.html forwards to GOOGLE/o/oauth2/v2/auth with access_type=offline&prompt=consent
        check passed
    "#]].assert_eq(&transcript);
}

#[tokio::test]
async fn check_flags_a_page_published_for_another_endpoint() {
    let google = Emulator::start(devstack::google::Config::default())
        .await
        .expect("emulator");
    let s3 = start_s3("stale-page").await;
    let dir = fresh_dir("stale-page");
    write_config(&dir, &config_text(Some(&google.base_url()), ""));
    // Published while the config still pointed at Google itself.
    let published = run(with_aws_credentials(
        provision(&dir, &["login-page", "publish"]).env(
            "GOOGLE_AUTHORIZATION_ENDPOINT",
            login_page::GOOGLE_AUTHORIZATION_ENDPOINT,
        ),
        &s3,
        DEFAULT_SECRET_ACCESS_KEY,
    ))
    .await;
    assert!(published.success, "{published:?}");

    let mut check = provision(&dir, &["check"]);
    check.env("GOOGLE_CLIENT_SECRET", DEFAULT_CLIENT_SECRET);
    let checked = run(with_aws_credentials(
        &mut check,
        &s3,
        DEFAULT_SECRET_ACCESS_KEY,
    ))
    .await;

    assert!(!checked.success, "{checked:?}");
    let problems: Vec<String> = checked
        .stdout
        .lines()
        .filter(|line| line.starts_with("problem:"))
        .map(|line| line.replace(&google.base_url(), "GOOGLE"))
        .collect();
    expect![[r#"
        [
            "problem: the login page forwards to \"https://accounts.google.com/o/oauth2/v2/auth\", but google.authorization_endpoint is GOOGLE/o/oauth2/v2/auth: run `provision login-page publish`",
        ]
    "#]].assert_debug_eq(&problems);
}

#[tokio::test]
async fn check_reports_a_page_that_was_never_published() {
    let google = Emulator::start(devstack::google::Config::default())
        .await
        .expect("emulator");
    let s3 = start_s3("unpublished").await;
    let dir = fresh_dir("unpublished");
    write_config(&dir, &config_text(Some(&google.base_url()), ""));

    let mut check = provision(&dir, &["check"]);
    check.env("GOOGLE_CLIENT_SECRET", DEFAULT_CLIENT_SECRET);
    let checked = run(with_aws_credentials(
        &mut check,
        &s3,
        DEFAULT_SECRET_ACCESS_KEY,
    ))
    .await;

    assert!(!checked.success, "{checked:?}");
    let problem = checked
        .stdout
        .lines()
        .find(|line| line.starts_with("problem:"))
        .expect("a problem line")
        .replace(&s3.endpoint_url(), "S3");
    expect!["problem: the login page is not published at S3/skill-login-page/index.html (HTTP 404): run `provision login-page publish`"].assert_eq(&problem);
}

#[tokio::test]
async fn publish_with_wrong_aws_credentials_fails_in_one_line_without_the_secret() {
    let s3 = start_s3("denied").await;
    let dir = fresh_dir("denied");
    write_config(&dir, &config_text(None, ""));

    let output = run(with_aws_credentials(
        &mut provision(&dir, &["login-page", "publish"]),
        &s3,
        "wrong-aws-secret",
    ))
    .await;

    assert!(!output.success);
    assert_eq!(output.stdout, "");
    assert!(!output.stderr.contains("wrong-aws-secret"));
    expect![[r#"
        error: could not publish the login page: S3 denied HeadBucket on bucket skill-login-page (no error body, HTTP 403): check the AWS credentials/profile can s3:PutObject on skill-login-page (publishing also uses s3:ListBucket, s3:GetObject and s3:CreateBucket on it)
    "#]].assert_eq(&output.stderr);
}
