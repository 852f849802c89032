//! `provision preflight`: the sample and the Gmail example pass as committed, and each rule
//! names the defect planted in a copy of their packages and configs.

use std::path::{Path, PathBuf};

use provision::preflight::{self, Finding, PreflightInput, Report, Severity};
use serde_json::Value;

use crate::support::{fresh_dir, provision, run};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A copy of a committed skill: its config as `skill.toml` and its package as `package/`.
struct Copy {
    dir: PathBuf,
}

/// Which committed skill to copy.
#[derive(Clone, Copy)]
enum Committed {
    Sample,
    Gmail,
}

impl Copy {
    fn of(committed: Committed, test_name: &str) -> Copy {
        let root = workspace_root();
        let (config, package, key) = match committed {
            Committed::Sample => (
                root.join("skill.example.toml"),
                root.join("infra/skill-package"),
                "skill_package = \"infra/skill-package\"",
            ),
            Committed::Gmail => (
                root.join("examples/gmail-skill/skill.example.toml"),
                root.join("examples/gmail-skill/skill-package"),
                "skill_package = \"skill-package\"",
            ),
        };
        let dir = fresh_dir(&format!("preflight-{test_name}"));
        copy_dir(&package, &dir.join("package"));
        let text = std::fs::read_to_string(config).expect("read the committed config");
        assert!(text.contains(key), "the committed config names its package");
        std::fs::write(
            dir.join("skill.toml"),
            text.replace(key, "skill_package = \"package\""),
        )
        .expect("write config");
        Copy { dir }
    }

    fn sample(test_name: &str) -> Copy {
        Copy::of(Committed::Sample, test_name)
    }

    fn model_path(&self, locale: &str) -> PathBuf {
        self.dir
            .join(format!("package/interactionModels/custom/{locale}.json"))
    }

    /// Edits one locale's `languageModel`.
    fn edit_model(&self, locale: &str, edit: impl FnOnce(&mut Value)) {
        let path = self.model_path(locale);
        edit_json(&path, |json| {
            edit(&mut json["interactionModel"]["languageModel"])
        });
    }

    /// Edits the `manifest` of `skill.json`.
    fn edit_manifest(&self, edit: impl FnOnce(&mut Value)) {
        edit_json(&self.dir.join("package/skill.json"), |json| {
            edit(&mut json["manifest"])
        });
    }

    /// Replaces text in `skill.toml`; the text must be there.
    fn edit_config(&self, from: &str, to: &str) {
        let path = self.dir.join("skill.toml");
        let text = std::fs::read_to_string(&path).expect("read config");
        assert!(text.contains(from), "{from:?} is in the config");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write config");
    }

    fn preflight_with(&self, needed_scopes: Option<&[&str]>) -> Report {
        preflight::run(&PreflightInput {
            config_path: self.dir.join("skill.toml"),
            overrides: Default::default(),
            needed_scopes: needed_scopes
                .map(|scopes| scopes.iter().map(|scope| (*scope).to_owned()).collect()),
        })
    }

    fn preflight(&self) -> Report {
        self.preflight_with(None)
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy file");
        }
    }
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut Value)) {
    let mut json: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read json")).expect("json");
    edit(&mut json);
    std::fs::write(path, serde_json::to_string_pretty(&json).expect("json")).expect("write");
}

fn intent<'a>(language_model: &'a mut Value, name: &str) -> &'a mut Value {
    language_model["intents"]
        .as_array_mut()
        .expect("intents")
        .iter_mut()
        .find(|intent| intent["name"] == name)
        .expect("the intent exists")
}

fn add_sample(language_model: &mut Value, intent_name: &str, sample: &str) {
    intent(language_model, intent_name)["samples"]
        .as_array_mut()
        .expect("samples")
        .push(Value::from(sample));
}

/// The findings of `rule`.
fn of_rule<'a>(report: &'a Report, rule: &str) -> Vec<&'a Finding> {
    report
        .findings
        .iter()
        .filter(|finding| finding.rule == rule)
        .collect()
}

/// The one finding of `rule` at `severity` for `locale` whose text is `text`; fails listing the
/// report otherwise.
fn the_finding<'a>(
    report: &'a Report,
    rule: &str,
    severity: Severity,
    locale: Option<&str>,
    text: &str,
) -> &'a Finding {
    let found: Vec<&Finding> = of_rule(report, rule)
        .into_iter()
        .filter(|finding| {
            finding.severity == severity
                && finding.locale.as_deref() == locale
                && finding.text == text
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {severity:?} {rule} for {locale:?} {text:?} in:\n{}",
        report.to_text()
    );
    found[0]
}

