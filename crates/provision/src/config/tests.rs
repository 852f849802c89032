//! Unit tests of config parsing, overrides and validation messages.

use super::*;

const VALID: &str = r#"
[skill]
skill_id = "amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef"
vendor_id = "M2AAAAAAAAAAAA"
stage = "development"

[google]
client_id = "test-client-id.apps.googleusercontent.com"
scopes = ["openid", "email", "https://www.googleapis.com/auth/drive.file"]

[login_page]
bucket = "my-skill-login-page-123456789012"

[aws]
region = "eu-west-1"
stack_name = "alexa-google-skill"
artifacts_bucket = "my-skill-artifacts-123456789012"
"#;

fn parse(text: &str, overrides: &Overrides) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("skill.toml"), overrides)
}

#[test]
fn a_minimal_file_gets_the_documented_defaults() {
    let config = parse(VALID, &Overrides::default()).expect("valid");
    assert_eq!(config.google.token_url.as_str(), GOOGLE_TOKEN_URL);
    assert_eq!(
        config.google.authorization_endpoint.as_str(),
        login_page::GOOGLE_AUTHORIZATION_ENDPOINT
    );
    assert_eq!(config.login_page.key.as_str(), "index.html");
    assert_eq!(config.skill.stage, Stage::Development);
    assert_eq!(
        config.account_linking.access_token_scheme,
        AccessTokenScheme::HttpBasic
    );
    assert_eq!(config.account_linking.domains, DEFAULT_DOMAINS);
    assert_eq!(
        config.account_linking.default_token_expiration_seconds,
        3600
    );
    assert_eq!(
        config.login_page_url(None).as_str(),
        "https://my-skill-login-page-123456789012.s3.eu-west-1.amazonaws.com/index.html"
    );
    let endpoint = Url::parse("http://127.0.0.1:4566").unwrap();
    assert_eq!(
        config.login_page_url(Some(&endpoint)).as_str(),
        "http://127.0.0.1:4566/my-skill-login-page-123456789012/index.html"
    );
}

