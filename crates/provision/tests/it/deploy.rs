//! `provision::deploy::run` end to end against moto (AWS) and the SMAPI twin, which checks Lambda
//! endpoints against moto's functions the way SMAPI checks the trigger: the create path, the
//! update path, a rerun that sends nothing, a failing interaction-model build and bad
//! credentials; the plan a dry run prints is the one the deploy executes; and destroy keeps the
//! users' data until asked. Every body sent to SMAPI, and the package files inside the uploads,
//! are read back through Amazon's ask-smapi-model.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use devstack::smapi::{Config as TwinConfig, Recorded, SmapiTwin};
use provision::config::ClientSecret;
use provision::deploy::{
    AccountLinkingPlan, AlexaSide, DeployError, DeployRequest, ExpectedPackageChange, PartChange,
    Polling, SkillPlan,
};
use provision::deploy_state::{DeployState, state_path};
use provision::destroy::{DestroyOptions, StateTableFate};
use provision::lwa::LwaAccessToken;
use provision::skill_package::SkillPackage;
use provision::smapi::SmapiClient;
use provision::stack::StackChange;
use serde_json::Value;

use crate::stack::{Moto, template};
use crate::support::{config_text, fresh_dir, write_config};

const GOOGLE_SECRET: &str = "GOCSPX-deploy-test-secret";
const FAST: Polling = Polling {
    interval: Duration::from_millis(10),
    max_polls: 200,
};

fn sample_package() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../infra/skill-package")
}

/// A copy of the sample package under `dir`, to change in a test.
fn copy_package(dir: &Path) -> PathBuf {
    let target = dir.join("skill-package");
    let models = target.join("interactionModels/custom");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::copy(
        sample_package().join("skill.json"),
        target.join("skill.json"),
    )
    .unwrap();
    for entry in std::fs::read_dir(sample_package().join("interactionModels/custom")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, models.join(path.file_name().unwrap())).unwrap();
    }
    target
}

fn load_config(dir: &Path, package: &Path) -> provision::Config {
    let path = write_config(
        dir,
        &config_text(
            None,
            &format!("skill_package = {:?}", package.display().to_string()),
        ),
    );
    provision::Config::load(&path).unwrap()
}

struct Twins {
    moto: Moto,
    smapi: SmapiTwin,
}

async fn twins() -> Twins {
    let moto = Moto::start().await;
    let smapi = SmapiTwin::start(TwinConfig {
        lambda_api: Some(moto.endpoint_url.clone()),
        ..TwinConfig::default()
    })
    .await
    .unwrap();
    Twins { moto, smapi }
}

fn smapi_client(twins: &Twins, token: &str) -> SmapiClient {
    SmapiClient::new(
        reqwest::Client::new(),
        &twins.smapi.base_url(),
        LwaAccessToken::new(token.to_owned()),
    )
    .unwrap()
}

async fn deploy(
    twins: &Twins,
    config: &provision::Config,
    token: &str,
) -> Result<provision::deploy::DeployOutcome, DeployError> {
    let aws = twins.moto.clients().await;
    let smapi = smapi_client(twins, token);
    let secret = ClientSecret::new(GOOGLE_SECRET.to_owned());
    let package = SkillPackage::read(&config.skill.skill_package).unwrap();
    let template = template();
    let request = DeployRequest {
        config,
        state_path: state_path(&config.path),
        template_body: &template,
        lambda_zip: b"PK stand-in for the skill's zip",
        skill_package: &package,
        alexa: Some(AlexaSide {
            smapi: &smapi,
            client_secret: &secret,
        }),
        polling: FAST,
    };
    provision::deploy::run(&aws, &request, &mut |_| {}).await
}