fn errors(report: &Report) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_sample_and_the_gmail_example_pass_as_committed() {
    for (committed, name) in [
        (Committed::Sample, "sample-passes"),
        (Committed::Gmail, "gmail-passes"),
    ] {
        let report = Copy::of(committed, name).preflight();
        assert_eq!(
            errors(&report),
            Vec::<String>::new(),
            "{}",
            report.to_text()
        );
        // What every skill of this toolkit is told before publishing.
        assert_eq!(of_rule(&report, "google.testing-status").len(), 1);
        assert_eq!(of_rule(&report, "account-linking.redirect-uris").len(), 1);
        assert_eq!(
            of_rule(&report, "account-linking.login-page-domain").len(),
            1
        );
    }
}

#[test]
fn invocation_name_characters() {
    let copy = Copy::sample("invocation-characters");
    copy.edit_model("en-US", |model| {
        model["invocationName"] = "Cloud Companion 2".into()
    });
    let report = copy.preflight();
    let finding = the_finding(
        &report,
        "invocation-name.characters",
        Severity::Error,
        Some("en-US"),
        "Cloud Companion 2",
    );
    assert!(finding.file.ends_with("en-US.json"));
    assert_eq!(
        finding.source.expect("a source").url,
        "https://developer.amazon.com/en-US/docs/alexa/custom-skills/choose-the-invocation-name-for-a-custom-skill.html"
    );
    // Possessives and abbreviations are fine.
    copy.edit_model("en-US", |model| {
        model["invocationName"] = "sam's a. b. c. trivia".into()
    });
    assert!(of_rule(&copy.preflight(), "invocation-name.characters").is_empty());
}

#[test]
fn invocation_name_forbidden_words() {
    let copy = Copy::sample("invocation-forbidden");
    copy.edit_model("en-GB", |model| {
        model["invocationName"] = "cloud companion skill".into()
    });
    copy.edit_model("en-AU", |model| {
        model["invocationName"] = "alexa cloud companion".into()
    });
    let report = copy.preflight();
    the_finding(
        &report,
        "invocation-name.forbidden-word",
        Severity::Error,
        Some("en-GB"),
        "cloud companion skill",
    );
    the_finding(
        &report,
        "invocation-name.forbidden-word",
        Severity::Error,
        Some("en-AU"),
        "alexa cloud companion",
    );
}

#[test]
fn invocation_name_launch_phrases() {
    let copy = Copy::sample("invocation-launch");
    copy.edit_model("en-US", |model| {
        model["invocationName"] = "open cloud companion".into()
    });
    copy.edit_model("de-DE", |model| {
        model["invocationName"] = "frag wolken begleiter".into()
    });
    let report = copy.preflight();
    the_finding(
        &report,
        "invocation-name.launch-phrase",
        Severity::Error,
        Some("en-US"),
        "open cloud companion",
    );
    the_finding(
        &report,
        "invocation-name.launch-phrase",
        Severity::Error,
        Some("de-DE"),
        "frag wolken begleiter",
    );
}

#[test]
fn invocation_name_length_and_word_count() {
    let copy = Copy::sample("invocation-length");
    copy.edit_model("en-US", |model| {
        model["invocationName"] = "the cloud".into()
    });
    copy.edit_model("en-GB", |model| model["invocationName"] = "cloudy".into());
    let long = "cloud companion that reads your calendar and your files aloud";
    copy.edit_model("en-CA", |model| model["invocationName"] = long.into());
    let report = copy.preflight();
    the_finding(
        &report,
        "invocation-name.two-words-with-article",
        Severity::Error,
        Some("en-US"),
        "the cloud",
    );
    the_finding(
        &report,
        "invocation-name.one-word",
        Severity::Warning,
        Some("en-GB"),
        "cloudy",
    );
    the_finding(
        &report,
        "invocation-name.length",
        Severity::Warning,
        Some("en-CA"),
        long,
    );
}

#[test]
fn sample_characters_the_model_build_refuses() {
    let copy = Copy::sample("sample-characters");
    copy.edit_model("en-US", |model| {
        add_sample(model, "WhoAmIIntent", "who am i?");
        add_sample(model, "WhoAmIIntent", "who am i today {When");
        add_sample(model, "WhoAmIIntent", "who is on account 2");
    });
    let report = copy.preflight();
    let finding = the_finding(
        &report,
        "sample.characters",
        Severity::Error,
        Some("en-US"),
        "who am i?",
    );
    assert!(finding.problem.contains("\"?\""), "{finding}");
    the_finding(
        &report,
        "sample.characters",
        Severity::Error,
        Some("en-US"),
        "who am i today {When",
    );
    the_finding(
        &report,
        "sample.digits",
        Severity::Warning,
        Some("en-US"),
        "who is on account 2",
    );
}

