//! `provision account-linking show|apply|get` against the SMAPI + LWA stand-in: the payload Amazon's
//! own model accepts, every credential source, the cli_config refresh, and each SMAPI error.

use std::path::Path;
use std::process::Stdio;

use expect_test::expect;
use tokio::io::AsyncWriteExt as _;

use crate::support::{
    EXPIRED_ACCESS_TOKEN, LWA_CLIENT_ID, LWA_CLIENT_SECRET, Output, REFRESH_TOKEN,
    REFRESHED_ACCESS_TOKEN, SKILL_ID, SmapiStandIn, VALID_ACCESS_TOKEN, config_text, fresh_dir,
    provision, run, write_cli_config, write_config,
};

const GOOGLE_SECRET: &str = "GOCSPX-google-client-secret";

fn skill_config(dir: &Path) {
    write_config(
        dir,
        &config_text(None, &format!("skill_id = \"{SKILL_ID}\"")),
    );
}

fn smapi_command(dir: &Path, smapi: &SmapiStandIn, arguments: &[&str]) -> tokio::process::Command {
    let mut command = provision(dir, arguments);
    command
        .env("GOOGLE_CLIENT_SECRET", GOOGLE_SECRET)
        .env("ASK_SMAPI_SERVER_BASE_URL", smapi.base_url())
        .env("ASK_LWA_TOKEN_HOST", smapi.base_url());
    command
}