/// Runs the ask-smapi-model round trip of `body` as `model`; panics with the differences.
fn model_check(model: &str, body: &[u8], dir: &Path) {
    let file = dir.join(format!("{}.json", model.rsplit('.').next().unwrap()));
    std::fs::write(&file, body).unwrap();
    let output = std::process::Command::new(devstack::venv::require("python"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/smapi_model_check.py"))
        .arg(model)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "ask-smapi-model disagrees with {}:\n{}",
        String::from_utf8_lossy(body),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every body deploy sent, checked by the model of its operation; returns how many were checked.
fn check_every_body(requests: &[Recorded], dir: &Path) -> usize {
    let mut checked = 0;
    for request in requests.iter().filter(|request| !request.body.is_empty()) {
        let path = request.path.as_str();
        if path == "/v1/skills/imports" {
            model_check(
                "ask_smapi_model.v1.skill.create_skill_with_package_request.CreateSkillWithPackageRequest",
                &request.body,
                dir,
            );
        } else if path.ends_with("/imports") {
            model_check(
                "ask_smapi_model.v1.skill.update_skill_with_package_request.UpdateSkillWithPackageRequest",
                &request.body,
                dir,
            );
        } else if path.ends_with("/accountLinkingClient") {
            model_check(
                "ask_smapi_model.v1.skill.account_linking.account_linking_request.AccountLinkingRequest",
                &request.body,
                dir,
            );
        } else if path.starts_with("/__twin/uploads/") {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&request.body)).unwrap();
            for index in 0..archive.len() {
                let mut file = archive.by_index(index).unwrap();
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes).unwrap();
                let model = if file.name().unwrap() == "skill.json" {
                    "ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.SkillManifestEnvelope"
                } else {
                    "ask_smapi_model.v1.skill.interaction_model.interaction_model_data.InteractionModelData"
                };
                model_check(model, &bytes, dir);
            }
        } else {
            panic!(
                "a body deploy sends is not checked: {} {path}",
                request.method
            );
        }
        checked += 1;
    }
    checked
}

#[tokio::test]
async fn creates_the_skill_then_updates_it_then_sends_nothing_when_nothing_changed() {
    let dir = fresh_dir("deploy-create-update");
    let package = copy_package(&dir);
    let config = load_config(&dir, &package);
    let twins = twins().await;
    let token = devstack::smapi::DEFAULT_ACCESS_TOKEN;

    // Create path: no skill ID anywhere.
    let first = deploy(&twins, &config, token).await.unwrap();
    assert!(first.skill_created);
    assert_eq!(first.aws.stack.change, StackChange::Created);
    assert_eq!(first.skill_package, Some(PartChange::Created));
    assert_eq!(first.account_linking, Some(PartChange::Created));
    let skill_id = first.skill_id.as_str().to_owned();
    assert_eq!(twins.smapi.skill_ids(), std::slice::from_ref(&skill_id));
    let state = DeployState::load(&state_path(&config.path)).unwrap();
    assert_eq!(state.skill_id.as_deref(), Some(skill_id.as_str()));

    // The stack's trigger is for the new skill, and the stored manifest points at the function.
    let function_arn = first.aws.stack.outputs.function_arn.clone();
    let function = twins.moto.lambda_get("alexa-google-skill").await;
    assert_eq!(
        function["Configuration"]["Environment"]["Variables"]["SKILL_ID"],
        skill_id.as_str()
    );
    let stored = twins.smapi.skill(&skill_id).unwrap();
    let manifest = &stored.manifest["manifest"];
    assert_eq!(
        manifest["apis"]["custom"]["endpoint"]["uri"],
        function_arn.as_str()
    );
    assert_eq!(manifest["events"]["endpoint"]["uri"], function_arn.as_str());
    assert_eq!(stored.interaction_models.len(), 13);
    let linking = &stored.account_linking["development"];
    assert_eq!(linking["clientSecret"], GOOGLE_SECRET);
    assert_eq!(
        linking["authorizationUrl"],
        "https://skill-login-page.s3.us-east-1.amazonaws.com/index.html"
    );

    // The order SMAPI needs: create without endpoint, then the stack, then the endpoint.
    let writes: Vec<String> = twins
        .smapi
        .requests()
        .iter()
        .filter(|request| request.is_write() && !request.path.starts_with("/__twin/"))
        .map(|request| {
            format!(
                "{} {}",
                request.method,
                request.path.replace(&skill_id, "{skillId}")
            )
        })
        .collect();
    assert_eq!(
        writes,
        [
            "POST /v1/skills/uploads",
            "POST /v1/skills/imports",
            "POST /v1/skills/uploads",
            "POST /v1/skills/{skillId}/imports",
            "PUT /v1/skills/{skillId}/stages/development/accountLinkingClient",
        ]
    );
    let first_import = twins
        .smapi
        .requests()
        .into_iter()
        .find(|request| request.path.starts_with("/__twin/uploads/"))
        .unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&first_import.body)).unwrap();
    let mut created_manifest = String::new();
    archive
        .by_name("skill.json")
        .unwrap()
        .read_to_string(&mut created_manifest)
        .unwrap();
    let created_manifest: Value = serde_json::from_str(&created_manifest).unwrap();
    assert!(
        created_manifest["manifest"]["apis"]["custom"]
            .get("endpoint")
            .is_none()
    );
    assert_eq!(check_every_body(&twins.smapi.requests(), &dir), 5);

    // No-op rerun: no SMAPI write, no stack update.
    let writes_before = twins.smapi.writes();
    let second = deploy(&twins, &config, token).await.unwrap();
    assert!(!second.skill_created);
    assert_eq!(second.skill_id.as_str(), skill_id);
    assert_eq!(second.aws.stack.change, StackChange::Unchanged);
    assert_eq!(second.skill_package, Some(PartChange::Unchanged));
    assert_eq!(second.account_linking, Some(PartChange::Unchanged));
    assert_eq!(twins.smapi.writes(), writes_before);

    // Update path: a changed model is imported into the same skill; the stack stays.
    let model_path = package.join("interactionModels/custom/en-US.json");
    let model = std::fs::read_to_string(&model_path).unwrap().replace(
        "\"list my files\"",
        "\"list my files\", \"list my documents\"",
    );
    std::fs::write(&model_path, model).unwrap();
    let third = deploy(&twins, &config, token).await.unwrap();
    assert_eq!(third.skill_package, Some(PartChange::Updated));
    assert_eq!(third.account_linking, Some(PartChange::Unchanged));
    assert_eq!(third.aws.stack.change, StackChange::Unchanged);
    assert_eq!(twins.smapi.skill_ids(), std::slice::from_ref(&skill_id));
    assert!(
        twins.smapi.skill(&skill_id).unwrap().interaction_models["en-US"]
            .to_string()
            .contains("list my documents")
    );
    // A new client secret is sent again although nothing SMAPI returns would show it.
    let aws = twins.moto.clients().await;
    let smapi = smapi_client(&twins, token);
    let secret = ClientSecret::new("GOCSPX-rotated".to_owned());
    let package_read = SkillPackage::read(&package).unwrap();
    let template = template();
    let outcome = provision::deploy::run(
        &aws,
        &DeployRequest {
            config: &config,
            state_path: state_path(&config.path),
            template_body: &template,
            lambda_zip: b"PK stand-in for the skill's zip",
            skill_package: &package_read,
            alexa: Some(AlexaSide {
                smapi: &smapi,
                client_secret: &secret,
            }),
            polling: FAST,
        },
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(outcome.account_linking, Some(PartChange::Updated));
    assert_eq!(
        twins.smapi.skill(&skill_id).unwrap().account_linking["development"]["clientSecret"],
        "GOCSPX-rotated"
    );
}