#[test]
fn overrides_replace_file_values_and_name_themselves_in_errors() {
    let overrides = Overrides {
        region: Some("us-east-1".to_owned()),
        skill_id: Some("amzn1.ask.skill.nope".to_owned()),
        ..Overrides::default()
    };
    let error = parse(VALID, &overrides).unwrap_err();
    expect_test::expect![[r#"--skill-id / SKILL_ID: skill.skill_id is invalid: "amzn1.ask.skill.nope" is not an Alexa skill ID: expected `amzn1.ask.skill.` followed by a UUID such as amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (copy it from the Alexa developer console or `.ask/ask-states.json`)"#]]
        .assert_eq(&error.to_string());

    let overrides = Overrides {
        region: Some("us-east-1".to_owned()),
        ..Overrides::default()
    };
    let config = parse(VALID, &overrides).expect("valid");
    assert_eq!(config.aws.region.as_str(), "us-east-1");
}

#[test]
fn every_problem_is_reported_at_once_with_its_fix() {
    let text = r#"
[skill]
vendor_id = "m2aaaa"
stage = "beta"
[google]
client_id = "1234.example.com"
scopes = ["openid", "https://www.googleapis.com/auth/gmail.send"]
token_url = "http://oauth2.googleapis.com/token"
authorization_endpoint = "https://accounts.google.com/o/oauth2/auth?access_type=offline"
[login_page]
bucket = "Login_Page"
[aws]
region = "useast1"
[account_linking]
access_token_scheme = "BASIC"
domains = ["https://accounts.google.com"]
default_token_expiration_seconds = 60
"#;
    let error = parse(text, &Overrides::default()).unwrap_err();
    expect_test::expect![[r#"
        skill.toml: skill.vendor_id is invalid: vendor id "m2aaaa" is not valid: it must be 13 or 14 uppercase ASCII letters and digits, like MFERJAF7R6NLZ; copy it from the Alexa developer console (Settings, My IDs) or `vendor_id` in ~/.ask/cli_config
        skill.toml: skill.stage is invalid: "beta" is not a stage: use "development" or "live"
        skill.toml: google.client_id is invalid: "1234.example.com" does not end with .apps.googleusercontent.com: copy the Web application client ID from Google Cloud Console, APIs & Services, Credentials
        skill.toml: google.scopes is invalid: unknown scope "https://www.googleapis.com/auth/gmail.send": declare it in skill.toml under [[google.declared_scopes]] (name, description, sensitivity, apis, permission; README, "Adding a scope and its API") and in the skill's code as a `const` google_api::scopes::Scope; the table knows openid, email, profile, https://www.googleapis.com/auth/userinfo.email, https://www.googleapis.com/auth/userinfo.profile, https://www.googleapis.com/auth/drive.file, https://www.googleapis.com/auth/drive.metadata.readonly, https://www.googleapis.com/auth/drive.readonly, https://www.googleapis.com/auth/calendar.events.readonly, https://www.googleapis.com/auth/calendar.readonly, https://www.googleapis.com/auth/calendar.events, https://www.googleapis.com/auth/spreadsheets.readonly, https://www.googleapis.com/auth/spreadsheets, https://www.googleapis.com/auth/gmail.readonly: list the scopes the skill needs: the table's, or ones the file declares under [[google.declared_scopes]]; `provision google-setup` prints them
        skill.toml: google.authorization_endpoint is invalid: authorization endpoint https://accounts.google.com/o/oauth2/auth?access_type=offline must not carry the `access_type` parameter: the page forwards Alexa's parameters and adds access_type=offline&prompt=consent itself; remove it from the endpoint's query: use https://accounts.google.com/o/oauth2/v2/auth (or remove the key)
        skill.toml: google.token_url is invalid: "http://oauth2.googleapis.com/token" must be an https URL (plain http only for 127.0.0.0/8, localhost or [::1]): use https://oauth2.googleapis.com/token (or remove the key)
        skill.toml: login_page.bucket is invalid: invalid S3 bucket name "Login_Page": it contains 'L'; use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit: name the S3 bucket that serves the login page, e.g. my-skill-login-page-<account id>
        skill.toml: aws.region is invalid: "useast1" is not an AWS region code: use the region of the stack and buckets, e.g. us-east-1 (Alexa's North America endpoint region)
        skill.toml: aws.stack_name is missing: add stack_name under [aws] or pass --stack-name / STACK_NAME; name the CloudFormation stack, e.g. alexa-google-skill
        skill.toml: aws.artifacts_bucket is missing: add artifacts_bucket under [aws] or pass --artifacts-bucket / ARTIFACTS_BUCKET; name the S3 bucket for the Lambda zip, e.g. my-skill-artifacts-<account id>
        skill.toml: account_linking.access_token_scheme is invalid: "BASIC" is not a scheme: use "HTTP_BASIC" or "REQUEST_BODY_CREDENTIALS" (Google accepts both)
        skill.toml: account_linking.domains is invalid: "https://accounts.google.com" is not a bare lowercase host name (no scheme, path or port): list bare host names like accounts.google.com, at most 15
        skill.toml: account_linking.default_token_expiration_seconds is invalid: 60 is below Alexa's minimum of 360: use 3600 (Google's access tokens live about an hour)"#]]
    .assert_eq(&error.to_string());
}

#[test]
fn unknown_keys_and_bad_toml_name_the_file() {
    let error = parse("[skill]\nskil_id = \"x\"\n", &Overrides::default()).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("skill.toml is not valid TOML"),
        "{message}"
    );
    assert!(message.contains("skil_id"), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn a_missing_file_names_the_copy_command() {
    let error = Config::load(Path::new("/nonexistent/skill.toml")).unwrap_err();
    expect_test::expect!["config file /nonexistent/skill.toml does not exist: run `cp skill.example.toml /nonexistent/skill.toml` in the repository root and fill it in, or pass --config PATH"]
        .assert_eq(&error.to_string());
}

#[test]
fn the_committed_example_is_valid() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../skill.example.toml");
    let config = Config::load(&example).expect("skill.example.toml validates");
    assert_eq!(config.skill.vendor_id.as_str(), "M2AAAAAAAAAAAA");
}

#[test]
fn client_secret_is_redacted_and_read_from_file_or_environment() {
    let secret = ClientSecret::new("GOCSPX-very-secret".to_owned());
    assert_eq!(format!("{secret:?}"), "ClientSecret([redacted])");
    assert_eq!(secret.secret(), "GOCSPX-very-secret");

    let from_environment = load_client_secret(None, Some("abc".to_owned())).unwrap();
    assert_eq!(from_environment.secret(), "abc");
    let file = std::env::temp_dir().join(format!("provision-secret-{}", std::process::id()));
    std::fs::write(&file, "from-file\n").unwrap();
    let from_file = load_client_secret(Some(&file), Some("ignored".to_owned())).unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(from_file.secret(), "from-file");

    let missing = load_client_secret(None, None).unwrap_err().to_string();
    assert!(missing.contains("export GOOGLE_CLIENT_SECRET"), "{missing}");
    let spaced = load_client_secret(None, Some(" abc ".to_owned())).unwrap_err();
    assert!(!spaced.to_string().contains("abc"), "{spaced}");
}

#[test]
fn regions_list_the_main_region_first_and_only_alexas_three_when_several() {
    let with_regions = |line: &str| VALID.replace("region = \"eu-west-1\"", line);
    let config = parse(
        &with_regions("regions = [\"eu-west-1\", \"us-east-1\", \"us-west-2\"]"),
        &Overrides::default(),
    )
    .expect("valid");
    assert_eq!(config.aws.region.as_str(), "eu-west-1");
    assert_eq!(config.aws.regions.main().as_str(), "eu-west-1");
    let alexa: Vec<(&str, &str)> = config
        .aws
        .regions
        .alexa_regions()
        .into_iter()
        .map(|(alexa, aws)| (alexa.as_str(), aws.as_str()))
        .collect();
    assert_eq!(
        alexa,
        [
            ("EU", "eu-west-1"),
            ("NA", "us-east-1"),
            ("FE", "us-west-2")
        ]
    );
    assert_eq!(
        regional_bucket_name(
            &config.aws.artifacts_bucket,
            &config.aws.regions,
            &config.aws.regions.others()[1].0
        ),
        "my-skill-artifacts-123456789012-us-west-2"
    );
    // One region: any region, no regional endpoints.
    let single = parse(VALID, &Overrides::default()).expect("valid");
    assert!(single.aws.regions.alexa_regions().is_empty());
    assert_eq!(single.aws.regions.all().count(), 1);
    // AWS_REGION may repeat the first region.
    let overrides = Overrides {
        region: Some("us-east-1".to_owned()),
        ..Overrides::default()
    };
    assert!(
        parse(
            &with_regions("regions = [\"us-east-1\", \"eu-west-1\"]"),
            &overrides
        )
        .is_ok()
    );

    let cases = [
        (
            with_regions("regions = [\"us-east-1\", \"ap-northeast-1\"]"),
            Overrides::default(),
            "skill.toml: aws.regions is invalid: \"ap-northeast-1\" serves no Alexa region: with several regions, list only us-east-1 (NA), eu-west-1 (EU) and us-west-2 (FE): list AWS regions, the main one (login page, default endpoint) first, e.g. [\"us-east-1\", \"eu-west-1\"]",
        ),
        (
            with_regions("regions = [\"us-east-1\", \"us-east-1\"]"),
            Overrides::default(),
            "skill.toml: aws.regions is invalid: \"us-east-1\" is listed twice: list AWS regions, the main one (login page, default endpoint) first, e.g. [\"us-east-1\", \"eu-west-1\"]",
        ),
        (
            with_regions("regions = []"),
            Overrides::default(),
            "skill.toml: aws.regions is invalid: the list is empty: list AWS regions, the main one (login page, default endpoint) first, e.g. [\"us-east-1\", \"eu-west-1\"]",
        ),
        (
            with_regions("regions = [\"us-east-1\", \"eu-west-1\"]"),
            Overrides {
                region: Some("eu-west-1".to_owned()),
                ..Overrides::default()
            },
            "--region / AWS_REGION: aws.region is \"eu-west-1\", but the first of aws.regions is \"us-east-1\": remove region (aws.regions names the main region first) or make them agree",
        ),
        (
            VALID
                .replace(
                    "region = \"eu-west-1\"",
                    "regions = [\"us-east-1\", \"eu-west-1\"]",
                )
                .replace(
                    "my-skill-artifacts-123456789012",
                    "a-very-long-artifacts-bucket-name-that-nearly-fills-63-chars",
                ),
            Overrides::default(),
            "skill.toml: aws.artifacts_bucket gives the bucket \"a-very-long-artifacts-bucket-name-that-nearly-fills-63-chars-eu-west-1\" in eu-west-1, which is invalid",
        ),
    ];
    for (text, overrides, expected) in cases {
        let message = parse(&text, &overrides).unwrap_err().to_string();
        assert!(message.starts_with(expected), "{message}");
    }
}

#[test]
fn a_client_secret_pasted_into_the_file_is_never_echoed() {
    let secret = "GOCSPX-pasted-by-mistake";
    // An unknown key (the secret has no place in skill.toml) and a syntax error on the line.
    for text in [
        VALID.replace(
            "[google]\n",
            &format!("[google]\nclient_secret = \"{secret}\"\n"),
        ),
        VALID.replace("[google]\n", &format!("[google]\nsecret {secret}\n")),
        VALID.replace(
            "[google]\n",
            &format!("[google]\nclient_id = \"a\" \"{secret}\"\n"),
        ),
        // serde's type error would quote the value.
        VALID.replace(
            "scopes = [\"openid\", \"email\", \"https://www.googleapis.com/auth/drive.file\"]",
            &format!("scopes = \"{secret}\""),
        ),
    ] {
        let message = parse(&text, &Overrides::default()).unwrap_err().to_string();
        assert!(!message.contains(secret), "{message}");
        assert!(!message.contains("GOCSPX"), "{message}");
        assert!(
            message.starts_with("skill.toml is not valid TOML"),
            "{message}"
        );
        assert!(
            message.contains("line "),
            "the place is still named: {message}"
        );
    }
    let message = parse(
        &VALID.replace(
            "[google]\n",
            &format!("[google]\nclient_secret = \"{secret}\"\n"),
        ),
        &Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    expect_test::expect!["skill.toml is not valid TOML for this tool: unknown field `client_secret`, expected one of `client_id`, `scopes`, `declared_scopes`, `authorization_endpoint`, `token_url` (line 8, column 1); the client secret never goes into skill.toml: remove the line, and export GOOGLE_CLIENT_SECRET or pass --client-secret-file PATH"]
        .assert_eq(&message);
}

#[test]
fn googles_downloaded_client_json_gives_its_client_secret_only() {
    let dir = std::env::temp_dir().join(format!("provision-secret-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("client_secret_123.apps.googleusercontent.com.json");
    for section in ["web", "installed"] {
        std::fs::write(
            &file,
            format!(
                r#"{{"{section}":{{"client_id":"123.apps.googleusercontent.com","project_id":"p","auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":"https://oauth2.googleapis.com/token","client_secret":"GOCSPX-from-json","redirect_uris":["https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA"]}}}}"#
            ),
        )
        .unwrap();
        let secret = load_client_secret(Some(&file), None).unwrap();
        assert_eq!(secret.secret(), "GOCSPX-from-json", "{section}");
    }
    // JSON without a client secret is refused, without repeating the file's content.
    std::fs::write(
        &file,
        r#"{"web":{"client_id":"x","private":"GOCSPX-other"}}"#,
    )
    .unwrap();
    let error = load_client_secret(Some(&file), None)
        .unwrap_err()
        .to_string();
    assert!(!error.contains("GOCSPX-other"), "{error}");
    assert!(error.contains("web.client_secret"), "{error}");
    // A bare secret still works.
    std::fs::write(&file, "GOCSPX-bare\n").unwrap();
    assert_eq!(
        load_client_secret(Some(&file), None).unwrap().secret(),
        "GOCSPX-bare"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_login_page_key_that_would_widen_the_public_policy_is_refused() {
    for bad in [
        "*",
        "login/*",
        "index?.html",
        "../index.html",
        "a/../b",
        "a//b",
        "dir/",
        "with space.html",
        "ü.html",
    ] {
        let text = VALID.replace(
            "bucket = \"my-skill-login-page-123456789012\"",
            &format!("bucket = \"my-skill-login-page-123456789012\"\nkey = {bad:?}"),
        );
        let message = parse(&text, &Overrides::default()).unwrap_err().to_string();
        assert!(message.contains("login_page.key"), "{bad}: {message}");
        assert!(
            message.contains("index.html"),
            "{bad}: the fix is named: {message}"
        );
    }
    for good in ["index.html", "link/index.html", "a_b-c.1/page.htm"] {
        let text = VALID.replace(
            "bucket = \"my-skill-login-page-123456789012\"",
            &format!("bucket = \"my-skill-login-page-123456789012\"\nkey = {good:?}"),
        );
        assert!(parse(&text, &Overrides::default()).is_ok(), "{good}");
    }
}

const TASKS_DECLARATION: &str = r#"
[[google.declared_scopes]]
name = "https://www.googleapis.com/auth/tasks"
description = "create, edit, organize and delete all tasks"
sensitivity = "sensitive"
apis = [{ name = "Google Tasks API", service = "tasks.googleapis.com" }]
permission = { en = "see and change your Google Tasks" }
"#;

fn with_tasks_scope(declarations: &str) -> String {
    let scopes = r#"scopes = ["openid", "email", "https://www.googleapis.com/auth/drive.file"]"#;
    format!(
        "{}{declarations}",
        VALID.replace(
            scopes,
            r#"scopes = ["openid", "https://www.googleapis.com/auth/tasks"]"#
        )
    )
}

#[test]
fn a_scope_the_table_lacks_is_accepted_once_declared() {
    let config = parse(&with_tasks_scope(TASKS_DECLARATION), &Overrides::default()).unwrap();
    assert_eq!(
        config.scope_names(),
        ["openid", "https://www.googleapis.com/auth/tasks"]
    );
    let tasks = config.google.scopes[1];
    assert_eq!(tasks.apis, [("Google Tasks API", "tasks.googleapis.com")]);
    assert_eq!(tasks.sensitivity, crate::scopes::Sensitivity::Sensitive);
    assert_eq!(
        tasks.permission_in("en"),
        "see and change your Google Tasks"
    );

    let error = parse(&with_tasks_scope(""), &Overrides::default()).unwrap_err();
    assert!(
        error.to_string().contains(
            "skill.toml: google.scopes is invalid: unknown scope \
             \"https://www.googleapis.com/auth/tasks\": declare it in skill.toml under \
             [[google.declared_scopes]]"
        ),
        "{error}"
    );
}

#[test]
fn a_scope_declared_twice_with_different_descriptions_names_the_file() {
    let other = TASKS_DECLARATION.replace(
        "create, edit, organize and delete all tasks",
        "all your tasks",
    );
    let text = with_tasks_scope(&format!("{TASKS_DECLARATION}{other}"));
    let error = parse(&text, &Overrides::default()).unwrap_err();
    expect_test::expect![[r#"
        skill.toml: google.scopes is invalid: scope "https://www.googleapis.com/auth/tasks" is declared twice with descriptions "create, edit, organize and delete all tasks" and "all your tasks": keep one declaration: list the scopes the skill needs: the table's, or ones the file declares under [[google.declared_scopes]]; `provision google-setup` prints them"#]]
    .assert_eq(&error.to_string());
}