/// Runs Amazon's model check (tests/python/smapi_model_check.py) on `json`.
async fn smapi_model_check(json: &str) -> (bool, String) {
    let mut child = tokio::process::Command::new(devstack::venv::require("python"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/smapi_model_check.py"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the venv python runs (cargo xtask setup installs it)");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(json.as_bytes()).await.expect("write json");
    drop(stdin);
    let output = child.wait_with_output().await.expect("python finishes");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn show_prints_a_body_amazons_model_accepts_with_the_secret_only_on_request() {
    let dir = fresh_dir("show");
    skill_config(&dir);

    let hidden =
        run(provision(&dir, &["account-linking", "show"])
            .env("GOOGLE_CLIENT_SECRET", GOOGLE_SECRET))
        .await;
    let shown = run(
        provision(&dir, &["account-linking", "show", "--show-secret"])
            .env("GOOGLE_CLIENT_SECRET", GOOGLE_SECRET),
    )
    .await;

    assert!(hidden.success && shown.success, "{hidden:?} {shown:?}");
    assert!(!hidden.stdout.contains(GOOGLE_SECRET) && !hidden.stderr.contains(GOOGLE_SECRET));
    assert!(
        hidden
            .stderr
            .starts_with("note: clientSecret is a placeholder"),
        "{hidden:?}"
    );
    expect![[r#"
        {
          "accountLinkingRequest": {
            "type": "AUTH_CODE",
            "authorizationUrl": "https://skill-login-page.s3.us-east-1.amazonaws.com/index.html",
            "accessTokenUrl": "https://oauth2.googleapis.com/token",
            "clientId": "test-client-id.apps.googleusercontent.com",
            "clientSecret": "<from GOOGLE_CLIENT_SECRET>",
            "accessTokenScheme": "HTTP_BASIC",
            "scopes": [
              "openid",
              "email",
              "https://www.googleapis.com/auth/calendar.events.readonly",
              "https://www.googleapis.com/auth/drive.file"
            ],
            "domains": [
              "accounts.google.com",
              "google.com",
              "googleapis.com"
            ],
            "skipOnEnablement": false,
            "defaultTokenExpirationInSeconds": 3600
          }
        }
    "#]]
    .assert_eq(&hidden.stdout);
    assert_eq!(
        shown.stdout,
        hidden
            .stdout
            .replace("<from GOOGLE_CLIENT_SECRET>", GOOGLE_SECRET)
    );
    for body in [&hidden.stdout, &shown.stdout] {
        let (accepted, differences) = smapi_model_check(body).await;
        assert!(accepted, "ask-smapi-model disagrees:\n{differences}");
    }
}

#[tokio::test]
async fn the_model_check_catches_a_misnamed_field_and_a_string_boolean() {
    let (accepted, differences) = smapi_model_check(
        r#"{"accountLinkingRequest":{"type":"AUTH_CODE","scope":["openid"],"skipOnEnablement":"false"}}"#,
    )
    .await;
    assert!(!accepted);
    expect![[r#"
        $.accountLinkingRequest.scope: dropped by ask-smapi-model (unknown field?), input had ["openid"]
        $.accountLinkingRequest.skipOnEnablement: "false" came back as true
    "#]].assert_eq(&differences);
}

#[tokio::test]
async fn apply_sends_the_body_with_the_access_token_and_get_reads_it_back() {
    let smapi = SmapiStandIn::start().await;
    let dir = fresh_dir("apply-access-token");
    skill_config(&dir);

    let applied = run(smapi_command(&dir, &smapi, &["account-linking", "apply"])
        .env("ASK_ACCESS_TOKEN", VALID_ACCESS_TOKEN))
    .await;
    let read = run(smapi_command(&dir, &smapi, &["account-linking", "get"])
        .env("ASK_ACCESS_TOKEN", VALID_ACCESS_TOKEN))
    .await;

    assert!(applied.success, "{applied:?}");
    assert!(read.success, "{read:?}");
    assert!(!applied.stdout.contains(GOOGLE_SECRET) && !applied.stderr.contains(GOOGLE_SECRET));
    assert!(!applied.stderr.contains(VALID_ACCESS_TOKEN));
    let requests = smapi.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    let put = &requests[0];
    assert_eq!(put.method, "PUT");
    assert_eq!(
        put.path,
        format!("/v1/skills/{SKILL_ID}/stages/development/accountLinkingClient")
    );
    assert_eq!(put.authorization.as_deref(), Some(VALID_ACCESS_TOKEN));
    let body: serde_json::Value = serde_json::from_str(&put.body).expect("json body");
    assert_eq!(body["accountLinkingRequest"]["clientSecret"], GOOGLE_SECRET);
    assert_eq!(requests[1].method, "GET");
    expect![[r#"
        using Amazon credentials from ASK_ACCESS_TOKEN
        account linking of amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (development) now uses https://skill-login-page.s3.us-east-1.amazonaws.com/index.html with client test-client-id.apps.googleusercontent.com
        {
          "accountLinkingResponse": {
            "accessTokenScheme": "HTTP_BASIC",
            "accessTokenUrl": "https://oauth2.googleapis.com/token",
            "authorizationUrl": "https://skill-login-page.s3.us-east-1.amazonaws.com/index.html",
            "clientId": "test-client-id.apps.googleusercontent.com",
            "defaultTokenExpirationInSeconds": 3600,
            "domains": [
              "accounts.google.com",
              "google.com",
              "googleapis.com"
            ],
            "scopes": [
              "openid",
              "email",
              "https://www.googleapis.com/auth/calendar.events.readonly",
              "https://www.googleapis.com/auth/drive.file"
            ],
            "type": "AUTH_CODE"
          }
        }
    "#]].assert_eq(&format!("{}{}{}", applied.stderr, applied.stdout, read.stdout));
}

#[tokio::test]
async fn apply_refreshes_an_expired_cli_config_token_and_saves_it() {
    let smapi = SmapiStandIn::start().await;
    smapi.accept_token(REFRESHED_ACCESS_TOKEN);
    let dir = fresh_dir("apply-refresh");
    skill_config(&dir);
    let cli_config = write_cli_config(&dir, EXPIRED_ACCESS_TOKEN, "2020-01-01T00:00:00.000Z");

    let applied = run(smapi_command(&dir, &smapi, &["account-linking", "apply"])
        .env("ASK_LWA_CLIENT_ID", LWA_CLIENT_ID)
        .env("ASK_LWA_CLIENT_CONFIRMATION", LWA_CLIENT_SECRET))
    .await;

    assert!(applied.success, "{applied:?}");
    let requests = smapi.requests();
    let methods_and_paths: Vec<String> = requests
        .iter()
        .map(|request| format!("{} {}", request.method, request.path))
        .collect();
    assert_eq!(
        methods_and_paths,
        [
            "POST /auth/o2/token".to_owned(),
            format!("PUT /v1/skills/{SKILL_ID}/stages/development/accountLinkingClient"),
        ]
    );
    assert_eq!(
        requests[1].authorization.as_deref(),
        Some(REFRESHED_ACCESS_TOKEN)
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cli_config).expect("read")).expect("json");
    let token = &saved["profiles"]["default"]["token"];
    assert_eq!(token["access_token"], REFRESHED_ACCESS_TOKEN);
    assert_eq!(token["refresh_token"], REFRESH_TOKEN);
    assert_eq!(token["expires_in"], 3600);
    let expires_at: jiff::Timestamp = token["expires_at"]
        .as_str()
        .expect("expires_at string")
        .parse()
        .expect("timestamp");
    assert!(expires_at > jiff::Timestamp::now(), "{expires_at}");
    // Whatever else the ASK CLI keeps in the file survives the rewrite.
    assert_eq!(saved["profiles"]["default"]["vendor_id"], "M2AAAAAAAAAAAA");
    assert_eq!(saved["machine_id"], "a2b7c4e8-0000-4000-8000-000000000000");
    assert!(
        applied.stderr.contains("(expired, refreshed and saved)"),
        "{applied:?}"
    );

    // The second run uses the saved token without refreshing.
    let again = run(&mut smapi_command(
        &dir,
        &smapi,
        &["account-linking", "apply"],
    ))
    .await;
    assert!(again.success, "{again:?}");
    assert_eq!(smapi.requests().len(), 3);
}

#[tokio::test]
async fn apply_with_refresh_token_variables_refreshes_first() {
    let smapi = SmapiStandIn::start().await;
    smapi.accept_token(REFRESHED_ACCESS_TOKEN);
    let dir = fresh_dir("apply-refresh-variables");
    skill_config(&dir);

    let applied = run(smapi_command(&dir, &smapi, &["account-linking", "apply"])
        .env("ASK_REFRESH_TOKEN", REFRESH_TOKEN)
        .env("ASK_LWA_CLIENT_ID", LWA_CLIENT_ID)
        .env("ASK_LWA_CLIENT_CONFIRMATION", LWA_CLIENT_SECRET))
    .await;
    let wrong_client = run(smapi_command(&dir, &smapi, &["account-linking", "apply"])
        .env("ASK_REFRESH_TOKEN", REFRESH_TOKEN)
        .env("ASK_LWA_CLIENT_ID", LWA_CLIENT_ID)
        .env("ASK_LWA_CLIENT_CONFIRMATION", "wrong-confirmation"))
    .await;

    assert!(applied.success, "{applied:?}");
    assert!(!wrong_client.success);
    assert!(!wrong_client.stderr.contains("wrong-confirmation"));
    assert!(!wrong_client.stderr.contains(REFRESH_TOKEN));
    expect![[r#"
        error: could not get an Amazon (LWA) access token for SMAPI: refreshing the LWA token failed (HTTP 400 Bad Request, invalid_grant: The request has an invalid grant parameter : refresh_token): run `ask configure` to sign in again, or renew ASK_REFRESH_TOKEN
    "#]].assert_eq(&wrong_client.stderr);
}

#[tokio::test]
async fn credential_problems_say_what_to_run() {
    let smapi = SmapiStandIn::start().await;
    let dir = fresh_dir("credential-problems");
    skill_config(&dir);

    let nothing = run(&mut smapi_command(
        &dir,
        &smapi,
        &["account-linking", "apply"],
    ))
    .await;
    write_cli_config(&dir, EXPIRED_ACCESS_TOKEN, "2020-01-01T00:00:00.000Z");
    let expired_without_client = run(&mut smapi_command(
        &dir,
        &smapi,
        &["account-linking", "apply"],
    ))
    .await;
    let other_profile = run(&mut smapi_command(
        &dir,
        &smapi,
        &["account-linking", "apply", "--ask-profile", "work"],
    ))
    .await;
    let half_variables = run(smapi_command(&dir, &smapi, &["account-linking", "apply"])
        .env("ASK_REFRESH_TOKEN", REFRESH_TOKEN))
    .await;
    let no_skill_id = {
        write_config(&dir, &config_text(None, ""));
        run(smapi_command(&dir, &smapi, &["account-linking", "apply"])
            .env("ASK_ACCESS_TOKEN", VALID_ACCESS_TOKEN))
        .await
    };

    let transcript: Vec<String> = [
        nothing,
        expired_without_client,
        other_profile,
        half_variables,
        no_skill_id,
    ]
    .into_iter()
    .map(|output: Output| {
        assert!(!output.success, "{output:?}");
        output.stderr.replace(&dir.display().to_string(), "HOME")
    })
    .collect();
    assert!(smapi.requests().is_empty(), "{:?}", smapi.requests());
    expect![[r#"
        [
            "error: could not get an Amazon (LWA) access token for SMAPI: no Amazon (SMAPI) credentials: run `ask configure` (writes HOME/.ask/cli_config), or set ASK_ACCESS_TOKEN, or ASK_REFRESH_TOKEN with ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_CONFIRMATION\n",
            "error: could not get an Amazon (LWA) access token for SMAPI: the token of profile \"default\" in HOME/.ask/cli_config expired at 2020-01-01T00:00:00.000Z, and refreshing it needs the LWA client it was issued to: run any `ask smapi` command (the ASK CLI refreshes the file), or set ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_CONFIRMATION if the profile was made with your own security profile\n",
            "error: could not get an Amazon (LWA) access token for SMAPI: HOME/.ask/cli_config has no profile \"work\" (it has: default): pass --ask-profile NAME or run `ask configure --profile work`\n",
            "error: could not get an Amazon (LWA) access token for SMAPI: ASK_REFRESH_TOKEN is set but ASK_LWA_CLIENT_ID is not: set ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_CONFIRMATION to the LWA security profile the refresh token was issued to\n",
            "error: skill.toml: skill.skill_id is not set: set skill_id = \"amzn1.ask.skill.…\" under [skill], or pass --skill-id / SKILL_ID (the developer console shows it under the skill's name)\n",
        ]
    "#]].assert_debug_eq(&transcript);
}

#[tokio::test]
async fn each_smapi_error_status_gets_its_own_advice() {
    let smapi = SmapiStandIn::start().await;
    let dir = fresh_dir("smapi-errors");
    skill_config(&dir);

    let mut lines = Vec::new();
    for status in [400, 401, 403, 404, 412, 429, 500, 503] {
        smapi.force_answer(
            status,
            &format!(r#"{{"message":"stand-in says {status}"}}"#),
        );
        let output = run(smapi_command(&dir, &smapi, &["account-linking", "apply"])
            .env("ASK_ACCESS_TOKEN", VALID_ACCESS_TOKEN))
        .await;
        assert!(!output.success, "{output:?}");
        let error_lines: Vec<&str> = output
            .stderr
            .lines()
            .filter(|line| line.starts_with("error: "))
            .collect();
        assert_eq!(error_lines.len(), 1, "{output:?}");
        assert!(
            !output.stderr.contains(VALID_ACCESS_TOKEN) && !output.stderr.contains(GOOGLE_SECRET)
        );
        lines.push(error_lines[0].to_owned());
    }
    // A violation list (SMAPI's 400 shape) is included too, on the same line.
    smapi.force_answer(
        400,
        r#"{"message":"Request is not valid.","violations":[{"code":"INVALID_URL","message":"Authorization Url is invalid."}]}"#,
    );
    let output = run(smapi_command(&dir, &smapi, &["account-linking", "get"])
        .env("ASK_ACCESS_TOKEN", VALID_ACCESS_TOKEN))
    .await;
    lines.push(output.stderr.lines().last().unwrap_or_default().to_owned());
    expect![[r#"
        [
            "error: could not configure account linking of amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (development): SMAPI answered HTTP 400 to PUT accountLinkingClient (stand-in says 400): SMAPI refused a value in the request: fix the one the message names in skill.toml (the authorization URL must be https on port 443), then re-run",
            "error: could not configure account linking of amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (development): SMAPI answered HTTP 401 to PUT accountLinkingClient (stand-in says 401): the LWA access token was refused: run `ask configure` or refresh the credentials (ASK_ACCESS_TOKEN / ASK_REFRESH_TOKEN), then re-run",
            "error: could not configure account linking of amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (development): SMAPI answered HTTP 403 to PUT accountLinkingClient (stand-in says 403): the LWA profile lacks access to this skill/vendor: use the profile of the vendor that owns the skill (--ask-profile) and check --skill-id",
            "error: could not configure account linking of amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (development): SMAPI answered HTTP 404 to PUT accountLinkingClient (stand-in says 404): no such skill, stage or account-linking configuration: check --skill-id and --stage (the live stage exists only after certification)",
            "error: could not configure account linking of amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (development): SMAPI answered HTTP 412 to PUT accountLinkingClient (stand-in says 412): someone changed the skill's account linking meanwhile: re-run the command",
            "error: could not configure account linking of amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (development): SMAPI answered HTTP 429 to PUT accountLinkingClient (stand-in says 429): SMAPI is rate limiting these credentials: wait a minute and retry",
            "error: could not configure account linking of amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (development): SMAPI answered HTTP 500 to PUT accountLinkingClient (stand-in says 500): SMAPI had a server-side failure: retry in a few minutes",
            "error: could not configure account linking of amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (development): SMAPI answered HTTP 503 to PUT accountLinkingClient (stand-in says 503): SMAPI had a server-side failure: retry in a few minutes",
            "error: could not read account linking of amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (development): SMAPI answered HTTP 400 to GET accountLinkingClient (Request is not valid.; Authorization Url is invalid.): SMAPI refused a value in the request: fix the one the message names in skill.toml (the authorization URL must be https on port 443), then re-run",
        ]
    "#]].assert_debug_eq(&lines);
}

#[tokio::test]
async fn an_unreachable_smapi_is_one_line_naming_the_setting() {
    let dir = fresh_dir("smapi-unreachable");
    skill_config(&dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("port")
        .port();

    let output = run(provision(&dir, &["account-linking", "apply"])
        .env("GOOGLE_CLIENT_SECRET", GOOGLE_SECRET)
        .env("ASK_ACCESS_TOKEN", VALID_ACCESS_TOKEN)
        .env(
            "ASK_SMAPI_SERVER_BASE_URL",
            format!("http://127.0.0.1:{port}"),
        ))
    .await;

    assert!(!output.success);
    expect![[r#"
        using Amazon credentials from ASK_ACCESS_TOKEN
        error: could not configure account linking of amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (development): cannot reach SMAPI at http://127.0.0.1:PORT/v1/skills/amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef/stages/development/accountLinkingClient (Connection refused (os error 111)): check --smapi-url / ASK_SMAPI_SERVER_BASE_URL and the network
    "#]].assert_eq(&output.stderr.replace(&port.to_string(), "PORT"));
}

#[tokio::test]
async fn a_smapi_url_without_a_scheme_is_an_error_not_a_panic() {
    let smapi = SmapiStandIn::start().await;
    let dir = fresh_dir("smapi-url-without-scheme");
    skill_config(&dir);
    let outcome = run(smapi_command(&dir, &smapi, &["account-linking", "get"])
        .env("ASK_SMAPI_SERVER_BASE_URL", "localhost:8080")
        .env("ASK_ACCESS_TOKEN", VALID_ACCESS_TOKEN))
    .await;
    assert!(!outcome.success, "{outcome:?}");
    assert!(!outcome.stderr.contains("panicked"), "{outcome:?}");
    assert!(outcome.stderr.contains("https://"), "{outcome:?}");
    assert!(smapi.requests().is_empty());
}

#[tokio::test]
async fn smapi_echoing_the_client_secret_does_not_print_it() {
    let smapi = SmapiStandIn::start().await;
    let dir = fresh_dir("smapi-echoes-secret");
    skill_config(&dir);
    smapi.force_answer(
        400,
        &format!(
            r#"{{"message":"Request is not valid.","violations":[{{"code":"INVALID_VALUE","message":"clientSecret '{GOOGLE_SECRET}' is not valid."}}]}}"#
        ),
    );
    let output = run(smapi_command(&dir, &smapi, &["account-linking", "apply"])
        .env("ASK_ACCESS_TOKEN", VALID_ACCESS_TOKEN))
    .await;
    assert!(!output.success, "{output:?}");
    assert!(!output.stderr.contains(GOOGLE_SECRET), "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("clientSecret '[redacted]' is not valid."),
        "{}",
        output.stderr
    );
}