#[tokio::test]
async fn a_failing_model_build_is_reported_with_amazons_message() {
    let dir = fresh_dir("deploy-failing-build");
    let package = copy_package(&dir);
    let model_path = package.join("interactionModels/custom/de-DE.json");
    let model = std::fs::read_to_string(&model_path).unwrap();
    let broken = model.replacen(
        "\"samples\": [\n",
        "\"samples\": [\n            \"notiere {text}\",\n",
        1,
    );
    assert_ne!(broken, model);
    std::fs::write(&model_path, broken).unwrap();
    let config = load_config(&dir, &package);
    let twins = twins().await;

    let error = deploy(&twins, &config, devstack::smapi::DEFAULT_ACCESS_TOKEN)
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, DeployError::BuildFailed { .. }),
        "{message}"
    );
    assert!(message.starts_with("the interaction model build failed for de-DE (FAILED): de-DE: sample \"notiere {text}\""), "{message}");
    assert!(
        message.contains("uses the slot {text}, which the intent does not declare"),
        "{message}"
    );
    // The package is not remembered as deployed, so the next run tries again.
    let state = DeployState::load(&state_path(&config.path)).unwrap();
    assert!(state.skill_id.is_some());
    assert_eq!(state.skill_package_sha256, None);
}

#[tokio::test]
async fn bad_credentials_stop_before_anything_is_deployed() {
    let dir = fresh_dir("deploy-bad-credentials");
    let config = load_config(&dir, &sample_package());
    let twins = twins().await;

    let error = deploy(&twins, &config, "Atza|not-the-token")
        .await
        .unwrap_err();
    expect_test::expect![[r#"creating an upload URL for the skill package failed: SMAPI answered HTTP 401 to POST skills/uploads (Token is invalid or expired.): the LWA access token was refused: run `ask configure` or refresh the credentials (ASK_ACCESS_TOKEN / ASK_REFRESH_TOKEN), then re-run"#]]
        .assert_eq(&error.to_string());
    assert!(!error.to_string().contains("not-the-token"));
    let aws = twins.moto.clients().await;
    let stacks = aws.cloudformation.describe_stacks().send().await.unwrap();
    assert!(stacks.stacks().is_empty(), "no stack was created");
    assert!(twins.smapi.skill_ids().is_empty());
}

#[tokio::test]
async fn smapi_refuses_an_endpoint_whose_function_has_no_trigger() {
    let dir = fresh_dir("deploy-endpoint-order");
    let twins = twins().await;
    let smapi = smapi_client(&twins, devstack::smapi::DEFAULT_ACCESS_TOKEN);
    let package = SkillPackage::read(&sample_package()).unwrap();
    let zip = package
        .zip(&provision::skill_package::Endpoint::Lambda {
            function_arn: "arn:aws:lambda:us-east-1:123456789012:function:not-deployed".to_owned(),
        })
        .unwrap();
    let upload_url = smapi.create_upload().await.unwrap();
    smapi.upload_package(&upload_url, zip).await.unwrap();
    let import_id = smapi
        .import_package(
            &provision::smapi::ImportTarget::NewSkill {
                vendor_id: devstack::smapi::DEFAULT_VENDOR_ID.to_owned(),
            },
            &upload_url,
        )
        .await
        .unwrap();
    let mut status = smapi.import_status(&import_id).await.unwrap();
    while status.status == "IN_PROGRESS" {
        status = smapi.import_status(&import_id).await.unwrap();
    }
    assert_eq!(status.status, "FAILED");
    assert!(
        status.errors[0].message.starts_with("The trigger setting for the Lambda arn:aws:lambda:us-east-1:123456789012:function:not-deployed is invalid"),
        "{:?}",
        status.errors
    );
    drop(dir);
}

/// The Lambda function `name` as moto holds it in `region`.
async fn lambda_in_region(moto: &Moto, region: &str, name: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}/2015-03-31/functions/{name}", moto.endpoint_url))
        .header(
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential=testing/20260101/{region}/lambda/aws4_request, \
                 SignedHeaders=host, Signature=0"
            ),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn several_regions_get_a_stack_each_and_alexa_calls_the_nearest_function() {
    let dir = fresh_dir("deploy-regions");
    let package = copy_package(&dir);
    let text = config_text(
        None,
        &format!("skill_package = {:?}", package.display().to_string()),
    )
    .replace(
        "region = \"us-east-1\"",
        "regions = [\"us-east-1\", \"eu-west-1\", \"us-west-2\"]",
    );
    let config = provision::Config::load(&write_config(&dir, &text)).unwrap();
    let twins = twins().await;
    let token = devstack::smapi::DEFAULT_ACCESS_TOKEN;

    let first = deploy(&twins, &config, token).await.unwrap();
    assert_eq!(first.aws.stack.change, StackChange::Created);
    let regions: Vec<&str> = first
        .other_regions
        .iter()
        .map(|(region, _)| region.as_str())
        .collect();
    assert_eq!(regions, ["eu-west-1", "us-west-2"]);
    let arn = |report: &provision::stack::DeployReport| report.stack.outputs.function_arn.clone();
    let north_america = arn(&first.aws);
    let europe = arn(&first.other_regions[0].1);
    let far_east = arn(&first.other_regions[1].1);
    for (region, function_arn) in [
        ("us-east-1", &north_america),
        ("eu-west-1", &europe),
        ("us-west-2", &far_east),
    ] {
        assert!(
            function_arn.starts_with(&format!("arn:aws:lambda:{region}:")),
            "{function_arn}"
        );
        let function = lambda_in_region(&twins.moto, region, "alexa-google-skill").await;
        assert_eq!(
            function["Configuration"]["Environment"]["Variables"]["SKILL_ID"],
            first.skill_id.as_str()
        );
    }
    // The other regions' code buckets carry the region: Lambda reads code from its own region.
    assert_eq!(
        first.other_regions[0].1.artifact.bucket,
        "skill-artifacts-eu-west-1"
    );

    let stored = twins.smapi.skill(first.skill_id.as_str()).unwrap();
    let manifest = &stored.manifest["manifest"];
    assert_eq!(
        manifest["apis"]["custom"]["endpoint"]["uri"],
        north_america.as_str()
    );
    assert_eq!(
        manifest["events"]["endpoint"]["uri"],
        north_america.as_str()
    );
    for (alexa_region, function_arn) in [("NA", &north_america), ("EU", &europe), ("FE", &far_east)]
    {
        assert_eq!(
            manifest["apis"]["custom"]["regions"][alexa_region]["endpoint"]["uri"],
            function_arn.as_str()
        );
        assert_eq!(
            manifest["events"]["regions"][alexa_region]["endpoint"]["uri"],
            function_arn.as_str()
        );
    }
    // Account linking uses the main region's login page.
    assert_eq!(
        stored.account_linking["development"]["authorizationUrl"],
        "https://skill-login-page.s3.us-east-1.amazonaws.com/index.html"
    );
    // ask-smapi-model reads the regional manifest inside the upload back unchanged.
    assert_eq!(check_every_body(&twins.smapi.requests(), &dir), 5);

    // No-op rerun: no SMAPI write and no stack update in any region.
    let writes_before = twins.smapi.writes();
    let second = deploy(&twins, &config, token).await.unwrap();
    assert_eq!(second.aws.stack.change, StackChange::Unchanged);
    for (region, report) in &second.other_regions {
        assert_eq!(
            report.stack.change,
            StackChange::Unchanged,
            "{}",
            region.as_str()
        );
    }
    assert_eq!(second.skill_package, Some(PartChange::Unchanged));
    assert_eq!(second.account_linking, Some(PartChange::Unchanged));
    assert_eq!(twins.smapi.writes(), writes_before);
}

#[tokio::test]
async fn a_lost_state_file_recovers_the_skill_from_the_stack_instead_of_creating_another() {
    let dir = fresh_dir("deploy-lost-state");
    let package = copy_package(&dir);
    let config = load_config(&dir, &package);
    let twins = twins().await;
    let token = devstack::smapi::DEFAULT_ACCESS_TOKEN;

    let first = deploy(&twins, &config, token).await.unwrap();
    assert!(first.skill_created);
    let skill_id = first.skill_id.as_str().to_owned();

    // A teammate's fresh clone, or a deleted file: no state, no skill_id in the config.
    std::fs::remove_file(state_path(&config.path)).unwrap();
    let second = deploy(&twins, &config, token).await.unwrap();
    assert!(!second.skill_created, "no second skill is created");
    assert_eq!(second.skill_id.as_str(), skill_id);
    assert_eq!(twins.smapi.skill_ids(), std::slice::from_ref(&skill_id));
    // The stack still serves the one skill, and the state file knows it again.
    let function = twins.moto.lambda_get("alexa-google-skill").await;
    assert_eq!(
        function["Configuration"]["Environment"]["Variables"]["SKILL_ID"],
        skill_id.as_str()
    );
    let state = DeployState::load(&state_path(&config.path)).unwrap();
    assert_eq!(state.skill_id.as_deref(), Some(skill_id.as_str()));
}

#[tokio::test]
async fn a_state_file_naming_another_skill_than_the_stack_is_refused_with_the_fix() {
    let dir = fresh_dir("deploy-state-disagrees");
    let package = copy_package(&dir);
    let config = load_config(&dir, &package);
    let twins = twins().await;
    let token = devstack::smapi::DEFAULT_ACCESS_TOKEN;

    let first = deploy(&twins, &config, token).await.unwrap();
    let other = "amzn1.ask.skill.99999999-0000-4000-8000-000000000000";
    DeployState {
        skill_id: Some(other.to_owned()),
        ..DeployState::default()
    }
    .save(&state_path(&config.path))
    .unwrap();
    let error = deploy(&twins, &config, token).await.unwrap_err();
    let message = error
        .to_string()
        .replace(&dir.display().to_string(), "<dir>")
        .replace(first.skill_id.as_str(), "<stack skill>");
    expect_test::expect!["the deploy state <dir>/skill.deploy-state.json names skill amzn1.ask.skill.99999999-0000-4000-8000-000000000000, but stack alexa-google-skill serves skill <stack skill>: set skill_id = \"<stack skill>\" under [skill] in <dir>/skill.toml to keep the stack's skill (or the other ID to move the stack to it), then deploy again"]
        .assert_eq(&message);
    let function = twins.moto.lambda_get("alexa-google-skill").await;
    assert_eq!(
        function["Configuration"]["Environment"]["Variables"]["SKILL_ID"],
        first.skill_id.as_str(),
        "the stack was not touched"
    );
}

#[tokio::test]
async fn a_new_skill_whose_import_is_still_in_progress_is_remembered() {
    let dir = fresh_dir("deploy-import-in-progress");
    let package = copy_package(&dir);
    let config = load_config(&dir, &package);
    let moto = Moto::start().await;
    let smapi = SmapiTwin::start(TwinConfig {
        lambda_api: Some(moto.endpoint_url.clone()),
        polls_until_done: 1_000,
        ..TwinConfig::default()
    })
    .await
    .unwrap();
    let twins = Twins { moto, smapi };
    let impatient = Polling {
        interval: Duration::from_millis(1),
        max_polls: 3,
    };
    let aws = twins.moto.clients().await;
    let client = smapi_client(&twins, devstack::smapi::DEFAULT_ACCESS_TOKEN);
    let secret = ClientSecret::new(GOOGLE_SECRET.to_owned());
    let skill_package = SkillPackage::read(&config.skill.skill_package).unwrap();
    let template = template();
    let request = DeployRequest {
        config: &config,
        state_path: state_path(&config.path),
        template_body: &template,
        lambda_zip: b"PK stand-in for the skill's zip",
        skill_package: &skill_package,
        alexa: Some(AlexaSide {
            smapi: &client,
            client_secret: &secret,
        }),
        polling: impatient,
    };
    for _ in 0..2 {
        let error = provision::deploy::run(&aws, &request, &mut |_| {})
            .await
            .unwrap_err();
        assert!(
            matches!(error, DeployError::StillInProgress { .. }),
            "{error}"
        );
    }
    let skills = twins.smapi.skill_ids();
    assert_eq!(skills.len(), 1, "a rerun made no second skill: {skills:?}");
    let state = DeployState::load(&state_path(&config.path)).unwrap();
    assert_eq!(state.skill_id.as_deref(), Some(skills[0].as_str()));
}

/// One S3 request: method, path with query, and its `x-amz-expected-bucket-owner`.
type S3Request = (String, String, Option<String>);

/// Records every S3 request the client sends.
#[derive(Debug, Clone, Default)]
struct S3Recorder(std::sync::Arc<std::sync::Mutex<Vec<S3Request>>>);

impl aws_sdk_s3::config::Intercept for S3Recorder {
    fn name(&self) -> &'static str {
        "S3Recorder"
    }

    fn read_before_transmit(
        &self,
        context: &aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &aws_sdk_s3::config::RuntimeComponents,
        _cfg: &mut aws_sdk_s3::config::ConfigBag,
    ) -> Result<(), aws_sdk_s3::error::BoxError> {
        let request = context.request();
        let uri: url::Url = request.uri().parse()?;
        self.0.lock().unwrap().push((
            request.method().to_owned(),
            format!(
                "{}{}",
                uri.path(),
                uri.query()
                    .map(|query| format!("?{query}"))
                    .unwrap_or_default()
            ),
            request
                .headers()
                .get("x-amz-expected-bucket-owner")
                .map(str::to_owned),
        ));
        Ok(())
    }
}

#[tokio::test]
async fn every_s3_call_names_the_expected_bucket_owner() {
    let dir = fresh_dir("deploy-bucket-owner");
    let package = copy_package(&dir);
    let text = config_text(
        None,
        &format!("skill_package = {:?}", package.display().to_string()),
    )
    .replace(
        "region = \"us-east-1\"",
        "regions = [\"us-east-1\", \"eu-west-1\"]",
    );
    let config = provision::Config::load(&write_config(&dir, &text)).unwrap();
    let twins = twins().await;
    let recorder = S3Recorder::default();
    let mut aws = twins.moto.clients().await;
    aws.s3 = aws_sdk_s3::Client::from_conf(
        aws.s3
            .config()
            .to_builder()
            .interceptor(recorder.clone())
            .build(),
    );
    let smapi = smapi_client(&twins, devstack::smapi::DEFAULT_ACCESS_TOKEN);
    let secret = ClientSecret::new(GOOGLE_SECRET.to_owned());
    let skill_package = SkillPackage::read(&config.skill.skill_package).unwrap();
    let template = template();
    let request = DeployRequest {
        config: &config,
        state_path: state_path(&config.path),
        template_body: &template,
        lambda_zip: b"PK stand-in for the skill's zip",
        skill_package: &skill_package,
        alexa: Some(AlexaSide {
            smapi: &smapi,
            client_secret: &secret,
        }),
        polling: FAST,
    };
    provision::deploy::run(&aws, &request, &mut |_| {})
        .await
        .unwrap();
    // moto's account; `destroy --delete-buckets` passes the owner too.
    let owner = aws.account_id().await.unwrap();
    assert_eq!(owner, "123456789012");
    assert!(
        provision::stack::delete_bucket_with_contents(&aws.s3, "skill-artifacts", &owner)
            .await
            .unwrap()
    );

    let requests = recorder.0.lock().unwrap().clone();
    let operations: std::collections::BTreeSet<String> = requests
        .iter()
        .map(|(method, path, _)| format!("{method} {}", path.split('/').count()))
        .collect();
    assert!(operations.len() >= 4, "{requests:?}");
    for (method, path, expected_owner) in &requests {
        // CreateBucket (a PUT of the bare bucket) has no owner to check: it fails on a bucket
        // another account holds. A presigned GET only computes the page's URL; it is not sent.
        if path.contains("X-Amz-Signature=") {
            continue;
        }
        let is_create_bucket = method == "PUT"
            && path.trim_matches('/').split('/').count() == 1
            && !path.contains('?');
        if is_create_bucket {
            continue;
        }
        assert_eq!(
            expected_owner.as_deref(),
            Some("123456789012"),
            "{method} {path} was sent without ExpectedBucketOwner"
        );
    }
}

/// The Tasks example (examples/tasks-skill) uses a scope the toolkit's table does not know and
/// declares it in its config: the deploy takes it, and Alexa's account linking asks for it.
#[tokio::test(flavor = "multi_thread")]
async fn a_skill_with_a_declared_scope_deploys_and_links_with_it() {
    let dir = fresh_dir("deploy-declared-scope");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/tasks-skill");
    let text = std::fs::read_to_string(example.join("skill.example.toml")).unwrap();
    let package = example.join("skill-package").display().to_string();
    let text = text.replace(
        "skill_package = \"skill-package\"",
        &format!("skill_package = {package:?}"),
    );
    let config = provision::Config::load(&write_config(&dir, &text)).unwrap();
    assert_eq!(
        config.scope_names(),
        ["https://www.googleapis.com/auth/tasks"]
    );
    let twins = twins().await;

    let outcome = deploy(&twins, &config, devstack::smapi::DEFAULT_ACCESS_TOKEN)
        .await
        .unwrap();
    assert!(outcome.skill_created);
    assert_eq!(outcome.account_linking, Some(PartChange::Created));
    let stored = twins.smapi.skill(outcome.skill_id.as_str()).unwrap();
    assert_eq!(stored.interaction_models.len(), 5);
    let linking = &stored.account_linking["development"];
    assert_eq!(
        linking["scopes"],
        serde_json::json!(["https://www.googleapis.com/auth/tasks"])
    );
}

#[tokio::test]
async fn the_plan_a_dry_run_prints_is_the_one_the_deploy_executes() {
    let dir = fresh_dir("deploy-plan");
    let package = copy_package(&dir);
    let config = load_config(&dir, &package);
    let twins = twins().await;
    let token = devstack::smapi::DEFAULT_ACCESS_TOKEN;
    let first = deploy(&twins, &config, token).await.unwrap();
    let skill_id = first.skill_id.as_str().to_owned();

    // The client secret rotates: the plan sets account linking again and keeps the package.
    let aws = twins.moto.clients().await;
    let smapi = smapi_client(&twins, token);
    let secret = ClientSecret::new("GOCSPX-planned".to_owned());
    let package_read = SkillPackage::read(&package).unwrap();
    let template = template();
    let request = DeployRequest {
        config: &config,
        state_path: state_path(&config.path),
        template_body: &template,
        lambda_zip: b"PK stand-in for the skill's zip",
        skill_package: &package_read,
        alexa: Some(AlexaSide {
            smapi: &smapi,
            client_secret: &secret,
        }),
        polling: FAST,
    };
    let state = DeployState::load(&request.state_path).unwrap();
    let plan = provision::deploy::plan(&config, state, &package_read, Some(&secret)).unwrap();
    assert_eq!(plan.skill, SkillPlan::Known(skill_id.clone()));
    assert_eq!(plan.stack_parameters.skill_id, skill_id);
    let alexa = plan.alexa.as_ref().unwrap();
    assert_eq!(
        alexa.skill_package.expected,
        ExpectedPackageChange::Unchanged
    );
    let AccountLinkingPlan::Set { body, created, .. } = &alexa.account_linking else {
        panic!(
            "the plan keeps account linking: {:?}",
            alexa.account_linking
        );
    };
    assert!(!created);
    let planned_body = serde_json::to_value(body).unwrap();

    let writes_before = twins.smapi.writes();
    let outcome = provision::deploy::execute(&aws, &request, &plan, &mut |_| {})
        .await
        .unwrap();
    // What the plan said is what happened, and what SMAPI got is the planned body.
    assert_eq!(outcome.skill_package, Some(PartChange::Unchanged));
    assert_eq!(outcome.account_linking, Some(PartChange::Updated));
    assert_eq!(twins.smapi.writes(), writes_before + 1);
    let sent = &twins.smapi.skill(&skill_id).unwrap().account_linking["development"];
    let planned = &planned_body["accountLinkingRequest"];
    for key in ["clientSecret", "authorizationUrl", "clientId", "scopes"] {
        assert_eq!(sent[key], planned[key], "{key}");
    }

    // The deploy moved the state on: the same plan again is refused, and nothing is sent.
    let writes_before = twins.smapi.writes();
    let error = provision::deploy::execute(&aws, &request, &plan, &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(error, DeployError::PlanOutdated { .. }), "{error}");
    assert!(error.to_string().contains("deploy again"), "{error}");
    assert_eq!(twins.smapi.writes(), writes_before);

    // A fresh plan says nothing changed, and the deploy sends nothing.
    let state = DeployState::load(&request.state_path).unwrap();
    let plan = provision::deploy::plan(&config, state, &package_read, Some(&secret)).unwrap();
    let alexa = plan.alexa.as_ref().unwrap();
    assert_eq!(
        alexa.skill_package.expected,
        ExpectedPackageChange::Unchanged
    );
    assert!(matches!(
        alexa.account_linking,
        AccountLinkingPlan::Unchanged
    ));
    let outcome = provision::deploy::execute(&aws, &request, &plan, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(outcome.skill_package, Some(PartChange::Unchanged));
    assert_eq!(outcome.account_linking, Some(PartChange::Unchanged));
    assert_eq!(twins.smapi.writes(), writes_before);
}

/// The item `id` of `table` in moto, if any.
async fn stored_item(dynamodb: &aws_sdk_dynamodb::Client, table: &str, id: &str) -> Option<String> {
    let answer = dynamodb
        .get_item()
        .table_name(table)
        .key(
            "id",
            aws_sdk_dynamodb::types::AttributeValue::S(id.to_owned()),
        )
        .send()
        .await
        .unwrap();
    answer
        .item()
        .and_then(|item| item.get("attributes"))
        .and_then(|value| value.as_s().ok())
        .cloned()
}

#[tokio::test]
async fn destroy_keeps_the_users_data_until_asked_to_delete_it() {
    let dir = fresh_dir("deploy-destroy-data");
    let package = copy_package(&dir);
    let config = load_config(&dir, &package);
    let twins = twins().await;
    deploy(&twins, &config, devstack::smapi::DEFAULT_ACCESS_TOKEN)
        .await
        .unwrap();
    let aws = twins.moto.clients().await;
    let target = twins.moto.target();
    let stack_name = config.aws.stack_name.as_str();
    let table = provision::state_table::find(&aws.cloudformation, stack_name)
        .await
        .unwrap()
        .expect("the stack has a state table");
    // A user's item, as the skill writes it.
    let dynamodb = provision::state_table::client(&target, "us-east-1").await;
    dynamodb
        .put_item()
        .table_name(&table)
        .item(
            "id",
            aws_sdk_dynamodb::types::AttributeValue::S("amzn1.ask.account.ADA".to_owned()),
        )
        .item(
            "attributes",
            aws_sdk_dynamodb::types::AttributeValue::S("{\"notes\":5}".to_owned()),
        )
        .send()
        .await
        .unwrap();
    let state_file = state_path(&config.path);

    // `cargo xtask destroy`: the stack goes, the table and the item stay, remembered.
    let report = provision::destroy::destroy(
        &aws,
        &target,
        &config,
        &state_file,
        DestroyOptions::default(),
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(report.len(), 1);
    assert!(report[0].stack_deleted);
    assert_eq!(
        report[0].state_tables,
        [StateTableFate::Kept(table.clone())]
    );
    assert_eq!(report[0].buckets_deleted, None);
    assert!(
        provision::stack::deployed_skill_id(&aws.cloudformation, stack_name)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        stored_item(&dynamodb, &table, "amzn1.ask.account.ADA").await,
        Some("{\"notes\":5}".to_owned())
    );
    let state = DeployState::load(&state_file).unwrap();
    assert_eq!(state.retained_state_tables.len(), 1);
    assert_eq!(state.retained_state_tables[0].table, table);

    // `cargo xtask destroy --delete-data`, with the stack already gone: the table goes.
    let options = DestroyOptions {
        delete_data: true,
        ..DestroyOptions::default()
    };
    let report =
        provision::destroy::destroy(&aws, &target, &config, &state_file, options, &mut |_| {})
            .await
            .unwrap();
    assert!(!report[0].stack_deleted);
    assert_eq!(
        report[0].state_tables,
        [StateTableFate::Deleted(table.clone())]
    );
    let described = dynamodb.describe_table().table_name(&table).send().await;
    assert!(described.is_err(), "{described:?}");
    assert!(
        DeployState::load(&state_file)
            .unwrap()
            .retained_state_tables
            .is_empty()
    );
    // Nothing left to delete.
    let report =
        provision::destroy::destroy(&aws, &target, &config, &state_file, options, &mut |_| {})
            .await
            .unwrap();
    assert_eq!(report[0].state_tables, []);
}