#[test]
fn sample_wake_words_and_launch_phrases() {
    let copy = Copy::sample("sample-wake-launch");
    copy.edit_model("en-IN", |model| {
        add_sample(model, "WhoAmIIntent", "alexa who is signed in now");
        add_sample(model, "WhoAmIIntent", "ask cloud companion who i am");
    });
    let report = copy.preflight();
    the_finding(
        &report,
        "sample.wake-word",
        Severity::Error,
        Some("en-IN"),
        "alexa who is signed in now",
    );
    the_finding(
        &report,
        "sample.launch-phrase",
        Severity::Error,
        Some("en-IN"),
        "ask cloud companion who i am",
    );
    // "tell me who i am" starts with a launch word, not with a launch phrase and the name.
    assert!(
        of_rule(&report, "sample.launch-phrase")
            .iter()
            .all(|finding| finding.text != "tell me who i am")
    );
}

#[test]
fn a_sample_in_two_intents() {
    let copy = Copy::sample("sample-two-intents");
    copy.edit_model("en-US", |model| {
        add_sample(model, "ListFilesIntent", "Who  am I")
    });
    let report = copy.preflight();
    let finding = the_finding(
        &report,
        "sample.in-two-intents",
        Severity::Error,
        Some("en-US"),
        "who am i",
    );
    assert!(
        finding.problem.contains("WhoAmIIntent and ListFilesIntent"),
        "{finding}"
    );
}

#[test]
fn a_slot_reference_the_intent_lacks() {
    let copy = Copy::of(Committed::Gmail, "sample-unknown-slot");
    copy.edit_model("de-DE", |model| {
        add_sample(model, "LatestEmailIntent", "lies die mail von {Sender}")
    });
    let report = copy.preflight();
    let finding = the_finding(
        &report,
        "sample.unknown-slot",
        Severity::Error,
        Some("de-DE"),
        "lies die mail von {Sender}",
    );
    assert!(finding.fix.contains("Sender"), "{finding}");
}

#[test]
fn privacy_and_terms_urls_for_every_locale() {
    let copy = Copy::sample("privacy");
    copy.edit_manifest(|manifest| {
        let locales = &mut manifest["privacyAndCompliance"]["locales"];
        locales["de-DE"]
            .as_object_mut()
            .expect("de-DE")
            .remove("privacyPolicyUrl");
        locales["en-GB"]["termsOfUseUrl"] = "http://cloud-companion.test/terms".into();
        locales["en-US"]["privacyPolicyUrl"] = "https://alexa-skills.test/privacy".into();
    });
    let report = copy.preflight();
    the_finding(
        &report,
        "privacy.missing-url",
        Severity::Error,
        Some("de-DE"),
        "",
    );
    the_finding(
        &report,
        "privacy.not-https",
        Severity::Error,
        Some("en-GB"),
        "http://cloud-companion.test/terms",
    );
    the_finding(
        &report,
        "privacy.amazon-domain",
        Severity::Error,
        Some("en-US"),
        "https://alexa-skills.test/privacy",
    );
}

#[test]
fn account_linking_urls_https_on_an_approved_authority() {
    let copy = Copy::sample("linking-https");
    copy.edit_config(
        "token_url = \"https://oauth2.googleapis.com/token\"",
        "token_url = \"http://127.0.0.1:8090/token\"",
    );
    copy.edit_config(
        "# url = \"https://login.example.com/index.html\"",
        "url = \"https://my-skill-login-page.s3-website-us-east-1.amazonaws.com/index.html\"",
    );
    let report = copy.preflight();
    the_finding(
        &report,
        "account-linking.https",
        Severity::Error,
        None,
        "http://127.0.0.1:8090/token",
    );
    the_finding(
        &report,
        "account-linking.certificate",
        Severity::Error,
        None,
        "https://my-skill-login-page.s3-website-us-east-1.amazonaws.com/index.html",
    );

    // A host of one's own whose certificate preflight cannot see: a warning naming the check.
    let copy = Copy::sample("linking-own-host");
    copy.edit_config(
        "# url = \"https://login.example.com/index.html\"",
        "url = \"https://login.cloud-companion.test/index.html\"",
    );
    let report = copy.preflight();
    let finding = the_finding(
        &report,
        "account-linking.certificate",
        Severity::Warning,
        None,
        "https://login.cloud-companion.test/index.html",
    );
    assert!(finding.problem.contains("Let's Encrypt"), "{finding}");
    assert!(of_rule(&report, "account-linking.login-page-domain").is_empty());
}

