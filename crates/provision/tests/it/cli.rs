//! The binary's offline subcommands: `google-setup`, `login-page render`, `--help`, and the
//! one-line errors for a missing or bad config.

use expect_test::expect;

use crate::support::{config_text, fresh_dir, provision, run, write_config};

#[tokio::test]
async fn google_setup_prints_the_checklist_with_exact_values() {
    let dir = fresh_dir("google-setup");
    write_config(&dir, &config_text(None, ""));

    let output = run(&mut provision(&dir, &["google-setup"])).await;

    assert!(output.success, "{output:?}");
    expect![[r#"
        Google Cloud Console checklist for test-client-id.apps.googleusercontent.com (vendor M2AAAAAAAAAAAA), from skill.toml

        1. APIs & Services > Library: enable these APIs in the project that owns the client
           - Google Calendar API (calendar-json.googleapis.com)
           - Google Drive API (drive.googleapis.com)
           - Google Sheets API (sheets.googleapis.com)

        2. Google Auth Platform > Branding / Audience (OAuth consent screen)
           - User type: External
           - Authorized domains:
             - amazon.com
             - amazon.co.jp
             - skill-login-page.s3.us-east-1.amazonaws.com
             (amazon.com and amazon.co.jp cover the Alexa redirect URIs; the last one is the login page's host. Hosts under amazonaws.com are public suffixes that Google may refuse to verify [unverified]: if so, serve the page from a domain you own and set [login_page] url)
           - Publishing status: In production. In Testing, Google's refresh tokens die 7 days after consent and Alexa then asks users to link again; tokens issued while in Testing keep that limit, so users who linked then must link again
           - Verification: https://www.googleapis.com/auth/calendar.events.readonly need Google's app verification before more than 100 users (unverified apps show a warning screen)

        3. Google Auth Platform > Clients (APIs & Services > Credentials): create an OAuth client ID
           - Application type: Web application
           - Authorized JavaScript origins: none
           - Authorized redirect URIs (all three, exactly):
             - https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA
             - https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA
             - https://alexa.amazon.co.jp/api/skill/link/M2AAAAAAAAAAAA
           - Then put the client ID in skill.toml ([google] client_id = "test-client-id.apps.googleusercontent.com") and export the secret as GOOGLE_CLIENT_SECRET (never in the file)

        4. Google Auth Platform > Data access: add these scopes
           - openid (sign in: the account's stable Google ID; sign-in, no verification)
           - email (the account's email address; sign-in, no verification)
           - https://www.googleapis.com/auth/calendar.events.readonly (events on all calendars, read-only; sensitive, needs app verification)
           - https://www.googleapis.com/auth/drive.file (Drive files the skill creates or the user opens with it; non-sensitive)

        5. Then run `provision check` to test the client ID and secret against Google
    "#]]
    .assert_eq(&output.stdout);
}

#[tokio::test]
async fn sign_in_scopes_alone_may_stay_in_testing() {
    let dir = fresh_dir("google-setup-sign-in");
    write_config(&dir, &config_text(None, ""));

    let output = run(provision(&dir, &["google-setup"]).env("GOOGLE_SCOPES", "openid email")).await;

    assert!(output.success, "{output:?}");
    assert!(
        output
            .stdout
            .contains("(none: the configured scopes are sign-in scopes only)")
    );
    assert!(output.stdout.contains("Publishing status: Testing works"));
}

#[tokio::test]
async fn a_missing_config_file_names_the_path_and_the_copy_command() {
    let dir = fresh_dir("missing-config");
    let mut messages = Vec::new();
    for arguments in [
        &["google-setup"][..],
        &["login-page", "render", "--out", "page"],
        &["account-linking", "show"],
        &["--config", "elsewhere.toml", "google-setup"],
    ] {
        let output = run(&mut provision(&dir, arguments)).await;
        assert!(!output.success, "{arguments:?}");
        assert_eq!(output.stdout, "", "{arguments:?}");
        messages.push(output.stderr);
    }
    expect![[r#"
        [
            "error: config file skill.toml does not exist: run `cp skill.example.toml skill.toml` in the repository root and fill it in, or pass --config PATH\n",
            "error: config file skill.toml does not exist: run `cp skill.example.toml skill.toml` in the repository root and fill it in, or pass --config PATH\n",
            "error: config file skill.toml does not exist: run `cp skill.example.toml skill.toml` in the repository root and fill it in, or pass --config PATH\n",
            "error: config file elsewhere.toml does not exist: run `cp skill.example.toml elsewhere.toml` in the repository root and fill it in, or pass --config PATH\n",
        ]
    "#]]
    .assert_debug_eq(&messages);
}

#[tokio::test]
async fn bad_values_from_flags_and_the_environment_name_their_origin() {
    let dir = fresh_dir("bad-overrides");
    write_config(&dir, &config_text(None, ""));

    let output = run(provision(
        &dir,
        &[
            "--skill-id",
            "amzn1.ask.skill.nope",
            "account-linking",
            "show",
        ],
    )
    .env("GOOGLE_SCOPES", "openid https://mail.google.com/"))
    .await;

    assert!(!output.success);
    let lines: Vec<&str> = output.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", output.stderr);
    assert!(
        lines[0].starts_with("error: --skill-id / SKILL_ID: skill.skill_id is invalid"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(
            "--scopes / GOOGLE_SCOPES: google.scopes is invalid: unknown scope \"https://mail.google.com/\""
        ),
        "{}",
        lines[1]
    );
}

#[tokio::test]
async fn login_page_render_writes_the_page_for_the_configured_endpoint() {
    let dir = fresh_dir("render");
    write_config(&dir, &config_text(Some("http://127.0.0.1:9"), ""));

    let output = run(&mut provision(
        &dir,
        &["login-page", "render", "--out", "out/page"],
    ))
    .await;

    assert!(output.success, "{output:?}");
    assert_eq!(output.stdout, "wrote out/page/index.html\n");
    let page = std::fs::read_to_string(dir.join("out/page/index.html")).expect("page written");
    let embedded = provision::check::embedded_login_config(&page).expect("config block");
    expect![[r#"{"allowedRedirectOrigins":["https://pitangui.amazon.com","https://layla.amazon.com","https://alexa.amazon.co.jp"],"authorizationEndpoint":"http://127.0.0.1:9/o/oauth2/v2/auth","clientId":"test-client-id.apps.googleusercontent.com","scopes":["openid","email","https://www.googleapis.com/auth/calendar.events.readonly","https://www.googleapis.com/auth/drive.file"],"vendorId":"M2AAAAAAAAAAAA"}"#]]
        .assert_eq(&embedded.to_string());
}

#[tokio::test]
async fn help_reads_like_documentation_for_every_subcommand() {
    let dir = fresh_dir("help");
    for arguments in [
        &["--help"][..],
        &["google-setup", "--help"],
        &["check", "--help"],
        &["login-page", "--help"],
        &["login-page", "render", "--help"],
        &["login-page", "publish", "--help"],
        &["account-linking", "--help"],
        &["account-linking", "show", "--help"],
        &["account-linking", "apply", "--help"],
        &["account-linking", "get", "--help"],
    ] {
        let output = run(&mut provision(&dir, arguments)).await;
        assert!(output.success, "{arguments:?}: {output:?}");
        assert!(output.stdout.contains("Usage: provision"), "{arguments:?}");
        assert!(output.stdout.contains("--config <PATH>"), "{arguments:?}");
        let is_group = matches!(
            arguments,
            [_] | ["login-page" | "account-linking", "--help"]
        );
        if !is_group {
            assert!(output.stdout.contains("Example:"), "{arguments:?}");
            assert!(output.stdout.contains("Needs: "), "{arguments:?}");
        }
    }
}