#[test]
fn account_linking_domains_cover_the_login_chain() {
    let copy = Copy::sample("linking-domains");
    copy.edit_config(
        "domains = [\"accounts.google.com\", \"google.com\", \"googleapis.com\"]",
        "domains = [\"googleapis.com\"]",
    );
    let report = copy.preflight();
    the_finding(
        &report,
        "account-linking.domains",
        Severity::Error,
        None,
        "accounts.google.com",
    );
}

#[test]
fn account_linking_redirect_uris_are_named_for_the_vendor() {
    let copy = Copy::sample("linking-redirects");
    copy.edit_config(
        "vendor_id = \"M2AAAAAAAAAAAA\"",
        "vendor_id = \"M3BBBBBBBBBBBB\"",
    );
    let report = copy.preflight();
    let finding = &of_rule(&report, "account-linking.redirect-uris")[0];
    assert_eq!(
        finding.text,
        "https://pitangui.amazon.com/api/skill/link/M3BBBBBBBBBBBB \
         https://layla.amazon.com/api/skill/link/M3BBBBBBBBBBBB \
         https://alexa.amazon.co.jp/api/skill/link/M3BBBBBBBBBBBB"
    );
}

#[test]
fn scopes_the_handlers_need_equal_the_scopes_linking_asks_for() {
    let copy = Copy::of(Committed::Gmail, "linking-scopes");
    let gmail = "https://www.googleapis.com/auth/gmail.readonly";
    let calendar = "https://www.googleapis.com/auth/calendar.events.readonly";
    assert!(
        of_rule(
            &copy.preflight_with(Some(&[gmail])),
            "account-linking.scopes"
        )
        .is_empty()
    );
    let report = copy.preflight_with(Some(&[calendar]));
    the_finding(
        &report,
        "account-linking.scopes",
        Severity::Error,
        None,
        calendar,
    );
    the_finding(
        &report,
        "account-linking.scopes",
        Severity::Warning,
        None,
        gmail,
    );
}

#[test]
fn google_verification_classes_and_the_testing_status() {
    let report = Copy::sample("google-classes").preflight();
    let sensitive = the_finding(
        &report,
        "google.scope-verification",
        Severity::Warning,
        None,
        "https://www.googleapis.com/auth/calendar.events.readonly",
    );
    assert!(sensitive.problem.contains("100 users"), "{sensitive}");
    let restricted = the_finding(
        &report,
        "google.scope-verification",
        Severity::Warning,
        None,
        "https://www.googleapis.com/auth/drive.metadata.readonly",
    );
    assert!(restricted.problem.contains("every year"), "{restricted}");
    // drive.file is non-sensitive: nothing to say.
    assert!(
        of_rule(&report, "google.scope-verification")
            .iter()
            .all(|finding| !finding.text.ends_with("drive.file"))
    );

    // Sign-in scopes only: no verification and no 7-day limit.
    let copy = Copy::of(Committed::Gmail, "google-sign-in-only");
    copy.edit_config(
        "\"https://www.googleapis.com/auth/gmail.readonly\",",
        "\"openid\", \"email\",",
    );
    let report = copy.preflight();
    assert!(
        of_rule(&report, "google.testing-status").is_empty(),
        "{}",
        report.to_text()
    );
    assert!(of_rule(&report, "google.scope-verification").is_empty());
}

#[test]
fn bad_input_is_a_finding_never_a_panic() {
    // skill.json that is not JSON: the models are still checked.
    let copy = Copy::sample("bad-manifest");
    std::fs::write(copy.dir.join("package/skill.json"), "{\"manifest\": ").expect("write");
    copy.edit_model("en-US", |model| model["invocationName"] = "open it".into());
    let report = copy.preflight();
    let finding = &of_rule(&report, "package")[0];
    assert!(finding.file.ends_with("skill.json"), "{finding}");
    assert!(finding.problem.contains("not valid JSON"), "{finding}");
    assert_eq!(of_rule(&report, "invocation-name.launch-phrase").len(), 1);

    // A locale skill.json publishes without a model, and a model that is not JSON.
    let copy = Copy::sample("missing-model");
    std::fs::remove_file(copy.model_path("de-DE")).expect("remove");
    std::fs::write(copy.model_path("en-AU"), "not json").expect("write");
    let report = copy.preflight();
    the_finding(&report, "package", Severity::Error, Some("de-DE"), "");
    assert!(
        of_rule(&report, "package")
            .iter()
            .any(|finding| finding.file.ends_with("en-AU.json")
                && finding.problem.contains("not valid JSON"))
    );

    // A locale folder instead of a model file.
    let copy = Copy::sample("locale-folder");
    std::fs::remove_file(copy.model_path("en-CA")).expect("remove");
    std::fs::create_dir_all(copy.dir.join("package/interactionModels/custom/en-CA"))
        .expect("mkdir");
    let report = copy.preflight();
    assert!(
        of_rule(&report, "package")
            .iter()
            .any(|finding| finding.problem.contains("is a folder")),
        "{}",
        report.to_text()
    );

    // A config without [login_page]: the config's problems, and the package still checked.
    let copy = Copy::sample("no-login-page");
    let path = copy.dir.join("skill.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    let start = text.find("[login_page]").expect("section");
    let end = text.find("[aws]").expect("next section");
    std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).expect("write");
    copy.edit_model("en-US", |model| {
        model["invocationName"] = "cloud app".into()
    });
    let report = copy.preflight();
    let finding = of_rule(&report, "config")
        .into_iter()
        .find(|finding| finding.text == "login_page.bucket")
        .unwrap_or_else(|| panic!("a login_page finding in:\n{}", report.to_text()));
    assert!(finding.fix.contains("[login_page]"), "{finding}");
    assert_eq!(of_rule(&report, "invocation-name.forbidden-word").len(), 1);

    // No config at all.
    let report = preflight::run(&PreflightInput {
        config_path: fresh_dir("preflight-no-config").join("skill.toml"),
        ..PreflightInput::default()
    });
    assert!(report.error_count() >= 1, "{}", report.to_text());
}

#[test]
fn several_defects_at_once_are_each_named() {
    let copy = Copy::sample("several");
    copy.edit_model("en-US", |model| {
        model["invocationName"] = "Echo Helper".into();
        add_sample(model, "ListFilesIntent", "who am i");
        add_sample(model, "WhoAmIIntent", "who am i, really");
    });
    copy.edit_model("de-DE", |model| {
        add_sample(model, "WhoAmIIntent", "wer bin ich {Name}")
    });
    copy.edit_manifest(|manifest| {
        manifest["privacyAndCompliance"]["locales"]["en-IN"]["privacyPolicyUrl"] =
            "ftp://cloud-companion.test/privacy".into();
    });
    copy.edit_config(
        "domains = [\"accounts.google.com\", \"google.com\", \"googleapis.com\"]",
        "domains = [\"googleapis.com\"]",
    );
    let report = copy.preflight();
    let mut rules: Vec<&str> = report
        .findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .map(|finding| finding.rule)
        .collect();
    rules.sort_unstable();
    rules.dedup();
    assert_eq!(
        rules,
        [
            "account-linking.domains",
            "invocation-name.characters",
            "invocation-name.forbidden-word",
            "privacy.not-https",
            "sample.characters",
            "sample.in-two-intents",
            "sample.unknown-slot",
        ],
        "{}",
        report.to_text()
    );
    // Errors come first.
    assert_eq!(report.findings[0].severity, Severity::Error);
}

#[tokio::test]
async fn the_command_exits_non_zero_on_errors_and_prints_json_for_ci() {
    let copy = Copy::sample("cli");
    let passed = run(&mut provision(&copy.dir, &["preflight"])).await;
    assert!(passed.success, "{}{}", passed.stdout, passed.stderr);
    assert!(
        passed.stdout.contains("preflight: 0 error(s)"),
        "{}",
        passed.stdout
    );

    copy.edit_model("en-US", |model| model["invocationName"] = "my skill".into());
    let failed = run(&mut provision(
        &copy.dir,
        &["preflight", "--format", "json"],
    ))
    .await;
    assert!(!failed.success, "{}", failed.stdout);
    let json: Value = serde_json::from_str(&failed.stdout).expect("the output is JSON");
    assert_eq!(json["errors"], 1, "{json:#}");
    let finding = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|finding| finding["severity"] == "error")
        .expect("an error");
    assert_eq!(finding["rule"], "invocation-name.forbidden-word");
    assert_eq!(finding["locale"], "en-US");
    assert_eq!(finding["text"], "my skill");
    assert_eq!(
        finding["source"]["title"],
        "Choose the Invocation Name for a Custom Skill"
    );
}
